"""From a file's bytes to a validated knowledge base: read, hash, cache, parse, validate.

`load` is what ``validate`` reads (no cache, rule problems left to the caller); `for_display`
is what every other command and completion read: a base cached for the file's exact bytes
(for the bundled file, the entry shipped with painopts), or one parsed, validated, refused on
a rule error, and cached. Parsing is `yaml_text`'s.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import os
import stat
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from painopts import cache
from painopts.codes import problem
from painopts.load.errors import KnowledgeFileError
from painopts.load.schema import json_schema, schema_checked, validate_data
from painopts.load.yaml_text import MAX_DEPTH, locate, parse
from painopts.model import KnowledgeBase, Problem, record

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "KnowledgeFileError",
    "Loaded",
    "bundled_path",
    "bundled_schema_text",
    "checked_form",
    "content_hash",
    "decode",
    "for_display",
    "json_schema",
    "layer_report",
    "load",
    "locate",
    "parse",
    "read_file",
    "schema_checked",
    "validate_data",
    "validate_text",
]


MAX_BYTES = 64 * 1024 * 1024
BUNDLED_NAME = "treatments.yaml"
SCHEMA_NAME = "treatments.schema.json"
CHECKED_NAME = "treatments.cache"
"""The bundled file, parsed and validated: its cache entry, shipped with painopts."""


@record
class Loaded:
    """A knowledge base together with where it came from."""

    kb: KnowledgeBase
    name: str
    sha256: str
    text: str | None = None
    """The file's text, when it was parsed (None for a base that came from the cache)."""
    warnings: tuple[str, ...] = ()
    layers: tuple[tuple[str, str], ...] = ()
    """Each file read, the base first, as (name, sha256) when files were added (--add)."""


_PACKAGED = Path(__file__).parent.parent / "data"
DATA_FOLDER = _PACKAGED if _PACKAGED.is_dir() else Path(__file__).parents[3] / "data"
"""Where the files shipped with painopts live: inside the installed package (wheels are never
zipped here), or, in a source checkout installed for development, the top-level data/ folder."""


def bundled_path() -> Path:
    """Where the knowledge file shipped with painopts lives."""
    return DATA_FOLDER / BUNDLED_NAME


def bundled_schema_text() -> str:
    """The JSON Schema of the knowledge file, as shipped with painopts."""
    return (DATA_FOLDER / SCHEMA_NAME).read_text(encoding="utf-8")


STDIN = "-"
"""The path that names standard input."""


def load(path: Path | None) -> Loaded:
    """Read, parse and validate a knowledge file (the bundled one when ``path`` is None).

    Nothing is cached and rule problems are left to the caller: this is what ``validate`` reads.
    """
    path = path or bundled_path()
    raw, digest = read_file(path)
    name = _display_name(path)
    text = decode(raw, name)
    return Loaded(kb=validate_text(text, name), name=name, sha256=digest, text=text)


def for_display(
    path: Path | None,
    on_parse: Callable[[int], object] | None = None,
    added: Sequence[Path] = (),
) -> Loaded:
    """A knowledge file that display commands and completion may show.

    Hash the bytes; the entry shipped with painopts (the bundled file's), or one cached for
    exactly those bytes, is used as it is. Otherwise parse and validate, refuse the file when a
    rule finds an error (a KnowledgeFileError with located problems), and cache it.
    ``on_parse`` is told the text's length just before a parse, so that a caller can show
    progress on a large file. ``added`` are files read on top of it (see `layers`).
    """
    from painopts.validate import overdue

    path = path or bundled_path()
    if added:
        loaded = _layered([path, *added])
    else:
        raw, digest = content_hash(path)
        shipped = cache.read_shipped(DATA_FOLDER / CHECKED_NAME, digest)
        if shipped is not None:
            loaded = Loaded(kb=shipped, name=_display_name(path), sha256=digest)
        else:
            loaded = _cached(path, _display_name(path), raw, digest, on_parse)
    late = overdue(loaded.kb, dt.date.today())
    notes = [f"the knowledge file is out of date: {found.message}" for found in late]
    return dataclasses.replace(loaded, warnings=(*loaded.warnings, *notes))


def layer_report(paths: Sequence[Path]) -> tuple[str, list[Problem]]:
    """What ``validate`` says of files added on top of the first: see `layers.layer_problems`."""
    from painopts.load.layers import Layer, layer_problems

    try:
        layers = [Layer(decode(read_file(path)[0], name), name) for path, name in _named(paths)]
    except KnowledgeFileError as error:
        return error.name, error.problems
    return layer_problems(layers)


def _named(paths: Sequence[Path]) -> list[tuple[Path, str]]:
    return [(path, _display_name(path)) for path in paths]


def _layered(paths: Sequence[Path]) -> Loaded:
    """Files read on top of one another, merged and validated, cached for all their bytes."""
    from painopts.load.layers import Layer, merged

    names = [_display_name(path) for path in paths]
    read = [read_file(path) for path in paths]
    digest = hashlib.sha256(" ".join(d for _, d in read).encode()).hexdigest()
    store = cache.Cache()
    try:
        kb = store.get(digest)
        if kb is None:
            pairs = zip(names, read, strict=True)
            layers = [Layer(decode(raw, name), name) for name, (raw, _) in pairs]
            kb = merged(layers)
            store.put(digest, kb)
    finally:
        store.close()
    notes = (store.warning,) if store.warning else ()
    files = tuple((name, d) for name, (_, d) in zip(names, read, strict=True))
    return Loaded(kb=kb, name=" + ".join(names), sha256=digest, warnings=notes, layers=files)


def _cached(
    path: Path, name: str, raw: bytes | None, digest: str, on_parse: Callable[[int], object] | None
) -> Loaded:
    """The base cached for these bytes, or the file parsed, validated, and cached."""
    store = cache.Cache()
    try:
        kb, text = store.get(digest), None
        if kb is None:
            if raw is None:  # read whole now, and hashed again: what is cached is what was read
                raw, digest = read_file(path)
            text = decode(raw, name)
            if on_parse is not None:
                on_parse(len(text))
            kb = _shown(text, name)
            store.put(digest, kb)
    finally:
        store.close()
    notes = (store.warning,) if store.warning else ()
    return Loaded(kb=kb, name=name, sha256=digest, text=text, warnings=notes)


def checked_form() -> bytes:
    """The bundled file's entry as painopts ships it: ``python -m painopts.load --checked``."""
    raw, digest = read_file(bundled_path())
    return cache.encode(_shown(decode(raw, BUNDLED_NAME), BUNDLED_NAME), digest)


def _shown(text: str, name: str) -> KnowledgeBase:
    """The validated base, or a KnowledgeFileError when a rule finds an error."""
    from painopts.validate import errors

    kb = validate_text(text, name)
    problems = errors(kb)
    if problems:
        raise KnowledgeFileError(name, locate(text, problems))
    return kb


def _display_name(path: Path) -> str:
    return "<stdin>" if str(path) == STDIN else str(path)


def validate_text(text: str, name: str) -> KnowledgeBase:
    """The knowledge base in the text, or a KnowledgeFileError with located problems."""
    checked = schema_checked(parse(text, name))
    if isinstance(checked, list):
        raise KnowledgeFileError(name, locate(text, checked))
    return checked


def read_file(path: Path) -> tuple[bytes, str]:
    """The file's bytes and their sha256 (``-`` is standard input), or a KnowledgeFileError."""
    name = _display_name(path)
    with _reading(name):
        if name == "<stdin>":
            raw = _read_stdin()
        else:
            with path.open("rb") as stream:
                raw = stream.read(MAX_BYTES + 1)
    return _bounded(raw, name), hashlib.sha256(raw).hexdigest()


def content_hash(path: Path) -> tuple[bytes | None, str]:
    """The sha256 of the file's bytes, and the bytes when they had to be kept.

    A regular file is hashed piece by piece and its bytes are not kept (a cached file is never
    read whole); standard input or a pipe, which cannot be read twice, is read whole.
    """
    name = _display_name(path)
    if name == "<stdin>":
        return read_file(path)
    digest, size = hashlib.sha256(), 0
    with _reading(name), path.open("rb") as stream:
        if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
            raw = _bounded(stream.read(MAX_BYTES + 1), name)
            return raw, hashlib.sha256(raw).hexdigest()
        while piece := stream.read(2**20):
            size += len(piece)
            if size > MAX_BYTES:
                raise _too_large(name)
            digest.update(piece)
    return None, digest.hexdigest()


@contextlib.contextmanager
def _reading(name: str) -> Iterator[None]:
    """A KnowledgeFileError for a file that cannot be read."""
    try:
        yield
    except IsADirectoryError:
        raise _file_error(name, "PO101", "is a directory, not a knowledge file") from None
    except FileNotFoundError:
        raise _file_error(name, "PO101", "no such file") from None
    except OSError as error:
        raise _file_error(name, "PO101", f"cannot read: {error.strerror}") from None


def _bounded(raw: bytes, name: str) -> bytes:
    if len(raw) > MAX_BYTES:
        raise _too_large(name)
    return raw


def _too_large(name: str) -> KnowledgeFileError:
    return _file_error(name, "PO102", f"file is larger than {MAX_BYTES // 2**20} MiB")


def _read_stdin() -> bytes:
    import sys

    if sys.stdin is None:
        raise OSError(9, "standard input is closed")
    return sys.stdin.buffer.read(MAX_BYTES + 1)


def decode(raw: bytes, name: str) -> str:
    """UTF-8 text without a byte-order mark, or a KnowledgeFileError."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _file_error(name, "PO103", "file is UTF-16; save it as UTF-8")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        message = f"file is not UTF-8 text (byte 0x{raw[error.start]:02x})"
        raise _byte_error(name, message, raw, error.start) from None
    if "\x00" in text:
        message = "file contains a NUL byte; it is not a text file"
        raise _byte_error(name, message, raw, raw.index(b"\x00")) from None
    return text


def _byte_error(name: str, message: str, raw: bytes, offset: int) -> KnowledgeFileError:
    line_start = raw.rfind(b"\n", 0, offset) + 1
    line = raw.count(b"\n", 0, offset) + 1
    column = len(raw[line_start:offset].decode("utf-8", "replace")) + 1
    return KnowledgeFileError(name, [problem("PO103", message, line=line, column=column)])


def _file_error(name: str, code: str, message: str) -> KnowledgeFileError:
    return KnowledgeFileError(name, [problem(code, message)])
