"""`painopts claims` and `painopts report`: the article's claims, and one printable document."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from painopts.model import Claim, KnowledgeBase, Treatment, UnknownNameError, Verdict, as_data
from painopts.views.catalog import sources_view
from painopts.views.compare import claim_data, claims_table, compare
from painopts.views.document import Cell, Document, Section, Table, cited_keys, references


def select_claims(
    kb: KnowledgeBase,
    treatment: Treatment | None = None,
    verdict: Verdict | None = None,
    article: str | None = None,
) -> tuple[Claim, ...]:
    """Claims that match every filter given; an unknown article is an UnknownNameError."""
    if article is not None and kb.article(article) is None:
        raise UnknownNameError("article", article, [known.id for known in kb.articles])
    return tuple(
        claim
        for claim in kb.claims
        if (treatment is None or treatment.id in claim.treatments)
        and (verdict is None or claim.verdict is verdict)
        and (article is None or claim.article == article)
    )


def verdict_counts(claims: Sequence[Claim]) -> Table:
    """How many claims got each verdict, every verdict listed (zero included)."""
    counts = Counter(claim.verdict for claim in claims)
    rows = tuple((Cell(v.value, verdict=v), Cell(str(counts[v]))) for v in Verdict)
    return Table(
        "Verdicts", ("Verdict", "Claims"), (*rows, (Cell("total"), Cell(str(len(claims)))))
    )


def claims_view(kb: KnowledgeBase, claims: Sequence[Claim]) -> Document:
    """Claims with quote, paraphrase, verdict, assessment and sources, then verdict counts."""
    heading = "Claims checked"
    tables = (claims_table(heading, claims),) if claims else ()
    checked = dict.fromkeys(claim.article for claim in claims)
    notes = tuple(
        f"Claims of: {article.title}. Publisher: {article.publisher}."
        for article in kb.articles
        if article.id in checked
    ) or ("No claim matches these filters.",)
    sections = (
        Section(heading, tables=tables, notes=notes),
        Section("Verdicts", tables=(verdict_counts(claims),)),
    )
    return Document(
        kind="claims",
        title=heading,
        sections=sections,
        references=references(kb, cited_keys(sections)),
        disclaimer=kb.meta.disclaimer,
        data={
            "claims": {claim.id: claim_data(claim) for claim in claims},
            "articles": {a.id: as_data(a, exclude=frozenset({"id"})) for a in kb.articles},
        },
        claims=tuple(claims),
    )


def article_treatments(kb: KnowledgeBase) -> list[Treatment]:
    """The two treatments the articles' claims name most often, most named first."""
    counts = Counter(t for claim in kb.claims for t in claim.treatments)
    ranked = [kb.treatment(treatment_id) for treatment_id, _ in counts.most_common(2)]
    return [treatment for treatment in ranked if treatment is not None]


def report(kb: KnowledgeBase) -> Document:
    """One document: the article, the comparison it invites, every claim, and the sources."""
    articles = Section(
        "The article",
        notes=tuple(
            f"{article.title}. Publisher: {article.publisher}. {article.summary} "
            f"Conflicts of interest: {article.conflicts_of_interest}"
            for article in kb.articles
        ),
    )
    compared = compare(kb, article_treatments(kb))
    claims = claims_view(kb, kb.claims)
    sections = (articles, *compared.sections[:-2], *claims.sections, compared.sections[-1])
    cited = [reference.key for reference in references(kb, cited_keys(sections))]
    bibliography = sources_view(kb, cited)
    return Document(
        kind="report",
        title=kb.meta.title,
        sections=(*sections, *bibliography.sections),
        references=(),
        disclaimer=kb.meta.disclaimer,
        data={
            "comparison": compared.data,
            "claims": claims.data["claims"],
            "articles": claims.data["articles"],
            "sources": bibliography.data["sources"],
        },
        warnings=compared.warnings,
        claims=claims.claims,
    )
