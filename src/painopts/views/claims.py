"""`painopts claims` and `painopts report`: the article's claims, and one printable document."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from painopts.model import (
    Claim,
    Condition,
    KnowledgeBase,
    SelectionError,
    Treatment,
    UnknownNameError,
    Verdict,
    as_data,
)
from painopts.views.catalog import sources_view
from painopts.views.compare import compare
from painopts.views.document import (
    Cell,
    Document,
    Records,
    Section,
    Table,
    cited_keys,
    ids,
    references,
)
from painopts.views.shared import AUDIT_HINT, by_article, claim_data, claims_table, quality_line


def select_claims(
    kb: KnowledgeBase,
    treatments: Sequence[Treatment] = (),
    verdicts: Sequence[Verdict] = (),
    articles: Sequence[str] = (),
) -> tuple[Claim, ...]:
    """Claims that match every filter given; several values of one filter mean any of them.

    An unknown article is an UnknownNameError.
    """
    about = {treatment.id for treatment in treatments}
    for article in articles:
        if kb.article(article) is None:
            raise UnknownNameError("article", article, [known.id for known in kb.articles])
    return tuple(
        claim
        for claim in kb.claims
        if (not about or about.intersection(claim.treatments))
        and (not verdicts or claim.verdict in verdicts)
        and (not articles or claim.article in articles)
    )


WORST_FIRST = (
    Verdict.CONTRADICTED,
    Verdict.MISLEADING,
    Verdict.UNSUPPORTED,
    Verdict.PARTLY_SUPPORTED,
    Verdict.SUPPORTED,
)
"""Verdicts in the order a reader needs them: what the evidence contradicts first."""


def verdict_counts(claims: Sequence[Claim]) -> Table:
    """How many claims got each verdict, every verdict listed (zero included), worst first."""
    counts = Counter(claim.verdict for claim in claims)
    rows = tuple((Cell(v.value, verdict=v), Cell(str(counts[v]))) for v in WORST_FIRST)
    return Table(
        "Verdicts",
        ("Verdict", "Claims"),
        (*rows, (Cell("total"), Cell(str(len(claims))))),
        compact=True,
    )


def worst_first(claims: Sequence[Claim]) -> list[Claim]:
    """The claims ordered by verdict, contradicted first, in file order within a verdict."""
    return sorted(claims, key=lambda claim: WORST_FIRST.index(claim.verdict))


def glance_table(title: str, claims: Sequence[Claim]) -> Table:
    """One line per claim: its id, the verdict, what it is about."""
    rows = tuple(
        (
            Cell(claim.id, unbreakable=True),
            Cell(claim.verdict.value, verdict=claim.verdict, unbreakable=True),
            Cell(claim.topic),
        )
        for claim in worst_first(claims)
    )
    return Table(title, ("Claim", "Verdict", "About"), rows, compact=True, anchored=True)


def claims_view(kb: KnowledgeBase, claims: Sequence[Claim], long: bool = False) -> Document:
    """A verdict tally, then the claims: one line each, or (``long``) with the assessments."""
    heading = "Claims checked"
    table = claims_table if long else glance_table
    groups = by_article(claims, several=len(kb.articles) > 1) or {None: []}
    shown = [_claims_shown(table, heading, article, own) for article, own in groups.items()]
    notes = tuple(_article_notes(kb, claims)) or ("No claim matches these filters.",)
    hint = () if long or not claims else ("painopts claims ID (or --long) explains a verdict.",)
    checked = {claim.article for claim in claims}
    scored = (AUDIT_HINT,) if any(r.article in checked for r in kb.ratings) else ()
    shown[-1] = dataclasses.replace(shown[-1], hints=hint + scored)
    sections = (Section("Verdicts", tables=(verdict_counts(claims),), notes=notes), *shown)
    return Document(
        kind="claims",
        title=heading,
        sections=sections,
        references=references(kb, cited_keys(sections)),
        disclaimer=kb.meta.disclaimer,
        data=_claims_data(kb, claims),
        claims=tuple(claims),
        main=table(heading, ()).columns,
        records=claim_records(claims),
    )


def _claims_shown(
    table: Callable[[str, Sequence[Claim]], Table],
    heading: str,
    article: str | None,
    claims: Sequence[Claim],
) -> Section:
    """One article's claims (named, where several share the base) in a section of their own."""
    titled = f"{heading}, article {article}" if article else heading
    return Section(titled, tables=(table(titled, claims),) if claims else ())


def claim_view(kb: KnowledgeBase, claim_id: str, filtered: bool = False) -> Document:
    """One claim in full: where the article makes it, what it says, the verdict and why.

    ``filtered`` says that filters were given too, which one claim id leaves nothing to do.
    """
    if filtered:
        raise SelectionError("give a claim id or filters (--treatment, --verdict, --article)")
    claim = next((each for each in kb.claims if each.id == claim_id), None)
    if claim is None:
        raise UnknownNameError("claim", claim_id, _close(claim_id, [c.id for c in kb.claims]))
    article = kb.article(claim.article)
    facts = (
        ("Verdict", Cell(claim.verdict.value, verdict=claim.verdict, unbreakable=True)),
        ("Claim", Cell(claim.id, unbreakable=True)),
        ("The article says", Cell(f'"{claim.quote}"')),
        ("Assessment", Cell(claim.assessment, cites=claim.sources)),
        ("In neutral words", Cell(claim.paraphrase)),
        ("About", Cell(claim.topic)),
        ("Treatments", Cell(", ".join(claim.treatments) or "none named")),
        ("Attribute", Cell(claim.attribute or "none")),
        ("Article", Cell(article.title if article else claim.article)),
        ("Section", Cell(claim.section)),
    )
    rows = tuple((Cell(label), cell) for label, cell in facts)
    heading = f"Verdict: {claim.verdict.value}"
    sections = (Section(heading, tables=(Table(heading, ("Field", "Value"), rows),)),)
    return Document(
        kind="claims",
        title=f"Claim {claim.id}",
        sections=sections,
        references=references(kb, cited_keys(sections)),
        disclaimer=kb.meta.disclaimer,
        data=_claims_data(kb, (claim,)),
        claims=(claim,),
        records=claim_records((claim,)),
    )


CLAIM_COLUMNS = (
    "claim",
    "verdict",
    "article",
    "section",
    "topic",
    "attribute",
    "treatments",
    "quote",
    "paraphrase",
    "assessment",
    "sources",
)


def claim_records(claims: Sequence[Claim]) -> Records:
    """One record per claim, worst verdict first; treatments and sources as ids."""
    rows = tuple(
        (
            claim.id,
            claim.verdict.value,
            claim.article,
            claim.section,
            claim.topic,
            claim.attribute,
            ids(claim.treatments),
            claim.quote,
            claim.paraphrase,
            claim.assessment,
            ids(claim.sources),
        )
        for claim in worst_first(claims)
    )
    return Records(CLAIM_COLUMNS, rows)


def _close(name: str, known: list[str]) -> list[str]:
    import difflib

    return difflib.get_close_matches(name, known, n=3, cutoff=0.6)


def _article_notes(kb: KnowledgeBase, claims: Sequence[Claim]) -> Iterator[str]:
    checked = dict.fromkeys(claim.article for claim in claims)
    for article in kb.articles:
        if article.id in checked:
            yield f"Claims of: {article.title}. Publisher: {article.publisher}."
            scores = quality_line(kb, article.id)
            if scores:
                yield scores


def _claims_data(kb: KnowledgeBase, claims: Sequence[Claim]) -> dict[str, Any]:
    counts = Counter(claim.verdict for claim in claims)
    return {
        "verdict_counts": {verdict.value: counts[verdict] for verdict in WORST_FIRST},
        "claims": {claim.id: claim_data(claim) for claim in claims},
        "articles": {a.id: as_data(a, exclude=frozenset({"id"})) for a in kb.articles},
    }


def article_treatments(kb: KnowledgeBase) -> list[Treatment]:
    """The two treatments the articles' claims name most often, most named first."""
    counts = Counter(t for claim in kb.claims for t in claim.treatments)
    ranked = [kb.treatment(treatment_id) for treatment_id, _ in counts.most_common(2)]
    return [treatment for treatment in ranked if treatment is not None]


def report(kb: KnowledgeBase, condition: Condition | None = None) -> Document:
    """One document: the article, the comparison it invites, every claim, the audit, sources."""
    from painopts.views.audit import audit

    articles = Section(
        "The articles" if len(kb.articles) > 1 else "The article",
        notes=tuple(
            f"{article.title}. Publisher: {article.publisher}. {article.summary} "
            f"Conflicts of interest: {article.conflicts_of_interest}"
            for article in kb.articles
        ),
    )
    treatments = article_treatments(kb)
    compared = (
        compare(kb, treatments, full=True, condition=condition, claim_tables=False)
        if len(treatments) > 1
        else None
    )
    comparison = compared.sections if compared else ()  # its claims are all listed next
    claims = claims_view(kb, kb.claims, long=True)
    audited = audit(kb) if kb.ratings else None
    sections = (
        articles,
        *comparison,
        *claims.sections,
        *(audited.sections if audited else ()),
    )
    cited = [reference.key for reference in references(kb, cited_keys(sections))]
    bibliography = sources_view(kb, cited)
    return Document(
        kind="report",
        title=kb.meta.title,
        sections=(*sections, *bibliography.sections),
        references=(),
        disclaimer=kb.meta.disclaimer,
        data={
            "comparison": compared.data if compared else None,
            "claims": claims.data["claims"],
            "articles": claims.data["articles"],
            "audit": audited.data if audited else None,
            "sources": bibliography.data["sources"],
        },
        warnings=compared.warnings if compared else (),
        claims=claims.claims,
    )
