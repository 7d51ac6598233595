"""``-o`` never replaces a file the command reads: every input of every command, by construction.

The command tree is the real one (Click's, as Typer builds it). Each parameter that names a file
to read is found two ways, by what it says (its metavar or help) and by its declaration
(`painopts.cli.inputs.reads`), and both must agree; then every command is run with ``-o`` onto
each such file and must refuse with one line and exit code 1, leaving the file byte for byte.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
import typer.main
import yaml
from tests.conftest import MINIMAL

from painopts.cli import app

TREE = typer.main.get_command(app)

NOT_FILES = {"review_url"}
"""Parameters whose help says "file" without naming one to read (the knowledge file's field)."""


def commands(command: Any = TREE, path: tuple[str, ...] = ()) -> dict[tuple[str, ...], Any]:
    """Every command that writes (has ``-o``), by its words on the command line."""
    found = {path: command} if any(p.name == "output" for p in command.params) else {}
    for name, sub in getattr(command, "commands", {}).items():
        found |= commands(sub, (*path, name))
    return found


def declared(param: Any) -> str | None:
    """What `reads` says the parameter's file is, or None for a parameter not declared with it."""
    return getattr(getattr(param.callback, "__wrapped__", None), "reads", None)


def says_it_names_a_file(param: Any) -> bool:
    words = getattr(param, "help", None) or ""
    return param.name != "output" and (
        param.metavar in ("PATH", "FILE") or re.search(r"\bfile\b(?!')", words) is not None
    )


ALL_PARAMS = [
    (path, param) for path, command in {(): TREE, **commands()}.items() for param in command.params
]


def test_every_parameter_that_names_a_file_is_declared_as_an_input() -> None:
    named = {(path, p.name) for path, p in ALL_PARAMS if says_it_names_a_file(p)}
    named -= {(path, name) for path, name in named if name in NOT_FILES}
    recorded = {(path, p.name) for path, p in ALL_PARAMS if declared(p)}
    assert named == recorded
    assert {((), "data"), ((), "add"), (("validate",), "path"), (("check",), "article")} <= named


def test_every_command_that_writes_is_found() -> None:
    found = {" ".join(path) for path in commands()}
    assert {"compare", "list", "show", "claims", "check", "validate", "schema", "new article"} <= (
        found
    )


def two_treatments() -> str:
    """The minimal file with a second treatment, so that ``compare --all`` has two."""
    data = yaml.safe_load(MINIMAL.read_text())
    data["treatments"].append(
        {**copy.deepcopy(data["treatments"][0]), "id": "beta", "name": "Beta", "aliases": []}
    )
    return str(yaml.safe_dump(data, sort_keys=False))


LAYER = (
    "articles:\n  - id: extra\n    title: Another test article\n    publisher: A test clinic\n"
    "    type: promotional-article\n    conflicts_of_interest: None.\n    summary: Says nothing.\n"
)
ARTICLE = "Alpha blocks a receptor.\n"
SAMPLES = {"TREATMENT": "alpha", "ID": "a-new-article", "ARTICLE": "article.txt"}
"""A value for each required argument, by its metavar."""
EXTRA = {("compare",): ["--all"]}
"""What a command needs beyond its required arguments to get as far as writing."""


def invocation(
    path: tuple[str, ...], command: Any, tested: Any, folder: Path
) -> tuple[list[str], Path]:
    """The command line writing onto the file ``tested`` names, and that file."""
    files = {
        "data": "kb.yaml",
        "add": "layer.yaml",
        "path": "checked.yaml",
        "article": "article.txt",
    }
    contents = {"kb.yaml": two_treatments(), "layer.yaml": LAYER, "checked.yaml": two_treatments()}
    for name, text in {**contents, "article.txt": ARTICLE}.items():
        (folder / name).write_text(text)
    target = folder / files[tested.name]
    head = ["--data", str(folder / "kb.yaml")]
    if tested.name == "add":
        head += ["--add", str(target)]
    words: list[str] = []
    for param in command.params:
        if param.param_type_name == "argument" and (param.required or param is tested):
            words.append(str(target) if param is tested else SAMPLES[param.metavar])
    return [*head, *path, *words, *EXTRA.get(path, []), "-o", str(target)], target


CASES = [
    pytest.param(path, param, id=f"{' '.join(path)}:{param.name}")
    for path, command in commands().items()
    for param in (*TREE.params, *command.params)
    if declared(param)
]


@pytest.mark.parametrize(("path", "tested"), CASES)
def test_output_onto_an_input_is_refused_and_the_input_kept(
    cli,  # type: ignore[no-untyped-def]
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    path: tuple[str, ...],
    tested: Any,
) -> None:
    monkeypatch.chdir(tmp_path)
    arguments, target = invocation(path, commands()[path], tested, tmp_path)
    before = target.read_bytes()
    result = cli(*arguments)
    assert result.code == 1, result.err
    assert result.out == ""
    assert result.err.splitlines() == [
        f"painopts: error: refusing to write {target}: it is {declared(tested)}"
    ]
    assert target.read_bytes() == before


def test_the_same_command_writes_elsewhere(cli, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The invocations above are sound: aimed at a new file, each one writes it."""
    monkeypatch.chdir(tmp_path)
    for path, command in commands().items():
        arguments, _ = invocation(path, command, TREE.params[0], tmp_path)
        arguments[-1] = str(tmp_path / "elsewhere.txt")
        result = cli(*arguments)
        assert result.code == 0, (path, result.err)
        assert (tmp_path / "elsewhere.txt").stat().st_size > 0, path
        (tmp_path / "elsewhere.txt").unlink()
