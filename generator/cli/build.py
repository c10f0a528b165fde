"""``board build``: build the site with MkDocs in strict mode, reproducibly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click

from generator.review.git import find_repo


def build_environment(config_file: Path) -> dict[str, str]:
    """The environment for a reproducible build.

    SOURCE_DATE_EPOCH comes from the last commit (unless already set), so the same
    commit builds byte-identical output, and overdue flags are judged as of that
    commit. A scheduled pipeline can set it to the current time to refresh them.
    """
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if "SOURCE_DATE_EPOCH" not in env:
        repo = find_repo(config_file.resolve().parent)
        epoch = repo.last_commit_time() if repo else None
        if epoch is not None:
            env["SOURCE_DATE_EPOCH"] = str(epoch)
    return env


def run_mkdocs(config_file: Path, site_dir: Path | None = None) -> int:
    # Strict without -q: `-q --strict` exits 0 on warnings (mkdocs#4126).
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config_file)]
    if site_dir is not None:
        command += ["--site-dir", str(site_dir)]
    return subprocess.run(command, env=build_environment(config_file), check=False).returncode


@click.command("build")
@click.option(
    "-f", "--config-file", default="mkdocs.yml", show_default=True,
    type=click.Path(dir_okay=False, path_type=Path), help="MkDocs 配置文件。",
)  # fmt: skip
def build_command(config_file: Path) -> None:
    """生成站点：先完整检查数据，再构建到临时目录，成功后替换 site/。"""
    if run_mkdocs(config_file) != 0:
        raise click.ClickException("站点构建失败（原因见上方日志）；原有 site/ 未被改动。")
    click.echo("站点已生成：site/index.html")
