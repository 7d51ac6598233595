"""The instruments' scoring rules live in the model: `Instrument.score`, worked by hand here."""

from __future__ import annotations

from tests.test_audit import instrument, rated

from painopts.model import NOT_APPLICABLE, Count, Discern, ScoringRule, Stars, Unrated

NA = NOT_APPLICABLE


def test_healthnewsreview_counts_the_applicable_criteria() -> None:
    values = ["satisfactory"] * 7 + ["not-satisfactory", "not-satisfactory", NA]
    result = instrument(ScoringRule.HNR_STARS, 10).score(rated(values))
    assert result == Stars(satisfactory=7, applicable=9, not_applicable=1)
    assert (result.stars, result.percent) == (4, 78)  # 7/9 = 77.8%: the 61-80% band


def test_healthnewsreview_posts_nothing_with_three_criteria_not_applicable() -> None:
    values = ["satisfactory"] * 7 + [NA] * 3
    result = instrument(ScoringRule.HNR_STARS, 10).score(rated(values))
    assert isinstance(result, Stars)
    assert not result.posted and result.stars is None and result.percent is None


def test_discern_keeps_the_overall_rating_apart_from_the_key_questions() -> None:
    result = instrument(ScoringRule.DISCERN, 4, overall=True).score(rated(["2", NA, "5", "3"]))
    assert result == Discern(overall=3, key_rated=(2, 5), key_questions=3)
    assert (result.key_sum, result.key_max) == (7, 10)


def test_jama_counts_the_benchmarks_met() -> None:
    result = instrument(ScoringRule.JAMA_COUNT, 4).score(rated(["met", "not-met", "met", "met"]))
    assert result == Count(met=3, benchmarks=4)


def test_an_unrated_criterion_means_no_score() -> None:
    result = instrument(ScoringRule.JAMA_COUNT, 4).score(rated(["met", "met"]))
    assert result == Unrated(criteria=("c2", "c3"))
