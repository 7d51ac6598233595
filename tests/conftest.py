"""Shared helpers: run painopts in-process or as a real subprocess."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from painopts.cli import main_exit_code

FIXTURES = Path(__file__).parent / "fixtures"
MINIMAL = FIXTURES / "minimal.yaml"
REPO = Path(__file__).parent.parent


@pytest.fixture(autouse=True)
def private_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Every test gets its own painopts cache folder, never the user's."""
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("PAINOPTS_CACHE_DIR", str(folder))
    monkeypatch.delenv("PAINOPTS_NO_CACHE", raising=False)
    return folder


@pytest.fixture
def shared_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder that others may write: painopts does not use it, and warns."""
    folder = tmp_path / "shared"
    folder.mkdir()
    folder.chmod(0o777)
    monkeypatch.setenv("PAINOPTS_CACHE_DIR", str(folder))
    return folder


class Stdin:
    """A stand-in for ``sys.stdin`` that holds these bytes (for in-process reads of ``-``)."""

    def __init__(self, raw: bytes) -> None:
        self.buffer = io.BytesIO(raw)


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    """Run painopts in this process and return its exit code and streams."""
    monkeypatch.delenv("PAINOPTS_DATA", raising=False)
    monkeypatch.delenv("PAINOPTS_ADD", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")

    def run(*args: str) -> Result:
        code = main_exit_code(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


def run_process(*args: str, env: dict[str, str] | None = None, **kwargs: object) -> Result:
    """Run painopts as a real subprocess (python -m painopts)."""
    environment = {
        k: v for k, v in os.environ.items() if k not in ("PAINOPTS_DATA", "PAINOPTS_ADD")
    }
    environment.update(env or {})
    done = subprocess.run(
        [sys.executable, "-m", "painopts", *args],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
        **kwargs,  # type: ignore[call-overload]
    )
    return Result(done.returncode, done.stdout, done.stderr)


@contextmanager
def disposition(number: int, handler: Any) -> Iterator[None]:
    """``handler`` for signal ``number`` while the block runs; what was there before, after.

    Tests that rely on a signal set it, so that the suite passes under ``nohup`` (SIGHUP
    ignored) and as a background job (SIGINT ignored). A child started in the block with a
    Python handler in place gets the default disposition, whatever this process inherited.
    """
    before = signal.signal(number, handler)
    try:
        yield
    finally:
        signal.signal(number, before)
