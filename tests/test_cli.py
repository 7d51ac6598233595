"""The command line as users and scripts meet it: exit codes, streams, files, help."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import FIXTURES, MINIMAL, REPO, run_process

from painopts import __version__

COMMANDS = [
    "compare",
    "list",
    "show",
    "claims",
    "audit",
    "sources",
    "info",
    "report",
    "validate",
    "schema",
]


@pytest.fixture(scope="module")
def two(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal knowledge file with a second, thinly documented treatment."""
    text = MINIMAL.read_text()
    beta = (
        "  - id: beta\n    name: Beta\n    class: test device\n    routes: [implant]\n"
        "    summary: Another test treatment.\n    attributes:\n"
    )
    values = {
        "addiction_risk": "high",
        "respiratory_depression": "low",
        "evidence_neuropathic": "high",
        "neuropathic_line": "first-line",
    }
    for line in text.splitlines():
        stripped = line.strip()
        if line.startswith("      ") and ": {value:" in stripped:
            key = stripped.split(":")[0]
            if key in values:
                beta += f"      {key}: {{value: {values[key]}, sources: [src1]}}\n"
            else:
                beta += f"      {key}: {{value: not assessed}}\n"
    path = tmp_path_factory.mktemp("kb") / "two.yaml"
    path.write_text(text.replace("sources:\n  - id: src1", beta + "sources:\n  - id: src1", 1))
    return path


def test_version_is_gnu_style(cli) -> None:
    result = cli("--version")
    assert (result.code, result.out, result.err) == (0, f"painopts {__version__}\n", "")


def test_help_lists_every_command(cli) -> None:
    result = cli("--help")
    assert result.code == 0
    for command in COMMANDS:
        assert command in result.out


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(cli, command: str) -> None:
    result = cli(command, "--help")
    assert result.code == 0
    assert "Usage: painopts " + command in result.out


def test_help_keeps_bracketed_text(cli) -> None:
    assert "[CODE]" in cli("validate", "--help").out


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["frobnicate"], "No such command"),
        (["compare"], "name two or more different treatments"),
        (["compare", "--all", "alpha"], "name treatments or give --all, not both"),
        (["compare", "alpha"], "two or more different treatments"),
        (["compare", "alpha", "alphazol"], "two or more different treatments"),
        (["compare", "alpha", "gamma"], "unknown treatment 'gamma'"),
        (["compare", "alpha", "bet"], "did you mean beta"),
        (["compare", "alpha", "beta", "--attr", "colour"], "unknown attribute 'colour'"),
        (["claims", "--verdict", "maybe"], "'maybe' is not one of"),
        (["claims", "--article", "vlog"], "unknown article 'vlog'"),
        (["sources", "--cited-by", "nothing"], "unknown treatment or claim 'nothing'"),
        (["list", "-f", "claimreview"], "does not write claimreview"),
        (
            ["compare", "alpha", "beta", "--long", "-f", "claimreview"],
            "'painopts compare --long' does not write claimreview",
        ),
        (["compare", "alpha", "beta", "--long", "-o", "x.jsonld"], "'painopts compare --long' has"),
        (["report", "-f", "csv"], "a report holds tables of different shapes"),
        (["--width", "5", "list"], "greater than or equal to 40"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(two: Path, cli, args: list[str], words: str) -> None:
    result = cli("--data", str(two), *args)
    assert result.code == 2
    assert result.err.count("\n") == 1 and result.err.startswith("painopts: error: ")
    assert words in result.err
    assert result.out == ""


def test_invalid_knowledge_file_is_one_line_and_exit_1(cli) -> None:
    broken = FIXTURES / "broken" / "PO204-invalid-value.yaml"
    result = cli("--data", str(broken), "list")
    assert result.code == 1
    assert result.err == (
        f"painopts: error: {broken}:36:54: "
        "treatments[0].attributes.duration_of_benefit.certainty: invalid value: "
        "Input should be 'high', 'moderate', 'low' or 'very-low' [PO204]\n"
    )


def test_names_resolve_by_alias_and_case(two: Path, cli) -> None:
    result = cli("--data", str(two), "compare", "ALPHAZOL", "Beta", "-f", "json")
    assert list(json.loads(result.out)["data"]["treatments"]) == ["alpha", "beta"]


def test_attr_selects_rows(two: Path, cli) -> None:
    result = cli(
        "--data", str(two), "compare", "alpha", "beta", "--attr", "addiction_risk", "-f", "json"
    )
    data = json.loads(result.out)["data"]
    assert data["attributes"] == ["addiction_risk"]
    assert list(data["treatments"]["alpha"]["values"]) == ["addiction_risk"]
    assert data["claims"] == {}  # its one claim is about another attribute


def test_data_on_stdout_warnings_on_stderr(two: Path, cli) -> None:
    result = cli("--data", str(two), "compare", "alpha", "beta", "-f", "json")
    json.loads(result.out)
    assert "Beta is documented in much less depth than Alpha" in result.err


def test_output_file_is_written_whole(two: Path, cli, tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    result = cli("--data", str(two), "report", "-o", str(target))
    assert (result.code, result.out) == (0, "")
    assert target.read_text().startswith("# Minimal knowledge file for tests\n")
    assert [p.name for p in tmp_path.iterdir()] == ["out.md"]


def test_output_dash_is_stdout(two: Path, cli) -> None:
    assert cli("--data", str(two), "info", "-f", "json", "-o", "-").out.startswith("{")


def test_output_into_missing_folder_fails_cleanly(two: Path, cli, tmp_path: Path) -> None:
    result = cli("--data", str(two), "list", "-o", str(tmp_path / "no" / "such" / "x.txt"))
    assert result.code == 1
    assert result.err.startswith("painopts: error: cannot write ")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("exists", [True, False], ids=["read-only-file", "new-file"])
def test_read_only_folder_fails_cleanly(
    two: Path, cli, tmp_path: Path, monkeypatch, exists: bool
) -> None:
    """Simulated, because root (as in CI containers) may write into a read-only folder.

    A file that may be written in such a folder is written in place (tests/test_two_users.py).
    """
    real_open = os.open
    target = tmp_path / "keep.txt"

    def refuse(path: object, *args: object, **kwargs: object) -> int:
        if ".painopts-" in str(path) or str(path) == str(target):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    if exists:
        target.write_text("previous")
    monkeypatch.setattr(os, "open", refuse)
    result = cli("--data", str(two), "list", "-o", str(target))
    assert result.code == 1
    assert result.err == f"painopts: error: cannot write {target}: Permission denied\n"
    assert [p.name for p in tmp_path.iterdir()] == (["keep.txt"] if exists else [])
    assert not exists or target.read_text() == "previous"


def test_failed_write_keeps_the_previous_file(two: Path, cli, tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "keep.txt"
    target.write_text("previous")

    def full_disk(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    result = cli("--data", str(two), "list", "-o", str(target))
    assert result.code == 1
    assert "No space left on device" in result.err
    assert target.read_text() == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


def test_schema_command_prints_the_published_schema(cli) -> None:
    result = cli("schema")
    assert json.loads(result.out) == json.loads(
        (REPO / "data" / "treatments.schema.json").read_text()
    )


def test_color_never_and_no_color_give_no_escape_codes(two: Path, cli, monkeypatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert "\x1b" not in cli("--data", str(two), "--color", "never", "claims").out
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b" not in cli("--data", str(two), "--color", "auto", "claims").out


def test_an_explicit_color_option_wins_over_no_color(two: Path, cli, monkeypatch) -> None:
    """no-color.org: a command-line flag overrides the environment."""
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" in cli("--data", str(two), "--color", "always", "claims").out


def test_output_file_gets_the_usual_permissions(two: Path, cli, tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        fresh, kept = tmp_path / "fresh.md", tmp_path / "kept.md"
        kept.write_text("old")
        kept.chmod(0o640)
        assert cli("--data", str(two), "list", "-f", "markdown", "-o", str(fresh)).code == 0
        assert cli("--data", str(two), "list", "-f", "markdown", "-o", str(kept)).code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o644
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640
    assert "Alpha" in kept.read_text()


def test_an_empty_output_name_is_a_usage_error(two: Path, cli) -> None:
    result = cli("--data", str(two), "list", "-o", "")
    assert result.code == 2
    assert "-o" in result.err


def test_a_bad_data_path_is_one_line_without_a_repeated_error_word(cli, tmp_path: Path) -> None:
    result = cli("--data", str(tmp_path), "list")
    assert result.code == 1
    assert result.err.count("error") == 1
    assert result.err.strip().endswith("[PO101]")


def test_a_bad_choice_names_the_choices_without_library_words(two: Path, cli) -> None:
    result = cli("--data", str(two), "claims", "--verdict", "wrong")
    assert result.code == 2
    assert "Value error" not in result.err
    assert "contradicted" in result.err


def test_color_always_colours_verdicts(two: Path, cli, monkeypatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert "\x1b[" in cli("--data", str(two), "--color", "always", "claims").out


def test_every_human_format_carries_the_disclaimer(two: Path, cli) -> None:
    for fmt in ("table", "markdown", "html"):  # plain and csv are data for scripts
        assert "not medical advice" in cli("--data", str(two), "list", "-f", fmt).out.lower(), fmt


def test_completion_offers_treatment_ids(two: Path) -> None:
    env = {
        **os.environ,
        "_PAINOPTS_COMPLETE": "complete_bash",
        "COMP_WORDS": "painopts compare al",
        "COMP_CWORD": "2",
        "PAINOPTS_DATA": str(two),
    }
    done = subprocess.run(
        [sys.executable, "-m", "painopts"], env=env, capture_output=True, text=True, check=False
    )
    assert "alpha" in done.stdout.split()


# Real processes: streams, pipes and exit codes as a shell sees them.


def test_process_exit_codes_and_streams(two: Path) -> None:
    ok = run_process("--data", str(two), "list", "-f", "plain")
    assert ok.code == 0 and ok.err == "" and ok.out.splitlines()[0].startswith("treatment\tname")
    bad = run_process("--data", str(two), "show", "gamma")
    assert bad.code == 2 and bad.out == "" and "Traceback" not in bad.err


def test_closed_pipe_ends_quietly(two: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "painopts", "--data", str(two), "report", "-f", "html"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.readline()
    process.stdout.close()
    error = process.stderr.read()
    assert process.wait() == 0
    assert error == b""


def test_piped_table_is_never_cut_short(two: Path) -> None:
    result = run_process(
        "--data", str(two), "compare", "alpha", "beta", "--full", env={"COLUMNS": "50"}
    )
    assert "…" not in result.out
    assert "https://example.org/test" in result.out.replace("\n", "")


class _Terminal:
    """A stand-in for a terminal's stderr."""

    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> int:
        self.text += text
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("terminal", [True, False])
def test_first_load_of_a_large_file_shows_progress_on_a_terminal(
    two: Path, monkeypatch, capsys, terminal: bool
) -> None:
    from painopts import cli as cli_module
    from painopts.cli import session

    monkeypatch.setattr(session, "SLOW_FILE_CHARACTERS", 10)
    fake = _Terminal()
    if terminal:
        monkeypatch.setattr(sys, "stderr", fake)
    assert cli_module.main_exit_code(["--data", str(two), "list", "-f", "json"]) == 0
    assert ("validating" in fake.text) is terminal
    assert "validating" not in capsys.readouterr().err
    fake.text = ""
    assert cli_module.main_exit_code(["--data", str(two), "list", "-f", "json"]) == 0
    assert fake.text == ""  # the second run reads the cache: nothing slow to report


def test_ctrl_c_while_still_starting_ends_with_130(monkeypatch, capsys) -> None:
    import importlib.abc

    import painopts

    class Interrupt(importlib.abc.MetaPathFinder):
        def find_spec(self, name: str, path: object, target: object = None) -> None:
            if name == "painopts.cli":
                raise KeyboardInterrupt

    monkeypatch.delitem(sys.modules, "painopts.cli")
    monkeypatch.setattr(sys, "meta_path", [Interrupt(), *sys.meta_path])
    with pytest.raises(SystemExit) as ended:
        painopts.main()
    assert ended.value.code == 130
    assert capsys.readouterr().err == "painopts: error: interrupted\n"


def test_report_claimreview_names_the_article(two: Path, cli) -> None:
    url = "https://example.org/review"
    result = cli("--data", str(two), "report", "-f", "claimreview", "--review-url", url)
    reviews = json.loads(result.out)
    assert reviews and all(r["itemReviewed"]["author"]["name"] != "unknown" for r in reviews)
    assert {r["url"].split("#")[0] for r in reviews} == {url}


def test_claimreview_without_a_review_address_is_a_usage_error(two: Path, cli) -> None:
    result = cli("--data", str(two), "claims", "-f", "claimreview")
    assert (result.code, result.out) == (2, "")
    assert result.err.startswith("painopts: error: ClaimReview needs the address")
    assert "--review-url URL" in result.err


@pytest.mark.parametrize(
    ("command", "name", "starts"),
    [
        (("claims",), "out.jsonld", "["),
        (("audit",), "out.jsonld", "["),
        (("claims",), "out.html", "<!DOCTYPE html>"),
        (("claims",), "out.md", "# "),
        (("claims",), "out.csv", "claim,verdict,"),
        (("claims",), "out.json", "{"),
        (("claims",), "out.txt", "Claims checked"),
    ],
)
def test_the_output_name_picks_the_format(cli, tmp_path: Path, command, name, starts) -> None:
    target = tmp_path / name
    url = ("--review-url", "https://example.org/r") if command == ("claims",) else ()
    assert cli(*command, "-o", str(target), *url).code == 0
    assert target.read_text().startswith(starts)


def test_an_explicit_format_wins_over_the_output_name(cli, tmp_path: Path) -> None:
    target = tmp_path / "out.html"
    assert cli("claims", "-f", "json", "-o", str(target)).code == 0
    assert target.read_text().startswith("{")


def test_a_format_the_document_does_not_take_is_refused_even_from_a_name(cli, tmp_path) -> None:
    result = cli("compare", "ketamine", "opioids", "-o", str(tmp_path / "x.jsonld"))
    assert result.code == 2
    assert list(tmp_path.iterdir()) == []


def test_claimreview_of_no_matching_claim_is_an_empty_list(cli) -> None:
    result = cli("--data", str(MINIMAL), "claims", "--verdict", "misleading", "-f", "claimreview")
    assert result.code == 0
    assert json.loads(result.out) == []


@pytest.mark.parametrize(
    "args",
    [("--data", "", "list"), ("claims", "--treatment", ""), ("sources", "--cited-by", "")],
)
def test_an_empty_name_is_a_usage_error(cli, args: tuple[str, ...]) -> None:
    assert cli(*args).code == 2


@pytest.mark.parametrize("code", ["PO301", "PO304", "PO309", "PO313"])
def test_display_commands_refuse_a_file_with_rule_errors(cli, code: str) -> None:
    broken = next((FIXTURES / "broken").glob(f"{code}-*.yaml"))
    result = cli("--data", str(broken), "list")
    assert result.code == 1
    assert result.err.startswith(f"painopts: error: {broken}:") and f"[{code}]" in result.err


def test_completion_does_not_cache_a_file_with_rule_errors(cli, private_cache: Path) -> None:
    broken = next((FIXTURES / "broken").glob("PO309-*.yaml"))
    env = {
        **os.environ,
        "_PAINOPTS_COMPLETE": "complete_bash",
        "COMP_WORDS": f"painopts --data {broken} compare a",
        "COMP_CWORD": "4",
    }
    subprocess.run([sys.executable, "-m", "painopts"], env=env, capture_output=True, check=False)
    assert list(private_cache.glob("*.json")) == []
    assert cli("--data", str(broken), "list").code == 1


def test_warnings_alone_do_not_stop_display_commands(cli) -> None:
    uncited = FIXTURES / "broken" / "PO306-uncited-source.yaml"
    assert cli("--data", str(uncited), "list").code == 0


def test_no_arguments_prints_the_usual_help_on_stdout(cli) -> None:
    result = cli()
    assert result.code == 0 and result.err == ""
    assert result.out.startswith("Usage: painopts [OPTIONS] COMMAND [ARGS]...")
    assert "compare" in result.out and len(result.out.splitlines()) > 10


def test_data_dash_reads_standard_input(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    raw = MINIMAL.read_bytes()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(raw)))
    result = cli("--data", "-", "list", "-f", "json")
    assert result.code == 0, result.err
    out = json.loads(result.out)
    assert out["knowledge_file"]["path"] == "<stdin>"
    assert list(out["data"]["treatments"]) == ["alpha"]


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [
        ("Zoloft", None),
        ("warfarin", None),
        ("ketamin", "ketamine, esketamine"),
        ("opiods", "opioids"),
    ],
)
def test_unknown_names_suggest_only_close_ones_and_point_to_list(cli, typed, suggested) -> None:
    result = cli("show", typed)
    assert result.code == 2
    assert ("did you mean" in result.err) == (suggested is not None)
    if suggested:
        assert f"did you mean {suggested}?" in result.err
    assert "'painopts list' shows them all" in result.err


@pytest.mark.parametrize(
    ("typed", "shown"),
    [("kratom", "kratom"), ("7-OH", "7-OH (kratom)"), ("Tylenol 3", "Tylenol 3 (codeine)")],
)
def test_a_name_the_file_leaves_out_says_so_on_one_line_and_exits_2(cli, typed, shown) -> None:
    result = cli("show", typed)
    assert result.code == 2
    assert result.out == ""
    assert result.err == (
        f"painopts: error: painopts does not cover {shown} yet; "
        "'painopts list' shows the treatments it covers\n"
    )


def test_verdict_is_case_insensitive(cli) -> None:
    upper = json.loads(cli("claims", "--verdict", "CONTRADICTED", "-f", "json").out)
    lower = json.loads(cli("claims", "--verdict", "contradicted", "-f", "json").out)
    assert upper["data"] == lower["data"] and upper["data"]["claims"]


@pytest.mark.parametrize(
    "option", [("--data", "x.yaml"), ("--width", "80"), ("--width=80",), ("--no-pager",), ("-q",)]
)
def test_a_global_option_after_the_command_works_as_before_it(cli, option: tuple[str, ...]) -> None:
    before = cli(*option, "compare", "ketamine", "opioids")
    after = cli("compare", "ketamine", "opioids", *option)
    assert (after.code, after.out, after.err) == (before.code, before.out, before.err)
    assert "No such option" not in after.err


def test_only_what_comes_before_a_double_dash_is_moved() -> None:
    import typer.main

    from painopts.cli.help import hoisted
    from painopts.cli.run import _app_for

    params = typer.main.get_command(_app_for(["list"])).params
    assert hoisted(["list", "--width", "80", "-f", "csv"], params) == [
        "--width",
        "80",
        "list",
        "-f",
        "csv",
    ]
    assert hoisted(["--color", "never", "show", "-q", "--", "--width"], params) == [
        "--color",
        "never",
        "-q",
        "show",
        "--",
        "--width",
    ]


def test_quiet_silences_warnings_but_not_errors(cli, tmp_path: Path) -> None:
    path = reviewed(tmp_path, "2020-01-01", 365)
    assert "warning" in cli("--data", str(path), "list").err
    assert cli("--data", str(path), "-q", "list").err == ""
    assert "error" in cli("-q", "show", "nothing-like-this").err


def test_claimreview_of_one_claim_and_the_report_carry_the_audit(cli) -> None:
    url = ("--review-url", "https://example.org/review")
    one = json.loads(cli("claims", "ketamine-not-addictive", "-f", "claimreview", *url).out)
    assert [review["reviewRating"]["alternateName"] for review in one] == ["contradicted"]
    report = json.loads(cli("report", "-f", "json").out)["data"]
    assert set(report["audit"]["audits"]["ketamine-vs-opioids-blog"]) == {
        "hnr-release",
        "discern",
        "jama",
    }
    assert report["comparison"]["bottom_line"]["head_to_head"]["recorded"] is True


def reviewed(tmp_path: Path, last_reviewed: str, interval_days: int) -> Path:
    """The minimal file, last reviewed on this date and due again after this many days."""
    path = tmp_path / "reviewed.yaml"
    path.write_text(
        MINIMAL.read_text().replace(
            "  last_reviewed: 2026-01-31\n",
            f"  last_reviewed: {last_reviewed}\n  review_interval_days: {interval_days}\n",
        )
    )
    return path


def test_an_out_of_date_knowledge_file_is_shown_with_one_warning(cli, tmp_path: Path) -> None:
    path = reviewed(tmp_path, "2020-01-01", 365)
    for _ in range(2):  # the second run is served from the cache and still warns
        result = cli("--data", str(path), "list", "-f", "json")
        assert result.code == 0
        assert result.err.startswith(
            "painopts: warning: the knowledge file is out of date: last reviewed 2020-01-01"
        )
        assert "the review was due 2020-12-31" in result.err


def test_the_global_options_table_matches_the_app() -> None:
    """The single-command shortcut skips global options by this table; it must not drift."""
    import typer.main

    from painopts.cli import app
    from painopts.cli.run import GLOBAL_OPTIONS

    callback = typer.main.get_command(app)
    found = {
        name: not option.is_flag
        for option in callback.params
        for name in (*option.opts, *option.secondary_opts)
        if name.startswith("--")
        and name not in ("--version", "--help", "--install-completion", "--show-completion")
    }
    assert found == GLOBAL_OPTIONS


def test_a_review_date_at_the_end_of_the_calendar_is_never_due(cli, tmp_path: Path) -> None:
    path = reviewed(tmp_path, "9999-12-01", 36525)
    assert cli("--data", str(path), "list").code == 0
    assert cli("validate", str(path)).code == 0
