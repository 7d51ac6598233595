"""A cache of validated knowledge bases, so that a file seen before is not parsed again.

An entry is a header line and the whole base as JSON: nothing in it can run code. The header
holds the file's SHA-256, the key of the code that validated it and a CRC-32 of the JSON; every
value is type-checked when read; anything else is a miss. The folder must be the user's and
writable by nobody else (otherwise one warning, and no cache); entries are regular files of the
user's, opened without following links, within a size bound. ``PAINOPTS_CACHE_DIR`` (absolute)
moves it; ``PAINOPTS_NO_CACHE=1`` turns it off. The bundled file's entry ships with painopts.
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
import zlib
from pathlib import Path

from painopts.cache.build import build
from painopts.model import KnowledgeBase, as_data

MAGIC = b"painopts-cache"
MAX_ENTRY_BYTES = 256 * 2**20
"""The JSON of a knowledge file of at most 64 MiB is never near this."""
KEEP_ENTRIES = 16
STALE_TEMPORARY_SECONDS = 600
DECIDING = ("model", "load", "cache", "validate", "codes")
"""The modules whose code decides what a cached base holds: ``load`` and what it may import."""
PACKAGE = Path(__file__).resolve().parent.parent


@functools.cache
def code_key(package: Path = PACKAGE) -> str:
    """A hash of the source of the modules that decide what a cached base holds."""
    digest = hashlib.sha256()
    for name in DECIDING:
        try:
            inner = sorted(each for each in os.listdir(package / name) if each.endswith(".py"))
        except OSError:
            inner = []  # a module, not a package
        for path in [package / f"{name}.py", *(package / name / each for each in inner)]:
            try:
                digest.update(b"%s\0%s\0" % (path.name.encode(), path.read_bytes()))
            except OSError:
                digest.update(b"-\0")
    return digest.hexdigest()[:16]


def encode(kb: KnowledgeBase, sha256: str) -> bytes:
    """An entry for a base validated from content with this hash (ValueError: not finite)."""
    data = as_data(kb)
    body = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()
    return _header(sha256, body) + b"\n" + body


def _header(sha256: str, body: bytes) -> bytes:
    return b"%s %s %s %08x" % (MAGIC, sha256.encode(), code_key().encode(), zlib.crc32(body))


def decode(raw: bytes, sha256: str) -> KnowledgeBase | None:
    """The base in an entry for this content and this code, or None for anything else."""
    header, _, body = raw.partition(b"\n")
    if header != _header(sha256, body) or _escapes_a_surrogate(body):
        return None
    try:  # strict UTF-8: no surrogate written raw; no NaN or Infinity
        kb = build(KnowledgeBase, json.loads(body.decode(), parse_constant=_not_finite))
    except (ValueError, TypeError, LookupError, AttributeError, RecursionError):
        return None
    return kb if isinstance(kb, KnowledgeBase) else None


def _not_finite(constant: str) -> None:
    raise ValueError(f"{constant} is not a number a knowledge file can hold")


_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def _escapes_a_surrogate(body: bytes) -> bool:
    r"""Whether JSON text escapes a surrogate (text no knowledge file can hold), in linear time.

    Escaped backslashes go first, pair by pair from the left as JSON reads them: what is left of
    ``\\ud800`` (text reading backslash-u) does not match; what is left of ``\ud800`` does.
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

    A relative path in ``PAINOPTS_CACHE_DIR`` or ``XDG_CACHE_HOME`` is ignored (it would move
    with the working folder).
    """
    override = os.environ.get("PAINOPTS_CACHE_DIR", "")
    if os.environ.get("PAINOPTS_NO_CACHE") or os.path.isabs(override):
        return None if os.environ.get("PAINOPTS_NO_CACHE") else Path(override)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA", "")
        return Path(base, "painopts", "Cache") if os.path.isabs(base) else None
    home = os.environ.get("HOME", "")
    if not os.path.isabs(home):  # no HOME (a uid without a passwd entry) or an odd one
        return None
    if sys.platform == "darwin":
        return Path(home, "Library", "Caches", "painopts")
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    return (Path(xdg) if os.path.isabs(xdg) else Path(home, ".cache")) / "painopts"


def entry_name(sha256: str) -> str:
    """The entry for content with this hash, validated by this code."""
    return f"{sha256[:40]}-{code_key()}.json"


class Cache:
    """The user's cache folder for one command: get an entry, put one. Never raises."""

    def __init__(self) -> None:
        self.warning = ""
        self.path = location()
        self._open = False
        self._folder: int | None = None  # the checked folder, where the platform has dir_fd
        if self.path is not None:
            self._check(self.path, create=False)

    def get(self, sha256: str) -> KnowledgeBase | None:
        """The base cached for this content, or None."""
        raw = self._read(entry_name(sha256)) if self._open else None
        return decode(raw, sha256) if raw is not None else None

    def put(self, sha256: str, kb: KnowledgeBase) -> None:
        """Store a validated base; a folder that cannot be made or written is skipped."""
        import time

        try:
            if not self._open and self.path is not None and _ours_to_make(self.path):
                self._check(self.path, create=True)
            if self._open:
                self._write(entry_name(sha256), encode(kb, sha256))
                self._prune(time.time())
        except (OSError, ValueError):
            pass  # a full disk, a read-only folder, or a number JSON cannot hold

    def close(self) -> None:
        """Let the folder go."""
        if self._folder is not None:
            os.close(self._folder)
            self._folder = None

    def _check(self, path: Path, create: bool) -> None:
        """Open the folder (made private if asked): the user's own, writable by nobody else."""
        reason = ""
        try:
            if create:
                os.makedirs(path, mode=0o700, exist_ok=True)
            if _HAS_DIR_FD:
                self._folder = os.open(path, os.O_RDONLY | _DIRECTORY | _NOFOLLOW)
            reason = _unsafe(os.stat(path if self._folder is None else self._folder), path)
            self._open = not reason
        except OSError:  # not there yet, or there but not to be opened: a link? whose is it?
            with contextlib.suppress(OSError):
                link = os.path.islink(path)
                reason = f"{path} is a symbolic link" if link else _unsafe(os.stat(path), path)
        if reason:
            self.warning, self.path = f"not using the cache: {reason}", None
            self.close()

    def _place(self, name: str) -> str:
        return name if self._folder is not None else os.path.join(str(self.path), name)

    def _read(self, name: str) -> bytes | None:
        """An entry's bytes; None unless it is a regular file of the user's within the bound."""
        try:
            flags = os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _BINARY
            with open(os.open(self._place(name), flags, dir_fd=self._folder), "rb") as stream:
                facts = os.fstat(stream.fileno())
                mine = not _HAS_DIR_FD or facts.st_uid == os.geteuid()
                if stat.S_ISREG(facts.st_mode) and facts.st_size <= MAX_ENTRY_BYTES and mine:
                    return stream.read(MAX_ENTRY_BYTES + 1)
        except OSError:
            pass
        return None

    def _write(self, name: str, content: bytes) -> None:
        """Write an entry whole, or nothing: a private temporary file, then a rename."""
        temporary = self._place(f".tmp-{os.getpid()}-{os.urandom(4).hex()}")
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _BINARY
        descriptor = os.open(temporary, flags, 0o600, dir_fd=self._folder)
        try:
            with os.fdopen(descriptor, "wb") as stream:
                stream.write(content)
            folder = self._folder
            os.replace(temporary, self._place(name), src_dir_fd=folder, dst_dir_fd=folder)
        except BaseException:
            self._remove(temporary)
            raise

    def _prune(self, now: float) -> None:
        """Keep the newest entries, and no writer's leftover temporary file; nothing else."""
        entries: list[tuple[float, str]] = []
        for name in os.listdir(str(self.path) if self._folder is None else self._folder):
            place = self._place(name)
            try:
                modified = os.stat(place, dir_fd=self._folder, follow_symlinks=False).st_mtime
            except OSError:
                continue
            if _OURS_TEMPORARY.fullmatch(name) and now - modified > STALE_TEMPORARY_SECONDS:
                self._remove(place)
            elif _OURS_ENTRY.fullmatch(name):
                entries.append((modified, place))
        for _, place in sorted(entries, reverse=True)[KEEP_ENTRIES:]:
            self._remove(place)

    def _remove(self, place: str) -> None:
        with contextlib.suppress(OSError):
            os.unlink(place, dir_fd=self._folder)


_OURS_ENTRY = re.compile(r"[0-9a-f]{40}-[0-9A-Za-z.+_-]+\.json")
_OURS_TEMPORARY = re.compile(r"\.tmp-[0-9]+-[0-9a-f]{8}")
"""Only what painopts writes (now, or as an earlier version) is ever removed."""
_HAS_DIR_FD = os.open in os.supports_dir_fd and hasattr(os, "geteuid")
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # a FIFO planted as an entry must not hang the read
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_BINARY = getattr(os, "O_BINARY", 0)


def _unsafe(facts: os.stat_result, path: Path) -> str:
    """Why the folder is not to be used, or ""."""
    if not stat.S_ISDIR(facts.st_mode):
        return f"{path} is not a folder"
    if hasattr(os, "geteuid") and facts.st_uid != os.geteuid():
        return f"{path} belongs to another user"
    if facts.st_mode & 0o022:
        return f"others can write to {path} (run: chmod 700 '{path}')"
    return ""


def _ours_to_make(path: Path) -> bool:
    """Not as root in another user's folder (sudo keeping HOME): they could not remove it."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return True
    while not os.path.lexists(path) and path != path.parent:
        path = path.parent
    return os.stat(path).st_uid == 0
