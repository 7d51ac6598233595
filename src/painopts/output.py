"""Writing what a command made: to standard output, or to ``-o PATH`` without losing anything.

A regular file is replaced atomically (a temporary file beside it, then a rename), keeping its
mode; a link to one keeps the link and replaces what it points at; a device, a FIFO or a
``/dev/stdout``-style path is written directly, never replaced; the knowledge file being read
is never overwritten. SIGTERM and SIGHUP during a write remove the temporary file, as Ctrl-C does.
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
    path = Path(target)
    try:
        facts = path.stat()
    except OSError as error:
        if error.errno == errno.ELOOP:  # a loop of links (Python 3.13 resolves it silently)
            raise OutputError(f"cannot write {target}: {error.strerror}") from None
        facts = None
    if facts is not None and any(_same(facts, each) for each in inputs):
        raise OutputError(f"refusing to write {target}: it is the knowledge file being read")
    if facts is not None and (not stat.S_ISREG(facts.st_mode) or _names_an_open_file(path)):
        _write_directly(path, text)
    else:
        try:
            real = path.resolve() if path.is_symlink() else path
        except (OSError, RuntimeError) as error:  # a loop of links
            raise OutputError(f"cannot write {target}: {error}") from None
        write_atomically(real, text)


def page(text: str, height: int) -> bool:
    """Show text taller than the terminal through ``$PAGER`` (else ``less -FRX``), as git does.

    False when it was not paged: it fits, ``PAGER`` is empty or ``cat``, or no pager is found.
    """
    import shlex
    import shutil
    import subprocess

    command = os.environ.get("PAGER", "less -FRX")
    try:
        words = shlex.split(command)
    except ValueError:  # unbalanced quotes: no usable pager
        return False
    if text.count("\n") < height or not words or words[0] == "cat" or not shutil.which(words[0]):
        return False
    environment = {**os.environ, "LESS": os.environ.get("LESS", "FRX")}
    try:
        pager = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, env=environment)
    except OSError:
        return False
    assert pager.stdin is not None
    import signal

    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the pager's, as in git
    try:
        pager.stdin.write(text.encode("utf-8", "backslashreplace"))
        pager.stdin.close()
    except BrokenPipeError:  # the reader quit early (q in less)
        pass
    finally:
        code = pager.wait()
        signal.signal(signal.SIGINT, previous)
    return code == 0  # a pager that failed showed nothing: the caller writes the text itself


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


def _names_an_open_file(path: Path) -> bool:
    """``/dev/stdout``, ``/dev/fd/1``, ``/proc/self/fd/1``: a name for a descriptor already open.

    Replacing what such a name leads to would leave the open descriptor writing to a file that
    is gone, so it is written through instead. The chain of links is followed by hand, since
    resolving it would go through the descriptor to the file itself.
    """
    name = os.path.abspath(path)
    for _ in range(8):
        if _DESCRIPTOR.fullmatch(name):
            return True
        if not os.path.islink(name):
            return False
        name = os.path.normpath(os.path.join(os.path.dirname(name), os.readlink(name)))
    return False


_DESCRIPTOR = re.compile(r"/proc/[^/]+/fd/[0-9]+|/dev/fd/[0-9]+")


def _write_directly(path: Path, text: str) -> None:
    try:
        with open(path, "a", encoding="utf-8", newline="") as stream:  # never truncate a >>
            stream.write(text)
    except OSError as error:
        raise OutputError(f"cannot write {path}: {error.strerror or error}") from None


def write_atomically(path: Path, text: str) -> None:
    """Write a whole file or nothing: a temporary file in the same folder, then a rename."""
    temporary = path.with_name(f".painopts-{os.urandom(4).hex()}.tmp")
    with _removing_on_signals(temporary):
        try:
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, _file_mode(path))
        except OSError as error:
            raise OutputError(f"cannot write {path}: {error.strerror or error}") from None
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as stream:
                stream.write(text)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(temporary, _file_mode(path))
            os.replace(temporary, path)
        except BaseException as error:
            temporary.unlink(missing_ok=True)
            if isinstance(error, OSError):
                raise OutputError(f"cannot write {path}: {error.strerror or error}") from None
            raise


@contextmanager
def _removing_on_signals(temporary: Path) -> Iterator[None]:
    """SIGTERM and SIGHUP raise TerminatedError while the block runs, so cleanup happens."""
    import signal

    def stop(number: int, frame: object) -> None:
        raise TerminatedError(number)

    wanted = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
    try:
        previous = {number: signal.signal(number, stop) for number in wanted}
    except ValueError:  # not the main thread: signals cannot be caught here
        previous = {}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _file_mode(path: Path) -> int:
    """The mode the written file gets: the old file's, or what the umask allows a new one."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
