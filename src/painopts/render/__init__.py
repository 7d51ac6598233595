"""One renderer per output format, behind one registry.

Each format lives in its own module with one function, ``render(document, options)``, a
`Renderer`. The registry names modules rather than importing them, so a command pays only for
the format it uses (the terminal table is the only one that needs Rich); for mypy, `TYPED`
binds each module's ``render`` to `Renderer`, so a renderer that drifts fails ``mypy --strict``.
"""

from __future__ import annotations

import enum
import importlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from painopts.model import Meta, record
from painopts.views.document import Document


class Format(str, enum.Enum):
    """Output formats of the display commands."""

    TABLE = "table"
    PLAIN = "plain"
    MARKDOWN = "markdown"
    JSON = "json"
    CSV = "csv"
    HTML = "html"
    CLAIMREVIEW = "claimreview"
    REVIEW = "review"
    YAML = "yaml"

    @property
    def complete(self) -> bool:
        """True for documents and data, which always carry everything (not table or plain)."""
        return self not in (Format.TABLE, Format.PLAIN)


class ProblemFormat(str, enum.Enum):
    """Output formats of `painopts validate`."""

    TEXT = "text"
    JSON = "json"
    GITHUB = "github"


@record
class Envelope:
    """Where the data came from, for formats that record it (JSON, HTML)."""

    tool_version: str
    file: str
    sha256: str
    version: str
    last_reviewed: str


@record
class Options:
    """How to render: plain ASCII symbols, the CSV formula guard, provenance, and who reviews.

    ``review_url`` is where the review is published (``--review-url``); it overrides the
    knowledge file's ``meta.review_url``. ``meta`` is the knowledge file's metadata, for formats
    that credit the reviewers and say where the review is published (ClaimReview).
    """

    envelope: Envelope
    ascii: bool = False
    formula_guard: bool = True
    width: int = 100
    """Terminal format: the width to lay tables out in."""
    color: bool = False
    """Terminal format: colour with ANSI escapes."""
    review_url: str | None = None
    meta: Meta | None = None


_DOCUMENTS = (Format.TABLE, Format.PLAIN, Format.MARKDOWN, Format.JSON, Format.CSV, Format.HTML)
ACCEPTED: dict[str, tuple[Format, ...]] = {
    "compare": _DOCUMENTS,
    "list": _DOCUMENTS,
    "show": _DOCUMENTS,
    "sources": _DOCUMENTS,
    "info": _DOCUMENTS,
    "claims": (*_DOCUMENTS, Format.CLAIMREVIEW),
    "report": (
        Format.TABLE,
        Format.MARKDOWN,
        Format.JSON,
        Format.HTML,
        Format.CLAIMREVIEW,
    ),
    "audit": (*_DOCUMENTS, Format.REVIEW),
    "long": _DOCUMENTS,
    "check": (*_DOCUMENTS, Format.YAML),
}
"""The formats each kind of document (each display command) can be written in."""

SUFFIXES = {
    ".html": Format.HTML,
    ".htm": Format.HTML,
    ".md": Format.MARKDOWN,
    ".markdown": Format.MARKDOWN,
    ".json": Format.JSON,
    ".csv": Format.CSV,
    ".yaml": Format.YAML,
    ".yml": Format.YAML,
}
"""The format an output file's name asks for when no --format is given (``.jsonld``: the
JSON-LD format of the document, ClaimReview or Review)."""
JSON_LD = (Format.CLAIMREVIEW, Format.REVIEW)
JSON_LD_SUFFIX = ".jsonld"

COMMANDS = {"long": "compare --long"}
"""Kinds of document made by a command other than the one of the same name."""


class FormatError(ValueError):
    """A document cannot be written in the format asked for."""


class UnwritableError(ValueError):
    """The answer holds something its format cannot write (a number JSON has no form for)."""


REFUSALS = {
    ("report", Format.CSV): (
        "a report holds tables of different shapes, which one CSV cannot; use "
        "'painopts compare --all --long -f csv' or 'painopts claims -f csv'"
    ),
    ("report", Format.PLAIN): (
        "plain is one record a line, which a report of tables of different shapes is not; "
        "use 'painopts claims -f plain' or 'painopts audit -f plain'"
    ),
}
"""Why a document does not take a format, where a plain list of formats would not say enough."""


def choose_format(kind: str, asked: Format | None, output: str | None, default: Format) -> Format:
    """The format to write: the one asked for, else the output file's, else the default."""
    if asked is None and output not in (None, "-"):
        asked = _format_of_name(kind, Path(output).suffix.lower())
    chosen = asked or default
    if chosen not in ACCEPTED[kind]:
        accepted = ", ".join(each.value for each in ACCEPTED[kind])
        why = REFUSALS.get((kind, chosen), f"it writes {accepted}")
        raise FormatError(f"'painopts {_command(kind)}' does not write {chosen.value}: {why}")
    return chosen


def _command(kind: str) -> str:
    """The command line that makes a kind of document, as a person would type it."""
    return COMMANDS.get(kind, kind)


def _format_of_name(kind: str, suffix: str) -> Format | None:
    if suffix != JSON_LD_SUFFIX:
        return SUFFIXES.get(suffix)
    linked = [each for each in JSON_LD if each in ACCEPTED[kind]]
    if not linked:
        command = _command(kind)
        raise FormatError(f"'painopts {command}' has no JSON-LD format; name the format with -f")
    return linked[0]


def format_help(kind: str) -> str:
    """The --format help of the command that makes this kind of document."""
    return formats_help(ACCEPTED[kind])


def formats_help(formats: Iterable[Format | ProblemFormat]) -> str:
    """``Output format: table, plain, ...``, for a command's --format help."""
    return "Output format: " + ", ".join(each.value for each in formats) + "."


WRITE_HELP = "Write to this file instead of stdout ('-' is stdout)."


def output_help(kind: str) -> str:
    """The -o help of the command that makes this kind of document.

    It names the endings that pick one of the command's formats, as `choose_format` reads them.
    """
    names = [suffix for suffix, each in SUFFIXES.items() if each in ACCEPTED[kind]]
    names += [JSON_LD_SUFFIX] if set(JSON_LD) & set(ACCEPTED[kind]) else []
    ending = ", ".join(names[:-1]) + " or " + names[-1]
    return f"{WRITE_HELP[:-1]}; a name ending {ending} picks the format when --format is not given."


MODULES: dict[Format, str] = {
    Format.TABLE: "painopts.render.table",
    Format.PLAIN: "painopts.render.plain",
    Format.MARKDOWN: "painopts.render.markdown",
    Format.JSON: "painopts.render.json_format",
    Format.CSV: "painopts.render.csv_format",
    Format.HTML: "painopts.render.html",
    Format.CLAIMREVIEW: "painopts.render.claimreview",
    Format.REVIEW: "painopts.render.review_jsonld",
    Format.YAML: "painopts.render.yaml_draft",
}

Renderer = Callable[[Document, Options], str]
"""What every format's module provides as ``render``: a document and options to text."""

if TYPE_CHECKING:  # read by mypy only: at run time each module is imported on first use
    from painopts.render import (
        claimreview,
        csv_format,
        html,
        json_format,
        markdown,
        plain,
        review_jsonld,
        table,
        yaml_draft,
    )

    TYPED: dict[Format, Renderer] = {
        Format.TABLE: table.render,
        Format.PLAIN: plain.render,
        Format.MARKDOWN: markdown.render,
        Format.JSON: json_format.render,
        Format.CSV: csv_format.render,
        Format.HTML: html.render,
        Format.CLAIMREVIEW: claimreview.render,
        Format.REVIEW: review_jsonld.render,
        Format.YAML: yaml_draft.render,
    }
    """`MODULES` as mypy sees it (a test checks that the two name the same modules)."""


def renderer(fmt: Format) -> Renderer:
    """The render function for a format, imported on first use."""
    render: Renderer = importlib.import_module(MODULES[fmt]).render
    return render
