"""The model's constraints and descriptions, and the shared field types.

`Spec` is plain data (a description and constraints). Pydantic reads it through its public
hook ``__get_pydantic_core_schema__``, which hands the constraints to ``pydantic.Field``; the
import happens there, when `painopts.load` validates, so the model imports no pydantic at
start-up. Shared types (ids, text, links) and configurations live here too, and `record`,
the decorator every frozen dataclass in painopts is declared with.
"""

import enum
from collections.abc import Callable, Iterable, Mapping
from dataclasses import FrozenInstanceError, dataclass, field, fields
from typing import TYPE_CHECKING, Annotated, Any, Protocol, TypeVar, get_origin, overload

if TYPE_CHECKING:
    from typing_extensions import dataclass_transform
else:

    def dataclass_transform(**_options: object) -> Callable[[Any], Any]:
        """Read by type checkers only: at run time the decorator is returned as it is."""
        return lambda decorator: decorator


MAX_ITEMS = 1_000
"""The most items a list (or a mapping) in the knowledge file may hold, unless its Spec gives
another ``max_length``: the bundled file's longest holds 117 (its sources)."""

MAX_SECTION = 100_000
"""The most items a section of the file may hold (treatments, effects, sources, claims, ...; not
attributes, which hold at most ``MAX_ITEMS``)."""

_COLLECTIONS = (tuple, list, dict, Mapping)


class Spec:
    """Constraints and a description of a value, applied by pydantic when it validates.

    ``constraints`` are ``pydantic.Field`` keywords (``pattern``, ``min_length``,
    ``max_length``, ``ge``, ``le``, ``strict``); the description goes into the JSON Schema
    (added to the JSON pydantic writes, so the outermost description of a field wins).
    A constraint on an optional value applies to the value when there is one. A list or a
    mapping holds at most ``MAX_ITEMS`` items unless ``max_length`` says otherwise.
    """

    KEYS = frozenset({"pattern", "min_length", "max_length", "ge", "le", "strict"})

    def __init__(self, description: str = "", **constraints: object) -> None:
        unknown = constraints.keys() - self.KEYS
        if unknown:
            raise TypeError(f"unknown constraint: {', '.join(sorted(unknown))}")
        self.description = description
        self.constraints = constraints

    def __get_pydantic_core_schema__(self, source: object, handler: Callable[[Any], Any]) -> Any:
        """The schema of ``source`` with this description and these constraints."""
        constraints = dict(self.constraints)
        if get_origin(source) in _COLLECTIONS:
            constraints.setdefault("max_length", MAX_ITEMS)
        if not constraints:
            return handler(source)
        from pydantic import Field

        return handler(Annotated[source, Field(**constraints)])  # type: ignore[call-overload]

    def __get_pydantic_json_schema__(self, schema: Any, handler: Callable[[Any], Any]) -> Any:
        """The JSON Schema pydantic would build, with the description added."""
        out = handler(schema)
        if self.description:
            out["description"] = self.description
        return out


class TextOrNumber(Spec):
    """Text that may be typed as a bare number (a PMID, a rating of 3).

    The record's ``NUMBERS_AS_TEXT`` configuration reads the number as its text; this tells
    editors, through the JSON Schema, that either is fine.
    """

    def __get_pydantic_json_schema__(self, schema: Any, handler: Callable[[Any], Any]) -> Any:
        """A string or an integer."""
        return {"anyOf": [{"type": "string", **self.constraints}, {"type": "integer"}]}


class DateText(Spec):
    """A date written as ISO text (YYYY-MM-DD), never a number or a timestamp."""

    def __get_pydantic_core_schema__(self, source: object, handler: Callable[[Any], Any]) -> Any:
        """Pydantic's date schema, behind the check that the value is YYYY-MM-DD text."""
        from pydantic import BeforeValidator

        return super().__get_pydantic_core_schema__(
            Annotated[source, BeforeValidator(_date_text)], handler
        )


def _date_text(value: object) -> object:
    """The value, if it is YYYY-MM-DD text; a ValueError otherwise."""
    if isinstance(value, str) and len(value) == len("YYYY-MM-DD") and value[4::3] == "--":
        return value
    raise ValueError("expected a date written YYYY-MM-DD")


FIELD_ALIASES = {"class_": "class"}
"""Fields whose name in the knowledge file is a Python keyword."""

FORBID_EXTRA = {"extra": "forbid"}
"""Pydantic configuration: an unknown key is an error."""


NUMBERS_AS_TEXT = {**FORBID_EXTRA, "coerce_numbers_to_str": True}
"""Pydantic configuration for records whose text may be typed as a bare number (a PMID, a
rating such as 3): the number is read as its text."""


def file_name(field: str) -> str:
    """A field's key in the knowledge file (pydantic's public ``alias_generator`` hook)."""
    return FIELD_ALIASES.get(field, field)


Id = Annotated[
    str,
    Spec(
        "Identifier: lower-case letters, digits, '-' and '_'.",
        pattern=r"^[a-z0-9][a-z0-9_-]*$",
        max_length=64,
    ),
]
SourceId = Annotated[
    str,
    Spec(
        "Identifier of a source in `sources`.",
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$",
        max_length=64,
    ),
]
Text = Annotated[str, Spec(min_length=1, max_length=20_000)]
Line = Annotated[str, Spec(min_length=1, max_length=500)]
Doi = Annotated[str, Spec(pattern=r"^10\.[0-9]{4,9}/\S+$")]
Url = Annotated[str, Spec(pattern=r"^https?://\S+$")]
Year = Annotated[int, Spec(ge=1900, le=2100, strict=True)]
Pmid = Annotated[str, TextOrNumber(pattern=r"^[0-9]{1,9}$")]


Kind = TypeVar("Kind")


@overload
def record(kind: type[Kind], /) -> type[Kind]: ...
@overload
def record(*, kw_only: bool = False) -> Callable[[type[Kind]], type[Kind]]: ...
@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def record(kind: type[Kind] | None = None, /, *, kw_only: bool = False) -> Any:
    """A frozen dataclass, made in a third of the time ``@dataclass(frozen=True)`` takes.

    ``dataclass`` compiles every method it writes, about 1.1 ms a class: a tenth of painopts'
    start-up for its 45 records (docs/performance.md). Here it compiles ``__init__`` only; the
    same equality, hash, repr and immutability come from the shared functions below. A field
    is set once, by ``__init__``, and never again (``FrozenInstanceError``, as a frozen
    dataclass raises); mypy, reading ``dataclass_transform``, refuses the assignment too.
    """

    def make(kind: Any) -> Any:
        made: Any = dataclass(kind, kw_only=kw_only, eq=False, repr=False)
        declared = fields(made)
        if any(not each.compare or not each.repr or each.hash is not None for each in declared):
            raise TypeError(f"{kind.__name__}: a record's fields all take part in ==, hash, repr")
        names = tuple(each.name for each in declared)
        made.__eq__, made.__hash__, made.__repr__ = _equality(names)
        made.__setattr__, made.__delattr__ = _immutability(frozenset(names))
        return made

    return make if kind is None else make(kind)


def _equality(names: tuple[str, ...]) -> tuple[Callable[..., Any], ...]:
    """``__eq__``, ``__hash__`` and ``__repr__`` over these fields, as ``dataclass`` writes them."""

    def values(self: object) -> tuple[Any, ...]:
        return tuple([getattr(self, name) for name in names])

    def equal(self: object, other: object) -> bool:
        return (
            values(self) == values(other) if other.__class__ is self.__class__ else NotImplemented
        )

    def hashed(self: object) -> int:
        return hash(values(self))

    def shown(self: object) -> str:
        pairs = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{type(self).__qualname__}({pairs})"

    return equal, hashed, shown


def _immutability(names: frozenset[str]) -> tuple[Callable[..., Any], ...]:
    """``__setattr__`` that sets each field once (in ``__init__``) and ``__delattr__`` never."""

    def set_once(self: object, name: str, value: object) -> None:
        if name not in names or name in self.__dict__:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        object.__setattr__(self, name, value)

    def never(self: object, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    return set_once, never


class StrEnum(str, enum.Enum):
    """An enum whose members are their string values (``enum.StrEnum`` before 3.11)."""

    def __str__(self) -> str:
        return str(self.value)


class HasId(Protocol):
    """Anything with an id."""

    @property
    def id(self) -> str:  # noqa: D102 - the protocol's one member
        ...


Item = TypeVar("Item", bound=HasId)


def first_with_id(items: Iterable[Item], item_id: str) -> Item | None:
    """The first item with this id, if any."""
    return next((item for item in items if item.id == item_id), None)


def by_id(items: Iterable[Item]) -> dict[str, Item]:
    """Each id with its first item (the one `first_with_id` finds): lookups in constant time."""
    index: dict[str, Item] = {}
    for item in items:
        index.setdefault(item.id, item)
    return index
