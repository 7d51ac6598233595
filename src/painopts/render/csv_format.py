"""CSV (RFC 4180, through the csv module) of a document's main table, with a formula guard.

Line breaks inside a cell are kept (quoted, as RFC 4180 allows); other text is made inert.
"""

from __future__ import annotations

import csv
import io

from painopts.render import Options
from painopts.render.text import flat, one_line
from painopts.views.document import Document

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
"""What a spreadsheet may take as the start of a formula: ``= + - @``, their full-width forms
(U+FF1D, U+FF0B, U+FF0D, U+FF20, which some applications and locales read as the ASCII ones),
tab and CR."""


def guard(text: str) -> str:
    """A cell a spreadsheet will not run as a formula (a leading apostrophe)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def render(document: Document, options: Options) -> str:
    """The main table: every table with the document's main columns (or the first table's).

    Verdicts and certainty are bare words. When the tables come from more than one section, a
    first ``Section`` column says which.
    """
    tables = [(s.heading, t) for s in document.sections for t in s.tables]
    if not tables:
        return ""
    columns = document.main or tables[0][1].columns
    tables = [(heading, table) for heading, table in tables if table.columns == columns]
    sectioned = len({heading for heading, _ in tables}) > 1
    protect = guard if options.formula_guard else str
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        [protect(one_line(c)) for c in (*(("Section",) if sectioned else ()), *columns)]
    )
    for heading, table in tables:
        for row in table.rows:
            texts = [flat(cell, options.ascii, keep_lines=True, words=True) for cell in row]
            cells = [one_line(heading), *texts] if sectioned else texts
            writer.writerow([protect(cell) for cell in cells])
    return out.getvalue()
