"""YAML text to plain data, safely: nothing YAML can express beyond maps, lists and scalars.

Libyaml's parser events are built into plain data by hand, so that anchors, aliases, merge keys
and tags never reach the data, and YAML 1.1 surprises (``no``, ``1:30``, ``010``) stay the text
that was written. Line and column are only worked out when there is a problem to locate.
"""

from __future__ import annotations

import contextlib
import dataclasses
import re
from collections.abc import Iterable, Iterator
from typing import Any

from painopts.codes import problem
from painopts.load.errors import KnowledgeFileError
from painopts.model import Loc, Problem

MAX_DEPTH = 32


TOO_DEEP = f"nesting deeper than {MAX_DEPTH} levels"


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


class _RefusedError(Exception):
    def __init__(self, code: str, message: str, mark: Any = None, loc: Loc = ()) -> None:
        super().__init__(message)
        self.problem = _located(code, message, loc, mark)


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


_NOT_YAML_TEXT = "[^\\t\\n\\r\\x20-\\x7e\\x85\\xa0-\\ud7ff\\ue000-\\ufffd\\U00010000-\\U0010ffff]"
"""What YAML does not allow in a file: control characters, surrogates, U+FFFE and U+FFFF
(compiled only when a file has one: compiling it takes 3 ms, which every command would pay)."""


def _character_problem(text: str) -> Problem:
    found = re.search(_NOT_YAML_TEXT, text)
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
