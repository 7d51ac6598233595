"""Knowledge files read on top of the bundled one (--add): a second article without copying."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from tests.conftest import FIXTURES, REPO

from painopts import load

SECOND = FIXTURES / "layers" / "second-article.yaml"
BUNDLED_ARTICLE = "ketamine-vs-opioids-blog"
ADDED_ARTICLE = "test-opioid-leaflet"


def test_claims_of_an_added_article(cli) -> None:
    result = cli("--add", str(SECOND), "claims", "--article", ADDED_ARTICLE, "-f", "json")
    assert result.code == 0, result.err
    ids = list(json.loads(result.out)["data"]["claims"])
    assert ids == ["leaflet-opioid-drawbacks"]


def test_the_environment_names_layers(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAINOPTS_ADD", str(SECOND))
    result = cli("claims", "--article", ADDED_ARTICLE, "-f", "json")
    assert result.code == 0, result.err
    assert "leaflet-opioid-drawbacks" in result.out


def test_the_option_wins_over_the_environment(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAINOPTS_ADD", "/no/such/layer.yaml")
    result = cli("--add", str(SECOND), "claims", "--article", ADDED_ARTICLE, "-f", "json")
    assert result.code == 0, result.err


@pytest.mark.parametrize("fmt", ["plain", "json", "csv", "markdown"])
def test_the_bundled_article_is_unchanged_byte_for_byte(cli, fmt: str) -> None:
    alone = cli("claims", "--article", BUNDLED_ARTICLE, "-f", fmt)
    layered = cli("--add", str(SECOND), "claims", "--article", BUNDLED_ARTICLE, "-f", fmt)
    assert alone.code == layered.code == 0, layered.err
    if fmt == "json":  # the envelope names the files read; the document itself is unchanged
        first, second = json.loads(alone.out), json.loads(layered.out)
        assert first.pop("knowledge_file") != second.pop("knowledge_file")
        assert first == second
    else:
        assert alone.out == layered.out


def test_the_bundled_audit_is_unchanged_byte_for_byte(cli) -> None:
    alone = cli("audit", "--article", BUNDLED_ARTICLE, "-f", "plain")
    layered = cli("--add", str(SECOND), "audit", "--article", BUNDLED_ARTICLE, "-f", "plain")
    assert alone.code == layered.code == 0, layered.err
    assert alone.out == layered.out


def test_the_layered_base_is_cached(monkeypatch: pytest.MonkeyPatch) -> None:
    first = load.for_display(None, added=[SECOND]).kb
    monkeypatch.setattr("painopts.load.layers.merged", _refuse_to_merge)
    assert load.for_display(None, added=[SECOND]).kb == first


def _refuse_to_merge(layers: object) -> None:
    raise AssertionError("merged again")


def _layer(tmp_path: Path, text: str | bytes, name: str = "layer.yaml") -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


def _error_line(cli, *layers: Path) -> str:
    arguments = [item for layer in layers for item in ("--add", str(layer))]
    result = cli(*arguments, "claims")
    assert result.code == 1
    assert result.out == ""
    assert "Traceback" not in result.err
    lines = result.err.splitlines()
    assert len(lines) == 1
    return lines[0]


def test_redefining_a_bundled_id_names_both_places(cli, tmp_path: Path) -> None:
    text = SECOND.read_text().replace(f"id: {ADDED_ARTICLE}", f"id: {BUNDLED_ARTICLE}")
    layer = _layer(tmp_path, text)
    bundled_line = _line_of(REPO / "data" / "treatments.yaml", f"  - id: {BUNDLED_ARTICLE}")
    line = _error_line(cli, layer)
    assert line.startswith(f"painopts: error: {layer}:5:")
    from painopts.load import bundled_path  # data/ here, the installed copy under nox

    assert f"already defined in {bundled_path()}:{bundled_line}" in line
    assert "[PO301]" in line


def _line_of(path: Path, text: str) -> int:
    return path.read_text().splitlines().index(text) + 1


def test_a_layer_may_replace_what_it_says_it_replaces(cli, tmp_path: Path) -> None:
    replaced = (REPO / "data" / "treatments.yaml").read_text()
    assert "id: opioids-have-drawbacks" in replaced
    text = "replaces: [opioids-have-drawbacks]\n" + SECOND.read_text().replace(
        "leaflet-opioid-drawbacks", "opioids-have-drawbacks"
    )
    layer = _layer(tmp_path, text)
    result = cli("--add", str(layer), "claims", "--article", ADDED_ARTICLE, "-f", "json")
    assert result.code == 0, result.err
    assert list(json.loads(result.out)["data"]["claims"]) == ["opioids-have-drawbacks"]
    bundled = cli("--add", str(layer), "claims", "--article", BUNDLED_ARTICLE, "-f", "json")
    assert "opioids-have-drawbacks" not in list(json.loads(bundled.out)["data"]["claims"])


def test_two_layers_that_define_one_id_disagree(cli, tmp_path: Path) -> None:
    other = _layer(tmp_path, SECOND.read_text(), "other.yaml")
    line = _error_line(cli, SECOND, other)
    assert line.startswith(f"painopts: error: {other}:5:")
    assert f"already defined in {SECOND}:5" in line


def test_a_reference_to_an_unknown_id_in_a_layer_is_an_error(cli, tmp_path: Path) -> None:
    text = SECOND.read_text().replace(f"article: {ADDED_ARTICLE}", "article: no-such-article")
    layer = _layer(tmp_path, text)
    line = _error_line(cli, layer)
    assert line.startswith(f"painopts: error: {layer}:16:")
    assert "no-such-article" in line
    assert "[PO305]" in line


def test_a_schema_problem_is_located_in_its_layer(cli, tmp_path: Path) -> None:
    layer = _layer(tmp_path, SECOND.read_text().replace("verdict: supported", "verdict: great"))
    line = _error_line(cli, layer)
    assert line.startswith(f"painopts: error: {layer}:23:14: claims[0].verdict")


def test_a_layer_that_is_not_utf8(cli, tmp_path: Path) -> None:
    layer = _layer(tmp_path, b"articles:\n  - id: caf\xe9\n")
    line = _error_line(cli, layer)
    assert line.startswith(f"painopts: error: {layer}:2:")
    assert "not UTF-8" in line


def test_a_layer_larger_than_the_bound(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bound = (REPO / "data" / "treatments.yaml").stat().st_size + 100
    monkeypatch.setattr(load, "MAX_BYTES", bound)
    layer = _layer(tmp_path, "articles: []\n" + "#" * bound + "\n")
    line = _error_line(cli, layer)
    assert line.startswith(f"painopts: error: {layer}:")
    assert "larger than" in line


def test_a_layer_may_not_change_meta(cli, tmp_path: Path) -> None:
    layer = _layer(tmp_path, "meta:\n  title: Other\n")
    line = _error_line(cli, layer)
    assert line.startswith(f"painopts: error: {layer}:1:1:")
    assert "[PO201]" in line


def test_a_layer_that_is_not_a_mapping(cli, tmp_path: Path) -> None:
    line = _error_line(cli, _layer(tmp_path, "- one\n- two\n"))
    assert "a layer is a mapping of sections" in line


def test_a_missing_layer(cli, tmp_path: Path) -> None:
    line = _error_line(cli, tmp_path / "absent.yaml")
    assert f"{tmp_path / 'absent.yaml'}: no such file" in line


def test_the_bundled_report_is_unchanged_byte_for_byte(cli) -> None:
    alone = cli("report", "-f", "markdown")
    layered = cli("--add", str(SECOND), "report", "--article", BUNDLED_ARTICLE, "-f", "markdown")
    assert alone.code == layered.code == 0, layered.err
    assert alone.out == layered.out


def test_the_bundled_comparison_is_unchanged_byte_for_byte(cli) -> None:
    plain = ("compare", "ketamine", "opioids", "-f", "plain")
    alone = cli(*plain)
    layered = cli("--add", str(SECOND), *plain[:3], "--article", BUNDLED_ARTICLE, *plain[3:])
    assert alone.code == layered.code == 0, layered.err
    assert alone.out == layered.out


def test_a_report_of_the_added_article(cli) -> None:
    result = cli("--add", str(SECOND), "report", "--article", ADDED_ARTICLE, "-f", "markdown")
    assert result.code == 0, result.err
    assert "An example leaflet about opioids" in result.out
    assert "leaflet-opioid-drawbacks" in result.out
    assert "ketamine-vs-opioids-blog" not in result.out
    assert "ketamine-not-addictive" not in result.out


def test_an_added_article_is_rated_on_the_bundled_instrument(cli) -> None:
    result = cli("--add", str(SECOND), "audit", "--article", ADDED_ARTICLE, "-f", "markdown")
    assert result.code == 0, result.err
    # the fixture rates 4 criteria satisfactory, 4 not, and 2 not applicable
    assert "4 of 8 applicable criteria satisfactory" in result.out
    assert "ketamine" not in result.out


def test_an_audit_of_an_added_article_without_ratings(cli, tmp_path: Path) -> None:
    layer = _layer(tmp_path, SECOND.read_text().split("ratings:")[0])
    result = cli("--add", str(layer), "audit", "--article", ADDED_ARTICLE, "-f", "markdown")
    assert result.code == 0, result.err
    assert "No instrument ratings are recorded for this article." in result.out


def test_an_unknown_article_is_a_usage_error(cli) -> None:
    result = cli("--add", str(SECOND), "report", "--article", "no-such-article")
    assert result.code == 2
    assert "no-such-article" in result.err


def test_compare_tallies_each_article_on_its_own(cli) -> None:
    alone = cli("compare", "ketamine", "opioids", "-f", "markdown")
    both = cli("--add", str(SECOND), "compare", "ketamine", "opioids", "-f", "markdown")
    assert alone.code == both.code == 0, both.err
    (sentence,) = [line for line in alone.out.splitlines() if "The article makes" in line]
    named = sentence.replace("The article makes", f"The article {BUNDLED_ARTICLE} makes")
    named = named.replace("Article quality:", f"Article quality ({BUNDLED_ARTICLE}):")
    assert named in both.out.splitlines()
    assert "The article makes" not in both.out
    assert f"The article {ADDED_ARTICLE} makes 1 claim about them" in both.out


def test_validate_accepts_the_example_layer_as_strict(cli) -> None:
    result = cli("--add", str(SECOND), "validate", "--strict")
    assert result.code == 0, result.out
    assert result.out == f"{SECOND}: valid (strict): 0 errors, 0 warnings\n"


def test_validate_reports_a_layers_warnings_in_that_layer(cli, tmp_path: Path) -> None:
    text = SECOND.read_text().replace(
        """        reason: "Its one sentence is plain."
        claims: [leaflet-opioid-drawbacks]""",
        '''        reason: "Its one sentence is plain."''',
    )
    layer = _layer(tmp_path, text)
    result = cli("--add", str(layer), "validate", "--strict")
    assert result.code == 1
    lines = result.out.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{layer}:")
    assert "warning: ratings[0].criteria[9]" in lines[0]
    assert "[PO315]" in lines[0]


def test_validate_reports_a_layers_error_in_that_layer(cli, tmp_path: Path) -> None:
    layer = _layer(tmp_path, SECOND.read_text().replace("verdict: supported", "verdict: great"))
    result = cli("--add", str(layer), "validate")
    assert result.code == 1
    assert result.out.startswith(f"{layer}:23:14: error: claims[0].verdict:")


def test_a_new_article_file_is_a_valid_layer(cli, tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    made = cli("new", "article", "my-leaflet", "-o", str(path))
    assert made.code == 0, made.err
    assert "  - id: my-leaflet\n" in path.read_text()
    assert path.read_text().startswith("#")
    result = cli("--add", str(path), "validate", "--strict")
    assert result.code == 0, result.out
    listed = cli("--add", str(path), "claims", "--article", "my-leaflet", "-f", "csv")
    assert listed.code == 0, listed.err


def test_a_new_article_needs_an_id(cli) -> None:
    result = cli("new", "article", "Not An Id")
    assert result.code == 2
    assert result.out == ""
    assert result.err.startswith("painopts: error: ")


def test_an_added_file_is_never_written_over(cli, tmp_path: Path) -> None:
    layer = _layer(tmp_path, SECOND.read_text())
    before = layer.read_bytes()
    result = cli("--add", str(layer), "report", "--article", ADDED_ARTICLE, "-o", str(layer))
    assert result.code != 0
    assert result.err.startswith("painopts: error: ")
    assert len(result.err.splitlines()) == 1
    assert layer.read_bytes() == before


def _info_of_layers(fmt: str) -> tuple[str, list[tuple[str, str]]]:
    """info as the CLI renders it for ``--add SECOND``, and each file's (path, sha256)."""
    import hashlib

    from tests.render_support import options

    from painopts.render import Format, renderer
    from painopts.views import catalog

    loaded = load.for_display(None, added=[SECOND])
    document = catalog.info(loaded.kb, loaded.name, loaded.sha256, loaded.layers)
    text = renderer(Format(fmt))(document, options(loaded.kb))
    assert isinstance(text, str)
    files = [load.bundled_path(), SECOND]
    return text, [(str(f), hashlib.sha256(f.read_bytes()).hexdigest()) for f in files]


def test_the_layers_are_loaded_with_each_files_checksum() -> None:
    loaded = load.for_display(None, added=[SECOND])
    _, expected = _info_of_layers("json")
    assert [(Path(name).resolve(), digest) for name, digest in loaded.layers] == [
        (Path(name).resolve(), digest) for name, digest in expected
    ]
    assert load.for_display(None).layers == ()  # one file: nothing to list


def test_info_lists_each_layer_in_json() -> None:
    text, expected = _info_of_layers("json")
    layers = json.loads(text)["data"]["layers"]
    bundled_version = load.for_display(None).kb.meta.version
    assert [(Path(x["file"]).resolve(), x["sha256"]) for x in layers] == [
        (Path(name).resolve(), digest) for name, digest in expected
    ]
    assert [x["version"] for x in layers] == [bundled_version, None]


@pytest.mark.parametrize("fmt", ["csv", "plain"])
def test_info_records_are_one_row_per_layer(fmt: str) -> None:
    import csv
    import io

    text, expected = _info_of_layers(fmt)
    rows = list(csv.DictReader(io.StringIO(text), delimiter="," if fmt == "csv" else "\t"))
    assert [r["sha256"] for r in rows] == [digest for _, digest in expected]
    assert [Path(r["file"]).name for r in rows] == ["treatments.yaml", SECOND.name]
    assert rows[1]["version"] == "" and rows[0]["version"]
    assert rows[0]["claims"] == rows[1]["claims"]  # the whole base's counts, on each row


@pytest.mark.parametrize("fmt", ["table", "markdown", "html"])
def test_info_shows_each_layer_for_a_reader(fmt: str) -> None:
    text, expected = _info_of_layers(fmt)
    assert "Layers, the base first" in text
    for name, digest in expected:
        assert digest in text
        assert Path(name).name in text


def test_info_of_the_bundled_file_alone_has_one_layer(cli) -> None:
    data = json.loads(cli("info", "-f", "json").out)
    assert [layer["sha256"] for layer in data["data"]["layers"]] == [data["data"]["sha256"]]
    assert "Layers" not in cli("info", "-f", "markdown").out
    assert len(cli("info", "-f", "csv").out.splitlines()) == 2


ARTICLE_WORDS = re.compile(r"\b[Tt]he article\b(?! says)(?: (\S+))?")
"""'the article' in a sentence, and the word after it (a column's 'The article says' aside)."""


def _unnamed(text: str) -> list[str]:
    """Each 'the article' not followed by an article id."""
    known = {BUNDLED_ARTICLE, ADDED_ARTICLE}
    return [m[0] for m in ARTICLE_WORDS.finditer(text) if (m[1] or "").strip(",.:;") not in known]


def test_with_two_articles_claims_names_each_claims_article(cli) -> None:
    out = cli("--add", str(SECOND), "--width", "100", "claims").out
    first = out.index(f"Claims checked, article {BUNDLED_ARTICLE}")
    second = out.index(f"Claims checked, article {ADDED_ARTICLE}")
    assert first < out.index("ketamine-not-addictive") < second
    assert second < out.index("leaflet-opioid-drawbacks")
    assert _unnamed(out) == []
    rows = cli("--add", str(SECOND), "claims", "-f", "plain").out.splitlines()
    article = dict(line.split("\t")[:3:2] for line in rows[1:])
    assert article["leaflet-opioid-drawbacks"] == ADDED_ARTICLE
    assert article["ketamine-not-addictive"] == BUNDLED_ARTICLE


def test_with_two_articles_every_report_sentence_names_its_article(cli) -> None:
    out = cli("--add", str(SECOND), "report", "-f", "markdown").out
    # painopts' own sentences: headings and notes (table cells hold the file's assessments,
    # each in a table under its article's heading)
    said = "\n".join(line for line in out.splitlines() if not line.startswith("|"))
    assert _unnamed(said) == []
    assert "## The articles" in said
    for article in (BUNDLED_ARTICLE, ADDED_ARTICLE):
        assert f"## Claims checked, article {article}" in said
        assert f"The article {article} makes" in said
    leaflet = out.index(f"## Claims checked, article {ADDED_ARTICLE}")
    assert out.index("| leaflet-opioid-drawbacks") > leaflet
    rows = [line for line in out.splitlines() if line.startswith("| leaflet-opioid-drawbacks |")]
    assert len(rows) == 1  # listed once, under its article


@pytest.mark.parametrize(
    "args",
    [("compare", "ketamine", "opioids", "--full"), ("show", "opioids")],
    ids=" ".join,
)
def test_with_two_articles_claim_tables_are_per_article(cli, args: tuple[str, ...]) -> None:
    out = cli("--add", str(SECOND), *args, "-f", "markdown").out
    heading = f"## What the article {ADDED_ARTICLE} claims"
    assert heading in out
    assert f"## What the article {BUNDLED_ARTICLE} claims" in out
    assert out.index("| leaflet-opioid-drawbacks") > out.index(heading)
    assert _unnamed(out) == []


def test_with_one_article_the_sentences_are_as_before(cli) -> None:
    out = cli("compare", "ketamine", "opioids", "--full", "-f", "markdown").out
    assert "## What the article claims about these treatments" in out
    assert "The article makes 27 claims about them" in out
