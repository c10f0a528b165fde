"""``board build``: check the data, then build the site with MkDocs in strict mode."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click


@click.command("build")
@click.option(
    "-f",
    "--config-file",
    default="mkdocs.yml",
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="MkDocs 配置文件。",
)
def build_command(config_file: Path) -> None:
    """生成站点：先完整检查数据，再构建到临时目录，成功后替换 site/。"""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    # Strict without -q: `-q --strict` exits 0 on warnings (mkdocs#4126).
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config_file)]
    result = subprocess.run(command, env=env, check=False)
    if result.returncode != 0:
        raise click.ClickException("站点构建失败（原因见上方日志）；原有 site/ 未被改动。")
    click.echo("站点已生成：site/index.html")
