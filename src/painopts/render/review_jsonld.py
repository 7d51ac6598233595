"""schema.org Review JSON-LD for an article audit: one Review per instrument.

Each criterion is a ``Rating`` whose ``reviewAspect`` is the criterion id, with the rating's
value on the instrument's own scale (``worstRating`` to ``bestRating``), its word as
``alternateName`` and the one-line reason as ``ratingExplanation``. A criterion rated not
applicable has no ``ratingValue``. The score by the instrument's rule is the ``reviewBody``.
"""

from __future__ import annotations

from typing import Any

from painopts.render import Options
from painopts.render.claimreview import SCRIPT_SAFE
from painopts.render.text import inert, json_text
from painopts.views.document import Document


def rating(criterion_id: str, criterion: dict[str, Any]) -> dict[str, Any]:
    """One criterion's rating as a schema.org Rating."""
    out: dict[str, Any] = {
        "@type": "Rating",
        "reviewAspect": criterion_id,
        "name": criterion["question"],
        "worstRating": criterion["worst"],
        "bestRating": criterion["best"],
        "alternateName": criterion["rating_label"] or "not rated",
        "ratingExplanation": criterion["reason"] or "",
    }
    if criterion["value"] is not None:
        out["ratingValue"] = criterion["value"]
    return out


def review(
    instrument_id: str, audit: dict[str, Any], article: dict[str, Any], options: Options
) -> dict[str, Any]:
    """One Review of the article on one instrument."""
    item: dict[str, Any] = {
        "@type": "CreativeWork",
        "headline": article.get("title", ""),
        "publisher": {"@type": "Organization", "name": article.get("publisher", "unknown")},
    }
    if article.get("url"):
        item["url"] = article["url"]
    return {
        "@context": "https://schema.org",
        "@type": "Review",
        "name": audit["name"],
        "identifier": instrument_id,
        "itemReviewed": item,
        "author": {"@type": "Organization", "name": "painopts"},
        "datePublished": options.envelope.last_reviewed,
        "reviewBody": f"{audit['name']}: {audit['score']['text']}.",
        "reviewRating": [rating(key, criterion) for key, criterion in audit["criteria"].items()],
    }


def render(document: Document, options: Options) -> str:
    """A JSON array of Review objects, one per instrument and article in the audit."""
    articles = document.data.get("articles", {})
    reviews = [
        review(instrument_id, audit, articles.get(article_id, {}), options)
        for article_id, audits in document.data.get("audits", {}).items()
        for instrument_id, audit in audits.items()
    ]
    text = json_text(reviews).translate(SCRIPT_SAFE)
    return inert(text) + "\n"
