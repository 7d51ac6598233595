"""The views: what each question is answered with, before any renderer sees it."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from tests.render_support import two

from painopts.load import validate_data
from painopts.model import (
    KnowledgeBase,
    Source,
    UnknownNameError,
    Verdict,
    as_data,
    resolve_attribute,
    resolve_treatment,
)
from painopts.views import catalog, claims, compare
from painopts.views.catalog import Condition
from painopts.views.document import Document

KB = two()
ALPHA, BETA = KB.treatments


def variant(change: Any) -> KnowledgeBase:
    """The two-treatment knowledge base, changed as plain data and validated again."""
    data = as_data(KB)
    change(data)
    return validate_data(data)


def add_treatment(data: dict[str, Any], treatment_id: str, **values: str) -> None:
    """A copy of beta under a new id, with some values replaced."""
    treatment = {**data["treatments"][1], "id": treatment_id, "name": treatment_id.title()}
    treatment["aliases"] = []
    treatment["attributes"] = {
        **treatment["attributes"],
        **{key: {"value": value, "sources": ["src2"]} for key, value in values.items()},
    }
    data["treatments"].append(treatment)


def table_rows(document: Document, heading: str) -> list[list[str]]:
    section = next(s for s in document.sections if s.heading == heading)
    return [[cell.text for cell in row] for table in section.tables for row in table.rows]


def summary(document: Document) -> tuple[str, ...]:
    return document.sections[-1].notes


# --- compare -------------------------------------------------------------------------------


def test_compare_has_one_table_per_group_then_claims_then_summary() -> None:
    document = compare.compare(KB, [ALPHA, BETA])
    headings = [section.heading for section in document.sections]
    assert headings == [
        "Benefits",
        "Harms",
        "Practical matters",
        "What the article claims about these treatments",
        "Summary",
    ]
    assert document.sections[0].tables[0].columns == ("Attribute", "Alpha", "Beta")
    assert document.title == "Comparison: Alpha vs Beta"
    assert [reference.key for reference in document.references] == ["src1", "src2"]


@pytest.mark.parametrize(
    "sentence",
    [
        # higher is better (evidence): beta's "high" beats alpha's "low"
        "Evidence N: more favourable for Beta (high) than for Alpha (low).",
        # lower is better (addiction risk): alpha's "low" beats beta's "high"
        "Addiction: more favourable for Alpha (low) than for Beta (high).",
        # a tie
        "Line: the same level for all compared (second-line).",
    ],
)
def test_summary_names_the_more_favourable_option(sentence: str) -> None:
    assert sentence in summary(compare.compare(KB, [ALPHA, BETA]))


def test_summary_does_not_depend_on_the_order_given() -> None:
    forwards = summary(compare.compare(KB, [ALPHA, BETA]))
    backwards = summary(compare.compare(KB, [BETA, ALPHA]))
    assert len(forwards) == 5
    assert forwards[:-1] == backwards[:-1]


def test_summary_ranks_nothing_that_is_not_on_the_scale() -> None:
    notes = summary(compare.compare(KB, [ALPHA, BETA]))
    # alpha's evidence for other pain is "not assessed", so beta's level is compared with nothing
    assert not [note for note in notes if note.startswith("Evidence O:")]


def test_summary_with_three_treatments_groups_the_tied_best() -> None:
    kb = variant(lambda data: add_treatment(data, "gamma", addiction_risk="low"))
    alpha, beta, gamma = kb.treatments
    notes = summary(compare.compare(kb, [alpha, beta, gamma]))
    assert "Addiction: more favourable for Alpha (low), Gamma (low) than for Beta (high)." in notes


def test_summary_lists_what_is_not_assessed_or_not_recorded() -> None:
    def drop(data: dict[str, Any]) -> None:
        del data["treatments"][1]["attributes"]["route"]

    kb = variant(drop)
    gaps = summary(compare.compare(kb, list(kb.treatments)))[-1]
    assert gaps == (
        "Not assessed in this knowledge file: Mechanism for Beta; Route for Beta; "
        "Onset for Beta; Duration for Beta; Evidence O for Alpha; Common for Beta; "
        "Serious for Beta; Setting for Beta."
    )


def test_summary_has_no_gap_sentence_when_everything_is_assessed() -> None:
    low = BETA.attributes["evidence_non_neuropathic"]
    full = replace(ALPHA, attributes={**ALPHA.attributes, "evidence_non_neuropathic": low})
    twin = replace(full, id="twin", name="Twin")
    notes = summary(compare.compare(KB, [full, twin]))
    assert not [note for note in notes if note.startswith("Not assessed")]
    assert "Evidence O: the same level for all compared (low)." in notes


def test_a_missing_value_reads_not_recorded_never_blank() -> None:
    def drop(data: dict[str, Any]) -> None:
        del data["treatments"][1]["attributes"]["route"]

    kb = variant(drop)
    document = compare.compare(kb, list(kb.treatments))
    route = next(row for row in table_rows(document, "Practical matters") if row[0] == "Route")
    assert route == ["Route", "oral", "not recorded"]
    assert document.data["treatments"]["beta"]["values"]["route"]["value"] == "not recorded"


def test_compare_can_be_limited_to_some_attributes() -> None:
    addiction = resolve_attribute(KB, "addiction_risk")
    document = compare.compare(KB, [ALPHA, BETA], [addiction])
    tabled = [section.heading for section in document.sections if section.tables]
    assert tabled == ["Harms", "What the article claims about these treatments"]
    assert table_rows(document, "Harms") == [["Addiction", "low", "high"]]
    assert document.data["attributes"] == ["addiction_risk"]
    assert summary(document) == (
        "Addiction: more favourable for Alpha (low) than for Beta (high).",
    )


def test_no_depth_warning_for_comparably_documented_treatments() -> None:
    assert compare.compare(KB, [ALPHA, BETA]).warnings == ()


def test_depth_warning_when_one_treatment_is_documented_much_less() -> None:
    def deepen(data: dict[str, Any]) -> None:
        data["treatments"][0]["attributes"]["mechanism"]["detail"] = "x" * 2000

    kb = variant(deepen)
    warnings = compare.compare(kb, list(kb.treatments)).warnings
    assert len(warnings) == 1
    assert warnings[0].startswith("Beta is documented in much less depth than Alpha")


def test_depth_warning_sits_just_past_twice_the_depth() -> None:
    # alpha: 12 sourced values (480); beta: 7 (280). Alpha at 560 is exactly twice: no warning.
    def pad(detail: str) -> Any:
        def change(data: dict[str, Any]) -> None:
            data["treatments"][0]["attributes"]["mechanism"]["detail"] = detail

        return change

    at_twice = variant(pad("x" * 80))
    past_twice = variant(pad("x" * 81))
    assert compare.compare(at_twice, list(at_twice.treatments)).warnings == ()
    assert len(compare.compare(past_twice, list(past_twice.treatments)).warnings) == 1


def test_compare_lists_the_claims_about_the_treatments() -> None:
    rows = table_rows(
        compare.compare(KB, [ALPHA, ALPHA]), "What the article claims about these treatments"
    )
    assert [row[0] for row in rows] == ["alpha-great", "both-better"]
    assert rows[0][1] == '"alpha is great"'


def test_compare_of_some_attributes_keeps_only_the_claims_about_them() -> None:
    chosen = [resolve_attribute(KB, "addiction_risk")]
    document = compare.compare(KB, [ALPHA, BETA], chosen)
    rows = table_rows(document, "What the article claims about these treatments")
    assert [row[0] for row in rows] == ["beta-safe"]
    assert list(document.data["claims"]) == ["beta-safe"]


def test_compare_says_when_the_article_makes_no_claim() -> None:
    kb = replace(KB, claims=())
    section = compare.compare(kb, [ALPHA, BETA]).sections[-2]
    assert section.tables == ()
    assert section.notes == ("The article makes no claim about this.",)


# --- claims --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("treatment", "verdict", "article", "expected"),
    [
        (None, None, None, ["alpha-great", "beta-safe", "both-better"]),
        ("alpha", None, None, ["alpha-great", "both-better"]),
        ("beta", None, None, ["beta-safe", "both-better"]),
        (None, Verdict.CONTRADICTED, None, ["beta-safe"]),
        (None, Verdict.MISLEADING, None, []),
        (None, None, "blog", ["alpha-great", "beta-safe", "both-better"]),
        ("beta", Verdict.SUPPORTED, "blog", ["both-better"]),
        ("alpha", Verdict.CONTRADICTED, None, []),
    ],
)
def test_claim_filters_combine(
    treatment: str | None, verdict: Verdict | None, article: str | None, expected: list[str]
) -> None:
    chosen = claims.select_claims(
        KB, KB.treatment(treatment) if treatment else None, verdict, article
    )
    assert [claim.id for claim in chosen] == expected


def test_verdict_counts_list_every_verdict_with_zeros_and_a_total() -> None:
    table = claims.verdict_counts(KB.claims)
    rows = [(row[0].text, row[1].text) for row in table.rows]
    assert rows == [
        ("contradicted", "1"),
        ("misleading", "0"),
        ("unsupported", "0"),
        ("partly-supported", "1"),
        ("supported", "1"),
        ("total", "3"),
    ]
    assert {row[0].verdict for row in table.rows[:-1]} == set(Verdict)


def test_claims_view_with_no_match_says_so_and_counts_zero() -> None:
    document = claims.claims_view(KB, ())
    assert document.sections[0].notes == ("No claim matches these filters.",)
    assert document.sections[1].tables == ()
    counts = [row[1].text for row in document.sections[0].tables[0].rows]
    assert counts == ["0"] * (len(Verdict) + 1)
    assert document.data["claims"] == {}
    assert document.claims == ()


def test_claims_view_opens_with_the_tally_then_one_line_per_claim_worst_first() -> None:
    document = claims.claims_view(KB, KB.claims)
    assert [s.heading for s in document.sections] == ["Verdicts", "Claims checked"]
    rows = document.sections[1].tables[0].rows
    assert [(row[0].text, row[1].verdict) for row in rows] == [
        ("beta-safe", Verdict.CONTRADICTED),
        ("alpha-great", Verdict.PARTLY_SUPPORTED),
        ("both-better", Verdict.SUPPORTED),
    ]
    assert all(row[0].unbreakable and row[1].unbreakable for row in rows)
    assert not any(cell.cites for row in rows for cell in row)
    assert document.data["verdict_counts"]["contradicted"] == 1


def test_one_claim_in_full_has_every_field_and_its_sources() -> None:
    document = claims.claim_view(KB, "both-better")
    (table,) = document.sections[0].tables
    fields = {row[0].text: row[1] for row in table.rows}
    assert fields["Claim"].text == "both-better"
    assert fields["Assessment"].cites == ("src1", "src2")
    assert fields["Verdict"].verdict is Verdict.SUPPORTED
    assert [reference.key for reference in document.references] == ["src1", "src2"]
    with pytest.raises(UnknownNameError, match="did you mean both-better"):
        claims.claim_view(KB, "both-beter")


def test_claims_view_rows_carry_verdict_and_sources() -> None:
    document = claims.claims_view(KB, KB.claims, long=True)
    rows = document.sections[1].tables[0].rows
    assert [row[2].verdict for row in rows] == [c.verdict for c in KB.claims]
    assert rows[2][3].cites == ("src1", "src2")
    assert list(document.data["claims"]) == ["alpha-great", "beta-safe", "both-better"]
    assert "id" not in document.data["claims"]["beta-safe"]


def test_report_holds_comparison_claims_and_only_the_cited_sources() -> None:
    kb = variant(lambda data: data["sources"].append({**data["sources"][0], "id": "uncited"}))
    document = claims.report(kb)
    headings = [section.heading for section in document.sections]
    assert headings[0] == "The article"
    assert headings[-3:] == ["Verdicts", "Summary", "Sources"]
    assert list(document.data["sources"]) == ["src1", "src2"]
    assert list(document.data["comparison"]["treatments"]) == ["alpha", "beta"]


def test_report_without_claims_does_not_fail() -> None:
    document = claims.report(replace(KB, claims=()))
    assert document.warnings == ()
    assert document.data["claims"] == {}


# --- list ----------------------------------------------------------------------------------


def ranked() -> KnowledgeBase:
    """Four more treatments, with places in therapy and evidence from best to none."""

    def change(data: dict[str, Any]) -> None:
        line = next(a for a in data["attributes"] if a["id"] == "neuropathic_line")
        line["levels"] = ["first-line", "second-line", "third-line", "not recommended"]
        add_treatment(data, "gamma", neuropathic_line="third-line", evidence_non_neuropathic="high")
        add_treatment(data, "delta", neuropathic_line="first-line", evidence_non_neuropathic="none")
        add_treatment(data, "epsilon", neuropathic_line="not recommended")
        add_treatment(data, "zeta", neuropathic_line="not assessed")

    return variant(change)


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        # lower is better: first-line first; not recommended and not assessed left out
        (Condition.NEUROPATHIC, ["delta", "alpha", "beta", "gamma"]),
        # higher is better: strongest evidence first; none and not assessed left out
        (Condition.NON_NEUROPATHIC, ["gamma", "beta", "epsilon", "zeta"]),
    ],
)
def test_list_by_condition_orders_and_excludes(condition: Condition, expected: list[str]) -> None:
    kb = ranked()
    assert [t.id for t in catalog.treatments_for(kb, condition)] == expected
    document = catalog.list_view(kb, condition)
    assert [row[0].text for row in document.sections[0].tables[0].rows] == expected
    assert list(document.data["treatments"]) == expected
    assert document.title == f"Treatments ({condition.value} pain)"
    assert len(document.sections[0].notes) == 1


def test_list_without_condition_keeps_file_order() -> None:
    document = catalog.list_view(ranked())
    assert list(document.data["treatments"]) == [
        "alpha",
        "beta",
        "gamma",
        "delta",
        "epsilon",
        "zeta",
    ]
    assert document.sections[0].notes == ()
    assert document.data["treatments"]["beta"] == {
        "name": "Beta",
        "class": "test device",
        "routes": ["implant", "skin patch"],
        "controlled_substance": "CII",
        "neuropathic_line": "second-line",
    }


def test_list_row_shows_routes_schedule_and_place() -> None:
    row = catalog.list_view(KB).sections[0].tables[0].rows[1]
    assert [cell.text for cell in row] == [
        "beta",
        "Beta",
        "test device",
        "implant, skin patch",
        "CII",
        "second-line",
    ]
    assert row[4].cites == ("src2",)


# --- show ----------------------------------------------------------------------------------


def test_show_has_every_attribute_with_detail_and_sources() -> None:
    document = catalog.show(KB, BETA)
    rows = document.sections[1].tables[0].rows
    assert [row[0].text for row in rows] == [a.label for a in KB.attributes]
    addiction = next(row for row in rows if row[0].text == "Addiction")
    assert (addiction[1].text, addiction[1].cites, addiction[2].cites) == ("high", (), ("src2",))
    mechanism = next(row for row in rows if row[0].text == "Mechanism")
    assert mechanism[1].special
    assert document.sections[0].notes[2] == "Also called: Betamax, beta device."
    assert [row[0].text for row in document.sections[2].tables[0].rows] == [
        "beta-safe",
        "both-better",
    ]
    assert list(document.data["treatment"]["beta"]["claims"]) == ["beta-safe", "both-better"]


def test_show_without_aliases_or_claims_says_so() -> None:
    kb = variant(lambda data: data["treatments"][1].update(aliases=[]))
    document = catalog.show(replace(kb, claims=()), kb.treatments[1])
    assert document.sections[0].notes[2] == "Also called: no other names recorded."
    assert document.sections[2].tables == ()


# --- sources -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ("alpha", {"src1"}),
        ("beta", {"src2"}),
        ("alpha-great", {"src1"}),
        ("both-better", {"src1", "src2"}),
    ],
)
def test_sources_cited_by_a_treatment_or_claim(item: str, expected: set[str]) -> None:
    assert set(catalog.cited_by(KB, item)) == expected
    rows = catalog.sources_view(KB, catalog.cited_by(KB, item)).sections[0].tables[0].rows
    assert {row[0].text for row in rows} == expected


def test_cited_by_an_unknown_id_suggests_close_ids() -> None:
    with pytest.raises(UnknownNameError) as raised:
        catalog.cited_by(KB, "alpha-graet")
    assert raised.value.suggestions[0] == "alpha-great"


def test_sources_view_links_doi_then_pmid_then_url() -> None:
    rows = catalog.sources_view(KB).sections[0].tables[0].rows
    assert [cell.text for cell in rows[0]] == [
        "src1",
        "A test source",
        "Test Journal",
        "2020",
        "rct",
        "https://doi.org/10.1000/test.1 https://pubmed.ncbi.nlm.nih.gov/123456/"
        " https://example.org/test",
    ]
    assert rows[1][3].text == "n.d."
    assert rows[1][5].text.startswith("https://example.org/a/very/long/")


def test_source_links_are_listed_once() -> None:
    source = Source(
        id="s",
        title="t",
        publisher="p",
        type="rct",
        doi="10.1000/x",
        url="https://doi.org/10.1000/x",
    )
    assert source.links == ("https://doi.org/10.1000/x",)


# --- info ----------------------------------------------------------------------------------


def test_info_has_version_review_date_and_counts() -> None:
    document = catalog.info(KB, "two.yaml", "ab" * 32)
    facts = {row[0].text: row[1].text for row in document.sections[0].tables[0].rows}
    assert facts["Version"] == "1.0.0"
    assert facts["Last reviewed"] == "2026-01-31"
    assert facts["Counts"] == "2 treatments, 13 attributes, 3 claims, 2 sources, 1 article"
    assert document.data["meta"]["last_reviewed"] == "2026-01-31"
    assert document.disclaimer == "Test data, not medical advice."


# --- names ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "treatment_id"),
    [
        ("alpha", "alpha"),
        ("ALPHA", "alpha"),
        ("alphazol", "alpha"),
        ("Beta", "beta"),
        ("BETAMAX", "beta"),
        ("Beta Device", "beta"),
        ("beta_device", "beta"),
        ("  beta   device ", "beta"),
    ],
)
def test_resolve_treatment_by_id_name_or_alias(name: str, treatment_id: str) -> None:
    assert resolve_treatment(KB, name).id == treatment_id


@pytest.mark.parametrize(
    ("name", "suggestions"),
    [("alpah", ("alpha",)), ("betamix", ("beta",)), ("zzzz", ())],
)
def test_unknown_treatment_suggests_close_names(name: str, suggestions: tuple[str, ...]) -> None:
    with pytest.raises(UnknownNameError) as raised:
        resolve_treatment(KB, name)
    assert raised.value.suggestions == suggestions
    assert raised.value.kind == "treatment"
    assert ("did you mean" in str(raised.value)) == bool(suggestions)


def test_resolve_attribute_by_id_or_label() -> None:
    assert resolve_attribute(KB, "Addiction").id == "addiction_risk"
    assert resolve_attribute(KB, "addiction risk").id == "addiction_risk"
    with pytest.raises(UnknownNameError, match="unknown attribute 'colour'"):
        resolve_attribute(KB, "colour")


def test_summary_names_values_outside_the_scale() -> None:
    notes = summary(compare.compare(KB, [ALPHA, BETA]))
    assert "Breathing: Beta (low). Not on this scale: Alpha (none reported)." in notes
