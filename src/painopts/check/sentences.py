"""Splitting a block of text into sentences, as character spans.

A stop ends a sentence when whitespace and a capital letter, digit, quote or bracket follow,
unless the word before it is a known abbreviation (Dr., e.g., mg., U.S.), an initial or the
number of a list item ("1. ").
Decimal numbers never split (no whitespace follows their point). A line break ends a
sentence when the line before it ends with a stop or a colon, or is short (a list item).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from painopts.check.reading import Block

ABBREVIATIONS = frozenset(
    [
        "dr",
        "mr",
        "mrs",
        "ms",
        "prof",
        "st",
        "vs",
        "v",
        "e.g",
        "i.e",
        "eg",
        "ie",
        "cf",
        "al",
        "etc",
        "approx",
        "fig",
        "figs",
        "no",
        "nos",
        "inc",
        "ltd",
        "co",
        "corp",
        "jr",
        "sr",
        "mg",
        "mcg",
        "ml",
        "kg",
        "min",
        "mins",
        "hr",
        "hrs",
        "wk",
        "wks",
        "mo",
        "yr",
        "yrs",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "dept",
        "univ",
        "vol",
        "pp",
        "ph.d",
        "m.d",
        "u.s",
        "u.k",
        "u.s.a",
        "e.u",
        "b.c",
        "a.m",
        "p.m",
        "approx.",
        "ca",
        "est",
    ]
)
"""Words that end with a full stop without ending the sentence (compared without case)."""

_STOP = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019)\]]*(?=\s)|:(?=[ \t]*\n)|\n")
_NEXT = re.compile(r"\s*[\"'\u201c\u2018(\[]?[A-Z0-9\u00c0-\u00de\u2022\-]")
_WORD_BEFORE = re.compile(r"(\S+)$")


def split(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """The sentences of ``text[start:end]`` as (start, end) spans, whitespace trimmed."""
    begin = start
    for stop in _STOP.finditer(text, start, end):
        if stop.group() == "\n":
            if not _line_ends(text, begin, stop.start()):
                continue
        elif not _ends_sentence(text, begin, stop.start(), stop.end(), end):
            continue
        yield from _trimmed(text, begin, stop.end())
        begin = stop.end()
    yield from _trimmed(text, begin, end)


def _ends_sentence(text: str, begin: int, at: int, after: int, end: int) -> bool:
    if not _NEXT.match(text, after, end):
        return False
    if text[at] != ".":
        return True
    before = _WORD_BEFORE.search(text, begin, at + 1)
    if before is None:
        return True
    word = before.group(1).lstrip("(\"'\u201c").casefold()
    if word[:-1].isdigit() and not text[begin : before.start()].strip():
        return False  # a numbered list item's number
    if word.rstrip(".") in ABBREVIATIONS or word in ABBREVIATIONS:
        return False
    return not re.fullmatch(r"[a-z]\.|(?:[a-z]\.){2,}", word)


def _line_ends(text: str, begin: int, at: int) -> bool:
    line = text[max(begin, text.rfind("\n", begin, at) + 1) : at].strip()
    return not line or line[-1] in ".!?:;" or len(line) < 60


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        yield start, end


ITEM_WORDS = 12
"""A list item of at most this many words after a lead-in ('Risks include:') is part of it."""


class Span(NamedTuple):
    """A sentence of an article: where it is, its block's number, and whether it is a heading."""

    start: int
    end: int
    block: int
    heading: bool


def spans(text: str, blocks: Sequence[Block]) -> Iterator[Span]:
    """The sentences of these blocks of ``text``, in order.

    A lead-in that ends with a colon and the short items that follow it ('Ketamine can
    cause:' then '- nausea', '- dizziness') are one sentence: the items say what the lead-in
    claims, about the lead-in's treatment.
    """
    lead: Span | None = None
    for number, block in enumerate(blocks):
        for start, end in split(text, block.start, block.end):
            sentence = Span(start, end, number, block.heading)
            if lead is not None and block.item and _item(text[start:end]):
                lead = lead._replace(end=end)
                continue
            if lead is not None:
                yield lead
                lead = None
            if not block.heading and text[start:end].rstrip().endswith(":"):
                lead = sentence
            else:
                yield sentence
    if lead is not None:
        yield lead


def _item(sentence: str) -> bool:
    return len(sentence.split()) <= ITEM_WORDS and not sentence.rstrip().endswith(":")
