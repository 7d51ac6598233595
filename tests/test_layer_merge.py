"""Layers merged in-process on the small fixture base: fast enough for mutation testing.

tests/test_layers.py checks the same promises through the CLI on the bundled file; these call
`painopts.load.layers` and `for_display(..., added=...)` directly, on tests/fixtures/minimal.yaml
and layers of a few lines.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from tests.conftest import MINIMAL, Stdin

from painopts import load
from painopts.load import KnowledgeFileError
from painopts.load.layers import Layer, layer_problems, merged, sections

BASE = Layer(MINIMAL.read_text(), "base.yaml")
SRC1_LINE = 46  # the line of `  - id: src1` in minimal.yaml
SOURCE = """\
  - id: {id}
    title: {title}
    publisher: Test Journal
    year: 2021
    type: rct
"""


def source(id: str = "src2", title: str = "Another test source") -> str:
    return SOURCE.format(id=id, title=title)


def refused(*layers: Layer) -> KnowledgeFileError:
    with pytest.raises(KnowledgeFileError) as caught:
        merged([BASE, *layers])
    return caught.value


def located(error: KnowledgeFileError) -> list[tuple[str, int | None, str]]:
    return [(found.code, found.line, found.dotted) for found in error.problems]


def test_a_layer_may_add_to_every_list_but_meta() -> None:
    assert sections() == (
        "attributes",
        "treatments",
        "effects",
        "comparisons",
        "sources",
        "articles",
        "claims",
        "conditions",
        "guidelines",
        "positions",
        "instruments",
        "ratings",
        "not_covered",
    )


def test_the_base_alone_is_the_base() -> None:
    kb = merged([BASE])
    assert [s.id for s in kb.sources] == ["src1"]
    assert [t.id for t in kb.treatments] == ["alpha"]


def test_a_layers_records_follow_the_bases() -> None:
    kb = merged([BASE, Layer("sources:\n" + source(), "one.yaml")])
    assert [s.id for s in kb.sources] == ["src1", "src2"]
    assert kb.sources[1].title == "Another test source"


def test_each_layer_adds_on_top_of_the_one_below() -> None:
    one = Layer("sources:\n" + source("src2"), "one.yaml")
    two = Layer("sources:\n" + source("src3") + source("src4"), "two.yaml")
    kb = merged([BASE, one, two])
    assert [s.id for s in kb.sources] == ["src1", "src2", "src3", "src4"]


def test_a_layer_may_add_a_section_the_base_lacks() -> None:
    text = "not_covered:\n  - {name: Omega, note: Not reviewed yet.}\n"
    kb = merged([BASE, Layer(text, "one.yaml")])
    assert [item.name for item in kb.not_covered] == ["Omega"]


def test_redefining_a_base_id_names_both_places() -> None:
    layer = Layer("sources:\n" + source("src1"), "one.yaml")
    error = refused(layer)
    assert error.name == "one.yaml"
    (found,) = error.problems
    assert (found.code, found.line, found.dotted) == ("PO301", 2, "sources[0].id")
    assert found.message == (
        f"id 'src1' is already defined in base.yaml:{SRC1_LINE} "
        "(list it under 'replaces' to replace that sources record)"
    )


def test_the_same_id_in_another_section_is_no_redefinition() -> None:
    text = "not_covered:\n  - {name: Omega, note: n}\nsources:\n" + source("blog")
    kb = merged([BASE, Layer(text, "one.yaml")])
    assert [s.id for s in kb.sources] == ["src1", "blog"]


def test_a_replaced_record_takes_the_lower_ones_place() -> None:
    text = "replaces: [src1]\nsources:\n" + source("src1", "A corrected title") + source("src2")
    kb = merged([BASE, Layer(text, "one.yaml")])
    assert [(s.id, s.title) for s in kb.sources] == [
        ("src1", "A corrected title"),
        ("src2", "Another test source"),
    ]


def test_replaces_names_whole_ids_in_a_list() -> None:
    text = "replaces: src1x\nsources:\n" + source("src1")
    assert located(refused(Layer(text, "one.yaml"))) == [("PO301", 3, "sources[0].id")]


def test_replaces_covers_only_the_ids_it_lists() -> None:
    text = "replaces: [src9]\nsources:\n" + source("src1")
    assert located(refused(Layer(text, "one.yaml"))) == [("PO301", 3, "sources[0].id")]


def test_a_problem_in_a_replaced_record_is_located_in_its_layer() -> None:
    text = "replaces: [src1]\nsources:\n" + source("src1").replace("2021", "last year")
    error = refused(Layer(text, "one.yaml"))
    assert error.name == "one.yaml"
    assert [(found.line, found.dotted) for found in error.problems] == [(6, "sources[0].year")]


def test_two_layers_that_define_one_id() -> None:
    one = Layer("sources:\n" + source("src2"), "one.yaml")
    two = Layer("not_covered: []\nsources:\n" + source("src3") + source("src2"), "two.yaml")
    error = refused(one, two)
    assert error.name == "two.yaml"
    (found,) = error.problems
    assert (found.line, found.dotted) == (8, "sources[1].id")
    assert "id 'src2' is already defined in one.yaml:2 " in found.message


def test_a_layer_replaces_a_record_of_the_layer_below() -> None:
    one = Layer("sources:\n" + source("src2"), "one.yaml")
    two = Layer("replaces: [src2]\nsources:\n" + source("src2", "Newer"), "two.yaml")
    kb = merged([BASE, one, two])
    assert [(s.id, s.title) for s in kb.sources] == [
        ("src1", "A test source"),
        ("src2", "Newer"),
    ]


def test_a_redefinition_of_a_replaced_record_names_the_replacing_layer() -> None:
    one = Layer("replaces: [src1]\nsources:\n" + source("src1"), "one.yaml")
    two = Layer("sources:\n" + source("src1"), "two.yaml")
    (found,) = refused(one, two).problems
    assert "already defined in one.yaml:3 " in found.message


def test_a_layer_may_not_change_meta() -> None:
    error = refused(Layer("meta:\n  title: Other\n", "one.yaml"))
    assert error.name == "one.yaml"
    (found,) = error.problems
    assert (found.code, found.line, found.column) == ("PO201", 1, 1)
    assert found.message == "unknown key 'meta' (a layer adds to the sections, never to 'meta')"


@pytest.mark.parametrize(
    ("text", "key"), [("extras:\n  - a\n", "extras"), ("sources: {id: src2}\n", "sources")]
)
def test_a_key_that_is_not_a_section_list(text: str, key: str) -> None:
    (found,) = refused(Layer(text, "one.yaml")).problems
    assert (found.code, found.line, found.dotted) == ("PO201", 1, key)
    assert found.message == f"unknown key '{key}' (a section)"


def test_a_bad_key_does_not_stop_the_next_section() -> None:
    text = "extras: [a]\nsources:\n" + source("src1")
    assert located(refused(Layer(text, "one.yaml"))) == [
        ("PO201", 1, "extras"),
        ("PO301", 3, "sources[0].id"),
    ]


@pytest.mark.parametrize("section", ["effects:\n", "effects:\n  one: 1\n"])
def test_a_base_section_that_is_not_a_list_is_refused_in_the_base(section: str) -> None:
    """Not a crash: the base's own schema problem, located in the base, as without a layer."""
    base = Layer(BASE.text + section, "base.yaml")
    with pytest.raises(KnowledgeFileError) as caught:
        merged([base, Layer("effects:\n  - id: e1\n", "one.yaml")])
    assert caught.value.name == "base.yaml"
    assert [(p.code, p.line, p.dotted) for p in caught.value.problems] == [("PO203", 73, "effects")]


def test_after_a_base_section_that_is_not_a_list_the_next_sections_are_added() -> None:
    base = Layer(BASE.text + "effects:\n", "base.yaml")
    layer = Layer("effects: []\nsources:\n" + source("src1"), "one.yaml")
    with pytest.raises(KnowledgeFileError) as caught:
        merged([base, layer])
    assert caught.value.name == "one.yaml"  # its redefinition, found while merging, comes first
    assert [p.code for p in caught.value.problems] == ["PO301"]


@pytest.mark.parametrize("bad", ["base", "layer"])
def test_a_yaml_syntax_error_is_named_in_its_file(bad: str) -> None:
    broken = "sources: [\n"
    base = Layer(broken, "base.yaml") if bad == "base" else BASE
    layer = Layer(broken if bad == "layer" else "sources: []\n", "one.yaml")
    with pytest.raises(KnowledgeFileError) as caught:
        merged([base, layer])
    assert caught.value.name == f"{'base' if bad == 'base' else 'one'}.yaml"
    assert caught.value.problems[0].code == "PO104"


@pytest.mark.parametrize("record", ["just text", "{id: [a, b]}"])
def test_a_record_that_does_not_fit_is_refused_in_its_layer(record: str) -> None:
    """A record that is not a mapping, or whose id is not text, is a schema problem, no crash."""
    error = refused(Layer(f"sources:\n  - {record}\n", "one.yaml"))
    assert error.name == "one.yaml"
    assert {p.line for p in error.problems} == {2}


def test_a_redefinition_names_the_line_of_the_lower_id() -> None:
    record = "  - title: T\n    id: src2\n    publisher: P\n    year: 2021\n    type: rct\n"
    one = Layer("sources:\n" + record, "one.yaml")
    two = Layer("sources:\n" + source("src2"), "two.yaml")
    (found,) = refused(one, two).problems
    assert "already defined in one.yaml:3 " in found.message


def test_a_layer_that_is_not_a_mapping() -> None:
    error = refused(Layer("- one\n- two\n", "one.yaml"))
    assert error.name == "one.yaml"
    (found,) = error.problems
    assert found.code == "PO203"
    assert found.message == "wrong type: a layer is a mapping of sections"


def test_the_lowest_layer_with_a_problem_is_the_one_reported() -> None:
    one = Layer("meta: {}\n", "one.yaml")
    two = Layer("- a list\n", "two.yaml")
    assert refused(one, two).name == "one.yaml"
    assert refused(two, one).name == "two.yaml"


def test_a_layer_problem_is_reported_before_a_base_rule_problem() -> None:
    base = Layer(BASE.text.replace("sources: [src1]\n", "sources: [nowhere]\n", 1), "base.yaml")
    with pytest.raises(KnowledgeFileError) as caught:
        merged([base, Layer("meta: {}\n", "one.yaml")])
    assert caught.value.name == "one.yaml"


def test_a_schema_problem_is_located_in_its_layer() -> None:
    text = "sources:\n" + source() + source("src3").replace("type: rct", "type: rumour")
    error = refused(Layer(text, "one.yaml"))
    assert error.name == "one.yaml"
    assert [(found.line, found.dotted) for found in error.problems] == [(11, "sources[1].type")]


def test_a_schema_problem_in_the_base_is_the_bases() -> None:
    base = Layer(BASE.text.replace("year: 2020", "year: someday"), "base.yaml")
    with pytest.raises(KnowledgeFileError) as caught:
        merged([base, Layer("sources:\n" + source(), "one.yaml")])
    assert caught.value.name == "base.yaml"
    assert [found.line for found in caught.value.problems] == [SRC1_LINE + 3]


def test_a_base_that_is_not_a_mapping_is_refused_in_the_base() -> None:
    with pytest.raises(KnowledgeFileError) as caught:
        merged([Layer("- a\n", "base.yaml"), Layer("sources: []\n", "one.yaml")])
    assert caught.value.name == "base.yaml"


def test_an_unknown_reference_in_a_layer_is_an_error() -> None:
    claim = """\
claims:
  - id: beta-great
    article: blog
    section: Introduction
    quote: beta is great
    paraphrase: Beta works.
    treatments: [alpha]
    topic: efficacy
    verdict: supported
    assessment: Some evidence.
    sources: [nowhere]
"""
    error = refused(Layer(claim, "one.yaml"))
    assert error.name == "one.yaml"
    assert [(f.code, f.line, f.dotted) for f in error.problems] == [
        ("PO302", 11, "claims[0].sources[0]")
    ]


def test_an_unknown_reference_in_the_base_stays_a_warning() -> None:
    base = Layer(BASE.text.replace("sources: [src1]\n", "sources: [nowhere]\n", 1), "base.yaml")
    kb = merged([base, Layer("sources:\n" + source(), "one.yaml")])
    assert [s.id for s in kb.sources] == ["src1", "src2"]


def test_a_rule_error_is_located_in_its_layer() -> None:
    text = "sources:\n" + source("src2") + "    doi: not-a-doi\n"
    error = refused(Layer(text, "one.yaml"))
    assert error.name == "one.yaml"
    assert all(found.severity.value == "error" for found in error.problems)
    assert [(found.line, found.dotted) for found in error.problems] == [(7, "sources[0].doi")]


def test_layer_problems_of_clean_layers_name_the_last_one() -> None:
    one = Layer("not_covered:\n  - {name: Omega, note: n}\n", "one.yaml")
    two = Layer("not_covered:\n  - {name: Psi, note: n}\n", "two.yaml")
    assert layer_problems([BASE, one, two]) == ("two.yaml", [])


def test_layer_problems_leave_the_bases_warnings_out() -> None:
    base = Layer(BASE.text.replace("sources: [src1]\n", "sources: [nowhere]\n", 1), "base.yaml")
    assert layer_problems([base, Layer("sources: []\n", "one.yaml")]) == ("one.yaml", [])


def test_layer_problems_report_the_first_layer_with_a_warning() -> None:
    clean = Layer("not_covered:\n  - {name: Omega, note: n}\n", "one.yaml")
    uncited = Layer("not_covered: []\nsources:\n" + source("src2"), "two.yaml")
    uncited_too = Layer("sources:\n" + source("src3"), "three.yaml")
    name, problems = layer_problems([BASE, clean, uncited, uncited_too])
    assert name == "two.yaml"
    assert [(f.code, f.line, f.dotted) for f in problems] == [("PO306", 3, "sources[0]")]


def test_layer_problems_of_a_refused_layer() -> None:
    name, problems = layer_problems([BASE, Layer("meta: {}\n", "one.yaml")])
    assert name == "one.yaml"
    assert [(found.code, found.line) for found in problems] == [("PO201", 1)]


# Files read on top of one another: painopts.load.for_display(..., added=...) and layer_report.


def _file(tmp_path: Path, text: str | bytes, name: str = "one.yaml") -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_added_files_are_loaded_named_and_listed(tmp_path: Path) -> None:
    one = _file(tmp_path, "sources:\n" + source("src2"))
    two = _file(tmp_path, "sources:\n" + source("src3"), "two.yaml")
    loaded = load.for_display(MINIMAL, added=[one, two])
    assert [s.id for s in loaded.kb.sources] == ["src1", "src2", "src3"]
    assert loaded.name == f"{MINIMAL} + {one} + {two}"
    assert loaded.layers == (
        (str(MINIMAL), _sha(MINIMAL)),
        (str(one), _sha(one)),
        (str(two), _sha(two)),
    )
    assert loaded.warnings == ()
    joined = f"{_sha(MINIMAL)} {_sha(one)} {_sha(two)}"  # docs/output.md
    assert loaded.sha256 == hashlib.sha256(joined.encode()).hexdigest()


def test_added_files_are_cached_for_all_their_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one = _file(tmp_path, "sources:\n" + source("src2"))
    first = load.for_display(MINIMAL, added=[one])
    monkeypatch.setattr("painopts.load.layers.merged", _refuse_to_merge)
    again = load.for_display(MINIMAL, added=[one])
    assert (again.kb, again.sha256) == (first.kb, first.sha256)
    one.write_text("sources:\n" + source("src2", "Changed"))
    with pytest.raises(AssertionError, match="merged again"):
        load.for_display(MINIMAL, added=[one])


def _refuse_to_merge(layers: object) -> None:
    raise AssertionError("merged again")


def test_added_files_with_a_cache_others_may_write(tmp_path: Path, shared_cache: Path) -> None:
    one = _file(tmp_path, "sources:\n" + source("src2"))
    loaded = load.for_display(MINIMAL, added=[one])
    assert [s.id for s in loaded.kb.sources] == ["src1", "src2"]
    assert [w.startswith("not using the cache: ") for w in loaded.warnings] == [True]


def test_an_added_file_from_standard_input(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", Stdin(("sources:\n" + source("src2")).encode()))
    loaded = load.for_display(MINIMAL, added=[Path("-")])
    assert [s.id for s in loaded.kb.sources] == ["src1", "src2"]
    assert loaded.name == f"{MINIMAL} + <stdin>"


def test_an_added_file_that_is_not_utf8_is_named(tmp_path: Path) -> None:
    one = _file(tmp_path, b"sources: []\n# caf\xe9\n")
    with pytest.raises(KnowledgeFileError) as caught:
        load.for_display(MINIMAL, added=[one])
    assert caught.value.name == str(one)
    assert [(p.code, p.line) for p in caught.value.problems] == [("PO103", 2)]


def test_an_added_file_problem_is_named_for_display(tmp_path: Path) -> None:
    one = _file(tmp_path, "sources:\n" + source("src1"))
    with pytest.raises(KnowledgeFileError) as caught:
        load.for_display(MINIMAL, added=[one])
    assert caught.value.name == str(one)
    assert f"already defined in {MINIMAL}:{SRC1_LINE} " in caught.value.problems[0].message


def test_layer_report_of_clean_files(tmp_path: Path) -> None:
    one = _file(tmp_path, "not_covered:\n  - {name: Omega, note: n}\n")
    assert load.layer_report([MINIMAL, one]) == (str(one), [])


def test_layer_report_of_a_warning(tmp_path: Path) -> None:
    one = _file(tmp_path, "sources:\n" + source("src2"))
    name, problems = load.layer_report([MINIMAL, one])
    assert name == str(one)
    assert [(p.code, p.line) for p in problems] == [("PO306", 2)]


@pytest.mark.parametrize(("text", "code"), [(None, "PO101"), (b"\xfe\xffx", "PO103")])
def test_layer_report_of_a_file_that_cannot_be_read(
    tmp_path: Path, text: bytes | None, code: str
) -> None:
    one = tmp_path / "one.yaml"
    if text is not None:
        one.write_bytes(text)
    name, problems = load.layer_report([MINIMAL, one])
    assert name == str(one)
    assert [p.code for p in problems] == [code]
