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
    SCALED,
    Attribute,
    AttributeKind,
    Claim,
    Condition,
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
    record,
)
from painopts.views.document import Section
from painopts.views.effects import figure
from painopts.views.place import guideline_place, place_data
from painopts.views.shared import AUDIT_HINT, quality_line

HEADING = "Bottom line"
FIGURES_HEADING = "Benefits, harms and guideline place"
CLAIMS_HEADING = "What the article claims about them"
FIRST_LINE = "first-line"
NOT_RANKED = "So levels below are shown side by side, never ranked."
NONE_REPORTED_MEANS = (
    "'None reported' means the cited sources report no such effect, which is not proof that it "
    "never happens."
)
BENEFIT_METRICS = (EffectMetric.NNT, EffectMetric.MD, EffectMetric.SMD, EffectMetric.RD)
"""Metrics the headline benefit figures take first."""
FIGURES = (
    "Each figure is against its own comparator, so figures are not comparable across treatments."
)
SERIOUS = "serious_risks"
"""The attribute whose value the bottom line gives as each option's serious risks."""
WORST_FIRST = (Verdict.CONTRADICTED, Verdict.MISLEADING, Verdict.UNSUPPORTED)
"""The verdicts the bottom line lists claim by claim; the others are counted."""
CONDITION_HINT = "--condition ID: one condition."


@record
class BottomLine:
    """The bottom line, worked out once: its sections for people, its fields for scripts."""

    sections: tuple[Section, ...]
    data: dict[str, Any]


def bottom_line(
    kb: KnowledgeBase, treatments: Sequence[Treatment], condition: Condition | None = None
) -> BottomLine:
    """The plain-words sections that open a comparison (for one condition, if given).

    Every format shows the same statements: the sections' notes are the data's ``statements``.
    """
    heading = FIGURES_HEADING + (f", for {condition.name}" if condition else "")
    opening = (head_to_head(kb, treatments), exposure(kb, treatments))
    figures = tuple(figures_and_place(kb, treatments, condition))
    choose = (CONDITION_HINT,) if condition is None and kb.conditions else ()
    sections = (
        Section(HEADING, notes=opening),
        article_section(kb, treatments),
        Section(heading, notes=figures, hints=choose),
    )
    data = bottom_line_data(kb, treatments, condition)
    return BottomLine(sections, {**data, "statements": [*opening, *figures]})


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
    for finding in records:
        among = sorted({place[i] for i in finding.treatments if i in place})
        covered.update(combinations(among, 2))
        prefix = "Head-to-head" if finding.direct else "No head-to-head evidence"
        if len(treatments) > 2:
            prefix += f" ({_names([treatments[number] for number in among])})"
        said.append(f"{prefix}: {finding.summary} [{', '.join(finding.sources)}]")
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
    """How each is given (route and setting, or its routes), and why levels are not ranked."""
    practical = [a for a in (kb.attribute("route"), kb.attribute("setting")) if a is not None]
    given = [
        f"{t.name}: {'; '.join(t.value_text(a.id) for a in practical) or ', '.join(t.routes)}."
        for t in treatments
    ]
    none = [NONE_REPORTED_MEANS] if any(_uses(t, NONE_REPORTED) for t in treatments) else []
    return " ".join(["How each is given:", *given, NOT_RANKED, *none])


def figures_and_place(
    kb: KnowledgeBase, treatments: Sequence[Treatment], condition: Condition | None = None
) -> Iterator[str]:
    """Each one's benefit figures and, beside them, its harms; then where guidelines place them."""
    said = [
        f"{t.name}. Benefit: {benefits(kb, t, condition)}. Harms: {harms(kb, t, condition)}."
        for t in treatments
    ]
    yield " ".join([FIGURES, *said])
    yield from guideline_place(kb, treatments, condition)


def benefits(kb: KnowledgeBase, treatment: Treatment, condition: Condition | None = None) -> str:
    """A treatment's headline benefit figures, or their absence (as words).

    For the condition if given; else for the nearest broader condition with any, saying so.
    """
    if condition is None:
        every = [_effect_text(kb, e, None) for e in headline_effects(kb, treatment)]
        return "; ".join(every) or "no figure recorded"
    for level in kb.broader(condition.id):
        effects = headline_effects(kb, treatment, level)
        if effects:
            broader = kb.condition(level) if level != condition.id else None
            said = "; ".join(_effect_text(kb, e, broader or condition) for e in effects)
            if broader is not None:  # named once, for all its figures
                said = f"no figure recorded for this condition; for {broader.name}: {said}"
            return said
    return "no figure recorded for this condition"


def headline_effects(
    kb: KnowledgeBase, treatment: Treatment, condition_id: str | None = None
) -> list[Effect]:
    """The benefit figures a clinician asks first, the same kinds for every treatment.

    The NNT (or the record that none exists) and the first effect on a continuous scale (a mean
    difference), reported figures before derived ones; when neither gives a figure, the first
    other reported benefit (percentages, risk ratios). Each as the file has it, for the
    condition if one is given.
    """
    effects = [e for e in kb.effects_of(treatment.id, condition_id) if not e.harm]
    nnt = _best([e for e in effects if e.metric is EffectMetric.NNT], with_none=True)
    scaled = _best([e for e in effects if e.metric in SCALED])
    chosen = nnt[:1] + scaled[:1]
    if all(_no_figure(e) for e in chosen):
        others = [e for e in effects if e.basis is EffectBasis.REPORTED]
        chosen += [e for e in others if e.metric not in BENEFIT_METRICS][:1]
    return chosen


def _best(effects: list[Effect], with_none: bool = False) -> list[Effect]:
    """The reported figures, else those derived from reported ones.

    Else, with ``with_none``, the records that no figure exists.
    """
    order = [EffectBasis.REPORTED, EffectBasis.DERIVED, *([EffectBasis.NO_FIGURE] * with_none)]
    for basis in order:
        found = [e for e in effects if e.basis is basis]
        if found:
            return found
    return []


def headline_harms(
    kb: KnowledgeBase, treatment: Treatment, condition_id: str | None = None
) -> list[Effect]:
    """The first harm figure (an NNH first).

    For the condition, else the nearest broader one with any, else any.
    """
    levels = kb.broader(condition_id) if condition_id else ()
    for where in dict.fromkeys((*levels, None)):
        harmful = [e for e in kb.effects_of(treatment.id, where) if e.harm and not _no_figure(e)]
        nnh = [e for e in harmful if e.metric is EffectMetric.NNH]
        if harmful:
            return (nnh or harmful)[:1]
    return []


def harms(kb: KnowledgeBase, treatment: Treatment, condition: Condition | None = None) -> str:
    """A treatment's harm figure and its serious risks in a few words, with sources (as words)."""
    where = condition.id if condition else None
    shown = headline_effects(kb, treatment, where)
    said = [_harm_text(kb, e, shown, condition) for e in headline_harms(kb, treatment, where)]
    serious = treatment.attributes.get(SERIOUS)
    if serious is not None:
        cites = f" [{', '.join(serious.sources)}]" if serious.sources else ""
        said.append(f"serious risks: {serious.value}{cites}")
    return "; ".join(said) or "none recorded"


def article_section(kb: KnowledgeBase, treatments: Sequence[Treatment]) -> Section:
    """The article's claims about these treatments that the evidence does not bear out.

    Named by id under their verdict, worst first, in one paragraph: the compact view has no
    room for a table of them (a hint names the command that gives one).
    """
    claims = kb.claims_about(treatment.id for treatment in treatments)
    several = len(kb.articles) > 1
    heading = "What the articles claim about them" if several else CLAIMS_HEADING
    if not claims:
        said = "No article makes a" if several else "The article makes no"
        return Section(heading, notes=(f"{said} claim about these.",))
    articles = dict.fromkeys(claim.article for claim in claims)
    notes = []
    for article_id in articles:  # with several articles, each is named and tallied on its own
        own = [claim for claim in claims if claim.article == article_id]
        flagged = [c for v in WORST_FIRST for c in own if c.verdict is v]
        rest = [claim for claim in own if claim.verdict not in WORST_FIRST]
        who = f"The article {article_id}" if several else "The article"
        scores = [line] if (line := quality_line(kb, article_id, named=several)) else []
        notes.append(" ".join([_tally(flagged, rest, who), *scores]))
    ids = " ".join(f"--treatment {t.id}" for t in treatments)
    if len(treatments) > 3:
        ids = "--treatment ID, once for each,"
    hints: tuple[str, ...] = (f"painopts claims {ids}: every claim.",)
    if any(rating.article in articles for rating in kb.ratings):
        hints += (AUDIT_HINT,)
    return Section(heading, notes=tuple(notes), hints=hints)


def _tally(flagged: list[Claim], rest: list[Claim], who: str) -> str:
    groups = [
        f"{v.value} ({len(named)}): {', '.join(named)}"
        for v in WORST_FIRST
        if (named := [c.id for c in flagged if c.verdict is v])
    ]
    text = "; ".join(groups) if groups else "no claim contradicted, misleading or unsupported"
    total = counted(len(flagged) + len(rest), "claim")
    return f"{who} makes {total} about them: {text}; {len(rest)} supported or partly supported."


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


def _effect_text(kb: KnowledgeBase, effect: Effect, condition: Condition | None) -> str:
    """A figure with what it takes to read it: scale, outcome, condition, time point, certainty.

    The condition is named unless the bottom line speaks for it; the population is in --full.
    """
    cites = f" [{', '.join(effect.sources)}]" if effect.sources else ""
    if _no_figure(effect):
        return f"no {effect.metric} reported{cites}"
    grade = effect.certainty.value
    graded = f"{grade} certainty" if grade != "not graded" else "certainty not graded"
    scale = f", {effect.scale}," if effect.scale else ""
    about = [effect.intervention] if effect.intervention else []
    if condition is None or effect.condition != condition.id:
        named = kb.condition(effect.condition) if effect.condition else None
        about.append(named.name if named else effect.population)
    context = "; ".join([*about, effect.time_point, graded])
    return f"{figure(effect)}{scale} for {effect.outcome} vs {effect.comparator} ({context}){cites}"


def _harm_text(
    kb: KnowledgeBase, harm: Effect, shown: Sequence[Effect], condition: Condition | None
) -> str:
    """A harm figure; from the same trials as a benefit figure shown, said so instead of again."""
    twin = next((e for e in shown if _same_trials(e, harm)), None)
    if twin is None:
        return _effect_text(kb, harm, condition)
    grade = harm.certainty.value
    graded = f"{grade} certainty" if grade != "not graded" else "certainty not graded"
    return (
        f"{figure(harm)} for {harm.outcome} vs {harm.comparator} (the {twin.metric}'s "
        f"trials; {graded}) [{', '.join(harm.sources)}]"
    )


def _same_trials(one: Effect, other: Effect) -> bool:
    fields = ("sources", "intervention", "population", "comparator", "time_point", "condition")
    return all(getattr(one, name) == getattr(other, name) for name in fields)


def _names(treatments: Sequence[Treatment]) -> str:
    names = [treatment.name for treatment in treatments]
    return ", ".join(names[:-1]) + f" and {names[-1]}"


def bottom_line_data(
    kb: KnowledgeBase, treatments: Sequence[Treatment], condition: Condition | None = None
) -> dict[str, Any]:
    """The bottom line as fields for scripts: ids, booleans and words rather than sentences.

    `bottom_line` adds the sentences it shows as ``statements``.
    """
    ids = [treatment.id for treatment in treatments]
    records = kb.head_to_head(ids)
    claims = kb.claims_about(ids)
    where = condition.id if condition else None
    return {
        "head_to_head": {
            "recorded": bool(records),
            "direct_evidence": any(record.direct for record in records),
            "records": [as_data(record) for record in records],
        },
        "condition": condition.id if condition else None,
        "headline_effects": {
            t.id: [effect.id for effect in headline_effects(kb, t, where)] for t in treatments
        },
        "headline_harms": {
            t.id: [effect.id for effect in headline_harms(kb, t, where)] for t in treatments
        },
        "guideline_place": place_data(kb, treatments, condition),
        "flagged_claims": [c.id for v in WORST_FIRST for c in claims if c.verdict is v],
    }
