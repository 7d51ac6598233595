"""Hostile and broken input: one clear line, the documented exit code, never a traceback."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import MINIMAL, disposition, run_process

from painopts.cli import main_exit_code

DOCUMENTED_EXIT_CODES = {0, 1, 2}


def hostile_cases() -> dict[str, bytes]:
    """Knowledge files that must each be refused with one located message."""
    base = MINIMAL.read_text()
    laughs = "\n".join(
        ['a: &a ["lol","lol","lol"]']
        + [f"{c}: &{c} [*{p},*{p},*{p}]" for p, c in zip("abcdefgh", "bcdefghi", strict=True)]
    )
    cases: dict[str, bytes] = {
        "truncated": base.encode()[: len(base) // 2] + b'\n  - {id: "unterminated',
        "not-yaml": b"{{{{ ]]]] ::::",
        "empty": b"",
        "only-comments": b"# nothing here\n",
        "a-list": b"- 1\n- 2\n",
        "a-scalar": b"just text\n",
        "wrong-types": base.replace("year: 2020", "year: [2020]")
        .replace("routes: [oral]", "routes: {a: 1}")
        .encode(),
        "unknown-keys": base.replace("meta:\n", "meta:\n  colour: red\n").encode(),
        "duplicate-keys": base.replace(
            "  version: 1.0.0\n", "  version: 1.0.0\n  version: 2.0.0\n"
        ).encode(),
        "billion-laughs": laughs.encode(),
        "recursive-alias": b"a: &a [*a]\n",
        "merge-key": b"base: &b {x: 1}\nother:\n  <<: *b\n",
        "python-tag": b"meta: !!python/object/apply:os.system ['echo pwned']\n",
        "deep-nesting": b"a: " + b"[" * 5000 + b"]" * 5000 + b"\n",
        "utf16": base.encode("utf-16"),
        "latin1": base.replace("A test treatment.", "Caf\u00e9.").encode("latin-1"),
        "nul-byte": base.encode() + b"\x00",
        "id-with-space": base.replace("id: alpha\n", "id: al pha\n").encode(),
        "id-lookalike": base.replace("id: alpha\n", "id: \u0430lpha\n").encode(),
        "id-uppercase": base.replace("id: alpha\n", "id: Alpha\n").encode(),
        "yaml-1.1-boolean": base.replace("version: 1.0.0", "version: no").encode(),
        "sexagesimal": base.replace("version: 1.0.0", "version: 1:30").encode(),
        "huge-string": base.replace("A test treatment.", "x" * 30_000).encode(),
        "huge-number": base.replace("pmid: 123456", "pmid: 1" + "0" * 5000).encode(),
        "escape-in-a-key": base.replace(
            "meta:\n", 'meta:\n  "e\\e]8;;http://x\\e\\\\y": 1\n'
        ).encode(),
    }
    for character in CONTROL_CHARACTERS:
        cases[f"control-{ord(character):04x}"] = base.replace(
            "A test treatment.", f"A test{character} treatment."
        ).encode()
    return cases


CONTROL_CHARACTERS = ("\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\x90", "\ufffe")
"""Characters YAML refuses in a file: C0 (but tab and line ends), DEL, C1 (but NEL), U+FFFE."""


CASES = sorted(hostile_cases())


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    paths = {}
    for name, raw in hostile_cases().items():
        paths[name] = folder / f"{name}.yaml"
        paths[name].write_bytes(raw)
    return paths


@pytest.mark.parametrize("case", CASES)
def test_hostile_file_gives_one_located_line_and_exit_1(cli, hostile, case: str) -> None:
    path = hostile[case]
    result = cli("--data", str(path), "list")
    assert result.code == 1
    assert result.out == ""
    assert result.err.count("\n") == 1
    assert result.err.startswith(f"painopts: error: {path}")
    assert "Traceback" not in result.err


@pytest.mark.parametrize("case", CASES)
def test_validate_reports_hostile_file_and_exits_1(cli, hostile, case: str) -> None:
    result = cli("validate", str(hostile[case]))
    assert result.code == 1
    assert "invalid" in result.out.splitlines()[-1]


def test_python_tag_never_runs(cli, hostile, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    path = tmp_path / "tag.yaml"
    path.write_text(f"meta: !!python/object/apply:os.system ['touch {marker}']\n")
    assert cli("--data", str(path), "list").code == 1
    assert not marker.exists()


@pytest.mark.parametrize(
    "make",
    [
        lambda tmp: tmp,
        lambda tmp: tmp / "missing.yaml",
        lambda tmp: MINIMAL / "below-a-file.yaml",
    ],
    ids=["directory", "missing", "below-a-file"],
)
def test_unusable_data_path_is_one_line(cli, tmp_path: Path, make) -> None:
    result = cli("--data", str(make(tmp_path)), "info")
    assert result.code == 1
    assert result.err.count("\n") == 1 and "[PO101]" in result.err


def test_file_above_the_size_bound_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    with path.open("wb") as stream:
        stream.write(b"meta: ")
        stream.truncate(65 * 1024 * 1024)
    result = run_process("--data", str(path), "list")
    assert result.code == 1
    assert "larger than 64 MiB [PO102]" in result.err


def two_treatments(folder: Path, alpha_aliases: str, beta_aliases: str) -> Path:
    """The minimal file with a second treatment, Beta, and the given alias lists."""
    text = MINIMAL.read_text().replace("aliases: [Alphazol]", f"aliases: [{alpha_aliases}]")
    beta = text[text.index("  - id: alpha") : text.index("sources:\n  - id: src1")]
    beta = beta.replace("id: alpha", "id: beta").replace("name: Alpha", "name: Beta")
    beta = beta.replace(f"aliases: [{alpha_aliases}]", f"aliases: [{beta_aliases}]")
    path = folder / "clash.yaml"
    path.write_text(text.replace("sources:\n  - id: src1", beta + "sources:\n  - id: src1", 1))
    return path


def test_case_and_alias_clashes_are_reported(cli, tmp_path: Path) -> None:
    path = two_treatments(tmp_path, "Alphazol, ALPHAZOL, Beta", "alphazol")
    result = cli("validate", "--strict", str(path))
    assert result.code == 1
    assert result.out.count("[PO311]") == 4
    for name in ("'Alphazol'", "'ALPHAZOL'", "'Beta'", "'alphazol'"):
        assert f"{name} names more than one treatment" in result.out


def opened_by_a_reader(fifo: Path, deadline: float) -> int:
    """Open the FIFO for writing once a reader has it open (or is blocked opening it)."""
    while True:
        try:
            return os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        except OSError as error:  # ENXIO: no reader yet
            if error.errno != errno.ENXIO or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def test_interrupt_ends_with_130_and_one_line(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    with disposition(signal.SIGINT, signal.default_int_handler):  # even in a background job
        process = subprocess.Popen(
            [sys.executable, "-m", "painopts", "--data", str(fifo), "list"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    writer = -1
    try:
        writer = opened_by_a_reader(fifo, time.monotonic() + 60)  # painopts now waits to read
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
    finally:
        if writer >= 0:
            os.close(writer)
        if process.poll() is None:  # never leave it blocked on the FIFO
            process.kill()
            process.communicate()
    assert process.returncode == 130
    assert (out, err) == ("", "painopts: error: interrupted\n")


WORDS = st.sampled_from(
    [
        "compare",
        "list",
        "show",
        "claims",
        "sources",
        "info",
        "report",
        "validate",
        "schema",
        "alpha",
        "beta",
        "Alphazol",
        "-f",
        "--format",
        "json",
        "csv",
        "html",
        "claimreview",
        "plain",
        "markdown",
        "table",
        "--attr",
        "onset",
        "--verdict",
        "contradicted",
        "--treatment",
        "--article",
        "--cited-by",
        "--condition",
        "neuropathic",
        "--strict",
        "-o",
        "-",
        "--data",
        "--color",
        "never",
        "--width",
        "40",
        "--help",
        "--version",
        "--",
        "",
        "=",
        "x" * 300,
    ]
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(argv=st.lists(WORDS | st.text(max_size=12), max_size=7))
def test_random_argument_vectors_never_raise(argv: list[str], capsys, monkeypatch) -> None:
    monkeypatch.setenv("PAINOPTS_DATA", str(MINIMAL))
    monkeypatch.chdir(os.path.dirname(MINIMAL))
    argv = [a for a in argv if a not in ("-o", "--output")]  # never write files into the repo
    code = main_exit_code(argv)
    captured = capsys.readouterr()
    assert code in DOCUMENTED_EXIT_CODES
    assert "Traceback" not in captured.err
    if code:
        assert captured.err.startswith(("painopts: error: ", "Usage:")) or captured.err == ""


def test_no_control_character_reaches_a_message(cli, hostile) -> None:
    result = cli("validate", str(hostile["escape-in-a-key"]))
    assert result.code == 1
    assert "\x1b" not in result.out + result.err
    assert "\\u001b" in result.out


def test_a_console_that_cannot_show_the_text_gets_escapes() -> None:
    for args in (["list", "-f", "json"], ["compare", "ketamine", "opioids"]):
        result = run_process(*args, env={"PYTHONIOENCODING": "ascii"})
        assert result.code == 0, result.err
        assert "Traceback" not in result.err


def test_names_that_lookup_treats_alike_are_reported(cli, tmp_path: Path) -> None:
    """Lookup ignores case and treats '-', '_' and spaces alike; so does the clash rule."""
    path = two_treatments(tmp_path, "alpha-zol", "Alpha Zol")
    result = cli("validate", "--strict", str(path))
    assert result.out.count("[PO311]") == 2


@pytest.mark.parametrize("character", CONTROL_CHARACTERS)
@pytest.mark.parametrize("command", [("validate",), ("list",), ("compare", "alpha", "beta")])
def test_a_control_character_is_located_in_every_command(
    cli, tmp_path: Path, character: str, command: tuple[str, ...]
) -> None:
    text = MINIMAL.read_text()
    line_number = text[: text.index("A test treatment.")].count("\n") + 1
    column = len(text.splitlines()[line_number - 1].split("A test treatment.")[0]) + 7
    path = tmp_path / "kb.yaml"
    path.write_text(text.replace("A test treatment.", f"A test{character} treatment."))
    result = cli("--data", str(path), *command)
    assert result.code == 1
    said = result.err + result.out
    assert said.count("\n") == (2 if command == ("validate",) else 1)  # validate adds a tally
    assert f"{path}:{line_number}:{column}: " in said
    assert f"the file contains U+{ord(character):04X}" in said and "[PO103]" in said
