"""ClaimReview JSON-LD against the properties Google's fact-check markup documents.

The property lists are Google Search Central's "Fact check (ClaimReview) structured data"
(developers.google.com/search/docs/appearance/structured-data/factcheck), as tabulated by Full
Fact's markup investigation (fullfact.github.io/markup-investigation/docs/notes/01-basic-usage/):
required ClaimReview.url, .claimReviewed, .reviewRating and Rating.alternateName; recommended
ClaimReview.author, .datePublished, .itemReviewed; Claim.appearance, .author, .datePublished,
.firstAppearance; Rating.bestRating, .name, .ratingValue, .worstRating.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from tests.render_support import options, two

from painopts.load import bundled_path, load, validate_data
from painopts.model import KnowledgeBase, as_data
from painopts.render import Format, Options, renderer
from painopts.render.claimreview import MissingReviewUrlError, ReviewUrlError
from painopts.views import claims

REQUIRED = {
    "ClaimReview": {"url", "claimReviewed", "reviewRating"},
    "Rating": {"alternateName"},
}
RECOMMENDED = {
    "ClaimReview": {"author", "datePublished", "itemReviewed"},
    "Claim": {"appearance", "author", "datePublished", "firstAppearance"},
    "Rating": {"bestRating", "name", "ratingValue", "worstRating"},
}
SUPPLIED = {
    "ClaimReview": {"author", "datePublished", "itemReviewed"},
    "Claim": {"appearance", "author"},
    "Rating": {"bestRating", "ratingValue", "worstRating"},
}
"""The recommended properties painopts gives whatever the article records."""
REVIEW_URL = "https://example.org/fact-checks/ketamine-vs-opioids"
BUNDLED = load(bundled_path()).kb


def reviews(kb: KnowledgeBase, view: str = "claims", **kwargs: Any) -> list[dict[str, Any]]:
    document = claims.report(kb) if view == "report" else claims.claims_view(kb, kb.claims)
    settings: dict[str, Any] = {"review_url": REVIEW_URL, "meta": kb.meta, **kwargs}
    text = renderer(Format.CLAIMREVIEW)(document, options(kb, **settings))
    assert isinstance(text, str)
    out = json.loads(text)
    assert isinstance(out, list)
    return out


def with_article(kb: KnowledgeBase, **fields: Any) -> KnowledgeBase:
    data = as_data(kb)
    data["articles"][0].update(fields)
    return validate_data(data)


def with_meta(kb: KnowledgeBase, **fields: Any) -> KnowledgeBase:
    data = as_data(kb)
    data["meta"].update(fields)
    return validate_data(data)


def is_iso_date(value: object) -> bool:
    return isinstance(value, str) and dt.date.fromisoformat(value).isoformat() == value


@pytest.mark.parametrize("view", ["claims", "report"])
def test_every_review_of_the_bundled_file_has_googles_required_properties(view: str) -> None:
    found = reviews(BUNDLED, view)
    assert len(found) == len(BUNDLED.claims)
    for review, claim in zip(found, BUNDLED.claims, strict=True):
        assert review["@context"] == "https://schema.org"
        assert review["@type"] == "ClaimReview"
        assert REQUIRED["ClaimReview"] <= review.keys()
        assert review["url"] == f"{REVIEW_URL}#{claim.id}"
        assert review["claimReviewed"] == claim.paraphrase
        rating = review["reviewRating"]
        assert rating["@type"] == "Rating"
        assert REQUIRED["Rating"] <= rating.keys()
        assert rating["alternateName"] == claim.verdict.value


def test_the_recommended_properties_are_given_with_real_values() -> None:
    for review in reviews(BUNDLED):
        assert (
            SUPPLIED["ClaimReview"]
            <= review.keys()
            <= (
                RECOMMENDED["ClaimReview"]
                | REQUIRED["ClaimReview"]
                | {"@context", "@type", "reviewBody"}
            )
        )
        assert review["author"] == {"@type": "Organization", "name": "painopts maintainers"}
        assert review["datePublished"] == BUNDLED.meta.last_reviewed.isoformat()
        rating = review["reviewRating"]
        assert SUPPLIED["Rating"] <= rating.keys()
        assert all(isinstance(rating[key], int) for key in SUPPLIED["Rating"])
        assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
        item = review["itemReviewed"]
        assert item["@type"] == "Claim"
        assert SUPPLIED["Claim"] <= item.keys() <= RECOMMENDED["Claim"] | {"@type"}
        assert item["author"]["@type"] in ("Organization", "Person")
        assert item["author"]["name"] == BUNDLED.articles[0].publisher
        assert item["appearance"]["@type"] == "CreativeWork"


def test_nothing_the_article_does_not_record_is_made_up() -> None:
    article = BUNDLED.articles[0]
    # Issue 22: where the post appears was established; who wrote it and when were not.
    assert (article.author, article.date_published) == (None, None)
    for review in reviews(BUNDLED):
        item = review["itemReviewed"]
        assert "datePublished" not in item
        assert set(item["appearance"]) == {"@type", "headline", "url"}
        assert item["appearance"]["url"] == "https://tranquilityketamine.com/category/chronic-pain"


def test_what_the_article_records_reaches_the_claim() -> None:
    kb = with_article(
        two(), url="https://example.com/blog/post", author="A. Writer", date_published="2023-04-05"
    )
    for review in reviews(kb):
        item = review["itemReviewed"]
        assert item["author"] == {"@type": "Person", "name": "A. Writer"}
        assert item["datePublished"] == "2023-04-05"
        assert is_iso_date(item["datePublished"])
        assert item["appearance"] == {
            "@type": "CreativeWork",
            "headline": "A test article",
            "url": "https://example.com/blog/post",
            "author": {"@type": "Person", "name": "A. Writer"},
            "datePublished": "2023-04-05",
        }


def test_the_knowledge_files_review_url_is_used_and_the_option_overrides_it() -> None:
    kb = with_meta(two(), review_url="https://example.net/reviews/2026")
    assert {r["url"].split("#")[0] for r in reviews(kb, review_url=None)} == {
        "https://example.net/reviews/2026"
    }
    assert {r["url"].split("#")[0] for r in reviews(kb)} == {REVIEW_URL}


def test_each_review_url_ends_with_its_claims_fragment_replacing_any_given() -> None:
    kb = two()
    found = reviews(kb, review_url="https://example.net/reviews/2026#top")
    assert [r["url"] for r in found] == [
        f"https://example.net/reviews/2026#{claim.id}" for claim in kb.claims
    ]
    assert len({r["url"] for r in found}) == len(kb.claims) > 1


def test_each_fragment_names_the_claims_row_on_the_html_page() -> None:
    kb = BUNDLED
    page = renderer(Format.HTML)(claims.claims_view(kb, kb.claims), options(kb, meta=kb.meta))
    assert isinstance(page, str)
    for review in reviews(kb):
        fragment = review["url"].split("#")[1]
        assert page.count(f'<tr id="{fragment}">') == 1


@pytest.mark.parametrize("meta", [True, False])
def test_no_review_url_is_refused_with_a_message_saying_how_to_give_one(meta: bool) -> None:
    kb = two()
    settings: dict[str, Any] = {"meta": kb.meta} if meta else {}
    document = claims.claims_view(kb, kb.claims)
    with pytest.raises(MissingReviewUrlError) as refused:
        renderer(Format.CLAIMREVIEW)(document, options(kb, **settings))
    assert isinstance(refused.value, ValueError)
    message = str(refused.value)
    assert "--review-url" in message
    assert "meta.review_url" in message


@pytest.mark.parametrize(
    "bad",
    [
        "example.org/review",
        "ftp://example.org/x",
        "https://",
        " ",
        "https://example.org@evil.example/review",
        "https://ex\u0430mple.org/review",
        "https://example.org/\u202ereview",
    ],
)
def test_a_review_url_that_is_not_a_web_address_is_refused(bad: str) -> None:
    kb = two()
    with pytest.raises(ReviewUrlError):
        reviews(kb, review_url=bad)


def test_no_claims_need_no_review_url() -> None:
    kb = two()
    document = claims.claims_view(kb, ())
    text = renderer(Format.CLAIMREVIEW)(document, Options(envelope=options(kb).envelope))
    assert json.loads(text) == []


OUTPUT_SCHEMA = json.loads(
    (Path(__file__).parent.parent / "docs" / "output.schema.json").read_text()
)


@pytest.mark.parametrize("args", [("claims",), ("report",), ("info",)], ids=" ".join)
def test_json_with_the_new_fields_fits_the_published_output_schema(
    cli, args: tuple[str, ...]
) -> None:
    out = json.loads(cli(*args, "-f", "json").out)
    validator = jsonschema.Draft7Validator(OUTPUT_SCHEMA, format_checker=jsonschema.FormatChecker())
    assert [error.message for error in validator.iter_errors(out)] == []
    data = out["data"]
    if "meta" in data:
        assert data["meta"]["review_url"] is None
    for article in data.get("articles", {}).values():
        assert (article["author"], article["date_published"]) == (None, None)


LAYER = Path(__file__).parent / "fixtures" / "layers" / "second-article.yaml"


def test_a_second_article_added_on_top_gets_its_own_article_in_item_reviewed(
    cli, tmp_path: Path
) -> None:
    text = LAYER.read_text().replace(
        "    url: https://example.org/test-opioid-leaflet\n",
        "    url: https://example.org/test-opioid-leaflet\n"
        "    author: A. Leaflet Writer\n"
        "    date_published: 2025-03-04\n",
    )
    layer = tmp_path / "layer.yaml"
    layer.write_text(text)
    result = cli("--add", str(layer), "claims", "-f", "claimreview", "--review-url", REVIEW_URL)
    assert result.code == 0, result.err
    found = {review["url"]: review["itemReviewed"] for review in json.loads(result.out)}
    assert len(found) == len(BUNDLED.claims) + 1
    added = found[f"{REVIEW_URL}#leaflet-opioid-drawbacks"]
    writer = {"@type": "Person", "name": "A. Leaflet Writer"}
    assert added == {
        "@type": "Claim",
        "author": writer,
        "datePublished": "2025-03-04",
        "appearance": {
            "@type": "CreativeWork",
            "headline": "An example leaflet about opioids, written for painopts' tests",
            "url": "https://example.org/test-opioid-leaflet",
            "author": writer,
            "datePublished": "2025-03-04",
        },
    }
    bundled = found[f"{REVIEW_URL}#ketamine-not-addictive"]
    assert bundled["appearance"]["url"] == "https://tranquilityketamine.com/category/chronic-pain"
    assert bundled["author"]["name"].startswith("Tranquility Ketamine")
    only = cli(
        "--add", str(layer), "claims", "--article", "test-opioid-leaflet",
        "-f", "claimreview", "--review-url", REVIEW_URL,
    )  # fmt: skip
    assert [r["itemReviewed"] for r in json.loads(only.out)] == [added]
