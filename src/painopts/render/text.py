"""What every renderer shares: untrusted text made inert, and symbols for verdicts and certainty."""

from __future__ import annotations

import json
import re

from painopts.model import Certainty, Verdict
from painopts.render import UnwritableError
from painopts.views.document import Cell, Document, Records, Reference

NOTICE = "Information only, not medical advice (see the note at the end)."
"""The first line of every human-readable output, so that even a cut-off page carries it."""

VERDICT_SYMBOLS = {
    Verdict.SUPPORTED: ("✔", "[+]"),
    Verdict.PARTLY_SUPPORTED: ("◐", "[~]"),
    Verdict.MISLEADING: ("⚠", "[!]"),
    Verdict.UNSUPPORTED: ("?", "[?]"),
    Verdict.CONTRADICTED: ("✘", "[x]"),
}
"""A symbol for each verdict, and its ASCII fallback: never colour alone."""

CERTAINTY_SYMBOLS = {
    Certainty.HIGH: ("⊕⊕⊕⊕", "++++"),
    Certainty.MODERATE: ("⊕⊕⊕◯", "+++-"),
    Certainty.LOW: ("⊕⊕◯◯", "++--"),
    Certainty.VERY_LOW: ("⊕◯◯◯", "+---"),
}
"""GRADE's own notation for certainty of evidence, and its ASCII fallback."""

_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f"  # C0 controls but tab and newline, DEL, C1 controls
    # Unicode's format characters (category Cf, as of Unicode 15.1): bidi marks, embeddings,
    # overrides and isolates, the Arabic letter mark, zero-width spaces and joiners, the soft
    # hyphen, the byte-order mark, invisible operators and tags; then the line and paragraph
    # separators (Zl, Zp), which some terminals and JavaScript take as line breaks.
    "\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    "\U000e0020-\U000e007f\u2028-\u202e]"
)


_ADDRESS = re.compile(r"https?://[A-Za-z0-9.-]+(?::[0-9]+)?(?:[/?#][!-~]*)?")


def is_address(word: str) -> bool:
    """True for a web address that any format may make a link: the one link policy.

    http(s), a host name of ASCII letters, digits, dots and hyphens (so no look-alike letters
    and no user part such as ``nih.gov@evil.example``), then printable ASCII only, without a
    backslash (nothing hidden or reordered in a link). Anything else is shown as inert text.
    """
    return _ADDRESS.fullmatch(word) is not None and "\\" not in word


def inert(text: str) -> str:
    """Text with control, bidi and other invisible format characters shown as visible escapes.

    Applied to JSON text it leaves no raw C1, bidi or format character (json escapes only C0):
    such characters occur only inside JSON strings, where the escape means the same character.
    """
    return _UNSAFE.sub(_escaped, text)


def _escaped(match: re.Match[str]) -> str:
    """The character as JSON writes it, a backslash, ``u`` and 4 hex digits (or two of them).

    Beyond the BMP, the two are a surrogate pair, so that JSON reads the same character back.
    """
    code = ord(match[0])
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    high, low = divmod(code - 0x10000, 0x400)
    return f"\\u{0xD800 + high:04x}\\u{0xDC00 + low:04x}"


def json_text(value: object) -> str:
    """Indented RFC 8259 JSON, or UnwritableError: never ``NaN`` or ``Infinity``.

    Validation refuses such figures (PO327); this is the backstop of every JSON writer.
    """
    return _strict_json(value, indent=2, ensure_ascii=False)


def json_line(value: object) -> str:
    """One line of ASCII JSON (which YAML also reads), with json_text's backstop."""
    return _strict_json(value, indent=None, ensure_ascii=True)


def _strict_json(value: object, *, indent: int | None, ensure_ascii: bool) -> str:
    try:
        return json.dumps(value, indent=indent, ensure_ascii=ensure_ascii, allow_nan=False)
    except ValueError as error:
        raise UnwritableError(
            "the answer holds a number JSON cannot write (infinite or not a number); "
            "run 'painopts validate' on the knowledge file"
        ) from error


def one_line(text: str) -> str:
    """Inert text with tabs and line breaks folded into single spaces."""
    return " ".join(inert(text).split())


def lines(text: str) -> str:
    """Inert text with each line folded like `one_line`, and the line breaks kept."""
    return "\n".join(one_line(line) for line in text.split("\n")).strip("\n")


def verdict_label(verdict: Verdict, ascii: bool) -> str:
    """``✘ contradicted`` (or ``[x] contradicted``)."""
    return f"{VERDICT_SYMBOLS[verdict][ascii]} {verdict.value}"


def certainty_label(certainty: Certainty, ascii: bool) -> str:
    """``⊕⊕◯◯ low certainty`` (or ``++-- low certainty``)."""
    return f"{CERTAINTY_SYMBOLS[certainty][ascii]} {certainty.value} certainty"


def rating_mark(rating: tuple[int, int], ascii: bool) -> str:
    """An instrument rating's symbol: ✔ or ✘ on a two-level scale, else a bar (●●○○○)."""
    position, size = rating
    if size == 2:
        return ("[+]" if ascii else "✔") if position else ("[x]" if ascii else "✘")
    filled, empty = ("#", "-") if ascii else ("●", "○")
    bar = filled * (position + 1) + empty * (size - position - 1)
    return f"[{bar}]" if ascii else bar


def rated(cell: Cell, ascii: bool) -> str:
    """A cell's text, after its rating symbol when it has one."""
    return f"{rating_mark(cell.rating, ascii)} {cell.text}" if cell.rating else cell.text


def cites_label(cites: tuple[str, ...]) -> str:
    """``[S04, S05]``, or nothing."""
    return f"[{', '.join(cites)}]" if cites else ""


def flat(cell: Cell, ascii: bool, keep_lines: bool = False, words: bool = False) -> str:
    """A cell as one line of text (or its own lines): value or verdict, certainty, citations.

    With ``words``, verdicts and certainty are bare words, without symbols (for data formats).
    """
    if cell.verdict:
        parts = [cell.verdict.value if words else verdict_label(cell.verdict, ascii)]
    else:
        parts = [cell.text if words else rated(cell, ascii)]
    if cell.certainty:
        label = (
            f"{cell.certainty.value} certainty" if words else certainty_label(cell.certainty, ascii)
        )
        parts.append(f"({label})")
    if cell.cites:
        parts.append(cites_label(cell.cites))
    return (lines if keep_lines else one_line)(" ".join(parts))


def legend(document: Document, ascii: bool) -> str:
    """One line that explains the symbols the document's tables use (empty when they use none)."""
    cells = [
        cell for section in document.sections for t in section.tables for r in t.rows for cell in r
    ]
    verdicts = {cell.verdict for cell in cells if cell.verdict}
    certainties = {cell.certainty for cell in cells if cell.certainty}
    parts = []
    if verdicts:
        shown = [
            verdict_label(verdict, ascii) for verdict in VERDICT_SYMBOLS if verdict in verdicts
        ]
        parts.append("verdicts " + ", ".join(shown))
    if certainties:
        shown = [
            f"{CERTAINTY_SYMBOLS[c][ascii]} {c.value}"
            for c in CERTAINTY_SYMBOLS
            if c in certainties
        ]
        parts.append("GRADE certainty " + ", ".join(shown))
    ratings = {cell.rating for cell in cells if cell.rating}
    if ratings:
        marks = [
            f"{rating_mark(r, ascii)} {r[0] + 1} of {r[1]}" for r in sorted(ratings) if r[1] > 2
        ][:1]
        two = [rating_mark((1, 2), ascii) + " met", rating_mark((0, 2), ascii) + " not met"]
        parts.append(
            "ratings " + ", ".join([*(two if any(r[1] == 2 for r in ratings) else []), *marks])
        )
    if any(cell.cites for cell in cells):
        parts.append(
            "[S01] a source's key" + (", listed under References" if document.references else "")
        )
    return f"Legend: {'; '.join(parts)}." if parts else ""


def reference_text(reference: Reference) -> str:
    """A bibliography line: title, publisher, year, type, link."""
    source = reference.source
    if source is None:
        return f"{reference.key}: not in the knowledge file's sources"
    year = source.year or "no date"
    pieces = [source.title, source.publisher, str(year), source.type.value, *source.links]
    return one_line(f"{reference.key}: " + ". ".join(pieces))


def records_of(document: Document) -> Records:
    """The document as records: the view's own, else the rows of its main tables in words.

    The main tables are those with the document's main columns (by default, the first
    table's); when they come from more than one section, a first ``Section`` column says which.
    """
    if document.records is not None:
        return document.records
    tables = [(s.heading, t) for s in document.sections for t in s.tables]
    if not tables:
        return Records((), ())
    columns = document.main or tables[0][1].columns
    tables = [(heading, table) for heading, table in tables if table.columns == columns]
    sectioned = len({heading for heading, _ in tables}) > 1
    rows = tuple(
        (
            *((one_line(heading),) if sectioned else ()),
            *(flat(cell, ascii=True, keep_lines=True, words=True) for cell in row),
        )
        for heading, table in tables
        for row in table.rows
    )
    return Records((*(("Section",) if sectioned else ()), *columns), rows)
