"""Load every file under ``data/`` into one validated, cross-checked ``Dataset``.

Files are found and split into records by the registry (``kinds.py``); every problem
of every file is collected and raised at once as a ``DataError``.
"""

from __future__ import annotations

import datetime as dt
import gc
import re
from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, ValidationError

from generator.buildcache import EntryStore, keeping_in_memory
from generator.errors import DataError, Problem
from generator.model.checks import check_entries
from generator.model.dataset import Dataset, Records
from generator.model.entry import DataFile, Entry, discover
from generator.model.kinds import Kind, Rec, classify, known_places
from generator.model.kinds import kind as kind_named
from generator.model.messages import translate
from generator.model.parsecache import ParsedFiles
from generator.model.yamlio import LoadedFile, LoadFailed, gc_paused, load_bytes


def load_dataset(
    data_dir: Path,
    shown_root: str = "data",
    importing: str | None = None,
    cache_dir: Path | None = None,
    today: dt.date | None = None,
    discovered: tuple[list[DataFile], list[Problem]] | None = None,
) -> Dataset:
    """Load, validate and cross-check everything; raise ``DataError`` with all problems.

    ``importing`` names a quarter whose scores are being imported: its missing
    score files are expected, not an error. ``cache_dir`` keeps parsed files by
    content (see ``parsecache.py``), so the next load parses only what changed.
    ``today``: dates of things that happened may not be later (None: not compared).
    ``discovered``: what ``discover`` found in ``data_dir`` just before, if it ran.
    """
    if not data_dir.is_dir():
        raise DataError([Problem(shown_root, 1, 1, "", f"找不到数据目录 {data_dir}")])
    entries: list[Entry] = []
    gc.unfreeze()  # a previous load's data (``mkdocs serve``) may be collected again
    with gc_paused():
        found, problems = discovered or discover(data_dir, shown_root)
        problems = list(problems)
        source = ParsedFiles(cache_dir)
        source.prefetch(
            ((f.path, f"{shown_root}/{f.rel}") for f in found if f.kind is not None),
            validated=lambda shown, sha: (shown, sha) in _VALIDATED,
            kinds={f.path: f.kind.name for f in found if f.kind is not None},
            validator=validated_record,
        )
        salvaged: dict[str, set[str]] = {}
        validated: dict[tuple[str, str], Entry] = {}
        for data_file in found:
            entry = _load_entry(data_file, shown_root, problems, source)
            if entry is not None:
                entries.append(entry)
                sha = source.keys.get(data_file.path)
                if sha is not None:
                    validated[(f"{shown_root}/{data_file.rel}", sha)] = entry
            elif data_file.kind is not None and data_file.kind.name in SALVAGED:
                salvaged[data_file.rel] = salvage_ids(data_file.path)
        digests = source.digests(data_dir)
        checked = check_entries(
            entries,
            shown_root,
            failed={p.file for p in problems},
            salvaged=salvaged,
            importing=importing,
            today=today,
            digests=digests,
            verdicts=EntryStore(cache_dir, "checks") if cache_dir is not None else None,
        )
        problems.extend(p for p in checked if isinstance(p, Problem))
        _VALIDATED.clear()  # this load's files only: what the next load may find unchanged
        if keeping_in_memory():  # serve; a build has no next load, and the records the
            _VALIDATED.update(validated)  # pages are made of are freed after the stage
        errors = [p for p in problems if not p.warning]
        if errors:
            raise DataError(errors)
        dataset = Dataset(records_of(entries), digests=digests)
        late = [h for h in checked if not isinstance(h, Problem)]
        dataset.hints = [*(p for p in problems if p.warning), *late]
        del entries, source
        # The data lives as long as the build: the collector need not scan it again and
        # again while MkDocs renders thousands of pages (objects are still freed).
        gc.freeze()
    return dataset


# Under ``mkdocs serve``, the files the last load in this process validated, by their name
# in messages and the SHA-256 of their bytes: it loads the data again after every edit, and a
# file whose bytes did not change validates to the same record (validation reads
# nothing but the file), so it is not unpickled and validated again.
_VALIDATED: dict[tuple[str, str], Entry] = {}


# Kinds whose ids other files refer to: when one of their files fails to load, its
# ids are still read off its lines, so a single bad file does not make every reference
# to its members elsewhere look broken (or force those checks to stay silent).
SALVAGED = {"member", "organization"}
_ID_LINE = re.compile(r"^[ \t]*(?:-[ \t]+)?id:[ \t]*[\"']?([a-z0-9]+(?:-[a-z0-9]+)*)", re.M)


def salvage_ids(path: Path) -> set[str]:
    """The ids written in a file that did not load (read line by line, best effort)."""
    try:
        text = path.read_bytes().decode("utf-8", "replace")
    except OSError:
        return set()
    return set(_ID_LINE.findall(text))


def file_records(rel: str, raw: bytes) -> list[Rec] | None:
    """The records of one file's bytes (a version from git), validated alone: None if
    its place is unknown or it does not validate. No cross-file checks run here."""
    kind, parts = classify(rel)
    if kind is None:
        return None
    try:
        loaded = load_bytes(raw, rel)
    except LoadFailed:
        return None
    problems: list[Problem] = []
    record = validate(kind, loaded, problems)
    if record is None:
        return None
    return list(Entry(kind, record, loaded, parts, rel).recs())


def records_from_files(files: Mapping[str, BaseModel]) -> Records:
    """The records of model objects given by their file's place under data/ (the demo
    and tests make data this way); a place no kind knows is a ``ValueError``."""
    recs: list[Rec] = []
    for rel, model in files.items():
        kind, _ = classify(rel)
        if kind is None:
            raise ValueError(f"no kind of record lives at {rel}")
        recs += kind.recs(model, rel)
    return Records.of_list(recs)


def records_of(entries: list[Entry]) -> Records:
    """Every validated file's records, by kind and key, in file order."""
    return Records.of_list(rec for e in entries for rec in e.recs())


_SAFE_PART = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*|[0-9]{4}Q[1-4]|_year|_quarter")


def _load_entry(
    data_file: DataFile, shown_root: str, problems: list[Problem], source: ParsedFiles
) -> Entry | None:
    shown = f"{shown_root}/{data_file.rel}"
    if data_file.path.suffix != ".yaml":
        problems.append(Problem(shown, 1, 1, "", "扩展名应为 .yaml（小写）；请重命名文件"))
        return None
    if data_file.kind is None:
        problems.append(
            Problem(shown, 1, 1, "", f"不认识这个数据文件的位置；数据文件应放在：{known_places()}")
        )
        return None
    if not all(_SAFE_PART.fullmatch(part) for part in data_file.parts.values()):
        # Names become URLs, and git checkouts on Windows or macOS fold case: B01 and b01
        # would be one file there. Lowercase ASCII only.
        message = "文件名和目录名只能用小写英文字母、数字和连字符（季度如 2025Q1）"
        problems.append(Problem(shown, 1, 1, "", message))
        return None
    known = _VALIDATED.get((shown, source.keys.get(data_file.path, "")))
    if known is not None and known.kind is data_file.kind:
        return known
    kept = source.validated(data_file.path, shown, data_file.kind.name)
    if kept is not None:
        record, loaded = kept
        return Entry(data_file.kind, record, loaded, data_file.parts, data_file.rel)
    try:
        loaded = source.load(data_file.path, shown)
    except LoadFailed as exc:
        problems.append(exc.problem)
        return None
    record = validate(data_file.kind, loaded, problems)
    if record is None:
        return None
    source.keep_validated(data_file.path, data_file.kind.name, record)
    loaded.release()
    return Entry(data_file.kind, record, loaded, data_file.parts, data_file.rel)


def validated_record(kind_name: str, loaded: LoadedFile) -> BaseModel | None:
    """The file's record if it validates as the kind named (parse workers call this)."""
    return validate(kind_named(kind_name), loaded, [])


def validate(kind: Kind, loaded: LoadedFile, problems: list[Problem]) -> BaseModel | None:
    """The file's record, or None with its problems added to ``problems``."""
    problems.extend(loaded.problems)
    if not isinstance(loaded.data, dict):
        problems.append(loaded.problem((), "文件顶层应为映射（“键: 值”），而不是列表或单个值"))
        return None
    model = kind.file_type
    try:
        record = model.model_validate(loaded.data)
    except ValidationError as exc:
        for error in exc.errors():
            loc = tuple(p for p in error["loc"] if p != "[key]")
            if loc not in loaded.invalid_paths:  # already reported by the loader
                problems.append(loaded.problem(loc, translate(error, model)))
        return None
    if loaded.problems:
        return None
    return record
