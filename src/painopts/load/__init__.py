"""Bytes to safe YAML to model; the only module that imports ``yaml``.

YAML is read event by event and built into plain data by hand, so that nothing YAML can
express beyond plain maps, lists and scalars (anchors, aliases, merge keys, tags) ever
reaches the data, and YAML 1.1 surprises (``no``, ``1:30``, ``010``) stay the text that
was written. Line and column are only worked out when there is a problem to locate.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from painopts import cache
from painopts.codes import problem
from painopts.load.errors import KnowledgeFileError
from painopts.load.yaml_text import MAX_DEPTH, locate, parse
from painopts.model import KnowledgeBase, Loc, Problem

if TYPE_CHECKING:
    from pydantic import TypeAdapter, ValidationError

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "KnowledgeFileError",
    "Loaded",
    "bundled_path",
    "bundled_schema_text",
    "decode",
    "for_display",
    "json_schema",
    "load",
    "locate",
    "parse",
    "read_file",
    "validate_data",
    "validate_text",
]


MAX_BYTES = 64 * 1024 * 1024


BUNDLED_NAME = "treatments.yaml"


SCHEMA_NAME = "treatments.schema.json"


@dataclass(frozen=True)
class Loaded:
    """A knowledge base together with where it came from."""

    kb: KnowledgeBase
    name: str
    raw: bytes
    sha256: str
    warnings: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The file's text (decoded on demand: a cached file need not be)."""
        return decode(self.raw, self.name)


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
    return Loaded(kb=validate_text(decode(raw, name), name), name=name, raw=raw, sha256=digest)


def for_display(path: Path | None, on_parse: Callable[[int], object] | None = None) -> Loaded:
    """A knowledge file that display commands and completion may show.

    Read the bytes; a base cached for exactly those bytes is used as it is. Otherwise parse and
    validate, refuse the file when a rule finds an error (a KnowledgeFileError with located
    problems), and cache it. ``on_parse`` is told the text's length just before a parse, so
    that a caller can show progress on a large file.
    """
    from painopts.validate import errors, overdue

    path = path or bundled_path()
    raw, digest = read_file(path)
    name = _display_name(path)
    store = cache.Cache()
    try:
        kb = store.get(digest)
        if kb is None:
            text = decode(raw, name)
            if on_parse is not None:
                on_parse(len(text))
            kb = validate_text(text, name)
            problems = errors(kb)
            if problems:
                raise KnowledgeFileError(name, locate(text, problems))
            store.put(digest, kb)
    finally:
        store.close()
    late = [f"the knowledge file is out of date: {p.message}" for p in overdue(kb, dt.date.today())]
    notes = (*((store.warning,) if store.warning else ()), *late)
    return Loaded(kb=kb, name=name, raw=raw, sha256=digest, warnings=notes)


def _display_name(path: Path) -> str:
    return "<stdin>" if str(path) == STDIN else str(path)


def validate_text(text: str, name: str) -> KnowledgeBase:
    """The knowledge base in the text, or a KnowledgeFileError with located problems."""
    from pydantic import ValidationError

    try:
        return validate_data(parse(text, name))
    except ValidationError as error:
        raise KnowledgeFileError(name, locate(text, schema_problems(error))) from None


def validate_data(data: object) -> KnowledgeBase:
    """The knowledge base in plain data (as parsed from YAML), or pydantic's ValidationError."""
    return _validator().validate_python(data)


@functools.cache
def _validator() -> TypeAdapter[KnowledgeBase]:
    from pydantic import TypeAdapter

    return TypeAdapter(KnowledgeBase)


def json_schema() -> dict[str, Any]:
    """The knowledge file's JSON Schema, in draft-07 form for editors."""
    schema = _validator().json_schema(ref_template="#/definitions/{model}", by_alias=True)
    definitions = schema.pop("$defs", {})
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        **schema,
        "definitions": definitions,
    }


def read_file(path: Path) -> tuple[bytes, str]:
    """The file's bytes and their sha256 (``-`` is standard input), or a KnowledgeFileError."""
    name = _display_name(path)
    try:
        if name == "<stdin>":
            raw = _read_stdin()
        else:
            with path.open("rb") as stream:
                raw = stream.read(MAX_BYTES + 1)
    except IsADirectoryError:
        raise _file_error(name, "PO101", "is a directory, not a knowledge file") from None
    except FileNotFoundError:
        raise _file_error(name, "PO101", "no such file") from None
    except OSError as error:
        raise _file_error(name, "PO101", f"cannot read: {error.strerror}") from None
    if len(raw) > MAX_BYTES:
        raise _file_error(name, "PO102", f"file is larger than {MAX_BYTES // 2**20} MiB")
    return raw, hashlib.sha256(raw).hexdigest()


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


def schema_problems(error: ValidationError) -> list[Problem]:
    """One problem per pydantic error, with a stable code.

    A list whose items failed is also reported by pydantic as too short; that echo is dropped.
    """
    details = error.errors(include_url=False)
    inner = {tuple(detail["loc"][:-1]) for detail in details if detail["loc"]}
    return [
        _schema_problem(detail)
        for detail in details
        if not (detail["type"] == "too_short" and tuple(detail["loc"]) in _prefixes(inner))
    ]


def _prefixes(locs: Iterable[Loc]) -> set[Loc]:
    return {loc[:end] for loc in locs for end in range(len(loc) + 1)}


_TYPE_ERRORS = ("_type", "dict_type", "model_type", "tuple_type", "is_instance_of")


def _schema_problem(detail: Any) -> Problem:
    kind, loc = detail["type"], tuple(detail["loc"])
    if kind in {"extra_forbidden", "unexpected_keyword_argument"}:
        code, message = "PO201", f"unknown key '{loc[-1]}'"
    elif kind in {"missing", "missing_keyword_only_argument"}:
        code, message = "PO202", f"missing required key '{loc[-1]}'"
    elif kind.endswith(_TYPE_ERRORS):
        code, message = "PO203", f"wrong type: {_describe_input(detail)}".replace("tuple", "list")
    else:
        code, message = "PO204", f"invalid value: {detail['msg'].removeprefix('Value error, ')}"
    return problem(code, message, _clean_loc(loc))


def _describe_input(detail: Any) -> str:
    found = type(detail.get("input")).__name__
    words = {"NoneType": "nothing", "str": "text", "int": "a number", "float": "a number"}
    words |= {"bool": "true/false", "dict": "a mapping", "list": "a list"}
    hint = " (quote it to make it text)" if found in ("int", "float", "bool") else ""
    return f"{detail['msg']}, found {words.get(found, found)}{hint}"


_SCHEMA_TAG = re.compile(
    r"(function-(before|after|wrap|plain)|union|tagged-union|json-or-python|lax-or-strict"
    r"|chain|nullable|constrained-[a-z]+)\[.*\]\Z"
)


"""How pydantic names a wrapper in an error location, e.g. ``function-before[...]``."""


def _clean_loc(loc: Loc) -> Loc:
    return tuple(part for part in loc if isinstance(part, int) or not _SCHEMA_TAG.match(part))


def _file_error(name: str, code: str, message: str) -> KnowledgeFileError:
    return KnowledgeFileError(name, [problem(code, message)])
