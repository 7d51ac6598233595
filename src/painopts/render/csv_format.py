"""CSV (RFC 4180, through the csv module) of a document's records, with a formula guard.

Line breaks inside a cell are kept (quoted, as RFC 4180 allows); other text is made inert.
Numbers are written as numbers and a missing value as an empty cell.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from painopts.render import Options
from painopts.render.text import lines, one_line, records_of
from painopts.views.document import Document, Scalar

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
"""What a spreadsheet may take as the start of a formula: ``= + - @``, their full-width forms
(U+FF1D, U+FF0B, U+FF0D, U+FF20, which some applications and locales read as the ASCII ones),
tab and CR."""


def guard(text: str) -> str:
    """A cell a spreadsheet will not run as a formula (a leading apostrophe)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def render(document: Document, options: Options) -> str:
    """A header of column names, then one row per record; nothing for a document without any."""
    records = records_of(document)
    if not records.columns:
        return ""
    protect: Callable[[str], str] = guard if options.formula_guard else str
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([protect(one_line(column)) for column in records.columns])
    for row in records.rows:
        writer.writerow([_cell(value, protect) for value in row])
    return out.getvalue()


def _cell(value: Scalar, protect: Callable[[str], str]) -> str:
    if value is None:
        return ""
    if isinstance(value, (int, float)):
        return repr(value)  # a number is never guarded: -15.79 stays a number
    return protect(lines(value))
