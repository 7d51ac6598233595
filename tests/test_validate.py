"""Every rule has a broken fixture that produces exactly its code at the right place."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path

import pytest
from tests.conftest import FIXTURES, MINIMAL, Result

from painopts.codes import CODES
from painopts.load import parse, validate_data
from painopts.model import KnowledgeBase, Severity
from painopts.validate import check, review_policy

BROKEN = sorted((FIXTURES / "broken").glob("*.yaml"))
EXPECT = re.compile(rb"# broken fixture: expect (PO\d{3}) at (\d+):(\d+)")
# Codes that no single file can show: they are tested in test_load.py.
NOT_A_FILE = {"PO101", "PO102"}


def expectation(path: Path) -> tuple[str, int, int]:
    match = EXPECT.match(path.read_bytes())
    assert match, f"{path.name} has no expectation line"
    return match[1].decode(), int(match[2]), int(match[3])


def test_every_code_has_a_broken_fixture() -> None:
    covered = {path.name[:5] for path in BROKEN}
    assert covered | NOT_A_FILE == set(CODES)


@pytest.mark.parametrize("path", BROKEN, ids=lambda path: path.stem)
def test_broken_fixture_gives_exactly_its_code(cli, path: Path) -> None:
    code, line, column = expectation(path)
    result: Result = cli("validate", "--strict", "-f", "json", str(path))
    report = json.loads(result.out)
    assert {problem["code"] for problem in report["problems"]} == {code}
    first = report["problems"][0]
    assert (first["line"], first["column"]) == (line, column)
    assert result.code == 1
    assert path.stem.startswith(code)
    assert first["severity"] == documented_codes()[code][0]


def test_minimal_fixture_is_clean_under_strict(cli) -> None:
    result = cli("validate", "--strict", str(MINIMAL))
    assert result.code == 0
    assert result.out.strip().endswith("valid (strict): 0 errors, 0 warnings")


def test_warnings_pass_without_strict_and_fail_with_it(cli) -> None:
    path = str(FIXTURES / "broken" / "PO306-uncited-source.yaml")
    assert cli("validate", path).code == 0
    assert cli("validate", "--strict", path).code == 1


def test_text_lines_follow_the_documented_shape(cli) -> None:
    path = FIXTURES / "broken" / "PO302-unknown-source.yaml"
    result = cli("validate", str(path))
    first = result.out.splitlines()[0]
    assert first == (
        f"{path}:34:38: warning: treatments[0].attributes.route.sources[0]: "
        "unknown source 'src9' [PO302]"
    )


def test_problems_are_sorted_by_position(cli, tmp_path: Path) -> None:
    text = MINIMAL.read_text()
    text = text.replace("sources: [src1]}\n      route", "sources: [zz]}\n      route")
    text = text.replace("    article: blog", "    article: vlog")
    path = tmp_path / "two.yaml"
    path.write_text(text)
    problems = json.loads(cli("validate", "-f", "json", str(path)).out)["problems"]
    assert [p["code"] for p in problems] == ["PO302", "PO305"]
    assert problems[0]["line"] < problems[1]["line"]


def test_github_format_annotates_each_problem(cli) -> None:
    path = FIXTURES / "broken" / "PO305-unknown-article.yaml"
    result = cli("validate", "--strict", "-f", "github", str(path))
    assert result.out.startswith(f"::error file={path},line=64,col=14,title=PO305::")
    assert result.code == 1


def test_github_format_is_one_line_with_percent_escaped(cli, tmp_path: Path) -> None:
    path = tmp_path / "x,y.yaml"
    path.write_text(
        MINIMAL.read_text().replace("    class: test drug", '    class: test drug\n    "a%\\nb": 1')
    )
    out = cli("validate", "-f", "github", str(path)).out
    line = out.splitlines()[0]
    assert "file=" + str(tmp_path) + "/x%2Cy.yaml" in line
    assert "%25" in line and "unknown key 'a%25 b'" in line
    assert len(out.splitlines()) == 1


def test_unreadable_file_is_reported_and_fails(cli, tmp_path: Path) -> None:
    result = cli("validate", str(tmp_path / "nope.yaml"))
    assert result.code == 1
    assert "no such file [PO101]" in result.out


def test_data_option_and_environment_choose_the_file(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = str(FIXTURES / "broken" / "PO104-syntax.yaml")
    assert cli("--data", broken, "validate").code == 1
    monkeypatch.setenv("PAINOPTS_DATA", broken)
    assert "PO104" in cli("validate").out


DOCS = Path(__file__).parent.parent / "docs" / "knowledge-file.md"
CODES_BLOCK = re.compile(r"(<!-- codes:[^\n]*-->\n)(.*?)(<!-- /codes -->)", re.S)


def documented_codes() -> dict[str, tuple[str, str]]:
    """The code table in docs/knowledge-file.md: code -> (severity, problem)."""
    block = CODES_BLOCK.search(DOCS.read_text())
    assert block, "docs/knowledge-file.md has no generated code table"
    rows = [line.strip("|").split(" | ") for line in block[2].splitlines()[2:]]
    return {code.strip(" `"): (severity.strip(), text.strip()) for code, severity, text in rows}


def test_the_documented_code_table_is_the_codes_table() -> None:
    """UPDATE_DOCS=1 rewrites the table from painopts.codes instead."""
    rows = [f"| `{code}` | {severity} | {text} |" for code, (severity, text) in CODES.items()]
    table = "\n".join(["| code | severity | problem |", "|---|---|---|", *rows]) + "\n"
    if os.environ.get("UPDATE_DOCS") == "1":
        DOCS.write_text(CODES_BLOCK.sub(lambda m: m[1] + table + m[3], DOCS.read_text()))
    assert documented_codes() == {c: (str(s), t) for c, (s, t) in CODES.items()}


def policy_kb(last_reviewed: str, interval: int | None, checked: str | None) -> KnowledgeBase:
    data = parse(MINIMAL.read_text(), "minimal.yaml")
    data["meta"]["last_reviewed"] = last_reviewed
    if interval is not None:
        data["meta"]["review_interval_days"] = interval
    if checked is not None:
        data["sources"][0]["checked"] = checked
    return validate_data(data)


@pytest.mark.parametrize(
    ("today", "overdue"),
    [
        (dt.date(2026, 3, 1), False),  # 29 days after the review
        (dt.date(2026, 3, 2), False),  # exactly 30 days: still within the policy
        (dt.date(2026, 3, 3), True),  # 31 days: overdue
        (dt.date(2030, 1, 1), True),
    ],
)
def test_review_is_overdue_only_after_the_declared_interval(today: dt.date, overdue: bool) -> None:
    kb = policy_kb("2026-01-31", 30, "2026-01-31")
    codes = [problem.code for problem in check(kb, today=today)]
    assert codes == (["PO324"] if overdue else [])


def test_overdue_review_is_a_warning_located_at_last_reviewed() -> None:
    kb = policy_kb("2026-01-31", 30, "2026-01-31")
    (problem,) = review_policy(kb, dt.date(2026, 6, 1))
    assert problem.severity is Severity.WARNING
    assert problem.loc == ("meta", "last_reviewed")
    assert "2026-03-02" in problem.message


def test_without_a_declared_interval_there_is_no_review_rule() -> None:
    kb = policy_kb("1999-01-01", None, None)
    assert list(review_policy(kb, dt.date(2026, 11, 30))) == []


def test_a_declared_interval_requires_every_source_to_say_when_it_was_checked() -> None:
    unchecked = policy_kb("2026-01-31", 365, None)
    assert [p.code for p in review_policy(unchecked, dt.date(2026, 2, 1))] == ["PO325"]
    checked = policy_kb("2026-01-31", 365, "2026-01-30")
    assert list(review_policy(checked, dt.date(2026, 2, 1))) == []


def test_a_key_with_brackets_is_still_located(cli, tmp_path: Path) -> None:
    path = tmp_path / "k.yaml"
    path.write_text(MINIMAL.read_text().replace("meta:\n", "meta:\n  a[b]: 1\n", 1))
    line = cli("validate", str(path)).out.splitlines()[0]
    assert line.startswith(f"{path}:2:3: error: meta.a[b]: unknown key") and "[PO201]" in line
