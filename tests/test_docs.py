"""The README is where users start: it must not fall behind the code or CI."""

from __future__ import annotations

import os
import re
import shlex
import tempfile
from pathlib import Path

import pytest
from tests.conftest import REPO, run_process

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


EXAMPLE = re.compile(r"```console\n\$ (painopts [^\n]*)\n(.*?)```", re.S)
ELLIPSIS = "[...]\n"
LINES_KEPT = 24


def _example_output(command: str) -> str:
    """What the README's example prints, run as a user would in a clone (files go elsewhere)."""
    with tempfile.TemporaryDirectory() as folder:
        for name in ("data", "tests"):
            (Path(folder) / name).symlink_to(REPO / name)
        result = run_process(*shlex.split(command)[1:], env={"NO_COLOR": "1"}, cwd=folder)
    lines = [line.rstrip() for line in result.out.splitlines()]
    return "\n".join(lines) + "\n" if lines else ""


def _refresh(match: re.Match[str]) -> str:
    command, shown = match.groups()
    output = _example_output(command)
    if shown.endswith(ELLIPSIS):
        keep = len(shown.splitlines()) - 1 or LINES_KEPT
        output = "".join(output.splitlines(keepends=True)[:keep]) + ELLIPSIS
    return f"```console\n$ {command}\n{output}```"


@pytest.mark.parametrize("match", list(EXAMPLE.finditer(README)), ids=lambda m: m.group(1))
def test_readme_examples_show_real_output(match: re.Match[str]) -> None:
    """Examples are the tool's real output; UPDATE_README=1 rewrites them instead."""
    if os.environ.get("UPDATE_README") == "1":
        path = REPO / "README.md"
        path.write_text(EXAMPLE.sub(_refresh, path.read_text()))
        return
    assert _refresh(match) == match.group(0), "README example is stale (UPDATE_README=1)"


def test_readme_has_examples_of_every_command() -> None:
    commands = {command.name for command in app.registered_commands}
    shown = {word for m in EXAMPLE.finditer(README) for word in shlex.split(m.group(1))}
    assert commands <= shown


def test_readme_pictures_and_local_links_exist() -> None:
    targets = re.findall(r"\]\((?!https?://|#)([^)\s]+)\)", README)
    assert "docs/compare.svg" in targets
    for target in targets:
        assert (REPO / target).exists(), target
