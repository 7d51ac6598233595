"""Model objects from JSON data, driven by the model's own annotations, every type checked.

Nothing but painopts' own records, enums, dates and containers is ever built; anything else is
a TypeError or a ValueError. A new record type or field needs nothing here.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import enum
import functools
import math
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
    if origin is typing.Annotated:  # code may rely on a Spec's min_length (a scale's best level)
        limits = [m.constraints.get("min_length") for m in arguments if isinstance(m, Spec)]
        least = max((limit for limit in limits if isinstance(limit, int)), default=0)
        return _at_least(_builder(arguments[0]), least) if least else _builder(arguments[0])
    if origin in (typing.Union, types.UnionType):
        return _union_builder(arguments)
    if origin is tuple:
        item = _builder(arguments[0])
        return lambda data: tuple(item(each) for each in expect(data, list))
    if origin in (Mapping, dict):
        value = _builder(arguments[1])
        return lambda data: {expect(k, str): value(v) for k, v in expect(data, dict).items()}
    if dataclasses.is_dataclass(kind):
        return _record_builder(kind)
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return lambda data: kind(expect(data, str))
    if kind in (str, int, bool):
        return lambda data: expect(data, kind)
    return {dt.date: _date, float: _finite}[kind]  # KeyError: a type no entry can hold


def _at_least(inner: Builder, least: int) -> Builder:
    def build_at_least(data: Any) -> Any:
        built = inner(data)
        if isinstance(built, (tuple, str)) and len(built) < least:
            raise ValueError(f"fewer than {least} items")
        return built

    return build_at_least


def _union_builder(options: tuple[Any, ...]) -> Builder:
    """None for null when the union allows it; otherwise what the first option that fits makes."""
    builders = [_builder(option) for option in options if option is not type(None)]
    optional = len(builders) < len(options)

    def build_union(data: Any) -> Any:
        if data is None and optional:
            return None
        for each in builders:
            with contextlib.suppress(TypeError, ValueError):
                return each(data)
        raise TypeError("no type of the union fits")

    return build_union


def _record_builder(kind: Any) -> Builder:
    """A record from a JSON object with exactly its fields' keys (as named in the file)."""
    hints = typing.get_type_hints(kind, include_extras=True)
    plan = [
        (FIELD_ALIASES.get(each.name, each.name), each.name, _builder(hints[each.name]))
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
