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
from typing import Any

from painopts.model import KnowledgeBase, Treatment, record

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


@record
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


_WORDS = re.compile(r"\w+")


def _compiled(
    names: Iterable[str], words: frozenset[str] | None, flags: int = 0
) -> re.Pattern[str] | None:
    """The pattern of the names that may be in a text of these words (all, without words)."""
    kept = [name for name in names if words is None or _may_be_in(name, words)]
    return re.compile(_pattern(kept), flags) if kept else None


def _may_be_in(name: str, words: frozenset[str]) -> bool:
    """Whether a text of these (casefolded) words may name this.

    It may when it has the name's first word, or for a name of one word its plural.
    """
    folded = name.casefold()
    first = _WORDS.match(folded)
    if first is None or first[0] in words:
        return True
    one_word = first.end() == len(folded)
    return one_word and (f"{first[0]}s" in words or f"{first[0]}es" in words)


def _pattern(names: Iterable[str]) -> str:
    """One pattern for the names, as a trie ('opioid' and 'opioids' share their letters).

    A trie compiles in about half the time of a list of alternatives and searches several
    times faster; it matches the longest name it can, as the list did with its longest first.
    A space or a hyphen in a name matches any run of spaces and hyphens.
    """
    trie: dict[str, Any] = {}
    for name in names:
        node = trie
        for character in name.replace("-", " "):
            node = node.setdefault(character, {})
        node[""] = {}
    return r"(?<![\w-])(" + _alternatives(trie) + r")(?:e?s|'s)?(?![\w])"


def _escaped(character: str) -> str:
    if character.isalnum():
        return character
    return r"[\s-]+" if character == " " else re.escape(character)


def _alternatives(node: dict[str, Any]) -> str:
    branches = [
        _escaped(character) + _alternatives(rest)
        for character, rest in sorted(node.items())
        if character
    ]
    if not branches:
        return ""
    group = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" not in node:
        return group
    return f"(?:{group})?" if len(branches) == 1 else group + "?"


class Lexicon:
    """The names of a knowledge file's treatments, compiled once for an article.

    Only the names whose first word is in the article (``within``) are compiled: a name
    cannot be found without its first word, and a short pattern compiles and searches fast.
    """

    def __init__(self, kb: KnowledgeBase, within: str | None = None) -> None:
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
        words = None if within is None else frozenset(_WORDS.findall(within.casefold()))
        self._any = _compiled(folded, words, re.IGNORECASE)
        self._capitals = _compiled(exact, words)
        left_out = [n for entry in kb.not_covered for n in (entry.name, *entry.aliases)]
        others = [
            name
            for name in (*NOT_COVERED, *left_out)
            if name.casefold() not in folded and name not in exact
        ]
        self._other = _compiled([n for n in others if not n.isupper()], words, re.IGNORECASE)
        self._other_capitals = _compiled([n for n in others if n.isupper()], words)

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
        matches = [
            match
            for pattern in (self._other, self._other_capitals)
            if pattern is not None
            for match in pattern.finditer(text)
        ]
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
