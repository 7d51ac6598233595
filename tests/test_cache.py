"""The cache of validated knowledge bases: used, rebuilt, bounded, never changing an answer."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import stat
import subprocess
import sys
import time
import typing
import zlib
from pathlib import Path

import pytest
from tests.conftest import MINIMAL, REPO

from painopts import cache, load
from painopts.cli import main_exit_code
from painopts.model import KnowledgeBase, Verdict

BUNDLED = REPO / "data" / "treatments.yaml"
SHIPPED = REPO / "data" / "treatments.cache"


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.json"))


def digest_of(path: Path) -> str:
    return load.read_file(path)[1]


def forbid_validation(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(text: str, name: str) -> None:
        raise AssertionError("validated again")

    monkeypatch.setattr(load, "validate_text", fail)


def test_second_load_uses_the_cache(private_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = load.for_display(MINIMAL)
    assert len(entries(private_cache)) == 1
    forbid_validation(monkeypatch)
    assert load.for_display(MINIMAL).kb == first.kb


def test_the_bundled_file_comes_from_its_shipped_form_with_no_cache_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "cache"
    monkeypatch.setenv("PAINOPTS_CACHE_DIR", str(folder))
    fresh = load.load(BUNDLED).kb
    forbid_validation(monkeypatch)
    for path in (None, BUNDLED):
        shown = load.for_display(path).kb
        assert shown == fresh
        assert [dict(t.attributes) for t in shown.treatments] == [
            dict(t.attributes) for t in fresh.treatments
        ]
    assert not folder.exists()  # the first run after install makes no folder


def test_the_shipped_form_is_the_generated_one() -> None:
    message = "run: python -m painopts.load --checked > data/treatments.cache"
    assert SHIPPED.read_bytes() == load.checked_form(), message


def test_the_wheel_carries_the_shipped_form() -> None:
    project = (REPO / "pyproject.toml").read_text()
    wheel = project.split("[tool.hatch.build.targets.wheel.force-include]")[1].split("\n[")[0]
    assert '"data/treatments.cache" = "painopts/data/treatments.cache"' in wheel.splitlines()
    sdist = project.split("[tool.hatch.build.targets.sdist]")[1].split("\n[")[0]
    assert '"data/treatments.cache"' in sdist
    assert (load.DATA_FOLDER / "treatments.cache").read_bytes() == SHIPPED.read_bytes()


@pytest.mark.parametrize("stale", ["code", "content"])
def test_a_shipped_form_that_does_not_fit_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stale: str
) -> None:
    """Shipped for other code (a development checkout not regenerated) or another file."""
    path = BUNDLED
    if stale == "code":
        monkeypatch.setattr(cache, "code_key", lambda: "0123456789abcdef")
    else:
        path = tmp_path / "kb.yaml"
        path.write_text(BUNDLED.read_text() + "\n")
    assert cache.read_shipped(SHIPPED, digest_of(path)) is None
    loaded = load.for_display(path)
    assert loaded.text is not None  # parsed
    assert loaded.kb == load.load(BUNDLED).kb


def test_no_cache_means_the_file_is_parsed_even_for_the_bundled_file(monkeypatch) -> None:
    monkeypatch.setenv("PAINOPTS_NO_CACHE", "1")
    assert load.for_display(None).text == BUNDLED.read_text()


def test_the_entry_is_named_by_content_and_code(private_cache: Path) -> None:
    load.for_display(MINIMAL)
    (entry,) = entries(private_cache)
    assert entry.name == f"{digest_of(MINIMAL)[:40]}-{cache.code_key()}.json"


def test_an_entry_is_a_header_and_json_that_any_python_can_read(private_cache: Path) -> None:
    load.for_display(MINIMAL)
    header, body = entries(private_cache)[0].read_bytes().split(b"\n", 1)
    magic, sha256, code, crc = header.split(b" ")
    assert (magic, sha256.decode(), code.decode()) == (
        b"painopts-cache",
        digest_of(MINIMAL),
        cache.code_key(),
    )
    assert int(crc, 16) == zlib.crc32(body)
    data = json.loads(body)
    assert data["meta"]["title"] == "Minimal knowledge file for tests"
    assert [t["id"] for t in data["treatments"]] == ["alpha"]
    assert data["claims"][0]["id"] == "alpha-great"


def test_changed_file_is_validated_again(private_cache: Path, tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "kb.yaml"
    path.write_text(MINIMAL.read_text())
    load.for_display(path)
    path.write_text(MINIMAL.read_text().replace("Test data, not", "Changed test data, not"))
    calls = []
    original = load.validate_text
    monkeypatch.setattr(load, "validate_text", lambda t, n: calls.append(n) or original(t, n))
    assert load.for_display(path).kb.meta.disclaimer.startswith("Changed")
    assert calls == [str(path)]
    assert len(entries(private_cache)) == 2


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: raw[:-10],
        lambda raw: raw.replace(b"painopts-cache", b"painopts-cache-0", 1),
        lambda raw: raw[:-1] + bytes([raw[-1] ^ 1]),
        lambda raw: raw[:40] + bytes([raw[40] ^ 1]) + raw[41:],
        lambda raw: raw[:150] + bytes([raw[150] ^ 1]) + raw[151:],
        lambda raw: b"",
        lambda raw: b"\x80\x04\x95" + raw,
        lambda raw: raw.split(b"\n")[0] + b"\n[[[[[",
    ],
    ids=[
        "truncated",
        "foreign-magic",
        "flipped-bit",
        "flipped-header",
        "flipped-body",
        "empty",
        "junk",
        "bad-json",
    ],
)
def test_a_damaged_entry_is_a_miss_and_is_rebuilt(private_cache: Path, damage) -> None:
    load.for_display(MINIMAL)
    (entry,) = entries(private_cache)
    sound = entry.read_bytes()
    entry.write_bytes(damage(sound))
    assert cache.Cache().get(digest_of(MINIMAL)) is None
    assert load.for_display(MINIMAL).kb.treatments[0].id == "alpha"
    assert entry.read_bytes() == sound


def forged(kb_file: Path, change) -> bytes:
    """An entry written as painopts writes them, for a base someone changed."""
    return cache.encode(change(load.load(kb_file).kb), digest_of(kb_file))


def say_supported(kb):
    claims = tuple(dataclasses.replace(c, verdict=Verdict.SUPPORTED) for c in kb.claims)
    return dataclasses.replace(kb, claims=claims)


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o722])
def test_a_planted_entry_in_a_folder_others_can_write_is_never_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys, mode: int
) -> None:
    """The attack: a group- or world-writable cache folder with an entry that flips verdicts."""
    shared = tmp_path / "shared-cache"
    shared.mkdir()
    shared.chmod(mode)
    monkeypatch.setenv("PAINOPTS_CACHE_DIR", str(shared))
    (shared / cache.entry_name(digest_of(MINIMAL))).write_bytes(forged(MINIMAL, say_supported))
    assert main_exit_code(["--data", str(MINIMAL), "claims", "-f", "json"]) == 0
    captured = capsys.readouterr()
    verdicts = {c["verdict"] for c in json.loads(captured.out)["data"]["claims"].values()}
    assert verdicts == {"partly-supported"}  # the file says so; the planted entry, "supported"
    assert captured.err.count("\n") == 1
    assert "others can write to" in captured.err and "chmod 700" in captured.err


def test_a_folder_of_another_user_is_never_used(
    private_cache: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    (private_cache / cache.entry_name(digest_of(MINIMAL))).write_bytes(
        forged(MINIMAL, say_supported)
    )
    private_cache.chmod(0o700)
    monkeypatch.setattr(os, "geteuid", lambda: os.stat(private_cache).st_uid + 1)
    assert main_exit_code(["--data", str(MINIMAL), "claims", "-f", "json"]) == 0
    captured = capsys.readouterr()
    assert '"partly-supported"' in captured.out
    assert "belongs to another user" in captured.err


def test_a_forged_entry_in_the_users_own_folder_is_read(private_cache: Path) -> None:
    """What the cache does not guard against: the user's own account (documented)."""
    digest = digest_of(MINIMAL)
    (private_cache / cache.entry_name(digest)).write_bytes(forged(MINIMAL, say_supported))
    kb = cache.Cache().get(digest)
    assert kb is not None and {c.verdict for c in kb.claims} == {Verdict.SUPPORTED}


def test_an_entry_is_bound_to_the_content_it_was_made_from(private_cache: Path, tmp_path) -> None:
    """F13: an entry made for one file, renamed to another file's entry, is a miss."""
    other = tmp_path / "other.yaml"
    other.write_text(MINIMAL.read_text().replace("Test data, not", "Other test data, not"))
    load.for_display(MINIMAL)
    (entry,) = entries(private_cache)
    entry.rename(private_cache / cache.entry_name(digest_of(other)))
    assert cache.Cache().get(digest_of(other)) is None
    assert load.for_display(other).kb.meta.disclaimer.startswith("Other")


def test_values_swapped_between_treatments_are_a_miss(private_cache: Path, cli) -> None:
    """F13's reproduction (two treatments' values swapped), the header left as written."""
    path = REPO / "tests" / "fixtures" / "render" / "two.yaml"
    fresh = cli("--data", str(path), "show", "alpha", "-f", "json")
    assert fresh.code == 0
    (entry,) = entries(private_cache)
    header, body = entry.read_bytes().split(b"\n", 1)
    data = json.loads(body)
    first, second = data["treatments"][:2]
    first["attributes"], second["attributes"] = second["attributes"], first["attributes"]
    entry.write_bytes(header + b"\n" + json.dumps(data, ensure_ascii=False).encode())
    assert cache.Cache().get(digest_of(path)) is None
    assert cli("--data", str(path), "show", "alpha", "-f", "json") == fresh


def test_the_folder_is_made_private_whatever_the_umask(tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "new" / "painopts"
    monkeypatch.setenv("PAINOPTS_CACHE_DIR", str(folder))
    old = os.umask(0)
    try:
        load.for_display(MINIMAL)
    finally:
        os.umask(old)
    assert folder.stat().st_mode & 0o777 == 0o700
    assert len(entries(folder)) == 1


def test_an_entry_nested_deeper_than_python_reads_is_a_miss(private_cache: Path) -> None:
    """json.loads raises RecursionError on such nesting: a miss like any damage, not a crash."""
    load.for_display(MINIMAL)
    (entry,) = entries(private_cache)
    magic, sha256, code, _ = entry.read_bytes().split(b"\n", 1)[0].split(b" ")
    body = b"[" * 200_000 + b"]" * 200_000
    entry.write_bytes(b"%s %s %s %08x\n" % (magic, sha256, code, zlib.crc32(body)) + body)
    assert cache.Cache().get(digest_of(MINIMAL)) is None
    assert load.for_display(MINIMAL).kb.treatments[0].id == "alpha"


def rewritten(entry: Path, change) -> None:
    """Rewrite an entry's JSON as painopts would (valid header and checksum), changed."""
    header, body = entry.read_bytes().split(b"\n", 1)
    data = json.loads(body)
    change(data)
    new_body = json.dumps(data, ensure_ascii=False).encode("utf-8", "surrogatepass")
    magic, sha256, code, _ = header.split(b" ")
    entry.write_bytes(b"%s %s %s %08x\n" % (magic, sha256, code, zlib.crc32(new_body)) + new_body)


@pytest.mark.parametrize(
    "change",
    [
        lambda data: data["meta"].update(title=5),
        lambda data: data["meta"].update(authors="someone"),
        lambda data: data["meta"].update(extra="key"),
        lambda data: data["meta"].update(funding=None),
        lambda data: data["claims"][0].update(verdict=5),
        lambda data: data["claims"][0].update(verdict="certain"),
        lambda data: data["claims"][0].update(quote=["a", "list"]),
        lambda data: data["treatments"][0]["attributes"]["route"].update(value=None),
        lambda data: data["treatments"].clear(),
        lambda data: data.update(treatments="x"),
        lambda data: data["meta"].update(title=json.loads("[" * 50 + "]" * 50)),
        lambda data: data["meta"].update(title=float("nan")),
        lambda data: data["meta"].update(title=float("inf")),
        lambda data: data["meta"].update(title="A \ud800 title"),
        lambda data: data["meta"].update(last_reviewed="20260131"),
    ],
    ids=[
        "number-for-text",
        "text-for-a-list",
        "unknown-key",
        "nothing-for-text",
        "number-verdict",
        "unknown-verdict",
        "list-for-text",
        "null-value",
        "no-treatments",
        "text-for-treatments",
        "deep-json",
        "nan",
        "infinity",
        "surrogate",
        "date-without-dashes",
    ],
)
def test_an_entry_no_knowledge_file_could_give_is_a_miss(private_cache: Path, change, cli) -> None:
    fresh = cli("--data", str(MINIMAL), "claims", "-f", "json")
    (entry,) = entries(private_cache)
    sound = entry.read_bytes()
    rewritten(entry, change)
    assert entry.read_bytes() != sound
    assert cache.Cache().get(digest_of(MINIMAL)) is None
    assert cli("--data", str(MINIMAL), "claims", "-f", "json") == fresh
    assert entry.read_bytes() == sound  # a miss, so written again


@pytest.mark.parametrize("field", ["scale", "criteria"])
def test_fewer_items_than_the_model_allows_is_a_miss(private_cache, tmp_path, field) -> None:
    from tests.test_rules import INSTRUMENT, TEXT

    path = tmp_path / "kb.yaml"
    path.write_text(TEXT + INSTRUMENT)
    load.for_display(path)
    (entry,) = entries(private_cache)
    rewritten(entry, lambda data: data["instruments"][0].update({field: []}))
    assert cache.Cache().get(digest_of(path)) is None


@pytest.mark.parametrize(
    ("text", "escapes"),
    [
        (rb'"\ud800"', True),
        (rb'"\uDC00"', True),
        (rb'"\\ud800"', False),
        (rb'"\\\ud800"', True),
        (rb'"\\\\ud800"', False),
        (rb'"\u00e9 \\u00e9"', False),
        (rb'"' + b"\\" * 10_001 + rb'ud800"', True),
    ],
)
def test_surrogate_escapes_are_told_from_text_that_reads_backslash_u(text, escapes) -> None:
    assert cache._escapes_a_surrogate(text) is escapes
    assert cache._escapes_a_surrogate(text) is any(
        0xD800 <= ord(c) <= 0xDFFF for c in json.loads(text)
    )


@pytest.mark.parametrize("naming", [["--data", "-"], ["--data=-"], []])
def test_a_damaged_entry_for_standard_input_is_a_miss(
    private_cache: Path, naming: list[str]
) -> None:
    text = MINIMAL.read_text()

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "painopts", *naming, *args]
        environment = {k: v for k, v in os.environ.items() if k != "PAINOPTS_DATA"}
        environment |= {} if naming else {"PAINOPTS_DATA": "-"}
        return subprocess.run(
            command, input=text, capture_output=True, text=True, env=environment, check=False
        )

    fresh = run("claims")
    assert (fresh.returncode, fresh.stderr) == (0, "")
    (entry,) = entries(private_cache)
    sound = entry.read_bytes()
    rewritten(entry, lambda data: data["claims"][0].update(verdict=5))
    again = run("claims")
    assert (again.returncode, again.stdout, again.stderr) == (0, fresh.stdout, "")
    assert entry.read_bytes() == sound  # written again from what was read


def test_an_entry_over_the_size_bound_is_a_miss(private_cache: Path, monkeypatch) -> None:
    load.for_display(MINIMAL)
    monkeypatch.setattr(cache, "MAX_ENTRY_BYTES", 100)
    assert cache.Cache().get(digest_of(MINIMAL)) is None


@pytest.mark.parametrize("kind", ["link-to-dev-zero", "link-to-an-entry", "fifo", "folder"])
def test_an_entry_that_is_not_a_regular_file_is_a_miss_at_once(
    private_cache: Path, tmp_path: Path, kind: str
) -> None:
    digest = digest_of(MINIMAL)
    place = private_cache / cache.entry_name(digest)
    if kind == "link-to-dev-zero":
        place.symlink_to("/dev/zero")
    elif kind == "link-to-an-entry":
        (tmp_path / "elsewhere").write_bytes(forged(MINIMAL, say_supported))
        place.symlink_to(tmp_path / "elsewhere")
    elif kind == "fifo":
        os.mkfifo(place)
    else:
        place.mkdir()
    started = time.monotonic()
    assert cache.Cache().get(digest) is None
    assert time.monotonic() - started < 5  # a hang or an endless read would not return
    assert load.for_display(MINIMAL).kb.treatments[0].id == "alpha"


def test_old_entries_and_leftover_temporary_files_are_pruned(private_cache: Path) -> None:
    now = time.time()
    for number in range(cache.KEEP_ENTRIES + 5):
        old = private_cache / f"{number:040x}-5-0.0.{number}.json"  # an earlier version's too
        old.write_text("{}")
        os.utime(old, (now - 1000 - number, now - 1000 - number))
    stale = private_cache / ".tmp-1-0badc0de"
    stale.write_text("half")
    os.utime(stale, (now - 3600, now - 3600))
    fresh = private_cache / ".tmp-2-0000beef"
    fresh.write_text("half")
    load.for_display(MINIMAL)
    names = {path.name for path in private_cache.iterdir()}
    assert len([n for n in names if n.endswith(".json")]) == cache.KEEP_ENTRIES
    assert cache.entry_name(digest_of(MINIMAL)) in names  # the newest is kept
    assert ".tmp-1-0badc0de" not in names
    assert ".tmp-2-0000beef" in names


def test_pruning_removes_only_what_painopts_wrote(private_cache: Path) -> None:
    now = time.time()
    mine = [private_cache / f"notes-{number}.json" for number in range(cache.KEEP_ENTRIES + 4)]
    for number, path in enumerate(mine):
        path.write_text("{}")
        os.utime(path, (now - 5000 - number, now - 5000 - number))
    other = private_cache / ".tmp-important"
    other.write_text("keep")
    os.utime(other, (now - 3600, now - 3600))
    load.for_display(MINIMAL)
    assert all(path.exists() for path in mine) and other.exists()


def test_an_unwritable_cache_is_skipped(tmp_path: Path, monkeypatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("PAINOPTS_CACHE_DIR", str(blocker / "painopts"))
    assert load.for_display(MINIMAL).kb.treatments[0].id == "alpha"


def test_without_folders_to_open_relative_to_there_is_no_cache_and_no_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli
) -> None:
    """Windows: a folder cannot be opened and read from by descriptor, nor its mode trusted."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("PAINOPTS_CACHE_DIR", str(folder))
    monkeypatch.setattr(cache, "_BY_DESCRIPTOR", False)
    assert cache.location() is None
    result = cli("--data", str(MINIMAL), "list", "-f", "json")
    assert (result.code, result.err) == (0, "")
    assert not folder.exists()


def test_a_folder_that_cannot_be_checked_once_opened_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "cache"
    monkeypatch.setenv("PAINOPTS_CACHE_DIR", str(folder))
    real_fstat = os.fstat

    def failing_on_folders(fd: int) -> os.stat_result:
        facts = real_fstat(fd)
        if stat.S_ISDIR(facts.st_mode):
            raise OSError("fstat failed")
        return facts

    monkeypatch.setattr(cache.os, "fstat", failing_on_folders)
    load.for_display(MINIMAL)
    assert folder.is_dir()  # made private, then left unused
    assert entries(folder) == []


def test_the_cache_can_be_turned_off(private_cache: Path, monkeypatch) -> None:
    monkeypatch.setenv("PAINOPTS_NO_CACHE", "1")
    load.for_display(MINIMAL)
    assert entries(private_cache) == []


def test_validate_never_reads_or_writes_the_cache(private_cache: Path, cli) -> None:
    assert cli("validate", str(MINIMAL)).code == 0
    assert entries(private_cache) == []


@pytest.mark.parametrize(
    ("platform", "environment", "expected"),
    [
        ("linux", {"HOME": "/h"}, "/h/.cache/painopts"),
        ("linux", {"HOME": "/h", "XDG_CACHE_HOME": "/xdg"}, "/xdg/painopts"),
        ("linux", {"HOME": "/h", "XDG_CACHE_HOME": "relative"}, "/h/.cache/painopts"),
        ("linux", {"HOME": "/h", "PAINOPTS_CACHE_DIR": "/mine"}, "/mine"),
        ("linux", {"HOME": "/h", "PAINOPTS_CACHE_DIR": "cache"}, "/h/.cache/painopts"),
        (
            "linux",
            {"HOME": "/h", "PAINOPTS_CACHE_DIR": "./c", "XDG_CACHE_HOME": "/x"},
            "/x/painopts",
        ),
        ("linux", {"HOME": "/h", "PAINOPTS_CACHE_DIR": "/mine", "PAINOPTS_NO_CACHE": "1"}, None),
        ("linux", {}, None),
        ("linux", {"HOME": ""}, None),
        ("linux", {"HOME": "relative"}, None),
        ("darwin", {"HOME": "/h"}, "/h/Library/Caches/painopts"),
    ],
)
def test_the_cache_folder_is_the_platforms_own(
    monkeypatch: pytest.MonkeyPatch, platform: str, environment: dict[str, str], expected
) -> None:
    for name in ("PAINOPTS_CACHE_DIR", "XDG_CACHE_HOME", "HOME", "LOCALAPPDATA"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(cache.sys, "platform", platform)
    found = cache.location()
    assert (str(found) if found else None) == expected


def test_a_relative_cache_folder_is_never_made_in_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli
) -> None:
    """F17: ``PAINOPTS_CACHE_DIR=cache`` is ignored, like a relative XDG_CACHE_HOME."""
    home = tmp_path / "home"
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("PAINOPTS_CACHE_DIR", "cache")
    assert cli("--data", str(MINIMAL), "list", "-f", "json").code == 0
    assert list(work.iterdir()) == []
    assert len(entries(home / ".cache" / "painopts")) == 1


def someone_elses(folder: Path) -> Path:
    """A folder that belongs to a user who is not root (made as root, given away)."""
    folder.mkdir(parents=True)
    if os.geteuid() == 0:
        os.chown(folder, 4242, 4242)
    return folder


def test_root_with_a_users_home_makes_no_cache_folder_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli
) -> None:
    """F16: ``sudo`` keeping HOME: a root-owned folder in the user's home would lock them out."""
    home = someone_elses(tmp_path / "bob")
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("PAINOPTS_CACHE_DIR")
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    fresh = cli("--data", str(MINIMAL), "list", "-f", "json")
    assert (fresh.code, fresh.err) == (0, "")
    assert list(home.iterdir()) == []
    assert cli("--data", str(MINIMAL), "list", "-f", "json") == fresh


def test_root_still_makes_a_cache_folder_under_roots_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    assert cache._ours_to_make(Path("/no-such-folder-of-painopts/cache/painopts"))  # "/": root's
    assert not cache._ours_to_make(someone_elses(tmp_path / "bob") / ".cache" / "painopts")


def test_a_folder_that_cannot_be_opened_because_it_is_another_users_warns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli
) -> None:
    """F16, the user's side: the folder root left behind is named, not skipped silently."""
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    me = os.stat(folder).st_uid
    monkeypatch.setattr(os, "geteuid", lambda: me + 1)  # the folder is now someone else's
    real_open = os.open

    def refused(path, *args, **kwargs):
        if str(path) == str(folder):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(cache.os, "open", refused)
    monkeypatch.setenv("PAINOPTS_CACHE_DIR", str(folder))
    result = cli("--data", str(MINIMAL), "list", "-f", "json")
    assert result.code == 0
    assert (
        result.err == f"painopts: warning: not using the cache: {folder} belongs to another user\n"
    )


def test_without_home_every_command_still_works(monkeypatch: pytest.MonkeyPatch, cli) -> None:
    monkeypatch.delenv("PAINOPTS_CACHE_DIR")
    monkeypatch.delenv("HOME")
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    for data in ([], ["--data", str(MINIMAL)]):
        result = cli(*data, "list", "-f", "json")
        assert (result.code, result.err) == (0, "")


def test_a_failed_cache_write_leaves_nothing(
    private_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cache.os, "replace", full)
    assert load.for_display(MINIMAL).kb.treatments[0].id == "alpha"
    assert list(private_cache.iterdir()) == []


def test_a_cache_folder_that_is_a_link_is_not_used(tmp_path: Path, monkeypatch, capsys) -> None:
    real = tmp_path / "real"
    real.mkdir(mode=0o700)
    link = tmp_path / "painopts"
    link.symlink_to(real)
    monkeypatch.setenv("PAINOPTS_CACHE_DIR", str(link))
    assert main_exit_code(["--data", str(MINIMAL), "list", "-f", "json"]) == 0
    assert "is a symbolic link" in capsys.readouterr().err
    assert list(real.iterdir()) == []


def show_alpha_through_a_pipe() -> subprocess.CompletedProcess[str]:
    """`painopts --data <(cat minimal.yaml) show alpha -f json` in bash: the file is a pipe."""
    command = f"'{sys.executable}' -m painopts --data <(cat '{MINIMAL}') show alpha -f json"
    environment = {k: v for k, v in os.environ.items() if k != "PAINOPTS_DATA"}
    return subprocess.run(
        ["bash", "-c", command],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
        check=False,
    )


def test_a_file_given_through_a_pipe_is_read_once_and_cached(private_cache: Path) -> None:
    outputs = []
    for _ in range(2):
        done = show_alpha_through_a_pipe()
        assert (done.returncode, done.stderr) == (0, "")
        outputs.append(json.loads(done.stdout)["data"])
    assert outputs[0] == outputs[1]
    assert list(outputs[0]["treatment"]) == ["alpha"]
    (entry,) = entries(private_cache)
    assert entry.name == cache.entry_name(digest_of(MINIMAL))
    rewritten(entry, lambda data: data["treatments"][0].update(attributes=[]))
    again = show_alpha_through_a_pipe()
    assert (again.returncode, json.loads(again.stdout)["data"], again.stderr) == (0, outputs[0], "")


def test_text_that_shows_an_escape_is_still_cached(
    private_cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A summary that reads, literally, backslash-u-d-8-0-0 is text like any other."""
    path = tmp_path / "kb.yaml"
    path.write_text(
        MINIMAL.read_text().replace("summary: A test treatment.", r"summary: 'A \ud800 test.'")
    )
    first = load.for_display(path)
    assert first.kb.treatments[0].summary == "A \\ud800 test."
    forbid_validation(monkeypatch)
    assert load.for_display(path).kb == first.kb


def copy_of_painopts(tmp_path: Path) -> Path:
    """painopts' source and data folder, copied to be changed (``PYTHONPATH`` runs the copy)."""
    shutil.copytree(
        REPO / "src" / "painopts",
        tmp_path / "src" / "painopts",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    shutil.copytree(REPO / "data", tmp_path / "data")
    return tmp_path / "src"


def text_annotations(root: object) -> tuple[list[object], int]:
    """Field types written as text anywhere in a record's fields, and how many records hold them."""
    seen: set[object] = set()
    todo, texts = [root], []
    while todo:
        kind = todo.pop()
        if isinstance(kind, str | typing.ForwardRef):
            texts.append(kind)
        elif kind not in seen:
            seen.add(kind)
            arguments = typing.get_args(kind)
            annotated = typing.get_origin(kind) is typing.Annotated
            todo.extend(arguments[:1] if annotated else arguments)
            if dataclasses.is_dataclass(kind):
                todo.extend(field.type for field in dataclasses.fields(kind))
    return texts, sum(dataclasses.is_dataclass(kind) for kind in seen)


def test_every_field_of_a_cached_base_has_a_type_not_text() -> None:
    """cache/build.py builds from the field types themselves: a quoted one would make every
    entry a miss. A forward reference belongs in a method's signature, not a field's."""
    texts, records = text_annotations(KnowledgeBase)
    assert texts == []
    assert records >= 15  # the walk reaches the records inside the base
    quoted = dataclasses.make_dataclass("Quoted", [("parts", "tuple[Quoted, ...]")])
    assert text_annotations(quoted)[0] == ["tuple[Quoted, ...]"]


def test_the_code_key_follows_the_code_that_decides_a_cached_base(tmp_path: Path) -> None:
    """F12: a change to the model, the loader, the rules or the cache makes a new key."""
    source = copy_of_painopts(tmp_path) / "painopts"
    keys = {cache.code_key.__wrapped__(source)}
    assert keys == {cache.code_key()}
    for name in (
        "model/records.py",
        "load/yaml_text.py",
        "validate/effects.py",
        "cache/build.py",
        "codes.py",
    ):
        with (source / name).open("a") as stream:
            stream.write("\n# changed\n")
        keys.add(cache.code_key.__wrapped__(source))
    (source / "model" / "conditions.py").write_text("# a new module\n")
    keys.add(cache.code_key.__wrapped__(source))
    assert len(keys) == 7
    with (source / "render" / "markdown.py").open("a") as stream:
        stream.write("\n# changed\n")  # output only: cached bases stay good
    assert cache.code_key.__wrapped__(source) in keys


def test_a_new_rule_reaches_a_file_cached_by_older_code(tmp_path: Path, private_cache) -> None:
    """F12's reproduction: the same version, a rule added, the file already cached."""
    source = copy_of_painopts(tmp_path / "new")
    with (source / "painopts" / "validate" / "__init__.py").open("a") as rules:
        rules.write(
            "\n\nfrom painopts.codes import problem\n\n\ndef errors(kb, *args, **kwargs):\n"
            "    return [problem('PO301', 'a rule added later', ('meta',))]\n"
        )
    for data in (MINIMAL, BUNDLED):
        args = ["--data", str(data), "list", "-f", "json"]
        old = subprocess.run(
            [sys.executable, "-m", "painopts", *args], capture_output=True, check=False
        )
        assert old.returncode == 0
        environment = dict(os.environ, PYTHONPATH=str(source))
        new = subprocess.run(
            [sys.executable, "-m", "painopts", *args],
            capture_output=True,
            env=environment,
            check=False,
        )
        assert (new.returncode, new.stdout) == (1, b""), data
        assert b"a rule added later" in new.stderr


def test_text_beyond_the_basic_plane_is_served_from_the_cache(
    private_cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An emoji in a summary is cached like any text (not taken for an escaped surrogate)."""
    path = tmp_path / "kb.yaml"
    summary = "A test treatment \U0001f642."
    path.write_text(
        MINIMAL.read_text().replace("summary: A test treatment.", f"summary: {summary}"),
        encoding="utf-8",
    )
    first = load.for_display(path)
    assert first.kb.treatments[0].summary == summary
    forbid_validation(monkeypatch)
    assert load.for_display(path).kb == first.kb


def test_an_entry_of_exactly_the_size_bound_is_read(private_cache: Path, monkeypatch) -> None:
    load.for_display(MINIMAL)
    (entry,) = entries(private_cache)
    monkeypatch.setattr(cache, "MAX_ENTRY_BYTES", entry.stat().st_size)
    assert cache.Cache().get(digest_of(MINIMAL)) is not None
    monkeypatch.setattr(cache, "MAX_ENTRY_BYTES", entry.stat().st_size - 1)
    assert cache.Cache().get(digest_of(MINIMAL)) is None


def test_entries_are_readable_by_the_user_alone_whatever_the_umask(private_cache: Path) -> None:
    old = os.umask(0)
    try:
        load.for_display(MINIMAL)
    finally:
        os.umask(old)
    (entry,) = entries(private_cache)
    assert entry.stat().st_mode & 0o777 == 0o600


@pytest.fixture
def cached_bundled_copy(private_cache: Path, tmp_path: Path) -> tuple[Path, Path]:
    """The bundled file under another name and content (so cached in the folder), and its entry."""
    path = tmp_path / "kb.yaml"
    path.write_text(BUNDLED.read_text() + "\n", encoding="utf-8")
    load.for_display(path)
    (entry,) = entries(private_cache)
    assert cache.Cache().get(digest_of(path)) is not None
    return path, entry


@pytest.mark.parametrize(
    "figure", [float("nan"), float("inf"), float("-inf"), True, "3.6", [3.6]], ids=repr
)
def test_a_figure_that_is_not_a_finite_number_is_a_miss(cached_bundled_copy, figure) -> None:
    path, entry = cached_bundled_copy
    rewritten(entry, lambda data: data["effects"][0].update(estimate=figure))
    assert cache.Cache().get(digest_of(path)) is None


def test_a_whole_number_figure_reads_back_as_a_number_with_a_fraction(cached_bundled_copy) -> None:
    """JSON writes 4.0 as 4.0 but a hand-made entry may say 4: the model's figures are floats."""
    path, entry = cached_bundled_copy
    rewritten(entry, lambda data: data["effects"][0].update(estimate=4, ci_low=2, ci_high=6))
    kb = cache.Cache().get(digest_of(path))
    assert kb is not None
    effect = kb.effects[0]
    assert (effect.estimate, effect.ci_low, effect.ci_high) == (4.0, 2.0, 6.0)
    assert {type(effect.estimate), type(effect.ci_low), type(effect.ci_high)} == {float}


def test_a_cache_folder_that_is_a_file_is_named_in_a_warning(tmp_path: Path, monkeypatch, cli):
    blocker = tmp_path / "cache"
    blocker.write_text("a file, not a folder")
    monkeypatch.setenv("PAINOPTS_CACHE_DIR", str(blocker))
    result = cli("--data", str(MINIMAL), "list", "-f", "json")
    assert result.code == 0
    assert result.err == f"painopts: warning: not using the cache: {blocker} is not a folder\n"
    assert blocker.read_text() == "a file, not a folder"


def test_a_leftover_name_that_is_a_link_is_removed_not_followed(
    private_cache: Path, tmp_path: Path
) -> None:
    """The link's own age counts, and the link goes; what it points to is never touched."""
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    link = private_cache / ".tmp-1-0badc0de"
    link.symlink_to(victim)
    an_hour_ago = time.time() - 3600
    os.utime(link, (an_hour_ago, an_hour_ago), follow_symlinks=False)
    load.for_display(MINIMAL)
    assert not link.is_symlink()
    assert victim.read_text() == "keep me"


def test_a_name_gone_while_pruning_does_not_stop_the_command(
    private_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another painopts pruning the same folder removed a file after this one listed it."""
    listed = os.listdir
    monkeypatch.setattr(cache.os, "listdir", lambda folder: [*listed(folder), f"{0:040x}-x.json"])
    assert load.for_display(MINIMAL).kb.treatments[0].id == "alpha"
    assert [entry.name for entry in entries(private_cache)] == [
        cache.entry_name(digest_of(MINIMAL))
    ]


def test_an_entry_that_is_not_the_users_own_is_never_read(
    private_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An entry someone else owns (root, say) in the user's folder: the folder passed its check."""
    load.for_display(MINIMAL)
    store = cache.Cache()
    assert store.warning == ""
    (entry,) = entries(private_cache)
    monkeypatch.setattr(os, "geteuid", lambda: entry.stat().st_uid + 1)
    assert store.get(digest_of(MINIMAL)) is None
    store.close()


def test_a_base_that_json_cannot_hold_is_not_stored_and_nothing_is_raised(
    private_cache: Path,
) -> None:
    kb = load.load(BUNDLED).kb
    effect = dataclasses.replace(kb.effects[0], estimate=float("nan"))
    store = cache.Cache()
    store.put("0" * 64, dataclasses.replace(kb, effects=(effect, *kb.effects[1:])))
    store.close()
    assert list(private_cache.iterdir()) == []


def test_the_warning_names_the_folder_others_can_write_to(tmp_path: Path, monkeypatch, cli):
    shared = tmp_path / "shared-cache"
    shared.mkdir()
    shared.chmod(0o770)
    monkeypatch.setenv("PAINOPTS_CACHE_DIR", str(shared))
    result = cli("--data", str(MINIMAL), "list", "-f", "json")
    assert result.code == 0
    assert result.err == (
        f"painopts: warning: not using the cache: others can write to {shared} "
        f"(run: chmod 700 '{shared}')\n"
    )


def test_a_folder_others_may_only_enter_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli
) -> None:
    folder = tmp_path / "cache"
    folder.mkdir()
    folder.chmod(0o711)
    monkeypatch.setenv("PAINOPTS_CACHE_DIR", str(folder))
    first = cli("--data", str(MINIMAL), "list", "-f", "json")
    assert (first.code, first.err) == (0, "")
    assert len(entries(folder)) == 1


def test_a_user_other_than_root_makes_a_cache_folder_in_their_own_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = someone_elses(tmp_path / "bob")
    monkeypatch.setattr(os, "geteuid", lambda: 4242)
    assert cache._ours_to_make(home / ".cache" / "painopts")


@pytest.mark.parametrize("written", ["2026-W05-6", "2026-1-031", "26-01-31"])
def test_a_date_in_another_iso_form_is_a_miss(private_cache: Path, written: str) -> None:
    """Python 3.11 reads a week date (2026-W05-6) too; a knowledge file's dates are YYYY-MM-DD."""
    load.for_display(MINIMAL)
    (entry,) = entries(private_cache)
    rewritten(entry, lambda data: data["meta"].update(last_reviewed=written))
    assert cache.Cache().get(digest_of(MINIMAL)) is None


def test_what_a_killed_writer_left_is_removed_by_a_later_write(
    private_cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Killed between writing an entry and naming it: its file goes ten minutes later."""

    def killed(*args: object, **kwargs: object) -> None:
        raise OSError(4, "Interrupted")

    with monkeypatch.context() as writer:
        writer.setattr(cache.os, "replace", killed)
        writer.setattr(cache.os, "unlink", lambda *args, **kwargs: None)  # no time to tidy up
        load.for_display(MINIMAL)
    (left,) = private_cache.iterdir()
    assert left.name.startswith(".tmp-")
    an_hour_ago = time.time() - 3600
    os.utime(left, (an_hour_ago, an_hour_ago))
    other = tmp_path / "other.yaml"
    other.write_text(MINIMAL.read_text().replace("Test data, not", "Other test data, not"))
    load.for_display(other)
    assert [path.name for path in private_cache.iterdir()] == [cache.entry_name(digest_of(other))]
