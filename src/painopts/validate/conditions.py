"""Conditions and guideline positions, and the scale of a mean difference."""

from __future__ import annotations

from collections.abc import Iterator

from painopts.codes import problem
from painopts.model import (
    SCALED,
    EffectBasis,
    KnowledgeBase,
    Loc,
    Problem,
)
from painopts.validate.references import numbered, suggestion


def conditions(kb: KnowledgeBase) -> Iterator[Problem]:
    """Conditions named are defined; a position's guideline is one that covers its condition."""
    known = {condition.id for condition in kb.conditions}
    for loc, condition_id in _condition_references(kb):
        if condition_id not in known:
            message = f"unknown condition '{condition_id}'{suggestion(condition_id, sorted(known))}"
            yield problem("PO331", message, loc)
    yield from _positions(kb)
    for index, condition in enumerate(kb.conditions):
        if condition.part_of and condition.id in kb.broader(condition.part_of):
            message = f"condition '{condition.id}' is part of a loop of broader conditions"
            yield problem("PO335", message, ("conditions", index, "part_of"))
    if kb.conditions:
        for index, effect in enumerate(kb.effects):
            if effect.condition is None:
                message = f"effect '{effect.id}' names no condition"
                yield problem("PO334", message, ("effects", index))


def _positions(kb: KnowledgeBase) -> Iterator[Problem]:
    """A guideline never speaks for a condition it does not cover."""
    for index, position in enumerate(kb.positions):
        loc: Loc = ("positions", index, "guideline")
        guideline = kb.guideline(position.guideline)
        if guideline is None:
            message = f"'{position.guideline}' is not a guideline (list it under guidelines)"
            yield problem("PO332", message, loc)
        elif position.condition not in guideline.covers:
            message = (
                f"{guideline.name} does not cover '{position.condition}', so it cannot place "
                f"'{position.treatment}' for it (it covers: {', '.join(guideline.covers)})"
            )
            yield problem("PO330", message, loc)


def _condition_references(kb: KnowledgeBase) -> Iterator[tuple[Loc, str]]:
    for index, effect in enumerate(kb.effects):
        if effect.condition is not None:
            yield ("effects", index, "condition"), effect.condition
    for index, guideline in enumerate(kb.guidelines):
        yield from numbered(("guidelines", index, "covers"), guideline.covers)
    for index, position in enumerate(kb.positions):
        yield ("positions", index, "condition"), position.condition
    for index, condition in enumerate(kb.conditions):
        if condition.part_of is not None:
            yield ("conditions", index, "part_of"), condition.part_of


def scaled(kb: KnowledgeBase) -> Iterator[Problem]:
    """A mean difference means nothing without its scale."""
    for index, effect in enumerate(kb.effects):
        if (
            effect.metric in SCALED
            and effect.basis is not EffectBasis.NO_FIGURE
            and not effect.scale
        ):
            message = f"effect '{effect.id}' is an {effect.metric} with no scale"
            yield problem("PO333", message, ("effects", index))
