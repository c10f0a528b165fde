"""The office's Excel ledgers (台账): the member roll and the commitment ledger, out
to a workbook and back into YAML.

Offices keep their rolls in Excel. ``board export-members`` / ``export-commitments``
write every field of every record (internal ones too: the workbooks are the office's
own, never published; their 说明 sheet says so), and ``import-members`` /
``import-commitments`` read them back. The guarantees:

* Export then import changes nothing, byte for byte: only files whose records changed
  are written (a file with comments the workbook did not touch stays as it is), and
  what is written is the canonical layout (``writer.py``).
* Every bad cell is reported at once, by sheet, row and column, in Chinese; then the
  whole dataset with the new files is loaded by the normal loader in a temporary copy,
  and its problems in the imported files are reported by row and column too. On any
  problem nothing is written.
* Ids cannot be typed over by accident: exported id cells are locked and carry the
  style ``受保护``, and a protected row whose key is not in the data is refused.
* A workbook covers a scope (all branches or one; for commitments, one year), written
  on its 说明 sheet: a record of the scope missing from the workbook was deleted there.

Commitment steps (``progress``) are a second sheet, 承诺进度, one row per step keyed
by the commitment id and ordered by 步骤序号, so every ``StageRecord`` field has its
own column and a commitment may have any number of steps.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
import warnings
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import load_workbook  # type: ignore[import-untyped]
from pydantic import BaseModel

from generator.errors import BoardError, DataError
from generator.files import write_atomically
from generator.model import schema
from generator.model.checks.base import missing_ref
from generator.model.dataset import Dataset
from generator.model.loading import load_dataset
from generator.model.messages import did_you_mean
from generator.model.sheets import (
    GUIDE_SHEET,
    OPTIONS_SHEET,
    Book,
    CellProblem,
    Column,
    Row,
    Sheet,
    SheetError,
    Table,
    literals,
)
from generator.model.writer import plain, record_text, write_text_atomically

MEMBER_SHEET, COMMITMENT_SHEET, STEP_SHEET = "党员名册", "承诺台账", "承诺进度"
SCOPE_BRANCH, SCOPE_YEAR, EVERY = "导出党支部", "导出年度", "全部"
BRANCH, YEAR = "党支部编号", "年度"


def _choice(header: str, model: type[BaseModel], name: str, about: str = "") -> Column:
    return Column(header, name, "choice", about, choices=literals(model, name))


MEMBER_COLUMNS = (
    Column(BRANCH, "branch", "id", "党员所在的党支部（文件 members/<编号>.yaml）", True,
           branches=True),
    Column("党员编号", "id", "id", "全部数据中唯一，如 m0001；公司内调动时两个支部用同一编号",
           True),
    Column("姓名", "name", about="必填"),
    Column("岗位", "post", about="必填，如“变电运维工”", width=20),
    _choice("党内职务", schema.Member, "role", "下拉选择；不填为“党员”"),
    Column("党小组编号", "group", "id", "本支部的党小组编号（见组织文件）", width=18),
    Column("转入日期", "joined_on", "date", "从其他支部调入、新发展或从公司外转入的日期"),
    Column("离开日期", "left_on", "date", "组织关系转出、退休、去世的日期；离开的党员不要删除"),
    _choice("离开原因", schema.Member, "left_reason", "写了离开日期时必填"),
    Column("调往支部编号", "moved_to", "id", "公司内调动时调入的党支部；只在“调出”时填写",
           branches=True, width=18),
)  # fmt: skip
COMMITMENT_COLUMNS = (
    Column(YEAR, "year", "year", "承诺所属的年度（文件 commitments/<年度>/<支部>.yaml）", True),
    Column(BRANCH, "branch", "id", "承诺党员所在的党支部", True, branches=True),
    Column("承诺编号", "id", "id", "全部数据中唯一，如 c2026-m0001-gw", True, width=22),
    Column("党员编号", "member", "id", "作出承诺的党员", True),
    Column("党员姓名", "", "shown", "只供查看，导入时不读取"),
    _choice("承诺类型", schema.Commitment, "kind", "下拉选择"),
    Column("承诺内容", "text", about="必填", width=40),
    Column("可衡量的目标", "target", about="建议填写", width=30),
    Column("完成时限", "deadline", "date", "建议填写"),
    Column("验收人", "verifier", about="建议填写，写职务", width=16),
)  # fmt: skip
STEP_COLUMNS = (
    Column("承诺编号", "commitment", "id", "这一步属于“承诺台账”中的哪一项承诺", True, width=22),
    Column("步骤序号", "order", "order", "同一项承诺的各步按序号排列；插在两步之间可写 2.5"),
    _choice("步骤", schema.StageRecord, "stage", "下拉选择"),
    Column("日期", "date", "date", "必填，不早于上一步"),
    Column("备注", "note", about="任何步骤都可以写", width=24),
    _choice("支部审核结果", schema.StageRecord, "review", "“科学定诺”必填"),
    Column("履责情况和佐证", "evidence", about="只用于“履责践诺”", width=30),
    Column("督诺发现的情况", "finding", about="只用于“定期督诺”", width=30),
    _choice("评议等次", schema.StageRecord, "rating", "“民主评诺”必填"),
    _choice("兑现情况", schema.StageRecord, "outcome", "“民主评诺”必填"),
    Column("未兑现的原因", "reason", about="未兑现时必填", width=24),
)  # fmt: skip
SHEET_COLUMNS = {
    MEMBER_SHEET: MEMBER_COLUMNS,
    COMMITMENT_SHEET: COMMITMENT_COLUMNS,
    STEP_SHEET: STEP_COLUMNS,
}


@dataclass(frozen=True)
class Exported:
    rows: int
    branches: int


@dataclass(frozen=True)
class Imported:
    written: list[Path]
    unchanged: int


# ------------------------------------------------------------------- export


def export_members(data_dir: Path, out: Path, branch: str | None = None) -> Exported:
    """Write the member roll of every branch (or of ``branch``) to ``out``."""
    dataset = _load(data_dir)
    _known_branch(dataset, branch)
    recs = [r for r in _in_files(dataset, "member") if branch in (None, r.branch)]
    rows = [_row(MEMBER_COLUMNS, r.value, {"branch": r.branch}) for r in recs]
    book = Book()
    _guide(book, dataset, "党员名册", [(SCOPE_BRANCH, branch or EVERY)], [MEMBER_SHEET])
    _sheet(book, dataset, MEMBER_SHEET, MEMBER_COLUMNS, rows)
    write_atomically(out, book.bytes())
    return Exported(len(rows), len({r.branch for r in recs}))


def export_commitments(
    data_dir: Path, out: Path, year: int | None = None, branch: str | None = None
) -> Exported:
    """Write one year's commitments (the latest by default) and their steps to ``out``."""
    dataset = _load(data_dir)
    _known_branch(dataset, branch)
    year = year if year is not None else _latest_year(dataset)
    recs = [
        r for r in _in_files(dataset, "commitment")
        if r.year == year and branch in (None, r.branch)
    ]  # fmt: skip
    names = {m: s.name for m, s in dataset.members.items()}
    heads, steps = [], []
    for r in recs:
        c: schema.Commitment = r.value
        given = {"year": year, "branch": r.branch, "": names.get(c.member)}
        heads.append(_row(COMMITMENT_COLUMNS, c, given))
        steps += [
            _row(STEP_COLUMNS, step, {"commitment": c.id, "order": i})
            for i, step in enumerate(c.progress, start=1)
        ]
    scope = [(SCOPE_YEAR, year), (SCOPE_BRANCH, branch or EVERY)]
    book = Book()
    _guide(book, dataset, "承诺台账", scope, [COMMITMENT_SHEET, STEP_SHEET])
    _sheet(book, dataset, COMMITMENT_SHEET, COMMITMENT_COLUMNS, heads)
    _sheet(book, dataset, STEP_SHEET, STEP_COLUMNS, steps)
    write_atomically(out, book.bytes())
    return Exported(len(heads), len({r.branch for r in recs}))


def _load(data_dir: Path) -> Dataset:
    return load_dataset(data_dir, shown_root=data_dir.as_posix().rstrip("/"))


def _in_files(dataset: Dataset, kind: str) -> list[Any]:
    """The records of ``kind``, file by file (in path order), each file in its order."""
    by_file: dict[str, list[Any]] = defaultdict(list)
    for rec in dataset.records.of(kind).values():
        by_file[rec.file].append(rec)
    return [rec for rel in sorted(by_file) for rec in by_file[rel]]


def _branch_ids(dataset: Dataset) -> list[str]:
    """The branches records may be filed under: every 党支部, and any other organization
    that already has a members or commitments file (so its rows round-trip too)."""
    branches = [b.id for b in dataset.branches]
    filed = {r.branch for k in ("member", "commitment") for r in dataset.records.of(k).values()}
    return branches + sorted(str(b) for b in filed if b and b not in branches)


def _known_branch(dataset: Dataset, branch: str | None) -> None:
    branches = _branch_ids(dataset)
    if branch is not None and branch not in branches:
        raise BoardError(missing_ref("党支部", branch, branches))


def _latest_year(dataset: Dataset) -> int:
    years = {int(r.year) for r in dataset.records.of("commitment").values() if r.year}
    years |= {y.year for y in dataset.records.values("commitment_year")}
    if not years:
        raise BoardError("数据中还没有任何年度的承诺；请用 --year 指定要导出的年度（得到空白台账）")
    return max(years)


def _row(columns: tuple[Column, ...], record: Any, given: dict[str, Any]) -> list[Any]:
    """A record's cells: its fields (dates as 2026-06-30 text), or the values ``given``
    for the columns that are not its own (branch, year, the member's name...)."""
    values = [given[c.field] if c.field in given else getattr(record, c.field) for c in columns]
    return [v.isoformat() if isinstance(v, dt.date) else v for v in values]


def _sheet(
    book: Book, dataset: Dataset, name: str, columns: tuple[Column, ...], rows: list[list[Any]]
) -> None:
    table = Table(
        name, [c.header for c in columns], rows,
        locked=frozenset(c.header for c in columns if c.key or c.kind == "shown"),
        texts=frozenset(c.header for c in columns if c.kind not in ("year", "order")),
        widths={c.header: c.width for c in columns},
    )  # fmt: skip
    sheet = book.table(table)
    for c in columns:
        if c.choices:
            book.dropdown(sheet, c.header, c.choices, c.header)
        elif c.branches:
            book.dropdown(sheet, c.header, _branch_ids(dataset), BRANCH)


def _guide(
    book: Book, dataset: Dataset, title: str, scope: list[tuple[str, Any]], sheets: list[str]
) -> None:
    """The 说明 sheet: what the workbook is, that it is internal, its scope (the import
    reads it), every column and how to edit and import."""
    internal = [f for f in dataset.site.privacy.internal
                if f.split(".")[0] in ("Member", "Commitment", "StageRecord")]  # fmt: skip
    verb = "import-members" if title == "党员名册" else "import-commitments"
    lines: list[list[Any]] = [
        [f"{dataset.site.company} {title}"],
        ["内部资料：本工作簿包含全部字段，包括 site.yaml 中设为内部、不公示的字段"
         + (f"（{'、'.join(internal)}）" if internal else "")
         + "。只供党建工作部门内部使用，不公开、不上传到公示栏、不外发。"],
        [],
        *([label, value] for label, value in scope),
        [],
        ["工作表", "列名", "说明"],
        *([sheet, c.header, c.about] for sheet in sheets for c in SHEET_COLUMNS[sheet]),
        [],
        ["修改与导入"],
        *([line] for line in _HOW),
        [f"导入：board {verb} 本文件.xlsx [--data 数据目录]；有任何问题时按“工作表、行、列”"
         "逐条列出，不写入任何文件；导入后请运行 board check 并提交合并请求。"],
    ]  # fmt: skip
    book.notes(GUIDE_SHEET, lines, [16, 20, 70])


_HOW = [
    "灰色单元格是导出时的编号，受工作表保护，不能修改（其他记录按编号引用它们）；其余单元格"
    "可以直接修改。工作表保护没有密码：确需删除行时，点“审阅 → 撤销工作表保护”。",
    "新增记录请在表格末尾的空行填写；带下拉箭头的列只能从列表中选择；日期写成 2026-06-30。",
    "删除一行，导入后就删除这条记录（离开的党员不要删除，写明离开日期和原因）。上面的导出范围内"
    "不在表格中的记录都会被删除；范围以外的数据不受影响。",
    "行的先后顺序不影响导入：已有的记录保持数据文件中的顺序，新增的记录排在后面。导入只改写"
    "内容有变化的文件，其他文件（包括其中的注释）保持不变。",
    "“承诺进度”每行是一项承诺的一步，同一项承诺的各步按“步骤序号”排列。",
]


# ------------------------------------------------------------------- import


def import_members(workbook: Path, data_dir: Path) -> Imported:
    """Write the member roll in ``workbook`` back to ``data/members/*.yaml``."""
    return _import(workbook, data_dir, "member")


def import_commitments(workbook: Path, data_dir: Path) -> Imported:
    """Write the commitment ledger in ``workbook`` back to ``data/commitments/<year>/``."""
    return _import(workbook, data_dir, "commitment")


@dataclass
class _File:
    """A data file as the workbook has it: its records and the sheet row of each."""

    rel: str
    model: BaseModel
    records: list[Any]
    rows: list[int]
    steps: list[list[int]] = field(default_factory=list)  # per commitment, its steps' rows


def _import(workbook: Path, data_dir: Path, kind: str) -> Imported:
    dataset = _load(data_dir)
    book = _open(workbook)
    problems: list[CellProblem] = []
    sheets = (MEMBER_SHEET,) if kind == "member" else (COMMITMENT_SHEET, STEP_SHEET)
    _require_sheets(book, (GUIDE_SHEET, *sheets), kind, problems)
    if problems:
        raise SheetError(workbook.name, problems)
    tables = {name: Sheet(book, name, SHEET_COLUMNS[name], problems) for name in sheets}
    scope = _scope(book, dataset, kind, problems)
    plan = _members if kind == "member" else _commitments
    files = plan(dataset, tables, scope)
    existing = _existing(dataset, kind)
    _no_emptied_files(files, existing, sheets[0], problems)
    if problems:
        raise SheetError(workbook.name, problems)
    changed = [f for f in files if _values(f.records) != _values(existing.get(f.rel, []))]
    _check_with_data(data_dir, changed, tables, workbook.name)
    for f in changed:
        write_text_atomically(data_dir / f.rel, record_text(f.model))
    return Imported([data_dir / f.rel for f in changed], len(files) - len(changed))


def _no_emptied_files(
    files: list[_File], existing: dict[str, list[Any]], sheet: str, problems: list[CellProblem]
) -> None:
    """A branch whose rows are all gone is more likely a slip (a filter, a wrong sheet)
    than a wish to empty its file: the import never does that."""
    for f in files:
        if not f.records and existing.get(f.rel):
            branch = getattr(f.model, "branch", "")
            problems.append(CellProblem(sheet, 1, "", "", (
                f"党支部“{branch}”的行全部删除了：导入不会清空整个文件；确需删除，"
                f"请直接删除数据目录中的 {f.rel}"
            )))  # fmt: skip


def _open(workbook: Path) -> Any:
    try:
        with warnings.catch_warnings():  # Excel's extensions openpyxl does not keep
            warnings.simplefilter("ignore")
            return load_workbook(workbook)  # not read-only: cell styles are read
    except FileNotFoundError:
        raise BoardError(f"找不到文件 {workbook}") from None
    except Exception as exc:  # openpyxl raises many types for a non-workbook
        raise BoardError(f"{workbook.name} 不是有效的 Excel 工作簿（.xlsx）：{exc}") from None


def _require_sheets(
    book: Any, wanted: tuple[str, ...], kind: str, problems: list[CellProblem]
) -> None:
    """Every sheet the import reads is there; a misspelt name is answered with a hint,
    and the other ledger given to the wrong verb is named."""
    names = list(book.sheetnames)
    unknown = [n for n in names if n not in (*SHEET_COLUMNS, GUIDE_SHEET, OPTIONS_SHEET)]
    title, other = ("党员名册", "承诺台账") if kind == "member" else ("承诺台账", "党员名册")
    export, verb = ("export-members", "import-commitments")
    if kind != "member":
        export, verb = ("export-commitments", "import-members")
    for sheet in wanted:
        close = [u for u in unknown if did_you_mean(u, [sheet])]
        if sheet in names:
            continue
        if close:
            message = f"不认识的工作表“{close[0]}”{did_you_mean(close[0], [sheet])}"
            problems.append(
                CellProblem(
                    close[0], 1, "", "", f"{message}；{title}应有工作表：{'、'.join(wanted)}"
                )
            )
            continue
        wrong = any(s in names for s in SHEET_COLUMNS if s not in wanted)
        hint = f"（这是{other}，请用 board {verb} 导入）" if wrong else ""
        problems.append(
            CellProblem(
                sheet, 1, "", "", f"缺少工作表“{sheet}”{hint}；请使用 board {export} 导出的工作簿"
            )
        )


@dataclass(frozen=True)
class _Scope:
    """What the workbook covers, and the branches its rows may name."""

    branch: str | None  # None: every branch
    year: int | None
    branches: list[str]


def _scope(book: Any, dataset: Dataset, kind: str, problems: list[CellProblem]) -> _Scope:
    """The scope written on the 说明 sheet at export: the files the workbook covers."""
    cells: dict[str, Any] = {}
    for row in book[GUIDE_SHEET].iter_rows(max_col=2):
        label = row[0].value
        if isinstance(label, str) and label.strip() in (SCOPE_BRANCH, SCOPE_YEAR):
            cells[label.strip()] = row[1].value if len(row) > 1 else None

    def bad(message: str) -> None:
        problems.append(
            CellProblem(GUIDE_SHEET, 1, "", "", f"{message}；请使用 board 导出的工作簿")
        )

    branches = _branch_ids(dataset)
    value = cells.get(SCOPE_BRANCH)
    branch = None if value == EVERY else str(value or "").strip()
    if branch is not None and branch not in branches:
        bad(f"“{SCOPE_BRANCH}”应为“{EVERY}”或一个党支部编号，实际是“{value or ''}”")
    if kind == "member":
        return _Scope(branch, None, branches)
    year = cells.get(SCOPE_YEAR)
    if not isinstance(year, int) or isinstance(year, bool):
        bad(f"“{SCOPE_YEAR}”应为年份，实际是“{year or ''}”")
        year = None
    return _Scope(branch, year, branches)


def _existing(dataset: Dataset, kind: str) -> dict[str, list[Any]]:
    by_file: dict[str, list[Any]] = defaultdict(list)
    for rec in _in_files(dataset, kind):
        by_file[rec.file].append(rec.value)
    return by_file


def _values(records: list[Any]) -> list[dict[str, Any]]:
    return [plain(r) for r in records]


def _file(rel: str, model: Any, old: list[Any], new: dict[str, tuple[Any, int]]) -> _File:
    """The file ``rel`` as the workbook has it: its records still in the workbook, in the
    file's order, then the new ones in the workbook's order (sorting rows changes nothing)."""
    kept = [r.id for r in old if r.id in new]
    keys = kept + [key for key in new if key not in set(kept)]
    records = [new[k][0] for k in keys]
    return _File(rel, model(records), records, [new[k][1] for k in keys])


def _retyped(value: str, what: str) -> str:
    return (
        f"“{value}”不是导出时的编号：编号列受保护，已有{what}的编号不能修改（其他记录按编号"
        f"引用它）；新增{what}请在表格末尾的空行填写"
    )


def _branch_ok(table: Sheet, row: Row, branch: str, scope: _Scope, what: str) -> bool:
    if branch not in scope.branches:
        table.problem(row.number, BRANCH, missing_ref("党支部", branch, scope.branches))
        return False
    if scope.branch and branch != scope.branch:
        table.problem(
            row.number, BRANCH,
            f"本工作簿只含党支部“{scope.branch}”的{what}（导出时指定了 --branch），"
            f"不能导入“{branch}”的{what}；请导出该支部的台账",
        )  # fmt: skip
        return False
    return True


# ---------------------------------------------------------------- members


def _members(dataset: Dataset, tables: dict[str, Sheet], scope: _Scope) -> list[_File]:
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
        if not _branch_ok(table, row, branch, scope, "党员"):
            continue
        if member_id in rows[branch]:
            table.problem(
                row.number, "党员编号",
                f"党员“{member_id}”在党支部“{branch}”中出现了两次（第 {rows[branch][member_id][1]}"
                " 行已有）；同一支部的每名党员只写一行",
            )  # fmt: skip
        elif table.protected(row) and (branch, member_id) not in exported:
            table.problem(row.number, "党员编号", _retyped(member_id, "党员"))
        elif (member := table.model(row, schema.Member, values, bad)) is not None:
            rows[branch][member_id] = (member, row.number)
    existing = _existing(dataset, "member")
    covered = {rel.split("/")[1].removesuffix(".yaml") for rel in existing}
    branches = [scope.branch] if scope.branch else sorted(covered | set(rows))
    return [
        _file(
            f"members/{b}.yaml", lambda ms, b=b: schema.MembersFile(branch=b, members=ms),
            existing.get(f"members/{b}.yaml", []), rows.get(b, {}),
        )
        for b in branches
    ]  # fmt: skip


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


def _commitments(dataset: Dataset, tables: dict[str, Sheet], scope: _Scope) -> list[_File]:
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


def _heads(dataset: Dataset, ledger: Sheet, scope: _Scope) -> tuple[dict[str, _Head], set[str]]:
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
            ledger.problem(
                row.number, "承诺编号",
                f"承诺编号“{cid}”出现了两次（第 {heads[cid].row.number} 行已有）；编号必须唯一",
            )  # fmt: skip
            continue
        ok = _in_scope(ledger, row, scope, year, branch)
        ok = _known_member(ledger, row, dataset, values["member"]) and ok
        ok = _kept_keys(ledger, row, exported, {**values, "year": year, "branch": branch}) and ok
        checked = ledger.model(row, schema.Commitment, {**values, "progress": [_ANY_STEP]}, bad)
        if ok and checked is not None:
            heads[cid] = _Head(values, row, year, branch)
    return heads, named


def _in_scope(ledger: Sheet, row: Row, scope: _Scope, year: int, branch: str) -> bool:
    if scope.year is not None and year != scope.year:
        ledger.problem(
            row.number, YEAR,
            f"本工作簿是 {scope.year} 年度的承诺台账，不能导入 {year} 年度的承诺；"
            f"请用 board export-commitments --year {year} 导出该年度的台账",
        )  # fmt: skip
        return False
    return _branch_ok(ledger, row, branch, scope, "承诺")


def _known_member(ledger: Sheet, row: Row, dataset: Dataset, member: str) -> bool:
    if member in dataset.stints:
        return True
    message = missing_ref("党员", member, list(dataset.stints))
    ledger.problem(row.number, "党员编号", f"{message}；请先在党员名册中添加这名党员")
    return False


def _kept_keys(
    ledger: Sheet, row: Row, exported: dict[str, dict[str, Any]], values: dict[str, Any]
) -> bool:
    """A protected (exported) row keeps its id, year, branch and member as exported."""
    cid = values["id"]
    if not ledger.protected(row):
        return True
    if cid not in exported:
        ledger.problem(row.number, "承诺编号", _retyped(cid, "承诺"))
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
            table.problem(row.number, "承诺编号", _retyped(cid, "承诺"))
        elif cid not in named:
            table.problem(
                row.number, "承诺编号",
                f"“承诺台账”中没有承诺“{cid}”；每一步都要属于台账中的一项承诺"
                "（删除承诺时请同时删除它的各步）",
            )  # fmt: skip
        elif (cid, order) in orders:
            table.problem(
                row.number, "步骤序号",
                f"承诺“{cid}”的步骤序号 {order} 出现了两次（第 {orders[(cid, order)]} 行已有）",
            )  # fmt: skip
        elif step is not None:
            orders[(cid, order)] = row.number
            steps[cid].append((order, step, row.number))
            continue
        broken.add(cid)
    return steps, broken


def _commitment_files(
    dataset: Dataset, scope: _Scope,
    rows: dict[tuple[int, str], dict[str, tuple[schema.Commitment, int]]],
    step_rows: dict[str, list[int]],
) -> list[_File]:  # fmt: skip
    existing = _existing(dataset, "commitment")
    places = {(int(parts[1]), parts[2].removesuffix(".yaml")) for parts in
              (rel.split("/") for rel in existing)}  # fmt: skip
    wanted = sorted(
        (y, b) for y, b in places | set(rows) if y == scope.year and scope.branch in (None, b)
    )
    files = []
    for year, branch in wanted:
        rel = f"commitments/{year}/{branch}.yaml"
        f = _file(
            rel,
            lambda cs, y=year, b=branch: schema.CommitmentsFile(branch=b, year=y, commitments=cs),
            existing.get(rel, []),
            rows.get((year, branch), {}),
        )
        f.steps = [step_rows[r.id] for r in f.records]
        files.append(f)
    return files


# ------------------------------------------------------ the loader's verdict


_PLACE = re.compile(r"(?:members|commitments)\[(\d+)\](?:\.progress\[(\d+)\])?(?:\.(\w+))?")


def _check_with_data(
    data_dir: Path, changed: list[_File], tables: dict[str, Sheet], workbook: str
) -> None:
    """Load the data as it would be after the import; refuse if anything breaks, with
    the problems of the imported files put back in their rows and columns."""
    if not changed:
        return
    root = data_dir.as_posix().rstrip("/")
    with tempfile.TemporaryDirectory() as tmp:
        trial = Path(tmp) / "data"
        shutil.copytree(data_dir, trial)
        for f in changed:
            (trial / f.rel).parent.mkdir(parents=True, exist_ok=True)
            (trial / f.rel).write_text(record_text(f.model), encoding="utf-8")
        try:
            load_dataset(trial, shown_root=root)
        except DataError as exc:
            files = {f"{root}/{f.rel}": f for f in changed}
            cells: list[CellProblem] = []
            notes = [str(p) for p in exc.problems if not _put_back(p, files, tables, cells)]
            raise SheetError(workbook, cells, notes) from None


def _put_back(
    problem: Any, files: dict[str, _File], tables: dict[str, Sheet], out: list[CellProblem]
) -> bool:
    """A loader's problem in an imported file, said at its sheet, row and column."""
    f = files.get(problem.file)
    match = _PLACE.fullmatch(problem.field) if f is not None else None
    if f is None or match is None:
        return False
    index, step, name = int(match[1]) - 1, match[2], match[3] or ""  # items count from 1
    if index >= len(f.rows) or (step is not None and int(step) > len(f.steps[index])):
        return False
    if f.rel.startswith("members/"):
        sheet, row = MEMBER_SHEET, f.rows[index]
    elif step is None:
        sheet, row = COMMITMENT_SHEET, f.rows[index]
    else:
        sheet, row = STEP_SHEET, f.steps[index][int(step) - 1]
    table = tables[sheet]
    header = next((c.header for c in table.columns.values() if c.field == name), None)
    out.append(table.cell_problem(row, header, problem.message))
    return True
