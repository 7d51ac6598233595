"""JSON: a versioned envelope around the view's data, keyed by knowledge-file ids."""

from __future__ import annotations

from typing import Any

from painopts.render import Envelope, Options
from painopts.render.text import inert, json_text
from painopts.views.document import Document, source_data

SCHEMA_VERSION = "2.0"


def envelope(document: Document, provenance: Envelope) -> dict[str, Any]:
    """The fields every JSON output starts with."""
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "painopts", "version": provenance.tool_version},
        "knowledge_file": {
            "path": provenance.file,
            "sha256": provenance.sha256,
            "version": provenance.version,
            "last_reviewed": provenance.last_reviewed,
        },
        "kind": document.kind,
        "title": document.title,
        "disclaimer": document.disclaimer,
    }


def render(document: Document, options: Options) -> str:
    """The envelope, the data, and the sources the data cites."""
    body = envelope(document, options.envelope)
    body["data"] = document.data
    body["references"] = {
        reference.key: source_data(reference.source) if reference.source else None
        for reference in document.references
    }
    body["warnings"] = list(document.warnings)
    return inert(json_text(body)) + "\n"
