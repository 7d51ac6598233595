"""Tab-separated text: one record a line, no box drawing, easy to cut, grep and sort."""

from __future__ import annotations

from painopts.render import Options
from painopts.render.text import NOTICE, flat, legend, one_line, reference_text
from painopts.views.document import Document


def render(document: Document, options: Options) -> str:
    """Each table as a header line and one line per row; notes and references as # lines."""
    lines = [f"# {NOTICE}"]
    for section in document.sections:
        for table in section.tables:
            lines.append("\t".join(one_line(column) for column in table.columns))
            lines.extend("\t".join(flat(cell, options.ascii) for cell in row) for row in table.rows)
            lines.append("")
        lines.extend(f"# {one_line(note)}" for note in section.notes)
    explained = legend(document, options.ascii)
    if explained:
        lines.append(f"# {explained}")
    lines.extend(f"# {reference_text(reference)}" for reference in document.references)
    lines.append(f"# {one_line(document.disclaimer)}")
    return "\n".join(lines) + "\n"
