"""Commands about files: check an article, validate a knowledge file, write a new file or schema."""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import Annotated

import typer

from painopts.cli.app import APP_SETTINGS, KNOWLEDGE_FILE, app
from painopts.cli.inputs import reads
from painopts.cli.options import WriteOption, format_option, output_option
from painopts.cli.session import (
    EXIT_DATA,
    EXIT_OK,
    emit,
    load_for,
    not_empty,
    settings_of,
    validation_report,
    write_text,
)
from painopts.render import (
    Format,
    ProblemFormat,
    formats_help,
)


class ArticleKind(str, enum.Enum):
    """How to read an article (``--as``)."""

    TEXT = "text"
    MARKDOWN = "markdown"
    HTML = "html"


@app.command("check", short_help="Check any article's statements against the evidence.")
def check_command(
    ctx: typer.Context,
    article: Annotated[
        str,
        typer.Argument(
            help="The article: a text, Markdown or HTML file ('-' reads standard input).",
            metavar="ARTICLE",
            callback=reads("the article being checked"),
        ),
    ],
    read_as: Annotated[
        ArticleKind | None,
        typer.Option("--as", help="Read the article as text, markdown or html (default: guess)."),
    ] = None,
    fmt: Annotated[Format | None, format_option("check")] = None,
    output: Annotated[str | None, output_option("check")] = None,
) -> None:
    """Each check-worthy statement of an article beside the evidence, and a screen.

    A verdict appears only where a statement restates a claim a person checked.

    Examples: painopts check article.html; curl -s URL | painopts check - --as html
    """
    from painopts.check import ArticleError, check
    from painopts.views.check import check_view

    kb = (loaded := load_for(ctx)).kb
    try:
        result = check(
            kb, _article_bytes(not_empty(article, "ARTICLE")), article, read_as and read_as.value
        )
    except ArticleError as error:
        raise typer.BadParameter(str(error), param_hint="'ARTICLE'") from None
    emit(
        ctx,
        loaded,
        check_view(kb, result, "standard input" if article == "-" else article),
        fmt,
        output,
    )


def _article_bytes(article: str) -> bytes:
    """The article's bytes, read up to one byte past the limit (so a huge input is refused)."""
    from painopts.check.reading import MAX_BYTES

    try:
        if article == "-":
            return sys.stdin.buffer.read(MAX_BYTES + 1)
        with open(article, "rb") as stream:
            return stream.read(MAX_BYTES + 1)
    except OSError as error:
        raise typer.BadParameter(
            f"cannot read {article}: {error.strerror}", param_hint="'ARTICLE'"
        ) from None


@app.command("validate")
def validate_command(
    ctx: typer.Context,
    path: Annotated[
        Path | None,
        typer.Argument(
            help="Knowledge file to check (default: --data or the bundled file).",
            metavar="PATH",
            callback=reads(KNOWLEDGE_FILE),
        ),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as failures.")] = False,
    fmt: Annotated[
        ProblemFormat, typer.Option("--format", "-f", help=formats_help(ProblemFormat))
    ] = ProblemFormat.TEXT,
    output: WriteOption = None,
) -> None:
    """Check a knowledge file; one line per problem.

    Each line reads path:line:col: error|warning: dotted.path: message [CODE].
    Exits 0 when the file is valid and 1 when it is not.

    Example: painopts validate my-treatments.yaml --strict
    """
    from painopts.render.problems import RENDERERS as PROBLEM_RENDERERS

    path = path or settings_of(ctx).data
    report = validation_report(path, strict, settings_of(ctx).added)
    write_text(ctx, PROBLEM_RENDERERS[fmt](report), output)
    raise typer.Exit(EXIT_OK if report.valid else EXIT_DATA)


new_app = typer.Typer(
    name="new",
    help="Write a commented starting file.",
    no_args_is_help=True,
    **{k: v for k, v in APP_SETTINGS.items() if k in ("rich_markup_mode", "context_settings")},
)
app.add_typer(new_app)


@new_app.command("article")
def new_article_command(
    ctx: typer.Context,
    article: Annotated[str, typer.Argument(help="The new article's id.", metavar="ID")],
    output: WriteOption = None,
) -> None:
    """A commented file for one article, to read on top of the bundled one with --add.

    Example: painopts new article my-leaflet -o leaflet.yaml
    """
    from painopts.load.template import article_template

    try:
        text = article_template(article)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="'ID'") from None
    write_text(ctx, text, output)


@app.command("schema")
def schema_command(ctx: typer.Context, output: WriteOption = None) -> None:
    """Print the JSON Schema of the knowledge file.

    Example: painopts schema -o treatments.schema.json
    """
    from painopts.load import bundled_schema_text

    write_text(ctx, bundled_schema_text(), output)
