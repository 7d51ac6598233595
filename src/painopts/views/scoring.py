"""An article's score on a quality instrument, by the instrument's own published rule.

Pure functions over rating values; nothing here reads a knowledge file or formats output.

- HealthNewsReview (``hnr-stars``): the share of applicable criteria judged satisfactory, posted
  only when two or fewer criteria are not applicable; 0% is 0 stars, 1-20% 1 star, 21-40% 2,
  41-60% 3, 61-80% 4, 81-100% 5.
- DISCERN (``discern``): each question on its own 1-5 scale, and the overall question; a sum
  of the key questions is offered as a convenience only, since DISCERN is read as a whole.
- JAMA benchmarks (``jama-count``): how many of the benchmarks are met, 0 to their number.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from painopts.model import NOT_APPLICABLE, ArticleRating, Instrument, ScoringRule

HNR_MOST_NOT_APPLICABLE = 2
"""HealthNewsReview posts a score only when at most this many criteria are not applicable."""
HNR_STARS = 5


@dataclass(frozen=True)
class Score:
    """An instrument's score for one article: a number out of ``best`` (or none), in words."""

    value: int | None
    best: int
    short: str
    """A few words for a one-line summary, e.g. '1 of 5 stars'."""
    text: str
    details: dict[str, Any] = field(default_factory=dict)


def hnr_stars(satisfactory: int, applicable: int) -> int:
    """Stars for a share of applicable criteria satisfactory, by HealthNewsReview's bands."""
    if applicable <= 0 or not 0 <= satisfactory <= applicable:
        raise ValueError(f"{satisfactory} of {applicable} is not a share")
    return math.ceil(Fraction(satisfactory, applicable) * HNR_STARS)


def hnr_score(ratings: Sequence[str], satisfactory: str) -> Score:
    """HealthNewsReview's star score from one rating per criterion."""
    not_applicable = sum(1 for rating in ratings if rating == NOT_APPLICABLE)
    applicable = len(ratings) - not_applicable
    met = sum(1 for rating in ratings if rating == satisfactory)
    details: dict[str, Any] = {
        "satisfactory": met,
        "applicable": applicable,
        "not_applicable": not_applicable,
        "percent": None,
        "stars": None,
    }
    if not_applicable > HNR_MOST_NOT_APPLICABLE or applicable == 0:
        text = (
            f"no score: {_criteria(not_applicable, verb=True)} not applicable, and "
            f"HealthNewsReview posts a score only when {HNR_MOST_NOT_APPLICABLE} or fewer are"
        )
        short = f"no score ({_criteria(not_applicable)} not applicable)"
        return Score(None, HNR_STARS, short, text, details)
    stars = hnr_stars(met, applicable)
    percent = round(100 * met / applicable)
    details.update(percent=percent, stars=stars)
    text = (
        f"{stars} of {HNR_STARS} stars: {met} of {applicable} applicable criteria "
        f"satisfactory ({percent}%)"
    )
    return Score(stars, HNR_STARS, f"{stars} of {HNR_STARS} stars", text, details)


def discern_score(key: Sequence[str], overall: str | None) -> Score:
    """DISCERN: the overall rating (1-5), with the key questions' sum as a convenience."""
    rated = [number for number in map(_number, key) if number is not None]
    value = _number(overall)
    details: dict[str, Any] = {
        "overall": value,
        "key_questions_rated": len(rated),
        "key_questions_sum": sum(rated),
        "key_questions_max": 5 * len(rated),
    }
    head = f"overall rating {value} of 5" if value is not None else "no overall rating"
    text = (
        f"{head}; questions 1-{len(key)} sum to {sum(rated)} of {5 * len(rated)} "
        "(a convenience only: DISCERN is read question by question)"
    )
    return Score(value, 5, head, text, details)


def _number(rating: str | None) -> int | None:
    """A rating as a number; None when not applicable (or, in a file with errors, not a number)."""
    return int(rating) if rating is not None and rating.isdigit() else None


def jama_score(ratings: Sequence[str], met: str) -> Score:
    """JAMA benchmarks: how many are met."""
    count = sum(1 for rating in ratings if rating == met)
    text = f"{count} of {len(ratings)} benchmarks met"
    details = {"met": count, "benchmarks": len(ratings)}
    return Score(count, len(ratings), text, text, details)


def _criteria(number: int, verb: bool = False) -> str:
    """'1 criterion', '3 criteria'; with the verb, '1 criterion is', '3 criteria are'."""
    if number == 1:
        return "1 criterion is" if verb else "1 criterion"
    return f"{number} criteria are" if verb else f"{number} criteria"


def score(instrument: Instrument, rated: ArticleRating) -> Score:
    """The article's score by the instrument's rule; none while a criterion is unrated."""
    values = {item.criterion: item.rating for item in rated.criteria}
    missing = [c.id for c in instrument.criteria if c.id not in values]
    if missing:
        text = f"not scored: {_criteria(len(missing), verb=True)} not rated ({', '.join(missing)})"
        return Score(None, 0, "not scored", text, {"unrated": missing})
    best = instrument.scale[-1].value
    if instrument.scoring is ScoringRule.HNR_STARS:
        return hnr_score([values[c.id] for c in instrument.criteria], best)
    if instrument.scoring is ScoringRule.DISCERN:
        key = [values[c.id] for c in instrument.criteria if not c.overall]
        overall = next((values[c.id] for c in instrument.criteria if c.overall), None)
        return discern_score(key, overall)
    return jama_score([values[c.id] for c in instrument.criteria], best)
