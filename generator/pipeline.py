"""The one pipeline every build path runs: the plugin (``mkdocs build`` and ``serve``) and
every ``board`` verb.

    load → check (the published-data check included) → publishable view → derive
         → render → scan

Each step is a function of the previous step's result; what a step raises is a
``BoardError`` (``DataError`` for the data, ``ScanError`` for the output), turned
into a message only at the edges (the CLI, the plugin).
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import gc
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from generator.buildcache import EntryStore
from generator.errors import BoardError, BuildError, DataError
from generator.git import Repo, find_repo
from generator.model.dataset import Dataset
from generator.model.history import History
from generator.model.loading import load_dataset
from generator.model.parsecache import default_cache_dir
from generator.model.policy import internal_values, publishable
from generator.model.schema import SiteConfig
from generator.ranking.board import derive
from generator.render.memo import page_memo
from generator.render.pages import Pages, families, render_site
from generator.review.diff import SemanticDiff, semantic_diff
from generator.review.frozen import frozen_problems
from generator.review.history import SHALLOW_NOTE, read_history
from generator.review.revisions import dataset_at
from generator.review.scope import ScopedHints, scope_hints
from generator.scanner import Finding, ScanAhead, scan_site
from generator.stagememo import Discovered, Kept, StageMemo, finish_writing

CHINA = dt.timezone(dt.timedelta(hours=8), "CST")
SHALLOW_WARNING = (
    "注意：当前是浅克隆（shallow clone），没有完整的 git 历史，无法核对已发布的季度是否被改动，"
    "也无法得到数据的修改日期。请使用完整克隆：git fetch --unshallow；"
    "GitLab CI 中设置 GIT_DEPTH: 0，Gitea/Forgejo Actions 中设置 fetch-depth: 0。"
)


class ScanError(BuildError):
    """The output scanner found what must not be published; the old site stays."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = findings
        lines = "\n".join(str(f) for f in findings)
        super().__init__(
            f"输出扫描发现 {len(findings)} 处不应公开的内容，站点未发布，原站点保持不变：\n{lines}"
        )


@dataclass(frozen=True)
class Source:
    """Where a board's data is, how to name it in messages, where its caches go."""

    data_dir: Path
    shown_root: str = "data"
    cache_dir: Path | None = None

    @classmethod
    def at(cls, data_dir: Path, project: Path | None = None) -> Source:
        """The data folder as a user named it, with the project's cache."""
        shown = data_dir.as_posix().rstrip("/") or "data"
        return cls(data_dir, shown, default_cache_dir(project or Path.cwd()))


@dataclass
class Checked:
    """Data that passed every check, and what the edges should tell the user."""

    dataset: Dataset
    repo: Repo | None
    notes: list[str] = field(default_factory=list)


def build_epoch(data_dir: Path | None = None) -> int | None:
    """The one date source of every build path: ``SOURCE_DATE_EPOCH`` when set (a
    scheduled run sets it to now), else the time of the data's last commit, so that
    ``mkdocs build``, ``board build`` and ``board publish`` of one commit agree to the byte."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return int(epoch)
    repo = find_repo(data_dir) if data_dir is not None else None
    return repo.last_commit_time() if repo is not None else None


def build_date(data_dir: Path | None = None) -> dt.date:
    """The date statuses are judged against: ``BOARD_AS_OF`` (YYYY-MM-DD: what ``board
    publish`` and the daily schedule set, today in China) if set, else ``build_epoch``;
    today if neither is known."""
    as_of = os.environ.get("BOARD_AS_OF", "").strip()
    if as_of:
        try:
            return dt.date.fromisoformat(as_of)
        except ValueError:
            raise BuildError(f"BOARD_AS_OF 应为日期（如 2026-12-01），实际是“{as_of}”") from None
    epoch = build_epoch(data_dir)
    if epoch is None:
        return dt.date.today()
    return dt.datetime.fromtimestamp(epoch, tz=dt.UTC).date()


def today() -> dt.date:
    """Today in China Standard Time (UTC+8), whatever the build machine's zone."""
    return dt.datetime.now(CHINA).date()


def refuse_committed_cache(cache_dir: Path | None) -> None:
    """A cache is only trusted because nothing but this machine's builds writes it. A
    merge request that commits files under it would hand the build records and pages
    that no check has seen (``.gitignore`` keeps them out of a normal commit, not out of
    ``git add -f``): such a cache stops the build instead."""
    if cache_dir is None:
        return
    near = cache_dir.resolve()
    while not near.exists() and near != near.parent:
        near = near.parent
    repo = find_repo(near)
    if repo is None or not cache_dir.resolve().is_relative_to(repo.root):
        return
    rel = cache_dir.resolve().relative_to(repo.root).as_posix()
    tracked = repo.run("ls-files", "-z", "--", rel).split("\0")[0]
    if tracked:
        raise BuildError(
            f"构建缓存目录 {rel} 中有文件被提交到了 git（例如 {tracked}）。缓存只能由本机的"
            f"构建写入，提交进仓库的缓存可能绕过数据校验，本次构建已停止，原站点保持不变。"
            f"请执行 git rm -r --cached {rel} 并提交。"
        )


def check(
    source: Source,
    watch: Stopwatch | None = None,
    *,
    importing: str | None = None,
    discovered: Discovered | None = None,
) -> Checked:
    """Load and check everything, published data against git history included
    (``discovered``: the data folder's files, if the caller has just listed them)."""
    watch = watch or Stopwatch()
    refuse_committed_cache(source.cache_dir)
    dataset = load_dataset(
        source.data_dir, shown_root=source.shown_root, importing=importing,
        cache_dir=source.cache_dir, today=today(), discovered=discovered,
    )  # fmt: skip
    watch.lap("load")
    repo = find_repo(source.data_dir)
    if repo is None or not repo.has_commits():
        return Checked(dataset, repo)
    if repo.is_shallow():
        return Checked(dataset, repo, [SHALLOW_WARNING])
    frozen = frozen_problems(repo, source.data_dir, dataset)
    watch.lap("frozen")
    if frozen:
        raise DataError(frozen, summary="处已发布数据被改动而没有更正记录")
    return Checked(dataset, repo)


@dataclass
class Prepared:
    """What a build needs after the data stage: the pages, and what the scanner checks."""

    pages: Pages
    site: SiteConfig
    secrets: set[str]  # internal texts, current and from history: never in the output
    hints: int
    notes: list[str]
    preview: bool = False  # drafts are in: every page says so
    cache_dir: Path | None = None  # where the build's caches live (None: no caches)
    seconds: dict[str, float] = field(default_factory=dict)  # per step (bench/stage.py)


class Stopwatch:
    """Seconds per step of the data stage, for the benchmark (nothing reads them else)."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = self.laps.get(name, 0.0) + now - self._last
        self._last = now


def prepare(
    source: Source,
    *,
    as_of: dt.date | None = None,
    mask: bool | None = None,
    with_history: bool = True,
    preview: bool | None = None,
) -> Prepared:
    """The data stage of a build: every generated page, from checked, publishable data.
    ``preview`` (default: ``BOARD_PREVIEW=1``): drafts shown, marked on every page."""
    watch = Stopwatch()
    refuse_committed_cache(source.cache_dir)  # before anything is read from the cache
    drafts = preview_requested() if preview is None else preview
    as_of = as_of or build_date(source.data_dir)
    # What a page may depend on beyond the data, the date and the code (memo.py).
    setting = repr((mask, os.environ.get("BOARD_MASK", ""), drafts))
    stage = StageMemo(source, [setting, as_of, with_history], today().isoformat())
    kept = stage.kept()
    watch.lap("stage memo")
    if kept is not None:
        return Prepared(*kept, cache_dir=source.cache_dir, seconds=watch.laps)
    checked = check(source, watch, discovered=stage.discovered)
    dataset = checked.dataset
    secrets = internal_values(dataset.records, dataset.site)
    public = publishable(dataset, mask=mask, drafts=drafts)
    watch.lap("policy")
    board = derive(public, as_of)
    watch.lap("derive")
    history = _history(checked, public) if with_history else None
    if history is not None:
        secrets |= history.internal
    watch.lap("history")
    exports = source.cache_dir / "exports" if source.cache_dir else None
    memo = page_memo(source.cache_dir, dataset, board, history, setting, families(board))
    watch.lap("memo")
    pages = render_site(board, history, exports, memo)
    watch.lap("render")
    notes = checked.notes + ([SHALLOW_NOTE] if history is not None and history.shallow else [])
    hints = len(dataset.hints)
    prepared = Prepared(pages, dataset.site, secrets, hints, notes, drafts, source.cache_dir)
    stage.keep(Kept(pages, dataset.site, secrets, hints, notes, drafts))
    watch.lap("stage kept")
    prepared.seconds = watch.laps
    return prepared


def _history(checked: Checked, public: Dataset) -> History:
    return read_history(checked.repo, checked.dataset.site, public.names, drafts=public.drafts)


def preview_requested() -> bool:
    """A merge request's preview (``board build --preview``): drafts in, marked as such."""
    return os.environ.get("BOARD_PREVIEW", "") not in {"", "0"}


def diff(
    repo: Repo, base: str, head: str, data_dir: Path, *, show_internal: bool = False
) -> SemanticDiff:
    """What ``head`` changes in the data since ``base``, as the publish policy lets it
    be seen (``show_internal``: everything, for a maintainer's own terminal)."""
    before = dataset_at(repo, base, data_dir)
    after = dataset_at(repo, head, data_dir)
    return semantic_diff(before, after, show_internal=show_internal)


def hints_since(checked: Checked, base: str, source: Source) -> ScopedHints:
    """The checked data's quality hints, split by whether they lie in records added or
    changed since ``base`` (``board check --strict --changed-since``)."""
    if checked.repo is None or not checked.repo.has_commits():
        raise BoardError(
            f"{source.data_dir} 不在 git 仓库中（或还没有提交）；--changed-since 需要 git 历史"
        )
    return scope_hints(checked.repo, base, checked.dataset, source.shown_root)


def scan_ahead(prepared: Prepared) -> ScanAhead:
    """Scans pages as MkDocs writes them, for ``scan`` to find their verdicts kept."""
    cache = _scan_cache(prepared)
    return ScanAhead(prepared.secrets, _allowed(prepared), cache, settle=finish_writing)


def scan(site_dir: Path, prepared: Prepared) -> list[Finding]:
    """The last line of defence: raise ``ScanError`` for any fatal finding; return hints."""
    findings = scan_site(site_dir, prepared.secrets, _allowed(prepared), _scan_cache(prepared))
    fatal = [f for f in findings if f.fatal]
    if fatal:
        raise ScanError(fatal)
    return findings


def _allowed(prepared: Prepared) -> set[str]:
    return {entry.value for entry in prepared.site.privacy.allowlist}


def _scan_cache(prepared: Prepared) -> EntryStore | None:
    return EntryStore(prepared.cache_dir, "scan") if prepared.cache_dir is not None else None


def release_memory() -> None:
    """Free the records before MkDocs starts. They were frozen out of the collector's
    sight (``load_dataset``), so what only the collector can free stays until it is
    told; measured at 1,000 branches, collecting and trimming took the process from
    1.36 GB to 0.59 GB, and the build's peak from 1.57 GB to the data stage's 1.4 GB."""
    gc.unfreeze()
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # glibc only: elsewhere, skip
        ctypes.CDLL("libc.so.6").malloc_trim(0)
