"""Arbitrary text through every renderer: it comes back out as text, intact or inert, never code.

Where a format cannot keep a character by design, the expected text is the documented
transformation: `inert` shows control characters as visible \\uXXXX escapes, `one_line` folds
whitespace, `flat` joins a cell's value, certainty and citations.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import unicodedata
from typing import Any
from urllib.parse import unquote

import html5lib
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from tests.render_support import options, render, two

from painopts.model import Certainty, Verdict
from painopts.render import Format
from painopts.render.text import (
    NOTICE,
    certainty_label,
    flat,
    inert,
    lines,
    one_line,
    verdict_label,
)
from painopts.views.document import Cell, Document, Section, Table

OPTIONS = options(two())
MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])
INVISIBLE = {"Cc", "Cf", "Zl", "Zp"}
"""Unicode categories no output may hold raw (but tab and newline): controls, format
characters (bidi marks, zero-width and other invisible characters), line separators."""


def unsafe(text: str) -> list[str]:
    """The characters of the text in INVISIBLE, by Python's own Unicode database."""
    return [c for c in text if c not in "\t\n" and unicodedata.category(c) in INVISIBLE]


SPREADSHEET_STARTS = "=+-@\t\r\uff1d\uff0b\uff0d\uff20"
"""First characters a spreadsheet may read as a formula: ASCII and full-width forms."""


def guarded(text: str) -> str:
    """The cell a formula guard must write (written here, not taken from the renderer)."""
    return "'" + text if text[:1] and text[0] in SPREADSHEET_STARTS else text


EXAMPLES = settings(max_examples=200, deadline=None)

TRICKY = st.sampled_from(
    [
        *"|\\`*_[]<>~&#!-+=@.):\n\t\r \x00\x0b\x0c\x1b\x7f\x85\x9b\xa0\u2028\u202e\u2066\ufeff",
        *"\u061c\u200b\u200d\xad\u2060\u180e\u2029\U000e0041\uff1d\uff0b\uff0d\uff20",
        "1.",
        "2)",
        "&amp;",
        "&#x41;",
        "<script>",
        "</td>",
        "[/]",
        "[b]",
        "http://x",
        "---",
        "    ",
        '"',
        "'",
        "\x1b[31m",
        "\x1b]8;;http://x\x07",
    ]
)
TEXT = st.one_of(
    st.text(), st.lists(st.one_of(TRICKY, st.text(max_size=3)), max_size=8).map("".join)
)
KEY = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_-]{0,6}", fullmatch=True)
CELL = st.builds(
    Cell,
    text=TEXT,
    certainty=st.none() | st.sampled_from(Certainty),
    verdict=st.none() | st.sampled_from(Verdict),
    cites=st.lists(KEY, max_size=2).map(tuple),
    special=st.booleans(),
)


@st.composite
def documents(draw: st.DrawFn) -> Document:
    """A document of one section: a note and a table of two columns and one to three rows."""
    rows = draw(st.lists(st.tuples(CELL, CELL), min_size=1, max_size=3))
    table = Table(draw(TEXT), (draw(TEXT), draw(TEXT)), tuple(rows))
    return Document(
        kind="compare",
        title=draw(TEXT),
        sections=(Section(draw(TEXT), tables=(table,), notes=(draw(TEXT),)),),
        references=(),
        disclaimer=draw(TEXT),
        data={"text": draw(TEXT), "keyed": {draw(TEXT): [draw(TEXT)]}},
        warnings=(draw(TEXT),),
    )


def grid(document: Document) -> Table:
    return document.sections[0].tables[0]


# --- Markdown ------------------------------------------------------------------------------


ADDRESS = re.compile(r"https?://[A-Za-z0-9.-]+(?::[0-9]+)?(?:[/?#][!-~]*)?")
"""A web address that Markdown writes as a link: a host, printable ASCII, no backslash."""


def markdown_cell(cell: Cell) -> str:
    """`flat`, except that a cell of nothing but addresses shows them as links (decoded)."""
    words = cell.text.split(" ")
    linked = all(ADDRESS.fullmatch(word) and "\\" not in word for word in words)
    if cell.verdict or cell.special or not cell.text or not linked:
        return flat(cell, False)
    rest = flat(dataclasses.replace(cell, text=""), False)
    return " ".join([unquote(word) for word in words] + ([rest] if rest else []))


def inline_text(token: Any) -> str:
    """Text tokens as written, and each autolink as its percent-decoded address."""
    shown: list[str] = []
    inside = False
    for child in token.children or []:
        if child.type == "link_open":
            assert child.markup == "autolink", token.content
            shown.append(unquote(child.attrs["href"]))
        elif not inside:
            assert child.type == "text", token.content
            shown.append(child.content)
        inside = child.type == "link_open" or (inside and child.type != "link_close")
    return "".join(shown)


@EXAMPLES
@given(documents())
def test_markdown_keeps_text_as_text(document: Document) -> None:
    tokens = MARKDOWN.parse(render(Format.MARKDOWN, document, OPTIONS))
    cells = [t for t in tokens if t.type == "inline" and t.level == 4]  # in th/td of a table
    table = grid(document)
    expected = [one_line(c) for c in table.columns] + [
        markdown_cell(cell) for row in table.rows for cell in row
    ]
    assert [inline_text(cell) for cell in cells] == expected
    assert [t.type for t in tokens].count("tr_open") == len(table.rows) + 1
    headings = [tokens[i + 1] for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert [inline_text(h) for h in headings] == [
        one_line(document.title),
        one_line(document.sections[0].heading),
    ]
    paragraphs = [tokens[i + 1] for i, t in enumerate(tokens) if t.type == "paragraph_open"]
    note = one_line(document.sections[0].notes[0])
    disclaimer = paragraphs[-1]
    assert inline_text(paragraphs[0]) == NOTICE
    legend = [inline_text(p) for p in paragraphs[1:-1] if inline_text(p).startswith("Legend: ")]
    assert len(legend) == int(uses_symbols(document))
    rest = [inline_text(p) for p in paragraphs[1:-1] if not inline_text(p).startswith("Legend: ")]
    assert rest == ([note] if note else [])
    kinds = [c.type for c in disclaimer.children or [] if c.content or c.type != "text"]
    assert kinds[:3] == ["strong_open", "text", "strong_close"]
    assert set(kinds[3:]) <= {"text"}
    shown = "".join(child.content for child in disclaimer.children or [])
    assert shown == f"Not medical advice. {one_line(document.disclaimer)}".rstrip()


def uses_symbols(document: Document) -> bool:
    """Whether a cell shows a verdict, a certainty or citation keys (a legend explains them)."""
    return any(
        cell.verdict or cell.certainty or cell.cites
        for section in document.sections
        for table in section.tables
        for row in table.rows
        for cell in row
    )


# --- HTML ----------------------------------------------------------------------------------


def text_of(element: Any) -> str:
    return "".join(element.itertext())


def html_cell_text(cell: Cell) -> str:
    shown = verdict_label(cell.verdict, False) if cell.verdict else inert(cell.text)
    if cell.certainty:
        shown += certainty_label(cell.certainty, False)
    if cell.cites:
        shown += "[" + ", ".join(cell.cites) + "]"
    return shown


@EXAMPLES
@given(documents())
def test_html_keeps_text_as_text(document: Document) -> None:
    page = html5lib.parse(render(Format.HTML, document, OPTIONS), namespaceHTMLElements=False)
    table = grid(document)
    assert text_of(page.find("head/title")) == inert(document.title)
    assert text_of(page.find(".//h1")) == inert(document.title)
    assert [text_of(h) for h in page.iter("h2")] == [inert(document.sections[0].heading)]
    (found,) = page.iter("table")
    assert text_of(found.find("caption")) == inert(table.title)
    assert [text_of(th) for th in found.findall("thead/tr/th")] == [inert(c) for c in table.columns]
    parsed = [[text_of(cell) for cell in tr] for tr in found.findall("tbody/tr")]
    assert parsed == [[html_cell_text(cell) for cell in row] for row in table.rows]
    notes = [text_of(p) for p in page.iter("p") if p.get("class") is None]
    assert notes == [inert(document.sections[0].notes[0])]
    warnings = [text_of(p) for p in page.iter("p") if p.get("class") == "warning"]
    assert warnings == [inert(w) for w in document.warnings]
    assert list(page.iter("script")) == []


# --- CSV -----------------------------------------------------------------------------------


def csv_cell(cell: Cell) -> str:
    """The documented CSV cell: the text (or the verdict word), (certainty), [sources]."""
    parts = [cell.verdict.value if cell.verdict else cell.text]
    if cell.certainty:
        parts.append(f"({cell.certainty.value} certainty)")
    if cell.cites:
        parts.append(f"[{', '.join(cell.cites)}]")
    return lines(" ".join(parts))  # each line folded to single spaces, as in every text format


@EXAMPLES
@given(documents(), st.booleans())
def test_csv_round_trips(document: Document, formula_guard: bool) -> None:
    protect = guarded if formula_guard else str
    opts = options(two(), formula_guard=formula_guard)
    text = render(Format.CSV, document, opts)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    table = grid(document)
    assert rows == [
        [protect(one_line(c)) for c in table.columns],  # one section: no Section column
        *([protect(csv_cell(cell)) for cell in row] for row in table.rows),
    ]
    if formula_guard:
        assert not [c for row in rows for c in row if c[:1] and c[0] in SPREADSHEET_STARTS]


@EXAMPLES
@given(TEXT)
def test_csv_keeps_the_line_breaks_of_a_cell(value: str) -> None:
    table = Table("T", ("A",), ((Cell(value),),))
    document = Document("x", "T", (Section("S", tables=(table,)),), (), "D")
    text = render(Format.CSV, document, options(two(), formula_guard=False))
    (_, (cell,)) = csv.reader(io.StringIO(text, newline=""))
    assert cell == lines(value)
    assert cell.count("\n") <= value.count("\n")
    assert [one_line(line) for line in cell.split("\n")] == cell.split("\n")


# --- JSON ----------------------------------------------------------------------------------


@EXAMPLES
@given(documents())
def test_json_round_trips_exactly(document: Document) -> None:
    out = json.loads(render(Format.JSON, document, OPTIONS))
    assert out["title"] == document.title
    assert out["disclaimer"] == document.disclaimer
    assert out["data"] == document.data
    assert out["warnings"] == list(document.warnings)


# --- plain ---------------------------------------------------------------------------------


@EXAMPLES
@given(documents())
def test_plain_is_one_field_a_cell_and_one_record_a_line(document: Document) -> None:
    text = render(Format.PLAIN, document, OPTIONS)
    table = grid(document)
    assert text.split("\n")[:-1] == text.splitlines()
    assert text.splitlines() == [
        "\t".join(one_line(c) for c in table.columns),
        *("\t".join(flat(cell, False, words=True) for cell in row) for row in table.rows),
    ]


# --- every format --------------------------------------------------------------------------


@EXAMPLES
@given(documents())
def test_no_control_character_reaches_any_format(document: Document) -> None:
    for fmt in Format:
        out = render(fmt, document, OPTIONS, width=80)
        if fmt is Format.CSV:
            out = out.replace("\r\n", "\n")  # RFC 4180's own record separator
        assert not unsafe(out), fmt
