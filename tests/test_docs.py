"""The README is where users start: it must not fall behind the code or CI."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from tests.conftest import REPO

from painopts.cli import app
from painopts.render import Format

README = (REPO / "README.md").read_text()
PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
"""Where examples live: each ```console block is the real output of its command."""


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


def _example_output(command: str, path: str | None = None) -> str:
    """What the example prints, run by bash as a user would in a clone (files go elsewhere).

    ``path`` is the PATH to run it with; by default, this environment's tools, then the PATH.
    """
    with tempfile.TemporaryDirectory() as folder:
        for name in ("data", "tests"):
            (Path(folder) / name).symlink_to(REPO / name)
        tools = str(Path(sys.executable).parent)
        path = path or tools + os.pathsep + os.environ["PATH"]
        env = {**os.environ, "NO_COLOR": "1", "PATH": path}
        env.pop("PAINOPTS_DATA", None)
        done = subprocess.run(
            ["bash", "-o", "pipefail", "-c", command],
            capture_output=True,
            text=True,
            env=env,
            cwd=folder,
            check=False,
        )
    assert done.returncode in (0, 1), done.stderr  # validate exits 1 on a broken file
    lines = [line.rstrip() for line in done.stdout.splitlines()]
    return "\n".join(lines) + "\n" if lines else ""


def _refresh(match: re.Match[str], path: str | None = None) -> str:
    command, shown = match.groups()
    output = _example_output(command, path)
    if shown.endswith(ELLIPSIS):
        keep = len(shown.splitlines()) - 1 or LINES_KEPT
        output = "".join(output.splitlines(keepends=True)[:keep]) + ELLIPSIS
    return f"```console\n$ {command}\n{output}```"


EXAMPLES = [(page, match) for page in PAGES for match in EXAMPLE.finditer(page.read_text())]


@pytest.mark.parametrize(
    ("page", "match"), EXAMPLES, ids=[f"{p.name}: {m.group(1)}" for p, m in EXAMPLES]
)
def test_examples_show_real_output(page: Path, match: re.Match[str]) -> None:
    """Examples are the tool's real output; UPDATE_README=1 rewrites them instead."""
    if os.environ.get("UPDATE_README") == "1":
        page.write_text(EXAMPLE.sub(_refresh, page.read_text()))
        return
    assert _refresh(match) == match.group(0), f"{page.name} example is stale (UPDATE_README=1)"


def test_every_command_has_an_example() -> None:
    commands = {command.name for command in app.registered_commands}
    shown = {word for _, m in EXAMPLES for word in shlex.split(m.group(1))}
    assert commands <= shown


def test_readme_pictures_and_local_links_exist() -> None:
    targets = re.findall(r"\]\((?!https?://|#)([^)\s]+)\)", README)
    for target in targets:
        assert (REPO / target).exists(), target


SYSTEM_PATH = "/usr/local/bin:/usr/bin:/bin"
"""A PATH with the system's tools only (no test environment, no csvkit or pandas)."""


@pytest.fixture(scope="module")
def fresh_tools(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin folder of a virtual environment made by the README's first command, verbatim.

    It runs in a copy of the repository, from a shell whose PATH has the system's tools only.
    """
    import shutil

    clone = tmp_path_factory.mktemp("fresh") / "painopts"
    unwanted = shutil.ignore_patterns(  # what .gitignore keeps out of a clone, and .git
        ".venv",
        ".nox",
        ".git",
        ".*_cache",
        "__pycache__",
        ".hypothesis",
        "node_modules",
        "build",
        "dist",
        "*.egg-info",
        ".coverage",
    )
    shutil.copytree(REPO, clone, ignore=unwanted)
    environment = {**os.environ, "PATH": SYSTEM_PATH, "NO_COLOR": "1"}
    environment.pop("VIRTUAL_ENV", None)
    done = subprocess.run(
        ["bash", "-c", setup_commands()[0]],
        cwd=clone,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Information only, not medical advice" in done.stdout
    return clone / ".venv" / "bin"


@pytest.mark.parametrize(
    ("page", "match"), EXAMPLES, ids=[f"{p.name}: {m.group(1)}" for p, m in EXAMPLES]
)
def test_examples_run_in_a_fresh_environment_with_only_what_it_brings(
    fresh_tools: Path, page: Path, match: re.Match[str]
) -> None:
    """Each example, with the fresh environment activated as the README says, prints the same."""
    path = str(fresh_tools) + os.pathsep + SYSTEM_PATH
    assert _refresh(match, path) == match.group(0), f"{page.name}: {match.group(1)}"
