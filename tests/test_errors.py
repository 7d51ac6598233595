"""Every error painopts defines reaches a person as one line and a documented exit code."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil

from tests.conftest import REPO

import painopts
from painopts.cli.run import EXIT_CODES

CLI = REPO / "src" / "painopts" / "cli"


def defined_errors() -> dict[str, type[BaseException]]:
    """Every public exception class defined in a painopts module, by its qualified name."""
    found: dict[str, type[BaseException]] = {}
    for module in pkgutil.walk_packages(painopts.__path__, "painopts."):
        if module.name.endswith("__main__"):
            continue  # running it would start the command line
        loaded = importlib.import_module(module.name)
        for name, value in vars(loaded).items():
            if (
                inspect.isclass(value)
                and issubclass(value, BaseException)
                and value.__module__ == module.name
                and not name.startswith("_")
            ):
                found[f"{module.name}.{name}"] = value
    return found


def caught_by_name_in_the_cli() -> set[str]:
    """The names in the CLI's ``except`` clauses."""
    names: set[str] = set()
    for path in CLI.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ExceptHandler) and node.type is not None:
                kinds = node.type.elts if isinstance(node.type, ast.Tuple) else [node.type]
                names |= {ast.unparse(kind).rsplit(".", 1)[-1] for kind in kinds}
    return names


def test_every_error_painopts_defines_has_an_exit_code_or_is_caught_by_the_cli() -> None:
    errors = defined_errors()
    assert len(errors) >= 10  # the walk finds them: model, load, render, output, check
    caught = caught_by_name_in_the_cli()
    unmapped = [
        name
        for name, kind in errors.items()
        if not any(issubclass(kind, mapped) for mapped in EXIT_CODES)
        and kind.__name__ not in caught
    ]
    assert unmapped == []


def test_the_exit_codes_are_the_documented_ones() -> None:
    """README, Exit codes: 1 for the data and the output, 2 for usage."""
    readme = (REPO / "README.md").read_text()
    assert (
        "| `1` | the knowledge file cannot be read or is invalid, or the output cannot be" in readme
    )
    by_name = {kind.__name__: code for kind, code in EXIT_CODES.items()}
    assert by_name == {
        "KnowledgeFileError": 1,
        "OutputError": 1,
        "UnwritableError": 1,
        "UnknownNameError": 2,
        "SelectionError": 2,
        "FormatError": 2,
    }
