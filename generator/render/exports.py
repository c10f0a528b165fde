"""Downloads for people who work in Excel: per-quarter CSV and XLSX, all results as JSON.

The XLSX has the result sheet plus the two sheets ``board import-scores`` reads
(得分, 扣分), so a downloaded workbook is also a valid import and the blank
template is the same layout with no rows.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Hashable
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pandas as pd

from generator.files import BlobCache
from generator.model.sheets import (
    DATE,
    DEDUCTION_COLUMNS,
    DEDUCTION_SHEET,
    GROUP,
    ID,
    NAME,
    RESULT_SHEET,
    SCORE_SHEET,
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
    """The inspection group's layout: one row per branch, one column per dimension (its
    score: the maximum minus its deductions), one row per deduction on the second sheet."""
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
        row |= {DATE: a.inspected_on.isoformat(), GROUP: a.inspection_group}
        row |= {d: scores.get(d) for d in dims} | {x: a.extra.get(x) for x in extras}
        rows.append(row)
        deductions += [
            {ID: branch, "维度": d.dimension, "扣分": d.points, "问题": d.reason}
            for d in a.deductions
        ]
    columns = [ID, NAME, DATE, GROUP, *dims, *extras]
    return (
        pd.DataFrame.from_records(rows, columns=columns),
        pd.DataFrame.from_records(deductions, columns=DEDUCTION_COLUMNS),
    )


def workbook(sheets: dict[str, pd.DataFrame]) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name, index=False)
            _text_not_formulas(writer.sheets[name])
            _fit_columns(writer.sheets[name], frame)
    return _stable_zip(buffer.getvalue())


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


def _stable_zip(data: bytes) -> bytes:
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
    parts = [Path(__file__).read_bytes(), f"{pd.__version__} {version('openpyxl')}".encode()]
    for name, frame in sheets.items():
        parts += [name.encode(), frame.to_csv(index=False).encode()]
    return b"\0".join(parts)


def template_xlsx(board: Board) -> bytes:
    """A blank scoring workbook for the inspection group, for the latest quarter's rules."""
    dataset = board.data
    quarter = dataset.latest_quarter
    scores, deductions = (
        score_sheets(board, quarter) if quarter else (pd.DataFrame(), pd.DataFrame())
    )
    rows = [
        {ID: b.id, NAME: b.name}
        for b in dataset.branches
        if quarter and dataset.category_for(b.id, quarter)
    ]
    blank = pd.DataFrame.from_records(rows, columns=list(scores.columns))
    return workbook({SCORE_SHEET: blank, DEDUCTION_SHEET: deductions.iloc[0:0]})


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
