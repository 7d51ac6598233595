"""Whether a sentence is check-worthy, and what kinds of statement it makes.

The kind of statement and the attributes that carry its evidence come from named cue lists
a reader can inspect, not from trained weights.

A sentence is check-worthy when it makes a statement of one of the kinds below (or states a
figure) and is none of the things that are not: a question, a heading, a call to action,
clinic logistics, advice to the reader, a personal story, or the design of a study.
"""

from __future__ import annotations

import re

from painopts.check.cues import KINDS

_I = re.IGNORECASE

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
