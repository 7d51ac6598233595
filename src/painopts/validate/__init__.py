"""Rules over a loaded knowledge base: a report of problems with stable codes.

Never prints, never exits. Each problem carries the path of the node it is about; the
loader turns paths into line and column.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from painopts.model import KnowledgeBase, Problem, Severity
from painopts.validate import conditions, effects, ratings, references, values
from painopts.validate.effects import ROUNDING
from painopts.validate.references import SUGGESTED
from painopts.validate.review import overdue, review_policy
from painopts.validate.values import NAMED_MISSING

__all__ = ["NAMED_MISSING", "ROUNDING", "SUGGESTED", "check", "errors", "overdue", "review_policy"]


def check(kb: KnowledgeBase, today: dt.date | None = None) -> list[Problem]:
    """Every rule problem in the knowledge base, unlocated, in rule order.

    ``today`` is the date the review policy is judged against (the real date by default).
    """
    problems = [found for rule in _RULES for found in rule(kb)]
    problems.extend(review_policy(kb, today or dt.date.today()))
    return problems


def errors(kb: KnowledgeBase) -> list[Problem]:
    """The problems that make a knowledge file unusable for display (warnings do not).

    The rules that find only warnings are not run: display commands ask for this on every miss.
    """
    return [
        found
        for rule in _RULES
        if rule not in _WARNINGS_ONLY
        for found in rule(kb)
        if found.severity is Severity.ERROR
    ]


_RULES: tuple[Callable[[KnowledgeBase], Iterable[Problem]], ...] = (
    references.duplicate_ids,
    references.references,
    references.uncited,
    references.unsourced,
    values.scales,
    values.off_scale,
    values.missing_values,
    values.names,
    effects.effects,
    conditions.conditions,
    conditions.scaled,
    ratings.ratings,
)
"""Every rule but the review policy (which depends on the day), in the order they report."""

_WARNINGS_ONLY = frozenset(
    {references.uncited, references.unsourced, values.missing_values, values.names}
)
"""Rules that find only warnings (a test checks it over every broken fixture)."""
