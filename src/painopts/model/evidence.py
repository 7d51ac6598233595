"""Quantified effects (NNT, NNH, mean differences ...) and head-to-head evidence."""

from collections.abc import Mapping
from typing import Annotated

from painopts.model.spec import FORBID_EXTRA, Id, Line, SourceId, Spec, StrEnum, Text, record


class EffectMetric(StrEnum):
    """How a quantified effect is expressed."""

    NNT = "NNT"
    NNH = "NNH"
    MD = "MD"
    SMD = "SMD"
    RR = "RR"
    OR = "OR"
    RD = "RD"
    PERCENTAGES = "percentages"


EFFECT_METRIC_NAMES: Mapping[EffectMetric, str] = {
    EffectMetric.NNT: "number needed to treat",
    EffectMetric.NNH: "number needed to harm",
    EffectMetric.MD: "mean difference",
    EffectMetric.SMD: "standardised mean difference",
    EffectMetric.RR: "risk ratio",
    EffectMetric.OR: "odds ratio",
    EffectMetric.RD: "risk difference",
    EffectMetric.PERCENTAGES: "% of people with the outcome (treated, and comparator if any)",
}


class Grade(StrEnum):
    """GRADE certainty of a quantified effect, or 'not graded' (none known for the source)."""

    HIGH = "high"
    MODERATE = "moderate"
    LOW = "low"
    VERY_LOW = "very-low"
    NOT_GRADED = "not graded"


class EffectKind(StrEnum):
    """Whether a figure measures a benefit or a harm."""

    BENEFIT = "benefit"
    HARM = "harm"


SCALED = (EffectMetric.MD, EffectMetric.SMD)
"""Metrics whose figures mean nothing without their scale."""


class EffectBasis(StrEnum):
    """Where a figure comes from: reported by the source, derived from its figures, or absent."""

    REPORTED = "reported"
    DERIVED = "derived"
    NO_FIGURE = "no figure"


@record(kw_only=True)
class Effect:
    """One quantified effect of a treatment on one outcome, or a statement that none exists."""

    __pydantic_config__ = FORBID_EXTRA

    id: Id
    treatment: Annotated[Id, Spec("Id of the treatment the effect is about.")]
    metric: Annotated[EffectMetric, Spec("NNT, NNH, MD, SMD, RR, OR, RD or percentages.")]
    basis: Annotated[
        EffectBasis,
        Spec("reported (as published), derived (our arithmetic) or 'no figure' (none exists)."),
    ]
    estimate: Annotated[
        float | None, Spec("The point estimate; absent only when the basis is 'no figure'.")
    ] = None
    ci_low: Annotated[float | None, Spec("Lower end of the 95% confidence interval.")] = None
    ci_high: Annotated[float | None, Spec("Upper end of the 95% confidence interval.")] = None
    comparator_estimate: Annotated[
        float | None, Spec("For percentages: the percentage in the comparator group.")
    ] = None
    scale: Annotated[
        Line | None,
        Spec("The measurement scale, e.g. '0-10 NRS' (required for MD and SMD)."),
    ] = None
    condition: Annotated[
        Id | None, Spec("Id of the condition (under `conditions`) the figure is for.")
    ] = None
    kind: Annotated[
        EffectKind | None,
        Spec("benefit or harm; when absent, an NNH is a harm and anything else a benefit."),
    ] = None
    outcome: Annotated[Line, Spec("The outcome as defined, e.g. 'at least 50% pain relief'.")]
    population: Annotated[Line, Spec("Who was studied.")]
    intervention: Annotated[
        Line | None, Spec("The drug, dose or form studied, when narrower than the treatment.")
    ] = None
    comparator: Annotated[Line, Spec("What the treatment was compared with.")]
    time_point: Annotated[Line, Spec("When the outcome was measured.")]
    trials: Annotated[int | None, Spec("Number of trials pooled.", ge=1, strict=True)] = None
    participants: Annotated[int | None, Spec("Number of participants.", ge=1, strict=True)] = None
    events: Annotated[
        int | None,
        Spec(
            "People with the outcome in the treatment arms, for a figure derived from counts.",
            ge=0,
            strict=True,
        ),
    ] = None
    total: Annotated[
        int | None,
        Spec("People in the treatment arms that `events` counts from.", ge=1, strict=True),
    ] = None
    comparator_events: Annotated[
        int | None, Spec("People with the outcome in the comparator arms.", ge=0, strict=True)
    ] = None
    comparator_total: Annotated[
        int | None, Spec("People in the comparator arms.", ge=1, strict=True)
    ] = None
    certainty: Annotated[
        Grade,
        Spec("GRADE certainty as the source rated it; 'not graded' when no rating is known."),
    ]
    sources: Annotated[tuple[SourceId, ...], Spec("Ids of the sources reporting the figure.")] = ()
    note: Annotated[str, Spec("Caveats, in our words.", max_length=20_000)] = ""

    @property
    def harm(self) -> bool:
        """Whether the figure measures a harm (``kind``, or an NNH when the kind is not given)."""
        if self.kind is not None:
            return self.kind is EffectKind.HARM
        return self.metric is EffectMetric.NNH


@record(kw_only=True)
class HeadToHead:
    """What is known of a direct comparison of two or more treatments (or that none was found)."""

    __pydantic_config__ = FORBID_EXTRA

    treatments: Annotated[
        tuple[Id, ...],
        Spec("Ids of the treatments compared (two to 20).", min_length=2, max_length=20),
    ]
    direct: Annotated[
        bool,
        Spec(
            "True when a trial or review compares them directly; false when none was found.",
            strict=True,
        ),
    ]
    summary: Annotated[Text, Spec("What the direct evidence shows, or that there is none.")]
    sources: Annotated[tuple[SourceId, ...], Spec("Ids of the sources this rests on.")] = ()
