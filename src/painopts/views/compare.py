"""`painopts compare`: the bottom line, then the treatments side by side; in full, every detail."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from typing import Any

from painopts.model import (
    Attribute,
    AttributeKind,
    Claim,
    Condition,
    Effect,
    Group,
    KnowledgeBase,
    Measure,
    SelectionError,
    Treatment,
    Value,
    as_data,
    resolve_treatment,
)
from painopts.views.bottom_line import SERIOUS, bottom_line
from painopts.views.document import (
    Cell,
    Document,
    Records,
    Scalar,
    Section,
    Table,
    cited_keys,
    references,
    shorten,
)
from painopts.views.effects import effects_data, effects_sections, figure
from painopts.views.place import positions_section
from painopts.views.shared import (
    claim_data,
    claims_sections,
    related_claims,
    value_cell,
)

GROUP_HEADINGS = {
    Group.BENEFIT: "Benefits",
    Group.HARM: "Harms",
    Group.PRACTICAL: "Practical matters",
}
ABOUT_THESE = "about these treatments"
"""What the full comparison's claims are about (the end of its heading, `claims_heading`)."""
UNEQUAL_DEPTH = 2.0
"""Warn when one treatment's details are this many times longer than another's."""


def choose(kb: KnowledgeBase, names: Sequence[str], every: bool = False) -> tuple[Treatment, ...]:
    """The treatments named (each once), or all; SelectionError when fewer than two remain."""
    if every and names:
        raise SelectionError("name treatments or give --all, not both")
    if every:
        chosen = kb.treatments
    else:
        chosen = tuple({t.id: t for t in (resolve_treatment(kb, n) for n in names)}.values())
    if len(chosen) < 2:
        raise SelectionError(
            "--all needs a knowledge file with two or more treatments"
            if every
            else "name two or more different treatments (for one, use 'painopts show')"
        )
    return chosen


def compare(
    kb: KnowledgeBase,
    treatments: Sequence[Treatment],
    attributes: Sequence[Attribute] = (),
    full: bool = False,
    condition: Condition | None = None,
    *,
    claim_tables: bool = True,
) -> Document:
    """The bottom line, then the treatments side by side; ``full`` adds every detail and claim.

    With ``attributes`` only those rows (and the claims about them) are shown, without the
    bottom line. With ``condition`` the bottom line speaks for that condition. Without
    ``claim_tables``, the full view leaves out its claim tables (a report lists every claim).
    """
    chosen = tuple(attributes) or kb.attributes
    bottom = bottom_line(kb, treatments, condition)  # its data goes to scripts either way
    opening = () if attributes else bottom.sections
    claims = related_claims(kb, treatments, about=attributes)
    if full:
        where = condition.id if condition else None
        effects = () if attributes else effects_sections(kb, treatments, where)
        places = (
            ()
            if attributes or not kb.positions
            else (positions_section(kb, treatments, condition),)
        )
        several = len(kb.articles) > 1
        tables = claims_sections(claims, ABOUT_THESE, several=several) if claim_tables else ()
        body = [*_grid(chosen, treatments), *places, *effects, *tables]
    else:  # the hints together under the one table, so that the page fits a screen
        hints = tuple(hint for section in opening for hint in section.hints)
        opening = tuple(dataclasses.replace(section, hints=()) for section in opening)
        grid = compact_grid(chosen, treatments, above=() if attributes else stated_above(kb))
        body = [dataclasses.replace(grid, hints=hints + grid.hints)]
    sections = (*opening, *body)
    names = " vs ".join(treatment.name for treatment in treatments)
    return Document(
        kind="compare",
        title=f"Comparison: {names}",
        sections=sections,
        references=references(kb, cited_keys(sections)) if full else (),
        disclaimer=kb.meta.disclaimer,
        data=_data(kb, treatments, chosen, claims, bottom.data),
        warnings=tuple(_depth_warnings(treatments, chosen)),
        main=("Attribute", *(treatment.name for treatment in treatments)),
    )


COMPACT_TITLE = "Side by side (values shortened)"
ABOVE_TITLE = "Side by side ({above}: above)"
FULL_HINT = "--full: whole values, sources."
COMPACT_TEXT = 32
"""The compact table holds the level attributes and the harm facts in text (a schedule, side
effects), each text cut to this many characters with a mark; benefits in words and practical
matters are left to --full, and what the bottom line states whole is not repeated."""


def stated_above(kb: KnowledgeBase) -> tuple[str, ...]:
    """Attributes the bottom line states whole, which the compact table leaves out.

    Serious risks, and guideline places when the file records guideline positions (which then
    speak per condition).
    """
    places = [a.id for a in kb.attributes if a.measures is Measure.GUIDELINE_POSITION]
    return (SERIOUS, *(places if kb.positions else ()))


def compact_grid(
    attributes: Sequence[Attribute], treatments: Sequence[Treatment], above: Sequence[str] = ()
) -> Section:
    """One table of short values and their certainty, without sources.

    Every level and harm row is there, except those in ``above`` (stated whole in the bottom
    line, which the title then says).
    """
    shown = [
        attribute
        for attribute in attributes
        if (attribute.kind is AttributeKind.LEVEL or attribute.group is Group.HARM)
        and attribute.id not in above
    ]
    rows = tuple(
        (
            Cell(attribute.label),
            *(_compact_cell(t.attributes.get(attribute.id)) for t in treatments),
        )
        for attribute in shown
    )
    columns = ("Attribute", *(treatment.name for treatment in treatments))
    left = [a for a in attributes if a.id in above]
    named = ["serious risks"] if any(a.id == SERIOUS for a in left) else []
    named += ["guideline place"] if any(a.id != SERIOUS for a in left) else []
    title = ABOVE_TITLE.format(above=", ".join(named)) if named else COMPACT_TITLE
    return Section("Side by side", tables=(Table(title, columns, rows),), hints=(FULL_HINT,))


def _compact_cell(value: Value | None) -> Cell:
    cell = dataclasses.replace(value_cell(value), cites=())
    return dataclasses.replace(cell, text=shorten(cell.text, COMPACT_TEXT))


def _grid(attributes: Sequence[Attribute], treatments: Sequence[Treatment]) -> Iterator[Section]:
    columns = ("Attribute", *(treatment.name for treatment in treatments))
    for group, heading in GROUP_HEADINGS.items():
        rows = tuple(
            (
                Cell(attribute.label),
                *(value_cell(t.attributes.get(attribute.id)) for t in treatments),
            )
            for attribute in attributes
            if attribute.group is group
        )
        if rows:
            names = " vs ".join(treatment.name for treatment in treatments)
            yield Section(heading, tables=(Table(f"{heading}: {names}", columns, rows),))


def _depth(treatment: Treatment, attributes: Sequence[Attribute]) -> int:
    return sum(
        len(value.detail) + 40 * len(value.sources)
        for attribute in attributes
        if (value := treatment.attributes.get(attribute.id)) is not None
    )


def _depth_warnings(
    treatments: Sequence[Treatment], attributes: Sequence[Attribute]
) -> Iterator[str]:
    depths = {treatment.name: _depth(treatment, attributes) for treatment in treatments}
    if not depths:
        return
    deepest = max(depths, key=lambda name: depths[name])
    thin = [
        name for name, depth in depths.items() if depths[deepest] > UNEQUAL_DEPTH * max(depth, 1)
    ]
    if len(thin) == 1:
        yield (
            f"{thin[0]} is documented in much less depth than {deepest} in this knowledge "
            "file; read the comparison with that in mind"
        )
    elif thin:
        yield (
            f"{len(thin)} of the {len(depths)} treatments are documented in much less depth than "
            f"{deepest} in this knowledge file; read the comparison with that in mind"
        )


def _data(
    kb: KnowledgeBase,
    treatments: Sequence[Treatment],
    attributes: Sequence[Attribute],
    claims: Sequence[Claim],
    bottom: dict[str, Any],
) -> dict[str, Any]:
    return {
        "bottom_line": bottom,
        "attributes": [attribute.id for attribute in attributes],
        "treatments": {
            treatment.id: {
                "name": treatment.name,
                "values": {
                    attribute.id: _value_data(treatment.attributes.get(attribute.id))
                    for attribute in attributes
                },
            }
            for treatment in treatments
        },
        "effects": effects_data(kb, treatments),
        "claims": {claim.id: claim_data(claim) for claim in claims},
    }


def _value_data(value: Value | None) -> dict[str, Any]:
    if value is None:
        return {"value": "not recorded", "detail": "", "certainty": None, "sources": []}
    return as_data(value)


LONG_COLUMNS = ("treatment_id", "attribute_id", "value", "certainty", "sources", "detail")


def long_form(
    kb: KnowledgeBase, treatments: Sequence[Treatment], attributes: Sequence[Attribute] = ()
) -> Document:
    """Tidy data: one row per treatment and attribute, then one per effect ('effect:ID').

    Cells are bare words and ids (no symbols); sources are space-separated ids.
    """
    chosen = tuple(attributes) or kb.attributes
    rows = [
        _long_row(treatment.id, attribute.id, treatment.attributes.get(attribute.id))
        for treatment in treatments
        for attribute in chosen
    ]
    effects = [] if attributes else [e for t in treatments for e in kb.effects_of(t.id)]
    rows += [_effect_row(effect) for effect in effects]
    figures = [_figure_fields(None)] * (len(rows) - len(effects)) + [
        _figure_fields(effect) for effect in effects
    ]
    table = Table("Values", LONG_COLUMNS, tuple(tuple(Cell(text) for text in row) for row in rows))
    return Document(
        kind="long",
        title="Values, one row per treatment and attribute",
        sections=(Section("Values", tables=(table,)),),
        references=(),
        disclaimer=kb.meta.disclaimer,
        data={"columns": list(LONG_COLUMNS), "rows": [_long_data(row) for row in rows]},
        records=Records(
            LONG_COLUMNS + FIGURE_COLUMNS,
            tuple((*row, *more) for row, more in zip(rows, figures, strict=True)),
        ),
    )


FIGURE_COLUMNS = (
    "measure",
    "estimate",
    "ci_low",
    "ci_high",
    "scale",
    "condition",
    "time_point",
)
"""An effect row's figure as tidy columns for CSV and plain (empty on attribute rows)."""


def _figure_fields(effect: Effect | None) -> tuple[Scalar, ...]:
    if effect is None:
        return (None,) * len(FIGURE_COLUMNS)
    return (
        effect.metric.value,
        effect.estimate,
        effect.ci_low,
        effect.ci_high,
        effect.scale,
        effect.condition,
        effect.time_point,
    )


def _long_row(treatment_id: str, attribute_id: str, value: Value | None) -> tuple[str, ...]:
    if value is None:
        return (treatment_id, attribute_id, "not recorded", "", "", "")
    certainty = value.certainty.value if value.certainty else ""
    return (
        treatment_id,
        attribute_id,
        value.value,
        certainty,
        " ".join(value.sources),
        value.detail,
    )


def _effect_row(effect: Effect) -> tuple[str, ...]:
    detail = "; ".join(
        [effect.outcome, effect.population, f"vs {effect.comparator}", effect.time_point]
    )
    grade = "" if effect.certainty.value == "not graded" else effect.certainty.value
    return (
        effect.treatment,
        f"effect:{effect.id}",
        figure(effect),
        grade,
        " ".join(effect.sources),
        detail,
    )


def _long_data(row: tuple[str, ...]) -> dict[str, Any]:
    data: dict[str, Any] = dict(zip(LONG_COLUMNS, row, strict=True))
    data["sources"] = row[4].split()
    data["certainty"] = row[3] or None
    return data
