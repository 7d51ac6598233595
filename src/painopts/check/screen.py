"""An automatic screen of an article on criteria that are visible in its text.

The JAMA benchmarks (authorship, attribution, disclosure, currency) and the presence-type
HealthNewsReview criteria (benefits quantified, harms, costs, conflicts, alternatives), each
found or not found with the sentence (or page record) that shows it. A screen only: a person
must confirm every line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from painopts.model import record

_I = re.IGNORECASE


@record
class Criterion:
    """One criterion of the screen: found or not, and what shows it."""

    id: str
    instrument: str
    label: str
    found: bool
    evidence: str | None


@record
class Line:
    """What the screen reads of one sentence."""

    text: str
    kinds: tuple[str, ...]
    treatments: tuple[str, ...]
    worthy: bool


BYLINE = re.compile(r"^(?:by|written by|reviewed by|medically reviewed by|author:)\s+[A-Z]", _I)
ATTRIBUTION = re.compile(
    r"\b(?:according to|published in|journal|et al|study (?:found|shows|showed)|"
    r"(?:a|one|the) (?:\d{4} )?(?:study|review|trial|meta-analysis)|researchers?|doi|pubmed|"
    r"references?|sources?:|cochrane|guidelines? (?:from|by))\b",
    _I,
)
DISCLOSURE = re.compile(
    r"\b(?:disclos\w*|conflicts? of interest|sponsored|paid (?:for|by)|affiliate|advertis\w*|"
    r"funded by|funding|commission|we (?:sell|offer)|our (?:products?|clinic|services))\b",
    _I,
)
CONFLICTS = re.compile(
    r"\b(?:conflicts? of interest|disclos\w*|funded by|funding|sponsored|has received|"
    r"consult(?:s|ant|ed) for|independent)\b",
    _I,
)
DATE = re.compile(
    r"\b(?:(?:published|updated|reviewed|posted)(?: on)?:?\s+)?"
    r"(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2},? (?:19|20)\d\d|"
    r"\d{1,2} (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]* (?:19|20)\d\d|"
    r"(?:19|20)\d\d-\d\d-\d\d)\b",
    _I,
)
FIGURE = re.compile(
    r"\d[\d,.]*\s*(?:%|percent|per cent)|\b(?:\d+|one|two|three) (?:in|out of) \d+\b|"
    r"\bNNT\b|\bnumber needed\b|\bpoints? on\b|\d+ (?:of|out of) (?:\d+|every)",
    _I,
)
ALTERNATIVES = re.compile(
    r"\b(?:alternatives?|other (?:options|treatments|therapies|medications)|instead|"
    r"options include|can also be treated)\b",
    _I,
)


def _first(lines: Sequence[Line], test: Callable[[Line], bool]) -> str | None:
    return next((line.text for line in lines if test(line)), None)


def _quantified(line: Line) -> bool:
    return line.worthy and "benefit" in line.kinds and bool(FIGURE.search(line.text))


def _harm(line: Line) -> bool:
    return line.worthy and bool({"harm", "addiction"} & set(line.kinds))


def _cost(line: Line) -> bool:
    return "cost" in line.kinds


def _alternative(line: Line) -> bool:
    return bool(ALTERNATIVES.search(line.text)) or len(set(line.treatments)) >= 2


def _says(pattern: re.Pattern[str]) -> Callable[[Line], bool]:
    return lambda line: bool(pattern.search(line.text))


CRITERIA: tuple[tuple[str, str, str, Callable[[Line], bool]], ...] = (
    ("authorship", "JAMA", "Authors and their credentials named", _says(BYLINE)),
    ("attribution", "JAMA", "Sources of the claims named", _says(ATTRIBUTION)),
    ("disclosure", "JAMA", "Ownership, sponsorship or advertising disclosed", _says(DISCLOSURE)),
    ("currency", "JAMA", "Dates of posting or update given", _says(DATE)),
    ("benefits-quantified", "HealthNewsReview", "Benefits quantified", _quantified),
    ("harms", "HealthNewsReview", "Harms explained", _harm),
    ("costs", "HealthNewsReview", "Costs discussed", _cost),
    ("conflicts", "HealthNewsReview", "Conflicts of interest identified", _says(CONFLICTS)),
    ("alternatives", "HealthNewsReview", "Alternatives compared", _alternative),
)
"""Each criterion: its id, instrument, label, and what a sentence that shows it is like."""


def screen(lines: Sequence[Line], metadata: Mapping[str, str]) -> tuple[Criterion, ...]:
    """The article's screen, criterion by criterion.

    Authorship and currency are found first in the page's records (author, dates).
    """
    author = metadata.get("author") or metadata.get("byline")
    dated = metadata.get("modified") or metadata.get("published") or metadata.get("time")
    records = {
        "authorship": f"page record: author {author}" if author else None,
        "currency": f"page record: {dated}" if dated else None,
    }
    found = []
    for key, instrument, label, test in CRITERIA:
        evidence = records.get(key) or _first(lines, test)
        found.append(Criterion(key, instrument, label, evidence is not None, evidence))
    return tuple(found)
