"""The commands: each one loads the knowledge file, builds a view and emits it."""

from __future__ import annotations

import enum
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from painopts import __version__
from painopts.cli.help import Group
from painopts.cli.inputs import reads
from painopts.cli.session import (
    EXIT_DATA,
    EXIT_OK,
    MAX_WIDTH,
    MIN_WIDTH,
    Color,
    Settings,
    choose,
    emit,
    load_file,
    load_for,
    not_empty,
    settings_of,
    validation_report,
    write_text,
)
from painopts.load import KnowledgeFileError, Loaded, bundled_path
from painopts.model import (
    Condition,
    KnowledgeBase,
    Verdict,
    resolve_attribute,
    resolve_condition,
    resolve_treatment,
)
from painopts.render import (
    WRITE_HELP,
    Format,
    ProblemFormat,
    format_help,
    formats_help,
    output_help,
)
from painopts.views import audit, catalog, claims, compare
from painopts.views.scope import scoped

_APP_SETTINGS: dict[str, Any] = {
    "name": "painopts",
    "help": (
        "Compare chronic-pain treatments side by side and check what an article claims "
        "about them against the evidence. Information only, not medical advice."
    ),
    "no_args_is_help": True,
    "add_completion": True,
    "pretty_exceptions_enable": False,
    "rich_markup_mode": None,
    "context_settings": {"help_option_names": ["-h", "--help"], "max_content_width": 100},
    "cls": Group,
}


app = typer.Typer(**_APP_SETTINGS)

KNOWLEDGE_FILE = "the knowledge file being read"


def _print_version(value: bool) -> None:
    if value:
        sys.stdout.write(f"painopts {__version__}\n")
        raise typer.Exit(EXIT_OK)


@app.callback()
def main(
    ctx: typer.Context,
    data: Annotated[
        str | None,
        typer.Option(
            "--data",
            envvar="PAINOPTS_DATA",
            metavar="PATH",
            help="Knowledge file to read ('-' reads standard input; default: the bundled one).",
            show_default=False,
            callback=reads(KNOWLEDGE_FILE, lambda: [bundled_path()]),
        ),
    ] = None,
    add: Annotated[
        list[str] | None,
        typer.Option(
            "--add",
            metavar="PATH",
            help=(
                "Knowledge file read on top of the bundled one (or --data): its articles, "
                "claims and other records are added (repeatable; default: PAINOPTS_ADD, "
                "paths separated by the system's path separator)."
            ),
            show_default=False,
            callback=reads(KNOWLEDGE_FILE, lambda: _added(None)),
        ),
    ] = None,
    color: Annotated[
        Color, typer.Option("--color", help="Colour terminal output: auto, always or never.")
    ] = Color.AUTO,
    width: Annotated[
        int | None,
        typer.Option(
            "--width", min=MIN_WIDTH, max=MAX_WIDTH, help="Output width in columns.", metavar="N"
        ),
    ] = None,
    formula_guard: Annotated[
        bool,
        typer.Option(
            "--formula-guard/--no-formula-guard",
            help="In CSV, prefix cells that start like a spreadsheet formula with an apostrophe.",
        ),
    ] = True,
    pager: Annotated[
        bool,
        typer.Option(
            "--pager/--no-pager",
            help="Page output taller than the terminal through $PAGER (less -FRX).",
        ),
    ] = True,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No warnings on stderr (errors still show).")
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Compare chronic-pain treatments and check an article's claims against the evidence."""
    path = Path(not_empty(data, "--data")) if data is not None else None
    ctx.obj = Settings(path, color, width, formula_guard, pager, quiet, _added(add))


def _added(add: list[str] | None) -> tuple[Path, ...]:
    """The files --add names, or those PAINOPTS_ADD lists when --add is not given."""
    import os

    if add is None:
        add = [part for part in os.environ.get("PAINOPTS_ADD", "").split(os.pathsep) if part]
    return tuple(Path(not_empty(name, "--add")) for name in add)


def _complete_treatments(ctx: typer.Context, incomplete: str) -> list[str]:
    return _complete(ctx, incomplete, lambda loaded: [t.id for t in loaded.kb.treatments])


def _complete_attributes(ctx: typer.Context, incomplete: str) -> list[str]:
    return _complete(ctx, incomplete, lambda loaded: [a.id for a in loaded.kb.attributes])


def _complete(ctx: typer.Context, incomplete: str, ids: Callable[[Loaded], list[str]]) -> list[str]:
    root = ctx.find_root().params
    data = root.get("data")
    try:
        loaded = load_file(Path(data) if data else None, _added(root.get("add")))
    except KnowledgeFileError:
        return []
    return [item for item in ids(loaded) if item.startswith(incomplete.casefold())]


def _format_option(kind: str) -> Any:
    return typer.Option("--format", "-f", help=format_help(kind), metavar="FORMAT")


def _output_option(help_text: str) -> Any:
    return typer.Option("--output", "-o", help=help_text, metavar="PATH")


OutputOption = Annotated[str | None, _output_option(output_help())]
"""-o of a display command, whose name may pick the format."""

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


def _complete_conditions(ctx: typer.Context, incomplete: str) -> list[str]:
    return _complete(ctx, incomplete, lambda loaded: [c.id for c in loaded.kb.conditions])


ConditionOption = Annotated[
    str | None,
    typer.Option(
        "--condition",
        help="Speak for this condition (id, name or alias, e.g. neuropathic-pain, fibromyalgia, "
        "'low back pain'): its guideline places and figures.",
        metavar="CONDITION",
        autocompletion=_complete_conditions,
    ),
]


def _condition(kb: KnowledgeBase, name: str | None) -> Condition | None:
    return resolve_condition(kb, name) if name is not None else None


TreatmentArgument = Annotated[
    str,
    typer.Argument(
        help="Treatment id, name or alias.",
        autocompletion=_complete_treatments,
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


@app.command("compare", short_help="The bottom line, then treatments side by side.")
def compare_command(
    ctx: typer.Context,
    treatments: Annotated[
        list[str] | None,
        typer.Argument(
            help="Two or more treatments: id, name or alias (e.g. ketamine opioids).",
            autocompletion=_complete_treatments,
            show_default=False,
            metavar="TREATMENT",
        ),
    ] = None,
    attributes: Annotated[
        list[str] | None,
        typer.Option(
            "--attr",
            help="Only this attribute (repeat for more).",
            metavar="ATTRIBUTE",
            autocompletion=_complete_attributes,
        ),
    ] = None,
    every: Annotated[bool, typer.Option("--all", help="Every treatment.")] = False,
    full: Annotated[
        bool, typer.Option("--full", help="Every detail, source, effect and claim.")
    ] = False,
    long: Annotated[
        bool, typer.Option("--long", help="Tidy rows: one per treatment and attribute.")
    ] = False,
    condition: ConditionOption = None,
    article: ArticleOption = None,
    fmt: Annotated[Format | None, _format_option("compare")] = None,
    output: OutputOption = None,
) -> None:
    """The bottom line, then the treatments side by side; --full gives every detail.

    Examples: painopts compare ketamine opioids;
    painopts compare exercise psychological-therapy --condition fibromyalgia;
    painopts compare --all --attr addiction_risk -f csv --long
    """
    kb = scoped((loaded := load_for(ctx)).kb, article)
    about = _condition(kb, condition)
    chosen = compare.choose(kb, treatments or [], every)
    rows = [resolve_attribute(kb, name) for name in attributes or []]
    if long:
        document = compare.long_form(kb, chosen, rows)
    else:
        fmt = choose("compare", fmt, output)
        document = compare.compare(kb, chosen, rows, full or fmt.complete, about)
    emit(ctx, loaded, document, fmt, output)


@app.command("list", short_help="List the treatments and their place in therapy.")
def list_command(
    ctx: typer.Context,
    condition: ConditionOption = None,
    fmt: Annotated[Format | None, _format_option("list")] = None,
    output: OutputOption = None,
) -> None:
    """List the treatments: class, route, US schedule, place in therapy.

    With --condition, only those with a guideline position or a figure for that condition.
    Example: painopts list --condition neuropathic
    """
    kb = (loaded := load_for(ctx)).kb
    emit(ctx, loaded, catalog.list_view(kb, _condition(kb, condition)), fmt, output)


@app.command("show")
def show_command(
    ctx: typer.Context,
    treatment: TreatmentArgument,
    condition: ConditionOption = None,
    fmt: Annotated[Format | None, _format_option("show")] = None,
    output: OutputOption = None,
) -> None:
    """Show one treatment in full, with the claims about it (its figures for one condition).

    Example: painopts show Ketalar --condition crps
    """
    kb = (loaded := load_for(ctx)).kb
    chosen = resolve_treatment(kb, treatment)
    emit(ctx, loaded, catalog.show(kb, chosen, _condition(kb, condition)), fmt, output)


@app.command("claims")
def claims_command(
    ctx: typer.Context,
    claim: Annotated[
        str | None,
        typer.Argument(help="One claim id: show it in full.", metavar="CLAIM", show_default=False),
    ] = None,
    treatment: Annotated[
        list[str] | None,
        typer.Option(
            "--treatment",
            help="Only claims about this treatment (repeat for any of several).",
            autocompletion=_complete_treatments,
            metavar="TREATMENT",
        ),
    ] = None,
    verdict: Annotated[
        list[Verdict] | None,
        typer.Option(
            "--verdict",
            help="Only claims with this verdict (repeat for any of several).",
            case_sensitive=False,
            metavar="VERDICT",
        ),
    ] = None,
    article: Annotated[
        list[str] | None,
        typer.Option(
            "--article",
            help="Only claims of this article (id; repeat for any of several).",
            metavar="ARTICLE",
        ),
    ] = None,
    long: Annotated[
        bool, typer.Option("--long", help="Each claim with its assessment and sources.")
    ] = False,
    fmt: Annotated[Format | None, _format_option("claims")] = None,
    output: OutputOption = None,
    review_url: ReviewUrlOption = None,
) -> None:
    """A verdict tally and the article's claims, one line each; one claim id shows it in full.

    Examples: painopts claims --verdict contradicted; painopts claims ketamine-not-addictive;
    painopts claims -f claimreview --review-url https://example.org/review
    """
    one = article[0] if article and len(article) == 1 else None  # several: a filter only
    kb = scoped((loaded := load_for(ctx)).kb, one)
    fmt = choose("claims", fmt, output)
    about = [resolve_treatment(kb, name) for name in treatment or []]
    if claim is not None:
        document = claims.claim_view(kb, claim, filtered=bool(about or verdict or article))
    else:
        chosen = claims.select_claims(kb, about, verdict or (), article or ())
        document = claims.claims_view(kb, chosen, long=long or fmt.complete)
    emit(ctx, loaded, document, fmt, output, review_url=review_url)


@app.command("sources")
def sources_command(
    ctx: typer.Context,
    cited_by: Annotated[
        str | None,
        typer.Option(
            "--cited-by", help="Only sources cited by this treatment or claim (id).", metavar="ID"
        ),
    ] = None,
    fmt: Annotated[Format | None, _format_option("sources")] = None,
    output: OutputOption = None,
) -> None:
    """List the sources: title, publisher, year, type, link.

    Example: painopts sources --cited-by ketamine-not-addictive
    """
    kb = (loaded := load_for(ctx)).kb
    keys = catalog.cited_by(kb, cited_by) if cited_by is not None else ()
    emit(ctx, loaded, catalog.sources_view(kb, keys), fmt, output)


@app.command("info")
def info_command(
    ctx: typer.Context,
    fmt: Annotated[Format | None, _format_option("info")] = None,
    output: OutputOption = None,
) -> None:
    """Show the knowledge file's version, review date and policies."""
    loaded = load_for(ctx)
    emit(ctx, loaded, catalog.info(loaded.kb, loaded.name, loaded.sha256), fmt, output)


@app.command("report")
def report_command(
    ctx: typer.Context,
    condition: ConditionOption = None,
    article: ArticleOption = None,
    fmt: Annotated[Format | None, _format_option("report")] = None,
    output: OutputOption = None,
    review_url: ReviewUrlOption = None,
) -> None:
    """Write one printable document (Markdown unless asked): comparison, claims, audit, sources.

    Example: painopts report -f html -o report.html
    """
    kb = scoped((loaded := load_for(ctx)).kb, article)
    document = claims.report(kb, _condition(kb, condition))
    emit(ctx, loaded, document, fmt, output, Format.MARKDOWN, review_url)


@app.command("audit", short_help="Rate the article on HealthNewsReview, DISCERN and JAMA.")
def audit_command(
    ctx: typer.Context,
    article: ArticleOption = None,
    fmt: Annotated[Format | None, _format_option("audit")] = None,
    output: OutputOption = None,
) -> None:
    """Rate the article as a source: HealthNewsReview's criteria, DISCERN, the JAMA benchmarks.

    Each criterion gets a rating, a one-line reason and its sources; each instrument a score
    by its own rule. Example: painopts audit -f markdown -o audit.md
    """
    loaded = load_for(ctx)
    emit(ctx, loaded, audit.audit(scoped(loaded.kb, article), article), fmt, output)


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
    fmt: Annotated[Format | None, _format_option("check")] = None,
    output: OutputOption = None,
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
    **{k: v for k, v in _APP_SETTINGS.items() if k in ("rich_markup_mode", "context_settings")},
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
