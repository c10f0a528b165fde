"""The parse cache is only ever a shortcut: with or without it, the same data and errors.

Every bad-data case gives its exact ``file:line:col`` through a cold and a warm cache;
a corrupt, foreign or stale entry is parsed again, never trusted; two builds may share
one cache at the same time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import pickle
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from generator.errors import DataError, Problem
from generator.model import load_dataset, loading
from generator.model import parsecache as pc
from generator.model.parsecache import ParseCache, ParsedFiles, default_cache_dir
from generator.model.yamlio import LoadFailed, load_file
from tests.conftest import TINY
from tests.test_bad_data import CASES, Edit, apply

MEMBERS = "members/b01-yunwei.yaml"


@pytest.fixture(autouse=True)
def new_process() -> None:
    """Each test loads as a new process would: no earlier load's records in memory
    (``loading._VALIDATED``, which spares ``mkdocs serve`` reading unchanged files)."""
    loading._VALIDATED.clear()


def entries(cache: Path) -> list[Path]:
    return sorted(p for p in cache.rglob("*") if p.is_file())


def problems(data: Path, cache: Path | None) -> list[str]:
    with pytest.raises(DataError) as caught:
        load_dataset(data, cache_dir=cache)
    return [str(p) for p in caught.value.problems]


def loaded(data: Path, cache: Path | None) -> list[str]:
    """Everything a load yields that a page or a message could show, as text."""
    dataset = load_dataset(data, cache_dir=cache)
    return [
        repr(sorted(dataset.members.items())),
        repr([(r.year, r.branch, r.commitment) for r in dataset.commitments]),
        repr(sorted(dataset.assessments.items())),
        repr(sorted(dataset.units.items())),
        *map(str, dataset.warnings),
    ]


# ---------------------------------------------------------------- same results


@pytest.mark.parametrize(("name", "edits", "expected"), CASES, ids=[c[0] for c in CASES])
def test_every_bad_data_case_is_located_the_same_through_the_cache(
    tiny: Path, tmp_path: Path, name: str, edits: list[Edit], expected: list[str]
) -> None:
    cache = tmp_path / "cache"
    load_dataset(tiny, cache_dir=cache)  # the valid files are cached first
    apply(tiny, edits)
    assert problems(tiny, cache) == expected  # the edited file is parsed, the rest cached
    assert problems(tiny, cache) == expected  # and again, now warm
    assert problems(tiny, None) == expected


def test_a_warm_load_gives_what_a_cold_one_and_no_cache_give(tiny: Path, tmp_path: Path) -> None:
    apply(tiny, [("units/sfg-yunwei-01.yaml", "score: 93", "score: 60")])  # a warning too
    apply(tiny, [("site.yaml", "policy:\n", "policy:\n  withdraw_below: 75\n")])
    cache = tmp_path / "cache"
    cold = loaded(tiny, cache)
    assert entries(cache)
    assert loaded(tiny, cache) == cold
    assert loaded(tiny, None) == cold
    assert any("data/units/sfg-yunwei-01.yaml:12:1: annual_evaluations: 提示" in w for w in cold)


def test_a_cached_file_is_not_parsed_again(tiny: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    files = [(p, p.name) for p in sorted(tiny.rglob("*.yaml"))]
    first = ParsedFiles(cache)
    first.prefetch(files)
    assert first.stats["parsed"] == len(files)
    second = ParsedFiles(cache)
    second.prefetch(files)
    assert (second.stats["parsed"], second.stats["cached"]) == (0, len(files))


def test_positions_of_a_released_file_come_back_from_the_cache(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("a: 1\nb:\n  - c: 2\n    d: 2025-01-02\n", encoding="utf-8")
    for _ in range(2):  # cold, then warm
        source = ParsedFiles(tmp_path / "cache")
        source.prefetch([(path, "data/x.yaml")])
        got = source.load(path, "data/x.yaml")
        assert got.data == {"a": 1, "b": [{"c": 2, "d": dt.date(2025, 1, 2)}]}
        got.release()
        assert got.data is None
        assert got.where(("b", 0, "d")) == (4, 8)
        assert got.positions == load_file(path, "data/x.yaml").positions


# ----------------------------------------------------------- never trusted


def corrupt(entry: Path, how: str) -> None:
    blob = entry.read_bytes()
    if how == "truncated":
        entry.write_bytes(blob[: len(blob) // 2])
    elif how == "flipped":
        middle = len(blob) // 2
        entry.write_bytes(blob[:middle] + bytes([blob[middle] ^ 0xFF]) + blob[middle + 1 :])
    elif how == "empty":
        entry.write_bytes(b"")
    elif how == "garbage":
        entry.write_bytes(os.urandom(len(blob)))


@pytest.mark.parametrize("how", ["truncated", "flipped", "empty", "garbage"])
def test_a_corrupt_entry_is_parsed_again(tiny: Path, tmp_path: Path, how: str) -> None:
    cache = tmp_path / "cache"
    expected = loaded(tiny, cache)
    for entry in entries(cache):
        corrupt(entry, how)
    source = ParsedFiles(cache)
    source.prefetch([(p, p.name) for p in sorted(tiny.rglob("*.yaml"))])
    assert source.stats["cached"] == 0  # nothing corrupt was used
    assert loaded(tiny, cache) == expected  # and the rewritten entries are good again
    assert loaded(tiny, cache) == expected


def test_an_entry_that_would_run_code_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    cache = ParseCache(tmp_path / "cache")
    source = ParsedFiles(tmp_path / "cache")
    source.prefetch([(path, "x.yaml")])
    (entry,) = entries(tmp_path / "cache")
    marker = tmp_path / "ran"
    payload = pickle.dumps((os.system, (f"touch {marker}",)))  # a REDUCE of os.system
    evil = pickle.dumps(_Evil(f"touch {marker}"))
    for blob in (payload, evil):
        entry.write_bytes(pc._MAGIC + hashlib.sha256(blob).digest()[: pc._CHECKSUM] + blob)
        assert cache.get(entry.name) is None
        again = ParsedFiles(tmp_path / "cache")
        again.prefetch([(path, "x.yaml")])
        assert again.load(path, "x.yaml").data == {"a": 1}
    assert not marker.exists()


class _Evil:
    def __init__(self, command: str) -> None:
        self.command = command

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, (self.command,))


def test_a_changed_file_is_parsed_again(tiny: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    load_dataset(tiny, cache_dir=cache)
    apply(tiny, [(MEMBERS, "name: 林安平", "name: 林平安")])
    names = {m.name for m in load_dataset(tiny, cache_dir=cache).members.values()}
    assert "林平安" in names and "林安平" not in names
    apply(tiny, [(MEMBERS, "name: 林平安", "name: 林安平")])  # back: the old entry serves
    names = {m.name for m in load_dataset(tiny, cache_dir=cache).members.values()}
    assert "林安平" in names


def test_a_file_that_fails_to_load_is_never_cached(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("a: 1\na: 2\n", encoding="utf-8")
    for _ in range(2):
        source = ParsedFiles(tmp_path / "cache")
        source.prefetch([(path, "data/x.yaml")])
        with pytest.raises(LoadFailed) as caught:
            source.load(path, "data/x.yaml")
        assert str(caught.value.problem) == (
            "data/x.yaml:2:1: 重复的键“a”（第 1 行已出现）；YAML 会悄悄只保留后一个，请合并"
        )
    assert entries(tmp_path / "cache") == []


def test_a_new_loader_version_does_not_read_old_entries(
    tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    load_dataset(tiny, cache_dir=cache)
    (old,) = [p.name for p in cache.iterdir() if p.name.startswith("yaml-")]
    monkeypatch.setattr(pc, "loader_version", lambda: "0123456789abcdef")
    monkeypatch.setattr(pc, "code_version", lambda: "new")  # the loader is code too
    source = ParsedFiles(cache)
    source.prefetch([(p, p.name) for p in sorted(tiny.rglob("*.yaml"))])
    assert source.stats["cached"] == 0
    assert [p.name for p in cache.iterdir() if p.name.startswith("yaml-")] == [
        "yaml-0123456789abcdef"
    ]  # the old one tidied
    assert old != "yaml-0123456789abcdef"


def test_an_unwritable_cache_is_no_cache(tiny: Path, tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    assert loaded(tiny, blocked / "cache") == loaded(tiny, None)


def test_the_cache_can_be_turned_off(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert default_cache_dir(tmp_path) == tmp_path / ".cache" / "board"
    monkeypatch.setenv("BOARD_CACHE_DIR", str(tmp_path / "elsewhere"))
    assert default_cache_dir(tmp_path) == tmp_path / "elsewhere"
    monkeypatch.setenv("BOARD_CACHE", "0")
    assert default_cache_dir(tmp_path) is None


# ------------------------------------------------------ parallel, concurrent


def in_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pc, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(pc, "_BATCH_BYTES", 1)  # one file per batch: many workers' results
    monkeypatch.setattr(pc, "_workers", lambda: 2)
    monkeypatch.setattr(threading, "active_count", lambda: 1)


@pytest.mark.parametrize(
    "edit",
    [
        (MEMBERS, "role: 支部书记", "role: 书记"),  # an error in a file a worker parsed
        (MEMBERS, "  - id: m002\n", "  - id: m902\n"),  # one in a file a worker validated
    ],
)
def test_parsing_in_worker_processes_gives_the_same_results(
    tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edit: Edit
) -> None:
    apply(tiny, [edit])
    expected = problems(tiny, None)
    in_workers(monkeypatch)
    assert problems(tiny, tmp_path / "cache") == expected
    assert record_entries(tmp_path / "cache")  # the workers kept what validated
    assert problems(tiny, None) == expected
    assert problems(tiny, tmp_path / "cache") == expected  # warm


def test_records_validated_in_workers_are_what_one_process_makes(
    tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = loaded(tiny, None)
    in_workers(monkeypatch)
    assert loaded(tiny, tmp_path / "cache") == expected
    assert len(record_entries(tmp_path / "cache")) == len(list(tiny.rglob("*.yaml")))
    loading._VALIDATED.clear()
    assert loaded(tiny, tmp_path / "cache") == expected


LOAD = """
import sys
from pathlib import Path
from generator.model import load_dataset, loading
for _ in range(3):
    dataset = load_dataset(Path(sys.argv[1]), cache_dir=Path(sys.argv[2]))
print(len(dataset.members), len(dataset.commitments))
"""


def test_two_builds_can_share_one_cache_at_the_same_time(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    command = [sys.executable, "-c", LOAD, str(TINY), str(cache)]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, text=True) for _ in range(4)]
    outputs = [run.communicate()[0] for run in runs]
    assert all(run.returncode == 0 for run in runs)
    assert len(set(outputs)) == 1
    assert not list(cache.rglob("*.tmp"))  # every write finished or was removed
    source = ParsedFiles(cache)
    source.prefetch([(p, p.name) for p in sorted(TINY.rglob("*.yaml"))])
    assert source.stats["parsed"] == 0  # all entries whole


def test_problems_are_sent_back_from_workers_as_problems() -> None:
    (result,) = pc.parse_batch([("data/x.yaml", b"a: [1\n", "k", "member")], None)
    assert isinstance(result, Problem)
    assert result.file == "data/x.yaml" and result.line == 2


# ------------------------------------------------------------ validated records


def test_a_validated_file_is_read_back_not_validated_again(
    tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    cold = loaded(tiny, cache)

    def never(*args: object) -> None:
        raise AssertionError("validated again")

    monkeypatch.setattr(loading, "validate", never)
    loading._VALIDATED.clear()
    assert loaded(tiny, cache) == cold == loaded_without_cache(tiny, monkeypatch)
    members = load_dataset(tiny, cache_dir=cache).members.values()
    sets = {id(m.__pydantic_fields_set__) for m in members}
    assert len(sets) < len(members)  # read back, records still share their field-name sets


def loaded_without_cache(data: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.undo()
    return loaded(data, None)


def test_a_problem_in_a_file_read_back_is_located_exactly(tiny: Path, tmp_path: Path) -> None:
    # The commitments file is unchanged (its record read back, no raw values in memory);
    # the member it names leaves the members file: the problem points into it.
    cache = tmp_path / "cache"
    load_dataset(tiny, cache_dir=cache)
    apply(tiny, [(MEMBERS, "  - id: m002\n", "  - id: m902\n")])
    expected = problems(tiny, None)
    assert any(p.startswith("data/commitments/2026/b01-yunwei.yaml:21:13:") for p in expected)
    assert problems(tiny, cache) == expected


def record_entries(cache: Path) -> list[Path]:
    return [p for p in entries(cache) if p.parent.parent.name.startswith("records-")]


@pytest.mark.parametrize("how", ["truncated", "flipped", "empty", "garbage"])
def test_a_damaged_record_is_validated_again(tiny: Path, tmp_path: Path, how: str) -> None:
    cache = tmp_path / "cache"
    expected = loaded(tiny, cache)
    assert record_entries(cache)
    for entry in record_entries(cache):
        corrupt(entry, how)
    assert loaded(tiny, cache) == expected
    assert loaded(tiny, cache) == expected  # rewritten, good again


def forged(entry: Path, payload: bytes) -> None:
    entry.write_bytes(pc._bind(pc._RECORD_MAGIC, entry.name, payload))


def test_a_record_of_another_kind_or_class_is_not_used(tiny: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    expected = loaded(tiny, cache)
    site = next(p for p in record_entries(cache) if p.name == sha(tiny / "site.yaml"))
    members = next(p for p in record_entries(cache) if p.name == sha(tiny / MEMBERS))
    payload = pc._bound(site.read_bytes(), pc._RECORD_MAGIC, site.name)
    kind, record = pc._RecordUnpickler(io.BytesIO(payload)).load()
    for payload in (
        pickle.dumps(("member", record)),  # the site's record offered as the members file's
        pickle.dumps((kind, "not a record")),
        pickle.dumps((kind, dt.date(2026, 1, 1))),
    ):
        forged(members, payload)
        forged(site, payload)
        assert loaded(tiny, cache) == expected


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_record_that_would_run_code_is_refused(tiny: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    expected = loaded(tiny, cache)
    marker = tmp_path / "ran"
    for payload in (
        pickle.dumps((os.system, (f"touch {marker}",))),
        pickle.dumps(("site", _Evil(f"touch {marker}"))),
        b"\x80\x05cgenerator.model.schema\nTypeVar\n(S'x'\ntR.",  # a name in schema, not a record
        b"\x80\x05cgenerator.model.schema\nshared_field_set\n(S'x'\ntR.",
    ):
        for entry in record_entries(cache):
            forged(entry, payload)
        assert loaded(tiny, cache) == expected
    assert not marker.exists()
