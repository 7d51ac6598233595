"""Rules over a loaded knowledge base: a report of problems with stable codes.

Never prints, never exits. Each problem carries the path of the node it is about; the
loader turns paths into line and column.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections import Counter
from collections.abc import Callable, Iterable, Iterator

from painopts.codes import problem
from painopts.model import (
    MINIMUM_ATTRIBUTES,
    NOT_APPLICABLE,
    SCALED,
    SPECIAL_VALUES,
    VOCABULARY,
    ArticleRating,
    AttributeKind,
    Effect,
    EffectBasis,
    EffectMetric,
    Instrument,
    KnowledgeBase,
    Loc,
    Problem,
    Severity,
    fold_name,
)


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


def _duplicate_ids(kb: KnowledgeBase) -> Iterator[Problem]:
    for section in (
        "attributes",
        "treatments",
        "effects",
        "conditions",
        "guidelines",
        "sources",
        "articles",
        "claims",
        "instruments",
    ):
        seen: set[str] = set()
        for index, item in enumerate(getattr(kb, section)):
            if item.id in seen:
                yield problem("PO301", f"duplicate id '{item.id}'", (section, index, "id"))
            seen.add(item.id)


def _references(kb: KnowledgeBase) -> Iterator[Problem]:
    sources = {source.id for source in kb.sources}
    for loc, source_id in _citations(kb):
        if source_id not in sources:
            yield problem("PO302", f"unknown source '{source_id}'", loc)
    yield from _claim_references(kb)
    attributes = {attribute.id for attribute in kb.attributes}
    suggested: dict[str, str] = {}
    for index, treatment in enumerate(kb.treatments):
        for attribute_id in sorted(key for key in treatment.attributes if key not in attributes):
            if attribute_id not in suggested and len(suggested) < SUGGESTED:
                suggested[attribute_id] = _suggestion(attribute_id, sorted(attributes))
            message = f"unknown attribute '{attribute_id}'{suggested.get(attribute_id, '')}"
            yield problem("PO304", message, ("treatments", index, "attributes", attribute_id))


SUGGESTED = 100
"""How many unknown attribute ids get a 'did you mean' (each is compared with every attribute)."""


def _suggestion(name: str, known: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def _claim_references(kb: KnowledgeBase) -> Iterator[Problem]:
    treatments = {treatment.id for treatment in kb.treatments}
    for loc, treatment_id in _treatment_references(kb):
        if treatment_id not in treatments:
            yield problem("PO303", f"unknown treatment '{treatment_id}'", loc)
    attributes = {attribute.id for attribute in kb.attributes}
    articles = {article.id for article in kb.articles}
    for index, claim in enumerate(kb.claims):
        loc = ("claims", index)
        if claim.attribute is not None and claim.attribute not in attributes:
            yield problem("PO304", f"unknown attribute '{claim.attribute}'", (*loc, "attribute"))
        if claim.article not in articles:
            yield problem("PO305", f"unknown article '{claim.article}'", (*loc, "article"))


def _treatment_references(kb: KnowledgeBase) -> Iterator[tuple[Loc, str]]:
    """Every place that names a treatment by id."""
    for index, claim in enumerate(kb.claims):
        yield from _numbered(("claims", index, "treatments"), claim.treatments)
    for index, effect in enumerate(kb.effects):
        yield ("effects", index, "treatment"), effect.treatment
    for index, record in enumerate(kb.comparisons):
        yield from _numbered(("comparisons", index, "treatments"), record.treatments)
    for index, position in enumerate(kb.positions):
        yield ("positions", index, "treatment"), position.treatment


_CITING = ("claims", "effects", "comparisons", "instruments", "conditions", "positions")
"""Sections whose items carry a list of source ids in ``sources``."""


def _citations(kb: KnowledgeBase) -> Iterator[tuple[Loc, str]]:
    for index, treatment in enumerate(kb.treatments):
        for attribute_id, value in treatment.attributes.items():
            loc = ("treatments", index, "attributes", attribute_id, "sources")
            yield from _numbered(loc, value.sources)
    for section in _CITING:
        for index, item in enumerate(getattr(kb, section)):
            yield from _numbered((section, index, "sources"), item.sources)
    for index, rated in enumerate(kb.ratings):
        for position, item in enumerate(rated.criteria):
            yield from _numbered(("ratings", index, "criteria", position, "sources"), item.sources)
    for index, guideline in enumerate(kb.guidelines):
        yield ("guidelines", index, "source"), guideline.source


def _numbered(loc: Loc, ids: Iterable[str]) -> Iterator[tuple[Loc, str]]:
    for position, item_id in enumerate(ids):
        yield (*loc, position), item_id


def _uncited(kb: KnowledgeBase) -> Iterator[Problem]:
    cited = {source_id for _, source_id in _citations(kb)}
    for index, source in enumerate(kb.sources):
        if source.id not in cited:
            yield problem("PO306", f"source '{source.id}' is cited by nothing", ("sources", index))


_MUST_CITE = {"claims": "PO308", "effects": "PO322", "comparisons": "PO326"}
"""Sections whose every item must cite a source, with the code of the problem when one does not."""


def _unsourced(kb: KnowledgeBase) -> Iterator[Problem]:
    for index, treatment in enumerate(kb.treatments):
        for attribute_id, value in treatment.attributes.items():
            if value.assessed and not value.sources:
                loc = ("treatments", index, "attributes", attribute_id)
                yield problem("PO307", f"'{treatment.id}' {attribute_id} cites no source", loc)
    for section, code in _MUST_CITE.items():
        for index, item in enumerate(getattr(kb, section)):
            if not item.sources:
                name = getattr(item, "id", None) or " and ".join(item.treatments)
                message = f"{section[:-1]} '{name}' cites no source"
                yield problem(code, message, (section, index))


def _scales(kb: KnowledgeBase) -> Iterator[Problem]:
    for index, attribute in enumerate(kb.attributes):
        if attribute.kind is AttributeKind.LEVEL and not attribute.levels:
            message = f"level attribute '{attribute.id}' lists no levels"
            yield problem("PO313", message, ("attributes", index))
        if attribute.measures is not None:
            vocabulary = VOCABULARY[attribute.measures]
            for position, level in enumerate(attribute.levels):
                if level not in vocabulary:
                    message = (
                        f"'{level}' is not a {attribute.measures} level "
                        f"(one of: {', '.join(vocabulary)})"
                    )
                    yield problem("PO323", message, ("attributes", index, "levels", position))
    defined = {attribute.id for attribute in kb.attributes}
    for attribute_id in MINIMUM_ATTRIBUTES:
        if attribute_id not in defined:
            yield problem("PO312", f"attribute '{attribute_id}' is not defined", ("attributes",))


def _off_scale(kb: KnowledgeBase) -> Iterator[Problem]:
    """Values that are not on their attribute's levels (only the values there are are read)."""
    levels = {a.id: (*a.levels, *SPECIAL_VALUES) for a in kb.attributes if a.levels}
    for index, treatment in enumerate(kb.treatments):
        for attribute_id, value in treatment.attributes.items():
            allowed = levels.get(attribute_id)
            if allowed is not None and value.value not in allowed:
                message = f"'{value.value}' is not one of: {', '.join(allowed)}"
                loc = ("treatments", index, "attributes", attribute_id, "value")
                yield problem("PO309", message, loc)


NAMED_MISSING = 3
"""How many missing attributes (PO310) or unrated criteria (PO314) a problem names; the others
are counted."""


def _listed(names: Iterable[str], count: int, noun: str = "") -> str:
    """``'a'``, ``'a' and 'b'``, or ``'a', 'b', 'c' and 5 more`` (then the noun, if any).

    The first few of ``count`` names: only those are read from ``names``.
    """
    named = [f"'{name}'" for name in itertools.islice(names, NAMED_MISSING)]
    if count > len(named):
        return " ".join([f"{', '.join(named)} and {count - len(named):,} more", noun]).strip()
    return " and ".join([", ".join(named[:-1]), named[-1]]) if len(named) > 1 else named[0]


def _missing_values(kb: KnowledgeBase) -> Iterator[Problem]:
    """One problem per treatment that lacks values: a few attributes named, the rest counted.

    The work grows with the values there are, not with treatments x attributes.
    """
    defined = {attribute.id for attribute in kb.attributes}
    for index, treatment in enumerate(kb.treatments):
        count = len(defined) - sum(1 for key in treatment.attributes if key in defined)
        if not count:
            continue
        missing = (a.id for a in kb.attributes if a.id not in treatment.attributes)
        listed = _listed(missing, count, "attributes")
        message = f"'{treatment.id}' has no value for {listed} (say 'not assessed')"
        yield problem("PO310", message, ("treatments", index, "attributes"))


def _names(kb: KnowledgeBase) -> Iterator[Problem]:
    owners: Counter[str] = Counter()
    for treatment in kb.treatments:
        owners.update(
            {fold_name(name) for name in (treatment.id, treatment.name, *treatment.aliases)}
        )
    for index, treatment in enumerate(kb.treatments):
        for position, alias in enumerate(treatment.aliases):
            if owners[fold_name(alias)] > 1:
                message = f"'{alias}' names more than one treatment"
                yield problem("PO311", message, ("treatments", index, "aliases", position))
    for index, entry in enumerate(kb.not_covered):
        named: list[tuple[str, Loc]] = [(entry.name, ("not_covered", index, "name"))]
        named += [
            (alias, ("not_covered", index, "aliases", position))
            for position, alias in enumerate(entry.aliases)
        ]
        for name, loc in named:
            if owners[fold_name(name)]:
                message = f"'{name}' is listed as not covered but names a treatment"
                yield problem("PO336", message, loc)


def _ratings(kb: KnowledgeBase) -> Iterator[Problem]:
    """Article ratings: known ids, every criterion rated once, on the scale, with support."""
    yield from _criterion_ids(kb)
    articles = {article.id for article in kb.articles}
    claims = {claim.id for claim in kb.claims}
    instruments: dict[str, tuple[Instrument, set[str]]] = {}
    for instrument in kb.instruments:
        criteria = {criterion.id for criterion in instrument.criteria}
        instruments.setdefault(instrument.id, (instrument, criteria))
    for index, rated in enumerate(kb.ratings):
        loc: Loc = ("ratings", index)
        if rated.article not in articles:
            yield problem("PO305", f"unknown article '{rated.article}'", (*loc, "article"))
        known = instruments.get(rated.instrument)
        if known is None:
            message = f"unknown instrument '{rated.instrument}'"
            yield problem("PO316", message, (*loc, "instrument"))
        else:
            yield from _rated_criteria(*known, rated, loc)
        yield from _rating_support(claims, rated, loc)


def _criterion_ids(kb: KnowledgeBase) -> Iterator[Problem]:
    for index, instrument in enumerate(kb.instruments):
        seen: set[str] = set()
        for position, criterion in enumerate(instrument.criteria):
            if criterion.id in seen:
                message = f"duplicate criterion id '{criterion.id}'"
                yield problem("PO301", message, ("instruments", index, "criteria", position, "id"))
            seen.add(criterion.id)


def _rating_support(claims: set[str], rated: ArticleRating, loc: Loc) -> Iterator[Problem]:
    for position, item in enumerate(rated.criteria):
        item_loc = (*loc, "criteria", position)
        if not item.sources and not item.claims:
            message = f"rating of '{item.criterion}' cites no source and no claim"
            yield problem("PO315", message, item_loc)
        for number, claim_id in enumerate(item.claims):
            if claim_id not in claims:
                yield problem("PO318", f"unknown claim '{claim_id}'", (*item_loc, "claims", number))


def _rated_criteria(
    instrument: Instrument, criteria: set[str], rated: ArticleRating, loc: Loc
) -> Iterator[Problem]:
    """The rated criteria against the instrument's; one PO314 names those left unrated."""
    allowed = [level.value for level in instrument.scale]
    if instrument.not_applicable:
        allowed.append(NOT_APPLICABLE)
    seen: set[str] = set()
    for position, item in enumerate(rated.criteria):
        item_loc = (*loc, "criteria", position)
        if item.criterion not in criteria:
            message = f"'{instrument.id}' has no criterion '{item.criterion}'"
            yield problem("PO317", message, (*item_loc, "criterion"))
        elif item.criterion in seen:
            message = f"criterion '{item.criterion}' is rated twice"
            yield problem("PO301", message, (*item_loc, "criterion"))
        seen.add(item.criterion)
        if item.rating not in allowed:
            message = f"'{item.rating}' is not one of: {', '.join(allowed)}"
            yield problem("PO319", message, (*item_loc, "rating"))
    count = len(criteria) - len(criteria & seen)
    if count:
        unrated = (c.id for c in instrument.criteria if c.id not in seen)
        noun = "criterion" if count == 1 else "criteria"
        listed = _listed(unrated, count)
        message = f"'{rated.article}' is not rated on '{instrument.id}' {noun} {listed}"
        yield problem("PO314", message, (*loc, "criteria"))


_FIGURES = ("estimate", "ci_low", "ci_high", "comparator_estimate")


def _effects(kb: KnowledgeBase) -> Iterator[Problem]:
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


def _conditions(kb: KnowledgeBase) -> Iterator[Problem]:
    """Conditions named are defined; a position's guideline is one that covers its condition."""
    known = {condition.id for condition in kb.conditions}
    for loc, condition_id in _condition_references(kb):
        if condition_id not in known:
            message = (
                f"unknown condition '{condition_id}'{_suggestion(condition_id, sorted(known))}"
            )
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
        yield from _numbered(("guidelines", index, "covers"), guideline.covers)
    for index, position in enumerate(kb.positions):
        yield ("positions", index, "condition"), position.condition
    for index, condition in enumerate(kb.conditions):
        if condition.part_of is not None:
            yield ("conditions", index, "part_of"), condition.part_of


def _scaled(kb: KnowledgeBase) -> Iterator[Problem]:
    """A mean difference means nothing without its scale."""
    for index, effect in enumerate(kb.effects):
        if (
            effect.metric in SCALED
            and effect.basis is not EffectBasis.NO_FIGURE
            and not effect.scale
        ):
            message = f"effect '{effect.id}' is an {effect.metric} with no scale"
            yield problem("PO333", message, ("effects", index))


def overdue(kb: KnowledgeBase, today: dt.date) -> Iterator[Problem]:
    """The overdue review, if the file declares a review interval and ``today`` is past it.

    Display commands show this as a warning on every run (it depends on the day, so it is never
    cached).
    """
    interval = kb.meta.review_interval_days
    if interval is None:
        return
    try:
        due = kb.meta.last_reviewed + dt.timedelta(days=interval)
    except OverflowError:  # a review date near the end of the calendar: never due
        return
    if today > due:
        message = (
            f"last reviewed {kb.meta.last_reviewed.isoformat()}, more than {interval} days "
            f"before {today.isoformat()}; the review was due {due.isoformat()}"
        )
        yield problem("PO324", message, ("meta", "last_reviewed"))


def review_policy(kb: KnowledgeBase, today: dt.date) -> Iterator[Problem]:
    """Problems with the review policy, judged on ``today``: an overdue review, unchecked sources.

    Applies only to a file that declares ``meta.review_interval_days``.
    """
    if kb.meta.review_interval_days is None:
        return
    yield from overdue(kb, today)
    for index, source in enumerate(kb.sources):
        if source.checked is None:
            message = f"source '{source.id}' does not say when it was last checked"
            yield problem("PO325", message, ("sources", index))


_RULES: tuple[Callable[[KnowledgeBase], Iterable[Problem]], ...] = (
    _duplicate_ids,
    _references,
    _uncited,
    _unsourced,
    _scales,
    _off_scale,
    _missing_values,
    _names,
    _effects,
    _conditions,
    _scaled,
    _ratings,
)
"""Every rule but the review policy (which depends on the day), in the order they report."""

_WARNINGS_ONLY = frozenset({_uncited, _unsourced, _missing_values, _names})
"""Rules that find only warnings (a test checks it over every broken fixture)."""
