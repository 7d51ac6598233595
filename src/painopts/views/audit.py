"""`painopts audit`: an article rated as a source on published quality instruments.

Each instrument gets a table (criterion, rating as a word and a symbol, one-line reason with
its sources, the claims it rests on) and its score by the instrument's own rule
(`painopts.views.scoring`). The data carries the same as ids and numbers for scripts and for
the schema.org Review renderer.
"""

from __future__ import annotations

import difflib
from typing import Any

from painopts.model import (
    NOT_APPLICABLE,
    Article,
    ArticleRating,
    Instrument,
    KnowledgeBase,
    UnknownNameError,
    as_data,
)
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
from painopts.views.scoring import Score, score

NOT_APPLICABLE_LABEL = "not applicable"
SHORT_NAMES = {"hnr-release": "HealthNewsReview", "discern": "DISCERN", "jama": "JAMA"}
"""Names for the one-line summary; other instruments go by their own name."""


def rating_label(instrument: Instrument, value: str) -> str:
    """A rating in words: ``Satisfactory``, ``2 of 5: Partly``, ``not applicable``."""
    if value == NOT_APPLICABLE:
        return NOT_APPLICABLE_LABEL
    level = instrument.level(value)
    if level is None:
        return f"{value} (not on the scale)"
    if len(instrument.scale) == 2:
        return level.label
    return f"{level.value} of {instrument.scale[-1].value}: {level.label}"


def rating_cell(instrument: Instrument, value: str) -> Cell:
    """A rating as a cell: its words, and its place on the scale for the renderer's symbol."""
    level = instrument.level(value)
    if value == NOT_APPLICABLE or level is None:
        return Cell(rating_label(instrument, value), special=True)
    position = (instrument.scale.index(level), len(instrument.scale))
    return Cell(rating_label(instrument, value), rating=position)


def _numeric(instrument: Instrument) -> bool:
    return all(level.value.isdigit() for level in instrument.scale)


def rating_value(instrument: Instrument, value: str) -> tuple[int | None, int, int]:
    """The rating as (value, worst, best): the number on a numeric scale, else its position."""
    if _numeric(instrument):
        worst, best = int(instrument.scale[0].value), int(instrument.scale[-1].value)
        return (int(value) if value.isdigit() else None), worst, best
    values = [level.value for level in instrument.scale]
    return (values.index(value) if value in values else None), 0, len(values) - 1


def ratings_for(kb: KnowledgeBase, article_id: str) -> list[tuple[Instrument, ArticleRating]]:
    """The article's ratings on known instruments, in the order the instruments are defined."""
    found = []
    for instrument in kb.instruments:
        for rated in kb.ratings:
            if rated.article == article_id and rated.instrument == instrument.id:
                found.append((instrument, rated))
    return found


def _article(kb: KnowledgeBase, article_id: str) -> Article:
    article = kb.article(article_id)
    if article is None:
        known = [item.id for item in kb.articles]
        raise UnknownNameError(
            "article", article_id, difflib.get_close_matches(article_id, known, n=3, cutoff=0.6)
        )
    return article


def criteria_table(instrument: Instrument, rated: ArticleRating) -> Table:
    """One row per criterion: label and question, rating, reason with its sources, claim ids."""
    rows = []
    for criterion in instrument.criteria:
        item = rated.rating(criterion.id)
        head = Cell(f"{criterion.label}: {criterion.question}")
        if item is None:
            rows.append((head, Cell("not rated", special=True), Cell(""), Cell("")))
            continue
        reason = Cell(item.reason, cites=item.sources)
        claims = Cell("\n".join(item.claims) or "none", unbreakable=True, special=not item.claims)
        rows.append((head, rating_cell(instrument, item.rating), reason, claims))
    columns = ("Criterion", "Rating", "Reason", "Claims it rests on")
    return Table(instrument.name, columns, tuple(rows))


def audit_data(instrument: Instrument, rated: ArticleRating, result: Score) -> dict[str, Any]:
    """One instrument's audit as JSON-ready data keyed by ids."""
    criteria = {}
    for criterion in instrument.criteria:
        item = rated.rating(criterion.id)
        value, worst, best = rating_value(instrument, item.rating if item else "")
        criteria[criterion.id] = {
            "label": criterion.label,
            "question": criterion.question,
            "overall": criterion.overall,
            "rating": item.rating if item else None,
            "rating_label": rating_label(instrument, item.rating) if item else None,
            "value": value,
            "worst": worst,
            "best": best,
            "reason": item.reason if item else None,
            "sources": list(item.sources) if item else [],
            "claims": list(item.claims) if item else [],
        }
    return {
        "name": instrument.name,
        "scoring": instrument.scoring.value,
        "sources": list(instrument.sources),
        "basis": rated.basis,
        "criteria": criteria,
        "score": {"value": result.value, "best": result.best, "text": result.text} | result.details,
    }


def _article_sections(kb: KnowledgeBase, article: Article) -> tuple[list[Section], dict[str, Any]]:
    rated = ratings_for(kb, article.id)
    intro = (
        f"{article.title}. Publisher: {article.publisher}. "
        f"Conflicts of interest: {article.conflicts_of_interest}"
    )
    if not rated:
        note = "No instrument ratings are recorded for this article."
        return [Section(f"Article: {article.id}", notes=(intro, note))], {}
    scores = [(instrument, item, score(instrument, item)) for instrument, item in rated]
    bases = dict.fromkeys(item.basis for _, item in rated)
    notes = (
        "Scores, each by its instrument's own rule:",
        *(
            f"{instrument.name}: {result.text}. [{', '.join(instrument.sources)}]"
            for instrument, _, result in scores
        ),
        intro,
        *(f"What the ratings rest on: {basis}" for basis in bases),
    )
    sections = [Section(f"Article: {article.id}", notes=notes)]
    sections += [
        Section(instrument.name, tables=(criteria_table(instrument, item),))
        for instrument, item, _ in scores
    ]
    return sections, {i.id: audit_data(i, item, s) for i, item, s in scores}


def audit(kb: KnowledgeBase, article_id: str | None = None) -> Document:
    """The article (or every article with ratings) rated on each instrument, with scores."""
    if article_id is not None:
        articles = [_article(kb, article_id)]
    else:
        rated_ids = {rated.article for rated in kb.ratings}
        articles = [article for article in kb.articles if article.id in rated_ids]
    sections: list[Section] = []
    audits: dict[str, Any] = {}
    for article in articles:
        more, audits[article.id] = _article_sections(kb, article)
        sections += more
    if not articles:
        sections.append(Section("Article audit", notes=("No article has instrument ratings.",)))
    shown = tuple(sections)
    instruments = [kb.instrument(key) for audits_ in audits.values() for key in audits_]
    keys = [key for item in instruments if item is not None for key in item.sources]
    return Document(
        kind="audit",
        title="Article quality audit",
        sections=shown,
        references=references(kb, [*keys, *cited_keys(shown)]),
        disclaimer=kb.meta.disclaimer,
        data={
            "articles": {a.id: as_data(a, exclude=frozenset({"id"})) for a in articles},
            "audits": audits,
        },
        records=audit_records(audits),
    )


AUDIT_COLUMNS = (
    "article",
    "instrument",
    "criterion",
    "label",
    "question",
    "rating",
    "value",
    "worst",
    "best",
    "reason",
    "sources",
    "claims",
)


def audit_records(audits: dict[str, Any]) -> Records:
    """One record per article, instrument and criterion: the rating as recorded and as a number.

    ``rating`` is the instrument's own value (``yes``, ``3``, ``not-applicable``), ``value`` its
    place on the scale from ``worst`` to ``best`` (empty when not applicable or not rated).
    """
    rows = tuple(
        (
            article_id,
            instrument_id,
            criterion_id,
            item["label"],
            item["question"],
            item["rating"],
            item["value"],
            item["worst"],
            item["best"],
            item["reason"],
            ids(item["sources"]),
            ids(item["claims"]),
        )
        for article_id, instruments in audits.items()
        for instrument_id, audited in instruments.items()
        for criterion_id, item in audited["criteria"].items()
    )
    return Records(AUDIT_COLUMNS, rows)
