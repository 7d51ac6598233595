"""The files a command reads, recorded as its command line is parsed, so ``-o`` never replaces one.

Every parameter that names a file to read declares it with `reads` (its callback), whatever the
command. `refuse_inputs` then refuses an output that is one of them, saying which it is, and
`inputs` hands them all to `painopts.output.write`, which refuses them again as it writes.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import typer

from painopts.output import OutputError

_KEY = "painopts.inputs"
"""Where the files read are kept: ``ctx.meta``, which every context of one run shares."""


def reads(what: str, absent: Callable[[], Iterable[Path]] = tuple) -> Callable[..., Any]:
    """A parameter callback recording the file (or files) the parameter names as an input.

    ``what`` says what the file is (``the article being checked``); ``absent`` gives the files
    read when the parameter is not given (the bundled knowledge file for ``--data``). ``-``
    (standard input) is no file.
    """

    def record(ctx: typer.Context, value: Any) -> Any:
        if value is None:
            names: Iterable[Any] = absent()
        else:
            names = value if isinstance(value, list | tuple) else [value]
        found: dict[Path, str] = ctx.meta.setdefault(_KEY, {})
        for name in names:
            if name and str(name) != "-":
                found.setdefault(Path(name), what)
        return value

    record.reads = what  # type: ignore[attr-defined]  # how a test finds the declared inputs
    return record


def inputs(ctx: typer.Context) -> dict[Path, str]:
    """Every file this run's command line names to read, with what it is."""
    found: dict[Path, str] = ctx.meta.get(_KEY, {})
    return found


def refuse_inputs(output: str | None, read: dict[Path, str]) -> None:
    """Refuse ``-o`` naming a file being read (also through a link or another hard link)."""
    if output in (None, "-"):
        return
    try:
        facts = os.stat(output or "")
    except OSError:  # nothing there yet, or unreadable: the write says which
        return
    for path, what in read.items():
        try:
            same = os.path.samestat(facts, os.stat(path))
        except OSError:
            continue
        if same:
            raise OutputError(f"refusing to write {output}: it is {what}")
