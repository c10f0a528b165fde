"""What every Excel ledger (台账) shares: the layout of its 说明 sheet, how a sheet is
written from records, and how a workbook comes back: sheets and scope checked, the
files it describes compared with the data, the whole dataset checked in a temporary
copy with the new files, and only then the changed files written.

A ledger module (``roll.py``, ``comparisons.py``...) says which records go in which
rows and how rows become files again; the guarantees are kept here, once:

* Export then import changes nothing, byte for byte: only files whose records changed
  are written, in the canonical layout (``writer.py``).
* Every bad cell is reported at once, by sheet, row and column, in Chinese; the
  loader's problems in the imported files are put back in their rows and columns
  (each ``File`` knows where its parts came from). On any problem nothing is written.
* A workbook covers a scope written on its 说明 sheet; a file of the scope that the
  workbook leaves empty is never emptied.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
import warnings
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import load_workbook  # type: ignore[import-untyped]
from pydantic import BaseModel

from generator.errors import BoardError, DataError
from generator.files import write_atomically
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

BRANCH, YEAR, QUARTER = "党支部编号", "年度", "季度"
SCOPE_BRANCH, SCOPE_YEAR, SCOPE_QUARTER, EVERY = "导出党支部", "导出年度", "导出季度", "全部"
YES, NO = "是", "否"


@dataclass(frozen=True)
class Ledger:
    """One kind of workbook: its name, the sheets its import reads, its two verbs, the
    models whose fields it holds (for the internal fields the 说明 names), the scope
    its 说明 carries and the record kinds whose files it writes (a file of these may sit
    under an organization that is not a 党支部: its rows round-trip too)."""

    title: str
    sheets: tuple[str, ...]
    verb: str  # "members": export-members, import-members
    models: tuple[str, ...]
    scope: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    usage: str = "[--data 数据目录]"  # the import's options, for the 说明

    @property
    def export_verb(self) -> str:
        return f"export-{self.verb}"

    @property
    def import_verb(self) -> str:
        return f"import-{self.verb}"


ROLL = ("member", "commitment")  # a member's branch and their commitments' are one list
MEMBERS = Ledger("党员名册", ("党员名册",), "members", ("Member",), (SCOPE_BRANCH,), ROLL)
COMMITMENTS = Ledger(
    "承诺台账", ("承诺台账", "承诺进度"), "commitments", ("Commitment", "StageRecord"),
    (SCOPE_YEAR, SCOPE_BRANCH), ROLL,
)  # fmt: skip
COMPARISONS = Ledger(
    "三比三看", ("三比三看",), "comparisons", ("ComparisonFile", "Comparison"),
    (SCOPE_YEAR, SCOPE_BRANCH), ("comparison",),
)  # fmt: skip
STARS = Ledger(
    "星级党支部", ("星级评定", "评定标准", "班组星级"), "stars",
    ("StarRating", "StarCriterion", "TeamRating"), (SCOPE_YEAR, SCOPE_BRANCH), ("star",),
)  # fmt: skip
PROBLEMS = Ledger(
    "整改台账", ("整改台账",), "problems", ("Deduction",), (SCOPE_QUARTER, SCOPE_BRANCH),
    ("assessment",),
)  # fmt: skip
INDICATORS = Ledger(
    "指标红榜", ("指标红榜", "通报"), "indicators", ("IndicatorsFile", "Indicator"),
    usage="[--quarter 季度] [--data 数据目录]",
)  # fmt: skip
LEDGERS = (MEMBERS, COMMITMENTS, COMPARISONS, STARS, PROBLEMS, INDICATORS)


@dataclass(frozen=True)
class Exported:
    rows: int
    branches: int  # the branches (for 指标红榜: units) the rows belong to


@dataclass(frozen=True)
class Imported:
    written: list[Path]
    unchanged: int


# ------------------------------------------------------------------- export


def load(data_dir: Path) -> Dataset:
    return load_dataset(data_dir, shown_root=data_dir.as_posix().rstrip("/"))


def in_files(dataset: Dataset, kind: str) -> list[Any]:
    """The records of ``kind``, file by file (in path order), each file in its order."""
    by_file: dict[str, list[Any]] = defaultdict(list)
    for rec in dataset.records.of(kind).values():
        by_file[rec.file].append(rec)
    return [rec for rel in sorted(by_file) for rec in by_file[rel]]


def branch_ids(dataset: Dataset, kinds: Iterable[str]) -> list[str]:
    """The branches records may be filed under: every 党支部, and any other organization
    that already has a file of these ``kinds`` (so its rows round-trip too)."""
    branches = [b.id for b in dataset.branches]
    filed = {r.branch for k in kinds for r in dataset.records.of(k).values()}
    return branches + sorted(str(b) for b in filed if b and b not in branches)


def known_branch(branches: list[str], branch: str | None, org: str = "党支部") -> None:
    if branch is not None and branch not in branches:
        raise BoardError(missing_ref(org, branch, branches))


def latest_year(years: Iterable[int], what: str) -> int:
    found = set(years)
    if not found:
        raise BoardError(
            f"数据中还没有任何年度的{what}；请用 --year 指定要导出的年度（得到空白台账）"
        )
    return max(found)


def cell_value(value: Any) -> Any:
    """A value as its cell holds it: dates as 2026-06-30 text, yes or no as 是/否."""
    if isinstance(value, bool):
        return YES if value else NO
    return value.isoformat() if isinstance(value, dt.date) else value


def row_of(columns: Sequence[Column], record: Any, given: dict[str, Any]) -> list[Any]:
    """A record's cells: its fields, or the values ``given`` for the columns that are
    not its own (branch, year, the member's name...). A number from a dropdown's list
    (星级 4) is its text, as the list has it: what Excel's dropdown enters and accepts."""
    cells = []
    for c in columns:
        value = cell_value(given[c.field] if c.field in given else getattr(record, c.field, None))
        cells.append(str(value) if c.choices and isinstance(value, int) else value)
    return cells


_NUMBERS = ("year", "order", "int", "number")


def choice(header: str, model: type[BaseModel], name: str, about: str = "") -> Column:
    """A column of a ``Literal`` field: a dropdown of the values it may take."""
    return Column(header, name, "choice", about, choices=literals(model, name))


def write_sheet(
    book: Book, name: str, columns: Sequence[Column], rows: list[list[Any]],
    branches: Sequence[str] = (), open_cells: frozenset[tuple[int, str]] = frozenset(),
) -> Any:  # fmt: skip
    """A sheet of ``rows`` under ``columns``: key, shown and locked columns protected in
    the rows written (but ``open_cells``), dropdowns for closed lists and branch ids."""
    table = Table(
        name, [c.header for c in columns], rows,
        locked=frozenset(c.header for c in columns if c.key or c.locked or c.kind == "shown"),
        texts=frozenset(c.header for c in columns if c.kind not in _NUMBERS or c.choices),
        widths={c.header: c.width for c in columns}, open_cells=open_cells,
    )  # fmt: skip
    sheet = book.table(table)
    for c in columns:
        if c.choices:
            book.dropdown(sheet, c.header, c.choices, c.list_title or c.header)
        elif c.branches:
            book.dropdown(sheet, c.header, list(branches), BRANCH)
    return sheet


def guide(
    book: Book, dataset: Dataset, ledger: Ledger, scope: list[tuple[str, Any]],
    columns: Mapping[str, Sequence[Column]], how: Sequence[str],
) -> None:  # fmt: skip
    """The 说明 sheet: what the workbook is, that it is internal, its scope (the import
    reads it), every column and how to edit and import."""
    internal = [f for f in dataset.site.privacy.internal if f.split(".")[0] in ledger.models]
    lines: list[list[Any]] = [
        [f"{dataset.site.company} {ledger.title}"],
        ["内部资料：本工作簿包含全部字段，包括 site.yaml 中设为内部、不公示的字段"
         + (f"（{'、'.join(internal)}）" if internal else "")
         + "。只供党建工作部门内部使用，不公开、不上传到公示栏、不外发。"],
        [],
        *([label, value] for label, value in scope),
        [],
        ["工作表", "列名", "说明"],
        *([sheet, c.header, c.about] for sheet, cs in columns.items() for c in cs),
        [],
        ["修改与导入"],
        *([line] for line in how),
        [f"导入：board {ledger.import_verb} 本文件.xlsx {ledger.usage}；有任何问题时按“工作表、行、"
         "列”逐条列出，不写入任何文件；导入后请运行 board check 并提交合并请求。"],
    ]  # fmt: skip
    book.notes(GUIDE_SHEET, lines, [16, 20, 70])


PROTECTED_HOW = (
    "灰色单元格是导出时的编号，受工作表保护，不能修改（其他记录按编号引用它们）；其余单元格"
    "可以直接修改。工作表保护没有密码：确需删除行时，点“审阅 → 撤销工作表保护”。"
)
ROWS_HOW = (
    "行的先后顺序不影响导入：已有的记录保持数据文件中的顺序，新增的记录排在后面。导入只改写"
    "内容有变化的文件，其他文件（包括其中的注释）保持不变。"
)


def write_book(
    out: Path, dataset: Dataset, ledger: Ledger, scope: list[tuple[str, Any]],
    layout: Mapping[str, Sequence[Column]], rows: Mapping[str, list[list[Any]]],
    how: Sequence[str], branches: Sequence[str] = (),
    open_cells: Mapping[str, frozenset[tuple[int, str]]] | None = None,
) -> None:  # fmt: skip
    """``ledger``'s workbook at ``out``: its 说明 (with ``scope`` and ``how``), then each of
    its sheets, laid out as ``layout`` says, with its ``rows``."""
    book = Book()
    guide(book, dataset, ledger, scope, layout, how)
    for name in ledger.sheets:
        opened = (open_cells or {}).get(name, frozenset())
        write_sheet(book, name, layout[name], rows[name], branches, opened)
    write_atomically(out, book.bytes())


# ------------------------------------------------------------------- import


@dataclass
class File:
    """A data file as the workbook has it (``model`` None: the workbook has nothing of
    it), what the data has now (``before``: its plain values, None if there is no such
    file) and where each of its parts came from (``locate``: a loader problem's field
    path to the sheet, row and field of the cell that wrote it)."""

    rel: str
    model: BaseModel | None
    before: dict[str, Any] | None
    locate: Callable[[list[str | int]], tuple[str, int, str] | None]
    label: str = ""  # whose file: "党支部“b01-yunwei”", for a refusal to empty it
    named: bool = False  # rows name it, all of them badly written (reported): not emptied

    @property
    def changed(self) -> bool:
        return self.model is not None and plain(self.model) != self.before


def before(model: BaseModel | None) -> dict[str, Any] | None:
    return None if model is None else plain(model)


def nowhere(path: list[str | int]) -> None:
    return None


def open_book(workbook: Path) -> Any:
    try:
        with warnings.catch_warnings():  # Excel's extensions openpyxl does not keep
            warnings.simplefilter("ignore")
            return load_workbook(workbook)  # not read-only: cell styles are read
    except FileNotFoundError:
        raise BoardError(f"找不到文件 {workbook}") from None
    except Exception as exc:  # openpyxl raises many types for a non-workbook
        raise BoardError(f"{workbook.name} 不是有效的 Excel 工作簿（.xlsx）：{exc}") from None


def require_sheets(book: Any, ledger: Ledger, problems: list[CellProblem]) -> None:
    """Every sheet the import reads is there; a misspelt name is answered with a hint,
    and another ledger given to the wrong verb is named."""
    names = list(book.sheetnames)
    known = {s for other in LEDGERS for s in other.sheets} | {GUIDE_SHEET, OPTIONS_SHEET}
    unknown = [n for n in names if n not in known]
    wanted = (GUIDE_SHEET, *ledger.sheets)
    other = next((o for o in LEDGERS if o != ledger and any(s in names for s in o.sheets)), None)
    for sheet in wanted:
        close = [u for u in unknown if did_you_mean(u, [sheet])]
        if sheet in names:
            continue
        if close:
            message = f"不认识的工作表“{close[0]}”{did_you_mean(close[0], [sheet])}"
            problems.append(CellProblem(
                close[0], 1, "", "", f"{message}；{ledger.title}应有工作表：{'、'.join(wanted)}"
            ))  # fmt: skip
            continue
        hint = f"（这是{other.title}，请用 board {other.import_verb} 导入）" if other else ""
        problems.append(CellProblem(
            sheet, 1, "", "",
            f"缺少工作表“{sheet}”{hint}；请使用 board {ledger.export_verb} 导出的工作簿",
        ))  # fmt: skip


@dataclass(frozen=True)
class Scope:
    """What the workbook covers, and the branches its rows may name."""

    branch: str | None  # None: every branch
    year: int | None
    quarter: str | None  # None: every quarter (or no quarter in the scope)
    branches: list[str]


def read_scope(
    book: Any, ledger: Ledger, dataset: Dataset, problems: list[CellProblem]
) -> Scope | None:
    """The scope written on the 说明 sheet at export: the files the workbook covers;
    None if it is not as exported (reported: the rows cannot be read against it)."""
    branches, quarters = branch_ids(dataset, ledger.kinds), dataset.quarter_ids
    cells: dict[str, Any] = {}
    for row in book[GUIDE_SHEET].iter_rows(max_col=2):
        label = row[0].value
        if isinstance(label, str) and label.strip() in ledger.scope:
            cells[label.strip()] = row[1].value if len(row) > 1 else None

    before = len(problems)

    def bad(message: str) -> None:
        problems.append(
            CellProblem(GUIDE_SHEET, 1, "", "", f"{message}；请使用 board 导出的工作簿")
        )

    branch = year = quarter = None
    if SCOPE_BRANCH in ledger.scope:
        value = cells.get(SCOPE_BRANCH)
        branch = None if value == EVERY else str(value or "").strip()
        if branch is not None and branch not in branches:
            bad(f"“{SCOPE_BRANCH}”应为“{EVERY}”或一个党支部编号，实际是“{value or ''}”")
    if SCOPE_YEAR in ledger.scope:
        year = cells.get(SCOPE_YEAR)
        if not isinstance(year, int) or isinstance(year, bool):
            bad(f"“{SCOPE_YEAR}”应为年份，实际是“{year or ''}”")
    if SCOPE_QUARTER in ledger.scope:
        value = cells.get(SCOPE_QUARTER)
        quarter = None if value == EVERY else str(value or "").strip()
        if quarter is not None and quarter not in quarters:
            bad(f"“{SCOPE_QUARTER}”应为“{EVERY}”或数据中的一个季度，实际是“{value or ''}”")
    if len(problems) > before:
        return None
    return Scope(branch, year, quarter, branches)


def only_keys(values: dict[str, Any], columns: Iterable[Column]) -> bool:
    """Whether a row holds nothing but its key cells: a row of a blank form, not filled in."""
    keys = {c.field for c in columns if c.key}
    return not set(values) - keys


def cleared(table: Sheet, row: Row, values: dict[str, Any], bad: set[str]) -> bool:
    """Whether an exported row was emptied but for its locked keys (which cannot be
    cleared while the sheet is protected): the office's way to delete it."""
    return not bad and only_keys(values, table.columns.values()) and table.protected(row)


def ordered(old: Iterable[Any], new: dict[Any, tuple[Any, int]]) -> list[Any]:
    """The keys of ``new`` in the file's order (``old``), then the new ones in the
    workbook's order: sorting the rows changes nothing."""
    kept = [k for k in old if k in new]
    return kept + [k for k in new if k not in set(kept)]


def retyped(value: str, what: str) -> str:
    return (
        f"“{value}”不是导出时的编号：编号列受保护，已有{what}的编号不能修改（其他记录按编号"
        f"引用它）；新增{what}请在表格末尾的空行填写"
    )


def twice(table: Sheet, row: int, header: str, what: str, first: int, rule: str = "") -> None:
    """``what`` (a key the sheet holds once) is written again in ``row``."""
    table.problem(row, header, f"{what}出现了两次（第 {first} 行已有）{rule}")


def branch_ok(
    table: Sheet, row: Row, branch: str, scope: Scope, what: str, header: str = BRANCH,
    org: str = "党支部",
) -> bool:  # fmt: skip
    if branch not in scope.branches:
        table.problem(row.number, header, missing_ref(org, branch, scope.branches))
        return False
    if scope.branch and branch != scope.branch:
        table.problem(
            row.number, header,
            f"本工作簿只含{org}“{scope.branch}”的{what}（导出时指定了 --branch），"
            f"不能导入“{branch}”的{what}；请导出该{org}的台账",
        )  # fmt: skip
        return False
    return True


def year_ok(table: Sheet, row: Row, scope: Scope, year: int, ledger: Ledger, what: str) -> bool:
    if scope.year is not None and year != scope.year:
        table.problem(
            row.number, YEAR,
            f"本工作簿是 {scope.year} 年度的{ledger.title}，不能导入 {year} 年度的{what}；"
            f"请用 board {ledger.export_verb} --year {year} 导出该年度的台账",
        )  # fmt: skip
        return False
    return True


def known_member(table: Sheet, row: Row, dataset: Dataset, member: str, header: str) -> bool:
    if member in dataset.stints:
        return True
    message = missing_ref("党员", member, list(dataset.stints))
    table.problem(row.number, header, f"{message}；请先在党员名册中添加这名党员")
    return False


def run_import(
    workbook: Path, data_dir: Path, ledger: Ledger,
    columns: Callable[[Dataset], Mapping[str, Sequence[Column]]],
    plan: Callable[[Dataset, Scope, dict[str, Sheet]], list[File]],
) -> Imported:  # fmt: skip
    """Read ``workbook`` as ``ledger``: ``plan`` turns its sheets, read within the scope
    its 说明 gives, into files; write the changed ones if every cell and then the whole
    dataset with them are sound."""
    dataset = load(data_dir)
    book = open_book(workbook)
    problems: list[CellProblem] = []
    require_sheets(book, ledger, problems)
    if problems:
        raise SheetError(workbook.name, problems)
    layout = columns(dataset)
    tables = {name: Sheet(book, name, layout[name], problems) for name in ledger.sheets}
    scope = read_scope(book, ledger, dataset, problems)
    if scope is None:
        raise SheetError(workbook.name, problems)
    files = plan(dataset, scope, tables)
    for f in files:  # a branch whose rows are all gone is a slip (a filter), not a wish
        if f.model is None and f.before is not None and not f.named:
            problems.append(CellProblem(ledger.sheets[0], 1, "", "", (
                f"{f.label}的行全部删除了：导入不会清空整个文件；确需删除，"
                f"请直接删除数据目录中的 {f.rel}"
            )))  # fmt: skip
    if problems:
        raise SheetError(workbook.name, problems)
    kept = [f for f in files if f.model is not None or f.before is not None]
    changed = [f for f in kept if f.changed]
    check_with_data(data_dir, changed, tables, workbook.name)
    for f in changed:
        assert f.model is not None
        write_text_atomically(data_dir / f.rel, record_text(f.model))
    return Imported([data_dir / f.rel for f in changed], len(kept) - len(changed))


# ------------------------------------------------------ the loader's verdict

_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def field_path(text: str) -> list[str | int]:
    """``commitments[3].progress[2].rating`` -> ``["commitments", 3, "progress", 2,
    "rating"]`` (list items count from 1, as problems say them)."""
    return [int(m[2]) if m[2] else m[1] for m in _PART.finditer(text)]


def check_with_data(
    data_dir: Path, changed: list[File], tables: dict[str, Sheet], workbook: str
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
            assert f.model is not None
            (trial / f.rel).parent.mkdir(parents=True, exist_ok=True)
            (trial / f.rel).write_text(record_text(f.model), encoding="utf-8")
        try:
            load_dataset(trial, shown_root=root)
        except DataError as exc:
            files = {f"{root}/{f.rel}": f for f in changed}
            cells: list[CellProblem] = []
            notes: list[str] = []
            for problem in exc.problems:
                into = files.get(problem.file)
                spot = into.locate(field_path(problem.field)) if into is not None else None
                if spot is None:
                    notes.append(str(problem))
                    continue
                sheet, row, name = spot
                table = tables[sheet]
                header = next((c.header for c in table.columns.values() if c.field == name), None)
                cells.append(table.cell_problem(row, header, problem.message))
            raise SheetError(workbook, cells, notes) from None


def at(rows: Sequence[int], index: Any) -> int | None:
    """The sheet row of the ``index``-th item (counted from 1), if the workbook has it."""
    return rows[index - 1] if isinstance(index, int) and 0 < index <= len(rows) else None


def name_of(path: list[str | int], position: int) -> str:
    part = path[position] if len(path) > position else ""
    return part if isinstance(part, str) else ""


def group_by(items: Iterable[tuple[Any, Any]]) -> dict[Any, list[Any]]:
    out: dict[Any, list[Any]] = defaultdict(list)
    for key, value in items:
        out[key].append(value)
    return out
