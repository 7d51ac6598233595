"""Draw docs/compare.svg, the README's picture of `painopts compare ketamine opioids`.

Usage: .venv/bin/python docs/make_compare_svg.py

It runs the real command in colour at a fixed width and lets Rich turn the terminal output
into an SVG, so the picture is exactly what a terminal shows (up to the third table).
"""

import io
import subprocess
import sys
from pathlib import Path

from rich.console import Console
from rich.text import Text

WIDTH = 110
COMMAND = ["compare", "ketamine", "opioids"]
STOP = "Practical matters"
"""The picture ends before this table (benefits and harms are enough to show the idea)."""


def main() -> None:
    ansi = subprocess.run(
        [sys.executable, "-m", "painopts", "--color", "always", "--width", str(WIDTH), *COMMAND],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    console = Console(record=True, width=WIDTH, force_terminal=True, file=io.StringIO())
    shown = ansi.split(STOP)[0].rsplit("\n", 1)[0]
    console.print(Text.from_ansi(shown + "\n"), end="")
    target = Path(__file__).with_name("compare.svg")
    target.write_text(console.export_svg(title="painopts " + " ".join(COMMAND)))
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
