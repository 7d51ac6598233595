"""A cache of validated knowledge bases, so that a file seen before is not parsed again.

An entry is a header line (the file's SHA-256, the code key, a CRC-32 of the JSON) and the base
as JSON, every value type-checked when read; anything else is a miss. The bundled file's entry
ships with painopts. What the cache promises: docs/security.md, "The cache".
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import re
import stat
import sys
import time
import zlib
from pathlib import Path

from painopts.cache.build import builder
from painopts.model import KnowledgeBase, as_data

MAX_ENTRY_BYTES = 256 * 2**20  # the JSON of a knowledge file of at most 64 MiB is never near
KEEP_ENTRIES = 16
STALE_TEMPORARY_SECONDS = 600
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
_OURS_ENTRY = re.compile(r"[0-9a-f]{40}-[0-9A-Za-z.+_-]+\.json")  # also an earlier version's
_OURS_TEMPORARY = re.compile(r"\.tmp-[0-9]+-[0-9a-f]{8}")  # nothing else is ever removed
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # a FIFO planted as an entry must not hang the read
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_BY_DESCRIPTOR = os.open in os.supports_dir_fd  # False on Windows
PACKAGE = Path(__file__).resolve().parent.parent


@functools.cache
def code_key(package: Path = PACKAGE) -> str:
    """A hash of the source of the modules that decide what a cached base holds."""
    digest = hashlib.sha256()
    for name in ("model", "load", "cache", "validate", "codes"):  # load and what it may import
        folder = package / name
        inner = sorted(os.listdir(folder)) if folder.is_dir() else []
        for path in [folder / n for n in inner if n.endswith(".py")] or [package / f"{name}.py"]:
            with contextlib.suppress(OSError):  # no source (a frozen application): code alone
                digest.update(b"%s\0%s\0" % (path.name.encode(), path.read_bytes()))
    return digest.hexdigest()[:16]


def encode(kb: KnowledgeBase, sha256: str) -> bytes:
    """An entry for a base validated from content with this hash (ValueError: not finite)."""
    text = json.dumps(as_data(kb), ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return _header(sha256, text.encode()) + b"\n" + text.encode()


def _header(sha256: str, body: bytes) -> bytes:
    return b"painopts-cache %s %s %08x" % (sha256.encode(), code_key().encode(), zlib.crc32(body))


def decode(raw: bytes, sha256: str) -> KnowledgeBase | None:
    """The base in an entry for this content and this code, or None for anything else."""
    header, _, body = raw.partition(b"\n")
    if header == _header(sha256, body) and not _escapes_a_surrogate(body):
        # strict UTF-8: no surrogate written raw; NaN and Infinity are refused as floats
        with contextlib.suppress(ValueError, TypeError, LookupError, RecursionError):
            kb: KnowledgeBase = builder(KnowledgeBase)(json.loads(body.decode()))
            return kb
    return None


def _escapes_a_surrogate(body: bytes) -> bool:
    r"""Whether JSON text escapes a surrogate (which no knowledge file holds), in linear time.

    Escaped backslashes go first, in pairs from the left as JSON reads them: ``\\ud800`` is text.
    """
    return b"\\u" in body and _SURROGATE_ESCAPE.search(body.replace(b"\\\\", b"")) is not None


def read_shipped(path: Path, sha256: str) -> KnowledgeBase | None:
    """The base in an entry shipped with painopts for this content (with the cache on)."""
    try:
        return None if os.environ.get("PAINOPTS_NO_CACHE") else decode(path.read_bytes(), sha256)
    except OSError:
        return None


def location() -> Path | None:
    """The cache folder, or None when caching is off or has no safe home.

    A relative path is ignored (it would move with the working folder), so is a relative HOME.
    Where a folder cannot be opened to read entries relative to it (Windows), there is none.
    """
    override, home, xdg = (
        value if os.path.isabs(value := os.environ.get(name, "")) else ""
        for name in ("PAINOPTS_CACHE_DIR", "HOME", "XDG_CACHE_HOME")
    )
    mac = os.path.join(home, "Library", "Caches", "painopts")
    linux = os.path.join(xdg or os.path.join(home, ".cache"), "painopts")
    folder = override or (home and (mac if sys.platform == "darwin" else linux))
    off = os.environ.get("PAINOPTS_NO_CACHE") or not _BY_DESCRIPTOR
    return None if off or not folder else Path(folder)


def entry_name(sha256: str) -> str:
    """The entry for content with this hash, validated by this code."""
    return f"{sha256[:40]}-{code_key()}.json"


class Cache:
    """The user's cache folder for one command: get an entry, put one. Never raises."""

    def __init__(self) -> None:
        """Open the folder (made private if need be): the user's own, writable by nobody else."""
        self.warning = ""
        self._folder: int | None = None  # the folder, opened once and checked; None: no cache
        if (path := location()) is None:
            return
        try:
            if _ours_to_make(path):
                os.makedirs(path, mode=0o700, exist_ok=True)
            self._folder = os.open(path, os.O_RDONLY | _DIRECTORY | _NOFOLLOW)
            reason = _unsafe(os.fstat(self._folder), path)
        except OSError:  # not made, opened or checked: whose is it, is it a link?
            self.close()
            reason = ""
            with contextlib.suppress(OSError):
                reason = _unsafe(os.lstat(path), path)
        if reason:
            self.warning = f"not using the cache: {reason}"
            self.close()

    def get(self, sha256: str) -> KnowledgeBase | None:
        """The base cached for this content, if a regular file of the user's within the bound."""
        if self._folder is None:
            return None
        flags = os.O_RDONLY | _NOFOLLOW | _NONBLOCK
        with (
            contextlib.suppress(OSError),
            open(os.open(entry_name(sha256), flags, dir_fd=self._folder), "rb") as stream,
        ):
            facts = os.fstat(stream.fileno())
            if stat.S_ISREG(facts.st_mode) and facts.st_size <= MAX_ENTRY_BYTES and _mine(facts):
                return decode(stream.read(MAX_ENTRY_BYTES + 1), sha256)
        return None

    def put(self, sha256: str, kb: KnowledgeBase) -> None:
        """Store a validated base whole, or nothing: a private temporary file, then a rename."""
        if (folder := self._folder) is None:
            return
        temporary = f".tmp-{os.getpid()}-{os.urandom(4).hex()}"
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW
        with contextlib.suppress(OSError, ValueError):  # a full disk, a number JSON cannot hold
            try:
                with open(os.open(temporary, flags, 0o600, dir_fd=folder), "wb") as stream:
                    stream.write(encode(kb, sha256))
                os.replace(temporary, entry_name(sha256), src_dir_fd=folder, dst_dir_fd=folder)
            finally:
                self._remove(temporary)  # nothing left after the rename; a half-written file if not
            self._prune(time.time())

    def close(self) -> None:
        """Let the folder go."""
        if self._folder is not None:
            os.close(self._folder)
            self._folder = None

    def _prune(self, now: float) -> None:
        """Keep the newest entries, and no writer's leftover temporary file; nothing else."""
        entries: list[tuple[float, str]] = []
        for name in os.listdir(self._folder):
            with contextlib.suppress(OSError):
                age = now - os.stat(name, dir_fd=self._folder, follow_symlinks=False).st_mtime
                if _OURS_TEMPORARY.fullmatch(name) and age > STALE_TEMPORARY_SECONDS:
                    self._remove(name)
                elif _OURS_ENTRY.fullmatch(name):
                    entries.append((age, name))
        for _, name in sorted(entries)[KEEP_ENTRIES:]:  # the newest first
            self._remove(name)

    def _remove(self, name: str) -> None:
        with contextlib.suppress(OSError):
            os.unlink(name, dir_fd=self._folder)


def _mine(facts: os.stat_result) -> bool:
    return not hasattr(os, "geteuid") or facts.st_uid == os.geteuid()


def _unsafe(facts: os.stat_result, path: Path) -> str:
    """Why the folder is not to be used, or ""."""
    if not stat.S_ISDIR(facts.st_mode):
        return f"{path} is {'a symbolic link' if stat.S_ISLNK(facts.st_mode) else 'not a folder'}"
    if not _mine(facts):
        return f"{path} belongs to another user"
    return f"others can write to {path} (run: chmod 700 '{path}')" if facts.st_mode & 0o022 else ""


def _ours_to_make(path: Path) -> bool:
    """Not as root in another user's folder (sudo keeping HOME): they could not remove it."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return True
    return os.stat(next(p for p in [path, *path.parents] if os.path.lexists(p))).st_uid == 0
