"""An HTML page's main text in blocks, and its author, dates and publisher, read with a parser.

The standard library's ``html.parser`` reads the page as a stream of tags, so deep nesting
costs no recursion; an end tag closes the nearest open element of its name among the last
``SEARCH`` open ones (a stray end tag is ignored), which keeps malformed pages linear.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from html.parser import HTMLParser
from typing import Any

from painopts.check.reading import MAX_CHARACTERS, ArticleError, Block

SKIPPED = frozenset(
    [
        "script",
        "style",
        "noscript",
        "nav",
        "aside",
        "footer",
        "form",
        "button",
        "select",
        "option",
        "textarea",
        "svg",
        "iframe",
        "template",
        "canvas",
        "object",
        "embed",
        "dialog",
        "menu",
    ]
)
"""Elements whose text is never the article's."""
BOILERPLATE = frozenset(
    [
        "nav",
        "navbar",
        "navigation",
        "menu",
        "footer",
        "sidebar",
        "cookie",
        "cookies",
        "banner",
        "share",
        "sharing",
        "social",
        "comments",
        "comment",
        "related",
        "breadcrumb",
        "breadcrumbs",
        "subscribe",
        "newsletter",
        "advert",
        "advertisement",
        "ad",
        "ads",
        "promo",
        "popup",
        "modal",
        "skip",
        "widget",
    ]
)
"""Words of a class or id that mark an element as page furniture, not the article."""
ROLES = frozenset(
    ["navigation", "banner", "contentinfo", "complementary", "search", "dialog", "menu"]
)
BLOCKS = frozenset(
    [
        "p",
        "div",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "br",
        "tr",
        "td",
        "th",
        "table",
        "section",
        "article",
        "main",
        "header",
        "blockquote",
        "dd",
        "dt",
        "dl",
        "figcaption",
        "pre",
        "hr",
        "address",
        "summary",
        "details",
    ]
)
HEADINGS = frozenset(["h1", "h2", "h3", "h4", "h5", "h6"])
VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
        "param",
    ]
)
CONTENT = frozenset({"article", "main"})
SEARCH = 64
META_NAMES = {
    "author": "author",
    "article:author": "author",
    "dc.creator": "author",
    "citation_author": "author",
    "article:published_time": "published",
    "datepublished": "published",
    "date": "published",
    "dc.date": "published",
    "citation_publication_date": "published",
    "article:modified_time": "modified",
    "datemodified": "modified",
    "last-modified": "modified",
    "og:site_name": "publisher",
    "publisher": "publisher",
    "og:title": "title",
}
MIN_CONTENT = 200
"""Characters an <article> or <main> must hold to be taken as the article."""


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, bool, bool, bool]] = []  # tag, skipped, content, byline
        self.parts: dict[bool, list[tuple[str, bool, bool]]] = {True: [], False: []}
        self.current: list[str] = []
        self.metadata: dict[str, str] = {}
        self.json_ld: list[str] = []
        self.title: list[str] = []
        self.byline: list[str] = []
        self.in_json_ld = False
        self.length = 0

    @property
    def skipped(self) -> bool:
        return bool(self.open) and self.open[-1][1]

    @property
    def content(self) -> bool:
        return bool(self.open) and self.open[-1][2]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "meta":
            self._meta(values)
        elif tag == "time" and values.get("datetime"):
            self.metadata.setdefault("time", values["datetime"][:40])
        if tag in BLOCKS:
            self._flush()
        if tag in VOID:
            return
        skipped = self.skipped or tag in SKIPPED or _furniture(values)
        if tag == "script" and values.get("type", "").casefold() == "application/ld+json":
            self.json_ld.append("")
            self.in_json_ld = True
        byline = bool(_names(values) & {"author", "byline"})
        if byline and (not self.open or not self.open[-1][3]):
            self.byline.append("")
        byline = byline or (bool(self.open) and self.open[-1][3])
        self.open.append((tag, skipped, self.content or tag in CONTENT, byline))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.in_json_ld = False
        for depth in range(len(self.open) - 1, max(len(self.open) - SEARCH, 0) - 1, -1):
            if self.open[depth][0] == tag:
                if tag in BLOCKS:
                    self._flush()
                del self.open[depth:]
                return

    def handle_data(self, data: str) -> None:
        tag = self.open[-1][0] if self.open else ""
        if self.in_json_ld and len(self.json_ld[-1]) < 1_000_000:
            self.json_ld[-1] += data
        if tag == "title":
            self.title.append(data)
        if self.open and self.open[-1][3] and len(self.byline[-1]) < 200:
            self.byline[-1] += data
        if not self.skipped and tag not in ("title", "head"):
            self.current.append(data)

    def _meta(self, values: Mapping[str, str]) -> None:
        key = values.get("name") or values.get("property") or values.get("itemprop") or ""
        wanted = META_NAMES.get(key.casefold())
        if wanted and values.get("content"):
            self.metadata.setdefault(wanted, " ".join(values["content"].split())[:200])

    def _flush(self) -> None:
        text = " ".join("".join(self.current).split())
        self.current = []
        if text:
            self.length += len(text) + 2
            if self.length > MAX_CHARACTERS:
                raise ArticleError(
                    f"the page's text is longer than {MAX_CHARACTERS:,} characters, "
                    "which painopts check reads at most"
                )
            tags = [tag for tag, *_ in self.open[-SEARCH:]]
            part = (text, any(tag in HEADINGS for tag in tags), "li" in tags)
            self.parts[False].append(part)
            if self.content:
                self.parts[True].append(part)

    def close(self) -> None:
        super().close()
        self._flush()


def _names(values: Mapping[str, str]) -> set[str]:
    words = f"{values.get('class', '')} {values.get('id', '')}".casefold()
    return set(words.replace("-", " ").replace("_", " ").split())


def _furniture(values: Mapping[str, str]) -> bool:
    if values.get("role", "").casefold() in ROLES or values.get("aria-hidden") == "true":
        return True
    return bool(_names(values) & BOILERPLATE) or "hidden" in values


def read_html(source: str) -> tuple[str, tuple[Block, ...], dict[str, str]]:
    """The page's main text (blocks joined by blank lines), its blocks and its metadata."""
    reader = _Reader()
    reader.feed(source)
    reader.rawdata = ""  # an unfinished tag at the very end is not text
    reader.close()
    content = reader.parts[True]
    parts = content if sum(len(part[0]) for part in content) >= MIN_CONTENT else reader.parts[False]
    text, blocks = _joined(parts)
    metadata = dict(_from_json_ld(reader.json_ld))
    for key, value in reader.metadata.items():
        metadata.setdefault(key, value)
    title = " ".join("".join(reader.title).split())
    if title:
        metadata.setdefault("title", title[:200])
    byline = next((" ".join(each.split()) for each in reader.byline if each.strip()), "")
    if byline:
        metadata.setdefault("byline", byline[:200])
    return text, blocks, metadata


def _joined(parts: list[tuple[str, bool, bool]]) -> tuple[str, tuple[Block, ...]]:
    blocks = []
    position = 0
    for text, heading, item in parts:
        blocks.append(Block(position, position + len(text), heading and not item, item))
        position += len(text) + 2
    return "\n\n".join(part[0] for part in parts), tuple(blocks)


ARTICLE_TYPES = frozenset(
    [
        "article",
        "newsarticle",
        "blogposting",
        "medicalwebpage",
        "webpage",
        "medicalscholarlyarticle",
        "report",
        "scholarlyarticle",
    ]
)


def _from_json_ld(scripts: list[str]) -> Iterator[tuple[str, str]]:
    for script in scripts:
        try:
            data = json.loads(script)
        except (ValueError, RecursionError):
            continue
        for record in _records(data, 0):
            if _is_article(record):
                yield from _record_fields(record)


def _is_article(record: dict[str, Any]) -> bool:
    kind = record.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return any(isinstance(k, str) and k.casefold() in ARTICLE_TYPES for k in kinds)


def _record_fields(record: dict[str, Any]) -> Iterator[tuple[str, str]]:
    for key, name in (("author", "author"), ("publisher", "publisher")):
        if (found := _name(record.get(key))) is not None:
            yield name, found
    for key, name in (("datePublished", "published"), ("dateModified", "modified")):
        if isinstance(record.get(key), str):
            yield name, record[key][:40]


def _records(data: Any, depth: int) -> Iterator[dict[str, Any]]:
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data[:50]:
            yield from _records(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        yield from _records(data.get("@graph"), depth + 1)


def _name(value: Any) -> str | None:
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, dict):
        value = value.get("name")
    return " ".join(value.split())[:200] if isinstance(value, str) and value.strip() else None
