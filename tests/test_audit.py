"""The article audit: scoring rules, the view, validation of ratings, every format, JSON-LD."""

from __future__ import annotations

import csv
import io
import json
from functools import cache
from typing import Any

import html5lib
import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from tests.conftest import FIXTURES, REPO
from tests.render_support import options, render

from painopts.load import load, validate_data
from painopts.model import (
    NOT_APPLICABLE,
    ArticleRating,
    Criterion,
    CriterionRating,
    Instrument,
    KnowledgeBase,
    ScaleLevel,
    ScoringRule,
    UnknownNameError,
    as_data,
    hnr_stars,
)
from painopts.render import ACCEPTED, Format
from painopts.render.review_jsonld import render as review_jsonld
from painopts.validate import check
from painopts.views.audit import audit, rating_label
from painopts.views.scoring import score
from painopts.views.shared import quality_line

SEED = "ketamine-vs-opioids-blog"
AUDITED = FIXTURES / "audited.yaml"
HNR_WORDS = ("satisfactory", "not-satisfactory", NOT_APPLICABLE)


@cache
def bundled() -> KnowledgeBase:
    return load(REPO / "data" / "treatments.yaml").kb


@cache
def audited() -> KnowledgeBase:
    return load(AUDITED).kb


def instrument(rule: ScoringRule, size: int, overall: bool = False) -> Instrument:
    """A made-up instrument of ``size`` criteria (the last one overall, if asked)."""
    scales = {
        ScoringRule.HNR_STARS: ("not-satisfactory", "satisfactory"),
        ScoringRule.DISCERN: ("1", "2", "3", "4", "5"),
        ScoringRule.JAMA_COUNT: ("not-met", "met"),
    }
    return Instrument(
        id="made-up",
        name="Made up",
        description="For tests.",
        sources=("src1",),
        scoring=rule,
        scale=tuple(ScaleLevel(value=value, label=value) for value in scales[rule]),
        not_applicable=rule is not ScoringRule.JAMA_COUNT,
        criteria=tuple(
            Criterion(id=f"c{n}", label=f"C{n}", question="?", overall=overall and n == size - 1)
            for n in range(size)
        ),
    )


def rated(values: list[str]) -> ArticleRating:
    return ArticleRating(
        article="blog",
        instrument="made-up",
        basis="Generated.",
        criteria=tuple(
            CriterionRating(criterion=f"c{n}", rating=value, reason="r", sources=("src1",))
            for n, value in enumerate(values)
        ),
    )


# Scoring -------------------------------------------------------------------------------------

BANDS = ((0, 0, 0), (1, 20, 1), (21, 40, 2), (41, 60, 3), (61, 80, 4), (81, 100, 5))
"""HealthNewsReview's published bands: (lowest %, highest %, stars)."""


def expected_stars(satisfactory: int, applicable: int) -> int:
    percent = 100 * satisfactory / applicable
    # With 8, 9 or 10 applicable criteria no share falls between two bands (e.g. 20.5%).
    (stars,) = [stars for low, high, stars in BANDS if low <= percent <= high]
    return stars


@pytest.mark.parametrize("applicable", [8, 9, 10])
def test_stars_follow_the_published_bands(applicable: int) -> None:
    for satisfactory in range(applicable + 1):
        assert hnr_stars(satisfactory, applicable) == expected_stars(satisfactory, applicable)


EDGES = [(0, 10, 0), (2, 10, 1), (1, 9, 1), (2, 9, 2), (4, 10, 2), (5, 9, 3), (6, 10, 3)]
EDGES += [(8, 10, 4), (7, 8, 5), (10, 10, 5)]


@pytest.mark.parametrize(("satisfactory", "applicable", "stars"), EDGES)
def test_stars_at_the_band_edges(satisfactory: int, applicable: int, stars: int) -> None:
    assert hnr_stars(satisfactory, applicable) == stars


@given(st.lists(st.sampled_from(HNR_WORDS), min_size=10, max_size=10))
def test_hnr_score_on_generated_ratings(values: list[str]) -> None:
    result = score(instrument(ScoringRule.HNR_STARS, 10), rated(values))
    not_applicable = values.count(NOT_APPLICABLE)
    good = values.count("satisfactory")
    if not_applicable > 2:
        assert result.value is None
        assert result.text.startswith("no score")
        assert result.details["stars"] is None
    else:
        applicable = 10 - not_applicable
        assert result.value == expected_stars(good, applicable)
        assert result.details["percent"] == round(100 * good / applicable)
        assert f"{good} of {applicable} applicable" in result.text


@pytest.mark.parametrize("not_applicable", range(11))
def test_no_hnr_score_when_more_than_two_criteria_do_not_apply(not_applicable: int) -> None:
    values = [NOT_APPLICABLE] * not_applicable + ["satisfactory"] * (10 - not_applicable)
    result = score(instrument(ScoringRule.HNR_STARS, 10), rated(values))
    assert (result.value is None) == (not_applicable > 2)
    if not_applicable <= 2:
        assert result.value == 5


DISCERN_VALUES = st.sampled_from(["1", "2", "3", "4", "5", NOT_APPLICABLE])


@given(st.lists(DISCERN_VALUES, min_size=15, max_size=15), st.integers(1, 5))
def test_discern_score_on_generated_ratings(key: list[str], overall: int) -> None:
    result = score(instrument(ScoringRule.DISCERN, 16, overall=True), rated([*key, str(overall)]))
    numbers = [int(value) for value in key if value != NOT_APPLICABLE]
    assert result.value == overall
    assert result.details["key_questions_sum"] == sum(numbers)
    assert result.details["key_questions_max"] == 5 * len(numbers)
    assert f"sum to {sum(numbers)} of {5 * len(numbers)}" in result.text
    assert "convenience" in result.text


def test_discern_overall_not_applicable_gives_no_overall_rating() -> None:
    made_up = instrument(ScoringRule.DISCERN, 3, overall=True)
    result = score(made_up, rated(["2", "3", NOT_APPLICABLE]))
    assert result.value is None
    assert result.details["key_questions_sum"] == 5


@given(st.lists(st.sampled_from(["met", "not-met"]), min_size=4, max_size=4))
def test_jama_score_counts_benchmarks_met(values: list[str]) -> None:
    result = score(instrument(ScoringRule.JAMA_COUNT, 4), rated(values))
    assert result.value == sum(1 for value in values if value == "met")
    assert result.best == 4


@pytest.mark.parametrize("rule", list(ScoringRule))
def test_an_unrated_criterion_means_no_score(rule: ScoringRule) -> None:
    made_up = instrument(rule, 4, overall=rule is ScoringRule.DISCERN)
    first = made_up.scale[-1].value
    result = score(made_up, rated([first, first, first]))
    assert result.value is None
    assert "c3" in result.text


# The seed article's audit --------------------------------------------------------------------


def seed_audit() -> dict[str, Any]:
    data: dict[str, Any] = audit(bundled(), SEED).data["audits"][SEED]
    return data


def test_seed_article_is_rated_on_every_criterion_of_all_three_instruments() -> None:
    data = seed_audit()
    assert list(data) == ["hnr-release", "discern", "jama"]
    assert [len(data[name]["criteria"]) for name in data] == [10, 16, 4]
    expected_ids = {
        "hnr-release": [
            "costs", "benefits", "harms", "evidence", "disease-mongering", "conflicts",
            "alternatives", "availability", "novelty", "sensational-language",
        ],
        "discern": [f"q{n}" for n in range(1, 17)],
        "jama": ["authorship", "attribution", "disclosure", "currency"],
    }  # fmt: skip
    for name, ids in expected_ids.items():
        assert list(data[name]["criteria"]) == ids
        for criterion in data[name]["criteria"].values():
            assert criterion["rating"] is not None
            assert criterion["reason"]
            assert criterion["sources"] or criterion["claims"]


def test_seed_scores() -> None:
    data = seed_audit()
    hnr = [c["rating"] for c in data["hnr-release"]["criteria"].values()]
    good = hnr.count("satisfactory")
    assert data["hnr-release"]["score"]["stars"] == expected_stars(good, 10)
    discern = data["discern"]["criteria"]
    assert data["discern"]["score"]["overall"] == int(discern["q16"]["rating"])
    key_sum = sum(int(discern[f"q{n}"]["rating"]) for n in range(1, 16))
    assert data["discern"]["score"]["key_questions_sum"] == key_sum
    jama = [c["rating"] for c in data["jama"]["criteria"].values()]
    assert data["jama"]["score"]["met"] == jama.count("met")
    # As rated in data/treatments.yaml: only disease-mongering met (novelty not, since 0.4.1),
    # DISCERN 29 of 75.
    assert (good, key_sum, jama.count("met")) == (1, 29, 0)


# The view ------------------------------------------------------------------------------------


def test_audit_document_has_scores_first_then_one_table_per_instrument() -> None:
    document = audit(bundled(), SEED)
    assert document.kind == "audit"
    assert document.disclaimer == bundled().meta.disclaimer
    titles = [table.title for section in document.sections for table in section.tables]
    names = [instrument.name for instrument in bundled().instruments]
    assert titles == names
    notes = document.sections[0].notes
    assert notes[0] == "Scores, each by its instrument's own rule:"
    assert notes[1].startswith(f"{names[0]}: 1 of 5 stars")
    keys = [reference.key for reference in document.references]
    for instrument_ in bundled().instruments:
        assert set(instrument_.sources) <= set(keys)
    assert all(reference.source is not None for reference in document.references)


def test_rating_cells_carry_words_and_a_place_the_renderers_mark() -> None:
    made_up = instrument(ScoringRule.DISCERN, 2)
    assert rating_label(made_up, "2") == "2 of 5: 2"
    hnr = instrument(ScoringRule.HNR_STARS, 2)
    assert rating_label(hnr, "satisfactory") == "satisfactory"
    assert rating_label(hnr, NOT_APPLICABLE) == "not applicable"
    table = audit(bundled(), SEED).sections[1].tables[0]
    first = table.rows[0][1]
    assert (first.text, first.rating) == ("Not satisfactory", (0, 2))
    shown = render(Format.TABLE, audit(bundled(), SEED), options(bundled()), width=160)
    assert "✘ Not satisfactory" in shown and "●○○○○ 1 of 5: No" in shown
    marked = render(Format.TABLE, audit(bundled(), SEED), options(bundled(), ascii=True), 160)
    assert "[x] Not satisfactory" in marked and "[#----] 1 of 5: No" in marked
    assert "Legend: ratings [+] met, [x] not met" in marked


def test_audit_records_carry_ids_and_ratings_as_recorded_and_as_numbers() -> None:
    plain = render(Format.PLAIN, audit(bundled(), SEED), options(bundled())).splitlines()
    header = plain[0].split("\t")
    assert header[:9] == [
        "article",
        "instrument",
        "criterion",
        "label",
        "question",
        "rating",
        "value",
        "worst",
        "best",
    ]
    first = dict(zip(header, plain[1].split("\t"), strict=True))
    assert (first["instrument"], first["criterion"]) == ("hnr-release", "costs")
    assert (first["rating"], first["value"], first["worst"], first["best"]) == (
        "not-satisfactory",
        "0",
        "0",
        "1",
    )


def test_unknown_article_is_an_unknown_name_with_suggestions() -> None:
    with pytest.raises(UnknownNameError) as caught:
        audit(bundled(), "ketamine-vs-opioid-blog")
    assert caught.value.suggestions == (SEED,)


def test_audit_of_every_article_and_of_an_article_without_ratings() -> None:
    assert list(audit(bundled()).data["audits"]) == [SEED]
    data = as_data(audited())
    data["articles"].append({**data["articles"][0], "id": "other"})
    kb = validate_data(data)
    document = audit(kb, "other")
    assert document.data["audits"] == {"other": {}}
    assert any("No instrument ratings" in n for s in document.sections for n in s.notes)
    assert quality_line(kb, "other") is None


def test_quality_line_names_each_instrument_score() -> None:
    line = quality_line(bundled(), SEED)
    assert line is not None
    assert line.startswith(f"Article quality ({SEED}): HealthNewsReview 1 of 5 stars")
    assert "DISCERN overall rating 1 of 5" in line
    assert line.endswith("; JAMA 0 of 4 benchmarks met.")
    assert "\n" not in line
    assert quality_line(bundled(), SEED, named=False).startswith("Article quality: ")


def test_not_applicable_rating_has_no_value() -> None:
    criteria = audit(audited(), "blog").data["audits"]["blog"]["check"]["criteria"]
    assert (criteria["c1"]["value"], criteria["c1"]["best"]) == (1, 1)
    assert criteria["c2"]["value"] is None
    assert criteria["c2"]["rating"] == NOT_APPLICABLE


# Every format --------------------------------------------------------------------------------

FORMATS = [fmt for fmt in Format if fmt in ACCEPTED["audit"] and fmt is not Format.REVIEW]


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_shows_ratings_reasons_and_scores(fmt: Format) -> None:
    document = audit(bundled(), SEED)
    text = render(fmt, document, options(bundled()), width=160)
    data = fmt in (Format.CSV, Format.PLAIN)  # records: the ratings as recorded, no scores
    rating = "not-satisfactory" if data else "Not satisfactory"
    for needle in (rating, "Q16 Overall", "Authorship", "JAMA-Silberg-1997"):
        assert needle in text, (fmt, needle)
    if not data:
        assert "HNR-stars" in text
        assert "1 of 10 applicable criteria satisfactory (10%)" in text


def test_markdown_and_html_have_one_table_per_instrument() -> None:
    document, opts = audit(bundled(), SEED), options(bundled())
    tokens = MarkdownIt().enable("table").parse(render(Format.MARKDOWN, document, opts))
    assert sum(1 for token in tokens if token.type == "table_open") == 3
    tree = html5lib.parse(render(Format.HTML, document, opts), namespaceHTMLElements=False)
    tables = tree.findall(".//table")
    assert [len(table.findall(".//tbody/tr")) for table in tables] == [10, 16, 4]


def test_csv_is_one_row_per_criterion_with_instrument_and_criterion_ids() -> None:
    text = render(Format.CSV, audit(bundled(), SEED), options(bundled()))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["instrument"] for row in rows] == ["hnr-release"] * 10 + ["discern"] * 16 + [
        "jama"
    ] * 4
    assert {row["article"] for row in rows} == {SEED}
    q6 = rows[15]
    assert (q6["criterion"], q6["label"], q6["rating"]) == ("q6", "Q6 Balance", "1")
    assert (q6["value"], q6["worst"], q6["best"]) == ("1", "1", "5")
    assert q6["claims"].split(" ") == [
        "ketamine-not-addictive",
        "ketamine-no-respiratory-depression",
        "ketamine-fewer-side-effects-than-opioids",
    ]


def test_json_carries_the_audit_data_in_the_output_envelope() -> None:
    out = json.loads(render(Format.JSON, audit(bundled(), SEED), options(bundled())))
    assert out["kind"] == "audit"
    schema = json.loads((REPO / "docs" / "output.schema.json").read_text())
    schema["properties"]["kind"]["enum"].append("audit")  # until docs/ lists the new view
    assert list(jsonschema.Draft7Validator(schema).iter_errors(out)) == []
    jama = out["data"]["audits"][SEED]["jama"]
    assert jama["score"]["met"] == 0 and jama["score"]["benchmarks"] == 4
    assert set(out["references"]) >= {"JAMA-Silberg-1997", "DISCERN-1999"}


# schema.org Review JSON-LD -------------------------------------------------------------------


def test_review_jsonld_has_one_review_per_instrument_and_a_rating_per_criterion() -> None:
    kb = bundled()
    reviews = json.loads(review_jsonld(audit(kb, SEED), options(kb)))
    assert [review["@type"] for review in reviews] == ["Review"] * 3
    assert [review["identifier"] for review in reviews] == ["hnr-release", "discern", "jama"]
    for review, instrument_ in zip(reviews, kb.instruments, strict=True):
        assert review["@context"] == "https://schema.org"
        aspects = [rating["reviewAspect"] for rating in review["reviewRating"]]
        assert aspects == [criterion.id for criterion in instrument_.criteria]
        assert all(rating["@type"] == "Rating" for rating in review["reviewRating"])
        assert review["author"]["name"] == "painopts"
    discern = {r["reviewAspect"]: r for r in reviews[1]["reviewRating"]}
    seed = next(r for r in kb.ratings if r.instrument == "discern")
    for item in seed.criteria:
        assert discern[item.criterion]["ratingValue"] == int(item.rating)
        assert (discern[item.criterion]["worstRating"], discern[item.criterion]["bestRating"]) == (
            1,
            5,
        )
    jama = reviews[2]["reviewRating"]
    assert {(r["ratingValue"], r["worstRating"], r["bestRating"]) for r in jama} == {(0, 0, 1)}


def test_review_jsonld_leaves_out_the_value_of_a_criterion_not_applicable() -> None:
    reviews = json.loads(review_jsonld(audit(audited(), "blog"), options(audited())))
    ratings = {r["reviewAspect"]: r for r in reviews[0]["reviewRating"]}
    assert ratings["c1"]["ratingValue"] == 1
    assert "ratingValue" not in ratings["c2"]
    assert ratings["c2"]["alternateName"] == "not applicable"


def test_hostile_reason_is_inert_in_every_format_and_cannot_close_a_script() -> None:
    data = as_data(audited())
    data["ratings"][0]["criteria"][0]["reason"] = "</script><script>x</script> \x1b[31m \u202e"
    kb = validate_data(data)
    text = review_jsonld(audit(kb, "blog"), options(kb))
    assert "<" not in text and ">" not in text and "\u202e" not in text
    assert json.loads(text)[0]["reviewRating"][0]["ratingExplanation"].startswith("</script>")
    for fmt in FORMATS:
        shown = render(fmt, audit(kb, "blog"), options(kb))
        assert "\x1b" not in shown and "\u202e" not in shown, fmt
        assert "<script>" not in shown or fmt is not Format.HTML


# Validation of ratings -----------------------------------------------------------------------


DISCERN = [f"q{n}" for n in range(1, 17)]
"""DISCERN's criteria, in the instrument's order."""


@given(st.sets(st.sampled_from(DISCERN), max_size=16))
def test_unrated_criteria_are_named_in_one_problem(dropped: set[str]) -> None:
    data = as_data(bundled())
    discern = next(r for r in data["ratings"] if r["instrument"] == "discern")
    discern["criteria"] = [c for c in discern["criteria"] if c["criterion"] not in dropped]
    problems = [p for p in check(validate_data(data)) if p.code == "PO314"]
    unrated = [f"'{q}'" for q in DISCERN if q in dropped]
    if not unrated:
        assert problems == []
        return
    if len(unrated) == 1:
        listed = f"criterion {unrated[0]}"
    elif len(unrated) <= 3:
        listed = f"criteria {', '.join(unrated[:-1])} and {unrated[-1]}"
    else:
        listed = f"criteria {', '.join(unrated[:3])} and {len(unrated) - 3} more"
    (found,) = problems
    assert found.message.endswith(f"is not rated on 'discern' {listed}")


def test_a_rating_with_neither_source_nor_claim_is_reported() -> None:
    data = as_data(audited())
    data["ratings"][0]["criteria"][1]["claims"] = []
    problems = check(validate_data(data))
    assert [(p.code, p.loc) for p in problems] == [("PO315", ("ratings", 0, "criteria", 1))]


def test_bundled_file_has_no_rating_problems() -> None:
    assert check(bundled()) == []


@pytest.mark.parametrize(
    ("values", "text"),
    [
        (
            ["satisfactory", "satisfactory"],
            "not scored: 1 criterion is not rated (c2)",
        ),
        (["satisfactory"], "not scored: 2 criteria are not rated (c1, c2)"),
    ],
)
def test_the_unrated_criteria_are_counted_in_words(values: list[str], text: str) -> None:
    result = score(instrument(ScoringRule.HNR_STARS, 3), rated(values))
    assert (result.value, result.text) == (None, text)


@pytest.mark.parametrize(
    ("size", "short", "text"),
    [
        (1, "no score (1 criterion not applicable)", "no score: 1 criterion is not applicable"),
        (4, "no score (4 criteria not applicable)", "no score: 4 criteria are not applicable"),
    ],
)
def test_criteria_that_do_not_apply_are_counted_in_words(size: int, short: str, text: str) -> None:
    """One criterion that does not apply leaves nothing to score; four are too many for HNR."""
    result = score(instrument(ScoringRule.HNR_STARS, size), rated([NOT_APPLICABLE] * size))
    assert result.value is None
    assert result.short == short
    assert result.text.startswith(text + ", and HealthNewsReview posts a score only when 2")


def test_an_unrated_criterion_is_shown_as_such_in_every_table(tmp_path, cli) -> None:
    """A missing rating is a warning: the audit is shown, with the gap named, and no score."""
    from tests.test_rules import INSTRUMENT, TEXT

    path = tmp_path / "kb.yaml"
    unrated = "      - {criterion: c2, rating: not-met, reason: Missing., claims: [alpha-great]}\n"
    path.write_text(TEXT + INSTRUMENT.replace(unrated, ""))
    result = cli("--data", str(path), "audit", "-f", "csv")
    assert (result.code, result.err) == (0, "")
    rows = list(csv.DictReader(io.StringIO(result.out)))
    picked = [
        {k: row[k] for k in ("criterion", "question", "rating", "value", "sources")} for row in rows
    ]
    assert picked == [
        {"criterion": "c1", "question": "First?", "rating": "met", "value": "1", "sources": "src1"},
        {"criterion": "c2", "question": "Second?", "rating": "", "value": "", "sources": ""},
    ]
    data = json.loads(cli("--data", str(path), "audit", "-f", "json").out)["data"]
    check_ = data["audits"]["blog"]["check"]
    assert check_["criteria"]["c2"]["rating"] is None
    assert check_["score"] == {
        "value": None,
        "best": 0,
        "text": "not scored: 1 criterion is not rated (c2)",
        "unrated": ["c2"],
    }
