"""The command line as a person types and reads it: fitting help, global options anywhere.

Help is laid out for the terminal's own width (40 columns and up, at most 100), never wraps an
id or an option at a hyphen, shows no Python type names, and lists each command's summary
whole. Global options (``--width``, ``--data``, ``-q``...) may come after the command's name:
they are moved in front of it before the command line is parsed.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from typing import Any

import typer
from typer._click.core import Context as ClickContext
from typer._click.formatting import HelpFormatter
from typer.core import TyperGroup

MAX_HELP_WIDTH = 100
"""Help wider than this is hard to read, whatever the terminal."""

NARROW = 60
"""Below this width, an option's help goes on the lines under its name."""

_TYPE_NAME = re.compile(r" <(?:list\[)?(?:str|int|float|bool|path|Path)\]?>$")
"""The Python type Typer adds to an argument's name in help (``<str>``, ``<list[str]>``)."""


def help_width() -> int:
    """The width help is laid out in: the terminal's, less one column, within 40 and 100."""
    from painopts.cli.session import terminal_width

    return min(terminal_width(), MAX_HELP_WIDTH) - 1


def _wrap(text: str, width: int, first: str = "", rest: str = "") -> list[str]:
    """Lines of at most ``width`` columns, broken at spaces only (never in an id or a URL)."""
    wrapper = textwrap.TextWrapper(
        max(width, 10),
        initial_indent=first,
        subsequent_indent=rest,
        break_on_hyphens=False,
        break_long_words=False,
    )
    return wrapper.wrap(" ".join(text.split())) or [first.rstrip()]


class Formatter(HelpFormatter):
    """Click's help formatter, wrapping at spaces only and stacking options when narrow."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        """``Usage: painopts claims [OPTIONS]``, the arguments under it when they do not fit."""
        head = f"{' ' * self.current_indent}{prefix or 'Usage: '}{prog}"
        if len(head) + 1 + len(args) <= self.width:
            self.write(f"{head} {args}".rstrip() + "\n")
            return
        indent = " " * (self.current_indent + 4)
        self.write(head + "\n" + "\n".join(_wrap(args, self.width, indent, indent)) + "\n")

    def write_text(self, text: str) -> None:
        """Paragraphs (separated by blank lines), each wrapped at the current indent."""
        indent = " " * self.current_indent
        paragraphs = [part for part in re.split(r"\n\s*\n", text) if part.strip()]
        blocks = ["\n".join(_wrap(part, self.width, indent, indent)) for part in paragraphs]
        self.write("\n\n".join(blocks) + "\n")

    def write_dl(
        self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        """Each name and its help; the help on the lines under the name when the name is long."""
        rows = [self._fitted(_TYPE_NAME.sub("", first), second) for first, second in rows]
        if self.width < NARROW:
            col_max = 12
        names = [len(first) for first, _ in rows]
        column = min(max(names, default=0), col_max) + col_spacing
        left = " " * self.current_indent
        for first, second in rows:
            start = f"{left}{first}"
            if not second:
                self.write(start + "\n")
                continue
            pad = " " * (self.current_indent + column)
            if len(first) + col_spacing <= column:
                lead = start + " " * (column - len(first))
                self.write("\n".join(_wrap(second, self.width, lead, pad)) + "\n")
            else:
                self.write(start + "\n" + "\n".join(_wrap(second, self.width, pad, pad)) + "\n")

    def _fitted(self, name: str, text: str) -> tuple[str, str]:
        """A name too wide for the terminal gives its choices (``<a|b>``) to the help text."""
        if self.current_indent + len(name) < self.width or " <" not in name:
            return name, text
        name, choices = name.split(" <", 1)
        return name, f"{text} One of: {choices.rstrip('>').replace('|', ', ')}."


class Context(typer.Context):
    """A command's context, its help made by `Formatter`."""

    formatter_class = Formatter


class Group(TyperGroup):
    """The painopts group: help that fits, summaries whole, global options anywhere."""

    context_class = Context

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: ClickContext | None = None,
        **extra: Any,
    ) -> ClickContext:
        """A context whose help (and its commands' help) is laid out for this terminal."""
        extra.setdefault("terminal_width", help_width())
        return super().make_context(info_name, args, parent, **extra)

    def get_command(self, ctx: ClickContext, cmd_name: str) -> Any:
        """The command, its help made with the same formatter."""
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            command.context_class = Context
        return command

    def format_commands(self, ctx: ClickContext, formatter: Any) -> None:
        """Each command with its whole summary, never cut short with ``...``."""
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=1000)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def parse_args(self, ctx: ClickContext, args: list[str]) -> list[str]:
        """Parse with the global options given after the command moved in front of it."""
        return super().parse_args(ctx, hoisted(args, self.params))


def hoisted(args: list[str], params: Sequence[Any]) -> list[str]:
    """The arguments with the global options found after the command's name put before it.

    ``params`` are the group's own options; an option that takes a value keeps its value (the
    next argument, unless given as ``--name=value``). Nothing after ``--`` moves.
    """
    takes_value = {
        name: not getattr(param, "is_flag", False)
        for param in params
        if not getattr(param, "is_eager", False)
        for name in (*param.opts, *getattr(param, "secondary_opts", ()))
    }
    position = _command_position(args, takes_value)
    if position is None:
        return args
    moved: list[str] = []
    kept: list[str] = []
    rest = iter(args[position + 1 :])
    for argument in rest:
        if argument == "--":
            kept += [argument, *rest]
            break
        name = argument.split("=", 1)[0]
        if name not in takes_value:
            kept.append(argument)
            continue
        moved.append(argument)
        if takes_value[name] and "=" not in argument:
            moved.extend(_value(rest))
    return [*args[:position], *moved, args[position], *kept]


def _value(rest: Any) -> list[str]:
    value = next(rest, None)
    return [] if value is None else [value]


def _command_position(args: list[str], takes_value: dict[str, bool]) -> int | None:
    """Where the command's name is: the first word that is neither an option nor its value."""
    skip = False
    for index, argument in enumerate(args):
        if skip:
            skip = False
        elif argument.startswith("-"):
            skip = takes_value.get(argument, False)
        else:
            return index
    return None
