"""Records behave as frozen dataclasses: fields, defaults, equality, immutability, pickling."""

from __future__ import annotations

import copy
import dataclasses
import pickle

import pytest

from painopts.record import Record, record


@record
class Pair(Record):
    """A keyword-only record."""

    name: str
    tags: tuple[str, ...] = ()
    extra: dict[str, int] = dataclasses.field(default_factory=dict, repr=False)


@record(kw_only=False)
class Point(Record):
    """A record that also takes positional arguments."""

    x: int
    y: int = 0


def test_fields_defaults_and_factories() -> None:
    pair = Pair(name="a")
    assert (pair.name, pair.tags, pair.extra) == ("a", (), {})
    assert pair.extra is not Pair(name="a").extra
    assert [field.name for field in dataclasses.fields(pair)] == ["name", "tags", "extra"]
    assert dataclasses.is_dataclass(pair)


def test_keyword_only_unless_asked() -> None:
    with pytest.raises(TypeError, match="keyword arguments only"):
        Pair("a")  # type: ignore[misc]
    assert Point(1, 2) == Point(x=1, y=2) == Point(1, y=2)


@pytest.mark.parametrize(
    ("kind", "args", "kwargs", "message"),
    [
        (Pair, (), {}, "missing the argument 'name'"),
        (Pair, (), {"name": "a", "nme": "b"}, "unexpected argument 'nme'"),
        (Point, (1,), {"x": 2}, "'x' twice"),
        (Point, (1, 2, 3), {}, "at most 2 arguments"),
    ],
)
def test_wrong_arguments_are_refused(
    kind: type[Record], args: tuple[int, ...], kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(TypeError, match=message):
        kind(*args, **kwargs)


def test_frozen() -> None:
    pair = Pair(name="a")
    with pytest.raises(dataclasses.FrozenInstanceError):
        pair.name = "b"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del pair.name  # type: ignore[misc]
    assert pair.name == "a"


def test_equality_hash_and_repr() -> None:
    assert Point(1) == Point(1, 0)
    assert Point(1) != Point(2)
    assert hash(Point(1)) == hash(Point(1, 0))
    assert Point(1).__eq__((1, 0)) is NotImplemented
    assert repr(Pair(name="a", extra={"k": 1})) == "Pair(name='a', tags=())"


def test_replace_copy_and_pickle() -> None:
    pair = Pair(name="a", tags=("t",))
    assert dataclasses.replace(pair, name="b") == Pair(name="b", tags=("t",))
    assert copy.deepcopy(pair) == pair
    assert pickle.loads(pickle.dumps(pair)) == pair


def test_only_records_can_be_records() -> None:
    with pytest.raises(TypeError, match="subclass of Record"):
        record(type("Plain", (), {}))


@pytest.mark.parametrize(
    "body",
    [
        {"__annotations__": {"a": "int"}, "a": dataclasses.field(default=0, compare=False)},
        {"__annotations__": {"a": "int"}, "a": dataclasses.field(default=0, hash=False)},
        {"__annotations__": {"a": "int"}, "a": dataclasses.field(default=0, init=False)},
        {"__annotations__": {"a": "int"}, "__post_init__": lambda self: None},
    ],
    ids=["compare", "hash", "init", "post-init"],
)
def test_what_records_do_not_honour_is_refused(body: dict[str, object]) -> None:
    with pytest.raises(TypeError):
        record(type("Odd", (Record,), {"__module__": __name__, **body}))


def test_positional_records_keep_defaults_last() -> None:
    body = {"__module__": __name__, "__annotations__": {"a": "int", "b": "int"}, "a": 0}
    with pytest.raises(TypeError, match="no default after"):
        record(kw_only=False)(type("Odd", (Record,), body))
    assert record(type("Fine", (Record,), dict(body, __qualname__="Fine")))
