"""Bytes to safe YAML to model; the only module that imports ``yaml``.

YAML is read event by event and built into plain data by hand, so that nothing YAML can
express beyond plain maps, lists and scalars (anchors, aliases, merge keys, tags) ever
reaches the data, and YAML 1.1 surprises (``no``, ``1:30``, ``010``) stay the text that
was written. Line and column are only worked out when there is a problem to locate.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import hashlib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from painopts import cache
from painopts.codes import problem
from painopts.model import KnowledgeBase, Loc, Problem

if TYPE_CHECKING:
    from pydantic import TypeAdapter, ValidationError

MAX_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 32
TOO_DEEP = f"nesting deeper than {MAX_DEPTH} levels"
BUNDLED_NAME = "treatments.yaml"
SCHEMA_NAME = "treatments.schema.json"


def _parser(text: str) -> Any:
    """Libyaml's event parser (or PyYAML's own where libyaml is missing), imported on first use."""
    try:
        from yaml.cyaml import CParser  # type: ignore[attr-defined]
    except ImportError:  # pragma: no cover - libyaml ships in PyYAML's wheels
        from yaml.parser import Parser
        from yaml.reader import Reader
        from yaml.scanner import Scanner

        class CParser(Reader, Scanner, Parser):  # type: ignore[no-redef]
            def __init__(self, stream: str) -> None:
                Reader.__init__(self, stream)
                Scanner.__init__(self)
                Parser.__init__(self)

    return CParser(text)


_INT = re.compile(r"-?(?:0|[1-9][0-9]*)\Z")
_FLOAT = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+(?:[eE][-+]?[0-9]+)?|[eE][-+]?[0-9]+)\Z")
_PLAIN = {"": None, "~": None, "null": None, "true": True, "false": False}


class KnowledgeFileError(Exception):
    """The knowledge file could not be read or does not fit the model."""

    def __init__(self, name: str, problems: list[Problem]) -> None:
        super().__init__(f"{name}: {problems[0].message}")
        self.name = name
        self.problems = problems


class _RefusedError(Exception):
    def __init__(self, code: str, message: str, mark: Any = None, loc: Loc = ()) -> None:
        super().__init__(message)
        self.problem = _located(code, message, loc, mark)


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


DATA_FOLDER = Path(__file__).parent / "data"
"""Where the files shipped with painopts live (a package folder: wheels are never zipped here)."""


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


def parse(text: str, name: str) -> Any:
    """Plain data (dicts, lists, scalars) from YAML text, or a KnowledgeFileError."""
    import yaml

    try:
        return _Builder(marks=None).build(_events(text))
    except _RefusedError as problem:
        raise KnowledgeFileError(name, [problem.problem]) from None
    except yaml.reader.ReaderError:
        raise KnowledgeFileError(name, [_character_problem(text)]) from None
    except yaml.MarkedYAMLError as error:
        if "nesting depth" in str(error.problem):  # libyaml's own limit, far above ours
            refused = _located("PO110", TOO_DEEP, (), error.problem_mark)
            raise KnowledgeFileError(name, [refused]) from None
        message = f"YAML syntax error: {error.problem or error.context}"
        if error.context and error.context_mark is not None:
            start = error.context_mark
            message += f" ({error.context} that starts at {start.line + 1}:{start.column + 1})"
        raise KnowledgeFileError(
            name, [_located("PO104", message, (), error.problem_mark)]
        ) from None


_NOT_YAML_TEXT = re.compile(
    "[^\\t\\n\\r\\x20-\\x7e\\x85\\xa0-\\ud7ff\\ue000-\\ufffd\\U00010000-\\U0010ffff]"
)
"""What YAML does not allow in a file: control characters, surrogates, U+FFFE and U+FFFF."""


def _character_problem(text: str) -> Problem:
    found = _NOT_YAML_TEXT.search(text)
    offset = found.start() if found else 0
    character = f"U+{ord(text[offset]):04X}" if found else "a character"
    line_start = text.rfind("\n", 0, offset) + 1
    message = f"the file contains {character}, a control character YAML does not allow"
    line, column = text.count("\n", 0, offset) + 1, offset - line_start + 1
    return problem("PO103", message, line=line, column=column)


def locate(text: str, problems: Iterable[Problem]) -> list[Problem]:
    """The problems with line and column filled in from the text, sorted by position."""
    import yaml

    problems = list(problems)
    if not problems:
        return []
    marks: dict[Loc, Any] = {}
    with contextlib.suppress(_RefusedError, yaml.YAMLError):
        _Builder(marks=marks).build(_events(text))
    located = [_with_mark(problem, _mark_for(marks, problem)) for problem in problems]
    return sorted(located, key=lambda p: (p.line or 0, p.column or 0, p.code))


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


def _located(code: str, message: str, loc: Loc, mark: Any) -> Problem:
    return _with_mark(problem(code, message, loc), mark)


def _with_mark(problem: Problem, mark: Any) -> Problem:
    if mark is None:
        return problem
    return dataclasses.replace(problem, line=mark.line + 1, column=mark.column + 1)


def _mark_for(marks: dict[Loc, Any], problem: Problem) -> Any:
    key_loc = (*problem.loc, _KEY)
    if problem.code in _KEY_CODES and key_loc in marks:
        return marks[key_loc]
    return _nearest(marks, problem.loc)


def _nearest(marks: dict[Loc, Any], loc: Loc) -> Any:
    for end in range(len(loc), -1, -1):
        if loc[:end] in marks:
            return marks[loc[:end]]
    return None


def _events(text: str) -> Iterator[Any]:
    parser = _parser(text)
    try:
        while parser.check_event():
            yield parser.get_event()
    finally:
        parser.dispose()


class _Frame:
    """A mapping or list under construction."""

    __slots__ = ("container", "key", "loc")

    def __init__(self, container: Any, loc: Loc) -> None:
        self.container = container
        self.key: Any = _NO_KEY
        self.loc = loc


_NO_KEY = object()
_KEY = "\0key"
_KEY_CODES = frozenset({"PO201"})


class _Builder:
    """Plain data from parser events, refusing what a knowledge file must not contain.

    With ``marks``, it also records where each node starts (and each key, under ``_KEY``).
    """

    def __init__(self, marks: dict[Loc, Any] | None) -> None:
        import yaml

        self.marks = marks
        self.scalar_event = yaml.ScalarEvent
        self.mapping_start = yaml.MappingStartEvent
        self.stack: list[_Frame] = []
        self.documents = 0
        self.result: Any = None
        self.handlers = {
            yaml.ScalarEvent: self._scalar,
            yaml.MappingStartEvent: self._start,
            yaml.SequenceStartEvent: self._start,
            yaml.MappingEndEvent: self._end,
            yaml.SequenceEndEvent: self._end,
            yaml.AliasEvent: self._alias,
            yaml.DocumentStartEvent: self._document,
        }

    def build(self, events: Iterator[Any]) -> Any:
        handlers = self.handlers
        for event in events:
            handler = handlers.get(type(event))
            if handler is not None:
                handler(event)
        if self.documents == 0:
            raise _RefusedError("PO109", "the file is empty")
        return self.result

    def _scalar(self, event: Any) -> None:
        _check_node(event)
        self._place(_scalar(event), event)

    def _start(self, event: Any) -> None:
        _check_node(event)
        if len(self.stack) >= MAX_DEPTH:
            raise _RefusedError("PO110", TOO_DEEP, event.start_mark)
        container: Any = {} if type(event) is self.mapping_start else []
        loc = self._child_loc()
        self._place(container, event)
        self.stack.append(_Frame(container, loc))

    def _end(self, event: Any) -> None:
        self.stack.pop()

    def _alias(self, event: Any) -> None:
        raise _RefusedError("PO106", "aliases (*name) are not allowed", event.start_mark)

    def _document(self, event: Any) -> None:
        self.documents += 1
        if self.documents > 1:
            message = "more than one YAML document in the file"
            raise _RefusedError("PO109", message, event.start_mark)

    def _child_loc(self) -> Loc:
        if not self.stack:
            return ()
        frame = self.stack[-1]
        if isinstance(frame.container, list):
            return (*frame.loc, len(frame.container))
        return (*frame.loc, frame.key)

    def _place(self, value: Any, event: Any) -> None:
        """Put a new node into its parent: a list item, a mapping key, or a mapping value."""
        if not self.stack:
            self.result = value
            self._record((), event)
            return
        frame = self.stack[-1]
        if isinstance(frame.container, list):
            self._record((*frame.loc, len(frame.container)), event)
            frame.container.append(value)
        elif frame.key is _NO_KEY:
            frame.key = _key(frame, value, event, type(event) is self.scalar_event)
            self._record((*frame.loc, frame.key), event)
            self._record((*frame.loc, frame.key, _KEY), event)
        else:
            if type(event) is self.scalar_event:
                self._record((*frame.loc, frame.key), event)
            frame.container[frame.key] = value
            frame.key = _NO_KEY

    def _record(self, loc: Loc, event: Any) -> None:
        if self.marks is not None:
            self.marks[loc] = event.start_mark


def _check_node(event: Any) -> None:
    if event.anchor is not None:
        message = f"anchors (&{event.anchor}) are not allowed"
        raise _RefusedError("PO106", message, event.start_mark)
    if event.tag not in (None, "!"):
        raise _RefusedError("PO108", f"YAML tags ({event.tag}) are not allowed", event.start_mark)


def _scalar(event: Any) -> Any:
    value: str = event.value
    if not event.implicit[0] or event.style:
        return value
    if value in _PLAIN:
        return _PLAIN[value]
    with contextlib.suppress(ValueError):  # a number too long for int() stays text
        if _INT.match(value):
            return int(value)
        if _FLOAT.match(value):
            return float(value)
    return value


def _key(frame: _Frame, value: Any, event: Any, is_scalar: bool) -> Any:
    if not is_scalar:
        message = "a mapping key must be a plain word or text"
        raise _RefusedError("PO104", message, event.start_mark)
    if value == "<<" and event.implicit[0] and not event.style:
        message = "merge keys (<<) are not allowed"
        raise _RefusedError("PO107", message, event.start_mark, frame.loc)
    if value in frame.container:
        message = f"duplicate key '{value}'"
        raise _RefusedError("PO105", message, event.start_mark, (*frame.loc, value))
    return value


if __name__ == "__main__":  # pragma: no cover - regenerates data/treatments.schema.json
    import json
    import sys

    sys.stdout.write(json.dumps(json_schema(), indent=2) + "\n")
