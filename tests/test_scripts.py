"""What scripts read: CSV that pandas takes as it is, plain text with one record a line.

Expected columns, counts and types are written here from the knowledge file and the issue's
list, not taken from the renderers.
"""

from __future__ import annotations

import io

import pandas as pd
import pytest
from tests.conftest import REPO

from painopts.load import load

KB = load(REPO / "data" / "treatments.yaml").kb
SEED = "ketamine-vs-opioids-blog"
CRITERIA = sum(len(instrument.criteria) for instrument in KB.instruments)

COMMANDS: dict[str, tuple[tuple[str, ...], int, dict[str, str]]] = {
    "claims": (
        ("claims",),
        len(KB.claims),
        {"claim": "text", "verdict": "text", "treatments": "text", "sources": "text"},
    ),
    "claims ID": (("claims", "ketamine-not-addictive"), 1, {"claim": "text"}),
    "audit": (
        ("audit",),
        CRITERIA,
        {"criterion": "text", "rating": "text", "value": "number", "best": "number"},
    ),
    "sources": (
        ("sources",),
        len(KB.sources),
        {"source": "text", "year": "number", "doi": "text", "url": "text"},
    ),
    "list": (("list",), len(KB.treatments), {"treatment": "text", "neuropathic_line": "text"}),
    "show": (("show", "ketamine"), len(KB.attributes), {"attribute": "text", "value": "text"}),
    "info": (("info",), 1, {"version": "text", "treatments": "number", "claims": "number"}),
}


def _kind(series: pd.Series) -> str:
    if pd.api.types.is_numeric_dtype(series):
        return "number"
    if pd.api.types.is_string_dtype(series):
        return "text"
    # pandas 2 keeps text with empty cells as objects: text if every value given is a string
    values = series.dropna()
    text = series.dtype == object and all(isinstance(value, str) for value in values)
    return "text" if text else str(series.dtype)


@pytest.mark.parametrize("name", COMMANDS)
def test_pandas_reads_each_csv_with_one_observation_a_row(cli, name: str) -> None:
    command, count, types = COMMANDS[name]
    result = cli(*command, "-f", "csv")
    assert (result.code, result.err) == (0, "")
    frame = pd.read_csv(io.StringIO(result.out))
    assert len(frame) == count
    assert {column: _kind(frame[column]) for column in types} == types
    assert all(column == column.lower() and " " not in column for column in frame.columns)


@pytest.mark.parametrize("name", COMMANDS)
def test_plain_has_one_header_and_one_record_a_line(cli, name: str) -> None:
    command, count, _ = COMMANDS[name]
    lines = cli(*command, "-f", "plain").out.splitlines()
    assert len(lines) == 1 + count
    widths = {len(line.split("\t")) for line in lines}
    assert len(widths) == 1, "every line has the header's fields"
    assert not [line for line in lines if line.startswith("#") or line.endswith(" ")]
    assert not [mark for mark in "✔◐⚠✘⊕◯●○" if mark in "".join(lines)]


def test_plain_fields_are_bare_words_awk_can_match(cli) -> None:
    lines = cli("claims", "-f", "plain").out.splitlines()
    verdicts = [line.split("\t")[1] for line in lines[1:]]
    assert verdicts.count("contradicted") == 3  # README: the article makes 3 contradicted claims
    assert set(verdicts) <= {
        "contradicted",
        "misleading",
        "unsupported",
        "partly-supported",
        "supported",
    }


def test_a_repeated_filter_means_any_of_its_values(cli) -> None:
    one = cli("claims", "--verdict", "contradicted", "-f", "plain").out.splitlines()[1:]
    two = cli(
        "claims", "--verdict", "contradicted", "--verdict", "misleading", "-f", "plain"
    ).out.splitlines()[1:]
    expected = {c.id for c in KB.claims if c.verdict.value in ("contradicted", "misleading")}
    assert {line.split("\t")[0] for line in two} == expected
    assert len(two) > len(one) == 3


def test_the_sources_csv_has_doi_pmid_and_url_columns_and_ids(cli) -> None:
    frame = pd.read_csv(io.StringIO(cli("sources", "-f", "csv").out), dtype={"pmid": str})
    with_doi = [s for s in KB.sources if s.doi]
    first = with_doi[0]
    row = frame[frame["source"] == first.id].iloc[0]
    assert row["doi"] == first.doi and not str(row["doi"]).startswith("https://")
    assert frame["year"].dropna().between(1900, 2100).all()
    assert "n.d." not in set(frame["year"].astype(str))


def test_audit_csv_has_criterion_ids_and_ratings_as_recorded(cli) -> None:
    frame = pd.read_csv(io.StringIO(cli("audit", "-f", "csv").out))
    assert set(frame["article"]) == {SEED}
    assert set(frame["instrument"]) == {instrument.id for instrument in KB.instruments}
    assert (frame["value"].dropna() <= frame["best"][frame["value"].notna()]).all()
    assert "Not satisfactory" not in set(frame["rating"])


def test_validate_json_schema_version_is_the_same_string_as_every_other_json(cli) -> None:
    import json

    validated = json.loads(cli("validate", "-f", "json").out)
    shown = json.loads(cli("info", "-f", "json").out)
    # one type everywhere: a MAJOR.MINOR string (each format versioned on its own)
    assert validated["schema_version"] == "1.0"
    assert shown["schema_version"] == "2.0"


def test_a_report_refuses_plain_with_the_commands_to_use(cli) -> None:
    result = cli("report", "-f", "plain")
    assert result.code == 2 and "painopts claims -f plain" in result.err
