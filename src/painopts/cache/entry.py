"""Cache entries: a knowledge base as JSON and back, every type checked on the way in.

An entry is a header (magic, format, head length, CRC-32 of the payload), the base as JSON, then
each treatment's values (zlib-compressed JSON), each source and each claim, read only when
something asks for them.
Nothing but painopts' own records, enums, dates and containers is ever built from it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import itertools
import json
import math
import types
import typing
import zlib
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from painopts.model import FIELD_ALIASES, Claim, KnowledgeBase, Source, Value, as_data

FORMAT = 3
"""The entry layout and the model it describes; a change to either bumps it."""
MAGIC = b"painopts-cache\n"
MAX_VALUES_BYTES = 64 * 2**20
"""What all of an entry's values may inflate to (a knowledge file is at most 64 MiB)."""


class DamagedEntryError(Exception):
    """An entry passed its checks, but a treatment's values in it cannot be read."""

    def __init__(self) -> None:
        super().__init__("a cache entry cannot be read; run again with PAINOPTS_NO_CACHE=1")


def encode(kb: KnowledgeBase) -> bytes:
    """An entry: a header, the base as JSON, then the parts that are read only when asked for.

    Those parts are each treatment's values (compressed), then each source and each claim; the
    head keeps their lengths, the sources' ids, the claims' treatments and, under ``TEXTS``,
    the values' texts by attribute (one per treatment, or null).
    """
    data = as_data(kb)
    parts: list[bytes] = []
    texts: dict[str, list[str | None]] = {}
    for index, (treatment, values) in enumerate(
        zip(data["treatments"], kb.treatments, strict=True)
    ):
        blob = zlib.compress(_json({key: as_data(v) for key, v in values.attributes.items()}), 1)
        treatment["attributes"] = len(blob)
        parts.append(blob)
        for key, value in values.attributes.items():
            texts.setdefault(key, [None] * len(kb.treatments))[index] = value.value
    data[TEXTS] = texts
    for field, (_, key_of) in LAZY.items():
        items = [_json(item) for item in data[field]]
        data[field] = [[len(item) for item in items], [key_of(r) for r in getattr(kb, field)]]
        parts += items
    head = _json(data)
    payload = head + b"".join(parts)
    return MAGIC + b"%d %d %08x\n" % (FORMAT, len(head), zlib.crc32(payload)) + payload


TEXTS = "texts of values"
"""The head's key for the values' texts (not a key of the knowledge file)."""


def _source_key(source: Source) -> str:
    return source.id


def _claim_key(claim: Claim) -> str:
    return " ".join(claim.treatments)


LAZY: dict[str, tuple[type, typing.Callable[[Any], str]]] = {
    "sources": (Source, _source_key),
    "claims": (Claim, _claim_key),
}
"""The records built only when asked for, and the key that finds one without building it: a
source's id, a claim's treatments (ids never hold a space)."""


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
        texts = _expect(data.pop(TEXTS), dict)
        treatments = data["treatments"]
        lengths = [[treatment["attributes"] for treatment in treatments]]
        lengths += [data[field][0] for field in LAZY]
        bounds = _bounds(lengths, len(payload) - head)
        rest = payload[head:]
        budget = [MAX_VALUES_BYTES]  # what all the treatments' values may inflate to together
        for index, (start, end) in enumerate(bounds[0]):
            treatments[index]["attributes"] = LazyValues(rest[start:end], index, texts, budget)
        lazy = {
            field: _lazy_records(kind, rest, field_bounds, data[field][1])
            for (field, (kind, _)), field_bounds in zip(LAZY.items(), bounds[1:], strict=True)
        }
        data.update({field: [] for field in LAZY})
        kb = build(CachedBase, data)
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError, OverflowError):
        return None
    for field in lazy:
        del vars(kb)[field]  # read through CachedBase's properties
    vars(kb)["_lazy"] = lazy
    return kb if isinstance(kb, CachedBase) else None


def _bounds(lengths: list[Any], total: int) -> list[list[tuple[int, int]]]:
    """Where each part lies: one after another from the head on, none shared, none left over.

    ``lengths`` holds a list of part lengths per kind of part; ValueError or TypeError when
    they are not counts that add up to ``total``.
    """
    flat = list(itertools.chain.from_iterable(_expect(each, list) for each in lengths))
    if not set(map(type, flat)) <= {int} or min(flat, default=0) < 0 or sum(flat) != total:
        raise ValueError("the parts do not fill the entry")
    ends = list(itertools.accumulate(flat))
    every = list(zip([0, *ends[:-1]], ends, strict=True))
    bounds, taken = [], 0
    for each in lengths:
        bounds.append(every[taken : taken + len(each)])
        taken += len(each)
    return bounds


def _lazy_records(
    kind: type, rest: memoryview, bounds: list[tuple[int, int]], keys: Any
) -> LazyRecords:
    if type(keys) is not list or len(keys) != len(bounds) or not set(map(type, keys)) <= {str}:
        raise TypeError(f"{kind.__name__}: not a key per record")
    return LazyRecords(kind, rest, bounds, keys)


class LazyRecords:
    """Records kept as JSON until asked for; each is built once, and checked against its key."""

    def __init__(
        self, kind: type, rest: memoryview, bounds: list[tuple[int, int]], keys: list[str]
    ) -> None:
        self._kind = kind
        self._rest = rest
        self._bounds = bounds
        self._keys = keys
        self._key_of = LAZY[_FIELD_OF[kind]][1]
        self._built: dict[int, Any] = {}
        self._first: dict[str, int] | None = None

    def find(self, wanted: typing.Callable[[str], bool]) -> tuple[Any, ...]:
        """The records whose key is wanted, in order."""
        return tuple(self._get(i) for i, key in enumerate(self._keys) if wanted(key))

    def first(self, key: str) -> Any | None:
        """The first record with this key, if any."""
        if self._first is None:
            self._first = {}
            for index, each in enumerate(self._keys):
                self._first.setdefault(each, index)
        found = self._first.get(key)
        return None if found is None else self._get(found)

    def all(self) -> tuple[Any, ...]:
        """Every record, in order."""
        return tuple(self._get(index) for index in range(len(self._keys)))

    def _get(self, index: int) -> Any:
        if index not in self._built:
            start, end = self._bounds[index]
            try:
                record = build(self._kind, json.loads(bytes(self._rest[start:end])))
                if self._key_of(record) != self._keys[index]:
                    raise ValueError("a record that does not match its key")
            except (ValueError, TypeError, KeyError, AttributeError) as error:
                raise DamagedEntryError from error
            except (RecursionError, OverflowError):
                raise DamagedEntryError from None
            self._built[index] = record
        return self._built[index]


_FIELD_OF = {kind: field for field, (kind, _) in LAZY.items()}


class CachedBase(KnowledgeBase):
    """A knowledge base read from a cache entry: sources and claims are built when first read.

    One source by id, or the claims about some treatments, builds only those; equal to the
    knowledge base it was written from.
    """

    _lazy: dict[str, LazyRecords]

    @functools.cached_property
    def sources(self) -> tuple[Source, ...]:
        """Every source."""
        return typing.cast("tuple[Source, ...]", self._lazy["sources"].all())

    @functools.cached_property
    def claims(self) -> tuple[Claim, ...]:
        """Every claim."""
        return typing.cast("tuple[Claim, ...]", self._lazy["claims"].all())

    def source(self, source_id: str) -> Source | None:
        """The source with this id, built alone."""
        if "sources" in vars(self):
            return super().source(source_id)
        return typing.cast("Source | None", self._lazy["sources"].first(source_id))

    def claims_about(self, treatment_ids: Iterable[str]) -> tuple[Claim, ...]:
        """The claims that name any of these treatments, built alone."""
        if "claims" in vars(self):
            return super().claims_about(treatment_ids)
        wanted = set(treatment_ids)
        found = self._lazy["claims"].find(lambda key: not wanted.isdisjoint(key.split(" ")))
        return typing.cast("tuple[Claim, ...]", found)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, KnowledgeBase):
            return NotImplemented
        names = [field.name for field in dataclasses.fields(KnowledgeBase)]
        return all(getattr(self, name) == getattr(other, name) for name in names)

    __hash__ = None  # type: ignore[assignment]


class LazyValues(Mapping[str, Value]):
    """A treatment's values, kept compressed until first read.

    The values' texts are at hand without that (``text``), so that a view that scans one
    attribute across thousands of treatments builds none of their values.
    """

    __slots__ = ("_budget", "_index", "_packed", "_texts", "_values")

    def __init__(
        self, packed: memoryview, index: int, texts: dict[str, Any], budget: list[int]
    ) -> None:
        self._packed = packed
        self._index = index  # the treatment's place in each list of ``texts``
        self._texts = texts  # the entry's texts of values, by attribute
        self._budget = budget  # shared by every treatment of the entry
        self._values: dict[str, Value] | None = None

    def text(self, attribute_id: str, default: str) -> str:
        """The text of one value (``default`` when there is none), without building any."""
        column = self._texts.get(attribute_id)
        if column is None:
            return default
        if type(column) is not list or len(column) <= self._index:
            raise DamagedEntryError
        text = column[self._index]
        if text is None:
            return default
        if type(text) is not str:
            raise DamagedEntryError
        return text

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
