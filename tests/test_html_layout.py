"""HTML pages in a real browser: they fit a 400-pixel phone screen, and axe-core finds nothing.

Chromium (Debian's ``chromium`` package) lays each page out in a 400-pixel-wide frame; the page
must not be wider than the frame (no sideways scrolling: wide tables scroll inside themselves).
Without Chromium these tests skip, saying so: ``.ci/run`` runs on a machine with Python and pip
only, so CI skips them; ``apt-get install chromium`` makes them run. The accessibility check
also needs axe-core's ``axe.min.js``, found through ``PAINOPTS_AXE`` (a path to the file) or
``npm install axe-core`` in the repository.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from tests.conftest import REPO

PAGES = {
    "compare": ("compare", "ketamine", "opioids"),
    "compare --full": ("compare", "ketamine", "opioids", "--full"),
    "list": ("list",),
    "show": ("show", "ketamine"),
    "claims": ("claims",),
    "claims ID": ("claims", "ketamine-not-addictive"),
    "sources": ("sources",),
    "info": ("info",),
    "audit": ("audit",),
    "report": ("report",),
    "check": ("check", str(REPO / "tests" / "check_devset" / "11-opioids-news.txt")),
}
PHONE = 400

BROWSER = next(
    (found for name in ("chromium", "chromium-browser") if (found := shutil.which(name))), None
)
needs_browser = pytest.mark.skipif(
    BROWSER is None, reason="no Chromium here (apt-get install chromium); CI has none"
)


def _axe() -> Path | None:
    for place in (os.environ.get("PAINOPTS_AXE"), REPO / "node_modules/axe-core/axe.min.js"):
        if place and Path(place).is_file():
            return Path(place)
    return None


FRAME = """<!DOCTYPE html><html lang="en"><head><title>frame</title></head>
<body style="margin:0"><iframe id="page" title="page" src="page.html"
style="width:{width}px;height:800px;border:0"></iframe>
<script>
document.getElementById("page").addEventListener("load", async () => {{
  const page = document.getElementById("page").contentWindow;
  const root = page.document.documentElement;
  const result = {{scroll: root.scrollWidth, client: root.clientWidth, height: root.scrollHeight}};
  if (page.axe) {{
    const found = await page.axe.run(page.document);
    result.violations = found.violations.map(v => v.id + ": " + v.nodes.length);
  }}
  document.body.dataset.result = JSON.stringify(result);
}});
</script></body></html>"""


def measure(cli, folder: Path, command: tuple[str, ...], axe: Path | None = None) -> dict:
    """The page a command writes, laid out by Chromium in a frame 400 pixels wide."""
    page = cli(*command, "-f", "html").out
    if axe is not None:
        page = page.replace("</body>", f"<script>{axe.read_text()}</script></body>")
    (folder / "page.html").write_text(page)
    (folder / "frame.html").write_text(FRAME.format(width=PHONE))
    assert BROWSER is not None
    done = subprocess.run(
        [
            BROWSER,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--allow-file-access-from-files",
            "--window-size=800,900",
            "--virtual-time-budget=20000",
            "--dump-dom",
            (folder / "frame.html").as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    found = re.search(r'data-result="([^"]*)"', done.stdout)
    assert found, f"Chromium gave no measure: {done.stderr[-500:]}"
    return dict(json.loads(found[1].replace("&quot;", '"')))


@needs_browser
@pytest.mark.parametrize("name", PAGES)
def test_every_page_fits_a_phone_without_sideways_scrolling(cli, tmp_path: Path, name: str) -> None:
    sizes = measure(cli, tmp_path, PAGES[name])
    assert sizes["client"] == PHONE
    assert sizes["scroll"] <= PHONE, f"{name}: {sizes['scroll']} px wide at {PHONE} px"


@needs_browser
def test_the_sources_page_is_not_a_column_of_single_letters(cli, tmp_path: Path) -> None:
    """Before, a one-letter Link column made the sources page 57,800 pixels tall at 400 px.

    That was about 490 pixels a source (117 sources); a source takes a few lines at 400 px.
    """
    from painopts.load import load

    sources = len(load(None).kb.sources)
    assert measure(cli, tmp_path, PAGES["sources"])["height"] < 250 * sources


@needs_browser
@pytest.mark.skipif(_axe() is None, reason="no axe.min.js (npm install axe-core, or PAINOPTS_AXE)")
@pytest.mark.parametrize("name", ["claims", "sources", "report", "check"])
def test_axe_core_finds_no_violation(cli, tmp_path: Path, name: str) -> None:
    result = measure(cli, tmp_path, PAGES[name], _axe())
    assert result["violations"] == []
