"""``board publish`` and ``board rollback``: atomic releases for the intranet web server."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from generator.cli.project import config_file, run_mkdocs
from generator.errors import BoardError
from generator.files import os_reason
from generator.git import find_repo
from generator.pipeline import today
from generator.publish import (
    mark_complete,
    new_release_dir,
    previous_release,
    prune,
    remove_unfinished,
    switch_to,
)
from generator.sitedir import FolderLock


@click.command("publish")
@click.option(
    "--to", "root", required=True, type=click.Path(file_okay=False, path_type=Path),
    help="发布目录：其中 releases/ 保存各版本，current 指向在线版本（Web 服务器指向 current）。",
)  # fmt: skip
@click.option("--keep", default=5, show_default=True, help="保留的版本数（含在线版本）。")
@click.option(
    "-f", "--config-file", "config", type=click.Path(dir_okay=False, path_type=Path),
    help="MkDocs 配置文件（默认为当前目录的 mkdocs.yml）。",
)  # fmt: skip
@click.option(
    "--data", "data_dir", type=click.Path(file_okay=False, path_type=Path),
    help="数据目录（默认为配置文件旁的 data/）。",
)  # fmt: skip
@click.option(
    "--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]),
    help="统计日期（YYYY-MM-DD）：逾期等状态按这一天判断；默认为今天（北京时间）。",
)  # fmt: skip
def publish_command(
    root: Path, keep: int, config: Path | None, data_dir: Path | None, as_of: dt.datetime | None
) -> None:
    """发布：检查数据、构建新版本、通过后一次原子切换上线；任何一步失败，在线站点保持原样。

    逾期等状态按发布当天（北京时间）判断，页面上写明统计日期；计划任务每天重新发布一次，
    过了期限的整改事项第二天就显示“逾期”。"""
    chosen = config_file(config)
    try:
        root.mkdir(parents=True, exist_ok=True)
        lock = FolderLock(root, "发布")
    except (OSError, BoardError) as exc:
        raise click.ClickException(_message(exc)) from None
    with lock:
        remove_unfinished(root)
        label = _label(data_dir or chosen.resolve().parent)
        release = new_release_dir(root, label)
        day = as_of.date() if as_of else today()
        code = run_mkdocs(
            chosen, "build", "--strict", data_dir=data_dir, site_dir=release, as_of=day
        )
        if code != 0 or not (release / "index.html").is_file():
            raise click.ClickException(
                "数据检查或构建未通过（原因见上方），未发布；在线站点未改动。"
            )
        try:
            mark_complete(release, label)
            switch_to(root, release)
        except BoardError as exc:
            raise click.ClickException(str(exc)) from None
        removed = prune(root, keep)
    click.echo(
        f"已发布 {release.name}；{root / 'current'} 现在指向它。清理旧版本 {len(removed)} 个。"
    )


@click.command("rollback")
@click.option(
    "--to", "root", required=True, type=click.Path(file_okay=False, path_type=Path),
    help="发布目录（与 board publish --to 相同）。",
)  # fmt: skip
def rollback_command(root: Path) -> None:
    """回退：把在线站点切回上一个版本（一次原子切换）。"""
    try:
        with FolderLock(root, "发布"):
            target = previous_release(root)
            switch_to(root, target)
    except (OSError, BoardError) as exc:
        raise click.ClickException(_message(exc)) from None
    click.echo(f"已回退到 {target.name}。")


def _message(exc: OSError | BoardError) -> str:
    return str(exc) if isinstance(exc, BoardError) else f"无法使用发布目录（{os_reason(exc)}）"


def _label(where: Path) -> str:
    repo = find_repo(where)
    try:
        return repo.resolve("HEAD")[:8] if repo and repo.has_commits() else "local"
    except BoardError:
        return "local"
