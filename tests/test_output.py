"""`-o` and stdout: files replaced whole, special files written as they are, nothing lost."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from tests.conftest import MINIMAL, REPO, run_process

BUNDLED = REPO / "data" / "treatments.yaml"
PAINOPTS = (sys.executable, "-m", "painopts")


def test_dev_null_stays_a_device(cli) -> None:
    before = os.stat("/dev/null")
    assert cli("--data", str(MINIMAL), "list", "-o", "/dev/null").code == 0
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev


def test_dev_stdout_is_written_to_not_replaced(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    link = os.readlink("/dev/stdout")
    with target.open("w") as stream:
        done = subprocess.run(
            [*PAINOPTS, "--data", str(MINIMAL), "info", "-f", "json", "-o", "/dev/stdout"],
            stdout=stream,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    assert (done.returncode, done.stderr) == (0, "")
    assert os.path.islink("/dev/stdout") and os.readlink("/dev/stdout") == link
    assert '"schema_version"' in target.read_text()


def test_a_fifo_stays_a_fifo_and_its_reader_gets_the_output(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = run_process("--data", str(MINIMAL), "list", "-f", "csv", "-o", str(fifo))
    reader.join(timeout=30)
    assert result.code == 0, result.err
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert b"alpha" in received[0]


@pytest.mark.parametrize("how", ["--data", "validate"])
def test_output_onto_the_knowledge_file_is_refused(cli, tmp_path: Path, how: str) -> None:
    data = tmp_path / "kb.yaml"
    data.write_text(MINIMAL.read_text())
    if how == "--data":
        result = cli("--data", str(data), "list", "-o", str(data))
    else:
        result = cli("validate", str(data), "-o", str(tmp_path / "." / "kb.yaml"))
    assert result.code == 1
    assert result.err.startswith(f"painopts: error: refusing to write {tmp_path}")
    assert "knowledge file being read" in result.err
    assert data.read_text() == MINIMAL.read_text()


def test_output_onto_a_link_to_the_knowledge_file_is_refused(cli, tmp_path: Path) -> None:
    data = tmp_path / "kb.yaml"
    data.write_text(MINIMAL.read_text())
    (tmp_path / "alias.yaml").symlink_to(data)
    result = cli("--data", str(data), "list", "-o", str(tmp_path / "alias.yaml"))
    assert result.code == 1
    assert data.read_text() == MINIMAL.read_text()


def test_a_name_ending_in_a_slash_is_refused(cli, tmp_path: Path) -> None:
    result = cli("--data", str(MINIMAL), "list", "-o", f"{tmp_path}/name/")
    assert result.code == 1
    assert "ends with '/'" in result.err
    assert list(tmp_path.iterdir()) == []


def test_a_long_file_name_can_be_written(cli, tmp_path: Path) -> None:
    name = "x" * 250 + ".csv"
    result = cli("--data", str(MINIMAL), "list", "-o", str(tmp_path / name))
    assert (result.code, result.err) == (0, "")
    assert "alpha" in (tmp_path / name).read_text()


def test_a_link_to_a_file_keeps_the_link(cli, tmp_path: Path) -> None:
    real = tmp_path / "real.txt"
    real.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    assert cli("--data", str(MINIMAL), "list", "-f", "csv", "-o", str(link)).code == 0
    assert link.is_symlink()
    assert "alpha" in real.read_text()


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_during_the_write_leaves_no_temporary_file(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, number: int
) -> None:
    target = tmp_path / "report.md"
    target.write_text("previous")

    def stop_now(descriptor: int) -> None:
        os.kill(os.getpid(), number)

    monkeypatch.setattr(os, "fsync", stop_now)
    result = cli("--data", str(MINIMAL), "list", "-o", str(target))
    assert result.code == 128 + number
    assert result.err == "painopts: error: terminated\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.md"]
    assert target.read_text() == "previous"
    assert signal.getsignal(number) is signal.SIG_DFL


def test_closed_stdout_is_one_line_and_exit_1() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "painopts", "--data", str(MINIMAL), "list"],
        capture_output=True,
        text=True,
        check=False,
        preexec_fn=lambda: os.close(1),
    )
    assert done.returncode == 1
    assert done.stderr == "painopts: error: cannot write the output: standard output is closed\n"


def test_a_full_device_is_one_line_and_exit_1() -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "painopts", "compare", "ketamine", "opioids"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    assert done.returncode == 1
    assert done.stderr == "painopts: error: cannot write the output: No space left on device\n"


def terminal_lines(columns: str, *args: str) -> list[str]:
    """What painopts prints on a real terminal (a pty from `script`) with COLUMNS set."""
    command = " ".join([sys.executable, "-m", "painopts", "--no-pager", *args])
    done = subprocess.run(
        ["script", "-qec", command, "/dev/null"],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": columns, "NO_COLOR": "1", "TERM": "dumb"},
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout.replace("\r", "").splitlines()


@pytest.mark.parametrize(("columns", "low", "high"), [("10", 40, 40), ("100000", 100, 1000)])
def test_the_terminal_width_is_clamped(columns: str, low: int, high: int) -> None:
    lines = terminal_lines(columns, "--data", str(MINIMAL), "list")
    widest = max(len(line) for line in lines)
    assert low <= widest <= high
    assert any("Not medical advice" in line for line in lines)


def on_a_terminal(command: str, rows: int = 20) -> str:
    """What a real terminal (a pty from `script`) shows for a shell command, rows tall."""
    done = subprocess.run(
        ["script", "-qec", f"stty rows {rows} cols 100; {command}", "/dev/null"],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1", "TERM": "dumb"},
        check=False,
    )
    return done.stdout.replace("\r", "")


PAINOPTS_COMMAND = " ".join((sys.executable, "-m", "painopts"))


def test_output_taller_than_the_terminal_goes_through_the_pager(tmp_path: Path) -> None:
    paged = tmp_path / "paged.txt"
    shown = on_a_terminal(
        f"PAGER='tee {paged} >/dev/null' {PAINOPTS_COMMAND} compare ketamine opioids"
    )
    assert "Bottom line" in paged.read_text()
    assert "Bottom line" not in shown


def test_no_pager_and_short_output_are_written_directly(tmp_path: Path) -> None:
    paged = tmp_path / "paged.txt"
    pager = f"PAGER='tee {paged} >/dev/null'"
    shown = on_a_terminal(f"{pager} {PAINOPTS_COMMAND} --no-pager compare ketamine opioids")
    assert "Bottom line" in shown and not paged.exists()
    short = on_a_terminal(f"{pager} {PAINOPTS_COMMAND} --version", rows=40)
    assert "painopts" in short and not paged.exists()


def test_piped_output_is_never_paged(tmp_path: Path) -> None:
    paged = tmp_path / "paged.txt"
    result = run_process("compare", "ketamine", "opioids", env={"PAGER": f"tee {paged} >/dev/null"})
    assert "Bottom line" in result.out and not paged.exists()


def test_output_onto_the_bundled_knowledge_file_is_refused(cli) -> None:
    from painopts.load import bundled_path

    before = bundled_path().read_bytes()
    for command in (("info", "-f", "json"), ("validate",)):
        result = cli(*command, "-o", str(bundled_path()))
        assert result.code == 1
        assert "knowledge file being read" in result.err
    assert bundled_path().read_bytes() == before


def test_a_regular_file_under_dev_is_replaced_not_appended(cli, tmp_path: Path) -> None:
    shm = Path("/dev/shm")
    target = shm / f"painopts-test-{os.getpid()}.json"
    try:
        for _ in range(2):
            assert cli("--data", str(MINIMAL), "info", "-f", "json", "-o", str(target)).code == 0
        assert json.loads(target.read_text())["kind"] == "info"  # one document, not two
    finally:
        target.unlink(missing_ok=True)


def test_a_loop_of_links_as_output_is_one_line(cli, tmp_path: Path) -> None:
    (tmp_path / "one").symlink_to(tmp_path / "two")
    (tmp_path / "two").symlink_to(tmp_path / "one")
    result = cli("--data", str(MINIMAL), "info", "-o", str(tmp_path / "one"))
    assert result.code == 1 and result.err.startswith("painopts: error: cannot write")


@pytest.mark.parametrize("pager", ["less '", "false"])
def test_a_pager_that_cannot_run_leaves_the_output_on_the_terminal(pager: str) -> None:
    shown = on_a_terminal(f'PAGER="{pager}" {PAINOPTS_COMMAND} compare ketamine opioids')
    assert "Bottom line" in shown and "Traceback" not in shown
