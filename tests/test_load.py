"""The safe loader: what YAML may and may not put into the data, and where problems are."""

from __future__ import annotations

import hashlib
import json
import os
import threading
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import MINIMAL, Stdin

from painopts import cache
from painopts import load as loader
from painopts.load import KnowledgeFileError, content_hash, decode, parse, read_file


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


READERS = {"read_file": read_file, "content_hash": content_hash}
"""Both ways a knowledge file is read: whole (validate, a cache miss) and hashed in pieces."""


@pytest.mark.parametrize("reader", READERS.values(), ids=READERS.keys())
def test_file_size_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reader) -> None:
    monkeypatch.setattr(loader, "MAX_BYTES", 100)
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * 200)
    with pytest.raises(KnowledgeFileError) as caught:
        reader(path)
    assert codes(caught.value) == ["PO102"]
    assert caught.value.problems[0].message == "file is larger than 0 MiB"


@pytest.mark.parametrize("reader", READERS.values(), ids=READERS.keys())
@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda tmp: tmp, "is a directory"),
        (lambda tmp: tmp / "missing.yaml", "no such file"),
        (lambda tmp: MINIMAL / "inside-a-file.yaml", "cannot read"),
    ],
)
def test_unreadable_paths_are_one_problem(tmp_path: Path, make, words: str, reader) -> None:
    with pytest.raises(KnowledgeFileError) as caught:
        reader(make(tmp_path))
    assert codes(caught.value) == ["PO101"]
    assert words in caught.value.problems[0].message


def test_both_readers_give_the_sha256_of_the_bytes() -> None:
    expected = hashlib.sha256(MINIMAL.read_bytes()).hexdigest()
    assert read_file(MINIMAL) == (MINIMAL.read_bytes(), expected)
    assert content_hash(MINIMAL) == (None, expected)  # a regular file is not kept whole


def test_a_pipe_is_read_once_and_kept(tmp_path: Path) -> None:
    """A pipe (as from `--data <(...)`) cannot be read twice: its bytes come back with the hash."""
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    writer = threading.Thread(target=pipe.write_bytes, args=(MINIMAL.read_bytes(),))
    writer.start()
    raw, digest = content_hash(pipe)
    writer.join()
    assert raw == MINIMAL.read_bytes()
    assert digest == hashlib.sha256(raw).hexdigest()


def test_a_file_changed_after_hashing_is_cached_under_what_was_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, private_cache: Path
) -> None:
    """On a miss the file is read whole and hashed again: an entry always names its content."""
    path = tmp_path / "kb.yaml"
    path.write_bytes(MINIMAL.read_bytes())
    stale = hashlib.sha256(b"what the file held a moment ago").hexdigest()
    monkeypatch.setattr(loader, "content_hash", lambda _: (None, stale))
    loaded = loader.for_display(path)
    (entry,) = private_cache.glob("*.json")
    fresh = hashlib.sha256(MINIMAL.read_bytes()).hexdigest()
    assert entry.name.startswith(fresh[:40])
    assert loaded.sha256 == fresh and loaded.text == MINIMAL.read_text()


def test_a_base_from_the_cache_has_no_text(private_cache: Path) -> None:
    assert loader.for_display(MINIMAL).text == MINIMAL.read_text()  # first sight: parsed
    assert loader.for_display(MINIMAL).text is None  # from the cache: never decoded


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
    ("text", "character", "line", "column"),
    [
        ("a: 1\nb: x\x07y\n", "U+0007", 2, 5),
        ("a: \ufffe\n", "U+FFFE", 1, 4),
        ("a: 1\n\x1bb: 2\n", "U+001B", 2, 1),
        ("a: 1\nb: 2\nc: \x07\n", "U+0007", 3, 4),
        ("\na: \x07\n", "U+0007", 2, 4),
    ],
)
def test_a_character_yaml_does_not_allow_is_named_and_located(
    text: str, character: str, line: int, column: int
) -> None:
    with pytest.raises(KnowledgeFileError) as caught:
        parse(text, "t.yaml")
    message = f"the file contains {character}, a control character YAML does not allow"
    (found,) = caught.value.problems
    assert (found.code, found.message, found.line, found.column) == ("PO103", message, line, column)
    assert str(caught.value) == f"t.yaml: {message}"


def test_a_new_article_file_reads_as_yaml_with_its_id(cli) -> None:
    import yaml

    made = cli("new", "article", "my-leaflet")
    assert (made.code, made.err) == (0, "")
    data = yaml.safe_load(made.out)  # PyYAML's own reading, not painopts'
    assert [article["id"] for article in data["articles"]] == ["my-leaflet"]
    refused = cli("new", "article", "My Leaflet")
    assert refused.code == 2 and refused.out == ""
    assert refused.err == (
        "painopts: error: Invalid value for 'ID': an id is lowercase letters, digits, '-' and "
        "'_' (at most 64)\n"
    )


@pytest.mark.parametrize(
    ("text", "code", "message", "line", "column"),
    [
        ("a: 1\nb: *x\n", "PO106", "aliases (*name) are not allowed", 2, 4),
        ("# only a comment\n", "PO109", "the file is empty", None, None),
        ("a: &x 1\n", "PO106", "anchors (&x) are not allowed", 1, 4),
        ("a: !!str 1\n", "PO108", "YAML tags (tag:yaml.org,2002:str) are not allowed", 1, 4),
        ("a: 1\n<<: {b: 2}\n", "PO107", "merge keys (<<) are not allowed", 2, 1),
        ("? [a, b]\n: 1\n", "PO104", "a mapping key must be a plain word or text", 1, 3),
        ("a: 1\n---\nb: 2\n", "PO109", "more than one YAML document in the file", 2, 1),
        # the top mapping is level 1, so the 32nd '[' (column 35) would be level 33
        ("a: 1\nb: " + "[" * 32 + "]" * 32 + "\n", "PO110", "nesting deeper than 32 levels", 2, 35),
    ],
    ids=[
        "alias",
        "empty",
        "anchor",
        "tag",
        "merge-key",
        "list-as-key",
        "second-document",
        "too-deep",
    ],
)
def test_what_yaml_may_not_do_is_one_problem_named_and_located(
    text: str, code: str, message: str, line: int | None, column: int | None
) -> None:
    with pytest.raises(KnowledgeFileError) as caught:
        parse(text, "t.yaml")
    (found,) = caught.value.problems
    assert (found.code, found.message, found.line, found.column) == (code, message, line, column)
    assert str(caught.value) == f"t.yaml: {message}"


def test_a_number_too_long_for_int_stays_the_text_written() -> None:
    digits = "7" * 5000  # beyond Python's int() digit limit (4300)
    assert parse(f"a: {digits}\nb: -{digits}\n", "t.yaml") == {"a": digits, "b": f"-{digits}"}


def test_problems_on_one_line_are_in_column_order() -> None:
    """A later column comes later, whatever its code (PO204 at 'kind' before PO201 at 'colour')."""
    from painopts.load import validate_text

    text = MINIMAL.read_text()
    old = "group: practical, kind: text, description: d}"
    new = "group: practical, kind: txt, description: d, colour: red}"
    text = text.replace(old, new, 1)
    line = text.splitlines()[10]  # line 11: the first attribute
    assert new in line
    with pytest.raises(KnowledgeFileError) as caught:
        validate_text(text, "t.yaml")
    assert [(p.code, p.line, p.column) for p in caught.value.problems] == [
        ("PO204", 11, line.index("txt") + 1),
        ("PO201", 11, line.index("colour") + 1),
    ]


def test_the_non_specific_tag_is_allowed() -> None:
    assert parse("a: ! hello\n", "t.yaml") == {"a": "hello"}


def test_a_problem_with_the_whole_file_is_located_where_its_mapping_starts() -> None:
    from painopts.load import validate_text

    text = MINIMAL.read_text()
    without_meta = "# no meta\n" + text[text.index("attributes:") :]
    with pytest.raises(KnowledgeFileError) as caught:
        validate_text(without_meta, "t.yaml")
    assert [(p.code, p.message, p.line, p.column) for p in caught.value.problems] == [
        ("PO202", "missing required key 'meta'", 2, 1)
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: 1\nb: {c: 1, c: 2}\n", ("PO105", "duplicate key 'c'", 2, 11, "b.c")),
        ("a: 1\nb: {<<: {c: 1}}\n", ("PO107", "merge keys (<<) are not allowed", 2, 5, "b")),
        (
            "a: 1\nb: [1, 2\nc: 3\n",  # the '[' of line 2, column 4, is never closed
            (
                "PO104",
                "YAML syntax error: did not find expected ',' or ']' "
                "(while parsing a flow sequence that starts at 2:4)",
                3,
                2,
                "(file)",
            ),
        ),
        (
            "a: b: c\n",
            (
                "PO104",
                "YAML syntax error: mapping values are not allowed in this context",
                1,
                5,
                "(file)",
            ),
        ),
    ],
    ids=["duplicate-key", "nested-merge-key", "unclosed-list", "colon-in-a-value"],
)
def test_yaml_problems_say_where_in_the_data_and_the_text(
    text: str, expected: tuple[str, str, int, int, str]
) -> None:
    with pytest.raises(KnowledgeFileError) as caught:
        parse(text, "t.yaml")
    (found,) = caught.value.problems
    assert (found.code, found.message, found.line, found.column, found.dotted) == expected


# Reading: the bounds, the names and the messages of docs/security.md and docs/knowledge-file.md.


def test_standard_input_is_read_whole_and_named(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = MINIMAL.read_bytes()
    expected = hashlib.sha256(raw).hexdigest()
    monkeypatch.setattr("sys.stdin", Stdin(raw))
    assert read_file(Path("-")) == (raw, expected)
    monkeypatch.setattr("sys.stdin", Stdin(raw))
    assert content_hash(Path("-")) == (raw, expected)


def test_a_closed_standard_input_cannot_be_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", None)
    with pytest.raises(KnowledgeFileError) as caught:
        read_file(Path("-"))
    assert caught.value.name == "<stdin>"
    assert [(p.code, p.message) for p in caught.value.problems] == [
        ("PO101", "cannot read: standard input is closed")
    ]


@pytest.mark.parametrize("reader", [read_file, content_hash])
def test_a_missing_file_and_a_folder_are_named(tmp_path: Path, reader: object) -> None:
    for path, message in [
        (tmp_path / "absent.yaml", "no such file"),
        (tmp_path, "is a directory, not a knowledge file"),
    ]:
        with pytest.raises(KnowledgeFileError) as caught:
            reader(path)  # type: ignore[operator]
        assert caught.value.name == str(path)
        assert [(p.code, p.message) for p in caught.value.problems] == [("PO101", message)]


def _sized(tmp_path: Path, size: int) -> Path:
    path = tmp_path / f"{size}.yaml"
    path.write_bytes(b"#" * size)
    return path


@pytest.mark.parametrize("reader", [read_file, content_hash])
def test_the_byte_bound_is_inclusive(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reader: object
) -> None:
    """A file of exactly MAX_BYTES is read; one byte more is refused, named, in whole MiB."""
    bound = 2 * 2**20 + 7  # more than one 1 MiB piece of content_hash
    monkeypatch.setattr(loader, "MAX_BYTES", bound)
    digest = reader(_sized(tmp_path, bound))[1]  # type: ignore[operator]
    assert digest == hashlib.sha256(b"#" * bound).hexdigest()
    large = _sized(tmp_path, bound + 1)
    with pytest.raises(KnowledgeFileError) as caught:
        reader(large)  # type: ignore[operator]
    assert caught.value.name == str(large)
    assert [(p.code, p.message) for p in caught.value.problems] == [
        ("PO102", "file is larger than 2 MiB")
    ]


def test_the_bound_is_64_mib_by_default() -> None:
    assert loader.MAX_BYTES == 64 * 1024 * 1024


def _fed(tmp_path: Path, raw: bytes) -> Path:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    threading.Thread(target=pipe.write_bytes, args=(raw,), daemon=True).start()
    return pipe


def test_a_pipe_at_the_bound_is_read_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "MAX_BYTES", 100)
    assert content_hash(_fed(tmp_path, b"#" * 100))[0] == b"#" * 100


def test_a_pipe_over_the_bound_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "MAX_BYTES", 100)
    pipe = _fed(tmp_path, b"#" * 101)
    with pytest.raises(KnowledgeFileError) as caught:
        content_hash(pipe)
    assert caught.value.name == str(pipe)
    assert caught.value.problems[0].code == "PO102"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"\xfe\xffa", "file is UTF-16; save it as UTF-8"),
        (b"\xff\xfea", "file is UTF-16; save it as UTF-8"),
        (b"a: 1\nb: \x00 \x00\n", "file contains a NUL byte; it is not a text file"),
    ],
)
def test_text_that_is_not_utf8_is_named(raw: bytes, message: str) -> None:
    with pytest.raises(KnowledgeFileError) as caught:
        decode(raw, "kb.yaml")
    assert caught.value.name == "kb.yaml"
    assert [(p.code, p.message) for p in caught.value.problems] == [("PO103", message)]


@pytest.mark.parametrize(
    ("raw", "line", "column"),
    [
        (b"a: 1\nb: \x00 \x00\n", 2, 4),  # the first NUL
        (b"\nab\xff", 2, 3),  # a line break as the first byte
        (b"ab\xff", 1, 3),
    ],
)
def test_a_bad_byte_is_located(raw: bytes, line: int, column: int) -> None:
    with pytest.raises(KnowledgeFileError) as caught:
        decode(raw, "kb.yaml")
    assert [(p.line, p.column) for p in caught.value.problems] == [(line, column)]


def test_a_byte_order_mark_is_dropped() -> None:
    assert decode("\ufeffa: 1\n".encode(), "kb.yaml") == "a: 1\n"


def test_load_gives_the_sha256_and_the_text() -> None:
    loaded = loader.load(MINIMAL)
    assert loaded.sha256 == hashlib.sha256(MINIMAL.read_bytes()).hexdigest()
    assert loaded.text == MINIMAL.read_text()
    assert loaded.name == str(MINIMAL)


def _written(tmp_path: Path, old: str, new: str) -> Path:
    path = tmp_path / "kb.yaml"
    text = MINIMAL.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return path


def test_a_rule_error_refuses_a_file_for_display(tmp_path: Path) -> None:
    """A rule error (here a value off its attribute's scale) is refused, named and located."""
    path = _written(
        tmp_path, "neuropathic_line: {value: second-line", "neuropathic_line: {value: third-line"
    )
    with pytest.raises(KnowledgeFileError) as caught:
        loader.for_display(path)
    assert caught.value.name == str(path)
    assert [(p.code, p.line) for p in caught.value.problems] == [("PO309", 38)]


def test_a_schema_error_for_display_is_named(tmp_path: Path) -> None:
    path = _written(tmp_path, "year: 2020", "year: someday")
    with pytest.raises(KnowledgeFileError) as caught:
        loader.for_display(path)
    assert caught.value.name == str(path)
    assert caught.value.problems[0].line == 49


def test_bad_bytes_for_display_are_named(tmp_path: Path) -> None:
    path = tmp_path / "kb.yaml"
    path.write_bytes(MINIMAL.read_bytes() + b"\xff")
    with pytest.raises(KnowledgeFileError) as caught:
        loader.for_display(path)
    assert caught.value.name == str(path)


def test_for_display_tells_the_length_before_a_parse_and_keeps_the_text() -> None:
    told: list[int] = []
    loaded = loader.for_display(MINIMAL, on_parse=told.append)
    assert told == [len(MINIMAL.read_text())]
    assert loaded.text == MINIMAL.read_text()
    assert loaded.name == str(MINIMAL)
    assert loaded.sha256 == hashlib.sha256(MINIMAL.read_bytes()).hexdigest()
    assert loader.for_display(MINIMAL, on_parse=told.append).text is None  # cached: no parse
    assert told == [len(MINIMAL.read_text())]


def test_for_display_of_standard_input(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", Stdin(MINIMAL.read_bytes()))
    loaded = loader.for_display(Path("-"))
    assert loaded.name == "<stdin>"
    assert loaded.kb.treatments[0].id == "alpha"


def _shipped_minimal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data folder whose bundled file is minimal.yaml, shipped with its entry."""
    (tmp_path / "treatments.yaml").write_bytes(MINIMAL.read_bytes())
    digest = hashlib.sha256(MINIMAL.read_bytes()).hexdigest()
    (tmp_path / "treatments.cache").write_bytes(cache.encode(loader.load(MINIMAL).kb, digest))
    monkeypatch.setattr(loader, "DATA_FOLDER", tmp_path)
    return tmp_path / "treatments.yaml"


@pytest.mark.parametrize("given", [None, "path"])
def test_the_bundled_file_comes_from_the_shipped_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, given: str | None
) -> None:
    bundled = _shipped_minimal(tmp_path, monkeypatch)
    loaded = loader.for_display(bundled if given else None)
    assert loaded.text is None  # not parsed
    assert loaded.kb == loader.load(MINIMAL).kb
    assert loaded.name == str(bundled)
    assert loaded.sha256 == hashlib.sha256(MINIMAL.read_bytes()).hexdigest()
    other = tmp_path / "other.yaml"
    other.write_text(MINIMAL.read_text() + "# one more line\n")
    assert loader.for_display(other).text is not None  # other bytes: parsed


def test_the_shipped_entry_is_the_bundled_files_validated_base(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundled = _shipped_minimal(tmp_path, monkeypatch)
    digest = hashlib.sha256(MINIMAL.read_bytes()).hexdigest()
    assert cache.decode(loader.checked_form(), digest) == loader.load(MINIMAL).kb
    text = MINIMAL.read_text().replace("{value: second-line", "{value: third-line")
    bundled.write_text(text)
    with pytest.raises(KnowledgeFileError) as caught:
        loader.checked_form()
    assert caught.value.name == "treatments.yaml"
    assert [(p.code, p.line) for p in caught.value.problems] == [("PO309", 38)]
    bundled.write_bytes(b"a: caf\xe9\n")
    with pytest.raises(KnowledgeFileError) as caught:
        loader.checked_form()
    assert caught.value.name == "treatments.yaml"
    assert caught.value.problems[0].code == "PO103"


def test_a_cache_folder_others_may_write_is_a_warning(shared_cache: Path) -> None:
    loaded = loader.for_display(MINIMAL)
    assert loaded.kb.treatments[0].id == "alpha"
    assert [w.startswith("not using the cache: ") for w in loaded.warnings] == [True]


def test_an_overdue_file_is_a_warning(tmp_path: Path) -> None:
    path = _written(
        tmp_path,
        "last_reviewed: 2026-01-31",
        "last_reviewed: 2001-01-31\n  review_interval_days: 30",
    )
    warnings = loader.for_display(path).warnings
    assert warnings
    assert all(w.startswith("the knowledge file is out of date: ") for w in warnings)


def test_the_bundled_schema_is_the_knowledge_files() -> None:
    assert json.loads(loader.bundled_schema_text())["title"] == "painopts knowledge file"


class _Reads:
    """A stream that records the size each read asks for."""

    def __init__(self, stream: Any) -> None:
        self.stream, self.sizes = stream, []

    def read(self, size: int | None = -1) -> bytes:
        self.sizes.append(size)
        return bytes(self.stream.read(size))

    def fileno(self) -> int:
        return int(self.stream.fileno())

    def __enter__(self) -> _Reads:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stream.close()


def _spied(monkeypatch: pytest.MonkeyPatch) -> list[_Reads]:
    opened: list[_Reads] = []
    real = Path.open

    def spy(path: Path, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        stream = real(path, mode, *args, **kwargs)
        if mode != "rb":  # the writer of a test's pipe
            return stream
        opened.append(_Reads(stream))
        return opened[-1]

    monkeypatch.setattr(Path, "open", spy)
    return opened


def test_a_regular_file_is_hashed_in_pieces(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """docs/performance.md: hashed in pieces, never read whole (and not in tiny pieces)."""
    size = 3 * 2**20 + 5
    path = _sized(tmp_path, size)
    opened = _spied(monkeypatch)
    assert content_hash(path) == (None, hashlib.sha256(b"#" * size).hexdigest())
    (stream,) = opened
    assert all(isinstance(n, int) and 0 < n < size for n in stream.sizes)
    assert len(stream.sizes) <= 6


def _over_the_bound(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str) -> list[Any]:
    """The sizes asked for while reading 1,000 bytes against a bound of 100."""
    monkeypatch.setattr(loader, "MAX_BYTES", 100)
    raw = b"#" * 1000
    if source == "stdin":
        stdin = Stdin(raw)
        stream = _Reads(stdin.buffer)
        stdin.buffer = stream  # type: ignore[assignment]
        monkeypatch.setattr("sys.stdin", stdin)
        path, reader = Path("-"), read_file
    else:
        opened = _spied(monkeypatch)
        pipe = source == "pipe"
        path = _fed(tmp_path, raw) if pipe else _sized(tmp_path, 1000)
        reader = content_hash if pipe else read_file
    with pytest.raises(KnowledgeFileError) as caught:
        reader(path)
    assert caught.value.problems[0].code == "PO102"
    return stream.sizes if source == "stdin" else opened[0].sizes


@pytest.mark.parametrize("source", ["stdin", "pipe", "file"])
def test_input_over_the_bound_is_read_no_further_than_one_byte_past_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str
) -> None:
    sizes = _over_the_bound(tmp_path, monkeypatch, source)
    assert sizes
    assert all(isinstance(n, int) and 0 < n <= 101 for n in sizes)


def test_standard_input_at_the_bound_is_read_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "MAX_BYTES", 100)
    monkeypatch.setattr("sys.stdin", Stdin(b"#" * 100))
    assert read_file(Path("-"))[0] == b"#" * 100
