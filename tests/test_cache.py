"""The cache of validated knowledge bases: used, rebuilt, and never trusted blindly."""

from __future__ import annotations

import os
import pickle
import zlib
from pathlib import Path

import pytest
from tests.conftest import MINIMAL

from painopts import cache, load
from painopts.cli import main_exit_code


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.pickle"))


def forbid_validation(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(text: str, name: str) -> None:
        raise AssertionError("validated again")

    monkeypatch.setattr(load, "validate_text", fail)


def test_second_load_uses_the_cache(private_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = load.load(MINIMAL, use_cache=True)
    assert len(entries(private_cache)) == 1
    forbid_validation(monkeypatch)
    assert load.load(MINIMAL, use_cache=True).kb == first.kb


def test_changed_file_is_validated_again(private_cache: Path, tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "kb.yaml"
    path.write_text(MINIMAL.read_text())
    load.load(path, use_cache=True)
    path.write_text(MINIMAL.read_text().replace("Test data, not", "Changed test data, not"))
    calls = []
    original = load.validate_text
    monkeypatch.setattr(load, "validate_text", lambda t, n: calls.append(n) or original(t, n))
    assert load.load(path, use_cache=True).kb.meta.disclaimer.startswith("Changed")
    assert calls == [str(path)]
    assert len(entries(private_cache)) == 2


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: raw[:-10],
        lambda raw: raw.replace(cache.MAGIC, b"painopts-cache-0\n"),
        lambda raw: raw[:-1] + bytes([raw[-1] ^ 1]),
        lambda raw: b"",
    ],
    ids=["truncated", "foreign-magic", "flipped-bit", "empty"],
)
def test_corrupt_entry_is_ignored_and_rebuilt(private_cache: Path, damage) -> None:
    load.load(MINIMAL, use_cache=True)
    (entry,) = entries(private_cache)
    entry.write_bytes(damage(entry.read_bytes()))
    assert cache.get(load.read_file(MINIMAL)[1]) is None
    assert load.load(MINIMAL, use_cache=True).kb.treatments[0].id == "alpha"
    assert cache.get(load.read_file(MINIMAL)[1]) is not None


class Boom:
    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (print, ("code ran",))


def test_entry_naming_other_code_is_never_run(private_cache: Path, capsys) -> None:
    digest = load.read_file(MINIMAL)[1]
    load.load(MINIMAL, use_cache=True)
    (entry,) = entries(private_cache)
    payload = pickle.dumps(Boom())
    header = cache.MAGIC + cache.key(digest).encode() + b"\n"
    entry.write_bytes(header + cache.checksum(payload) + b"\n" + payload)
    assert cache.get(digest) is None
    assert "code ran" not in capsys.readouterr().out


def test_unwritable_cache_is_skipped(tmp_path: Path, monkeypatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("PAINOPTS_CACHE_DIR", str(blocker / "cache"))
    assert load.load(MINIMAL, use_cache=True).kb.treatments


def test_cache_can_be_turned_off(private_cache: Path, monkeypatch) -> None:
    monkeypatch.setenv("PAINOPTS_NO_CACHE", "1")
    load.load(MINIMAL, use_cache=True)
    assert entries(private_cache) == []


@pytest.mark.parametrize("fmt", ["table", "plain", "markdown", "json", "csv", "html"])
def test_output_is_identical_with_and_without_cache(capsys, monkeypatch, fmt: str) -> None:
    args = ["--data", str(MINIMAL), "show", "alpha", "-f", fmt]
    outputs = []
    for setting in ("1", ""):
        monkeypatch.setenv("PAINOPTS_NO_CACHE", setting)
        for _ in range(2):
            assert main_exit_code(args) == 0
            outputs.append(capsys.readouterr().out)
    assert len(set(outputs)) == 1


def test_validate_never_trusts_the_cache(private_cache: Path, monkeypatch) -> None:
    load.load(MINIMAL, use_cache=True)
    forbid_validation(monkeypatch)
    with pytest.raises(AssertionError, match="validated again"):
        main_exit_code(["validate", str(MINIMAL)])


def test_values_stay_pickled_until_read(private_cache: Path) -> None:
    fresh = load.load(MINIMAL, use_cache=True).kb
    cached = load.load(MINIMAL, use_cache=True).kb
    values = cached.treatments[0].attributes
    assert isinstance(values, cache.PickledValues)
    assert cached == fresh
    assert dict(values) == dict(fresh.treatments[0].attributes)


def write_entry(folder: Path, digest: str, kb: object) -> None:
    payload = pickle.dumps(kb)
    header = cache.MAGIC + cache.key(digest).encode() + b"\n" + cache.checksum(payload) + b"\n"
    (folder / f"{cache.key(digest)}.pickle").write_bytes(header + payload)


def test_forged_values_give_one_line(private_cache: Path, cli) -> None:
    from dataclasses import replace

    kb = load.load(MINIMAL, use_cache=True).kb
    first = replace(kb.treatments[0], attributes=cache.PickledValues(b"not a pickle"))
    write_entry(private_cache, load.read_file(MINIMAL)[1], replace(kb, treatments=(first,)))
    result = cli("--data", str(MINIMAL), "show", first.id)
    assert result.code == 1
    assert result.err == (
        f"painopts: error: a cache entry cannot be read; delete the folder {private_cache} and run "
        "again\n"
    )


def test_the_last_entry_of_a_path_is_only_a_guess(private_cache: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "first.yaml", tmp_path / "second.yaml"
    first.write_text(MINIMAL.read_text())
    second.write_text(MINIMAL.read_text().replace("Test data, not", "Other test data, not"))
    load.load(first, use_cache=True)
    load.load(second, use_cache=True)
    digest = load.read_file(first)[1]
    (pointer_of_first,) = [p for p in private_cache.glob("*.last") if p.read_text() == digest]
    pointer_of_first.write_text(load.read_file(second)[1])  # now points at the other content
    assert cache.recall(first) is not None
    assert not load.load(first, use_cache=True).kb.meta.disclaimer.startswith("Other")
    for junk in ("", "../" * 30, "g" * 64):
        pointer_of_first.write_text(junk)
        assert cache.recall(first) is None
        assert not load.load(first, use_cache=True).kb.meta.disclaimer.startswith("Other")


def test_a_missing_file_is_one_error_with_the_cache_on(tmp_path: Path) -> None:
    with pytest.raises(load.KnowledgeFileError, match="no such file"):
        load.load(tmp_path / "missing.yaml", use_cache=True)


@pytest.mark.parametrize(
    ("platform", "environment", "expected"),
    [
        ("linux", {}, "{home}/.cache/painopts"),
        ("linux", {"XDG_CACHE_HOME": "/xdg"}, "/xdg/painopts"),
        ("darwin", {}, "{home}/Library/Caches/painopts"),
        ("win32", {"LOCALAPPDATA": "/local"}, "/local/painopts/Cache"),
        ("win32", {}, "{home}/AppData/Local/painopts/Cache"),
    ],
)
def test_the_cache_folder_is_the_platforms_own(
    monkeypatch: pytest.MonkeyPatch, platform: str, environment: dict[str, str], expected: str
) -> None:
    for name in ("PAINOPTS_CACHE_DIR", "XDG_CACHE_HOME", "LOCALAPPDATA"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(cache.sys, "platform", platform)
    assert cache.folder() == Path(expected.format(home=Path.home()))


def test_a_failed_cache_write_leaves_nothing(
    private_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(source: str, target: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cache.os, "replace", refuse)
    assert load.load(MINIMAL, use_cache=True).kb.treatments[0].id == "alpha"
    assert list(private_cache.iterdir()) == []


def test_cached_values_can_be_pickled_and_shown_again(private_cache: Path) -> None:
    load.load(MINIMAL, use_cache=True)
    values = load.load(MINIMAL, use_cache=True).kb.treatments[0].attributes
    assert isinstance(values, cache.PickledValues)
    assert pickle.loads(pickle.dumps(values)) == values
    assert repr(values) == repr(dict(values))
    assert len(values) == len(list(values))


def test_a_path_that_is_not_utf8_is_cached_like_any_other(
    private_cache: Path, tmp_path: Path
) -> None:
    odd = tmp_path / os.fsdecode(b"caf\xe9.yaml")
    odd.write_bytes(MINIMAL.read_bytes())
    assert load.load(odd, use_cache=True).kb == load.load(odd, use_cache=True).kb
    assert len(list(private_cache.glob("*.last"))) == 1


def test_without_threads_the_file_is_read_on_this_one(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    def no_thread(self: threading.Thread) -> None:
        raise RuntimeError("can't start new thread")

    load.load(MINIMAL, use_cache=True)
    monkeypatch.setattr(threading.Thread, "start", no_thread)
    assert load.load(MINIMAL, use_cache=True).kb.treatments[0].id == "alpha"


def test_an_unexpected_read_failure_surfaces_as_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    def out_of_memory(path: Path) -> None:
        raise MemoryError

    monkeypatch.setattr(load, "read_file", out_of_memory)
    with pytest.raises(MemoryError):
        load.load(MINIMAL, use_cache=True)


def test_forged_values_of_the_wrong_type_give_one_line(private_cache: Path, cli) -> None:
    from dataclasses import replace

    kb = load.load(MINIMAL, use_cache=True).kb
    forged = cache.PickledValues(zlib.compress(pickle.dumps({"onset": 5})))
    first = replace(kb.treatments[0], attributes=forged)
    write_entry(private_cache, load.read_file(MINIMAL)[1], replace(kb, treatments=(first,)))
    result = cli("--data", str(MINIMAL), "show", first.id)
    assert (result.code, result.err.count("\n")) == (1, 1)
    assert "cache entry cannot be read" in result.err
