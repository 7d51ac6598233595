"""One self-contained HTML page: semantic tables, escaped text, print styles, the disclaimer."""

from __future__ import annotations

import re
from html import escape

from painopts.render import Options
from painopts.render.text import NOTICE, certainty_label, inert, verdict_label
from painopts.views.document import Cell, Document, Reference, Table

STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; max-width: 72rem; margin: 2rem auto;
  padding: 0 1rem; color: #1b1b1b; background: #fff; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1.5rem; }
caption { text-align: left; font-weight: 600; padding: .3rem 0; }
th, td { border: 1px solid #bbb; padding: .35rem .5rem; vertical-align: top; text-align: left;
  overflow-wrap: break-word; }
li, p { overflow-wrap: break-word; }
.notice { font-style: italic; }
thead th { background: #eef1f4; }
tbody th { font-weight: 600; background: #fafafa; }
.special { font-style: italic; }
.certainty, .cites { display: block; font-size: .85em; color: #444; }
.verdict { font-weight: 600; white-space: nowrap; }
.verdict-supported { color: #155724; } .verdict-partly-supported { color: #5c4a00; }
.verdict-misleading, .verdict-unsupported { color: #7a3d00; }
.verdict-contradicted { color: #8b1a1a; }
.disclaimer { border: 2px solid #8b1a1a; padding: .75rem 1rem; margin: 2rem 0; }
.warning { background: #fff4d6; padding: .5rem 1rem; }
footer { font-size: .85em; color: #555; }
@media print {
  body { font-size: 10pt; max-width: none; margin: 0; }
  a { color: inherit; text-decoration: none; }
  a[href^="http"]::after { content: " <" attr(href) ">"; font-size: .9em; word-break: break-all; }
  table { page-break-inside: auto; } tr { page-break-inside: avoid; }
  thead { display: table-header-group; }
}
"""


def text(value: str) -> str:
    """Escaped, inert text."""
    return escape(inert(value))


def cell_html(cell: Cell, options: Options) -> str:
    """A cell's contents: value or verdict, certainty and citations, each marked up."""
    if cell.verdict:
        name = cell.verdict.value
        label = text(verdict_label(cell.verdict, options.ascii))
        body = f'<span class="verdict verdict-{name}">{label}</span>'
    elif cell.special:
        body = f'<span class="special">{text(cell.text)}</span>'
    else:
        body = _linked(cell.text)
    if cell.certainty:
        body += (
            f'<span class="certainty">{text(certainty_label(cell.certainty, options.ascii))}</span>'
        )
    if cell.cites:
        links = ", ".join(f'<a href="#ref-{escape(key)}">{text(key)}</a>' for key in cell.cites)
        body += f'<span class="cites">[{links}]</span>'
    return body


def table_html(grid: Table, options: Options) -> str:
    """A table with caption, column headers and row headers."""
    head = "".join(f'<th scope="col">{text(column)}</th>' for column in grid.columns)
    rows = []
    for row in grid.rows:
        first, *rest = row
        cells = "".join(f"<td>{cell_html(cell, options)}</td>" for cell in rest)
        rows.append(f'<tr><th scope="row">{cell_html(first, options)}</th>{cells}</tr>')
    return (
        f"<table>\n<caption>{text(grid.title)}</caption>\n<thead><tr>{head}</tr></thead>\n"
        f"<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>"
    )


_URL = re.compile(r"https?://[!-~]+")  # printable ASCII only: nothing hidden in a link


def _linked(value: str) -> str:
    """Text, or clickable links when the text is nothing but web addresses (a Link column)."""
    words = value.split(" ")
    if all(_URL.fullmatch(word) for word in words):
        return " ".join(_link(word) for word in words)
    return text(value)


def _link(url: str) -> str:
    safe = url.startswith(("https://", "http://"))
    return f'<a href="{escape(url)}">{text(url)}</a>' if safe else text(url)


def reference_html(reference: Reference) -> str:
    """A bibliography entry with its links."""
    key = escape(reference.key)
    source = reference.source
    if source is None:
        return f'<li id="ref-{key}"><b>{text(reference.key)}</b>: not in the sources</li>'
    parts = [
        f"<cite>{text(source.title)}</cite>",
        text(source.publisher),
        text(str(source.year or "no date")),
    ]
    parts.append(text(source.type.value))
    parts.extend(_link(address) for address in source.links)
    return f'<li id="ref-{key}"><b>{text(reference.key)}</b>: ' + ". ".join(parts) + "</li>"


def render(document: Document, options: Options) -> str:
    """The whole page."""
    body = [f"<h1>{text(document.title)}</h1>", f'<p class="notice">{text(NOTICE)}</p>']
    body += [f'<p class="warning" role="status">{text(w)}</p>' for w in document.warnings]
    for section in document.sections:
        body.append(f"<section>\n<h2>{text(section.heading)}</h2>")
        body += [f"<p>{text(note)}</p>" for note in section.notes]
        body += [table_html(grid, options) for grid in section.tables]
        body.append("</section>")
    if document.references:
        items = "\n".join(reference_html(reference) for reference in document.references)
        body.append(f"<section>\n<h2>References</h2>\n<ol>\n{items}\n</ol>\n</section>")
    body.append(
        f'<aside class="disclaimer" role="note"><strong>Not medical advice.</strong> '
        f"{text(document.disclaimer)}</aside>"
    )
    envelope = options.envelope
    body.append(
        f"<footer>painopts {text(envelope.tool_version)}; knowledge file version "
        f"{text(envelope.version)}, last reviewed {text(envelope.last_reviewed)}; "
        f"sha256 {text(envelope.sha256)}</footer>"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{text(document.title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n"
        + "\n".join(body)
        + "\n</main>\n</body>\n</html>\n"
    )
