"""Running the app: one line on stderr and a documented exit code for every expected failure."""

from __future__ import annotations

import io
import os
import sys

import typer

from painopts.cli.commands import APP_SETTINGS, app
from painopts.cli.session import EXIT_DATA, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE
from painopts.load import KnowledgeFileError
from painopts.model import Problem, SelectionError, UnknownNameError
from painopts.output import OutputError, TerminatedError, silence_stdout
from painopts.render import FormatError, UnwritableError
from painopts.render.text import one_line


def _fail(message: str, code: int) -> int:
    if sys.stderr is not None:
        sys.stderr.write(f"painopts: error: {one_line(message)}\n")
    return code


EXIT_CODES: dict[type[Exception], int] = {
    KnowledgeFileError: EXIT_DATA,
    OutputError: EXIT_DATA,
    UnwritableError: EXIT_DATA,
    UnknownNameError: EXIT_USAGE,
    SelectionError: EXIT_USAGE,
    FormatError: EXIT_USAGE,
}
"""Every error painopts raises for a person to read, with its exit code (README, Exit codes).

Subclasses share their base's code. A test fails for an error type defined in painopts that is
neither here nor caught by name in the CLI (where it becomes a usage error on its parameter).
"""
_EXPECTED = tuple(EXIT_CODES)


def _expected(error: Exception) -> int:
    """One line on stderr for an expected error, and its exit code."""
    code = next(code for kind, code in EXIT_CODES.items() if isinstance(error, kind))
    if isinstance(error, KnowledgeFileError):
        return _fail(_data_message(error), code)
    return _fail(str(error), code)


def _data_message(error: KnowledgeFileError) -> str:
    from painopts.render.problems import described, position

    first: Problem = error.problems[0]
    more = len(error.problems) - 1
    suffix = f" (+{more} more; run 'painopts validate')" if more else ""
    return f"{position(error.name, first)}: {described(first)}{suffix}"


GLOBAL_OPTIONS = {
    "--data": True,
    "--add": True,
    "--color": True,
    "--width": True,
    "--formula-guard": False,
    "--no-formula-guard": False,
    "--pager": False,
    "--no-pager": False,
    "--quiet": False,
}
"""The global options, and whether each takes a value (a test checks this against the app)."""


def _usage_message(error: typer.TyperException) -> str:
    message = error.format_message().replace("Value error, ", "")
    misplaced = next((name for name in GLOBAL_OPTIONS if f"No such option: {name}" in message), "")
    if misplaced:
        message += f" ({misplaced} is a global option: put it before the command)"
    return message


def main_exit_code(argv: list[str] | None = None) -> int:  # noqa: PLR0911
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
    except _EXPECTED as error:
        return _expected(error)
    except BrokenPipeError:
        silence_stdout()
        return EXIT_OK
    else:
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
    single = typer.Typer(**APP_SETTINGS)
    single.registered_callback = app.registered_callback
    single.registered_commands = chosen
    return single


def _command_name(arguments: list[str]) -> str | None:
    values_follow = False
    for argument in arguments:
        if values_follow:
            values_follow = False
        elif GLOBAL_OPTIONS.get(argument):
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
