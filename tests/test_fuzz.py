"""Mutation fuzzers: no traceback, no hang, only the documented exit codes.

Over the bundled knowledge file (exits 0, 1 or 2), and over its cache entry with the checksum
made right again after each change (exit 0 always: a miss, a rebuild or an answer).

Mutations of the file are bit flips, deleted tokens, inserted random Unicode (control,
invisible and surrogate-like text included) and numbers a float cannot hold, one to three per
file; of an entry, one to three bit flips. Each run is
bounded in time: ``PAINOPTS_FUZZ_SECONDS`` (default 3) for each command,
``PAINOPTS_FUZZ_SEED`` to replay or vary a run, e.g.
``PAINOPTS_FUZZ_SECONDS=600 PAINOPTS_FUZZ_SEED=$RANDOM pytest tests/test_fuzz.py``.
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.conftest import REPO

from painopts.cli import main_exit_code

BUNDLED = (REPO / "data" / "treatments.yaml").read_bytes()
SECONDS = float(os.environ.get("PAINOPTS_FUZZ_SECONDS", "3"))
SEED = int(os.environ.get("PAINOPTS_FUZZ_SEED", "20261130"))
CASE_LIMIT_SECONDS = 20
TOKEN = re.compile(rb"[^\s:,\[\]{}\-]+|[:,\[\]{}\-]")
INSERTS = (
    [chr(code) for code in range(0x20)]
    + ["\x7f", "\x85", "\x9b", "\u200b", "\u202e", "\ufeff", "\ufffe", "\U0001f600"]
    + ["'", '"', ":", "- ", "&a ", "*a", "!!python/name:os.system", "<<: ", "{", "[", "#", "\t"]
    + ["\u061c", "\u00ad", "\U000e0041", "\uff1d", "\\ud800", "'\\udfff'", '"\\ud800"']
)
NUMBER = re.compile(rb"(?<=: )-?[0-9]+(?:\.[0-9]+)?(?=\n)")
NON_FINITE = [b"1e999", b"-1e999", b"1e-999", b"1.7976931348623157e308", b".inf", b".nan", b"NaN"]
"""Numbers a float cannot hold (or holds only as infinity, zero or 'not a number')."""


def mutate(raw: bytes, chance: random.Random) -> bytes:
    data = bytearray(raw)
    for _ in range(chance.randint(1, 3)):
        kind = chance.choice(("flip", "delete", "insert", "number"))
        if kind == "number":
            number = chance.choice(list(NUMBER.finditer(data)))
            data[number.start() : number.end()] = chance.choice(NON_FINITE)
        elif kind == "flip":
            position = chance.randrange(len(data))
            data[position] ^= 1 << chance.randrange(8)
        elif kind == "delete":
            tokens = list(TOKEN.finditer(data))
            token = chance.choice(tokens)
            del data[token.start() : token.end()]
        else:
            position = chance.randrange(len(data))
            if chance.random() < 0.5:
                text = chance.choice(INSERTS)
            else:
                text = chr(chance.randrange(0x110000))
            data[position:position] = text.encode("utf-8", "surrogatepass")
    return bytes(data)


def cases(seed: int) -> Iterator[tuple[int, bytes]]:
    """Mutated files until the time is up (at least three)."""
    chance = random.Random(seed)
    deadline = time.monotonic() + SECONDS
    number = 0
    while number < 3 or time.monotonic() < deadline:
        yield number, mutate(BUNDLED, chance)
        number += 1


def _too_slow(number: int, frame: object) -> None:
    raise TimeoutError(f"one case took more than {CASE_LIMIT_SECONDS} s")


@pytest.mark.parametrize(
    "command",
    [("validate",), ("compare", "ketamine", "opioids", "-f", "json"), ("claims",)],
    ids=["validate", "compare-json", "claims-table"],
)
def test_mutated_knowledge_files_never_crash(
    command: tuple[str, ...], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "fuzzed.yaml"
    previous = signal.signal(signal.SIGALRM, _too_slow)
    outcomes: dict[int, int] = {}
    try:
        for number, raw in cases(SEED + len(command)):
            path.write_bytes(raw)
            signal.alarm(CASE_LIMIT_SECONDS)
            try:
                code = main_exit_code(["--data", str(path), *command])
            except BaseException as error:
                (tmp_path / "failing.yaml").write_bytes(raw)
                message = f"case {number} (seed {SEED}) raised {error!r}; file kept: {tmp_path}"
                raise AssertionError(message) from error
            finally:
                signal.alarm(0)
            err = capsys.readouterr().err
            assert code in {0, 1, 2}, f"case {number} (seed {SEED}) exited {code}"
            assert "Traceback" not in err
            outcomes[code] = outcomes.get(code, 0) + 1
    finally:
        signal.signal(signal.SIGALRM, previous)
    assert sum(outcomes.values()) >= 3
    assert outcomes.get(1, 0) >= 1  # the mutations do break files; the fuzzer is not idle


FIGURES = re.compile(rb"\n    (?:estimate|ci_high): ([^\n]+)")
ESTIMATES = [match.span(1) for match in FIGURES.finditer(BUNDLED)][:6]
"""The estimates and upper bounds of the bundled file's first effects (which give both)."""


@pytest.mark.parametrize("figure", [*NON_FINITE, b"'\\ud800'", b'"\\ud800"'])
@pytest.mark.parametrize(
    "command", [("validate",), ("compare", "--all", "-f", "json"), ("report", "-f", "json")]
)
def test_a_figure_a_float_cannot_hold_gives_one_line_or_strict_json(
    figure: bytes, command: tuple[str, ...], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every non-finite and surrogate-like figure, as the first estimates and their upper bounds
    (so that ``inf`` lies inside its interval, as in the review)."""
    raw = BUNDLED
    for start, end in reversed(ESTIMATES):
        raw = raw[:start] + figure + raw[end:]
    path = tmp_path / "figure.yaml"
    path.write_bytes(raw)
    code = main_exit_code(["--data", str(path), *command])
    out, err = capsys.readouterr()
    assert code in {0, 1}, err
    assert "Traceback" not in err
    if command[0] == "validate":
        return
    if code:
        assert out == ""
        assert err.startswith("painopts: error: ") and err.count("\n") == 1
    else:
        json.loads(out, parse_constant=_refuse)  # strict JSON: no NaN or Infinity


def _refuse(name: str) -> None:
    raise AssertionError(f"not JSON: {name}")


def sealed(raw: bytes) -> bytes:
    """An entry with its header's head length and checksum made right again after a change."""
    from painopts import cache

    header_end = raw.index(b"\n", len(cache.MAGIC))
    form, head_length, _ = raw[len(cache.MAGIC) : header_end].split(b" ")
    payload = raw[header_end + 1 :]
    header = b"%s %s %08x\n" % (form, head_length, zlib.crc32(payload))
    return cache.MAGIC + header + payload


@pytest.mark.parametrize(
    "command",
    [("compare", "ketamine", "opioids", "-f", "json"), ("claims", "-f", "csv"), ("list",)],
    ids=["compare-json", "claims-csv", "list-table"],
)
def test_mutated_cache_entries_never_crash(
    command: tuple[str, ...], private_cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Entries changed behind a valid checksum (as only the user could): a miss, a rebuild or
    an answer, never a traceback or another exit code."""
    assert main_exit_code(list(command)) == 0
    capsys.readouterr()
    (entry,) = private_cache.glob("*.json")
    sound = entry.read_bytes()
    chance = random.Random(SEED + 7 * len(command))
    deadline = time.monotonic() + SECONDS
    number = rebuilt = 0
    while number < 3 or time.monotonic() < deadline:
        changed = bytearray(sound)
        for _ in range(chance.randint(1, 3)):
            position = chance.randrange(len(changed) - len(cache_header(sound)))
            changed[len(cache_header(sound)) + position] ^= 1 << chance.randrange(8)
        planted = sealed(bytes(changed))
        entry.write_bytes(planted)
        code = main_exit_code(list(command))
        err = capsys.readouterr().err
        assert code == 0, f"case {number} (seed {SEED}) exited {code}: {err}"
        assert "Traceback" not in err
        rebuilt += not entry.exists() or entry.read_bytes() != planted
        for leftover in private_cache.glob("*.json"):
            leftover.unlink()
        entry.write_bytes(sound)
        number += 1
    assert rebuilt >= 1  # the changes do spoil entries; the fuzzer is not idle


def cache_header(raw: bytes) -> bytes:
    from painopts import cache

    return raw[: raw.index(b"\n", len(cache.MAGIC)) + 1]
