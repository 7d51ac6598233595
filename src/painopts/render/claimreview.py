"""schema.org ClaimReview JSON-LD, one review per claim."""

from __future__ import annotations

import json
from typing import Any

from painopts.model import Claim, Verdict
from painopts.render import Options
from painopts.render.text import json_text
from painopts.views.document import Document

SCRIPT_SAFE = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}
"""JSON-LD goes inside <script> on a web page: a claim must not be able to close it."""

RATINGS = {
    Verdict.SUPPORTED: 5,
    Verdict.PARTLY_SUPPORTED: 4,
    Verdict.UNSUPPORTED: 3,
    Verdict.MISLEADING: 2,
    Verdict.CONTRADICTED: 1,
}
"""Verdicts on schema.org's 1 (false) to 5 (true) scale; alternateName carries the verdict."""


def review(claim: Claim, article: dict[str, Any], options: Options) -> dict[str, Any]:
    """One ClaimReview for one claim."""
    appearance = {"@type": "CreativeWork", "headline": article.get("title", "")}
    if article.get("url"):
        appearance["url"] = article["url"]
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": claim.paraphrase,
        "datePublished": options.envelope.last_reviewed,
        "author": {"@type": "Organization", "name": "painopts"},
        "reviewBody": claim.assessment,
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": RATINGS[claim.verdict],
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": claim.verdict.value,
        },
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Organization", "name": article.get("publisher", "unknown")},
            "appearance": appearance,
        },
    }


def render(document: Document, options: Options) -> str:
    """A JSON array of ClaimReview objects for the document's claims."""
    articles = document.data.get("articles", {})
    reviews = [review(claim, articles.get(claim.article, {}), options) for claim in document.claims]
    text = json.dumps(reviews, indent=2, ensure_ascii=False).translate(SCRIPT_SAFE)
    return json_text(text) + "\n"
