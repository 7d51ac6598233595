"""The terminal format: Rich tables. The only renderer that imports Rich.

Every string becomes a ``rich.text.Text``, never markup, so ``[citation needed]`` shows as
written; verdicts and levels carry a word and a symbol, colour only adds to them.
"""

from __future__ import annotations

import io

from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table as RichTable
from rich.text import Text

from painopts.model import Verdict
from painopts.render import Options
from painopts.render.text import (
    NOTICE,
    certainty_label,
    cites_label,
    inert,
    reference_text,
    verdict_label,
)
from painopts.views.document import Cell, Document, Table

VERDICT_STYLES = {
    Verdict.SUPPORTED: "bold green",
    Verdict.PARTLY_SUPPORTED: "bold yellow",
    Verdict.MISLEADING: "bold dark_orange",
    Verdict.UNSUPPORTED: "bold magenta",
    Verdict.CONTRADICTED: "bold red",
}


def cell_text(cell: Cell, options: Options) -> Text:
    """A cell as styled text: the value (or verdict), certainty and citations on their own lines."""
    if cell.verdict:
        out = Text(verdict_label(cell.verdict, options.ascii), style=VERDICT_STYLES[cell.verdict])
    else:
        out = Text(inert(cell.text), style="italic" if cell.special else "")
    if cell.certainty:
        out.append("\n" + certainty_label(cell.certainty, options.ascii), style="dim")
    if cell.cites:
        out.append("\n" + cites_label(cell.cites), style="cyan")
    return out


def table(grid: Table, options: Options) -> RichTable:
    """A Rich table that folds long text instead of cutting it."""
    out = RichTable(
        title=Text(inert(grid.title), style="bold"),
        box=box.ASCII if options.ascii else box.ROUNDED,
        show_lines=True,
        expand=False,
    )
    for index, column in enumerate(grid.columns):
        out.add_column(Text(inert(column)), overflow="fold", style="bold" if index == 0 else "")
    for row in grid.rows:
        out.add_row(*(cell_text(cell, options) for cell in row))
    return out


def render(document: Document, options: Options) -> str:
    """The document as terminal text, laid out in ``options.width`` columns, never cut short."""
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=options.width,
        force_terminal=options.color,
        no_color=not options.color,
        color_system="auto" if options.color else None,
        highlight=False,
        emoji=False,
        markup=False,
        legacy_windows=False,
    )
    console.print(renderable(document, options))
    return buffer.getvalue()


def renderable(document: Document, options: Options) -> RenderableType:
    """The document as one Rich renderable."""
    parts: list[RenderableType] = [
        Text(inert(document.title), style="bold underline"),
        Text(NOTICE, style="italic"),
    ]
    for section in document.sections:
        if not section.tables:
            parts.append(Text(inert(section.heading), style="bold"))
        parts.extend(Text(inert(note)) for note in section.notes)
        parts.extend(table(grid, options) for grid in section.tables)
    if document.references:
        parts.append(Text("References", style="bold"))
        parts.extend(Text(reference_text(r), overflow="fold") for r in document.references)
    disclaimer = Text(inert(document.disclaimer))
    parts.append(
        Panel(
            disclaimer, title="Not medical advice", box=box.ASCII if options.ascii else box.ROUNDED
        )
    )
    spaced: list[RenderableType] = []
    for part in parts:
        spaced += [part, Text("")]
    return Group(*spaced[:-1])
