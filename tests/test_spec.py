"""The model's constraints as a reader of the knowledge file meets them.

Each case changes one line of the minimal fixture and says, written out by hand, which code
the loader gives, where, and what the message says. The JSON Schema that editors use is
checked for the same constraints.
"""

from __future__ import annotations

import json
import re

import jsonschema
import pytest
from tests.conftest import MINIMAL

from painopts.load import KnowledgeFileError, bundled_schema_text, json_schema, parse, validate_text
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
    validator = jsonschema.Draft7Validator(json.loads(bundled_schema_text()))
    assert not list(validator.iter_errors(parse(TEXT, "t.yaml")))
    changed = "\n".join(new if line == old else line for line in TEXT.splitlines())
    assert list(validator.iter_errors(parse(changed, "t.yaml")))


def test_an_unknown_constraint_is_a_mistake_in_the_model() -> None:
    with pytest.raises(TypeError, match="unknown constraint: colour"):
        Spec("A description.", colour="red")


NAME = "    name: Alpha"
ROUTES = "    routes: [oral]"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (NAME, "    name: 5", "a valid string, found a number (quote it to make it text)"),
        (NAME, "    name: 5.5", "a valid string, found a number (quote it to make it text)"),
        (NAME, "    name: true", "a valid string, found true/false (quote it to make it text)"),
        (NAME, "    name:", "a valid string, found nothing"),
        (NAME, "    name: {first: Alpha}", "a valid string, found a mapping"),
        (NAME, "    name: [Alpha]", "a valid string, found a list"),
        (ROUTES, "    routes: oral", "a valid list, found text"),
    ],
)
def test_a_wrong_type_says_what_was_found(old: str, new: str, message: str) -> None:
    """docs/knowledge-file.md, PO203: the type expected and what the file has instead."""
    assert problems_after(old, new) == [
        ("PO203", line_of(old), f"wrong type: Input should be {message}")
    ]


def test_an_unknown_key_and_a_missing_key_are_named() -> None:
    assert problems_after(NAME, NAME + "\n    colour: red") == [
        ("PO201", line_of(NAME) + 1, "unknown key 'colour'")
    ]
    assert problems_after(NAME, "") == [
        ("PO202", line_of("  - id: alpha"), "missing required key 'name'")
    ]


@pytest.mark.parametrize(
    ("new", "problem"),
    [
        (
            "    routes: [5]",
            (
                "PO203",
                "wrong type: Input should be a valid string, found a number"
                " (quote it to make it text)",
            ),
        ),
        ("    routes: ['']", ("PO204", "invalid value: String should have at least 1 character")),
    ],
)
def test_a_list_whose_item_is_wrong_is_not_also_called_too_short(
    new: str, problem: tuple[str, str]
) -> None:
    """Pydantic also calls such a list (and the treatments around it) too short: one problem."""
    code, message = problem
    assert problems_after(ROUTES, new) == [(code, line_of(ROUTES), message)]


def test_an_empty_list_is_too_short_beside_another_problem() -> None:
    text = TEXT.replace(ROUTES, "    routes: []").replace(NAME, "    name: 5")
    with pytest.raises(KnowledgeFileError) as caught:
        validate_text(text, "t.yaml")
    assert [(p.code, p.line, p.message) for p in caught.value.problems] == [
        (
            "PO203",
            line_of(NAME),
            "wrong type: Input should be a valid string, found a number (quote it to make it text)",
        ),
        (
            "PO204",
            line_of(ROUTES),
            "invalid value: List should have at least 1 item after validation, not 0",
        ),
    ]


def test_every_kind_pydantic_gives_an_unknown_or_a_missing_key_has_its_code() -> None:
    """A record reports these as extra_forbidden or unexpected_keyword_argument, and as missing
    or missing_keyword_only_argument, depending on how pydantic builds it."""
    from pydantic import ValidationError

    from painopts.load.schema import schema_problems

    kinds = [
        ("extra_forbidden", "colour"),
        ("unexpected_keyword_argument", "shade"),
        ("missing", "title"),
        ("missing_keyword_only_argument", "version"),
    ]
    error = ValidationError.from_exception_data(
        "KnowledgeBase", [{"type": kind, "loc": ("meta", key), "input": {}} for kind, key in kinds]
    )
    assert [(p.code, p.message, p.dotted) for p in schema_problems(error)] == [
        ("PO201", "unknown key 'colour'", "meta.colour"),
        ("PO201", "unknown key 'shade'", "meta.shade"),
        ("PO202", "missing required key 'title'", "meta.title"),
        ("PO202", "missing required key 'version'", "meta.version"),
    ]


def test_the_schema_is_draft_7_with_definitions_named_by_reference() -> None:
    schema = json_schema()
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    text = json.dumps(schema)
    assert "$defs" not in text
    refs = set(re.findall(r'"\$ref": "([^"]*)"', text))
    assert {"#/definitions/Meta", "#/definitions/Treatment", "#/definitions/Source"} <= refs
    assert {ref.removeprefix("#/definitions/") for ref in refs} <= set(schema["definitions"])
    assert schema["properties"]["treatments"]["items"] == {"$ref": "#/definitions/Treatment"}
    treatment = schema["definitions"]["Treatment"]["properties"]
    assert "class" in treatment and "class_" not in treatment  # the key written in the file
    jsonschema.Draft7Validator.check_schema(schema)
    validator = jsonschema.Draft7Validator(schema)
    assert not list(validator.iter_errors(parse(TEXT, "t.yaml")))
    assert list(validator.iter_errors(parse(TEXT.replace("  - id: alpha", "  - id: Alpha"), "t")))


def test_records_are_described_whatever_the_pydantic_version(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Pydantic before 2.13 leaves records undescribed: the schema is the same without it."""
    from painopts.load import schema as module

    real = module._validator()

    class Undescribing:
        def json_schema(self, **options: object) -> dict[str, object]:
            generated = real.json_schema(**options)
            for record in [generated, *generated["$defs"].values()]:
                record.pop("description", None)  # older pydantic: none to remove
            return generated

    described = json_schema()
    monkeypatch.setattr(module, "_validator", Undescribing)
    undescribed = json_schema()
    assert undescribed["description"] == "A whole knowledge file."
    assert undescribed["definitions"]["Treatment"]["description"] == (
        "A treatment option and its value for each attribute."
    )
    assert undescribed["definitions"]["Certainty"]["description"] == (
        "GRADE certainty of an evidence statement."
    )
    assert undescribed == described


def test_a_description_pydantic_wrote_is_kept_and_only_records_are_described() -> None:
    """The rule json_schema applies to each definition: its record's docstring where it has none."""
    from painopts.load.schema import _describe_records

    definitions: dict[str, dict[str, str]] = {
        "Treatment": {},
        "Meta": {"description": "As pydantic wrote it."},
        "NotARecord": {},
    }
    _describe_records(definitions)
    assert definitions == {
        "Treatment": {"description": "A treatment option and its value for each attribute."},
        "Meta": {"description": "As pydantic wrote it."},
        "NotARecord": {},
    }
