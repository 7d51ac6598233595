"""Model objects from JSON data, driven by the model's own annotations, every type checked.

Nothing but painopts' own records, enums, dates and containers is ever built; anything else is
a TypeError or a ValueError. A new record type or field needs nothing here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import math
import sys
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any

from painopts.model import FIELD_ALIASES, Spec

Builder = Callable[[Any], Any]


def build(kind: Any, data: Any) -> Any:
    """A model object (or any part of one) of this type from JSON data; TypeError or ValueError."""
    return _builder(kind)(data)


@functools.cache
def _builder(kind: Any) -> Builder:  # noqa: PLR0911 - one branch per kind of annotation
    """A function that builds a value of this type from JSON data (made once per type)."""
    origin, arguments = typing.get_origin(kind), typing.get_args(kind)
    if origin is typing.Annotated:
        return _annotated(arguments)
    if origin in (typing.Union, types.UnionType):  # X | None: the model has no other unions
        (inner,) = [_builder(option) for option in arguments if option is not type(None)]
        return lambda data: None if data is None else inner(data)
    if origin is tuple:
        return _tuple_builder(arguments[0])
    if origin in (Mapping, dict):
        value = _builder(arguments[1])  # a JSON object's keys are text
        return lambda data: {k: value(v) for k, v in expect(data, dict).items()}
    if dataclasses.is_dataclass(kind):
        return _record_builder(kind)
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        members = dict(kind._value2member_map_)
        return lambda data: members[expect(data, str)]  # KeyError: not one of them
    if kind in (str, int, bool):
        return lambda data: expect(data, kind)
    return {dt.date: _date, float: _finite}[kind]  # KeyError: a type no entry can hold


def _annotated(arguments: tuple[Any, ...]) -> Builder:
    """A list's Spec's ``min_length``: code may rely on the items (a scale's best level)."""
    limits = [m.constraints.get("min_length") for m in arguments if isinstance(m, Spec)]
    least = max((n for n in limits if isinstance(n, int)), default=0)
    if least and typing.get_origin(arguments[0]) is tuple:
        return _tuple_builder(typing.get_args(arguments[0])[0], least)
    return _builder(arguments[0])


def _tuple_builder(kind: Any, least: int = 0) -> Builder:
    """A tuple of this type's values from a JSON list of at least ``least`` items."""
    item = _builder(kind)

    def build_tuple(data: Any) -> Any:
        if type(data) is not list or len(data) < least:
            raise TypeError(f"expected a list of at least {least} items")
        return tuple(map(item, data))

    return build_tuple


def _record_builder(kind: Any) -> Builder:
    """A record from a JSON object with exactly its fields' keys (as named in the file)."""
    namespace = vars(sys.modules[kind.__module__])
    plan = [
        (FIELD_ALIASES.get(field.name, field.name), field.name, _builder(_hint(field, namespace)))
        for field in dataclasses.fields(kind)
    ]
    keys = {key for key, _, _ in plan}

    def build_record(data: Any) -> Any:
        if type(data) is not dict or data.keys() != keys:
            raise TypeError(f"{kind.__name__}: not the record's keys")
        record = object.__new__(kind)  # frozen: its fields are not set one by one
        record.__dict__.update({name: item(data[key]) for key, name, item in plan})
        return record

    return build_record


def _hint(field: dataclasses.Field[Any], namespace: dict[str, Any]) -> Any:
    """A field's annotation, evaluated as typing.get_type_hints does (in a tenth of the time)."""
    return eval(field.type, namespace) if isinstance(field.type, str) else field.type


def _date(data: Any) -> dt.date:
    text = expect(data, str)
    if len(text) != len("YYYY-MM-DD") or text[4::3] != "--":  # as on every Python version
        raise ValueError("expected a date written YYYY-MM-DD")
    return dt.date.fromisoformat(text)


def _finite(data: Any) -> float:
    if type(data) not in (int, float) or not math.isfinite(data):
        raise TypeError("expected a finite number")
    return float(data)


def expect(data: Any, kind: type) -> Any:
    """The data, if it is exactly of this type; a TypeError otherwise."""
    if type(data) is not kind:
        raise TypeError(f"expected {kind.__name__}")
    return data
