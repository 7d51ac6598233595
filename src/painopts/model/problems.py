"""Problems found in a knowledge file, located and coded, and the report of a validation."""

from collections.abc import Sequence
from dataclasses import field

from painopts.model.spec import StrEnum, record


class Severity(StrEnum):
    """How serious a problem in a knowledge file is."""

    ERROR = "error"
    WARNING = "warning"


Loc = tuple[str | int, ...]


@record(kw_only=True)
class Problem:
    """One located problem in a knowledge file, with a stable code."""

    code: str
    severity: Severity
    message: str
    loc: Loc = ()
    line: int | None = None
    column: int | None = None

    @property
    def dotted(self) -> str:
        """The location as a dotted path, e.g. ``treatments[3].attributes.onset``."""
        text = ""
        for part in self.loc:
            text += f"[{part}]" if isinstance(part, int) else f".{part}"
        return text.lstrip(".") or "(file)"


@record
class Report:
    """The outcome of validating one knowledge file."""

    name: str
    problems: Sequence[Problem] = field(default_factory=tuple)
    strict: bool = False

    @property
    def errors(self) -> int:
        """How many problems are errors."""
        return sum(1 for problem in self.problems if problem.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        """How many problems are warnings."""
        return len(self.problems) - self.errors

    @property
    def valid(self) -> bool:
        """True when nothing fails: no errors, and no warnings either under --strict."""
        return self.errors == 0 and not (self.strict and self.warnings)
