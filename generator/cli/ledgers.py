"""``board export-members`` / ``export-commitments`` / ``import-members`` /
``import-commitments``: the office's Excel ledgers (台账) out of and back into data/."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

from generator.errors import BoardError, DataError
from generator.model.ledgers import (
    Imported,
    export_commitments,
    export_members,
    import_commitments,
    import_members,
)

_DATA = click.option(
    "--data", "data_dir", default="data", show_default=True,
    type=click.Path(file_okay=False, path_type=Path), help="数据目录。",
)  # fmt: skip
_BRANCH = click.option("--branch", default=None, help="只导出这个党支部（党支部编号）；默认全部。")
T = TypeVar("T")
_INTERNAL = "本工作簿含内部字段，只供党建工作部门内部使用，不得公开或外发。"


def _run(before: str, action: Callable[[], T]) -> T:
    """Run ``action``; its errors become Chinese messages and exit code 1."""
    try:
        return action()
    except DataError as exc:
        click.echo(f"{before}的数据检查未通过：\n" + exc.report(), err=True)
        raise SystemExit(1) from None
    except BoardError as exc:
        click.echo(str(exc), err=True)
        raise SystemExit(1) from None


@click.command("export-members")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@_BRANCH
@_DATA
def export_members_command(out: Path, branch: str | None, data_dir: Path) -> None:
    """把党员名册（每个支部的全部党员、全部字段）导出为 Excel 台账。

    修改后用 import-members 导回；工作簿含内部字段，只供内部使用。
    """
    done = _run("导出前", lambda: export_members(data_dir, out, branch))
    click.echo(f"已导出 {done.branches} 个党支部的 {done.rows} 条党员记录到 {out}。{_INTERNAL}")


@click.command("export-commitments")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--year", type=click.IntRange(2000, 2100), default=None,
    help="年度，如 2026；默认数据中最近的年度。没有承诺的年度得到空白台账。",
)  # fmt: skip
@_BRANCH
@_DATA
def export_commitments_command(
    out: Path, year: int | None, branch: str | None, data_dir: Path
) -> None:
    """把一个年度的承诺台账（每项承诺及其各步骤，全部字段）导出为 Excel。

    修改后用 import-commitments 导回；工作簿含内部字段，只供内部使用。
    """
    done = _run("导出前", lambda: export_commitments(data_dir, out, year, branch))
    click.echo(f"已导出 {done.branches} 个党支部的 {done.rows} 项承诺到 {out}。{_INTERNAL}")


@click.command("import-members")
@click.argument("workbook", type=click.Path(dir_okay=False, path_type=Path))
@_DATA
def import_members_command(workbook: Path, data_dir: Path) -> None:
    """把党员名册台账导回 data/members/。

    有任何问题时按“工作表、行、列”逐条列出，不写入任何文件。
    """
    _report(workbook, _run("导入前", lambda: import_members(workbook, data_dir)))


@click.command("import-commitments")
@click.argument("workbook", type=click.Path(dir_okay=False, path_type=Path))
@_DATA
def import_commitments_command(workbook: Path, data_dir: Path) -> None:
    """把承诺台账导回 data/commitments/<年度>/。

    有任何问题时按“工作表、行、列”逐条列出，不写入任何文件。
    """
    _report(workbook, _run("导入前", lambda: import_commitments(workbook, data_dir)))


def _report(workbook: Path, done: Imported) -> None:
    if not done.written:
        click.echo(f"已导入 {workbook.name}：没有变化，未改写任何文件。")
        return
    click.echo(
        f"已导入 {workbook.name}：改写 {len(done.written)} 个文件"
        f"（其余 {done.unchanged} 个没有变化）："
    )
    for path in done.written:
        click.echo(f"  {path.as_posix()}")
    click.echo("请运行 board check 并提交合并请求。")
