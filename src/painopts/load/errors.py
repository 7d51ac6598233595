"""The error every loading problem becomes: the file's name and its located problems."""

from __future__ import annotations

from painopts.model import Problem


class KnowledgeFileError(Exception):
    """The knowledge file could not be read or does not fit the model."""

    def __init__(self, name: str, problems: list[Problem]) -> None:
        super().__init__(f"{name}: {problems[0].message}")
        self.name = name
        self.problems = problems
