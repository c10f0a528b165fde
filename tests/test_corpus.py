"""The bad-input corpus: every input ends in success or a Chinese file:line error.

Never a traceback, a crash or a hang, within bounded time and memory. Each case in
``tests/corpus/<case>/`` is laid over a copy of the tiny valid dataset; cases
named ``*-is-fine`` or ``injection-*`` must load, all others must be refused. A few
inputs too big to commit are made here.
"""

from __future__ import annotations

import re
import shutil
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.errors import DataError
from generator.model import load_dataset
from tests.conftest import TINY

CORPUS = Path(__file__).parent / "corpus"
LOCATED = re.compile(r"^data/\S+:\d+:\d+: .*[\u4e00-\u9fff]")
MAX_SECONDS, MAX_BYTES = 30, 512 * 1024 * 1024


def made(name: str, rel: str, content: Callable[[], bytes]) -> tuple[str, str, Callable[[], bytes]]:
    return name, rel, content


GENERATED = [
    made("huge-file", "notices/2026-01.yaml", lambda: b"id: x\nnote: " + b"y" * (6 << 20)),
    made("deep-flow-nesting", "notices/2026-01.yaml", lambda: b"a: " + b"[" * 50_000 + b"]" * 50_000),
    made("deep-block-nesting", "notices/2026-01.yaml",
         lambda: "".join(f"{'  ' * i}k{i}:\n" for i in range(3000)).encode()),
    made("many-items", "members/b01-yunwei.yaml",
         lambda: ("branch: b01-yunwei\nmembers:\n" + "".join(
             f"  - id: x{i}\n    name: 名{i}\n    post: 岗\n" for i in range(20_000))).encode()),
    made("long-line", "notices/2026-01.yaml", lambda: b"title: " + b"a" * 1_000_000 + b"\n"),
]  # fmt: skip


def cases() -> list[str]:
    return sorted(p.name for p in CORPUS.iterdir() if p.is_dir())


def should_load(name: str) -> bool:
    return name.endswith("-is-fine") or name.startswith("injection-")


def outcome(data: Path) -> list[str]:
    """Problems as printed, or [] on success; anything else raised fails the test."""
    tracemalloc.start()
    started = time.monotonic()
    try:
        load_dataset(data)
        problems: list[str] = []
    except DataError as exc:
        problems = [str(p) for p in exc.problems]
    finally:
        elapsed = time.monotonic() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert elapsed < MAX_SECONDS, f"took {elapsed:.1f} s"
    assert peak < MAX_BYTES, f"peak {peak >> 20} MB"
    return problems


def assert_clean(problems: list[str]) -> None:
    for line in problems:
        assert LOCATED.match(line), line
        assert "Traceback" not in line and "Error(" not in line, line


def test_corpus_has_at_least_fifty_hand_written_inputs() -> None:
    assert len(cases()) >= 50


@pytest.mark.parametrize("name", cases())
def test_corpus_input_ends_in_success_or_a_located_chinese_error(tmp_path: Path, name: str) -> None:
    data = tmp_path / "data"
    shutil.copytree(TINY, data)
    shutil.copytree(CORPUS / name, data, dirs_exist_ok=True)
    problems = outcome(data)
    assert_clean(problems)
    if should_load(name):
        assert problems == []
    else:
        assert problems, f"{name} was accepted"


@pytest.mark.parametrize(("name", "rel", "content"), GENERATED, ids=[g[0] for g in GENERATED])
def test_generated_input_is_refused_cleanly(
    tmp_path: Path, name: str, rel: str, content: Callable[[], bytes]
) -> None:
    data = tmp_path / "data"
    shutil.copytree(TINY, data)
    (data / rel).write_bytes(content())
    problems = outcome(data)
    assert problems, f"{name} was accepted"
    assert_clean(problems)
