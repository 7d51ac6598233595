"""`-o` between two real local users: links planted in a shared folder, folders one cannot write.

The test makes two users (and removes them with their homes afterwards), so it needs root and
``useradd``. painopts runs as the second user in a forked child that has dropped root: the
modules are imported before the fork, since the interpreter may sit where others cannot read.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from tests.conftest import MINIMAL

from painopts.cli import main_exit_code

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux")
    or os.geteuid() != 0
    or not shutil.which("useradd")
    or not shutil.which("userdel"),
    reason="needs Linux, root and useradd/userdel to make two local users",
)


@dataclass(frozen=True)
class User:
    name: str
    uid: int
    gid: int


def _add_user(name: str) -> User:
    done = subprocess.run(
        ["useradd", "--create-home", "--shell", "/bin/sh", name],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"useradd could not make a test user: {done.stderr.strip()}")
    import pwd

    entry = pwd.getpwnam(name)
    return User(name, entry.pw_uid, entry.pw_gid)


@pytest.fixture(scope="module")
def users() -> Iterator[tuple[User, User]]:
    """Two new local users, the one planting links and the one running painopts."""
    stem = f"po{secrets.token_hex(3)}"
    made: list[User] = []
    try:
        made.append(_add_user(f"{stem}a"))
        made.append(_add_user(f"{stem}b"))
        yield made[0], made[1]
    finally:
        for user in made:
            subprocess.run(["userdel", "--remove", user.name], capture_output=True, check=False)


@pytest.fixture
def place() -> Iterator[Path]:
    """A folder every user can reach (pytest's own tmp_path is root's alone)."""
    folder = Path(tempfile.mkdtemp(prefix="painopts-two-users-", dir="/tmp"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder)


@pytest.fixture(autouse=True)
def imported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Import everything an `-o` run needs, so a child that dropped root need not read it."""
    monkeypatch.setenv("PAINOPTS_NO_CACHE", "1")  # as in the child: the file is decoded
    for form in ("csv", "table"):
        out = tmp_path / f"warm.{form}"
        assert main_exit_code(["--data", str(MINIMAL), "list", "-f", form, "-o", str(out)]) == 0


def run_as(user: User, *args: str) -> tuple[int, str]:
    """Run painopts as ``user`` (a forked child that gave up root); its exit code and stderr."""
    with tempfile.TemporaryFile("w+") as errors:
        child = os.fork()
        if child == 0:  # pragma: no cover - the child reports through its exit code
            code = 3
            try:
                os.setgroups([])
                os.setgid(user.gid)
                os.setuid(user.uid)
                os.environ.update(HOME=f"/home/{user.name}", PAINOPTS_NO_CACHE="1")
                sys.stdout = open(os.devnull, "w")  # noqa: SIM115
                sys.stderr = open(os.dup(errors.fileno()), "w")  # noqa: SIM115
                code = main_exit_code(list(args))
            except BaseException as error:  # shown in the test's failure, never a silent pass
                os.write(errors.fileno(), f"child failed: {error!r}".encode())
            finally:
                sys.stderr.flush()
                os._exit(code)
        _, status = os.waitpid(child, 0)
        errors.seek(0)
        return os.waitstatus_to_exitcode(status), errors.read()


def given(path: Path, user: User) -> Path:
    """The path, now belonging to ``user`` (a link itself, not what it points at)."""
    os.chown(path, user.uid, user.gid, follow_symlinks=False)
    return path


def planted(link: Path, target: Path, user: User) -> Path:
    """A link made by ``user``."""
    link.symlink_to(target)
    return given(link, user)


def shared_folder(place: Path) -> Path:
    shared = place / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    return shared


def test_a_link_another_user_planted_in_a_sticky_shared_folder_is_refused(users, place) -> None:
    alice, bob = users
    shared = shared_folder(place)
    notes = place / "bob-notes.txt"
    notes.write_text("IMPORTANT bob data\n")
    given(notes, bob).chmod(0o600)
    link = planted(shared / "report.csv", notes, alice)
    code, err = run_as(bob, "--data", str(MINIMAL), "list", "-f", "csv", "-o", str(link))
    assert code == 1
    assert err == (
        f"painopts: error: refusing to write {link}: it is a link made by another user in the "
        f"shared folder {shared}; write to its target directly\n"
    )
    assert notes.read_text() == "IMPORTANT bob data\n"
    assert link.is_symlink() and sorted(p.name for p in shared.iterdir()) == ["report.csv"]


def test_a_dangling_link_another_user_planted_creates_nothing(users, place) -> None:
    alice, bob = users
    shared = shared_folder(place)
    home = place / "bob"
    home.mkdir(mode=0o700)
    target = given(home, bob) / ".profile-made-by-alice"
    link = planted(shared / "dangling.csv", target, alice)
    code, err = run_as(bob, "--data", str(MINIMAL), "list", "-f", "csv", "-o", str(link))
    assert code == 1 and err.startswith(f"painopts: error: refusing to write {link}: it is a link")
    assert not target.exists()


def test_links_the_user_or_the_folder_owner_made_are_followed(users, place) -> None:
    alice, bob = users
    shared = shared_folder(place)
    given(shared, alice)  # alice owns the shared folder, as a user owns a project folder
    home = place / "bob"
    home.mkdir()
    given(home, bob)
    for maker, name in ((bob, "by-bob.csv"), (alice, "by-owner.csv")):
        target = home / f"target-{name}"
        target.write_text("old\n")
        given(target, bob)
        link = planted(shared / name, target, maker)
        code, err = run_as(bob, "--data", str(MINIMAL), "list", "-f", "csv", "-o", str(link))
        assert (code, err) == (0, "")
        assert "alpha" in target.read_text() and link.is_symlink()


def test_root_too_is_refused_a_link_another_user_planted(users, place, cli) -> None:
    alice, _ = users
    shared = shared_folder(place)
    target = place / "etc-profile-d-x.sh"
    link = planted(shared / "list.csv", target, alice)
    result = cli("--data", str(MINIMAL), "list", "-f", "csv", "-o", str(link))
    assert result.code == 1 and "link made by another user" in result.err
    assert not target.exists()


def test_a_writable_file_in_a_folder_the_user_cannot_write_is_written_in_place(
    users, place
) -> None:
    _, bob = users
    folder = place / "rodir"
    folder.mkdir(mode=0o755)
    out = folder / "out.md"
    out.write_text("old\n")
    out.chmod(0o666)
    inode = out.stat().st_ino
    code, err = run_as(bob, "--data", str(MINIMAL), "list", "-f", "csv", "-o", str(out))
    assert (code, err) == (0, "")
    assert "alpha" in out.read_text()
    facts = out.stat()
    assert (facts.st_ino, facts.st_uid, oct(facts.st_mode & 0o7777)) == (inode, 0, "0o666")
    assert sorted(p.name for p in folder.iterdir()) == ["out.md"]


def test_a_new_file_in_a_folder_the_user_cannot_write_is_one_line(users, place) -> None:
    _, bob = users
    folder = place / "rodir"
    folder.mkdir(mode=0o755)
    code, err = run_as(bob, "--data", str(MINIMAL), "list", "-o", str(folder / "new.md"))
    assert code == 1
    assert err == f"painopts: error: cannot write {folder / 'new.md'}: Permission denied\n"
    assert list(folder.iterdir()) == []
