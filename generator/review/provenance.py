"""Where each data file's last change came from, read from git history, never the build date.

Dates are per file (one small file per branch, unit or quarter, so a file's last
commit is its records' last change). The change log summarises each recent
commit record by record, from the two versions of just the files it touched.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ValidationError

from generator.model.layout import KINDS
from generator.model.yamlio import LoadFailed, load_file
from generator.render.escape import number
from generator.review.git import GitError, Repo
from generator.review.records import flatten

SHALLOW_NOTE = (
    "注意：当前是浅克隆（shallow clone），git 历史不完整，无法得到数据的修改日期和修改记录，"
    "页面上将显示“修改日期不可用”。请使用完整克隆：git fetch --unshallow；"
    "GitLab CI 中设置变量 GIT_DEPTH: 0，Gitea/Forgejo Actions 的 checkout 中设置 fetch-depth: 0。"
)
RECORD_SEP, FIELD_SEP = "\x1e", "\x1f"
MAX_FILES = 50  # a commit touching more (a first import, a bulk edit) is counted, not itemised
MAX_LINES = 40


@dataclass(frozen=True)
class Stamp:
    date: str  # YYYY-MM-DD, the commit date
    commit: str  # short hash


@dataclass(frozen=True)
class LogEntry:
    commit: str
    date: str
    subject: str
    lines: list[str]  # semantic summary, one line per changed record


@dataclass
class Provenance:
    """Last change per data file (paths relative to the data folder) and recent history."""

    available: bool
    shallow: bool = False
    files: dict[str, Stamp] = field(default_factory=dict)
    uncommitted: set[str] = field(default_factory=set)
    log: list[LogEntry] = field(default_factory=list)

    def stamp(self, prefix: str) -> Stamp | None:
        """The newest change of a file, or of any file under a folder prefix."""
        if prefix in self.files:
            return self.files[prefix]
        inside = [s for path, s in self.files.items() if path.startswith(prefix)]
        return max(inside, key=lambda s: s.date, default=None)


def read_provenance(repo: Repo | None, log_limit: int = 30) -> Provenance:
    if repo is None or not repo.has_commits():
        return Provenance(available=False)
    if repo.is_shallow():
        return Provenance(available=False, shallow=True)
    commits = _commits(repo)
    files: dict[str, Stamp] = {}
    for commit, date, _subject, changed in commits:
        for path in changed:
            files.setdefault(path, Stamp(date, commit[:8]))
    log = [_entry(repo, *c) for c in commits[:log_limit]]
    return Provenance(True, False, files, _uncommitted(repo), log)


def _commits(repo: Repo) -> list[tuple[str, str, str, list[str]]]:
    """Commits touching the data, newest first: (hash, date, subject, data-relative paths)."""
    fmt = f"{RECORD_SEP}%H{FIELD_SEP}%cs{FIELD_SEP}%s"
    out = repo.run("log", f"--format={fmt}", "--name-only", "--", repo.data_rel)
    commits = []
    for chunk in out.split(RECORD_SEP)[1:]:
        head, _, names = chunk.partition("\n")
        commit, date, subject = head.split(FIELD_SEP, 2)
        prefix = f"{repo.data_rel}/"
        paths = [n.removeprefix(prefix) for n in names.splitlines() if n.startswith(prefix)]
        commits.append((commit, date, subject, paths))
    return commits


def _uncommitted(repo: Repo) -> set[str]:
    out = repo.run("status", "--porcelain", "--", repo.data_rel)
    prefix = f"{repo.data_rel}/"
    return {line[3:].removeprefix(prefix) for line in out.splitlines() if len(line) > 3}


def _entry(repo: Repo, commit: str, date: str, subject: str, paths: list[str]) -> LogEntry:
    if len(paths) > MAX_FILES:
        return LogEntry(
            commit[:8], date, subject, [f"一次修改了 {len(paths)} 个数据文件，不逐条列出"]
        )
    lines: list[str] = []
    for path in sorted(paths):
        old = _records_at(repo, f"{commit}^", path)
        new = _records_at(repo, commit, path)
        lines += _summary(path, old, new)
    if len(lines) > MAX_LINES:
        lines = [*lines[:MAX_LINES], f"……另有 {len(lines) - MAX_LINES} 处修改"]
    return LogEntry(commit[:8], date, subject, lines)


def _records_at(repo: Repo, rev: str, path: str) -> dict[str, dict[str, object]]:
    """The records in one data file at a revision, keyed by id; {} if absent or invalid."""
    raw = repo.file_at(rev, f"{repo.data_rel}/{path}")
    kind = next((k for k in KINDS if k.pattern.fullmatch(path)), None)
    if raw is None or kind is None:
        return {}
    with tempfile.NamedTemporaryFile(suffix=".yaml") as handle:
        handle.write(raw)
        handle.flush()
        try:
            model = kind.model.model_validate(load_file(Path(handle.name), path).data)
        except (LoadFailed, ValidationError, GitError):
            return {}
    return _split(model, path)


def _split(model: BaseModel, path: str) -> dict[str, dict[str, object]]:
    data = model.model_dump(mode="json", by_alias=True, exclude_none=True)
    for name in ("members", "commitments", "wishes"):
        if isinstance(data.get(name), list):
            return {str(r["id"]): dict(flatten(r)) for r in data[name]}
    return {Path(path).stem: dict(flatten(data))}


def _summary(
    path: str, old: dict[str, dict[str, object]], new: dict[str, dict[str, object]]
) -> list[str]:
    lines = [f"{path}：新增 {key}" for key in sorted(new.keys() - old.keys())]
    lines += [f"{path}：删除 {key}" for key in sorted(old.keys() - new.keys())]
    for key in sorted(old.keys() & new.keys()):
        before, after = old[key], new[key]
        paths = sorted(before.keys() | after.keys())
        changed = [p for p in paths if before.get(p) != after.get(p)]
        if changed:
            shown = "；".join(
                f"{p} {_shown(before.get(p))} → {_shown(after.get(p))}" for p in changed[:5]
            )
            more = f"；另有 {len(changed) - 5} 处" if len(changed) > 5 else ""
            lines.append(f"{path}：修改 {key}：{shown}{more}")
    return lines


def _shown(value: object) -> str:
    if value is None:
        return "（无）"
    return number(value) if isinstance(value, float) else str(value)
