"""What every command shares: the global settings, loading, and writing a document out.

Commands call `load_for` and `emit`; which formats a document accepts lives in
``painopts.render``, writing in ``painopts.output``.
"""

from __future__ import annotations

import enum
import os
import sys
from dataclasses import replace
from pathlib import Path

import typer

from painopts import __version__, end_of_start_up
from painopts.cli.inputs import inputs, refuse_inputs
from painopts.load import KnowledgeFileError, Loaded, bundled_path
from painopts.model import Report, record
from painopts.output import write
from painopts.pager import page
from painopts.render import Envelope, Format, Options
from painopts.render.text import one_line
from painopts.views.document import Document

MIN_WIDTH, MAX_WIDTH = 40, 1000


EXIT_OK = 0


EXIT_DATA = 1


EXIT_USAGE = 2


EXIT_INTERRUPTED = 130


class Color(str, enum.Enum):
    """When to colour terminal output."""

    AUTO = "auto"
    ALWAYS = "always"
    NEVER = "never"


@record
class Settings:
    """Global options, shared by every command."""

    data: Path | None
    color: Color
    width: int | None
    formula_guard: bool = True
    pager: bool = True
    quiet: bool = False
    """``-q``: no warnings on stderr."""
    added: tuple[Path, ...] = ()
    """Files read on top of the knowledge file (--add)."""


def not_empty(value: str, option: str) -> str:
    """The value of an option that names something; an empty one is a usage error."""
    if not value:
        raise typer.BadParameter("needs a value, not an empty string", param_hint=f"'{option}'")
    return value


def settings_of(ctx: typer.Context) -> Settings:
    """The global options of this run."""
    settings = ctx.find_root().obj
    assert isinstance(settings, Settings)
    return settings


def validation_report(path: Path | None, strict: bool, added: tuple[Path, ...] = ()) -> Report:
    """Load a knowledge file without the cache and run every rule, as a located report.

    With files added on top (--add), the report is on the added files (see `layer_report`).
    """
    from painopts.load import layer_report, load, locate
    from painopts.validate import check

    hint_standard_input(path)
    if added:
        name, found = layer_report([path or bundled_path(), *added])
        end_of_start_up()
        return Report(name=shown_name(name), problems=found, strict=strict)

    try:
        loaded = load(path)
    except KnowledgeFileError as error:
        return Report(name=shown_name(error.name), problems=error.problems, strict=strict)
    finally:
        end_of_start_up()
    problems = locate(loaded.text or "", check(loaded.kb))
    return Report(name=shown_name(loaded.name), problems=problems, strict=strict)


def load_for(ctx: typer.Context) -> Loaded:
    """The knowledge file the global options name, loaded for display."""
    settings = settings_of(ctx)
    hint_standard_input(settings.data)
    return load_file(settings.data, settings.added)


STDIN_HINT = (
    "painopts: reading the knowledge file from standard input (--data -); "
    "paste it and press Ctrl-D, or give --data PATH\n"
)


def hint_standard_input(path: Path | None) -> None:
    """Say on stderr what ``--data -`` waits for when standard input is a terminal."""
    terminal = sys.stdin is not None and sys.stdin.isatty()
    if path == Path("-") and terminal and sys.stderr is not None:
        sys.stderr.write(STDIN_HINT)


def load_file(path: Path | None, added: tuple[Path, ...] = ()) -> Loaded:
    """A knowledge file loaded for display (cache, rules); start-up ends here."""
    from painopts.load import for_display

    try:
        loaded = for_display(path, on_parse=show_progress, added=added)
    finally:
        end_of_start_up()
    return replace(loaded, name=shown_name(loaded.name))


def shown_name(name: str) -> str:
    """A file name as documents show it: bytes that are not UTF-8 as backslash escapes.

    Python keeps such bytes of a path as lone surrogates, which UTF-8 cannot encode; the byte
    0xFF becomes the four characters backslash, x, f, f.
    """
    try:
        raw = name.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate no file name gives
        raw = name.encode("utf-8", "backslashreplace")
    return raw.decode("utf-8", "backslashreplace")


SLOW_FILE_CHARACTERS = 2_000_000
"""Files this large take a noticeable moment to validate the first time."""


def show_progress(characters: int) -> None:
    """Say on a terminal's stderr that a large file is being validated; nothing otherwise."""
    if characters >= SLOW_FILE_CHARACTERS and sys.stderr.isatty():
        size = characters / 2**20
        sys.stderr.write(f"painopts: validating {size:.0f} MiB knowledge file (once per version)\n")


def choose(
    ctx: typer.Context,
    kind: str,
    asked: Format | None,
    output: str | None,
    default: Format = Format.TABLE,
) -> Format:
    """The format to write: asked for, implied by the output name, or the default.

    An output that is one of the command's inputs is refused first, whatever its name implies.
    """
    from painopts.render import choose_format

    refuse_inputs(output, inputs(ctx))
    return choose_format(kind, asked, output, default)


def emit(
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

    settings = settings_of(ctx)
    to_stdout = output in (None, "-")
    terminal = to_stdout and sys.stdout is not None and sys.stdout.isatty()
    if terminal and asked is None and default is Format.MARKDOWN:
        default = Format.TABLE  # a terminal shows Markdown's marks raw: lay it out instead
    fmt = choose(ctx, document.kind, asked, output, default)
    for warning in () if settings.quiet else (*loaded.warnings, *document.warnings):
        warn(warning)
    options = Options(
        envelope=Envelope(
            tool_version=__version__,
            file=loaded.name,
            sha256=loaded.sha256,
            version=loaded.kb.meta.version,
            last_reviewed=loaded.kb.meta.last_reviewed.isoformat(),
        ),
        ascii=to_stdout and not can_show_symbols(),
        formula_guard=settings.formula_guard,
        width=settings.width or (terminal_width() if terminal else 100),
        color=colour(settings.color, terminal),
        review_url=review_url,
        meta=loaded.kb.meta,
    )
    text = renderer(fmt)(document, options)
    if not (terminal and settings.pager and fmt is Format.TABLE and page(text, terminal_height())):
        write_text(ctx, text, output)


def write_text(ctx: typer.Context, text: str, output: str | None) -> None:
    """Write text to stdout or -o, refusing to overwrite any file the command line reads."""
    if output is not None:
        not_empty(output, "-o")
    read = inputs(ctx)
    refuse_inputs(output, read)
    write(text, output, inputs=tuple(read))


def colour(color: Color, terminal: bool) -> bool:
    """Whether to colour: --color always or never wins; auto colours a terminal without NO_COLOR."""
    if color is not Color.AUTO:
        return color is Color.ALWAYS
    return terminal and not os.environ.get("NO_COLOR")


def can_show_symbols() -> bool:
    """Whether stdout's encoding can show the verdict and certainty symbols."""
    try:
        "⊕◯✔✘◐⚠╭".encode(getattr(sys.stdout, "encoding", None) or "ascii")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def terminal_width() -> int:
    """The terminal's width (or COLUMNS), within the bounds --width has."""
    import shutil

    return min(max(shutil.get_terminal_size((100, 24)).columns, MIN_WIDTH), MAX_WIDTH)


def terminal_height() -> int:
    """The terminal's height in lines."""
    import shutil

    return shutil.get_terminal_size((100, 24)).lines


def warn(message: str) -> None:
    """One warning line on stderr (if there is a stderr)."""
    if sys.stderr is not None:
        sys.stderr.write(f"painopts: warning: {one_line(message)}\n")
