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

import dataclasses
import datetime as dt
import enum
import errno
import functools
import json
import os
import re
import stat
import sys
import types
import typing
import zlib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from painopts import __version__
from painopts.model import FIELD_ALIASES, KnowledgeBase, Value, as_data

FORMAT = 2
"""The entry layout and the model it describes; a change to either bumps it."""
MAGIC = b"painopts-cache\n"
MAX_ENTRY_BYTES = 128 * 2**20
MAX_VALUES_BYTES = 64 * 2**20
"""What one treatment's values may inflate to (a knowledge file is at most 64 MiB)."""
KEEP_ENTRIES = 16
STALE_TEMPORARY_SECONDS = 600
_TEMPORARY = ".tmp-"
_SUFFIX = f"-{FORMAT}-{__version__}.json"


class DamagedEntryError(Exception):
    """An entry passed its checks, but a treatment's values in it cannot be read."""

    def __init__(self) -> None:
        super().__init__("a cache entry cannot be read; run again with PAINOPTS_NO_CACHE=1")


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
            self._unlink(temporary)
            raise

    def prune(self, now: float) -> None:
        """Keep the newest entries of this version, and no writer's leftover temporary file."""
        entries: list[tuple[float, str]] = []
        for name in self._names():
            modified = self._modified(name)
            if _OURS_TEMPORARY.fullmatch(name):
                if now - modified > STALE_TEMPORARY_SECONDS:
                    self._unlink(name)
            elif _OURS_ENTRY.fullmatch(name):
                entries.append((modified, name))
        entries.sort(reverse=True)
        for _, name in entries[KEEP_ENTRIES:]:
            self._unlink(name)

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

    def _unlink(self, name: str) -> None:
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


# --- entries --------------------------------------------------------------------------------


def encode(kb: KnowledgeBase) -> bytes:
    """An entry for a knowledge base: a header, the base as JSON, each treatment's values apart."""
    data = as_data(kb)
    blobs: list[bytes] = []
    offset = 0
    for treatment, values in zip(data["treatments"], kb.treatments, strict=True):
        blob = zlib.compress(_json({key: as_data(v) for key, v in values.attributes.items()}), 1)
        texts = {key: value.value for key, value in values.attributes.items()}
        treatment["attributes"] = [offset, len(blob), texts]
        blobs.append(blob)
        offset += len(blob)
    head = _json(data)
    payload = head + b"".join(blobs)
    return MAGIC + b"%d %d %08x\n" % (FORMAT, len(head), zlib.crc32(payload)) + payload


def _json(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def decode(raw: bytes) -> KnowledgeBase | None:
    """The knowledge base in an entry, or None for anything that is not a sound entry."""
    try:
        header_end = raw.index(b"\n", len(MAGIC))
        form, head_length, crc = raw[len(MAGIC) : header_end].split(b" ")
        payload = memoryview(raw)[header_end + 1 :]
        if not raw.startswith(MAGIC) or int(form) != FORMAT or int(crc, 16) != zlib.crc32(payload):
            return None
        head = int(head_length)
        data = json.loads(bytes(payload[:head]))
        blobs = payload[head:]
        for treatment in data["treatments"]:
            start, length, texts = treatment["attributes"]
            if not (type(start) is int and type(length) is int and type(texts) is dict):
                return None
            if start < 0 or length < 0 or start + length > len(blobs):
                return None
            if not all(type(text) is str for text in texts.values()):
                return None
            treatment["attributes"] = LazyValues(blobs[start : start + length], texts)
        kb = build(KnowledgeBase, data)
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
    return kb if isinstance(kb, KnowledgeBase) else None


class LazyValues(Mapping[str, Value]):
    """A treatment's values, kept compressed until first read.

    The values' texts are at hand without that (``text``), so that a view that scans one
    attribute across thousands of treatments builds none of their values.
    """

    __slots__ = ("_packed", "_texts", "_values")

    def __init__(self, packed: memoryview, texts: dict[str, str]) -> None:
        self._packed = packed
        self._texts = texts
        self._values: dict[str, Value] | None = None

    def text(self, attribute_id: str, default: str) -> str:
        """The text of one value (``default`` when there is none), without building any."""
        return self._texts.get(attribute_id, default)

    def _read(self) -> dict[str, Value]:
        if self._values is None:
            try:
                inflater = zlib.decompressobj()
                text = inflater.decompress(self._packed, MAX_VALUES_BYTES)
                if inflater.unconsumed_tail or not inflater.eof:
                    raise ValueError("values larger than the bound, or cut short")
                values = build(Mapping[str, Value], json.loads(text))
            except (ValueError, TypeError, KeyError, AttributeError, zlib.error):
                raise DamagedEntryError from None
            self._values = dict(values)
        return self._values

    def __getitem__(self, attribute_id: str) -> Value:
        return self._read()[attribute_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._read())

    def __len__(self) -> int:
        return len(self._read())

    def __repr__(self) -> str:
        return repr(self._read())

    def __eq__(self, other: object) -> bool:
        return dict(self) == other if isinstance(other, Mapping) else NotImplemented

    __hash__ = None  # type: ignore[assignment]


# --- building model objects from an entry's JSON ----------------------------------------------


def build(kind: Any, data: Any) -> Any:
    """A model object (or any part of one) of this type from JSON data, checking every type.

    A mismatch raises TypeError or ValueError; nothing but the model's own classes, enums,
    dates and containers is ever made.
    """
    return _builder(kind)(data)


Builder = typing.Callable[[Any], Any]


@functools.cache
def _builder(kind: Any) -> Builder:
    """A function that builds a value of this type from JSON data (made once per type)."""
    origin = typing.get_origin(kind)
    arguments = typing.get_args(kind)
    if origin is typing.Annotated:
        return _builder(arguments[0])
    if origin in (typing.Union, types.UnionType):
        (single,) = [option for option in arguments if option is not type(None)]
        inner = _builder(single)
        return lambda data: None if data is None else inner(data)
    if origin is tuple:
        item = _builder(arguments[0])
        return lambda data: tuple(item(each) for each in _expect(data, list))
    if origin is Mapping or origin is dict:
        return _mapping_builder(_builder(arguments[1]))
    if dataclasses.is_dataclass(kind):
        return _record_builder(kind)
    return _scalar_builder(kind)


def _mapping_builder(item: Builder) -> Builder:
    def build_mapping(data: Any) -> Any:
        if isinstance(data, LazyValues):
            return data
        return {_expect(key, str): item(each) for key, each in _expect(data, dict).items()}

    return build_mapping


def _record_builder(kind: Any) -> Builder:
    hints = typing.get_type_hints(kind, include_extras=True)
    plan = [
        (
            FIELD_ALIASES.get(each.name, each.name),
            each.name,
            *_plain_type(hints[each.name]),
            _builder(hints[each.name]),
        )
        for each in dataclasses.fields(kind)
    ]
    keys = {step[0] for step in plan}
    new = object.__new__

    def build_record(data: Any) -> Any:
        if type(data) is not dict or data.keys() != keys:
            raise TypeError(f"{kind.__name__}: not the record's keys")
        values = {}
        for key, name, plain, optional, item in plan:
            value = data[key]
            if plain is None:
                values[name] = item(value)
            elif plain is tuple:  # a list of plain text (ids, names)
                if type(value) is not list or not all(type(each) is str for each in value):
                    raise TypeError(f"{kind.__name__}.{name}: expected a list of text")
                values[name] = tuple(value)
            elif type(value) is plain or (optional and value is None):
                values[name] = value
            else:
                raise TypeError(f"{kind.__name__}.{name}: expected {plain.__name__}")
        record = new(kind)
        record.__dict__.update(values)  # checked above; a frozen record is not set field by field
        return record

    return build_record


def _plain_type(kind: Any) -> tuple[type | None, bool]:
    """How to check a plain field, without its builder.

    (str, int or bool, whether None is allowed); ``tuple`` for a tuple of text; (None, _) for
    anything that needs its builder.
    """
    while typing.get_origin(kind) is typing.Annotated:
        kind = typing.get_args(kind)[0]
    if typing.get_origin(kind) is tuple and _plain_type(typing.get_args(kind)[0])[0] is str:
        return tuple, False
    optional = False
    if typing.get_origin(kind) in (typing.Union, types.UnionType):
        options = [option for option in typing.get_args(kind) if option is not type(None)]
        optional = len(options) < len(typing.get_args(kind))
        kind = options[0] if len(options) == 1 else None
        while typing.get_origin(kind) is typing.Annotated:
            kind = typing.get_args(kind)[0]
    return (kind if kind in (str, int, bool) else None), optional


def _scalar_builder(kind: Any) -> Builder:
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return lambda data: kind(_expect(data, str))
    if kind is dt.date:
        return lambda data: dt.date.fromisoformat(_expect(data, str))
    if kind is float:
        return lambda data: float(data) if type(data) in (int, float) else _expect(data, float)
    if kind in (str, int, bool):
        return lambda data: _expect(data, kind)
    raise TypeError(f"a cache entry cannot hold {kind}")


def _expect(data: Any, kind: type) -> Any:
    if type(data) is not kind:
        raise TypeError(f"expected {kind.__name__}")
    return data


# --- the cache as the loader uses it ----------------------------------------------------------


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

    def get(self, sha256: str) -> KnowledgeBase | None:
        """The base cached for this content, or None."""
        if self._folder is None:
            return None
        raw = self._folder.read(entry_name(sha256))
        return decode(raw) if raw is not None else None

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

    def close(self) -> None:
        """Let the folder go."""
        if self._folder is not None:
            self._folder.close()
