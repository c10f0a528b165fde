"""``board import-scores``: the inspection group's workbook into a quarter's YAML files."""

from __future__ import annotations

from pathlib import Path

import click

from generator.errors import BoardError, DataError
from generator.model.importer import import_scores


@click.command("import-scores")
@click.argument("workbook", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--quarter", required=True, help="季度，如 2025Q2。")
@click.option(
    "--data", "data_dir", default="data", show_default=True,
    type=click.Path(file_okay=False, path_type=Path), help="数据目录。",
)  # fmt: skip
def import_scores_command(workbook: Path, quarter: str, data_dir: Path) -> None:
    """把检查组的评分表（得分、扣分两个工作表）导入为该季度的 YAML 文件；有错时不写入任何文件。"""
    try:
        written = import_scores(workbook, quarter, data_dir)
    except DataError as exc:
        click.echo("导入前的数据检查未通过：\n" + exc.report(), err=True)
        raise SystemExit(1) from None
    except BoardError as exc:
        click.echo(str(exc), err=True)
        raise SystemExit(1) from None
    click.echo(f"已导入 {quarter}：写入 {len(written)} 个文件。请运行 board check 并提交合并请求。")
