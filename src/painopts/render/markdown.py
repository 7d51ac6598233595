"""GitHub-flavoured Markdown: headings, pipe tables, references, disclaimer; every text escaped."""

from __future__ import annotations

import re

from painopts.render import Options
from painopts.render.text import NOTICE, flat, inert, one_line, reference_text
from painopts.views.document import Document, Table

_INLINE = re.compile(r"([\\`*_\[\]<>|~&#!])")
_BLOCK_START = re.compile(r"^(\s*\d*)([-+=>.)])")
"""A line start that opens a list, quote or heading; the backslash goes before the mark."""


def escape(text: str) -> str:
    """Text that Markdown shows as written: no emphasis, links, HTML or table breaks."""
    return _INLINE.sub(r"\\\1", one_line(text))


def escape_paragraph(text: str) -> str:
    """A paragraph that cannot turn into a list, a quote or a heading."""
    return _BLOCK_START.sub(lambda m: m[1] + "\\" + m[2], escape(text))


def table(grid: Table, options: Options) -> list[str]:
    """A GFM pipe table."""
    header = "| " + " | ".join(escape(column) for column in grid.columns) + " |"
    rule = "|" + "|".join("---" for _ in grid.columns) + "|"
    rows = [
        "| " + " | ".join(escape(flat(cell, options.ascii)) for cell in row) + " |"
        for row in grid.rows
    ]
    return [header, rule, *rows]


def render(document: Document, options: Options) -> str:
    """The whole document as Markdown."""
    lines = [f"# {escape(document.title)}", "", escape(NOTICE), ""]
    for section in document.sections:
        lines += [f"## {escape(section.heading)}", ""]
        for note in section.notes:
            lines += [escape_paragraph(note), ""]
        for grid in section.tables:
            lines += [*table(grid, options), ""]
    if document.references:
        lines += ["## References", ""]
        lines += [f"{escape_paragraph(reference_text(r))}  " for r in document.references]
        lines.append("")
    lines += [f"> **Not medical advice.** {escape(inert(document.disclaimer))}", ""]
    return "\n".join(lines)
