"""Layering and packaging: the rules (README, Development) that review would otherwise catch."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import jsonschema
import pytest
from tests.conftest import REPO

from painopts.load import json_schema, parse

SOURCE = REPO / "src" / "painopts"

# module -> painopts modules it may import (cli may import everything).
ALLOWED = {
    "model": set(),
    "load": {"model", "cache", "validate", "codes"},
    "validate": {"model", "codes"},
    "codes": {"model"},
    "views": {"model", "check"},
    "check": {"model"},
    "render": {"model", "views", "render"},
    "cache": {"model"},
    "output": set(),
    "pager": set(),
}
THIRD_PARTY = {
    "yaml": {"load.yaml_text"},
    "pydantic": {"load.schema", "model.spec"},  # spec: Field, inside pydantic's hook
    "pydantic_core": set(),
    "typer": {"cli"},
    "click": set(),
    "rich": {"render.table"},
}


def modules() -> dict[str, set[str]]:
    """Every painopts module and the top-level names it imports."""
    found = {}
    for path in SOURCE.rglob("*.py"):
        name = ".".join(path.relative_to(SOURCE).with_suffix("").parts)
        imported: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                imported |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module)
        found[name] = imported
    return found


def layer(module: str) -> str:
    return module.split(".", maxsplit=1)[0]


@pytest.mark.parametrize(("module", "imported"), sorted(modules().items()))
def test_dependencies_point_one_way(module: str, imported: set[str]) -> None:
    own = {name.removeprefix("painopts.") for name in imported if name.startswith("painopts.")}
    if layer(module) in ("cli", "__main__", "__init__"):
        return
    allowed = ALLOWED.get(layer(module), set())
    assert {layer(name) for name in own} <= allowed | {layer(module)}, module
    for package, owners in THIRD_PARTY.items():
        uses = any(name == package or name.startswith(package + ".") for name in imported)
        assert not uses or module in owners, f"{module} imports {package}"


def test_nothing_imports_the_cli() -> None:
    """Only the entry point (painopts.main, lazily) starts the CLI."""
    for module, imported in modules().items():
        if module not in {"__main__", "__init__"} and layer(module) != "cli":
            assert not any(name.startswith("painopts.cli") for name in imported), module


def test_packaged_knowledge_file_is_the_top_level_one() -> None:
    """The file painopts reads (from the wheel in CI, from data/ in a development install)."""
    from painopts.load import DATA_FOLDER

    for name in ("treatments.yaml", "treatments.schema.json"):
        assert (DATA_FOLDER / name).read_bytes() == (REPO / "data" / name).read_bytes()


def test_shipped_schema_is_the_generated_one() -> None:
    shipped = json.loads((REPO / "data" / "treatments.schema.json").read_text())
    assert shipped == json_schema(), "run: python -m painopts.load > data/treatments.schema.json"


def test_schema_is_draft7_and_describes_every_field() -> None:
    schema = json_schema()
    jsonschema.Draft7Validator.check_schema(schema)
    for name, definition in schema["definitions"].items():
        for field, spec in definition.get("properties", {}).items():
            assert spec.get("description"), f"{name}.{field} has no description"
    for field, spec in schema["properties"].items():
        assert spec.get("description"), field


@pytest.mark.parametrize(
    "path", [REPO / "data" / "treatments.yaml", REPO / "tests" / "fixtures" / "minimal.yaml"]
)
def test_knowledge_files_match_the_published_schema(path: Path) -> None:
    data = parse(path.read_text(), str(path))
    jsonschema.Draft7Validator(json_schema()).validate(data)


def test_bundled_file_points_editors_at_the_schema() -> None:
    first = (REPO / "data" / "treatments.yaml").read_text().splitlines()[0]
    assert first == "# yaml-language-server: $schema=./treatments.schema.json"


MAX_LINES = 500
"""Small modules: none longer than this (cli/commands.py and validate.py were split at 582, 547)."""


def test_no_module_is_long() -> None:
    sizes = {
        str(path.relative_to(SOURCE)): len(path.read_text().splitlines())
        for path in SOURCE.rglob("*.py")
    }
    assert {name: size for name, size in sizes.items() if size > MAX_LINES} == {}
    split = {name: size for name, size in sizes.items() if name.startswith(("cli/", "validate/"))}
    assert len(split) >= 10 and max(split.values()) < 400, split


def _decorators(tree: ast.Module) -> list[ast.expr]:
    return [
        decorator
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
        for decorator in node.decorator_list
    ]


@pytest.mark.parametrize("path", sorted(SOURCE.rglob("*.py")), ids=str)
def test_a_frozen_dataclass_is_declared_as_a_record(path: Path) -> None:
    """``@dataclass(frozen=True)`` compiles six methods at import; ``@record`` one."""
    for decorator in _decorators(ast.parse(path.read_text())):
        keywords = decorator.keywords if isinstance(decorator, ast.Call) else []
        frozen = [k for k in keywords if k.arg == "frozen"]
        assert not frozen, f"{path.name}:{decorator.lineno}: use @record"


@pytest.mark.parametrize("path", sorted((SOURCE / "model").glob("*.py")), ids=str)
def test_the_model_does_not_postpone_its_annotations(path: Path) -> None:
    """cache/build.py reads the model's field types as objects, without evaluating text."""
    assert "from __future__ import annotations" not in path.read_text()
