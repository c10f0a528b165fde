"""``board check``: validate ``data/`` and report every problem at once."""

from __future__ import annotations

from pathlib import Path

import click

from generator.errors import DataError, Problem
from generator.model import Dataset, load_dataset
from generator.model.parsecache import default_cache_dir
from generator.review.frozen import frozen_problems
from generator.review.git import find_repo


@click.command("check")
@click.option(
    "--data", "data_dir", default="data", show_default=True,
    type=click.Path(file_okay=False, path_type=Path), help="数据目录。",
)  # fmt: skip
@click.option("--strict", is_flag=True, help="把质量提示（如承诺缺少可衡量目标）也当作错误。")
def check_command(data_dir: Path, strict: bool) -> None:
    """检查数据：格式、引用、分值、承诺步骤；有任何问题时逐条列出并以状态码 1 退出。"""
    dataset = checked_dataset(data_dir)
    if dataset is None:
        raise SystemExit(1)
    for warning in dataset.warnings:
        click.echo(str(warning), err=True)
    if strict and dataset.warnings:
        click.echo(
            f"共 {len(dataset.warnings)} 条质量提示；--strict 模式下视为错误，请逐条补充后重试。",
            err=True,
        )
        raise SystemExit(1)
    hints = f"另有 {len(dataset.warnings)} 条质量提示（见上方）。" if dataset.warnings else ""
    click.echo(
        f"数据检查通过：{len(dataset.orgs)} 个党组织，{len(dataset.members)} 名党员，"
        f"{len(dataset.commitments)} 项承诺，{len(dataset.units)} 个示范单位，"
        f"{len(dataset.quarters)} 个季度的考核。{hints}"
    )


def published_changes(data_dir: Path, dataset: Dataset) -> list[Problem]:
    """Compare published quarters and years with git history (when the data is in git)."""
    repo = find_repo(data_dir)
    if repo is None:
        return []
    if repo.is_shallow():
        click.echo(SHALLOW_WARNING, err=True)
        return []
    return frozen_problems(repo, data_dir, dataset)


SHALLOW_WARNING = (
    "注意：当前是浅克隆（shallow clone），没有完整的 git 历史，无法核对已发布的季度是否被改动，"
    "也无法得到数据的修改日期。请使用完整克隆：git fetch --unshallow；"
    "GitLab CI 中设置 GIT_DEPTH: 0，Gitea/Forgejo Actions 中设置 fetch-depth: 0。"
)


def checked_dataset(data_dir: Path) -> Dataset | None:
    """Load and check everything, printing every problem; None if anything is wrong.

    Shared by ``board check`` and ``board publish``: both refuse the same data.
    """
    try:
        dataset = load_dataset(
            data_dir,
            shown_root=data_dir.as_posix().rstrip("/"),
            cache_dir=default_cache_dir(Path.cwd()),
        )
    except DataError as exc:
        click.echo(exc.report(), err=True)
        return None
    frozen = published_changes(data_dir, dataset)
    if frozen:
        click.echo("\n".join(str(p) for p in frozen), err=True)
        click.echo(f"共发现 {len(frozen)} 处已发布数据被改动而没有更正记录。", err=True)
        return None
    return dataset
