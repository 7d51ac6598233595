"""Every renderer, checked by a real parser of its format, against hostile text and golden files."""

from __future__ import annotations

import csv
import importlib
import io
import json
import re
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

import html5lib
import jsonschema
import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token
from tests.conftest import FIXTURES
from tests.render_support import (
    EVERYTHING,
    TERMINAL_CONTROLS,
    VIEWS,
    assert_golden,
    cells,
    documents,
    hostile,
    options,
    render,
    terminal,
    two,
)

from painopts.load import load
from painopts.model import KnowledgeBase, Value, Verdict
from painopts.render import MODULES, Format, renderer
from painopts.render.claimreview import RATINGS
from painopts.render.csv_format import guard
from painopts.render.text import (
    CERTAINTY_SYMBOLS,
    VERDICT_SYMBOLS,
    certainty_label,
    flat,
    inert,
    one_line,
    verdict_label,
)
from painopts.views.document import Cell, Document, Records, Section, Table

SCHEMA = json.loads((Path(__file__).parent.parent / "docs" / "output.schema.json").read_text())
KB = two()
HOSTILE_KB = hostile()
DOCS = documents(KB)
HOSTILE_DOCS = documents(HOSTILE_KB)
REVIEW_URL = "https://example.org/reviews/two"
OPTIONS = options(KB, review_url=REVIEW_URL, meta=KB.meta)
"""As the CLI builds them; ClaimReview needs the review's address and the reviewers."""
ASCII = options(KB, ascii=True)
TEXT_FORMATS = [fmt for fmt in Format if fmt is not Format.TABLE]


def tables(document: Document) -> list[Table]:
    return [table for section in document.sections for table in section.tables]


# --- registry ------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", list(Format))
def test_every_format_has_a_module_with_a_render_function(fmt: Format) -> None:
    module = importlib.import_module(MODULES[fmt])
    assert callable(module.render)
    assert renderer(fmt) is module.render


def test_registry_names_no_format_twice() -> None:
    assert set(MODULES) == set(Format)
    assert len(set(MODULES.values())) == len(MODULES)


# --- Markdown ------------------------------------------------------------------------------

MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])
ALLOWED_INLINE = {"text", "softbreak", "hardbreak"}


def markdown_tables(tokens: list[Token]) -> list[list[list[Token]]]:
    """Each table as rows of inline tokens (one per cell), header row first."""
    found: list[list[list[Token]]] = []
    inside = False
    for token in tokens:
        if token.type in ("table_open", "table_close"):
            inside = token.type == "table_open"
            found += [[]] if inside else []
        elif inside and token.type == "tr_open":
            found[-1].append([])
        elif inside and token.type == "inline":
            found[-1][-1].append(token)
    return found


def addresses_of(kb: KnowledgeBase) -> set[str]:
    return {address for source in kb.sources for address in source.links}


ADDRESSES = addresses_of(two())


def unlinked(children: list[Token]) -> list[Token]:
    """The tokens with each autolink to a source address replaced by its address as text."""
    out: list[Token] = []
    inside = False
    for child in children:
        if child.type == "link_open":
            assert child.markup == "autolink" and child.attrs["href"] in ADDRESSES, child
            out.append(Token("text", "", 0, content=str(child.attrs["href"])))
        inside = (inside or child.type == "link_open") and child.type != "link_close"
        if not inside and child.type != "link_close":
            out.append(child)
    return out


def inline_text(token: Token) -> str:
    """What a cell shows, a source address written as itself; no other markup allowed."""
    children = unlinked(token.children or [])
    assert {child.type for child in children} <= ALLOWED_INLINE, token.content
    return "".join(child.content for child in children)


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("kb", ["two", "hostile"])
def test_markdown_tables_have_the_views_shape_and_text(kb: str, view: str) -> None:
    document = (DOCS if kb == "two" else HOSTILE_DOCS)[view]
    found = markdown_tables(MARKDOWN.parse(render(Format.MARKDOWN, document, OPTIONS)))
    expected = tables(document)
    assert len(found) == len(expected)
    for grid, rows in zip(expected, found, strict=True):
        assert len(rows) == len(grid.rows) + 1
        assert [inline_text(cell) for cell in rows[0]] == [one_line(c) for c in grid.columns]
        for row, parsed in zip(grid.rows, rows[1:], strict=True):
            assert [inline_text(cell) for cell in parsed] == [flat(c, False) for c in row]


@pytest.mark.parametrize("view", VIEWS)
def test_markdown_hostile_text_is_inert(view: str) -> None:
    document = HOSTILE_DOCS[view]
    tokens = MARKDOWN.parse(render(Format.MARKDOWN, document, OPTIONS))
    children = [
        child
        for token in tokens
        if token.type == "inline"
        for child in unlinked(token.children or [])
    ]
    strong = [child for child in children if child.type == "strong_open"]
    assert len(strong) == 1, "only the disclaimer's own 'Not medical advice.' is bold"
    assert {child.type for child in children} <= ALLOWED_INLINE | {"strong_open", "strong_close"}
    blocks = {token.type for token in tokens}
    assert not blocks & {"html_block", "code_block", "fence", "hr", "bullet_list_open"}
    assert "ordered_list_open" not in blocks
    headings = [token for token in tokens if token.type == "heading_open"]
    assert len(headings) == 1 + len(document.sections) + (1 if document.references else 0)
    text = "".join(child.content for child in children)
    for piece in ("[citation needed]", "<script>alert(1)</script>", "*bold*", "`code`", "&amp;"):
        assert piece in text


@pytest.mark.parametrize(
    ("note", "shown"),
    [("1. item", "1. item"), ("12) x", "12) x"), ("- item", "- item"), ("# heading", "# heading")],
)
def test_markdown_notes_that_look_like_blocks_stay_paragraphs(note: str, shown: str) -> None:
    document = Document("x", "T", (Section("S", notes=(note,)),), (), "D")
    tokens = MARKDOWN.parse(render(Format.MARKDOWN, document, OPTIONS))
    paragraphs = [tokens[i + 1] for i, t in enumerate(tokens) if t.type == "paragraph_open"]
    assert inline_text(paragraphs[1]) == shown


# --- HTML ----------------------------------------------------------------------------------


def parse_html(text: str) -> Element:
    return html5lib.parse(text, namespaceHTMLElements=False)


def text_of(element: Element) -> str:
    return "".join(element.itertext())


def html_cell_text(cell: Cell, ascii: bool = False) -> str:
    """What a reader sees in a cell: value or verdict, certainty, then citation keys."""
    shown = verdict_label(cell.verdict, ascii) if cell.verdict else inert(cell.text)
    if cell.certainty:
        shown += certainty_label(cell.certainty, ascii)
    if cell.cites:
        shown += "[" + ", ".join(cell.cites) + "]"
    return shown


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("kb", ["two", "hostile"])
def test_html_tables_are_semantic_and_match_the_view(kb: str, view: str) -> None:
    document = (DOCS if kb == "two" else HOSTILE_DOCS)[view]
    page = parse_html(render(Format.HTML, document, OPTIONS))
    found = list(page.iter("table"))
    expected = tables(document)
    assert len(found) == len(expected)
    for grid, table in zip(expected, found, strict=True):
        caption = table.find("caption")
        assert caption is not None
        assert text_of(caption) == inert(grid.title)
        headers = table.findall("thead/tr/th")
        assert [th.get("scope") for th in headers] == ["col"] * len(grid.columns)
        assert [text_of(th) for th in headers] == [inert(c) for c in grid.columns]
        rows = table.findall("tbody/tr")
        assert len(rows) == len(grid.rows)
        for row, tr in zip(grid.rows, rows, strict=True):
            parsed = list(tr)
            assert parsed[0].tag == "th"
            assert parsed[0].get("scope") == "row"
            assert [td.tag for td in parsed[1:]] == ["td"] * (len(row) - 1)
            assert [text_of(cell) for cell in parsed] == [html_cell_text(cell) for cell in row]


@pytest.mark.parametrize("view", VIEWS)
def test_html_page_is_whole_and_hostile_text_stays_text(view: str) -> None:
    document = HOSTILE_DOCS[view]
    page = parse_html(render(Format.HTML, document, OPTIONS))
    assert page.get("lang") == "en"
    assert page.find("head/meta[@charset='utf-8']") is not None
    assert text_of(page.find("head/title")) == inert(document.title)
    assert list(page.iter("script")) == []
    assert not [e for e in page.iter() if any(name.startswith("on") for name in e.attrib)]
    hrefs = [a.get("href", "") for a in page.iter("a")]
    assert all(href.startswith(("#ref-", "https://", "http://")) for href in hrefs)
    disclaimer = page.find(".//aside[@class='disclaimer']")
    assert disclaimer is not None
    assert text_of(disclaimer) == f"Not medical advice. {inert(document.disclaimer)}"
    body = text_of(page.find("body"))
    for piece in ("<script>alert(1)</script>", "[citation needed]", "&amp;", "[bold red]x[/]"):
        assert piece in body


# --- CSV -----------------------------------------------------------------------------------


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def cell_in_csv(value: Value) -> str:
    """How CSV writes a value (the documented cell format): value, (certainty), [sources]."""
    parts = [value.value]
    if value.certainty:
        parts.append(f"({value.certainty.value} certainty)")
    if value.sources:
        parts.append(f"[{', '.join(value.sources)}]")
    return " ".join(parts)


def test_csv_compare_has_one_row_per_attribute_grouped() -> None:
    rows = csv_rows(render(Format.CSV, DOCS["compare"], OPTIONS))
    assert rows[0] == ["Section", "Attribute", "Alpha", "Beta"]
    headings = {"benefit": "Benefits", "harm": "Harms", "practical": "Practical matters"}
    expected = [
        [
            headings[group],
            attribute.label,
            *(cell_in_csv(t.attributes[attribute.id]) for t in KB.treatments),
        ]
        for group in headings
        for attribute in KB.attributes
        if attribute.group.value == group
    ]
    assert rows[1:] == expected
    assert rows[-1] == ["Practical matters", "Setting", "outpatient [src1]", "not assessed"]
    assert [
        "Benefits",
        "Evidence N",
        "low (low certainty) [src1]",
        "high (moderate certainty) [src2]",
    ] in rows


def test_csv_claims_are_one_row_each_with_bare_verdict_words() -> None:
    rows = csv_rows(render(Format.CSV, DOCS["claims"], OPTIONS))
    assert rows[0] == [
        "claim",
        "verdict",
        "article",
        "section",
        "topic",
        "attribute",
        "treatments",
        "quote",
        "paraphrase",
        "assessment",
        "sources",
    ]
    assert [(row[0], row[1]) for row in rows[1:]] == [  # worst verdict first
        ("beta-safe", "contradicted"),
        ("alpha-great", "partly-supported"),
        ("both-better", "supported"),
    ]


@pytest.mark.parametrize("view", ["list", "sources", "info"])
def test_csv_of_a_one_table_view_has_no_section_column(view: str) -> None:
    rows = csv_rows(render(Format.CSV, DOCS[view], OPTIONS))
    assert rows[0][0] != "Section"
    assert all(len(row) == len(rows[0]) for row in rows)


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("kb", ["two", "hostile"])
def test_csv_is_rectangular_and_free_of_symbols(kb: str, view: str) -> None:
    text = render(Format.CSV, (DOCS if kb == "two" else HOSTILE_DOCS)[view], OPTIONS)
    rows = csv_rows(text)
    assert not text or text.endswith("\r\n")
    assert len({len(row) for row in rows}) <= 1
    assert not [symbol for symbol in "✔◐⚠✘⊕◯" if symbol in text]


def test_csv_formula_guard_is_on_by_default() -> None:
    rows = csv_rows(render(Format.CSV, HOSTILE_DOCS["compare"], OPTIONS))
    every = [cell for row in rows for cell in row]
    assert not [cell for cell in every if cell.startswith(("=", "+", "-", "@"))]
    for start in ("'=HYPERLINK", "'+1", "'-2", "'@SUM"):
        assert any(cell.startswith(start) for cell in every), start
    assert any(cell.startswith("'=HYPERLINK") for cell in rows[0]), "header cells are guarded"


def test_csv_formula_guard_can_be_turned_off() -> None:
    document = HOSTILE_DOCS["compare"]
    guarded = csv_rows(render(Format.CSV, document, OPTIONS))
    rows = csv_rows(render(Format.CSV, document, options(KB, formula_guard=False)))
    every = [cell for row in rows for cell in row]
    assert any(cell.startswith('=HYPERLINK("http://x","y")') for cell in every)
    assert not any(cell.startswith("'") for cell in every)
    assert rows == [[cell.removeprefix("'") for cell in row] for row in guarded]


def test_csv_keeps_line_breaks_inside_a_cell() -> None:
    text = render(Format.CSV, HOSTILE_DOCS["compare"], OPTIONS)
    every = [cell for row in csv_rows(text) for cell in row]
    assert "line one\nline two [src1]" in every
    assert '"line one\nline two [src1]"' in text


def records_document(
    columns: tuple[str, ...], *rows: tuple[str | int | float | None, ...]
) -> Document:
    """A document whose CSV is the given records, as a view with records builds it."""
    return Document(
        kind="list",
        title="Records",
        sections=(),
        references=(),
        disclaimer="",
        records=Records(columns, tuple(rows)),
    )


@pytest.mark.parametrize(
    "start", ["=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20"]
)
def test_csv_guard_puts_an_apostrophe_before_every_formula_start(start: str) -> None:
    # docs/security.md: = + - @, their full-width forms, tab and CR (OWASP's CSV injection list).
    assert guard(start + "cmd|' /C calc'!A0") == "'" + start + "cmd|' /C calc'!A0"


@pytest.mark.parametrize("text", ["plain", " =1", "'=1", "1-2", "a=b", "\uff1e", ""])
def test_csv_guard_leaves_other_text_alone(text: str) -> None:
    assert guard(text) == text


def test_csv_cells_and_column_names_starting_a_formula_read_back_guarded() -> None:
    document = records_document(
        ("=name", "note"),
        ("\t=1+1", "\uff1dSUM(A1)"),
        ("@cmd", "-2"),
    )
    text = render(Format.CSV, document, OPTIONS)
    assert text == "'=name,note\r\n'=1+1,'\uff1dSUM(A1)\r\n'@cmd,'-2\r\n"


def test_csv_numbers_are_never_guarded_and_nothing_is_an_empty_cell() -> None:
    document = records_document(("id", "change", "n"), ("a", -15.79, None), ("b", -3, 12))
    rows = csv_rows(render(Format.CSV, document, OPTIONS))
    assert rows == [["id", "change", "n"], ["a", "-15.79", ""], ["b", "-3", "12"]]


def test_csv_guard_off_writes_formula_text_as_it_is() -> None:
    document = records_document(("=name",), ("@cmd",), ("\uff0b1",))
    text = render(Format.CSV, document, options(KB, formula_guard=False))
    assert text == "=name\r\n@cmd\r\n\uff0b1\r\n"


def test_csv_of_a_document_without_tables_or_records_is_empty() -> None:
    empty = Document(kind="list", title="Nothing", sections=(), references=(), disclaimer="")
    assert render(Format.CSV, empty, OPTIONS) == ""
    assert render(Format.CSV, records_document(()), OPTIONS) == ""


# --- JSON ----------------------------------------------------------------------------------

ENVELOPE_KEYS = [
    "schema_version",
    "tool",
    "knowledge_file",
    "kind",
    "title",
    "disclaimer",
    "data",
    "references",
    "warnings",
]


def test_output_schema_describes_every_property() -> None:
    jsonschema.Draft7Validator.check_schema(SCHEMA)
    undescribed = []

    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            for name, child in node.get("properties", {}).items():
                if "description" not in child:
                    undescribed.append(f"{where}.{name}")
            for key, child in node.items():
                walk(child, f"{where}.{key}")
        elif isinstance(node, list):
            for index, child in enumerate(node):
                walk(child, f"{where}[{index}]")

    walk(SCHEMA, "$")
    assert undescribed == []


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("kb", ["two", "hostile"])
def test_json_has_the_envelope_and_fits_the_schema(kb: str, view: str) -> None:
    document = (DOCS if kb == "two" else HOSTILE_DOCS)[view]
    out = json.loads(render(Format.JSON, document, OPTIONS))
    assert list(out) == ENVELOPE_KEYS
    assert out["tool"]["version"] == "0.0.0+test"
    assert out["knowledge_file"]["sha256"] == OPTIONS.envelope.sha256
    assert out["knowledge_file"]["version"] == "1.0.0"
    assert out["knowledge_file"]["last_reviewed"] == "2026-01-31"
    assert (out["kind"], out["title"], out["disclaimer"]) == (
        document.kind,
        document.title,
        document.disclaimer,
    )
    assert out["data"] == json.loads(json.dumps(document.data))
    assert list(out["references"]) == [reference.key for reference in document.references]
    validator = jsonschema.Draft7Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(out)]
    assert errors == []


def test_json_schema_rejects_a_wrong_shape() -> None:
    out = json.loads(render(Format.JSON, DOCS["compare"], OPTIONS))
    out["data"]["treatments"]["alpha"]["values"]["onset"]["certainty"] = "certain"
    assert not jsonschema.Draft7Validator(SCHEMA).is_valid(out)


@pytest.mark.parametrize(
    ("view", "path", "keys"),
    [
        ("compare", ("treatments",), ["alpha", "beta"]),
        ("compare", ("claims",), ["alpha-great", "beta-safe", "both-better"]),
        ("list", ("treatments",), ["alpha", "beta"]),
        ("show", ("treatment",), ["beta"]),
        ("claims", ("claims",), ["alpha-great", "beta-safe", "both-better"]),
        ("claims", ("articles",), ["blog"]),
        ("sources", ("sources",), ["src1", "src2"]),
        ("report", ("comparison", "treatments"), ["alpha", "beta"]),
    ],
)
def test_json_data_is_keyed_by_knowledge_file_ids(
    view: str, path: tuple[str, ...], keys: list[str]
) -> None:
    data = json.loads(render(Format.JSON, DOCS[view], OPTIONS))["data"]
    for key in path:
        data = data[key]
    assert list(data) == keys


def test_json_does_not_embed_an_absolute_path() -> None:
    out = render(Format.JSON, DOCS["compare"], OPTIONS)
    assert json.loads(out)["knowledge_file"]["path"] == "tests/fixtures/render/two.yaml"
    assert str(Path(__file__).parent) not in out


# --- ClaimReview ---------------------------------------------------------------------------


@pytest.mark.parametrize("kb", ["two", "hostile"])
def test_claimreview_is_a_list_of_reviews_with_verdicts(kb: str) -> None:
    document = (DOCS if kb == "two" else HOSTILE_DOCS)["claims"]
    reviews = json.loads(render(Format.CLAIMREVIEW, document, OPTIONS))
    assert isinstance(reviews, list)
    assert len(reviews) == len(document.claims) == 3
    for review, claim in zip(reviews, document.claims, strict=True):
        assert review["@context"] == "https://schema.org"
        assert review["@type"] == "ClaimReview"
        rating = review["reviewRating"]
        assert (rating["worstRating"], rating["bestRating"]) == (1, 5)
        assert 1 <= rating["ratingValue"] <= 5
        assert rating["alternateName"] == claim.verdict.value
        assert review["claimReviewed"] == claim.paraphrase
        assert review["reviewBody"] == claim.assessment
        assert review["datePublished"] == "2026-01-31"


def test_claimreview_ratings_order_the_verdicts() -> None:
    assert set(RATINGS) == set(Verdict)
    assert RATINGS[Verdict.SUPPORTED] == 5
    assert RATINGS[Verdict.CONTRADICTED] == 1
    assert len(set(RATINGS.values())) == len(Verdict)


def test_claimreview_cannot_close_the_script_element_it_is_pasted_in() -> None:
    text = render(Format.CLAIMREVIEW, HOSTILE_DOCS["claims"], OPTIONS)
    assert "</script" not in text.lower()
    assert "<script>alert(1)</script>" in json.loads(text)[0]["claimReviewed"]


# --- the terminal table (Rich) -------------------------------------------------------------

MARKUP = Document(
    kind="x",
    title="[citation needed] [bold red]x[/]",
    sections=(
        Section(
            "S",
            tables=(Table("T [b]t[/b]", ("A", "B"), ((Cell("[citation needed]"), Cell("ok")),)),),
            notes=("[bold red]x[/] :smile: [link=http://x]y[/link]",),
        ),
    ),
    references=(),
    disclaimer="[i]not[/i] advice",
)


def test_rich_shows_markup_as_written() -> None:
    out = terminal(MARKUP, OPTIONS)
    for piece in (
        "[citation needed] [bold red]x[/]",
        "│ [citation needed] │",
        "T [b]t[/b]",
        "[bold red]x[/] :smile: [link=http://x]y[/link]",
        "[i]not[/i] advice",
    ):
        assert piece in out


@pytest.mark.parametrize("view", VIEWS)
def test_rich_without_colour_writes_no_escape_codes(view: str) -> None:
    out = terminal(HOSTILE_DOCS[view], OPTIONS)
    assert "\x1b" not in out
    assert "[citation needed]" in terminal(HOSTILE_DOCS[view], OPTIONS, width=300)


UNICODE_SYMBOLS = {
    symbol
    for table in (VERDICT_SYMBOLS, CERTAINTY_SYMBOLS)
    for symbol, _ in table.values()
    if not symbol.isascii()
}


@pytest.mark.parametrize("view", VIEWS)
def test_ascii_option_gives_ascii_only(view: str) -> None:
    out = terminal(DOCS[view], ASCII)
    assert out.isascii()
    assert not [s for s in UNICODE_SYMBOLS if s in out]


def test_symbols_show_without_the_ascii_option() -> None:
    out = terminal(DOCS["compare"], OPTIONS, width=120)
    assert "⊕⊕◯◯ low certainty" in out
    assert "✘ contradicted" in out
    assert "╭" in out
    ascii_out = terminal(DOCS["compare"], ASCII, width=120)
    assert "++-- low certainty" in ascii_out
    assert "[x] contradicted" in ascii_out


@pytest.mark.parametrize("fmt", [Format.MARKDOWN, Format.HTML])
def test_ascii_option_reaches_every_text_format(fmt: Format) -> None:
    assert render(fmt, DOCS["claims"], ASCII).isascii()
    assert not render(fmt, DOCS["claims"], OPTIONS).isascii()


LONG_URL = (
    "https://example.org/a/very/long/path/that/must/never/be/cut/short/by/the/terminal/renderer"
)


def column(out: str, index: int) -> str:
    """One column of a Rich table drawn with │, its folded pieces joined."""
    pieces = [line.split("│") for line in out.splitlines() if line.count("│") > index]
    return "".join(piece[index].strip() for piece in pieces)


@pytest.mark.parametrize("width", [40, 60, 80])
def test_rich_never_cuts_a_url_or_citation(width: int) -> None:
    sources = terminal(DOCS["sources"], OPTIONS, width=width)
    assert "…" not in sources
    if "┬" in sources:
        assert LONG_URL in column(sources, 6)
    else:  # too narrow for six columns: stacked records, the address folded over lines
        assert LONG_URL in "".join(line.strip() for line in sources.splitlines())
    compared = terminal(DOCS["compare"], OPTIONS, width=width)
    assert "…" not in compared
    assert LONG_URL in "".join(line.strip() for line in compared.splitlines())
    assert set(re.findall(r"\bsrc\d\b", compared)) == {"src1", "src2"}  # keys whole


# --- plain ---------------------------------------------------------------------------------


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("kb", ["two", "hostile"])
def test_plain_is_one_header_and_one_record_a_line(kb: str, view: str) -> None:
    document = (DOCS if kb == "two" else HOSTILE_DOCS)[view]
    knowledge = KB if kb == "two" else HOSTILE_KB
    lines = render(Format.PLAIN, document, OPTIONS).splitlines()
    header = lines[0].split("\t")
    assert all(len(line.split("\t")) == len(header) for line in lines), "a ragged line"
    assert not [line for line in lines if line.startswith("#")], "comment lines"
    assert not [symbol for symbol in "✔◐⚠✘⊕◯" if symbol in "".join(lines)]
    records = {
        "list": len(knowledge.treatments),
        "show": len(knowledge.attributes),
        "claims": len(knowledge.claims),
        "sources": len(knowledge.sources),
        "info": 1,
    }
    if view in records:
        assert len(lines) == 1 + records[view]


# --- every format --------------------------------------------------------------------------


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("fmt", list(Format))
def test_no_terminal_control_reaches_any_output(fmt: Format, view: str) -> None:
    out = render(fmt, HOSTILE_DOCS[view], OPTIONS)
    assert [c for c in TERMINAL_CONTROLS if c in out] == []
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", out)


def test_the_hostile_fixture_really_is_hostile() -> None:
    texts = [cell.text for view in VIEWS for cell in cells(HOSTILE_DOCS[view])]
    assert all(any(c in text for text in texts) for c in TERMINAL_CONTROLS)
    assert HOSTILE_DOCS["show"].sections[0].notes[0] == EVERYTHING


# --- golden files --------------------------------------------------------------------------

GOLDENS = [
    ("compare", Format.TABLE, "compare.table.txt"),
    ("glance", Format.TABLE, "compare.compact.txt"),
    ("compare", Format.PLAIN, "compare.plain.txt"),
    ("compare", Format.MARKDOWN, "compare.md"),
    ("compare", Format.JSON, "compare.json"),
    ("compare", Format.CSV, "compare.csv"),
    ("compare", Format.HTML, "compare.html"),
    ("claims", Format.CLAIMREVIEW, "claims.claimreview.json"),
    ("claims", Format.TABLE, "claims.table.txt"),
    ("list", Format.PLAIN, "list.plain.txt"),
    ("show", Format.MARKDOWN, "show.md"),
    ("sources", Format.CSV, "sources.csv"),
    ("info", Format.JSON, "info.json"),
    ("report", Format.MARKDOWN, "report.md"),
    ("report", Format.HTML, "report.html"),
]


@pytest.mark.parametrize(("view", "fmt", "name"), GOLDENS)
def test_golden(view: str, fmt: Format, name: str) -> None:
    assert_golden(name, render(fmt, DOCS[view], OPTIONS, width=100))


def test_golden_review_of_an_audited_file() -> None:
    from painopts.views.audit import audit

    kb = load(FIXTURES / "audited.yaml").kb
    assert_golden("audit.review.json", render(Format.REVIEW, audit(kb), options(kb)))


def test_golden_yaml_draft_of_a_checked_article() -> None:
    from painopts.check import check
    from painopts.views.check import check_view

    kb = load(FIXTURES / "minimal.yaml").kb
    article = b"Alpha blocks a receptor in the brain.\n\nAlphazol is not addictive, a study found."
    document = check_view(kb, check(kb, article, "article.txt"), "article.txt")
    assert_golden("check.yaml", render(Format.YAML, document, options(kb)))


def test_goldens_cover_every_format() -> None:
    assert {fmt for _, fmt, _ in GOLDENS} | {Format.REVIEW, Format.YAML} == set(Format)
    assert {view for view, _, _ in GOLDENS} == set(VIEWS)


def test_html_link_column_is_clickable() -> None:
    page = parse_html(render(Format.HTML, DOCS["sources"], OPTIONS))
    cells = [td for td in page.iter("td") if td.find("a") is not None]
    assert LONG_URL in [td.find("a").get("href") for td in cells]


def test_addresses_are_terminal_hyperlinks_only_where_colour_is_on() -> None:
    import dataclasses

    coloured = terminal(DOCS["sources"], dataclasses.replace(OPTIONS, color=True), width=200)
    assert "\x1b]8;id=" in coloured or "\x1b]8;;" in coloured
    assert "https://example.org/test\x1b\\" in coloured  # the OSC 8 target, then ST
    assert "\x1b]8;" not in terminal(DOCS["sources"], OPTIONS, width=200)
