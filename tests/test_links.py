"""Links in HTML and Markdown outputs work in real clients: anchors resolve, URLs stay whole.

HTML pages are parsed with html5lib and every internal ``href="#..."`` is resolved the way a
browser does (the fragment as written, or percent-decoded). Markdown is parsed with
markdown-it-py as a GFM renderer would, and every source address of the knowledge file that
the text mentions must come out as a link to exactly that address.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import unquote
from xml.etree.ElementTree import Element

import html5lib
import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token
from tests.render_support import VIEWS, documents, hostile, options, render, two

from painopts.load import bundled_path, load
from painopts.render import Format
from painopts.views.document import Document

KB = two()
DOCS = {"two": documents(KB), "hostile": documents(hostile())}
OPTIONS = options(KB)
BUNDLED = load(bundled_path()).kb

COMMANDS = [
    ("report",),
    ("compare", "ketamine", "opioids"),
    ("compare", "ketamine", "opioids", "gabapentinoids", "snris", "exercise"),
    ("show", "ketamine"),
    ("show", "opioids"),
    ("claims",),
    ("claims", "--verdict", "contradicted"),
    ("sources", "--cited-by", "ketamine"),
    ("sources",),
    ("info",),
]
"""Every display command on the bundled knowledge file (claimreview has no links)."""


# --- HTML ----------------------------------------------------------------------------------


def page(text: str) -> Element:
    return html5lib.parse(text, namespaceHTMLElements=False)


def text_of(element: Element) -> str:
    return "".join(element.itertext())


def ids(root: Element) -> dict[str, Element]:
    found: dict[str, Element] = {}
    for element in root.iter():
        name = element.get("id")
        if name is not None:
            assert name not in found, f"id {name!r} twice"
            found[name] = element
    return found


def internal_links(root: Element) -> Iterator[tuple[Element, str]]:
    for a in root.iter("a"):
        href = a.get("href", "")
        if href.startswith("#"):
            yield a, href[1:]


def target(targets: dict[str, Element], fragment: str) -> Element | None:
    """The element a browser scrolls to: the id equal to the fragment, or to it decoded."""
    return targets.get(fragment, targets.get(unquote(fragment)))


def assert_links_resolve(text: str) -> int:
    """Every internal link has its target, and the target is the entry of the cited key."""
    root = page(text)
    targets = ids(root)
    count = 0
    for a, fragment in internal_links(root):
        found = target(targets, fragment)
        assert found is not None, f"dangling link #{fragment}"
        key = text_of(a)
        entry = found.find("th") if found.tag == "tr" else found.find("b")
        assert entry is not None, f"#{fragment} is a {found.tag} with no key"
        assert text_of(entry) == key
        count += 1
    return count


def cited_keys(root: Element) -> list[str]:
    """The keys inside every ``[...]`` citation group, as a reader sees them."""
    keys = []
    for span in root.iter("span"):
        if span.get("class") == "cites":
            shown = text_of(span)
            assert shown.startswith("[") and shown.endswith("]")
            keys += shown[1:-1].split(", ")
    return keys


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("kb", ["two", "hostile"])
def test_html_internal_links_resolve_in_every_view(kb: str, view: str) -> None:
    assert_links_resolve(render(Format.HTML, DOCS[kb][view], OPTIONS))


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_html_of_the_bundled_file_has_no_dangling_link(cli, args: tuple[str, ...]) -> None:
    result = cli(*args, "-f", "html")
    assert result.code == 0, result.err
    root = page(result.out)
    links = assert_links_resolve(result.out)
    keys = cited_keys(root)
    assert links == len(keys), "every citation shown is a working link"


def test_the_reports_citations_are_links_to_its_sources_table(cli) -> None:
    root = page(cli("report", "-f", "html").out)
    links = list(internal_links(root))
    assert len(links) > 100
    targets = ids(root)
    rows = {target(targets, fragment) for _, fragment in links}
    assert {row.tag for row in rows if row is not None} == {"tr"}
    sources_table = [t for t in root.iter("table") if text_of(t.find("caption")) == "Sources"]
    assert len(sources_table) == 1
    assert rows <= set(sources_table[0].iter("tr"))
    shown = [text_of(a) for a, _ in links]
    assert set(shown) <= {source.id for source in BUNDLED.sources}


def test_a_citation_with_no_entry_on_the_page_is_text_not_a_dead_link() -> None:
    from painopts.views.document import Cell, Section, Table

    grid = Table("T", ("A", "B"), ((Cell("x"), Cell("y", cites=("S1", "S 2"))),))
    document = Document("x", "T", (Section("S", tables=(grid,)),), (), "D")
    root = page(render(Format.HTML, document, OPTIONS))
    assert list(internal_links(root)) == []
    assert cited_keys(root) == ["S1", "S 2"]


def test_a_key_that_needs_encoding_still_reaches_its_entry() -> None:
    from painopts.views.document import Cell, Section, Table

    cites = Table("C", ("A", "B"), ((Cell("x"), Cell("y", cites=("S 2", "S&3"))),))
    rows = ((Cell("S 2"), Cell("two")), (Cell("S&3"), Cell("three")))
    sources = Table("Sources", ("Id", "Title"), rows)
    document = Document("x", "T", (Section("S", tables=(cites, sources)),), (), "D")
    assert assert_links_resolve(render(Format.HTML, document, OPTIONS)) == 2


def test_print_styles_wrap_urls_and_do_not_repeat_them() -> None:
    root = page(render(Format.HTML, DOCS["two"]["sources"], OPTIONS))
    style = text_of(root.find("head/style"))
    assert "overflow-wrap: anywhere" in style
    assert "attr(href)" not in style, "a link's text is already its address"
    assert "px" not in style.split("@media print", 1)[1], "nothing fixed-width in print"


# --- Markdown ------------------------------------------------------------------------------

MARKDOWN = MarkdownIt("commonmark").enable("table")
"""CommonMark with GFM tables: autolinks and link syntax are CommonMark itself."""
ADDRESSES = {address for source in BUNDLED.sources for address in source.links}


def hrefs(text: str) -> list[str]:
    return [
        str(child.attrs["href"])
        for token in MARKDOWN.parse(text)
        if token.type == "inline"
        for child in token.children or []
        if child.type == "link_open"
    ]


def shown_sources(cli, args: tuple[str, ...]) -> set[str]:
    """Ids of the sources an output lists, read from the same command's JSON."""
    out = json.loads(cli(*args, "-f", "json").out)
    return set(out["references"]) | set(out["data"].get("sources", {}))


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_markdown_links_every_source_address_exactly(cli, args: tuple[str, ...]) -> None:
    result = cli(*args, "-f", "markdown")
    assert result.code == 0, result.err
    found = hrefs(result.out)
    assert set(found) <= ADDRESSES, "a link that is not a source address"
    expected = {
        address
        for source_id in shown_sources(cli, args)
        for address in BUNDLED.source(source_id).links  # type: ignore[union-attr]
    }
    assert expected <= set(found)
    if args[0] not in ("info",):
        assert expected, "the output lists sources"


def test_markdown_keeps_the_addresses_that_escaping_used_to_break(cli) -> None:
    found = set(hrefs(cli("sources", "-f", "markdown").out))
    tricky = {address for address in ADDRESSES if "_" in address or "&" in address}
    assert len(tricky) >= 6
    assert tricky <= found


def link_cell_document(*addresses: str) -> Document:
    from painopts.views.document import Cell, Section, Table

    rows = tuple((Cell(f"S{n}"), Cell(address)) for n, address in enumerate(addresses))
    grid = Table("Sources", ("Id", "Link"), rows)
    return Document("sources", "T", (Section("S", tables=(grid,)),), (), "D")


def table_cells(text: str) -> list[list[Token]]:
    rows: list[list[Token]] = []
    inside = False
    for token in MARKDOWN.parse(text):
        if token.type in ("table_open", "table_close"):
            inside = token.type == "table_open"
        elif inside and token.type == "tr_open":
            rows.append([])
        elif inside and token.type == "inline":
            rows[-1].append(token)
    return rows


def test_an_address_with_table_or_autolink_syntax_stays_one_cell_and_one_link() -> None:
    address = "https://example.org/a_b?x=1&y=<2>|3*4[5]"
    text = render(Format.MARKDOWN, link_cell_document(address), OPTIONS)
    rows = table_cells(text)
    assert [len(row) for row in rows] == [2, 2]
    assert hrefs(text) == ["https://example.org/a_b?x=1&y=%3C2%3E%7C3*4%5B5%5D"]


def test_text_around_an_address_stays_escaped_text() -> None:
    text = render(Format.MARKDOWN, link_cell_document("see https://x.org/_a_ | *b*"), OPTIONS)
    assert hrefs(text) == []
    rows = table_cells(text)
    assert [len(row) for row in rows] == [2, 2]
    children = rows[1][1].children or []
    assert [child.type for child in children] == ["text"]
    assert children[0].content == "see https://x.org/_a_ | *b*"
