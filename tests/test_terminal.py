"""What a person sees in a terminal: ids whole at every width, the answer in the first screen."""

from __future__ import annotations

import itertools
import re

import pytest
from tests.conftest import REPO

from painopts.load import load

KB = load(REPO / "data" / "treatments.yaml").kb
WIDTHS = (40, 80, 100, 200)
COMMANDS = [
    ("compare", "ketamine", "opioids"),
    ("compare", "ketamine", "opioids", "--full"),
    ("compare", "gabapentin", "exercise", "tcas"),
    ("claims",),
    ("claims", "--long"),
    ("claims", "ketamine-recent-recognition-chronic-pain"),
    ("list",),
    ("show", "ketamine"),
    ("show", "opioids"),
    ("audit",),
    ("sources", "--cited-by", "ketamine-not-addictive"),
]
ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


KNOWN = {c.id for c in KB.claims} | {t.id for t in KB.treatments} | {s.id for s in KB.sources}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_id_shown_is_whole_at_every_width(cli, command: tuple[str, ...], width: int) -> None:
    """The ids the table shows at 1000 columns, where nothing wraps, are whole at every width."""
    widest = cli("--width", "1000", *command).out
    expected = set(ID.findall(widest)) & KNOWN
    assert expected, "the command shows ids"
    shown = cli("--width", str(width), *command)
    assert shown.code == 0, shown.err
    missing = sorted(expected - set(ID.findall(shown.out)))
    assert not missing, f"broken or missing at {width} columns: {missing}"
    assert max(len(line) for line in shown.out.splitlines()) <= width


def test_the_claims_glance_names_every_claim_once(cli) -> None:
    out = cli("--width", "100", "claims").out
    words = ID.findall(out)
    assert sorted(c.id for c in KB.claims) == sorted(
        w for w in words if w in {c.id for c in KB.claims}
    )


PAIRS = list(itertools.combinations([t.id for t in KB.treatments], 2))


@pytest.mark.parametrize(("first", "second"), PAIRS, ids="-".join)
def test_the_default_compare_of_any_two_fits_one_screen(cli, first: str, second: str) -> None:
    out = cli("--width", "100", "compare", first, second).out
    lines = out.splitlines()
    assert len(lines) <= 80
    top = "\n".join(lines[:30])
    assert "Head-to-head" in top or "No head-to-head evidence" in top
    contradicted = [
        c.id
        for c in KB.claims
        if c.verdict.value == "contradicted" and {first, second} & set(c.treatments)
    ]
    for claim_id in contradicted:
        assert claim_id in top, f"{claim_id} is not in the first 30 lines"


@pytest.mark.parametrize("width", range(40, 121, 4))
def test_a_column_never_takes_the_room_another_needs(cli, tmp_path, width: int) -> None:
    """A long label and a cell of 20-letter words once left a column no room (a traceback)."""
    text = (REPO / "tests" / "fixtures" / "render" / "two.yaml").read_text()
    text = text.replace("label: Common,", "label: LLLLL mmmmmmmmmmmm,")
    text = text.replace("    name: Alpha\n", "    name: AAAAAAAAAAAA\n")
    words = " ".join(["qqqqq"] * 3 + ["q" * 20] * 3 + ["q" * 10, "qqqqq"])
    text = text.replace(
        "common_side_effects: {value: nausea,", f"common_side_effects: {{value: {words},"
    )
    path = tmp_path / "narrow.yaml"
    path.write_text(text)
    result = cli("--width", str(width), "--data", str(path), "show", "alpha")
    assert result.code == 0, result.err
    assert max(len(line) for line in result.out.splitlines()) <= width
