"""The painopts command line: parse, call the core, render, write, and map outcomes to exit codes.

This is the only module that imports ``typer``. Each command is load, view, emit: which
formats a document accepts lives in ``painopts.render``, writing in ``painopts.output``, the
rules about what may be asked for in the views.
"""

from __future__ import annotations

import enum
import io
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer

from painopts import __version__, end_of_start_up
from painopts.cache import DamagedEntryError
from painopts.load import KnowledgeFileError, Loaded
from painopts.model import (
    Problem,
    Report,
    SelectionError,
    UnknownNameError,
    Verdict,
    resolve_attribute,
    resolve_treatment,
)
from painopts.output import OutputError, TerminatedError, page, silence_stdout, write
from painopts.render import Envelope, Format, FormatError, Options, ProblemFormat
from painopts.render.text import one_line
from painopts.views import audit, catalog, claims, compare
from painopts.views.document import Document

EXIT_OK = 0
EXIT_DATA = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
MIN_WIDTH, MAX_WIDTH = 40, 1000


class Color(str, enum.Enum):
    """When to colour terminal output."""

    AUTO = "auto"
    ALWAYS = "always"
    NEVER = "never"


@dataclass(frozen=True)
class Settings:
    """Global options, shared by every command."""

    data: Path | None
    color: Color
    width: int | None
    formula_guard: bool = True
    pager: bool = True


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
}
app = typer.Typer(**_APP_SETTINGS)


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
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Compare chronic-pain treatments and check an article's claims against the evidence."""
    path = Path(_not_empty(data, "--data")) if data is not None else None
    ctx.obj = Settings(path, color, width, formula_guard, pager)


def _not_empty(value: str, option: str) -> str:
    """The value of an option that names something; an empty one is a usage error."""
    if not value:
        raise typer.BadParameter("needs a value, not an empty string", param_hint=f"'{option}'")
    return value


def _complete_treatments(ctx: typer.Context, incomplete: str) -> list[str]:
    return _complete(ctx, incomplete, lambda loaded: [t.id for t in loaded.kb.treatments])


def _complete_attributes(ctx: typer.Context, incomplete: str) -> list[str]:
    return _complete(ctx, incomplete, lambda loaded: [a.id for a in loaded.kb.attributes])


def _complete(ctx: typer.Context, incomplete: str, ids: Callable[[Loaded], list[str]]) -> list[str]:
    data = ctx.find_root().params.get("data")
    try:
        loaded = _load_file(Path(data) if data else None)
    except KnowledgeFileError:
        return []
    return [item for item in ids(loaded) if item.startswith(incomplete.casefold())]


def _format_option(kind: str) -> Any:
    from painopts.render import format_help

    return typer.Option("--format", "-f", help=format_help(kind), metavar="FORMAT")


OutputOption = Annotated[
    str | None,
    typer.Option(
        "--output",
        "-o",
        help="Write to this file instead of stdout ('-' is stdout); a name ending .html, .md, "
        ".json, .csv or .jsonld picks the format when --format is not given.",
        metavar="PATH",
    ),
]
ReviewUrlOption = Annotated[
    str | None,
    typer.Option(
        "--review-url",
        help="For claimreview: the address where this review is published "
        "(default: the knowledge file's meta.review_url).",
        metavar="URL",
    ),
]
TreatmentArgument = Annotated[
    str,
    typer.Argument(
        help="Treatment id, name or alias.",
        autocompletion=_complete_treatments,
        metavar="TREATMENT",
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
    fmt: Annotated[Format | None, _format_option("compare")] = None,
    output: OutputOption = None,
) -> None:
    """The bottom line, then the treatments side by side; --full gives every detail.

    Examples: painopts compare ketamine opioids;
    painopts compare --all --attr addiction_risk -f csv --long
    """
    kb = (loaded := _load(ctx)).kb
    chosen = compare.choose(kb, treatments or [], every)
    rows = [resolve_attribute(kb, name) for name in attributes or []]
    if long:
        document = compare.long_form(kb, chosen, rows)
    else:
        fmt = _format("compare", fmt, output)
        document = compare.compare(kb, chosen, rows, full=full or fmt.complete)
    _emit(ctx, loaded, document, fmt, output)


@app.command("list", short_help="List the treatments and their place in therapy.")
def list_command(
    ctx: typer.Context,
    condition: Annotated[
        catalog.Condition | None,
        typer.Option("--condition", help="Only treatments with a place for this kind of pain."),
    ] = None,
    fmt: Annotated[Format | None, _format_option("list")] = None,
    output: OutputOption = None,
) -> None:
    """List the treatments: class, route, US schedule, place in therapy.

    Example: painopts list --condition neuropathic
    """
    loaded = _load(ctx)
    _emit(ctx, loaded, catalog.list_view(loaded.kb, condition), fmt, output)


@app.command("show")
def show_command(
    ctx: typer.Context,
    treatment: TreatmentArgument,
    fmt: Annotated[Format | None, _format_option("show")] = None,
    output: OutputOption = None,
) -> None:
    """Show one treatment in full, with the claims about it.

    Example: painopts show Ketalar
    """
    kb = (loaded := _load(ctx)).kb
    _emit(ctx, loaded, catalog.show(kb, resolve_treatment(kb, treatment)), fmt, output)


@app.command("claims")
def claims_command(
    ctx: typer.Context,
    claim: Annotated[
        str | None,
        typer.Argument(
            help="One claim id: show it in full.", metavar="[CLAIM]", show_default=False
        ),
    ] = None,
    treatment: Annotated[
        str | None,
        typer.Option(
            "--treatment",
            help="Only claims about this treatment.",
            autocompletion=_complete_treatments,
            metavar="TREATMENT",
        ),
    ] = None,
    verdict: Annotated[
        Verdict | None,
        typer.Option("--verdict", help="Only claims with this verdict.", case_sensitive=False),
    ] = None,
    article: Annotated[
        str | None,
        typer.Option("--article", help="Only claims of this article (id).", metavar="ARTICLE"),
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
    kb = (loaded := _load(ctx)).kb
    fmt = _format("claims", fmt, output)
    if claim is not None:
        document = claims.claim_view(kb, claim)
    else:
        about = resolve_treatment(kb, treatment) if treatment is not None else None
        chosen = claims.select_claims(kb, about, verdict, article)
        document = claims.claims_view(kb, chosen, long=long or fmt.complete)
    _emit(ctx, loaded, document, fmt, output, review_url=review_url)


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
    kb = (loaded := _load(ctx)).kb
    keys = catalog.cited_by(kb, cited_by) if cited_by is not None else ()
    _emit(ctx, loaded, catalog.sources_view(kb, keys), fmt, output)


@app.command("info")
def info_command(
    ctx: typer.Context,
    fmt: Annotated[Format | None, _format_option("info")] = None,
    output: OutputOption = None,
) -> None:
    """Show the knowledge file's version, review date and policies."""
    loaded = _load(ctx)
    _emit(ctx, loaded, catalog.info(loaded.kb, loaded.name, loaded.sha256), fmt, output)


@app.command("report")
def report_command(
    ctx: typer.Context,
    fmt: Annotated[Format | None, _format_option("report")] = None,
    output: OutputOption = None,
    review_url: ReviewUrlOption = None,
) -> None:
    """Write one printable document (Markdown unless asked): comparison, claims, audit, sources.

    Example: painopts report -f html -o report.html
    """
    loaded = _load(ctx)
    document = claims.report(loaded.kb)
    _emit(ctx, loaded, document, fmt, output, Format.MARKDOWN, review_url)


@app.command("audit", short_help="Rate the article on HealthNewsReview, DISCERN and JAMA.")
def audit_command(
    ctx: typer.Context,
    article: Annotated[
        str | None,
        typer.Option("--article", help="Only this article (id).", metavar="ARTICLE"),
    ] = None,
    fmt: Annotated[Format | None, _format_option("audit")] = None,
    output: OutputOption = None,
) -> None:
    """Rate the article as a source: HealthNewsReview's criteria, DISCERN, the JAMA benchmarks.

    Each criterion gets a rating, a one-line reason and its sources; each instrument a score
    by its own rule. Example: painopts audit -f markdown -o audit.md
    """
    loaded = _load(ctx)
    _emit(ctx, loaded, audit.audit(loaded.kb, article), fmt, output)


@app.command("validate")
def validate_command(
    ctx: typer.Context,
    path: Annotated[
        Path | None,
        typer.Argument(
            help="Knowledge file to check (default: --data or the bundled file).", metavar="PATH"
        ),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as failures.")] = False,
    fmt: Annotated[
        ProblemFormat, typer.Option("--format", "-f", help="text, json or github.")
    ] = ProblemFormat.TEXT,
    output: OutputOption = None,
) -> None:
    """Check a knowledge file; one line per problem.

    Each line reads path:line:col: error|warning: dotted.path: message [CODE].
    Exits 0 when the file is valid and 1 when it is not.

    Example: painopts validate my-treatments.yaml --strict
    """
    from painopts.render.problems import RENDERERS as PROBLEM_RENDERERS

    path = path or _settings(ctx).data
    report = _report(path, strict)
    _write(PROBLEM_RENDERERS[fmt](report), output, path)
    raise typer.Exit(EXIT_OK if report.valid else EXIT_DATA)


@app.command("schema")
def schema_command(output: OutputOption = None) -> None:
    """Print the JSON Schema of the knowledge file.

    Example: painopts schema -o treatments.schema.json
    """
    from painopts.load import bundled_schema_text

    _write(bundled_schema_text(), output, None)


def _settings(ctx: typer.Context) -> Settings:
    settings = ctx.find_root().obj
    assert isinstance(settings, Settings)
    return settings


def _report(path: Path | None, strict: bool) -> Report:
    """Load a knowledge file without the cache and run every rule, as a located report."""
    from painopts.load import load, locate
    from painopts.validate import check

    try:
        loaded = load(path)
    except KnowledgeFileError as error:
        return Report(name=error.name, problems=error.problems, strict=strict)
    finally:
        end_of_start_up()
    return Report(name=loaded.name, problems=locate(loaded.text, check(loaded.kb)), strict=strict)


def _load(ctx: typer.Context) -> Loaded:
    return _load_file(_settings(ctx).data)


def _load_file(path: Path | None) -> Loaded:
    from painopts.load import for_display

    try:
        return for_display(path, on_parse=_show_progress)
    finally:
        end_of_start_up()


SLOW_FILE_CHARACTERS = 2_000_000
"""Files this large take a noticeable moment to validate the first time."""


def _show_progress(characters: int) -> None:
    """Say on a terminal's stderr that a large file is being validated; nothing otherwise."""
    if characters >= SLOW_FILE_CHARACTERS and sys.stderr.isatty():
        size = characters / 2**20
        sys.stderr.write(f"painopts: validating {size:.0f} MiB knowledge file (once per version)\n")


def _format(
    kind: str, asked: Format | None, output: str | None, default: Format = Format.TABLE
) -> Format:
    from painopts.render import choose_format

    return choose_format(kind, asked, output, default)


def _emit(
    ctx: typer.Context,
    loaded: Loaded,
    document: Document,
    asked: Format | None,
    output: str | None,
    default: Format = Format.TABLE,
    review_url: str | None = None,
) -> None:
    """Render a document in the format asked for (or implied) and write it; warnings to stderr."""
    from painopts.render import renderer

    fmt = _format(document.kind, asked, output, default)
    for warning in (*loaded.warnings, *document.warnings):
        _warn(warning)
    settings = _settings(ctx)
    to_stdout = output in (None, "-")
    terminal = to_stdout and sys.stdout is not None and sys.stdout.isatty()
    options = Options(
        envelope=Envelope(
            tool_version=__version__,
            file=loaded.name,
            sha256=loaded.sha256,
            version=loaded.kb.meta.version,
            last_reviewed=loaded.kb.meta.last_reviewed.isoformat(),
        ),
        ascii=to_stdout and not _can_show_symbols(),
        formula_guard=settings.formula_guard,
        width=settings.width or (_terminal_width() if terminal else 100),
        color=_colour(settings.color, terminal),
        review_url=review_url,
        meta=loaded.kb.meta,
    )
    text = renderer(fmt)(document, options)
    if not (terminal and settings.pager and fmt is Format.TABLE and page(text, _terminal_height())):
        _write(text, output, settings.data)


def _write(text: str, output: str | None, source: Path | None) -> None:
    if output is not None:
        _not_empty(output, "-o")
    write(text, output, inputs=(source,) if source is not None else ())


def _colour(color: Color, terminal: bool) -> bool:
    if color is not Color.AUTO:
        return color is Color.ALWAYS
    return terminal and not os.environ.get("NO_COLOR")


def _can_show_symbols() -> bool:
    try:
        "⊕◯✔✘◐⚠╭".encode(getattr(sys.stdout, "encoding", None) or "ascii")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def _terminal_width() -> int:
    """The terminal's width (or COLUMNS), within the bounds --width has."""
    import shutil

    return min(max(shutil.get_terminal_size((100, 24)).columns, MIN_WIDTH), MAX_WIDTH)


def _terminal_height() -> int:
    import shutil

    return shutil.get_terminal_size((100, 24)).lines


def _warn(message: str) -> None:
    if sys.stderr is not None:
        sys.stderr.write(f"painopts: warning: {one_line(message)}\n")


def _fail(message: str, code: int) -> int:
    if sys.stderr is not None:
        sys.stderr.write(f"painopts: error: {one_line(message)}\n")
    return code


def _data_error(error: KnowledgeFileError) -> int:
    from painopts.render.problems import described, position

    first: Problem = error.problems[0]
    more = len(error.problems) - 1
    suffix = f" (+{more} more; run 'painopts validate')" if more else ""
    return _fail(f"{position(error.name, first)}: {described(first)}{suffix}", EXIT_DATA)


GLOBAL_OPTIONS = (
    "--data",
    "--color",
    "--width",
    "--formula-guard",
    "--no-formula-guard",
    "--pager",
    "--no-pager",
)


def _usage_message(error: typer.TyperException) -> str:
    message = error.format_message().replace("Value error, ", "")
    misplaced = next((name for name in GLOBAL_OPTIONS if f"No such option: {name}" in message), "")
    if misplaced:
        message += f" ({misplaced} is a global option: put it before the command)"
    return message


def main_exit_code(argv: list[str] | None = None) -> int:  # noqa: C901, PLR0911 - one per exit path
    """Run painopts and return its exit code; expected failures become one line on stderr."""
    arguments = sys.argv[1:] if argv is None else argv
    _tolerate_narrow_encodings()
    try:
        result = _app_for(arguments)(
            args=arguments or ["--help"], prog_name="painopts", standalone_mode=False
        )
    except typer.TyperException as error:
        return _fail(_usage_message(error), error.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        return _fail("interrupted", EXIT_INTERRUPTED)
    except TerminatedError as error:
        return _fail("terminated", error.exit_code)
    except KnowledgeFileError as error:
        return _data_error(error)
    except (UnknownNameError, SelectionError, FormatError) as error:
        return _fail(str(error), EXIT_USAGE)
    except (OutputError, DamagedEntryError) as error:
        return _fail(str(error), EXIT_DATA)
    except BrokenPipeError:
        silence_stdout()
        return EXIT_OK
    if result == EXIT_INTERRUPTED:  # Typer turns Ctrl-C into a silent exit 130
        return _fail("interrupted", EXIT_INTERRUPTED)
    return result if isinstance(result, int) else EXIT_OK


def _app_for(arguments: list[str]) -> typer.Typer:
    """The app, cut down to the one command being run.

    Typer builds every command's parameters before it runs one; with only the invoked command
    registered, start-up skips that work. Help, completion and anything unusual get the full app.
    """
    if "_PAINOPTS_COMPLETE" in os.environ:  # TAB: the words typed so far are in the environment
        typed = os.environ.get("COMP_WORDS") or os.environ.get("_TYPER_COMPLETE_ARGS") or ""
        arguments = typed.split()[1:]
    name = _command_name(arguments)
    chosen = [info for info in app.registered_commands if info.name == name]
    if not chosen:
        return app
    single = typer.Typer(**_APP_SETTINGS)
    single.registered_callback = app.registered_callback
    single.registered_commands = chosen
    return single


_GLOBAL_OPTIONS_WITH_VALUES = ("--data", "--color", "--width")


def _command_name(arguments: list[str]) -> str | None:
    values_follow = False
    for argument in arguments:
        if values_follow:
            values_follow = False
        elif argument in _GLOBAL_OPTIONS_WITH_VALUES:
            values_follow = True
        elif not argument.startswith("-"):
            return argument
        elif argument in ("--help", "-h", "--install-completion", "--show-completion"):
            return None
    return None


def _tolerate_narrow_encodings() -> None:
    """On a console that cannot show some text (ASCII, cp1252), print escapes instead of failing."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
