"""CSV (RFC 4180, through the csv module) of a document's main table, with a formula guard.

Line breaks inside a cell are kept (quoted, as RFC 4180 allows); other text is made inert.
"""

from __future__ import annotations

import csv
import io

from painopts.render import Options
from painopts.render.text import flat, one_line
from painopts.views.document import Document

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def guard(text: str) -> str:
    """A cell a spreadsheet will not run as a formula (a leading apostrophe)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def render(document: Document, options: Options) -> str:
    """The main table: every table with the first table's columns, with a Section column."""
    tables = [(s.heading, t) for s in document.sections for t in s.tables]
    if not tables:
        return ""
    columns = tables[0][1].columns
    protect = guard if options.formula_guard else str
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([protect(one_line(cell)) for cell in ("Section", *columns)])
    for heading, table in tables:
        if table.columns != columns:
            continue
        for row in table.rows:
            texts = (flat(cell, options.ascii, keep_lines=True) for cell in row)
            cells = [one_line(heading), *texts]
            writer.writerow([protect(cell) for cell in cells])
    return out.getvalue()
