"""CLI instructions are hints for the terminal: pages and data for readers never tell them to type.

Issue 25: HTML and Markdown are read where no command can be run, and JSON is data; the
instructions ("painopts claims --treatment ... lists them all") live in `Section.hints`, which
only the terminal shows.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.conftest import FIXTURES

COMMANDS = "compare list show claims sources info report audit check validate schema new"
INSTRUCTION = re.compile(rf"painopts (?:{'|'.join(COMMANDS.split())})\b")
"""'painopts' and a command name; the disclaimer's 'painopts summarises' and the footer's
'painopts 0.2.0' name the product, not a command."""
LAYER = FIXTURES / "layers" / "second-article.yaml"
ARTICLE = "Ketamine is not addictive. Opioids cause respiratory depression.\n"

VIEWS = [
    ("compare", "ketamine", "opioids"),
    ("compare", "ketamine", "opioids", "--full"),
    ("compare", "nsaids", "opioids", "--condition", "low back pain"),
    ("compare", "--all"),
    ("list",),
    ("show", "ketamine"),
    ("claims",),
    ("claims", "--long"),
    ("claims", "ketamine-not-addictive"),
    ("sources",),
    ("report",),
    ("audit",),
    ("--add", str(LAYER), "compare", "ketamine", "opioids"),
    ("--add", str(LAYER), "claims"),
    ("--add", str(LAYER), "report"),
]


@pytest.mark.parametrize("fmt", ["html", "markdown", "json"])
@pytest.mark.parametrize("args", VIEWS, ids=lambda args: " ".join(args).replace(str(LAYER), "L"))
def test_no_page_or_data_tells_its_reader_to_type_a_command(
    cli, args: tuple[str, ...], fmt: str
) -> None:
    result = cli(*args, "-f", fmt)
    assert result.code == 0, result.err
    assert "painopts" in result.out or fmt == "json"  # the product is still named
    assert INSTRUCTION.findall(result.out) == []
    assert "--treatment" not in result.out
    assert "--full" not in result.out


@pytest.mark.parametrize("fmt", ["html", "markdown", "json"])
def test_info_names_a_command_only_in_the_knowledge_files_own_update_policy(cli, fmt: str) -> None:
    result = cli("info", "-f", fmt)
    assert result.code == 0, result.err
    # The bundled file's meta.update_policy says which check enforces its review interval:
    # the file's text, shown as data, not an instruction painopts adds.
    assert INSTRUCTION.findall(result.out) == ["painopts validate"]
    assert "meta.review" in result.out


@pytest.mark.parametrize("fmt", ["html", "markdown", "json"])
def test_check_tells_no_reader_to_type_a_command(cli, tmp_path: Path, fmt: str) -> None:
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE)
    result = cli("check", str(article), "-f", fmt)
    assert result.code == 0, result.err
    assert INSTRUCTION.findall(result.out) == []


@pytest.mark.parametrize(
    ("args", "hints"),
    [
        (
            ("compare", "ketamine", "opioids"),
            [
                "painopts claims --treatment ketamine --treatment opioids: every claim.",
                "painopts audit: the scores in detail.",
                "--full: whole values, sources.",
                "--condition ID: one condition.",
            ],
        ),
        (
            ("claims",),
            [
                "painopts claims ID (or --long) explains a verdict.",
                "painopts audit: the scores in detail.",
            ],
        ),
    ],
)
def test_the_terminal_still_shows_the_hints(cli, args: tuple[str, ...], hints: list[str]) -> None:
    result = cli("--width", "200", *args, "-f", "table")
    assert result.code == 0, result.err
    shown = " ".join(result.out.split())
    for hint in hints:
        assert hint in shown


def test_the_sentences_a_reader_sees_are_the_datas_statements(cli) -> None:
    import json

    data = json.loads(cli("compare", "ketamine", "opioids", "-f", "json").out)
    statements = data["data"]["bottom_line"]["statements"]
    page = cli("--width", "1000", "compare", "ketamine", "opioids", "-f", "table").out
    shown = " ".join(page.split())
    assert len(statements) == 4
    for statement in statements:
        assert " ".join(statement.split()) in shown


def test_the_bottom_line_is_worked_out_once(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    from painopts.views import bottom_line

    calls: list[str] = []
    for name in ("head_to_head", "exposure", "figures_and_place", "bottom_line_data"):
        original = getattr(bottom_line, name)

        def counted(*args: object, _name: str = name, _original: object = original) -> object:
            calls.append(_name)
            return _original(*args)  # type: ignore[operator]

        monkeypatch.setattr(bottom_line, name, counted)
    result = cli("compare", "ketamine", "opioids", "-f", "json")
    assert result.code == 0, result.err
    assert sorted(calls) == ["bottom_line_data", "exposure", "figures_and_place", "head_to_head"]
