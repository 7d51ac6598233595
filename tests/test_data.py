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
    Verdict,
    resolve_treatment,
)
from painopts.validate import check

TREATMENTS = [
    "ketamine",
    "opioids",
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
    assert check(kb) == []


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
    assert value(kb, "ketamine", "neuropathic_line") == "not recommended"


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
    }
    for alias, treatment_id in expected.items():
        assert resolve_treatment(kb, alias).id == treatment_id, alias


def test_meta_says_it_is_not_medical_advice(kb: KnowledgeBase) -> None:
    assert "not medical advice" in kb.meta.disclaimer
    assert kb.meta.update_policy and kb.meta.conflicts_of_interest
