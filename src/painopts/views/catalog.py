"""`painopts list`, `show`, `sources` and `info`: what the knowledge file holds."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from painopts.model import (
    Condition,
    KnowledgeBase,
    Source,
    Treatment,
    UnknownNameError,
    as_data,
    counted,
)
from painopts.views.document import (
    Cell,
    Document,
    Records,
    Scalar,
    Section,
    Table,
    cited_keys,
    ids,
    references,
    source_data,
)
from painopts.views.effects import effects_data, effects_sections
from painopts.views.place import guideline_name, place_data, positions_section
from painopts.views.shared import claim_data, claims_sections, related_claims, value_cell

PLACE = "neuropathic_line"
SCHEDULE = "controlled_substance"


def treatments_for(kb: KnowledgeBase, condition: Condition) -> list[Treatment]:
    """Treatments with a guideline position or a figure for the condition.

    Those a covering guideline puts first come first, then those with other positions, then
    those with figures only; in file order within each.
    """
    positions = kb.positions_for(condition.id)
    first = {p.treatment for p in positions if p.put_first}
    placed = {p.treatment for p in positions}
    figured = {e.treatment for e in kb.effects if e.condition == condition.id}
    tiers = (first, placed - first, figured - placed)
    return [t for tier in tiers for t in kb.treatments if t.id in tier]


def list_view(kb: KnowledgeBase, condition: Condition | None = None) -> Document:
    """The treatments with class, route, controlled status and place in therapy."""
    chosen = treatments_for(kb, condition) if condition else list(kb.treatments)
    label = f"Guideline place, {condition.name}" if condition else _label(kb, PLACE)
    columns = ("Id", "Name", "Class", "Routes", "US schedule", label)
    rows = tuple(
        (
            Cell(treatment.id, unbreakable=True),
            Cell(treatment.name),
            Cell(treatment.class_),
            Cell(", ".join(treatment.routes)),
            replace(value_cell(treatment.attributes.get(SCHEDULE)), cites=()),
            _place_cell(kb, treatment, condition),
        )
        for treatment in chosen
    )
    heading = f"Treatments ({condition.name})" if condition else "Treatments"
    order = CONDITION_ORDER if condition else "In the knowledge file's order."
    hints = ("painopts show ID gives each value's detail and sources.",)
    table = Table(heading, columns, rows)
    sections = (Section(heading, tables=(table,), notes=(order,), hints=hints),)
    return Document(
        kind="list",
        title=heading,
        sections=sections,
        references=references(kb, cited_keys(sections)),
        disclaimer=kb.meta.disclaimer,
        data={"treatments": {t.id: _treatment_summary(t) for t in chosen}},
        records=Records(
            (
                "treatment",
                "name",
                "class",
                "routes",
                SCHEDULE,
                "guideline_place" if condition else PLACE,
            ),
            tuple(
                (
                    treatment.id,
                    treatment.name,
                    treatment.class_,
                    "; ".join(treatment.routes),
                    treatment.value_text(SCHEDULE),
                    _place_cell(kb, treatment, condition).text,
                )
                for treatment in chosen
            ),
        ),
    )


CONDITION_ORDER = (
    "Treatments with a guideline position or a published figure for this condition: first those "
    "a guideline covering it puts first, then other positions, then figures only."
)


def _place_cell(kb: KnowledgeBase, treatment: Treatment, condition: Condition | None) -> Cell:
    if condition is None:
        return replace(value_cell(treatment.attributes.get(PLACE)), cites=())
    said = [
        f"{guideline_name(kb, p.guideline)}: {p.position}"
        for p in kb.positions_for(condition.id, [treatment.id])
    ]
    return Cell("; ".join(said) or "no position recorded", special=not said)


def _label(kb: KnowledgeBase, attribute_id: str) -> str:
    attribute = kb.attribute(attribute_id)
    return attribute.label if attribute else attribute_id


def _treatment_summary(treatment: Treatment) -> dict[str, Any]:
    return {
        "name": treatment.name,
        "class": treatment.class_,
        "routes": list(treatment.routes),
        "controlled_substance": treatment.value_text(SCHEDULE),
        "neuropathic_line": treatment.value_text(PLACE),
    }


def show(kb: KnowledgeBase, treatment: Treatment, condition: Condition | None = None) -> Document:
    """One treatment: every value, its guideline places, its figures and the claims about it.

    With ``condition``, only its figures for that condition.
    """
    rows = tuple(
        (
            Cell(attribute.label),
            replace(value_cell(treatment.attributes.get(attribute.id)), cites=()),
            Cell(_detail(treatment, attribute.id), cites=_sources(treatment, attribute.id)),
        )
        for attribute in kb.attributes
    )
    about = Section(
        "Overview",
        notes=(
            treatment.summary,
            f"Class: {treatment.class_}. Routes: {', '.join(treatment.routes)}.",
            f"Also called: {', '.join(treatment.aliases) or 'no other names recorded'}.",
        ),
    )
    attributes = Section(
        "Attributes", tables=(Table("Attributes", ("Attribute", "Value", "Detail"), rows),)
    )
    claims = related_claims(kb, [treatment])
    claimed = claims_sections(claims, "", treatment.id, several=len(kb.articles) > 1)
    where = condition.id if condition else None
    places = (positions_section(kb, [treatment], condition),) if kb.positions else ()
    effects = effects_sections(kb, [treatment], where)
    sections = (about, attributes, *places, *effects, *claimed)
    data = as_data(treatment, exclude=frozenset({"id"}))
    data["claims"] = {claim.id: claim_data(claim) for claim in claims}
    data["effects"] = effects_data(kb, [treatment], where)
    data["guideline_place"] = place_data(kb, [treatment], condition)
    return Document(
        kind="show",
        title=treatment.name,
        sections=sections,
        references=references(kb, cited_keys(sections)),
        disclaimer=kb.meta.disclaimer,
        data={"treatment": {treatment.id: data}},
        records=_attribute_records(kb, treatment),
    )


def _attribute_records(kb: KnowledgeBase, treatment: Treatment) -> Records:
    """One record per attribute of the treatment: value, certainty, detail, sources as ids."""
    rows: list[tuple[Scalar, ...]] = []
    for attribute in kb.attributes:
        value = treatment.attributes.get(attribute.id)
        certainty = value.certainty.value if value and value.certainty else None
        rows.append(
            (
                treatment.id,
                attribute.id,
                value.value if value else None,
                certainty,
                value.detail if value else None,
                ids(value.sources) if value else None,
            )
        )
    columns = ("treatment", "attribute", "value", "certainty", "detail", "sources")
    return Records(columns, tuple(rows))


def _detail(treatment: Treatment, attribute_id: str) -> str:
    value = treatment.attributes.get(attribute_id)
    return value.detail if value else ""


def _sources(treatment: Treatment, attribute_id: str) -> tuple[str, ...]:
    value = treatment.attributes.get(attribute_id)
    return value.sources if value else ()


def cited_by(kb: KnowledgeBase, item_id: str) -> tuple[str, ...]:
    """Source ids cited by a treatment or a claim (by id), or UnknownNameError."""
    treatment = kb.treatment(item_id)
    if treatment is not None:
        return tuple(key for value in treatment.attributes.values() for key in value.sources)
    claim = next((claim for claim in kb.claims if claim.id == item_id), None)
    if claim is not None:
        return claim.sources
    import difflib

    known = [t.id for t in kb.treatments] + [c.id for c in kb.claims]
    raise UnknownNameError(
        "treatment or claim", item_id, difflib.get_close_matches(item_id, known, n=3)
    )


def sources_view(kb: KnowledgeBase, cited: Sequence[str] = ()) -> Document:
    """The bibliography, optionally only what a treatment or claim cites."""
    wanted = set(cited)
    chosen = [source for source in kb.sources if not wanted or source.id in wanted]
    columns = ("Id", "Title", "Publisher", "Year", "Type", "Link")
    rows = tuple(
        (
            Cell(source.id, unbreakable=True),
            Cell(source.title),
            Cell(source.publisher),
            Cell(str(source.year) if source.year else "n.d."),
            Cell(source.type.value),
            Cell(link(source)),
        )
        for source in chosen
    )
    sections = (Section("Sources", tables=(Table("Sources", columns, rows),)),)
    return Document(
        kind="sources",
        title="Sources",
        sections=sections,
        references=(),
        disclaimer=kb.meta.disclaimer,
        data={"sources": {source.id: source_data(source) for source in chosen}},
        records=Records(
            ("source", "title", "publisher", "year", "type", "doi", "pmid", "url"),
            tuple(
                (s.id, s.title, s.publisher, s.year, s.type.value, s.doi, pmid(s.pmid), s.url)
                for s in chosen
            ),
        ),
    )


def pmid(number: str | None) -> str | None:
    """A PMID as records write it, ``PMID:12345``: an identifier no reader takes for a number.

    pandas would read bare digits as integers, or as floats beside an empty cell.
    """
    return f"PMID:{number}" if number else None


def link(source: Source) -> str:
    """Where to find a source: its DOI, PubMed and URL addresses."""
    return " ".join(source.links) or "no link"


def info(
    kb: KnowledgeBase, name: str, sha256: str, layers: Sequence[tuple[str, str]] = ()
) -> Document:
    """The knowledge file's version, review date, policies and counts.

    ``layers`` are the files read, the base first, as (name, sha256), when files were added on
    top of it (--add); each is listed with its path, checksum and version (an added file has no
    ``meta``, so no version of its own).
    """
    meta = kb.meta
    files = tuple(layers) or ((name, sha256),)
    facts = {
        "Title": meta.title,
        "Version": meta.version,
        "Last reviewed": meta.last_reviewed.isoformat(),
        "Update policy": meta.update_policy,
        "Authors": ", ".join(meta.authors),
        "Funding": meta.funding,
        "Conflicts of interest": meta.conflicts_of_interest,
        "File": name,
        "SHA-256": sha256,
        "Counts": _counts(kb),
    }
    rows = tuple((Cell(key), Cell(value)) for key, value in facts.items())
    heading = "Knowledge file"
    sections = [Section(heading, tables=(Table(heading, ("Field", "Value"), rows),))]
    if len(files) > 1:
        listed = tuple(
            (
                Cell(str(number)),
                Cell(file),
                Cell(digest, unbreakable=True),
                Cell(version or "none (added)"),
            )
            for number, (file, digest, version) in enumerate(_layers(meta.version, files), 1)
        )
        heading = "Layers, the base first"
        columns = ("Layer", "File", "SHA-256", "Version")
        sections.append(Section(heading, tables=(Table(heading, columns, listed),)))
    return Document(
        kind="info",
        title=meta.title,
        sections=tuple(sections),
        references=(),
        disclaimer=meta.disclaimer,
        data={
            "meta": as_data(meta),
            "file": name,
            "sha256": sha256,
            "layers": [
                {"file": file, "sha256": digest, "version": version or None}
                for file, digest, version in _layers(meta.version, files)
            ],
        },
        records=_info_record(kb, files),
    )


def _layers(version: str, files: Sequence[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """Each file as (name, sha256, version): the base has the version, an added file none."""
    return [(file, digest, version if n == 0 else "") for n, (file, digest) in enumerate(files)]


def _info_record(kb: KnowledgeBase, files: Sequence[tuple[str, str]]) -> Records:
    """One record per file read (the base first): the metadata, the file, how many of each.

    The metadata and counts are those of the whole knowledge base, repeated on each file's row;
    ``file``, ``sha256`` and ``version`` are the file's own (an added file has no version).
    """
    meta = kb.meta
    counts = {
        "treatments": len(kb.treatments),
        "attributes": len(kb.attributes),
        "claims": len(kb.claims),
        "sources": len(kb.sources),
        "articles": len(kb.articles),
    }
    rows = []
    for file, digest, version in _layers(meta.version, files):
        facts: dict[str, Scalar] = {
            "title": meta.title,
            "version": version or None,
            "last_reviewed": meta.last_reviewed.isoformat(),
            "update_policy": meta.update_policy,
            "authors": "; ".join(meta.authors),
            "funding": meta.funding,
            "conflicts_of_interest": meta.conflicts_of_interest,
            "file": file,
            "sha256": digest,
            **counts,
        }
        rows.append(tuple(facts.values()))
    return Records(tuple(facts), tuple(rows))


def _counts(kb: KnowledgeBase) -> str:
    parts = {
        "treatment": kb.treatments,
        "attribute": kb.attributes,
        "claim": kb.claims,
        "source": kb.sources,
        "article": kb.articles,
    }
    return ", ".join(counted(len(items), noun) for noun, items in parts.items())
