"""Issue 22: the treatments people ask about, the names they type, and the sources behind them.

Every expected value below was copied by hand from the source named beside it (abstract, label
or table), not read back from the knowledge file.
"""

from __future__ import annotations

import pytest

from painopts.load import bundled_path, load
from painopts.model import KnowledgeBase, NotCoveredError, resolve_treatment


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load(bundled_path()).kb


NAMES_PEOPLE_TYPE = {
    # the names of the issue
    "CBD": "cbd",
    "THC": "cannabinoids",
    "acetaminophen": "paracetamol",
    "paracetamol": "paracetamol",
    "Tylenol": "paracetamol",
    "Ultram": "tramadol",
    "Belbuca": "buprenorphine",
    "Marinol": "cannabinoids",
    "Epidiolex": "cbd",
    "Suboxone": "buprenorphine",
    "celecoxib": "nsaids",
    "Savella": "snris",
    "Spravato": "esketamine",
    "yoga": "yoga",
    "acupuncture": "acupuncture",
    "Cognitive Behaviour Therapy": "psychological-therapy",
    "anti-inflammatory drugs": "nsaids",
    # brands and generics of the new entries
    "Voltaren gel": "topical-nsaids",
    "Pennsaid": "topical-nsaids",
    "Flexeril": "muscle-relaxants",
    "Tonmya": "sublingual-cyclobenzaprine",
    "Nucynta": "tapentadol",
    "compounded ketamine": "take-home-ketamine",
    "LDN": "low-dose-naltrexone",
    "Botox": "botulinum-toxin-a",
    "Tegretol": "carbamazepine",
    "Journavx": "suzetrigine",
    "epidural steroid injection": "epidural-steroid-injections",
    "radiofrequency ablation": "radiofrequency-denervation",
    "MBSR": "mindfulness",
    "chiropractic": "spinal-manipulation",
    "TENS machine": "tens",
}


@pytest.mark.parametrize(("typed", "treatment_id"), NAMES_PEOPLE_TYPE.items())
def test_names_people_type_find_their_entry(
    kb: KnowledgeBase, typed: str, treatment_id: str
) -> None:
    assert resolve_treatment(kb, typed).id == treatment_id


def test_the_file_covers_at_least_thirty_treatments(kb: KnowledgeBase) -> None:
    assert len(kb.treatments) >= 30


@pytest.mark.parametrize(
    ("typed", "entry"),
    [("kratom", "kratom"), ("7-OH", "kratom"), ("codeine", "codeine"), ("rTMS", None)],
)
def test_names_the_file_leaves_out_say_so_rather_than_suggest(
    kb: KnowledgeBase, typed: str, entry: str | None
) -> None:
    with pytest.raises(NotCoveredError) as raised:
        resolve_treatment(kb, typed)
    message = str(raised.value)
    assert message.startswith(f"painopts does not cover {typed}")
    assert "did you mean" not in message
    if entry is not None:
        assert raised.value.entry.name == entry


def test_no_left_out_name_is_also_a_treatment_name(kb: KnowledgeBase) -> None:
    def fold(text: str) -> str:
        return " ".join(text.casefold().replace("-", " ").replace("_", " ").split())

    covered = {fold(n) for t in kb.treatments for n in (t.id, t.name, *t.aliases)}
    for entry in kb.not_covered:
        for name in (entry.name, *entry.aliases):
            assert fold(name) not in covered, name


def test_cbd_is_rated_apart_from_cannabis(kb: KnowledgeBase) -> None:
    cbd = resolve_treatment(kb, "CBD").attributes
    cannabis = resolve_treatment(kb, "THC").attributes
    # Schoedel 2018 (PMID 30286443): "low abuse potential"; cannabis stays moderate
    assert (cbd["addiction_risk"].value, cannabis["addiction_risk"].value) == ("low", "moderate")
    assert cbd["controlled_substance"].value.startswith("Epidiolex: not controlled")
    assert "CBD" not in resolve_treatment(kb, "THC").class_


def test_suzetrigine_is_for_acute_pain_only(kb: KnowledgeBase) -> None:
    suzetrigine = resolve_treatment(kb, "Journavx")
    assert suzetrigine.attributes["setting"].value == "prescription, for acute pain only"
    for attribute in ("evidence_neuropathic", "evidence_non_neuropathic"):
        assert suzetrigine.attributes[attribute].value == "not assessed"
    assert "30 January 2025" in " ".join(suzetrigine.summary.split())


def test_esketamine_is_said_not_to_be_a_pain_treatment(kb: KnowledgeBase) -> None:
    esketamine = resolve_treatment(kb, "Spravato")
    assert "not a pain treatment" in " ".join(esketamine.summary.split())
    assert esketamine.attributes["controlled_substance"].value == "CIII (Schedule III)"


# estimate, ci_low, ci_high as printed in each source (place in the source after the hash)
PUBLISHED = {
    "paracetamol-machado-lbp": (-0.5, -2.9, 1.9),  # BMJ 2015;350:h1225 abstract, Results
    "paracetamol-machado-oa": (-3.7, -5.5, -1.9),  # same
    "topical-diclofenac-wiffen-nnt": (9.5, 7.0, 14.7),  # PMID 31944135 abstract, Results
    "ldn-final-fibromyalgia": (-0.34, -0.95, 0.27),  # Lancet Rheumatol 2024 abstract, Findings
    "tapentadol-neupsig-nnt": (10.2, 5.3, 185.5),  # BJA Educ 2018 Table 1
    "botulinum-toxin-a-neupsig-nnt": (1.9, 1.5, 2.4),  # same table
    "esi-chou-radiculopathy-pain-md": (-7.55, -11.4, -3.74),  # PMID 26302454 abstract
    "acupuncture-vickers2012-sham-backneck-smd": (-0.23, -0.33, -0.13),  # PMC3658605 abstract
    "tens-johnson-placebo-smd": (-0.96, -1.14, -0.78),  # PMID 35144946 abstract
    "exercise-hayden-pain-md": (-15, -18, -12),  # CD009790.pub2 Summary of findings 1
    "cannabinoids-wang2021-pain-md": (-0.5, -0.75, -0.25),  # PMID 34497047 abstract
}


@pytest.mark.parametrize(("effect_id", "published"), PUBLISHED.items())
def test_new_figures_equal_their_sources(
    kb: KnowledgeBase, effect_id: str, published: tuple[float, float, float]
) -> None:
    effect = next(e for e in kb.effects if e.id == effect_id)
    assert (effect.estimate, effect.ci_low, effect.ci_high) == published
    assert effect.basis == "reported"


def test_weak_sources_of_finding_25_now_point_at_primary_records(kb: KnowledgeBase) -> None:
    sources = {source.id: source for source in kb.sources}
    assert "dailymed.nlm.nih.gov" in (sources["S49"].url or "")
    assert "iasp-pain.org" in (sources["S61"].url or "")
    assert sources["S23"].pmid == "27261367"
    assert "bmj.com" in (sources["S27"].url or "")
    opioids = resolve_treatment(kb, "opioids").attributes
    for attribute in ("addiction_risk", "respiratory_depression"):
        assert "S34" not in opioids[attribute].sources


def test_the_checked_article_is_identified_only_as_far_as_established(kb: KnowledgeBase) -> None:
    article = kb.articles[0]
    assert article.title == (
        "Ketamine Infusion Therapy: The Promising Alternative to Opioids for Chronic Pain Relief"
    )
    assert article.url == "https://tranquilityketamine.com/category/chronic-pain"
    assert (article.author, article.date_published) == (None, None)
