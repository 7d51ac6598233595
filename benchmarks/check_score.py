"""Score `painopts check` on its development set (tests/check_devset): the measures of docs/check.md.

    .venv/bin/python benchmarks/check_score.py [--json]

Each article's labels (one line per sentence: label, treatments, attribute, claim, sentence)
were written by hand. A labelled sentence is found in the article's text by its words; a
statement of the output counts for the labelled sentence it overlaps most (at least half of
it). Borderline sentences (B) are left out of the detection measure.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from painopts.check import Statement, check
from painopts.load import for_display
from painopts.model import KnowledgeBase

DEVSET = Path(__file__).resolve().parent.parent / "tests" / "check_devset"
SEED = DEVSET / "seed-article.txt"


@dataclass(frozen=True)
class Gold:
    """One labelled sentence and where it is in the text."""

    label: str
    treatments: frozenset[str]
    attribute: str | None
    claim: str | None
    start: int
    end: int


@dataclass
class Tally:
    """The counts the measures are made of."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    t_tp: int = 0
    t_fp: int = 0
    t_fn: int = 0
    linkable: int = 0
    linked: int = 0
    restated: int = 0
    restated_found: int = 0
    wrong_verdicts: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        for name in ("tp", "fp", "fn", "t_tp", "t_fp", "t_fn", "linkable", "linked"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.restated += other.restated
        self.restated_found += other.restated_found
        self.wrong_verdicts += other.wrong_verdicts


def body(path: Path) -> str:
    """The article's text: what follows the header and its blank line."""
    return path.read_text(encoding="utf-8").split("\n\n", 1)[1]


def golds(text: str, labels: Path) -> list[Gold]:
    """The labelled sentences, located in the text in order."""
    found = []
    position = 0
    for line in labels.read_text(encoding="utf-8").splitlines():
        label, treatments, attribute, claim, sentence = line.split("\t")
        words = sentence.split()
        pattern = re.compile(r"\s+".join(re.escape(word) for word in words))
        match = pattern.search(text, position)
        if match is None:
            raise SystemExit(f"{labels.name}: sentence not found in the text: {sentence!r}")
        position = match.end()
        found.append(
            Gold(
                label,
                frozenset() if treatments == "-" else frozenset(treatments.split(",")),
                None if attribute == "-" else attribute,
                None if claim == "-" else claim,
                match.start(),
                match.end(),
            )
        )
    return found


def _gold_of(statement: Statement, gold: list[Gold]) -> Gold | None:
    best, most = None, 0
    for each in gold:
        overlap = min(each.end, statement.end) - max(each.start, statement.start)
        if overlap > most:
            best, most = each, overlap
    if best is None or most < (best.end - best.start) / 2:
        return None
    return best


def score(statements: tuple[Statement, ...], gold: list[Gold], name: str) -> Tally:
    """The counts for one article."""
    tally = Tally()
    matched = _matched(tally, statements, gold, name)
    for sentence in gold:
        if sentence.claim is not None:
            tally.restated += 1
            found = matched.get(id(sentence))
            tally.restated_found += bool(found and found.same_claim == sentence.claim)
        if sentence.label != "Y":
            continue
        statement = matched.get(id(sentence))
        if statement is None:
            tally.fn += 1
        else:
            _detected(tally, sentence, statement)
    return tally


def _matched(
    tally: Tally, statements: tuple[Statement, ...], gold: list[Gold], name: str
) -> dict[int, Statement]:
    """The statements of check-worthy sentences, by sentence; false positives and wrong
    verdicts counted."""
    matched: dict[int, Statement] = {}
    for statement in statements:
        sentence = _gold_of(statement, gold)
        if statement.same_claim is not None and (
            sentence is None or sentence.claim != statement.same_claim
        ):
            tally.wrong_verdicts.append(f"{name}: {statement.same_claim}: {statement.text[:70]}")
        if sentence is None or sentence.label == "N":
            tally.fp += 1
        elif sentence.label == "Y":
            matched[id(sentence)] = statement
    return matched


def _detected(tally: Tally, sentence: Gold, statement: Statement) -> None:
    """Count a check-worthy sentence the output has: its treatments and its link."""
    tally.tp += 1
    predicted = set(statement.treatments)
    tally.t_tp += len(predicted & sentence.treatments)
    tally.t_fp += len(predicted - sentence.treatments)
    tally.t_fn += len(sentence.treatments - predicted)
    if sentence.attribute or sentence.claim:
        tally.linkable += 1
        first = statement.attributes[0] if statement.attributes else None
        tally.linked += (sentence.claim is not None and statement.same_claim == sentence.claim) or (
            sentence.attribute is not None and first == sentence.attribute
        )


def f1(tp: int, fp: int, fn: int) -> float:
    """The F1 score (1.0 when there is nothing to find and nothing found)."""
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0


def as_page(text: str) -> bytes:
    """The article inside a page with navigation, a script, a style, a form, a footer."""
    paragraphs = "\n".join(
        f"<p>{escape(block)}</p>" for block in text.split("\n\n") if block.strip()
    )
    return (
        "<!doctype html><html><head><title>Page</title><style>p{margin:0}</style>"
        "<script>var menu = 'Opioids are safe. Ketamine cures pain.';</script></head><body>"
        "<nav><ul><li>Home</li><li>Ketamine is the best treatment for pain.</li></ul></nav>"
        "<div class='cookie-banner'>We use cookies to improve your experience.</div>"
        f"<main><article>{paragraphs}</article></main>"
        "<aside>Related: CBD oil relieves all pain within minutes.</aside>"
        "<form>Subscribe to our newsletter</form>"
        "<footer>Copyright. Opioids are not addictive. Call 555-123-4567.</footer></body></html>"
    ).encode()


def same_in_page(
    kb: KnowledgeBase, text: str, statements: tuple[Statement, ...]
) -> tuple[int, int]:
    """How many of the text's statements the same article inside a noisy page gives."""
    wanted = [" ".join(s.text.split()) for s in statements]
    got = {" ".join(s.text.split()) for s in check(kb, as_page(text), "page.html").statements}
    return sum(1 for each in wanted if each in got), len(wanted)


def seed_claims(kb: KnowledgeBase) -> tuple[int, int]:
    """Distinct checked claims that the seed article, checked as a new article, restates."""
    result = check(kb, SEED.read_bytes(), SEED.name)
    return len({s.same_claim for s in result.statements if s.same_claim}), len(kb.claims)


def measures(kb: KnowledgeBase, paths: list[Path]) -> tuple[dict[str, object], list[str]]:
    """The measures on these articles, and one line per article."""
    total = Tally()
    kept = listed = 0
    lines = []
    for path in paths:
        text = body(path)
        result = check(kb, text.encode(), path.name)
        tally = score(result.statements, golds(text, path.with_suffix(".labels")), path.stem)
        same, of = same_in_page(kb, text, result.statements)
        kept, listed = kept + same, listed + of
        total.add(tally)
        detection = f1(tally.tp, tally.fp, tally.fn)
        lines.append(
            f"{path.stem:36} detection F1 {detection:.2f}  tp {tally.tp:2} fp {tally.fp:2} fn {tally.fn:2}"
        )
    lines += [f"wrong verdict: {wrong}" for wrong in total.wrong_verdicts]
    figures: dict[str, object] = {
        "articles": len(paths),
        "check_worthy_sentences": total.tp + total.fn,
        "detection_f1": f1(total.tp, total.fp, total.fn),
        "detection_precision": total.tp / (total.tp + total.fp) if total.tp + total.fp else 1.0,
        "detection_recall": total.tp / (total.tp + total.fn) if total.tp + total.fn else 1.0,
        "treatment_f1": f1(total.t_tp, total.t_fp, total.t_fn),
        "linked": total.linked / total.linkable if total.linkable else 1.0,
        "restated_found": total.restated_found / total.restated if total.restated else None,
        "restated": total.restated,
        "wrong_verdicts": len(total.wrong_verdicts),
        "same_in_noisy_page": kept / listed if listed else 1.0,
    }
    return figures, lines


GROUPS = {"development": "[0-9]*.txt", "held_out": "h*.txt"}
"""The articles the rules were fixed on, and those labelled after the rules were frozen."""


def main() -> dict[str, object]:
    """Score both groups of articles and print the measures."""
    kb = for_display(None).kb
    found, claims = seed_claims(kb)
    report: dict[str, object] = {"seed_claims_found": f"{found}/{claims}"}
    printed = []
    for group, pattern in GROUPS.items():
        figures, lines = measures(kb, sorted(DEVSET.glob(pattern)))
        report[group] = figures
        printed += [f"== {group}", *lines, ""]
        printed += [
            f"{key:24} {value:.2f}" if isinstance(value, float) else f"{key:24} {value}"
            for key, value in figures.items()
        ]
        printed.append("")
    printed.append(f"seed article, distinct claims restated: {found}/{claims}")
    print(json.dumps(report, indent=2) if "--json" in sys.argv else "\n".join(printed))
    return report


if __name__ == "__main__":
    main()
