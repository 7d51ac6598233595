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


def imported(*args: str, env: dict[str, str] | None = None) -> set[str]:
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
        environment = {k: v for k, v in os.environ.items() if k != "PAINOPTS_DATA"} | (env or {})
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


def test_a_file_seen_before_is_not_parsed_again(private_cache: Path) -> None:
    minimal = str(Path(__file__).parent / "fixtures" / "minimal.yaml")
    first = imported("--data", minimal, "show", "alpha", "-f", "json")
    again = imported("--data", minimal, "show", "alpha", "-f", "json")
    assert "yaml" in first  # first sight: parsed
    assert "yaml" not in again  # from the cache: no YAML at all


def test_the_bundled_file_is_never_parsed_and_needs_no_cache_folder(tmp_path: Path) -> None:
    """The first run after install: the bundled file's checked form ships with painopts."""
    folder = tmp_path / "never-made"
    assert "yaml" not in imported(*COMPARE, "-f", "json", env={"PAINOPTS_CACHE_DIR": str(folder)})
    assert not folder.exists()


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
