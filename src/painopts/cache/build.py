"""Model objects from JSON data, every type checked on the way in.

Nothing but painopts' own records, enums, dates and containers is ever built: a field of the
wrong type, a missing or extra key, or a number that is not finite is a TypeError or a
ValueError.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import math
import types
import typing
from collections.abc import Mapping
from typing import Any

from painopts.model import FIELD_ALIASES, Spec


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
        least = fewest_items(kind)
        return _at_least(_builder(arguments[0]), least) if least else _builder(arguments[0])
    if origin in (typing.Union, types.UnionType):
        (single,) = [option for option in arguments if option is not type(None)]
        inner = _builder(single)
        return lambda data: None if data is None else inner(data)
    if origin is tuple:
        item = _builder(arguments[0])
        return lambda data: tuple(item(each) for each in expect(data, list))
    if origin is Mapping or origin is dict:
        return _mapping_builder(_builder(arguments[1]))
    if dataclasses.is_dataclass(kind):
        return _record_builder(kind)
    return _scalar_builder(kind)


def fewest_items(kind: Any) -> int:
    """The fewest items a tuple type allows (its Spec's ``min_length``), or 0.

    Code may rely on those items being there (a scale's best level is its last), so an entry
    must hold them too.
    """
    if typing.get_origin(kind) is not typing.Annotated:
        return 0
    inner, *metadata = typing.get_args(kind)
    if typing.get_origin(inner) is not tuple:
        return 0
    limits = [m.constraints.get("min_length", 0) for m in metadata if isinstance(m, Spec)]
    return max((limit for limit in limits if isinstance(limit, int)), default=0)


def _at_least(inner: Builder, least: int) -> Builder:
    def build_at_least(data: Any) -> Any:
        built = inner(data)
        if built is not None and len(built) < least:
            raise ValueError(f"fewer than {least} items")
        return built

    return build_at_least


def _mapping_builder(item: Builder) -> Builder:
    def build_mapping(data: Any) -> Any:
        return {expect(key, str): item(each) for key, each in expect(data, dict).items()}

    return build_mapping


def _record_builder(kind: Any) -> Builder:
    """A record's fields from JSON, except those its class works out itself when first read."""
    hints = typing.get_type_hints(kind, include_extras=True)
    plan = [
        (
            FIELD_ALIASES.get(each.name, each.name),
            each.name,
            *_plain_type(hints[each.name]),
            _builder(hints[each.name]),
        )
        for each in dataclasses.fields(kind)
        if not isinstance(getattr(kind, each.name, None), functools.cached_property)
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
        if fewest_items(kind):
            return None, False  # its builder counts the items
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
        return lambda data: kind(expect(data, str))
    if kind is dt.date:
        return _date
    if kind is float:
        return _finite
    if kind in (str, int, bool):
        return lambda data: expect(data, kind)
    raise TypeError(f"a cache entry cannot hold {kind}")


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
