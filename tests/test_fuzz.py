"""A mutation fuzzer over the bundled knowledge file: no traceback, no hang, only exits 0, 1, 2.

Mutations are bit flips, deleted tokens and inserted random Unicode (control characters
included), one to three per file. The run is bounded in time: ``PAINOPTS_FUZZ_SECONDS``
(default 3) for each command, ``PAINOPTS_FUZZ_SEED`` to replay or vary a run, e.g.
``PAINOPTS_FUZZ_SECONDS=600 PAINOPTS_FUZZ_SEED=$RANDOM pytest tests/test_fuzz.py``.
"""

from __future__ import annotations

import os
import random
import re
import signal
import time
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
)


def mutate(raw: bytes, chance: random.Random) -> bytes:
    data = bytearray(raw)
    for _ in range(chance.randint(1, 3)):
        kind = chance.choice(("flip", "delete", "insert"))
        if kind == "flip":
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
