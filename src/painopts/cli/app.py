"""The app and its global options (``--data``, ``--add``, ``--width`` ...), for every command."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from painopts import __version__
from painopts.cli.help import Group
from painopts.cli.inputs import reads
from painopts.cli.session import (
    EXIT_OK,
    MAX_WIDTH,
    MIN_WIDTH,
    Color,
    Settings,
    not_empty,
)
from painopts.load import bundled_path

APP_SETTINGS: dict[str, Any] = {
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


app = typer.Typer(**APP_SETTINGS)

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
            callback=reads(KNOWLEDGE_FILE, lambda: added_files(None)),
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
    ctx.obj = Settings(path, color, width, formula_guard, pager, quiet, added_files(add))


def added_files(add: list[str] | None) -> tuple[Path, ...]:
    """The files --add names, or those PAINOPTS_ADD lists when --add is not given."""
    import os

    if add is None:
        add = [part for part in os.environ.get("PAINOPTS_ADD", "").split(os.pathsep) if part]
    return tuple(Path(not_empty(name, "--add")) for name in add)
