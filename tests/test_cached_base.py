"""A knowledge base read back from the cache answers every lookup as the file itself does.

The cache builds treatments, their values, sources and claims only when they are read. These
tests hold that to the plain base validated from the same file: every lookup by id, the claims
about any treatments, the treatments with a given value, and whole collections; and they show
that a part nobody reads is never built, so a damaged one stops only the commands that read it.
"""

from __future__ import annotations

import itertools
import json
import zlib
from pathlib import Path

import pytest
from tests.conftest import MINIMAL, REPO
from tests.test_cache import rewritten
from tests.test_cache_equivalence import generated

from painopts import cache, load
from painopts.model import KnowledgeBase, UnknownNameError, resolve_treatment

BUNDLED = REPO / "data" / "treatments.yaml"


def both(path: Path) -> tuple[KnowledgeBase, KnowledgeBase]:
    """The base validated from the file, and the same base read back from its cache entry."""
    fresh = load.load(path).kb
    load.for_display(path)  # first sight: validated and cached
    cached = cache.Cache().get(load.read_file(path)[1])
    assert cached is not None
    return fresh, cached


@pytest.fixture(scope="module")
def bundled_pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[KnowledgeBase, KnowledgeBase]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PAINOPTS_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        return both(BUNDLED)


def test_lookups_by_id_agree(bundled_pair) -> None:
    fresh, cached = bundled_pair
    for treatment in fresh.treatments:
        assert cached.treatment(treatment.id) == treatment
    for source in fresh.sources:
        assert cached.source(source.id) == source
    for unknown in ("", "no-such-id", "ketamine opioids", " ketamine"):
        assert cached.treatment(unknown) is None and fresh.treatment(unknown) is None
        assert cached.source(unknown) is None


def test_claims_about_any_treatments_agree(bundled_pair) -> None:
    fresh, cached = bundled_pair
    ids = [treatment.id for treatment in fresh.treatments]
    for chosen in [*([each] for each in ids), *itertools.combinations(ids[:8], 2), ids, []]:
        expected = tuple(c for c in fresh.claims if set(chosen) & set(c.treatments))
        assert cached.claims_about(chosen) == fresh.claims_about(chosen) == expected


def test_treatments_with_a_value_agree(bundled_pair) -> None:
    fresh, cached = bundled_pair
    for attribute in fresh.attributes:
        texts = {
            t.attributes[attribute.id].value
            for t in fresh.treatments
            if attribute.id in t.attributes
        }
        for text in [*sorted(texts), "no such value"]:
            expected = tuple(
                t
                for t in fresh.treatments
                if attribute.id in t.attributes and t.attributes[attribute.id].value == text
            )
            assert cached.treatments_valued(attribute.id, text) == expected
            assert fresh.treatments_valued(attribute.id, text) == expected
    assert cached.treatments_valued("no-such-attribute", "first-line") == ()


def test_whole_collections_and_the_base_agree(bundled_pair) -> None:
    fresh, cached = bundled_pair
    assert cached.treatments == fresh.treatments
    assert [dict(t.attributes) for t in cached.treatments] == [
        dict(t.attributes) for t in fresh.treatments
    ]
    assert (cached.sources, cached.claims) == (fresh.sources, fresh.claims)
    assert cached == fresh and fresh == cached
    assert cached != object()


def spoil_claims_and_sources(about: set[str]):
    """A change to an entry: every source, and every claim not about ``about``, cannot be read."""

    def change(head: dict, parts: bytes) -> bytes:
        pieces, start = {}, 0
        for field in ("treatments", "values", "sources", "claims"):
            pieces[field] = []
            for length in head[field][0]:
                pieces[field].append(parts[start : start + length])
                start += length
        for field in ("sources", "claims"):
            lengths, keys = head[field]
            for index, key in enumerate(keys):
                if field == "sources" or not about & set(key.split()):
                    pieces[field][index] = json.dumps(
                        json.loads(pieces[field][index]) | {"title": 5, "verdict": 5}
                    ).encode()
                    lengths[index] = len(pieces[field][index])
        return b"".join(b"".join(each) for each in pieces.values())

    return change


@pytest.mark.parametrize("full", [False, True])
def test_a_compare_reads_only_the_claims_about_its_treatments(
    private_cache: Path, tmp_path: Path, cli, full: bool
) -> None:
    """Two treatments of 300: what the others' claims and every source hold is never read.

    (``--full`` cites sources, so it meets the spoiled ones and answers from the file.)"""
    path = generated(tmp_path, 300)
    args = ["--data", str(path), "compare", "synthetic-1", "synthetic-2", "-f", "plain"]
    args += ["--full"] if full else []
    fresh = cli(*args)
    assert fresh.code == 0
    (entry,) = private_cache.glob("*.json")
    rewritten(entry, spoil_claims_and_sources({"synthetic-1", "synthetic-2"}))
    spoiled = entry.read_bytes()
    assert cli(*args) == fresh
    if full:  # a spoiled source was read: the entry is removed
        assert not entry.exists()
    else:  # nothing spoiled was read; every claim is, so then the damage is met
        assert entry.read_bytes() == spoiled
        assert cli("--data", str(path), "claims", "-f", "json").code == 0
        assert not entry.exists()


def test_a_damaged_treatment_is_met_only_by_the_commands_that_read_it(
    private_cache: Path, tmp_path: Path, cli
) -> None:
    """Another treatment is shown from the entry as it is; the damaged one, from the file."""
    path = generated(tmp_path, 5)
    fresh = cli("--data", str(path), "show", "synthetic-0")
    assert fresh.code == 0
    (entry,) = private_cache.glob("*.json")
    sound = entry.read_bytes()

    def replace_first(head: dict, parts: bytes) -> bytes:
        lengths = head["treatments"][0]
        old_length = lengths[0]
        card = json.loads(parts[:old_length]) | {"name": 5}
        new = json.dumps(card).encode()
        lengths[0] = len(new)
        return new + parts[old_length:]

    rewritten(entry, replace_first)
    damaged = entry.read_bytes()
    shown = cli("--data", str(path), "show", "synthetic-1")
    assert (shown.code, shown.err) == (0, "")
    assert "Synthetic treatment 1" in shown.out
    assert entry.read_bytes() == damaged  # the damaged part was never read
    assert cli("--data", str(path), "show", "synthetic-0") == fresh  # answered from the file
    assert not entry.exists()  # the damaged entry is gone
    assert cli("--data", str(path), "show", "synthetic-0") == fresh
    assert entry.read_bytes() == sound  # a miss: written again


def test_values_of_a_treatment_are_read_when_first_asked_for(private_cache: Path, cli) -> None:
    """A treatment is found and named without inflating its values."""
    assert cli("--data", str(MINIMAL), "show", "alpha").code == 0
    (entry,) = private_cache.glob("*.json")

    def spoil_the_values(head: dict, parts: bytes) -> bytes:
        card_length, values_length = head["treatments"][0][0], head["values"][0][0]
        values = parts[card_length : card_length + values_length]
        spoiled = zlib.compress(b"not json")
        head["values"][0][0] = len(spoiled)
        return parts[:card_length] + spoiled + parts[card_length + len(values) :]

    rewritten(entry, spoil_the_values)
    kb = cache.Cache().get(load.read_file(MINIMAL)[1])
    assert kb is not None
    alpha = kb.treatment("alpha")
    assert alpha is not None and alpha.name == "Alpha"
    assert kb.treatments_valued("neuropathic_line", "second-line") == (alpha,)
    with pytest.raises(cache.DamagedEntryError):
        alpha.attributes["onset"]


def test_names_resolve_alike(bundled_pair) -> None:
    """Every id, name and alias, in other cases and spellings, finds the same treatment."""
    fresh, cached = bundled_pair
    for treatment in fresh.treatments:
        for name in (treatment.id, treatment.name, *treatment.aliases):
            for typed in (name, name.upper(), name.replace(" ", "-")):
                assert resolve_treatment(cached, typed) == resolve_treatment(fresh, typed)
                assert resolve_treatment(cached, typed).id == treatment.id


@pytest.mark.parametrize("typed", ["ketamin", "opiods", "no such treatment", ""])
def test_unknown_names_fail_alike(bundled_pair, typed: str) -> None:
    fresh, cached = bundled_pair
    with pytest.raises(UnknownNameError) as from_file:
        resolve_treatment(fresh, typed)
    with pytest.raises(UnknownNameError) as from_cache:
        resolve_treatment(cached, typed)
    assert str(from_cache.value) == str(from_file.value)
