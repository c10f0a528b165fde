"""Rendering in worker processes, or from cached downloads, gives the same site as rendering in one."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from generator import parallel
from generator.parallel import parallel_map
from generator.render import render_site
from tests.conftest import ROOT, board_of


def render() -> dict[str, str | bytes]:
    return render_site(board_of(ROOT / "data"))


def test_workers_render_the_sample_exactly_as_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    alone = render()
    monkeypatch.setattr(parallel, "PARALLEL_ITEMS", 2)  # the sample's pages go to workers
    monkeypatch.setattr(parallel, "_cores", lambda: 2)
    monkeypatch.setattr(parallel, "_affordable", lambda: 2)
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    together = render()
    assert list(together) == list(alone)  # the same files in the same order
    assert together == alone


def test_nothing_is_forked_while_other_threads_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "PARALLEL_ITEMS", 2)
    monkeypatch.setattr(threading, "active_count", lambda: 2)  # as under `mkdocs serve`
    pids = parallel_map(lambda _: os.getpid(), list(range(10)))
    assert set(pids) == {os.getpid()}


def test_an_error_in_a_worker_reaches_the_caller(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "_cores", lambda: 2)
    monkeypatch.setattr(parallel, "_affordable", lambda: 2)
    monkeypatch.setattr(threading, "active_count", lambda: 1)

    def page(n: int) -> str:
        if n == 7:
            raise ValueError("not a slug: 'B07'")
        return str(n)

    with pytest.raises(ValueError, match="not a slug"):
        parallel_map(page, list(range(10)), worth_it=True)


def test_cached_workbooks_are_the_ones_a_fresh_render_writes(tmp_path: Path) -> None:
    board = board_of(ROOT / "data")
    fresh = render_site(board)
    first = render_site(board, cache_dir=tmp_path)  # fills the cache
    second = render_site(board, cache_dir=tmp_path)  # reads it
    assert any(tmp_path.rglob("*"))
    assert first == fresh and second == fresh
