"""Instruments that rate an article as a source (HealthNewsReview, DISCERN, JAMA), and ratings."""

from __future__ import annotations

from dataclasses import dataclass
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


@dataclass(frozen=True, kw_only=True)
class ScaleLevel:
    """One allowed rating of an instrument's criteria."""

    __pydantic_config__ = NUMBERS_AS_TEXT

    value: Annotated[Rating, Spec("The rating as written in `ratings`, e.g. 'met' or 3.")]
    label: Annotated[Line, Spec("The rating in words, e.g. 'Satisfactory' or 'Definite no'.")]


@dataclass(frozen=True, kw_only=True)
class Criterion:
    """One question of an instrument, in the project's own words."""

    __pydantic_config__ = FORBID_EXTRA

    id: Id
    label: Annotated[Line, Spec("Short label, e.g. 'Costs' or 'Q4 sources'.")]
    question: Annotated[Line, Spec("The question, in the project's own words.")]
    overall: Annotated[
        bool, Spec("True for an overall rating that sums up the other criteria.", strict=True)
    ] = False


@dataclass(frozen=True, kw_only=True)
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


@dataclass(frozen=True, kw_only=True)
class CriterionRating:
    """One criterion of an instrument, rated for one article."""

    __pydantic_config__ = NUMBERS_AS_TEXT

    criterion: Annotated[Id, Spec("Id of the criterion in the instrument.")]
    rating: Annotated[Rating, Spec("A value of the instrument's scale, or 'not-applicable'.")]
    reason: Annotated[Line, Spec("Why, in one line of the project's own words.")]
    sources: Annotated[tuple[SourceId, ...], Spec("Ids of sources the rating rests on.")] = ()
    claims: Annotated[tuple[Id, ...], Spec("Ids of claims the rating rests on.")] = ()


@dataclass(frozen=True, kw_only=True)
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
