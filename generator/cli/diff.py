"""``board diff``: what a merge request changes in the data, in Chinese, for reviewers."""

from __future__ import annotations

from pathlib import Path

import click

from generator import pipeline
from generator.errors import BoardError, DataError
from generator.git import find_repo
from generator.review.diff import render_markdown, render_text
from generator.review.revisions import WORKTREE, default_base


@click.command("diff")
@click.argument("base", required=False)
@click.argument("head", required=False)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "md"]), default="text", show_default=True,
    help="输出格式：text 纯文本；md 适合贴到合并请求评论的 Markdown。",
)  # fmt: skip
@click.option(
    "--data", "data_dir", default="data", show_default=True,
    type=click.Path(file_okay=False, path_type=Path), help="数据目录（须在 git 仓库中）。",
)  # fmt: skip
@click.option(
    "--show-internal", is_flag=True,
    help="也显示内部字段（如约谈记录）的内容：只用于维护人员自己的终端，不要贴到评论里。",
)  # fmt: skip
def diff_command(
    base: str | None, head: str | None, fmt: str, data_dir: Path, show_internal: bool
) -> None:
    """比较两个版本的数据：新增、删除、修改了哪些记录，以及对排名、红蓝榜、绩效和承诺步骤的影响。

    BASE 默认为当前分支与 main 的分叉点，HEAD 默认为工作区（尚未提交的修改）。
    内部字段只说明“已修改”，不显示内容。
    """
    repo = find_repo(data_dir)
    if repo is None:
        raise click.ClickException(f"{data_dir} 不在 git 仓库中；board diff 需要 git 历史")
    try:
        base = base or default_base(repo)
        head = head or WORKTREE
        changes = pipeline.diff(repo, base, head, data_dir, show_internal=show_internal)
    except DataError as exc:
        click.echo(f"有一个版本的数据未通过检查，无法比较：\n{exc.report()}", err=True)
        raise SystemExit(1) from None
    except BoardError as exc:
        raise click.ClickException(str(exc)) from None
    shown_base = base[:12] if len(base) == 40 else base
    render = render_markdown if fmt == "md" else render_text
    click.echo(render(changes, shown_base, head), nl=False)
