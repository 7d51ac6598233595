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
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, cast

from painopts.model import FIELD_ALIASES, Spec

Builder = Callable[[Any], Any]


@functools.cache
def builder(kind: Any, least: int = 0) -> Builder:  # noqa: PLR0911 - one branch per kind
    """A function that builds a value of this type from JSON data (made once per type).

    ``least`` is the fewest items a list may hold, from its Spec's ``min_length``: code may rely
    on them (a scale's best level). The model's annotations are types, not text to evaluate.
    """
    origin, arguments = typing.get_origin(kind), typing.get_args(kind)
    if origin is typing.Annotated:
        limits = [m.constraints.get("min_length") for m in arguments if isinstance(m, Spec)]
        return builder(arguments[0], max((n for n in limits if isinstance(n, int)), default=0))
    if origin in (typing.Union, types.UnionType):  # X | None: the model has no other unions
        (inner,) = [builder(option) for option in arguments if option is not type(None)]
        return lambda data: None if data is None else inner(data)
    if origin is tuple:
        return _tuple_builder(arguments[0], least)
    if origin in (Mapping, dict):
        value = builder(arguments[1])  # a JSON object's keys are text
        return lambda data: {k: value(v) for k, v in expect(data, dict).items()}
    if dataclasses.is_dataclass(kind):
        return _record_builder(kind)
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        members = dict(kind._value2member_map_)
        return lambda data: members[expect(data, str)]  # KeyError: not one of them
    if kind in (str, int, bool):
        return lambda data: expect(data, kind)
    return {dt.date: _date, float: _finite}[kind]  # KeyError: a type no entry can hold


def _tuple_builder(kind: Any, least: int) -> Builder:
    """A tuple of this type's values from a JSON list of at least ``least`` items."""
    item = builder(kind)

    def build_tuple(data: Any) -> Any:
        if type(data) is not list or len(data) < least:
            raise TypeError(f"expected a list of at least {least} items")
        return tuple(map(item, data))

    return build_tuple


def _record_builder(kind: Any) -> Builder:
    """A record from a JSON object with exactly its fields' keys (as named in the file)."""
    plan = [
        (FIELD_ALIASES.get(each.name, each.name), each.name, builder(cast(Any, each.type)))
        for each in dataclasses.fields(kind)
    ]
    keys = {key for key, _, _ in plan}

    def build_record(data: Any) -> Any:
        if type(data) is not dict or data.keys() != keys:
            raise TypeError(f"{kind.__name__}: not the record's keys")
        record = object.__new__(kind)  # frozen: its fields are not set one by one
        record.__dict__.update({name: item(data[key]) for key, name, item in plan})
        return record

    return build_record


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
