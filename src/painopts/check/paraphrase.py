"""Common paraphrases made one word, so that a restatement in other words is still found.

Each entry is a pattern (on casefolded text) and the one word it stands for: 'antagonist' and
'blocks' are both 'block', 'N-methyl-D-aspartate' is 'nmda', 'other treatments' and 'usual
ways of managing pain' are both 'conventional'. They are general English and medical
paraphrases, not phrases of any one article; they never change a sentence's polarity (the
negation and comparison words are left as they are).
"""

from __future__ import annotations

import re

_CONVENTIONAL = (
    r"(?:traditional|usual|conventional|standard|typical|other|regular|everyday|existing)\s+"
    r"(?:(?:pain|chronic)\s+)?(?:management\s+)?"
    r"(?:approach(?:es)?|treatments?|therap(?:y|ies)|medicines?|medications?|methods?|"
    r"options?|drugs?|painkillers?|pain ?relievers?|care|ways of (?:managing|treating) pain)"
)

PARAPHRASES: tuple[tuple[str, str], ...] = (
    (r"side[- ]effects?|adverse (?:effects?|events?|reactions?)", "sideeffect"),
    (r"n-?methyl-?d-?\s?aspart(?:ate|ic acid)", "nmda"),
    (r"antagoni[sz]\w*|blockers?|blocks?|blocking|blocked|inhibit\w*", "block"),
    (r"(?:works?|acts?|acting|working|operates?) (?:by|through|via|as)", "actsby"),
    (_CONVENTIONAL, "conventional"),
    (r"drawbacks?|downsides?|disadvantages?|risks?", "drawback"),
    (
        r"around the (?:world|globe)|across the (?:world|globe)|all over the world|world-?wide|"
        r"globally",
        "worldwide",
    ),
    (r"(?:live|lives|living) with|suffer(?:s|ing)? (?:from|with)|affected by", "affect"),
    (
        r"caused by|aris(?:es|e|ing) from|result(?:s|ing)? from|due to|stem(?:s|ming)? from",
        "causedby",
    ),
    (r"damage[sd]?|lesions?|injur(?:y|ies)", "damage"),
    (r"nervous systems?|nerves?|neural", "nerve"),
)
"""Paraphrases and the one word each stands for, tried in this order."""

_PATTERN = re.compile("|".join(rf"\b({pattern})\b" for pattern, _ in PARAPHRASES))
"""One group per paraphrase (the patterns have no groups of their own)."""
_WORDS = tuple(word for _, word in PARAPHRASES)


def normalised(text: str) -> str:
    """The casefolded text with each paraphrase above replaced by its one word."""
    text = text.replace("anaesth", "anesth")
    return _PATTERN.sub(lambda match: f" {_WORDS[(match.lastindex or 1) - 1]} ", text)
