"""A cache of validated knowledge bases, so that a file seen before is not parsed again.

An entry is JSON: nothing in it can run code, and it reads back alike on every Python.
Its name is the file's content hash with the entry format and painopts' version, so a new
release or a changed file never meets an old entry. Each treatment's values are stored apart,
compressed, and built only when read: a command that shows two treatments of thousands
builds the objects of two.

It is a speed-up that can never change an answer. The folder must belong to the user and be
writable by nobody else (otherwise it is not used, with one warning); entries are opened
without following links, must be regular files of the user's within a size bound, and are
decompressed within a bound; anything else is a miss. Deleting the folder is always safe.
``PAINOPTS_CACHE_DIR`` moves it; ``PAINOPTS_NO_CACHE=1`` turns it off.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import sys
from pathlib import Path

from painopts import __version__
from painopts.cache.entry import FORMAT, MAGIC, DamagedEntryError, decode, encode, read_whole
from painopts.model import KnowledgeBase

__all__ = [
    "FORMAT",
    "MAGIC",
    "Cache",
    "DamagedEntryError",
    "Folder",
    "UnsafeFolderError",
    "decode",
    "encode",
    "entry_name",
    "location",
]

MAX_ENTRY_BYTES = 128 * 2**20
KEEP_ENTRIES = 16
STALE_TEMPORARY_SECONDS = 600
_TEMPORARY = ".tmp-"
_SUFFIX = f"-{FORMAT}-{__version__}.json"


def location() -> Path | None:
    """Where the cache folder would be, or None when caching is off or has no safe home."""
    if os.environ.get("PAINOPTS_NO_CACHE"):
        return None
    override = os.environ.get("PAINOPTS_CACHE_DIR")
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
        return Path(base, "painopts", "Cache") if base else None
    home = os.environ.get("HOME", "")
    if not os.path.isabs(home):  # no HOME (a uid without a passwd entry) or an odd one
        return None
    if sys.platform == "darwin":
        return Path(home, "Library", "Caches", "painopts")
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    base = Path(xdg) if os.path.isabs(xdg) else Path(home, ".cache")  # as the XDG spec says
    return base / "painopts"


def entry_name(sha256: str) -> str:
    """The entry for content with this hash."""
    return sha256[:40] + _SUFFIX


class Folder:
    """The cache folder, opened once and checked: the user's own, writable by nobody else."""

    def __init__(self, path: Path, descriptor: int | None) -> None:
        self.path = path
        self._descriptor = descriptor  # the open folder, where the platform has dir_fd

    @classmethod
    def open(cls, path: Path, create: bool) -> Folder:
        """The folder, created private if asked; OSError, or UnsafeFolderError, otherwise."""
        if create:
            os.makedirs(path, mode=0o700, exist_ok=True)
        if not _HAS_DIR_FD:
            return cls(path, None)
        try:
            descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _NOFOLLOW)
        except OSError as error:
            if error.errno == errno.ELOOP or os.path.islink(path):
                raise UnsafeFolderError(f"not using the cache: {path} is a symbolic link") from None
            raise
        try:
            _check_owned(os.fstat(descriptor), path)
        except BaseException:
            os.close(descriptor)
            raise
        return cls(path, descriptor)

    def close(self) -> None:
        """Let the folder go."""
        if self._descriptor is not None:
            os.close(self._descriptor)
            self._descriptor = None

    def _open(self, name: str, flags: int, mode: int = 0o600) -> int:
        if self._descriptor is None:
            return os.open(self.path / name, flags | _BINARY, mode)
        return os.open(name, flags | _NOFOLLOW, mode, dir_fd=self._descriptor)

    def read(self, name: str) -> bytes | None:
        """An entry's bytes; None unless it is a regular file of the user's within the bound."""
        try:
            descriptor = self._open(name, os.O_RDONLY | _NONBLOCK)
        except OSError:
            return None
        try:
            facts = os.fstat(descriptor)
            if not stat.S_ISREG(facts.st_mode) or facts.st_size > MAX_ENTRY_BYTES:
                return None
            if _HAS_DIR_FD and facts.st_uid != os.geteuid():
                return None
            with os.fdopen(descriptor, "rb", closefd=False) as stream:
                return stream.read(MAX_ENTRY_BYTES + 1)
        except OSError:
            return None
        finally:
            os.close(descriptor)

    def write(self, name: str, content: bytes) -> None:
        """Write an entry whole, or nothing: a private temporary file, then a rename."""
        temporary = f"{_TEMPORARY}{os.getpid()}-{os.urandom(4).hex()}"
        descriptor = self._open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
        try:
            with os.fdopen(descriptor, "wb") as stream:
                stream.write(content)
            self._rename(temporary, name)
        except BaseException:
            self.remove(temporary)
            raise

    def prune(self, now: float) -> None:
        """Keep the newest entries of this version, and no writer's leftover temporary file."""
        entries: list[tuple[float, str]] = []
        for name in self._names():
            modified = self._modified(name)
            if _OURS_TEMPORARY.fullmatch(name):
                if now - modified > STALE_TEMPORARY_SECONDS:
                    self.remove(name)
            elif _OURS_ENTRY.fullmatch(name):
                entries.append((modified, name))
        entries.sort(reverse=True)
        for _, name in entries[KEEP_ENTRIES:]:
            self.remove(name)

    def _names(self) -> list[str]:
        try:
            return os.listdir(self.path if self._descriptor is None else self._descriptor)
        except OSError:
            return []

    def _modified(self, name: str) -> float:
        try:
            return self._stat(name).st_mtime
        except OSError:
            return 0.0

    def _stat(self, name: str) -> os.stat_result:
        if self._descriptor is None:
            return os.stat(self.path / name)
        return os.stat(name, dir_fd=self._descriptor, follow_symlinks=False)

    def _rename(self, old: str, new: str) -> None:
        if self._descriptor is None:
            os.replace(self.path / old, self.path / new)
        else:
            os.replace(old, new, src_dir_fd=self._descriptor, dst_dir_fd=self._descriptor)

    def remove(self, name: str) -> None:
        """Remove a file of the folder, if it is there."""
        try:
            if self._descriptor is None:
                os.unlink(self.path / name)
            else:
                os.unlink(name, dir_fd=self._descriptor)
        except OSError:
            pass


_OURS_ENTRY = re.compile(r"[0-9a-f]{40}-[0-9]+-[0-9A-Za-z.+_-]+\.json")
_OURS_TEMPORARY = re.compile(r"\.tmp-[0-9]+-[0-9a-f]{8}")
"""Only what painopts itself writes is ever removed from the folder."""
_HAS_DIR_FD = os.open in os.supports_dir_fd and hasattr(os, "geteuid")
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # a FIFO planted as an entry must not hang the read
_BINARY = getattr(os, "O_BINARY", 0)


class UnsafeFolderError(Exception):
    """The cache folder belongs to someone else or others can write to it."""


def _check_owned(facts: os.stat_result, path: Path) -> None:
    if not stat.S_ISDIR(facts.st_mode):
        raise UnsafeFolderError(f"not using the cache: {path} is not a folder")
    if facts.st_uid != os.geteuid():
        raise UnsafeFolderError(f"not using the cache: {path} belongs to another user")
    if facts.st_mode & 0o022:
        raise UnsafeFolderError(
            f"not using the cache: others can write to {path} (run: chmod 700 '{path}')"
        )


class Cache:
    """The user's cache folder for one command: get an entry, put one. Never raises."""

    def __init__(self) -> None:
        self.warning = ""
        self._path = location()
        self._folder: Folder | None = None
        if self._path is None:
            return
        try:
            self._folder = Folder.open(self._path, create=False)
        except UnsafeFolderError as error:
            self.warning, self._path = str(error), None
        except OSError:
            pass  # not there yet: made on the first put

    def get(self, sha256: str, whole: bool = False) -> KnowledgeBase | None:
        """The base cached for this content, or None.

        ``whole`` builds every part at once, so that a damaged one is a miss now rather than a
        DamagedEntryError later (for a file that cannot be read a second time, such as a pipe).
        """
        if self._folder is None:
            return None
        name = entry_name(sha256)
        raw = self._folder.read(name)
        kb = decode(raw, name) if raw is not None else None
        if kb is not None and whole:
            try:
                read_whole(kb)
            except DamagedEntryError:
                self.discard(name)
                return None
        return kb

    def put(self, sha256: str, kb: KnowledgeBase) -> None:
        """Store a validated base; a folder that cannot be made or written is skipped."""
        import time

        try:
            if self._path is None:
                return
            if self._folder is None:
                self._folder = Folder.open(self._path, create=True)
            self._folder.write(entry_name(sha256), encode(kb))
            self._folder.prune(time.time())
        except UnsafeFolderError as error:
            self.warning = str(error)
        except OSError:
            pass

    def discard(self, name: str) -> None:
        """Remove an entry painopts wrote (one found damaged), so that it is written anew."""
        if self._folder is not None and _OURS_ENTRY.fullmatch(name):
            self._folder.remove(name)

    def close(self) -> None:
        """Let the folder go."""
        if self._folder is not None:
            self._folder.close()
