"""The README is where users start: it must not fall behind the code or CI."""

from __future__ import annotations

import re

from tests.conftest import REPO

from painopts.cli import app
from painopts.render import Format

README = (REPO / "README.md").read_text()


def setup_commands() -> list[str]:
    section = README.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_readme_gives_exactly_two_setup_commands() -> None:
    commands = setup_commands()
    assert len(commands) == 2
    assert commands[0].endswith("painopts compare ketamine opioids")
    assert commands[1].endswith("python -m pytest")


def test_ci_runs_the_readme_commands_verbatim() -> None:
    ci = (REPO / ".ci" / "run").read_text().splitlines()
    for command in setup_commands():
        assert command in ci


def test_readme_documents_every_command() -> None:
    for command in app.registered_commands:
        assert f"`painopts {command.name}" in README, command.name


def test_readme_documents_every_format() -> None:
    for fmt in Format:
        assert f"| `{fmt.value}` |" in README, fmt


def test_changelog_exists_with_unreleased_section() -> None:
    assert "## [Unreleased]" in (REPO / "CHANGELOG.md").read_text()
