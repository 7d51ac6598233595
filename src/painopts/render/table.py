"""The terminal format: Rich tables. The only renderer that imports Rich.

Every string becomes a ``rich.text.Text``, never markup, so ``[citation needed]`` shows as
written; verdicts and levels carry a word and a symbol, colour only adds to them.
"""

from __future__ import annotations

import io
import re

from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.style import Style
from rich.table import Table as RichTable
from rich.text import Text

from painopts.model import Verdict
from painopts.render import Options
from painopts.render.text import (
    NOTICE,
    certainty_label,
    cites_label,
    inert,
    is_address,
    legend,
    rated,
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
    elif _addresses(cell.text):
        out = linked(cell.text)
    else:
        out = Text(inert(rated(cell, options.ascii)), style="italic" if cell.special else "")
    if cell.certainty:
        out.append("\n" + certainty_label(cell.certainty, options.ascii), style="dim")
    if cell.cites:
        out.append("\n" + cites_label(cell.cites), style="cyan")
    return out


def _addresses(value: str) -> bool:
    return bool(value) and all(is_address(word) for word in value.split(" "))


def linked(value: str) -> Text:
    """Web addresses as terminal hyperlinks (OSC 8, written only where colour is on).

    Each address passes the one link policy (`is_address`); the text shown is the address.
    """
    out = Text()
    for number, word in enumerate(value.split(" ")):
        out.append((" " if number else "") + word, style=Style(link=word))
    return out


def table(grid: Table, options: Options) -> RenderableType:
    """A Rich table that folds long text and never breaks an id; stacked records when too narrow."""
    texts = [[cell_text(cell, options) for cell in row] for row in grid.rows]
    if grid.compact and _fits_one_line(grid, texts, options):
        return _compact(grid, texts, options)
    widths = column_widths(grid, texts, options)
    if widths is None:
        return stacked(grid, options)
    out = RichTable(
        title=Text(inert(grid.title), style="bold"),
        box=box.ASCII if options.ascii else box.ROUNDED,
        show_lines=any(
            _spans_lines(cell, options.width // len(grid.columns))
            for row in grid.rows
            for cell in row
        ),
        expand=False,
    )
    for index, column in enumerate(grid.columns):
        out.add_column(
            Text(inert(column)),
            overflow="fold",
            style="bold" if index == 0 else "",
            width=widths[index],
        )
    for row in texts:
        out.add_row(*row)
    return out


COMPACT_GAP = 2
"""Spaces between the columns of a table drawn without borders."""


def _fits_one_line(grid: Table, texts: list[list[Text]], options: Options) -> bool:
    """Whether every row fits one line with the columns at their natural widths, no borders."""
    count = len(grid.columns)
    natural = [
        max(_longest(t) for t in (Text(grid.columns[i]), *(row[i] for row in texts)))
        for i in range(count)
    ]
    single = all("\n" not in text.plain for row in texts for text in row)
    return single and sum(natural) + COMPACT_GAP * (count - 1) <= options.width


def _compact(grid: Table, texts: list[list[Text]], options: Options) -> RenderableType:
    """The table without borders: a header, a rule under it, then one line a row."""
    out = RichTable(
        title=Text(inert(grid.title), style="bold"),
        box=box.ASCII2 if options.ascii else box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        padding=(0, 1),
        expand=False,
    )
    for index, column in enumerate(grid.columns):
        out.add_column(Text(inert(column)), no_wrap=True, style="bold" if index == 0 else "")
    for row in texts:
        out.add_row(*row)
    return out


def column_widths(grid: Table, texts: list[list[Text]], options: Options) -> list[int] | None:
    """Each column's width: ids and verdicts whole, free text sharing the rest (None: too narrow).

    A column takes its natural width (its longest line) when the table fits; otherwise the
    columns of free text share what the unbreakable ones leave, in proportion to their natural
    widths, none narrower than its longest word (see LONGEST_WORD) or source key; when even that
    does not fit, the records are stacked instead.
    """
    count = len(grid.columns)
    headers = [Text(inert(column)) for column in grid.columns]
    cells = [[headers[index], *(row[index] for row in texts)] for index in range(count)]
    natural = [max(_longest(text) for text in column) for column in cells]
    unbreakable = [all(row[index].unbreakable for row in grid.rows) for index in range(count)]
    pinned = [
        max(
            (
                _longest(row[i])
                for row, cells_ in zip(texts, grid.rows, strict=True)
                if cells_[i].unbreakable
            ),
            default=0,
        )
        for i in range(count)
    ]
    keys = [
        max((len(key) + 2 for row in grid.rows for key in row[index].cites), default=0)
        for index in range(count)
    ]
    words = [min(max(_longest(text, None) for text in column), LONGEST_WORD) for column in cells]
    floor = [
        natural[index]
        if unbreakable[index]
        else max(words[index], keys[index], min(natural[index], READABLE), pinned[index])
        for index in range(count)
    ]
    room = options.width - (3 * count + 1)
    if room < sum(floor):
        return None
    widths = {index: natural[index] for index in range(count) if unbreakable[index]}
    room -= sum(widths.values())
    shared = _share([i for i in range(count) if not unbreakable[i]], natural, floor, room)
    if shared is None:
        return None
    widths |= shared
    return [widths[index] for index in range(count)]


READABLE = 16
"""A column of free text gets at least this many characters (or its natural width if less)."""


def _share(
    free: list[int], natural: list[int], floor: list[int], room: int
) -> dict[int, int] | None:
    """Widths for the columns of free text in ``room`` (None: it cannot be done).

    A column takes its natural width where that leaves the others their floors; the rest share
    what is left in proportion to their natural widths.
    """
    widths: dict[int, int] = {}
    free = sorted(free, key=natural.__getitem__)
    while free and natural[free[0]] <= room // len(free):
        index = free[0]
        if room - natural[index] < sum(floor[other] for other in free[1:]):
            break
        widths[index] = natural[index]
        room -= natural[index]
        free.pop(0)
    if free:
        total = sum(natural[index] for index in free)
        shares = {index: max(floor[index], room * natural[index] // total) for index in free}
        while sum(shares.values()) > room:
            wider = [index for index in shares if shares[index] > floor[index]]
            if not wider:
                return None
            shares[max(wider, key=shares.__getitem__)] -= 1
        widths |= shares
    return widths


LONGEST_WORD = 20
"""A column of free text is never narrower than its longest word (up to this many characters)
or its longest source key, so that both wrap whole; longer words, such as addresses, fold."""


def _longest(text: Text, separator: str | None = "\n") -> int:
    """The longest line of a cell's text (or, with separator None, its longest word)."""
    return max((len(part) for part in text.plain.split(separator)), default=0)


def _spans_lines(cell: Cell, room: int) -> bool:
    """Whether a cell may take more than one line (then rows are ruled off from each other)."""
    return bool(cell.certainty or cell.cites) or "\n" in cell.text or len(cell.text) > room - 3


def stacked(grid: Table, options: Options) -> RenderableType:
    """The table as records, one after another: the first cell, then 'Column: value' lines.

    A table of two columns (a label and its value) shows the value under its label alone.
    """
    parts: list[RenderableType] = [Text(inert(grid.title), style="bold")]
    named = len(grid.columns) > 2
    for row in grid.rows:
        first, *rest = row
        record = Text.assemble(cell_text(first, options), style="bold")
        for column, cell in zip(grid.columns[1:], rest, strict=True):
            record.append("\n" + (inert(column) + ": " if named else ""), style="dim")
            record.append_text(cell_text(cell, options))
        parts += [Text(""), record]
    return Group(*parts)


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
    return _TRAILING.sub(r"\1", buffer.getvalue())


_TRAILING = re.compile(r" +((?:\x1b\[[0-9;]*m)*)$", re.MULTILINE)
"""Spaces at the end of a line (before any closing colour codes): padding nobody sees."""


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
        if section.hints:  # one short paragraph: what to type next
            parts.append(Text(inert(" ".join(section.hints)), style="dim"))
    explained = legend(document, options.ascii)
    if explained:
        parts.append(Text(explained, style="dim"))
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
