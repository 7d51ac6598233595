"""An article's bytes as text in blocks (paragraphs and headings), with what its page says of it.

Plain text is kept as read, so offsets point into it; Markdown and HTML become their text.
HTML is read with the standard library's parser (never a regular expression over markup):
the ``<article>`` or ``<main>`` element when there is one, without scripts, styles,
navigation, asides, footers, forms or elements named like menus, banners and adverts.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping
from dataclasses import field

from painopts.model import record

MAX_BYTES = 10_000_000
"""The largest article read; a bigger input is refused with a clear error."""
TOO_LARGE = (
    f"the input is larger than {MAX_BYTES:,} bytes (10 MB), the most painopts check reads; "
    "for a web page that is the whole page, markup and scripts included: save the article's "
    "text and check that"
)
"""The error for an input over the limit: only its first bytes past the limit were read, so
it says 'larger than', not how large."""
MAX_CHARACTERS = 1_000_000
"""The longest article text (after HTML is read) that is checked."""

KINDS = ("text", "markdown", "html")


class ArticleError(ValueError):
    """The article cannot be read: binary, too large, or not in a known encoding."""


@record
class Block:
    """A paragraph, list item or heading: a span of the page's text."""

    start: int
    end: int
    heading: bool = False
    item: bool = False
    """A list item (after a marker such as '-', '*', '1.' or in an HTML list)."""


@record
class Page:
    """An article as text in blocks, the kind it was read as, and its metadata."""

    text: str
    blocks: tuple[Block, ...]
    kind: str
    metadata: Mapping[str, str] = field(default_factory=dict)


def read(raw: bytes, name: str = "-", kind: str | None = None) -> Page:
    """The article in ``raw``: its kind from ``kind``, else the name's suffix, else its content."""
    text = decode(raw)
    chosen = kind or sniff(text, name)
    if chosen == "html":
        from painopts.check.html import read_html

        text, blocks, metadata = read_html(text)
        page = Page(text, blocks, "html", metadata)
    elif chosen == "markdown":
        page = _markdown(text)
    else:
        page = Page(text, tuple(text_blocks(text)), "text")
    if len(page.text) > MAX_CHARACTERS:
        raise ArticleError(
            f"the article's text has {len(page.text):,} characters; "
            f"painopts check reads up to {MAX_CHARACTERS:,}"
        )
    return page


_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]"
)


def decode(raw: bytes) -> str:
    """The bytes as text (UTF-8, or UTF-16 with its byte-order mark), control characters blanked.

    Blanking keeps every other character where it was, so offsets still point into the input.
    """
    if len(raw) > MAX_BYTES:
        raise ArticleError(TOO_LARGE)
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _decode(raw, "utf-16")
    else:
        if b"\x00" in raw[:8192]:
            raise ArticleError("the article looks like a binary file, not text")
        text = _decode(raw, "utf-8-sig")
    blanked = _CONTROL.sub(" ", text)
    if len(_CONTROL.findall(text)) > max(16, len(text) // 20):
        raise ArticleError("the article looks like a binary file, not text")
    return blanked


def _decode(raw: bytes, encoding: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as error:
        raise ArticleError(
            f"the article is not {encoding.upper().removesuffix('-SIG')} text (byte "
            f"{error.start}); convert it first, e.g. iconv -f LATIN1 -t UTF-8"
        ) from None


def sniff(text: str, name: str) -> str:
    """The kind of an article: by its file name's suffix, else by how it begins."""
    suffix = name.rsplit(".", 1)[-1].casefold() if "." in name else ""
    if suffix in SUFFIXES:
        return SUFFIXES[suffix]
    head = text[:4096].lstrip().casefold()
    if head.startswith(HTML_STARTS) or any(tag in head for tag in HTML_TAGS):
        return "html"
    return "markdown" if re.search(r"(?m)^#{1,6} \S|\]\(https?://", text[:4096]) else "text"


SUFFIXES = {"html": "html", "htm": "html", "xhtml": "html", "md": "markdown", "txt": "text"}
SUFFIXES["markdown"] = "markdown"
HTML_STARTS = ("<!doctype html", "<html", "<head", "<body", "<article", "<?xml")
HTML_TAGS = ("<p>", "<div", "<body", "</a>", "<br")


_TERMINAL = tuple('.!?:;"\u201d\u2019)')


def text_blocks(text: str, offset: int = 0) -> list[Block]:
    """Plain text as blocks (paragraphs, list items, headings).

    Blank lines end a block; so does a line break after a line that ends a sentence or is
    short, and one before a list item. Wrapped lines of one paragraph stay one block. A short
    line without a final stop is a heading.
    """
    blocks: list[Block] = []
    start = end = -1
    position = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        line_start = position + (len(line) - len(line.lstrip()))
        position += len(line)
        if not stripped:
            start = _close(blocks, text, start, end, offset)
            continue
        if start >= 0 and _breaks(text[start:end], stripped):
            start = _close(blocks, text, start, end, offset)
        if start < 0:
            start = line_start
        end = line_start + len(stripped)
    _close(blocks, text, start, end, offset)
    return blocks


def _breaks(previous: str, line: str) -> bool:
    last_line = previous.rsplit("\n", 1)[-1].strip()
    if last_line.endswith(_TERMINAL) or len(last_line) < 60:
        return True
    return bool(_MARKER.match(line))


_MARKER = re.compile(r"(?:[-*\u2022]|\d+[.)])\s")


def _close(blocks: list[Block], text: str, start: int, end: int, offset: int) -> int:
    if start >= 0:
        words = text[start:end].split()
        capitals = sum(1 for word in words if word[:1].isupper())
        item = bool(_MARKER.match(text, start))
        heading = (
            not item
            and not text[start:end].rstrip().endswith(_TERMINAL)
            and (len(words) <= 14 or capitals >= 0.6 * len(words))
        )
        blocks.append(Block(start + offset, end + offset, heading, item))
    return -1


_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)")
_EMPHASIS = re.compile(r"(\*\*|__|\*|`)")
_LIST = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


def _markdown(source: str) -> Page:
    """Markdown as its text: headings marked, list markers, emphasis and link targets dropped."""
    lines: list[str] = []
    headings: set[int] = set()
    items: set[int] = set()
    fenced = False
    position = 0
    for raw in source.splitlines():
        if raw.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        kept, heading = ("", False) if fenced else _markdown_line(raw)
        if heading:
            headings.add(position)
        if _LIST.match(raw) and not fenced:
            items.add(position + 1)
        for each in ("", kept, "") if heading or _LIST.match(raw) else (kept,):
            lines.append(each)
            position += len(each) + 1
    text = "\n".join(lines)
    blocks = (
        Block(block.start, block.end, block.start in headings, block.start in items)
        if block.start in items
        else Block(block.start, block.end, block.heading or block.start in headings)
        for block in text_blocks(text)
    )
    return Page(text, tuple(blocks), "markdown")


def _markdown_line(raw: str) -> tuple[str, bool]:
    """One line of Markdown as text, and whether it is a heading."""
    line = raw.strip()
    if line.startswith(("```", "~~~", "<", "|")):
        return "", False
    line = line.removeprefix(">").strip()
    heading = re.match(r"#{1,6}\s+", line)
    if heading:
        line = line[heading.end() :].rstrip("# ")
    line = _LIST.sub("", line)
    return _EMPHASIS.sub("", _LINK.sub(r"\1", line)), heading is not None
