"""Ids and references: duplicate ids, references to unknown records, what cites nothing."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from painopts.codes import problem
from painopts.model import (
    KnowledgeBase,
    Loc,
    Problem,
)


def duplicate_ids(kb: KnowledgeBase) -> Iterator[Problem]:
    """Ids used twice in one section (PO301)."""
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


def references(kb: KnowledgeBase) -> Iterator[Problem]:
    """References to unknown sources, treatments, attributes, articles or claims.

    Codes PO302 to PO305 and PO318.
    """
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
                suggested[attribute_id] = suggestion(attribute_id, sorted(attributes))
            message = f"unknown attribute '{attribute_id}'{suggested.get(attribute_id, '')}"
            yield problem("PO304", message, ("treatments", index, "attributes", attribute_id))


SUGGESTED = 100
"""How many unknown attribute ids get a 'did you mean' (each is compared with every attribute)."""


def suggestion(name: str, known: list[str]) -> str:
    """``; did you mean 'x'?`` for the closest known id, or nothing."""
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
        yield from numbered(("claims", index, "treatments"), claim.treatments)
    for index, effect in enumerate(kb.effects):
        yield ("effects", index, "treatment"), effect.treatment
    for index, record in enumerate(kb.comparisons):
        yield from numbered(("comparisons", index, "treatments"), record.treatments)
    for index, position in enumerate(kb.positions):
        yield ("positions", index, "treatment"), position.treatment


_CITING = ("claims", "effects", "comparisons", "instruments", "conditions", "positions")
"""Sections whose items carry a list of source ids in ``sources``."""


def _citations(kb: KnowledgeBase) -> Iterator[tuple[Loc, str]]:
    for index, treatment in enumerate(kb.treatments):
        for attribute_id, value in treatment.attributes.items():
            loc = ("treatments", index, "attributes", attribute_id, "sources")
            yield from numbered(loc, value.sources)
    for section in _CITING:
        for index, item in enumerate(getattr(kb, section)):
            yield from numbered((section, index, "sources"), item.sources)
    for index, rated in enumerate(kb.ratings):
        for position, item in enumerate(rated.criteria):
            yield from numbered(("ratings", index, "criteria", position, "sources"), item.sources)
    for index, guideline in enumerate(kb.guidelines):
        yield ("guidelines", index, "source"), guideline.source


def numbered(loc: Loc, ids: Iterable[str]) -> Iterator[tuple[Loc, str]]:
    """Each id of a list with its location."""
    for position, item_id in enumerate(ids):
        yield (*loc, position), item_id


def uncited(kb: KnowledgeBase) -> Iterator[Problem]:
    """Sources that nothing cites (PO306)."""
    cited = {source_id for _, source_id in _citations(kb)}
    for index, source in enumerate(kb.sources):
        if source.id not in cited:
            yield problem("PO306", f"source '{source.id}' is cited by nothing", ("sources", index))


_MUST_CITE = {"claims": "PO308", "effects": "PO322", "comparisons": "PO326"}
"""Sections whose every item must cite a source, with the code of the problem when one does not."""


def unsourced(kb: KnowledgeBase) -> Iterator[Problem]:
    """Values, claims, effects and comparisons that cite no source (PO307, PO308, PO322, PO326)."""
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
