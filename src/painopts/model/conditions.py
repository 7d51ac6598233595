"""Conditions, the guidelines that speak for them, and where each guideline places a treatment.

Pain evidence and guidelines differ by condition: a guideline speaks only for the conditions it
covers. The rules that pick a condition's positions live here, so that every view applies the
same ones: a position counts for a condition only when its guideline covers that condition.
"""

from typing import Annotated

from painopts.model.spec import FORBID_EXTRA, Id, Line, SourceId, Spec, Text, record


@record(kw_only=True)
class Condition:
    """A kind of chronic pain that evidence and guidelines are about."""

    __pydantic_config__ = FORBID_EXTRA

    id: Id
    name: Annotated[Line, Spec("Display name, e.g. 'Neuropathic pain'.")]
    aliases: Annotated[tuple[Line, ...], Spec("Other names people type.")] = ()
    covers: Annotated[Text, Spec("What the condition includes, in our words.")]
    excludes: Annotated[str, Spec("What it does not include.", max_length=20_000)] = ""
    part_of: Annotated[
        Id | None,
        Spec(
            "Id of a broader condition it belongs to: a position recorded for the broader one "
            "speaks for this one too when its guideline covers this one."
        ),
    ] = None
    sources: Annotated[tuple[SourceId, ...], Spec("Ids of sources that define it.")] = ()


@record(kw_only=True)
class Guideline:
    """A guideline (one source) and the conditions it speaks for."""

    __pydantic_config__ = FORBID_EXTRA

    source: Annotated[SourceId, Spec("Id of the guideline's source record.")]
    name: Annotated[Line, Spec("Short display name, e.g. 'NICE NG193'.")]
    covers: Annotated[tuple[Id, ...], Spec("Ids of the conditions it speaks for.", min_length=1)]
    note: Annotated[str, Spec("Scope notes, in our words.", max_length=20_000)] = ""

    @property
    def id(self) -> str:
        """Guidelines are known by their source id."""
        return self.source


FIRST_WORDS = ("first-line", "offer", "recommended", "strongly recommended")
"""Position words with which a guideline puts an option among those to start with: the first
line of therapy, NICE's "offer", a recommendation to use it ("recommended against" is not one).
A position's ``first`` says otherwise where the words mislead (a recommendation only after
other treatments failed)."""


@record(kw_only=True)
class Position:
    """Where one guideline places one treatment for one condition, in the guideline's words."""

    __pydantic_config__ = FORBID_EXTRA

    treatment: Annotated[Id, Spec("Id of the treatment placed.")]
    condition: Annotated[Id, Spec("Id of the condition the position is for.")]
    guideline: Annotated[
        SourceId, Spec("Source id of a guideline (under `guidelines`) that covers the condition.")
    ]
    position: Annotated[
        Line,
        Spec(
            "The guideline's own words, a few: first-line, third-line, offer, consider, "
            "do not offer, do not initiate, inconclusive, not recommended ..."
        ),
    ]
    scope: Annotated[
        str, Spec("A qualifier in our words (dose, subgroup, setting).", max_length=20_000)
    ] = ""
    where: Annotated[
        Line | None, Spec("Where the guideline says it: 'rec. 1.2.10', 'Table 2', 'p. 167'.")
    ] = None
    first: Annotated[
        bool | None,
        Spec(
            "Whether the guideline puts the option among those to start with; when absent, "
            "read from the position's first words (first-line, offer, recommended ...).",
            strict=True,
        ),
    ] = None
    sources: Annotated[tuple[SourceId, ...], Spec("Ids of the sources it rests on.")] = ()

    @property
    def put_first(self) -> bool:
        """Whether the guideline puts the option among those to start with."""
        if self.first is not None:
            return self.first
        words = self.position.casefold()
        return any(
            words.startswith(word) and not words[len(word) :].lstrip().startswith("against")
            for word in FIRST_WORDS
        )
