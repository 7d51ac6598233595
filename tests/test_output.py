"""`-o` and stdout: files replaced whole, special files written as they are, nothing lost."""

from __future__ import annotations

import errno
import fcntl
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import MINIMAL, REPO, disposition, run_process

from painopts.output import OutputError, write, write_in_place

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
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    try:
        result = run_process("--data", str(MINIMAL), "list", "-f", "csv", "-o", str(fifo))
        reader.join(timeout=30)
    finally:
        if reader.is_alive():  # painopts never opened it: give the reader its end of file
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
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


# Signal dispositions: a test sets the ones it relies on and puts back what it found, so the
# suite passes under `nohup` (SIGHUP ignored) and as a background job (SIGINT ignored).

CAUGHT = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT)


def default_signals() -> None:
    """For a child process: the default dispositions, whatever this process inherited."""
    for number in CAUGHT:
        signal.signal(number, signal.SIG_DFL)


def signal_during_the_write(monkeypatch: pytest.MonkeyPatch, number: int) -> None:
    """Send ``number`` to this process once the text is written, before it reaches the disk."""
    real_fsync = os.fsync

    def signal_then_sync(descriptor: int) -> None:
        os.kill(os.getpid(), number)
        real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", signal_then_sync)


@pytest.mark.parametrize("handler", [signal.SIG_DFL, signal.SIG_IGN], ids=["default", "ignored"])
@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_during_the_write_leaves_no_temporary_file(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, number: int, handler: Any
) -> None:
    """The write stops and the previous file stays; unless the signal was ignored when painopts
    started (SIGHUP under `nohup`): then it stays ignored, and the write ends."""
    target = tmp_path / "report.csv"
    target.write_text("previous")
    signal_during_the_write(monkeypatch, number)
    with disposition(number, handler):  # SIG_DFL: as painopts gets it from a shell
        result = cli("--data", str(MINIMAL), "list", "-f", "csv", "-o", str(target))
        assert signal.getsignal(number) is handler  # put back as painopts found it
    if handler is signal.SIG_DFL:
        assert (result.code, result.err) == (128 + number, "painopts: error: terminated\n")
        assert target.read_text() == "previous"
    else:
        assert (result.code, result.err) == (0, "")
        assert target.read_text().startswith("treatment,name,")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.csv"]


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


# -o: owner, mode, hard links, leftovers (security review 3, F15)

root_only = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only root can give a file away"
)


@root_only
def test_root_writing_a_users_file_keeps_its_owner_group_and_mode(cli, tmp_path: Path) -> None:
    target = tmp_path / "r.md"
    target.write_text("old")
    os.chown(target, 12345, 23456)
    target.chmod(0o640)
    assert cli("--data", str(MINIMAL), "list", "-o", str(target)).code == 0
    facts = target.stat()
    assert (facts.st_uid, facts.st_gid, oct(stat.S_IMODE(facts.st_mode))) == (12345, 23456, "0o640")
    assert "Alpha" in target.read_text()


def test_setuid_setgid_and_sticky_bits_are_not_given_to_the_new_file(cli, tmp_path: Path) -> None:
    target = tmp_path / "tool.sh"
    target.write_text("old")
    target.chmod(0o7755)
    assert cli("--data", str(MINIMAL), "list", "-f", "csv", "-o", str(target)).code == 0
    assert oct(stat.S_IMODE(target.stat().st_mode)) == "0o755"


def hard_linked(folder: Path, text: str = "old") -> Path:
    """``first.csv`` holding text, with a second name, ``second.csv``."""
    first = folder / "first.csv"
    first.write_text(text)
    os.link(first, folder / "second.csv")
    return first


def test_a_file_with_other_hard_links_is_written_in_place(cli, tmp_path: Path) -> None:
    first = hard_linked(tmp_path)
    second = tmp_path / "second.csv"
    inode = first.stat().st_ino
    assert cli("--data", str(MINIMAL), "list", "-f", "csv", "-o", str(first)).code == 0
    assert first.stat().st_ino == inode and first.stat().st_nlink == 2
    assert second.read_text() == first.read_text()
    assert first.read_text().startswith("treatment,name,") and "old" not in first.read_text()


def test_a_hard_link_in_a_sticky_shared_folder_is_replaced_not_written_through(
    cli, tmp_path: Path
) -> None:
    """In /tmp the other name may be another user's link to one of the writer's files."""
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    mine = tmp_path / "notes.txt"
    mine.write_text("keep")
    os.link(mine, shared / "report.csv")
    result = cli("--data", str(MINIMAL), "list", "-f", "csv", "-o", str(shared / "report.csv"))
    assert (result.code, result.err) == (0, "")
    assert mine.read_text() == "keep"
    assert (shared / "report.csv").read_text().startswith("treatment,name,")


def test_a_shorter_text_in_place_leaves_nothing_of_the_old_one(cli, tmp_path: Path) -> None:
    first = hard_linked(tmp_path, "x" * 100_000)
    assert cli("--data", str(MINIMAL), "list", "-f", "csv", "-o", str(first)).code == 0
    assert "x" * 10 not in first.read_text()


def test_in_place_without_room_on_the_disk_is_refused_untouched(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = hard_linked(tmp_path)
    full = os.statvfs_result((4096, 4096, 100, 0, 0, 100, 0, 0, 0, 255))
    monkeypatch.setattr(os, "fstatvfs", lambda descriptor: full)
    result = cli("--data", str(MINIMAL), "list", "-f", "csv", "-o", str(first))
    assert result.code == 1
    assert result.err == f"painopts: error: cannot write {first}: No space left on device\n"
    assert first.read_text() == "old"


def test_ctrl_c_during_an_in_place_write_waits_for_the_end_of_it(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = hard_linked(tmp_path)
    signal_during_the_write(monkeypatch, signal.SIGINT)
    with disposition(signal.SIGINT, signal.default_int_handler):
        result = cli("--data", str(MINIMAL), "list", "-f", "csv", "-o", str(first))
    assert (result.code, result.err) == (130, "painopts: error: interrupted\n")
    assert first.read_text().startswith("treatment,name,") and first.read_text().endswith("\n")


def test_old_leftovers_of_a_killed_write_are_removed_and_nothing_else(cli, tmp_path: Path) -> None:
    hour_ago = time.time() - 3600
    names = {
        "stale": ".painopts-0123abcd.tmp",
        "fresh": ".painopts-89abcdef.tmp",
        "unlike": ".painopts-notes.tmp",
        "folder": ".painopts-00000000.tmp",
    }
    for kind, name in names.items():
        if kind == "folder":
            (tmp_path / name).mkdir()
        else:
            (tmp_path / name).write_text("partial")
        if kind != "fresh":
            os.utime(tmp_path / name, (hour_ago, hour_ago))
    assert cli("--data", str(MINIMAL), "list", "-o", str(tmp_path / "out.md")).code == 0
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted([names["fresh"], names["unlike"], names["folder"], "out.md"])


@root_only
def test_old_leftovers_of_another_user_are_kept(cli, tmp_path: Path) -> None:
    theirs = tmp_path / ".painopts-0123abcd.tmp"
    theirs.write_text("partial")
    os.chown(theirs, 12345, 12345)
    os.utime(theirs, (time.time() - 3600,) * 2)
    assert cli("--data", str(MINIMAL), "list", "-o", str(tmp_path / "out.md")).code == 0
    assert theirs.exists()


def test_a_dangling_link_of_ones_own_creates_its_target(cli, tmp_path: Path) -> None:
    link = tmp_path / "link.csv"
    link.symlink_to(tmp_path / "new.csv")
    assert cli("--data", str(MINIMAL), "list", "-f", "csv", "-o", str(link)).code == 0
    assert link.is_symlink() and (tmp_path / "new.csv").read_text().startswith("treatment,name,")


@root_only
def test_a_link_of_another_uid_in_a_sticky_shared_folder_is_refused(cli, tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep")
    link = shared / "out.csv"
    link.symlink_to(victim)
    os.chown(link, 12345, 12345, follow_symlinks=False)
    result = cli("--data", str(MINIMAL), "list", "-f", "csv", "-o", str(link))
    assert result.code == 1 and result.err.count("\n") == 1
    assert "refusing to write" in result.err and "link made by another user" in result.err
    assert victim.read_text() == "keep"


# Paths that are not UTF-8 (security review 3, F6)


def not_utf8_copy(folder: Path) -> str:
    """The minimal file under a name with the byte 0xFF, as Python gives such a name."""
    name = os.fsdecode(os.fsencode(str(folder)) + b"/\xff.yaml")
    shutil.copyfile(MINIMAL, name)
    return name


@pytest.mark.parametrize("command", [("info", "-f", "json"), ("info", "-f", "html"), ("list",)])
def test_a_knowledge_file_name_that_is_not_utf8_can_be_written(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    data = not_utf8_copy(tmp_path)
    out = tmp_path / "out.txt"
    result = run_process("--data", data, *command, "-o", str(out))
    assert (result.code, result.err) == (0, "")
    text = out.read_bytes().decode("utf-8")  # strict: no lone surrogate reached the file
    if command[-1] == "json":
        assert json.loads(text)["knowledge_file"]["path"] == f"{tmp_path}/\\xff.yaml"


def test_a_not_utf8_name_in_json_on_stdout_is_strict_json(tmp_path: Path) -> None:
    data = not_utf8_copy(tmp_path)
    for output in ((), ("-o", "/dev/stdout")):
        done = subprocess.run(
            [*PAINOPTS, "validate", data, "-f", "json", *output], capture_output=True, check=False
        )
        assert (done.returncode, done.stderr) == (0, b"")
        assert json.loads(done.stdout.decode("utf-8"))["file"] == f"{tmp_path}/\\xff.yaml"


def test_an_output_name_that_is_not_utf8_is_written_under_that_name(tmp_path: Path) -> None:
    out = os.fsdecode(os.fsencode(str(tmp_path)) + b"/\xfe.csv")
    result = run_process("--data", str(MINIMAL), "list", "-f", "csv", "-o", out)
    assert (result.code, result.err) == (0, "")
    assert os.listdir(os.fsencode(str(tmp_path))) == [b"\xfe.csv"]


# The pager (security review 3, F14): what was shown is never shown again.


def in_a_terminal(
    *args: str, pager: str, keys: Sequence[tuple[bytes, bytes]] = (), rows: int = 20
) -> tuple[list[str], int]:
    """painopts on a new pseudo-terminal, rows tall, with default signal dispositions.

    ``keys`` are (wait for this output, then type this) pairs; each waits for output that came
    after the key before it, and the last is typed again after each second of quiet until the
    run ends. Returns what the terminal showed after each key (the first part before any) and
    the exit code. A run that outlives its deadline is killed and fails.
    """
    import pty
    import select
    import struct
    import termios

    environment = {**os.environ, "PAGER": pager, "TERM": "xterm", "NO_COLOR": "1"}
    environment.update(LINES=str(rows), COLUMNS="100", LESS="")
    child, terminal = pty.fork()
    if child == 0:  # pragma: no cover - replaced by painopts at once
        default_signals()
        size = struct.pack("HHHH", rows, 100, 0, 0)
        fcntl.ioctl(0, termios.TIOCSWINSZ, size)
        os.execve(sys.executable, [*PAINOPTS, *args], environment)
    parts, waiting, status = [b""], list(keys), None
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline and status is None:
            if waiting and waiting[0][0] in parts[-1]:
                os.write(terminal, waiting.pop(0)[1])
                parts.append(b"")
            if not select.select([terminal], [], [], 1.0)[0]:
                if keys and not waiting:  # quiet after the last key: a pager drops keys typed
                    os.write(terminal, keys[-1][1])  # while it redraws, so type it again
                continue
            try:
                parts[-1] += os.read(terminal, 65536)
            except OSError:  # the terminal closed: painopts and its pager have ended
                status = os.waitpid(child, 0)[1]
    finally:
        if status is None:  # out of time: end the one process this test started
            os.kill(child, signal.SIGKILL)
            os.waitpid(child, 0)
        os.close(terminal)
    assert status is not None, f"painopts still ran after 60 s; it showed {parts[-1][-300:]!r}"
    shown = [part.decode("utf-8", "replace").replace("\r", "") for part in parts]
    return shown, os.waitstatus_to_exitcode(status)


COMPARE = ("compare", "ketamine", "opioids")
FIRST_LINE = "Comparison: IV ketamine infusion vs Long-term opioids"
LAST_BOX = "Not medical advice"
"""The first line of `compare ketamine opioids`, and the title of the box that ends it."""


def test_a_pager_that_fails_after_showing_part_shows_nothing_more() -> None:
    (shown,), code = in_a_terminal(*COMPARE, pager='sh -c "head -c 100; exit 3"')
    assert code == 0
    assert shown.startswith(FIRST_LINE)
    assert LAST_BOX not in shown and len(shown) < 200


def test_a_pager_ended_by_ctrl_c_before_reading_shows_nothing_more() -> None:
    assert in_a_terminal(*COMPARE, pager="kill -INT $$") == ([""], 0)


PROMPT = b":\x1b[K"
"""What less shows at the foot of the screen, waiting for a key, when it reads a pipe."""

BELL = b"\x07"
"""What less answers Ctrl-C with."""


@pytest.mark.skipif(not shutil.which("less"), reason="needs less, the usual pager")
def test_ctrl_c_in_less_then_q_shows_the_text_once() -> None:
    (paging, *after_keys), code = in_a_terminal(
        *COMPARE, pager="less", keys=[(PROMPT, b"\x03"), (BELL, b"q")]
    )
    assert code == 0
    assert FIRST_LINE in paging
    assert LAST_BOX not in paging + "".join(after_keys)  # less showed one screen, and no more


# Edges found by mutation testing (docs/development.md, "Mutation testing"): each states what a
# user or a caller of painopts.output sees, with literal expectations.


def test_dash_as_output_is_standard_output(cli, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli("--data", str(MINIMAL), "list", "-f", "csv", "-o", "-")
    assert (result.code, result.err) == (0, "")
    assert result.out.startswith("treatment,name,")
    assert list(tmp_path.iterdir()) == []


def test_a_relative_name_is_written_in_the_current_folder(cli, tmp_path: Path, monkeypatch) -> None:
    """Relative to where painopts runs; a hard-linked file there is still written in place."""
    first = hard_linked(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert cli("--data", str(MINIMAL), "list", "-f", "csv", "-o", "first.csv").code == 0
    assert (tmp_path / "second.csv").read_text().startswith("treatment,name,")
    assert first.stat().st_nlink == 2
    assert cli("--data", str(MINIMAL), "list", "-f", "csv", "-o", "new.csv").code == 0
    assert (tmp_path / "new.csv").read_text().startswith("treatment,name,")


def test_a_relative_link_leads_from_its_own_folder(cli, tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "link.csv").symlink_to("real.csv")  # relative: reports/real.csv
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert (
        cli("--data", str(MINIMAL), "list", "-f", "csv", "-o", str(folder / "link.csv")).code == 0
    )
    assert (folder / "real.csv").read_text().startswith("treatment,name,")
    assert (folder / "link.csv").is_symlink()
    assert list(elsewhere.iterdir()) == []


def link_chain(folder: Path, length: int) -> Path:
    """``link0`` -> ``link1`` -> ... -> ``link{length-1}`` -> ``end.csv`` (not yet there)."""
    for index in range(length):
        following = f"link{index + 1}" if index + 1 < length else "end.csv"
        (folder / f"link{index}").symlink_to(folder / following)
    return folder / "link0"


def test_forty_links_in_a_row_are_followed_as_linux_does(cli, tmp_path: Path) -> None:
    start = link_chain(tmp_path, 40)
    assert cli("--data", str(MINIMAL), "list", "-f", "csv", "-o", str(start)).code == 0
    assert (tmp_path / "end.csv").read_text().startswith("treatment,name,")


def test_forty_one_links_in_a_row_are_refused(cli, tmp_path: Path) -> None:
    start = link_chain(tmp_path, 41)
    result = cli("--data", str(MINIMAL), "list", "-f", "csv", "-o", str(start))
    assert result.code == 1
    assert result.err == (
        f"painopts: error: cannot write {start}: Too many levels of symbolic links\n"
    )
    assert not (tmp_path / "end.csv").exists()


def test_a_descriptor_name_is_written_through_not_replaced(cli, tmp_path: Path) -> None:
    target = tmp_path / "log.txt"
    target.write_text("before\n")
    inode = target.stat().st_ino
    descriptor = os.open(target, os.O_WRONLY | os.O_APPEND)
    try:
        for name in (f"/dev/fd/{descriptor}", f"/proc/self/fd/{descriptor}"):
            assert cli("--data", str(MINIMAL), "list", "-f", "csv", "-o", name).code == 0
    finally:
        os.close(descriptor)
    text = target.read_text()
    assert target.stat().st_ino == inode
    assert text.startswith("before\ntreatment,name,") and text.count("treatment,name,") == 2


def test_a_new_file_gets_the_mode_the_umask_allows(cli, tmp_path: Path) -> None:
    for umask, mode in ((0o002, "0o664"), (0o077, "0o600")):
        target = tmp_path / f"new-{umask:o}.csv"
        before = os.umask(umask)
        try:
            assert cli("--data", str(MINIMAL), "list", "-f", "csv", "-o", str(target)).code == 0
        finally:
            os.umask(before)
        assert oct(stat.S_IMODE(target.stat().st_mode)) == mode


def test_the_temporary_file_is_private_and_named_as_leftovers_are_known(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While the text is written, the folder holds ``.painopts-`` 8 hex digits ``.tmp``, mode 600,
    whatever the umask; that is the name a later run tidies if this one is killed."""
    seen: list[tuple[str, str]] = []
    real_fsync = os.fsync

    def look_then_sync(descriptor: int) -> None:
        seen.extend(
            (p.name, oct(stat.S_IMODE(p.stat().st_mode)))
            for p in tmp_path.iterdir()
            if p.name != "old.csv"
        )
        real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", look_then_sync)
    target = tmp_path / "old.csv"
    target.write_text("old")
    before = os.umask(0o022)
    try:
        assert cli("--data", str(MINIMAL), "list", "-f", "csv", "-o", str(target)).code == 0
    finally:
        os.umask(before)
    assert target.read_text().startswith("treatment,name,")
    assert len(seen) == 1
    name, mode = seen[0]
    assert re.fullmatch(r"\.painopts-[0-9a-f]{8}\.tmp", name), name
    assert mode == "0o600"


def test_a_failed_write_is_one_line_and_keeps_the_old_file(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.csv"
    target.write_text("previous")

    def failing_sync(descriptor: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "fsync", failing_sync)
    result = cli("--data", str(MINIMAL), "list", "-f", "csv", "-o", str(target))
    assert (result.code, result.err) == (
        1,
        f"painopts: error: cannot write {target}: Input/output error\n",
    )
    assert target.read_text() == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["report.csv"]


def test_a_missing_folder_is_one_line(cli, tmp_path: Path) -> None:
    target = tmp_path / "missing" / "report.csv"
    result = cli("--data", str(MINIMAL), "list", "-o", str(target))
    assert (result.code, result.err) == (
        1,
        f"painopts: error: cannot write {target}: No such file or directory\n",
    )


def test_a_temporary_name_taken_by_a_link_is_never_followed(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another user who guessed the next temporary name cannot make painopts write elsewhere."""
    victim = tmp_path / "victim.txt"
    victim.write_text("keep")
    (tmp_path / ".painopts-01020304.tmp").symlink_to(victim)
    monkeypatch.setattr(os, "urandom", lambda size: bytes(range(1, size + 1)))
    result = cli("--data", str(MINIMAL), "list", "-o", str(tmp_path / "out.md"))
    assert (result.code, result.err) == (
        1,
        f"painopts: error: cannot write {tmp_path / 'out.md'}: File exists\n",
    )
    assert victim.read_text() == "keep"


def device(folder: Path, name: str, major: int, minor: int) -> Path:
    """A character device: a node of its own in ``folder`` where this user may make one (root),
    so that a broken painopts (a mutant) can never replace the system's; else ``/dev/name``."""
    if os.geteuid() != 0:
        return Path("/dev") / name
    node = folder / name
    os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(major, minor))
    return node


def test_a_device_stays_a_device_and_gets_the_text(cli, tmp_path: Path) -> None:
    node = device(tmp_path, "null", 1, 3)
    assert cli("--data", str(MINIMAL), "list", "-o", str(node)).code == 0
    facts = os.stat(node)
    assert stat.S_ISCHR(facts.st_mode) and facts.st_rdev == os.makedev(1, 3)


def test_a_full_device_as_output_is_one_line(cli, tmp_path: Path) -> None:
    node = device(tmp_path, "full", 1, 7)
    result = cli("--data", str(MINIMAL), "list", "-o", str(node))
    assert (result.code, result.err) == (
        1,
        f"painopts: error: cannot write {node}: No space left on device\n",
    )
    assert stat.S_ISCHR(os.stat(node).st_mode)


def test_a_closed_or_full_standard_output_is_one_line(cli, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(sys, "stdout", None)
    result = cli("--data", str(MINIMAL), "list")
    assert (result.code, result.err) == (
        1,
        "painopts: error: cannot write the output: standard output is closed\n",
    )
    with device(tmp_path, "full", 1, 7).open("w") as full:
        monkeypatch.setattr(sys, "stdout", full)
        result = cli("--data", str(MINIMAL), "list")
        assert (result.code, result.err) == (
            1,
            "painopts: error: cannot write the output: No space left on device\n",
        )
        full.write("more")
        full.flush()  # what was left for stdout now goes nowhere: no error at exit


def test_a_lone_surrogate_is_written_as_an_escape(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    write("name \udcff end\n", str(target))
    assert target.read_bytes() == b"name \\udcff end\n"


def test_an_input_that_cannot_be_read_does_not_block_the_output(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old")
    write("new\n", str(target), inputs=[tmp_path / "gone.yaml"])
    assert target.read_text() == "new\n"


def test_write_in_place_refuses_a_link_put_in_the_files_place(tmp_path: Path) -> None:
    """Between the check and the write, a link may replace the file: it is not followed."""
    victim = tmp_path / "victim.txt"
    victim.write_text("keep")
    link = tmp_path / "report.csv"
    link.symlink_to(victim)
    with pytest.raises(OutputError) as raised:
        write_in_place(link, b"new")
    assert str(raised.value) == f"cannot write {link}: Too many levels of symbolic links"
    assert victim.read_text() == "keep"


def test_write_in_place_of_a_missing_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(OutputError) as raised:
        write_in_place(tmp_path / "gone.csv", b"new")
    assert str(raised.value) == f"cannot write {tmp_path / 'gone.csv'}: No such file or directory"


def fake_room(monkeypatch: pytest.MonkeyPatch, blocks: int, block_size: int) -> None:
    """The file system reports ``blocks`` free blocks of ``block_size`` bytes."""
    room = os.statvfs_result((block_size, block_size, 1000, blocks, blocks, 100, 0, 0, 0, 255))
    monkeypatch.setattr(os, "fstatvfs", lambda descriptor: room)


def test_in_place_needs_room_only_for_what_the_file_grows_by(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = hard_linked(tmp_path, "o" * 1000)
    fake_room(monkeypatch, blocks=125, block_size=4)  # exactly the 500 bytes it grows by
    write("n" * 1500, str(first))
    assert (tmp_path / "second.csv").read_text() == "n" * 1500
    fake_room(monkeypatch, blocks=124, block_size=4)  # 4 bytes short
    with pytest.raises(OutputError, match="No space left on device"):
        write("m" * 2000, str(first))
    assert first.read_text() == "n" * 1500


def test_leftovers_are_removed_among_other_files(cli, tmp_path: Path) -> None:
    """A leftover is tidied wherever it is listed among other files of the folder."""
    hour_ago = time.time() - 3600
    for index in range(8):
        stale = tmp_path / f".painopts-0000000{index}.tmp"
        stale.write_text("partial")
        os.utime(stale, (hour_ago, hour_ago))
        (tmp_path / f"notes-{index}.txt").write_text("keep")
    assert cli("--data", str(MINIMAL), "list", "-o", str(tmp_path / "out.md")).code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["out.md", *(f"notes-{index}.txt" for index in range(8))]
    )


def test_a_leftover_named_link_is_kept_and_so_is_what_it_leads_to(cli, tmp_path: Path) -> None:
    old_file = tmp_path / "data.csv"
    old_file.write_text("keep")
    hour_ago = time.time() - 3600
    os.utime(old_file, (hour_ago, hour_ago))
    link = tmp_path / ".painopts-0123abcd.tmp"
    link.symlink_to(old_file)
    os.utime(link, (hour_ago, hour_ago), follow_symlinks=False)
    assert cli("--data", str(MINIMAL), "list", "-o", str(tmp_path / "out.md")).code == 0
    assert link.is_symlink() and old_file.read_text() == "keep"


OTHER_USER = 34567
"""A user id (and its own group) that no account on the test machine is expected to use."""


def unprivileged(action: Callable[[], None], groups: Sequence[int] = ()) -> tuple[int, str]:
    """Run ``action`` as a user without root's powers: (0, "") or (1, the OutputError's text).

    As root, in a child process that becomes `OTHER_USER` (in ``groups``); else right here.
    """
    if os.geteuid() != 0:
        try:
            action()
        except OutputError as error:
            return 1, str(error)
        return 0, ""
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:
        code = 2
        try:
            os.close(reading)
            os.setgroups(list(groups))
            os.setgid(OTHER_USER)
            os.setuid(OTHER_USER)
            action()
            code = 0
        except OutputError as error:
            os.write(writing, str(error).encode())
            code = 1
        finally:
            os._exit(code)
    os.close(writing)
    with os.fdopen(reading, "rb") as stream:
        message = stream.read().decode()
    return os.waitstatus_to_exitcode(os.waitpid(child, 0)[1]), message


@contextmanager
def open_folder(mode: int) -> Iterator[Path]:
    """A new folder with ``mode`` that `unprivileged` can reach (pytest's tmp_path is 0700)."""
    folder = Path(tempfile.mkdtemp(prefix="painopts-test-"))
    folder.chmod(mode)
    try:
        yield folder
    finally:
        folder.chmod(0o700)
        shutil.rmtree(folder)


def test_a_folder_that_refuses_new_files_gets_its_file_written_in_place() -> None:
    """As ``>`` would: the file is writable though the folder is not; a new file is refused."""
    with open_folder(0o755) as folder:
        target = folder / "report.csv"
        write("old\n", str(target))  # as the test runs: the child's calls are not traced
        target.chmod(0o666)
        if os.geteuid() != 0:
            folder.chmod(0o555)
        inode = target.stat().st_ino
        assert unprivileged(lambda: write("new\n", str(target))) == (0, "")
        assert target.read_text() == "new\n" and target.stat().st_ino == inode
        missing = folder / "new.csv"
        code, message = unprivileged(lambda: write("new\n", str(missing)))
        assert (code, message) == (1, f"cannot write {missing}: Permission denied")
        assert not missing.exists()


@root_only
def test_another_users_file_keeps_its_group_when_the_writer_belongs_to_it() -> None:
    with open_folder(0o777) as folder:
        target = folder / "shared.csv"
        target.write_text("old")
        os.chown(target, 12345, 23456)
        target.chmod(0o664)
        write("root's\n", str(target))  # root gives the new file the old one's owner
        facts = target.stat()
        assert (facts.st_uid, facts.st_gid, oct(stat.S_IMODE(facts.st_mode))) == (
            12345,
            23456,
            "0o664",
        )
        assert unprivileged(lambda: write("new\n", str(target)), groups=[23456]) == (0, "")
        facts = target.stat()
        assert (facts.st_uid, facts.st_gid, oct(stat.S_IMODE(facts.st_mode))) == (
            OTHER_USER,
            23456,
            "0o664",
        )
        assert target.read_text() == "new\n"


@root_only
def test_a_link_of_another_user_outside_a_shared_folder_is_followed(cli, tmp_path: Path) -> None:
    target = tmp_path / "real.csv"
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    os.chown(link, 12345, 12345, follow_symlinks=False)
    assert cli("--data", str(MINIMAL), "list", "-f", "csv", "-o", str(link)).code == 0
    assert target.read_text().startswith("treatment,name,") and link.is_symlink()


@root_only
def test_refusing_another_users_link_names_it_and_its_folder(cli, tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    link = shared / "out.csv"
    link.symlink_to(tmp_path / "victim.txt")
    os.chown(link, 12345, 12345, follow_symlinks=False)
    result = cli("--data", str(MINIMAL), "list", "-f", "csv", "-o", str(link))
    assert (result.code, result.err) == (
        1,
        f"painopts: error: refusing to write {link}: it is a link made by another user in the "
        f"shared folder {shared}; write to its target directly\n",
    )
    assert not (tmp_path / "victim.txt").exists()


@root_only
def test_a_links_folder_that_cannot_be_examined_is_one_line(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The folder changed between two looks (renamed, its mode changed): nothing is written."""
    link = tmp_path / "out.csv"
    link.symlink_to(tmp_path / "victim.txt")
    os.chown(link, 12345, 12345, follow_symlinks=False)
    real_stat = os.stat

    def stat_refusing_the_folder(path: Any, *args: Any, **kwargs: Any) -> os.stat_result:
        if str(path) == str(tmp_path):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", stat_refusing_the_folder)
    result = cli("--data", str(MINIMAL), "list", "-f", "csv", "-o", str(link))
    assert (result.code, result.err) == (
        1,
        f"painopts: error: cannot write {link}: Permission denied\n",
    )
    assert not (tmp_path / "victim.txt").exists()
