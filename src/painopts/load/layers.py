"""Knowledge files read on top of one another (``--add``): merged as plain data, then validated.

Each layer is parsed on its own, so that every problem is located in its own file. A layer
holds any of the base's sections but `meta`; its records are appended to the sections below.
An id that a lower layer defines is an error naming both places, unless the layer lists it
under `replaces`, in which case its record takes the lower one's place. The merged data is
validated as one knowledge base; a problem is then traced back to the layer its record came
from. In an added layer, a reference to an id no layer defines is an error, not a warning.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from painopts.codes import problem
from painopts.load.errors import KnowledgeFileError
from painopts.load.yaml_text import locate, parse
from painopts.model import KnowledgeBase, Problem, Severity, record

REPLACES = "replaces"
"""The key under which a layer lists the lower layers' ids its records replace."""


UNKNOWN_REFERENCES = frozenset(
    {"PO302", "PO303", "PO305", "PO316", "PO317", "PO318", "PO331", "PO332"}
)
"""Reference warnings that are errors when the reference is made in an added layer."""


@record
class Layer:
    """One file's text and the name problems call it by."""

    text: str
    name: str


@dataclass
class _Merge:
    """The merged sections, and for each merged record the layer and index it came from."""

    layers: Sequence[Layer]
    data: dict[str, Any]
    origin: dict[tuple[str, int], tuple[int, int]] = dataclasses.field(default_factory=dict)
    ids: dict[tuple[str, str], int] = dataclasses.field(default_factory=dict)
    problems: list[tuple[int, Problem]] = dataclasses.field(default_factory=list)


def sections() -> tuple[str, ...]:
    """The sections a layer may add to: every list of the knowledge base."""
    return tuple(f.name for f in dataclasses.fields(KnowledgeBase) if f.name != "meta")


def merged(layers: Sequence[Layer]) -> KnowledgeBase:
    """The layers (the base first) as one validated knowledge base, or a KnowledgeFileError."""
    return _merged(layers)[1]


def layer_problems(layers: Sequence[Layer]) -> tuple[str, list[Problem]]:
    """What ``validate`` says of added layers: the first one with problems (warnings too).

    Its name and its problems, located in it; the last layer's name and no problem when none
    has any. The base's own warnings are not the added layers' and are left out.
    """
    from painopts.validate import check

    try:
        merge, kb = _merged(layers)
    except KnowledgeFileError as error:
        return error.name, error.problems
    traced = [_traced(merge, found) for found in check(kb)]
    added = sorted({number for number, _ in traced if number > 0})
    if not added:
        return layers[-1].name, []
    layer = layers[added[0]]
    return layer.name, locate(layer.text, [found for n, found in traced if n == added[0]])


def _merged(layers: Sequence[Layer]) -> tuple[_Merge, KnowledgeBase]:
    from painopts.load import schema_checked

    base = parse(layers[0].text, layers[0].name)
    merge = _Merge(layers, dict(base) if isinstance(base, dict) else {})
    _index_base(merge)
    for number, layer in enumerate(layers[1:], start=1):
        _add_layer(merge, number, parse(layer.text, layer.name))
    _refuse(merge, [])
    kb = schema_checked(merge.data)
    if isinstance(kb, list):
        _refuse(merge, kb)
        raise AssertionError  # pragma: no cover - _refuse raises on any problem
    _refuse(merge, _rule_errors(merge, kb))
    return merge, kb


def _index_base(merge: _Merge) -> None:
    for section in sections():
        records = merge.data.get(section)
        if isinstance(records, list):
            merge.data[section] = list(records)
            for index, record in enumerate(records):
                _remember(merge, section, index, (0, index), record)


def _remember(
    merge: _Merge, section: str, index: int, origin: tuple[int, int], record: object
) -> None:
    merge.origin[(section, index)] = origin
    if isinstance(record, dict) and isinstance(record.get("id"), str):
        merge.ids.setdefault((section, record["id"]), index)


def _add_layer(merge: _Merge, number: int, data: object) -> None:
    if not isinstance(data, dict):
        found = problem("PO203", "wrong type: a layer is a mapping of sections")
        merge.problems.append((number, found))
        return
    replaces = data.get(REPLACES) or []
    for key, records in data.items():
        if key == REPLACES:
            continue
        if key not in sections() or not isinstance(records, list):
            why = "a layer adds to the sections, never to 'meta'" if key == "meta" else "a section"
            merge.problems.append(
                (number, problem("PO201", f"unknown key '{key}' ({why})", (key,)))
            )
            continue
        if not isinstance(merge.data.setdefault(key, []), list):
            continue  # the base's section is not a list: the schema refuses it, in the base
        for index, item in enumerate(records):
            _add_record(merge, (number, index), key, item, replaces=replaces)


def _add_record(
    merge: _Merge, origin: tuple[int, int], section: str, record: object, *, replaces: object
) -> None:
    number, index = origin
    listed = merge.data[section]  # a list: _add_layer has checked it
    record_id = record.get("id") if isinstance(record, dict) else None
    below = merge.ids.get((section, record_id)) if isinstance(record_id, str) else None
    if below is None:
        listed.append(record)
        _remember(merge, section, len(listed) - 1, origin, record)
    elif isinstance(replaces, list) and record_id in replaces:
        listed[below] = record
        merge.origin[(section, below)] = origin
    else:
        merge.problems.append((number, _redefined(merge, section, index, record_id, below)))


def _redefined(merge: _Merge, section: str, index: int, record_id: object, below: int) -> Problem:
    layer, lower_index = merge.origin[(section, below)]
    lower = merge.layers[layer]
    spot = locate(lower.text, [problem("PO301", "", (section, lower_index, "id"))])[0]
    message = (
        f"id '{record_id}' is already defined in {lower.name}:{spot.line} "
        f"(list it under '{REPLACES}' to replace that {section} record)"
    )
    return problem("PO301", message, (section, index, "id"))


def _rule_errors(merge: _Merge, kb: KnowledgeBase) -> list[Problem]:
    from painopts.validate import check

    return [
        found
        for found in check(kb)
        if found.severity is Severity.ERROR
        or (found.code in UNKNOWN_REFERENCES and _traced(merge, found)[0] > 0)
    ]


def _traced(merge: _Merge, found: Problem) -> tuple[int, Problem]:
    """The layer a problem on the merged data is in, and the problem located in that layer."""
    loc = found.loc
    if len(loc) >= 2 and isinstance(loc[0], str) and isinstance(loc[1], int):
        layer, index = merge.origin.get((loc[0], loc[1]), (0, loc[1]))
        return layer, dataclasses.replace(found, loc=(loc[0], index, *loc[2:]))
    return 0, found


def _refuse(merge: _Merge, problems: list[Problem]) -> None:
    """Raise the problems of the first layer that has any, each located in that layer's text."""
    traced = [*merge.problems, *(_traced(merge, found) for found in problems)]
    if not traced:
        return
    first = min(layer for layer, _ in traced)
    layer = merge.layers[first]
    own = [found for number, found in traced if number == first]
    raise KnowledgeFileError(layer.name, locate(layer.text, own))
