"""The model's constraints as a reader of the knowledge file meets them.

Each case changes one line of the minimal fixture and says, written out by hand, which code
the loader gives, where, and what the message says. The JSON Schema that editors use is
checked for the same constraints.
"""

from __future__ import annotations

import json

import jsonschema
import pytest
from tests.conftest import MINIMAL

from painopts.load import KnowledgeFileError, bundled_schema_text, validate_text
from painopts.model import Spec

TEXT = MINIMAL.read_text()


def problems_after(old: str, new: str) -> list[tuple[str, int | None, str]]:
    """(code, line, message) of each problem the loader finds once line ``old`` reads ``new``."""
    lines = TEXT.splitlines()
    assert lines.count(old) == 1, old
    lines[lines.index(old)] = new
    try:
        validate_text("\n".join(lines), "t.yaml")
    except KnowledgeFileError as error:
        return [(p.code, p.line, p.message) for p in error.problems]
    return []


def line_of(text: str) -> int:
    return TEXT.splitlines().index(text) + 1


REVIEWED = "  last_reviewed: 2026-01-31"


@pytest.mark.parametrize(
    ("new", "why"),
    [
        ("  last_reviewed: 20260131", "a number"),
        ("  last_reviewed: 2026-1-31", "no leading zero"),
        ("  last_reviewed: 31/01/2026", "another order"),
        ("  last_reviewed: '2026-01-31T09:00:00'", "a timestamp"),
        ("  last_reviewed: [2026, 1, 31]", "a list"),
    ],
)
def test_a_date_must_be_written_yyyy_mm_dd(new: str, why: str) -> None:
    assert problems_after(REVIEWED, new) == [
        ("PO204", line_of(REVIEWED), "invalid value: expected a date written YYYY-MM-DD")
    ], why


def test_a_date_that_does_not_exist_is_refused() -> None:
    ((code, line, message),) = problems_after(REVIEWED, "  last_reviewed: 2026-02-30")
    assert (code, line) == ("PO204", line_of(REVIEWED))
    assert "date" in message and "day" in message


def test_a_missing_date_is_a_missing_key_and_an_optional_one_may_be_null() -> None:
    assert problems_after(REVIEWED, "") == [("PO202", 1, "missing required key 'last_reviewed'")]
    url = "    url: https://example.org/test"
    assert problems_after(url, url + "\n    checked: null") == []
    assert problems_after(url, url + "\n    checked: 2025-06-01") == []
    assert problems_after(url, url + "\n    checked: 2025") == [
        ("PO204", line_of(url) + 1, "invalid value: expected a date written YYYY-MM-DD")
    ]


YEAR = "    year: 2020"


@pytest.mark.parametrize(
    ("new", "code", "message"),
    [
        ("    year: '2020'", "PO203", "wrong type: Input should be a valid integer, found text"),
        (
            "    year: true",
            "PO203",
            "wrong type: Input should be a valid integer, found true/false"
            " (quote it to make it text)",
        ),
        ("    year: 1899", "PO204", "invalid value: Input should be greater than or equal to 1900"),
        ("    year: 2101", "PO204", "invalid value: Input should be less than or equal to 2100"),
        (
            "    year: 2020.5",
            "PO203",
            "wrong type: Input should be a valid integer, found a number"
            " (quote it to make it text)",
        ),
    ],
)
def test_a_year_is_a_whole_number_from_1900_to_2100(new: str, code: str, message: str) -> None:
    assert problems_after(YEAR, new) == [(code, line_of(YEAR), message)]


PATTERN_ID = "^[a-z0-9][a-z0-9_-]*$"


@pytest.mark.parametrize(
    ("old", "new", "fragment"),
    [
        ("  - id: alpha", "  - id: Alpha", PATTERN_ID),
        ("  - id: alpha", "  - id: al pha", PATTERN_ID),
        ("  - id: alpha", "  - id: -alpha", PATTERN_ID),
        ("  - id: alpha", "  - id: " + "a" * 65, "at most 64 characters"),
        ("  version: 1.0.0", "  version: '1.0'", r"^[0-9]+\.[0-9]+\.[0-9]+$"),
        ("    doi: 10.1000/test.1", "    doi: doi:10.1000/test.1", r"^10\.[0-9]{4,9}/\S+$"),
        ("    doi: 10.1000/test.1", "    doi: 10.10/test.1", r"^10\.[0-9]{4,9}/\S+$"),
        ("    url: https://example.org/test", "    url: ftp://example.org/test", "https?://"),
        ("    url: https://example.org/test", "    url: https://exa mple.org", "https?://"),
        ("    pmid: 123456", "    pmid: 12a456", r"^[0-9]{1,9}$"),
        ("    pmid: 123456", "    pmid: 1234567890", r"^[0-9]{1,9}$"),
        ("    name: Alpha", "    name: ''", "at least 1 character"),
        ("    name: Alpha", "    name: " + "x" * 501, "at most 500 characters"),
        ("    summary: A test treatment.", "    summary: " + "x" * 20_001, "at most 20000"),
        ("    routes: [oral]", "    routes: []", "at least 1 item"),
        ("    aliases: [Alphazol]", "    aliases: ['']", "at least 1 character"),
    ],
)
def test_text_constraints_are_applied_where_the_text_is(old: str, new: str, fragment: str) -> None:
    ((code, line, message),) = problems_after(old, new)
    assert (code, line) == ("PO204", line_of(old))
    assert message.startswith("invalid value: ")
    assert fragment in message


@pytest.mark.parametrize("pmid", ["    pmid: 123456", "    pmid: '123456'", "    pmid: 1"])
def test_a_pubmed_id_may_be_typed_as_a_number_or_as_text(pmid: str) -> None:
    assert problems_after("    pmid: 123456", pmid) == []


def test_the_bundled_schema_says_the_same_to_editors() -> None:
    """The JSON Schema carries the constraints and descriptions that the loader applies."""
    definitions = json.loads(bundled_schema_text())["definitions"]
    treatment = definitions["Treatment"]["properties"]
    assert treatment["id"]["pattern"] == PATTERN_ID
    assert treatment["id"]["maxLength"] == 64
    assert treatment["routes"]["minItems"] == 1
    assert treatment["routes"]["items"] == {"maxLength": 500, "minLength": 1, "type": "string"}
    source = definitions["Source"]["properties"]
    assert {"maximum": 2100, "minimum": 1900, "type": "integer"} in source["year"]["anyOf"]
    assert {"type": "integer"} in source["pmid"]["anyOf"]
    assert {"pattern": r"^[0-9]{1,9}$", "type": "string"} in source["pmid"]["anyOf"]
    reviewed = definitions["Meta"]["properties"]["last_reviewed"]
    assert (reviewed["type"], reviewed["format"]) == ("string", "date")
    assert reviewed["description"].startswith("ISO date (YYYY-MM-DD)")
    # the outer description of a field wins over the one its type carries
    assert definitions["Claim"]["properties"]["article"]["description"] == (
        "Id of the article making the claim."
    )


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("  - id: alpha", "  - id: Alpha"),
        ("    year: 2020", "    year: 1899"),
        ("    routes: [oral]", "    routes: []"),
        ("    pmid: 123456", "    pmid: 12a456"),
    ],
)
def test_the_schema_refuses_what_the_loader_refuses(old: str, new: str) -> None:
    from painopts.load import parse

    validator = jsonschema.Draft7Validator(json.loads(bundled_schema_text()))
    assert not list(validator.iter_errors(parse(TEXT, "t.yaml")))
    changed = "\n".join(new if line == old else line for line in TEXT.splitlines())
    assert list(validator.iter_errors(parse(changed, "t.yaml")))


def test_an_unknown_constraint_is_a_mistake_in_the_model() -> None:
    with pytest.raises(TypeError, match="unknown constraint: colour"):
        Spec("A description.", colour="red")
