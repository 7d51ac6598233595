"""The knowledge file's main records and the words their fields may take.

Meta, attributes, values, treatments, sources, articles and claims.
"""

import datetime as dt
from collections.abc import Mapping
from typing import Annotated, Any, ClassVar

from painopts.model.spec import (
    FORBID_EXTRA,
    NUMBERS_AS_TEXT,
    DateText,
    Doi,
    Id,
    Line,
    Pmid,
    SourceId,
    Spec,
    StrEnum,
    Text,
    Url,
    Year,
    file_name,
    record,
)

NOT_ASSESSED = "not assessed"
NONE_REPORTED = "none reported"
SPECIAL_VALUES = (NOT_ASSESSED, NONE_REPORTED)


class Certainty(StrEnum):
    """GRADE certainty of an evidence statement."""

    HIGH = "high"
    MODERATE = "moderate"
    LOW = "low"
    VERY_LOW = "very-low"


class Verdict(StrEnum):
    """How well the evidence bears out a claim."""

    SUPPORTED = "supported"
    PARTLY_SUPPORTED = "partly-supported"
    MISLEADING = "misleading"
    UNSUPPORTED = "unsupported"
    CONTRADICTED = "contradicted"


class AttributeKind(StrEnum):
    """How an attribute's values are read: an ordered scale or free text."""

    LEVEL = "level"
    TEXT = "text"


class Measure(StrEnum):
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


class Direction(StrEnum):
    """Which end of a level scale is more favourable to a patient."""

    LOWER = "lower"
    HIGHER = "higher"
    NONE = "none"


class Group(StrEnum):
    """Where an attribute sits in a comparison."""

    BENEFIT = "benefit"
    HARM = "harm"
    PRACTICAL = "practical"


class SourceType(StrEnum):
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


@record(kw_only=True)
class Meta:
    """Who made the knowledge file, when it was last checked, and on what terms."""

    __pydantic_config__ = FORBID_EXTRA

    title: Annotated[Line, Spec("Title of the knowledge file.")]
    version: Annotated[
        str, Spec("Version of the content, MAJOR.MINOR.PATCH.", pattern=r"^[0-9]+\.[0-9]+\.[0-9]+$")
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


@record(kw_only=True)
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


@record(kw_only=True)
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


@record(kw_only=True)
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

    def value_text(self, attribute_id: str, default: str = "not recorded") -> str:
        """The text of this treatment's value for an attribute (``default`` when it has none)."""
        value = self.attributes.get(attribute_id)
        return value.value if value is not None else default


@record(kw_only=True)
class NotCovered:
    """A treatment people ask about that the file deliberately leaves out, for now."""

    __pydantic_config__ = FORBID_EXTRA

    name: Annotated[Line, Spec("The name shown in 'painopts does not cover NAME yet'.")]
    aliases: Annotated[tuple[Line, ...], Spec("Other names people type for it.")] = ()
    note: Annotated[str, Spec("Why it is left out, in our words.", max_length=20_000)] = ""


@record(kw_only=True)
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
        Annotated[dt.date, DateText()] | None,
        Spec("ISO date (YYYY-MM-DD) when the source was last checked."),
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


@record(kw_only=True)
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


@record(kw_only=True)
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
