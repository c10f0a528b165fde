"""The whole data stage kept by everything it reads (``generator/stagememo.py``).

A stage is read back only when none of its inputs changed; each case here changes one
input after a kept stage and checks that the next stage runs again and makes what a
stage with no cache at all makes. A kept stage that is damaged or forged is a miss.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import shutil
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator import buildcache, files, pipeline, stagememo
from generator.buildcache import EntryStore
from generator.errors import DataError
from generator.model.dataset import Dataset
from generator.pipeline import Prepared, Source, prepare
from generator.ranking.board import Board
from tests.conftest import Repo
from tests.test_bad_data import apply

EPOCH = "1794700800"  # the sample's "today"


@dataclass
class Stage:
    """The data stage of one project, with its cache or without any."""

    repo: Repo

    @property
    def data(self) -> Path:
        return self.repo.data

    def __call__(self, *, cached: bool = True, **settings: bool) -> Prepared:
        cache = self.repo.root / ".cache" / "board" if cached else None
        return prepare(Source(self.data, "data", cache), **settings)  # type: ignore[arg-type]

    def kept(self) -> Path:
        """The one kept stage file, once written."""
        stagememo.finish_writing()
        (entry,) = (self.repo.root / ".cache" / "board" / "stage").glob("*/*")
        return entry


def read_back(prepared: Prepared) -> bool:
    return set(prepared.seconds) == {"stage memo"}


def same(a: Prepared, b: Prepared) -> None:
    assert a.pages == b.pages and list(a.pages) == list(b.pages)
    assert (a.site, a.secrets, a.hints, a.notes, a.preview) == (
        b.site, b.secrets, b.hints, b.notes, b.preview
    )  # fmt: skip


@pytest.fixture
def stage(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> Iterator[Stage]:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    for name in ("BOARD_MASK", "BOARD_PREVIEW", "BOARD_AS_OF", "BOARD_CACHE"):
        monkeypatch.delenv(name, raising=False)
    yield Stage(repo)


def test_an_unchanged_stage_is_read_back_as_it_was_made(stage: Stage) -> None:
    first = stage()
    again = stage()
    assert not read_back(first) and read_back(again)
    same(again, first)
    same(again, stage(cached=False))
    assert any(isinstance(c, bytes) for c in again.pages.values())  # downloads come back too


def _edit_a_record(stage: Stage, monkeypatch: pytest.MonkeyPatch) -> None:
    apply(stage.data, [("members/b01-yunwei.yaml", "post: 变电运维工", "post: 变电检修工")])


def _same_size_and_times(stage: Stage, monkeypatch: pytest.MonkeyPatch) -> None:
    """As many bytes, the modification time set back: only the change time differs."""
    member = stage.data / "members" / "b01-yunwei.yaml"
    before = member.stat()
    text = member.read_text(encoding="utf-8").replace("变电运维工", "变电检修工")
    member.write_text(text, encoding="utf-8")
    os.utime(member, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert member.stat().st_size == before.st_size


def _new_file(stage: Stage, monkeypatch: pytest.MonkeyPatch) -> None:
    unit = stage.data / "units" / "sfg-yunwei-01.yaml"
    text = unit.read_text(encoding="utf-8").replace("sfg-yunwei-01", "sfg-yunwei-02")
    (unit.parent / "sfg-yunwei-02.yaml").write_text(text, encoding="utf-8")


def _file_removed(stage: Stage, monkeypatch: pytest.MonkeyPatch) -> None:
    (stage.data / "wishes" / "2026" / "b01-yunwei.yaml").unlink()


def _masking(stage: Stage, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOARD_MASK", "1")


def _drafts(stage: Stage, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOARD_PREVIEW", "1")


def _as_of(stage: Stage, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(EPOCH) + 40 * 86400))


def _today(stage: Stage, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "today", lambda: dt.date(2027, 1, 5))


def _commit(stage: Stage, monkeypatch: pytest.MonkeyPatch) -> None:
    """A record edited and committed, then set back and committed: the same files, but
    git's history of them (the change log, the dates of the sources) differs."""
    member = stage.data / "members" / "b01-yunwei.yaml"
    before = member.read_bytes()
    _edit_a_record(stage, monkeypatch)
    stage.repo.commit("改岗位")
    member.write_bytes(before)
    stage.repo.commit("改回岗位")


def _staged(stage: Stage, monkeypatch: pytest.MonkeyPatch) -> None:
    """A new file added to git's index, not committed: what ``git status`` says differs."""
    _new_file(stage, monkeypatch)
    stage(cached=True)  # kept with the file untracked
    stage.repo.git("add", "data")


def _code(stage: Stage, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stagememo, "code_version", lambda: "another version of the code")


CHANGES: list[tuple[str, Callable[[Stage, pytest.MonkeyPatch], None]]] = [
    ("a record edited", _edit_a_record),
    ("same size and modification time", _same_size_and_times),
    ("a file added", _new_file),
    ("a file removed", _file_removed),
    ("masking turned on", _masking),
    ("drafts shown", _drafts),
    ("another as-of date", _as_of),
    ("another day", _today),
    ("a commit", _commit),
    ("a file staged in git", _staged),
    ("the code", _code),
]


@pytest.mark.parametrize("change", [c for _, c in CHANGES], ids=[label for label, _ in CHANGES])
def test_a_changed_input_runs_the_stage_again(
    stage: Stage,
    monkeypatch: pytest.MonkeyPatch,
    change: Callable[[Stage, pytest.MonkeyPatch], None],
) -> None:
    stage()
    assert read_back(stage())
    change(stage, monkeypatch)
    after = stage()
    assert not read_back(after)
    same(after, stage(cached=False))
    assert read_back(stage())  # and this one is kept in turn


def test_the_settings_passed_are_inputs(stage: Stage) -> None:
    stage()
    for settings in ({"with_history": False}, {"mask": True}, {"preview": True}):
        after = stage(**settings)
        assert not read_back(after), settings
        same(after, stage(cached=False, **settings))


def test_another_data_folder_with_the_same_files_is_another_stage(stage: Stage) -> None:
    """Same files, same cache, same repository: the other folder's git history (the
    change log, the sources' dates) is its own."""
    stage()
    other = stage.repo.root / "data-copy"
    shutil.copytree(stage.data, other)
    apply(stage.data, [("members/b01-yunwei.yaml", "post: 变电运维工", "post: 变电检修工")])
    stage.repo.commit("只改 data/")
    apply(stage.data, [("members/b01-yunwei.yaml", "post: 变电检修工", "post: 变电运维工")])
    stage.repo.commit("改回")
    stage()  # kept: data/, two commits more than data-copy/
    cache = stage.repo.root / ".cache" / "board"
    copied = prepare(Source(other, "data", cache))
    assert not read_back(copied)
    same(copied, prepare(Source(other, "data", None)))


def test_a_stage_that_fails_is_not_kept(stage: Stage) -> None:
    """A data error is reported by every build until it is fixed, in full."""
    stage()
    kept = stage.kept()
    apply(stage.data, [("members/b01-yunwei.yaml", "post: 变电运维工", "post: [变电运维工]")])
    for _ in range(2):
        with pytest.raises(DataError, match="post"):
            stage()
    assert stage.kept() == kept  # the good data's stage, which no longer matches


def _truncated(entry: Path) -> None:
    entry.write_bytes(entry.read_bytes()[:-100])


def _flipped(entry: Path) -> None:
    blob = bytearray(entry.read_bytes())
    blob[len(blob) // 2] ^= 1
    entry.write_bytes(bytes(blob))


def _forged(payload: bytes) -> Callable[[Path], None]:
    """An entry with a valid checksum that is not a stage (as only a forger could write)."""

    def forge(entry: Path) -> None:
        EntryStore(entry.parent.parent.parent, "stage").put(entry.name, payload)

    return forge


HEAD = b'{"pages":[["index.md",true,5]],"secrets":[],"hints":0,"notes":[],"preview":false}'
DAMAGE = [
    ("truncated", _truncated),
    ("a flipped bit", _flipped),
    ("empty", _forged(b"")),
    ("random bytes", _forged(os.urandom(64))),
    ("a head longer than the entry", _forged(HEAD + (10**9).to_bytes(8, "little"))),
    ("pages longer than their bytes", _forged(b"abc" + HEAD + len(HEAD).to_bytes(8, "little"))),
    ("bytes left over", _forged(b"abcdefgh" + HEAD + len(HEAD).to_bytes(8, "little"))),
    ("not UTF-8", _forged(b"\xff\xfe\xfd\xfc\xfb" + HEAD + len(HEAD).to_bytes(8, "little"))),
    ("a head of another shape", _forged(b'{"pages":5}' + (11).to_bytes(8, "little"))),
]


@pytest.mark.parametrize("damage", [d for _, d in DAMAGE], ids=[label for label, _ in DAMAGE])
def test_a_damaged_or_forged_stage_is_a_miss(stage: Stage, damage: Callable[[Path], None]) -> None:
    cold = stage()
    damage(stage.kept())
    again = stage()
    assert not read_back(again)
    same(again, cold)


def test_a_new_process_reads_only_the_files_whose_status_changed(
    stage: Stage, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a build knew of each file's status and bytes is kept with its cache: the
    next process reads a file again only if its status changed (site.yaml is validated
    again for a kept stage: it is read every time)."""
    monkeypatch.setattr(files, "RACY_NS", -(10**18))  # no file is too recent to trust
    stage()
    monkeypatch.setattr(files, "_DIGESTS", {})  # as in a new process
    read: list[Path] = []
    real_read = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda p: (read.append(p), real_read(p))[1])
    assert read_back(stage())
    assert [p.name for p in read if stage.data in p.parents] == ["site.yaml"]
    monkeypatch.setattr(files, "_DIGESTS", {})
    _same_size_and_times(stage, monkeypatch)
    read.clear()
    assert not read_back(stage())
    data_read = {p.relative_to(stage.data).as_posix() for p in read if stage.data in p.parents}
    assert "members/b01-yunwei.yaml" in data_read


@pytest.mark.parametrize(
    "noted",
    [None, [], {"a.yaml": "x"}, {"a.yaml": [1, 2, 3, 4]}, {"a.yaml": [1, 2, 3, 4, "short"]},
     {"a.yaml": ["1", 2, 3, 4, "0" * 64]}, {"a.yaml": [True, 2, 3, 4, "0" * 64]}],
)  # fmt: skip
def test_a_digest_index_of_another_shape_is_left_out(
    noted: object, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(files, "_DIGESTS", {})
    files.remember_digests(tmp_path, noted)
    assert files._DIGESTS == {}


def test_serve_keeps_the_last_stage_in_memory_not_on_disk(stage: Stage) -> None:
    buildcache.keep_in_memory()
    try:
        first = stage()
        again = stage()
        assert read_back(again) and again.pages == first.pages
        first.pages.clear()  # what a build does with its stage is its own
        first.secrets.clear()
        assert stage().pages == again.pages and again.secrets
        assert not list((stage.repo.root / ".cache" / "board").glob("stage/*/*"))
        _edit_a_record(stage, pytest.MonkeyPatch())
        assert not read_back(stage())
    finally:
        buildcache.keep_in_memory(False)


def test_a_stage_utf_8_cannot_hold_is_not_kept_and_not_a_crash(stage: Stage) -> None:
    """A lone surrogate (from a filename or an environment variable, say) cannot be
    written: the write gives up quietly (a thread's traceback would fail this test) and
    MkDocs, which writes the same page, is the one that reports it."""
    made = stage()
    memo = stagememo.StageMemo(
        Source(stage.data, "data", stage.repo.root / ".cache" / "board"), [], "2026-11-15"
    )
    memo.key = "f" * 64
    broken = stagememo.Kept({"index.md": "\ud800"}, made.site, set(), 0, [], False)
    memo.keep(broken)
    stagememo.finish_writing()
    assert not list((stage.repo.root / ".cache" / "board" / "stage").glob("*/" + memo.key))


@pytest.mark.parametrize("cached", [True, False])
def test_a_builds_records_are_freed_when_its_stage_ends(
    stage: Stage, monkeypatch: pytest.MonkeyPatch, cached: bool
) -> None:
    """Nothing holds the data once a build's stage has made its pages: no memo of the
    module (those are for serve) and no reference cycle (a closure that called itself
    kept the whole dataset until the collector ran: at 1,000 branches a full collection
    took 1.4 s of every build, and the records stayed through MkDocs)."""
    made: list[weakref.ref[object]] = []
    derive = pipeline.derive

    def watched(public: Dataset, as_of: dt.date) -> Board:
        board = derive(public, as_of)
        members = [rec.value for rec in public.records.of("member").values()]
        made.extend(weakref.ref(o) for o in (public, board, *members))
        return board

    monkeypatch.setattr(pipeline, "derive", watched)
    gc.disable()  # only reference counts free anything now
    try:
        prepared = stage(cached=cached)
        stagememo.finish_writing()
        alive = [ref() for ref in made if ref() is not None]
    finally:
        gc.enable()
    assert made and prepared.pages and not alive, [type(o).__name__ for o in alive][:5]


def test_a_commit_outside_the_data_keeps_the_stage(stage: Stage) -> None:
    """A page or the theme committed changes no read of the data's history: the kept
    stage is read back, and it is what a stage with no cache makes."""
    stage()
    (stage.repo.root / "content" / "about.md").write_text("# 关于\n\n改写。\n", encoding="utf-8")
    stage.repo.commit("改写说明页")
    after = stage()
    assert read_back(after)
    same(after, stage(cached=False))
