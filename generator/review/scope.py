"""Which quality hints a change answers for: those in the records it adds or changes.

``board check --strict --changed-since BASE`` blocks a merge request on the hints of the
records it touches, never on the old ones it inherits (the sample data has 25 such
hints; blocking on them would make every merge request red on its first day).

A record "changed" exactly as ``board diff`` says it did: records are matched by kind
and key through the registry and compared by value (``changes.py``), never by text
lines, so comments, key order and whitespace do not count. Git only narrows the search
to the data files that differ from ``BASE``; a record in any other file is unchanged.
Each version of a file is validated alone (as the change log reads history), so a base
that today's checks would reject still tells which records changed; a file that does not
validate at the base counts as new.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.errors import BoardError, Problem
from generator.git import GitError, Repo
from generator.model.dataset import Dataset
from generator.model.kinds import Rec, classify
from generator.model.loading import file_records
from generator.model.policy import PublishPolicy
from generator.review.changes import record_changes

Key = tuple[str, str]  # (kind, key)


@dataclass(frozen=True)
class ScopedHints:
    """The dataset's quality hints, split by whether a change since ``base`` made them."""

    base: str
    changed: list[Problem]  # in records added or changed since base
    unchanged: list[Problem]  # in records as they were at base: they stay hints


def scope_hints(repo: Repo, base: str, dataset: Dataset, shown_root: str) -> ScopedHints:
    """Split ``dataset``'s hints (the working tree's) by the records changed since ``base``."""
    changed = changed_records(repo, base, dataset)
    by_file = dataset.records.files()
    mine: list[Problem] = []
    others: list[Problem] = []
    for hint in dataset.warnings:
        recs = _records_of(hint, by_file, shown_root)
        (mine if any((r.kind, r.key) in changed for r in recs) else others).append(hint)
    return ScopedHints(base, mine, others)


def changed_records(repo: Repo, base: str, dataset: Dataset) -> set[Key]:
    """Records of ``dataset`` that are new or differ in any field (internal ones too)
    from ``base``; a record moved to another file (a member to another branch) is new
    in its new place or changed, as the registry's keys say."""
    commit = _commit(repo, base)
    try:
        files = repo.changed_since(commit)
    except GitError as exc:
        raise BoardError(f"无法比较版本“{base}”与当前数据：{exc}") from None
    touched = set(files)
    before: list[Rec] = []
    paths = [f"{repo.data_rel}/{rel}" for rel in files]
    for rel, raw in zip(files, repo.files_at(commit, paths), strict=True):
        before += (file_records(rel, raw) if raw is not None else None) or []
    after = [rec for rec in dataset.records if rec.file in touched]
    changes = record_changes(before, after, PublishPolicy.everything(), dataset.names)
    return {(c.kind, c.key) for c in changes if c.action != "删除"}


def _commit(repo: Repo, base: str) -> str:
    try:
        commit = repo.resolve(base)
    except GitError:
        commit = ""
    if not commit:
        raise BoardError(
            f"找不到版本“{base}”；请写提交号、分支名或标签（浅克隆中可能没有这个提交：请使用完整克隆）"
        )
    return commit


def _records_of(hint: Problem, by_file: dict[str, list[Rec]], shown_root: str) -> list[Rec]:
    """The record a hint is located in: in a file holding a list of records, the item its
    field path starts with; otherwise (or for a file-level field) every record of the file."""
    rel = hint.file.removeprefix(f"{shown_root}/")
    recs = by_file.get(rel, [])
    found, _ = classify(rel)
    if found is None or found.items is None:
        return recs
    match = re.match(rf"{re.escape(found.items)}\[(\d+)\]", hint.field)
    if match is None:
        return recs
    index = int(match.group(1)) - 1  # field paths count items from 1
    return recs[index : index + 1]
