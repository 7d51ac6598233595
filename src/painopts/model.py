"""Typed, immutable domain objects of a painopts knowledge file, and lookups over them."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Protocol, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

Id = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64),
    Field(description="Identifier: lower-case letters, digits, '-' and '_'."),
]
SourceId = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$", max_length=64),
    Field(description="Identifier of a source in `sources`."),
]
Text = Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
Line = Annotated[str, StringConstraints(min_length=1, max_length=500)]


def _number_as_text(value: object) -> object:
    """Accept a bare integer (a PMID typed without quotes) as its decimal text."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class _StrEnum(str, enum.Enum):
    """An enum whose members are their string values (``enum.StrEnum`` before 3.11)."""

    def __str__(self) -> str:
        return str(self.value)


Pmid = Annotated[
    str,
    StringConstraints(pattern=r"^\d{1,9}$"),
    BeforeValidator(_number_as_text, json_schema_input_type=str | int),
]

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


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Meta(_Frozen):
    """Who made the knowledge file, when it was last checked, and on what terms."""

    title: Line = Field(description="Title of the knowledge file.")
    version: Annotated[str, StringConstraints(pattern=r"^\d+\.\d+\.\d+$")] = Field(
        description="Version of the content, MAJOR.MINOR.PATCH."
    )
    last_reviewed: dt.date = Field(
        description="ISO date (YYYY-MM-DD) when the evidence was last checked."
    )
    update_policy: Text = Field(description="When and how the evidence is re-checked.")
    authors: tuple[Line, ...] = Field(min_length=1, description="Who wrote the content.")
    funding: Text = Field(description="Who paid for the work.")
    conflicts_of_interest: Text = Field(description="Declared conflicts of interest.")
    disclaimer: Text = Field(description="The not-medical-advice statement shown with output.")


class Attribute(_Frozen):
    """One row of a comparison: what is compared and how its values are read."""

    id: Id
    label: Line = Field(description="Short row label, e.g. 'Addiction risk'.")
    question: Line = Field(description="The attribute as a patient would ask it.")
    group: Group = Field(description="benefit, harm or practical.")
    kind: AttributeKind = Field(description="level (an ordered scale) or text.")
    levels: tuple[Line, ...] = Field(
        default=(), description="For kind level: the allowed values, lowest first."
    )
    better: Direction = Field(
        default=Direction.NONE, description="For kind level: which end is more favourable."
    )
    description: Text = Field(description="What the attribute means and how it is judged.")

    def rank(self, value: str) -> int | None:
        """Position of `value` on this attribute's scale, or None when it has none."""
        try:
            return self.levels.index(value)
        except ValueError:
            return None


class Value(_Frozen):
    """What is known about one attribute of one treatment."""

    value: Line = Field(
        description="The value: a level, a short text, 'not assessed' or 'none reported'."
    )
    detail: str = Field(default="", max_length=20_000, description="The value explained.")
    certainty: Certainty | None = Field(
        default=None, description="GRADE certainty, for evidence statements only."
    )
    sources: tuple[SourceId, ...] = Field(default=(), description="Ids of supporting sources.")

    @property
    def assessed(self) -> bool:
        """False when the value says the question has not been assessed."""
        return self.value != NOT_ASSESSED


class Treatment(_Frozen):
    """A treatment option and its value for each attribute."""

    id: Id
    name: Line = Field(description="Display name.")
    aliases: tuple[Line, ...] = Field(default=(), description="Other names people type.")
    class_: Line = Field(alias="class", description="Drug or therapy class.")
    routes: tuple[Line, ...] = Field(min_length=1, description="How it is given.")
    summary: Text = Field(description="Two or three neutral sentences.")
    attributes: Mapping[Id, Value] = Field(description="Values keyed by attribute id.")


class Source(_Frozen):
    """A document that a value or a verdict rests on."""

    id: SourceId
    title: Text = Field(description="Title as published.")
    authors: tuple[Line, ...] = Field(default=(), description="Authors or organisation.")
    publisher: Line = Field(description="Journal, publisher or organisation.")
    year: int | None = Field(default=None, ge=1900, le=2100, description="Year published.")
    type: SourceType = Field(description="Kind of document.")
    doi: Annotated[str, StringConstraints(pattern=r"^10\.\d{4,9}/\S+$")] | None = Field(
        default=None, description="DOI without the https://doi.org/ prefix."
    )
    pmid: Pmid | None = Field(default=None, description="PubMed identifier.")
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = Field(
        default=None, description="Official web address."
    )
    note: str = Field(default="", max_length=20_000, description="What it says, in our words.")

    @property
    def links(self) -> tuple[str, ...]:
        """Where to find it: the DOI, PubMed and URL addresses, each once, DOI first."""
        found = [
            f"https://doi.org/{self.doi}" if self.doi else "",
            f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/" if self.pmid else "",
            self.url or "",
        ]
        return tuple(dict.fromkeys(link for link in found if link))


class Article(_Frozen):
    """An article whose claims are checked."""

    id: Id
    title: Line = Field(description="Title or description of the article.")
    publisher: Line = Field(description="Who published it.")
    type: SourceType = Field(description="Kind of document.")
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = Field(
        default=None, description="Where it was published, if known."
    )
    conflicts_of_interest: Text = Field(description="Declared or evident conflicts of interest.")
    summary: Text = Field(description="What the article argues.")


class Claim(_Frozen):
    """One factual claim of an article, with its verdict."""

    id: Id
    article: Id = Field(description="Id of the article making the claim.")
    section: Line = Field(description="Article section where the claim appears.")
    quote: Annotated[str, StringConstraints(min_length=1, max_length=160)] = Field(
        description="A few words quoted from the article."
    )
    paraphrase: Text = Field(description="The claim in neutral words.")
    treatments: tuple[Id, ...] = Field(default=(), description="Treatments the claim is about.")
    attribute: Id | None = Field(default=None, description="Attribute the claim is about.")
    topic: Line = Field(description="What the claim is about, in a few words.")
    verdict: Verdict = Field(description="How well the evidence bears the claim out.")
    assessment: Text = Field(description="The verdict explained, in the project's words.")
    sources: tuple[SourceId, ...] = Field(default=(), description="Ids of sources.")


class KnowledgeBase(_Frozen):
    """A whole knowledge file."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, title="painopts knowledge file", defer_build=True
    )

    meta: Meta = Field(description="Title, version, review date, policies and disclaimer.")
    attributes: tuple[Attribute, ...] = Field(
        min_length=1, description="The rows of a comparison, in display order."
    )
    treatments: tuple[Treatment, ...] = Field(min_length=1, description="Treatment options.")
    sources: tuple[Source, ...] = Field(default=(), description="The bibliography.")
    articles: tuple[Article, ...] = Field(
        default=(), description="Articles whose claims are checked."
    )
    claims: tuple[Claim, ...] = Field(
        default=(), description="Claims of the articles, with verdicts."
    )

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


class Problem(BaseModel):
    """One located problem in a knowledge file, with a stable code."""

    model_config = ConfigDict(frozen=True, defer_build=True)

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


def json_schema() -> dict[str, Any]:
    """The knowledge file's JSON Schema, in draft-07 form for editors."""
    schema = KnowledgeBase.model_json_schema(ref_template="#/definitions/{model}", by_alias=True)
    definitions = schema.pop("$defs", {})
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        **schema,
        "definitions": definitions,
    }


if __name__ == "__main__":  # pragma: no cover - regenerates data/treatments.schema.json
    import json
    import sys

    sys.stdout.write(json.dumps(json_schema(), indent=2) + "\n")


class UnknownNameError(LookupError):
    """A name on the command line matches nothing in the knowledge file."""

    def __init__(self, kind: str, name: str, suggestions: Sequence[str]) -> None:
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"unknown {kind} '{name}'{hint}")
        self.kind = kind
        self.name = name
        self.suggestions = tuple(suggestions)


def _fold(text: str) -> str:
    return " ".join(text.casefold().replace("_", " ").replace("-", " ").split())


def _resolve(
    items: Sequence[_Item], names: Callable[[_Item], Iterable[str]], kind: str, name: str
) -> _Item:
    index: dict[str, _Item] = {}
    for item in items:
        for known in names(item):
            index.setdefault(_fold(known), item)
    found = index.get(_fold(name))
    if found is not None:
        return found
    import difflib

    close = difflib.get_close_matches(_fold(name), list(index), n=3, cutoff=0.6)
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


def as_data(item: BaseModel, exclude: frozenset[str] = frozenset()) -> dict[str, Any]:
    """A model as JSON-ready data (keys by alias, every field), without pydantic's serializer.

    Walking the fields directly keeps display commands from building validation schemas.
    """
    data = {}
    for name, info in type(item).model_fields.items():
        value = getattr(item, name)
        if name not in exclude:
            data[info.alias or name] = _plain(value)
    return data


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return as_data(value)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (tuple, list)):
        return [_plain(item) for item in value]
    return value
