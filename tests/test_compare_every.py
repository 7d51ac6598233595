"""`compare --all` and the long form, read back with real parsers.

The expected values come from the knowledge file read by PyYAML directly (not by painopts'
loader), so the oracle shares no code with what is tested.
"""

from __future__ import annotations

import csv
import io
import itertools
import json

import pytest
import yaml
from tests.conftest import MINIMAL, REPO

RAW = yaml.safe_load((REPO / "data" / "treatments.yaml").read_text(encoding="utf-8"))
IDS = [treatment["id"] for treatment in RAW["treatments"]]
COLUMNS = ["treatment_id", "attribute_id", "value", "certainty", "sources", "detail"]
FIGURE = ["measure", "estimate", "ci_low", "ci_high", "scale", "condition", "time_point"]
"""An effect's figure in columns of its own (docs/output.md), empty on attribute rows."""


def rows(text: str) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    assert reader.fieldnames == COLUMNS + FIGURE
    return list(reader)


def test_every_treatment_in_the_long_form_of_one_attribute(cli) -> None:
    result = cli("compare", "--all", "--attr", "addiction_risk", "-f", "csv", "--long")
    assert (result.code, result.err) == (0, "")
    found = rows(result.out)
    assert [row["treatment_id"] for row in found] == IDS
    assert {row["attribute_id"] for row in found} == {"addiction_risk"}
    for row, treatment in zip(found, RAW["treatments"], strict=True):
        value = treatment["attributes"]["addiction_risk"]
        assert row["value"] == value["value"]
        assert row["sources"] == " ".join(value.get("sources", []))
        assert row["detail"] == value.get("detail", "").strip()


def test_the_long_form_of_two_treatments_ends_with_their_effects(cli) -> None:
    result = cli("compare", "ketamine", "opioids", "-f", "csv", "--long")
    assert result.code == 0
    found = rows(result.out)
    attributes = [attribute["id"] for attribute in RAW["attributes"]]
    values = [row for row in found if not row["attribute_id"].startswith("effect:")]
    assert [(row["treatment_id"], row["attribute_id"]) for row in values] == [
        (treatment, attribute) for treatment in ("ketamine", "opioids") for attribute in attributes
    ]
    effects = [row for row in found if row["attribute_id"].startswith("effect:")]
    assert found[len(values) :] == effects  # the effects come last
    expected = [
        (effect["treatment"], f"effect:{effect['id']}", " ".join(effect["sources"]))
        for treatment in ("ketamine", "opioids")
        for effect in RAW.get("effects", [])
        if effect["treatment"] == treatment
    ]
    assert expected, "the bundled file records effects for both"
    assert [(r["treatment_id"], r["attribute_id"], r["sources"]) for r in effects] == expected
    figures = [
        (
            effect["metric"],
            effect.get("estimate"),
            effect.get("ci_low"),
            effect.get("ci_high"),
            effect.get("scale", ""),
            effect.get("condition", ""),
            effect["time_point"],
        )
        for treatment in ("ketamine", "opioids")
        for effect in RAW.get("effects", [])
        if effect["treatment"] == treatment
    ]
    numbers = {"estimate", "ci_low", "ci_high"}
    read = [
        tuple((float(r[c]) if r[c] else None) if c in numbers else r[c] for c in FIGURE)
        for r in effects
    ]
    assert read == figures
    assert {r[column] for r in values for column in FIGURE} == {""}


def test_every_treatment_as_json(cli) -> None:
    result = cli("compare", "--all", "-f", "json")
    assert result.code == 0
    data = json.loads(result.out)["data"]
    assert list(data["treatments"]) == IDS
    assert data["attributes"] == [attribute["id"] for attribute in RAW["attributes"]]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--data", str(MINIMAL), "compare", "--all"], "--all needs a knowledge file with two"),
        (["compare", "--all", "ketamine"], "name treatments or give --all, not both"),
        (["compare", "ketamine", "Ketamine"], "name two or more different treatments"),
    ],
)
def test_what_compare_cannot_show_is_a_usage_error(cli, args: list[str], message: str) -> None:
    result = cli(*args)
    assert (result.code, result.out) == (2, "")
    assert result.err.startswith("painopts: error: ")
    assert message in result.err
    assert result.err.count("\n") == 1


def _condition_runs() -> list[tuple[str, str, str]]:
    """Each condition, and each pair of treatments with a guideline position or a figure for it."""
    from painopts.load import load
    from painopts.views.catalog import treatments_for

    kb = load(REPO / "data" / "treatments.yaml").kb
    return [
        (first.id, second.id, condition.id)
        for condition in kb.conditions
        for first, second in itertools.combinations(treatments_for(kb, condition), 2)
    ]


def test_every_compare_for_a_condition_fits_one_screen(cli) -> None:
    """design.md's one-screen rule (80 lines at 100 columns), for each --condition run too."""
    runs = _condition_runs()
    assert len(runs) > 100  # every condition of the bundled file has several options
    too_long = []
    for first, second, condition in runs:
        result = cli("--width", "100", "compare", first, second, "--condition", condition)
        assert result.code == 0, result.err
        if len(result.out.splitlines()) > 80:
            too_long.append((first, second, condition, len(result.out.splitlines())))
    assert too_long == []
