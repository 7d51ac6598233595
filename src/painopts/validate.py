"""Rules over a loaded knowledge base: a report of problems with stable codes.

Never prints, never exits. Each problem carries the path of the node it is about; the
loader turns paths into line and column.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator

from painopts.model import (
    MINIMUM_ATTRIBUTES,
    SPECIAL_VALUES,
    VOCABULARY,
    AttributeKind,
    Effect,
    EffectBasis,
    EffectMetric,
    KnowledgeBase,
    Loc,
    Problem,
    Severity,
    fold_name,
)

RULES: dict[str, str] = {
    "PO101": "the file cannot be read (missing, a directory, no permission)",
    "PO102": "the file is larger than the size bound",
    "PO103": "the file is not UTF-8 text",
    "PO104": "YAML syntax error",
    "PO105": "duplicate key in a mapping",
    "PO106": "YAML anchors and aliases are not allowed",
    "PO107": "YAML merge keys (<<) are not allowed",
    "PO108": "YAML tags (!!python/..., !custom) are not allowed",
    "PO109": "the file is empty or holds more than one YAML document",
    "PO110": "nesting is deeper than the bound",
    "PO201": "unknown key",
    "PO202": "missing required key",
    "PO203": "wrong type",
    "PO204": "invalid value (not an allowed word, pattern or length)",
    "PO301": "duplicate id",
    "PO302": "reference to an unknown source",
    "PO303": "reference to an unknown treatment",
    "PO304": "reference to an unknown attribute",
    "PO305": "reference to an unknown article",
    "PO306": "source cited by nothing",
    "PO307": "value without a source",
    "PO308": "claim without a source",
    "PO309": "value not on the attribute's scale",
    "PO310": "treatment has no value for an attribute",
    "PO311": "a name or alias that points at two treatments",
    "PO312": "a contract attribute is not defined",
    "PO313": "a level attribute without levels",
    "PO320": "an effect's confidence interval is reversed or does not contain its estimate",
    "PO321": (
        "an effect's figures do not match its basis (a figure is missing, or 'no figure' has one)"
    ),
    "PO322": "effect without a source",
    "PO323": "a level attribute uses a level outside the vocabulary of what it measures",
    "PO324": "the last review is older than meta.review_interval_days allows",
    "PO325": "a source has no 'checked' date although the file declares a review interval",
}
"""Every problem code painopts reports, with what it means. Codes never change meaning."""

_ERROR_CODES = frozenset({"PO309", "PO313", "PO320", "PO321", "PO323"})


def check(kb: KnowledgeBase, today: dt.date | None = None) -> list[Problem]:
    """Every rule problem in the knowledge base, unlocated, in rule order.

    ``today`` is the date the review policy is judged against (the real date by default).
    """
    problems: list[Problem] = []
    for rule in (
        _duplicate_ids,
        _references,
        _uncited,
        _unsourced,
        _scales,
        _values,
        _names,
        _effects,
    ):
        problems.extend(rule(kb))
    problems.extend(review_policy(kb, today or dt.date.today()))
    return problems


def _problem(code: str, message: str, loc: Loc) -> Problem:
    severity = Severity.ERROR if code in _ERROR_CODES else Severity.WARNING
    return Problem(code=code, severity=severity, message=message, loc=loc)


def _duplicate_ids(kb: KnowledgeBase) -> Iterator[Problem]:
    for section in ("attributes", "treatments", "effects", "sources", "articles", "claims"):
        seen: set[str] = set()
        for index, item in enumerate(getattr(kb, section)):
            if item.id in seen:
                yield _problem("PO301", f"duplicate id '{item.id}'", (section, index, "id"))
            seen.add(item.id)


def _references(kb: KnowledgeBase) -> Iterator[Problem]:
    sources = {source.id for source in kb.sources}
    for loc, source_id in _citations(kb):
        if source_id not in sources:
            yield _problem("PO302", f"unknown source '{source_id}'", loc)
    yield from _claim_references(kb)
    attributes = {attribute.id for attribute in kb.attributes}
    for index, treatment in enumerate(kb.treatments):
        for attribute_id in treatment.attributes.keys() - attributes:
            message = f"unknown attribute '{attribute_id}'"
            yield _problem("PO304", message, ("treatments", index, "attributes", attribute_id))


def _claim_references(kb: KnowledgeBase) -> Iterator[Problem]:
    treatments = {treatment.id for treatment in kb.treatments}
    attributes = {attribute.id for attribute in kb.attributes}
    articles = {article.id for article in kb.articles}
    for index, claim in enumerate(kb.claims):
        loc = ("claims", index)
        for position, treatment_id in enumerate(claim.treatments):
            if treatment_id not in treatments:
                message = f"unknown treatment '{treatment_id}'"
                yield _problem("PO303", message, (*loc, "treatments", position))
        if claim.attribute is not None and claim.attribute not in attributes:
            yield _problem("PO304", f"unknown attribute '{claim.attribute}'", (*loc, "attribute"))
        if claim.article not in articles:
            yield _problem("PO305", f"unknown article '{claim.article}'", (*loc, "article"))
    for index, effect in enumerate(kb.effects):
        if effect.treatment not in treatments:
            message = f"unknown treatment '{effect.treatment}'"
            yield _problem("PO303", message, ("effects", index, "treatment"))


def _citations(kb: KnowledgeBase) -> Iterator[tuple[Loc, str]]:
    for index, treatment in enumerate(kb.treatments):
        for attribute_id, value in treatment.attributes.items():
            loc = ("treatments", index, "attributes", attribute_id, "sources")
            yield from _numbered(loc, value.sources)
    for index, claim in enumerate(kb.claims):
        yield from _numbered(("claims", index, "sources"), claim.sources)
    for index, effect in enumerate(kb.effects):
        yield from _numbered(("effects", index, "sources"), effect.sources)


def _numbered(loc: Loc, ids: Iterable[str]) -> Iterator[tuple[Loc, str]]:
    for position, item_id in enumerate(ids):
        yield (*loc, position), item_id


def _uncited(kb: KnowledgeBase) -> Iterator[Problem]:
    cited = {source_id for _, source_id in _citations(kb)}
    for index, source in enumerate(kb.sources):
        if source.id not in cited:
            yield _problem("PO306", f"source '{source.id}' is cited by nothing", ("sources", index))


def _unsourced(kb: KnowledgeBase) -> Iterator[Problem]:
    for index, treatment in enumerate(kb.treatments):
        for attribute_id, value in treatment.attributes.items():
            if value.assessed and not value.sources:
                loc = ("treatments", index, "attributes", attribute_id)
                yield _problem("PO307", f"'{treatment.id}' {attribute_id} cites no source", loc)
    for index, claim in enumerate(kb.claims):
        if not claim.sources:
            yield _problem("PO308", f"claim '{claim.id}' cites no source", ("claims", index))
    for index, effect in enumerate(kb.effects):
        if not effect.sources:
            yield _problem("PO322", f"effect '{effect.id}' cites no source", ("effects", index))


def _scales(kb: KnowledgeBase) -> Iterator[Problem]:
    for index, attribute in enumerate(kb.attributes):
        if attribute.kind is AttributeKind.LEVEL and not attribute.levels:
            message = f"level attribute '{attribute.id}' lists no levels"
            yield _problem("PO313", message, ("attributes", index))
        if attribute.measures is not None:
            vocabulary = VOCABULARY[attribute.measures]
            for position, level in enumerate(attribute.levels):
                if level not in vocabulary:
                    message = (
                        f"'{level}' is not a {attribute.measures} level "
                        f"(one of: {', '.join(vocabulary)})"
                    )
                    yield _problem("PO323", message, ("attributes", index, "levels", position))
    defined = {attribute.id for attribute in kb.attributes}
    for attribute_id in MINIMUM_ATTRIBUTES:
        if attribute_id not in defined:
            yield _problem("PO312", f"attribute '{attribute_id}' is not defined", ("attributes",))


def _values(kb: KnowledgeBase) -> Iterator[Problem]:
    for index, treatment in enumerate(kb.treatments):
        loc: Loc = ("treatments", index, "attributes")
        for attribute in kb.attributes:
            value = treatment.attributes.get(attribute.id)
            if value is None:
                message = f"'{treatment.id}' has no value for '{attribute.id}' (say 'not assessed')"
                yield _problem("PO310", message, loc)
            elif attribute.levels and value.value not in (*attribute.levels, *SPECIAL_VALUES):
                allowed = ", ".join((*attribute.levels, *SPECIAL_VALUES))
                message = f"'{value.value}' is not one of: {allowed}"
                yield _problem("PO309", message, (*loc, attribute.id, "value"))


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
                yield _problem("PO311", message, ("treatments", index, "aliases", position))


_FIGURES = ("estimate", "ci_low", "ci_high", "comparator_estimate")


def _effects(kb: KnowledgeBase) -> Iterator[Problem]:
    for index, effect in enumerate(kb.effects):
        loc: Loc = ("effects", index)
        if effect.basis is EffectBasis.NO_FIGURE:
            yield from _no_figure(effect, loc)
        elif effect.estimate is None:
            message = f"effect '{effect.id}' is {effect.basis} but gives no estimate"
            yield _problem("PO321", message, loc)
        else:
            yield from _figures(effect, effect.estimate, loc)


def _no_figure(effect: Effect, loc: Loc) -> Iterator[Problem]:
    for name in _FIGURES:
        if getattr(effect, name) is not None:
            message = f"effect '{effect.id}' says no figure exists but gives {name}"
            yield _problem("PO321", message, (*loc, name))


def _figures(effect: Effect, estimate: float, loc: Loc) -> Iterator[Problem]:
    if effect.comparator_estimate is not None and effect.metric is not EffectMetric.PERCENTAGES:
        message = f"effect '{effect.id}': comparator_estimate goes only with percentages"
        yield _problem("PO321", message, (*loc, "comparator_estimate"))
    low, high = effect.ci_low, effect.ci_high
    if (low is None) != (high is None):
        message = f"effect '{effect.id}' gives only one end of its confidence interval"
        yield _problem("PO320", message, loc)
    elif low is not None and high is not None and not low <= estimate <= high:
        message = (
            f"effect '{effect.id}': estimate {estimate:g} lies outside its "
            f"confidence interval {low:g} to {high:g}"
        )
        yield _problem("PO320", message, (*loc, "estimate"))


def review_policy(kb: KnowledgeBase, today: dt.date) -> Iterator[Problem]:
    """Problems with the review policy, judged on ``today``: an overdue review, unchecked sources.

    Applies only to a file that declares ``meta.review_interval_days``.
    """
    interval = kb.meta.review_interval_days
    if interval is None:
        return
    due = kb.meta.last_reviewed + dt.timedelta(days=interval)
    if today > due:
        message = (
            f"last reviewed {kb.meta.last_reviewed.isoformat()}, more than {interval} days "
            f"before {today.isoformat()}; the review was due {due.isoformat()}"
        )
        yield _problem("PO324", message, ("meta", "last_reviewed"))
    for index, source in enumerate(kb.sources):
        if source.checked is None:
            message = f"source '{source.id}' does not say when it was last checked"
            yield _problem("PO325", message, ("sources", index))
