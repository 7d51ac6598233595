"""The painopts command line: parse, call the core, render, write, and map outcomes to exit codes.

This is the only module that imports ``typer``. Commands stay a few lines:
load, build the view, emit.
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

from painopts import __version__
from painopts.cache import DamagedEntryError
from painopts.load import KnowledgeFileError, Loaded, load, locate
from painopts.model import (
    KnowledgeBase,
    Problem,
    Report,
    Severity,
    UnknownNameError,
    Verdict,
    resolve_attribute,
    resolve_treatment,
)
from painopts.render import Envelope, Format, Options, ProblemFormat, renderer
from painopts.render.text import one_line
from painopts.views import catalog, claims, compare
from painopts.views.document import Document

EXIT_OK = 0
EXIT_DATA = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


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


class OutputError(Exception):
    """The output file could not be written."""


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
            help="Knowledge file to read (default: the one bundled with painopts).",
            show_default=False,
        ),
    ] = None,
    color: Annotated[
        Color, typer.Option("--color", help="Colour terminal output: auto, always or never.")
    ] = Color.AUTO,
    width: Annotated[
        int | None,
        typer.Option("--width", min=40, max=1000, help="Output width in columns.", metavar="N"),
    ] = None,
    formula_guard: Annotated[
        bool,
        typer.Option(
            "--formula-guard/--no-formula-guard",
            help="In CSV, prefix cells that start like a spreadsheet formula with an apostrophe.",
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
    ctx.obj = Settings(data=path, color=color, width=width, formula_guard=formula_guard)


def _not_empty(value: str, option: str) -> str:
    """The value of an option that names something; an empty one is a usage error."""
    if not value:
        raise typer.BadParameter("needs a value, not an empty string", param_hint=f"'{option}'")
    return value


OutputOption = Annotated[
    str | None,
    typer.Option(
        "--output",
        "-o",
        help="Write to this file instead of stdout ('-' is stdout).",
        metavar="PATH",
    ),
]


def _complete_treatments(ctx: typer.Context, incomplete: str) -> list[str]:
    return _complete(ctx, incomplete, lambda loaded: [t.id for t in loaded.kb.treatments])


def _complete_attributes(ctx: typer.Context, incomplete: str) -> list[str]:
    return _complete(ctx, incomplete, lambda loaded: [a.id for a in loaded.kb.attributes])


def _complete(ctx: typer.Context, incomplete: str, ids: Callable[[Loaded], list[str]]) -> list[str]:
    data = ctx.find_root().params.get("data")
    try:
        loaded = _load_file(Path(data) if data else None, display=True)
    except KnowledgeFileError:
        return []
    return [item for item in ids(loaded) if item.startswith(incomplete.casefold())]


FormatOption = Annotated[
    Format,
    typer.Option(
        "--format", "-f", help="table, plain, markdown, json, csv or html.", show_default=True
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


@app.command("compare", short_help="Compare treatments side by side, with the claims.")
def compare_command(
    ctx: typer.Context,
    treatments: Annotated[
        list[str],
        typer.Argument(
            help="Two or more treatments: id, name or alias (e.g. ketamine opioids).",
            autocompletion=_complete_treatments,
            show_default=False,
            metavar="TREATMENT",
        ),
    ],
    attributes: Annotated[
        list[str] | None,
        typer.Option(
            "--attr",
            help="Only this attribute (repeat for more).",
            metavar="ATTRIBUTE",
            autocompletion=_complete_attributes,
        ),
    ] = None,
    fmt: FormatOption = Format.TABLE,
    output: OutputOption = None,
) -> None:
    """Compare treatments side by side, with the article's claims about them.

    Example: painopts compare ketamine opioids gabapentin --attr addiction_risk
    """
    loaded = _load(ctx)
    chosen = list({t.id: t for t in (resolve_treatment(loaded.kb, n) for n in treatments)}.values())
    if len(chosen) < 2:
        raise typer.BadParameter(
            "name two or more different treatments (for one, use 'painopts show')",
            param_hint="'TREATMENTS...'",
        )
    rows = [resolve_attribute(loaded.kb, name) for name in attributes or []]
    _show(ctx, loaded, compare.compare(loaded.kb, chosen, rows), fmt, output)


@app.command("list", short_help="List the treatments and their place in therapy.")
def list_command(
    ctx: typer.Context,
    condition: Annotated[
        catalog.Condition | None,
        typer.Option("--condition", help="Only treatments with a place for this kind of pain."),
    ] = None,
    fmt: FormatOption = Format.TABLE,
    output: OutputOption = None,
) -> None:
    """List the treatments: class, route, US schedule, place in therapy.

    Example: painopts list --condition neuropathic
    """
    loaded = _load(ctx)
    _show(ctx, loaded, catalog.list_view(loaded.kb, condition), fmt, output)


@app.command("show")
def show_command(
    ctx: typer.Context,
    treatment: TreatmentArgument,
    fmt: FormatOption = Format.TABLE,
    output: OutputOption = None,
) -> None:
    """Show one treatment in full, with the claims about it.

    Example: painopts show Ketalar
    """
    loaded = _load(ctx)
    _show(
        ctx, loaded, catalog.show(loaded.kb, resolve_treatment(loaded.kb, treatment)), fmt, output
    )


@app.command("claims")
def claims_command(
    ctx: typer.Context,
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
        Verdict | None, typer.Option("--verdict", help="Only claims with this verdict.")
    ] = None,
    article: Annotated[
        str | None,
        typer.Option("--article", help="Only claims of this article (id).", metavar="ARTICLE"),
    ] = None,
    fmt: Annotated[
        Format,
        typer.Option(
            "--format", "-f", help="table, plain, markdown, json, csv, html or claimreview."
        ),
    ] = Format.TABLE,
    output: OutputOption = None,
) -> None:
    """List the article's claims with verdict, assessment and sources.

    Examples: painopts claims --verdict contradicted;
    painopts claims -f claimreview -o claimreview.json
    """
    loaded = _load(ctx)
    kb = loaded.kb
    if article is not None and kb.article(article) is None:
        raise UnknownNameError("article", article, [a.id for a in kb.articles])
    chosen = claims.select_claims(
        kb, resolve_treatment(kb, treatment) if treatment is not None else None, verdict, article
    )
    _show(ctx, loaded, claims.claims_view(kb, chosen), fmt, output)


@app.command("sources")
def sources_command(
    ctx: typer.Context,
    cited_by: Annotated[
        str | None,
        typer.Option(
            "--cited-by",
            help="Only sources cited by this treatment or claim (id).",
            metavar="ID",
        ),
    ] = None,
    fmt: FormatOption = Format.TABLE,
    output: OutputOption = None,
) -> None:
    """List the sources: title, publisher, year, type, link.

    Example: painopts sources --cited-by ketamine-not-addictive
    """
    loaded = _load(ctx)
    keys = catalog.cited_by(loaded.kb, cited_by) if cited_by is not None else ()
    _show(ctx, loaded, catalog.sources_view(loaded.kb, keys), fmt, output)


@app.command("info")
def info_command(
    ctx: typer.Context, fmt: FormatOption = Format.TABLE, output: OutputOption = None
) -> None:
    """Show the knowledge file's version, review date and policies."""
    loaded = _load(ctx)
    _show(ctx, loaded, catalog.info(loaded.kb, loaded.name, loaded.sha256), fmt, output)


@app.command("report")
def report_command(
    ctx: typer.Context,
    fmt: Annotated[
        Format, typer.Option("--format", "-f", help="markdown, html or json (or any other format).")
    ] = Format.MARKDOWN,
    output: OutputOption = None,
) -> None:
    """Write one printable document: comparison, claims, sources.

    Example: painopts report -f html -o report.html
    """
    loaded = _load(ctx)
    _show(ctx, loaded, claims.report(loaded.kb), fmt, output)


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

    report = _report(path or _settings(ctx).data, strict)
    _emit(PROBLEM_RENDERERS[fmt](report), output)
    raise typer.Exit(EXIT_OK if report.valid else EXIT_DATA)


@app.command("schema")
def schema_command(output: OutputOption = None) -> None:
    """Print the JSON Schema of the knowledge file.

    Example: painopts schema -o treatments.schema.json
    """
    from painopts.load import bundled_schema_text

    _emit(bundled_schema_text(), output)


def _settings(ctx: typer.Context) -> Settings:
    settings = ctx.find_root().obj
    assert isinstance(settings, Settings)
    return settings


def _report(path: Path | None, strict: bool) -> Report:
    """Load a knowledge file and run every rule, as a located report."""
    from painopts.validate import check

    try:
        loaded = _load_file(path, display=False, on_parse=_show_progress)
    except KnowledgeFileError as error:
        return Report(name=error.name, problems=error.problems, strict=strict)
    return Report(name=loaded.name, problems=locate(loaded.text, check(loaded.kb)), strict=strict)


def _load(ctx: typer.Context) -> Loaded:
    return _load_file(_settings(ctx).data, display=True, on_parse=_show_progress)


def _load_file(
    path: Path | None, display: bool, on_parse: Callable[[int], object] | None = None
) -> Loaded:
    """A knowledge file, loaded for a command; start-up ends here.

    For display (and completion) the cache is used and rule errors refuse the file; for
    ``validate`` neither, since it reports every problem itself.
    """
    loaded = load(path, use_cache=display, on_parse=on_parse, reject=_errors if display else None)
    resume_collector()
    return loaded


def resume_collector() -> None:
    """End start-up: if the cyclic collector was paused for it, freeze what exists and resume.

    ``painopts.main`` pauses it while the libraries and the knowledge base load. Everything
    made so far lives until the command ends, so frozen it is never walked again (nor at
    exit), and the collector runs as usual for the command's own work.
    """
    import gc

    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def _errors(kb: KnowledgeBase) -> list[Problem]:
    """The rule violations that make a knowledge file unusable (warnings do not)."""
    from painopts.validate import check

    return [problem for problem in check(kb) if problem.severity is Severity.ERROR]


SLOW_FILE_CHARACTERS = 2_000_000
"""Files this large take a noticeable moment to validate the first time."""


def _show_progress(characters: int) -> None:
    """Say on a terminal's stderr that a large file is being validated; nothing otherwise."""
    if characters >= SLOW_FILE_CHARACTERS and sys.stderr.isatty():
        size = characters / 2**20
        sys.stderr.write(f"painopts: validating {size:.0f} MiB knowledge file (once per version)\n")


def _show(
    ctx: typer.Context, loaded: Loaded, document: Document, fmt: Format, output: str | None
) -> None:
    """Render a document in a format and write it; warnings go to stderr."""
    if fmt is Format.CLAIMREVIEW and document.kind not in {"claims", "report"}:
        raise typer.BadParameter(
            "claimreview is for 'painopts claims' and 'painopts report'", param_hint="'--format'"
        )
    for warning in document.warnings:
        sys.stderr.write(f"painopts: warning: {one_line(warning)}\n")
    settings = _settings(ctx)
    to_stdout = output in (None, "-")
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
    )
    rendered = renderer(fmt)(document, options)
    if fmt is Format.TABLE:
        rendered = _terminal_text(rendered, settings, to_stdout)
    _emit(rendered, output)


def _can_show_symbols() -> bool:
    try:
        "⊕◯✔✘◐⚠╭".encode(sys.stdout.encoding or "ascii")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def _terminal_text(renderable: object, settings: Settings, to_stdout: bool) -> str:
    """Rich output as text: coloured only for a terminal, never cut short."""
    from rich.console import Console

    buffer = io.StringIO()
    terminal = to_stdout and sys.stdout.isatty()
    force = settings.color is Color.ALWAYS or (settings.color is Color.AUTO and terminal)
    no_color = settings.color is Color.NEVER or (
        settings.color is Color.AUTO and bool(os.environ.get("NO_COLOR"))
    )
    console = Console(
        file=buffer,
        width=settings.width or (_terminal_width() if terminal else 100),
        force_terminal=force and not no_color,
        no_color=no_color,
        color_system="auto" if force and not no_color else None,
        highlight=False,
        emoji=False,
        markup=False,
        legacy_windows=False,
    )
    console.print(renderable)
    return buffer.getvalue()


def _terminal_width() -> int:
    import shutil

    return shutil.get_terminal_size((100, 24)).columns


def _emit(text: str, output: str | None) -> None:
    """Write text to stdout, or atomically to a file."""
    if output is not None:
        _not_empty(output, "-o")
    if output in (None, "-"):
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        write_atomically(Path(output), text)


def write_atomically(path: Path, text: str) -> None:
    """Write a whole file or nothing: a temporary file in the same folder, then a rename."""
    import tempfile

    folder = path.parent
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise OutputError(f"cannot write {path}: {error.strerror}") from None
    try:
        os.chmod(temporary, _file_mode(path))
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise OutputError(f"cannot write {path}: {error.strerror}") from None
        raise


def _file_mode(path: Path) -> int:
    """The mode the written file gets: the old file's, or what the umask allows a new one."""
    import stat

    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _fail(message: str, code: int) -> int:
    sys.stderr.write(f"painopts: error: {one_line(message)}\n")
    return code


def _data_error(error: KnowledgeFileError) -> int:
    from painopts.render.problems import described, position

    first: Problem = error.problems[0]
    more = len(error.problems) - 1
    suffix = f" (+{more} more; run 'painopts validate')" if more else ""
    return _fail(f"{position(error.name, first)}: {described(first)}{suffix}", EXIT_DATA)


def main_exit_code(argv: list[str] | None = None) -> int:  # noqa: PLR0911 - one per exit path
    """Run painopts and return its exit code; expected failures become one line on stderr."""
    arguments = sys.argv[1:] if argv is None else argv
    _tolerate_narrow_encodings()
    try:
        result = _app_for(arguments)(args=arguments, prog_name="painopts", standalone_mode=False)
    except typer.TyperException as error:
        return _fail(error.format_message().replace("Value error, ", ""), error.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        return _fail("interrupted", EXIT_INTERRUPTED)
    except KnowledgeFileError as error:
        return _data_error(error)
    except UnknownNameError as error:
        return _fail(str(error), EXIT_USAGE)
    except (OutputError, DamagedEntryError) as error:
        return _fail(str(error), EXIT_DATA)
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_OK
    if result == EXIT_INTERRUPTED:  # Typer turns Ctrl-C into a silent exit 130
        return _fail("interrupted", EXIT_INTERRUPTED)
    return result if isinstance(result, int) else EXIT_OK


_GLOBAL_OPTIONS_WITH_VALUES = ("--data", "--color", "--width")


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


def _silence_stdout() -> None:
    """After the reader of a pipe went away, stop Python from complaining at exit."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
