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
    ("report", "-f", "table"),
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


HELP_COMMANDS = [(), ("claims",), ("compare",), ("list",), ("validate",), ("report",)]


@pytest.mark.parametrize("width", [40, 80, 100, 200])
@pytest.mark.parametrize("command", HELP_COMMANDS, ids=lambda c: " ".join(c) or "painopts")
def test_help_fits_the_terminal_and_keeps_words_whole(
    cli, monkeypatch: pytest.MonkeyPatch, command: tuple[str, ...], width: int
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    shown = cli(*command, "--help").out
    lines = shown.splitlines()
    assert max(len(line) for line in lines) < width
    assert not [line for line in lines if line.endswith(" ")], "trailing spaces"
    assert "<str>" not in shown and "<list" not in shown
    body = shown.split("\n\n", 1)[1]  # after the usage lines, where [ARGS]... is usage's own
    assert "..." not in body, "a summary cut short"
    words = set(shown.split())
    if command == ("claims",):
        assert {"ketamine-not-addictive;", "--review-url", "https://example.org/review"} <= words
    if not command:  # every summary whole, never cut with "..."
        assert "one claim id shows it in full." in " ".join(shown.split())
        assert "comparison, claims, audit, sources." in " ".join(shown.split())


@pytest.mark.parametrize("width", [100, 200])
def test_claims_are_one_line_each_at_100_columns_and_more(cli, width: int) -> None:
    shown = cli("--width", str(width), "claims").out.splitlines()
    for claim in KB.claims:
        lines = [line for line in shown if claim.id in line.split()]
        assert len(lines) == 1, claim.id
        assert claim.verdict.value in lines[0] and claim.topic in lines[0]


def test_one_claim_opens_with_its_verdict(cli) -> None:
    claim = KB.claims[0]
    shown = cli("--width", "100", "claims", claim.id).out
    after_notice = shown.split("not medical advice (see the note at the end).", 1)[1]
    assert after_notice.split()[:2] == ["Verdict:", claim.verdict.value]
    rows = [line for line in shown.splitlines() if line.startswith("│ ")]
    assert rows[1].split("│")[1].strip() == "Verdict"  # after the header row


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_piped_output_has_no_trailing_spaces(cli, command: tuple[str, ...]) -> None:
    for width in (40, 100):
        shown = cli("--width", str(width), *command).out
        assert not [line for line in shown.splitlines() if line.endswith(" ")], width


def test_report_on_a_terminal_is_laid_out_not_raw_markdown() -> None:
    """On a terminal (a pseudo-terminal here) the report is the table format, never Markdown."""
    import os
    import pty
    import select
    import subprocess
    import sys

    master, slave = pty.openpty()
    environment = {**os.environ, "COLUMNS": "80", "LINES": "40", "NO_COLOR": "1"}
    environment.pop("PAINOPTS_DATA", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "painopts", "--no-pager", "report"],
        stdout=slave,
        stderr=slave,
        env=environment,
    )
    os.close(slave)
    out = b""
    while select.select([master], [], [], 30)[0]:
        try:
            data = os.read(master, 65536)
        except OSError:  # the other end closed
            break
        if not data:
            break
        out += data
    os.close(master)
    assert process.wait() == 0
    text = out.decode()
    assert not [line for line in text.splitlines() if line.startswith(("#", "|"))], "Markdown"
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "╭" in text


def test_data_from_standard_input_on_a_terminal_says_what_it_waits_for() -> None:
    import os
    import pty
    import subprocess
    import sys

    master, slave = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "painopts", "--data", "-", "list", "-f", "plain"],
        stdin=slave,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    os.close(slave)
    os.write(master, b"\x04")  # Ctrl-D: the end of what was typed (nothing)
    _, err = process.communicate(timeout=60)
    os.close(master)
    assert b"reading the knowledge file from standard input" in err
    assert b"Ctrl-D" in err
