"""A data file as found and validated: what checks and the registry's split work on."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import Problem
from generator.model.kinds import Kind, Rec, classify
from generator.model.yamlio import LoadedFile, Path_


@dataclass(frozen=True)
class Entry:
    """One validated file: its kind, its file-level record, where it came from, and the
    parts its path names (``{"branch": "b01", "year": "2026"}``)."""

    kind: Kind
    record: Any
    source: LoadedFile
    parts: dict[str, str]
    rel: str  # relative to the data folder

    def problem(self, path: Path_, message: str) -> Problem:
        return self.source.problem(path, message)

    def recs(self) -> list[Rec]:
        """The records this file holds, in their place."""
        kind, out = self.kind, []
        for value in kind.split(self.record):
            scope = kind.scope(self.record, value)
            key, rel = kind.key(value), self.rel
            out.append(Rec(kind.name, key, value, rel, scope.branch, scope.year, scope.quarter))
        return out


@dataclass(frozen=True)
class DataFile:
    """A discovered data file and, if its place is known, its kind and path parts."""

    path: Path
    rel: str
    kind: Kind | None
    parts: dict[str, str]


def discover(data_dir: Path) -> list[DataFile]:
    """Every YAML-looking file under ``data_dir``, classified by its place."""
    found = []
    for path in sorted(data_dir.rglob("*")):
        if not path.is_file() or path.suffix.lower() not in {".yaml", ".yml"}:
            continue
        rel = path.relative_to(data_dir).as_posix()
        found.append(DataFile(path, rel, *classify(rel)))
    return found
