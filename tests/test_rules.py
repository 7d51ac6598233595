"""Each way a rule can fire, beyond the one broken fixture per code in test_validate.py.

A case is the minimal fixture with one change, and the exact problems the rules then report,
written out by hand: code, message and the place in the file (as a dotted path).
"""

from __future__ import annotations

import datetime as dt

import pytest
from tests.conftest import FIXTURES, MINIMAL

from painopts.load import validate_text
from painopts.validate import check, errors

TEXT = MINIMAL.read_text()
TODAY = dt.date(2026, 2, 1)

ALPHA = TEXT[TEXT.index("  - id: alpha\n") : TEXT.index("sources:\n  - id: src1")]
SOURCE = TEXT[TEXT.index("  - id: src1\n") : TEXT.index("articles:")]
CLAIM = TEXT[TEXT.index("  - id: alpha-great\n") :]

INSTRUMENT = """instruments:
  - id: check
    name: A test instrument
    description: Two questions.
    sources: [src1]
    scoring: hnr-stars
    scale:
      - {value: not-met, label: Not met}
      - {value: met, label: Met}
    not_applicable: true
    criteria:
      - {id: c1, label: C1, question: "First?"}
      - {id: c2, label: C2, question: "Second?"}
ratings:
  - article: blog
    instrument: check
    basis: The test text.
    criteria:
      - {criterion: c1, rating: met, reason: Fine., sources: [src1]}
      - {criterion: c2, rating: not-met, reason: Missing., claims: [alpha-great]}
"""


def effects(**fields: str) -> str:
    """An effects section with one effect: a reported NNT of 4 (3 to 6), changed by ``fields``."""
    effect = {
        "id": "alpha-nnt",
        "treatment": "alpha",
        "metric": "NNT",
        "basis": "reported",
        "estimate": "4.0",
        "ci_low": "3.0",
        "ci_high": "6.0",
        "outcome": "at least 50% pain relief",
        "population": "adults with test pain",
        "comparator": "placebo",
        "time_point": "12 weeks",
        "certainty": "moderate",
        "sources": "[src1]",
    } | fields
    lines = [f"    {key}: {value}" for key, value in effect.items() if value != "-"]
    return "effects:\n  - " + "\n".join(lines)[4:] + "\n"


def found(text: str) -> list[tuple[str, str, str]]:
    """(code, message, where) of every rule problem in the text, in rule order."""
    return [(p.code, p.message, p.dotted) for p in check(validate_text(text, "t.yaml"), TODAY)]


def with_section(section: str) -> str:
    """The minimal text with a section added before ``sources``."""
    return TEXT.replace("sources:\n  - id: src1", section + "sources:\n  - id: src1")


def test_the_minimal_fixture_breaks_no_rule() -> None:
    assert found(TEXT) == []
    assert found(with_section(effects())) == []
    assert found(TEXT + INSTRUMENT) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            TEXT.replace(
                ALPHA,
                ALPHA + ALPHA.replace("name: Alpha", "name: Alpha two").replace("[Alphazol]", "[]"),
            ),
            [("PO301", "duplicate id 'alpha'", "treatments[1].id")],
        ),
        (TEXT + CLAIM, [("PO301", "duplicate id 'alpha-great'", "claims[1].id")]),
        (
            TEXT.replace(SOURCE, SOURCE + SOURCE),
            [("PO301", "duplicate id 'src1'", "sources[1].id")],
        ),
        (
            TEXT.replace("    treatments: [alpha]", "    treatments: [alpha, beta]"),
            [("PO303", "unknown treatment 'beta'", "claims[0].treatments[1]")],
        ),
        (
            TEXT.replace(
                "      onset: {value: days, sources: [src1]}",
                "      onset: {value: days, sources: [src2]}",
            ),
            [("PO302", "unknown source 'src2'", "treatments[0].attributes.onset.sources[0]")],
        ),
        (
            TEXT.replace("    attribute: evidence_neuropathic", "    attribute: evidence_nerve"),
            [("PO304", "unknown attribute 'evidence_nerve'", "claims[0].attribute")],
        ),
        (
            TEXT.replace("      onset: {value: days,", "      onsett: {value: days,"),
            [
                (
                    "PO304",
                    "unknown attribute 'onsett'; did you mean 'onset'?",
                    "treatments[0].attributes.onsett",
                ),
                (
                    "PO310",
                    "'alpha' has no value for 'onset' (say 'not assessed')",
                    "treatments[0].attributes",
                ),
            ],
        ),
        (
            TEXT.replace(
                "      setting: {value: outpatient, sources: [src1]}",
                "      setting: {value: outpatient, sources: [src1]}\n"
                "      colour: {value: blue, sources: [src1]}",
            ),
            [("PO304", "unknown attribute 'colour'", "treatments[0].attributes.colour")],
        ),
        (
            TEXT.replace("    article: blog\n", "    article: vlog\n"),
            [("PO305", "unknown article 'vlog'", "claims[0].article")],
        ),
        (
            TEXT.replace(
                "      addiction_risk: {value: low, sources: [src1]}",
                "      addiction_risk: {value: low}",
            ),
            [
                (
                    "PO307",
                    "'alpha' addiction_risk cites no source",
                    "treatments[0].attributes.addiction_risk",
                )
            ],
        ),
        (
            TEXT.replace(
                "      addiction_risk: {value: low, sources: [src1]}",
                "      addiction_risk: {value: not assessed}",
            ),
            [],
        ),
        (
            TEXT.replace(
                "      addiction_risk: {value: low,", "      addiction_risk: {value: moderate,"
            ),
            [
                (
                    "PO309",
                    "'moderate' is not one of: none, low, high, not assessed, none reported",
                    "treatments[0].attributes.addiction_risk.value",
                )
            ],
        ),
        (
            TEXT.replace(
                ALPHA,
                ALPHA
                + ALPHA.replace("id: alpha\n", "id: beta\n").replace("name: Alpha", "name: Beta"),
            ),
            [
                ("PO311", "'Alphazol' names more than one treatment", "treatments[0].aliases[0]"),
                ("PO311", "'Alphazol' names more than one treatment", "treatments[1].aliases[0]"),
            ],
        ),
    ],
    ids=[
        "duplicate-treatment",
        "duplicate-claim",
        "duplicate-source",
        "claim-unknown-treatment",
        "value-unknown-source",
        "claim-unknown-attribute",
        "value-unknown-attribute-with-suggestion",
        "value-unknown-attribute",
        "claim-unknown-article",
        "value-without-source",
        "not-assessed-needs-no-source",
        "value-off-scale",
        "alias-shared",
    ],
)
def test_each_way_a_rule_fires(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"estimate": "-", "ci_low": "-", "ci_high": "-"},
            [("PO321", "effect 'alpha-nnt' is reported but gives no estimate", "effects[0]")],
        ),
        (
            {"basis": "no figure", "estimate": "-", "ci_high": "-"},
            [
                (
                    "PO321",
                    "effect 'alpha-nnt' says no figure exists but gives ci_low",
                    "effects[0].ci_low",
                )
            ],
        ),
        ({"basis": "no figure", "estimate": "-", "ci_low": "-", "ci_high": "-"}, []),
        (
            {"ci_high": "-"},
            [
                (
                    "PO320",
                    "effect 'alpha-nnt' gives only one end of its confidence interval",
                    "effects[0]",
                )
            ],
        ),
        (
            {"ci_low": "4.5"},
            [
                (
                    "PO320",
                    "effect 'alpha-nnt': estimate 4 lies outside its confidence interval 4.5 to 6",
                    "effects[0].estimate",
                )
            ],
        ),
        (
            {"comparator_estimate": "12.0"},
            [
                (
                    "PO321",
                    "effect 'alpha-nnt': comparator_estimate goes only with percentages",
                    "effects[0].comparator_estimate",
                )
            ],
        ),
        ({"treatment": "beta"}, [("PO303", "unknown treatment 'beta'", "effects[0].treatment")]),
        ({"sources": "[]"}, [("PO322", "effect 'alpha-nnt' cites no source", "effects[0]")]),
    ],
    ids=[
        "no-estimate",
        "no-figure-but-a-bound",
        "no-figure-and-none",
        "one-end-of-the-interval",
        "outside-the-interval",
        "comparator-without-percentages",
        "unknown-treatment",
        "no-source",
    ],
)
def test_each_way_an_effect_rule_fires(fields: dict[str, str], expected: list) -> None:
    assert found(with_section(effects(**fields))) == expected


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            '      - {id: c2, label: C2, question: "Second?"}',
            '      - {id: c1, label: C2, question: "Second?"}',
            [
                ("PO301", "duplicate criterion id 'c1'", "instruments[0].criteria[1].id"),
                ("PO317", "'check' has no criterion 'c2'", "ratings[0].criteria[1].criterion"),
            ],
        ),
        (
            "      - {criterion: c2, rating: not-met, reason: Missing., claims: [alpha-great]}",
            "      - {criterion: c1, rating: not-met, reason: Missing., claims: [alpha-great]}",
            [
                ("PO301", "criterion 'c1' is rated twice", "ratings[0].criteria[1].criterion"),
                ("PO314", "'blog' is not rated on 'check' criterion 'c2'", "ratings[0].criteria"),
            ],
        ),
        (
            "claims: [alpha-great]}",
            "claims: [alpha-bad]}",
            [("PO318", "unknown claim 'alpha-bad'", "ratings[0].criteria[1].claims[0]")],
        ),
        (
            "  - article: blog\n    instrument: check",
            "  - article: vlog\n    instrument: check",
            [("PO305", "unknown article 'vlog'", "ratings[0].article")],
        ),
        (
            "rating: met, reason: Fine.",
            "rating: '3', reason: Fine.",
            [
                (
                    "PO319",
                    "'3' is not one of: not-met, met, not-applicable",
                    "ratings[0].criteria[0].rating",
                )
            ],
        ),
    ],
    ids=["duplicate-criterion", "rated-twice", "unknown-claim", "unknown-article", "off-scale"],
)
def test_each_way_a_rating_rule_fires(old: str, new: str, expected: list) -> None:
    text = TEXT + INSTRUMENT
    assert text.count(old) == 1
    assert found(text.replace(old, new)) == expected


def test_only_errors_keep_a_file_from_display() -> None:
    """A broken reference is a warning (the file may be shown); a duplicate id is an error."""
    unknown = TEXT.replace("    sources: [src1]\n", "    sources: [src9]\n")
    assert [p.code for p in check(validate_text(unknown, "t.yaml"), TODAY)] == ["PO302"]
    assert errors(validate_text(unknown, "t.yaml")) == []
    twice = TEXT + CLAIM
    assert [p.code for p in errors(validate_text(twice, "t.yaml"))] == ["PO301"]


DERIVED = {"basis": "derived", "ci_low": "-", "ci_high": "-"}
"""A derived figure with no interval, as the file's NeuPSIG responder shares are."""


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        # 20 of 50 is 40%, 5 of 50 is 10%: as given, to one decimal
        (
            {"metric": "percentages", "estimate": "40.0", "comparator_estimate": "10.0"}
            | {"events": "20", "total": "50", "comparator_events": "5", "comparator_total": "50"},
            [],
        ),
        # 1 of 3 is 33.33...%: 33.3 is the figure rounded to one decimal
        ({"metric": "percentages", "estimate": "33.3", "events": "1", "total": "3"}, []),
        (
            {"metric": "percentages", "estimate": "33.4", "events": "1", "total": "3"},
            [
                (
                    "PO337",
                    "effect 'alpha-nnt': estimate 33.4 is not what its counts give (33.3)",
                    "effects[0].estimate",
                )
            ],
        ),
        (
            {"metric": "percentages", "estimate": "40.0", "comparator_estimate": "12.0"}
            | {"events": "20", "total": "50", "comparator_events": "5", "comparator_total": "50"},
            [
                (
                    "PO337",
                    "effect 'alpha-nnt': comparator_estimate 12 is not what its counts give (10.0)",
                    "effects[0].comparator_estimate",
                )
            ],
        ),
        # 30 of 100 against 5 of 100: a difference of 0.25, so an NNT of 4
        (
            {"estimate": "4.0", "events": "30", "total": "100"}
            | {"comparator_events": "5", "comparator_total": "100"},
            [],
        ),
        (
            {"estimate": "5.0", "events": "30", "total": "100"}
            | {"comparator_events": "5", "comparator_total": "100"},
            [
                (
                    "PO337",
                    "effect 'alpha-nnt': estimate 5 is not what its counts give (4.0)",
                    "effects[0].estimate",
                )
            ],
        ),
        (
            {"metric": "percentages", "estimate": "40.0", "events": "60", "total": "50"},
            [("PO337", "effect 'alpha-nnt': events 60 exceed total 50", "effects[0].events")],
        ),
    ],
    ids=[
        "shares-as-given",
        "rounded-to-one-decimal",
        "off-by-a-tenth",
        "comparator-off",
        "nnt-as-given",
        "nnt-off",
        "more-events-than-people",
    ],
)
def test_a_figure_derived_from_counts_is_what_the_counts_give(
    fields: dict[str, str], expected: list
) -> None:
    assert found(with_section(effects(**(DERIVED | fields)))) == expected


def test_the_bundled_responder_shares_are_what_neupsig_s_counts_give() -> None:
    """The six NeuPSIG 2015 Table 1 counts, typed from the table, and the file's shares."""
    from painopts.load import load

    counts = {  # id: (events, total, comparator events, comparator total), NeuPSIG Table 1
        "tcas-neupsig-responders": (217, 473, 85, 475),
        "snris-neupsig-responders": (676, 1559, 278, 982),
        "pregabalin-neupsig-responders": (1359, 3530, 578, 2410),
        "gabapentin-all-neupsig-responders": (719, 2073, 291, 1430),
        "tramadol-neupsig-responders": (176, 380, 96, 361),
        "strong-opioids-neupsig-responders": (211, 426, 108, 412),
    }
    for effect in load(None).kb.effects:
        if effect.id in counts:
            given = (effect.events, effect.total, effect.comparator_events, effect.comparator_total)
            assert given == counts.pop(effect.id)
    assert counts == {}


def without_values(*attribute_ids: str) -> str:
    """The minimal text with alpha's values for these attributes taken out."""
    text = TEXT
    for attribute_id in attribute_ids:
        line = next(line for line in text.splitlines() if line.startswith(f"      {attribute_id}:"))
        text = text.replace(line + "\n", "")
    return text


@pytest.mark.parametrize(
    ("missing", "named"),
    [
        (["setting"], "'setting'"),
        (["onset", "setting"], "'onset' and 'setting'"),
        (["mechanism", "onset", "setting"], "'mechanism', 'onset' and 'setting'"),
        (["route", "onset", "setting", "mechanism"], "'mechanism', 'route', 'onset' and 1 more"),
        (
            ["mechanism", "route", "onset", "duration_of_benefit", "setting"],
            "'mechanism', 'route', 'onset' and 2 more",
        ),
    ],
    ids=["one", "two", "three", "four", "five"],
)
def test_missing_values_name_three_in_file_order_and_count_the_rest(
    missing: list[str], named: str
) -> None:
    noun = " attributes" if len(missing) > 3 else ""
    assert found(without_values(*missing)) == [
        (
            "PO310",
            f"'alpha' has no value for {named}{noun} (say 'not assessed')",
            "treatments[0].attributes",
        )
    ]


def instrument_with(criteria: int) -> str:
    """`INSTRUMENT` with criteria c1 to c``criteria``, of which the rating rates c1 alone."""
    listed = "".join(
        f'      - {{id: c{n}, label: C{n}, question: "Q{n}?"}}\n' for n in range(1, criteria + 1)
    )
    text = INSTRUMENT.replace(
        '      - {id: c1, label: C1, question: "First?"}\n'
        '      - {id: c2, label: C2, question: "Second?"}\n',
        listed,
    )
    return text.replace(
        "      - {criterion: c2, rating: not-met, reason: Missing., claims: [alpha-great]}\n", ""
    )


@pytest.mark.parametrize(
    ("criteria", "unrated"),
    [
        (3, "criteria 'c2' and 'c3'"),
        (4, "criteria 'c2', 'c3' and 'c4'"),
        (5, "criteria 'c2', 'c3', 'c4' and 1 more"),
        (1_000, "criteria 'c2', 'c3', 'c4' and 996 more"),
    ],
)
def test_unrated_criteria_are_named_then_counted(criteria: int, unrated: str) -> None:
    assert found(TEXT + instrument_with(criteria)) == [
        ("PO314", f"'blog' is not rated on 'check' {unrated}", "ratings[0].criteria")
    ]


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        # every one of 50: 100%, not more events than people
        ({"metric": "percentages", "estimate": "100.0", "events": "50", "total": "50"}, []),
        (
            {"metric": "percentages", "estimate": "90.0", "events": "50", "total": "50"},
            [
                (
                    "PO337",
                    "effect 'alpha-nnt': estimate 90 is not what its counts give (100.0)",
                    "effects[0].estimate",
                )
            ],
        ),
        # an estimate on either end of its interval lies inside it
        ({"estimate": "3.0", "ci_low": "3.0", "ci_high": "6.0"}, []),
        ({"estimate": "6.0", "ci_low": "3.0", "ci_high": "6.0"}, []),
        # no events on one side: a share of 0, so 25 of 100 against 0 of 100 is an NNH of 4
        (
            {"metric": "NNH", "estimate": "4.0", "events": "25", "total": "100"}
            | {"comparator_events": "0", "comparator_total": "100"},
            [],
        ),
        (
            {"estimate": "4.0", "events": "0", "total": "100"}
            | {"comparator_events": "25", "comparator_total": "100"},
            [],
        ),
        # the same share on both sides: no number needed to treat exists
        (
            {"estimate": "10.0", "events": "20", "total": "100"}
            | {"comparator_events": "20", "comparator_total": "100"},
            [
                (
                    "PO337",
                    "effect 'alpha-nnt': estimate 10 is not what its counts give (inf)",
                    "effects[0].estimate",
                )
            ],
        ),
        # events without a total (or a total alone) decide nothing
        ({"metric": "percentages", "estimate": "40.0", "events": "20"}, []),
        ({"metric": "percentages", "estimate": "40.0", "total": "50"}, []),
    ],
    ids=[
        "all-events",
        "all-events-but-a-wrong-share",
        "estimate-at-low-end",
        "estimate-at-high-end",
        "comparator-without-events",
        "treated-without-events",
        "equal-shares",
        "events-alone",
        "total-alone",
    ],
)
def test_counts_and_intervals_at_their_edges(fields: dict[str, str], expected: list) -> None:
    assert found(with_section(effects(**(DERIVED | fields)))) == expected


BETA = (
    ALPHA.replace("id: alpha\n", "id: beta\n")
    .replace("name: Alpha", "name: Beta")
    .replace("[Alphazol]", "[]")
)
"""A second treatment, as complete as alpha."""

SETTING = "      setting: {value: outpatient, sources: [src1]}\n"

COMPARISON = """comparisons:
  - treatments: [alpha, beta]
    direct: false
    summary: Never compared head to head.
    sources: []
"""

NOT_COVERED = """not_covered:
  - name: Gamma
    aliases: [Gammadex, Alphazol]
    note: Not reviewed.
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            TEXT.replace(ALPHA, ALPHA + BETA.replace(SETTING, "")),
            [
                (
                    "PO310",
                    "'beta' has no value for 'setting' (say 'not assessed')",
                    "treatments[1].attributes",
                ),
            ],
        ),
        (
            TEXT.replace(SOURCE, SOURCE + SOURCE.replace("id: src1", "id: src2")),
            [("PO306", "source 'src2' is cited by nothing", "sources[1]")],
        ),
        (
            TEXT.replace(ALPHA, ALPHA + BETA) + COMPARISON,
            [("PO326", "comparison 'alpha and beta' cites no source", "comparisons[0]")],
        ),
        (
            with_section(NOT_COVERED),
            [
                (
                    "PO336",
                    "'Alphazol' is listed as not covered but names a treatment",
                    "not_covered[0].aliases[1]",
                )
            ],
        ),
        (
            with_section(NOT_COVERED.replace("name: Gamma", "name: ALPHA")),
            [
                (
                    "PO336",
                    "'ALPHA' is listed as not covered but names a treatment",
                    "not_covered[0].name",
                ),
                (
                    "PO336",
                    "'Alphazol' is listed as not covered but names a treatment",
                    "not_covered[0].aliases[1]",
                ),
            ],
        ),
        (
            with_section(effects(estimate="1e999", ci_high="-", ci_low="-")),
            [
                (
                    "PO327",
                    "effect 'alpha-nnt': estimate is not a finite number",
                    "effects[0].estimate",
                )
            ],
        ),
        (
            TEXT
            + INSTRUMENT.replace(
                "{criterion: c1, rating: met, reason: Fine., sources: [src1]}",
                "{criterion: c1, rating: met, reason: Fine.}",
            ),
            [("PO315", "rating of 'c1' cites no source and no claim", "ratings[0].criteria[0]")],
        ),
    ],
    ids=[
        "second-treatment-missing-a-value",
        "source-cited-by-nothing",
        "comparison-without-source",
        "not-covered-alias-names-a-treatment",
        "not-covered-name-names-a-treatment",
        "figure-too-large",
        "rating-without-support",
    ],
)
def test_each_rule_says_what_and_where(text: str, expected: list) -> None:
    assert found(text) == expected


def test_a_declared_interval_names_each_unchecked_source() -> None:
    text = TEXT.replace("  update_policy:", "  review_interval_days: 365\n  update_policy:")
    assert found(text) == [
        ("PO325", "source 'src1' does not say when it was last checked", "sources[0]")
    ]


def test_a_comparison_of_an_unknown_treatment_is_located() -> None:
    text = TEXT + COMPARISON.replace("sources: []", "sources: [src1]")
    assert found(text) == [("PO303", "unknown treatment 'beta'", "comparisons[0].treatments[1]")]


def test_the_first_hundred_unknown_attributes_get_a_suggestion_and_no_more() -> None:
    """Each suggestion compares the id with every attribute: 100 of them at most."""
    keys = [f"onset_{number:03}" for number in range(101)]
    values = "".join(f"      {key}: {{value: days, sources: [src1]}}\n" for key in keys)
    text = TEXT.replace(SETTING, SETTING + values)
    expected = [
        (
            "PO304",
            f"unknown attribute '{key}'"
            + ("; did you mean 'onset'?" if key != "onset_100" else ""),
            f"treatments[0].attributes.{key}",
        )
        for key in keys
    ]
    assert found(text) == expected


GUIDELINE = """conditions:
  - id: test-pain
    name: Test pain
    aliases: []
    covers: Pain in tests.
    sources: [src1]
guidelines:
  - source: src9
    name: A test guideline
    covers: [test-pain]
    note: For tests.
"""


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (TEXT.replace("    sources: [src1]\n", "    sources: [src9]\n"), "claims[0].sources[0]"),
        (
            TEXT
            + INSTRUMENT.replace(
                "reason: Fine., sources: [src1]", "reason: Fine., sources: [src9]"
            ),
            "ratings[0].criteria[0].sources[0]",
        ),
        (with_section(GUIDELINE), "guidelines[0].source"),
    ],
    ids=["claim", "rating", "guideline"],
)
def test_an_unknown_source_is_located_wherever_it_is_cited(text: str, where: str) -> None:
    assert ("PO302", "unknown source 'src9'", where) in found(text)


BENEFIT_SIZES = "(one of: no benefit shown, small, moderate, large)"


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        (
            "PO312-contract-attribute-missing",
            [("PO312", "attribute 'setting' is not defined", "attributes")],
        ),
        (
            "PO313-level-without-levels",
            [("PO313", "level attribute 'neuropathic_line' lists no levels", "attributes[6]")],
        ),
        (
            "PO316-unknown-instrument",
            [("PO316", "unknown instrument 'chek'", "ratings[0].instrument")],
        ),
        (
            "PO323-level-outside-vocabulary",
            [
                (
                    "PO323",
                    f"'{level}' is not a benefit-size level {BENEFIT_SIZES}",
                    f"attributes[4].levels[{position}]",
                )
                for position, level in enumerate(["none", "low", "high"])
            ],
        ),
        (
            "PO331-unknown-condition",
            [("PO331", "unknown condition 'nerv'; did you mean 'nerve'?", "effects[0].condition")],
        ),
        (
            "PO335-part-of-loop",
            [
                (
                    "PO335",
                    f"condition '{condition}' is part of a loop of broader conditions",
                    f"conditions[{index}].part_of",
                )
                for index, condition in enumerate(["nerve", "back"])
            ],
        ),
        (
            "PO332-position-guideline-not-listed",
            [
                (
                    "PO332",
                    "'src1' is not a guideline (list it under guidelines)",
                    "positions[0].guideline",
                )
            ],
        ),
        (
            "PO333-md-without-scale",
            [("PO333", "effect 'alpha-md' is an MD with no scale", "effects[0]")],
        ),
        (
            "PO334-effect-without-condition",
            [("PO334", "effect 'alpha-md' names no condition", "effects[0]")],
        ),
    ],
)
def test_a_broken_fixture_s_problems_say_what_and_where(fixture: str, expected: list) -> None:
    assert found((FIXTURES / "broken" / f"{fixture}.yaml").read_text()) == expected


def test_a_guideline_placing_a_treatment_outside_its_cover_names_what_it_covers() -> None:
    text = (FIXTURES / "broken" / "PO330-position-outside-guideline-cover.yaml").read_text()
    text = text.replace(
        "  - {id: back, name: Back pain, covers: Pain in the back.}\n",
        "  - {id: back, name: Back pain, covers: Pain in the back.}\n"
        "  - {id: neck, name: Neck pain, covers: Pain in the neck.}\n",
    ).replace("covers: [nerve]}", "covers: [nerve, neck]}")
    assert found(text) == [
        (
            "PO330",
            "Nerve guide does not cover 'back', so it cannot place 'alpha' for it "
            "(it covers: nerve, neck)",
            "positions[0].guideline",
        )
    ]


PLACED = (FIXTURES / "broken" / "PO330-position-outside-guideline-cover.yaml").read_text()
"""Two conditions, a guideline that covers one of them and a position for the other."""


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "covers: [nerve]}",
            "covers: [nerve, bakc]}",
            ("PO331", "unknown condition 'bakc'; did you mean 'back'?", "guidelines[0].covers[1]"),
        ),
        (
            "condition: back, guideline",
            "condition: bakc, guideline",
            ("PO331", "unknown condition 'bakc'; did you mean 'back'?", "positions[0].condition"),
        ),
        (
            "covers: Pain in the back.}",
            "covers: Pain in the back., part_of: nerv}",
            ("PO331", "unknown condition 'nerv'; did you mean 'nerve'?", "conditions[1].part_of"),
        ),
        (
            "treatment: alpha, condition",
            "treatment: alpah, condition",
            ("PO303", "unknown treatment 'alpah'", "positions[0].treatment"),
        ),
    ],
    ids=["guideline-covers", "position-condition", "broader-condition", "position-treatment"],
)
def test_unknown_conditions_and_treatments_are_located_where_named(
    old: str, new: str, expected: tuple[str, str, str]
) -> None:
    assert PLACED.count(old) == 1
    assert expected in found(PLACED.replace(old, new))
