"""The format registry is the one list of formats: mypy, the help and the README follow it."""

from __future__ import annotations

import ast
import contextlib
import re
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import MINIMAL, REPO

from painopts.render import (
    ACCEPTED,
    MODULES,
    SUFFIXES,
    Format,
    FormatError,
    ProblemFormat,
    choose_format,
)

REGISTRY = REPO / "src" / "painopts" / "render" / "__init__.py"


def typed_renderers() -> dict[Format, str]:
    """The ``TYPED`` table that mypy reads, as format -> module name, from the source."""
    tree = ast.parse(REGISTRY.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.AnnAssign) and ast.unparse(node.target) == "TYPED":
            assert isinstance(node.value, ast.Dict)
            return {
                Format[ast.unparse(key).removeprefix("Format.")]: ast.unparse(value)
                for key, value in zip(node.value.keys, node.value.values, strict=True)
                if key is not None
            }
    raise AssertionError("render/__init__.py has no TYPED table")


def test_mypy_checks_the_render_function_of_every_registered_module() -> None:
    typed = typed_renderers()
    assert set(typed) == set(Format)
    assert {fmt: f"painopts.render.{name}" for fmt, name in typed.items()} == {
        fmt: f"{module}.render" for fmt, module in MODULES.items()
    }


def test_the_typed_table_is_for_mypy_only() -> None:
    """At run time nothing but the chosen format's module is imported (test_startup measures)."""
    import painopts.render

    assert not hasattr(painopts.render, "TYPED")


def help_of(cli: Any, *command: str) -> str:
    result = cli(*command, "--help")
    assert result.code == 0, result.err
    return " ".join(result.out.split())


def endings_in_help(cli: Any, command: str) -> list[str]:
    text = help_of(cli, command)
    return re.findall(r"\.[a-z]+", text.split("a name ending", 1)[1].split("picks the format")[0])


def test_the_output_help_names_every_suffix_that_picks_a_format(cli) -> None:  # type: ignore[no-untyped-def]
    named = endings_in_help(cli, "claims")
    assert len(named) == len(set(named)) >= 6
    for suffix in named:  # each one picks some format for some kind of document
        picked = set()
        for kind in ACCEPTED:
            with contextlib.suppress(FormatError):
                picked.add(choose_format(kind, None, f"out{suffix}", Format.TABLE))
        assert picked - {Format.TABLE}, suffix
    assert {*SUFFIXES, ".jsonld"} - {".yaml", ".yml"} == set(named)
    for other in (".txt", ".yaml.bak", ".tsv"):
        assert choose_format("compare", None, f"out{other}", Format.TABLE) is Format.TABLE


@pytest.mark.parametrize(
    ("command", "not_named"),
    [
        ("compare", {".jsonld", ".yaml", ".yml"}),
        ("claims", {".yaml", ".yml"}),
        ("report", {".csv", ".yaml", ".yml"}),
        ("audit", {".yaml", ".yml"}),
        ("check", {".jsonld"}),
    ],
)
def test_each_commands_output_help_names_only_endings_it_writes(
    cli: Any, command: str, not_named: set[str]
) -> None:
    named = endings_in_help(cli, command)
    assert set(named) == {*SUFFIXES, ".jsonld"} - not_named
    for suffix in not_named:  # the command refuses the format such a name would pick
        with pytest.raises(FormatError):
            choose_format(command, None, f"out{suffix}", Format.TABLE)


@pytest.mark.parametrize("kind", sorted(set(ACCEPTED) - {"long"}))
def test_each_commands_format_help_lists_what_it_writes(cli, kind: str) -> None:  # type: ignore[no-untyped-def]
    listed = help_of(cli, kind).split("Output format: ", 1)[1].split(".", 1)[0].split(", ")
    written = []
    for fmt in Format:
        with contextlib.suppress(FormatError):
            written.append(choose_format(kind, fmt, None, Format.TABLE).value)
    assert listed == written


def test_validates_format_help_lists_the_problem_formats(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    listed = help_of(cli, "validate").split("Output format: ", 1)[1].split(".", 1)[0].split(", ")
    assert listed == ["text", "json", "github"]
    for fmt in listed:
        assert cli("validate", str(MINIMAL), "-f", fmt).code == 0


README = (REPO / "README.md").read_text()


def test_the_readmes_format_table_is_the_registry() -> None:
    table = README.split("## Output formats", 1)[1].split("\n## ", 1)[0]
    rows = [line.split("|")[1:3] for line in table.splitlines() if line.startswith("| `")]
    assert [name.strip(" `") for name, _ in rows] == [fmt.value for fmt in Format]
    for name, used_for in rows:
        fmt = Format(name.strip(" `"))
        kinds = {kind for kind, formats in ACCEPTED.items() if fmt in formats}
        if len(kinds) < len(ACCEPTED) / 2:  # a format of a few commands says which
            assert set(re.findall(r"`([a-z]+)`", used_for)) == kinds, fmt


def test_the_readmes_suffixes_and_problem_formats_are_the_registrys() -> None:
    words = " ".join(README.split())  # the sentence may wrap anywhere
    sentence = words.split("a name ending", 1)[1].split("picks the", 1)[0]
    assert re.findall(r"`(\.[a-z]+)`", sentence) == [*SUFFIXES, ".jsonld"]
    validate = next(line for line in README.splitlines() if line.startswith("| `painopts validate"))
    assert re.search(r"-f ([a-z\\|]+)\]", validate).group(1).split("\\|") == [  # type: ignore[union-attr]
        fmt.value for fmt in ProblemFormat
    ]


def test_every_kind_of_document_is_in_the_published_output_schema() -> None:
    """A new command's JSON must fit docs/output.schema.json: its kind is listed there."""
    import json

    schema = json.loads((REPO / "docs" / "output.schema.json").read_text())
    assert sorted(schema["properties"]["kind"]["enum"]) == sorted(ACCEPTED)
