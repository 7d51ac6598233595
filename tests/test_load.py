"""The safe loader: what YAML may and may not put into the data, and where problems are."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import MINIMAL

from painopts import load as loader
from painopts.load import KnowledgeFileError, decode, parse, read_file


def codes(error: KnowledgeFileError) -> list[str]:
    return [problem.code for problem in error.problems]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: no", "no"),
        ("a: on", "on"),
        ("a: yes", "yes"),
        ("a: 1:30", "1:30"),
        ("a: 010", "010"),
        ("a: 0x1F", "0x1F"),
        ("a: 2026-11-24", "2026-11-24"),
        ("a: 1_000", "1_000"),
        ("a: .inf", ".inf"),
        ("a: 12", 12),
        ("a: -3", -3),
        ("a: 1.5", 1.5),
        ("a: 1e3", 1000.0),
        ("a: true", True),
        ("a: false", False),
        ("a: null", None),
        ("a: ~", None),
        ("a:", None),
        ('a: "12"', "12"),
        ("a: 'true'", "true"),
        ("a: |\n  x\n", "x\n"),
    ],
)
def test_scalars_keep_what_was_written(text: str, expected: object) -> None:
    assert parse(text, "t") == {"a": expected}


def test_nested_structures_become_plain_dicts_and_lists() -> None:
    assert parse("a:\n  - {b: [1, x]}\n  - []\n", "t") == {"a": [{"b": [1, "x"]}, []]}


@pytest.mark.parametrize(
    ("text", "code", "line", "column"),
    [
        ("a: 1\nb: 2\na: 3\n", "PO105", 3, 1),
        ("a: &x 1\nb: 2\n", "PO106", 1, 4),
        ("a: [1]\nb: *x\n", "PO106", 2, 4),
        ("a: {<<: {b: 1}}\n", "PO107", 1, 5),
        ("a: !!python/name:os.system x\n", "PO108", 1, 4),
        ("a: !custom x\n", "PO108", 1, 4),
        ("a: !!str x\n", "PO108", 1, 4),
        ("a: 1\n---\nb: 2\n", "PO109", 2, 1),
        ("a: [1, 2\n", "PO104", 2, 1),
        ("a: b: c\n", "PO104", 1, 5),
        ("? [a]\n: 1\n", "PO104", 1, 3),
    ],
)
def test_refusals_are_located(text: str, code: str, line: int, column: int) -> None:
    with pytest.raises(KnowledgeFileError) as caught:
        parse(text, "t")
    (problem,) = caught.value.problems
    assert (problem.code, problem.line, problem.column) == (code, line, column)


def test_recursive_alias_is_refused_before_it_expands() -> None:
    with pytest.raises(KnowledgeFileError) as caught:
        parse("a: &a [*a]\n", "t")
    assert codes(caught.value) == ["PO106"]


def test_billion_laughs_is_refused_at_the_first_anchor() -> None:
    lines = ['a: &a ["lol","lol"]'] + [
        f"{c}: &{c} [*{p},*{p}]" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    ]
    with pytest.raises(KnowledgeFileError) as caught:
        parse("\n".join(lines), "t")
    assert caught.value.problems[0].line == 1


def test_deep_nesting_is_refused_without_recursion() -> None:
    with pytest.raises(KnowledgeFileError) as caught:
        parse("[" * 100_000, "t")
    assert codes(caught.value) == ["PO110"]


@pytest.mark.parametrize("text", ["", "# only a comment\n", "\n\n"])
def test_empty_file_is_refused(text: str) -> None:
    with pytest.raises(KnowledgeFileError) as caught:
        parse(text, "t")
    assert codes(caught.value) == ["PO109"]


def test_utf8_bom_is_accepted() -> None:
    assert decode("\ufeffa: 1".encode(), "t") == "a: 1"


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("a: 1".encode("utf-16"), "UTF-16"),
        (b"a: caf\xe9", "not UTF-8"),
        (b"a: 1\x00", "NUL"),
    ],
)
def test_non_text_is_refused(raw: bytes, words: str) -> None:
    with pytest.raises(KnowledgeFileError) as caught:
        decode(raw, "t")
    assert codes(caught.value) == ["PO103"]
    assert words in caught.value.problems[0].message


def test_file_size_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "MAX_BYTES", 100)
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * 200)
    with pytest.raises(KnowledgeFileError) as caught:
        read_file(path)
    assert codes(caught.value) == ["PO102"]


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda tmp: tmp, "is a directory"),
        (lambda tmp: tmp / "missing.yaml", "no such file"),
        (lambda tmp: MINIMAL / "inside-a-file.yaml", "cannot read"),
    ],
)
def test_unreadable_paths_are_one_problem(tmp_path: Path, make: object, words: str) -> None:
    with pytest.raises(KnowledgeFileError) as caught:
        read_file(make(tmp_path))  # type: ignore[operator]
    assert codes(caught.value) == ["PO101"]
    assert words in caught.value.problems[0].message


def test_read_file_hashes_the_bytes() -> None:
    import hashlib

    _, digest = read_file(MINIMAL)
    assert digest == hashlib.sha256(MINIMAL.read_bytes()).hexdigest()


def test_schema_error_is_located_at_the_value(tmp_path: Path) -> None:
    text = MINIMAL.read_text().replace("certainty: low, sources", "certainty: maybe, sources", 1)
    path = tmp_path / "kb.yaml"
    path.write_text(text)
    with pytest.raises(KnowledgeFileError) as caught:
        loader.load(path)
    (problem,) = caught.value.problems
    line_number = next(i for i, line in enumerate(text.splitlines(), 1) if "maybe" in line)
    assert problem.code == "PO204"
    assert problem.dotted == "treatments[0].attributes.duration_of_benefit.certainty"
    assert (problem.line, problem.column) == (
        line_number,
        text.splitlines()[line_number - 1].index("maybe") + 1,
    )


def test_minimal_fixture_loads() -> None:
    loaded = loader.load(MINIMAL)
    assert loaded.kb.treatments[0].id == "alpha"
    assert loaded.kb.sources[0].pmid == "123456"
    assert str(loaded.kb.meta.last_reviewed) == "2026-01-31"


@pytest.mark.parametrize(
    ("old", "new", "code"),
    [
        ("year: 2020", "year: '2020'", "PO203"),
        ("last_reviewed: 2026-01-31", "last_reviewed: 0", "PO204"),
        ("last_reviewed: 2026-01-31", "last_reviewed: 2026-01-31T00:00:00", "PO204"),
    ],
)
def test_numbers_and_dates_are_not_coerced(old: str, new: str, code: str) -> None:
    text = MINIMAL.read_text()
    assert old in text
    with pytest.raises(KnowledgeFileError) as caught:
        loader.validate_text(text.replace(old, new), "t")
    assert [problem.code for problem in caught.value.problems] == [code]


def test_a_misspelt_constraint_fails_at_once() -> None:
    from painopts.model import Spec

    with pytest.raises(TypeError):
        Spec(max_lenght=3)
