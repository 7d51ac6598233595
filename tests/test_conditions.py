"""Answers that hold for the person's condition: guideline place, figures and harms.

Expectations are computed from the raw YAML (or the generated data) with small independent
loops, never with the model's own lookups.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.render_support import two

from painopts.load import load, validate_data
from painopts.model import (
    KnowledgeBase,
    UnknownNameError,
    as_data,
    resolve_condition,
)
from painopts.views import bottom_line, catalog, compare
from painopts.views.document import Document

DATA = Path(__file__).parent.parent / "data" / "treatments.yaml"
RAW = yaml.safe_load(DATA.read_text())
KB = load(DATA).kb
OPENING = (bottom_line.HEADING, bottom_line.CLAIMS_HEADING, bottom_line.FIGURES_HEADING)


def said(document: Document) -> str:
    return " ".join(
        note for s in document.sections if s.heading.startswith(OPENING) for note in s.notes
    )


def covering(condition_id: str) -> set[str]:
    """Source ids of the guidelines whose `covers` lists the condition (from the raw YAML)."""
    return {g["source"] for g in RAW["guidelines"] if condition_id in g["covers"]}


PAIRS = list(itertools.combinations([t["id"] for t in RAW["treatments"]], 2))
CONDITIONS = [c["id"] for c in RAW["conditions"]]


# --- generated knowledge files ----------------------------------------------------------------


@st.composite
def generated(draw: st.DrawFn) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The two-treatment fixture with random conditions, guideline cover and positions.

    Every position's words carry a unique token, so the output shows which record it came from.
    """
    count = draw(st.integers(2, 4))
    ids = [f"cond{number}" for number in range(count)]
    parents = [None] + [draw(st.sampled_from([None, *ids[:index]])) for index in range(1, count)]
    conditions = [
        {"id": each, "name": f"Condition {each[-1]}", "covers": "Some pain."}
        | ({"part_of": parent} if parent else {})
        for each, parent in zip(ids, parents, strict=True)
    ]
    guidelines = [
        {
            "source": source,
            "name": f"Guide {source}",
            "covers": draw(st.lists(st.sampled_from(ids), min_size=1, max_size=count, unique=True)),
        }
        for source in ("src1", "src2")
    ]
    records = draw(
        st.lists(
            st.tuples(
                st.sampled_from(["alpha", "beta"]),
                st.sampled_from(ids),
                st.sampled_from(["src1", "src2"]),
            ),
            max_size=8,
        )
    )
    positions = [
        {
            "treatment": treatment,
            "condition": condition,
            "guideline": guideline,
            "position": f"first-line tok{number}x",
        }
        for number, (treatment, condition, guideline) in enumerate(records)
    ]
    data = as_data(two())
    data.update(conditions=conditions, guidelines=guidelines, positions=positions)
    return data, positions


def ancestors(data: dict[str, Any], condition_id: str) -> list[str]:
    """The condition and the broader ones above it, by walking `part_of` in the data."""
    parent = {c["id"]: c.get("part_of") for c in data["conditions"]}
    chain = [condition_id]
    while parent.get(chain[-1]) and parent[chain[-1]] not in chain:
        chain.append(parent[chain[-1]])
    return chain


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(generated())
def test_a_guideline_never_speaks_for_a_condition_it_does_not_cover(
    case: tuple[dict[str, Any], list[dict[str, Any]]],
) -> None:
    data, positions = case
    kb = validate_data(data)
    cover = {g["source"]: set(g["covers"]) for g in data["guidelines"]}
    for condition in data["conditions"]:
        text = said(
            compare.compare(kb, list(kb.treatments), condition=kb.condition(condition["id"]))
        )
        chain = ancestors(data, condition["id"])
        for number, position in enumerate(positions):
            token = f"tok{number}x"
            speaks = condition["id"] in cover[position["guideline"]]
            if not speaks or position["condition"] not in chain:
                assert token not in text, (condition["id"], position)
            elif position["condition"] == condition["id"]:
                assert token in text, (condition["id"], position)
    # without a condition: each position under its own condition, only if its guideline covers it
    text = said(compare.compare(kb, list(kb.treatments)))
    for number, position in enumerate(positions):
        covered = position["condition"] in cover[position["guideline"]]
        assert (f"tok{number}x" in text) == covered, position
    assert "put first" not in text


def test_without_a_condition_no_condition_s_first_line_is_offered_to_everyone() -> None:
    for first, second in PAIRS:
        text = said(compare.compare(KB, [KB.treatment(first), KB.treatment(second)]))
        assert "put first" not in text
        assert "place first" not in text
        assert "Guideline place depends on the condition" in text


# --- the bundled file ---------------------------------------------------------------------------


@pytest.mark.parametrize("condition_id", CONDITIONS)
def test_every_pair_names_only_positions_of_guidelines_covering_the_condition(
    condition_id: str,
) -> None:
    allowed = covering(condition_id)
    names = {g["source"]: g["name"] for g in RAW["guidelines"]}
    others = [names[source] for source in names if source not in allowed]
    condition = KB.condition(condition_id)
    for first, second in PAIRS:
        document = compare.compare(
            KB, [KB.treatment(first), KB.treatment(second)], condition=condition
        )
        place = document.data["bottom_line"]["guideline_place"][condition_id]
        cited = {p["guideline"] for each in place["places"].values() for p in each}
        assert cited <= allowed, (first, second, cited - allowed)
        assert set(place["first"]) <= allowed
        sentences = [s for s in said(document).split("\n") if "Guideline place" in s]
        text = said(document).split("Guideline place", 1)[1]
        assert not [name for name in others if f"{name} [" in text or f"{name}:" in text], (
            first,
            second,
            sentences,
        )


def test_nsaids_and_opioids_report_the_direct_trials() -> None:
    text = bottom_line.head_to_head(KB, [KB.treatment("nsaids"), KB.treatment("opioids")])
    assert text.startswith("Head-to-head: ")
    assert "SPACE" in text and "Busse 2018" in text
    assert "no trial" not in text
    space = next(s for s in RAW["sources"] if s.get("pmid") in ("29509867", 29509867))
    assert space["id"] in text


def effect_records() -> dict[str, dict[str, Any]]:
    return {e["id"]: e for e in RAW["effects"]}


@pytest.mark.parametrize("condition_id", [None, *CONDITIONS])
def test_every_figure_in_the_bottom_line_shows_its_scale_and_time_point(
    condition_id: str | None,
) -> None:
    records = effect_records()
    condition = KB.condition(condition_id) if condition_id else None
    for first, second in PAIRS:
        document = compare.compare(
            KB, [KB.treatment(first), KB.treatment(second)], condition=condition
        )
        text = said(document)
        data = document.data["bottom_line"]
        for key in ("headline_effects", "headline_harms"):
            for effect_id in itertools.chain.from_iterable(data[key].values()):
                effect = records[effect_id]
                if effect["basis"] == "no figure":
                    continue
                if effect["metric"] in ("MD", "SMD"):
                    assert f", {effect['scale']}, for" in text, effect_id
                assert effect["time_point"] in text or "NNT's trials" in text, effect_id


def test_a_review_s_total_count_is_never_printed_beside_an_estimate() -> None:
    for first, second in PAIRS:
        text = said(compare.compare(KB, [KB.treatment(first), KB.treatment(second)]))
        assert "in the review" not in text.replace("as reported in the review", "")


def serious(treatment_id: str) -> str:
    treatment = next(t for t in RAW["treatments"] if t["id"] == treatment_id)
    return " ".join(treatment["attributes"]["serious_risks"]["value"].split())


COMPACT = [
    a["id"]
    for a in RAW["attributes"]
    if (a["kind"] == "level" or a["group"] == "harm")
    and a["id"] != "serious_risks"
    and a.get("measures") != "guideline-position"
]


@pytest.mark.parametrize("size", [2, 3])
def test_every_option_shows_its_harms_and_every_compact_row_that_has_a_value(size: int) -> None:
    ids = [t["id"] for t in RAW["treatments"]]
    values = {
        t["id"]: {key: " ".join(v["value"].split()) for key, v in t["attributes"].items()}
        for t in RAW["treatments"]
    }
    labels = {a["id"]: a["label"] for a in RAW["attributes"]}
    for chosen in itertools.combinations(ids, size):
        document = compare.compare(KB, [KB.treatment(each) for each in chosen])
        text = said(document)
        for treatment_id in chosen:
            name = next(t["name"] for t in RAW["treatments"] if t["id"] == treatment_id)
            part = text.split(f"{name}. Benefit: ", 1)[1]
            harms = part.split(". Harms: ", 1)[1]
            assert harms.split(" [")[0].startswith(("NNH", "RR", "OR", "RD", "serious risks")) or (
                "%" in harms.split(";")[0]
            ), (chosen, treatment_id)
            assert f"serious risks: {serious(treatment_id)}" in harms, (chosen, treatment_id)
        rows = {row[0].text: row[1:] for row in document.sections[-1].tables[0].rows}
        assert list(rows) == [labels[key] for key in COMPACT]
        for key in COMPACT:
            for cell, treatment_id in zip(rows[labels[key]], chosen, strict=True):
                whole = values[treatment_id][key]
                assert cell.text == whole or (
                    cell.text.endswith("…") and whole.startswith(cell.text[:-1])
                ), (key, treatment_id, cell.text)


def test_the_compact_title_says_what_the_bottom_line_states_whole() -> None:
    document = compare.compare(KB, [KB.treatment("ketamine"), KB.treatment("opioids")])
    title = document.sections[-1].tables[0].title
    assert "serious risks, guideline place: above" in title
    assert "--full: whole values, sources." in document.sections[-1].hints  # terminal only


def test_a_shortened_value_is_marked_and_the_whole_is_in_full() -> None:
    gabapentinoids, cannabinoids = KB.treatment("gabapentinoids"), KB.treatment("cannabinoids")
    document = compare.compare(KB, [gabapentinoids, cannabinoids])
    rows = {row[0].text: row for row in document.sections[-1].tables[0].rows}
    schedule = rows["US controlled-substance status"]
    assert schedule[1].text.endswith("…") and schedule[2].text.endswith("…")
    full = compare.compare(KB, [gabapentinoids, cannabinoids], full=True)
    whole = [cell.text for s in full.sections for t in s.tables for row in t.rows for cell in row]
    assert serious_whole(RAW, "cannabinoids", "controlled_substance") in whole


def serious_whole(raw: dict[str, Any], treatment_id: str, attribute_id: str) -> str:
    treatment = next(t for t in raw["treatments"] if t["id"] == treatment_id)
    return " ".join(treatment["attributes"][attribute_id]["value"].split())


# --- prose built from data ----------------------------------------------------------------------


def test_how_each_is_given_reads_as_sentences_without_route_or_setting_attributes() -> None:
    data = as_data(two())
    data["attributes"] = [a for a in data["attributes"] if a["id"] not in ("route", "setting")]
    for treatment in data["treatments"]:
        treatment["attributes"].pop("route")
        treatment["attributes"].pop("setting")
    kb = validate_data(data)
    text = bottom_line.exposure(kb, list(kb.treatments))
    assert text.startswith("How each is given: Alpha: oral. Beta: implant, skin patch. So ")


# --- names, lookups, the command line ------------------------------------------------------------


def test_conditions_resolve_by_id_name_or_alias_and_a_typo_gets_suggestions() -> None:
    assert resolve_condition(KB, "fibromyalgia").id == "chronic-primary-pain"
    assert resolve_condition(KB, "Low back pain").id == "chronic-low-back-pain"
    assert resolve_condition(KB, "neuropathic").id == "neuropathic-pain"
    with pytest.raises(UnknownNameError) as raised:
        resolve_condition(KB, "fibromialgia")
    assert "did you mean chronic-primary-pain" in str(raised.value)
    assert "known: neuropathic-pain, crps" in str(raised.value)


def test_a_file_without_conditions_says_so_for_any_condition() -> None:
    bare = replace(two(), conditions=(), guidelines=(), positions=())
    with pytest.raises(UnknownNameError, match="defines no conditions"):
        resolve_condition(bare, "nerve-pain")


def test_a_broader_condition_with_a_figure_is_named_when_the_condition_has_none() -> None:
    low_back = KB.condition("chronic-low-back-pain")
    text = bottom_line.benefits(KB, KB.treatment("opioids"), low_back)
    # the heading names the condition; the broader one is named once, before its figures
    assert text.startswith(
        "no figure recorded for this condition; for Chronic non-cancer pain (general): "
    )
    assert text.count("Chronic non-cancer pain (general)") == 1


def test_cli_condition_on_compare_show_list_and_report(cli) -> None:
    out = cli("--width", "100", "compare", "nsaids", "opioids", "--condition", "low back pain")
    assert out.code == 0, out.err
    assert "guideline place, for Chronic low back pain, with or without sciatica" in out.out
    assert "Guideline place: " in out.out
    shown = cli("show", "scs", "--condition", "crps", "-f", "json")
    assert shown.code == 0, shown.err
    assert '"crps"' in shown.out
    listed = cli("list", "--condition", "neuropathic", "-f", "plain")
    header, first = listed.out.splitlines()[:2]
    assert listed.code == 0 and header.startswith("treatment\t")
    assert first.startswith("gabapentinoids\t")
    report = cli("report", "--condition", "fibromyalgia", "-f", "json")
    assert report.code == 0 and '"condition": "chronic-primary-pain"' in report.out
    typo = cli("compare", "nsaids", "opioids", "--condition", "osteoarthritus")
    assert typo.code == 2
    assert typo.err.startswith("painopts: error: unknown condition 'osteoarthritus'")
    assert "did you mean osteoarthritis" in typo.err
    assert "Traceback" not in typo.err


def test_show_lists_every_position_of_the_treatment_with_its_scope() -> None:
    document = catalog.show(KB, KB.treatment("gabapentinoids"))
    section = next(s for s in document.sections if s.heading == "Where guidelines place them")
    rows = [[cell.text for cell in row] for row in section.tables[0].rows]
    expected = [p for p in RAW["positions"] if p["treatment"] == "gabapentinoids"]
    assert [row[3] for row in rows] == [p["position"] for p in expected]


def test_knowledge_base_counts_are_unchanged_by_the_cache(private_cache: Path) -> None:
    from painopts.load import for_display

    first = for_display(DATA).kb
    again = for_display(DATA).kb
    assert isinstance(again, KnowledgeBase)
    assert again.conditions == first.conditions == KB.conditions
    assert again.positions_for("chronic-low-back-pain") == KB.positions_for("chronic-low-back-pain")


@pytest.mark.parametrize(
    ("words", "first"),
    [
        ("first-line", True),
        ("offer (supervised group exercise)", True),
        ("recommended (CBT or ACT)", True),
        ("recommended against (sciatica)", False),
        ("do not offer", False),
        ("not to be given", False),
        ("third-line", False),
        ("consider", False),
    ],
)
def test_which_words_put_an_option_first(words: str, first: bool) -> None:
    from painopts.model import Position

    position = Position(treatment="a", condition="c", guideline="g", position=words)
    assert position.put_first is first
    assert replace(position, first=not first).put_first is (not first)


def test_a_derived_figure_for_the_condition_comes_before_a_broader_condition_s() -> None:
    crps = KB.condition("crps")
    text = bottom_line.benefits(KB, KB.treatment("ketamine"), crps)
    sigtermans = next(e for e in RAW["effects"] if e["id"] == "ketamine-sigtermans-pain")
    assert sigtermans["basis"] == "derived" and sigtermans["condition"] == "crps"
    assert text.startswith(f"MD {sigtermans['estimate']}, derived, {sigtermans['scale']}, for")
    assert "no figure recorded" not in text
