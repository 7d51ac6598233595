"""Cache entries: a knowledge base as JSON and back, every type checked on the way in.

An entry is a header (magic, format, head length, CRC-32 of the payload), the base as JSON, and
each treatment's values as zlib-compressed JSON, read only when something asks for them.
Nothing but painopts' own records, enums, dates and containers is ever built from it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import json
import math
import types
import typing
import zlib
from collections.abc import Iterator, Mapping
from typing import Any

from painopts.model import FIELD_ALIASES, KnowledgeBase, Value, as_data

FORMAT = 2
"""The entry layout and the model it describes; a change to either bumps it."""
MAGIC = b"painopts-cache\n"
MAX_VALUES_BYTES = 64 * 2**20
"""What all of an entry's values may inflate to (a knowledge file is at most 64 MiB)."""


class DamagedEntryError(Exception):
    """An entry passed its checks, but a treatment's values in it cannot be read."""

    def __init__(self) -> None:
        super().__init__("a cache entry cannot be read; run again with PAINOPTS_NO_CACHE=1")


def encode(kb: KnowledgeBase) -> bytes:
    """An entry for a knowledge base: a header, the base as JSON, each treatment's values apart."""
    data = as_data(kb)
    blobs: list[bytes] = []
    offset = 0
    for treatment, values in zip(data["treatments"], kb.treatments, strict=True):
        blob = zlib.compress(_json({key: as_data(v) for key, v in values.attributes.items()}), 1)
        texts = {key: value.value for key, value in values.attributes.items()}
        treatment["attributes"] = [offset, len(blob), texts]
        blobs.append(blob)
        offset += len(blob)
    head = _json(data)
    payload = head + b"".join(blobs)
    return MAGIC + b"%d %d %08x\n" % (FORMAT, len(head), zlib.crc32(payload)) + payload


def _json(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def decode(raw: bytes) -> KnowledgeBase | None:
    """The knowledge base in an entry, or None for anything that is not a sound entry."""
    try:
        header_end = raw.index(b"\n", len(MAGIC))
        form, head_length, crc = raw[len(MAGIC) : header_end].split(b" ")
        payload = memoryview(raw)[header_end + 1 :]
        if not raw.startswith(MAGIC) or int(form) != FORMAT or int(crc, 16) != zlib.crc32(payload):
            return None
        head = int(head_length)
        data = json.loads(bytes(payload[:head]))
        if not _attach_values(data["treatments"], payload[head:]):
            return None
        kb = build(KnowledgeBase, data)
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError, OverflowError):
        return None
    return kb if isinstance(kb, KnowledgeBase) else None


def _attach_values(treatments: list[Any], blobs: memoryview) -> bool:
    """Put each treatment's lazily read values in place.

    False unless the blobs lie one after another, none shared, and every text is text.
    """
    budget = [MAX_VALUES_BYTES]  # what all the treatments' values may inflate to together
    end = 0
    for treatment in treatments:
        start, length, texts = treatment["attributes"]
        if not (type(start) is int and type(length) is int and type(texts) is dict):
            return False
        if start != end or length < 0 or not all(type(t) is str for t in texts.values()):
            return False
        end = start + length
        treatment["attributes"] = LazyValues(blobs[start:end], texts, budget)
    return end == len(blobs)


class LazyValues(Mapping[str, Value]):
    """A treatment's values, kept compressed until first read.

    The values' texts are at hand without that (``text``), so that a view that scans one
    attribute across thousands of treatments builds none of their values.
    """

    __slots__ = ("_budget", "_packed", "_texts", "_values")

    def __init__(self, packed: memoryview, texts: dict[str, str], budget: list[int]) -> None:
        self._packed = packed
        self._texts = texts
        self._budget = budget  # shared by every treatment of the entry
        self._values: dict[str, Value] | None = None

    def text(self, attribute_id: str, default: str) -> str:
        """The text of one value (``default`` when there is none), without building any."""
        return self._texts.get(attribute_id, default)

    def _read(self) -> dict[str, Value]:
        if self._values is None:
            try:
                inflater = zlib.decompressobj()
                text = inflater.decompress(self._packed, max(self._budget[0], 1))
                if inflater.unconsumed_tail or not inflater.eof:
                    raise ValueError("values larger than the bound, or cut short")
                self._budget[0] -= len(text)
                values = build(Mapping[str, Value], json.loads(text))
            except (ValueError, TypeError, KeyError, AttributeError, zlib.error) as error:
                raise DamagedEntryError from error
            except (RecursionError, OverflowError):
                raise DamagedEntryError from None
            self._values = dict(values)
        return self._values

    def __getitem__(self, attribute_id: str) -> Value:
        return self._read()[attribute_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._read())

    def __len__(self) -> int:
        return len(self._read())

    def __repr__(self) -> str:
        return repr(self._read())

    def __eq__(self, other: object) -> bool:
        return dict(self) == other if isinstance(other, Mapping) else NotImplemented

    __hash__ = None  # type: ignore[assignment]


# --- building model objects from an entry's JSON ----------------------------------------------


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
        return _builder(arguments[0])
    if origin in (typing.Union, types.UnionType):
        (single,) = [option for option in arguments if option is not type(None)]
        inner = _builder(single)
        return lambda data: None if data is None else inner(data)
    if origin is tuple:
        item = _builder(arguments[0])
        return lambda data: tuple(item(each) for each in _expect(data, list))
    if origin is Mapping or origin is dict:
        return _mapping_builder(_builder(arguments[1]))
    if dataclasses.is_dataclass(kind):
        return _record_builder(kind)
    return _scalar_builder(kind)


def _mapping_builder(item: Builder) -> Builder:
    def build_mapping(data: Any) -> Any:
        if isinstance(data, LazyValues):
            return data
        return {_expect(key, str): item(each) for key, each in _expect(data, dict).items()}

    return build_mapping


def _record_builder(kind: Any) -> Builder:
    hints = typing.get_type_hints(kind, include_extras=True)
    plan = [
        (
            FIELD_ALIASES.get(each.name, each.name),
            each.name,
            *_plain_type(hints[each.name]),
            _builder(hints[each.name]),
        )
        for each in dataclasses.fields(kind)
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
        return lambda data: kind(_expect(data, str))
    if kind is dt.date:
        return lambda data: dt.date.fromisoformat(_expect(data, str))
    if kind is float:
        return _finite
    if kind in (str, int, bool):
        return lambda data: _expect(data, kind)
    raise TypeError(f"a cache entry cannot hold {kind}")


def _finite(data: Any) -> float:
    if type(data) not in (int, float) or not math.isfinite(data):
        raise TypeError("expected a finite number")
    return float(data)


def _expect(data: Any, kind: type) -> Any:
    if type(data) is not kind:
        raise TypeError(f"expected {kind.__name__}")
    return data
