"""Neutral documents: what every view returns and every renderer reads.

A document is titled sections of tables and notes, the citations it uses, and the data a
script gets as JSON. Nothing here knows about terminals, Markdown or HTML.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from typing import Any, TypeAlias

from painopts.model import Certainty, Claim, KnowledgeBase, Source, Verdict, as_data, record


@record
class Cell:
    """One table cell: its text, and what must travel with it (certainty, verdict, citations)."""

    text: str
    certainty: Certainty | None = None
    verdict: Verdict | None = None
    cites: tuple[str, ...] = ()
    special: bool = False
    """True for 'not assessed' and 'none reported', which renderers set apart."""
    unbreakable: bool = False
    """An id a user types, or a verdict: never wrapped or cut mid-word."""
    rating: tuple[int, int] | None = None
    """An instrument rating as (position from the worst level, number of levels), which
    renderers show with a symbol."""


@record
class Table:
    """A titled grid; the first column labels the rows."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    compact: bool = False
    """Short rows, read best one line each: a terminal draws them without borders where they fit."""
    anchored: bool = False
    """Each row's first cell is an id that names the row on a page (a claim's ``#claim-id``)."""


@record
class Section:
    """A heading with tables and short paragraphs (notes)."""

    heading: str
    tables: tuple[Table, ...] = ()
    notes: tuple[str, ...] = ()
    hints: tuple[str, ...] = ()
    """What to type next (``painopts claims ID``): for the terminal only, never a page's reader."""


Scalar: TypeAlias = str | int | float | None
"""One value of a record: text, a number, or nothing (an empty CSV cell)."""


@record
class Records:
    """Data for scripts (CSV, plain): named columns, one observation a row, one value a cell.

    Column names are snake_case words; ids are ids, numbers are numbers, and a list of ids is
    the ids separated by single spaces (ids never hold spaces).
    """

    columns: tuple[str, ...]
    rows: tuple[tuple[Scalar, ...], ...]


def ids(keys: tuple[str, ...] | list[str]) -> str:
    """A list of ids as one cell: the ids separated by single spaces."""
    return " ".join(keys)


@record
class Reference:
    """A citation key resolved to its source (None when the key names no source)."""

    key: str
    source: Source | None


@record
class Document:
    """What a view answers: sections to show, references, warnings, and data for scripts."""

    kind: str
    title: str
    sections: tuple[Section, ...]
    references: tuple[Reference, ...]
    disclaimer: str
    data: Mapping[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    claims: tuple[Claim, ...] = ()
    """The claims shown, for formats that describe claims (ClaimReview)."""
    main: tuple[str, ...] = ()
    """The columns of the document's main table: CSV writes the tables that have them (by
    default, those of the first table)."""
    records: Records | None = None
    """The document as tidy records for CSV and plain, where the view gives them."""


def references(kb: KnowledgeBase, keys: list[str]) -> tuple[Reference, ...]:
    """Each distinct key once, in first-cited order, resolved to its source."""
    return tuple(Reference(key, kb.source(key)) for key in dict.fromkeys(keys))


def cited_keys(sections: tuple[Section, ...]) -> list[str]:
    """Every citation key in the sections' tables, in order of appearance."""
    return [
        key
        for section in sections
        for table in section.tables
        for row in table.rows
        for cell in row
        for key in cell.cites
    ]


def source_data(source: Source) -> dict[str, Any]:
    """A source as JSON-ready data."""
    return as_data(source)


SHORTENED = "…"
"""Ends a text shortened to fit (the view says where to read it whole)."""


def shorten(text: str, limit: int) -> str:
    """The text whole if it fits in ``limit`` characters, else cut at a word and marked."""
    if len(text) <= limit:
        return text
    cut = text[: limit - len(SHORTENED)].rsplit(" ", 1)[0].rstrip(" ,;:(")
    return cut + SHORTENED
