"""Where guidelines place the options compared, for one condition or condition by condition.

The positions come from the model's lookups (`positions_for`, `placed_first`), which apply the
rule that a guideline speaks only for the conditions it covers. Without a condition, the place
of each option is shown per condition and no condition's first options are offered as everyone's.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from painopts.model import Condition, Guideline, KnowledgeBase, Position, Treatment
from painopts.views.document import Cell, Section, Table, shorten

CHOOSE_CONDITION = "Guideline place depends on the condition:"


def guideline_place(
    kb: KnowledgeBase, treatments: Sequence[Treatment], condition: Condition | None
) -> Iterator[str]:
    """The guideline sentences of the bottom line."""
    if condition is not None:
        yield from _for_condition(kb, treatments, condition)
        return
    if not kb.conditions:
        return
    said = [CHOOSE_CONDITION]
    by_condition: dict[str, list[Position]] = {}
    for position in kb.positions_of(treatment.id for treatment in treatments):
        by_condition.setdefault(position.condition, []).append(position)
    for condition_id, positions in by_condition.items():  # ids: what --condition takes
        said.append(f"{condition_id}: {_places(kb, treatments, positions, compact=True)}.")
    if not by_condition:
        said.append("No guideline position is recorded for any of these options.")
    yield " ".join(said)


def _for_condition(
    kb: KnowledgeBase, treatments: Sequence[Treatment], condition: Condition
) -> Iterator[str]:
    guidelines = kb.guidelines_for(condition.id)
    if not guidelines:
        yield (
            f"Guideline place for {condition.name}: no guideline in this knowledge file covers "
            "this condition, so the place of these options is not recorded."
        )
        return
    ids = [treatment.id for treatment in treatments]
    positions = kb.positions_for(condition.id, ids)
    placed = {position.treatment for position in positions}
    unplaced = [t.id for t in treatments if t.id not in placed]
    speaking = {position.guideline for position in positions}
    silent = [g.name for g in guidelines if g.source not in speaking]
    said = ["Guideline place:"]  # the heading names the condition
    if positions:
        said[0] += f" {_places(kb, treatments, positions, ids=True)}."
    if unplaced:
        said.append(f"No position recorded for {_listed(unplaced)}.")
    if silent:
        covers = "covers" if len(silent) == 1 else "cover"
        said.append(f"{_listed(silent, 'and')} {covers} it too, with no position on these.")
    yield " ".join(said)
    merged: dict[str, list[str]] = {}  # guidelines that put the same options first, together
    for source, picks in kb.placed_first(condition.id).items():
        others = [p for p in picks if p.treatment not in ids]
        if others:
            merged.setdefault(_firsts(kb, others), []).append(guideline_name(kb, source))
    lines = [f"{', '.join(names)}: {options}" for options, names in merged.items()]
    if lines:
        yield f"Other options these guidelines put first: {'; '.join(lines)}."


def _places(
    kb: KnowledgeBase,
    treatments: Sequence[Treatment],
    positions: Sequence[Position],
    compact: bool = False,
    ids: bool = False,
) -> str:
    """Each option's positions, guideline by guideline: 'NICE NG193: A do not initiate; ...'.

    ``compact`` names the options by id and leaves out the scope, to keep a summary over
    several conditions short; ``ids`` names them by id, with the scope.
    """
    by_guideline: dict[str, dict[str, list[str]]] = {}  # guideline -> words -> options
    for treatment in treatments:
        for position in positions:
            if position.treatment == treatment.id:
                name = treatment.id if compact or ids else treatment.name
                words = position.position if compact else _words(position, scoped=not ids)
                said = by_guideline.setdefault(position.guideline, {})
                said.setdefault(words, []).append(name)
    merged: dict[str, list[str]] = {}  # guidelines that say the same, named together
    for source, said in by_guideline.items():
        text = "; ".join(_placed(names, words, compact) for words, names in said.items())
        merged.setdefault(text, []).append(f"{guideline_name(kb, source)} [{source}]")
    return "; ".join(f"{', '.join(names)}: {said}" for said, names in merged.items())


def _placed(names: Sequence[str], words: str, compact: bool) -> str:
    """'ketamine, opioids (third-line)' in a summary; 'IV ketamine infusion, third-line ...'."""
    return f"{', '.join(names)} ({words})" if compact else f"{', '.join(names)}, {words}"


SCOPE_TEXT = 90
"""How much of a position's scope the bottom line shows (--full shows it whole)."""


def _words(position: Position, scoped: bool = True) -> str:
    """The position in the guideline's words, its scope, and any source besides the guideline."""
    shown = position.scope if scoped else None
    scope = f" ({shorten(shown.rstrip('.'), SCOPE_TEXT)})" if shown else ""
    others = [key for key in position.sources if key != position.guideline]
    cites = f" [{', '.join(others)}]" if others else ""
    return f"{position.position}{scope}{cites}"


def _firsts(kb: KnowledgeBase, picks: Sequence[Position]) -> str:
    """'A, B and C (each recommended ...)': the options a guideline places alike, together.

    In alphabetical order, which ranks nothing, so that guidelines that put the same options
    first read the same and are named together.
    """
    alike: dict[str, list[str]] = {}
    for pick in picks:
        alike.setdefault(pick.position, []).append(_treatment_name(kb, pick.treatment))
    return "; ".join(
        f"{names[0]}, {words}" if len(names) == 1 else f"{', '.join(names)} (each {words})"
        for words, names in sorted((words, sorted(names)) for words, names in alike.items())
    )


def guideline_name(kb: KnowledgeBase, source_id: str) -> str:
    """A guideline's display name (its source id if the file lists no such guideline)."""
    return _named(kb.guideline(source_id), source_id)


def _treatment_name(kb: KnowledgeBase, treatment_id: str) -> str:
    return _named(kb.treatment(treatment_id), treatment_id)


def _named(record: Guideline | Treatment | Condition | None, fallback: str) -> str:
    return record.name if record is not None else fallback


def _listed(names: Sequence[str], joint: str = "or") -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" {joint} {names[-1]}"


POSITIONS_HEADING = "Where guidelines place them"
POSITION_COLUMNS = ("Treatment", "Condition", "Guideline", "Position", "Scope; where")


def positions_section(
    kb: KnowledgeBase, treatments: Sequence[Treatment], condition: Condition | None = None
) -> Section:
    """Every guideline position of these treatments in full, with its sources.

    For one condition, the positions that speak for it (its own and its broader conditions');
    otherwise each position under the condition it is recorded for.
    """
    ids = [treatment.id for treatment in treatments]
    chosen = kb.positions_for(condition.id, ids) if condition else kb.positions_of(ids)
    rows = tuple(
        (
            Cell(_treatment_name(kb, p.treatment)),
            Cell(_condition_name(kb, p.condition)),
            Cell(guideline_name(kb, p.guideline)),
            Cell(p.position, cites=p.sources or (p.guideline,)),
            Cell("; ".join(part for part in (p.scope, p.where or "") if part)),
        )
        for p in chosen
    )
    if not rows:
        return Section(POSITIONS_HEADING, notes=("No guideline position is recorded for these.",))
    return Section(POSITIONS_HEADING, tables=(Table(POSITIONS_HEADING, POSITION_COLUMNS, rows),))


def _condition_name(kb: KnowledgeBase, condition_id: str) -> str:
    return _named(kb.condition(condition_id), condition_id)


def place_data(
    kb: KnowledgeBase, treatments: Sequence[Treatment], condition: Condition | None
) -> dict[str, Any]:
    """Per condition id: each option's positions, and what the covering guidelines put first."""
    ids = [treatment.id for treatment in treatments]
    chosen = (condition,) if condition is not None else kb.conditions_placing(ids)
    return {each.id: _condition_data(kb, ids, each) for each in chosen}


def _condition_data(kb: KnowledgeBase, ids: Sequence[str], condition: Condition) -> dict[str, Any]:
    places: dict[str, list[dict[str, Any]]] = {treatment_id: [] for treatment_id in ids}
    for position in kb.positions_for(condition.id, ids):
        places[position.treatment].append(_position_data(position))
    return {
        "guidelines": [g.source for g in kb.guidelines_for(condition.id)],
        "places": places,
        "first": {
            source: [p.treatment for p in picks]
            for source, picks in kb.placed_first(condition.id).items()
        },
    }


def _position_data(position: Position) -> dict[str, Any]:
    return {
        "guideline": position.guideline,
        "position": position.position,
        "scope": position.scope,
        "where": position.where,
        "sources": list(position.sources),
    }
