"""Hostile and large inputs (third review, F3-F5, F10, F11): figures that are finite, list
lengths with bounds, and commands whose work grows with their input, not with its square.

Scale tests count operations (or, where only time says it, compare medians of runs at two sizes
in the same process); none has a wall-clock limit.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from tests.conftest import FIXTURES, REPO
from tests.test_model import SECTIONS as ALL_SECTIONS

import painopts.validate.effects
from painopts.render import UnwritableError
from painopts.render.text import json_text

INFINITE = FIXTURES / "broken" / "PO327-infinite-estimate.yaml"


# F5: figures finite everywhere.


@pytest.mark.parametrize(
    "command",
    [("show", "alpha", "-f", "json"), ("show", "alpha"), ("list", "-f", "csv"), ("report",)],
)
def test_an_infinite_figure_is_refused_by_display_commands(cli, command: tuple[str, ...]) -> None:
    result = cli("--data", str(INFINITE), *command)
    assert result.code == 1
    assert result.out == ""
    assert result.err.startswith("painopts: error: ")
    assert "PO327" in result.err
    assert "Traceback" not in result.err


def test_validate_names_each_infinite_figure(cli) -> None:
    result = cli("validate", "-f", "json", str(INFINITE))
    problems = json.loads(result.out)["problems"]
    assert [(p["code"], p["line"], p["column"]) for p in problems] == [
        ("PO327", 51, 15),
        ("PO327", 53, 14),
    ]
    assert result.code == 1


def test_a_negative_overflow_is_refused_too(cli, tmp_path: Path) -> None:
    path = tmp_path / "minus.yaml"
    path.write_text(INFINITE.read_text().replace("1e999", "-1.5e400"))
    result = cli("validate", "-f", "json", str(path))
    assert {p["code"] for p in json.loads(result.out)["problems"]} == {"PO327"}


@pytest.mark.parametrize("figure", [math.inf, -math.inf, math.nan])
def test_the_json_backstop_refuses_non_finite_numbers(figure: float) -> None:
    with pytest.raises(UnwritableError, match="JSON cannot write"):
        json_text({"estimate": figure})


def test_the_json_backstop_writes_finite_numbers() -> None:
    assert json_text({"estimate": 1e308, "x": -0.5}) == '{\n  "estimate": 1e+308,\n  "x": -0.5\n}'


@pytest.mark.parametrize(
    "command",
    [
        ("show", "alpha", "-f", "json"),
        ("compare", "alpha", "beta", "-f", "json"),
        ("compare", "--all", "--full", "-f", "json"),
    ],
)
def test_if_validation_missed_a_non_finite_figure_json_gives_one_line(
    cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, command: tuple[str, ...]
) -> None:
    """The backstop alone: validation told to let the figure through (as on main it did)."""
    monkeypatch.setattr(painopts.validate.effects, "_non_finite", lambda effect, loc: iter(()))
    two = with_second_treatment(INFINITE, tmp_path)
    result = cli("--data", str(two), *command)
    assert result.code == 1
    assert result.out == ""
    assert result.err == (
        "painopts: error: the answer holds a number JSON cannot write (infinite or not a "
        "number); run 'painopts validate' on the knowledge file\n"
    )


def with_second_treatment(path: Path, folder: Path) -> Path:
    """A copy of the file with a second treatment, so that `compare --all` has two to compare."""
    text = path.read_text()
    start, end = text.index("  - id: alpha\n"), text.index("effects:\n")
    second = text[start:end].replace("id: alpha", "id: beta").replace("Alpha", "Beta")
    copy = folder / "two.yaml"
    copy.write_text(text[:end] + second + text[end:])
    return copy


def test_no_renderer_writes_json_but_through_the_backstop() -> None:
    render = REPO / "src" / "painopts" / "render"
    users = sorted(p.name for p in render.glob("*.py") if "json.dumps(" in p.read_text())
    assert users == ["text.py"]


# F10: every list has a bound, in the model and in the published schema.

SECTIONS = [name for name in ALL_SECTIONS if name != "attributes"]
"""Sections of the file that hold at most 100,000 items (attributes hold 1,000)."""


def arrays(schema: object, path: str = "") -> list[tuple[str, object]]:
    """(path, maxItems or maxProperties) of every list and mapping the schema describes."""
    found: list[tuple[str, object]] = []
    if isinstance(schema, dict):
        if schema.get("type") == "array":
            found.append((path, schema.get("maxItems")))
        if schema.get("type") == "object" and isinstance(schema.get("additionalProperties"), dict):
            found.append((path, schema.get("maxProperties")))
        for key, value in schema.items():
            found += arrays(value, f"{path}/{key}")
    elif isinstance(schema, list):
        for number, value in enumerate(schema):
            found += arrays(value, f"{path}/{number}")
    return found


def test_every_list_in_the_published_schema_has_a_bound() -> None:
    schema = json.loads((REPO / "data" / "treatments.schema.json").read_text())
    bounds = arrays(schema)
    assert len(bounds) >= 25
    top = {
        path.removeprefix("/properties/"): bound
        for path, bound in bounds
        if "definitions" not in path
    }
    assert top["attributes"] == 1000
    assert {name: top[name] for name in SECTIONS} == dict.fromkeys(SECTIONS, 100_000)
    assert set(top.values()) <= {1000, 100_000}, top  # a section added later has a bound too
    nested = {path: bound for path, bound in bounds if "definitions" in path}
    assert nested.pop("/definitions/HeadToHead/properties/treatments") == 20
    assert set(nested.values()) == {1000}, nested
    for field in ("Meta/properties/authors", "Treatment/properties/aliases", "routes"):
        assert any(field in path for path in nested), field


def many(count: int) -> str:
    return "[" + ", ".join(f"n{number}" for number in range(count)) + "]"


@pytest.mark.parametrize(
    ("old", "field"),
    [
        ("  authors: [painopts tests]", "  authors: {}"),
        ("    aliases: [Alphazol]", "    aliases: {}"),
        ("    routes: [oral]", "    routes: {}"),
        ("    sources: [src1]", "    sources: {}"),  # the claim's
    ],
)
def test_a_list_of_more_than_1000_items_is_refused(
    cli, tmp_path: Path, old: str, field: str
) -> None:
    text = (FIXTURES / "minimal.yaml").read_text()
    assert text.count(old + "\n") == 1
    line = text[: text.index(old + "\n")].count("\n") + 1
    at_bound, over = tmp_path / "at.yaml", tmp_path / "over.yaml"
    at_bound.write_text(text.replace(old + "\n", field.format(many(1000)) + "\n"))
    over.write_text(text.replace(old + "\n", field.format(many(1001)) + "\n"))
    accepted = json.loads(cli("validate", "-f", "json", str(at_bound)).out)["problems"]
    assert [p for p in accepted if p["severity"] == "error"] == []
    result = cli("validate", "-f", "json", str(over))
    assert result.code == 1
    (found,) = json.loads(result.out)["problems"]
    assert (found["code"], found["line"]) == ("PO204", line)
    assert "at most 1000 items" in found["message"]


def test_the_bundled_file_is_far_from_every_bound() -> None:
    """The longest list of the bundled file holds a fifth of its bound at most: 100,000 for a
    top-level section (its own length), 1000 for the attributes and for every list inside."""
    import yaml

    data = yaml.safe_load((REPO / "data" / "treatments.yaml").read_text())

    def longest(node: object, section: bool) -> int:
        if isinstance(node, (dict, list)):
            own = 0 if section else len(node)
            children = node.values() if isinstance(node, dict) else node
            return max([own, *(longest(child, False) for child in children)])
        return 0

    assert len(data["attributes"]) <= 1000 // 5
    assert all(len(data[name]) <= 100_000 // 5 for name in data if isinstance(data[name], list))
    assert max(longest(data[name], True) for name in data) <= 1000 // 5


@pytest.mark.parametrize(
    ("removed", "message"),
    [
        (
            ("route",),
            "'alpha' has no value for 'route' (say 'not assessed')",
        ),
        (
            ("route", "onset"),
            "'alpha' has no value for 'route' and 'onset' (say 'not assessed')",
        ),
        (
            ("route", "onset", "setting"),
            "'alpha' has no value for 'route', 'onset' and 'setting' (say 'not assessed')",
        ),
        (
            ("route", "onset", "setting", "mechanism", "serious_risks"),
            "'alpha' has no value for 'mechanism', 'route', 'onset' and 2 more attributes "
            "(say 'not assessed')",
        ),
    ],
)
def test_missing_values_are_one_problem_per_treatment(
    cli, tmp_path: Path, removed: tuple[str, ...], message: str
) -> None:
    lines = (FIXTURES / "minimal.yaml").read_text().splitlines(keepends=True)
    kept = [
        line for line in lines if not line.lstrip().startswith(tuple(f"{r}: {{" for r in removed))
    ]
    path = tmp_path / "missing.yaml"
    path.write_text("".join(kept))
    result = cli("validate", "-f", "json", str(path))
    found = [p for p in json.loads(result.out)["problems"] if p["code"] == "PO310"]
    assert [p["message"] for p in found] == [message]
