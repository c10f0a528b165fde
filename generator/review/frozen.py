"""A published quarter (or commitment year) is an official notice: it changes only with a
visible correction.

The published state is read from git history: the commit that published the
quarter, or the last commit that added a correction entry. If the data now differs
from that state and no new correction entry was added, every changed value is
reported.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from generator.errors import Problem
from generator.model import schema
from generator.model.dataset import Dataset
from generator.model.yamlio import LoadFailed, load_file
from generator.review.git import GitError, Repo
from generator.review.records import flatten

MAX_NAMED = 20  # changed values named per quarter; the rest are counted


def frozen_problems(repo: Repo, data_dir: Path, dataset: Dataset) -> list[Problem]:
    """Problems for published quarters and commitment years changed without a correction."""
    if not repo.has_commits() or repo.is_shallow():
        return []  # nothing published yet, or history unknown (the CLI warns about shallow clones)
    problems: list[Problem] = []
    for quarter, info in sorted(dataset.quarters.items()):
        if info.published is not None:
            folder = f"assessments/{quarter}"
            problems += _check(repo, data_dir, folder, "_quarter.yaml", schema.QuarterInfo, quarter)
    for year, meta in sorted(dataset.commitment_years.items()):
        if meta.published is not None:
            folder = f"commitments/{year}"
            problems += _check(
                repo, data_dir, folder, "_year.yaml", schema.CommitmentYear, f"{year} 年度承诺"
            )
    return problems


def _check(
    repo: Repo, data_dir: Path, folder: str, meta_name: str, model: type[BaseModel], what: str
) -> list[Problem]:
    meta_rel = f"{repo.data_rel}/{folder}/{meta_name}"
    sanctioned = _sanctioned_commit(repo, meta_rel, model)
    if sanctioned is None:
        return []  # published in this very change: nothing to compare against yet
    commit, corrections_then = sanctioned
    now_meta = _parse(data_dir / folder / meta_name, model)
    if now_meta is not None and len(getattr(now_meta, "corrections", [])) > corrections_then:
        return []  # this change adds a correction entry: allowed, and shown on the page
    then = _state_at(repo, commit, folder, meta_name)
    now = _state(data_dir / folder, meta_name)
    # A published year's commitments keep growing (new progress records, late approvals);
    # what was published must stay as it was. A published quarter must not change at all.
    changed = _differences(then, now, additions_allowed=meta_name == "_year.yaml")
    if not changed:
        return []
    shown = f"{data_dir.name}/{folder}/{meta_name}"
    line, column = _where(data_dir / folder / meta_name)
    published = getattr(now_meta, "published", None)
    problem = _problem(shown, what, published, commit, changed)
    return [Problem(problem.file, line, column, problem.field, problem.message)]


def _sanctioned_commit(repo: Repo, meta_rel: str, model: type[BaseModel]) -> tuple[str, int] | None:
    """The last commit that published the data or added a correction, with its correction count."""
    found = None
    previous: tuple[bool, int] = (False, 0)
    for commit in repo.commits_touching(meta_rel):
        raw = repo.file_at(commit, meta_rel)
        meta = _parse_bytes(raw, model) if raw is not None else None
        state = (
            getattr(meta, "published", None) is not None,
            len(getattr(meta, "corrections", [])),
        )
        if state[0] and (not previous[0] or state[1] > previous[1]):
            found = (commit, state[1])
        previous = state
    return found


def _state_at(repo: Repo, commit: str, folder: str, meta_name: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        try:
            exported = repo.export_data(commit, Path(tmp), folder)
        except GitError:
            return {}
        return _state(exported, meta_name)


def _state(folder: Path, meta_name: str) -> dict[str, Any]:
    """Every value in the folder's files, corrections excluded, as ``file: path -> value``."""
    state: dict[str, Any] = {}
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        try:
            data = load_file(path, path.name).data
        except LoadFailed:
            continue
        if path.name == meta_name and isinstance(data, dict):
            data = {k: v for k, v in data.items() if k != "corrections"}
        data = _keyed_by_id(data)
        for key, value in flatten(data):
            state[f"{path.stem}: {key}"] = value
    return state


def _keyed_by_id(data: Any) -> Any:
    """Lists of records by their id, so inserting one does not renumber the others."""
    if not isinstance(data, dict):
        return data
    out = dict(data)
    for key, value in data.items():
        if isinstance(value, list) and all(isinstance(v, dict) and "id" in v for v in value):
            out[key] = {str(v["id"]): v for v in value}
    return out


def _differences(
    then: dict[str, Any], now: dict[str, Any], *, additions_allowed: bool
) -> list[str]:
    keys = sorted(then.keys() if additions_allowed else then.keys() | now.keys())
    return [
        f"{k} {_shown(then.get(k))} → {_shown(now.get(k))}"
        for k in keys
        if then.get(k) != now.get(k)
    ]


def _shown(value: Any) -> str:
    return "（无）" if value is None else str(value)


def _problem(shown: str, what: str, published: Any, commit: str, changed: list[str]) -> Problem:
    named = "；".join(changed[:MAX_NAMED])
    more = f"；另有 {len(changed) - MAX_NAMED} 处" if len(changed) > MAX_NAMED else ""
    return Problem(
        shown, 1, 1, "corrections",
        f"{what} 已于 {published} 发布（提交 {commit[:8]}），发布后改动了 {len(changed)} 处数值，"
        f"但没有新增更正记录：{named}{more}。如确需更正，请在 corrections 中添加一条"
        "（date 日期、reason 原因、approver 批准人），更正会在公示页上显示；否则请撤销这些改动",
    )  # fmt: skip


def _where(path: Path) -> tuple[int, int]:
    try:
        return load_file(path, path.name).where(("corrections",))
    except (LoadFailed, OSError):
        return (1, 1)


def _parse(path: Path, model: type[BaseModel]) -> BaseModel | None:
    try:
        return _validated(load_file(path, path.name).data, model)
    except (LoadFailed, OSError):
        return None


def _parse_bytes(raw: bytes, model: type[BaseModel]) -> BaseModel | None:
    with tempfile.NamedTemporaryFile(suffix=".yaml") as handle:
        handle.write(raw)
        handle.flush()
        return _parse(Path(handle.name), model)


def _validated(data: Any, model: type[BaseModel]) -> BaseModel | None:
    try:
        return model.model_validate(data)
    except ValidationError:
        return None
