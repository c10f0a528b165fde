"""``board new``: a small valid dataset for a new company, to fill in."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from generator.demo import write_starter


def _this_quarter() -> str:
    today = dt.date.today()
    return f"{today.year}Q{(today.month - 1) // 3 + 1}"


@click.command("new")
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--company", default="示例公司", show_default=True, help="公司名称。")
@click.option("--quarter", default=None, help="规则和考核类别自哪个季度起生效（默认为本季度）。")
def new_command(out_dir: Path, company: str, quarter: str | None) -> None:
    """为新单位写出一套最小的有效数据（党委、党总支、两个党支部、默认考核规则），再逐项修改。"""
    if out_dir.exists() and any(out_dir.iterdir()):
        raise click.ClickException(f"目录 {out_dir} 不为空；请换一个目录或先清空")
    count = write_starter(out_dir, company, quarter or _this_quarter())
    click.echo(
        f"已在 {out_dir} 写入 {count} 个数据文件。下一步：\n"
        f"  board check --data {out_dir}    检查数据\n"
        f"  board build --data {out_dir}    生成站点（site/index.html）\n"
        f"  board serve --data {out_dir}    边改边预览（http://127.0.0.1:8000）"
    )
