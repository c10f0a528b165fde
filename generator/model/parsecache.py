"""Parse each YAML file once: a cache keyed by file content, and parallel parsing.

libyaml's events, not our checks, are what loading costs (about 6 MB/s per core), so
a file whose bytes were parsed before is not parsed again: its values and marks are
kept under ``.cache/board/`` (git-ignored), one entry per content hash. Only changed
files are parsed, in several processes when there are many.

The cache is only ever a shortcut to what ``load_bytes`` returns for the same bytes:

- the key is the SHA-256 of the file's bytes, under a folder named after the loader's
  own source (``yamlio.py`` and this file) and the PyYAML and Python versions, so a
  change to the loader never reads an old entry;
- an entry is written to a temporary file and renamed into place, so a reader (another
  build running at the same time) sees a whole entry or none;
- an entry carries a checksum of its contents and is read by an unpickler that can
  only build plain values, dates and ``Invalid``: a truncated, corrupt or foreign
  entry is ignored (and the file parsed) rather than trusted;
- a file that fails to load is never cached, so its error is always freshly located.

Validated records are kept the same way (``RecordStore``): a file whose bytes were
validated before is neither unpickled to plain values nor validated again; its record
is read back as the schema built it. That store's folder is named after the whole
package's code (``buildcache.code_version``), since validation is the schema's work,
its entries are bound to their key and kind and checksummed, and its unpickler builds
only dates, decimals and the schema's own record classes (whose state is set by
pydantic, never by code named in the entry). A record read back has no raw values in
memory: where a later check reports a problem in it, its positions are read from the
parse cache then.

Set ``BOARD_CACHE=0`` to turn the cache off (files are then always parsed).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import multiprocessing
import os
import pickle
import shutil
import sys
import threading
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.buildcache import code_version
from generator.errors import Problem
from generator.files import known_digest, note_digest, write_atomically
from generator.model import kinds, schema, yamlio
from generator.model.yamlio import LoadedFile, LoadFailed, Path_

_MAGIC = b"board-yaml-cache\n"
_CHECKSUM = 16  # bytes of SHA-256 over the pickled entry
# Parse in worker processes only when there is this much to parse: below it, starting
# the workers costs more than it saves.
PARALLEL_BYTES = 4 * 1024 * 1024
_BATCH_BYTES = 1024 * 1024


def default_cache_dir(project: Path) -> Path | None:
    """``<project>/.cache/board``, or ``$BOARD_CACHE_DIR``; None when ``BOARD_CACHE=0``."""
    if os.environ.get("BOARD_CACHE", "1").strip().lower() in {"0", "off", "false", "no"}:
        return None
    configured = os.environ.get("BOARD_CACHE_DIR")
    return Path(configured) if configured else project / ".cache" / "board"


def loader_version() -> str:
    """Changes whenever parsing could give a different result for the same bytes."""
    digest = hashlib.sha256()
    for source in (yamlio.__file__, __file__):
        digest.update(Path(source).read_bytes())
    digest.update(f"{yaml.__version__} {sys.version_info[:2]} {pickle.HIGHEST_PROTOCOL}".encode())
    return digest.hexdigest()[:16]


@dataclass
class _Entry:
    """What is cached for one file's bytes: everything ``load_bytes`` found in them."""

    data: Any
    marks: bytes  # array("q").tobytes()
    problems: list[tuple[int, int, str, str]]  # line, column, field, message
    invalid: list[Path_]

    def loaded(self, shown_as: str) -> LoadedFile:
        marks = array("q")
        marks.frombytes(self.marks)
        problems = [Problem(shown_as, *p) for p in self.problems]
        return LoadedFile(shown_as, self.data, marks, problems, set(self.invalid))

    @classmethod
    def of(cls, loaded: LoadedFile) -> _Entry:
        marks = loaded.marks if isinstance(loaded.marks, array) else array("q", loaded.marks)
        problems = [(p.line, p.column, p.field, p.message) for p in loaded.problems]
        return cls(loaded.data, marks.tobytes(), problems, sorted(loaded.invalid_paths, key=str))

    def dumps(self, key: str) -> bytes:
        """The entry for the file content whose SHA-256 is ``key``: the key is part of the
        entry and of its checksum, so an entry copied to another key's place is refused."""
        payload = pickle.dumps(
            (self.data, self.marks, self.problems, self.invalid), protocol=pickle.HIGHEST_PROTOCOL
        )
        return _bind(_MAGIC, key, payload)

    @staticmethod
    def intact(blob: bytes, key: str) -> bool:
        """Whether ``blob`` is a whole entry as written, for ``key`` (its checksum matches)."""
        return _bound(blob, _MAGIC, key) is not None

    @classmethod
    def loads(cls, blob: bytes, key: str) -> _Entry | None:
        """The entry in ``blob``, or None if it is not a whole, intact, plain entry for ``key``."""
        payload = _bound(blob, _MAGIC, key)
        if payload is None:
            return None
        try:
            data, marks, problems, invalid = _SafeUnpickler(io.BytesIO(payload)).load()
        except Exception:  # anything unreadable is a miss, never an error
            return None
        return cls(data, marks, problems, invalid)


class _SafeUnpickler(pickle.Unpickler):
    """Builds plain values only: an entry can never make the build run code."""

    # Decimal: scores are read exactly (yamlio); refusing it made every file with a score
    # a miss, parsed again on every build (13,000 of a 1,000-branch board's 23,000 files).
    _ALLOWED = frozenset(
        {("datetime", "date"), ("decimal", "Decimal"), ("generator.model.yamlio", "Invalid")}
    )

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in self._ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the parse cache")


def _drop_others(root: Path, pattern: str, keep: Path) -> None:
    """Remove the folders of other code versions than ``keep`` (nothing reads them)."""
    with contextlib.suppress(OSError):
        for other in root.glob(pattern):
            if other != keep:
                shutil.rmtree(other, ignore_errors=True)


class ParseCache:
    """Entries under ``root/yaml-<loader version>/<2 hex>/<sha256>``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.dir = root / f"yaml-{loader_version()}"

    def path(self, key: str) -> Path:
        return self.dir / key[:2] / key

    def get(self, key: str) -> _Entry | None:
        blob = self.blob(key)
        return _Entry.loads(blob, key) if blob is not None else None

    def blob(self, key: str) -> bytes | None:
        """The intact stored entry for ``key``, still pickled (a third of its size in memory)."""
        try:
            blob = self.path(key).read_bytes()
        except OSError:
            return None
        return blob if _Entry.intact(blob, key) else None

    def put(self, key: str, blob: bytes) -> None:
        """Write atomically; a cache that cannot be written is no cache, not an error."""
        with contextlib.suppress(OSError):
            write_atomically(self.path(key), blob)

    def tidy(self, in_use: set[str]) -> None:
        """Drop other loader versions, and entries of old contents once they pile up."""
        _drop_others(self.root, "yaml-*", self.dir)
        self.tidy_entries(self.dir, in_use)

    @staticmethod
    def tidy_entries(folder: Path, in_use: set[str]) -> None:
        """Drop the entries of old contents from ``folder`` once they pile up."""
        try:
            entries = [p for sub in folder.iterdir() for p in sub.iterdir()]
        except OSError:
            return
        if len(entries) <= 2 * len(in_use) + 1000:
            return
        for entry in entries:
            if entry.name not in in_use:
                with contextlib.suppress(OSError):
                    entry.unlink()


_RECORD_MAGIC = b"board-record-cache\n"
# A file's record validated from its loaded values as the kind named, or None.
Validator = Callable[[str, LoadedFile], Any]


class RecordStore:
    """Validated records under ``root/records-<code version>/<2 hex>/<sha256>``."""

    def __init__(self, root: Path, directory: Path | None = None) -> None:
        self.root = root
        self.dir = directory or root / f"records-{code_version()}"

    def path(self, key: str) -> Path:
        return self.dir / key[:2] / key

    def blob(self, key: str) -> bytes | None:
        """The stored entry for ``key`` if it is whole (still pickled)."""
        try:
            blob = self.path(key).read_bytes()
        except OSError:
            return None
        return blob if _bound(blob, _RECORD_MAGIC, key) is not None else None

    def put(self, key: str, kind: str, record: Any) -> bytes:
        """Keep ``record``, validated as ``kind`` from the bytes whose SHA-256 is ``key``;
        return the entry."""
        payload = pickle.dumps((kind, record), protocol=pickle.HIGHEST_PROTOCOL)
        blob = _bind(_RECORD_MAGIC, key, payload)
        with contextlib.suppress(OSError):
            write_atomically(self.path(key), blob)
        return blob

    @staticmethod
    def record(blob: bytes, key: str, kind: str) -> Any | None:
        """The record in ``blob`` if it is one validated as ``kind``; None otherwise."""
        payload = _bound(blob, _RECORD_MAGIC, key)
        if payload is None:
            return None
        try:
            stored_kind, record = _RecordUnpickler(io.BytesIO(payload)).load()
        except Exception:  # anything unreadable is a miss, never an error
            return None
        if stored_kind != kind or not isinstance(record, schema.Record):
            return None
        # Of the kind's own class: another kind's record, or one of the classes inside a
        # record, offered under this kind's name would be a record no validation made.
        return record if type(record) is _file_type(kind) else None

    def tidy(self, in_use: set[str]) -> None:
        """Drop other code versions' records (every code change makes a new folder)."""
        _drop_others(self.root, "records-*", self.dir)
        ParseCache.tidy_entries(self.dir, in_use)


def _file_type(kind: str) -> type | None:
    try:
        return kinds.kind(kind).file_type
    except KeyError:  # no kind of that name is registered
        return None


def _bind(magic: bytes, key: str, payload: bytes) -> bytes:
    """``payload`` under ``magic``, bound to ``key`` by a checksum over both."""
    bound = key.encode("ascii")
    return magic + bound + hashlib.sha256(bound + payload).digest()[:_CHECKSUM] + payload


def _bound(blob: bytes, magic: bytes, key: str) -> memoryview | None:
    """The payload ``_bind`` put in ``blob`` for ``key``, or None if it is not intact."""
    bound = key.encode("ascii")
    head = len(magic) + len(bound) + _CHECKSUM
    if not blob.startswith(magic + bound) or len(blob) <= head:
        return None
    payload = memoryview(blob)[head:]
    if hashlib.sha256(bound + payload).digest()[:_CHECKSUM] != blob[head - _CHECKSUM : head]:
        return None
    return payload


class _RecordUnpickler(pickle.Unpickler):
    """Builds dates, decimals and the schema's records only (``Record.__setstate__``)."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in {("datetime", "date"), ("decimal", "Decimal")}:
            return super().find_class(module, name)
        found = getattr(schema, name, None) if module == schema.__name__ else None
        if isinstance(found, type) and issubclass(found, schema.Record):
            return found
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the record cache")


@dataclass(frozen=True)
class _Validated:
    """A file whose validated record is in the record store (``blob``, still pickled)."""

    blob: bytes


class ParsedFiles:
    """Every file of a load, read and hashed once, parsed only if its bytes are new.

    ``prefetch`` does the work for all files up front (in parallel when worthwhile);
    ``load`` then hands out each file as ``load_file`` would.
    """

    def __init__(self, cache_dir: Path | None) -> None:
        self.cache = ParseCache(cache_dir) if cache_dir is not None else None
        self.records = RecordStore(cache_dir) if cache_dir is not None else None
        # Entries stay pickled until loaded: unpickled all at once they were, on a large
        # board, the biggest part of the memory a load needed.
        self.results: dict[Path, LoadedFile | Problem | bytes | _Validated] = {}
        self.keys: dict[Path, str] = {}
        self.kinds: Mapping[Path, str] = {}
        self.validator: Validator | None = None
        self.stats = {"files": 0, "parsed": 0, "parsed_bytes": 0, "cached": 0, "validated": 0}

    def prefetch(
        self,
        files: Iterable[tuple[Path, str]],
        validated: Callable[[str, str], bool] = lambda shown, key: False,
        kinds: Mapping[Path, str] | None = None,
        validator: Validator | None = None,
    ) -> None:
        """``validated(shown, key)``: whether this process already holds the record of
        the file shown as ``shown`` with these bytes (``mkdocs serve``: the last load's).
        Such a file whose status did not change since it was read is not read again.
        ``kinds``: each file's kind, by its path, and ``validator(kind, loaded)``: its
        record or None; files parsed in worker processes are validated there too, and
        their records kept (``RecordStore``)."""
        self.kinds = kinds or {}
        self.validator = validator
        todo: list[tuple[Path, str, bytes, str]] = []
        in_use: set[str] = set()
        for path, shown in files:
            self.stats["files"] += 1
            known = known_digest(path)
            if known is not None and validated(shown, known):
                self.keys[path] = known
                in_use.add(known)
                self.stats["cached"] += 1
                continue
            raw: bytes | None = None
            if known is None:  # else its bytes are those hashed before: read only to parse
                try:
                    raw, known = self._read(path, shown)
                except LoadFailed as exc:
                    self.results[path] = exc.problem
                    continue
            key = known
            self.keys[path] = key
            in_use.add(key)
            record = self.records.blob(key) if self.records else None
            if record is not None:
                self.results[path] = _Validated(record)
                self.stats["validated"] += 1
                continue
            blob = self.cache.blob(key) if self.cache else None
            if blob is not None:
                self.results[path] = blob
                self.stats["cached"] += 1
                continue
            if raw is None:
                try:
                    raw, key = self._read(path, shown)
                except LoadFailed as exc:
                    self.results[path] = exc.problem
                    continue
                self.keys[path] = key
                in_use.add(key)
            todo.append((path, shown, raw, key))
        self._parse(todo)
        if self.cache is not None and todo:
            self.cache.tidy(in_use)
        if self.records is not None and self.stats["validated"] < len(self.keys):
            self.records.tidy(in_use)

    @staticmethod
    def _read(path: Path, shown: str) -> tuple[bytes, str]:
        """A file's bytes and SHA-256, its status noted (``files.py``)."""
        try:
            status: os.stat_result | None = path.stat()  # before reading: see files.py
        except OSError:
            status = None  # the reader says what is wrong
        raw = yamlio._read_bytes(path, shown)
        key = hashlib.sha256(raw).hexdigest()
        if status is not None:
            note_digest(path, status, key)
        return raw, key

    def digests(self, root: Path) -> dict[str, str]:
        """The SHA-256 of every file read, by its path relative to ``root``."""
        return {path.relative_to(root).as_posix(): key for path, key in self.keys.items()}

    def validated(self, path: Path, shown_as: str, kind: str) -> tuple[Any, LoadedFile] | None:
        """The record validated before from this file's bytes as ``kind``, with the file
        as it loads (its raw values and positions read back only if a problem needs
        them); None if there is none (``load`` then parses and the caller validates)."""
        found = self.results.get(path)
        if not isinstance(found, _Validated):
            return None
        key = self.keys[path]
        record = RecordStore.record(found.blob, key, kind)
        if record is None or self.cache is None:  # damaged, or of another kind: parse again
            # (a record is only ever found beside a parse cache: the check is for mypy)
            blob = self.cache.blob(key) if self.cache else None
            try:
                self.results[path] = blob if blob is not None else self._fresh(path, shown_as)
            except LoadFailed as exc:
                self.results[path] = exc.problem
            return None
        del self.results[path]
        return record, LoadedFile(shown_as, None, reload=_Reload(self.cache, path, key, shown_as))

    def keep_validated(self, path: Path, kind: str, record: Any) -> None:
        """Keep the record a file validated to, for the next load of the same bytes."""
        key = self.keys.get(path)
        if self.records is not None and key is not None:
            self.records.put(key, kind, record)

    def load(self, path: Path, shown_as: str) -> LoadedFile:
        result = self.results.pop(path, None)
        if result is None or isinstance(result, _Validated):  # not prefetched: parse it now
            return yamlio.load_file(path, shown_as)
        if isinstance(result, Problem):
            raise LoadFailed(result)
        if isinstance(result, bytes):
            entry = _Entry.loads(result, self.keys[path])
            if entry is None:  # intact but not plain values: never trusted, parsed instead
                return self._fresh(path, shown_as)
            result = entry.loaded(shown_as)
        if self.cache is not None:  # the raw values can be dropped and read back
            result.reload = _Reload(self.cache, path, self.keys[path], shown_as)
        return result

    def _fresh(self, path: Path, shown_as: str) -> LoadedFile:
        raw = yamlio._read_bytes(path, shown_as)
        result, _ = _parse_one(shown_as, raw, hashlib.sha256(raw).hexdigest(), self.cache)
        if isinstance(result, Problem):
            raise LoadFailed(result)
        return result

    def _parse(self, todo: list[tuple[Path, str, bytes, str]]) -> None:
        self.stats["parsed"] = len(todo)
        self.stats["parsed_bytes"] = sum(len(raw) for _, _, raw, _ in todo)
        # Worker processes are forked, which is only safe while no other thread runs
        # (``mkdocs serve`` rebuilds from a server thread: those parse only what changed).
        single = threading.active_count() == 1
        few = len(todo) < 2 or self.stats["parsed_bytes"] < PARALLEL_BYTES
        if few or not single or _workers() < 2:
            for path, shown, raw, key in todo:
                self.results[path] = _parse_one(shown, raw, key, self.cache)[0]
            return
        batches = list(_batches(todo))
        cache_dir = str(self.cache.dir) if self.cache else None
        records_dir = str(self.records.dir) if self.records and self.validator else None
        context = multiprocessing.get_context("fork")  # no re-import, no __main__ guard needed
        with ProcessPoolExecutor(min(_workers(), len(batches)), mp_context=context) as pool:
            futures = {
                pool.submit(
                    parse_batch,
                    [(shown, raw, key, self.kinds.get(path)) for path, shown, raw, key in batch],
                    cache_dir,
                    records_dir,
                    self.validator,
                ): batch
                for batch in batches
            }
            for future in as_completed(futures):
                for (path, _, _, _), result in zip(futures[future], future.result(), strict=True):
                    self.results[path] = result


@dataclass(frozen=True)
class _Reload:
    """A released file's raw values, read back from the cache (or the file, if unchanged)."""

    cache: ParseCache
    path: Path
    key: str
    shown: str

    def __call__(self) -> tuple[Any, Sequence[int]]:
        entry = self.cache.get(self.key)
        if entry is not None:
            loaded = entry.loaded(self.shown)
            return loaded.data, loaded.marks
        try:
            raw = self.path.read_bytes()
            if hashlib.sha256(raw).hexdigest() == self.key:
                loaded = yamlio.load_bytes(raw, self.shown)
                return loaded.data, loaded.marks
        except (OSError, LoadFailed):
            pass
        return None, ()  # the file changed since: positions fall back to the file's start


def _parse_one(
    shown: str, raw: bytes, key: str, cache: ParseCache | None, send: bool = False
) -> tuple[LoadedFile | Problem, bytes | None]:
    """Parse one file and cache it; return it, and its entry if cached or ``send``."""
    try:
        loaded = yamlio.load_bytes(raw, shown)
    except LoadFailed as exc:
        return exc.problem, None  # never cached: an error is always freshly located
    if cache is None and not send:
        return loaded, None
    blob = _Entry.of(loaded).dumps(key)
    if cache is not None:
        cache.put(key, blob)
    return loaded, blob


def parse_batch(
    job: list[tuple[str, bytes, str, str | None]],
    cache_dir: str | None,
    records_dir: str | None = None,
    validator: Validator | None = None,
) -> list[bytes | Problem | _Validated]:
    """In a worker process: parse files, cache them, and send each back as its entry;
    with ``records_dir`` and ``validator`` (a module-level function: it is sent to the
    worker by name), a file of a known kind that validates is sent back as its
    kept record instead (a file that does not is validated again by the loader, which
    reports its problems with everything else's)."""
    cache = _CacheDir(Path(cache_dir)) if cache_dir else None
    records = RecordStore(Path(records_dir).parent, Path(records_dir)) if records_dir else None
    out: list[bytes | Problem | _Validated] = []
    with yamlio.gc_paused():
        for shown, raw, key, kind in job:
            result, blob = _parse_one(shown, raw, key, cache, send=True)
            if validator and records and kind is not None and isinstance(result, LoadedFile):
                record = validator(kind, result)
                if record is not None:
                    out.append(_Validated(records.put(key, kind, record)))
                    continue
            out.append(blob if blob is not None else result)  # type: ignore[arg-type]
    return out


class _CacheDir(ParseCache):
    """The cache folder as a worker knows it: already named, no version to work out."""

    def __init__(self, directory: Path) -> None:
        self.root = directory.parent
        self.dir = directory


def _batches(
    todo: list[tuple[Path, str, bytes, str]],
) -> Iterator[list[tuple[Path, str, bytes, str]]]:
    batch: list[tuple[Path, str, bytes, str]] = []
    size = 0
    for item in todo:
        batch.append(item)
        size += len(item[2])
        if size >= _BATCH_BYTES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


__all__ = ["ParseCache", "ParsedFiles", "default_cache_dir", "parse_batch"]
