"""What several views show alike: a value as a cell, and the article's claims as tables."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from painopts.model import (
    SPECIAL_VALUES,
    Attribute,
    Claim,
    KnowledgeBase,
    Treatment,
    Value,
    as_data,
)
from painopts.views.audit import SHORT_NAMES, ratings_for
from painopts.views.document import Cell, Section, Table
from painopts.views.scoring import score

AUDIT_HINT = "painopts audit: the scores in detail."
"""Where a terminal user reads the article-quality scores in full."""


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


def claims_heading(about: str = "", article: str | None = None) -> str:
    """'What the article claims' (about what), naming the article where several share the base."""
    said = f"What the article {article} claims" if article else "What the article claims"
    return f"{said} {about}" if about else said


def by_article(claims: Sequence[Claim], several: bool) -> dict[str | None, list[Claim]]:
    """The claims by article id, in order of first appearance; all under None unless several."""
    if not several:
        return {None: list(claims)}
    found: dict[str | None, list[Claim]] = {}
    for claim in claims:
        found.setdefault(claim.article, []).append(claim)
    return found


def related_claims(
    kb: KnowledgeBase, treatments: Sequence[Treatment], about: Sequence[Attribute] = ()
) -> tuple[Claim, ...]:
    """Claims that name any of the treatments (and, if given, one of the attributes)."""
    topics = {attribute.id for attribute in about}
    claims = kb.claims_about(treatment.id for treatment in treatments)
    return tuple(claim for claim in claims if not topics or claim.attribute in topics)


def claims_table(title: str, claims: Sequence[Claim]) -> Table:
    """Claims as rows: what the article says, the verdict, and why."""
    rows = tuple(
        (
            Cell(claim.id, unbreakable=True),
            Cell(f'"{claim.quote}": {claim.paraphrase}'),
            Cell(claim.verdict.value, verdict=claim.verdict),
            Cell(claim.assessment, cites=claim.sources),
        )
        for claim in claims
    )
    columns = ("Claim", "The article says", "Verdict", "Assessment")
    return Table(title, columns, rows, anchored=True)


def verdicts_table(title: str, claims: Sequence[Claim]) -> Table:
    """Claims as short rows: the article's words and the verdict, with the verdict's sources."""
    rows = tuple(
        (
            Cell(claim.id, unbreakable=True),
            Cell(f'"{claim.quote}"'),
            Cell(claim.verdict.value, verdict=claim.verdict, cites=claim.sources),
        )
        for claim in claims
    )
    return Table(title, ("Claim", "The article says", "Verdict"), rows)


def claims_sections(
    claims: Sequence[Claim], about: str = "", treatment: str = "ID", several: bool = False
) -> tuple[Section, ...]:
    """The claims as a verdict table, pointing at `painopts claims` for the assessments.

    Where ``several`` articles share the base, a section for each article's claims, named.
    """
    if not claims:
        said = "No article makes a" if several else "The article makes no"
        return (Section(claims_heading(about), notes=(f"{said} claim about this.",)),)
    hint = f"painopts claims --treatment {treatment} explains each verdict, with its sources."
    headed = [
        (claims_heading(about, article), own)
        for article, own in by_article(claims, several).items()
    ]
    sections = [Section(heading, tables=(verdicts_table(heading, own),)) for heading, own in headed]
    sections[-1] = dataclasses.replace(sections[-1], hints=(hint,))
    return tuple(sections)


def quality_line(kb: KnowledgeBase, article_id: str, named: bool = True) -> str | None:
    """The article's score on each instrument in one sentence, or None when it has no ratings.

    In words for any reader: where to read the details is a hint (`AUDIT_HINT`). ``named``
    gives the article's id (not needed right after a sentence about the only article).
    """
    rated = ratings_for(kb, article_id)
    if not rated:
        return None
    parts = [f"{SHORT_NAMES.get(i.id, i.name)} {score(i, item).short}" for i, item in rated]
    which = f" ({article_id})" if named else ""
    return f"Article quality{which}: {'; '.join(parts)}."


def claim_data(claim: Claim) -> dict[str, Any]:
    """A claim as JSON-ready data, without its id (the id is the key)."""
    return as_data(claim, exclude=frozenset({"id"}))
