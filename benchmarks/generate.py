"""Generate a synthetic knowledge file of N treatments (and 2N claims) for scale benchmarks.

Usage: python benchmarks/generate.py N OUT.yaml

The attributes, meta and article come from the bundled file; treatments, sources and claims
are made up (clearly labelled synthetic) with every contract attribute filled and detail text
of realistic length. The output passes `painopts validate --strict`.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DETAIL = (
    "Synthetic detail text for benchmarking: it is about as long as the detail of a real value, "
    "with a number such as {n}% vs {m}% and a note on certainty and on the population studied."
)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def head() -> str:
    """The bundled file up to (not including) its treatments."""
    text = (REPO / "data" / "treatments.yaml").read_text()
    return text[: text.index("\ntreatments:")] + "\n"


def attributes() -> list[tuple[str, list[str]]]:
    """Attribute ids with their levels, read from the bundled file without importing painopts."""
    found: list[tuple[str, list[str]]] = []
    for line in head().splitlines():
        stripped = line.strip()
        if stripped.startswith("- id:") and line.startswith("  - id:"):
            found.append((stripped.split(":", 1)[1].strip(), []))
        elif stripped.startswith("levels:") and found:
            found[-1][1].extend(x.strip() for x in stripped[8:].strip("[] ").split(","))
    return found


def treatment(index: int, rng: random.Random, attrs: list[tuple[str, list[str]]]) -> str:
    lines = [
        f"  - id: synthetic-{index}",
        f"    name: Synthetic treatment {index}",
        f"    aliases: [synth{index}, st-{index}]",
        "    class: synthetic class",
        "    routes: [oral]",
        f"    summary: {_quote('A made-up treatment for benchmarks; not a real option.')}",
        "    attributes:",
    ]
    for attribute_id, levels in attrs:
        value = rng.choice(levels) if levels else f"synthetic value {rng.randint(1, 99)}"
        detail = DETAIL.format(n=rng.randint(1, 99), m=rng.randint(1, 99))
        source = f"X{index // 2}"
        lines += [
            f"      {attribute_id}:",
            f"        value: {_quote(value)}",
            f"        detail: {_quote(detail)}",
            "        certainty: low",
            f"        sources: [{source}]",
        ]
    return "\n".join(lines)


def claim(index: int, count: int, rng: random.Random) -> str:
    treatment_id = f"synthetic-{rng.randrange(count)}"
    return "\n".join(
        [
            f"  - id: synthetic-claim-{index}",
            "    article: " + "{article}",
            "    section: Introduction",
            f"    quote: {_quote('a synthetic quote')}",
            f"    paraphrase: {_quote('A synthetic claim made for benchmarking.')}",
            f"    treatments: [{treatment_id}]",
            "    topic: benchmark",
            "    verdict: unsupported",
            f"    assessment: {_quote(DETAIL.format(n=index % 100, m=7))}",
            f"    sources: [X{rng.randrange((count + 1) // 2)}]",
        ]
    )


def generate(count: int) -> str:
    """A whole synthetic knowledge file."""
    rng = random.Random(count)
    attrs = attributes()
    treatments = [treatment(i, rng, attrs) for i in range(count)]
    sources = [
        "\n".join(
            [
                f"  - id: X{i}",
                f"    title: Synthetic source {i}",
                "    publisher: Synthetic Journal",
                "    year: 2024",
                "    type: other",
                "    checked: 2024-01-01",
            ]
        )
        for i in range((count + 1) // 2)
    ]
    text = head().split("\nsources:")[0]
    article = "synthetic-article"
    claims = [claim(i, count, rng).replace("{article}", article) for i in range(2 * count)]
    articles = (
        f"  - id: {article}\n    title: Synthetic article\n    publisher: Nobody\n"
        "    type: other\n    conflicts_of_interest: None.\n    summary: Synthetic.\n"
    )
    return (
        text.rstrip("\n")
        + "\ntreatments:\n"
        + "\n".join(treatments)
        + "\nsources:\n"
        + "\n".join(sources)
        + "\narticles:\n"
        + articles
        + "claims:\n"
        + "\n".join(claims)
        + "\n"
    )


if __name__ == "__main__":
    size, out = int(sys.argv[1]), Path(sys.argv[2])
    out.write_text(generate(size))
