"""Quantified effects in the bundled file, and one meaning per level attribute.

The published figures below are typed from the evidence brief (effects.md, Table A1: Finnerup
et al., Lancet Neurol 2015, Table 1 and Results), not read from the knowledge file.
"""

from __future__ import annotations

import pytest

from painopts.load import bundled_path, load
from painopts.model import (
    NONE_REPORTED,
    NOT_ASSESSED,
    VOCABULARY,
    AttributeKind,
    Certainty,
    Effect,
    EffectBasis,
    EffectMetric,
    Grade,
    KnowledgeBase,
    Measure,
    resolve_treatment,
)
from painopts.views.catalog import show
from painopts.views.compare import compare
from painopts.views.document import Document, Table
from painopts.views.effects import number, outcome_key

# drug class -> (treatment id, NNT, NNT 95% CI, NNH or None, NNH 95% CI or None)
NEUPSIG_2015 = {
    "tcas": ("tcas", 3.6, (3.0, 4.4), 13.4, (9.3, 24.4)),
    "snris": ("snris", 6.4, (5.2, 8.4), 11.8, (9.5, 15.2)),
    "pregabalin": ("gabapentinoids", 7.7, (6.5, 9.4), 13.9, (11.6, 17.4)),
    "gabapentin": ("gabapentinoids", 6.3, (5.0, 8.3), 25.6, (15.3, 78.6)),
    "gabapentin-er": ("gabapentinoids", 8.3, (6.2, 13.0), 31.9, (17.1, 230.0)),
    "gabapentin-all": ("gabapentinoids", 7.2, (5.9, 9.1), None, None),
    "tramadol": ("tramadol", 4.7, (3.6, 6.7), 12.6, (8.4, 25.3)),
    "strong-opioids": ("opioids", 4.3, (3.4, 5.8), 11.7, (8.4, 19.3)),
    "capsaicin": ("capsaicin-patch", 10.6, (7.4, 18.8), None, None),
}
NEUPSIG_GRADE = {
    "tcas": "moderate",
    "snris": "high",
    "pregabalin": "high",
    "tramadol": "moderate",
    "strong-opioids": "moderate",
    "capsaicin": "high",
}


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load(bundled_path()).kb


def effect(kb: KnowledgeBase, effect_id: str) -> Effect:
    return next(item for item in kb.effects if item.id == effect_id)


@pytest.mark.parametrize("drug", sorted(NEUPSIG_2015))
def test_each_neupsig_2015_nnt_and_nnh_is_the_published_figure(
    kb: KnowledgeBase, drug: str
) -> None:
    treatment, nnt, nnt_ci, nnh, nnh_ci = NEUPSIG_2015[drug]
    found = effect(kb, f"{drug}-neupsig-nnt")
    assert (found.treatment, found.metric, found.basis) == (
        treatment,
        EffectMetric.NNT,
        EffectBasis.REPORTED,
    )
    assert (found.estimate, (found.ci_low, found.ci_high)) == (nnt, nnt_ci)
    assert found.sources == ("S42",)
    assert found.outcome.startswith("at least 50% pain relief")
    if drug in NEUPSIG_GRADE:
        assert found.certainty == NEUPSIG_GRADE[drug]
    harm = [item for item in kb.effects if item.id == f"{drug}-neupsig-nnh"]
    if nnh is None:
        assert harm == []  # capsaicin: no NNH in the main text, so none is entered
    else:
        (found_nnh,) = harm
        assert found_nnh.metric is EffectMetric.NNH and found_nnh.treatment == treatment
        assert (found_nnh.estimate, (found_nnh.ci_low, found_nnh.ci_high)) == (nnh, nnh_ci)
        assert found_nnh.outcome == "withdrawal because of adverse effects"


# Table 1 of NeuPSIG 2015 counts comparisons, not trials (a trial can give several
# comparisons, and participants in crossover trials are counted twice).
TABLE_1_COMPARISONS = {
    "tcas": (15, 948),
    "snris": (10, 2541),
    "pregabalin": (25, 5940),
    "gabapentin-all": (14, 3503),
    "tramadol": (6, 741),
    "strong-opioids": (7, 838),
    "capsaicin": (6, 2073),
}
# Placebo-controlled trials named in the Results text: not the trials behind each pooled NNT.
RESULTS_TEXT_TRIALS = {"tcas": 18, "strong-opioids": 13, "tramadol": 7, "capsaicin": 7}


def test_neupsig_counts_are_table_1_comparisons_never_stored_as_trials(
    kb: KnowledgeBase,
) -> None:
    for drug, (comparisons, participants) in TABLE_1_COMPARISONS.items():
        found = effect(kb, f"{drug}-neupsig-nnt")
        assert found.trials is None, drug
        assert found.participants == participants, drug
        assert f"{comparisons} comparisons" in " ".join(found.note.split()), drug
    for drug, trials in RESULTS_TEXT_TRIALS.items():
        note = " ".join(effect(kb, f"{drug}-neupsig-nnt").note.split())
        assert f"{trials} " in note and "Results text" in note, drug


def test_no_neupsig_2015_effect_stores_a_trial_count(kb: KnowledgeBase) -> None:
    neupsig = [e for e in kb.effects if "-neupsig-" in e.id]
    assert len(neupsig) >= 20
    for item in neupsig:
        assert item.sources == ("S42",), item.id
        assert item.trials is None, item.id


def test_the_display_never_calls_table_1_comparisons_trials(kb: KnowledgeBase) -> None:
    tables = effects_tables(show(kb, resolve_treatment(kb, "tcas")))
    populations = [row[2].text for table in tables for row in table.rows]
    assert any("(948 participants)" in text for text in populations)
    assert not any("15 trials" in text for text in populations)


def test_ketamine_has_no_nnt_only_an_explicit_no_figure(kb: KnowledgeBase) -> None:
    nnts = [e for e in kb.effects_of("ketamine") if e.metric is EffectMetric.NNT]
    assert [e.basis for e in nnts] == [EffectBasis.NO_FIGURE]
    assert nnts[0].estimate is None and nnts[0].ci_low is None and nnts[0].ci_high is None


def test_ketamine_estimates_are_the_published_ones(kb: KnowledgeBase) -> None:
    cochrane = effect(kb, "ketamine-cochrane-pain-md")
    assert (cochrane.estimate, cochrane.ci_low, cochrane.ci_high) == (-15.79, -32.09, 0.51)
    assert cochrane.certainty is Grade.VERY_LOW and cochrane.time_point == "immediate term"
    harms = effect(kb, "ketamine-cochrane-ae-rr")
    assert (harms.metric, harms.estimate, harms.ci_low, harms.ci_high) == (
        EffectMetric.RR,
        3.26,
        1.05,
        10.09,
    )
    assert harms.certainty is Grade.LOW
    orhurhu = effect(kb, "ketamine-orhurhu-md")
    assert (orhurhu.estimate, orhurhu.ci_low, orhurhu.ci_high) == (-1.83, -2.35, -1.31)
    assert (orhurhu.trials, orhurhu.participants) == (7, 211)
    sigtermans = effect(kb, "ketamine-sigtermans-psychotomimetic")
    assert (sigtermans.estimate, sigtermans.comparator_estimate) == (76, 18)
    assert "CRPS type 1" in sigtermans.population


def test_busse_2018_opioid_figures(kb: KnowledgeBase) -> None:
    pain = effect(kb, "opioids-busse-pain-md")
    assert (pain.estimate, pain.ci_low, pain.ci_high, pain.certainty) == (
        -0.69,
        -0.82,
        -0.56,
        Grade.HIGH,
    )
    function = effect(kb, "opioids-busse-function-md")
    assert (function.estimate, function.ci_low, function.ci_high) == (2.04, 1.41, 2.68)
    derived = effect(kb, "opioids-busse-pain-nnt")
    assert derived.basis is EffectBasis.DERIVED and derived.certainty is Grade.NOT_GRADED
    assert derived.estimate == pytest.approx(1 / 0.119, abs=0.05)


def test_process_spinal_cord_stimulation_at_24_months(kb: KnowledgeBase) -> None:
    found = effect(kb, "scs-process-24m")
    assert (found.estimate, found.comparator_estimate) == (37, 2)  # 17/46 vs 1/41
    assert found.time_point.startswith("24 months")


def test_every_interval_contains_its_estimate_and_every_effect_is_sourced(
    kb: KnowledgeBase,
) -> None:
    sources = {source.id for source in kb.sources}
    treatments = {treatment.id for treatment in kb.treatments}
    for item in kb.effects:
        assert item.treatment in treatments, item.id
        assert item.sources and set(item.sources) <= sources, item.id
        if item.ci_low is not None and item.ci_high is not None and item.estimate is not None:
            assert item.ci_low <= item.estimate <= item.ci_high, item.id


def test_derived_figures_say_so_and_say_how(kb: KnowledgeBase) -> None:
    for item in kb.effects:
        if item.basis is EffectBasis.DERIVED:
            assert "Derived" in item.note, item.id


# One meaning per field.


def test_each_level_attribute_declares_what_it_measures_and_stays_in_its_vocabulary(
    kb: KnowledgeBase,
) -> None:
    levels = [a for a in kb.attributes if a.kind is AttributeKind.LEVEL]
    assert levels
    for attribute in levels:
        assert attribute.measures is not None, attribute.id
        assert set(attribute.levels) <= set(VOCABULARY[attribute.measures]), attribute.id
        for treatment in kb.treatments:
            value = treatment.attributes[attribute.id].value
            assert value in (*attribute.levels, NOT_ASSESSED, NONE_REPORTED), (
                treatment.id,
                attribute.id,
            )


def test_certainty_words_are_never_levels_of_a_benefit_size(kb: KnowledgeBase) -> None:
    grades = {grade.value for grade in Certainty}
    # "moderate" is a size word too; no other GRADE word may name a size.
    assert grades & set(VOCABULARY[Measure.BENEFIT_SIZE]) == {"moderate"}
    for attribute in kb.attributes:
        if attribute.measures is Measure.BENEFIT_SIZE:
            assert "very-low" not in attribute.levels and "high" not in attribute.levels


def test_certainty_is_given_only_on_benefit_size_values(kb: KnowledgeBase) -> None:
    benefit = {a.id for a in kb.attributes if a.measures is Measure.BENEFIT_SIZE}
    assert benefit == {"evidence_neuropathic", "evidence_non_neuropathic"}
    for treatment in kb.treatments:
        for attribute_id, value in treatment.attributes.items():
            if value.certainty is not None:
                assert attribute_id in benefit, (treatment.id, attribute_id)


def test_guideline_position_and_harm_attributes(kb: KnowledgeBase) -> None:
    measures = {a.id: a.measures for a in kb.attributes if a.measures is not None}
    assert measures["neuropathic_line"] is Measure.GUIDELINE_POSITION
    assert measures["addiction_risk"] is Measure.HARM_LEVEL
    assert measures["respiratory_depression"] is Measure.HARM_LEVEL


def test_capsaicin_is_a_small_effect_with_high_certainty_not_a_high_level(
    kb: KnowledgeBase,
) -> None:
    # The review's example of a mixed meaning: NeuPSIG's high-quality evidence of a low effect.
    capsaicin = next(t for t in kb.treatments if t.id == "capsaicin-patch")
    value = capsaicin.attributes["evidence_neuropathic"]
    assert (value.value, value.certainty) == ("small", Certainty.HIGH)


# The effects section of `show` and `compare`.


def effects_tables(document: Document) -> list[Table]:
    sections = [s for s in document.sections if s.heading.startswith("Quantified effects:")]
    return [table for section in sections for table in section.tables]


def test_show_lists_every_effect_of_the_treatment_one_outcome_per_table(kb: KnowledgeBase) -> None:
    ketamine = resolve_treatment(kb, "ketamine")
    tables = effects_tables(show(kb, ketamine))
    rows = [row for table in tables for row in table.rows]
    assert len(rows) == len(kb.effects_of("ketamine"))
    for table in tables:
        outcome = table.title.removeprefix("Outcome: ")
        same = [e for e in kb.effects_of("ketamine") if outcome_key(e) == outcome]
        assert len(table.rows) == len(same) >= 1, outcome
    figures = [row[1].text for row in rows]
    assert "NNT: no figure reported" in figures
    assert "MD -15.79 (-32.09 to 0.51)" in figures


def test_compare_never_puts_two_outcome_definitions_in_one_table(kb: KnowledgeBase) -> None:
    chosen = [resolve_treatment(kb, name) for name in ("ketamine", "opioids", "tcas")]
    tables = effects_tables(compare(kb, chosen, full=True))
    outcomes = [table.title for table in tables]
    assert len(outcomes) == len(set(outcomes))
    chosen_effects = [e for e in kb.effects if e.treatment in {"ketamine", "opioids", "tcas"}]
    assert len(tables) == len({outcome_key(e) for e in chosen_effects})
    nnt = next(t for t in tables if t.title.startswith("Outcome: at least 50% pain relief (30%"))
    assert {row[1].text for row in nnt.rows} == {
        "NNT 4.3 (3.4 to 5.8)",
        "NNT 3.6 (3.0 to 4.4)",
        "49.5% vs 26.2%, derived",
        "45.9% vs 17.9%, derived",
    }
    busse = next(t for t in tables if "0-10 cm" in t.title)
    assert [row[1].text for row in busse.rows] == ["MD -0.69 (-0.82 to -0.56)"]
    assert busse.rows[0][1].cites == ("S30",)


@pytest.mark.parametrize(
    ("value", "text"), [(3.0, "3.0"), (-15.79, "-15.79"), (230.0, "230.0"), (-3.3, "-3.3")]
)
def test_figures_keep_a_decimal(value: float, text: str) -> None:
    assert number(value) == text


def test_a_derived_figure_and_its_certainty_are_labelled(kb: KnowledgeBase) -> None:
    tables = effects_tables(show(kb, resolve_treatment(kb, "opioids")))
    row = next(r for t in tables for r in t.rows if r[1].text.startswith("NNT 8.4"))
    assert row[1].text.endswith(", derived")
    assert row[4].text == "not graded" and row[4].certainty is None


def test_compare_with_chosen_attributes_has_no_effects_section(kb: KnowledgeBase) -> None:
    chosen = [resolve_treatment(kb, name) for name in ("ketamine", "opioids")]
    attribute = kb.attribute("addiction_risk")
    assert attribute is not None
    assert effects_tables(compare(kb, chosen, [attribute])) == []


@pytest.mark.parametrize("fmt", ["table", "markdown", "html"])  # plain: the attributes' records
def test_effects_render_in_each_document_format(cli, fmt: str) -> None:
    result = cli("--width", "160", "show", "ketamine", "-f", fmt)
    assert result.code == 0
    assert "-15.79" in result.out and "no figure reported" in result.out
    assert "immediate term" in result.out


def test_neupsig_responder_percentages_are_derived_from_table_1(kb: KnowledgeBase) -> None:
    # effects.md: "Responder percentages derived from the raw counts in Table 1".
    expected = {
        "tcas": (45.9, 17.9),
        "snris": (43.4, 28.3),
        "pregabalin": (38.5, 24.0),
        "gabapentin-all": (34.7, 20.3),
        "tramadol": (46.3, 26.6),
        "strong-opioids": (49.5, 26.2),
    }
    for drug, (active, placebo) in expected.items():
        found = effect(kb, f"{drug}-neupsig-responders")
        assert found.basis is EffectBasis.DERIVED and found.certainty is Grade.NOT_GRADED
        assert (found.estimate, found.comparator_estimate) == (active, placebo), drug


def test_guimaraes_pereira_2022_ketamine_figures(kb: KnowledgeBase) -> None:
    week = effect(kb, "ketamine-guimaraes-md-1w")
    month = effect(kb, "ketamine-guimaraes-md-30d")
    assert (week.estimate, week.ci_low, week.ci_high) == (-2.14, -2.65, -1.63)
    assert (month.estimate, month.ci_low, month.ci_high) == (-1.68, -2.25, -1.12)
    assert week.comparator == "standard treatment"  # ketamine added on top, not vs placebo
    for effect_id in (
        "ketamine-guimaraes-md-1w",
        "ketamine-guimaraes-md-30d",
        "ketamine-guimaraes-psychedelic-rr",
    ):
        found = effect(kb, effect_id)
        # The review pooled routes (not IV only) and added ketamine to standard treatment.
        assert "any route" in found.intervention, effect_id
        assert "added to standard treatment" in found.intervention, effect_id
        assert found.comparator == "standard treatment", effect_id


def test_cochrane_2025_adverse_events_carry_no_invented_time_point(kb: KnowledgeBase) -> None:
    # The summaries give RR 3.26 (1.05 to 10.09), low certainty, and no time point.
    harms = effect(kb, "ketamine-cochrane-ae-rr")
    assert harms.time_point == "as reported in the review"
    assert "end of trial" not in harms.time_point
