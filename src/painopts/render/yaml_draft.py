"""`-f yaml` of `painopts check`: a draft `articles` + `claims` block for a knowledge file.

Each check-worthy statement that restates no checked claim becomes a claim whose verdict and
assessment are left empty for a person to fill in; once they are, the block pasted under a
knowledge file's `articles:` and `claims:` passes `painopts validate` (`--strict` asks for
sources too). Strings are written as JSON strings, which YAML reads as double-quoted scalars,
so nothing in an article can break the block or put a control character in it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from painopts.model import Verdict
from painopts.render import Options
from painopts.render.text import json_line
from painopts.views.document import Document

QUOTE_LIMIT = 160
"""The knowledge file's limit on a claim's quote."""
TO_FILL = "# to fill in: " + ", ".join(verdict.value for verdict in Verdict)


def render(document: Document, options: Options) -> str:
    """The draft block (a comment only, for a document that is not a checked article)."""
    data = document.data
    statements = data.get("statements")
    if document.kind != "check" or not isinstance(statements, list):
        return "# painopts: only 'painopts check' writes a draft knowledge-file block\n"
    article = data.get("article", {})
    name = str(article.get("name") or "article").replace("\\", "/").rsplit("/", 1)[-1]
    key = _id(str(article.get("title") or name.rsplit(".", 1)[0]))
    lines = [
        "# Draft for a knowledge file, written by 'painopts check -f yaml'.",
        "# Put the article under 'articles:' and the claims under 'claims:'. A person fills in",
        "# each verdict and assessment, checks every other field against the article, and cites",
        "# sources ('painopts validate --strict' requires them).",
        "articles:",
        *_article(key, article),
        "claims:",
    ]
    for number, statement in enumerate(statements, start=1):
        lines += _claim(key, number, statement)
    return "\n".join(lines) + "\n"


def _article(key: str, article: Mapping[str, Any]) -> list[str]:
    """The article record, its keys those of 'painopts new article' in the same order."""
    fields = {
        "id": key,
        "title": article.get("title") or article.get("name") or "untitled article",
        "publisher": article.get("publisher") or "not recorded",
        "type": "other",
        "url": None,
        "conflicts_of_interest": "not assessed",
        "summary": "to be written",
        "author": article.get("author") or None,
        "date_published": _date(str(article.get("published") or "")),
    }
    return _item(fields)


def _date(text: str) -> str | None:
    """The page's date of publication as the knowledge file takes it (YYYY-MM-DD), if it is one."""
    try:
        return dt.date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        return None


def _claim(key: str, number: int, statement: Mapping[str, Any]) -> list[str]:
    if statement.get("same_claim"):
        return [
            f"  # statement {number} restates the checked claim {_text(statement['same_claim'])}"
            f" ({_text(statement['verdict'])}): not drafted again"
        ]
    fields: dict[str, Any] = {
        "id": f"{key[:56]}-{number}",
        "article": key,
        "section": f"paragraph {statement.get('paragraph', 0) + 1}",
        "quote": _quote(str(statement["text"])),
        "paraphrase": str(statement["text"]),
        "treatments": list(statement.get("treatments", [])),
        "attribute": next(iter(statement.get("attributes", [])), None),
        "topic": ", ".join(statement.get("kinds", [])) or "statement",
    }
    return [
        *_item(fields),
        f"    verdict: null  {TO_FILL}",
        "    assessment: null",
        "    sources: []",
    ]


def _item(fields: Mapping[str, Any]) -> list[str]:
    lines = []
    for position, (name, value) in enumerate(fields.items()):
        lead = "  - " if position == 0 else "    "
        lines.append(f"{lead}{name}: {_text(value)}")
    return lines


def _text(value: Any) -> str:
    """A value as YAML: JSON's quoting, which YAML reads the same way."""
    return json_line(value)


def _quote(text: str) -> str:
    """The statement's first words, within the quote limit, cut between words."""
    words = " ".join(text.split())
    if len(words) <= QUOTE_LIMIT:
        return words
    return words[:QUOTE_LIMIT].rsplit(" ", 1)[0]


def _id(text: str) -> str:
    """An id from a title: lower-case words joined by '-', at most 48 characters."""
    slug = "-".join(re.findall(r"[a-z0-9]+", text.casefold()))[:48].strip("-")
    return slug or "article"
