"""``board check``: validate the data and report every problem at once."""

from __future__ import annotations

from pathlib import Path

import click

from generator import pipeline
from generator.errors import BoardError, DataError, Problem
from generator.model.dataset import Dataset
from generator.review.scope import ScopedHints

CHANGED_SINCE_HELP = (
    "只把 BASE（提交号、分支名或标签）之后新增或修改的记录中的质量提示当作“本次改动的提示”："
    "与 --strict 一起用于合并请求，只有这些提示算错误；其余质量提示照常列出，不影响结果。"
)


@click.command("check")
@click.option(
    "--data", "data_dir", default="data", show_default=True,
    type=click.Path(file_okay=False, path_type=Path), help="数据目录。",
)  # fmt: skip
@click.option("--strict", is_flag=True, help="把质量提示（如承诺缺少可衡量目标）也当作错误。")
@click.option("--changed-since", "base", metavar="BASE", help=CHANGED_SINCE_HELP)
def check_command(data_dir: Path, strict: bool, base: str | None) -> None:
    """检查数据：格式、引用、分值、承诺步骤、已发布数据；有问题时逐条列出并以状态码 1 退出。"""
    source = pipeline.Source.at(data_dir)
    try:
        checked = pipeline.check(source)
        scoped = pipeline.hints_since(checked, base, source) if base else None
    except DataError as exc:
        click.echo(exc.report(), err=True)
        raise SystemExit(1) from None
    except BoardError as exc:
        raise click.ClickException(str(exc)) from None
    for note in checked.notes:
        click.echo(note, err=True)
    dataset = checked.dataset
    if scoped is None:
        _list(dataset.warnings)
        blocking, hints = dataset.warnings, _hints(dataset.warnings)
    else:
        _list(scoped.unchanged)
        if scoped.changed:
            click.echo(
                f"以下 {len(scoped.changed)} 条质量提示在 {_short(scoped.base)} 之后"
                "新增或修改的记录中：",
                err=True,
            )
            _list(scoped.changed)
        blocking, hints = scoped.changed, _scoped_hints(scoped)
    if strict and blocking:
        click.echo(_refusal(blocking, scoped), err=True)
        raise SystemExit(1)
    click.echo(
        f"数据检查通过：{len(dataset.orgs)} 个党组织，{len(dataset.current_members)} 名党员"
        f"{_former(dataset)}，"
        f"{len(dataset.commitments)} 项承诺，{len(dataset.units)} 个示范单位，"
        f"{len(dataset.quarters)} 个季度的考核。{hints}"
    )


def _list(problems: list[Problem]) -> None:
    for problem in problems:
        click.echo(str(problem), err=True)


def _hints(warnings: list[Problem]) -> str:
    return f"另有 {len(warnings)} 条质量提示（见上方）。" if warnings else ""


def _scoped_hints(scoped: ScopedHints) -> str:
    changed, unchanged = len(scoped.changed), len(scoped.unchanged)
    if not changed and not unchanged:
        return ""
    if not changed:
        return (
            f"另有 {unchanged} 条质量提示（见上方），"
            f"都在 {_short(scoped.base)} 之后没有改动的记录中。"
        )
    return (
        f"另有 {changed + unchanged} 条质量提示（见上方），"
        f"其中 {changed} 条在 {_short(scoped.base)} 之后新增或修改的记录中。"
    )


def _refusal(blocking: list[Problem], scoped: ScopedHints | None) -> str:
    if scoped is None:
        return f"共 {len(blocking)} 条质量提示；--strict 模式下视为错误，请逐条补充后重试。"
    rest = (
        f"另有 {len(scoped.unchanged)} 条质量提示在没有改动的记录中，只作提示，不影响本次检查。"
        if scoped.unchanged
        else ""
    )
    return (
        f"本次新增或修改的记录中有 {len(blocking)} 条质量提示（相对于 {_short(scoped.base)}）；"
        f"--strict 模式下视为错误，请逐条补充后重试。{rest}"
    )


def _short(base: str) -> str:
    """A commit id as people read it (12 digits); names as written."""
    return base[:12] if len(base) == 40 else base


def _former(dataset: Dataset) -> str:
    gone = len(dataset.members) - len(dataset.current_members)
    return f"（另有 {gone} 名已离开）" if gone else ""
