"""A data file as found and validated: what checks and the registry's split work on."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.errors import Problem
from generator.files import os_reason
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
    # Worked out once: under ``mkdocs serve`` an unchanged file's entry is the very same
    # object after every edit (``loading.py``), and its records were split already.
    _recs: tuple[Rec, ...] | None = field(default=None, init=False, repr=False, compare=False)

    def problem(self, path: Path_, message: str) -> Problem:
        return self.source.problem(path, message)

    def recs(self) -> tuple[Rec, ...]:
        """The records this file holds, in their place."""
        if self._recs is None:  # records are frozen values: the split cannot go stale
            object.__setattr__(self, "_recs", tuple(self.kind.recs(self.record, self.rel)))
        assert self._recs is not None
        return self._recs


@dataclass(frozen=True)
class DataFile:
    """A discovered data file and, if its place is known, its kind and path parts."""

    path: Path
    rel: str
    kind: Kind | None
    parts: dict[str, str]


def discover(data_dir: Path, shown_root: str) -> tuple[list[DataFile], list[Problem]]:
    """Every YAML-looking file under ``data_dir``, classified by its place, and what is
    there that must not be: symbolic links (git stores them, so a merge request could
    add one pointing anywhere on the build machine), other special files, and folders
    that cannot be read. A link is never followed, so nothing it points to is read."""
    found: list[DataFile] = []
    problems: list[Problem] = []
    # Folders by their place under data_dir ("" for itself): paths are joined as text,
    # since making and relating a Path for each of 23,000 files took a second.
    pending = [""]
    while pending:
        under = pending.pop()
        folder = data_dir / under if under else data_dir
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            problems.append(_unreadable(data_dir, shown_root, folder, exc, "目录"))
            continue
        for entry in entries:
            rel = f"{under}/{entry.name}" if under else entry.name
            if entry.is_symlink():
                problems.append(Problem(f"{shown_root}/{rel}", 1, 1, "", _LINK))
            elif entry.is_dir(follow_symlinks=False):
                pending.append(rel)
            elif os.path.splitext(entry.name)[1].lower() not in {".yaml", ".yml"}:
                continue
            elif not entry.is_file(follow_symlinks=False):
                problems.append(Problem(f"{shown_root}/{rel}", 1, 1, "", _SPECIAL))
            else:
                found.append(DataFile(data_dir / rel, rel, *classify(rel)))
    return sorted(found, key=lambda f: f.rel), problems


_LINK = (
    "是符号链接：数据文件必须是仓库中的普通文件，不能指向别处（链接指向的内容不会被读取）；"
    "请删除这个链接，把数据直接写在文件里"
)
_SPECIAL = "不是普通文件（可能是设备或管道）；数据文件必须是普通的 YAML 文件"


def _unreadable(data_dir: Path, shown_root: str, path: Path, exc: OSError, what: str) -> Problem:
    rel = path.relative_to(data_dir).as_posix()
    where = f"{shown_root}/{rel}" if rel != "." else shown_root
    return Problem(where, 1, 1, "", f"无法读取{what}（{os_reason(exc)}）；请检查权限后重试")
