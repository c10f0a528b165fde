"""``board check``: validate the data and report every problem at once."""

from __future__ import annotations

from pathlib import Path

import click

from generator import pipeline
from generator.errors import DataError
from generator.model.dataset import Dataset


@click.command("check")
@click.option(
    "--data", "data_dir", default="data", show_default=True,
    type=click.Path(file_okay=False, path_type=Path), help="数据目录。",
)  # fmt: skip
@click.option("--strict", is_flag=True, help="把质量提示（如承诺缺少可衡量目标）也当作错误。")
def check_command(data_dir: Path, strict: bool) -> None:
    """检查数据：格式、引用、分值、承诺步骤、已发布数据；有问题时逐条列出并以状态码 1 退出。"""
    try:
        checked = pipeline.check(pipeline.Source.at(data_dir))
    except DataError as exc:
        click.echo(exc.report(), err=True)
        raise SystemExit(1) from None
    for note in checked.notes:
        click.echo(note, err=True)
    dataset = checked.dataset
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
        f"数据检查通过：{len(dataset.orgs)} 个党组织，{len(dataset.current_members)} 名党员"
        f"{_former(dataset)}，"
        f"{len(dataset.commitments)} 项承诺，{len(dataset.units)} 个示范单位，"
        f"{len(dataset.quarters)} 个季度的考核。{hints}"
    )


def _former(dataset: Dataset) -> str:
    gone = len(dataset.members) - len(dataset.current_members)
    return f"（另有 {gone} 名已离开）" if gone else ""
