"""Where a statement's evidence is: the attributes its cues point to, best first."""

from __future__ import annotations

import re

from painopts.check.cues import KINDS, SERIOUS, SIDE_EFFECTS, any_of

NEUROPATHIC = any_of(
    r"neuropath\w*",
    r"nerve (?:pain|damage|injury)",
    r"neuralgia",
    r"sciatica",
    r"diabetic",
    r"shingles",
    r"post-?herpetic",
    r"radiculopathy",
)

OTHER_PAIN = any_of(
    r"osteoarthritis",
    r"arthritis",
    r"fibromyalgia",
    r"(?:low )?back pain",
    r"neck pain",
    r"CRPS",
    r"complex regional",
    r"headaches?",
    r"migraines?",
    r"musculoskeletal",
)
"""Kinds of chronic pain that are not neuropathic."""

ATTRIBUTE_CUES: tuple[tuple[str, re.Pattern[str], float], ...] = (
    (
        "respiratory_depression",
        any_of(r"respiratory", r"breathing", r"breathe(?! in)", r"short(?:ness)? of breath"),
        3.0,
    ),
    ("addiction_risk", KINDS["addiction"], 3.0),
    ("onset", KINDS["onset"], 3.0),
    ("duration_of_benefit", KINDS["duration"], 3.0),
    (
        "controlled_substance",
        any_of(
            r"controlled substances?",
            r"schedule (?:I|II|III|IV|V|1|2|3|4|5)",
            r"DEA",
            r"legal\w*",
            r"illegal",
        ),
        3.0,
    ),
    ("neuropathic_line", KINDS["guideline"], 2.5),
    (
        "serious_risks",
        any_of(
            r"(?:serious|major|significant|severe) (?:\w+ ){0,2}"
            r"(?:side[- ]effects?|adverse \w+|harms?|risks?|reactions?|dangers?)",
            r"side[- ]effects? (?:that|which) (?:can|could|may|might) be (?:serious|severe)",
            r"life[- ]threatening",
        ),
        3.0,
    ),
    (
        "common_side_effects",
        any_of(r"side[- ]effects?", r"adverse effects?", r"well tolerated", r"tolerate[sd]?"),
        2.0,
    ),
    ("common_side_effects", any_of(*SIDE_EFFECTS), 1.0),
    ("serious_risks", any_of(*SERIOUS), 1.5),
    ("mechanism", KINDS["mechanism"], 2.0),
    (
        "route",
        any_of(
            r"intravenous\w*",
            r"IV",
            r"by mouth",
            r"orally",
            r"tablets?",
            r"capsules?",
            r"applied",
            r"topical\w*",
            r"inject\w*",
            r"implant\w*",
            r"into (?:the bloodstream|(?:a |the )?veins?)",
            r"(?:under|beneath) the skin",
            r"swallow\w*",
            r"pills?",
            r"nasal\w*",
            r"inhal\w*",
            r"sprays?",
            r"gels?",
            r"drip",
            r"creams?",
            r"tinctures?",
            r"patch(?:es)?",
            r"infused",
            r"administered",
        ),
        1.0,
    ),
    (
        "setting",
        any_of(
            r"(?:an? )?(?:outpatient|inpatient) (?:clinic|setting|cent(?:er|re)|procedure)",
            r"outpatient",
            r"inpatient",
            r"clinic",
            r"office",
            r"hospital",
            r"at home",
            r"under (?:medical )?supervision",
            r"monitor\w*",
        ),
        0.8,
    ),
)
"""Cues that route a statement to an attribute, with a weight per cue found."""
_KIND_OF = {id(cues): kind for kind, cues in KINDS.items()}
"""The kind of statement whose cues an attribute shares (searched once, in ``kinds_of``)."""


def article_pain(text: str) -> str:
    """The benefit attribute for the kind of pain an article names most.

    It is the default of a sentence about benefit that names no kind of pain.
    """
    nerve = len(NEUROPATHIC.findall(text))
    return "evidence_neuropathic" if nerve > len(OTHER_PAIN.findall(text)) else _OTHER


_OTHER = "evidence_non_neuropathic"


def _pain_kinds(text: str, default: str) -> tuple[str, ...]:
    """The benefit attributes for the kinds of pain a sentence names, first named first."""
    nerve = NEUROPATHIC.search(text)
    other = OTHER_PAIN.search(text)
    if nerve and other:
        both = ("evidence_neuropathic", _OTHER)
        return both if nerve.start() < other.start() else both[::-1]
    return ("evidence_neuropathic",) if nerve else (_OTHER,) if other else (default,)


def attributes_of(
    text: str, kinds: tuple[str, ...], known: frozenset[str], pain: str = _OTHER
) -> tuple[str, ...]:
    """The attributes whose evidence the sentence's cues point to, best first.

    Each cue found adds its weight; of two attributes with the same score, the one whose
    cue comes first in the sentence leads. ``pain`` is the benefit attribute of a sentence
    that names no kind of pain (the article's, see ``article_pain``).
    """
    scores: dict[str, float] = {}
    first: dict[str, int] = {}
    for attribute, cues, weight in ATTRIBUTE_CUES:
        kind = _KIND_OF.get(id(cues))
        if kind is None or kind in kinds:  # a kind's cues not in the sentence are not sought
            _add(scores, first, attribute, weight, list(cues.finditer(text)))
    if "benefit" in kinds or ("comparison" in kinds and not scores):
        found = (
            list(KINDS["benefit"].finditer(text))[:1]
            or list(KINDS["comparison"].finditer(text))[:1]
        )
        for evidence in _pain_kinds(text, pain):
            _add(scores, first, evidence, 1.5, found)
    ranked = sorted(scores, key=lambda attribute: (-scores[attribute], first[attribute]))
    return tuple(attribute for attribute in ranked if attribute in known)


def _add(
    scores: dict[str, float],
    first: dict[str, int],
    attribute: str,
    weight: float,
    found: list[re.Match[str]],
) -> None:
    if not found:
        return
    scores[attribute] = scores.get(attribute, 0.0) + weight * max(1, len(found))
    where = found[0].start()
    first[attribute] = min(first.get(attribute, where), where)
