"""``board build`` and ``board serve``: the site from any data folder, with MkDocs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from generator.cli.project import config_file, run_mkdocs, site_dir

CONFIG_HELP = "MkDocs 配置文件（默认为当前目录的 mkdocs.yml，没有时用公示栏自带的配置）。"
AS_OF_HELP = "统计日期（YYYY-MM-DD）：逾期等状态按这一天判断；默认为最后一次提交的日期。"


@click.command("build")
@click.option(
    "--data", "data_dir", type=click.Path(file_okay=False, path_type=Path),
    help="数据目录（默认为配置文件旁的 data/）。",
)  # fmt: skip
@click.option(
    "--site-dir", "site", type=click.Path(file_okay=False, path_type=Path),
    help="生成站点的目录（默认为配置文件中的 site/）。",
)  # fmt: skip
@click.option(
    "-f", "--config-file", "config", type=click.Path(dir_okay=False, path_type=Path),
    help=CONFIG_HELP,
)  # fmt: skip
@click.option(
    "--preview", is_flag=True,
    help="预览：包括尚未发布的草稿（每一页都标明“草稿·未发布”），供合并请求审核，不得对外发布。",
)  # fmt: skip
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), help=AS_OF_HELP)
def build_command(
    data_dir: Path | None,
    site: Path | None,
    config: Path | None,
    preview: bool,
    as_of: dt.datetime | None,
) -> None:
    """生成站点：先完整检查数据，再构建到临时目录，成功后替换原站点目录。"""
    chosen = config_file(config)
    target = site_dir(site, chosen)
    day = as_of.date() if as_of else None
    code = run_mkdocs(
        chosen, "build", "--strict", data_dir=data_dir, site_dir=target, preview=preview, as_of=day
    )
    if code != 0:
        raise click.ClickException("站点构建失败（原因见上方日志）；原有站点目录未被改动。")
    shown = target if target is not None else Path(chosen).parent / "site"
    click.echo(f"站点已生成：{shown / 'index.html'}")


@click.command("serve")
@click.option(
    "--data", "data_dir", type=click.Path(file_okay=False, path_type=Path),
    help="数据目录（默认为配置文件旁的 data/）。",
)  # fmt: skip
@click.option(
    "-f", "--config-file", "config", type=click.Path(dir_okay=False, path_type=Path),
    help=CONFIG_HELP,
)  # fmt: skip
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True, help="预览地址。")
def serve_command(data_dir: Path | None, config: Path | None, dev_addr: str) -> None:
    """本地预览：修改数据或页面后自动刷新；数据有错时每一页都显示问题清单。"""
    # --livereload: live reload is off by default with click >= 8.2.2 (mkdocs-material#8478);
    # --dirtyreload: only pages whose generated file changed are rebuilt (generator/preview.py).
    args = ("serve", "--livereload", "--dirtyreload", "--dev-addr", dev_addr)
    # A local preview shows drafts too (marked): the editor is working on them.
    raise SystemExit(run_mkdocs(config_file(config), *args, data_dir=data_dir, preview=True))
