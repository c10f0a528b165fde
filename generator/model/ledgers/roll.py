"""The member roll (党员名册) and the commitment ledger (承诺台账).

Commitment steps (``progress``) are a second sheet, 承诺进度, one row per step keyed
by the commitment id and ordered by 步骤序号, so every ``StageRecord`` field has its
own column and a commitment may have any number of steps.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

from generator.model import schema
from generator.model.dataset import Dataset
from generator.model.ledgers.base import (
    BRANCH,
    COMMITMENTS,
    EVERY,
    MEMBERS,
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
    in_files,
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

MEMBER_SHEET, COMMITMENT_SHEET, STEP_SHEET = MEMBERS.sheets[0], *COMMITMENTS.sheets


MEMBER_COLUMNS = (
    Column(BRANCH, "branch", "id", "党员所在的党支部（文件 members/<编号>.yaml）", True,
           branches=True),
    Column("党员编号", "id", "id", "全部数据中唯一，如 m0001；公司内调动时两个支部用同一编号",
           True),
    Column("姓名", "name", about="必填"),
    Column("岗位", "post", about="必填，如“变电运维工”", width=20),
    choice("党内职务", schema.Member, "role", "下拉选择；不填为“党员”"),
    Column("党小组编号", "group", "id", "本支部的党小组编号（见组织文件）", width=18),
    Column("转入日期", "joined_on", "date", "从其他支部调入、新发展或从公司外转入的日期"),
    Column("离开日期", "left_on", "date", "组织关系转出、退休、去世的日期；离开的党员不要删除"),
    choice("离开原因", schema.Member, "left_reason", "写了离开日期时必填"),
    Column("调往支部编号", "moved_to", "id", "公司内调动时调入的党支部；只在“调出”时填写",
           branches=True, width=18),
)  # fmt: skip
COMMITMENT_COLUMNS = (
    Column(YEAR, "year", "year", "承诺所属的年度（文件 commitments/<年度>/<支部>.yaml）", True),
    Column(BRANCH, "branch", "id", "承诺党员所在的党支部", True, branches=True),
    Column("承诺编号", "id", "id", "全部数据中唯一，如 c2026-m0001-gw", True, width=22),
    Column("党员编号", "member", "id", "作出承诺的党员", True),
    Column("党员姓名", "", "shown", "只供查看，导入时不读取"),
    choice("承诺类型", schema.Commitment, "kind", "下拉选择"),
    Column("承诺内容", "text", about="必填", width=40),
    Column("可衡量的目标", "target", about="建议填写", width=30),
    Column("完成时限", "deadline", "date", "建议填写"),
    Column("验收人", "verifier", about="建议填写，写职务", width=16),
)  # fmt: skip
STEP_COLUMNS = (
    Column("承诺编号", "commitment", "id", "这一步属于“承诺台账”中的哪一项承诺", True, width=22),
    Column("步骤序号", "order", "order", "同一项承诺的各步按序号排列；插在两步之间可写 2.5"),
    choice("步骤", schema.StageRecord, "stage", "下拉选择"),
    Column("日期", "date", "date", "必填，不早于上一步"),
    Column("备注", "note", about="任何步骤都可以写", width=24),
    choice("支部审核结果", schema.StageRecord, "review", "“科学定诺”必填"),
    Column("履责情况和佐证", "evidence", about="只用于“履责践诺”", width=30),
    Column("督诺发现的情况", "finding", about="只用于“定期督诺”", width=30),
    choice("评议等次", schema.StageRecord, "rating", "“民主评诺”必填"),
    choice("兑现情况", schema.StageRecord, "outcome", "“民主评诺”必填"),
    Column("未兑现的原因", "reason", about="未兑现时必填", width=24),
)  # fmt: skip
SHEET_COLUMNS: dict[str, Sequence[Column]] = {
    MEMBER_SHEET: MEMBER_COLUMNS,
    COMMITMENT_SHEET: COMMITMENT_COLUMNS,
    STEP_SHEET: STEP_COLUMNS,
}
_HOW = [
    PROTECTED_HOW,
    "新增记录请在表格末尾的空行填写；带下拉箭头的列只能从列表中选择；日期写成 2026-06-30。",
    "删除一行，导入后就删除这条记录（离开的党员不要删除，写明离开日期和原因）。上面的导出范围内"
    "不在表格中的记录都会被删除；范围以外的数据不受影响。",
    ROWS_HOW,
    "“承诺进度”每行是一项承诺的一步，同一项承诺的各步按“步骤序号”排列。",
]


# ------------------------------------------------------------------- export


def export_members(data_dir: Path, out: Path, branch: str | None = None) -> Exported:
    """Write the member roll of every branch (or of ``branch``) to ``out``."""
    dataset = load(data_dir)
    branches = branch_ids(dataset, MEMBERS.kinds)
    known_branch(branches, branch)
    recs = [r for r in in_files(dataset, "member") if branch in (None, r.branch)]
    rows = [row_of(MEMBER_COLUMNS, r.value, {"branch": r.branch}) for r in recs]
    write_book(
        out, dataset, MEMBERS, [(SCOPE_BRANCH, branch or EVERY)], SHEET_COLUMNS,
        {MEMBER_SHEET: rows}, _HOW, branches,
    )  # fmt: skip
    return Exported(len(rows), len({r.branch for r in recs}))


def export_commitments(
    data_dir: Path, out: Path, year: int | None = None, branch: str | None = None
) -> Exported:
    """Write one year's commitments (the latest by default) and their steps to ``out``."""
    dataset = load(data_dir)
    branches = branch_ids(dataset, COMMITMENTS.kinds)
    known_branch(branches, branch)
    if year is None:
        years = {int(r.year) for r in dataset.records.of("commitment").values() if r.year}
        year = latest_year(years | set(dataset.commitment_years), "承诺")
    recs = [
        r for r in in_files(dataset, "commitment")
        if r.year == year and branch in (None, r.branch)
    ]  # fmt: skip
    names = {m: s.name for m, s in dataset.members.items()}
    heads, steps = [], []
    for r in recs:
        c: schema.Commitment = r.value
        given = {"year": year, "branch": r.branch, "": names.get(c.member)}
        heads.append(row_of(COMMITMENT_COLUMNS, c, given))
        steps += [
            row_of(STEP_COLUMNS, step, {"commitment": c.id, "order": i})
            for i, step in enumerate(c.progress, start=1)
        ]
    scope = [(SCOPE_YEAR, year), (SCOPE_BRANCH, branch or EVERY)]
    rows = {COMMITMENT_SHEET: heads, STEP_SHEET: steps}
    write_book(out, dataset, COMMITMENTS, scope, SHEET_COLUMNS, rows, _HOW, branches)
    return Exported(len(heads), len({r.branch for r in recs}))


# ------------------------------------------------------------------- import


def import_members(workbook: Path, data_dir: Path) -> Imported:
    """Write the member roll in ``workbook`` back to ``data/members/*.yaml``."""
    return run_import(workbook, data_dir, MEMBERS, lambda d: SHEET_COLUMNS, _members)


def import_commitments(workbook: Path, data_dir: Path) -> Imported:
    """Write the commitment ledger in ``workbook`` back to ``data/commitments/<year>/``."""
    return run_import(workbook, data_dir, COMMITMENTS, lambda d: SHEET_COLUMNS, _commitments)


def _existing(dataset: Dataset, kind: str) -> dict[str, list[Any]]:
    by_file: dict[str, list[Any]] = defaultdict(list)
    for rec in in_files(dataset, kind):
        by_file[rec.file].append(rec.value)
    return by_file


# ---------------------------------------------------------------- members


def _members(dataset: Dataset, scope: Scope, tables: dict[str, Sheet]) -> list[File]:
    table = tables[MEMBER_SHEET]
    exported = {(str(r.branch), r.value.id) for r in dataset.records.of("member").values()}
    rows: dict[str, dict[str, tuple[schema.Member, int]]] = defaultdict(dict)
    for row in table.rows():
        values, bad = table.values(row)
        keyed = table.require(row, values, bad, BRANCH) & table.require(
            row, values, bad, "党员编号"
        )
        if not keyed:
            continue
        branch, member_id = values.pop("branch"), values["id"]
        if not branch_ok(table, row, branch, scope, "党员"):
            continue
        if member_id in rows[branch]:
            twice(
                table, row.number, "党员编号", f"党员“{member_id}”在党支部“{branch}”中",
                rows[branch][member_id][1], "；同一支部的每名党员只写一行",
            )  # fmt: skip
        elif table.protected(row) and (branch, member_id) not in exported:
            table.problem(row.number, "党员编号", retyped(member_id, "党员"))
        elif (member := table.model(row, schema.Member, values, bad)) is not None:
            rows[branch][member_id] = (member, row.number)
    existing = _existing(dataset, "member")
    covered = {rel.split("/")[1].removesuffix(".yaml") for rel in existing}
    branches = [scope.branch] if scope.branch else sorted(covered | set(rows))
    files = []
    for b in branches:
        rel, new = f"members/{b}.yaml", rows.get(b, {})
        old = existing.get(rel, [])
        keys = ordered([m.id for m in old], new)
        places = [new[k][1] for k in keys]
        files.append(File(
            rel,
            schema.MembersFile(branch=b, members=[new[k][0] for k in keys]) if keys else None,
            before(schema.MembersFile(branch=b, members=old)) if old else None,
            partial(_in_roll, places=places),
            f"党支部“{b}”",
        ))  # fmt: skip
    return files


def _in_roll(path: list[str | int], places: list[int]) -> tuple[str, int, str] | None:
    row = at(places, path[1]) if path[:1] == ["members"] and len(path) > 1 else None
    return None if row is None else (MEMBER_SHEET, row, name_of(path, 2))


# ------------------------------------------------------------ commitments


@dataclass
class _Head:
    """A well-written row of the commitment ledger, waiting for its steps."""

    values: dict[str, Any]
    row: Row
    year: int
    branch: str


# A step that lets the ledger's row be checked before its real steps are read.
_ANY_STEP = schema.StageRecord(stage="科学定诺", date=dt.date(2000, 1, 1), review="审核通过")
_Step = tuple[Decimal, schema.StageRecord, int]


def _commitments(dataset: Dataset, scope: Scope, tables: dict[str, Sheet]) -> list[File]:
    ledger = tables[COMMITMENT_SHEET]
    heads, named = _heads(dataset, ledger, scope)
    steps, broken = _steps(dataset, tables[STEP_SHEET], named)
    rows: dict[tuple[int, str], dict[str, tuple[schema.Commitment, int]]] = defaultdict(dict)
    step_rows: dict[str, list[int]] = {}
    for cid, head in heads.items():
        if cid in broken:  # its bad steps are reported; the rest would only follow from them
            continue
        progress = sorted(steps.get(cid, []), key=lambda s: s[0])
        if not progress:
            ledger.problem(
                head.row.number, "承诺编号",
                "这项承诺没有任何步骤：请在“承诺进度”中至少填写一步（科学定诺）",
            )  # fmt: skip
            continue
        values = {**head.values, "progress": [s[1] for s in progress]}
        rows[(head.year, head.branch)][cid] = (
            schema.Commitment.model_validate(values),
            head.row.number,
        )
        step_rows[cid] = [s[2] for s in progress]
    return _commitment_files(dataset, scope, rows, step_rows)


def _heads(dataset: Dataset, ledger: Sheet, scope: Scope) -> tuple[dict[str, _Head], set[str]]:
    """The ledger's well-written rows by commitment id; and every id it names."""
    exported = {
        r.value.id: {"year": r.year, "branch": r.branch, "member": r.value.member}
        for r in dataset.records.of("commitment").values()
    }
    heads: dict[str, _Head] = {}
    named: set[str] = set()
    for row in ledger.rows():
        values, bad = ledger.values(row)
        keyed = all([ledger.require(row, values, bad, c.header) for c in COMMITMENT_COLUMNS
                     if c.key])  # fmt: skip
        if not keyed:
            named |= {values["id"]} if "id" in values else set()
            continue
        cid, year, branch = values["id"], values.pop("year"), values.pop("branch")
        named.add(cid)
        if cid in heads:
            twice(ledger, row.number, "承诺编号", f"承诺编号“{cid}”", heads[cid].row.number,
                  "；编号必须唯一")  # fmt: skip
            continue
        ok = year_ok(ledger, row, scope, year, COMMITMENTS, "承诺")
        ok = ok and branch_ok(ledger, row, branch, scope, "承诺")
        ok = known_member(ledger, row, dataset, values["member"], "党员编号") and ok
        ok = _kept_keys(ledger, row, exported, {**values, "year": year, "branch": branch}) and ok
        checked = ledger.model(row, schema.Commitment, {**values, "progress": [_ANY_STEP]}, bad)
        if ok and checked is not None:
            heads[cid] = _Head(values, row, year, branch)
    return heads, named


def _kept_keys(
    ledger: Sheet, row: Row, exported: dict[str, dict[str, Any]], values: dict[str, Any]
) -> bool:
    """A protected (exported) row keeps its id, year, branch and member as exported."""
    cid = values["id"]
    if not ledger.protected(row):
        return True
    if cid not in exported:
        ledger.problem(row.number, "承诺编号", retyped(cid, "承诺"))
        return False
    ok = True
    for column in COMMITMENT_COLUMNS:
        was = exported[cid].get(column.field)
        if column.key and column.field != "id" and values[column.field] != was:
            ledger.problem(
                row.number, column.header,
                f"这一列受保护，已有承诺的{column.header}不能修改（导出时是“{was}”）；"
                "确需修改，请删除这一行并在末尾新增一项承诺",
            )  # fmt: skip
            ok = False
    return ok


def _steps(
    dataset: Dataset, table: Sheet, named: set[str]
) -> tuple[dict[str, list[_Step]], set[str]]:
    """Each commitment's steps, and the commitments with a step that is badly written."""
    exported = {r.value.id for r in dataset.records.of("commitment").values()}
    steps: dict[str, list[_Step]] = defaultdict(list)
    orders: dict[tuple[str, Decimal], int] = {}
    broken: set[str] = set()
    for row in table.rows():
        values, bad = table.values(row)
        keyed = table.require(row, values, bad, "承诺编号") & table.require(
            row, values, bad, "步骤序号"
        )
        cid, order = values.pop("commitment", None), values.pop("order", None)
        step = table.model(row, schema.StageRecord, values, bad)
        if not keyed or cid is None or order is None:
            broken |= {cid} if cid else set()
            continue
        if table.protected(row) and cid not in exported:
            table.problem(row.number, "承诺编号", retyped(cid, "承诺"))
        elif cid not in named:
            table.problem(
                row.number, "承诺编号",
                f"“承诺台账”中没有承诺“{cid}”；每一步都要属于台账中的一项承诺"
                "（删除承诺时请同时删除它的各步）",
            )  # fmt: skip
        elif (cid, order) in orders:
            twice(table, row.number, "步骤序号", f"承诺“{cid}”的步骤序号 {order} ",
                  orders[(cid, order)])  # fmt: skip
        elif step is not None:
            orders[(cid, order)] = row.number
            steps[cid].append((order, step, row.number))
            continue
        broken.add(cid)
    return steps, broken


def _commitment_files(
    dataset: Dataset, scope: Scope,
    rows: dict[tuple[int, str], dict[str, tuple[schema.Commitment, int]]],
    step_rows: dict[str, list[int]],
) -> list[File]:  # fmt: skip
    existing = _existing(dataset, "commitment")
    places = {(int(parts[1]), parts[2].removesuffix(".yaml")) for parts in
              (rel.split("/") for rel in existing)}  # fmt: skip
    wanted = sorted(
        (y, b) for y, b in places | set(rows) if y == scope.year and scope.branch in (None, b)
    )
    files = []
    for year, branch in wanted:
        rel, new = f"commitments/{year}/{branch}.yaml", rows.get((year, branch), {})
        old = existing.get(rel, [])
        keys = ordered([c.id for c in old], new)
        heads, steps = [new[k][1] for k in keys], [step_rows[k] for k in keys]
        model = schema.CommitmentsFile(
            branch=branch, year=year, commitments=[new[k][0] for k in keys]
        )
        was = schema.CommitmentsFile(branch=branch, year=year, commitments=old)
        files.append(File(
            rel, model if keys else None, before(was) if old else None,
            partial(_in_ledger, heads=heads, steps=steps),
            f"党支部“{branch}”",
        ))  # fmt: skip
    return files


def _in_ledger(
    path: list[str | int], heads: list[int], steps: list[list[int]]
) -> tuple[str, int, str] | None:
    if path[:1] != ["commitments"] or len(path) < 2 or at(heads, path[1]) is None:
        return None
    index = path[1]
    assert isinstance(index, int)
    if path[2:3] != ["progress"] or len(path) == 3:
        return COMMITMENT_SHEET, heads[index - 1], name_of(path, 2)
    row = at(steps[index - 1], path[3]) if len(path) > 3 else None
    return None if row is None else (STEP_SHEET, row, name_of(path, 4))
