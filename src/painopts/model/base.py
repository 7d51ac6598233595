"""A whole knowledge file, and lookups by id."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Annotated, ClassVar

from painopts.model.evidence import Effect, HeadToHead
from painopts.model.instruments import ArticleRating, Instrument
from painopts.model.records import Article, Attribute, Claim, Meta, Source, Treatment
from painopts.model.spec import FORBID_EXTRA, MAX_SECTION, Spec, by_id, first_with_id


@dataclass(frozen=True, kw_only=True)
class KnowledgeBase:
    """A whole knowledge file."""

    __pydantic_config__: ClassVar[dict[str, str]] = {
        **FORBID_EXTRA,
        "title": "painopts knowledge file",
    }

    meta: Annotated[Meta, Spec("Title, version, review date, policies and disclaimer.")]
    attributes: Annotated[
        tuple[Attribute, ...], Spec("The rows of a comparison, in display order.", min_length=1)
    ]
    treatments: Annotated[
        tuple[Treatment, ...], Spec("Treatment options.", min_length=1, max_length=MAX_SECTION)
    ]
    effects: Annotated[
        tuple[Effect, ...],
        Spec(
            "Quantified effects, each with its outcome, CI and certainty.", max_length=MAX_SECTION
        ),
    ] = ()
    comparisons: Annotated[
        tuple[HeadToHead, ...],
        Spec(
            "Head-to-head evidence between treatments, or the statement that none was found.",
            max_length=MAX_SECTION,
        ),
    ] = ()
    sources: Annotated[tuple[Source, ...], Spec("The bibliography.", max_length=MAX_SECTION)] = ()
    articles: Annotated[
        tuple[Article, ...], Spec("Articles whose claims are checked.", max_length=MAX_SECTION)
    ] = ()
    claims: Annotated[
        tuple[Claim, ...], Spec("Claims of the articles, with verdicts.", max_length=MAX_SECTION)
    ] = ()
    instruments: Annotated[
        tuple[Instrument, ...],
        Spec("Instruments that rate an article as a source.", max_length=MAX_SECTION),
    ] = ()
    ratings: Annotated[
        tuple[ArticleRating, ...],
        Spec("Articles rated on the instruments.", max_length=MAX_SECTION),
    ] = ()

    def treatment(self, treatment_id: str) -> Treatment | None:
        """The treatment with this id, if any."""
        return self._treatments_by_id.get(treatment_id)

    def attribute(self, attribute_id: str) -> Attribute | None:
        """The attribute with this id, if any."""
        return first_with_id(self.attributes, attribute_id)

    def source(self, source_id: str) -> Source | None:
        """The source with this id, if any."""
        return self._sources_by_id.get(source_id)

    def article(self, article_id: str) -> Article | None:
        """The article with this id, if any."""
        return first_with_id(self.articles, article_id)

    def instrument(self, instrument_id: str) -> Instrument | None:
        """The instrument with this id, if any."""
        return first_with_id(self.instruments, instrument_id)

    def head_to_head(self, treatment_ids: Iterable[str]) -> tuple[HeadToHead, ...]:
        """The records of direct comparisons among these treatments (any two or more of them)."""
        wanted = set(treatment_ids)
        return tuple(
            record for record in self.comparisons if len(wanted & set(record.treatments)) >= 2
        )

    def claims_about(self, treatment_ids: Iterable[str]) -> tuple[Claim, ...]:
        """The claims that name any of these treatments, in file order."""
        wanted = set(treatment_ids)
        return tuple(claim for claim in self.claims if not wanted.isdisjoint(claim.treatments))

    def treatments_valued(self, attribute_id: str, text: str) -> tuple[Treatment, ...]:
        """The treatments whose value for this attribute reads exactly ``text``, in file order."""
        return tuple(
            treatment
            for treatment in self.treatments
            if (value := treatment.attributes.get(attribute_id)) is not None and value.value == text
        )

    def effects_of(self, treatment_id: str) -> tuple[Effect, ...]:
        """The effects recorded for this treatment, in file order."""
        return self._effects_by_treatment.get(treatment_id, ())

    # Indexes built on first use (a frozen record's cache; not fields, so not compared or kept).

    @functools.cached_property
    def _treatments_by_id(self) -> Mapping[str, Treatment]:
        return by_id(self.treatments)

    @functools.cached_property
    def _sources_by_id(self) -> Mapping[str, Source]:
        return by_id(self.sources)

    @functools.cached_property
    def _effects_by_treatment(self) -> Mapping[str, tuple[Effect, ...]]:
        grouped: dict[str, list[Effect]] = {}
        for effect in self.effects:
            grouped.setdefault(effect.treatment, []).append(effect)
        return {treatment_id: tuple(effects) for treatment_id, effects in grouped.items()}


MINIMUM_ATTRIBUTES = (
    "mechanism",
    "route",
    "onset",
    "duration_of_benefit",
    "addiction_risk",
    "controlled_substance",
    "respiratory_depression",
    "common_side_effects",
    "serious_risks",
    "neuropathic_line",
    "evidence_neuropathic",
    "evidence_non_neuropathic",
    "setting",
)
