"""The model as data: the keys and values scripts see are the knowledge file's own.

`as_data` is what every JSON output and the cache are made of. The oracle is the knowledge
file read by PyYAML directly: each record, as data, holds exactly what the file says (with
defaults for what it leaves out), under the file's keys (``class``, not ``class_``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import yaml
from tests.conftest import MINIMAL, REPO

from painopts.load import load
from painopts.model import as_data, counted, fold_name

FILES = {"bundled": REPO / "data" / "treatments.yaml", "minimal": MINIMAL}
SECTIONS = (
    "attributes",
    "treatments",
    "effects",
    "comparisons",
    "sources",
    "articles",
    "claims",
    "instruments",
    "ratings",
)


def as_written(value: Any) -> Any:
    """A value as the file means it: numbers typed for text (a PMID) and dates are text."""
    if isinstance(value, dict):
        return {key: as_written(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_written(item) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def contains(data: Any, written: Any, where: str) -> None:
    """Everything the file wrote is in the data, key by key."""
    if isinstance(written, dict):
        assert isinstance(data, dict), where
        for key, item in written.items():
            assert key in data, f"{where}.{key}"
            contains(data[key], item, f"{where}.{key}")
    elif isinstance(written, list):
        assert isinstance(data, list) and len(data) == len(written), where
        for index, (left, right) in enumerate(zip(data, written, strict=True)):
            contains(left, right, f"{where}[{index}]")
    elif isinstance(written, str):
        assert data == written.strip() or data == written, where
    elif isinstance(written, int) and not isinstance(written, bool) and isinstance(data, str):
        assert data == str(written), where  # a PMID or a rating typed as a number
    else:
        assert data == written, where


@pytest.mark.parametrize("name", FILES)
def test_every_record_as_data_holds_what_the_file_says(name: str) -> None:
    path = FILES[name]
    written = as_written(yaml.safe_load(path.read_text(encoding="utf-8")))
    kb = load(path).kb
    contains(as_data(kb.meta), written["meta"], "meta")
    for section in SECTIONS:
        records = getattr(kb, section)
        assert len(records) == len(written.get(section, [])), section
        for index, record in enumerate(records):
            contains(as_data(record), written[section][index], f"{section}[{index}]")


def test_keys_are_the_files_even_where_python_needs_another_name() -> None:
    treatment = load(MINIMAL).kb.treatments[0]
    data = as_data(treatment)
    assert data["class"] == "test drug" and "class_" not in data
    assert set(data) == {"id", "name", "aliases", "class", "routes", "summary", "attributes"}
    assert set(as_data(treatment, exclude=frozenset({"attributes"}))) == set(data) - {"attributes"}


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("Ketamine", "ketamine"),
        ("IV-ketamine", "iv ketamine"),
        ("iv_ketamine", "iv ketamine"),
        ("  IV   Ketamine ", "iv ketamine"),
        ("STRASSE", "strasse"),
        ("Straße", "strasse"),
    ],
)
def test_names_fold_case_dashes_underscores_and_spaces(typed: str, folded: str) -> None:
    assert fold_name(typed) == folded


@pytest.mark.parametrize(
    ("number", "noun", "text"),
    [(0, "claim", "0 claims"), (1, "claim", "1 claim"), (2, "source", "2 sources")],
)
def test_counts_take_the_right_number(number: int, noun: str, text: str) -> None:
    assert counted(number, noun) == text
