"""Quantified effects of treatments as a neutral section: one table per outcome definition.

Figures measured on different outcomes (50% relief, a mean difference on a 0-10 scale,
withdrawal for adverse effects...) are never put in one column: each outcome gets its own table,
so a reader can compare only like with like.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from painopts.model import (
    Certainty,
    Effect,
    EffectBasis,
    EffectMetric,
    Grade,
    KnowledgeBase,
    Treatment,
    as_data,
)
from painopts.views.document import Cell, Section, Table

HEADING = "Quantified effects"
COLUMNS = ("Treatment", "Figure (95% CI)", "Population", "Comparator; time point", "Certainty")
NOTES = (
    "Each table is one outcome as its source defined it; figures under different outcomes "
    "measure different things and must not be set against each other.",
    "Each figure is against its own study's comparator: none is a head-to-head comparison "
    "between the treatments shown unless the comparator says so.",
    "NNT: number needed to treat for one more person to benefit (lower is better). NNH: number "
    "needed to treat for one more person to be harmed (higher is better). MD: mean difference; "
    "SMD: standardised mean difference; RR: risk ratio; RD: risk difference. 'derived' marks "
    "this file's arithmetic from reported figures.",
)


def effects_sections(
    kb: KnowledgeBase, treatments: Sequence[Treatment], condition_id: str | None = None
) -> tuple[Section, ...]:
    """One section per outcome definition with the effects of these treatments (none if none).

    With ``condition_id``, only the effects for that condition.
    """
    chosen = {treatment.id: treatment for treatment in treatments}
    outcomes: dict[str, list[Effect]] = {}
    for effect in kb.effects:
        if effect.treatment in chosen and condition_id in (None, effect.condition):
            outcomes.setdefault(outcome_key(effect), []).append(effect)
    return tuple(
        Section(
            f"{HEADING}: {key}",
            tables=(
                Table(
                    f"Outcome: {key}",
                    COLUMNS,
                    tuple(_row(effect, chosen[effect.treatment]) for effect in effects),
                ),
            ),
            notes=NOTES if position == 0 else (),
        )
        for position, (key, effects) in enumerate(outcomes.items())
    )


def outcome_key(effect: Effect) -> str:
    """The outcome as defined, with its scale: effects share a table only if this is equal."""
    return f"{effect.outcome} ({effect.scale})" if effect.scale else effect.outcome


def figure(effect: Effect) -> str:
    """The figure as text: metric, estimate and CI, or an explicit 'no figure'."""
    if effect.basis is EffectBasis.NO_FIGURE or effect.estimate is None:
        return f"{effect.metric}: no figure reported"
    if effect.metric is EffectMetric.PERCENTAGES:
        text = f"{effect.estimate:g}%"
        if effect.comparator_estimate is not None:
            text += f" vs {effect.comparator_estimate:g}%"
    else:
        text = f"{effect.metric} {number(effect.estimate)}"
    if effect.ci_low is not None and effect.ci_high is not None:
        text += f" ({number(effect.ci_low)} to {number(effect.ci_high)})"
    if effect.basis is EffectBasis.DERIVED:
        text += ", derived"
    return text


def number(value: float) -> str:
    """A figure with at least one and at most two decimals: 3.0, -15.79, 230.0."""
    text = f"{value:.2f}"
    return text[:-1] if text.endswith("0") else text


def _row(effect: Effect, treatment: Treatment) -> tuple[Cell, ...]:
    name = treatment.name + (f": {effect.intervention}" if effect.intervention else "")
    population = effect.population
    counts = []
    if effect.trials:
        counts.append(f"{effect.trials} trial" + ("s" if effect.trials != 1 else ""))
    if effect.participants:
        counts.append(f"{effect.participants:,} participants")
    if counts:
        population += f" ({', '.join(counts)})"
    return (
        Cell(name),
        Cell(
            figure(effect),
            cites=effect.sources,
            special=effect.basis is EffectBasis.NO_FIGURE,
        ),
        Cell(population),
        Cell(f"{effect.comparator}; {effect.time_point}"),
        _certainty(effect.certainty),
    )


def _certainty(grade: Grade) -> Cell:
    if grade is Grade.NOT_GRADED:
        return Cell("not graded", special=True)
    return Cell("GRADE", certainty=Certainty(grade.value))


def effects_data(
    kb: KnowledgeBase, treatments: Sequence[Treatment], condition_id: str | None = None
) -> dict[str, Any]:
    """The effects of these treatments (for the condition, if given), keyed by effect id."""
    chosen = {treatment.id for treatment in treatments}
    return {
        effect.id: as_data(effect, exclude=frozenset({"id"}))
        for effect in kb.effects
        if effect.treatment in chosen and condition_id in (None, effect.condition)
    }
