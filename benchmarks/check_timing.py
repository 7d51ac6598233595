"""Time `painopts check` of a 2,000-word article against `painopts compare -f json`.

Usage: python benchmarks/check_timing.py [--runs N] [--cpu]

Both are whole processes with a warm private cache, run in alternation (after one warm-up
round), and the figure is the ratio of their medians; the target is <= 1.5
(docs/performance.md). ``--cpu`` times the processes' CPU time instead of wall time, which
a machine busy with other work disturbs less. The article is the seed article three times over (about 2,100 words),
as plain text and inside an HTML page.
"""

from __future__ import annotations

import argparse
import html
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import run  # noqa: E402
from run import PAINOPTS, measure  # noqa: E402

SEED = HERE.parent / "tests" / "check_devset" / "seed-article.txt"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--cpu", action="store_true", help="time CPU time, not wall time")
    arguments = parser.parse_args()
    runs, run.CPU = arguments.runs, arguments.cpu
    with tempfile.TemporaryDirectory() as folder:
        text = "\n".join([SEED.read_text(encoding="utf-8")] * 3)
        article = Path(folder) / "article.txt"
        article.write_text(text, encoding="utf-8")
        page = Path(folder) / "article.html"
        paragraphs = "".join(f"<p>{html.escape(line)}</p>\n" for line in text.splitlines())
        page.write_text(
            f"<html><head><script>var x = 1;</script></head><body><nav>Menu</nav>"
            f"<article>{paragraphs}</article><footer>Footer</footer></body></html>",
            encoding="utf-8",
        )
        env = {"PAINOPTS_CACHE_DIR": str(Path(folder) / "cache"), "PATH": "/usr/bin:/bin"}
        commands = {
            "compare -f json": ([*PAINOPTS, "compare", "ketamine", "opioids", "-f", "json"], env),
            "check text -f json": ([*PAINOPTS, "check", str(article), "-f", "json"], env),
            "check html -f json": ([*PAINOPTS, "check", str(page), "-f", "json"], env),
            "check text (table)": ([*PAINOPTS, "check", str(article)], env),
        }
        medians = measure(commands, runs)
    words = len(text.split())
    floor = medians["compare -f json"]
    clock = "CPU time" if run.CPU else "wall time"
    print(f"article: {words} words; {runs} runs each, medians of {clock}")
    for name, seconds in medians.items():
        print(f"{name:22} {seconds * 1000:7.1f} ms  {seconds / floor:5.2f}x compare -f json")


if __name__ == "__main__":
    main()
