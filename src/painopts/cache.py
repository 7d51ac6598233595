"""A cache of validated knowledge bases, keyed by the file's content hash.

An entry is a pickle of the validated model behind a header (magic, key, payload CRC-32).
Each treatment's values stay pickled (and compressed) inside it until something reads them, so
a command that shows two treatments of thousands builds the objects of two.

It is never trusted blindly: a wrong magic, key or checksum, or a payload that names anything
but painopts' own model classes, is ignored (and later overwritten). Values that pass the
checksum but are not painopts' own (someone rewrote the entry and its checksum) are found only
when read, and raise DamagedEntryError. Deleting the folder is always safe.
``PAINOPTS_CACHE_DIR`` moves it; ``PAINOPTS_NO_CACHE=1`` turns it off. A small ``.last`` file
per path names the content last stored for it: a guess that lets the entry be read while the
file is still being hashed, used only if the hashes agree.
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
import pickle
import sys
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path

from painopts import __version__
from painopts import model as _model
from painopts.model import KnowledgeBase, Value

MAGIC = b"painopts-cache-3\n"
_CODE = tuple(str(Path(__file__).with_name(name)) for name in ("load.py", "validate.py"))
_ALLOWED = {("datetime", "date"), ("painopts.cache", "PickledValues")} | {
    ("painopts.model", name)
    for name, value in vars(_model).items()
    if isinstance(value, type) and value.__module__ == "painopts.model"
}


def folder() -> Path | None:
    """The user's cache folder for painopts, or None when caching is off."""
    if os.environ.get("PAINOPTS_NO_CACHE"):
        return None
    override = os.environ.get("PAINOPTS_CACHE_DIR")
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        return base / "painopts" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "painopts"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "painopts"


def key(sha256: str) -> str:
    """The entry name: the file's hash, and what the entry's meaning depends on (``_salt``)."""
    return f"{sha256[:32]}-{_salt()}"


@functools.cache
def _salt() -> str:
    """A hash of what an entry's meaning depends on, read once per process.

    That is the code that decides what a file loads as, whether it may be shown and how an
    entry is laid out (model, loader, records, rules and this module), painopts' version and
    Python's.
    """
    code = b"".join(Path(module).read_bytes() for module in (_model.__file__, __file__, *_CODE))
    return hashlib.sha256(code + __version__.encode() + sys.version.encode()).hexdigest()[:16]


def get(sha256: str) -> KnowledgeBase | None:
    """The cached knowledge base for this content, or None when absent, stale or corrupt."""
    place = folder()
    if place is None:
        return None
    name = key(sha256)
    try:
        raw = (place / f"{name}.pickle").read_bytes()
    except OSError:
        return None
    return _decode(raw, name)


def recall(path: Path) -> tuple[str, KnowledgeBase] | None:
    """The content hash and base last stored for this path, if any: a guess, to be checked."""
    place = folder()
    if place is None:
        return None
    try:
        sha256 = (place / _pointer(path)).read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError):
        return None
    if len(sha256) != 64 or sha256.strip("0123456789abcdef"):
        return None
    kb = get(sha256)
    return (sha256, kb) if kb is not None else None


def _pointer(path: Path) -> str:
    return hashlib.sha256(os.fsencode(path.absolute())).hexdigest()[:32] + ".last"


def put(sha256: str, kb: KnowledgeBase, path: Path | None = None) -> None:
    """Store a validated knowledge base (and, given its path, remember it as that path's last).

    A cache that cannot be written is silently skipped.
    """
    place = folder()
    if place is None:
        return
    name = key(sha256)
    treatments = tuple(
        replace(each, attributes=PickledValues.of(each.attributes)) for each in kb.treatments
    )
    payload = pickle.dumps(replace(kb, treatments=treatments), protocol=pickle.HIGHEST_PROTOCOL)
    header = MAGIC + name.encode() + b"\n" + checksum(payload) + b"\n"
    _write(place, f"{name}.pickle", header + payload)
    if path is not None:
        _write(place, _pointer(path), sha256.encode("ascii"))


def _write(place: Path, file_name: str, content: bytes) -> None:
    """Write a whole file into the cache folder or nothing (errors are ignored)."""
    import tempfile

    try:
        place.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=place, prefix=".tmp-")
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.replace(temporary, place / file_name)
    except OSError:
        Path(temporary).unlink(missing_ok=True)


class DamagedEntryError(Exception):
    """A cache entry passed its checksum, but part of it cannot be read (it was forged)."""

    def __init__(self, place: Path | None) -> None:
        super().__init__(f"a cache entry cannot be read; delete the folder {place} and run again")


def checksum(payload: bytes | memoryview) -> bytes:
    """A CRC-32 of an entry's payload, to notice a damaged entry.

    It does not stop a forged one: the unpickler's allow-list keeps a hostile entry harmless.
    """
    return b"%08x" % zlib.crc32(payload)


def _decode(raw: bytes, name: str) -> KnowledgeBase | None:
    header = MAGIC + name.encode() + b"\n"
    start = raw.find(b"\n", len(header)) + 1
    if not raw.startswith(header) or start == 0:
        return None
    if checksum(memoryview(raw)[start:]) != raw[len(header) : start - 1]:  # without a copy
        return None
    stream = io.BytesIO(raw)  # shares the bytes rather than copying them
    stream.seek(start)
    try:
        kb = _ModelOnly(stream).load()
    except Exception:
        return None
    return kb if isinstance(kb, KnowledgeBase) else None


class _ModelOnly(pickle.Unpickler):
    """An unpickler that can build painopts model objects and dates, and nothing else."""

    def find_class(self, module: str, name: str) -> type:
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a cache entry")
        found: type = super().find_class(module, name)
        return found


class PickledValues(Mapping[str, Value]):
    """A treatment's values, kept pickled and compressed until first read."""

    __slots__ = ("_packed", "_values")

    def __init__(self, packed: bytes) -> None:
        self._packed = packed
        self._values: dict[str, Value] | None = None

    @classmethod
    def of(cls, values: Mapping[str, Value]) -> PickledValues:
        """The values, pickled and compressed (detail text halves: less to read back)."""
        return cls(zlib.compress(pickle.dumps(dict(values), protocol=pickle.HIGHEST_PROTOCOL), 1))

    def _read(self) -> dict[str, Value]:
        if self._values is None:
            try:
                values = _ModelOnly(io.BytesIO(zlib.decompress(self._packed))).load()
            except Exception:
                values = None
            if not isinstance(values, dict) or not all(
                isinstance(value, Value) for value in values.values()
            ):
                raise DamagedEntryError(folder())
            self._values = values
        return self._values

    def __getitem__(self, attribute_id: str) -> Value:
        return self._read()[attribute_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._read())

    def __len__(self) -> int:
        return len(self._read())

    def __repr__(self) -> str:
        return repr(self._read())

    def __reduce__(self) -> tuple[type[PickledValues], tuple[bytes]]:
        return (PickledValues, (self._packed,))
