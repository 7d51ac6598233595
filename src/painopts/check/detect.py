"""Whether a sentence is check-worthy, what it states, and where its evidence is.

The kind of statement and the attributes that carry its evidence come from named cue lists
a reader can inspect, not from trained weights.

A sentence is check-worthy when it makes a statement of one of the kinds below (or states a
figure) and is none of the things that are not: a question, a heading, a call to action,
clinic logistics, advice to the reader, a personal story, or the design of a study.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_I = re.IGNORECASE


def _cues(*words: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w])(?:" + "|".join(words) + r")(?![\w])", _I)


SIDE_EFFECTS = (
    r"nausea",
    r"vomiting",
    r"dizz\w*",
    r"drows\w*",
    r"sleepiness",
    r"tired\w*",
    r"sedat\w*",
    r"constipation",
    r"headaches?",
    r"dry mouth",
    r"weight gain",
    r"hallucinat\w*",
    r"dissociat\w*",
    r"confusion",
    r"fatigue",
    r"diarrh\w*",
    r"blurred vision",
)
"""Common side effects, by name."""
SERIOUS = (
    r"deaths?",
    r"fatal",
    r"die",
    r"dying",
    r"overdos\w*",
    r"liver",
    r"kidneys?",
    r"organs?",
    r"heart attacks?",
    r"strokes?",
    r"bleeding",
    r"ulcers?",
    r"seizures?",
    r"falls",
    r"suicid\w*",
    r"serious",
    r"life[- ]threatening",
    r"dangerous",
    r"mortality",
    r"safe",
    r"safer",
    r"safety",
    r"risks?",
    r"harm\w*",
)
"""Serious harms, and words about safety in general."""

KINDS: Mapping[str, re.Pattern[str]] = {
    "addiction": _cues(
        r"addict\w*",
        r"dependen\w*",
        r"habit[- ]forming",
        r"abuse\w*",
        r"misuse\w*",
        r"withdrawal",
        r"tolerance",
        r"euphori\w*",
        r"psychoactive",
        r"(?:get|gets|getting|feel) (?:you )?high",
        r"reward pathways?",
    ),
    "onset": _cues(
        r"onset",
        r"within (?:minutes|hours|seconds|days|an hour|\d+ \w+)",
        r"starts? to work",
        r"(?:take|takes|taking) (?:a few|several|up to|\d+|[\d\u2013-]+) ?"
        r"(?:\w+ )?(?:days?|weeks?|months?)",
        r"rapid(?:ly)?",
        r"immediate(?:ly)?",
        r"instant(?:ly)?",
        r"right away",
        r"kicks? in",
        r"fast[- ]acting",
        r"quick(?:ly)? (?:relief|acting|relieve)",
        r"full (?:benefit|effect)",
    ),
    "duration": _cues(
        r"long[- ]lasting",
        r"lasting (?:relief|improvement|results?)",
        r"wears? off",
        r"duration of (?:benefit|relief|effect|action)",
        r"last(?:s|ed)? (?:for |up to |several |many )?(?:\w+ )?(?:hours|days|weeks|months|years)",
        r"long[- ]term (?:relief|pain relief|benefit|results?|improvement)",
        r"permanent\w*",
    ),
    "mechanism": _cues(
        r"works? by",
        r"acts? (?:on|by|as)",
        r"block\w*",
        r"receptors?",
        r"binds?",
        r"inhibit\w*",
        r"antagoni\w*",
        r"mechanism",
        r"(?:nerve|pain) signals?",
        r"neurotransmitters?",
        r"interacts? with (?:the )?(?:receptors|endocannabinoid|brain|body)",
        r"modulat\w*",
        r"interrupt\w*",
        r"electrical (?:impulses|pulses|signals|current)",
        r"endocannabinoid",
        r"glutamate",
        r"serotonin",
        r"norepinephrine",
        r"anti-inflammatory (?:properties|effects?)",
        r"inflammation",
    ),
    "regulation": _cues(
        r"FDA",
        r"approv\w*",
        r"schedule (?:I|II|III|IV|V|1|2|3|4|5)",
        r"controlled substances?",
        r"legal\w*",
        r"illegal",
        r"prescription[- ]only",
        r"DEA",
        r"regulat\w*",
        r"licensed",
        r"over[- ]the[- ]counter",
        r"off[- ]label",
    ),
    "cost": _cues(
        r"costs?",
        r"price[sd]?",
        r"pricing",
        r"\$\s?\d[\d,.]*",
        r"expensive",
        r"affordab\w*",
        r"insurance",
        r"covered by",
        r"out[- ]of[- ]pocket",
        r"cheap\w*",
        r"medicare",
        r"medicaid",
    ),
    "harm": _cues(
        r"side[- ]effects?",
        r"adverse",
        r"risky",
        r"dangers?",
        r"toxic\w*",
        *SIDE_EFFECTS,
        *SERIOUS,
        r"respiratory",
        r"breathing",
        r"well tolerated",
        r"tolerate[sd]?",
        r"blood pressure",
        r"heart rate",
        r"impair\w*",
        r"complications?",
    ),
    "benefit": _cues(
        r"effective\w*",
        r"efficac\w*",
        r"benefici\w*",
        r"relie(?:f|ve[sd]?|ving)",
        r"reduc\w*",
        r"eas(?:e|es|ed|ing)",
        r"alleviat\w*",
        r"helps?",
        r"helped",
        r"helpful",
        r"improv\w*",
        r"benefit\w*",
        r"works?",
        r"worked",
        r"cure[sd]?",
        r"proven",
        r"shown to",
        r"evidence",
        r"manag(?:e|es|ed|ing)",
        r"control(?:s|led|ling)?",
        r"respon(?:d|ds|se|ders?)",
        r"success\w*",
        r"pain[- ]relieving",
        r"analgesi\w*",
        r"promising",
        r"eliminat\w*",
        r"treat(?:s|ed|ing)?",
        r"(?:in )?the treatment of",
        r"do(?:es)? well",
        r"used (?:to|for)",
        r"placebo",
        r"wonders",
        r"(?:modest|small|large|significant) (?:difference|effect)",
    ),
    "comparison": _cues(
        r"than",
        r"compared (?:with|to)",
        r"versus",
        r"vs\.?",
        r"superior",
        r"inferior",
        r"alternatives? to",
        r"as (?:effective|good|safe) as",
        r"unlike",
        r"the same (?:level|extent|way)",
        r"instead of",
    ),
    "guideline": _cues(
        r"guidelines?",
        r"first[- ]line",
        r"second[- ]line",
        r"third[- ]line",
        r"recommend\w*",
        r"last resort",
        r"NICE",
        r"CDC",
    ),
    "practical": _cues(
        r"intravenous\w*",
        r"IV",
        r"infused",
        r"by mouth",
        r"orally",
        r"tablets?",
        r"capsules?",
        r"applied (?:to|directly)",
        r"topical\w*",
        r"inject\w*",
        r"implant\w*",
        r"outpatient",
        r"inpatient",
        r"into the bloodstream",
        r"under (?:medical )?supervision",
        r"delivered",
        r"administered",
        r"tinctures?",
        r"creams?",
    ),
}
"""Cue words of each kind of statement. 'practical' is how and where a treatment is given."""

FIGURE = re.compile(
    r"\d[\d,.]*\s*(?:%|percent|per ?cent|million|billion|in \d+|out of \d+|times)|"
    r"\b(?:one|two|three|four|five|\d+) (?:in|out of) (?:\d+|two|three|four|five|ten)\b|"
    r"\b(?:millions|thousands|half|two[- ]thirds|a third|a quarter|majority)\b",
    _I,
)
"""A figure: a percentage, a count of people, a rate."""

NEUROPATHIC = _cues(
    r"neuropath\w*",
    r"nerve (?:pain|damage|injury)",
    r"neuralgia",
    r"sciatica",
    r"diabetic",
    r"shingles",
    r"post-?herpetic",
    r"radiculopathy",
)

OTHER_PAIN = _cues(
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
    ("respiratory_depression", _cues(r"respiratory", r"breath\w*"), 3.0),
    ("addiction_risk", KINDS["addiction"], 3.0),
    ("onset", KINDS["onset"], 3.0),
    ("duration_of_benefit", KINDS["duration"], 3.0),
    (
        "controlled_substance",
        _cues(
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
        _cues(
            r"serious (?:\w+ )?(?:side[- ]effects?|adverse \w+|harms?|risks?|reactions?)",
            r"life[- ]threatening",
        ),
        3.0,
    ),
    (
        "common_side_effects",
        _cues(r"side[- ]effects?", r"adverse effects?", r"well tolerated", r"tolerate[sd]?"),
        2.0,
    ),
    ("common_side_effects", _cues(*SIDE_EFFECTS), 1.0),
    ("serious_risks", _cues(*SERIOUS), 1.5),
    ("mechanism", KINDS["mechanism"], 2.0),
    (
        "route",
        _cues(
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
            r"into the bloodstream",
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
        _cues(
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

LEFT_OUT: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "call to action",
        re.compile(
            r"^(?:call|contact|schedule|book|request|click|visit|sign up|subscribe|learn more|"
            r"find out|read more|download|share|follow|get in touch|buy|shop|order|join|register|"
            r"see|check out|discover|start|try)\b|\b(?:call us|contact us|click here|call today|"
            r"schedule (?:a|your)|book (?:a|an|your)|request (?:a|an|your)|free consultation|"
            r"learn more|our team|we can help|we offer|we provide|use code)\b|"
            r"\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}|https?://|www\.|@\w+\.\w+",
            _I,
        ),
    ),
    (
        "advice",
        re.compile(
            r"^(?:talk|speak|ask|consult|discuss|tell|please|always|do not|don't|never|avoid|"
            r"make sure|be sure|remember|if you|you should|you must|you may need)\b|"
            r"\b(?:should|must) (?:consult|talk|speak|discuss|check|ask|contact|inform)\b|"
            r"\bwith your (?:doctor|healthcare provider|physician|GP|pharmacist|clinician)\b|"
            r"\bit(?: is|'s) important (?:to|that you)\b|"
            r"\b(?:talk|speak) (?:to|with) your\b|\bconsult (?:with )?your\b|"
            r"your doctor (?:will|may)",
            _I,
        ),
    ),
    (
        "personal story",
        re.compile(
            r"\b(?:I|I'm|I've|I'd)\b|(?i:\b(?:me|my|mine|myself|we|we're|we've|our|ours)\b)"
        ),
    ),
    (
        "logistics",
        re.compile(
            r"\byou (?:will|may|might) (?:receive|need|be given|get|have to)\b|"
            r"\b(?:appointments?|arrive|discharge[d]?|parking|office hours|per week|"
            r"times a (?:day|week)|"
            r"weekends?|\d+\s?(?:mg|mcg|ml)\b|with or without food|"
            r"take it with|dose is|protocol|accompanied by|after midnight|sip of water)\b",
            _I,
        ),
    ),
    (
        "study design",
        re.compile(
            r"\b(?:the|this|these|a|one|our|their) (?:\w+ )?(?:stud(?:y|ies)|trials?|reviews?|"
            r"analys[ie]s|surveys?|researchers?)\b[^.]{0,40}?"
            r"\b(?:followed|enrolled|recruited|included|randomi[sz]ed|analy[sz]ed|looked at|"
            r"examined|"
            r"identified|aims? to|aimed to|was published|were published|conducted|"
            r"have been conducted|evaluate[sd]?)\b",
            _I,
        ),
    ),
)
"""What a sentence that is not check-worthy is, in the order they are tried."""

ANAPHOR = re.compile(
    r"\b(?:it|its|it's|they|them|their|this|these|those|such|both|the (?:drug|drugs|medication|"
    r"medications|medicine|medicines|treatment|therapy|infusion|infusions|patch|product|"
    r"procedure|device|oil|compound|stimulator))\b",
    _I,
)
"""Words that refer back to a treatment named earlier."""


def _pain_kinds(text: str) -> tuple[str, ...]:
    """The benefit attributes for the kinds of pain a sentence names, first named first."""
    nerve = NEUROPATHIC.search(text)
    other = OTHER_PAIN.search(text)
    if nerve and other:
        both = ("evidence_neuropathic", "evidence_non_neuropathic")
        return both if nerve.start() < other.start() else both[::-1]
    return ("evidence_neuropathic",) if nerve else ("evidence_non_neuropathic",)


def kinds_of(text: str) -> tuple[str, ...]:
    """The kinds of statement the sentence's cues say it makes, in a fixed order."""
    return tuple(kind for kind, cues in KINDS.items() if cues.search(text))


def left_out(text: str, heading: bool) -> str | None:
    """Why a sentence is not check-worthy, or None when nothing says so."""
    stripped = text.rstrip(" \"'\u201d)")
    if stripped.endswith("?"):
        return "question"
    if heading:
        return "heading"
    if len(text.split()) < 4:
        return "fragment"
    return next((reason for reason, cues in LEFT_OUT if cues.search(text)), None)


def attributes_of(text: str, kinds: tuple[str, ...], known: frozenset[str]) -> tuple[str, ...]:
    """The attributes whose evidence the sentence's cues point to, best first."""
    scores: dict[str, float] = {}
    for attribute, cues, weight in ATTRIBUTE_CUES:
        found = len(cues.findall(text))
        if found:
            scores[attribute] = scores.get(attribute, 0.0) + weight * found
    if "benefit" in kinds or ("comparison" in kinds and not scores):
        for evidence in _pain_kinds(text):
            scores[evidence] = scores.get(evidence, 0.0) + 1.5
    ranked = sorted(scores, key=lambda attribute: -scores[attribute])
    return tuple(attribute for attribute in ranked if attribute in known)
