"""Finding treatments and attributes by the names people type, and domain objects as data."""

import dataclasses
import datetime as dt
import enum
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from painopts.model.base import KnowledgeBase
from painopts.model.conditions import Condition
from painopts.model.records import Attribute, NotCovered, Treatment
from painopts.model.spec import Item, file_name


class UnknownNameError(LookupError):
    """A name on the command line matches nothing in the knowledge file."""

    def __init__(self, kind: str, name: str, suggestions: Sequence[str], listing: str = "") -> None:
        hint = f" (did you mean {', '.join(suggestions)}?)" if suggestions else ""
        if kind == "treatment":
            listing = "; 'painopts list' shows them all"
        super().__init__(f"unknown {kind} '{name}'{hint}{listing}")
        self.kind = kind
        self.name = name
        self.suggestions = tuple(suggestions)


class NotCoveredError(UnknownNameError):
    """A name the knowledge file deliberately leaves out (its `not_covered` list), not a typo."""

    def __init__(self, name: str, entry: NotCovered) -> None:
        super().__init__("treatment", name, ())
        shown = name if fold_name(name) == fold_name(entry.name) else f"{name} ({entry.name})"
        self.args = (
            f"painopts does not cover {shown} yet; 'painopts list' shows the treatments it covers",
        )
        self.entry = entry


class SelectionError(ValueError):
    """What was asked for on the command line cannot be shown (e.g. one treatment to compare)."""


def fold_name(text: str) -> str:
    """A name as lookups compare it: any case, and '-', '_' and spaces alike."""
    return " ".join(text.casefold().replace("_", " ").replace("-", " ").split())


SIMILAR = 0.75
"""How alike a typed name and a known one must be to be suggested (difflib's ratio): a typo of
'ketamine' is, while 'THC' and 'tca' or 'CBD' and 'CBT' are not."""


def _resolve(
    items: Sequence[Item], names: Callable[[Item], Iterable[str]], kind: str, name: str
) -> Item:
    exact = next((item for item in items if item.id == name), None)
    if exact is not None:  # the usual case, and cheap on a large file
        return exact
    index: dict[str, Item] = {}
    for item in items:
        for known in names(item):
            index.setdefault(fold_name(known), item)
    found = index.get(fold_name(name))
    if found is not None:
        return found
    import difflib

    close = difflib.get_close_matches(fold_name(name), list(index), n=3, cutoff=SIMILAR)
    suggestions = list(dict.fromkeys(index[match].id for match in close))
    raise UnknownNameError(kind, name, suggestions)


def resolve_treatment(kb: KnowledgeBase, name: str) -> Treatment:
    """The treatment called ``name`` (id, name or alias, any case), or UnknownNameError."""
    exact = kb.treatment(name)  # the usual case: cheap, even on a large cached file
    if exact is not None:
        return exact
    try:
        return _resolve(kb.treatments, lambda t: (t.id, t.name, *t.aliases), "treatment", name)
    except UnknownNameError:
        left_out = not_covered(kb, name)
        if left_out is None:
            raise
        raise NotCoveredError(name, left_out) from None


def not_covered(kb: KnowledgeBase, name: str) -> NotCovered | None:
    """The entry of the file's `not_covered` list called ``name`` (name or alias, any case)."""
    wanted = fold_name(name)
    return next(
        (
            entry
            for entry in kb.not_covered
            if wanted in {fold_name(known) for known in (entry.name, *entry.aliases)}
        ),
        None,
    )


def resolve_attribute(kb: KnowledgeBase, name: str) -> Attribute:
    """The attribute called ``name`` (id or label, any case), or UnknownNameError."""
    return _resolve(kb.attributes, lambda a: (a.id, a.label), "attribute", name)


def resolve_condition(kb: KnowledgeBase, name: str) -> Condition:
    """The condition called ``name`` (id, name or alias, any case), or UnknownNameError."""
    known = ", ".join(condition.id for condition in kb.conditions)
    listing = f"; known: {known}" if known else "; this knowledge file defines no conditions"
    try:
        return _resolve(kb.conditions, lambda c: (c.id, c.name, *c.aliases), "condition", name)
    except UnknownNameError as error:
        raise UnknownNameError("condition", name, error.suggestions, listing) from None


def counted(number: int, noun: str) -> str:
    """'1 claim', '2 claims': a count with its noun in the right number."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def as_data(item: object, exclude: frozenset[str] = frozenset()) -> dict[str, Any]:
    """A domain object as JSON-ready data: every field, under its name in the knowledge file."""
    return {
        file_name(each.name): _plain(getattr(item, each.name))
        for each in dataclasses.fields(item)  # type: ignore[arg-type]
        if each.name not in exclude
    }


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, (str, int, float)) or value is None:
        return value
    if dataclasses.is_dataclass(value):
        return as_data(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (tuple, list)):
        return [_plain(item) for item in value]
    return value
