"""Finding the checked claim a statement restates, if any: BM25 ranks, strict gates decide.

A statement restates a claim only when it is about the same treatments, routes to the
claim's attribute, has the same polarity (a negation, or a 'more'/'less' comparison, on
both sides or neither) and covers most of the content words of the claim's quote. Anything
less is evidence, never a verdict: a wrong verdict on a true statement is the worst thing
'painopts check' could print.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import cache, lru_cache

from painopts.check.paraphrase import normalised
from painopts.model import Claim, record

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "of",
        "to",
        "in",
        "on",
        "for",
        "with",
        "by",
        "at",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "which",
        "who",
        "whom",
        "can",
        "could",
        "may",
        "might",
        "will",
        "would",
        "should",
        "do",
        "does",
        "did",
        "has",
        "have",
        "had",
        "from",
        "into",
        "than",
        "then",
        "there",
        "their",
        "they",
        "them",
        "he",
        "she",
        "his",
        "her",
        "we",
        "our",
        "you",
        "your",
        "also",
        "such",
        "so",
        "very",
        "more",
        "most",
        "much",
        "many",
        "some",
        "any",
        "other",
        "same",
        "about",
        "over",
        "after",
        "before",
        "while",
        "when",
        "where",
        "how",
        "what",
        "why",
        "if",
        "because",
        "however",
    ]
)
NEGATION = re.compile(
    r"\b(?:not|no|never|none|neither|nor|without|cannot|little to no|little risk|free of|"
    r"lack\w*)\b|n't\b|\bnon-",
    re.IGNORECASE,
)
LITTLE = re.compile(
    r"\b(?:few|little|rarely|seldom|hardly|barely|scarcely|minimal|negligible|slight\w*|"
    r"only (?:a |an )?(?:small|modest|mild))\b",
    re.IGNORECASE,
)
"""Words that play a point down: 'few drawbacks' neither says nor denies 'many drawbacks'."""
MORE = re.compile(r"\b(?:more|greater|higher|worse|increase[sd]?|stronger)\b", re.IGNORECASE)
LESS = re.compile(r"\b(?:less|fewer|lower|safer|decrease[sd]?|weaker)\b", re.IGNORECASE)
COMPARED = re.compile(r"\b(?:than|compared|same|versus|vs)\b", re.IGNORECASE)
GENERIC = frozenset(
    [
        "pain",
        "chronic",
        "treatment",
        "treat",
        "therapy",
        "patient",
        "people",
        "drug",
        "medication",
        "use",
    ]
)
"""Words too common in this domain to tell one claim from another."""
COVERAGE = 0.6
"""Share of a claim quote's content words a statement must contain to restate it."""
COVERAGE_WITHOUT_ATTRIBUTE = 0.8
"""The same, for claims that name no attribute (nothing else narrows them)."""
HEDGES = frozenset(
    ["believed", "thought", "likely", "possibly", "potentially", "probably", "appears", "seems"]
)
"""Words that hedge a point without being part of it."""
_WORD = re.compile(r"[a-z0-9]+")
_SUFFIXES = ("ations", "ation", "ions", "ion", "ives", "ive", "ing", "ed", "ies", "es", "s", "ly")
_KEPT = {"effective": "effective", "effectiveness": "effective", "effectively": "effective"}
"""Words whose suffix is their point: 'effective' is about benefit, 'effects' are not."""


@cache
def stem(word: str) -> str:
    """A word without its commonest English suffix ('addictive', 'addiction' -> 'addict')."""
    if word in _KEPT:
        return _KEPT[word]
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


@lru_cache(maxsize=64)
def terms(text: str) -> tuple[str, ...]:
    """The content words of a text, its paraphrases made one word, stemmed.

    Kept for the last few texts: a sentence is often matched twice (against claims about no
    treatment, then about the treatments taken from its paragraph).
    """
    words = _WORD.findall(normalised(text.casefold()))
    return tuple(stem(word) for word in words if word not in STOPWORDS)


_NOT_THE_POINT = frozenset(stem(word) for word in GENERIC | HEDGES)


def polarity(text: str) -> tuple[str, int]:
    """A text's polarity and its comparison's direction (+1 more, -1 less, 0 none).

    The polarity is 'not' (negated), 'little' (played down) or 'plain'.
    """
    state = "not" if NEGATION.search(text) else "little" if LITTLE.search(text) else "plain"
    if not COMPARED.search(text):
        return state, 0
    return state, (1 if MORE.search(text) else 0) - (1 if LESS.search(text) else 0)


_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9]+\b")


def acronyms(text: str) -> frozenset[str]:
    """The terms of a text's words in capitals ('NMDA', 'CNS'): what a statement must name."""
    return frozenset(term for word in _ACRONYM.findall(text) for term in terms(word))


@record
class Quote:
    """What the gates need of a claim's quote."""

    terms: set[str]
    """Its distinctive terms (not names, not generic words, not hedges)."""
    named: frozenset[str]
    """The terms of its words in capitals, which a restatement must name too."""
    polarity: tuple[str, int]
    treatments: frozenset[str] = frozenset()
    """The treatments its claim is about."""


@record
class Index:
    """BM25 over the claims' quotes, paraphrases and topics."""

    claims: tuple[Claim, ...]
    documents: tuple[Counter[str], ...]
    lengths: tuple[int, ...]
    frequency: dict[str, int]
    average: float
    postings: dict[str, tuple[int, ...]]
    names: frozenset[str] = frozenset()
    """Terms of the treatments' names, which say nothing about what a claim claims."""
    quoted: tuple[Quote, ...] = ()
    """Each claim's quote as the gates need it, worked out once."""
    parts: dict[str, tuple[tuple[int, float], ...]] = dataclasses.field(default_factory=dict)
    """Each term's share of each claim's BM25 score, worked out once."""

    @classmethod
    def of(cls, claims: Sequence[Claim], names: Iterable[str] = ()) -> Index:
        """The index of these claims; ``names`` are the treatments' names and aliases."""
        documents = tuple(
            Counter(terms(f"{claim.quote} {claim.paraphrase} {claim.topic}")) for claim in claims
        )
        frequency: Counter[str] = Counter()
        postings: dict[str, list[int]] = {}
        for number, document in enumerate(documents):
            frequency.update(document.keys())
            for term in document:
                postings.setdefault(term, []).append(number)
        lengths = tuple(sum(document.values()) for document in documents)
        average = sum(lengths) / len(lengths) if lengths else 1.0
        return cls(
            tuple(claims),
            documents,
            lengths,
            dict(frequency),
            average or 1.0,
            {term: tuple(numbers) for term, numbers in postings.items()},
            frozenset(term for name in names for term in terms(name)),
        )._with_quotes()

    def _with_quotes(self) -> Index:
        quoted = tuple(
            Quote(
                self.distinctive(c.quote),
                acronyms(c.quote) - self.names,
                polarity(c.quote),
                frozenset(c.treatments),
            )
            for c in self.claims
        )
        return dataclasses.replace(self, quoted=quoted, parts=self._parts())

    def _parts(self, k1: float = 1.5, b: float = 0.75) -> dict[str, tuple[tuple[int, float], ...]]:
        """For each term, the claims it is in and what it adds to their BM25 score."""
        total = len(self.documents)
        parts = {}
        for term, numbers in self.postings.items():
            weight = math.log(1 + (total - len(numbers) + 0.5) / (len(numbers) + 0.5))
            shares = []
            for number in numbers:
                count = self.documents[number][term]
                norm = k1 * (1 - b + b * self.lengths[number] / self.average)
                shares.append((number, weight * count * (k1 + 1) / (count + norm)))
            parts[term] = tuple(shares)
        return parts

    def distinctive(self, text: str) -> set[str]:
        """The terms of a claim's quote that say what it claims (not names, not generic)."""
        every = set(terms(text))
        return (every - self.names - _NOT_THE_POINT) or every

    def ranked(self, query: Sequence[str]) -> list[int]:
        """Claim numbers by BM25 score for the query terms, best first (only those scoring)."""
        scores: dict[int, float] = {}
        for term in set(query):
            for number, part in self.parts.get(term, ()):
                scores[number] = scores.get(number, 0.0) + part
        return sorted(scores, key=lambda number: -scores[number])


def restated(
    index: Index,
    text: str,
    treatments: Sequence[str],
    attributes: Sequence[str],
    comparators: Sequence[str] = (),
) -> Claim | None:
    """The checked claim this statement restates, or None (the usual answer).

    ``comparators`` are treatments the statement names only as what another is set against
    ('unlike opioids, ketamine ...'): a claim about the others alone can match.
    """
    about = (frozenset(treatments), frozenset(set(treatments) - set(comparators)) or None)
    possible = {
        number
        for number, claim in enumerate(index.claims)
        if index.quoted[number].treatments in about
        and (claim.attribute is None or claim.attribute in attributes)
    }
    if not possible:  # the usual case, found without reading the sentence
        return None
    words = terms(text)
    present = set(words)
    mine: tuple[str, int] | None = None  # worked out for the first claim that gets that far
    for number in index.ranked(words)[:10]:
        claim = index.claims[number]
        quote = index.quoted[number]
        needed = COVERAGE if claim.attribute is not None else COVERAGE_WITHOUT_ATTRIBUTE
        if not (
            number in possible
            and quote.terms
            and len(quote.terms & present) / len(quote.terms) >= needed
            and quote.named <= present
        ):
            continue
        mine = mine or polarity(text)
        if quote.polarity == mine:
            return claim
    return None
