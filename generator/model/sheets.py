"""The layout of the office's workbooks and how every workbook is written and read.

Sheet and column names exports write and imports read live here, so a downloaded
workbook is always a valid import. Writing: one ``Book`` for every workbook the
office fills in (the score-sheet template, the ledgers), so each has the same
safeguards: cells exported from the data are locked by sheet protection (no
password) and carry the named style ``受保护`` (which the ledger import reads to tell
an exported row from one added by hand), every other cell is open, closed lists are
dropdowns, and text is stored as text even when it starts with "=" (no spreadsheet
formula is ever written; see ``generator/render/exports.py`` for CSV). Reading: bad
cells become ``CellProblem``s located by sheet, row and column, raised together as
one ``SheetError``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Literal, get_args, get_origin

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Font, NamedStyle, PatternFill, Protection  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter, quote_sheetname  # type: ignore[import-untyped]
from openpyxl.worksheet.datavalidation import DataValidation  # type: ignore[import-untyped]
from openpyxl.worksheet.protection import SheetProtection  # type: ignore[import-untyped]
from pydantic import BaseModel, ValidationError

from generator.errors import BoardError
from generator.model.messages import did_you_mean, shown, translate

SCORE_SHEET, DEDUCTION_SHEET, RESULT_SHEET = "得分", "扣分", "结果"
MAX_SHEET, OPTIONS_SHEET, GUIDE_SHEET = "满分", "选项", "说明"
ID, NAME, CATEGORY, DATE, GROUP = "党组织编号", "党组织名称", "类别", "检查日期", "检查组"
DEDUCTION_COLUMNS = [ID, "维度", "扣分", "问题"]
# A problem's type (site.yaml policy.problem_types) and its follow-up (滚动销号): the
# 扣分 sheet's last columns and the 整改台账's, under the same headers.
TYPE, MEASURE, CLOSED_ON = "问题类型", "整改措施", "销号日期"
DEDUCTION_FOLLOW_UP = [TYPE, MEASURE, CLOSED_ON]

PROTECTED = "受保护"  # the named style of exported cells the protection keeps
LAST_ROW = 1048576  # Excel's last row: dropdowns and open cells reach every row added
_OPEN = Protection(locked=False)
FORMULA_START = ("=", "+", "-", "@")  # what makes Excel read a typed value as a formula
_TEXT = "@"  # Excel's "text" number format: what is typed stays as typed (no 1/2 → 1月2日)


@dataclass(frozen=True, order=True)
class CellProblem:
    sheet: str
    row: int
    column: str
    header: str
    message: str

    def __str__(self) -> str:
        where = f"〔{self.sheet}〕第 {self.row} 行" + (
            f" {self.column} 列（{self.header}）" if self.column else ""
        )
        return f"{where}：{self.message}"


class SheetError(BoardError):
    """The workbook has bad cells (or, once imported, breaks other data); nothing was
    written. ``notes`` are problems that have no cell: lines of other data files."""

    def __init__(
        self, workbook: str, problems: list[CellProblem], notes: Sequence[str] = ()
    ) -> None:
        self.workbook = workbook
        self.problems = sorted(problems)
        self.notes = list(notes)
        lines = [f"{workbook} {p}" for p in self.problems]
        if self.notes:
            lines.append(f"导入 {workbook} 后，其他数据文件的检查未通过：")
            lines += self.notes
        count = len(self.problems) + len(self.notes)
        lines.append(f"共 {count} 处问题，未写入任何文件；请在表格中修改后重新导入。")
        super().__init__("\n".join(lines))


# ------------------------------------------------------------------- writing


@dataclass(frozen=True)
class Table:
    """One sheet to write: a header row, then rows of values. Columns named in
    ``locked`` are protected in the rows written (not in rows added later), but the
    cells in ``open_cells``; columns in ``texts`` keep what is typed as text."""

    name: str
    headers: list[str]
    rows: list[list[Any]]
    locked: frozenset[str] = frozenset()
    texts: frozenset[str] = frozenset()
    widths: dict[str, int] | None = None
    open_cells: frozenset[tuple[int, str]] = frozenset()  # (row index, header): left open


class Book:
    """A workbook for the office to fill in, with dropdowns and protected cells."""

    def __init__(self) -> None:
        self.book = Workbook()
        self.book.remove(self.book.active)
        self.book.properties.creator = "党建公示栏生成器"
        style = NamedStyle(name=PROTECTED, number_format=_TEXT)
        style.fill = PatternFill("solid", fgColor="EDEDED")
        style.protection = Protection(locked=True)
        self.book.add_named_style(style)
        self._options: Any = None
        self._lists: dict[tuple[str, tuple[str, ...]], str] = {}

    def table(self, table: Table) -> Any:
        """Write ``table`` as a protected sheet whose cells are open but the locked ones."""
        sheet = self.book.create_sheet(table.name)
        self._header(sheet, table)
        locked = {i for i, h in enumerate(table.headers, start=1) if h in table.locked}
        texts = {i for i, h in enumerate(table.headers, start=1) if h in table.texts}
        opened = {(r + 2, table.headers.index(h) + 1) for r, h in table.open_cells}
        width = len(table.headers)
        for r, values in enumerate(table.rows, start=2):
            padded = [*values, *[None] * (width - len(values))]  # every cell of a row is set
            for c, value in enumerate(padded, start=1):
                cell = sheet.cell(row=r, column=c, value=value)
                if c in locked and (r, c) not in opened:
                    cell.style = PROTECTED
                else:
                    cell.protection = _OPEN
                    if c in texts:
                        cell.number_format = _TEXT
                as_text(cell)
        sheet.freeze_panes = "A2"
        last = get_column_letter(max(len(table.headers), 1))
        sheet.auto_filter.ref = f"A1:{last}{max(len(table.rows) + 1, 2)}"
        _protect(sheet)
        return sheet

    def _header(self, sheet: Any, table: Table) -> None:
        bold = Font(bold=True)
        for c, header in enumerate(table.headers, start=1):
            cell = sheet.cell(row=1, column=c, value=header)
            cell.data_type = "s"
            cell.font = bold
            letter = get_column_letter(c)
            column = sheet.column_dimensions[letter]
            column.width = (table.widths or {}).get(header, max(len(header) * 2 + 4, 12))
            column.protection = _OPEN  # rows the office adds below are open to type in
            if header in table.texts:
                column.number_format = _TEXT

    def notes(self, name: str, lines: Iterable[Sequence[Any]], widths: Sequence[int]) -> Any:
        """A locked sheet of text: the 说明 of a workbook, a table of maximums."""
        sheet = self.book.create_sheet(name)
        for values in lines:
            sheet.append(list(values))
        for row in sheet.iter_rows():
            for cell in row:
                as_text(cell)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        for c, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(c)].width = width
        _protect(sheet)
        return sheet

    def dropdown(self, sheet: Any, header: str, values: Sequence[str], title: str) -> None:
        """A dropdown of ``values`` in the column ``header`` of ``sheet``, from its first
        row of data to the last row of the sheet. The list lives in the hidden sheet
        选项 (an inline list is limited to 255 characters: 30 branch ids are more)."""
        if not values:
            return
        headers = [c.value for c in sheet[1]]
        letter = get_column_letter(headers.index(header) + 1)
        source = self._option_list(title, values)
        check = DataValidation(
            type="list", formula1=source, allow_blank=True, showErrorMessage=True,
            errorTitle="不是可选的值", error=f"请从下拉列表中选择{title}",
        )  # fmt: skip
        sheet.add_data_validation(check)
        check.add(f"{letter}2:{letter}{LAST_ROW}")

    def _option_list(self, title: str, values: Sequence[str]) -> str:
        """The cells of the list ``values`` in 选项 (each list written once)."""
        if (title, tuple(values)) in self._lists:
            return self._lists[(title, tuple(values))]
        if self._options is None:
            self._options = self.book.create_sheet(OPTIONS_SHEET)
            self._options.sheet_state = "hidden"
            _protect(self._options)
        sheet = self._options
        column = 1 if sheet.max_column == 1 and sheet["A1"].value is None else sheet.max_column + 1
        sheet.cell(row=1, column=column, value=title).data_type = "s"
        for r, value in enumerate(values, start=2):
            sheet.cell(row=r, column=column, value=value).data_type = "s"
        letter = get_column_letter(column)
        cells = f"{quote_sheetname(OPTIONS_SHEET)}!${letter}$2:${letter}${len(values) + 1}"
        self._lists[(title, tuple(values))] = cells
        return cells

    def bytes(self) -> bytes:
        if self._options is not None:  # the hidden list sheet goes last, out of the way
            self.book.move_sheet(self._options, offset=len(self.book.sheetnames))
        buffer = io.BytesIO()
        self.book.save(buffer)
        return stable_zip(buffer.getvalue())


def as_text(cell: Any) -> None:
    """Text that Excel would run as a formula stays text: openpyxl takes any "=…" for a
    formula (stored as text instead), and the quote prefix (Excel's own ' mark) keeps it
    text when someone edits the cell and presses Enter."""
    if cell.data_type == "f":
        cell.data_type = "s"
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
        cell.quotePrefix = True


def _protect(sheet: Any) -> None:
    """Protection without a password (审阅 → 撤销工作表保护 lifts it): it keeps the
    exported ids from being typed over, while filtering, sorting, resizing and adding
    rows stay allowed."""
    sheet.protection = SheetProtection(
        sheet=True, autoFilter=False, sort=False, formatColumns=False, formatRows=False,
        insertRows=False, deleteRows=False,
    )  # fmt: skip


def stable_zip(data: bytes) -> bytes:
    """Rewrite the XLSX zip with fixed timestamps and metadata: same data, same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _strip_times(content)
            fixed = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, content)
    return out.getvalue()


def _strip_times(core: bytes) -> bytes:
    return re.sub(
        rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>2000-01-01T00:00:00Z", core
    )


# ------------------------------------------------------------------- reading

Kind = Literal["id", "text", "choice", "date", "year", "order", "int", "number", "yes_no", "shown"]


def literals(model: type[BaseModel], name: str) -> tuple[str, ...]:
    """The values a ``Literal`` field of ``model`` may take (``X | None`` included)."""

    def walk(annotation: Any) -> tuple[str, ...]:
        if get_origin(annotation) is Literal:
            return tuple(str(v) for v in get_args(annotation))
        return tuple(v for a in get_args(annotation) for v in walk(a))

    return walk(model.model_fields[name].annotation)


@dataclass(frozen=True)
class Column:
    """One column of a sheet the office fills in: its header, the model field it holds
    and how a cell is read. ``key`` columns are locked in exported rows (and tell an
    exported row from one added by hand), ``locked`` ones too; ``branches`` columns get
    the branch ids as a dropdown; a ``shown`` column is only for reading. A long list of
    ``choices`` (``listed_in`` says where it comes from) is not spelt out in messages."""

    header: str
    field: str
    kind: Kind = "text"
    about: str = ""
    key: bool = False
    choices: tuple[str, ...] = ()
    branches: bool = False
    width: int = 14
    locked: bool = False
    list_title: str = ""  # the dropdown list's title in 选项 (default: the header)
    listed_in: str = ""  # "site.yaml 的问题类型清单（policy.problem_types）"


@dataclass(frozen=True)
class Row:
    number: int
    cells: dict[str, Any]  # header -> openpyxl cell


class Unreadable(ValueError):
    """A cell that cannot be read as its column's kind; the message says why."""


class Sheet:
    """One sheet read back: its header row checked (a misspelt header is answered with
    "是否想写…"), its rows read cell by cell, every problem kept in ``problems``."""

    def __init__(
        self, book: Any, name: str, columns: Sequence[Column], problems: list[CellProblem]
    ) -> None:
        self.name, self.sheet, self.problems = name, book[name], problems
        self.columns = {c.header: c for c in columns}
        self.at: dict[str, int] = {}  # header -> column number, as the sheet has them
        before = len(problems)
        self._header()
        self.ok = len(problems) == before

    def _header(self) -> None:
        for cell in next(self.sheet.iter_rows(max_row=1), ()):
            text = plain_cell(cell.value)
            if text is None:
                continue
            if text in self.at:
                letter = get_column_letter(self.at[text])
                self.problem(1, None, f"列名“{text}”出现了两次（{letter} 列已有）")
                continue
            self.at[text] = cell.column
        wanted = [c.header for c in self.columns.values() if c.kind != "shown"]
        missing = [h for h in wanted if h not in self.at]
        for header in [h for h in self.at if h not in self.columns]:
            meant = misspelt(header, missing)
            if meant is not None:
                self.problem(1, header, f"不认识的列名“{header}”{did_you_mean(header, [meant])}")
                missing.remove(meant)
        for header in missing:
            self.problem(
                1, None, f"缺少列“{header}”；请使用 board 导出的工作簿，不要删除或改动列名"
            )

    def cell_problem(self, row: int, header: str | None, message: str) -> CellProblem:
        letter = get_column_letter(self.at[header]) if header in self.at else ""
        return CellProblem(self.name, row, letter, (header or "") if letter else "", message)

    def problem(self, row: int, header: str | None, message: str) -> None:
        self.problems.append(self.cell_problem(row, header, message))

    def rows(self) -> Iterator[Row]:
        """The rows below the header with anything written in them (none if the header
        has problems: the columns cannot be trusted)."""
        if not self.ok:
            return
        read = {h: i - 1 for h, i in self.at.items() if h in self.columns}
        for cells in self.sheet.iter_rows(min_row=2):
            row = {h: cells[i] for h, i in read.items() if i < len(cells)}
            filled = [c for h, c in row.items() if self.columns[h].kind != "shown"]
            if any(plain_cell(c.value) is not None for c in filled):
                yield Row(cells[0].row, row)

    def values(self, row: Row) -> tuple[dict[str, Any], set[str]]:
        """The row's cells read by their column's kind, by field (blank cells left out),
        and the fields whose cells could not be read (already reported)."""
        out: dict[str, Any] = {}
        bad: set[str] = set()
        for header, column in self.columns.items():
            cell = row.cells.get(header)
            if column.kind == "shown" or cell is None or plain_cell(cell.value) is None:
                continue
            try:
                out[column.field] = read_cell(cell, column)
            except Unreadable as exc:
                self.problem(row.number, header, str(exc))
                bad.add(column.field)
        return out, bad

    def require(self, row: Row, values: dict[str, Any], bad: set[str], header: str) -> bool:
        """Whether the cell under ``header`` holds a value; a blank one is reported."""
        name = self.columns[header].field
        if name not in values and name not in bad:
            self.problem(row.number, header, "不能为空")
        return name in values

    def model(self, row: Row, model: type[BaseModel], values: dict[str, Any], bad: set[str]) -> Any:
        """The row as a record of ``model``, or None with its problems by column (none
        for the ``bad`` fields: their cells are reported already)."""
        try:
            record = model.model_validate(values)
        except ValidationError as exc:
            by_field = {c.field: c.header for c in self.columns.values()}
            for error in exc.errors():
                name = str(error["loc"][0]) if error["loc"] else ""
                if name in bad:
                    continue
                message = "不能为空" if error["type"] == "missing" else translate(error, model)
                self.problem(row.number, by_field.get(name), message)
            return None
        return None if bad else record

    def protected(self, row: Row) -> bool:
        """Whether the row was exported: its key cells carry the protected style."""
        return any(
            row.cells[h].style == PROTECTED
            for h, c in self.columns.items()
            if c.key and h in row.cells
        )


def misspelt(header: str, missing: list[str]) -> str | None:
    """The missing column ``header`` is most likely a misspelling of, if any."""
    close = difflib.get_close_matches(header, missing, n=1, cutoff=0.6)
    return close[0] if close else None


def plain_cell(value: Any) -> str | None:
    """A cell as trimmed text, or None when it is blank."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def read_cell(cell: Any, column: Column) -> Any:
    """A cell's value as its column's kind; ``Unreadable`` says what is wrong."""
    if cell.data_type == "f":
        raise Unreadable(
            "单元格中是公式；请直接填写内容（以 = 开头的文字，请先输入一个英文单引号 '）"
        )
    if cell.data_type == "e":
        raise Unreadable(f"单元格是错误值“{cell.value}”；请填写内容")
    return _READERS[column.kind](cell.value, column)


def _text(value: Any, column: Column) -> str:
    """Text exactly as written: its spaces are kept, so export then import changes nothing."""
    if isinstance(value, str):
        return value
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _id(value: Any, column: Column) -> str:
    return _text(value, column).strip()


def _pick(value: Any, column: Column) -> str:
    text = _id(value, column)
    if text not in column.choices:
        hint = did_you_mean(text, list(column.choices))
        if column.listed_in:
            raise Unreadable(f"“{shown(text)}”不在{column.listed_in}中{hint}；请从下拉列表中选择")
        raise Unreadable(
            f"“{shown(text)}”不是可选的值{hint}；应为以下之一：{'、'.join(column.choices)}"
        )
    return text


YES_NO = ("是", "否")


def _yes_no(value: Any, column: Column) -> bool:
    """是 or 否 (Excel's TRUE and FALSE too)."""
    if isinstance(value, bool):
        return value
    text = _id(value, column)
    if text not in YES_NO:
        raise Unreadable(
            f"“{shown(text)}”不是可选的值{did_you_mean(text, list(YES_NO))}；应为“是”或“否”"
        )
    return text == "是"


def _int(value: Any, column: Column) -> int:
    """A whole number as written: 26 (a typed 26.0 too), never 26.5 or 二十六."""
    text = _text(value, column).strip()
    if isinstance(value, bool) or not re.fullmatch(r"-?[0-9]+", text):
        raise Unreadable(f"应为整数，实际是“{shown(value)}”")
    return int(text)


def _decimal(value: Any, column: Column) -> Decimal | None:
    """A cell's number exactly as written (96.5 stays 96.5: never a binary float's
    digits), or None if it is not one."""
    try:
        number = None if isinstance(value, bool) else Decimal(_text(value, column).strip())
    except InvalidOperation:
        return None
    return number if number is not None and number.is_finite() else None


def _number(value: Any, column: Column) -> Decimal:
    number = _decimal(value, column)
    if number is None:
        raise Unreadable(f"应为数字，实际是“{shown(value)}”")
    return number


_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")


def _date(value: Any, column: Column) -> dt.date:
    """A date cell, or text written as 2026-06-30 (also 2026/6/30, 2026.6.30)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    match = _DATE.fullmatch(str(value).strip())
    try:
        if match:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        pass
    raise Unreadable(f"应为日期（如 2026-06-30），实际是“{shown(value)}”")


def _year(value: Any, column: Column) -> int:
    text = _text(value, column).strip()
    if isinstance(value, bool) or not re.fullmatch(r"[0-9]{4}", text):
        raise Unreadable(f"应为四位年份（如 2026），实际是“{shown(value)}”")
    return int(text)


def _order(value: Any, column: Column) -> Decimal:
    """A positive number, exactly (never a float): 1, 2, 3, or 2.5 between two."""
    number = _decimal(value, column)
    if number is None or number <= 0:
        raise Unreadable(f"应为正数（如 1、2、3；插在两步之间可写 2.5），实际是“{shown(value)}”")
    return number.normalize()


_READERS: dict[str, Callable[[Any, Column], Any]] = {
    "id": _id, "text": _text, "choice": _pick, "date": _date, "year": _year, "order": _order,
    "int": _int, "number": _number, "yes_no": _yes_no,
}  # fmt: skip
