"""三比三看: a branch's year-end form, one row per member (比学习, 比奉献, 比形象 and the
result), back into ``data/comparisons/<year>/<branch>.yaml``.

A branch's rows share its meeting's date (评比日期, ``held_on``). For a year a branch has
no form yet, the export is a blank form: a row for each member in the branch at the
year's end, name shown and id locked; rows left blank are not imported.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from functools import partial
from pathlib import Path
from typing import Any

from generator.model import schema
from generator.model.dataset import Dataset
from generator.model.ledgers.base import (
    BRANCH,
    COMPARISONS,
    EVERY,
    PROTECTED_HOW,
    ROWS_HOW,
    SCOPE_BRANCH,
    SCOPE_YEAR,
    YEAR,
    Exported,
    File,
    Imported,
    Scope,
    at,
    before,
    branch_ids,
    branch_ok,
    choice,
    known_branch,
    known_member,
    latest_year,
    load,
    name_of,
    ordered,
    retyped,
    row_of,
    run_import,
    twice,
    write_book,
    year_ok,
)
from generator.model.sheets import Column, Row, Sheet

SHEET = COMPARISONS.sheets[0]
MEMBER = "党员编号"
COLUMNS = (
    Column(YEAR, "year", "year", "评比的年度（文件 comparisons/<年度>/<支部>.yaml）", True),
    Column(BRANCH, "branch", "id", "党员所在的党支部", True, branches=True),
    Column("评比日期", "held_on", "date",
           "本支部的评比日期，同一支部各行相同（只写一行也可以）；在该年度内，最晚到次年 3 月"),
    Column(MEMBER, "member", "id", "参评的党员：该年度在本支部、评比当天仍在本支部", True),
    Column("党员姓名", "", "shown", "只供查看，导入时不读取"),
    Column("比学习", "study", about="必填：学习的内容和质量", width=30),
    Column("学习次数", "sessions", "int", "必填：参加组织生活和学习的次数（0 至 1000 的整数）"),
    Column("比奉献", "contribution", about="必填：解决了哪些实际问题", width=30),
    Column("解决问题数", "problems_solved", "int", "必填：解决实际问题的数量（整数）"),
    Column("比形象", "image", about="选填：群众的评价", width=24),
    Column("群众满意度（%）", "satisfaction", "number", "必填：0 至 100 的数字，如 92.5"),
    Column("测评人数", "respondents", "int", "必填：参加满意度测评的群众人数"),
    choice("评比结果", schema.Comparison, "result", "下拉选择"),
)  # fmt: skip
_KEYS = {"year", "branch", "member", "held_on"}  # what a blank form's row may hold
_HOW = [
    PROTECTED_HOW,
    "没有三比三看的支部，导出的是空白表：每名年底在本支部的党员一行（姓名只供查看）。"
    "只填写参评党员的行；整行留空的党员不导入。新增党员请在表格末尾的空行填写。",
    "删除一行（或清空一行党员编号以外的内容），导入后就删除这名党员的记录；上面的导出范围内"
    "不在表格中的记录都会被删除，范围以外的数据不受影响。",
    ROWS_HOW,
]


# ------------------------------------------------------------------- export


def export_comparisons(
    data_dir: Path, out: Path, year: int | None = None, branch: str | None = None
) -> Exported:
    """Write one year's 三比三看 (the latest by default) of every branch (or of
    ``branch``) to ``out``; a branch without one that year gets a blank form."""
    dataset = load(data_dir)
    branches = branch_ids(dataset, COMPARISONS.kinds)
    known_branch(branches, branch)
    if year is None:
        year = latest_year((y for _, y in dataset.comparisons), "三比三看")
    names = dataset.member_names
    rows, filled = [], set()
    for b in sorted([branch] if branch else branches):
        form = dataset.comparisons.get((b, year))
        given: dict[str, Any] = {"year": year, "branch": b}
        if form is not None:
            given["held_on"] = form.held_on
            rows += [row_of(COLUMNS, c, {**given, "": names.get(c.member)}) for c in form.members]
        else:
            rows += [row_of(COLUMNS, None, {**given, "member": m.id, "": m.name})
                     for m in blank_form(dataset, b, year)]  # fmt: skip
        filled |= {b} if form is not None or blank_form(dataset, b, year) else set()
    scope = [(SCOPE_YEAR, year), (SCOPE_BRANCH, branch or EVERY)]
    write_book(out, dataset, COMPARISONS, scope, {SHEET: COLUMNS}, {SHEET: rows}, _HOW, branches)
    return Exported(len(rows), len(filled))


def blank_form(dataset: Dataset, branch: str, year: int) -> list[schema.Member]:
    """Who a blank form lists: the branch's members on the year's last day."""
    if (branch, year) in dataset.comparisons:
        return []
    end = dt.date(year, 12, 31)
    return [m for m in dataset.members_in(branch, year) if m.left_on is None or m.left_on >= end]


# ------------------------------------------------------------------- import


def import_comparisons(workbook: Path, data_dir: Path) -> Imported:
    """Write the 三比三看 in ``workbook`` back to ``data/comparisons/<year>/``."""
    return run_import(workbook, data_dir, COMPARISONS, lambda d: {SHEET: COLUMNS}, _plan)


_Place = tuple[int, str]  # (year, branch)


def _plan(dataset: Dataset, scope: Scope, tables: dict[str, Sheet]) -> list[File]:
    table = tables[SHEET]
    exported = {(y, b, c.member) for (b, y), f in dataset.comparisons.items() for c in f.members}
    if scope.year is not None:
        exported |= {(scope.year, b, m.id) for b in scope.branches
                     for m in blank_form(dataset, b, scope.year)}  # fmt: skip
    rows: dict[_Place, dict[str, tuple[schema.Comparison, int]]] = defaultdict(dict)
    held: dict[_Place, tuple[dt.date, int]] = {}
    named: dict[_Place, int] = {}  # each form's first row
    for row in table.rows():
        values, bad = table.values(row)
        if not (set(values) | bad) - _KEYS:
            continue  # a blank form's row, not filled in
        keyed = all([table.require(row, values, bad, c.header) for c in COLUMNS if c.key])
        if not keyed:
            continue
        year, branch, member = values.pop("year"), values.pop("branch"), values["member"]
        if not (year_ok(table, row, scope, year, COMPARISONS, "三比三看")
                and branch_ok(table, row, branch, scope, "三比三看")):  # fmt: skip
            continue
        place = (year, branch)
        named.setdefault(place, row.number)
        _held_on(table, row, values.pop("held_on", None), held, place)
        if member in rows[place]:
            twice(table, row.number, MEMBER, f"党员“{member}”在党支部“{branch}”的三比三看中",
                  rows[place][member][1], "；每名党员只写一行")  # fmt: skip
        elif table.protected(row) and (year, branch, member) not in exported:
            table.problem(row.number, MEMBER, retyped(member, "党员"))
        elif not known_member(table, row, dataset, member, MEMBER):
            continue
        elif (c := table.model(row, schema.Comparison, values, bad)) is not None:
            rows[place][member] = (c, row.number)
    for place, first in named.items():
        if place not in held:
            table.problem(first, "评比日期", "不能为空：请填写本支部的评比日期（同一支部各行相同）")
    return _files(dataset, scope, rows, held, named)


def _held_on(
    table: Sheet, row: Row, day: dt.date | None, held: dict[_Place, tuple[dt.date, int]],
    place: _Place,
) -> None:  # fmt: skip
    """A form has one meeting's date: every row that writes it writes the same."""
    if day is None:
        return
    if place not in held:
        held[place] = (day, row.number)
    elif held[place][0] != day:
        was, where = held[place]
        table.problem(
            row.number, "评比日期",
            f"评比日期 {day} 与第 {where} 行的 {was} 不同：一个党支部一年的三比三看只有一个"
            "评比日期；请把本支部各行改成同一天",
        )  # fmt: skip


def _files(
    dataset: Dataset, scope: Scope,
    rows: dict[_Place, dict[str, tuple[schema.Comparison, int]]],
    held: dict[_Place, tuple[dt.date, int]], named: dict[_Place, int],
) -> list[File]:  # fmt: skip
    existing = {(y, b) for b, y in dataset.comparisons if y == scope.year}
    files = []
    for year, branch in sorted(p for p in existing | set(rows) if scope.branch in (None, p[1])):
        old = dataset.comparisons.get((branch, year))
        new = rows.get((year, branch), {})
        keys = ordered([c.member for c in old.members] if old else [], new)
        day = held.get((year, branch))
        model = None
        if keys and day is not None:
            members = [new[k][0] for k in keys]
            model = schema.ComparisonFile(branch=branch, year=year, held_on=day[0], members=members)
        places = [new[k][1] for k in keys]
        first = named.get((year, branch), 1)
        files.append(File(
            f"comparisons/{year}/{branch}.yaml", model, before(old),
            partial(_locate, places=places, first=first, day=day),
            f"党支部“{branch}”", (year, branch) in named,
        ))  # fmt: skip
    return files


def _locate(
    path: list[str | int], places: list[int], first: int, day: tuple[dt.date, int] | None
) -> tuple[str, int, str] | None:
    if path[:1] == ["members"] and len(path) > 1:
        row = at(places, path[1])
        return None if row is None else (SHEET, row, name_of(path, 2))
    if path[:1] == ["held_on"] and day is not None:
        return SHEET, day[1], "held_on"
    return SHEET, first, name_of(path, 0)
