"""Build caches: what a step made, kept by a key made from everything it was made of.

A rebuild after a one-record edit should cost what the edit touches, not the whole
board: the page cache (MkDocs' HTML and search entries of a page, see
``generator/cachedpages.py``), the page memo (our Markdown of a page, see
``generator/render/memo.py``) and the output scanner's verdicts all keep their results
here, under ``.cache/board/`` (git-ignored), one entry per key.

A cache is only ever a shortcut to what the step would make again:

- a key is the SHA-256 of every input of the step, the code that makes it included
  (``code_version``: this package's files and every installed distribution's
  version), so a change anywhere misses rather than reads an old entry;
- an entry is written to a temporary file and renamed into place (a reader sees a
  whole entry or none) and carries its key and a checksum: a truncated, damaged or
  misplaced entry is a miss, never used;
- entries are JSON or bytes, never pickles: reading one can never run code;
- a value whose digest cannot be made exactly (``Uncacheable``) turns the cache off
  for that build rather than risk a key that misses a change.

``BOARD_CACHE=0`` turns every cache off (see ``parsecache.default_cache_dir``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import importlib.metadata
import json
import sys
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from generator.files import atomic_writer, write_atomically

_MAGIC = b"board-build-cache\n"
_CHECK = 16  # bytes of SHA-256 over key and payload
PACKAGE = Path(__file__).resolve().parent


class Uncacheable(Exception):
    """An input whose digest cannot be made exactly: the step runs without its cache."""


def keep_in_memory(on: bool = True) -> None:
    """Keep the last build's results in memory for the next build in this process (the
    plugin turns it on under ``mkdocs serve``, which rebuilds in one process after every
    edit). A single build would only hold them longer: at 1,000 branches, hundreds of
    megabytes more at its peak."""
    _IN_MEMORY[0] = on


def keeping_in_memory() -> bool:
    return _IN_MEMORY[0]


_IN_MEMORY = [False]


def digest(*parts: str | bytes) -> str:
    """SHA-256 of the parts, each length-prefixed (``("ab", "c")`` ≠ ``("a", "bc")``)."""
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.hexdigest()


def plain_digest(value: Any) -> str:
    """The digest of plain data (dicts, lists, strings, numbers, dates, None), by value.

    Anything else raises ``Uncacheable``: an object's ``repr`` may leave out what it
    holds, and a key that leaves out an input would serve stale output."""
    return digest(json.dumps(_plain(value), ensure_ascii=False, separators=(",", ":")))


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float | Decimal):
        return {"number": repr(value)}
    if isinstance(value, dt.date):
        return {"date": value.isoformat()}
    if isinstance(value, Path):
        return {"path": str(value)}
    if isinstance(value, Mapping):
        return {"map": [[_plain(k), _plain(v)] for k, v in value.items()]}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, set | frozenset):
        return {"set": sorted(json.dumps(_plain(v), ensure_ascii=False) for v in value)}
    raise Uncacheable(f"{type(value).__module__}.{type(value).__qualname__}")


def tree_digest(folder: Path, suffixes: Iterable[str] | None = None) -> str:
    """Every file under ``folder`` (its path and bytes), optionally only some suffixes."""
    wanted = set(suffixes) if suffixes is not None else None
    parts: list[str | bytes] = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if "__pycache__" in path.parts or (wanted is not None and path.suffix not in wanted):
            continue
        parts += [path.relative_to(folder).as_posix(), path.read_bytes()]
    return digest(*parts)


def code_version() -> str:
    """Changes whenever the code that builds a page could: this package's sources and
    templates, the Python version and every installed distribution's version (MkDocs,
    Material, Python-Markdown and its extensions, jieba, Jinja...)."""
    templates = tree_digest(PACKAGE, TEMPLATE_SUFFIXES)
    return digest(_python_code(PACKAGE), templates, sys.version, *_distributions())


TEMPLATE_SUFFIXES = {".j2", ".yaml", ".html", ".js", ".css"}  # read as they are, every build


@functools.cache
def _python_code(package: Path) -> str:
    """The package's Python sources as this process runs them: read once. Under ``serve``
    a source edited while the server runs is not the code that builds the pages, so
    what this process builds must not be kept under the edited code's keys (templates
    are read again by Jinja when they change, so they are hashed every build)."""
    return tree_digest(package, {".py"})


@functools.cache
def _distributions() -> tuple[str, ...]:
    """Once per process: reading every package's metadata took 0.4 s of each rebuild
    under ``serve`` (which does not see a package installed while it runs anyway)."""
    found = importlib.metadata.distributions()  # once per folder on sys.path: a set
    return tuple(sorted({f"{d.metadata['Name']}=={d.version}" for d in found}))


class EntryStore:
    """Entries under ``root/<name>/<2 hex>/<key>``; a store without a root keeps nothing."""

    def __init__(self, root: Path | None, name: str) -> None:
        self.dir = root / name if root is not None else None
        self.used: set[str] = set()

    def path(self, key: str) -> Path:
        assert self.dir is not None
        return self.dir / key[:2] / key

    def get(self, key: str) -> bytes | None:
        """The payload stored for ``key``, or None (missing, damaged or not for this key)."""
        if self.dir is None:
            return None
        self.used.add(key)
        try:
            blob = self.path(key).read_bytes()
        except OSError:
            return None
        bound = key.encode("ascii")
        head = len(_MAGIC) + len(bound) + _CHECK
        if not blob.startswith(_MAGIC + bound) or len(blob) < head:
            return None
        check = hashlib.sha256(bound)
        check.update(memoryview(blob)[head:])  # a page stage is hundreds of MB: not copied
        if check.digest()[:_CHECK] != blob[head - _CHECK : head]:
            return None
        return blob[head:]

    def used_again(self, key: str) -> None:
        """Mark ``key`` as used by this build without reading it (what it holds came from
        memory), so that ``tidy`` keeps it for the next build."""
        self.used.add(key)

    def put(self, key: str, payload: bytes) -> None:
        """Write atomically; a cache that cannot be written is no cache, not an error."""
        if self.dir is None:
            return
        self.used.add(key)
        bound = key.encode("ascii")
        check = hashlib.sha256(bound + payload).digest()[:_CHECK]
        with contextlib.suppress(OSError):
            write_atomically(self.path(key), _MAGIC + bound + check + payload)

    def put_parts(self, key: str, parts: Iterable[bytes]) -> None:
        """``put(key, b"".join(parts))``, without holding the whole payload: the parts
        are written as they come and the checksum is filled in last."""
        if self.dir is None:
            return
        self.used.add(key)
        bound = key.encode("ascii")
        hasher = hashlib.sha256(bound)
        with contextlib.suppress(OSError), atomic_writer(self.path(key)) as out:
            out.write(_MAGIC + bound + bytes(_CHECK))
            for part in parts:
                hasher.update(part)
                out.write(part)
            out.seek(len(_MAGIC) + len(bound))
            out.write(hasher.digest()[:_CHECK])

    def get_json(self, key: str) -> Any:
        payload = self.get(key)
        if payload is None:
            return None
        try:
            return json.loads(payload)
        except ValueError:
            return None

    def put_json(self, key: str, value: Any) -> None:
        self.put(key, json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode())

    def tidy(self, slack: int = 1000) -> None:
        """Drop entries this build did not use once there are many more than it used.

        Never under ``serve``: its rebuilds take what they reuse from memory, not from
        here, so what they mark used is only what an edit changed; and its keys are a
        preview's, not a build's. Tidied by them, a store lost every entry the next
        build needed (at 1,000 branches that build took 165 s instead of 30)."""
        if self.dir is None or keeping_in_memory():
            return
        try:
            entries = [p for sub in self.dir.iterdir() for p in sub.iterdir()]
        except OSError:
            return
        if len(entries) <= 2 * len(self.used) + slack:
            return
        for entry in entries:
            if entry.name not in self.used:
                with contextlib.suppress(OSError):
                    entry.unlink()
