"""Effects: figures that are finite, fit their basis, their interval and their counts."""

from __future__ import annotations

import math
from collections.abc import Iterator

from painopts.codes import problem
from painopts.model import (
    Effect,
    EffectBasis,
    EffectMetric,
    KnowledgeBase,
    Loc,
    Problem,
)

_FIGURES = ("estimate", "ci_low", "ci_high", "comparator_estimate")


def effects(kb: KnowledgeBase) -> Iterator[Problem]:
    """Effect figures not finite (PO327) or at odds with their basis, interval or counts.

    Codes PO321, PO320 and PO337.
    """
    for index, effect in enumerate(kb.effects):
        loc: Loc = ("effects", index)
        infinite = list(_non_finite(effect, loc))
        if infinite:
            yield from infinite
        elif effect.basis is EffectBasis.NO_FIGURE:
            yield from _no_figure(effect, loc)
        elif effect.estimate is None:
            message = f"effect '{effect.id}' is {effect.basis} but gives no estimate"
            yield problem("PO321", message, loc)
        else:
            yield from _figures(effect, effect.estimate, loc)
            yield from _counted(effect, effect.estimate, loc)


def _non_finite(effect: Effect, loc: Loc) -> Iterator[Problem]:
    """Figures too large for a float (``1e999`` reads as infinity): no format can show them."""
    for name in _FIGURES:
        figure = getattr(effect, name)
        if figure is not None and not math.isfinite(figure):
            message = f"effect '{effect.id}': {name} is not a finite number"
            yield problem("PO327", message, (*loc, name))


def _no_figure(effect: Effect, loc: Loc) -> Iterator[Problem]:
    for name in _FIGURES:
        if getattr(effect, name) is not None:
            message = f"effect '{effect.id}' says no figure exists but gives {name}"
            yield problem("PO321", message, (*loc, name))


def _figures(effect: Effect, estimate: float, loc: Loc) -> Iterator[Problem]:
    if effect.comparator_estimate is not None and effect.metric is not EffectMetric.PERCENTAGES:
        message = f"effect '{effect.id}': comparator_estimate goes only with percentages"
        yield problem("PO321", message, (*loc, "comparator_estimate"))
    low, high = effect.ci_low, effect.ci_high
    if (low is None) != (high is None):
        message = f"effect '{effect.id}' gives only one end of its confidence interval"
        yield problem("PO320", message, loc)
    elif low is not None and high is not None and not low <= estimate <= high:
        message = (
            f"effect '{effect.id}': estimate {estimate:g} lies outside its "
            f"confidence interval {low:g} to {high:g}"
        )
        yield problem("PO320", message, (*loc, "estimate"))


ROUNDING = 0.05 + 1e-9
"""Figures are given to one decimal: a derived one may differ from its counts by half of that."""


def _counted(effect: Effect, estimate: float, loc: Loc) -> Iterator[Problem]:
    """A figure derived from counts is the one the counts give (PO337)."""
    for prefix in ("", "comparator_"):
        events, total = getattr(effect, f"{prefix}events"), getattr(effect, f"{prefix}total")
        if events is not None and total is not None and events > total:
            message = f"effect '{effect.id}': {prefix}events {events} exceed {prefix}total {total}"
            yield problem("PO337", message, (*loc, f"{prefix}events"))
    for name, given, computed in _from_counts(effect, estimate):
        if abs(given - computed) > ROUNDING:
            message = (
                f"effect '{effect.id}': {name} {given:g} is not what its counts give "
                f"({computed:.1f})"
            )
            yield problem("PO337", message, (*loc, name))


def _from_counts(effect: Effect, estimate: float) -> Iterator[tuple[str, float, float]]:
    """(field, figure given, figure its counts give) for each figure the counts decide."""
    mine = _share(effect.events, effect.total)
    theirs = _share(effect.comparator_events, effect.comparator_total)
    if effect.metric is EffectMetric.PERCENTAGES:
        if mine is not None:
            yield "estimate", estimate, 100 * mine
        if theirs is not None and effect.comparator_estimate is not None:
            yield "comparator_estimate", effect.comparator_estimate, 100 * theirs
    elif effect.metric in (EffectMetric.NNT, EffectMetric.NNH) and None not in (mine, theirs):
        difference = abs((mine or 0.0) - (theirs or 0.0))
        yield "estimate", estimate, 1 / difference if difference else math.inf


def _share(events: int | None, total: int | None) -> float | None:
    """The share of people with the outcome, or None where the counts do not give one."""
    if events is None or total is None or events > total:
        return None
    return events / total
