"""Shared by the view and renderer tests: knowledge bases, documents, options, golden files.

Golden files live in tests/golden/. To rewrite them after an intended change in output:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest -q tests/test_render.py

then review the diff of tests/golden/ like any other change.
"""

from __future__ import annotations

import dataclasses
import functools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tests.conftest import FIXTURES

from painopts.load import Loaded, load, validate_data
from painopts.model import KnowledgeBase, as_data
from painopts.render import Envelope, Format, Options, renderer
from painopts.views import catalog, claims, compare
from painopts.views.document import Cell, Document

TWO = FIXTURES / "render" / "two.yaml"
"""The minimal knowledge file plus a second, thinner treatment, a second source, more claims."""
GOLDEN = Path(__file__).parent / "golden"

HOSTILE = (
    "a|b",
    "line one\nline two",
    "[citation needed]",
    "[bold red]x[/]",
    "<script>alert(1)</script>",
    '=HYPERLINK("http://x","y")',
    "+1",
    "-2",
    "@SUM(A1)",
    "\x1b[31mred",
    "\x1b]8;;http://x\x07link",
    "\x9bC1",
    "\u202eevil",
    "*bold*",
    "_x_",
    "`code`",
    "&amp;",
    "# heading",
    "- item",
)
"""Text a knowledge file could hold that a careless renderer would run, style or break."""
EVERYTHING = " ".join(HOSTILE)
TERMINAL_CONTROLS = ("\x1b", "\x9b", "\u202e")


@functools.cache
def loaded_two() -> Loaded:
    """The two-treatment fixture (outputs name it by a fixed relative path, see `options`)."""
    return load(TWO)


def two() -> KnowledgeBase:
    return loaded_two().kb


def options(kb: KnowledgeBase, **kwargs: Any) -> Options:
    """Options as the CLI builds them, with a fixed file name and tool version for goldens."""
    envelope = Envelope(
        tool_version="0.0.0+test",
        file="tests/fixtures/render/two.yaml",
        sha256=loaded_two().sha256,
        version=kb.meta.version,
        last_reviewed=kb.meta.last_reviewed.isoformat(),
    )
    return Options(envelope=envelope, **kwargs)


def _hostile(index: int) -> str:
    return HOSTILE[index % len(HOSTILE)]


def hostile() -> KnowledgeBase:
    """The two-treatment knowledge base with hostile text in every free-text field shown."""
    data = as_data(two())
    meta = data["meta"]
    meta["title"] = f"{_hostile(0)} {_hostile(2)} {_hostile(3)}"
    meta["disclaimer"] = EVERYTHING
    for number, attribute in enumerate(data["attributes"]):
        attribute["label"] = f"{_hostile(number)} {attribute['label']}"
    for offset, treatment in enumerate(data["treatments"]):
        treatment["name"] = f"{_hostile(5 + offset)} {treatment['name']}"
        treatment["summary"] = EVERYTHING
        treatment["class"] = _hostile(7 + offset)
        for number, value in enumerate(treatment["attributes"].values()):
            value["value"] = _hostile(number + 6 * offset)
            value["detail"] = EVERYTHING
    for number, claim in enumerate(data["claims"]):
        claim["quote"] = _hostile(number + 3)
        claim["paraphrase"] = EVERYTHING
        claim["assessment"] = _hostile(number + 5)
    for number, source in enumerate(data["sources"]):
        source["title"] = EVERYTHING
        source["publisher"] = _hostile(number + 8)
    for article in data["articles"]:
        article["title"] = EVERYTHING
        article["summary"] = _hostile(4)
    return validate_data(data)


def documents(kb: KnowledgeBase) -> dict[str, Document]:
    """Every view of a knowledge base with two treatments, by name."""
    alpha, beta = kb.treatments[:2]
    return {
        "compare": compare.compare(kb, [alpha, beta], full=True),
        "glance": compare.compare(kb, [alpha, beta]),
        "list": catalog.list_view(kb),
        "show": catalog.show(kb, beta),
        "claims": claims.claims_view(kb, kb.claims, long=True),
        "sources": catalog.sources_view(kb),
        "info": catalog.info(kb, "two.yaml", "0" * 64),
        "report": claims.report(kb),
    }


VIEWS = ("compare", "glance", "list", "show", "claims", "sources", "info", "report")


def terminal(document: Document, opts: Options, width: int = 60) -> str:
    """The Rich format as a terminal without colour would show it."""
    return renderer(Format.TABLE)(document, dataclasses.replace(opts, width=width))


def render(fmt: Format, document: Document, opts: Options, width: int = 60) -> str:
    """Any format as text."""
    if fmt is Format.TABLE:
        return terminal(document, opts, width)
    text = renderer(fmt)(document, opts)
    assert isinstance(text, str)
    return text


def cells(document: Document) -> Iterator[Cell]:
    for section in document.sections:
        for table in section.tables:
            for row in table.rows:
                yield from row


def assert_golden(name: str, text: str) -> None:
    """Compare with tests/golden/<name>; UPDATE_GOLDEN=1 rewrites the file instead."""
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        GOLDEN.mkdir(exist_ok=True)
        with path.open("w", encoding="utf-8", newline="") as stream:
            stream.write(text)
    assert path.exists(), f"no golden file {path}; run UPDATE_GOLDEN=1 pytest to create it"
    with path.open(encoding="utf-8", newline="") as stream:
        expected = stream.read()
    assert text == expected, f"{name} differs from its golden file (UPDATE_GOLDEN=1 to rewrite)"
