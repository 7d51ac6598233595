"""The views: what each question is answered with, before any renderer sees it."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.render_support import two

from painopts.load import validate_data
from painopts.model import (
    KnowledgeBase,
    SelectionError,
    Source,
    UnknownNameError,
    Verdict,
    as_data,
    resolve_attribute,
    resolve_treatment,
)
from painopts.views import bottom_line, catalog, claims, compare
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


def statements(document: Document) -> str:
    """Every sentence the bottom line says, as one text."""
    opening = (bottom_line.HEADING, bottom_line.CLAIMS_HEADING, bottom_line.FIGURES_HEADING)
    return " ".join(
        note for s in document.sections if s.heading.startswith(opening) for note in s.notes
    )


# --- compare -------------------------------------------------------------------------------


def test_compare_opens_with_the_bottom_line_then_one_compact_table() -> None:
    document = compare.compare(KB, [ALPHA, BETA])
    assert [section.heading for section in document.sections] == [
        "Bottom line",
        "What the article claims about them",
        "Benefits, harms and guideline place",
        "Side by side",
    ]
    (table,) = document.sections[-1].tables
    assert table.columns == ("Attribute", "Alpha", "Beta")
    assert not any(cell.cites for row in table.rows for cell in row)
    assert document.references == ()
    assert document.title == "Comparison: Alpha vs Beta"


def test_full_compare_keeps_every_group_detail_claim_and_reference() -> None:
    document = compare.compare(KB, [ALPHA, BETA], full=True)
    headings = [section.heading for section in document.sections]
    assert headings[:3] == ["Bottom line", "What the article claims about them", headings[2]]
    assert headings[3:] == [
        "Benefits",
        "Harms",
        "Practical matters",
        "Where guidelines place them",
        "Quantified effects: at least 50% pain relief",
        "Quantified effects: withdrawal because of adverse effects",
        "Quantified effects: pain intensity (0-10 NRS)",
        "What the article claims about these treatments",
    ]
    assert [reference.key for reference in document.references] == ["src1", "src2"]


def test_the_bottom_line_says_when_no_head_to_head_evidence_is_recorded() -> None:
    said = bottom_line.head_to_head(KB, [ALPHA, BETA])
    assert "records no trial that compares Alpha and Beta directly" in said


@pytest.mark.parametrize(
    ("direct", "prefix"), [(False, "No head-to-head evidence: "), (True, "Head-to-head: ")]
)
def test_a_head_to_head_record_is_given_with_its_sources(direct: bool, prefix: str) -> None:
    record = {
        "treatments": ["beta", "alpha"],
        "direct": direct,
        "summary": "One small trial.",
        "sources": ["src2"],
    }
    kb = variant(lambda data: data.update(comparisons=[record]))
    said = bottom_line.head_to_head(kb, list(kb.treatments))
    assert said == f"{prefix}One small trial. [src2]"
    data = compare.compare(kb, list(kb.treatments), full=True).data["bottom_line"]["head_to_head"]
    assert (data["recorded"], data["direct_evidence"]) == (True, direct)


RANKING_WORDS = ("favourable", "better", "worse", "safer", "riskier", "preferred", "superior")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    levels=st.lists(
        st.sampled_from(["none", "low", "high", "none reported", "not assessed"]),
        min_size=8,
        max_size=8,
    )
)
def test_the_bottom_line_never_ranks_on_generated_files(levels: list[str]) -> None:
    """Whatever the levels, no sentence orders one option above another."""

    def change(data: dict[str, Any]) -> None:
        for number, attribute_id in enumerate(LEVEL_IDS):
            data["treatments"][0]["attributes"][attribute_id]["value"] = levels[number]
            data["treatments"][1]["attributes"][attribute_id] = {
                "value": levels[number + 4],
                "sources": ["src2"],
            }

    kb = variant(change)
    forwards = statements(compare.compare(kb, list(kb.treatments)))
    backwards = statements(compare.compare(kb, list(reversed(kb.treatments))))
    for text in (forwards, backwards):
        assert not [word for word in RANKING_WORDS if word in text.casefold()]
        assert "never ranked" in text
    assert ("None reported" in forwards) == ("none reported" in levels)


LEVEL_IDS = (
    "evidence_neuropathic",
    "evidence_non_neuropathic",
    "addiction_risk",
    "respiratory_depression",
)


def test_none_reported_stays_on_the_scale_and_is_explained() -> None:
    document = compare.compare(KB, [ALPHA, BETA])
    breathing = next(r for r in table_rows(document, "Side by side") if r[0] == "Breathing")
    assert breathing[1] == "none reported"  # alpha's value is shown, not dropped
    assert "'None reported' means the cited sources report no such effect" in statements(document)


def placed(*extra: dict[str, str]) -> KnowledgeBase:
    """The fixture with a third treatment, gamma, and these extra positions."""

    def change(data: dict[str, Any]) -> None:
        add_treatment(data, "gamma")
        data["positions"] += list(extra)

    return variant(change)


def place_sentences(kb: KnowledgeBase, names: list[str], condition: str | None = None) -> str:
    chosen = [resolve_treatment(kb, name) for name in names]
    about = kb.condition(condition) if condition else None
    document = compare.compare(kb, chosen, condition=about)
    return statements(document)


def test_with_a_condition_the_options_placed_first_elsewhere_are_named() -> None:
    said = place_sentences(placed(), ["beta", "gamma"], "nerve-pain")
    assert "Guideline place: Test guideline [src2]: beta, do not offer." in said
    assert "No position recorded for gamma." in said
    assert "Other options these guidelines put first: Test guideline: Alpha, first-line." in said


def test_a_compared_first_option_needs_no_alternatives() -> None:
    said = place_sentences(placed(), ["alpha", "beta"], "nerve-pain")
    assert "alpha, first-line" in said
    assert "put first" not in said


def test_without_a_condition_no_options_are_put_first_for_everyone() -> None:
    said = place_sentences(placed(), ["beta", "gamma"])
    assert "Guideline place depends on the condition" in said
    assert "nerve-pain: Test guideline [src2]: beta (do not offer)." in said
    assert "starting with" not in said and "lpha" not in said.split("Guideline place")[1]


def test_a_condition_no_guideline_covers_says_the_place_is_not_recorded() -> None:
    said = place_sentences(placed(), ["alpha", "beta"], "back-pain")
    assert (
        "Guideline place for Back pain: no guideline in this knowledge file covers this "
        "condition, so the place of these options is not recorded."
    ) in said
    assert "first-line" not in said.split("Guideline place")[1]


def test_a_position_from_a_guideline_that_does_not_cover_the_condition_never_counts() -> None:
    stray = {
        "treatment": "gamma",
        "condition": "back-pain",
        "guideline": "src2",
        "position": "first-line",
    }
    kb = placed(stray)
    assert kb.positions_for("back-pain") == ()
    assert [p.treatment for p in kb.positions_of(["gamma"])] == []
    for condition in (None, "back-pain", "nerve-pain"):
        assert "Gamma first-line" not in place_sentences(kb, ["beta", "gamma"], condition)
        assert "gamma first-line" not in place_sentences(kb, ["beta", "gamma"], condition)


def test_a_broader_conditions_position_speaks_for_a_narrower_one_its_guideline_covers() -> None:
    def change(data: dict[str, Any]) -> None:
        data["conditions"][0]["part_of"] = "back-pain"  # nerve pain within back pain, for the test
        data["guidelines"].append({"source": "src1", "name": "Broad", "covers": ["back-pain"]})
        data["positions"].append(
            {
                "treatment": "beta",
                "condition": "back-pain",
                "guideline": "src1",
                "position": "offer",
            }
        )

    kb = variant(change)
    # src1 covers back pain only: its position never reaches nerve pain
    assert [p.guideline for p in kb.positions_for("nerve-pain")] == ["src2", "src2"]
    data = variant(change)
    covering = replace(
        data,
        guidelines=(
            *data.guidelines[:1],
            replace(data.guidelines[1], covers=("back-pain", "nerve-pain")),
        ),
    )
    assert [p.position for p in covering.positions_for("nerve-pain", ["beta"])] == [
        "do not offer",
        "offer",
    ]


def test_the_article_section_lists_contradicted_claims_first_and_counts_the_rest() -> None:
    document = compare.compare(KB, [ALPHA, BETA])
    section = next(
        s for s in document.sections if s.heading == "What the article claims about them"
    )
    assert section.tables == ()
    assert section.notes[0].startswith(
        "The article makes 3 claims about them: contradicted (1): beta-safe; 2 supported"
    )
    assert document.data["bottom_line"]["flagged_claims"] == ["beta-safe"]


def test_headline_figures_prefer_a_reported_nnt_and_say_when_none_exists() -> None:
    effects = [
        {
            "id": "a-nnt",
            "treatment": "alpha",
            "metric": "NNT",
            "basis": "no figure",
            "outcome": "50% relief",
            "population": "adults",
            "comparator": "placebo",
            "time_point": "8 weeks",
            "certainty": "not graded",
            "sources": ["src1"],
        },
        {
            "id": "a-md",
            "treatment": "alpha",
            "metric": "MD",
            "basis": "reported",
            "estimate": -1.5,
            "ci_low": -2.0,
            "ci_high": -1.0,
            "outcome": "pain",
            "scale": "0-10 NRS",
            "population": "adults",
            "comparator": "placebo",
            "time_point": "8 weeks",
            "certainty": "low",
            "sources": ["src1"],
        },
        {
            "id": "b-nnt",
            "treatment": "beta",
            "metric": "NNT",
            "basis": "reported",
            "estimate": 5.0,
            "ci_low": 4.0,
            "ci_high": 7.0,
            "outcome": "50% relief",
            "population": "adults",
            "comparator": "placebo",
            "time_point": "12 weeks",
            "certainty": "moderate",
            "sources": ["src2"],
        },
    ]
    kb = variant(
        lambda data: data.update(effects=effects, conditions=[], guidelines=[], positions=[])
    )
    alpha, beta = kb.treatments
    assert bottom_line.benefits(kb, alpha) == (
        "no NNT reported [src1]; "
        "MD -1.5 (-2.0 to -1.0), 0-10 NRS, for pain vs placebo (adults; 8 weeks; low certainty) "
        "[src1]"
    )
    assert bottom_line.benefits(kb, beta) == (
        "NNT 5.0 (4.0 to 7.0) for 50% relief vs placebo (adults; 12 weeks; moderate "
        "certainty) [src2]"
    )
    said = statements(compare.compare(kb, [alpha, beta]))
    assert "not comparable across treatments" in said
    data = compare.compare(kb, [alpha, beta]).data["bottom_line"]["headline_effects"]
    assert data == {"alpha": ["a-nnt", "a-md"], "beta": ["b-nnt"]}


def test_a_missing_value_reads_not_recorded_never_blank() -> None:
    def drop(data: dict[str, Any]) -> None:
        del data["treatments"][1]["attributes"]["route"]

    kb = variant(drop)
    document = compare.compare(kb, list(kb.treatments), full=True)
    route = next(row for row in table_rows(document, "Practical matters") if row[0] == "Route")
    assert route == ["Route", "oral", "not recorded"]
    assert document.data["treatments"]["beta"]["values"]["route"]["value"] == "not recorded"


def test_compare_can_be_limited_to_some_attributes() -> None:
    addiction = resolve_attribute(KB, "addiction_risk")
    document = compare.compare(KB, [ALPHA, BETA], [addiction], full=True)
    tabled = [section.heading for section in document.sections if section.tables]
    assert tabled == ["Harms", "What the article claims about these treatments"]
    assert table_rows(document, "Harms") == [["Addiction", "low", "high"]]
    assert document.data["attributes"] == ["addiction_risk"]


def test_the_long_form_is_one_row_per_treatment_and_attribute_in_bare_words() -> None:
    document = compare.long_form(KB, [ALPHA, BETA])
    (table,) = document.sections[0].tables
    assert table.columns == (
        "treatment_id",
        "attribute_id",
        "value",
        "certainty",
        "sources",
        "detail",
    )
    assert len(table.rows) == 2 * len(KB.attributes) + len(KB.effects)
    row = next(
        r
        for r in document.data["rows"]
        if (r["treatment_id"], r["attribute_id"]) == ("beta", "evidence_neuropathic")
    )
    assert (row["value"], row["certainty"], row["sources"]) == ("high", "moderate", ["src2"])
    assert not any(c.verdict or c.certainty or c.cites for r in table.rows for c in r)


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
        compare.compare(KB, [ALPHA, ALPHA], full=True),
        "What the article claims about these treatments",
    )
    assert [row[0] for row in rows] == ["alpha-great", "both-better"]
    assert rows[0][1] == '"alpha is great"'


def test_compare_of_some_attributes_keeps_only_the_claims_about_them() -> None:
    chosen = [resolve_attribute(KB, "addiction_risk")]
    document = compare.compare(KB, [ALPHA, BETA], chosen, full=True)
    rows = table_rows(document, "What the article claims about these treatments")
    assert [row[0] for row in rows] == ["beta-safe"]
    assert list(document.data["claims"]) == ["beta-safe"]


def test_compare_says_when_the_article_makes_no_claim() -> None:
    kb = replace(KB, claims=())
    document = compare.compare(kb, [ALPHA, BETA], full=True)
    section = document.sections[-1]
    assert section.tables == ()
    assert section.notes == ("The article makes no claim about this.",)
    opening = next(
        s for s in document.sections if s.heading == "What the article claims about them"
    )
    assert opening.notes == ("The article makes no claim about these.",)


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
    about = [t for t in KB.treatments if t.id == treatment]
    chosen = claims.select_claims(
        KB, about, [verdict] if verdict else [], [article] if article else []
    )
    assert [claim.id for claim in chosen] == expected


def test_a_filter_given_twice_means_either_value() -> None:
    both = [Verdict.CONTRADICTED, Verdict.SUPPORTED]
    chosen = claims.select_claims(KB, verdicts=both)
    assert [claim.id for claim in chosen] == ["beta-safe", "both-better"]


def test_claims_about_any_of_several_treatments() -> None:
    chosen = claims.select_claims(KB, [ALPHA, BETA])
    assert [claim.id for claim in chosen] == ["alpha-great", "beta-safe", "both-better"]


def test_one_claim_id_with_filters_is_a_selection_error() -> None:
    with pytest.raises(SelectionError, match="give a claim id or filters"):
        claims.claim_view(KB, "beta-safe", filtered=True)


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
    assert headings[1] == "Bottom line"
    assert headings[-3:] == ["Verdicts", "Claims checked", "Sources"]
    assert "Article quality audit" not in headings  # the two-treatment file rates no article
    assert document.data["audit"] is None
    assert list(document.data["sources"]) == ["src1", "src2"]
    assert list(document.data["comparison"]["treatments"]) == ["alpha", "beta"]


def test_report_without_claims_does_not_fail() -> None:
    document = claims.report(replace(KB, claims=()))
    assert document.warnings == ()
    assert document.data["claims"] == {}


# --- list ----------------------------------------------------------------------------------


def ranked() -> KnowledgeBase:
    """Four more treatments; the test guideline places some of them for nerve pain."""

    def change(data: dict[str, Any]) -> None:
        for treatment_id in ("gamma", "delta", "epsilon", "zeta"):
            add_treatment(data, treatment_id)
        data["positions"] += [
            {
                "treatment": "gamma",
                "condition": "nerve-pain",
                "guideline": "src2",
                "position": "third-line",
            },
            {
                "treatment": "delta",
                "condition": "nerve-pain",
                "guideline": "src2",
                "position": "first-line",
            },
            # back pain is not covered by src2: this position must never count
            {
                "treatment": "epsilon",
                "condition": "back-pain",
                "guideline": "src2",
                "position": "first-line",
            },
        ]

    return variant(change)


def test_list_by_condition_puts_first_options_first_then_other_places_then_figures() -> None:
    kb = ranked()
    nerve = kb.condition("nerve-pain")
    assert nerve is not None
    # first-line: alpha, delta (file order); other places: beta, gamma; no figures-only left
    expected = ["alpha", "delta", "beta", "gamma"]
    assert [t.id for t in catalog.treatments_for(kb, nerve)] == expected
    document = catalog.list_view(kb, nerve)
    rows = document.sections[0].tables[0].rows
    assert [row[0].text for row in rows] == expected
    assert [row[-1].text for row in rows] == [
        "Test guideline: first-line",
        "Test guideline: first-line",
        "Test guideline: do not offer",
        "Test guideline: third-line",
    ]
    assert document.title == "Treatments (Nerve pain)"
    assert document.sections[0].tables[0].columns[-1] == "Guideline place, Nerve pain"


def test_list_by_condition_never_takes_a_place_from_a_guideline_that_does_not_cover_it() -> None:
    kb = ranked()
    back = kb.condition("back-pain")
    assert back is not None
    # only beta has a figure for back pain; epsilon's position comes from src2, which covers
    # nerve pain only, so epsilon is not listed
    document = catalog.list_view(kb, back)
    rows = document.sections[0].tables[0].rows
    assert [[cell.text for cell in row][::5] for row in rows] == [["beta", "no position recorded"]]


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
    assert document.sections[0].notes[0] == "In the knowledge file's order."
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
    assert row[4].cites == ()  # an overview: `show` gives each value's sources


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
    assert document.sections[2].heading == "Where guidelines place them"
    assert [[c.text for c in row] for row in document.sections[2].tables[0].rows] == [
        ["Beta", "Nerve pain", "Test guideline", "do not offer", ""]
    ]
    assert [row[0].text for row in document.sections[-1].tables[0].rows] == [
        "beta-safe",
        "both-better",
    ]
    assert list(document.data["treatment"]["beta"]["claims"]) == ["beta-safe", "both-better"]


def test_show_without_aliases_or_claims_says_so() -> None:
    kb = variant(lambda data: data["treatments"][1].update(aliases=[]))
    document = catalog.show(replace(kb, claims=()), kb.treatments[1])
    assert document.sections[0].notes[2] == "Also called: no other names recorded."
    assert document.sections[-1].tables == ()


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


def test_the_options_a_guideline_puts_first_alike_are_said_once() -> None:
    from painopts.load import bundled_path, load
    from painopts.views.place import guideline_place

    kb = load(bundled_path()).kb
    low_back = kb.condition("chronic-low-back-pain")
    assert low_back is not None
    treatments = [kb.treatment("nsaids"), kb.treatment("opioids")]
    said = " ".join(guideline_place(kb, [t for t in treatments if t], low_back))
    # ACP 2017 recommends six options as initial treatment (data/treatments.yaml, positions)
    assert said.count("recommended as initial treatment") == 1
    assert "(each recommended as initial treatment)" in said
    for name in ("Acupuncture", "Yoga", "Exercise and physiotherapy"):
        assert name in said
