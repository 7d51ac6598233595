"""GitHub-flavoured Markdown: headings, pipe tables, references, disclaimer; every text escaped.

Web addresses are data, not text: a cell that holds nothing but addresses, and the addresses of
a reference, are written as autolinks (``<https://...>``), which CommonMark, cmark-gfm and pandoc
link exactly as written. Inside an autolink no backslash escape applies, so an address is never
escaped; the few characters an autolink or a table cell cannot hold are percent-encoded.
"""

from __future__ import annotations

import dataclasses
import re

from painopts.render import Options
from painopts.render.text import (
    NOTICE,
    flat,
    inert,
    is_address,
    legend,
    one_line,
    reference_text,
)
from painopts.views.document import Cell, Document, Reference, Table

_INLINE = re.compile(r"([\\`*_\[\]<>|~&#!])")
_BLOCK_START = re.compile(r"^(\s*\d*)([-+=>.)])")
"""A line start that opens a list, quote or heading; the backslash goes before the mark."""

_AUTOLINK_UNSAFE = {ord("<"): "%3C", ord(">"): "%3E", ord("|"): "%7C"}
"""What cannot stand in an autolink (``<`` ``>``) or a table cell (``|``), percent-encoded."""


def escape(text: str) -> str:
    """Text that Markdown shows as written: no emphasis, links, HTML or table breaks."""
    return _INLINE.sub(r"\\\1", one_line(text))


def escape_paragraph(text: str) -> str:
    """A paragraph that cannot turn into a list, a quote or a heading."""
    return _BLOCK_START.sub(lambda m: m[1] + "\\" + m[2], escape(text))


def autolink(url: str) -> str:
    """``<url>``: linked exactly by CommonMark and GFM renderers, safe inside a table cell."""
    return f"<{url.translate(_AUTOLINK_UNSAFE)}>"


def addresses(text: str) -> str | None:
    """Autolinks when the text is nothing but web addresses (a Link column), else None."""
    words = text.split(" ")
    if text and all(is_address(word) for word in words):
        return " ".join(autolink(word) for word in words)
    return None


def cell_markdown(cell: Cell, ascii: bool) -> str:
    """One table cell: its text escaped (or its addresses linked), certainty, citations."""
    linked = None if cell.verdict or cell.special else addresses(cell.text)
    if linked is None:
        return escape(flat(cell, ascii))
    rest = flat(dataclasses.replace(cell, text=""), ascii)
    return f"{linked} {escape(rest)}" if rest else linked


def reference_markdown(reference: Reference) -> str:
    """A bibliography line: title, publisher, year and type as text, the addresses as links."""
    source = reference.source
    links = [address for address in source.links if is_address(address)] if source else []
    if source is None or not links:
        return escape_paragraph(reference_text(reference))
    unlinked = dataclasses.replace(source, doi=None, pmid=None, url=None)
    described = escape_paragraph(reference_text(Reference(reference.key, unlinked)))
    shown = [autolink(a) if a in links else escape(a) for a in source.links]
    return f"{described}. " + " ".join(shown)


def table(grid: Table, options: Options) -> list[str]:
    """A GFM pipe table."""
    header = "| " + " | ".join(escape(column) for column in grid.columns) + " |"
    rule = "|" + "|".join("---" for _ in grid.columns) + "|"
    rows = [
        "| " + " | ".join(cell_markdown(cell, options.ascii) for cell in row) + " |"
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
    explained = legend(document, options.ascii)
    if explained:
        lines += [escape_paragraph(explained), ""]
    if document.references:
        lines += ["## References", ""]
        lines += [f"{reference_markdown(r)}  " for r in document.references]
        lines.append("")
    lines += [f"> **Not medical advice.** {escape(inert(document.disclaimer))}", ""]
    return "\n".join(lines)
