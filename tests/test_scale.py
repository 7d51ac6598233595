"""Work that grows with the input, not with its square: each shape of the third review at two
sizes, the larger twice the smaller.

The work is counted, not timed (times on a shared machine vary by more than the margin): steps
of Python code (lines run and calls, through ``sys.settrace``), reads of a treatment's values,
problems, peak memory. Each ratio is compared with 2.2, between linear (2) and quadratic (4)
growth; the same counts on 0.1.0 (12b5f4e) give 2.6 to 4.0. No test has a wall-clock limit.
The knowledge bases are built in memory from the minimal fixture, so that only the command's
own work is measured.
"""

from __future__ import annotations

import copy
import dataclasses
import sys
import tracemalloc
from collections.abc import Callable
from types import FrameType
from typing import Any

from tests.conftest import FIXTURES, MINIMAL

from painopts.load import parse, validate_data
from painopts.model import KnowledgeBase
from painopts.validate import check, errors
from painopts.views.claims import report
from painopts.views.compare import compare

LINEAR = 2.2
"""The most a doubled input may multiply counted work by: linear growth gives 2, quadratic 4."""


def minimal() -> dict[str, Any]:
    data: dict[str, Any] = parse(MINIMAL.read_text(), "minimal.yaml")
    return data


def steps(run: Callable[[], object]) -> int:
    """Lines of Python run and calls made while ``run`` runs (a loop's every turn counts)."""
    count = 0

    def tracer(frame: FrameType, event: str, arg: object) -> Callable[..., object]:
        nonlocal count
        count += 1
        return tracer

    sys.settrace(tracer)
    try:
        run()
    finally:
        sys.settrace(None)
    return count


def step_ratio(small: KnowledgeBase, large: KnowledgeBase, run: Callable[[Any], object]) -> float:
    run(small)  # warm-up: imports and first-use caches
    return steps(lambda: run(large)) / steps(lambda: run(small))


def peak_bytes(run: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# Treatments x attributes (F4): many attributes, few values.


def with_treatments(count: int) -> dict[str, Any]:
    """The minimal fixture's data with ``count`` copies of its treatment."""
    data = minimal()
    alpha = data["treatments"][0]
    data["treatments"] = []
    for number in range(count):
        treatment = copy.deepcopy(alpha)
        treatment.update(id=f"t{number}", name=f"T{number}", aliases=[f"al{number}"])
        data["treatments"].append(treatment)
    return data


def treatments_by_attributes(count: int) -> KnowledgeBase:
    """``count`` treatments, and ``count`` attributes beyond the 13 that each has a value for."""
    data = with_treatments(count)
    data["attributes"] += [
        {
            "id": f"x{number}",
            "label": f"X{number}",
            "question": "q?",
            "group": "harm",
            "kind": "text",
            "description": "d",
        }
        for number in range(count)
    ]
    return validate_data(data)


class CountingValues(dict[str, Any]):
    """A treatment's values that count every look-up and every value read."""

    reads = 0

    def get(self, key: str, default: Any = None) -> Any:
        CountingValues.reads += 1
        return super().get(key, default)

    def __contains__(self, key: object) -> bool:
        CountingValues.reads += 1
        return super().__contains__(key)

    def __getitem__(self, key: str) -> Any:
        CountingValues.reads += 1
        return super().__getitem__(key)

    def __iter__(self) -> Any:
        for key in super().__iter__():
            CountingValues.reads += 1
            yield key

    def items(self) -> Any:
        for key in self:
            yield key, super().__getitem__(key)

    def keys(self) -> Any:
        return dict.fromkeys(self).keys()


def counting(kb: KnowledgeBase) -> KnowledgeBase:
    treatments = tuple(
        dataclasses.replace(t, attributes=CountingValues(t.attributes)) for t in kb.treatments
    )
    return dataclasses.replace(kb, treatments=treatments)


def value_reads(kb: KnowledgeBase, run: Callable[[KnowledgeBase], object]) -> int:
    CountingValues.reads = 0
    run(kb)
    return CountingValues.reads


def test_missing_values_give_one_problem_per_treatment() -> None:
    for count in (100, 200):
        found = [p for p in check(treatments_by_attributes(count)) if p.code == "PO310"]
        assert len(found) == count
        assert found[0].message == (
            f"'t0' has no value for 'x0', 'x1', 'x2' and {count - 3} more attributes "
            "(say 'not assessed')"
        )


def test_validate_reads_values_in_proportion_to_the_file() -> None:
    small, large = (counting(treatments_by_attributes(n)) for n in (200, 400))
    for run in (check, errors):
        reads = value_reads(small, run), value_reads(large, run)
        assert reads[1] <= LINEAR * reads[0], (run.__name__, reads)


def test_validate_work_grows_linearly_with_treatments_and_attributes() -> None:
    small, large = treatments_by_attributes(200), treatments_by_attributes(400)
    assert step_ratio(small, large, check) <= LINEAR
    assert step_ratio(small, large, errors) <= LINEAR


def unknown_attributes(count: int) -> KnowledgeBase:
    """``count`` treatments, each with a value for an attribute of its own that is not defined,
    among ``count`` more attributes (a 'did you mean' compares a name with every attribute)."""
    kb = treatments_by_attributes(count)
    treatments = []
    for number, treatment in enumerate(kb.treatments):
        values = {**treatment.attributes, f"x{number}_": base_value(kb)}
        treatments.append(dataclasses.replace(treatment, attributes=values))
    return dataclasses.replace(kb, treatments=tuple(treatments))


def base_value(kb: KnowledgeBase) -> Any:
    return kb.treatments[0].attributes["mechanism"]


def test_unknown_attributes_are_checked_with_linear_work() -> None:
    small, large = unknown_attributes(150), unknown_attributes(300)
    assert step_ratio(small, large, errors) <= LINEAR
    found = [p.message for p in errors(large) if p.code == "PO304"]
    assert len(found) == 300
    assert found[0] == "unknown attribute 'x0_'; did you mean 'x0'?"
    assert found[-1] == "unknown attribute 'x299_'"  # past the first 100: no suggestion


def ratings_by_criteria(count: int) -> KnowledgeBase:
    """An instrument of ``count`` criteria and ``count`` ratings on it that rate one each."""
    data = minimal()
    data["instruments"] = [
        {
            "id": "check",
            "name": "Check",
            "description": "d",
            "sources": ["src1"],
            "scoring": "jama-count",
            "scale": [{"value": "no", "label": "No"}, {"value": "yes", "label": "Yes"}],
            "criteria": [{"id": f"c{n}", "label": f"C{n}", "question": "q?"} for n in range(count)],
        }
    ]
    rating = {"criterion": "c0", "rating": "yes", "reason": "r", "sources": ["src1"]}
    data["ratings"] = [
        {"article": "blog", "instrument": "check", "basis": "b", "criteria": [rating]}
        for _ in range(count)
    ]
    return validate_data(data)


def test_unrated_criteria_give_one_problem_per_rating_with_linear_work() -> None:
    small, large = ratings_by_criteria(200), ratings_by_criteria(400)
    assert step_ratio(small, large, check) <= LINEAR
    found = [p.message for p in check(large) if p.code == "PO314"]
    assert found == ["'blog' is not rated on 'check' criteria 'c1', 'c2', 'c3' and 396 more"] * 400


def test_errors_equal_the_errors_check_finds() -> None:
    for path in sorted((FIXTURES / "broken").glob("PO3*.yaml")):
        kb = validate_data(parse(path.read_text(), path.name))
        assert errors(kb) == [p for p in check(kb) if p.severity.value == "error"], path.name


# compare --all (F3): many treatments.


def many_treatments(count: int) -> KnowledgeBase:
    return validate_data(with_treatments(count))


def every(kb: KnowledgeBase) -> object:
    return compare(kb, kb.treatments)


def test_compare_all_memory_grows_linearly_with_treatments() -> None:
    small, large = many_treatments(300), many_treatments(600)
    every(small)
    assert peak_bytes(lambda: every(large)) <= LINEAR * peak_bytes(lambda: every(small))


def test_compare_all_work_grows_linearly_with_treatments() -> None:
    assert step_ratio(many_treatments(300), many_treatments(600), every) <= LINEAR


def test_compare_all_counts_the_pairs_it_does_not_list() -> None:
    document = every(many_treatments(1000))
    (statement,) = document.sections[0].notes[:1]
    assert statement.startswith(
        "Head-to-head: this knowledge file records no trial that compares any of them directly"
    )


# report (F11): many sources, each cited by one claim.


def many_sources(count: int) -> KnowledgeBase:
    data = minimal()
    data["sources"] += [
        {"id": f"s{n}", "title": f"S{n}", "publisher": "P", "year": 2020, "type": "rct"}
        for n in range(count)
    ]
    claim = data["claims"][0]
    data["claims"] = [
        {**claim, "id": f"c{n}", "quote": f"q{n}", "sources": [f"s{n}"]} for n in range(count)
    ]
    return validate_data(data)


def test_report_work_grows_linearly_with_sources() -> None:
    assert step_ratio(many_sources(300), many_sources(600), report) <= LINEAR


def test_report_lists_every_cited_source_once() -> None:
    document = report(many_sources(500))
    assert sorted(document.data["sources"]) == sorted(f"s{n}" for n in range(500))


# Long lists (F10): the longest list a record may hold, shown in one terminal table cell.


def many_authors(count: int) -> KnowledgeBase:
    data = minimal()
    data["meta"]["authors"] = [f"Author {n}" for n in range(count)]
    return validate_data(data)


def info_table(kb: KnowledgeBase) -> str:
    from tests.render_support import options, terminal

    from painopts.views.catalog import info

    return terminal(info(kb, "f.yaml", "0" * 64), options(kb), 100)


def test_a_long_list_in_one_table_cell_renders_with_linear_work() -> None:
    assert step_ratio(many_authors(500), many_authors(1000), info_table) <= LINEAR


# Surrogate-like text (F2, outside the cache): text that reads like JSON's surrogate escapes.


def surrogate_like(count: int) -> KnowledgeBase:
    data = minimal()
    data["treatments"][0]["attributes"]["mechanism"]["detail"] = "\\ud800" * 3000
    effect = {
        "treatment": "alpha",
        "metric": "MD",
        "basis": "reported",
        "estimate": -1.5,
        "outcome": "pain",
        "population": "adults",
        "comparator": "placebo",
        "time_point": "12 weeks",
        "certainty": "low",
        "sources": ["src1"],
        "note": "\\ud800" * 3000,
    }
    data["effects"] = [{**effect, "id": f"e{n}"} for n in range(count)]
    return validate_data(data)


def show_json(kb: KnowledgeBase) -> str:
    from tests.render_support import options

    from painopts.render import Format, renderer
    from painopts.views.catalog import show

    text: str = renderer(Format.JSON)(show(kb, kb.treatments[0]), options(kb))
    return text


def test_surrogate_like_text_is_validated_and_written_with_linear_work() -> None:
    small, large = surrogate_like(20), surrogate_like(40)
    assert step_ratio(small, large, check) <= LINEAR
    assert step_ratio(small, large, show_json) <= LINEAR
    assert "\\ud800" in show_json(small)
