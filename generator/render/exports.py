"""Downloads for people who work in Excel: per-quarter CSV and XLSX, all results as JSON.

The XLSX has the result sheet plus the two sheets ``board import-scores`` reads
(得分, 扣分), so a downloaded workbook is also a valid import. The blank template is
the same layout for the inspection group to fill in: each branch's row with its
category (类别), the maximum of every dimension per category (满分), branch ids and
dimensions as dropdowns, and the id columns protected (``generator/model/sheets.py``).
"""

from __future__ import annotations

import io
from collections.abc import Hashable
from decimal import Decimal
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pandas as pd

from generator.files import BlobCache
from generator.model import sheets as sheet_layout
from generator.model.schema import CATEGORIES, Rules
from generator.model.sheets import (
    CATEGORY,
    CLOSED_ON,
    DATE,
    DEDUCTION_COLUMNS,
    DEDUCTION_FOLLOW_UP,
    DEDUCTION_SHEET,
    GROUP,
    ID,
    MAX_SHEET,
    MEASURE,
    NAME,
    RESULT_SHEET,
    SCORE_SHEET,
    TYPE,
    Book,
    Table,
    stable_zip,
)
from generator.ranking.board import DRAFT_MARK, Board
from generator.text import json_bytes

RESULT_COLUMNS = {
    "quarter": "季度",
    "category": "类别",
    "rank": "名次",
    "size": "本类数量",
    "branch": "党组织编号",
    "name": "党组织名称",
    "awarded": "各维度得分合计",
    "deducted": "扣分合计",
    "base": "基础得分",
    "extra": "加分项",
    "list": "榜单",
    "adjustment": "月度绩效调整",
    "delta": "较上季度",
    "rules": "规则版本",
}
LIST_WORDS = {"red": "红榜", "blue": "蓝榜", "yellow": "黄色预警", "": ""}


FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def cell_text(value: object) -> object:
    """Text that Excel would run as a formula (=, +, -, @, or a control character first)
    gets a leading apostrophe, the way Excel itself marks text in a CSV file."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Every cell and every header guarded by its value, whatever the column's dtype
    (under pandas 3 text columns are ``str``, not ``object``: a dtype test never fired)."""
    safe = frame.rename(columns=lambda c: cell_text(str(c)))
    for column in safe.columns:
        safe[column] = safe[column].map(cell_text)
    return safe


def result_frame(board: Board, quarter: str) -> pd.DataFrame:
    table = board.results.quarter(quarter)[list(RESULT_COLUMNS)].copy()
    table["list"] = table["list"].map(LIST_WORDS)
    frame = table.rename(columns=RESULT_COLUMNS).reset_index(drop=True)
    if board.state(quarter) != "已发布":  # a preview's draft: every row says so
        frame.insert(0, "发布状态", DRAFT_MARK)
    return frame


def quarter_csv(board: Board, quarter: str) -> bytes:
    """UTF-8 with a BOM: without it Excel on Windows shows the Chinese as mojibake."""
    return csv_safe(result_frame(board, quarter)).to_csv(index=False).encode("utf-8-sig")


def score_sheets(board: Board, quarter: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The inspection group's layout: one row per branch (with its category, which sets
    the maximums), one column per dimension (its score: the maximum minus its
    deductions), one row per deduction on the second sheet."""
    dataset = board.data
    rules = dataset.rules_for(quarter)
    dims = [d.name for d in rules.dimensions] if rules else []
    extras = [x.name for x in rules.extra_items] if rules else []
    rows, deductions = [], []
    for (q, branch), a in sorted(dataset.assessments.items()):
        if q != quarter:
            continue
        scores = {d.name: d.score for d in board.cards[(q, branch)].dimensions}
        row: dict[str, Any] = {ID: branch, NAME: dataset.orgs[branch].name}
        row[CATEGORY] = dataset.category_for(branch, q)
        row |= {DATE: a.inspected_on.isoformat(), GROUP: a.inspection_group}
        row |= {d: scores.get(d) for d in dims} | {x: a.extra.get(x) for x in extras}
        rows.append(row)
        deductions += [
            {ID: branch, "维度": d.dimension, "扣分": d.points, "问题": d.reason, TYPE: d.type,
             MEASURE: d.measure, CLOSED_ON: _iso(d.closed_on)}
            for d in a.deductions
        ]  # fmt: skip
    columns = [ID, NAME, CATEGORY, DATE, GROUP, *dims, *extras]
    return (
        pd.DataFrame.from_records(rows, columns=columns),
        pd.DataFrame.from_records(deductions, columns=[*DEDUCTION_COLUMNS, *DEDUCTION_FOLLOW_UP]),
    )


def workbook(sheets: dict[str, pd.DataFrame]) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name, index=False)
            _text_not_formulas(writer.sheets[name])
            _fit_columns(writer.sheets[name], frame)
    return stable_zip(buffer.getvalue())


def _text_not_formulas(sheet: Any) -> None:
    """openpyxl writes any text that starts with "=" as a live formula: every cell, the
    headers included, is stored as the text it is (``data_type`` s), never run."""
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"


def _fit_columns(sheet: Any, frame: pd.DataFrame) -> None:
    for i, column in enumerate(frame.columns, start=1):
        width = max([len(str(column)) * 2, *(len(str(v)) * 2 for v in frame[column].head(200))])
        sheet.column_dimensions[sheet.cell(row=1, column=i).column_letter].width = min(
            width + 2, 60
        )


def quarter_xlsx(board: Board, quarter: str, cache: BlobCache | None = None) -> bytes:
    """The quarter's workbook. Writing one is slow (a second per thousand branches) and
    past quarters never change, so with a ``cache`` a workbook is written once."""
    scores, deductions = score_sheets(board, quarter)
    sheets = {
        RESULT_SHEET: result_frame(board, quarter),
        SCORE_SHEET: scores,
        DEDUCTION_SHEET: deductions,
    }
    if cache is None:
        return workbook(sheets)
    return cache.get_or_make(_workbook_key(sheets), lambda: workbook(sheets))


def _workbook_key(sheets: dict[str, pd.DataFrame]) -> bytes:
    """Everything a workbook is made of: its sheets, and the code and libraries writing it."""
    code = [Path(__file__).read_bytes(), Path(str(sheet_layout.__file__)).read_bytes()]
    parts = [*code, f"{pd.__version__} {version('openpyxl')}".encode()]
    for name, frame in sheets.items():
        parts += [name.encode(), frame.to_csv(index=False).encode()]
    return b"\0".join(parts)


def template_xlsx(board: Board) -> bytes:
    """A blank scoring workbook for the inspection group, for the latest quarter's rules:
    one open row per branch taking part (its id, name and category locked), the
    maximums per category, and dropdowns of branch ids and dimensions."""
    dataset = board.data
    quarter = dataset.latest_quarter
    rules = dataset.rules_for(quarter) if quarter else None
    scores, _ = score_sheets(board, quarter) if quarter else (pd.DataFrame(), pd.DataFrame())
    headers = [str(c) for c in scores.columns] or [ID, NAME, CATEGORY, DATE, GROUP]
    branches = [b for b in dataset.branches if quarter and dataset.category_for(b.id, quarter)]
    rows = [[b.id, b.name, dataset.category_for(b.id, quarter or "")] for b in branches]
    fixed = frozenset({ID, NAME, CATEGORY})
    dims = [d.name for d in rules.dimensions] if rules else []
    book = Book()
    score = book.table(Table(SCORE_SHEET, headers, rows, fixed, fixed | {DATE, GROUP}))
    texts = frozenset({ID, "问题", *DEDUCTION_FOLLOW_UP})
    deduct = book.table(
        Table(DEDUCTION_SHEET, [*DEDUCTION_COLUMNS, *DEDUCTION_FOLLOW_UP], [], texts=texts)
    )
    for sheet in (score, deduct):
        book.dropdown(sheet, ID, [b.id for b in branches], ID)
    book.dropdown(deduct, "维度", dims, "维度")
    book.dropdown(deduct, TYPE, dataset.site.policy.problem_types, TYPE)
    if rules is not None:
        book.notes(MAX_SHEET, _maximums(rules), [24, 10, 10, 10, 40])
    return book.bytes()


def _maximums(rules: Rules) -> list[list[Any]]:
    """满分: each dimension's maximum for each category, and the extra items'."""
    lines: list[list[Any]] = [["项目", *(f"{c}类" for c in CATEGORIES), "说明"]]
    for d in rules.dimensions:
        lines.append([d.name, *(d.max.get(c) for c in CATEGORIES), "考核维度"])
    total = [sum((d.max.get(c, 0) for d in rules.dimensions), Decimal(0)) for c in CATEGORIES]
    lines.append(["维度合计", *total, f"规则 {rules.id}：{rules.title}"])
    for x in rules.extra_items:
        lines.append([x.name, *(x.max for _ in CATEGORIES), f"加分项，只适用于{x.applies_to}"])
    return lines


def results_json(board: Board) -> bytes:
    """All quarters' results, for the portal or a group-level site that aggregates units."""
    dataset, quarters = board.data, []
    for quarter in dataset.quarter_ids:
        table = board.results.quarter(quarter)
        quarters.append(
            {
                "quarter": quarter,
                "state": board.state(quarter),
                "published": _iso(dataset.quarters[quarter].published),
                "notice_number": dataset.quarters[quarter].notice_number,
                "rules": str(table["rules"].iloc[0]) if len(table) else None,
                "results": [_result(r) for r in table.to_dict("records")],
            }
        )
    return json_bytes({"company": dataset.site.company, "quarters": quarters})


def _result(row: dict[Hashable, Any]) -> dict[str, Any]:
    delta = row["delta"]
    return {
        "branch": row["branch"],
        "name": row["name"],
        "category": row["category"],
        "rank": int(row["rank"]),
        "base": float(row["base"]),
        "extra": float(row["extra"]),
        "list": row["list"] or None,
        "adjustment": float(row["adjustment"]),
        "delta": None if pd.isna(delta) else float(delta),
    }


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None
