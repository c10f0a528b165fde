"""Work on every core: a ``map`` over forked worker processes (pages, the output scan).

Pages are pure functions of the loaded data, so a large board's per-branch pages can
be rendered by several processes at once. Workers are forked from the renderer, so
they share its data without copying or pickling it; only the finished pages come
back. Results keep the order of the items, so the site is the same as a sequential
render's, byte for byte. Small boards, and any process that runs other threads
(``mkdocs serve``: forking it is unsafe), render in this process.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

PARALLEL_ITEMS = 200  # fewer items than this render here: starting workers costs more

# What the forked workers run: set just before they start, so they inherit it.
_task: Callable[[Any], Any] | None = None
_items: Sequence[Any] = ()


def parallel_map(
    render: Callable[[T], R], items: Sequence[T], *, worth_it: bool | None = None
) -> list[R]:
    """``[render(item) for item in items]``, spread over the machine's cores.

    By default it is worth it from ``PARALLEL_ITEMS`` items; ``worth_it`` decides for
    a few slow items (a workbook per quarter).
    """
    workers = min(_cores(), 8, len(items), _affordable())
    many = len(items) >= PARALLEL_ITEMS if worth_it is None else worth_it
    if not many or workers < 2 or threading.active_count() > 1:
        return [render(item) for item in items]
    global _task, _items
    _task, _items = render, items
    try:
        chunks = _chunks(len(items), workers * 4)  # small chunks even out slow pages
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            return [page for chunk in pool.map(_render_chunk, chunks) for page in chunk]
    finally:
        _task, _items = None, ()


def _render_chunk(span: tuple[int, int]) -> list[Any]:
    assert _task is not None
    start, stop = span
    return [_task(item) for item in _items[start:stop]]


def _chunks(count: int, parts: int) -> list[tuple[int, int]]:
    size = max(1, -(-count // parts))
    return [(start, min(start + size, count)) for start in range(0, count, size)]


def _affordable() -> int:
    """How many workers memory allows. A forked worker shares the renderer's memory but
    copies what it touches, up to its whole size: on a group-sized board, more copies
    than the machine holds would exhaust it."""
    try:
        with open("/proc/meminfo", encoding="ascii") as info:
            fields = dict(line.split(":", 1) for line in info)
        available = int(fields["MemAvailable"].split()[0]) * 1024
        with open("/proc/self/statm", encoding="ascii") as statm:
            resident = int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, KeyError, ValueError):
        return 1
    return max(1, int(available * 0.8 // max(resident, 1)))


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1
