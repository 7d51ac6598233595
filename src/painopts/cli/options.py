"""Options and arguments that several commands take, with their completion."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from painopts.cli.app import added_files
from painopts.cli.session import load_file
from painopts.load import KnowledgeFileError, Loaded
from painopts.model import Condition, KnowledgeBase, resolve_condition
from painopts.render import WRITE_HELP, format_help, output_help


def complete_treatments(ctx: typer.Context, incomplete: str) -> list[str]:
    """TAB: the treatment ids starting with what is typed."""
    return _complete(ctx, incomplete, lambda loaded: [t.id for t in loaded.kb.treatments])


def complete_attributes(ctx: typer.Context, incomplete: str) -> list[str]:
    """TAB: the attribute ids starting with what is typed."""
    return _complete(ctx, incomplete, lambda loaded: [a.id for a in loaded.kb.attributes])


def _complete(ctx: typer.Context, incomplete: str, ids: Callable[[Loaded], list[str]]) -> list[str]:
    root = ctx.find_root().params
    data = root.get("data")
    try:
        loaded = load_file(Path(data) if data else None, added_files(root.get("add")))
    except KnowledgeFileError:
        return []
    return [item for item in ids(loaded) if item.startswith(incomplete.casefold())]


def format_option(kind: str) -> Any:
    """``-f/--format``, its help listing the formats this kind of document is written in."""
    return typer.Option("--format", "-f", help=format_help(kind), metavar="FORMAT")


def _output_option(help_text: str) -> Any:
    return typer.Option("--output", "-o", help=help_text, metavar="PATH")


def output_option(kind: str) -> Any:
    """``-o`` of the command that makes this kind of document, whose name may pick the format."""
    return _output_option(output_help(kind))


WriteOption = Annotated[str | None, _output_option(WRITE_HELP)]
"""-o of a command that writes one kind of text (validate, schema, new)."""


ReviewUrlOption = Annotated[
    str | None,
    typer.Option(
        "--review-url",
        help="For claimreview: the address where this review is published "
        "(default: the knowledge file's meta.review_url).",
        metavar="URL",
    ),
]


def complete_conditions(ctx: typer.Context, incomplete: str) -> list[str]:
    """TAB: the condition ids starting with what is typed."""
    return _complete(ctx, incomplete, lambda loaded: [c.id for c in loaded.kb.conditions])


ConditionOption = Annotated[
    str | None,
    typer.Option(
        "--condition",
        help="Speak for this condition (id, name or alias, e.g. neuropathic-pain, fibromyalgia, "
        "'low back pain'): its guideline places and figures.",
        metavar="CONDITION",
        autocompletion=complete_conditions,
    ),
]


def condition_of(kb: KnowledgeBase, name: str | None) -> Condition | None:
    """The condition ``--condition`` names, if given."""
    return resolve_condition(kb, name) if name is not None else None


TreatmentArgument = Annotated[
    str,
    typer.Argument(
        help="Treatment id, name or alias.",
        autocompletion=complete_treatments,
        metavar="TREATMENT",
    ),
]


ArticleOption = Annotated[
    str | None,
    typer.Option(
        "--article",
        help="Only this article (id): its claims, tallies and quality scores.",
        metavar="ARTICLE",
    ),
]
