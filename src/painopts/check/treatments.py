"""Finding the treatments a sentence names, by the knowledge file's ids, names and aliases.

All-capital names (CBT, ACT, TCA, SNRI) match only in capitals, so 'acts' is not ACT; every
name matches at word boundaries, with its plural; a name followed by a word that makes it a
topic rather than the treatment ('the opioid crisis', 'opioid receptors') or preceded by
'non-' does not count. A few common names the file does not list are added for the
treatments it has (``EXTRA_NAMES``; the file's own names win), and treatments it does not
cover are recognised (``NOT_COVERED`` and the file's `not_covered` list, less any name the file
covers) so that the output can say so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from painopts.model import KnowledgeBase, Treatment

EXTRA_NAMES: Mapping[str, tuple[str, ...]] = {
    "cannabinoids": (
        "CBD",
        "THC",
        "cannabidiol",
        "cannabinoid",
        "tetrahydrocannabinol",
        "hemp oil",
    ),
    "opioids": (
        "codeine",
        "hydromorphone",
        "oxymorphone",
        "narcotic",
        "Dilaudid",
        "heroin",
        "painkiller opioid",
    ),
    "scs": ("SCS", "spinal cord stimulator", "spinal cord stimulation"),
    "exercise": ("physical activity", "physio", "yoga", "tai chi", "exercise program"),
    "psychological-therapy": ("psychological therapy", "cognitive therapy", "talking therapy"),
    "nsaids": ("diclofenac", "celecoxib", "Celebrex", "Voltaren", "anti-inflammatory drug"),
    "tramadol": ("Ultram",),
    "snris": ("milnacipran", "Savella"),
    "buprenorphine": ("Belbuca",),
}
"""Common names of treatments the knowledge file covers, used only when it has that id."""

NOT_COVERED = (
    "acupuncture",
    "chiropractic",
    "massage",
    "steroid injection",
    "epidural steroid",
    "nerve block",
    "radiofrequency ablation",
    "kratom",
    "turmeric",
    "TENS",
    "botox",
    "acetaminophen",
    "paracetamol",
    "Tylenol",
    "benzodiazepine",
    "muscle relaxant",
    "esketamine",
    "PRP",
    "stem cell",
    "hypnosis",
    "biofeedback",
    "surgery",
)
"""Treatments people write about that the bundled file does not cover."""

_TOPIC_AFTER = re.compile(
    r"[\s-]+(?:crisis|epidemic|receptors?|antagonists?|use disorder|overdose crisis|-?free)\b",
    re.IGNORECASE,
)
_NOT_BEFORE = re.compile(r"(?:non|anti)[\s-]$", re.IGNORECASE)


@dataclass(frozen=True)
class Mention:
    """A treatment named in a text, and where."""

    treatment: str
    start: int
    end: int


def _variants(name: str) -> Iterator[str]:
    head, _, inside = name.partition("(")
    for part in (name, head, *inside.rstrip(")").split(",")):
        each = part.strip()
        if len(each) < 3:
            continue
        yield each
        if each.endswith("ies"):
            yield each[:-3] + "y"
        elif each.endswith("s") and not each.endswith(("ss", "is", "us")) and len(each) > 4:
            yield each[:-1]


def _capitals(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters[:-1]) and len(name) <= 6


def _pattern(names: Iterable[str]) -> str:
    parts = sorted({re.escape(name).replace(r"\ ", r"[\s-]+") for name in names}, key=len)
    return r"(?<![\w-])(" + "|".join(reversed(parts)) + r")(?:e?s|'s)?(?![\w])"


class Lexicon:
    """The names of a knowledge file's treatments, compiled once."""

    def __init__(self, kb: KnowledgeBase) -> None:
        folded: dict[str, str] = {}
        exact: dict[str, str] = {}
        # the file's own names first, so that a common name never takes one of them over
        for extra in (False, True):
            for treatment in kb.treatments:
                for name in _names(treatment, extra):
                    for variant in _variants(name):
                        if _capitals(variant):
                            exact.setdefault(variant, treatment.id)
                        else:
                            folded.setdefault(variant.casefold(), treatment.id)
        self._folded = folded
        self._exact = exact
        self._any = re.compile(_pattern(folded), re.IGNORECASE) if folded else None
        self._capitals = re.compile(_pattern(exact)) if exact else None
        left_out = [n for entry in kb.not_covered for n in (entry.name, *entry.aliases)]
        others = [
            name
            for name in (*NOT_COVERED, *left_out)
            if name.casefold() not in folded and name not in exact
        ]
        self._other = re.compile(_pattern(n for n in others if not n.isupper()), re.IGNORECASE)
        self._other_capitals = re.compile(_pattern(n for n in others if n.isupper()))

    def find(self, text: str) -> list[Mention]:
        """The treatments named in ``text``, in order of appearance."""
        found: list[Mention] = []
        for pattern, table, fold in (
            (self._capitals, self._exact, False),
            (self._any, self._folded, True),
        ):
            if pattern is None:
                continue
            for match in pattern.finditer(text):
                before = max(0, match.start() - 6)
                if _TOPIC_AFTER.match(text, match.end()) or _NOT_BEFORE.search(
                    text, before, match.start()
                ):
                    continue
                key = " ".join(match.group(1).replace("-", " ").split())
                treatment = table.get(key.casefold() if fold else key) or _spaced(table, key, fold)
                if treatment is not None:
                    found.append(Mention(treatment, match.start(), match.end()))
        found.sort(key=lambda mention: (mention.start, -mention.end))
        kept: list[Mention] = []
        for mention in found:
            if not kept or mention.start >= kept[-1].end:
                kept.append(mention)
        return kept

    def others(self, text: str) -> list[str]:
        """Treatments named in ``text`` that the knowledge file does not cover."""
        matches = [*self._other.finditer(text), *self._other_capitals.finditer(text)]
        names = (" ".join(match.group(1).split()) for match in matches)
        return list(dict.fromkeys(name if name.isupper() else name.casefold() for name in names))


def _names(treatment: Treatment, extra: bool) -> list[str]:
    """A treatment's names from the file (its name, aliases and a long id), or the extra ones."""
    if extra:
        return list(EXTRA_NAMES.get(treatment.id, ()))
    names = [treatment.name, *treatment.aliases]
    if len(treatment.id) >= 6:
        names.append(treatment.id.replace("-", " "))
    return names


def _spaced(table: Mapping[str, str], key: str, fold: bool) -> str | None:
    """The treatment of a name written with hyphens where the file has spaces (or the reverse)."""
    wanted = key.casefold() if fold else key
    for name, treatment in table.items():
        if " ".join(name.replace("-", " ").split()) == wanted:
            return treatment
    return None
