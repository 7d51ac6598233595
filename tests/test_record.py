"""`record`: painopts' frozen dataclasses keep every promise of ``@dataclass(frozen=True)``.

The decorator writes only ``__init__`` through ``dataclass`` (for start-up time,
docs/performance.md); equality, hashing, repr and immutability come from shared code. Each
expectation here is what a frozen dataclass does, written out by hand.
"""

from __future__ import annotations

import dataclasses
import pickle
from dataclasses import FrozenInstanceError, field

import pytest

from painopts.model import record


@record
class Point:
    x: int
    y: int = 0


@record(kw_only=True)
class Named:
    name: str
    tags: tuple[str, ...] = ()
    notes: dict[str, str] = field(default_factory=dict)


@record
class Other:
    x: int
    y: int = 0


def test_fields_are_set_by_position_keyword_and_default() -> None:
    assert (Point(1).x, Point(1).y, Point(1, 2).y, Point(y=3, x=4).x) == (1, 0, 2, 4)
    assert Named(name="a").notes == {}
    assert Named(name="a").notes is not Named(name="a").notes  # a new dict each time


def test_keyword_only_records_refuse_positions_and_every_record_refuses_unknown_names() -> None:
    with pytest.raises(TypeError):
        Named("a")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Point(1, z=2)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Point()  # type: ignore[call-arg]


def test_equal_fields_make_equal_records_of_the_same_class_only() -> None:
    assert Point(1, 2) == Point(1, 2)
    assert Point(1, 2) != Point(2, 1)
    assert Point(1, 2) != Other(1, 2)  # type: ignore[comparison-overlap]
    assert Point(1, 2) != (1, 2)  # type: ignore[comparison-overlap]
    assert Named(name="a", tags=("b",)) == Named(name="a", tags=("b",))


def test_equal_records_hash_alike_and_collapse_in_a_set() -> None:
    assert hash(Point(1, 2)) == hash(Point(1, 2))
    assert len({Point(1, 2), Point(1, 2), Point(2, 1)}) == 2
    assert {Point(3): "found"}[Point(3, 0)] == "found"


def test_a_field_cannot_be_assigned_deleted_or_added_after_init() -> None:
    point = Point(1, 2)
    with pytest.raises(FrozenInstanceError):
        point.x = 5  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        del point.y
    with pytest.raises(FrozenInstanceError):
        point.z = 1  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):  # FrozenInstanceError is one, as code may catch it so
        point.x = 6  # type: ignore[misc]
    assert (point.x, point.y) == (1, 2)


def test_repr_names_the_class_and_every_field_in_order() -> None:
    assert repr(Point(1, 2)) == "Point(x=1, y=2)"
    assert repr(Named(name="a")) == "Named(name='a', tags=(), notes={})"


def test_replace_copy_and_pickle_give_equal_or_changed_records() -> None:
    point = Point(1, 2)
    assert dataclasses.replace(point, y=5) == Point(1, 5)
    assert dataclasses.is_dataclass(point)
    assert [each.name for each in dataclasses.fields(Named)] == ["name", "tags", "notes"]
    assert pickle.loads(pickle.dumps(point)) == point


def test_the_knowledge_files_records_are_records() -> None:
    from painopts.model import Source
    from painopts.views.document import Cell

    with pytest.raises(FrozenInstanceError):
        Cell(text="a").text = "b"  # type: ignore[misc]
    assert Cell(text="a") == Cell(text="a")
    assert dataclasses.fields(Source)[0].name == "id"


def test_field_options_a_record_would_not_honour_are_refused() -> None:
    for option in ({"compare": False}, {"repr": False}, {"hash": False}):
        with pytest.raises(TypeError, match="take part in"):

            @record
            class Odd:
                x: int = field(default=0, **option)  # type: ignore[misc,call-overload]
