"""The three ways `painopts validate` reports problems: text, json and github."""

from __future__ import annotations

from collections.abc import Callable

from painopts import __version__
from painopts.model import Problem, Report, counted
from painopts.render import ProblemFormat
from painopts.render.text import inert, json_text, one_line

VALIDATION_SCHEMA_VERSION = "1.0"
"""A string, as every JSON output of painopts has it (docs/output.md)."""


def position(name: str, problem: Problem) -> str:
    """``path:line:col`` (or just the path when the problem has no position)."""
    if problem.line is None:
        return name
    return f"{name}:{problem.line}:{problem.column}"


def described(problem: Problem) -> str:
    """``dotted.path: message [CODE]`` (without the path when the problem has no place)."""
    where = f"{problem.dotted}: " if problem.loc else ""
    return f"{where}{problem.message} [{problem.code}]"


def problem_line(name: str, problem: Problem) -> str:
    """``path:line:col: severity: dotted.path: message [CODE]``, inert and on one line."""
    severity = problem.severity.value
    return one_line(f"{position(name, problem)}: {severity}: {described(problem)}")


def text(report: Report) -> str:
    """One line per problem, then a summary line."""
    lines = [problem_line(report.name, problem) for problem in report.problems]
    status = "valid" if report.valid else "invalid"
    mode = " (strict)" if report.strict else ""
    counts = f"{counted(report.errors, 'error')}, {counted(report.warnings, 'warning')}"
    lines.append(one_line(f"{report.name}: {status}{mode}: {counts}"))
    return "\n".join(lines) + "\n"


def as_json(report: Report) -> str:
    """A fixed envelope with every problem."""
    document = {
        "schema_version": VALIDATION_SCHEMA_VERSION,
        "tool": {"name": "painopts", "version": __version__},
        "file": report.name,
        "strict": report.strict,
        "valid": report.valid,
        "counts": {"errors": report.errors, "warnings": report.warnings},
        "problems": [
            {
                "code": problem.code,
                "severity": problem.severity.value,
                "line": problem.line,
                "column": problem.column,
                "path": problem.dotted,
                "message": problem.message,
            }
            for problem in report.problems
        ],
    }
    return inert(json_text(document)) + "\n"


def github(report: Report) -> str:
    """GitHub Actions workflow commands, one annotation per problem."""
    lines = []
    for problem in report.problems:
        level = "error" if report.strict or problem.severity.value == "error" else "warning"
        where = f"file={_escape_property(report.name)}"
        if problem.line is not None:
            where += f",line={problem.line},col={problem.column}"
        message = _escape_data(one_line(f"{problem.dotted}: {problem.message}"))
        lines.append(f"::{level} {where},title={problem.code}::{message}")
    return "".join(line + "\n" for line in lines)


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


RENDERERS: dict[ProblemFormat, Callable[[Report], str]] = {
    ProblemFormat.TEXT: text,
    ProblemFormat.JSON: as_json,
    ProblemFormat.GITHUB: github,
}
