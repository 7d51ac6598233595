"""What a command loads: only what its answer needs (docs/performance.md, "Lazy imports").

Observed in real processes: each lists the modules it had imported when it exited.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

COMPARE = ("compare", "ketamine", "opioids")


def imported(*args: str) -> set[str]:
    """The modules a real painopts process had imported when it exited (its exit code checked)."""
    with tempfile.TemporaryDirectory() as folder:
        listing = Path(folder, "modules.json")
        write = f"open({str(listing)!r}, 'w').write(json.dumps(list(sys.modules)))"
        program = (
            "import atexit, json, sys\n"
            f"atexit.register(lambda: {write})\n"
            f"sys.argv = ['painopts', *{list(args)!r}]\n"
            "import painopts\n"
            "painopts.main()\n"
        )
        environment = {k: v for k, v in os.environ.items() if k != "PAINOPTS_DATA"}
        done = subprocess.run(
            [sys.executable, "-c", program],
            capture_output=True,
            env=environment,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        names = set(json.loads(listing.read_text()))
    assert "painopts.cli" in names
    return names


def test_a_file_seen_before_is_not_parsed_again() -> None:
    first = imported(*COMPARE, "-f", "json")
    again = imported(*COMPARE, "-f", "json")
    assert {"yaml", "painopts.load.yaml_text"} <= first  # first sight: parsed
    assert "yaml" not in again  # from the cache: no YAML at all


def test_only_the_table_format_draws_with_rich() -> None:
    imported(*COMPARE, "-f", "json")  # the cache is warm from here on
    assert not {"rich", "painopts.render.table"} & imported(*COMPARE, "-f", "json")
    assert not {"rich", "painopts.render.table"} & imported(*COMPARE, "-f", "csv")
    assert {"rich", "painopts.render.table"} <= imported(*COMPARE, "-f", "table")


def test_a_format_loads_its_own_renderer_only() -> None:
    imported(*COMPARE, "-f", "json")
    renderers = {
        name for name in imported(*COMPARE, "-f", "markdown") if "painopts.render." in name
    }
    assert "painopts.render.markdown" in renderers
    assert not {"painopts.render.html", "painopts.render.csv_format"} & renderers
