"""`painopts check` on the command line: formats, standard input, and bad articles."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest
from markdown_it import MarkdownIt
from tests.conftest import REPO, Result, run_process

SEED = REPO / "tests" / "check_devset" / "seed-article.txt"
SCHEMA = json.loads((REPO / "docs" / "output.schema.json").read_text())


def test_json_has_the_contract_and_fits_the_published_schema(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("check", str(SEED), "-f", "json")
    assert result.code == 0, result.err
    out = json.loads(result.out)
    jsonschema.Draft7Validator(SCHEMA).validate(out)
    assert out["kind"] == "check"
    statements = out["data"]["statements"]
    text = SEED.read_text(encoding="utf-8")
    for statement in statements:
        assert text[statement["start"] : statement["end"]] == statement["text"]
        assert (statement["verdict"] is None) == (statement["same_claim"] is None)
    first = statements[0]
    assert first["text"].startswith("Chronic pain is a widespread problem")
    addictive = next(s for s in statements if s["text"].endswith("Ketamine is not addictive."))
    assert addictive["treatments"] == ["ketamine"]
    assert addictive["attributes"][0] == "addiction_risk"
    assert (addictive["same_claim"], addictive["verdict"]) == (
        "ketamine-not-addictive",
        "contradicted",
    )
    assert out["data"]["sentences"] == len(statements) + sum(out["data"]["left_out"].values())


def test_the_terminal_view_puts_the_worst_verdicts_first_and_says_not_medical_advice(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("--width", "120", "check", str(SEED))
    assert result.code == 0, result.err
    assert "not medical advice" in result.out.casefold()
    out = result.out
    first_contradicted = out.index("contradicted")
    assert out.index("The screen did not find") < first_contradicted
    assert first_contradicted < out.index("partly-supported") < out.index("A verdict is shown only")
    assert "a person must confirm" in result.out


def test_markdown_and_html_say_not_medical_advice(cli) -> None:  # type: ignore[no-untyped-def]
    # plain is data for scripts, one record a line, like CSV and JSON (docs/output.md)
    for fmt in ("markdown", "html"):
        result = cli("check", str(SEED), "-f", fmt)
        assert result.code == 0, result.err
        assert "not medical advice" in result.out.casefold(), fmt
    tokens = MarkdownIt().enable("table").parse(cli("check", str(SEED), "-f", "markdown").out)
    assert any(token.type == "table_open" for token in tokens)


def test_csv_has_one_row_per_statement(cli) -> None:  # type: ignore[no-untyped-def]
    rows = list(csv.reader(io.StringIO(cli("check", str(SEED), "-f", "csv").out)))
    statements = json.loads(cli("check", str(SEED), "-f", "json").out)["data"]["statements"]
    assert rows[0][:2] == ["#", "Statement"]
    assert len(rows) - 1 == len(statements)
    assert [row[1] for row in rows[1:]] == [s["text"] for s in statements]


def test_standard_input_and_html_by_sniffing(tmp_path: Path) -> None:
    page = "<html><body><main><p>Ketamine can cause hallucinations.</p></main></body></html>"
    result = run_process("check", "-", "-f", "json", input=page)
    assert result.code == 0, result.err
    data = json.loads(result.out)["data"]
    assert data["article"]["read_as"] == "html"
    assert [s["text"] for s in data["statements"]] == ["Ketamine can cause hallucinations."]


def test_as_overrides_the_guess(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "page.txt"
    path.write_text("<p>Ketamine can cause hallucinations.</p>")
    data = json.loads(cli("check", str(path), "--as", "html", "-f", "json").out)["data"]
    assert [s["text"] for s in data["statements"]] == ["Ketamine can cause hallucinations."]


def one_error(result: Result) -> str:
    assert result.code == 2
    assert result.out == ""
    lines = result.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("painopts: error:"), result.err
    assert "Traceback" not in result.err
    return lines[0]


def test_a_binary_file_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "picture.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert "binary" in one_error(run_process("check", str(path)))


def test_a_missing_file_and_a_folder_are_clear_errors(tmp_path: Path) -> None:
    assert "cannot read" in one_error(run_process("check", str(tmp_path / "none.txt")))
    assert "cannot read" in one_error(run_process("check", str(tmp_path)))


def test_another_encoding_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes("La kétamine soulage la douleur.".encode("latin-1"))
    assert "UTF-8" in one_error(run_process("check", str(path)))


def test_a_page_larger_than_the_limit_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    path = tmp_path / "huge.html"
    with path.open("wb") as stream:
        stream.truncate(50_000_000)  # a sparse 50 MB file
    error = one_error(run_process("check", str(path)))
    assert error == (
        "painopts: error: Invalid value for 'ARTICLE': the input is larger than 10,000,000 bytes "
        "(10 MB), the most painopts "
        "check reads; for a web page that is the whole page, markup and scripts included: save "
        "the article's text and check that"
    )


@pytest.mark.parametrize("fmt", ["claimreview", "review"])
def test_formats_check_does_not_write_are_usage_errors(cli, fmt: str) -> None:  # type: ignore[no-untyped-def]
    result = cli("check", str(SEED), "-f", fmt)
    assert result.code == 2
    assert "does not write" in result.err


def test_figures_shown_are_from_the_kind_of_pain_the_statement_is_about(
    cli, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    import yaml

    populations = {
        effect["id"]: effect["population"]
        for effect in yaml.safe_load((REPO / "data" / "treatments.yaml").read_text())["effects"]
    }
    path = tmp_path / "a.txt"
    path.write_text(
        "Pregabalin works well for nerve pain from diabetes.\n\n"
        "Opioids work just a little better than placebo for osteoarthritis."
    )
    nerve, other = json.loads(cli("check", str(path), "-f", "json").out)["data"]["statements"]
    assert nerve["effects"] and other["effects"]
    assert all(
        "neuropath" in populations[e] or "neuralgia" in populations[e] for e in nerve["effects"]
    )
    assert not any("neuropathic pain;" in populations[e] for e in other["effects"])


def test_output_onto_the_article_is_refused_and_the_article_kept(tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    path.write_text("Ketamine can cause hallucinations.")
    result = run_process("check", str(path), "-o", str(path))
    assert result.code == 1  # as for the knowledge file: the output cannot be written
    assert (
        result.err
        == f"painopts: error: refusing to write {path}: it is the article being checked\n"
    )
    assert path.read_text() == "Ketamine can cause hallucinations."


def test_the_yaml_draft_passes_validate_once_a_person_fills_in_the_verdicts(
    cli,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    import yaml

    minimal = REPO / "tests" / "fixtures" / "minimal.yaml"
    article = tmp_path / "article.txt"
    article.write_text("Alpha blocks a receptor.\n\nAlphazol is not addictive, a study found.")
    result = cli("--data", str(minimal), "check", str(article), "-f", "yaml")
    assert result.code == 0, result.err
    draft = yaml.safe_load(result.out)
    assert [claim["verdict"] for claim in draft["claims"]] == [None, None]
    knowledge = yaml.safe_load(minimal.read_text())
    knowledge["articles"] += draft["articles"]
    knowledge["claims"] += draft["claims"]
    unfilled = tmp_path / "unfilled.yaml"
    unfilled.write_text(yaml.safe_dump(knowledge, sort_keys=False))
    assert cli("validate", str(unfilled)).code == 1
    for claim in draft["claims"]:
        claim["verdict"] = "unsupported"
        claim["assessment"] = "Checked by a person against the sources."
    filled = tmp_path / "filled.yaml"
    filled.write_text(yaml.safe_dump(knowledge, sort_keys=False))
    outcome = cli("validate", str(filled))
    assert outcome.code == 0, outcome.out


def _keys(value: object) -> object:
    """The key structure of loaded YAML: mappings as their keys in order, a list of records as
    its first record's, any other list or value as its kind."""
    if isinstance(value, dict):
        return [(key, _keys(item)) for key, item in value.items()]
    if isinstance(value, list):
        return [_keys(value[0])] if value and isinstance(value[0], dict) else "list"
    return "value"


def _uncommented_claims(template: str) -> str:
    """The template's commented example claim, as the person who uncomments it gets it."""
    lines = template.splitlines()
    start = lines.index("# claims:")
    block = []
    for line in lines[start:]:
        if not line.startswith("#"):
            break
        block.append(line.removeprefix("# "))
    return "\n".join(block)


def test_the_yaml_draft_has_the_shape_of_a_new_article_and_both_validate_once_filled(
    cli,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    import yaml

    article = tmp_path / "article.txt"
    article.write_text(
        "Pregabalin can make some people dizzy.\n\nKetamine infusions relieve pain within hours."
    )
    made = cli("new", "article", "my-leaflet", "-o", str(tmp_path / "new.yaml"))
    assert made.code == 0, made.err
    template = (tmp_path / "new.yaml").read_text()
    new = yaml.safe_load(template)
    new["claims"] = yaml.safe_load(_uncommented_claims(template))["claims"]
    draft = yaml.safe_load(cli("check", str(article), "-f", "yaml").out)
    assert list(draft) == list(new) == ["articles", "claims"]
    expected_article = [
        "id", "title", "publisher", "type", "url", "conflicts_of_interest", "summary", "author",
        "date_published",
    ]  # fmt: skip
    expected_claim = [
        "id", "article", "section", "quote", "paraphrase", "treatments", "attribute", "topic",
        "verdict", "assessment", "sources",
    ]  # fmt: skip
    assert [key for key, _ in _keys(draft["articles"][0])] == expected_article  # type: ignore[union-attr]
    assert [key for key, _ in _keys(draft["claims"][0])] == expected_claim  # type: ignore[union-attr]
    assert _keys(draft) == _keys(new)
    for claim in draft["claims"]:
        claim["verdict"] = "unsupported"
        claim["assessment"] = "Checked by a person against the sources."
    for name, data in (("draft", draft), ("new", new)):
        path = tmp_path / f"{name}-filled.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False))
        outcome = cli("--add", str(path), "validate")
        assert outcome.code == 0, (name, outcome.out)


@pytest.mark.parametrize("suffix", [".yaml", ".yml"])
def test_an_output_file_named_yaml_gets_the_draft(cli, tmp_path: Path, suffix: str) -> None:  # type: ignore[no-untyped-def]
    import yaml

    path = tmp_path / f"draft{suffix}"
    result = cli("check", str(SEED), "-o", str(path))
    assert result.code == 0, result.err
    assert set(yaml.safe_load(path.read_text())) == {"articles", "claims"}


@pytest.mark.parametrize("command", [("compare", "ketamine", "opioids"), ("list",), ("claims",)])
def test_other_commands_refuse_an_output_file_named_yaml(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    path = tmp_path / "out.yaml"
    error = one_error(run_process(*command, "-o", str(path)))
    assert f"'painopts {command[0]}' does not write yaml" in error
    assert not path.exists()


@pytest.mark.parametrize(
    "command",
    [
        ("report",),
        ("check", str(SEED)),
        ("check", str(REPO / "tests/check_devset/h4-cbd-seller.txt")),
    ],
)
def test_the_check_page_is_valid_html_as_reports_is(cli, command: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    import html5lib

    page = cli(*command, "-f", "html").out
    # strict: any parse error (a stray tag, a bad attribute, a missing doctype) raises
    root = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(page)
    assert root.get("lang") == "en"
    assert root.find("head/title") is not None
    assert [table.find("caption") is not None for table in root.iter("table")] == [
        True for _ in root.iter("table")
    ]
