"""Showing a text taller than the terminal through ``$PAGER``, as git does, and never twice."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import subprocess


def page(text: str, height: int) -> bool:
    """Show text taller than the terminal through ``$PAGER`` (else ``less -FRX``), as git does.

    False when it was not paged: it fits, ``PAGER`` is empty or ``cat``, no pager is found, or
    the pager failed without reading anything (it could not start). A pager that read some of
    the text, or that Ctrl-C ended, has shown it: the caller must not write it again.
    """
    import shlex
    import shutil
    import signal
    import subprocess

    command = os.environ.get("PAGER", "less -FRX")
    try:
        words = shlex.split(command)
    except ValueError:  # unbalanced quotes: no usable pager
        return False
    if os.name != "posix":  # the pipe is watched with select and FIONREAD
        return False
    if text.count("\n") < height or not words or words[0] == "cat" or not shutil.which(words[0]):
        return False
    environment = {**os.environ, "LESS": os.environ.get("LESS", "FRX")}
    data = text.encode("utf-8", "backslashreplace")
    reading, writing = os.pipe()  # this end of reading stays open: it tells what was left unread
    try:
        pager = subprocess.Popen(command, shell=True, stdin=reading, env=environment)
    except OSError:
        os.close(writing)
        os.close(reading)
        return False
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the pager's, as in git
    try:
        sent = _feed(pager, writing, data)
        code = pager.wait()
        unread = _unread(reading)
    finally:
        signal.signal(signal.SIGINT, previous)
        os.close(reading)
    return code in (0, -signal.SIGINT) or sent > unread


def _feed(pager: subprocess.Popen[bytes], writing: int, data: bytes) -> int:
    """Write data to the pager until it has all of it or has ended (q in less), then close.

    The number of bytes written. Waiting for room in the pipe wakes up every 0.1 s to see
    whether the pager is still there: the pipe never breaks while ``page`` holds its other end.
    """
    import select

    os.set_blocking(writing, False)
    sent = 0
    try:
        while sent < len(data) and pager.poll() is None:
            if select.select([], [writing], [], 0.1)[1]:
                try:
                    sent += os.write(writing, data[sent : sent + 65536])
                except BlockingIOError:
                    continue
    except BrokenPipeError:  # the pager closed its input (cannot happen while ours is open)
        pass
    finally:
        os.close(writing)
    return sent


def _unread(reading: int) -> int:
    """How many bytes wait in a pipe, unread."""
    import fcntl
    import termios

    count = bytearray(4)
    fcntl.ioctl(reading, termios.FIONREAD, count)
    return int.from_bytes(count, sys.byteorder)
