"""Cache entries: a knowledge base as JSON and back, built only as far as it is read.

An entry is a header (magic, format, head length, CRC-32 of the payload), a head of JSON, then
every treatment (zlib-compressed JSON), every source and every claim (JSON), one after another.
The head holds the rest of the base, where each of those parts lies, the key that finds one
without reading it (an id; a claim's treatments), and each attribute's value texts across the
treatments. A command that shows two treatments of thousands builds those two.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import json
import re
import typing
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from painopts.cache.build import build, expect, fewest_items
from painopts.model import Claim, KnowledgeBase, Source, Treatment, Value, as_data

FORMAT = 6
"""The entry layout and the model it describes; a change to either bumps it."""
MAGIC = b"painopts-cache\n"
MAX_INFLATED_BYTES = 64 * 2**20
"""What all of an entry's treatments may inflate to (a knowledge file is at most 64 MiB)."""
TEXTS = "texts of values"
"""The head's key for the value texts (not a key of the knowledge file)."""


_RAW_SURROGATE = re.compile(rb"\xed[\xa0-\xbf]")
_ESCAPED_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F]")


def _has_surrogate(text: bytes) -> bool:
    """Whether JSON text holds a surrogate code point, raw or escaped.

    Painopts never writes one (a knowledge file cannot hold one, and other characters are
    written as UTF-8), and text holding one could not be written out. Two plain patterns, as
    one with a choice between them scans ten times slower.
    """
    if _RAW_SURROGATE.search(text):
        return True
    for found in _ESCAPED_SURROGATE.finditer(text):
        before = text[: found.start()]
        if (len(before) - len(before.rstrip(b"\\"))) % 2 == 0:  # not an escaped backslash
            return True
    return False


class DamagedEntryError(Exception):
    """An entry passed its checks, but a part of it read later does not make a record."""

    def __init__(self, entry: str) -> None:
        super().__init__(f"the cache entry {entry} cannot be read")
        self.entry = entry


def _id(record: Treatment | Source) -> str:
    return record.id


def _claim_key(claim: Claim) -> str:
    return " ".join(claim.treatments)  # ids never hold a space


def _no_key(_: object) -> str:
    return ""


VALUES = Mapping[str, Value]
"""A treatment's values, by attribute id."""
LAZY: dict[str, tuple[Any, Callable[[Any], str], bool]] = {
    "treatments": (Treatment, _id, False),  # each without its values...
    "values": (VALUES, _no_key, True),  # ...which come apart, compressed
    "sources": (Source, _id, False),
    "claims": (Claim, _claim_key, False),
}
"""The records built only when read: their type, their key, whether they are compressed."""


def encode(kb: KnowledgeBase) -> bytes:
    """An entry for a knowledge base."""
    data = as_data(kb)
    data["values"] = [treatment["attributes"] for treatment in data["treatments"]]
    for treatment in data["treatments"]:
        treatment["attributes"] = {}  # the values come apart
    parts: list[bytes] = []
    for field, (_, key_of, compressed) in LAZY.items():
        items = [_json(item) for item in data[field]]
        if compressed:
            items = [zlib.compress(item, 1) for item in items]
        records = getattr(kb, "treatments" if field == "values" else field)
        keys = [key_of(each) for each in records]
        data[field] = [[len(item) for item in items], keys]
        parts += items
    texts: dict[str, list[str | None]] = {a.id: [None] * len(kb.treatments) for a in kb.attributes}
    for index, treatment in enumerate(kb.treatments):
        for attribute_id, value in treatment.attributes.items():
            texts.setdefault(attribute_id, [None] * len(kb.treatments))[index] = value.value
    data[TEXTS] = texts
    head = _json(data)
    payload = head + b"".join(parts)
    return MAGIC + b"%d %d %08x\n" % (FORMAT, len(head), zlib.crc32(payload)) + payload


def _json(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def decode(raw: bytes, name: str = "") -> KnowledgeBase | None:
    """The knowledge base in an entry, or None for anything that is not a sound entry.

    A part that turns out to be unsound when it is read raises DamagedEntryError with ``name``.
    """
    try:
        header_end = raw.index(b"\n", len(MAGIC))
        form, head_length, crc = raw[len(MAGIC) : header_end].split(b" ")
        payload = memoryview(raw)[header_end + 1 :]
        if not raw.startswith(MAGIC) or int(form) != FORMAT or int(crc, 16) != zlib.crc32(payload):
            return None
        head = int(head_length)
        text = bytes(payload[:head])
        if _has_surrogate(text):
            return None
        data = json.loads(text)
        texts = _texts(data.pop(TEXTS), len(data["treatments"][1]))
        bounds = _bounds([data[field][0] for field in LAZY], len(payload) - head)
        reading = _Reading(payload[head:], name)
        lazy = {
            field: LazyRecords(field, reading, field_bounds, data.pop(field)[1])
            for field, field_bounds in zip(LAZY, bounds, strict=True)
        }
        if len(lazy["values"].keys) != len(lazy["treatments"].keys):
            return None
        lazy["treatments"].finish = functools.partial(_with_values, lazy["values"])
        _at_least(lazy)
        kb = build(CachedBase, data)  # the lazy collections are CachedBase's properties
    except (ValueError, TypeError, LookupError, AttributeError, RecursionError, OverflowError):
        return None
    vars(kb).update(_lazy=lazy, _texts=texts)
    return kb if isinstance(kb, CachedBase) else None


def _at_least(lazy: dict[str, LazyRecords]) -> None:
    """As many records of each lazy collection as the model asks for (a treatment at least)."""
    hints = typing.get_type_hints(KnowledgeBase, include_extras=True)
    for field, records in lazy.items():
        if field in hints and len(records.keys) < fewest_items(hints[field]):
            raise ValueError(f"fewer {field} than a knowledge file has")


def _with_values(values: LazyRecords, treatment: Treatment, index: int) -> None:
    vars(treatment)["attributes"] = LazyValues(values, index)  # a frozen record, set once


def _texts(texts: Any, count: int) -> dict[str, list[str | None]]:
    """The value texts by attribute, each a text or null per treatment; TypeError otherwise."""
    for column in expect(texts, dict).values():
        if type(column) is not list or len(column) != count:
            raise TypeError("texts: not one per treatment")
        if not set(map(type, column)) <= {str, type(None)}:
            raise TypeError("texts: not text")
    return typing.cast("dict[str, list[str | None]]", texts)


def _bounds(lengths: list[Any], total: int) -> list[tuple[int, list[int]]]:
    """Where each kind of part lies: where its first part starts, and where each part ends.

    The parts lie one after another from the head on, none shared, none left over; ``lengths``
    holds a list of part lengths per kind. ValueError or TypeError when they are not counts
    that add up to ``total``.
    """
    flat = list(itertools.chain.from_iterable(expect(each, list) for each in lengths))
    if not set(map(type, flat)) <= {int} or min(flat, default=0) < 0 or sum(flat) != total:
        raise ValueError("the parts do not fill the entry")
    ends = list(itertools.accumulate(flat))
    bounds, taken = [], 0
    for each in lengths:
        bounds.append((ends[taken - 1] if taken else 0, ends[taken : taken + len(each)]))
        taken += len(each)
    return bounds


class _Reading:
    """What every kind of record of one entry shares: its parts, its name, one inflate budget."""

    def __init__(self, parts: memoryview, entry: str) -> None:
        self.parts = parts
        self.entry = entry
        self.budget = MAX_INFLATED_BYTES  # what all the treatments may inflate to together


class LazyRecords:
    """One kind of record kept as (compressed) JSON until read; each built once, key checked."""

    def __init__(
        self,
        field: str,
        reading: _Reading,
        bounds: tuple[int, list[int]],
        keys: Any,
    ) -> None:
        self._kind, self._key_of, self._compressed = LAZY[field]
        self._start, self._ends = bounds  # where the first record starts, where each one ends
        if type(keys) is not list or len(keys) != len(self._ends):
            raise TypeError(f"{field}: not a key per record")
        if not set(map(type, keys)) <= {str}:
            raise TypeError(f"{field}: a key that is not text")
        self._reading = reading
        self.keys: list[str] = keys
        self._built: dict[int, Any] = {}
        self.finish: Callable[[Any, int], None] | None = None  # what a built record still needs
        self._first: dict[str, int] | None = None
        self._by_word: dict[str, list[int]] | None = None

    def at(self, indices: Iterable[int]) -> tuple[Any, ...]:
        """The records at these places."""
        return tuple(self._get(index) for index in indices)

    def all(self) -> tuple[Any, ...]:
        """Every record, in order."""
        return self.at(range(len(self.keys)))

    def first(self, key: str) -> Any:
        """The first record with this key, or None."""
        if self._first is None:
            last = len(self.keys) - 1
            self._first = dict(zip(reversed(self.keys), range(last, -1, -1), strict=True))
        index = self._first.get(key)
        return None if index is None else self._get(index)

    def with_any(self, words: Iterable[str]) -> tuple[Any, ...]:
        """The records whose key holds any of these words, in order."""
        if self._by_word is None:
            self._by_word = {}
            for index, key in enumerate(self.keys):
                for word in set(key.split(" ")) if " " in key else (key,):
                    self._by_word.setdefault(word, []).append(index)
        wanted = {index for word in words for index in self._by_word.get(word, ())}
        return self.at(sorted(wanted))

    def _get(self, index: int) -> Any:
        if index not in self._built:
            start, end = self._ends[index - 1] if index else self._start, self._ends[index]
            try:
                text = self._text(self._reading.parts[start:end])
                if _has_surrogate(text):
                    raise ValueError("a surrogate, which no file can hold")
                record = build(self._kind, json.loads(text))
                if self._key_of(record) != self.keys[index]:
                    raise ValueError("a record that does not match its key")
                if self.finish is not None:
                    self.finish(record, index)
            except (ValueError, TypeError, LookupError, AttributeError, zlib.error) as error:
                raise DamagedEntryError(self._reading.entry) from error
            except (RecursionError, OverflowError):
                raise DamagedEntryError(self._reading.entry) from None
            self._built[index] = record
        return self._built[index]

    def _text(self, part: memoryview) -> bytes:
        if not self._compressed:
            return bytes(part)
        inflater = zlib.decompressobj()
        text = inflater.decompress(part, max(self._reading.budget, 1))
        if inflater.unconsumed_tail or not inflater.eof:
            raise ValueError("a part larger than the bound, or cut short")
        self._reading.budget -= len(text)
        return text


def read_whole(kb: KnowledgeBase) -> None:
    """Build every part of a base read from an entry now: DamagedEntryError if one is unsound."""
    for treatment in kb.treatments:
        dict(treatment.attributes)
    kb.sources  # noqa: B018 - built on first use
    kb.claims  # noqa: B018


class CachedBase(KnowledgeBase):
    """A knowledge base read from a cache entry: treatments, sources and claims built when read.

    A lookup by id, the claims about some treatments, or the treatments with a given value
    builds only those. Equal to the knowledge base it was written from.
    """

    _lazy: dict[str, LazyRecords]
    _texts: dict[str, list[str | None]]

    @functools.cached_property
    def treatments(self) -> tuple[Treatment, ...]:
        """Every treatment."""
        return self._lazy["treatments"].all()

    @functools.cached_property
    def sources(self) -> tuple[Source, ...]:
        """Every source."""
        return self._lazy["sources"].all()

    @functools.cached_property
    def claims(self) -> tuple[Claim, ...]:
        """Every claim."""
        return self._lazy["claims"].all()

    def treatment(self, treatment_id: str) -> Treatment | None:
        """The treatment with this id, built alone."""
        return typing.cast("Treatment | None", self._lazy["treatments"].first(treatment_id))

    def source(self, source_id: str) -> Source | None:
        """The source with this id, built alone."""
        return typing.cast("Source | None", self._lazy["sources"].first(source_id))

    def claims_about(self, treatment_ids: Iterable[str]) -> tuple[Claim, ...]:
        """The claims that name any of these treatments, built alone."""
        return self._lazy["claims"].with_any(treatment_ids)

    def treatments_valued(self, attribute_id: str, text: str) -> tuple[Treatment, ...]:
        """The treatments whose value for this attribute reads ``text``, built alone."""
        column = self._texts.get(attribute_id, [])
        return self._lazy["treatments"].at(i for i, each in enumerate(column) if each == text)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, KnowledgeBase):
            return NotImplemented
        names = [field.name for field in dataclasses.fields(KnowledgeBase)]
        return all(getattr(self, name) == getattr(other, name) for name in names)

    __hash__ = None  # type: ignore[assignment]


class LazyValues(Mapping[str, Value]):
    """A treatment's values, built when first read."""

    __slots__ = ("_index", "_values")

    def __init__(self, values: LazyRecords, index: int) -> None:
        self._values = values
        self._index = index

    def _read(self) -> Mapping[str, Value]:
        return typing.cast("Mapping[str, Value]", self._values.at([self._index])[0])

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
