"""``board aggregate``: a group's summary page from its units' exported results."""

from __future__ import annotations

from pathlib import Path

import click

from generator.aggregate import AggregateError, aggregate


@click.command("aggregate")
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--out", "out_dir", required=True,
    type=click.Path(file_okay=False, path_type=Path), help="输出目录（集团站点的页面目录）。",
)  # fmt: skip
@click.option("--title", default="集团党建季度考核汇总", show_default=True, help="汇总页标题。")
def aggregate_command(sources: tuple[Path, ...], out_dir: Path, title: str) -> None:
    """汇总各单位站点导出的考核结果（exports/results.json 或站点目录），生成集团汇总页。"""
    try:
        written = aggregate(list(sources), out_dir, title)
    except AggregateError as exc:
        click.echo(str(exc), err=True)
        raise SystemExit(1) from None
    click.echo(f"已汇总 {len(sources)} 个单位：" + "、".join(str(p) for p in written))
