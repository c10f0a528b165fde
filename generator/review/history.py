"""What git history says about the data: each file's last change, and the change log.

Dates are per file (one small file per branch, unit or quarter, so a file's last
commit is its records' last change), never the build date. The change log compares,
for each recent commit, the two versions of just the files it touched, record by
record through the registry and under the publish policy (``changes.py``): an old
or new internal value never reaches it. The internal texts of the versions read are
handed to the output scanner, which must not find them in the site either.
"""

from __future__ import annotations

from collections import Counter

from generator.git import Repo
from generator.model.dataset import Records
from generator.model.history import History, LogEntry, Stamp
from generator.model.kinds import Names, Rec, classify, kind, kinds
from generator.model.loading import file_records
from generator.model.policy import PublishPolicy, internal_values
from generator.model.schema import SiteConfig
from generator.review.changes import record_changes

SHALLOW_NOTE = (
    "注意：当前是浅克隆（shallow clone），git 历史不完整，无法得到数据的修改日期和修改记录，"
    "页面上将显示“修改日期不可用”。请使用完整克隆：git fetch --unshallow；"
    "GitLab CI 中设置变量 GIT_DEPTH: 0，Gitea/Forgejo Actions 的 checkout 中设置 fetch-depth: 0。"
)
RECORD_SEP, FIELD_SEP = "\x1e", "\x1f"
MAX_FILES = 50  # a commit touching more (a first import, a bulk edit) is counted, not itemised


def read_history(
    repo: Repo | None, site: SiteConfig, names: Names, log_limit: int = 30, *, drafts: bool = False
) -> History:
    """Stamps for every data file and the change log of the last ``log_limit`` commits,
    as ``site``'s publish policy lets them be seen (masked names included): a record
    counts on a side of a commit only if its publication was published in that version
    (a draft's edits are not public history); ``drafts`` (a preview) shows them all."""
    if repo is None or not repo.has_commits():
        return History(available=False)
    if repo.is_shallow():
        return History(available=False, shallow=True)
    commits = _commits(repo)
    files: dict[str, Stamp] = {}
    for commit, date, changed in commits:
        for path in changed:
            files.setdefault(path, Stamp(date, commit[:8]))
    reader = _LogReader(repo, PublishPolicy.for_site(site), names, site, drafts)
    log = [reader.entry(*c) for c in commits[:log_limit]]
    return History(True, False, files, _uncommitted(repo), log, reader.internal)


def _commits(repo: Repo) -> list[tuple[str, str, list[str]]]:
    """Commits touching the data, newest first: (hash, date, data-relative paths)."""
    fmt = f"{RECORD_SEP}%H{FIELD_SEP}%cs"
    # A rename is a file removed and a file added: its records are compared by key, so a
    # file moved with its records unchanged shows no change, on every machine.
    out = repo.run("log", f"--format={fmt}", "--name-only", "--no-renames", "--", repo.data_rel)
    commits = []
    prefix = f"{repo.data_rel}/"
    for chunk in out.split(RECORD_SEP)[1:]:
        head, _, names = chunk.partition("\n")
        commit, date = head.split(FIELD_SEP, 1)
        paths = [n.removeprefix(prefix) for n in names.splitlines() if n.startswith(prefix)]
        commits.append((commit, date, paths))
    return commits


def _kinds_of(paths: list[str]) -> tuple[tuple[str, int], ...]:
    """How many of ``paths`` hold each kind of record, in registry order."""
    counts = Counter(found.label for p in paths if (found := classify(p)[0]) is not None)
    order = [k.label for k in kinds()]
    return tuple(sorted(counts.items(), key=lambda item: order.index(item[0])))


def _uncommitted(repo: Repo) -> set[str]:
    out = repo.run("status", "--porcelain", "--", repo.data_rel)
    prefix = f"{repo.data_rel}/"
    return {line[3:].removeprefix(prefix) for line in out.splitlines() if len(line) > 3}


class _LogReader:
    """Reads the versions of touched files and compares them as the public sees them."""

    def __init__(
        self, repo: Repo, policy: PublishPolicy, names: Names, site: SiteConfig, drafts: bool
    ) -> None:
        self.repo, self.policy, self.names, self.site = repo, policy, names, site
        self.drafts = drafts
        self.internal: set[str] = set()

    def entry(self, commit: str, date: str, paths: list[str]) -> LogEntry:
        if len(paths) > MAX_FILES:
            return LogEntry(commit[:8], date, (), len(paths), False, _kinds_of(paths))
        old = self._records(f"{commit}^", paths)
        new = self._records(commit, paths)
        changes = record_changes(old, new, self.policy, self.names)
        return LogEntry(commit[:8], date, tuple(changes), len(paths))

    def _records(self, rev: str, paths: list[str]) -> list[Rec]:
        """The records of ``paths`` at ``rev`` (files absent or invalid there hold none)."""
        blobs = self.repo.files_at(rev, [f"{self.repo.data_rel}/{p}" for p in sorted(paths)])
        recs: list[Rec] = []
        for path, raw in zip(sorted(paths), blobs, strict=True):
            found = file_records(path, raw) if raw is not None else None
            recs += found or []
        self.internal |= internal_values(Records.of_list(recs), self.site)
        return recs if self.drafts else self._released(rev, recs)

    def _released(self, rev: str, recs: list[Rec]) -> list[Rec]:
        """The records whose publication was published at ``rev``."""
        needed = sorted({p for r in recs if (p := kind(r.kind).release(r)) is not None})
        paths = [f"{self.repo.data_rel}/{kind(k).place_of(key)}" for k, key in needed]
        published = set()
        for publication, path, raw in zip(
            needed, paths, self.repo.files_at(rev, paths), strict=True
        ):
            found = file_records(path.removeprefix(f"{self.repo.data_rel}/"), raw) if raw else None
            if found and getattr(found[0].value, "published", None) is not None:
                published.add(publication)
        return [r for r in recs if (p := kind(r.kind).release(r)) is None or p in published]
