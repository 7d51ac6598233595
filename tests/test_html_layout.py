"""HTML pages in a real browser: they fit a 400-pixel phone screen, and axe-core finds nothing.

Chromium (Debian's ``chromium`` package) lays each page out in a 400-pixel-wide frame; the page
must not be wider than the frame (no sideways scrolling: wide tables scroll inside themselves).
Without Chromium these tests skip, saying so; ``.ci/run`` installs Debian's ``chromium`` where
it can. The accessibility check runs axe-core's ``axe.min.js`` in every page: from
``PAINOPTS_AXE`` (a path to the file), ``npm install axe-core`` in the repository, or else the
copy inside the pinned PyPI wheel ``axe-playwright-python`` (axe-core 4.12.1, MPL-2.0), which
``pip download`` fetches once into pytest's cache folder (the wheel only: its Playwright is
neither installed nor used). Without a network and without a copy, the check skips, saying so.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
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


AXE_WHEEL = "axe-playwright-python==0.1.8"
AXE_WHEEL_SHA256 = "fdd263c998388f1a8e67cad02677e612d946248bd44d163be5e8650ea31f95f8"
AXE_VERSION = "axe v4.12.1"
"""The wheel that ships axe-core, its hash (pip checks it) and the axe-core it holds."""


def _axe_here() -> Path | None:
    for place in (os.environ.get("PAINOPTS_AXE"), REPO / "node_modules/axe-core/axe.min.js"):
        if place and Path(place).is_file():
            return Path(place)
    return None


def _axe_from_pypi(folder: Path) -> Path:
    """axe.min.js out of the pinned wheel, downloaded once into ``folder``; or pytest.skip."""
    script = folder / "axe.min.js"
    if script.is_file() and script.read_text().startswith(f"/*! {AXE_VERSION}"):
        return script
    wanted = folder / "wanted.txt"
    wanted.write_text(f"{AXE_WHEEL} --hash=sha256:{AXE_WHEEL_SHA256}\n")
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--require-hashes",
               "--only-binary=:all:", "--timeout", "20", "--retries", "1",
               "-d", str(folder), "-r", str(wanted)]  # fmt: skip
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    except subprocess.TimeoutExpired:
        pytest.skip(f"no axe.min.js: pip download {AXE_WHEEL} took over 180 s (no network?)")
    wheels = sorted(folder.glob("axe_playwright_python-*.whl"))
    if done.returncode != 0 or not wheels:
        why = (done.stderr.strip().splitlines() or ["no output"])[-1]
        pytest.skip(f"no axe.min.js: pip download {AXE_WHEEL} failed ({why}); or PAINOPTS_AXE")
    with zipfile.ZipFile(wheels[-1]) as wheel:
        script.write_bytes(wheel.read("axe_playwright_python/axe.min.js"))
    return script


@pytest.fixture(scope="session")
def axe(pytestconfig: pytest.Config, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """axe-core's script: one given here, else the pinned wheel's (see the module docstring).

    The wheel is kept in pytest's cache folder, or for this run only when the cache is off.
    """
    found = _axe_here()
    if found is None:
        cache = getattr(pytestconfig, "cache", None)  # None with -p no:cacheprovider
        folder = cache.mkdir("axe-core") if cache else tmp_path_factory.mktemp("axe-core")
        found = _axe_from_pypi(folder)
    return found


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


def measure(
    cli, folder: Path, command: tuple[str, ...], axe: Path | None = None, plant: str = ""
) -> dict:
    """The page a command writes, laid out by Chromium in a frame 400 pixels wide.

    ``plant`` is markup added at the top of the page (to prove that a check can fail).
    """
    page = cli(*command, "-f", "html").out.replace("<main>", f"<main>{plant}", 1)
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


def test_the_axe_script_is_the_pinned_axe_core(axe: Path) -> None:
    assert axe.read_text().startswith("/*! axe v4.")
    assert "Mozilla Public" in axe.read_text()[:400]  # axe-core's licence, MPL-2.0


@needs_browser
@pytest.mark.parametrize("name", PAGES)
def test_axe_core_finds_no_violation(cli, tmp_path: Path, name: str, axe: Path) -> None:
    result = measure(cli, tmp_path, PAGES[name], axe)
    assert "violations" in result, "axe did not run in the page"
    assert result["violations"] == [], name


@needs_browser
def test_axe_core_finds_a_planted_violation(cli, tmp_path: Path, axe: Path) -> None:
    unlabelled = '<input type="text">'  # a form field with no label: axe's rule "label"
    result = measure(cli, tmp_path, PAGES["info"], axe, plant=unlabelled)
    assert [v.split(":")[0] for v in result["violations"]] == ["label"]


def test_without_a_network_the_axe_check_skips_saying_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PIP_NO_INDEX", "1")  # as offline: no package index to download from
    monkeypatch.setenv("PIP_FIND_LINKS", str(tmp_path))
    with pytest.raises(
        pytest.skip.Exception, match=r"pip download axe-playwright-python==.*failed"
    ):
        _axe_from_pypi(tmp_path)
