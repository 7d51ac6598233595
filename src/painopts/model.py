"""Typed, immutable domain objects of a painopts knowledge file, and lookups over them.

The objects are plain frozen dataclasses, so reading a cached knowledge base needs no
validation library. Their annotations carry `Spec`s (constraints and descriptions) that
pydantic reads when `painopts.load` validates a file and when the JSON Schema is generated.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, ClassVar, Protocol, TypeVar


class Spec:
    """Constraints and a description of a value, applied by pydantic when it validates.

    ``constraints`` are pydantic core-schema keys (``pattern``, ``min_length``, ``max_length``,
    ``ge``, ``le``, ``strict``); the description goes into the JSON Schema. A constraint on an
    optional value applies to the value when there is one.
    """

    KEYS = frozenset({"pattern", "min_length", "max_length", "ge", "le", "strict"})

    def __init__(self, description: str = "", **constraints: object) -> None:
        unknown = constraints.keys() - self.KEYS
        if unknown:
            raise TypeError(f"unknown constraint: {', '.join(sorted(unknown))}")
        self.description = description
        self.constraints = constraints

    def __get_pydantic_core_schema__(self, source: object, handler: Callable[[Any], Any]) -> Any:
        """The schema pydantic would build, with the constraints added."""
        schema = handler(source)
        target = schema["schema"] if schema.get("type") == "nullable" else schema
        target.update(self.constraints)
        return schema

    def __get_pydantic_json_schema__(self, schema: Any, handler: Callable[[Any], Any]) -> Any:
        """The JSON Schema pydantic would build, with the description added."""
        out = handler(schema)
        if self.description:
            out["description"] = self.description
        return out


class TextOrNumber(Spec):
    """Text that may be typed as a bare number (a PMID, a rating of 3).

    The record's ``NUMBERS_AS_TEXT`` configuration reads the number as its text; this tells
    editors, through the JSON Schema, that either is fine.
    """

    def __get_pydantic_json_schema__(self, schema: Any, handler: Callable[[Any], Any]) -> Any:
        """A string or an integer."""
        return {"anyOf": [{"type": "string", **self.constraints}, {"type": "integer"}]}


class _Prepared(Spec):
    """A Spec whose value first goes through ``prepare`` (which may refuse it), then is checked."""

    @staticmethod
    def prepare(value: object) -> object:
        """The value as the check expects it; a ValueError refuses it."""
        return value

    def __get_pydantic_core_schema__(self, source: object, handler: Callable[[Any], Any]) -> Any:
        """Pydantic's schema with constraints, behind the preparing step."""
        from pydantic_core import core_schema

        return core_schema.no_info_before_validator_function(
            self.prepare, super().__get_pydantic_core_schema__(source, handler)
        )


class DateText(_Prepared):
    """A date written as ISO text (YYYY-MM-DD), never a number or a timestamp."""

    @staticmethod
    def prepare(value: object) -> object:
        """Anything but YYYY-MM-DD text (or None, for an optional date) is refused."""
        if value is None or (
            isinstance(value, str) and len(value) == len("YYYY-MM-DD") and value[4::3] == "--"
        ):
            return value
        raise ValueError("expected a date written YYYY-MM-DD")


FIELD_ALIASES = {"class_": "class"}
"""Fields whose name in the knowledge file is a Python keyword."""

FORBID_EXTRA = {"extra": "forbid"}
"""Pydantic configuration: an unknown key is an error."""


NUMBERS_AS_TEXT = {**FORBID_EXTRA, "coerce_numbers_to_str": True}
"""Pydantic configuration for records whose text may be typed as a bare number (a PMID, a
rating such as 3): the number is read as its text."""


def file_name(field: str) -> str:
    """A field's key in the knowledge file (pydantic's public ``alias_generator`` hook)."""
    return FIELD_ALIASES.get(field, field)


Id = Annotated[
    str,
    Spec(
        "Identifier: lower-case letters, digits, '-' and '_'.",
        pattern=r"^[a-z0-9][a-z0-9_-]*$",
        max_length=64,
    ),
]
SourceId = Annotated[
    str,
    Spec(
        "Identifier of a source in `sources`.",
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$",
        max_length=64,
    ),
]
Text = Annotated[str, Spec(min_length=1, max_length=20_000)]
Line = Annotated[str, Spec(min_length=1, max_length=500)]
Doi = Annotated[str, Spec(pattern=r"^10\.\d{4,9}/\S+$")]
Url = Annotated[str, Spec(pattern=r"^https?://\S+$")]
Year = Annotated[int, Spec(ge=1900, le=2100, strict=True)]
Pmid = Annotated[str, TextOrNumber(pattern=r"^\d{1,9}$")]


class _StrEnum(str, enum.Enum):
    """An enum whose members are their string values (``enum.StrEnum`` before 3.11)."""

    def __str__(self) -> str:
        return str(self.value)


NOT_ASSESSED = "not assessed"
NONE_REPORTED = "none reported"
SPECIAL_VALUES = (NOT_ASSESSED, NONE_REPORTED)


class Certainty(_StrEnum):
    """GRADE certainty of an evidence statement."""

    HIGH = "high"
    MODERATE = "moderate"
    LOW = "low"
    VERY_LOW = "very-low"


class Verdict(_StrEnum):
    """How well the evidence bears out a claim."""

    SUPPORTED = "supported"
    PARTLY_SUPPORTED = "partly-supported"
    MISLEADING = "misleading"
    UNSUPPORTED = "unsupported"
    CONTRADICTED = "contradicted"


class AttributeKind(_StrEnum):
    """How an attribute's values are read: an ordered scale or free text."""

    LEVEL = "level"
    TEXT = "text"


class Measure(_StrEnum):
    """What a level attribute's scale measures; each measure has its own vocabulary of levels."""

    BENEFIT_SIZE = "benefit-size"
    GUIDELINE_POSITION = "guideline-position"
    HARM_LEVEL = "harm-level"


VOCABULARY: Mapping[Measure, tuple[str, ...]] = {
    Measure.BENEFIT_SIZE: ("no benefit shown", "small", "moderate", "large"),
    Measure.GUIDELINE_POSITION: (
        "first-line",
        "second-line",
        "third-line",
        "inconclusive",
        "not recommended",
    ),
    Measure.HARM_LEVEL: ("none", "low", "moderate", "high"),
}
"""The words each measure may use as levels. Certainty of evidence is never a level: it is the
``certainty`` of a value or an effect."""


class Direction(_StrEnum):
    """Which end of a level scale is more favourable to a patient."""

    LOWER = "lower"
    HIGHER = "higher"
    NONE = "none"


class Group(_StrEnum):
    """Where an attribute sits in a comparison."""

    BENEFIT = "benefit"
    HARM = "harm"
    PRACTICAL = "practical"


class SourceType(_StrEnum):
    """The kind of document a source is."""

    GUIDELINE = "guideline"
    SYSTEMATIC_REVIEW = "systematic-review"
    RCT = "rct"
    OBSERVATIONAL_STUDY = "observational-study"
    ANIMAL_STUDY = "animal-study"
    DRUG_LABEL = "drug-label"
    DRUG_MONOGRAPH = "drug-monograph"
    GOVERNMENT_REPORT = "government-report"
    GOVERNMENT_DATABASE = "government-database"
    REGULATORY_COMMUNICATION = "regulatory-communication"
    CONSENSUS_STATEMENT = "consensus-statement"
    NARRATIVE_REVIEW = "narrative-review"
    EDITORIAL = "editorial"
    PATIENT_INFORMATION = "patient-information"
    PROMOTIONAL_ARTICLE = "promotional-article"
    OTHER = "other"


@dataclass(frozen=True, kw_only=True)
class Meta:
    """Who made the knowledge file, when it was last checked, and on what terms."""

    __pydantic_config__ = FORBID_EXTRA

    title: Annotated[Line, Spec("Title of the knowledge file.")]
    version: Annotated[
        str, Spec("Version of the content, MAJOR.MINOR.PATCH.", pattern=r"^\d+\.\d+\.\d+$")
    ]
    last_reviewed: Annotated[
        dt.date, DateText("ISO date (YYYY-MM-DD) when the evidence was last checked.")
    ]
    update_policy: Annotated[Text, Spec("When and how the evidence is re-checked.")]
    authors: Annotated[tuple[Line, ...], Spec("Who wrote the content.", min_length=1)]
    funding: Annotated[Text, Spec("Who paid for the work.")]
    conflicts_of_interest: Annotated[Text, Spec("Declared conflicts of interest.")]
    disclaimer: Annotated[Text, Spec("The not-medical-advice statement shown with output.")]
    review_url: Annotated[
        Url | None,
        Spec("Where the review of the articles' claims is published (ClaimReview url), if it is."),
    ] = None
    review_interval_days: Annotated[
        int | None,
        Spec(
            "Longest time, in days, that may pass after last_reviewed before validate warns.",
            ge=1,
            le=36525,
            strict=True,
        ),
    ] = None


@dataclass(frozen=True, kw_only=True)
class Attribute:
    """One row of a comparison: what is compared and how its values are read."""

    __pydantic_config__ = FORBID_EXTRA

    id: Id
    label: Annotated[Line, Spec("Short row label, e.g. 'Addiction risk'.")]
    question: Annotated[Line, Spec("The attribute as a patient would ask it.")]
    group: Annotated[Group, Spec("benefit, harm or practical.")]
    kind: Annotated[AttributeKind, Spec("level (an ordered scale) or text.")]
    levels: Annotated[
        tuple[Line, ...], Spec("For kind level: the allowed values, lowest first.")
    ] = ()
    better: Annotated[Direction, Spec("For kind level: which end is more favourable.")] = (
        Direction.NONE
    )
    measures: Annotated[
        Measure | None,
        Spec("For kind level: what the scale measures; its levels must come from that vocabulary."),
    ] = None
    description: Annotated[Text, Spec("What the attribute means and how it is judged.")]

    def rank(self, value: str) -> int | None:
        """Position of `value` on this attribute's scale, or None when it has none."""
        try:
            return self.levels.index(value)
        except ValueError:
            return None


@dataclass(frozen=True, kw_only=True)
class Value:
    """What is known about one attribute of one treatment."""

    __pydantic_config__ = FORBID_EXTRA

    value: Annotated[
        Line, Spec("The value: a level, a short text, 'not assessed' or 'none reported'.")
    ]
    detail: Annotated[str, Spec("The value explained.", max_length=20_000)] = ""
    certainty: Annotated[
        Certainty | None, Spec("GRADE certainty, for evidence statements only.")
    ] = None
    sources: Annotated[tuple[SourceId, ...], Spec("Ids of supporting sources.")] = ()

    @property
    def assessed(self) -> bool:
        """False when the value says the question has not been assessed."""
        return self.value != NOT_ASSESSED


@dataclass(frozen=True, kw_only=True)
class Treatment:
    """A treatment option and its value for each attribute."""

    __pydantic_config__: ClassVar[dict[str, Any]] = {**FORBID_EXTRA, "alias_generator": file_name}

    id: Id
    name: Annotated[Line, Spec("Display name.")]
    aliases: Annotated[tuple[Line, ...], Spec("Other names people type.")] = ()
    class_: Annotated[Line, Spec("Drug or therapy class.")]
    routes: Annotated[tuple[Line, ...], Spec("How it is given.", min_length=1)]
    summary: Annotated[Text, Spec("Two or three neutral sentences.")]
    attributes: Annotated[Mapping[Id, Value], Spec("Values keyed by attribute id.")]



@dataclass(frozen=True, kw_only=True)
class Source:
    """A document that a value or a verdict rests on."""

    __pydantic_config__ = NUMBERS_AS_TEXT

    id: SourceId
    title: Annotated[Text, Spec("Title as published.")]
    authors: Annotated[tuple[Line, ...], Spec("Authors or organisation.")] = ()
    publisher: Annotated[Line, Spec("Journal, publisher or organisation.")]
    year: Annotated[Year | None, Spec("Year published.")] = None
    type: Annotated[SourceType, Spec("Kind of document.")]
    doi: Annotated[Doi | None, Spec("DOI without the https://doi.org/ prefix.")] = None
    pmid: Annotated[Pmid | None, Spec("PubMed identifier.")] = None
    url: Annotated[Url | None, Spec("Official web address.")] = None
    note: Annotated[str, Spec("What it says, in our words.", max_length=20_000)] = ""
    checked: Annotated[
        dt.date | None, DateText("ISO date (YYYY-MM-DD) when the source was last checked.")
    ] = None

    @property
    def links(self) -> tuple[str, ...]:
        """Where to find it: the DOI, PubMed and URL addresses, each once, DOI first."""
        found = [
            f"https://doi.org/{self.doi}" if self.doi else "",
            f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/" if self.pmid else "",
            self.url or "",
        ]
        return tuple(dict.fromkeys(link for link in found if link))


@dataclass(frozen=True, kw_only=True)
class Article:
    """An article whose claims are checked."""

    __pydantic_config__ = FORBID_EXTRA

    id: Id
    title: Annotated[Line, Spec("Title or description of the article.")]
    publisher: Annotated[Line, Spec("Who published it.")]
    type: Annotated[SourceType, Spec("Kind of document.")]
    url: Annotated[Url | None, Spec("Where it was published, if known.")] = None
    conflicts_of_interest: Annotated[Text, Spec("Declared or evident conflicts of interest.")]
    summary: Annotated[Text, Spec("What the article argues.")]
    author: Annotated[
        Line | None, Spec("Who wrote the article, as the article names them, if it does.")
    ] = None
    date_published: Annotated[
        Annotated[dt.date, DateText()] | None,
        Spec("ISO date (YYYY-MM-DD) the article was published, if it says."),
    ] = None


@dataclass(frozen=True, kw_only=True)
class Claim:
    """One factual claim of an article, with its verdict."""

    __pydantic_config__ = FORBID_EXTRA

    id: Id
    article: Annotated[Id, Spec("Id of the article making the claim.")]
    section: Annotated[Line, Spec("Article section where the claim appears.")]
    quote: Annotated[
        str, Spec("A few words quoted from the article.", min_length=1, max_length=160)
    ]
    paraphrase: Annotated[Text, Spec("The claim in neutral words.")]
    treatments: Annotated[tuple[Id, ...], Spec("Treatments the claim is about.")] = ()
    attribute: Annotated[Id | None, Spec("Attribute the claim is about.")] = None
    topic: Annotated[Line, Spec("What the claim is about, in a few words.")]
    verdict: Annotated[Verdict, Spec("How well the evidence bears the claim out.")]
    assessment: Annotated[Text, Spec("The verdict explained, in the project's words.")]
    sources: Annotated[tuple[SourceId, ...], Spec("Ids of sources.")] = ()


Rating = Annotated[str, TextOrNumber(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")]
"""A rating word or number (``satisfactory``, ``3``): a bare number is read as its text."""
NOT_APPLICABLE = "not-applicable"
"""The rating of a criterion that does not apply to an article, where the instrument allows it."""


class ScoringRule(_StrEnum):
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
        return _first(self.criteria, criterion_id)

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


class EffectMetric(_StrEnum):
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


class Grade(_StrEnum):
    """GRADE certainty of a quantified effect, or 'not graded' (none known for the source)."""

    HIGH = "high"
    MODERATE = "moderate"
    LOW = "low"
    VERY_LOW = "very-low"
    NOT_GRADED = "not graded"


class EffectBasis(_StrEnum):
    """Where a figure comes from: reported by the source, derived from its figures, or absent."""

    REPORTED = "reported"
    DERIVED = "derived"
    NO_FIGURE = "no figure"


@dataclass(frozen=True, kw_only=True)
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
    scale: Annotated[Line | None, Spec("The measurement scale, e.g. '0-10 NRS'.")] = None
    outcome: Annotated[Line, Spec("The outcome as defined, e.g. 'at least 50% pain relief'.")]
    population: Annotated[Line, Spec("Who was studied.")]
    intervention: Annotated[
        Line | None, Spec("The drug, dose or form studied, when narrower than the treatment.")
    ] = None
    comparator: Annotated[Line, Spec("What the treatment was compared with.")]
    time_point: Annotated[Line, Spec("When the outcome was measured.")]
    trials: Annotated[int | None, Spec("Number of trials pooled.", ge=1, strict=True)] = None
    participants: Annotated[int | None, Spec("Number of participants.", ge=1, strict=True)] = None
    certainty: Annotated[
        Grade,
        Spec("GRADE certainty as the source rated it; 'not graded' when no rating is known."),
    ]
    sources: Annotated[tuple[SourceId, ...], Spec("Ids of the sources reporting the figure.")] = ()
    note: Annotated[str, Spec("Caveats, in our words.", max_length=20_000)] = ""


@dataclass(frozen=True, kw_only=True)
class HeadToHead:
    """What is known of a direct comparison of two or more treatments (or that none was found)."""

    __pydantic_config__ = FORBID_EXTRA

    treatments: Annotated[
        tuple[Id, ...], Spec("Ids of the treatments compared (two or more).", min_length=2)
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
    treatments: Annotated[tuple[Treatment, ...], Spec("Treatment options.", min_length=1)]
    effects: Annotated[
        tuple[Effect, ...], Spec("Quantified effects, each with its outcome, CI and certainty.")
    ] = ()
    comparisons: Annotated[
        tuple[HeadToHead, ...],
        Spec("Head-to-head evidence between treatments, or the statement that none was found."),
    ] = ()
    sources: Annotated[tuple[Source, ...], Spec("The bibliography.")] = ()
    articles: Annotated[tuple[Article, ...], Spec("Articles whose claims are checked.")] = ()
    claims: Annotated[tuple[Claim, ...], Spec("Claims of the articles, with verdicts.")] = ()
    instruments: Annotated[
        tuple[Instrument, ...], Spec("Instruments that rate an article as a source.")
    ] = ()
    ratings: Annotated[tuple[ArticleRating, ...], Spec("Articles rated on the instruments.")] = ()

    def treatment(self, treatment_id: str) -> Treatment | None:
        """The treatment with this id, if any."""
        return _first(self.treatments, treatment_id)

    def attribute(self, attribute_id: str) -> Attribute | None:
        """The attribute with this id, if any."""
        return _first(self.attributes, attribute_id)

    def source(self, source_id: str) -> Source | None:
        """The source with this id, if any."""
        return _first(self.sources, source_id)

    def article(self, article_id: str) -> Article | None:
        """The article with this id, if any."""
        return _first(self.articles, article_id)

    def instrument(self, instrument_id: str) -> Instrument | None:
        """The instrument with this id, if any."""
        return _first(self.instruments, instrument_id)

    def head_to_head(self, treatment_ids: Iterable[str]) -> tuple[HeadToHead, ...]:
        """The records of direct comparisons among these treatments (any two or more of them)."""
        wanted = set(treatment_ids)
        return tuple(
            record for record in self.comparisons if len(wanted & set(record.treatments)) >= 2
        )

    def effects_of(self, treatment_id: str) -> tuple[Effect, ...]:
        """The effects recorded for this treatment, in file order."""
        return tuple(effect for effect in self.effects if effect.treatment == treatment_id)


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


_Item = TypeVar("_Item", bound=_HasId)


def _first(items: Iterable[_Item], item_id: str) -> _Item | None:
    return next((item for item in items if item.id == item_id), None)


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


class Severity(_StrEnum):
    """How serious a problem in a knowledge file is."""

    ERROR = "error"
    WARNING = "warning"


Loc = tuple[str | int, ...]


@dataclass(frozen=True, kw_only=True)
class Problem:
    """One located problem in a knowledge file, with a stable code."""

    code: str
    severity: Severity
    message: str
    loc: Loc = ()
    line: int | None = None
    column: int | None = None

    @property
    def dotted(self) -> str:
        """The location as a dotted path, e.g. ``treatments[3].attributes.onset``."""
        text = ""
        for part in self.loc:
            text += f"[{part}]" if isinstance(part, int) else f".{part}"
        return text.lstrip(".") or "(file)"


@dataclass(frozen=True)
class Report:
    """The outcome of validating one knowledge file."""

    name: str
    problems: Sequence[Problem] = field(default_factory=tuple)
    strict: bool = False

    @property
    def errors(self) -> int:
        """How many problems are errors."""
        return sum(1 for problem in self.problems if problem.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        """How many problems are warnings."""
        return len(self.problems) - self.errors

    @property
    def valid(self) -> bool:
        """True when nothing fails: no errors, and no warnings either under --strict."""
        return self.errors == 0 and not (self.strict and self.warnings)


class UnknownNameError(LookupError):
    """A name on the command line matches nothing in the knowledge file."""

    def __init__(self, kind: str, name: str, suggestions: Sequence[str]) -> None:
        hint = f" (did you mean {', '.join(suggestions)}?)" if suggestions else ""
        listing = "; 'painopts list' shows them all" if kind == "treatment" else ""
        super().__init__(f"unknown {kind} '{name}'{hint}{listing}")
        self.kind = kind
        self.name = name
        self.suggestions = tuple(suggestions)


class SelectionError(ValueError):
    """What was asked for on the command line cannot be shown (e.g. one treatment to compare)."""


def fold_name(text: str) -> str:
    """A name as lookups compare it: any case, and '-', '_' and spaces alike."""
    return " ".join(text.casefold().replace("_", " ").replace("-", " ").split())


SIMILAR = 0.75
"""How alike a typed name and a known one must be to be suggested (difflib's ratio): a typo of
'ketamine' is, while 'THC' and 'tca' or 'CBD' and 'CBT' are not."""


def _resolve(
    items: Sequence[_Item], names: Callable[[_Item], Iterable[str]], kind: str, name: str
) -> _Item:
    exact = next((item for item in items if item.id == name), None)
    if exact is not None:  # the usual case, and cheap on a large file
        return exact
    index: dict[str, _Item] = {}
    for item in items:
        for known in names(item):
            index.setdefault(fold_name(known), item)
    found = index.get(fold_name(name))
    if found is not None:
        return found
    import difflib

    close = difflib.get_close_matches(fold_name(name), list(index), n=3, cutoff=SIMILAR)
    suggestions = list(dict.fromkeys(index[match].id for match in close))
    raise UnknownNameError(kind, name, suggestions)


def resolve_treatment(kb: KnowledgeBase, name: str) -> Treatment:
    """The treatment called ``name`` (id, name or alias, any case), or UnknownNameError."""
    return _resolve(kb.treatments, lambda t: (t.id, t.name, *t.aliases), "treatment", name)


def resolve_attribute(kb: KnowledgeBase, name: str) -> Attribute:
    """The attribute called ``name`` (id or label, any case), or UnknownNameError."""
    return _resolve(kb.attributes, lambda a: (a.id, a.label), "attribute", name)


def counted(number: int, noun: str) -> str:
    """'1 claim', '2 claims': a count with its noun in the right number."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def as_data(item: object, exclude: frozenset[str] = frozenset()) -> dict[str, Any]:
    """A domain object as JSON-ready data: every field, under its name in the knowledge file."""
    return {
        file_name(each.name): _plain(getattr(item, each.name))
        for each in dataclasses.fields(item)  # type: ignore[arg-type]
        if each.name not in exclude
    }


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, (str, int, float)) or value is None:
        return value
    if dataclasses.is_dataclass(value):
        return as_data(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (tuple, list)):
        return [_plain(item) for item in value]
    return value
