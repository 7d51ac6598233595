"""Frozen dataclasses whose methods are shared, not generated per class.

``@dataclass(frozen=True)`` compiles up to six methods for every class when its module is
imported (about 0.5 ms a class); painopts has twenty such classes, and every command pays
for them at start-up. ``@record`` registers the fields with :mod:`dataclasses` (so
``dataclasses.fields``, ``replace`` and pydantic work as usual) and takes ``__init__``,
``__repr__``, ``__eq__``, ``__hash__`` and the frozen ``__setattr__`` from one base class.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar, cast, overload

if sys.version_info >= (3, 11):
    from typing import dataclass_transform
else:  # pragma: no cover - Python 3.10
    from typing_extensions import dataclass_transform

_Class = TypeVar("_Class", bound=type)
_MISSING: Any = dataclasses.MISSING


class Record:
    """Methods of a frozen dataclass, written once for every record."""

    __slots__ = ()
    __dataclass_fields__: ClassVar[dict[str, dataclasses.Field[Any]]]
    _record_fields: tuple[dataclasses.Field[Any], ...] = ()
    _record_kw_only: bool = True

    def __init__(self, *args: object, **kwargs: object) -> None:
        fields = self._record_fields
        if args and self._record_kw_only:
            raise TypeError(f"{type(self).__name__}() takes keyword arguments only")
        if len(args) > len(fields):
            raise TypeError(f"{type(self).__name__}() takes at most {len(fields)} arguments")
        values = dict(zip((each.name for each in fields), args, strict=False))
        clash = values.keys() & kwargs.keys()
        if clash:
            raise TypeError(f"{type(self).__name__}() got {sorted(clash)[0]!r} twice")
        values.update(kwargs)
        for each in fields:
            value = values.pop(each.name, _MISSING)
            if value is _MISSING:
                value = _default(self, each)
            object.__setattr__(self, each.name, value)
        if values:
            unexpected = next(iter(values))
            raise TypeError(f"{type(self).__name__}() got an unexpected argument {unexpected!r}")

    def _record_values(self) -> tuple[object, ...]:
        return tuple(getattr(self, each.name) for each in self._record_fields)

    def __repr__(self) -> str:
        shown = (
            f"{each.name}={getattr(self, each.name)!r}" for each in self._record_fields if each.repr
        )
        return f"{type(self).__qualname__}({', '.join(shown)})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Record)
        return self._record_values() == other._record_values()

    def __hash__(self) -> int:
        return hash(self._record_values())

    def __setattr__(self, name: str, value: object) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")


def _default(item: Record, each: dataclasses.Field[Any]) -> object:
    if each.default is not _MISSING:
        return each.default
    if callable(each.default_factory):
        return each.default_factory()
    raise TypeError(f"{type(item).__name__}() is missing the argument {each.name!r}")


@overload
def record(cls: _Class, /) -> _Class: ...
@overload
def record(*, kw_only: bool = True) -> Callable[[_Class], _Class]: ...


@dataclass_transform(
    kw_only_default=True, frozen_default=True, field_specifiers=(dataclasses.field,)
)
def record(cls: _Class | None = None, /, *, kw_only: bool = True) -> Any:
    """Make ``cls`` (a subclass of Record) a frozen dataclass, keyword-only by default."""

    def make(cls: _Class) -> _Class:
        if not issubclass(cls, Record):
            raise TypeError(f"@record needs a subclass of Record, not {cls.__name__}")
        made = dataclasses.dataclass(init=False, repr=False, eq=False, kw_only=kw_only)(cls)
        made._record_fields = dataclasses.fields(made)
        made._record_kw_only = kw_only
        return cast(_Class, made)

    return make if cls is None else make(cls)
