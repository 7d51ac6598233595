"""A whole knowledge file, and lookups by id."""

import functools
from collections.abc import Iterable, Mapping
from typing import Annotated, ClassVar

from painopts.model.conditions import Condition, Guideline, Position
from painopts.model.evidence import Effect, HeadToHead
from painopts.model.instruments import ArticleRating, Instrument
from painopts.model.records import Article, Attribute, Claim, Meta, NotCovered, Source, Treatment
from painopts.model.spec import FORBID_EXTRA, MAX_SECTION, Spec, by_id, first_with_id, record


@record(kw_only=True)
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
    conditions: Annotated[
        tuple[Condition, ...],
        Spec(
            "Kinds of chronic pain that evidence and guidelines are about.",
            max_length=MAX_SECTION,
        ),
    ] = ()
    guidelines: Annotated[
        tuple[Guideline, ...],
        Spec("Guidelines and the conditions each one speaks for.", max_length=MAX_SECTION),
    ] = ()
    positions: Annotated[
        tuple[Position, ...],
        Spec(
            "Where a guideline places a treatment for a condition it covers.",
            max_length=MAX_SECTION,
        ),
    ] = ()
    instruments: Annotated[
        tuple[Instrument, ...],
        Spec("Instruments that rate an article as a source.", max_length=MAX_SECTION),
    ] = ()
    ratings: Annotated[
        tuple[ArticleRating, ...],
        Spec("Articles rated on the instruments.", max_length=MAX_SECTION),
    ] = ()
    not_covered: Annotated[
        tuple[NotCovered, ...],
        Spec(
            "Treatments people ask about that the file leaves out, so a lookup can say so.",
            max_length=MAX_SECTION,
        ),
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

    def effects_of(self, treatment_id: str, condition_id: str | None = None) -> tuple[Effect, ...]:
        """The effects recorded for this treatment (for this condition, if given), in file order."""
        effects = self._effects_by_treatment.get(treatment_id, ())
        if condition_id is None:
            return effects
        return tuple(effect for effect in effects if effect.condition == condition_id)

    def condition(self, condition_id: str) -> Condition | None:
        """The condition with this id, if any."""
        return first_with_id(self.conditions, condition_id)

    def guideline(self, source_id: str) -> Guideline | None:
        """The guideline whose source has this id, if any."""
        return first_with_id(self.guidelines, source_id)

    def guidelines_for(self, condition_id: str) -> tuple[Guideline, ...]:
        """The guidelines that cover this condition, in file order."""
        return tuple(g for g in self.guidelines if condition_id in g.covers)

    @functools.cached_property
    def _positions_by_condition(self) -> dict[str, list[int]]:
        """Where each condition's positions lie in ``positions`` (built once, when first used)."""
        index: dict[str, list[int]] = {}
        for number, position in enumerate(self.positions):
            index.setdefault(position.condition, []).append(number)
        return index

    def broader(self, condition_id: str) -> tuple[str, ...]:
        """The condition's id, then those of the broader conditions it is part of, nearest first."""
        chain = [condition_id]
        while (found := self.condition(chain[-1])) is not None and found.part_of:
            if found.part_of in chain:
                break  # a loop (validate reports it)
            chain.append(found.part_of)
        return tuple(chain)

    def positions_for(
        self, condition_id: str, treatment_ids: Iterable[str] | None = None
    ) -> tuple[Position, ...]:
        """The positions that speak for this condition (of these treatments, if given).

        A position counts only when its guideline is recorded as covering the condition: a
        guideline never speaks for a condition it does not cover. One recorded for a broader
        condition (``part_of``) counts too, unless the same guideline places the treatment for
        a narrower one.
        """
        covering = {guideline.source for guideline in self.guidelines_for(condition_id)}
        wanted = None if treatment_ids is None else set(treatment_ids)
        placed: set[tuple[str, str]] = set()  # (guideline, treatment) placed at a narrower level
        chosen: set[int] = set()
        for level in self.broader(condition_id):
            here = {
                index: (position.guideline, position.treatment)
                for index in self._positions_by_condition.get(level, ())
                if (position := self.positions[index]).guideline in covering
                and (wanted is None or position.treatment in wanted)
            }
            chosen.update(index for index, key in here.items() if key not in placed)
            placed.update(here.values())
        return tuple(self.positions[index] for index in sorted(chosen))

    def placed_first(self, condition_id: str) -> dict[str, tuple[Position, ...]]:
        """Per covering guideline (by source id), the options it puts first for this condition."""
        chosen: dict[str, list[Position]] = {}
        for position in self.positions_for(condition_id):  # in the order of the guidelines
            if position.put_first:
                chosen.setdefault(position.guideline, []).append(position)
        order = [g.source for g in self.guidelines_for(condition_id) if g.source in chosen]
        return {source: tuple(chosen[source]) for source in order}

    def conditions_placing(self, treatment_ids: Iterable[str]) -> tuple[Condition, ...]:
        """The conditions for which a covering guideline places any of these treatments."""
        wanted = set(treatment_ids)
        return tuple(
            condition for condition in self.conditions if self.positions_for(condition.id, wanted)
        )

    def positions_of(self, treatment_ids: Iterable[str]) -> tuple[Position, ...]:
        """The positions of these treatments, each under the condition it is recorded for.

        In file order; never one whose guideline does not cover that condition.
        """
        wanted = set(treatment_ids)
        return tuple(
            position
            for position in self.positions
            if position.treatment in wanted
            and (guideline := self.guideline(position.guideline)) is not None
            and position.condition in guideline.covers
        )

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
