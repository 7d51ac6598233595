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
    "compare --long": (
        ("compare", "ketamine", "opioids", "--long"),
        2 * len(KB.attributes) + len(KB.effects_of("ketamine")) + len(KB.effects_of("opioids")),
        {
            "treatment_id": "text",
            "sources": "text",
            "measure": "text",
            "estimate": "number",
            "ci_low": "number",
            "ci_high": "number",
            "scale": "text",
            "condition": "text",
            "time_point": "text",
        },
    ),
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


def test_compare_long_gives_each_effect_figure_as_numbers_pandas_can_compute_with(cli) -> None:
    out = cli("compare", "ketamine", "opioids", "--long", "-f", "csv").out
    frame = pd.read_csv(io.StringIO(out))
    effects = frame[frame["attribute_id"].str.startswith("effect:")]
    # README's bottom line: "MD -15.79 (-32.09 to 0.51) ... immediate term"
    row = effects[effects["attribute_id"] == "effect:ketamine-cochrane-pain-md"].iloc[0]
    assert (row["measure"], row["estimate"], row["ci_low"], row["ci_high"]) == (
        "MD",
        -15.79,
        -32.09,
        0.51,
    )
    assert (row["condition"], row["time_point"]) == ("chronic-non-cancer-pain", "immediate term")
    assert (effects["ci_low"].dropna() <= effects["estimate"][effects["ci_low"].notna()]).all()
    assert set(effects["measure"]) <= {m.value for m in type(KB.effects[0].metric)}
    values = frame[~frame["attribute_id"].str.startswith("effect:")]
    assert values[["measure", "estimate", "ci_low", "ci_high"]].isna().all().all()


ID_LISTS = {
    "treatments": {t.id for t in KB.treatments},
    "sources": {s.id for s in KB.sources},
    "claims": {c.id for c in KB.claims},
}
"""Columns that hold a list of ids, and the ids each may name (issue 25: sources as ids)."""
WITH_IDS = [name for name in COMMANDS if name != "info"]
"""info's `treatments`, `claims` and `sources` are counts (numbers), its only record no ids."""
ID_COLUMNS = {"claim", "article", "treatment", "treatment_id", "attribute", "attribute_id",
              "instrument", "criterion", "source", "doi", "pmid", "condition"}  # fmt: skip


@pytest.mark.parametrize("name", WITH_IDS)
def test_a_list_of_ids_is_ids_separated_by_single_spaces(cli, name: str) -> None:
    command, _, _ = COMMANDS[name]
    frame = pd.read_csv(io.StringIO(cli(*command, "-f", "csv").out))
    for column in set(frame.columns) & set(ID_LISTS):
        for cell in frame[column].dropna():
            assert cell == cell.strip() and "  " not in cell and "," not in cell
            assert set(cell.split(" ")) <= ID_LISTS[column], (column, cell)


@pytest.mark.parametrize("name", WITH_IDS)
def test_pandas_reads_every_id_column_as_text_without_being_told(cli, name: str) -> None:
    command, _, _ = COMMANDS[name]
    frame = pd.read_csv(io.StringIO(cli(*command, "-f", "csv").out))
    for column in set(frame.columns) & (ID_COLUMNS | set(ID_LISTS)):
        if frame[column].notna().any():
            assert _kind(frame[column]) == "text", column


def test_a_pmid_column_with_blanks_stays_identifiers(cli) -> None:
    frame = pd.read_csv(io.StringIO(cli("sources", "-f", "csv").out))
    with_pmid = {s.id: s.pmid for s in KB.sources if s.pmid}
    assert 0 < len(with_pmid) < len(KB.sources)  # blanks and values in one column
    assert _kind(frame["pmid"]) == "text"
    read = dict(zip(frame["source"], frame["pmid"], strict=True))
    for source_id, number in with_pmid.items():
        assert read[source_id] == f"PMID:{number}"
    assert not [v for v in frame["pmid"].dropna() if v.endswith(".0")]
    assert frame["pmid"].isna().sum() == len(KB.sources) - len(with_pmid)
