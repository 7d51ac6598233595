"""The matrix that proves what pyproject.toml claims: every Python it allows, and its floors.

``nox`` runs them all; ``nox -s tests-3.12`` one of them; ``nox -s lowest`` the suite with every
runtime dependency at the lowest version pyproject.toml declares (docs/development.md).
"""

from __future__ import annotations

import re
from pathlib import Path

import nox
import tomllib

nox.options.default_venv_backend = "venv"
nox.options.sessions = ["tests", "lowest", "lint"]

PYTHONS = ["3.10", "3.11", "3.12", "3.13"]
PROJECT = tomllib.loads(Path("pyproject.toml").read_text(encoding="utf-8"))["project"]


def floors() -> list[str]:
    """Each runtime dependency pinned to the lowest version pyproject.toml admits."""
    pins = []
    for requirement in PROJECT["dependencies"]:
        found = re.fullmatch(r"([A-Za-z0-9_.-]+)>=([0-9.]+)(;.*)?", requirement.replace(" ", ""))
        if found is None:
            raise ValueError(f"a dependency without a plain floor: {requirement}")
        name, version, marker = found.groups()
        pins.append(f"{name}=={version}{marker or ''}")
    return pins


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """The whole suite on one Python, with the newest dependencies."""
    session.install(".[test]")
    session.run("python", "-m", "pytest", "-q", "-p", "no:cacheprovider", *session.posargs)


@nox.session(python=PYTHONS[0])
def lowest(session: nox.Session) -> None:
    """The whole suite on the oldest Python with every runtime dependency at its floor."""
    constraints = Path(session.create_tmp()) / "floors.txt"
    constraints.write_text("\n".join(floors()) + "\n", encoding="utf-8")
    session.install("-c", str(constraints), ".[test]")
    session.run("python", "-m", "pip", "list", "--format=freeze")
    session.run("python", "-m", "pytest", "-q", "-p", "no:cacheprovider", *session.posargs)


@nox.session(python="3.11")
def lint(session: nox.Session) -> None:
    """Ruff and mypy at the versions pinned in the lint extra."""
    session.install(".[lint]")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy", "--strict", "src")
