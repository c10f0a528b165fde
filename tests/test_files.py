"""The content-keyed blob cache: a hit is used, anything damaged is made again."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.files import BlobCache, write_atomically


def _entry(root: Path) -> Path:
    return next(p for p in root.rglob("*") if p.is_file())


DAMAGE = [
    ("truncated", lambda blob: blob[:-3]),
    ("one byte changed", lambda blob: blob[:-1] + bytes([blob[-1] ^ 1])),
    ("empty", lambda blob: b""),
    ("foreign file", lambda blob: b"not a cache entry at all"),
]


def test_a_second_build_uses_the_stored_bytes(tmp_path: Path) -> None:
    cache, made = BlobCache(tmp_path), []
    assert cache.get_or_make(b"key", lambda: made.append(1) or b"workbook") == b"workbook"
    assert cache.get_or_make(b"key", lambda: made.append(1) or b"other") == b"workbook"
    assert made == [1]


def test_another_key_makes_its_own(tmp_path: Path) -> None:
    cache = BlobCache(tmp_path)
    cache.get_or_make(b"2026Q1", lambda: b"one")
    assert cache.get_or_make(b"2026Q2", lambda: b"two") == b"two"


@pytest.mark.parametrize("damage", [d[1] for d in DAMAGE], ids=[d[0] for d in DAMAGE])
def test_a_damaged_entry_is_made_again(tmp_path: Path, damage) -> None:  # type: ignore[no-untyped-def]
    cache = BlobCache(tmp_path)
    cache.get_or_make(b"key", lambda: b"workbook bytes")
    entry = _entry(tmp_path)
    write_atomically(entry, damage(entry.read_bytes()))
    assert cache.get_or_make(b"key", lambda: b"fresh") == b"fresh"
    assert cache.get_or_make(b"key", lambda: b"unused") == b"fresh"


def test_no_cache_folder_always_makes(tmp_path: Path) -> None:
    cache = BlobCache(None)
    assert cache.get_or_make(b"k", lambda: b"a") == b"a"
    assert cache.get_or_make(b"k", lambda: b"b") == b"b"


def test_an_unwritable_cache_is_no_cache(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_bytes(b"")  # a file where the cache folder should be
    assert BlobCache(blocked / "cache").get_or_make(b"k", lambda: b"a") == b"a"
