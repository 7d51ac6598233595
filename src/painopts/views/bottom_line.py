"""The bottom line of a comparison, in plain words, built from the knowledge file for any set.

It says whether any source compares the options directly, how they are given, what the article
got wrong about them, each one's published benefit figures with their certainty, and where
guidelines place them and what they place first. The side-by-side table that follows it puts
each option's benefit and harm levels in one column, so no harm is shown without the benefit
beside it. It never ranks one option above another: values from different settings, outcomes
or meanings are not comparable.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import combinations
from typing import Any

from painopts.model import (
    NONE_REPORTED,
    Attribute,
    AttributeKind,
    Claim,
    Effect,
    EffectBasis,
    EffectMetric,
    Group,
    KnowledgeBase,
    Measure,
    Treatment,
    Verdict,
    as_data,
    counted,
)
from painopts.views.document import Cell, Section, Table
from painopts.views.effects import figure

HEADING = "Bottom line"
FIGURES_HEADING = "Published figures, and where guidelines place them"
CLAIMS_HEADING = "What the article claims about them"
FIRST_LINE = "first-line"
NOT_RANKED = "So levels below are shown side by side, never ranked."
NONE_REPORTED_MEANS = (
    "'None reported' means the cited sources report no such effect, which is not proof that it "
    "never happens."
)
NOT_COMPARABLE = (
    "Each figure is against its own comparator, outcome and population, so figures of different "
    "treatments are not comparable (time points and details: --full)."
)
BENEFIT_METRICS = (EffectMetric.NNT, EffectMetric.MD, EffectMetric.SMD, EffectMetric.RD)
"""Metrics that express a benefit (ratios and percentages may be of harms as well)."""
WORST_FIRST = (Verdict.CONTRADICTED, Verdict.MISLEADING, Verdict.UNSUPPORTED)
"""The verdicts the bottom line lists claim by claim; the others are counted."""


def bottom_line(kb: KnowledgeBase, treatments: Sequence[Treatment]) -> tuple[Section, ...]:
    """The plain-words sections that open a comparison."""
    return (
        Section(HEADING, notes=(head_to_head(kb, treatments), exposure(kb, treatments))),
        article_section(kb, treatments),
        Section(FIGURES_HEADING, notes=tuple(figures_and_place(kb, treatments))),
    )


def head_to_head(kb: KnowledgeBase, treatments: Sequence[Treatment]) -> str:
    """Whether any source compares these treatments directly, pair by pair.

    The pairs no record covers are counted, not listed (there are about n^2/2 of them with
    ``--all``); they are named only when there are three or fewer, and then finding them costs
    no more than the pairs the records cover.
    """
    records = kb.head_to_head(treatment.id for treatment in treatments)
    place = {treatment.id: number for number, treatment in enumerate(treatments)}
    said = []
    covered: set[tuple[int, int]] = set()
    for record in records:
        among = sorted({place[i] for i in record.treatments if i in place})
        covered.update(combinations(among, 2))
        prefix = "Head-to-head" if record.direct else "No head-to-head evidence"
        if len(treatments) > 2:
            prefix += f" ({_names([treatments[number] for number in among])})"
        said.append(f"{prefix}: {record.summary} [{', '.join(record.sources)}]")
    count = len(treatments) * (len(treatments) - 1) // 2 - len(covered)
    missing = _uncovered(treatments, covered) if count <= 3 else []
    if missing:
        pairs = "; ".join(_names(pair) for pair in missing)
        said.append(f"This knowledge file records no trial that compares {pairs} directly.")
    elif count:
        said.append(f"No direct comparison is recorded for the other {count} pairs.")
    if not records:
        which = "; ".join(_names(pair) for pair in missing) if missing else "any of them"
        said = [
            f"Head-to-head: this knowledge file records no trial that compares {which} directly; "
            "everything below compares each with its own control, not with each other."
        ]
    return " ".join(said)


def _uncovered(
    treatments: Sequence[Treatment], covered: set[tuple[int, int]]
) -> list[tuple[Treatment, Treatment]]:
    """The pairs not covered, in order.

    Called when at most three are: all pairs are then at most three more than the covered ones.
    """
    return [
        (treatments[first], treatments[second])
        for first, second in combinations(range(len(treatments)), 2)
        if (first, second) not in covered
    ]


def exposure(kb: KnowledgeBase, treatments: Sequence[Treatment]) -> str:
    """How each is given (route and setting), and why levels are therefore not ranked."""
    practical = [a for a in (kb.attribute("route"), kb.attribute("setting")) if a is not None]
    given = [
        f"{treatment.name}: {'; '.join(treatment.value_text(a.id) for a in practical)}."
        for treatment in treatments
        if practical
    ]
    none = [NONE_REPORTED_MEANS] if any(_uses(t, NONE_REPORTED) for t in treatments) else []
    return " ".join(["How each is given.", *given, NOT_RANKED, *none])


def figures_and_place(kb: KnowledgeBase, treatments: Sequence[Treatment]) -> Iterator[str]:
    """Each treatment's headline figures with a caveat, then where guidelines place them."""
    figures = [
        f"{t.name}: {'; '.join(headline_figures(kb, t)) or 'no published figure recorded'}."
        for t in treatments
    ]
    yield " ".join([NOT_COMPARABLE, *figures])
    yield from guideline_place(kb, treatments)


def headline_effects(kb: KnowledgeBase, treatment: Treatment) -> list[Effect]:
    """The numbers a clinician asks first, the same two for every treatment.

    The NNT (or the record that none exists), and the first reported effect on a continuous
    scale (a mean difference), each as the file has it.
    """
    effects = [e for e in kb.effects_of(treatment.id) if e.metric in BENEFIT_METRICS]
    nnt = [e for e in effects if e.metric is EffectMetric.NNT]
    reported = [e for e in nnt if e.basis is EffectBasis.REPORTED] or [
        e for e in nnt if _no_figure(e)
    ]
    scaled = [
        e
        for e in effects
        if e.metric in (EffectMetric.MD, EffectMetric.SMD) and e.basis is EffectBasis.REPORTED
    ]
    return reported[:1] + scaled[:1]


def headline_figures(kb: KnowledgeBase, treatment: Treatment) -> list[str]:
    """The headline effects in words, each with outcome, population, comparator and certainty."""
    return [_effect_text(effect) for effect in headline_effects(kb, treatment)]


def guideline_place(kb: KnowledgeBase, treatments: Sequence[Treatment]) -> Iterator[str]:
    """Where guidelines place the options, and what they place first when none of them is."""
    chosen = {treatment.id for treatment in treatments}
    for attribute in _measured(kb, Measure.GUIDELINE_POSITION, None):
        places = "; ".join(f"{t.name} {t.value_text(attribute.id)}" for t in treatments)
        first = [t for t in treatments if t.value_text(attribute.id) == FIRST_LINE]
        line = f"{attribute.label}: {places}."
        if not first:
            others = [
                t.name for t in kb.treatments_valued(attribute.id, FIRST_LINE) if t.id not in chosen
            ]
            if others:
                line += (
                    f" None of these is first-line; guidelines place first: {', '.join(others)}."
                )
        yield line


def article_section(kb: KnowledgeBase, treatments: Sequence[Treatment]) -> Section:
    """The article's claims about these treatments that the evidence does not bear out."""
    from painopts.views.audit import audit_line

    claims = kb.claims_about(treatment.id for treatment in treatments)
    if not claims:
        return Section(CLAIMS_HEADING, notes=("The article makes no claim about these.",))
    flagged = [c for v in WORST_FIRST for c in claims if c.verdict is v]
    rest = [claim for claim in claims if claim.verdict not in WORST_FIRST]
    scores = [
        line
        for article_id in dict.fromkeys(claim.article for claim in claims)
        if (line := audit_line(kb, article_id))
    ]
    rows = tuple(
        (
            Cell(claim.verdict.value, verdict=claim.verdict, unbreakable=True),
            Cell(claim.id, unbreakable=True),
        )
        for claim in flagged
    )
    tables = (Table(CLAIMS_HEADING, ("Verdict", "Claim (painopts claims ID)"), rows),)
    notes = (" ".join([_tally(flagged, rest, treatments), *scores]),)
    return Section(CLAIMS_HEADING, tables=tables if rows else (), notes=notes)


def _tally(flagged: list[Claim], rest: list[Claim], treatments: Sequence[Treatment]) -> str:
    counts = [
        f"{sum(1 for c in flagged if c.verdict is v)} {v.value}"
        for v in WORST_FIRST
        if any(c.verdict is v for c in flagged)
    ]
    text = ", ".join(counts) if counts else "no claim contradicted, misleading or unsupported"
    ids = " ".join(f"--treatment {t.id}" for t in treatments)
    if len(treatments) > 3:
        ids = "--treatment ID, once for each,"
    total = counted(len(flagged) + len(rest), "claim")
    return (
        f"The article makes {total} about them: {text}; {len(rest)} supported or partly "
        f"supported (painopts claims {ids} lists them all)."
    )


def _measured(kb: KnowledgeBase, measure: Measure, group: Group | None) -> list[Attribute]:
    """Level attributes that measure this, or (in a file that declares no measures) the group's."""
    declared = [a for a in kb.attributes if a.measures is measure]
    if declared or group is None:
        return declared
    return [
        a
        for a in kb.attributes
        if a.kind is AttributeKind.LEVEL and a.measures is None and a.group is group
    ]


def _uses(treatment: Treatment, word: str) -> bool:
    return any(treatment.value_text(key) == word for key in treatment.attributes)


def _no_figure(effect: Effect) -> bool:
    return effect.basis is EffectBasis.NO_FIGURE


def _effect_text(effect: Effect) -> str:
    cites = f" [{', '.join(effect.sources)}]" if effect.sources else ""
    if _no_figure(effect):
        return f"no {effect.metric} reported by the sources cited{cites}"
    grade = effect.certainty.value
    graded = f"{grade} certainty" if grade != "not graded" else "certainty not graded"
    return (
        f"{figure(effect)} for {effect.outcome} vs {effect.comparator} in {effect.population} "
        f"({graded}){cites}"
    )


def _names(treatments: Sequence[Treatment]) -> str:
    names = [treatment.name for treatment in treatments]
    return ", ".join(names[:-1]) + f" and {names[-1]}"


def bottom_line_data(kb: KnowledgeBase, treatments: Sequence[Treatment]) -> dict[str, Any]:
    """The bottom line as fields for scripts: ids, booleans and words rather than sentences."""
    ids = [treatment.id for treatment in treatments]
    records = kb.head_to_head(ids)
    claims = kb.claims_about(ids)
    return {
        "head_to_head": {
            "recorded": bool(records),
            "direct_evidence": any(record.direct for record in records),
            "records": [as_data(record) for record in records],
        },
        "headline_effects": {
            treatment.id: [effect.id for effect in headline_effects(kb, treatment)]
            for treatment in treatments
        },
        "guideline_place": {
            attribute.id: {
                "places": {t.id: t.value_text(attribute.id) for t in treatments},
                "first_line": [t.id for t in kb.treatments_valued(attribute.id, FIRST_LINE)],
            }
            for attribute in _measured(kb, Measure.GUIDELINE_POSITION, None)
        },
        "flagged_claims": [c.id for v in WORST_FIRST for c in claims if c.verdict is v],
        "statements": [
            head_to_head(kb, treatments),
            exposure(kb, treatments),
            *figures_and_place(kb, treatments),
        ],
    }
