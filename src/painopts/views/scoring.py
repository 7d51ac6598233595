"""An article's score on a quality instrument, in words and numbers for the audit.

The rules are the model's (`Instrument.score`: HealthNewsReview's stars, DISCERN, the JAMA
benchmarks); this module only says what a score means, in a line and in a few words.
"""

from __future__ import annotations

from dataclasses import field
from typing import Any

from painopts.model import (
    HNR_MOST_NOT_APPLICABLE,
    HNR_STARS,
    ArticleRating,
    Count,
    Discern,
    Instrument,
    Stars,
    Unrated,
    record,
)

__all__ = ["Score", "score"]


@record
class Score:
    """An instrument's score for one article: a number out of ``best`` (or none), in words."""

    value: int | None
    best: int
    short: str
    """A few words for a one-line summary, e.g. '1 of 5 stars'."""
    text: str
    details: dict[str, Any] = field(default_factory=dict)


def score(instrument: Instrument, rated: ArticleRating) -> Score:
    """The article's score by the instrument's rule, in words; none while a criterion is unrated."""
    result = instrument.score(rated)
    if isinstance(result, Unrated):
        missing = list(result.criteria)
        text = f"not scored: {_criteria(len(missing), verb=True)} not rated ({', '.join(missing)})"
        return Score(None, 0, "not scored", text, {"unrated": missing})
    if isinstance(result, Stars):
        return _stars(result)
    if isinstance(result, Discern):
        return _discern(result)
    return _count(result)


def _stars(tally: Stars) -> Score:
    """HealthNewsReview's star score."""
    details: dict[str, Any] = {
        "satisfactory": tally.satisfactory,
        "applicable": tally.applicable,
        "not_applicable": tally.not_applicable,
        "percent": tally.percent,
        "stars": tally.stars,
    }
    if tally.stars is None:
        text = (
            f"no score: {_criteria(tally.not_applicable, verb=True)} not applicable, and "
            f"HealthNewsReview posts a score only when {HNR_MOST_NOT_APPLICABLE} or fewer are"
        )
        short = f"no score ({_criteria(tally.not_applicable)} not applicable)"
        return Score(None, HNR_STARS, short, text, details)
    text = (
        f"{tally.stars} of {HNR_STARS} stars: {tally.satisfactory} of {tally.applicable} "
        f"applicable criteria satisfactory ({tally.percent}%)"
    )
    return Score(tally.stars, HNR_STARS, f"{tally.stars} of {HNR_STARS} stars", text, details)


def _discern(rated: Discern) -> Score:
    """DISCERN: the overall rating, with the key questions' sum as a convenience."""
    details: dict[str, Any] = {
        "overall": rated.overall,
        "key_questions_rated": len(rated.key_rated),
        "key_questions_sum": rated.key_sum,
        "key_questions_max": rated.key_max,
    }
    head = (
        f"overall rating {rated.overall} of 5" if rated.overall is not None else "no overall rating"
    )
    text = (
        f"{head}; questions 1-{rated.key_questions} sum to {rated.key_sum} of {rated.key_max} "
        "(a convenience only: DISCERN is read question by question)"
    )
    return Score(rated.overall, 5, head, text, details)


def _count(count: Count) -> Score:
    """JAMA benchmarks: how many are met."""
    text = f"{count.met} of {count.benchmarks} benchmarks met"
    details = {"met": count.met, "benchmarks": count.benchmarks}
    return Score(count.met, count.benchmarks, text, text, details)


def _criteria(number: int, verb: bool = False) -> str:
    """'1 criterion', '3 criteria'; with the verb, '1 criterion is', '3 criteria are'."""
    if number == 1:
        return "1 criterion is" if verb else "1 criterion"
    return f"{number} criteria are" if verb else f"{number} criteria"
