"""``board demo``: write a deterministic fictional dataset."""

from __future__ import annotations

from pathlib import Path

import click

from generator.demo import DemoShape, write_demo


@click.command("demo")
@click.option("--branches", default=31, show_default=True, help="党支部数量。")
@click.option("--members", default=600, show_default=True, help="党员总数。")
@click.option("--quarters", default=8, show_default=True, help="考核季度数（截至最近一季）。")
@click.option("--seed", default=2025, show_default=True, help="随机种子：相同参数生成相同数据。")
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="输出目录（必须不存在或为空）。",
)
def demo_command(branches: int, members: int, quarters: int, seed: int, out_dir: Path) -> None:
    """生成虚构的示例数据（姓名均为虚构，不含电话和身份证号）。"""
    if out_dir.exists() and any(out_dir.iterdir()):
        raise click.ClickException(f"输出目录 {out_dir} 不为空；请换一个目录或先清空")
    shape = DemoShape(branches=branches, members=members, quarters=quarters, seed=seed)
    count = write_demo(out_dir, shape)
    click.echo(f"已在 {out_dir} 写入 {count} 个数据文件。")
