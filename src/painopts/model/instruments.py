"""Instruments that rate an article as a source (HealthNewsReview, DISCERN, JAMA), and ratings.

Each instrument scores an article by its own published rule (`Instrument.score`):

- HealthNewsReview (``hnr-stars``): the share of applicable criteria judged satisfactory, posted
  only when two or fewer criteria are not applicable; 0% is 0 stars, 1-20% 1 star, 21-40% 2,
  41-60% 3, 61-80% 4, 81-100% 5.
- DISCERN (``discern``): each question on its own 1-5 scale, and the overall question; a sum
  of the key questions is offered as a convenience only, since DISCERN is read as a whole.
- JAMA benchmarks (``jama-count``): how many of the benchmarks are met, 0 to their number.
"""

import math
from fractions import Fraction
from typing import Annotated

from painopts.model.spec import (
    FORBID_EXTRA,
    NUMBERS_AS_TEXT,
    Id,
    Line,
    SourceId,
    Spec,
    StrEnum,
    Text,
    TextOrNumber,
    first_with_id,
    record,
)

Rating = Annotated[str, TextOrNumber(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")]
"""A rating word or number (``satisfactory``, ``3``): a bare number is read as its text."""
NOT_APPLICABLE = "not-applicable"
"""The rating of a criterion that does not apply to an article, where the instrument allows it."""


class ScoringRule(StrEnum):
    """How an instrument turns its criterion ratings into a score."""

    HNR_STARS = "hnr-stars"
    DISCERN = "discern"
    JAMA_COUNT = "jama-count"


@record(kw_only=True)
class ScaleLevel:
    """One allowed rating of an instrument's criteria."""

    __pydantic_config__ = NUMBERS_AS_TEXT

    value: Annotated[Rating, Spec("The rating as written in `ratings`, e.g. 'met' or 3.")]
    label: Annotated[Line, Spec("The rating in words, e.g. 'Satisfactory' or 'Definite no'.")]


@record(kw_only=True)
class Criterion:
    """One question of an instrument, in the project's own words."""

    __pydantic_config__ = FORBID_EXTRA

    id: Id
    label: Annotated[Line, Spec("Short label, e.g. 'Costs' or 'Q4 sources'.")]
    question: Annotated[Line, Spec("The question, in the project's own words.")]
    overall: Annotated[
        bool, Spec("True for an overall rating that sums up the other criteria.", strict=True)
    ] = False


@record(kw_only=True)
class Instrument:
    """A published instrument for rating the quality of an article as a source."""

    __pydantic_config__ = FORBID_EXTRA

    id: Id
    name: Annotated[Line, Spec("Display name.")]
    description: Annotated[Text, Spec("What it rates and how, in the project's own words.")]
    sources: Annotated[
        tuple[SourceId, ...], Spec("Sources that publish the instrument.", min_length=1)
    ]
    scoring: Annotated[ScoringRule, Spec("hnr-stars, discern or jama-count.")]
    scale: Annotated[
        tuple[ScaleLevel, ...], Spec("The allowed ratings, worst first.", min_length=2)
    ]
    not_applicable: Annotated[
        bool, Spec("True when a criterion may be rated 'not-applicable'.", strict=True)
    ] = False
    criteria: Annotated[tuple[Criterion, ...], Spec("The criteria, in order.", min_length=1)]

    def criterion(self, criterion_id: str) -> Criterion | None:
        """The criterion with this id, if any."""
        return first_with_id(self.criteria, criterion_id)

    def level(self, value: str) -> ScaleLevel | None:
        """The scale level written ``value``, if any."""
        return next((level for level in self.scale if level.value == value), None)

    def score(self, rated: "ArticleRating") -> "InstrumentScore":
        """The article's score by this instrument's rule; `Unrated` while a criterion is."""
        values = {item.criterion: item.rating for item in rated.criteria}
        missing = tuple(c.id for c in self.criteria if c.id not in values)
        if missing:
            return Unrated(missing)
        best = self.scale[-1].value
        if self.scoring is ScoringRule.HNR_STARS:
            return Stars.of([values[c.id] for c in self.criteria], best)
        if self.scoring is ScoringRule.DISCERN:
            key = [values[c.id] for c in self.criteria if not c.overall]
            overall = next((values[c.id] for c in self.criteria if c.overall), None)
            return Discern.of(key, overall)
        return Count(sum(1 for c in self.criteria if values[c.id] == best), len(self.criteria))


@record(kw_only=True)
class CriterionRating:
    """One criterion of an instrument, rated for one article."""

    __pydantic_config__ = NUMBERS_AS_TEXT

    criterion: Annotated[Id, Spec("Id of the criterion in the instrument.")]
    rating: Annotated[Rating, Spec("A value of the instrument's scale, or 'not-applicable'.")]
    reason: Annotated[Line, Spec("Why, in one line of the project's own words.")]
    sources: Annotated[tuple[SourceId, ...], Spec("Ids of sources the rating rests on.")] = ()
    claims: Annotated[tuple[Id, ...], Spec("Ids of claims the rating rests on.")] = ()


@record(kw_only=True)
class ArticleRating:
    """An article rated on one instrument, criterion by criterion."""

    __pydantic_config__ = FORBID_EXTRA

    article: Annotated[Id, Spec("Id of the article rated.")]
    instrument: Annotated[Id, Spec("Id of the instrument.")]
    basis: Annotated[Text, Spec("What the ratings rest on (which copy of the article).")]
    criteria: Annotated[
        tuple[CriterionRating, ...], Spec("One rating per criterion of the instrument.")
    ]

    def rating(self, criterion_id: str) -> CriterionRating | None:
        """The rating of this criterion, if any."""
        return next((item for item in self.criteria if item.criterion == criterion_id), None)


HNR_MOST_NOT_APPLICABLE = 2
"""HealthNewsReview posts a score only when at most this many criteria are not applicable."""
HNR_STARS = 5
DISCERN_BEST = 5
"""The top of each DISCERN question's 1-5 scale."""


def hnr_stars(satisfactory: int, applicable: int) -> int:
    """Stars for a share of applicable criteria satisfactory, by HealthNewsReview's bands."""
    if applicable <= 0 or not 0 <= satisfactory <= applicable:
        raise ValueError(f"{satisfactory} of {applicable} is not a share")
    return math.ceil(Fraction(satisfactory, applicable) * HNR_STARS)


@record
class Stars:
    """HealthNewsReview: criteria satisfactory of those applicable; stars only when posted."""

    satisfactory: int
    applicable: int
    not_applicable: int

    @classmethod
    def of(cls, ratings: list[str], satisfactory: str) -> "Stars":
        """The tally of one rating per criterion."""
        not_applicable = sum(1 for rating in ratings if rating == NOT_APPLICABLE)
        met = sum(1 for rating in ratings if rating == satisfactory)
        return cls(met, len(ratings) - not_applicable, not_applicable)

    @property
    def posted(self) -> bool:
        """Whether HealthNewsReview would post a score (few enough criteria not applicable)."""
        return self.not_applicable <= HNR_MOST_NOT_APPLICABLE and self.applicable > 0

    @property
    def stars(self) -> int | None:
        """0 to 5 stars, or None when no score is posted."""
        return hnr_stars(self.satisfactory, self.applicable) if self.posted else None

    @property
    def percent(self) -> int | None:
        """The share satisfactory, in whole percent, or None when no score is posted."""
        return round(100 * self.satisfactory / self.applicable) if self.posted else None


@record
class Discern:
    """DISCERN: the overall rating (1-5), and the key questions rated with a number."""

    overall: int | None
    key_rated: tuple[int, ...]
    key_questions: int

    @classmethod
    def of(cls, key: list[str], overall: str | None) -> "Discern":
        """From the key questions' ratings and the overall question's."""
        rated = tuple(number for number in map(_number, key) if number is not None)
        return cls(_number(overall), rated, len(key))

    @property
    def key_sum(self) -> int:
        """The key questions' sum: a convenience only, DISCERN is read question by question."""
        return sum(self.key_rated)

    @property
    def key_max(self) -> int:
        """The largest sum the key questions rated could have."""
        return DISCERN_BEST * len(self.key_rated)


def _number(rating: str | None) -> int | None:
    """A rating as a number; None when not applicable (or, in a file with errors, not a number)."""
    return int(rating) if rating is not None and rating.isdigit() else None


@record
class Count:
    """JAMA benchmarks: how many are met, of how many."""

    met: int
    benchmarks: int


@record
class Unrated:
    """No score: these criteria of the instrument are not rated for the article."""

    criteria: tuple[str, ...]


InstrumentScore = Stars | Discern | Count | Unrated
"""An article's score on an instrument, by the instrument's own rule."""
