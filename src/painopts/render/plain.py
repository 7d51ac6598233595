"""Tab-separated text for scripts: one header line, then one record a line, bare words.

Nothing else: no notes, legend or comment lines, so ``cut``, ``awk`` and ``sort`` see only
records. Tabs and line breaks inside a value are folded into spaces; a missing value is empty.
"""

from __future__ import annotations

from painopts.render import Options
from painopts.render.text import one_line, records_of
from painopts.views.document import Document, Scalar


def render(document: Document, options: Options) -> str:
    """The records as tab-separated lines under a header of column names."""
    records = records_of(document)
    if not records.columns:
        return ""
    lines = ["\t".join(one_line(column) for column in records.columns)]
    lines.extend("\t".join(_text(value) for value in row) for row in records.rows)
    return "\n".join(lines) + "\n"


def _text(value: Scalar) -> str:
    if value is None:
        return ""
    return repr(value) if isinstance(value, (int, float)) else one_line(value)
