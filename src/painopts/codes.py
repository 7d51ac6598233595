"""Every problem code painopts reports: its severity and what it means. Codes never change meaning.

The loader, the rules and the documentation (docs/knowledge-file.md, checked by a test) all
read this one table.
"""

from __future__ import annotations

from painopts.model import Loc, Problem, Severity

ERROR, WARNING = Severity.ERROR, Severity.WARNING

CODES: dict[str, tuple[Severity, str]] = {
    "PO101": (ERROR, "the file cannot be read (missing, a directory, no permission)"),
    "PO102": (ERROR, "the file is larger than 64 MiB"),
    "PO103": (
        ERROR,
        "the file is not UTF-8 text (UTF-16, other encodings, NUL bytes, control characters "
        "YAML does not allow); a UTF-8 BOM is fine",
    ),
    "PO104": (ERROR, "YAML syntax error"),
    "PO105": (ERROR, "duplicate key in a mapping"),
    "PO106": (ERROR, "YAML anchors (`&name`) and aliases (`*name`)"),
    "PO107": (ERROR, "YAML merge keys (`<<`)"),
    "PO108": (ERROR, "YAML tags (`!!python/object`, `!custom`, even `!!str`)"),
    "PO109": (ERROR, "the file is empty or holds more than one YAML document"),
    "PO110": (ERROR, "nesting deeper than 32 levels"),
    "PO201": (ERROR, "unknown key"),
    "PO202": (ERROR, "missing required key"),
    "PO203": (ERROR, "wrong type (a number where text is expected: quote it)"),
    "PO204": (
        ERROR,
        "invalid value (not one of the allowed words, a bad id, DOI or URL pattern, too long)",
    ),
    "PO301": (ERROR, "duplicate id (JSON, keyed by id, and tables would disagree)"),
    "PO302": (WARNING, "reference to an unknown source"),
    "PO303": (WARNING, "reference to an unknown treatment"),
    "PO304": (
        ERROR,
        "an attribute id that is not defined (in a treatment it would show as 'not recorded')",
    ),
    "PO305": (WARNING, "reference to an unknown article"),
    "PO306": (WARNING, "a source that nothing cites"),
    "PO307": (WARNING, "a value that cites no source (`not assessed` needs none)"),
    "PO308": (WARNING, "a claim that cites no source"),
    "PO309": (ERROR, "a value that is not on its attribute's scale"),
    "PO310": (
        WARNING,
        "a treatment with no value for some attributes (write `not assessed`); one problem per "
        "treatment names the first three and counts the others",
    ),
    "PO311": (WARNING, "a name or alias that points at two treatments"),
    "PO312": (WARNING, "a contract attribute is not defined"),
    "PO313": (ERROR, "a `level` attribute that lists no levels"),
    "PO314": (
        WARNING,
        "an article rating leaves criteria of its instrument unrated (one problem per rating "
        "names the first three and counts the others)",
    ),
    "PO315": (WARNING, "a criterion rating that cites no source and no claim"),
    "PO316": (WARNING, "reference to an unknown instrument"),
    "PO317": (WARNING, "reference to an unknown criterion of the instrument"),
    "PO318": (WARNING, "reference to an unknown claim"),
    "PO319": (
        ERROR,
        "a rating that is not on its instrument's scale (or not applicable where not allowed)",
    ),
    "PO320": (
        ERROR,
        "an effect's confidence interval is reversed, one-sided, or does not contain its estimate",
    ),
    "PO321": (
        ERROR,
        "an effect's figures do not match its basis (a figure is missing, or 'no figure' has one)",
    ),
    "PO322": (WARNING, "an effect that cites no source"),
    "PO323": (ERROR, "a level outside the vocabulary of what its attribute `measures`"),
    "PO324": (WARNING, "the last review is older than `meta.review_interval_days` allows"),
    "PO325": (WARNING, "a source with no `checked` date in a file that declares a review interval"),
    "PO326": (WARNING, "a head-to-head record (`comparisons`) that cites no source"),
    "PO327": (
        ERROR,
        "an effect's figure that is not a finite number (such as `1e999`, too large for a float)",
    ),
    "PO330": (
        ERROR,
        "a guideline position for a condition its guideline does not cover (`guidelines.covers`)",
    ),
    "PO331": (WARNING, "reference to an unknown condition"),
    "PO332": (WARNING, "a position whose guideline is not listed under `guidelines`"),
    "PO333": (ERROR, "a mean difference (MD or SMD) with no `scale`"),
    "PO334": (WARNING, "an effect that names no `condition`, in a file that defines conditions"),
    "PO335": (ERROR, "conditions whose `part_of` links go round in a loop"),
    "PO336": (WARNING, "a name listed under `not_covered` that also names a treatment"),
    "PO337": (
        ERROR,
        "a percentage, NNT or NNH that its counts (`events` of `total`) do not give, "
        "or more events than people",
    ),
}


def problem(
    code: str, message: str, loc: Loc = (), line: int | None = None, column: int | None = None
) -> Problem:
    """A problem with this code, at the severity the table gives it."""
    return Problem(
        code=code, severity=CODES[code][0], message=message, loc=loc, line=line, column=column
    )
