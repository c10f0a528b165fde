"""Datasets as they are at a git revision, or in the working tree."""

from __future__ import annotations

import tempfile
from pathlib import Path

from generator.errors import BoardError
from generator.git import GitError, Repo
from generator.model.dataset import Dataset
from generator.model.loading import load_dataset

WORKTREE = "工作区"


def default_base(repo: Repo) -> str:
    """The merge base with main (or origin/main), so a branch's diff shows only its own edits."""
    for main in ("main", "origin/main", "master", "origin/master"):
        try:
            repo.resolve(main)
        except GitError:
            continue
        return repo.merge_base("HEAD", main)
    return repo.resolve("HEAD")


def dataset_at(repo: Repo, rev: str, data_dir: Path) -> Dataset:
    """The dataset at ``rev`` (read with git archive, no checkout), or in the working tree."""
    if rev == WORKTREE:
        return load_dataset(data_dir, shown_root=repo.data_rel)
    commit = repo.resolve(rev)
    if not commit:
        raise BoardError(f"找不到版本“{rev}”；请写提交号、分支名或标签")
    with tempfile.TemporaryDirectory() as tmp:
        exported = repo.export_data(commit, Path(tmp))
        if not exported.is_dir():
            raise BoardError(f"版本 {rev} 中没有 {repo.data_rel}/ 目录")
        return load_dataset(exported, shown_root=f"{rev}:{repo.data_rel}")
