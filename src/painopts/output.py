"""Writing what a command made: to standard output, or to ``-o PATH`` without losing anything.

A regular file is replaced atomically (a temporary file beside it, then a rename), keeping its
owner where it can and its mode; one with other hard links is written in place. A link is
followed only where Linux's ``fs.protected_symlinks`` would follow it, and stays a link. A
device, a FIFO or a ``/dev/stdout``-style path is written directly, never replaced; the
knowledge file being read is never overwritten. SIGTERM and SIGHUP during a write remove the
temporary file, as Ctrl-C does.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path


class OutputError(Exception):
    """The output could not be written (nothing was replaced)."""


class TerminatedError(BaseException):
    """The process was asked to stop (SIGTERM, SIGHUP) while it wrote."""

    def __init__(self, signal_number: int) -> None:
        super().__init__(f"terminated by signal {signal_number}")
        self.exit_code = 128 + signal_number


def write(text: str, target: str | None, inputs: Sequence[Path] = ()) -> None:
    """Write text to stdout (``None`` or ``-``) or to the path ``target``."""
    if target in (None, "-"):
        write_stdout(text)
        return
    assert target is not None
    if target.endswith(("/", os.sep)):
        raise OutputError(f"cannot write {target}: the name ends with '/', a folder's name")
    data = text.encode("utf-8", "backslashreplace")  # a lone surrogate is shown, never fatal
    name = _followed(target)
    facts = _facts(name)
    if facts is not None and any(_same(facts, each) for each in inputs):
        raise OutputError(f"refusing to write {target}: it is the knowledge file being read")
    if facts is not None and (not stat.S_ISREG(facts.st_mode) or _DESCRIPTOR.fullmatch(name)):
        _write_directly(Path(name), data)
    elif facts is not None and facts.st_nlink > 1 and not _shared(_facts(os.path.dirname(name))):
        write_in_place(Path(name), data)  # in /tmp, another user may have made the other link
    else:
        write_atomically(Path(name), data)


MAX_LINKS = 40
"""Links followed one after another before giving up, as Linux does (MAXSYMLINKS)."""


def _followed(target: str) -> str:
    """The name the links at the end of ``target`` lead to, each checked by `_may_follow`.

    The chain is followed by hand, so that each link is checked where it is, and stops at a
    name for an open descriptor (`_DESCRIPTOR`), which leads on to the file itself.
    """
    name = target if os.path.isabs(target) else os.path.join(os.getcwd(), target)
    for _ in range(MAX_LINKS + 1):
        if _DESCRIPTOR.fullmatch(os.path.normpath(name)):
            return os.path.normpath(name)
        try:
            link = os.lstat(name)
        except OSError:  # missing, or in a folder that cannot be read: the write says which
            return name
        if not stat.S_ISLNK(link.st_mode):
            return name
        folder = os.path.dirname(name)
        _may_follow(link, folder, target)
        name = os.path.join(folder, os.readlink(name))
    raise OutputError(f"cannot write {target}: {os.strerror(errno.ELOOP)}")


def _may_follow(link: os.stat_result, folder: str, target: str) -> None:
    """Refuse a link that Linux's ``fs.protected_symlinks`` would not follow, whatever its setting.

    In a folder that is both sticky and writable by everyone (``/tmp``), only a link made by this
    user or by the folder's owner is followed; anywhere else every link is.
    """
    if link.st_uid == _user():
        return
    try:
        facts = os.stat(folder)
    except OSError as error:
        raise OutputError(f"cannot write {target}: {error.strerror or error}") from None
    if _shared(facts) and link.st_uid != facts.st_uid:
        raise OutputError(
            f"refusing to write {target}: it is a link made by another user in the shared folder "
            f"{folder}; write to its target directly"
        )


def _shared(folder: os.stat_result | None) -> bool:
    """Whether a folder is sticky and writable by everyone, as ``/tmp`` is (True if unknown)."""
    both = stat.S_ISVTX | stat.S_IWOTH
    return folder is None or folder.st_mode & both == both


def _user() -> int:
    """The effective user id (-1 where there are no user ids)."""
    return os.geteuid() if hasattr(os, "geteuid") else -1


def write_stdout(text: str) -> None:
    """Write to standard output; a closed or full one is an OutputError (a closed pipe is not)."""
    if sys.stdout is None:
        raise OutputError("cannot write the output: standard output is closed")
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as error:
        silence_stdout()
        raise OutputError(f"cannot write the output: {error.strerror or error}") from None


def silence_stdout() -> None:
    """Send what is still buffered for stdout nowhere, so Python does not complain at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, AttributeError, ValueError):
        pass


def _same(facts: os.stat_result, other: Path) -> bool:
    try:
        return os.path.samestat(facts, other.stat())
    except OSError:
        return False


_DESCRIPTOR = re.compile(r"/proc/[^/]+/fd/[0-9]+|/dev/fd/[0-9]+")
"""``/dev/stdout``, ``/dev/fd/1``, ``/proc/self/fd/1``: a name for a descriptor already open.

Replacing what such a name leads to would leave the open descriptor writing to a file that is
gone, so it is written through instead.
"""


def _write_directly(path: Path, data: bytes) -> None:
    try:
        with open(path, "ab") as stream:  # never truncate a >>
            stream.write(data)
    except OSError as error:
        raise OutputError(f"cannot write {path}: {error.strerror or error}") from None


def write_atomically(path: Path, data: bytes) -> None:
    """Write a whole file or nothing: a temporary file in the same folder, then a rename.

    The new file keeps the old one's owner and group where this user may give them (root may),
    and its permission bits, never setuid, setgid or sticky. A folder that refuses new files
    while the file itself is writable gets the file written in place, as ``>`` would.
    """
    _remove_leftovers(path.parent)
    temporary = path.with_name(f".painopts-{os.urandom(4).hex()}.tmp")
    old = _facts(path)
    with _removing_on_signals(temporary):
        try:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
            descriptor = os.open(temporary, flags, 0o600)
        except PermissionError as error:
            if old is None:
                raise OutputError(f"cannot write {path}: {error.strerror}") from None
            write_in_place(path, data)
            return
        except OSError as error:
            raise OutputError(f"cannot write {path}: {error.strerror or error}") from None
        try:
            with os.fdopen(descriptor, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
                _keep_owner(stream.fileno(), old)
                by_descriptor = os.chmod in os.supports_fd
                os.chmod(stream.fileno() if by_descriptor else temporary, _file_mode(old))
            os.replace(temporary, path)
        except BaseException as error:
            temporary.unlink(missing_ok=True)
            if isinstance(error, OSError):
                raise OutputError(f"cannot write {path}: {error.strerror or error}") from None
            raise


def write_in_place(path: Path, data: bytes) -> None:
    """Overwrite a file where it is, as ``>`` does.

    For a file with other hard links, which then all show the new content, or in a folder this
    user cannot add files to.

    Not atomic: Ctrl-C, SIGTERM and SIGHUP wait until the write ends, and a disk without room
    for the new text is refused before the file is touched, but a crash or SIGKILL midway
    leaves it cut short.
    """
    try:
        descriptor = os.open(path, os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError as error:
        raise OutputError(f"cannot write {path}: {error.strerror or error}") from None
    with _signals_held(), os.fdopen(descriptor, "wb") as stream:
        try:
            _check_room(stream.fileno(), len(data))
            stream.write(data)
            stream.truncate(len(data))
            stream.flush()
            os.fsync(stream.fileno())
        except OSError as error:
            raise OutputError(f"cannot write {path}: {error.strerror or error}") from None


def _check_room(descriptor: int, size: int) -> None:
    """An OSError (ENOSPC) when the file system has no room for the file to grow to ``size``."""
    if not hasattr(os, "fstatvfs"):
        return
    room = os.fstatvfs(descriptor)
    growth = size - os.fstat(descriptor).st_size
    if growth > room.f_bavail * room.f_frsize:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@contextmanager
def _signals_held() -> Iterator[None]:
    """Ctrl-C, SIGTERM and SIGHUP arrive only once the block has run (where signals can wait)."""
    import signal

    held = {signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", signal.SIGTERM)}
    try:
        before = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    except (AttributeError, ValueError):  # no signal masks here (Windows)
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


LEFTOVER = re.compile(r"\.painopts-[0-9a-f]{8}\.tmp")
"""The name of a temporary file `write_atomically` makes."""

LEFTOVER_AGE = 10 * 60
"""Seconds after which a temporary file of this user's is taken as left by a killed painopts."""


def _remove_leftovers(folder: Path) -> None:
    """Remove the temporary files a painopts killed mid-write left here: this user's, and old."""
    import time

    now = time.time()
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if not LEFTOVER.fullmatch(entry.name):
                    continue
                facts = entry.stat(follow_symlinks=False)
                mine = stat.S_ISREG(facts.st_mode) and facts.st_uid == _user()
                if mine and now - facts.st_mtime > LEFTOVER_AGE:
                    os.unlink(entry.path)
    except OSError:  # a folder that cannot be listed, a file gone meanwhile: nothing to tidy
        pass


def _facts(path: Path | str) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None


def _keep_owner(descriptor: int, old: os.stat_result | None) -> None:
    """Give the new file the old one's owner and group, or its group alone, where allowed."""
    if old is None or not hasattr(os, "fchown"):
        return
    for owner in (old.st_uid, -1):
        try:
            os.fchown(descriptor, owner, old.st_gid)
        except OSError:  # only root gives files away; a group needs membership
            continue
        return


@contextmanager
def _removing_on_signals(temporary: Path) -> Iterator[None]:
    """SIGTERM and SIGHUP raise TerminatedError while the block runs, so cleanup happens.

    A signal this process ignores (SIGHUP under ``nohup``) stays ignored.
    """
    import signal

    def stop(number: int, frame: object) -> None:
        raise TerminatedError(number)

    wanted = [
        getattr(signal, name)
        for name in ("SIGTERM", "SIGHUP")
        if hasattr(signal, name) and signal.getsignal(getattr(signal, name)) != signal.SIG_IGN
    ]
    try:
        previous = {number: signal.signal(number, stop) for number in wanted}
    except ValueError:  # not the main thread: signals cannot be caught here
        previous = {}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _file_mode(old: os.stat_result | None) -> int:
    """The old file's permission bits (never setuid, setgid, sticky), or what the umask allows."""
    if old is not None:
        return stat.S_IMODE(old.st_mode) & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
