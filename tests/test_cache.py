"""The cache of validated knowledge bases: used, rebuilt, bounded, never changing an answer."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest
from tests.conftest import MINIMAL, REPO

from painopts import __version__, cache, load
from painopts.cli import main_exit_code
from painopts.model import Verdict

BUNDLED = REPO / "data" / "treatments.yaml"


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.json"))


def forbid_validation(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(text: str, name: str) -> None:
        raise AssertionError("validated again")

    monkeypatch.setattr(load, "validate_text", fail)


def test_second_load_uses_the_cache(private_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = load.for_display(MINIMAL)
    assert len(entries(private_cache)) == 1
    forbid_validation(monkeypatch)
    assert load.for_display(MINIMAL).kb == first.kb


def test_the_bundled_file_reads_back_equal(private_cache: Path) -> None:
    fresh = load.load(BUNDLED).kb
    load.for_display(BUNDLED)
    cached = load.for_display(BUNDLED).kb
    assert cached == fresh
    assert [dict(t.attributes) for t in cached.treatments] == [
        dict(t.attributes) for t in fresh.treatments
    ]


def test_the_entry_is_named_by_content_format_and_version(private_cache: Path) -> None:
    digest = load.read_file(MINIMAL)[1]
    load.for_display(MINIMAL)
    (entry,) = entries(private_cache)
    assert entry.name == f"{digest[:40]}-{cache.FORMAT}-{__version__}.json"


def test_an_entry_is_data_that_any_python_can_read(private_cache: Path) -> None:
    """No pickle: a header, a head of JSON, then each treatment, its values (zlib), each source
    and each claim."""
    load.for_display(MINIMAL)
    raw = entries(private_cache)[0].read_bytes()
    magic, header, payload = raw.split(b"\n", 2)
    assert magic + b"\n" == cache.MAGIC
    form, head_length, _ = header.split(b" ")
    assert b"\x80" not in raw[:2] and int(form) == cache.FORMAT
    head = json.loads(payload[: int(head_length)])
    assert head["meta"]["title"] == "Minimal knowledge file for tests"
    parts = payload[int(head_length) :]
    (card_length,), (treatment_id,) = head["treatments"]  # lengths, then ids
    card = json.loads(parts[:card_length])
    assert card["id"] == treatment_id == "alpha" and card["attributes"] == {}
    (values_length,), _ = head["values"]
    start = card_length + values_length
    values = json.loads(zlib.decompress(parts[card_length:start]))
    texts = head[cache.entry.TEXTS]  # by attribute, a text (or null) per treatment
    assert texts["addiction_risk"] == [values["addiction_risk"]["value"]]
    (source_length,), (source_id,) = head["sources"]
    assert json.loads(parts[start : start + source_length])["id"] == source_id == "src1"
    (claim_length,), (claim_treatments,) = head["claims"]
    claim = json.loads(parts[start + source_length :])
    assert claim["id"] == "alpha-great" and claim_treatments == "alpha"
    assert start + source_length + claim_length == len(parts)


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
        lambda raw: raw.replace(cache.MAGIC, b"painopts-cache-0\n"),
        lambda raw: raw[:-1] + bytes([raw[-1] ^ 1]),
        lambda raw: raw[:40] + bytes([raw[40] ^ 1]) + raw[41:],
        lambda raw: b"",
        lambda raw: b"\x80\x04\x95" + raw,
        lambda raw: cache.MAGIC + b"1 5 00000000\n[[[[[",
    ],
    ids=["truncated", "foreign-magic", "flipped-bit", "flipped-head", "empty", "junk", "bad-json"],
)
def test_a_damaged_entry_is_a_miss_and_is_rebuilt(private_cache: Path, damage) -> None:
    load.for_display(MINIMAL)
    (entry,) = entries(private_cache)
    entry.write_bytes(damage(entry.read_bytes()))
    digest = load.read_file(MINIMAL)[1]
    assert cache.Cache().get(digest) is None
    assert load.for_display(MINIMAL).kb.treatments[0].id == "alpha"
    assert cache.Cache().get(digest) is not None


def forged(kb_file: Path, change) -> bytes:
    """An entry written as painopts writes them, for a base someone changed."""
    kb = load.load(kb_file).kb
    return cache.encode(change(kb))


def say_supported(kb):
    claims = tuple(dataclasses.replace(c, verdict=Verdict.SUPPORTED) for c in kb.claims)
    return dataclasses.replace(kb, claims=claims)


def test_a_planted_entry_in_a_folder_others_can_write_is_never_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    """The attack: a world-writable cache folder with a well-formed entry that flips verdicts."""
    shared = tmp_path / "shared-cache"
    shared.mkdir()
    shared.chmod(0o777)
    monkeypatch.setenv("PAINOPTS_CACHE_DIR", str(shared))
    digest = load.read_file(BUNDLED)[1]
    (shared / cache.entry_name(digest)).write_bytes(forged(BUNDLED, say_supported))
    assert main_exit_code(["claims", "-f", "json"]) == 0
    captured = capsys.readouterr()
    verdicts = {c["verdict"] for c in json.loads(captured.out)["data"]["claims"].values()}
    assert "contradicted" in verdicts
    assert captured.err.count("\n") == 1
    assert "others can write to" in captured.err and "chmod 700" in captured.err


def test_a_folder_of_another_user_is_never_used(
    private_cache: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    digest = load.read_file(BUNDLED)[1]
    (private_cache / cache.entry_name(digest)).write_bytes(forged(BUNDLED, say_supported))
    private_cache.chmod(0o700)
    monkeypatch.setattr(os, "geteuid", lambda: os.stat(private_cache).st_uid + 1)
    assert main_exit_code(["claims", "-f", "json"]) == 0
    captured = capsys.readouterr()
    assert '"contradicted"' in captured.out
    assert "belongs to another user" in captured.err


def test_a_forged_entry_in_the_users_own_folder_is_read(private_cache: Path) -> None:
    """What the cache does not guard against: the user's own account (documented)."""
    digest = load.read_file(BUNDLED)[1]
    (private_cache / cache.entry_name(digest)).write_bytes(forged(BUNDLED, say_supported))
    kb = cache.Cache().get(digest)
    assert kb is not None and {c.verdict for c in kb.claims} == {Verdict.SUPPORTED}


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


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ({"title": 5}, "a number for text"),
        ({"authors": "someone"}, "text for a list"),
        ({"extra": "key"}, "an unknown key"),
        ({"funding": None}, "nothing for required text"),
    ],
)
def test_an_entry_whose_head_has_the_wrong_shape_is_a_miss(
    private_cache: Path, value, kind: str
) -> None:
    load.for_display(MINIMAL)
    (entry,) = entries(private_cache)
    rewritten(entry, lambda head, parts: head["meta"].update(value) or parts)
    assert cache.Cache().get(load.read_file(MINIMAL)[1]) is None, kind


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ({"verdict": 5}, "a number for a verdict"),
        ({"verdict": "certain"}, "a verdict that does not exist"),
        ({"quote": ["a", "list"]}, "a list for text"),
        ({"extra": "key"}, "an unknown key"),
        ({"treatments": ["beta"]}, "treatments other than the head says"),
    ],
)
def test_a_claim_of_the_wrong_shape_is_a_miss_and_its_entry_is_written_anew(
    private_cache: Path, cli, value, kind: str
) -> None:
    """A claim is built when first read: a bad one (checksum intact) is met only then, and the
    command answers from the file instead, exactly as without the cache."""
    fresh = {}
    for command in ("claims", "show"):
        args = ["--data", str(MINIMAL), command, *(["alpha"] if command == "show" else [])]
        fresh[command] = cli(*args)
        assert fresh[command].code == 0
    (entry,) = entries(private_cache)
    sound = entry.read_bytes()
    for command in ("claims", "show"):
        rewritten(entry, damage_the_claim(value))
        assert entry.read_bytes() != sound
        args = ["--data", str(MINIMAL), command, *(["alpha"] if command == "show" else [])]
        assert cli(*args) == fresh[command], (kind, command)
        assert entries(private_cache) == []  # removed; answered from the file
        assert cli(*args) == fresh[command]
        assert entry.read_bytes() == sound  # a miss, so written again


def damage_the_claim(value: dict):
    def change(head: dict, parts: bytes) -> bytes:
        (length,), _ = head["claims"]
        claim = json.loads(parts[-length:]) | value
        head["claims"][0] = [len(json.dumps(claim))]
        return parts[:-length] + json.dumps(claim).encode()

    return change


@pytest.mark.parametrize("naming", [["--data", "-"], ["--data=-"], []])
def test_a_damaged_entry_for_standard_input_is_a_miss(
    private_cache: Path, naming: list[str]
) -> None:
    """Standard input cannot be read twice, so an entry for it is read whole, at once."""
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
    rewritten(entry, damage_the_claim({"verdict": 5}))
    again = run("claims")
    assert (again.returncode, again.stdout, again.stderr) == (0, fresh.stdout, "")
    assert entry.read_bytes() == sound  # removed, then written again from what was read


def test_values_that_inflate_past_the_bound_are_a_miss(
    private_cache: Path, monkeypatch: pytest.MonkeyPatch, cli
) -> None:
    fresh = cli("--data", str(MINIMAL), "show", "alpha")
    assert fresh.code == 0  # first sight: validated, then cached
    monkeypatch.setattr(cache.entry, "MAX_INFLATED_BYTES", 100)
    assert cli("--data", str(MINIMAL), "show", "alpha") == fresh


def test_an_entry_over_the_size_bound_is_a_miss(private_cache: Path, monkeypatch) -> None:
    load.for_display(MINIMAL)
    monkeypatch.setattr(cache, "MAX_ENTRY_BYTES", 100)
    assert cache.Cache().get(load.read_file(MINIMAL)[1]) is None


@pytest.mark.parametrize("kind", ["link-to-dev-zero", "fifo", "folder"])
def test_an_entry_that_is_not_a_regular_file_is_a_miss_at_once(
    private_cache: Path, kind: str
) -> None:
    digest = load.read_file(MINIMAL)[1]
    place = private_cache / cache.entry_name(digest)
    if kind == "link-to-dev-zero":
        place.symlink_to("/dev/zero")
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
        old = private_cache / f"{number:040x}-{cache.FORMAT}-0.0.{number}.json"
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
    assert cache.entry_name(load.read_file(MINIMAL)[1]) in names  # the newest is kept
    assert ".tmp-1-0badc0de" not in names
    assert ".tmp-2-0000beef" in names


def test_an_unwritable_cache_is_skipped(tmp_path: Path, monkeypatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("PAINOPTS_CACHE_DIR", str(blocker / "painopts"))
    assert load.for_display(MINIMAL).kb.treatments[0].id == "alpha"


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
        ("linux", {}, None),
        ("linux", {"HOME": ""}, None),
        ("linux", {"HOME": "relative"}, None),
        ("darwin", {"HOME": "/h"}, "/h/Library/Caches/painopts"),
        ("win32", {"LOCALAPPDATA": "/local"}, "/local/painopts/Cache"),
        ("win32", {}, None),
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


def test_without_home_every_command_still_works(monkeypatch: pytest.MonkeyPatch, cli) -> None:
    monkeypatch.delenv("PAINOPTS_CACHE_DIR")
    monkeypatch.delenv("HOME")
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    result = cli("compare", "ketamine", "opioids", "-f", "json")
    assert (result.code, result.err) == (0, "")


def test_a_failed_cache_write_leaves_nothing(
    private_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(self: object, old: str, new: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cache.Folder, "_rename", full)
    assert load.for_display(MINIMAL).kb.treatments[0].id == "alpha"
    assert list(private_cache.iterdir()) == []


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


def test_a_cache_folder_that_is_a_link_is_not_used(tmp_path: Path, monkeypatch, capsys) -> None:
    real = tmp_path / "real"
    real.mkdir(mode=0o700)
    link = tmp_path / "painopts"
    link.symlink_to(real)
    monkeypatch.setenv("PAINOPTS_CACHE_DIR", str(link))
    assert main_exit_code(["--data", str(MINIMAL), "list", "-f", "json"]) == 0
    assert "is a symbolic link" in capsys.readouterr().err
    assert list(real.iterdir()) == []


def rewritten(entry: Path, change) -> None:
    """Rewrite an entry's head as painopts would (valid header and checksum), changed."""
    magic, header, payload = entry.read_bytes().split(b"\n", 2)
    head_length = int(header.split(b" ")[1])
    head = json.loads(payload[:head_length])
    blobs = change(head, payload[head_length:])
    new_head = json.dumps(head).encode()
    new_payload = new_head + blobs
    checksum = zlib.crc32(new_payload)
    entry.write_bytes(
        b"%s\n%d %d %08x\n" % (magic, cache.FORMAT, len(new_head), checksum) + new_payload
    )


@pytest.mark.parametrize(
    "kind",
    [
        "part-past-the-end",
        "negative-length",
        "part-left-over",
        "deep-json",
        "not-a-number",
        "no-lengths",
        "text-for-lengths",
    ],
)
def test_a_crafted_entry_in_the_users_folder_is_a_miss(private_cache: Path, kind: str) -> None:
    load.for_display(REPO / "tests" / "fixtures" / "render" / "two.yaml")
    (entry,) = entries(private_cache)

    def change(head: dict, parts: bytes) -> bytes:
        lengths = head["treatments"][0]
        if kind == "part-past-the-end":  # the first treatment reaching into the next
            lengths[0] += lengths[1]
        elif kind == "negative-length":
            lengths[1] = -1
        elif kind == "part-left-over":
            return parts + b"{}"
        elif kind == "no-lengths":
            head["treatments"] = []
        elif kind == "text-for-lengths":
            head["treatments"] = "x"
        elif kind == "deep-json":
            head["meta"]["title"] = json.loads("[" * 50 + "]" * 50)
        else:
            head["meta"]["title"] = float("nan")
        return parts

    rewritten(entry, change)
    digest = load.read_file(REPO / "tests" / "fixtures" / "render" / "two.yaml")[1]
    assert cache.Cache().get(digest) is None


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
    """`--data <(...)` is a pipe: hashed from the one reading, then served from the cache."""
    outputs = []
    for _ in range(2):
        done = show_alpha_through_a_pipe()
        assert (done.returncode, done.stderr) == (0, "")
        outputs.append(json.loads(done.stdout)["data"])
    assert outputs[0] == outputs[1]
    assert list(outputs[0]["treatment"]) == ["alpha"]
    (entry,) = entries(private_cache)
    assert entry.name == cache.entry_name(load.read_file(MINIMAL)[1])


def test_a_damaged_entry_that_cannot_be_removed_still_gives_the_answer(
    private_cache: Path, monkeypatch: pytest.MonkeyPatch, cli
) -> None:
    """A read-only folder, say: the command answers from the file all the same."""
    fresh = cli("--data", str(MINIMAL), "claims")
    (entry,) = entries(private_cache)
    rewritten(entry, damage_the_claim({"verdict": 5}))
    monkeypatch.setattr(cache.Folder, "remove", lambda self, name: None)
    assert cli("--data", str(MINIMAL), "claims") == fresh
    assert cli("--data", str(MINIMAL), "claims") == fresh


def test_a_damaged_entry_for_a_pipe_is_a_miss(private_cache: Path) -> None:
    """`--data <(...)` cannot be read twice either: its entry is read whole, at once."""
    fresh = show_alpha_through_a_pipe()
    assert (fresh.returncode, fresh.stderr) == (0, "")
    (entry,) = entries(private_cache)

    def spoil_the_values(head: dict, parts: bytes) -> bytes:
        card, values = head["treatments"][0][0], head["values"][0][0]
        spoiled = zlib.compress(b"[]")
        head["values"][0][0] = len(spoiled)
        return parts[:card] + spoiled + parts[card + values :]

    rewritten(entry, spoil_the_values)
    again = show_alpha_through_a_pipe()
    assert (again.returncode, again.stdout, again.stderr) == (0, fresh.stdout, "")


@pytest.mark.parametrize(
    "change",
    [
        lambda head: head["meta"].update(title="A \ud800 title"),
        lambda head: head["meta"].update(last_reviewed="20260131"),
        lambda head: head["instruments"][0].update(scale=[]),
        lambda head: head["instruments"][0].update(criteria=[]),
        lambda head: head["attributes"].clear(),
    ],
    ids=["surrogate", "date-without-dashes", "empty-scale", "no-criteria", "no-attributes"],
)
def test_an_entry_no_knowledge_file_could_give_is_a_miss(
    private_cache: Path, tmp_path: Path, change
) -> None:
    """Text no file can hold, a date in another form, fewer items than the model allows."""
    from tests.test_rules import INSTRUMENT, TEXT

    path = tmp_path / "kb.yaml"
    path.write_text(TEXT + INSTRUMENT)
    load.for_display(path)
    (entry,) = entries(private_cache)
    rewritten(entry, lambda head, parts: change(head) or parts)
    assert cache.Cache().get(load.read_file(path)[1]) is None


def test_a_surrogate_in_a_claim_is_met_when_read_and_never_written_out(
    private_cache: Path, tmp_path: Path, cli
) -> None:
    fresh = cli("--data", str(MINIMAL), "claims", "-f", "json")
    (entry,) = entries(private_cache)
    rewritten(entry, damage_the_claim({"assessment": "Some \ud83d evidence."}))
    output = tmp_path / "claims.json"
    result = cli("--data", str(MINIMAL), "claims", "-f", "json", "-o", str(output))
    assert (result.code, result.err) == (0, "")
    assert output.read_text(encoding="utf-8") == fresh.out


def test_an_entry_without_treatments_is_a_miss(private_cache: Path) -> None:
    load.for_display(MINIMAL)
    (entry,) = entries(private_cache)

    def without_treatments(head: dict, parts: bytes) -> bytes:
        cut = sum(head["treatments"][0]) + sum(head["values"][0])
        head["treatments"] = head["values"] = [[], []]
        head[cache.entry.TEXTS] = {key: [] for key in head[cache.entry.TEXTS]}
        return parts[cut:]

    rewritten(entry, without_treatments)
    assert cache.Cache().get(load.read_file(MINIMAL)[1]) is None


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
