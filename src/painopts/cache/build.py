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
        least = _fewest_items(arguments)
        return _tuple_builder(arguments[0], least) if least else _builder(arguments[0])
    if origin in (typing.Union, types.UnionType):  # X | None: the model has no other unions
        (inner,) = [_builder(option) for option in arguments if option is not type(None)]
        return lambda data: None if data is None else inner(data)
    if origin is tuple:
        return _tuple_builder(kind)
    if origin in (Mapping, dict):
        value = _builder(arguments[1])
        return lambda data: {expect(k, str): value(v) for k, v in expect(data, dict).items()}
    if dataclasses.is_dataclass(kind):
        return _record_builder(kind)
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        members = dict(kind._value2member_map_)
        return lambda data: members[expect(data, str)]  # KeyError: not one of them
    if kind in (str, int, bool):
        return lambda data: expect(data, kind)
    return {dt.date: _date, float: _finite}[kind]  # KeyError: a type no entry can hold


def _fewest_items(arguments: tuple[Any, ...]) -> int:
    """A list's Spec's ``min_length``: code may rely on the items (a scale's best level)."""
    if typing.get_origin(arguments[0]) is not tuple:
        return 0
    limits = [m.constraints.get("min_length") for m in arguments if isinstance(m, Spec)]
    return max((limit for limit in limits if isinstance(limit, int)), default=0)


@functools.cache
def _as_is(kind: Any) -> frozenset[type]:
    """The JSON types whose values are this type's values as they are (text, numbers, null)."""
    origin, arguments = typing.get_origin(kind), typing.get_args(kind)
    if origin is typing.Annotated:
        return frozenset() if _fewest_items(arguments) else _as_is(arguments[0])
    if origin in (typing.Union, types.UnionType):
        parts = [
            frozenset({option}) if option is type(None) else _as_is(option) for option in arguments
        ]
        return frozenset().union(*parts) if all(parts) else frozenset()
    return frozenset({kind}) if kind in (str, int, bool) else frozenset()


def _tuple_builder(kind: Any, least: int = 0) -> Builder:
    """A tuple from a JSON list of at least ``least`` items."""
    item_kind = typing.get_args(kind)[0]
    item, as_is = _builder(item_kind), _as_is(item_kind)

    def build_tuple(data: Any) -> Any:
        if type(data) is not list or len(data) < least:
            raise TypeError(f"expected a list of at least {least} items")
        if as_is and all(type(each) in as_is for each in data):
            return tuple(data)  # a list of ids, say: checked in one pass
        return tuple(item(each) for each in data)

    return build_tuple


def _record_builder(kind: Any) -> Builder:
    """A record from a JSON object with exactly its fields' keys (as named in the file)."""
    namespace = vars(sys.modules[kind.__module__])
    plan = [
        (FIELD_ALIASES.get(field.name, field.name), field.name, _as_is(hint), _builder(hint))
        for field in dataclasses.fields(kind)
        for hint in [_annotation(field, namespace)]
    ]
    keys = {key for key, _, _, _ in plan}

    def build_record(data: Any) -> Any:
        if type(data) is not dict or data.keys() != keys:
            raise TypeError(f"{kind.__name__}: not the record's keys")
        record = object.__new__(kind)  # frozen: its fields are not set one by one
        record.__dict__.update(
            {
                name: value if type(value := data[key]) in as_is else item(value)
                for key, name, as_is, item in plan
            }
        )
        return record

    return build_record


def _annotation(field: dataclasses.Field[Any], namespace: dict[str, Any]) -> Any:
    """A field's annotation, evaluated as typing.get_type_hints does, in a tenth of the time.

    What is evaluated is painopts' own model source, never an entry's data.
    """
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
