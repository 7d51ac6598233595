"""One self-contained HTML page: semantic tables, escaped text, print styles, the disclaimer."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from html import escape
from types import MappingProxyType
from urllib.parse import quote

from painopts.render import Options
from painopts.render.text import (
    NOTICE,
    certainty_label,
    inert,
    is_address,
    legend,
    rated,
    verdict_label,
)
from painopts.views.document import Cell, Document, Reference, Table

STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; max-width: 72rem; margin: 2rem auto;
  padding: 0 1rem; color: #1b1b1b; background: #fff; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
h1, h2 { overflow-wrap: anywhere; }
.scroll { overflow-x: auto; max-width: 100%; margin: .5rem 0 1.5rem; }
.scroll:focus { outline: 2px solid #3b6fb6; }
table { border-collapse: collapse; width: 100%; }
td { min-width: 9rem; } td:has(> .verdict), td:has(> .id), td:has(> .rating) { min-width: 0; }
th.links { min-width: 16rem; }
caption { text-align: left; font-weight: 600; padding: .3rem 0; }
th, td { border: 1px solid #bbb; padding: .35rem .5rem; vertical-align: top; text-align: left;
  overflow-wrap: break-word; }
li, p { overflow-wrap: break-word; }
a { overflow-wrap: anywhere; }
:target { outline: 2px solid #3b6fb6; background: #eef4fc; }
.notice { font-style: italic; }
thead th { background: #eef1f4; }
tbody th { font-weight: 600; background: #fafafa; }
.special { font-style: italic; }
.certainty, .cites { display: block; font-size: .85em; color: #444; }
.verdict { font-weight: 600; white-space: nowrap; }
.id { white-space: nowrap; }
.verdict-supported { color: #155724; } .verdict-partly-supported { color: #5c4a00; }
.verdict-misleading, .verdict-unsupported { color: #7a3d00; }
.verdict-contradicted { color: #8b1a1a; }
.disclaimer { border: 2px solid #8b1a1a; padding: .75rem 1rem; margin: 2rem 0; }
.warning { background: #fff4d6; padding: .5rem 1rem; }
footer { font-size: .85em; color: #555; overflow-wrap: anywhere; }
@media print {
  @page { margin: 15mm 12mm; }
  body { font-size: 9.5pt; max-width: none; margin: 0; padding: 0; }
  a { color: inherit; text-decoration: none; }
  .scroll { overflow: visible; }
  td, th.links { min-width: 0; }
  table { table-layout: auto; width: 100%; page-break-inside: auto; }
  th, td { padding: .2rem .3rem; }
  .verdict, .id { white-space: normal; }
  tr { page-break-inside: avoid; break-inside: avoid; }
  thead { display: table-header-group; }
  :target { outline: none; background: none; }
}
"""


def text(value: str) -> str:
    """Escaped, inert text."""
    return escape(inert(value))


def anchor(key: str) -> str:
    """The id of a citation key's entry on the page (its bibliography item or source row)."""
    return f"ref-{key}"


def _cite(key: str, targets: Collection[str]) -> str:
    """A citation key: a link to its entry when the page has one, plain text otherwise."""
    if key not in targets:
        return text(key)
    return f'<a href="#{escape(fragment(anchor(key)))}">{text(key)}</a>'


def fragment(name: str) -> str:
    """An element id as a URL fragment (after the ``#``), percent-encoded where it must be."""
    return quote(name, safe=_FRAGMENT_SAFE)


_FRAGMENT_SAFE = "-._~!$&'()*+,;=:@/?"
"""Characters a URL fragment keeps as they are; anything else is percent-encoded."""


def cell_html(cell: Cell, options: Options, targets: Collection[str] = frozenset()) -> str:
    """A cell's contents: value or verdict, certainty and citations, each marked up."""
    body = _body(cell, options)
    if cell.certainty:
        body += (
            f'<span class="certainty">{text(certainty_label(cell.certainty, options.ascii))}</span>'
        )
    if cell.cites:
        links = ", ".join(_cite(key, targets) for key in cell.cites)
        body += f'<span class="cites">[{links}]</span>'
    return body


def _body(cell: Cell, options: Options) -> str:
    """The cell's own text: a verdict, a special value, a rating, ids (kept whole) or text."""
    if cell.verdict:
        name = cell.verdict.value
        label = text(verdict_label(cell.verdict, options.ascii))
        return f'<span class="verdict verdict-{name}">{label}</span>'
    if cell.special:
        return f'<span class="special">{text(cell.text)}</span>'
    if cell.rating:
        return f'<span class="rating">{text(rated(cell, options.ascii))}</span>'
    if cell.unbreakable:
        return "<br>".join(
            f'<span class="id">{text(line)}</span>' for line in cell.text.split("\n")
        )
    return _linked(cell.text)


def table_html(
    grid: Table,
    options: Options,
    targets: Collection[str] = frozenset(),
    row_ids: Mapping[int, str] = MappingProxyType({}),
) -> str:
    """A table with caption, column and row headers; rows in `row_ids` are entries of keys.

    In an anchored table, each row's id on the page is its first cell (a claim's ``#claim-id``).
    """
    links = [
        bool(grid.rows) and all(_only_urls(row[number].text) for row in grid.rows)
        for number in range(len(grid.columns))
    ]
    marks = [' class="links"' if link else "" for link in links]
    head = "".join(
        f'<th scope="col"{mark}>{text(column)}</th>'
        for column, mark in zip(grid.columns, marks, strict=True)
    )
    rows = []
    for number, row in enumerate(grid.rows):
        first, *rest = row
        cells = "".join(f"<td>{cell_html(cell, options, targets)}</td>" for cell in rest)
        named = anchor(row_ids[number]) if number in row_ids else grid.anchored and first.text
        name = f' id="{escape(named)}"' if named else ""
        header = cell_html(first, options, targets)
        rows.append(f'<tr{name}><th scope="row">{header}</th>{cells}</tr>')
    return (
        f'<div class="scroll" role="region" aria-label="{text(grid.title)}" tabindex="0">\n'
        f"<table>\n<caption>{text(grid.title)}</caption>\n<thead><tr>{head}</tr></thead>\n"
        f"<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>\n</div>"
    )


def source_rows(document: Document) -> dict[tuple[int, int], dict[int, str]]:
    """Rows that are the entry of a cited key the references do not list (a report's Sources).

    Such a row is headed by the key and cites nothing itself; the first one found is the entry.
    The answer maps (section, table) to {row number: key}.
    """
    tables = {
        (s, t): grid
        for s, section in enumerate(document.sections)
        for t, grid in enumerate(section.tables)
    }
    cited = {key for grid in tables.values() for row in grid.rows for c in row for key in c.cites}
    missing = cited - {reference.key for reference in document.references}
    found: dict[tuple[int, int], dict[int, str]] = {}
    for place, grid in tables.items():
        for number, row in enumerate(grid.rows):
            key = row[0].text
            if key in missing and not any(cell.cites for cell in row):
                found.setdefault(place, {})[number] = key
                missing.discard(key)
    return found


def _linked(value: str) -> str:
    """Text, or clickable links when the text is nothing but web addresses (a Link column)."""
    if _only_urls(value):
        return " ".join(_link(word) for word in value.split(" "))
    return text(value)


def _only_urls(value: str) -> bool:
    return all(is_address(word) for word in value.split(" "))


def _link(url: str) -> str:
    """A link when the address passes the link policy (`is_address`), inert text otherwise."""
    return f'<a href="{escape(url)}">{text(url)}</a>' if is_address(url) else text(url)


def reference_html(reference: Reference) -> str:
    """A bibliography entry with its links."""
    key = escape(anchor(reference.key))
    source = reference.source
    if source is None:
        return f'<li id="{key}"><b>{text(reference.key)}</b>: not in the sources</li>'
    parts = [
        f"<cite>{text(source.title)}</cite>",
        text(source.publisher),
        text(str(source.year or "no date")),
    ]
    parts.append(text(source.type.value))
    parts.extend(_link(address) for address in source.links)
    return f'<li id="{key}"><b>{text(reference.key)}</b>: ' + ". ".join(parts) + "</li>"


def render(document: Document, options: Options) -> str:
    """The whole page."""
    body = [f"<h1>{text(document.title)}</h1>", f'<p class="notice">{text(NOTICE)}</p>']
    body += [f'<p class="warning" role="status">{text(w)}</p>' for w in document.warnings]
    rows = source_rows(document)
    targets = {reference.key for reference in document.references}
    targets |= {key for keys in rows.values() for key in keys.values()}
    for s, section in enumerate(document.sections):
        body.append(f"<section>\n<h2>{text(section.heading)}</h2>")
        body += [f"<p>{text(note)}</p>" for note in section.notes]
        body += [
            table_html(grid, options, targets, rows.get((s, t), {}))
            for t, grid in enumerate(section.tables)
        ]
        body.append("</section>")
    explained = legend(document, options.ascii)
    if explained:
        body.append(f'<p class="legend">{text(explained)}</p>')
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
