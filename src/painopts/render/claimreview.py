"""schema.org ClaimReview JSON-LD, one review per claim, as Google's fact-check markup asks.

Each review has the properties Google's fact-check documentation requires (``url``,
``claimReviewed``, ``reviewRating`` with ``alternateName``) and those it recommends where the
knowledge file records them: the reviewers as ``author``, ``datePublished``, and ``itemReviewed``
as a ``Claim`` with its ``author``, ``datePublished`` and ``appearance`` (the claim's own
article, with its address, author and date). Each review's ``url`` is the published review's
address with the claim's id as fragment (``#claim-id``), the claim's row on the HTML page.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urldefrag

from painopts.model import Claim, Verdict
from painopts.render import FormatError, Options
from painopts.render.html import fragment
from painopts.render.text import inert, is_address, json_text
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


class ReviewUrlError(FormatError):
    """The address where the review is published is missing or is not a web address."""


class MissingReviewUrlError(ReviewUrlError):
    """No address where the review is published: ClaimReview cannot be written without one."""

    def __init__(self) -> None:
        super().__init__(
            "ClaimReview needs the address where this review is published: "
            "set meta.review_url in the knowledge file or pass --review-url URL"
        )


def review_url(options: Options) -> str:
    """The published review's address: the override, else the knowledge file's; or an error."""
    url = options.review_url or (options.meta.review_url if options.meta else None)
    if not url:
        raise MissingReviewUrlError
    if not is_address(url):  # the link policy of every format
        raise ReviewUrlError(
            "the review address must be an http(s) URL with an ASCII host name, no user part "
            f"and printable ASCII only, not {url!r}"
        )
    return url


def claim_url(url: str, claim: Claim) -> str:
    """The review's address with the claim's id as its fragment (any fragment given replaced)."""
    return f"{urldefrag(url).url}#{fragment(claim.id)}"


def item_reviewed(article: dict[str, Any]) -> dict[str, Any]:
    """The claim as schema.org's Claim: who made it, when, and the article it appears in."""
    appearance: dict[str, Any] = {"@type": "CreativeWork", "headline": article.get("title", "")}
    if article.get("url"):
        appearance["url"] = article["url"]
    person = {"@type": "Person", "name": article["author"]} if article.get("author") else None
    if person:
        appearance["author"] = person
    if article.get("date_published"):
        appearance["datePublished"] = article["date_published"]
    author = person or {"@type": "Organization", "name": article.get("publisher", "unknown")}
    item: dict[str, Any] = {"@type": "Claim", "author": author}
    if article.get("date_published"):
        item["datePublished"] = article["date_published"]
    item["appearance"] = appearance
    return item


def review(claim: Claim, article: dict[str, Any], options: Options, url: str) -> dict[str, Any]:
    """One ClaimReview for one claim."""
    out: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": claim_url(url, claim),
        "claimReviewed": claim.paraphrase,
        "datePublished": options.envelope.last_reviewed,
    }
    if options.meta is not None:
        out["author"] = {"@type": "Organization", "name": ", ".join(options.meta.authors)}
    out["reviewBody"] = claim.assessment
    out["reviewRating"] = {
        "@type": "Rating",
        "ratingValue": RATINGS[claim.verdict],
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": claim.verdict.value,
    }
    out["itemReviewed"] = item_reviewed(article)
    return out


def render(document: Document, options: Options) -> str:
    """A JSON array of ClaimReview objects for the document's claims.

    Raises ReviewUrlError (MissingReviewUrlError when there is none) if there are claims to
    review and no usable address where the review is published.
    """
    articles = document.data.get("articles", {})
    url = review_url(options) if document.claims else ""
    reviews = [
        review(claim, articles.get(claim.article, {}), options, url) for claim in document.claims
    ]
    text = json_text(reviews).translate(SCRIPT_SAFE)
    return inert(text) + "\n"
