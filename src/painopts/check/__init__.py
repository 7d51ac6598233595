"""Checking an article the knowledge file has never seen: pure, no I/O.

``check(kb, raw, name)`` reads the article (text, Markdown or HTML), splits it into
sentences, keeps the check-worthy ones with the treatments they are about (from the
paragraph when a sentence names none), the kinds of statement they make and the attributes
that carry their evidence, and the checked claim each restates, if any. Everything else is
counted, by why it was left out. See docs/check.md.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from painopts.check.cues import FIGURE
from painopts.check.cues import KINDS as STATEMENT_CUES
from painopts.check.detect import ANAPHOR, kinds_of, left_out
from painopts.check.match import Index, restated
from painopts.check.reading import KINDS, ArticleError, Page, read
from painopts.check.routing import article_pain, attributes_of
from painopts.check.screen import Criterion, Line, screen
from painopts.check.sentences import spans
from painopts.check.treatments import Lexicon
from painopts.model import Claim, KnowledgeBase, record

__all__ = ["KINDS", "ArticleError", "Criterion", "Result", "Statement", "check"]

TREATMENT_KINDS = frozenset(
    {"addiction", "onset", "duration", "mechanism", "harm", "benefit", "practical", "guideline"}
)
"""Kinds of statement that are about a treatment, and so take one from the paragraph."""


@record
class Statement:
    """A check-worthy sentence and what painopts knows about it."""

    text: str
    start: int
    end: int
    paragraph: int
    treatments: tuple[str, ...]
    from_context: tuple[str, ...]
    kinds: tuple[str, ...]
    attributes: tuple[str, ...]
    same_claim: str | None
    verdict: str | None
    not_covered: tuple[str, ...] = ()

    @property
    def shown(self) -> str:
        """The text to show: a lead-in and its list items on one line, items joined by ';'."""
        lines = [_ITEM.sub("", line.strip()) for line in self.text.splitlines() if line.strip()]
        if len(lines) > 1 and lines[0].endswith(":"):
            return f"{lines[0]} {'; '.join(lines[1:])}"
        return self.text


_ITEM = re.compile(r"^(?:[-*+\u2022]|\d+[.)])\s+")


@record
class Result:
    """An article checked: its statements in article order, what was left out, the screen."""

    kind: str
    metadata: Mapping[str, str]
    sentences: int
    statements: tuple[Statement, ...]
    left_out: Mapping[str, int]
    screen: tuple[Criterion, ...]
    text: str


COMPARATOR = re.compile(
    r"\b(?:than|over|unlike|versus|vs\.?|compared (?:with|to)|instead of|alternatives? to)"
    r"\s+(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)
"""Words just before a treatment that make it the comparator, not the subject."""

RECENT = 2
"""A sentence may take the treatments named this many blocks before it (news paragraphs are
often one sentence long)."""


@record
class _Tools:
    """What checking a sentence needs from the knowledge base, built once per article."""

    lexicon: Lexicon
    index: Index
    known: frozenset[str]
    pain: str
    """The benefit attribute of the kind of pain the article names most."""


@dataclass
class _Context:
    """The treatments a sentence without one may be about."""

    paragraph: tuple[str, ...] = ()
    section: tuple[str, ...] = ()
    last: tuple[str, ...] = ()
    block: int = 0
    last_block: int = -RECENT - 1


def check(kb: KnowledgeBase, raw: bytes, name: str = "-", kind: str | None = None) -> Result:
    """The article in ``raw`` checked against the knowledge base (ArticleError if unreadable)."""
    return check_page(kb, read(raw, name, kind))


def check_page(kb: KnowledgeBase, page: Page) -> Result:
    """An article already read, checked against the knowledge base."""
    tools = _Tools(
        Lexicon(kb, page.text),
        Index.of(kb.claims, (n for t in kb.treatments for n in (t.name, *t.aliases))),
        frozenset(attribute.id for attribute in kb.attributes),
        article_pain(page.text),
    )
    context = _Context()
    statements: list[Statement] = []
    lines: list[Line] = []
    reasons: Counter[str] = Counter()
    count = 0
    for start, end, number, heading in spans(page.text, page.blocks):
        if number != context.block:
            context.paragraph = ()
            context.block = number
        count += 1
        text = page.text[start:end]
        found = _statement(text, (start, end, number), heading, tools, context)
        if isinstance(found, Statement):
            statements.append(found)
            lines.append(Line(text, found.kinds, found.treatments, True))
        else:
            reasons[found[0]] += 1
            # of a sentence left out, the screen reads only whether it speaks of cost
            cost = ("cost",) if STATEMENT_CUES["cost"].search(text) else ()
            lines.append(Line(text, cost, found[1], False))
    return Result(
        page.kind,
        page.metadata,
        count,
        tuple(statements),
        dict(reasons),
        screen(lines, page.metadata),
        page.text,
    )


def _statement(
    text: str,
    where: tuple[int, int, int],
    heading: bool,
    tools: _Tools,
    context: _Context,
) -> Statement | tuple[str, tuple[str, ...]]:
    """The sentence as a statement, or why it was left out and the treatments it names."""
    mentions = tools.lexicon.find(text)
    named = tuple(dict.fromkeys(mention.treatment for mention in mentions))
    reason = left_out(text, heading)
    _remember(context, named, heading or reason == "question")
    if reason is not None:
        return reason, named
    kinds = kinds_of(text)
    general = None if named else restated(tools.index, text, (), ())
    if general is not None:
        return _restating(text, where, kinds, general)
    if not kinds and not FIGURE.search(text):
        return "no statement", named
    carried: tuple[str, ...] = ()
    if not named and (TREATMENT_KINDS & set(kinds)):
        carried = _carried(context, text)
    treatments = named or carried
    others = tuple(tools.lexicon.others(text))
    if not (treatments or others or FIGURE.search(text)):
        return "no treatment named", named
    attributes = attributes_of(text, kinds, tools.known, tools.pain) if treatments else ()
    comparators = [
        mention.treatment
        for mention in mentions
        if COMPARATOR.search(text, max(0, mention.start - 40), mention.start)
    ]
    claim = restated(tools.index, text, treatments, attributes, comparators)
    return Statement(
        text=text,
        start=where[0],
        end=where[1],
        paragraph=where[2],
        treatments=treatments,
        from_context=carried,
        kinds=kinds or ("figure",),
        attributes=attributes,
        same_claim=claim.id if claim else None,
        verdict=claim.verdict.value if claim else None,
        not_covered=others,
    )


def _restating(
    text: str, where: tuple[int, int, int], kinds: tuple[str, ...], claim: Claim
) -> Statement:
    """A sentence that names no treatment and restates a checked claim about none."""
    return Statement(
        text=text,
        start=where[0],
        end=where[1],
        paragraph=where[2],
        treatments=(),
        from_context=(),
        kinds=kinds,
        attributes=(),
        same_claim=claim.id,
        verdict=claim.verdict.value,
    )


def _remember(context: _Context, named: tuple[str, ...], heading: bool) -> None:
    if not named:
        return
    if heading:
        context.section = named
    else:
        context.paragraph = named
    context.last = named
    context.last_block = context.block


def _carried(context: _Context, text: str) -> tuple[str, ...]:
    """The treatments of a sentence that names none.

    Its paragraph's, else its section's, else the last ones named, when they were named in
    the last few blocks or the sentence refers back ('it', 'this drug').
    """
    if context.paragraph:
        return context.paragraph
    if context.section:
        return context.section
    recent = context.block - context.last_block <= RECENT
    return context.last if recent or ANAPHOR.search(text) else ()
