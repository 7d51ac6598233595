"""What the cache (and the bundled file's shipped form) serves is what a fresh validation gives:
every view, every format, every size."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from subprocess import PIPE

import pytest
from tests.conftest import MINIMAL, REPO, run_process

from painopts.cli import main_exit_code

FORMATS = ("table", "plain", "markdown", "json", "csv", "html")
VIEWS = {
    "compare": ("compare", "ketamine", "opioids"),
    "list": ("list",),
    "show": ("show", "ketamine"),
    "claims": ("claims",),
    "sources": ("sources",),
    "info": ("info",),
    "report": ("report",),
}


def outputs(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> list[str]:
    """The output without the cache, then on first sight and from the cache."""
    seen = []
    for setting in ("1", "", ""):
        monkeypatch.setenv("PAINOPTS_NO_CACHE", setting)
        assert main_exit_code(args) == 0, capsys.readouterr().err
        seen.append(capsys.readouterr().out)
    return seen


@pytest.mark.parametrize("view", VIEWS)
def test_every_view_and_format_is_the_same_from_the_cache(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, view: str
) -> None:
    for fmt in FORMATS:
        if view == "report" and fmt in ("csv", "plain"):
            continue  # a report has no CSV or plain form (refused, exit 2)
        fresh, first, cached = outputs(capsys, monkeypatch, [*VIEWS[view], "-f", fmt])
        assert fresh == first == cached, fmt
        assert fresh


def generated(tmp_path: Path, count: int) -> Path:
    """A synthetic knowledge file from the benchmark's own generator."""
    spec = importlib.util.spec_from_file_location("generate", REPO / "benchmarks" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    path = tmp_path / f"kb-{count}.yaml"
    path.write_text(module.generate(count))
    return path


def test_a_generated_file_is_valid_and_the_same_from_the_cache(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = generated(tmp_path, 40)
    assert main_exit_code(["validate", "--strict", str(path)]) == 0
    capsys.readouterr()
    for args in (["compare", "synthetic-1", "synthetic-39"], ["list", "-f", "json"]):
        fresh, first, cached = outputs(capsys, monkeypatch, ["--data", str(path), *args])
        assert fresh == first == cached
    assert "synthetic-39" in cached


def test_a_real_process_serves_the_same_output_cold_and_warm(private_cache: Path) -> None:
    args = ("--data", str(MINIMAL), "show", "alpha", "-f", "json")
    fresh = run_process(*args, env={"PAINOPTS_NO_CACHE": "1"})
    cold, warm = run_process(*args), run_process(*args)
    assert (fresh.code, cold.code, warm.code, cold.err, warm.err) == (0, 0, 0, "", "")
    assert fresh.out == cold.out == warm.out
    assert len(list(private_cache.glob("*.json"))) == 1


def test_the_bundled_file_is_served_from_its_shipped_form_alone(private_cache: Path) -> None:
    fresh = run_process(
        "compare", "ketamine", "opioids", "-f", "json", env={"PAINOPTS_NO_CACHE": "1"}
    )
    shipped = run_process("compare", "ketamine", "opioids", "-f", "json")
    assert (fresh.code, shipped.code, shipped.err) == (0, 0, "")
    assert fresh.out == shipped.out
    assert list(private_cache.iterdir()) == []  # no entry of its own


def test_processes_racing_to_fill_the_cache_all_succeed(private_cache: Path) -> None:
    command = [sys.executable, "-m", "painopts", "--data", str(MINIMAL), "claims", "-f", "csv"]
    environment = {k: v for k, v in os.environ.items() if k != "PAINOPTS_DATA"}
    running = [
        subprocess.Popen(command, stdout=PIPE, stderr=PIPE, text=True, env=environment)
        for _ in range(4)
    ]
    results = [(*process.communicate(), process.returncode) for process in running]
    assert {(err, code) for _, err, code in results} == {("", 0)}
    assert len({out for out, _, _ in results}) == 1
    assert len(list(private_cache.glob("*.json"))) == 1
    assert list(private_cache.glob(".tmp-*")) == []
