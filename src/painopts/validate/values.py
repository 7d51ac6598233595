"""Attribute values: scales, values off their scale, missing values, names."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Iterator

from painopts.codes import problem
from painopts.model import (
    MINIMUM_ATTRIBUTES,
    SPECIAL_VALUES,
    VOCABULARY,
    AttributeKind,
    KnowledgeBase,
    Loc,
    Problem,
    fold_name,
)


def scales(kb: KnowledgeBase) -> Iterator[Problem]:
    """Attributes of the contract or their levels missing, levels outside a vocabulary.

    Codes PO312, PO313 and PO323.
    """
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


def off_scale(kb: KnowledgeBase) -> Iterator[Problem]:
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


def named_and_counted(names: Iterable[str], count: int, noun: str = "") -> str:
    """``'a'``, ``'a' and 'b'``, or ``'a', 'b', 'c' and 5 more`` (then the noun, if any).

    The first few of ``count`` names: only those are read from ``names``.
    """
    named = [f"'{name}'" for name in itertools.islice(names, NAMED_MISSING)]
    if count > len(named):
        return " ".join([f"{', '.join(named)} and {count - len(named):,} more", noun]).strip()
    return " and ".join([", ".join(named[:-1]), named[-1]]) if len(named) > 1 else named[0]


def missing_values(kb: KnowledgeBase) -> Iterator[Problem]:
    """One problem per treatment that lacks values: a few attributes named, the rest counted.

    The work grows with the values there are, not with treatments x attributes.
    """
    defined = {attribute.id for attribute in kb.attributes}
    for index, treatment in enumerate(kb.treatments):
        count = len(defined) - sum(1 for key in treatment.attributes if key in defined)
        if not count:
            continue
        missing = (a.id for a in kb.attributes if a.id not in treatment.attributes)
        listed = named_and_counted(missing, count, "attributes")
        message = f"'{treatment.id}' has no value for {listed} (say 'not assessed')"
        yield problem("PO310", message, ("treatments", index, "attributes"))


def names(kb: KnowledgeBase) -> Iterator[Problem]:
    """Names or aliases of two treatments (PO311), and not-covered names of a treatment (PO336)."""
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
