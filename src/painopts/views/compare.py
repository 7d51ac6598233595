"""`painopts compare`: treatments side by side, the article's claims about them, a summary."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from painopts.model import (
    SPECIAL_VALUES,
    Attribute,
    Claim,
    Direction,
    Group,
    KnowledgeBase,
    SelectionError,
    Treatment,
    Value,
    as_data,
    resolve_treatment,
)
from painopts.views.document import (
    Cell,
    Document,
    Section,
    Table,
    cited_keys,
    references,
)
from painopts.views.effects import effects_sections

GROUP_HEADINGS = {
    Group.BENEFIT: "Benefits",
    Group.HARM: "Harms",
    Group.PRACTICAL: "Practical matters",
}
UNEQUAL_DEPTH = 2.0
"""Warn when one treatment's details are this many times longer than another's."""


def choose(kb: KnowledgeBase, names: Sequence[str]) -> tuple[Treatment, ...]:
    """The treatments named (each once), or SelectionError when fewer than two remain."""
    chosen = tuple({t.id: t for t in (resolve_treatment(kb, name) for name in names)}.values())
    if len(chosen) < 2:
        raise SelectionError("name two or more different treatments (for one, use 'painopts show')")
    return chosen


def compare(
    kb: KnowledgeBase, treatments: Sequence[Treatment], attributes: Sequence[Attribute] = ()
) -> Document:
    """Treatments side by side: one table per attribute group, claims, and a summary."""
    chosen = tuple(attributes) or kb.attributes
    claims = related_claims(kb, treatments, about=attributes)
    effects = () if attributes else effects_sections(kb, treatments)
    sections = [*_grid(chosen, treatments), *effects, claims_section(claims, CLAIMS_HEADING)]
    sections.append(Section("Summary", notes=tuple(summary(chosen, treatments))))
    names = " vs ".join(treatment.name for treatment in treatments)
    return Document(
        kind="compare",
        title=f"Comparison: {names}",
        sections=tuple(sections),
        references=references(kb, cited_keys(tuple(sections))),
        disclaimer=kb.meta.disclaimer,
        data=_data(treatments, chosen, claims),
        warnings=tuple(_depth_warnings(treatments, chosen)),
    )


def value_cell(value: Value | None) -> Cell:
    """A value as a cell; a missing value reads 'not recorded', never blank."""
    if value is None:
        return Cell("not recorded", special=True)
    return Cell(
        value.value,
        certainty=value.certainty,
        cites=value.sources,
        special=value.value in SPECIAL_VALUES,
    )


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


CLAIMS_HEADING = "What the article claims about these treatments"


def related_claims(
    kb: KnowledgeBase, treatments: Sequence[Treatment], about: Sequence[Attribute] = ()
) -> tuple[Claim, ...]:
    """Claims that name any of the treatments (and, if given, one of the attributes)."""
    ids = {treatment.id for treatment in treatments}
    topics = {attribute.id for attribute in about}
    return tuple(
        claim
        for claim in kb.claims
        if ids.intersection(claim.treatments) and (not topics or claim.attribute in topics)
    )


def claims_table(title: str, claims: Sequence[Claim]) -> Table:
    """Claims as rows: what the article says, the verdict, and why."""
    rows = tuple(
        (
            Cell(claim.id),
            Cell(f'"{claim.quote}": {claim.paraphrase}'),
            Cell(claim.verdict.value, verdict=claim.verdict),
            Cell(claim.assessment, cites=claim.sources),
        )
        for claim in claims
    )
    return Table(title, ("Claim", "The article says", "Verdict", "Assessment"), rows)


def verdicts_table(title: str, claims: Sequence[Claim]) -> Table:
    """Claims as short rows: the article's words and the verdict, with the verdict's sources."""
    rows = tuple(
        (
            Cell(claim.id),
            Cell(f'"{claim.quote}"'),
            Cell(claim.verdict.value, verdict=claim.verdict, cites=claim.sources),
        )
        for claim in claims
    )
    return Table(title, ("Claim", "The article says", "Verdict"), rows)


def claims_section(claims: Sequence[Claim], heading: str, treatment: str = "ID") -> Section:
    """The claims as a verdict table, pointing at `painopts claims` for the assessments."""
    if not claims:
        return Section(heading, notes=("The article makes no claim about this.",))
    note = f"painopts claims --treatment {treatment} explains each verdict, with its sources."
    return Section(heading, tables=(verdicts_table(heading, claims),), notes=(note,))


def summary(attributes: Sequence[Attribute], treatments: Sequence[Treatment]) -> Iterator[str]:
    """Neutral sentences: where each option sits more favourably, and what is not assessed."""
    for attribute in attributes:
        if attribute.levels and attribute.better is not Direction.NONE:
            yield from _ranking(attribute, treatments)
    gaps = [
        f"{attribute.label} for {treatment.name}"
        for attribute in attributes
        for treatment in treatments
        if _value_text(treatment, attribute) in ("not assessed", "not recorded")
    ]
    if gaps:
        yield "Not assessed in this knowledge file: " + "; ".join(gaps) + "."


def _value_text(treatment: Treatment, attribute: Attribute) -> str:
    value = treatment.attributes.get(attribute.id)
    return value.value if value else "not recorded"


def _ranking(attribute: Attribute, treatments: Sequence[Treatment]) -> Iterator[str]:
    ranked, outside = [], []
    for treatment in treatments:
        text = _value_text(treatment, attribute)
        rank = attribute.rank(text)
        if rank is not None:
            ranked.append((rank, treatment))
        elif text not in ("not assessed", "not recorded"):
            outside.append(treatment)
    if len(ranked) + len(outside) < 2:
        return
    order = _order(attribute, ranked)
    if outside:
        order += f" Not on this scale: {_named(outside, attribute)}."
    if order:
        yield f"{attribute.label}: {order.strip()}"


def _order(attribute: Attribute, ranked: Sequence[tuple[int, Treatment]]) -> str:
    if len(ranked) < 2:
        return _named([t for _, t in ranked], attribute) + "." if ranked else ""
    best_rank = (min if attribute.better is Direction.LOWER else max)(r for r, _ in ranked)
    best = [t for r, t in ranked if r == best_rank]
    if len(best) == len(ranked):
        return f"the same level for all compared ({_value_text(best[0], attribute)})."
    others = [t for r, t in ranked if r != best_rank]
    return f"more favourable for {_named(best, attribute)} than for {_named(others, attribute)}."


def _named(treatments: Sequence[Treatment], attribute: Attribute) -> str:
    return ", ".join(f"{t.name} ({_value_text(t, attribute)})" for t in treatments)


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
    for name, depth in depths.items():
        if depths[deepest] > UNEQUAL_DEPTH * max(depth, 1):
            yield (
                f"{name} is documented in much less depth than {deepest} in this knowledge "
                "file; read the comparison with that in mind"
            )


def _data(
    treatments: Sequence[Treatment], attributes: Sequence[Attribute], claims: Sequence[Claim]
) -> dict[str, Any]:
    return {
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
        "claims": {claim.id: claim_data(claim) for claim in claims},
        "summary": list(summary(attributes, treatments)),
    }


def _value_data(value: Value | None) -> dict[str, Any]:
    if value is None:
        return {"value": "not recorded", "detail": "", "certainty": None, "sources": []}
    return as_data(value)


def claim_data(claim: Claim) -> dict[str, Any]:
    """A claim as JSON-ready data, without its id (the id is the key)."""
    return as_data(claim, exclude=frozenset({"id"}))
