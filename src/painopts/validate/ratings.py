"""Article ratings: each rating on its instrument's scale, every criterion rated."""

from __future__ import annotations

from collections.abc import Iterator

from painopts.codes import problem
from painopts.model import (
    NOT_APPLICABLE,
    ArticleRating,
    Instrument,
    KnowledgeBase,
    Loc,
    Problem,
)
from painopts.validate.values import named_and_counted


def ratings(kb: KnowledgeBase) -> Iterator[Problem]:
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
        listed = named_and_counted(unrated, count)
        message = f"'{rated.article}' is not rated on '{instrument.id}' {noun} {listed}"
        yield problem("PO314", message, (*loc, "criteria"))
