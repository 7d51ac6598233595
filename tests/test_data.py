"""The bundled knowledge file: clean under --strict, complete, and a few facts that must hold."""

from __future__ import annotations

import re

import pytest

from painopts.load import Loaded, bundled_path, load
from painopts.model import (
    MINIMUM_ATTRIBUTES,
    NOT_ASSESSED,
    Claim,
    KnowledgeBase,
    UnknownNameError,
    Verdict,
    resolve_treatment,
)
from painopts.validate import check

TREATMENTS = [
    "ketamine",
    "opioids",
    "tramadol",
    "buprenorphine",
    "gabapentinoids",
    "snris",
    "tcas",
    "nsaids",
    "topical-lidocaine",
    "capsaicin-patch",
    "iv-lidocaine",
    "exercise",
    "psychological-therapy",
    "cannabinoids",
    "scs",
    "paracetamol",
    "topical-nsaids",
    "muscle-relaxants",
    "sublingual-cyclobenzaprine",
    "tapentadol",
    "take-home-ketamine",
    "esketamine",
    "low-dose-naltrexone",
    "botulinum-toxin-a",
    "carbamazepine",
    "suzetrigine",
    "cbd",
    "epidural-steroid-injections",
    "radiofrequency-denervation",
    "acupuncture",
    "mindfulness",
    "yoga",
    "spinal-manipulation",
    "tens",
]


@pytest.fixture(scope="module")
def loaded() -> Loaded:
    return load(bundled_path())


@pytest.fixture(scope="module")
def kb(loaded: Loaded) -> KnowledgeBase:
    return loaded.kb


def claim(kb: KnowledgeBase, claim_id: str) -> Claim:
    return next(c for c in kb.claims if c.id == claim_id)


def value(kb: KnowledgeBase, treatment: str, attribute: str) -> str:
    return resolve_treatment(kb, treatment).attributes[attribute].value


def test_bundled_file_is_clean_even_under_strict(kb: KnowledgeBase) -> None:
    # Judged on the review date itself: whether the review is overdue today is the CLI's
    # question (`painopts validate --strict`), not a fact about the data.
    assert check(kb, today=kb.meta.last_reviewed) == []


def test_every_treatment_has_every_minimum_attribute(kb: KnowledgeBase) -> None:
    assert [t.id for t in kb.treatments] == TREATMENTS
    for treatment in kb.treatments:
        assert set(MINIMUM_ATTRIBUTES) <= set(treatment.attributes), treatment.id


def test_every_claim_of_the_brief_is_checked_and_sourced(kb: KnowledgeBase) -> None:
    assert len(kb.claims) == 29
    for item in kb.claims:
        assert 1 <= len(item.sources) <= 4, item.id
        sentences = re.split(r"(?<=[.!?])\s+", item.assessment.strip())
        assert 2 <= len(sentences) <= 5, item.id


def test_every_harm_and_benefit_is_filled_or_openly_not_assessed(kb: KnowledgeBase) -> None:
    for treatment in kb.treatments:
        for attribute_id, entry in treatment.attributes.items():
            assert entry.value.strip(), (treatment.id, attribute_id)
            if entry.value != NOT_ASSESSED:
                assert entry.sources, (treatment.id, attribute_id)


# Facts that must never regress.


def test_not_addictive_claim_is_never_rated_supported(kb: KnowledgeBase) -> None:
    assert claim(kb, "ketamine-not-addictive").verdict is Verdict.CONTRADICTED


def test_no_respiratory_depression_claim_is_contradicted(kb: KnowledgeBase) -> None:
    assert claim(kb, "ketamine-no-respiratory-depression").verdict is Verdict.CONTRADICTED
    assert value(kb, "ketamine", "respiratory_depression") != "none"


def test_ketamine_is_a_schedule_iii_controlled_substance(kb: KnowledgeBase) -> None:
    assert "CIII" in value(kb, "Ketalar", "controlled_substance")
    assert value(kb, "ketamine", "addiction_risk") not in {"none", NOT_ASSESSED}


def test_strong_opioids_are_not_first_line_for_neuropathic_pain(kb: KnowledgeBase) -> None:
    assert value(kb, "morphine", "neuropathic_line") == "third-line"


def test_options_outside_neupsig_scope_are_not_assessed_not_recommended_against(
    kb: KnowledgeBase,
) -> None:
    # NeuPSIG 2015 covered oral and topical drugs only: IV ketamine and IV lidocaine were never
    # judged, which is not the same as a recommendation against (cannabinoids).
    assert value(kb, "ketamine", "neuropathic_line") == NOT_ASSESSED
    assert value(kb, "iv-lidocaine", "neuropathic_line") == NOT_ASSESSED
    assert value(kb, "cannabinoids", "neuropathic_line") == "not recommended"
    for treatment in ("ketamine", "iv-lidocaine"):
        detail = resolve_treatment(kb, treatment).attributes["neuropathic_line"].detail
        assert "NICE NG193" in detail, treatment  # NICE's position, given separately


def test_neupsig_2025_moved_tramadol_to_third_line_apart_from_full_agonists(
    kb: KnowledgeBase,
) -> None:
    tramadol = resolve_treatment(kb, "tramadol")
    assert tramadol.id == "tramadol"
    assert tramadol.attributes["neuropathic_line"].value == "third-line"
    assert "second line" in tramadol.attributes["neuropathic_line"].detail  # the 2015 place
    assert tramadol.attributes["controlled_substance"].value == "CIV (Schedule IV)"
    assert value(kb, "oxycodone", "controlled_substance") == "CII (Schedule II)"


def test_crps_is_not_counted_as_neuropathic_pain(kb: KnowledgeBase) -> None:
    description = kb.attribute("evidence_neuropathic").description  # type: ignore[union-attr]
    assert "CRPS" in description and "not neuropathic pain" in description
    ketamine = resolve_treatment(kb, "ketamine").attributes
    assert ketamine["evidence_neuropathic"].value == "no benefit shown"
    assert "CRPS" in ketamine["evidence_non_neuropathic"].detail
    verdict = claim(kb, "ketamine-effective-neuropathic-pain")
    assert verdict.quote == "is effective in the treatment of neuropathic pain"
    assert verdict.verdict is Verdict.UNSUPPORTED


def test_ketamine_is_off_label_for_chronic_pain(kb: KnowledgeBase) -> None:
    ketamine = resolve_treatment(kb, "ketamine")
    assert "off-label" in ketamine.summary
    assert "off-label" in ketamine.attributes["route"].value


def test_fda_july_2025_opioid_labelling_and_its_figures(kb: KnowledgeBase) -> None:
    fda = kb.source("S94")
    assert fda is not None and fda.year == 2025 and fda.url and "fda.gov" in fda.url
    addiction = resolve_treatment(kb, "opioids").attributes["addiction_risk"]
    assert "S94" in addiction.sources and "S95" in addiction.sources
    assert "6-9%" in addiction.detail and "3-6%" in addiction.detail
    assert "July 2025" in addiction.detail


def test_marijuana_schedule_iii_order_of_april_2026(kb: KnowledgeBase) -> None:
    order = kb.source("S96")
    assert order is not None and order.url
    assert "FR-2026-04-28" in order.url and "2026-08176" in order.url
    schedule = resolve_treatment(kb, "marijuana").attributes["controlled_substance"]
    assert "S96" in schedule.sources
    assert "Schedule III" in schedule.value and "Schedule I" in schedule.value
    assert "proposal" not in schedule.value


def test_harms_given_as_a_range_show_the_upper_level(kb: KnowledgeBase) -> None:
    gabapentinoids = resolve_treatment(kb, "gabapentinoids").attributes["addiction_risk"]
    assert gabapentinoids.value == "moderate"
    assert "upper level" in gabapentinoids.detail


def test_tca_overdose_toxicity_is_stated(kb: KnowledgeBase) -> None:
    risks = resolve_treatment(kb, "amitriptyline").attributes["serious_risks"]
    assert "overdose" in risks.value and "S105" in risks.sources
    assert "750 mg" in risks.detail


def test_lidocaine_is_not_a_controlled_substance(kb: KnowledgeBase) -> None:
    assert value(kb, "iv-lidocaine", "controlled_substance") == "not controlled"


def test_oral_opioid_onset_is_compared_like_with_like(kb: KnowledgeBase) -> None:
    onset = resolve_treatment(kb, "opioids").attributes["onset"]
    assert onset.value.startswith("oral")
    assert "60 minutes" in onset.detail and "S100" in onset.sources


def test_every_source_records_when_it_was_checked(kb: KnowledgeBase) -> None:
    assert kb.meta.review_interval_days == 365
    for source in kb.sources:
        assert source.checked is not None, source.id
        assert source.checked <= kb.meta.last_reviewed, source.id


def test_first_line_neuropathic_drugs_match_neupsig(kb: KnowledgeBase) -> None:
    first_line = {
        t.id for t in kb.treatments if value(kb, t.id, "neuropathic_line") == "first-line"
    }
    assert first_line == {"gabapentinoids", "snris", "tcas"}


def test_ketamine_superiority_thesis_is_not_supported(kb: KnowledgeBase) -> None:
    assert claim(kb, "ketamine-better-than-opioids").verdict is Verdict.UNSUPPORTED


def test_aliases_people_type_find_their_treatment(kb: KnowledgeBase) -> None:
    expected = {
        "Ketalar": "ketamine",
        "ketamine infusion": "ketamine",
        "opiates": "opioids",
        "oxycodone": "opioids",
        "Lyrica": "gabapentinoids",
        "gabapentin": "gabapentinoids",
        "Cymbalta": "snris",
        "amitriptyline": "tcas",
        "ibuprofen": "nsaids",
        "CBT": "psychological-therapy",
        "SCS": "scs",
        "Qutenza": "capsaicin-patch",
        # names people type (issue 12), each only where the entry covers that drug
        "OxyContin": "opioids",
        "Percocet": "opioids",
        "hydrocodone": "opioids",
        "Vicodin": "opioids",
        "morphine": "opioids",
        "fentanyl": "opioids",
        "methadone": "opioids",
        "tramadol": "tramadol",
        "Advil": "nsaids",
        "naproxen": "nsaids",
        "Aleve": "nsaids",
        "Lidoderm": "topical-lidocaine",
        "Elavil": "tcas",
        "nortriptyline": "tcas",
        "venlafaxine": "snris",
        "duloxetine": "snris",
        "Neurontin": "gabapentinoids",
        "nabiximols": "cannabinoids",
        "Sativex": "cannabinoids",
        "dronabinol": "cannabinoids",
    }
    for alias, treatment_id in expected.items():
        assert resolve_treatment(kb, alias).id == treatment_id, alias


@pytest.mark.parametrize(
    "name",
    [
        "codeine",  # CII alone, CIII in combinations: covered by no entry
        "oxcarbazepine",  # used for trigeminal neuralgia, not reviewed yet
        "Zoloft",  # on no list at all
    ],
)
def test_drugs_the_file_does_not_cover_are_unknown_names(kb: KnowledgeBase, name: str) -> None:
    with pytest.raises(UnknownNameError):
        resolve_treatment(kb, name)


def test_meta_says_it_is_not_medical_advice(kb: KnowledgeBase) -> None:
    assert "not medical advice" in kb.meta.disclaimer
    assert kb.meta.update_policy and kb.meta.conflicts_of_interest


def test_a_value_not_assessed_carries_no_certainty(kb: KnowledgeBase) -> None:
    for treatment in kb.treatments:
        for attribute_id, entry in treatment.attributes.items():
            if entry.value == NOT_ASSESSED:
                assert entry.certainty is None, (treatment.id, attribute_id)


def test_exercise_has_no_pooled_size_and_no_unverified_counts(kb: KnowledgeBase) -> None:
    exercise = resolve_treatment(kb, "exercise")
    size = exercise.attributes["evidence_non_neuropathic"]
    assert size.value == NOT_ASSESSED and size.certainty is None
    texts = [exercise.summary] + [e.detail or "" for e in exercise.attributes.values()]
    for text in texts:
        flat = " ".join(text.split())
        for unverified in ("381", "37,143", "21 reviews"):
            assert unverified not in flat, unverified


def test_nsaids_were_not_assessed_by_neupsig_for_nerve_pain(kb: KnowledgeBase) -> None:
    # NeuPSIG 2015 found no RCTs of NSAIDs: no grading, no recommendation; not "inconclusive".
    line = resolve_treatment(kb, "ibuprofen").attributes["neuropathic_line"]
    assert line.value == NOT_ASSESSED
    detail = " ".join(line.detail.split())
    assert "no randomised controlled trials" in detail and "S42" in line.sources


def test_opioid_summary_attributes_the_fda_briefing_figures(kb: KnowledgeBase) -> None:
    summary = " ".join(resolve_treatment(kb, "opioids").summary.split())
    assert "6-9%" in summary and "3-6%" in summary
    assert "testimony citing the FDA briefing document" in summary


def test_ketamine_infusion_addiction_risk_is_not_guessed(kb: KnowledgeBase) -> None:
    detail = " ".join(resolve_treatment(kb, "ketamine").attributes["addiction_risk"].detail.split())
    assert "likely lower" not in detail
    assert "has not been measured" in detail


def test_tca_breathing_risk_is_given_for_overdose_only(kb: KnowledgeBase) -> None:
    tca = resolve_treatment(kb, "amitriptyline").attributes
    # No source rates breathing risk or abuse at the doses used for pain.
    assert tca["respiratory_depression"].value == NOT_ASSESSED
    assert tca["addiction_risk"].value == NOT_ASSESSED
    assert "respiratory depression" in tca["respiratory_depression"].detail
    assert "S105" in tca["respiratory_depression"].sources
    assert "depressed breathing" in tca["serious_risks"].value
