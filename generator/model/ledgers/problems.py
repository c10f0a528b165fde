"""整改台账: every problem of the quarters' problem lists (the deductions), one row
each, for the rolling follow-up (滚动销号): the measure taken and the day it was closed
are written here and go back into ``data/assessments/<quarter>/<branch>.yaml``.

The problem itself (dimension, points, reason) is the inspection group's, entered with
the score sheet (``board import-scores``): it is locked here. Its type may still be
set while the quarter is unpublished; once published, only the follow-up fields (those
``schema`` marks ``FOLLOW_UP``) may change, as the published-data check allows. The
ledger neither adds nor deletes problems: a row left out changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from generator.errors import BoardError
from generator.model import schema
from generator.model.dataset import Dataset
from generator.model.ledgers.base import (
    EVERY,
    PROBLEMS,
    PROTECTED_HOW,
    QUARTER,
    SCOPE_BRANCH,
    SCOPE_QUARTER,
    Exported,
    File,
    Imported,
    Scope,
    before,
    branch_ids,
    branch_ok,
    cell_value,
    known_branch,
    load,
    row_of,
    run_import,
    twice,
    write_book,
)
from generator.model.policy import follow_up_paths
from generator.model.sheets import CLOSED_ON, MEASURE, TYPE, Column, Row, Sheet
from generator.text import as_written

SHEET = PROBLEMS.sheets[0]
ORG, SERIAL = "党组织编号", "序号"
LISTED_IN = "问题类型清单（site.yaml 的 policy.problem_types）"
PUBLISHED, UNPUBLISHED = "已发布", "未发布"
# What may change in a published quarter: the follow-up fields. Before it is published
# the type may be set too (the score sheet may not have had the list yet).
FOLLOW_UP = tuple(
    p.removeprefix("deductions[*].")
    for p in sorted(follow_up_paths(schema.Assessment))
    if p.startswith("deductions[*].")
)
UNPUBLISHED_TOO = ("type",)


def columns(types: Sequence[str]) -> tuple[Column, ...]:
    typed = Column(
        TYPE, "type", "choice" if types else "text",
        "下拉选择；未发布的季度可以修改，已发布的季度受保护", choices=tuple(types),
        locked=True, listed_in=LISTED_IN, width=24,
    )  # fmt: skip
    return (
        Column(QUARTER, "quarter", "id", "问题所属的季度（文件 assessments/<季度>/<党组织>.yaml）",
               True),
        Column(ORG, "branch", "id", "被检查的党组织", True, branches=True),
        Column("党组织名称", "", "shown", "只供查看，导入时不读取", width=28),
        Column(SERIAL, "number", "int", "问题清单中的第几个问题", True, width=8),
        Column("季度状态", "state", "shown", "已发布的季度只能填写整改措施和销号日期"),
        Column("维度", "dimension", about="受保护：由评分表录入", locked=True, width=16),
        Column("扣分", "points", "number", "受保护：由评分表录入", locked=True, width=8),
        Column("问题", "reason", about="受保护：由评分表录入，与被检查单位核对一致", locked=True,
               width=36),
        typed,
        Column(MEASURE, "measure", about="逐条制定；销号前必填", width=36),
        Column(CLOSED_ON, "closed_on", "date", "整改完成、销号的日期，不早于检查日期"),
    )  # fmt: skip


_HOW = [
    PROTECTED_HOW,
    "每行是一个季度问题清单中的一个问题（序号是它在清单中的位次）。问题本身（维度、扣分、"
    "问题）由检查组的评分表录入（board import-scores），这里受保护；问题类型在季度发布前"
    "可以修改。已发布的季度只能填写整改措施和销号日期（滚动销号：整改完成一条销号一条），"
    "修改问题本身要更正评分表并添加更正记录。",
    "整改台账不能新增或删除问题；删除的行不导入，对应的问题保持不变。",
    "行的先后顺序不影响导入。导入只改写内容有变化的文件，其他文件保持不变。",
]


def _orgs(dataset: Dataset) -> list[str]:
    return branch_ids(dataset, PROBLEMS.kinds)


def _state(dataset: Dataset, quarter: str) -> str:
    info = dataset.quarters.get(quarter)
    return PUBLISHED if info is not None and info.published is not None else UNPUBLISHED


# ------------------------------------------------------------------- export


def export_problems(
    data_dir: Path, out: Path, quarter: str | None = None, every: bool = False,
    branch: str | None = None,
) -> Exported:  # fmt: skip
    """Write the problems of one quarter (the latest by default; ``every``: all) to ``out``."""
    dataset = load(data_dir)
    orgs = _orgs(dataset)
    known_branch(orgs, branch, "党组织")
    if quarter is not None and quarter not in dataset.quarters:
        raise BoardError(f"数据中没有 {quarter} 的季度考核")
    if not every and (quarter := quarter or dataset.latest_quarter) is None:
        raise BoardError("数据中还没有任何季度的考核")
    layout = columns(dataset.site.policy.problem_types)
    rows: list[list[Any]] = []
    opened: set[tuple[int, str]] = set()
    filled = set()
    for (q, b), a in sorted(dataset.assessments.items()):
        if (not every and q != quarter) or branch not in (None, b):
            continue
        state = _state(dataset, q)
        given = {"quarter": q, "branch": b, "": dataset.orgs[b].name, "state": state}
        for i, d in enumerate(a.deductions, start=1):
            if state == UNPUBLISHED:
                opened |= {(len(rows), c.header) for c in layout if c.field in UNPUBLISHED_TOO}
            rows.append(row_of(layout, d, {**given, "number": i}))
            filled.add(b)
    scope = [(SCOPE_QUARTER, EVERY if every else quarter), (SCOPE_BRANCH, branch or EVERY)]
    write_book(
        out, dataset, PROBLEMS, scope, {SHEET: layout}, {SHEET: rows}, _HOW, orgs,
        {SHEET: frozenset(opened)},
    )  # fmt: skip
    return Exported(len(rows), len(filled))


# ------------------------------------------------------------------- import


def import_problems(workbook: Path, data_dir: Path) -> Imported:
    """Write the follow-up in ``workbook`` back to ``data/assessments/<quarter>/``."""
    return run_import(
        workbook, data_dir, PROBLEMS,
        lambda d: {SHEET: columns(d.site.policy.problem_types)}, _plan,
    )  # fmt: skip


_Place = tuple[str, str]  # (quarter, branch)


def _plan(dataset: Dataset, scope: Scope, tables: dict[str, Sheet]) -> list[File]:
    table = tables[SHEET]
    keys = [c for c in table.columns.values() if c.key]
    seen: dict[tuple[str, str, int], int] = {}
    changes: dict[_Place, dict[int, tuple[schema.Deduction, int]]] = {}
    for row in table.rows():
        values, bad = table.values(row)
        if not all([table.require(row, values, bad, c.header) for c in keys]):
            continue
        q, b, n = values["quarter"], values["branch"], values["number"]
        if scope.quarter is not None and q != scope.quarter:
            table.problem(
                row.number, QUARTER,
                f"本工作簿是 {scope.quarter} 的整改台账，不能导入 {q} 的问题；"
                f"请用 board export-problems --quarter {q} 导出该季度的台账",
            )  # fmt: skip
            continue
        if not branch_ok(table, row, b, scope, "问题", ORG, "党组织"):
            continue
        a = dataset.assessments.get((q, b))
        if a is None or not 0 < n <= len(a.deductions):
            table.problem(row.number, SERIAL, _not_exported(table, row, q, b, n))
        elif (q, b, n) in seen:
            twice(table, row.number, SERIAL, f"{q}“{b}”的第 {n} 个问题", seen[(q, b, n)],
                  "；每个问题只写一行")  # fmt: skip
        else:
            seen[(q, b, n)] = row.number
            new = _followed_up(table, row, values, bad, a.deductions[n - 1], _state(dataset, q))
            if new is not None:
                changes.setdefault((q, b), {})[n] = (new, row.number)
    return [_file(dataset.assessments[place], rows) for place, rows in sorted(changes.items())]


def _not_exported(table: Sheet, row: Row, quarter: str, branch: str, n: int) -> str:
    if table.protected(row):
        return (
            f"{quarter}“{branch}”的问题清单中没有第 {n} 个问题：季度、党组织编号和序号受保护，"
            "不能修改"
        )
    return (
        "整改台账不能新增问题：问题清单由检查组的评分表录入（board import-scores）；"
        "这里只填写已有问题的整改措施和销号日期"
    )


def _followed_up(
    table: Sheet, row: Row, values: dict[str, Any], bad: set[str], old: schema.Deduction,
    state: str,
) -> schema.Deduction | None:  # fmt: skip
    """The problem with the row's follow-up; None if a locked cell was changed."""
    editable = FOLLOW_UP + (UNPUBLISHED_TOO if state == UNPUBLISHED else ())
    ok = True
    for column in table.columns.values():
        if not column.locked or column.field in editable or column.field in bad:
            continue
        was = getattr(old, column.field)
        if values.get(column.field) != was:
            table.problem(row.number, column.header, _locked(column.header, was, state))
            ok = False
    given = {**dict(old), **{name: values.get(name) for name in editable}}
    new = table.model(row, schema.Deduction, {k: v for k, v in given.items() if v is not None}, bad)
    return new if ok else None


def _locked(header: str, was: Any, state: str) -> str:
    shown = f"导出时是“{_shown(was)}”"
    if state == PUBLISHED:
        return (
            f"本季度已发布，“{header}”不能在整改台账中修改（{shown}）：改动已发布的数据"
            "要更正评分表并添加更正记录；整改台账只填写整改措施和销号日期"
        )
    return (
        f"“{header}”一列受保护，由检查组的评分表录入（{shown}）；"
        "请改正评分表后用 board import-scores 导入"
    )


def _shown(value: Any) -> str:
    if isinstance(value, Decimal):
        return as_written(value)
    return "" if value is None else str(cell_value(value))


def _file(a: schema.Assessment, changes: dict[int, tuple[schema.Deduction, int]]) -> File:
    deductions = [changes.get(n, (d, 0))[0] for n, d in enumerate(a.deductions, start=1)]
    rows = {n: row for n, (_, row) in changes.items()}
    model = schema.Assessment.model_validate({**dict(a), "deductions": deductions})
    return File(
        f"assessments/{a.quarter}/{a.branch}.yaml", model, before(a),
        lambda path: _locate(path, rows),
    )  # fmt: skip


def _locate(path: list[str | int], rows: dict[int, int]) -> tuple[str, int, str] | None:
    if path[:1] != ["deductions"] or len(path) < 2 or not isinstance(path[1], int):
        return None
    row = rows.get(path[1])
    name = path[2] if len(path) > 2 and isinstance(path[2], str) else ""
    return None if row is None else (SHEET, row, name)
