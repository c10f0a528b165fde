"""Rendering in worker processes gives the same site as rendering in one, in the same order."""

from __future__ import annotations

import datetime as dt
import os
import threading

import pytest

from generator.model import load_dataset
from generator.render import parallel, render_site
from generator.render.parallel import parallel_map
from generator.security.policy import publishable
from tests.conftest import ROOT

AS_OF = dt.date(2026, 11, 15)


def render() -> dict[str, str | bytes]:
    return render_site(publishable(load_dataset(ROOT / "data")), AS_OF)


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
