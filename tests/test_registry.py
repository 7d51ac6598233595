"""The format registry is the one list of formats: mypy, the help and the README follow it."""

from __future__ import annotations

import ast

from tests.conftest import REPO

from painopts.render import MODULES, Format

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
