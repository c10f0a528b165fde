"""``board export-…`` / ``import-…``: the office's Excel ledgers (台账) out of and back
into data/: the member roll, the commitment ledger, 三比三看, 星级党支部, the problem
ledger (整改台账) and the indicator red list (指标红榜)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

from generator.errors import BoardError, DataError
from generator.model.ledgers import (
    Imported,
    export_commitments,
    export_comparisons,
    export_indicators,
    export_members,
    export_problems,
    export_stars,
    import_commitments,
    import_comparisons,
    import_indicators,
    import_members,
    import_problems,
    import_stars,
)
from generator.model.schema import QUARTER_PATTERN

_DATA = click.option(
    "--data", "data_dir", default="data", show_default=True,
    type=click.Path(file_okay=False, path_type=Path), help="数据目录。",
)  # fmt: skip
_BRANCH = click.option("--branch", default=None, help="只导出这个党支部（党支部编号）；默认全部。")
_OUT = click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
_WORKBOOK = click.argument("workbook", type=click.Path(dir_okay=False, path_type=Path))
T = TypeVar("T")
_INTERNAL = "本工作簿含内部字段，只供党建工作部门内部使用，不得公开或外发。"


def _year(what: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    return click.option(
        "--year", type=click.IntRange(2000, 2100), default=None,
        help=f"年度，如 2026；默认数据中最近的年度。没有{what}的年度得到空白表。",
    )  # fmt: skip


def _quarter(default: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    def valid(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(QUARTER_PATTERN, value):
            raise click.BadParameter(f"“{value}”不是有效的季度：应写成 年份+Q+季度，如 2025Q1")
        return value

    about = f"季度，如 2026Q3；{default}。"
    return click.option("--quarter", default=None, callback=valid, help=about)


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
@_OUT
@_BRANCH
@_DATA
def export_members_command(out: Path, branch: str | None, data_dir: Path) -> None:
    """把党员名册（每个支部的全部党员、全部字段）导出为 Excel 台账。

    修改后用 import-members 导回；工作簿含内部字段，只供内部使用。
    """
    done = _run("导出前", lambda: export_members(data_dir, out, branch))
    click.echo(f"已导出 {done.branches} 个党支部的 {done.rows} 条党员记录到 {out}。{_INTERNAL}")


@click.command("export-commitments")
@_OUT
@_year("承诺")
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


@click.command("export-comparisons")
@_OUT
@_year("三比三看")
@_BRANCH
@_DATA
def export_comparisons_command(
    out: Path, year: int | None, branch: str | None, data_dir: Path
) -> None:
    """把一个年度的三比三看（每名参评党员一行）导出为 Excel。

    还没有三比三看的支部得到空白表（列出年底在本支部的党员）；修改后用 import-comparisons 导回。
    """
    done = _run("导出前", lambda: export_comparisons(data_dir, out, year, branch))
    click.echo(f"已导出 {done.branches} 个党支部的 {done.rows} 行三比三看到 {out}。{_INTERNAL}")


@click.command("export-stars")
@_OUT
@_year("星级评定")
@_BRANCH
@_DATA
def export_stars_command(out: Path, year: int | None, branch: str | None, data_dir: Path) -> None:
    """把一个年度的星级党支部评定（星级、评定标准、班组星级）导出为 Excel。

    修改后用 import-stars 导回。
    """
    done = _run("导出前", lambda: export_stars(data_dir, out, year, branch))
    click.echo(
        f"已导出 {done.branches} 个党支部的星级评定（已评定 {done.rows} 个）到 {out}。{_INTERNAL}"
    )


@click.command("export-problems")
@_OUT
@_quarter("默认数据中最近的季度")
@click.option("--all", "every", is_flag=True, help="导出全部季度的问题。")
@click.option("--branch", default=None, help="只导出这个党组织（党组织编号）；默认全部。")
@_DATA
def export_problems_command(
    out: Path, quarter: str | None, every: bool, branch: str | None, data_dir: Path
) -> None:
    """把季度检查发现的问题导出为整改台账（每个问题一行，滚动销号）。

    填写整改措施和销号日期后用 import-problems 导回；已发布季度的问题本身受保护。
    """
    if every and quarter:
        click.echo("--quarter 和 --all 只能写一个", err=True)
        raise SystemExit(2)
    done = _run("导出前", lambda: export_problems(data_dir, out, quarter, every, branch))
    click.echo(f"已导出 {done.branches} 个党组织的 {done.rows} 个问题到 {out}。{_INTERNAL}")


@click.command("export-indicators")
@_OUT
@_quarter("默认数据中最近的季度")
@_DATA
def export_indicators_command(out: Path, quarter: str | None, data_dir: Path) -> None:
    """把一个季度的指标红榜（单位、指标、完成值、是否红榜）导出为 Excel。

    还没有指标红榜的季度得到空白表；修改后用 import-indicators 导回。
    """
    done = _run("导出前", lambda: export_indicators(data_dir, out, quarter))
    click.echo(f"已导出 {done.branches} 个单位的 {done.rows} 项指标到 {out}。{_INTERNAL}")


def _import(
    name: str, what: str, folder: str, action: Callable[..., Imported],
    *options: Callable[[Callable[..., None]], Callable[..., None]],
) -> click.Command:  # fmt: skip
    """``board import-…``: the workbook ``what`` back into ``folder``, with the ``options``
    (passed on to ``action`` by name) besides ``--data``."""

    def command(workbook: Path, data_dir: Path, **given: object) -> None:
        _report(workbook, _run("导入前", lambda: action(workbook, data_dir, **given)))

    for option in (*reversed(options), _DATA, _WORKBOOK):
        command = option(command)
    return click.command(name, help=(
        f"把修改后的{what}导回 {folder}。\n\n"
        "有任何问题时按“工作表、行、列”逐条列出，不写入任何文件。"
    ))(command)  # fmt: skip


import_members_command = _import("import-members", "党员名册", "data/members/", import_members)
import_commitments_command = _import(
    "import-commitments", "承诺台账", "data/commitments/<年度>/", import_commitments
)
import_comparisons_command = _import(
    "import-comparisons", "三比三看", "data/comparisons/<年度>/", import_comparisons
)
import_stars_command = _import("import-stars", "星级评定", "data/stars/<年度>/", import_stars)
import_problems_command = _import(
    "import-problems", "整改台账", "data/assessments/<季度>/（整改措施、销号日期）",
    import_problems,
)  # fmt: skip
import_indicators_command = _import(
    "import-indicators", "指标红榜", "data/indicators/<季度>.yaml", import_indicators,
    _quarter("默认为工作簿“通报”表中的季度；写了就须与它一致"),
)  # fmt: skip


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
