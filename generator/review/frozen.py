"""Published data is an official notice: it changes only with a visible correction.

Each record says, through the registry, which publication freezes it (a quarter's
scores: the quarter; a year's commitments: the commitment year). A publication's
sanctioned state is read from git: the commit that published it, or the last commit
that added a correction entry to it. Every record it freezes that differs now from
that state is reported at its own file and line, unless this change adds a
correction entry. Only files that differ from the sanctioned commit are read.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import Problem
from generator.git import GitError, Repo
from generator.model.dataset import Dataset, rules_in_force
from generator.model.kinds import Kind, Names, Rec, classify, kind, kinds
from generator.model.loading import file_records
from generator.model.policy import PublishPolicy, is_follow_up
from generator.model.yamlio import LoadFailed, Path_, format_path, load_file
from generator.review.changes import field_changes

MAX_NAMED = 20  # changed values reported per publication; the rest are counted
_NO_NAMES = Names({}, {})


@dataclass(frozen=True)
class Publication:
    """A published quarter or commitment year, and the state it was sanctioned in."""

    rec: Rec
    commit: str  # the commit that published it or last added a correction
    published: Any  # the date


def frozen_problems(repo: Repo, data_dir: Path, dataset: Dataset) -> list[Problem]:
    """Problems for published data changed since publication without a correction."""
    if not repo.has_commits() or repo.is_shallow():
        return []  # nothing published yet, or history unknown (the CLI warns about shallow clones)
    by_commit: dict[str, list[Publication]] = defaultdict(list)
    for publication in _publications(repo, dataset):
        by_commit[publication.commit].append(publication)
    problems = _withdrawn(repo, data_dir, dataset)
    for commit, publications in sorted(by_commit.items()):
        problems += _check_since(repo, data_dir, dataset, commit, publications)
    return problems


def _withdrawn(repo: Repo, data_dir: Path, dataset: Dataset) -> list[Problem]:
    """A publication once published stays published: taking out its ``published`` date
    (or deleting its file) would turn an official result back into a draft that no page
    shows, and would free every record it froze. Judged from the whole history, so it
    holds even after such a change has been committed."""
    problems = []
    for publication_kind in (k for k in kinds() if k.publication):
        for rec in dataset.records.of(publication_kind.name).values():
            if rec.value.published is not None:
                continue
            found = _last_published(repo, rec.file)
            if found is not None:
                line, column, _ = _where(data_dir, rec, ("published",))
                problems.append(
                    Problem(
                        f"{data_dir.name}/{rec.file}", line, column, "published",
                        _withdrawal(publication_kind, rec, found, data_dir, "删去了发布日期"),
                    )
                )  # fmt: skip
    for rel in repo.ever_deleted():
        found_kind, _ = classify(rel)
        if found_kind is None or not found_kind.publication:
            continue
        found = _last_published(repo, rel)
        if found is not None:
            rec = found[2]
            problems.append(
                Problem(
                    f"{data_dir.name}/{rel}", 1, 1, "",
                    _withdrawal(found_kind, rec, found, data_dir, "删除了这个文件"),
                )
            )  # fmt: skip
    return problems


def _last_published(repo: Repo, rel: str) -> tuple[str, Any, Rec] | None:
    """The newest commit in which the publication at ``rel`` was published: (commit,
    published date, the record then)."""
    path = f"{repo.data_rel}/{rel}"
    commits = repo.commits_touching(path)
    for commit, raw in reversed(list(zip(commits, _versions(repo, commits, path), strict=True))):
        recs = file_records(rel, raw) if raw is not None else None
        if recs and getattr(recs[0].value, "published", None) is not None:
            return commit, recs[0].value.published, recs[0]
    return None


def _withdrawal(
    publication_kind: Kind, rec: Rec, found: tuple[str, Any, Rec], data_dir: Path, what: str
) -> str:
    commit, published, _ = found
    label = publication_kind.title(rec.value, _NO_NAMES)
    return (
        f"{label} 已于 {published} 发布（提交 {commit[:8]}），这项改动{what}，会让已公示的"
        "结果从公示栏上消失。已发布的结果不能撤回：请恢复原来的内容；如结果确有错误，"
        f"请保留发布日期，在 {data_dir.name}/{rec.file} 的 corrections 中添加一条更正"
        "（date 日期、reason 原因、approver 批准人），更正会在公示页上显示"
    )


def _publications(repo: Repo, dataset: Dataset) -> list[Publication]:
    """Published records whose published state this change does not correct."""
    out = []
    for publication_kind in (k for k in kinds() if k.publication):
        for rec in dataset.records.of(publication_kind.name).values():
            if rec.value.published is None:
                continue
            sanctioned = _sanctioned_commit(repo, publication_kind, rec.file)
            if sanctioned is None:
                continue  # published in this very change: nothing to compare against yet
            commit, corrections_then = sanctioned
            if len(rec.value.corrections) > corrections_then:
                continue  # this change adds a correction entry: allowed, and shown on the page
            out.append(Publication(rec, commit, rec.value.published))
    return out


def _sanctioned_commit(repo: Repo, publication: Kind, rel: str) -> tuple[str, int] | None:
    """The last commit that published the data or added a correction, with its
    correction count then."""
    path = f"{repo.data_rel}/{rel}"
    commits = repo.commits_touching(path)
    found = None
    previous = (False, 0)
    for commit, raw in zip(commits, _versions(repo, commits, path), strict=True):
        recs = file_records(rel, raw) if raw is not None else None
        meta = recs[0].value if recs else None
        state = (
            getattr(meta, "published", None) is not None,
            len(getattr(meta, "corrections", [])),
        )
        if state[0] and (not previous[0] or state[1] > previous[1]):
            found = (commit, state[1])
        previous = state
    return found


def _versions(repo: Repo, commits: list[str], path: str) -> list[bytes | None]:
    return [repo.files_at(commit, [path])[0] for commit in commits]


def _check_since(
    repo: Repo, data_dir: Path, dataset: Dataset, commit: str, publications: list[Publication]
) -> list[Problem]:
    """Records frozen by ``publications`` that differ from ``commit`` to the working tree."""
    try:
        changed = repo.changed_since(commit)
    except GitError:
        return []
    watched = {(p.rec.kind, p.rec.key): p for p in publications}
    then = _records_at(repo, commit, changed)
    current = dataset.records.files()
    now = [rec for path in changed for rec in current.get(path, [])]
    # Every field counts, internal ones too, but messages (CI logs) never show those.
    policy = PublishPolicy.for_site(dataset.site, mask=False)
    before = {(r.kind, r.key): r for r in then}
    after = {(r.kind, r.key): r for r in now}
    found: dict[tuple[str, str], list[Problem]] = defaultdict(list)
    for key in sorted(before.keys() | after.keys()):
        old, new = before.get(key), after.get(key)
        rec = new or old
        assert rec is not None
        publication = _watching(rec, watched, dataset)
        if publication is None or _corrects_itself(old, new):
            continue
        grows = kind(publication.rec.kind).grows
        for problem in _record_problems(data_dir, publication, old, new, grows, policy):
            found[(publication.rec.kind, publication.rec.key)].append(problem)
    problems = [p for found_here in found.values() for p in _capped(found_here)]
    return problems + _rules_in_force(repo, commit, dataset, publications, data_dir)


def _watching(
    rec: Rec, watched: dict[tuple[str, str], Publication], dataset: Dataset
) -> Publication | None:
    """The first watched publication that freezes ``rec``, if any."""
    record_kind = kind(rec.kind)
    keys = record_kind.frozen_in(rec, dataset) if record_kind.frozen_in else []
    one = record_kind.frozen_by(rec)
    for key in [*([one] if one else []), *keys]:
        if key in watched:
            return watched[key]
    return None


def _corrects_itself(old: Rec | None, new: Rec | None) -> bool:
    """A record with its own corrections (a rules version) may change when this change
    adds one: the correction is shown where the record is (the rules page)."""
    if old is None or new is None or not hasattr(new.value, "corrections"):
        return False
    return new.kind != "quarter" and len(new.value.corrections) > len(old.value.corrections)


def _rules_in_force(
    repo: Repo, commit: str, dataset: Dataset, publications: list[Publication], data_dir: Path
) -> list[Problem]:
    """A published quarter keeps the rules version it was scored under: a new version
    whose ``effective_from`` reaches back to it would re-rank it."""
    quarters = [p for p in publications if p.rec.kind == "quarter"]
    if not quarters:
        return []
    listed = repo.run("ls-tree", "--name-only", commit, f"{repo.data_rel}/rules/").split()
    paths = [name.removeprefix(f"{repo.data_rel}/") for name in listed if name.endswith(".yaml")]
    then = sorted(
        (r.value for r in _records_at(repo, commit, paths)), key=lambda r: r.effective_from
    )
    problems = []
    last = max(p.rec.key for p in quarters)
    for publication in quarters:
        quarter = publication.rec.key
        was, now = rules_in_force(then, quarter), dataset.rules_for(quarter)
        if was is None or now is None or was.id == now.id:
            continue
        rec = dataset.records.get("rules", now.id)
        assert rec is not None
        line, column, _ = _where(data_dir, rec, ("effective_from",))
        message = (
            f"规则“{now.id}”自 {now.effective_from} 起生效，会改变已于 {publication.published} "
            f"发布的 {quarter} 的结果（该季度按规则“{was.id}”计分）；新版本的 effective_from "
            f"应晚于最后一个已发布的季度 {last}"
        )
        shown = f"{data_dir.name}/{rec.file}"
        problems.append(Problem(shown, line, column, "effective_from", message))
    return problems


def _records_at(repo: Repo, commit: str, paths: list[str]) -> list[Rec]:
    blobs = repo.files_at(commit, [f"{repo.data_rel}/{p}" for p in paths])
    recs: list[Rec] = []
    for path, raw in zip(paths, blobs, strict=True):
        recs += (file_records(path, raw) or []) if raw is not None else []
    return recs


def _record_problems(
    data_dir: Path,
    publication: Publication,
    old: Rec | None,
    new: Rec | None,
    grows: bool,
    policy: PublishPolicy,
) -> list[Problem]:
    if old is None:
        if grows:
            return []  # a year's commitments keep growing: a new one is fine
        assert new is not None
        return [_problem(data_dir, publication, new, (), "新增了这条记录")]
    if new is None:
        return [_problem(data_dir, publication, old, (), "删除了这条记录", present=False)]
    was, now = policy.fields(old.value), policy.fields(new.value)
    if new.kind == publication.rec.kind:  # the publication itself: its corrections may grow
        was, now = _without_corrections(was), _without_corrections(now)
    out = []
    for change in field_changes(was, now):
        if grows and change.old is None:
            continue  # a new progress record or a late field after publication: fine
        if is_follow_up(type(new.value), change.path):
            continue  # what happened after publication (a measure, 销号): written later
        what = change.describe()
        out.append(_problem(data_dir, publication, new, _path(change.path), what))
    return out


def _without_corrections(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if not k.startswith("corrections")}


def _problem(
    data_dir: Path,
    publication: Publication,
    rec: Rec,
    field: Path_,
    what: str,
    *,
    present: bool = True,
) -> Problem:
    pub = publication.rec
    label = kind(pub.kind).title(pub.value, _NO_NAMES)
    shown = f"{data_dir.name}/{rec.file}"
    line, column, at = _where(data_dir, rec, field) if present else (1, 1, field)
    message = (
        f"{label} 已于 {publication.published} 发布（提交 {publication.commit[:8]}），"
        f"发布后不能直接改动：{what}。如确需更正，请在 {data_dir.name}/{pub.file} 的 corrections "
        "中添加一条（date 日期、reason 原因、approver 批准人），更正会在公示页上显示；"
        "否则请撤销这项改动"
    )
    return Problem(shown, line, column, format_path(at) or rec.key, message)


def _capped(problems: list[Problem]) -> list[Problem]:
    if len(problems) <= MAX_NAMED:
        return problems
    rest = problems[MAX_NAMED]
    more = Problem(
        rest.file, rest.line, rest.column, "", f"另有 {len(problems) - MAX_NAMED} 处同样的改动"
    )
    return [*problems[:MAX_NAMED], more]


_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _path(flat: str) -> Path_:
    """``scores.党员教育`` -> ``("scores", "党员教育")``; ``progress[2]`` counts from 1."""
    return tuple(name if name else int(index) - 1 for name, index in _STEP.findall(flat))


def _where(data_dir: Path, rec: Rec, field: Path_) -> tuple[int, int, Path_]:
    """Line and column of a record's field in its file, and the field's path in the file
    (a record in a list: under its item, ``commitments[3].text``)."""
    record_kind = kind(rec.kind)
    at: Path_ = field
    try:
        raw = (data_dir / rec.file).read_bytes()
        loaded = load_file(data_dir / rec.file, rec.file)
    except (LoadFailed, OSError):
        return (1, 1, at)
    if record_kind.items:
        keys = [r.key for r in file_records(rec.file, raw) or []]
        item = (record_kind.items, keys.index(rec.key)) if rec.key in keys else ()
        at = (*item, *field)
    line, column = loaded.where(at)
    return line, column, at
