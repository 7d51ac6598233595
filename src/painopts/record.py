"""Frozen dataclasses whose methods are shared, not generated per class.

``@dataclass(frozen=True)`` compiles up to six methods for every class when its module is
imported (about 0.5 ms a class); painopts has twenty such classes, and every command pays
for them at start-up. ``@record`` registers the fields with :mod:`dataclasses` (so
``dataclasses.fields``, ``replace`` and pydantic work as usual) and takes ``__init__``,
``__repr__``, ``__eq__``, ``__hash__`` and the frozen ``__setattr__`` from one base class.
Fields take a default, a ``default_factory`` and ``repr=False``; other field options and
``__post_init__`` are refused rather than silently ignored.
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
    _record_fields: ClassVar[tuple[dataclasses.Field[Any], ...]] = ()
    _record_names: ClassVar[frozenset[str]] = frozenset()
    _record_defaults: ClassVar[dict[str, object]] = {}
    _record_kw_only: ClassVar[bool] = True

    def __init__(self, *args: object, **kwargs: object) -> None:
        if args:
            kwargs = self._record_keywords(args, kwargs)
        values = {**self._record_defaults, **kwargs}
        if values.keys() != self._record_names:
            self._record_complete(values)
        self.__dict__.update(values)

    def _record_keywords(
        self, args: tuple[object, ...], kwargs: dict[str, object]
    ) -> dict[str, object]:
        """Positional arguments named by field order, merged with the keyword ones."""
        kind = type(self).__name__
        if self._record_kw_only:
            raise TypeError(f"{kind}() takes keyword arguments only")
        if len(args) > len(self._record_fields):
            raise TypeError(f"{kind}() takes at most {len(self._record_fields)} arguments")
        named = dict(zip((each.name for each in self._record_fields), args, strict=False))
        twice = named.keys() & kwargs.keys()
        if twice:
            raise TypeError(f"{kind}() got {min(twice)!r} twice")
        return named | kwargs

    def _record_complete(self, values: dict[str, object]) -> None:
        """Fill fields that have a default factory; refuse missing and unknown arguments."""
        kind = type(self).__name__
        unknown = values.keys() - self._record_names
        if unknown:
            raise TypeError(f"{kind}() got an unexpected argument {min(unknown)!r}")
        for each in self._record_fields:
            if each.name in values:
                continue
            if not callable(each.default_factory):
                raise TypeError(f"{kind}() is missing the argument {each.name!r}")
            values[each.name] = each.default_factory()

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
        _refuse_unsupported(made, kw_only)
        made._record_names = frozenset(each.name for each in made._record_fields)
        made._record_defaults = {
            each.name: each.default for each in made._record_fields if each.default is not _MISSING
        }
        made._record_kw_only = kw_only
        return cast(_Class, made)

    return make if cls is None else make(cls)


def _refuse_unsupported(cls: type[Record], kw_only: bool) -> None:
    """Refuse what ``@dataclass`` would honour but the shared methods do not."""
    if hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__}: records have no __post_init__")
    defaulted = False
    for each in cls._record_fields:
        plain = each.init and each.compare and each.hash is None
        if not plain or each.kw_only not in (kw_only, _MISSING):
            raise TypeError(f"{cls.__name__}.{each.name}: only default, default_factory and repr")
        has_default = each.default is not _MISSING or each.default_factory is not _MISSING
        if defaulted and not has_default and not kw_only:
            raise TypeError(f"{cls.__name__}.{each.name}: no default after a field with one")
        defaulted = defaulted or has_default
