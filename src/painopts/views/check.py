"""`painopts check`: an article's check-worthy statements beside the knowledge file's evidence.

The answer first: restated claims whose verdict is worst, the screen's gaps, and what the file
does not cover; then every statement in article order with its evidence; then the screen.
A verdict appears only where a statement restates a claim a person checked.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

from painopts.check import Criterion, Result, Statement
from painopts.model import Effect, Group, KnowledgeBase, Verdict, as_data
from painopts.views.claims import WORST_FIRST
from painopts.views.document import Cell, Document, Section, Table, cited_keys, references
from painopts.views.effects import figure, outcome_key

STATEMENT_COLUMNS = ("#", "Statement", "Treatments", "Evidence in the knowledge file", "Verdict")
SCREEN_NOTE = (
    "An automatic screen of what the text shows, not a rating: a person must confirm each line."
)
NO_VERDICT = (
    "A verdict is shown only where a statement restates a claim a person checked (same "
    "treatments, point and polarity); everything else is the evidence, not a judgement."
)
EFFECTS_SHOWN = 2
"""Quantified effects shown per treatment in a statement's evidence (JSON has them all)."""


def check_view(kb: KnowledgeBase, result: Result, name: str) -> Document:
    """The article checked, as a document."""
    sections = (
        _bottom_line(kb, result, name),
        Section(
            "Statements, in article order",
            tables=(_statements_table(kb, result.statements),),
            notes=(NO_VERDICT,),
        ),
        Section("Automatic screen", tables=(_screen_table(result.screen),), notes=(SCREEN_NOTE,)),
    )
    return Document(
        kind="check",
        title=f"Check: {result.metadata.get('title') or name}",
        sections=sections,
        references=references(kb, cited_keys(sections)),
        disclaimer=kb.meta.disclaimer,
        data=_data(kb, result, name),
        main=STATEMENT_COLUMNS,
    )


def _bottom_line(kb: KnowledgeBase, result: Result, name: str) -> Section:
    statements = result.statements
    restated = [s for s in statements if s.verdict is not None]
    worst = sorted(restated, key=lambda s: WORST_FIRST.index(Verdict(s.verdict or "")))
    missing = [c.label.casefold() for c in result.screen if not c.found]
    uncovered = Counter(other for s in statements for other in s.not_covered)
    left = sum(result.left_out.values())
    notes = [
        f"{name} ({result.kind}): {len(statements)} check-worthy statements in "
        f"{result.sentences} sentences; {left} left out ({_reasons(result.left_out)}).",
        f"Restating a claim a person checked: {len(restated)}; with evidence in the knowledge "
        f"file but no verdict: {sum(1 for s in statements if s.treatments and s.verdict is None)};"
        f" about no treatment it covers: {sum(1 for s in statements if not s.treatments)}.",
    ]
    if uncovered:
        named = ", ".join(f"{each} ({count})" for each, count in uncovered.most_common(8))
        notes.append(f"Not in the knowledge file: {named}.")
    if missing:
        notes.append("The screen did not find: " + "; ".join(missing) + " (confirm by reading).")
    article = _article(result)
    if article:
        notes.append(article)
    tables: tuple[Table, ...] = ()
    if worst:
        rows = tuple(
            (
                Cell(s.verdict or "", verdict=Verdict(s.verdict or ""), unbreakable=True),
                Cell(s.same_claim or "", unbreakable=True),
                Cell(s.shown),
            )
            for s in worst
        )
        tables = (
            Table(
                "Restated checked claims, worst first",
                ("Verdict", "Claim", "The article says"),
                rows,
            ),
        )
    return Section("The answer first", tables=tables, notes=tuple(notes))


def _reasons(counts: dict[str, int] | Any) -> str:
    if not counts:
        return "none"
    return ", ".join(
        f"{count} {reason}" for reason, count in sorted(counts.items(), key=lambda i: -i[1])
    )


def _article(result: Result) -> str:
    meta = result.metadata
    parts = [
        f"{label} {meta[key]}"
        for key, label in (
            ("author", "by"),
            ("publisher", "published by"),
            ("published", "on"),
            ("modified", "updated"),
        )
        if meta.get(key)
    ]
    return "The page says: " + ", ".join(parts) + "." if parts else ""


def _statements_table(kb: KnowledgeBase, statements: Sequence[Statement]) -> Table:
    rows = tuple(
        (
            Cell(str(number), unbreakable=True),
            Cell(s.shown),
            Cell(_treatments_text(kb, s)),
            _evidence_cell(kb, s),
            _verdict_cell(s),
        )
        for number, s in enumerate(statements, start=1)
    )
    return Table("Statements", STATEMENT_COLUMNS, rows)


def _treatments_text(kb: KnowledgeBase, statement: Statement) -> str:
    names = [
        (treatment.name if (treatment := kb.treatment(t)) else t)
        + (" (from the paragraph)" if t in statement.from_context else "")
        for t in statement.treatments
    ]
    names += [f"{other} (not in the knowledge file)" for other in statement.not_covered]
    return "; ".join(names) or "none the knowledge file covers"


def _verdict_cell(statement: Statement) -> Cell:
    if statement.verdict is None:
        return Cell("no verdict", special=True)
    return Cell(
        f"{statement.verdict} ({statement.same_claim})",
        verdict=Verdict(statement.verdict),
        unbreakable=True,
    )


def _evidence_cell(kb: KnowledgeBase, statement: Statement) -> Cell:
    items = _evidence(kb, statement)
    if not statement.treatments:
        return Cell("not in the knowledge file (no treatment it covers)", special=True)
    if not items:
        return Cell("no attribute of the knowledge file matches this statement", special=True)
    lines = []
    cites: list[str] = []
    several = len(statement.treatments) > 1
    for item in items:
        certainty = f", {item['certainty']} certainty" if item["certainty"] else ""
        name = f"{item['treatment_name']}: " if several else ""
        lines.append(f"{name}{item['label']}: {item['value']}{certainty}")
        cites += item["sources"]
    for effect in _effects(kb, statement):
        name = f"{effect.treatment}: " if several else ""
        who = effect.population.split(";")[0].split(" (")[0]
        lines.append(f"{name}{figure(effect)} on {outcome_key(effect)}, {who}")
        cites += effect.sources
    return Cell("; ".join(lines), cites=tuple(dict.fromkeys(cites)))


def _evidence(kb: KnowledgeBase, statement: Statement) -> list[dict[str, Any]]:
    """The value of the statement's first attribute for each of its treatments.

    A statement about benefit gets the guideline position too.
    """
    if not statement.attributes:
        return []
    wanted = [statement.attributes[0]]
    first = kb.attribute(wanted[0])
    if first is not None and first.group is Group.BENEFIT and "neuropathic_line" not in wanted:
        wanted.append("neuropathic_line")
    found = []
    for treatment_id in statement.treatments:
        treatment = kb.treatment(treatment_id)
        for attribute_id in wanted:
            attribute = kb.attribute(attribute_id)
            value = treatment.attributes.get(attribute_id) if treatment else None
            if treatment is None or attribute is None or value is None:
                continue
            found.append(
                {
                    "treatment": treatment.id,
                    "treatment_name": treatment.name,
                    "attribute": attribute.id,
                    "label": attribute.label,
                    "value": value.value,
                    "certainty": value.certainty.value if value.certainty else None,
                    "sources": list(value.sources),
                }
            )
    return found


def _effects(
    kb: KnowledgeBase, statement: Statement, limit: int | None = EFFECTS_SHOWN
) -> list[Effect]:
    """The quantified effects of a statement's treatments, for a statement about benefit.

    Only those measured in the kind of pain the statement is about.
    """
    first = statement.attributes[0] if statement.attributes else None
    if first not in CONDITION_OF:
        return []
    return [
        effect
        for treatment in statement.treatments
        for effect in [e for e in kb.effects_of(treatment) if _fits(e, first)][:limit]
    ]


CONDITION_OF = {"evidence_neuropathic": True, "evidence_non_neuropathic": False}
"""The benefit attributes, and whether each is about neuropathic pain."""
NEUROPATHIC_PEOPLE = re.compile(r"neuropath|neuralgia", re.IGNORECASE)
MIXED_PEOPLE = re.compile(r"neuropathic or not|mixed", re.IGNORECASE)


def _fits(effect: Effect, attribute: str) -> bool:
    """Whether an effect was measured in the kind of pain an attribute is about."""
    if MIXED_PEOPLE.search(effect.population):
        return True
    return bool(NEUROPATHIC_PEOPLE.search(effect.population)) == CONDITION_OF[attribute]


def _screen_table(screen: Sequence[Criterion]) -> Table:
    rows = tuple(
        (
            Cell(criterion.label),
            Cell(criterion.instrument),
            Cell("found" if criterion.found else "not found", special=not criterion.found),
            Cell(criterion.evidence or "-"),
        )
        for criterion in sorted(screen, key=lambda c: c.found)
    )
    return Table("Screen", ("Criterion", "Instrument", "In the text", "Where"), rows)


def _data(kb: KnowledgeBase, result: Result, name: str) -> dict[str, Any]:
    return {
        "article": {"name": name, "read_as": result.kind, **dict(result.metadata)},
        "sentences": result.sentences,
        "left_out": dict(result.left_out),
        "statements": [_statement_data(kb, s) for s in result.statements],
        "screen": [as_data(criterion) for criterion in result.screen],
        "screen_note": SCREEN_NOTE,
    }


def _statement_data(kb: KnowledgeBase, statement: Statement) -> dict[str, Any]:
    data = as_data(statement)
    data["evidence"] = [
        {key: value for key, value in item.items() if key not in ("treatment_name", "label")}
        for item in _evidence(kb, statement)
    ]
    data["effects"] = [effect.id for effect in _effects(kb, statement, limit=None)]
    data["treatments"] = list(statement.treatments)
    return data
