"""指标红榜: the performance department's table of a quarter, one row per indicator of
a unit (单位, 指标, 完成值, 是否红榜), back into ``data/indicators/<quarter>.yaml``.

The 通报 sheet holds the quarter (locked) and the performance notice it comes from
(来源): the import writes that quarter's file; told a quarter (``--quarter``), it
refuses a workbook of another.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import BoardError
from generator.model import schema
from generator.model.dataset import Dataset
from generator.model.ledgers.base import (
    INDICATORS,
    PROTECTED_HOW,
    QUARTER,
    ROWS_HOW,
    Exported,
    File,
    Imported,
    at,
    before,
    cleared,
    load,
    name_of,
    ordered,
    row_of,
    run_import,
    twice,
    write_book,
)
from generator.model.sheets import YES_NO, Column, Row, Sheet

INDICATOR_SHEET, NOTICE_SHEET = INDICATORS.sheets
UNIT, NAME = "单位", "指标"
NOTICE_COLUMNS = (
    Column(QUARTER, "quarter", "id", "指标红榜的季度（文件 indicators/<季度>.yaml）", True),
    Column("来源", "source", about="必填：业绩考核通报及文号", width=60),
)


def columns(units: Sequence[str]) -> tuple[Column, ...]:
    return (
        Column(UNIT, "unit", "choice", "下拉选择：党组织文件中的所在单位（unit）", True,
               choices=tuple(units), listed_in="党组织文件的所在单位（unit）", width=20),
        Column(NAME, "name", about="指标名称，同一单位不重复，如“综合电压合格率”", key=True,
               width=24),
        Column("完成值", "value", about="必填：照通报原样写，如 99.62%、12 时/户", width=16),
        Column("是否红榜", "red", "yes_no", "是否进入公司红榜：是 或 否", choices=YES_NO,
               list_title="是否"),
    )  # fmt: skip


def _units(dataset: Dataset) -> list[str]:
    return sorted({o.unit for o in dataset.orgs.values() if o.unit})


def _layout(dataset: Dataset) -> dict[str, Sequence[Column]]:
    return {INDICATOR_SHEET: columns(_units(dataset)), NOTICE_SHEET: NOTICE_COLUMNS}


_HOW = [
    PROTECTED_HOW,
    "每行是一个单位的一项考核指标；新增指标在表格末尾的空行填写，单位从下拉列表中选择。"
    "删除一行（或清空这一行单位和指标以外的内容），导入后就删除这项指标；“通报”表写明本季度"
    "的业绩考核通报及文号。",
    ROWS_HOW,
]


def _missing_quarter(quarter: str) -> str:
    return (
        f"数据中没有 {quarter} 的季度考核：指标红榜与该季度的考核结果一起公示；"
        "请先导入该季度的评分表"
    )


# ------------------------------------------------------------------- export


def export_indicators(data_dir: Path, out: Path, quarter: str | None = None) -> Exported:
    """Write the indicator red list of ``quarter`` (the latest by default) to ``out``; a
    blank table if the quarter has none yet."""
    dataset = load(data_dir)
    if quarter is None and (quarter := dataset.latest_quarter) is None:
        raise BoardError("数据中还没有任何季度的考核")
    if quarter not in dataset.quarters:
        raise BoardError(_missing_quarter(quarter))
    layout = _layout(dataset)
    red = dataset.indicators.get(quarter)
    rows = [
        row_of(layout[INDICATOR_SHEET], x, {"unit": u.unit})
        for u in (red.units if red else [])
        for x in u.indicators
    ]
    notice = [[quarter, red.source if red else None]]
    sheets = {INDICATOR_SHEET: rows, NOTICE_SHEET: notice}
    write_book(out, dataset, INDICATORS, [(QUARTER, quarter)], layout, sheets, _HOW)
    return Exported(len(rows), len(red.units) if red else 0)


# ------------------------------------------------------------------- import


def import_indicators(workbook: Path, data_dir: Path, quarter: str | None = None) -> Imported:
    """Write the indicator red list in ``workbook`` to ``data/indicators/<quarter>.yaml``:
    the quarter of its 通报 sheet, which must be ``quarter`` if that is given."""

    return run_import(
        workbook, data_dir, INDICATORS, _layout, lambda d, scope, tables: _plan(d, tables, quarter)
    )


_Rows = dict[str, dict[str, tuple[schema.Indicator, int]]]  # unit -> name -> (indicator, row)


def _plan(dataset: Dataset, tables: dict[str, Sheet], wanted: str | None) -> list[File]:
    notice = _notice(tables[NOTICE_SHEET], dataset, wanted)
    quarter = notice.quarter if notice else wanted
    old = dataset.indicators.get(quarter) if quarter else None
    table = tables[INDICATOR_SHEET]
    # Which rows were exported is known only once the quarter is: else none is judged.
    exported = {(u.unit, x.name) for u in (old.units if old else []) for x in u.indicators}
    rows: _Rows = {}
    named = False
    for row in table.rows():
        values, bad = table.values(row)
        if cleared(table, row, values, bad):
            continue
        if not (table.require(row, values, bad, UNIT) & table.require(row, values, bad, NAME)):
            continue
        named = True
        unit, name = values.pop("unit"), values["name"]
        if name in rows.get(unit, {}):
            twice(table, row.number, NAME, f"单位“{unit}”的指标“{name}”", rows[unit][name][1],
                  "；每项指标只写一行")  # fmt: skip
        elif notice is not None and table.protected(row) and (unit, name) not in exported:
            table.problem(
                row.number, NAME,
                f"“{name}”不是导出时的指标：单位和指标列受保护，已有指标的名称不能修改；"
                "新增指标请在表格末尾的空行填写",
            )  # fmt: skip
        elif (x := table.model(row, schema.Indicator, values, bad)) is not None:
            rows.setdefault(unit, {})[name] = (x, row.number)
    if quarter is None:  # the 通报 sheet's quarter is unreadable: reported, nothing to write
        return []
    return [_file(quarter, old, rows, notice, named)]


@dataclass(frozen=True)
class _Notice:
    quarter: str
    source: str
    row: int


def _notice(table: Sheet, dataset: Dataset, wanted: str | None) -> _Notice | None:
    """The 通报 sheet's one row, if it is sound, of a quarter in the data and of the
    ``wanted`` quarter (if the import was given one)."""
    found: list[tuple[Row, dict[str, Any], set[str]]] = []
    for row in table.rows():
        values, bad = table.values(row)
        if found:
            table.problem(row.number, None, f"“通报”表只写一行（第 {found[0][0].number} 行已有）")
            continue
        found.append((row, values, bad))
    if not found:
        if table.ok:
            which = f"（{wanted}）" if wanted else ""
            table.problem(2, None, f"请填写季度{which}和来源（业绩考核通报及文号）")
        return None
    row, values, bad = found[0]
    keyed = table.require(row, values, bad, QUARTER)
    sourced = table.require(row, values, bad, "来源")
    quarter = values.get("quarter")
    if keyed and wanted is not None and quarter != wanted:
        table.problem(
            row.number, QUARTER,
            f"本工作簿是 {quarter} 的指标红榜，不能导入为 {wanted}；请核对季度，或用 "
            f"board export-indicators --quarter {wanted} 导出该季度的表",
        )  # fmt: skip
        return None
    stand_in = {
        "quarter": quarter or "2000Q1",
        "source": values.get("source", "-"),
        "units": [{"unit": "-", "indicators": [{"name": "-", "value": "-", "red": True}]}],
    }
    if table.model(row, schema.IndicatorsFile, stand_in, bad) is None or not (keyed and sourced):
        return None
    if values["quarter"] not in dataset.quarters:
        table.problem(row.number, QUARTER, _missing_quarter(values["quarter"]))
        return None
    return _Notice(values["quarter"], values["source"], row.number)


def _file(
    quarter: str, old: schema.IndicatorsFile | None, rows: _Rows,
    notice: _Notice | None, named: bool,
) -> File:  # fmt: skip
    olds = {u.unit: [x.name for x in u.indicators] for u in (old.units if old else [])}
    units = ordered(olds, {u: (None, 0) for u in rows})
    places = [[rows[u][n][1] for n in ordered(olds.get(u, []), rows[u])] for u in units]
    model = None
    if units and notice is not None:
        model = schema.IndicatorsFile(quarter=quarter, source=notice.source, units=[
            schema.UnitIndicators(
                unit=u, indicators=[rows[u][n][0] for n in ordered(olds.get(u, []), rows[u])]
            )
            for u in units
        ])  # fmt: skip
    notice_row = notice.row if notice else 2
    return File(
        f"indicators/{quarter}.yaml", model, before(old),
        lambda path: _locate(path, places, notice_row), f"{quarter} 指标红榜",
        named or notice is None,
    )  # fmt: skip


def _locate(
    path: list[str | int], places: list[list[int]], notice: int
) -> tuple[str, int, str] | None:
    if path[:1] != ["units"]:
        return NOTICE_SHEET, notice, name_of(path, 0)
    unit = at(range(len(places)), path[1]) if len(path) > 1 else None
    if unit is None:
        return None
    if path[2:3] == ["indicators"] and len(path) > 3 and (row := at(places[unit], path[3])):
        return INDICATOR_SHEET, row, name_of(path, 4)
    return INDICATOR_SHEET, places[unit][0], "unit" if name_of(path, 2) == "unit" else ""
