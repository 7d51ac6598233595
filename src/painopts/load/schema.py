"""The knowledge file's schema: plain data to a KnowledgeBase through pydantic, or problems.

The only module of painopts that speaks to pydantic (besides the schema hook in `model.spec`):
its errors become problems with stable codes (PO201-PO204), and its JSON Schema the published
`data/treatments.schema.json`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from painopts.codes import problem
from painopts.model import KnowledgeBase, Loc, Problem

if TYPE_CHECKING:
    from pydantic import TypeAdapter, ValidationError


def schema_checked(data: object) -> KnowledgeBase | list[Problem]:
    """The knowledge base in plain data, or its schema problems (unlocated)."""
    from pydantic import ValidationError

    try:
        return validate_data(data)
    except ValidationError as error:
        return schema_problems(error)


def validate_data(data: object) -> KnowledgeBase:
    """The knowledge base in plain data (as parsed from YAML), or pydantic's ValidationError."""
    return _validator().validate_python(data)


@functools.cache
def _validator() -> TypeAdapter[KnowledgeBase]:
    from pydantic import TypeAdapter

    return TypeAdapter(KnowledgeBase)


def json_schema() -> dict[str, Any]:
    """The knowledge file's JSON Schema, in draft-07 form for editors."""
    schema = _validator().json_schema(ref_template="#/definitions/{model}", by_alias=True)
    definitions = schema.pop("$defs", {})
    _describe_records({"KnowledgeBase": schema, **definitions})
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        **schema,
        "definitions": definitions,
    }


def _describe_records(definitions: dict[str, Any]) -> None:
    """Each record's docstring as its description, as newer pydantic writes it (2.13+).

    Older pydantic leaves dataclass records undescribed; the published schema must not depend
    on the pydantic version that generated it.
    """
    import inspect

    import painopts.model

    for name, definition in definitions.items():
        record = getattr(painopts.model, name, None)
        if record is not None and record.__doc__ and "description" not in definition:
            definition["description"] = inspect.cleandoc(record.__doc__)


def schema_problems(error: ValidationError) -> list[Problem]:
    """One problem per pydantic error, with a stable code.

    A list whose items failed is also reported by pydantic as too short; that echo is dropped.
    """
    details = error.errors(include_url=False)
    echoes = _prefixes(tuple(detail["loc"][:-1]) for detail in details if detail["loc"])
    return [
        _schema_problem(detail)
        for detail in details
        if not (detail["type"] == "too_short" and tuple(detail["loc"]) in echoes)
    ]


def _prefixes(locs: Iterable[Loc]) -> set[Loc]:
    return {loc[:end] for loc in locs for end in range(len(loc) + 1)}


_TYPE_ERRORS = ("_type", "dict_type", "model_type", "tuple_type", "is_instance_of")


def _schema_problem(detail: Any) -> Problem:
    kind, loc = detail["type"], tuple(detail["loc"])
    if kind in {"extra_forbidden", "unexpected_keyword_argument"}:
        code, message = "PO201", f"unknown key '{loc[-1]}'"
    elif kind in {"missing", "missing_keyword_only_argument"}:
        code, message = "PO202", f"missing required key '{loc[-1]}'"
    elif kind.endswith(_TYPE_ERRORS):
        code, message = "PO203", f"wrong type: {_describe_input(detail)}"
    else:
        code, message = "PO204", f"invalid value: {_said(detail)}"
    return problem(code, message, _clean_loc(loc))


def _said(detail: Any) -> str:
    """Pydantic's message in the file's words: a list, not the model's tuple."""
    words: str = detail["msg"].removeprefix("Value error, ")
    return words.replace("Tuple", "List").replace("tuple", "list")


def _describe_input(detail: Any) -> str:
    found = type(detail.get("input")).__name__
    words = {"NoneType": "nothing", "str": "text", "int": "a number", "float": "a number"}
    words |= {"bool": "true/false", "dict": "a mapping", "list": "a list"}
    hint = " (quote it to make it text)" if found in ("int", "float", "bool") else ""
    return f"{_said(detail)}, found {words.get(found, found)}{hint}"


_SCHEMA_TAG = re.compile(
    r"(function-(before|after|wrap|plain)|union|tagged-union|json-or-python|lax-or-strict"
    r"|chain|nullable|constrained-[a-z]+)\[.*\]\Z"
)
"""How pydantic names a wrapper in an error location, e.g. ``function-before[...]``."""


def _clean_loc(loc: Loc) -> Loc:
    return tuple(part for part in loc if isinstance(part, int) or not _SCHEMA_TAG.match(part))
