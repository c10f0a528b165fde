"""Import the inspection group's scoring workbook into a quarter's YAML files.

The workbook has two sheets: 得分 (one row per branch, one column per dimension,
plus 检查日期 and 检查组; 党组织名称 and 类别 are shown, not read) and 扣分 (one row
per deduction: its problem type, required when site.yaml lists the types, and the
follow-up the office may have written since, 整改措施 and 销号日期, which a quarter's
downloaded workbook carries back); the template's other sheets (满分, the hidden 选项)
are not read. Every bad cell is reported by sheet, row and column, and nothing is
written unless all is well.
"""

from __future__ import annotations

import datetime as dt
import math
import shutil
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

from generator.errors import BoardError, DataError
from generator.model.dataset import Dataset
from generator.model.loading import load_dataset
from generator.model.messages import did_you_mean
from generator.model.schema import Assessment, CategoryName, Deduction, QuarterInfo, Rules
from generator.model.sheets import (
    CATEGORY,
    CLOSED_ON,
    DATE,
    DEDUCTION_COLUMNS,
    DEDUCTION_FOLLOW_UP,
    DEDUCTION_SHEET,
    GROUP,
    ID,
    MEASURE,
    NAME,
    SCORE_SHEET,
    TYPE,
    CellProblem,
    SheetError,
    misspelt,
)
from generator.model.writer import record_text, write_text_atomically
from generator.text import number


@dataclass
class _Sheet:
    name: str
    frame: pd.DataFrame
    problems: list[CellProblem]

    def problem(self, index: int, column: str | None, message: str) -> None:
        letter = ""
        if column is not None and column in self.frame.columns:
            letter = get_column_letter(list(self.frame.columns).index(column) + 1)
        self.problems.append(CellProblem(self.name, index + 2, letter, column or "", message))


def import_scores(workbook: Path, quarter: str, data_dir: Path) -> list[Path]:
    """Turn ``workbook`` into ``data/assessments/<quarter>/*.yaml``; return the files written."""
    dataset = _context(data_dir, quarter)
    rules = dataset.rules_for(quarter)
    if rules is None:
        raise BoardError(f"没有在 {quarter} 生效的考核规则；请先在 data/rules/ 中添加规则")
    sheets = _read(workbook)
    problems: list[CellProblem] = []
    scores = _Sheet(SCORE_SHEET, sheets[SCORE_SHEET], problems)
    deductions = _Sheet(DEDUCTION_SHEET, sheets[DEDUCTION_SHEET], problems)
    assessments = _assessments(dataset, quarter, scores, deductions)
    if problems:
        raise SheetError(workbook.name, problems)
    has_info = (data_dir / "assessments" / quarter / "_quarter.yaml").is_file()
    files = _render_files(quarter, assessments, has_info)
    _check_with_data(data_dir, files, workbook.name)
    for rel, text in files.items():
        write_text_atomically(data_dir / rel, text)
    return [data_dir / rel for rel in files]


def _context(data_dir: Path, quarter: str) -> Dataset:
    """The data without this quarter's scores: they are what the import replaces."""
    with tempfile.TemporaryDirectory() as tmp:
        trial = Path(tmp) / "data"
        shutil.copytree(data_dir, trial, ignore=_skip_quarter(data_dir, quarter))
        return load_dataset(trial, shown_root=data_dir.as_posix().rstrip("/"), importing=quarter)


def _skip_quarter(data_dir: Path, quarter: str) -> Any:
    folder = (data_dir / "assessments" / quarter).resolve()

    def ignore(directory: str, names: list[str]) -> list[str]:
        if Path(directory).resolve() == folder:
            return [n for n in names if n != "_quarter.yaml"]
        return []

    return ignore


def _read(workbook: Path) -> dict[str, pd.DataFrame]:
    try:
        sheets = pd.read_excel(workbook, sheet_name=None, dtype=object, engine="openpyxl")
    except FileNotFoundError:
        raise BoardError(f"找不到文件 {workbook}") from None
    except Exception as exc:  # openpyxl raises many types for a non-workbook
        raise BoardError(f"{workbook.name} 不是有效的 Excel 工作簿（.xlsx）：{exc}") from None
    missing = [s for s in (SCORE_SHEET, DEDUCTION_SHEET) if s not in sheets]
    if missing:
        raise SheetError(
            workbook.name,
            [
                CellProblem(s, 1, "", "", f"缺少工作表“{s}”；请使用站点上下载的评分模板")
                for s in missing
            ],
        )
    return {name: frame.rename(columns=lambda c: str(c).strip()) for name, frame in sheets.items()}


def _text(value: Any) -> str:
    """A cell as text, without the apostrophe our exports put before formula-like text."""
    text = str(value).strip()
    if text.startswith("'") and text[1:].startswith(("=", "+", "-", "@")):
        return text[1:]
    return text


def _blank(value: Any) -> bool:
    return (
        value is None
        or (isinstance(value, float) and math.isnan(value))
        or (isinstance(value, str) and not value.strip())
    )


def _number(
    sheet: _Sheet, i: int, column: str, value: Any, high: Decimal, step: Decimal
) -> Decimal | None:
    """A cell's number exactly as written (Excel's 97.996 stays 97.996: never rounded)."""
    exact = _exact(value)
    if exact is None:
        sheet.problem(i, column, f"应为 0～{number(high)} 的数字，实际是“{value}”")
        return None
    if not 0 <= exact <= high:
        sheet.problem(i, column, f"应为 0～{number(high)} 的数字，实际是 {format(exact, 'f')}")
        return None
    if exact % step != 0:
        sheet.problem(
            i, column,
            f"{format(exact, 'f')} 不是计分步长 {number(step)} 的整数倍；"
            "分数不四舍五入，请按步长填写",
        )  # fmt: skip
        return None
    return exact


def _exact(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip()
    if isinstance(value, float):
        value = repr(value)  # the shortest text that is this float: what Excel showed
    try:
        exact = Decimal(value) if isinstance(value, int | str) else None
    except InvalidOperation:
        return None
    return exact if exact is not None and exact.is_finite() else None


def _date(sheet: _Sheet, i: int, value: Any, column: str = DATE) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        sheet.problem(i, column, f"应为日期（如 2025-06-20），实际是“{value}”")
        return None


def _assessments(
    dataset: Dataset, quarter: str, scores: _Sheet, deductions: _Sheet
) -> list[Assessment]:
    rules = dataset.rules_for(quarter)
    assert rules is not None
    dims = [d.name for d in rules.dimensions]
    extras = [x.name for x in rules.extra_items]
    if not _has_columns(scores, [ID, DATE, GROUP, *dims], extras):
        return []
    taken = _deductions(dataset, quarter, deductions, dims)
    out = []
    seen: set[str] = set()
    for i, row in scores.frame.iterrows():
        assessment = _row(dataset, quarter, scores, int(str(i)), row, taken, seen)
        if assessment is not None:
            out.append(assessment)
    listed = {b.id for b in dataset.branches if dataset.category_for(b.id, quarter)}
    for branch in sorted(listed - seen):
        scores.problem(
            len(scores.frame), ID, f"缺少“{dataset.orgs[branch].name}”（{branch}）的得分行"
        )
    return out


def _has_columns(sheet: _Sheet, required: list[str], optional: list[str]) -> bool:
    """Whether every required column is there. A header close to a missing column is
    answered with "是否想写…" (a misspelt optional one would be ignored silently)."""
    headers = [str(c) for c in sheet.frame.columns]
    missing = [c for c in (*required, *optional) if c not in headers]
    before = len(sheet.problems)
    for header in headers:
        known = header in (NAME, CATEGORY, *required, *optional)
        meant = None if known else misspelt(header, missing)
        if meant is not None:
            hint = did_you_mean(header, [meant])
            sheet.problem(-1, header, f"不认识的列名“{header}”{hint}；请使用站点上下载的评分模板")
            missing.remove(meant)
    for column in missing:
        if column in required:
            sheet.problem(-1, None, f"缺少列“{column}”；请使用站点上下载的评分模板")
    return len(sheet.problems) == before


def _row(
    dataset: Dataset, quarter: str, sheet: _Sheet, i: int, row: pd.Series,
    taken: dict[str, list[Deduction]], seen: set[str],
) -> Assessment | None:  # fmt: skip
    branch = str(row[ID]).strip() if not _blank(row[ID]) else ""
    category = dataset.category_for(branch, quarter) if branch in dataset.orgs else None
    if category is None:
        sheet.problem(i, ID, f"“{branch}”不是 {quarter} 参加考核的党组织编号")
        return None
    if branch in seen:
        sheet.problem(i, ID, f"“{branch}”出现了两次")
        return None
    seen.add(branch)
    rules = dataset.rules_for(quarter)
    assert rules is not None
    ok = _scores_agree(sheet, i, row, rules, category, taken.get(branch, []))
    extra = _extras(dataset, sheet, i, row, branch, quarter)
    inspected = _date(sheet, i, row[DATE])
    group = "" if _blank(row[GROUP]) else _text(row[GROUP])
    if not group:
        sheet.problem(i, GROUP, "检查组不能为空")
    if not ok or inspected is None or not group:
        return None
    # The file holds the problem list only: every score follows from it (满分 − 扣分).
    return Assessment(
        branch=branch, quarter=quarter, inspected_on=inspected, inspection_group=group,
        extra=extra, deductions=taken.get(branch, []),
    )  # fmt: skip


def _scores_agree(
    sheet: _Sheet, i: int, row: pd.Series, rules: Rules, category: CategoryName,
    deductions: list[Deduction],
) -> bool:  # fmt: skip
    """Each score written in the sheet equals its maximum minus its deductions; a blank
    cell is that figure. Every point lost needs its line in the 扣分 sheet."""
    before = len(sheet.problems)
    for d in rules.dimensions:
        maximum = d.max[category]
        taken = sum((x.points for x in deductions if x.dimension == d.name), Decimal(0))
        if taken > maximum:
            sheet.problem(
                i, d.name, f"扣分表中“{d.name}”共扣 {number(taken)} 分，超过满分 {number(maximum)}"
            )
            continue
        if _blank(row[d.name]):
            continue
        written = _number(sheet, i, d.name, row[d.name], maximum, rules.step)
        if written is not None and written != maximum - taken:
            sheet.problem(
                i, d.name,
                f"得分 {number(written)} 与扣分表不符：满分 {number(maximum)} − 扣分 "
                f"{number(taken)} = {number(maximum - taken)}；"
                "每一分的扣减都要在“扣分”表中写明问题",
            )  # fmt: skip
    return len(sheet.problems) == before


def _extras(
    dataset: Dataset, sheet: _Sheet, i: int, row: pd.Series, branch: str, quarter: str
) -> dict[str, Decimal]:
    rules = dataset.rules_for(quarter)
    assert rules is not None
    out = {}
    for item in rules.extra_items:
        if item.name not in row.index or _blank(row[item.name]):
            continue
        if item.applies_to != dataset.orgs[branch].unit_type:
            sheet.problem(i, item.name, f"“{item.name}”只适用于{item.applies_to}；本行应留空")
            continue
        value = _number(sheet, i, item.name, row[item.name], item.max, rules.step)
        if value is not None:
            out[item.name] = value
    return out


def _deductions(
    dataset: Dataset, quarter: str, sheet: _Sheet, dims: list[str]
) -> dict[str, list[Deduction]]:
    out: dict[str, list[Deduction]] = defaultdict(list)
    types = dataset.site.policy.problem_types
    required = [*DEDUCTION_COLUMNS, *([TYPE] if types else [])]
    if not _has_columns(sheet, required, [c for c in DEDUCTION_FOLLOW_UP if c not in required]):
        return out
    rules = dataset.rules_for(quarter)
    step = rules.step if rules else Decimal("0.01")
    for i, row in sheet.frame.iterrows():
        n = int(str(i))
        branch = "" if _blank(row[ID]) else str(row[ID]).strip()
        if not dataset.category_for(branch, quarter) if branch in dataset.orgs else True:
            sheet.problem(n, ID, f"“{branch}”不是 {quarter} 参加考核的党组织编号")
            continue
        dimension = "" if _blank(row["维度"]) else str(row["维度"]).strip()
        if dimension not in dims:
            sheet.problem(n, "维度", f"“{dimension}”不是考核维度；应为：{'、'.join(dims)}")
            continue
        points = _number(sheet, n, "扣分", row["扣分"], Decimal(100), step)
        reason = "" if _blank(row["问题"]) else _text(row["问题"])
        if not reason:
            sheet.problem(n, "问题", "扣分必须写明问题")
        follow_up = _follow_up(sheet, n, row, types)
        if points is not None and points > 0 and reason and follow_up is not None:
            out[branch].append(
                Deduction(dimension=dimension, points=points, reason=reason, **follow_up)
            )
        elif points == 0:
            sheet.problem(n, "扣分", "扣分应大于 0；没有扣分请删除这一行")
    return out


def _follow_up(sheet: _Sheet, n: int, row: pd.Series, types: list[str]) -> dict[str, Any] | None:
    """A deduction's type (one of ``types``) and follow-up, or None if a cell is wrong."""
    cell = {
        c: None if c not in row.index or _blank(row[c]) else row[c] for c in DEDUCTION_FOLLOW_UP
    }
    kind = None if cell[TYPE] is None else _text(cell[TYPE])
    listed = "问题类型清单（site.yaml 的 policy.problem_types）"
    before = len(sheet.problems)
    if kind is None and types:
        sheet.problem(n, TYPE, f"不能为空：请从下拉列表中选择{listed}中的一项，如“{types[0]}”")
    elif kind is not None and not types:
        sheet.problem(n, TYPE, f"site.yaml 中还没有{listed}：请先在那里列出问题类型，或清空这一格")
    elif kind is not None and kind not in types:
        sheet.problem(
            n, TYPE, f"“{kind}”不在{listed}中{did_you_mean(kind, types)}；请从下拉列表中选择"
        )
    closed = None if cell[CLOSED_ON] is None else _date(sheet, n, cell[CLOSED_ON], CLOSED_ON)
    if len(sheet.problems) > before:
        return None
    measure = None if cell[MEASURE] is None else _text(cell[MEASURE])
    given = {"type": kind, "measure": measure, "closed_on": closed}
    return {k: v for k, v in given.items() if v is not None}


def _render_files(quarter: str, assessments: list[Assessment], has_info: bool) -> dict[str, str]:
    files = {f"assessments/{quarter}/{a.branch}.yaml": record_text(a) for a in assessments}
    if not has_info and assessments:
        # A new quarter: its inspection dates come from the sheet; the office adds
        # the notice number and publication date when it publishes.
        dates = [a.inspected_on for a in assessments]
        info = QuarterInfo(quarter=quarter, inspection_start=min(dates), inspection_end=max(dates))
        files[f"assessments/{quarter}/_quarter.yaml"] = record_text(info)
    return files


def _check_with_data(data_dir: Path, files: dict[str, str], workbook: str) -> None:
    """Load the data as it would be after the import; refuse if anything breaks."""
    with tempfile.TemporaryDirectory() as tmp:
        trial = Path(tmp) / "data"
        shutil.copytree(data_dir, trial)
        for rel, text in files.items():
            (trial / rel).parent.mkdir(parents=True, exist_ok=True)
            (trial / rel).write_text(text, encoding="utf-8")
        try:
            load_dataset(trial)
        except DataError as exc:
            raise BoardError(
                f"导入 {workbook} 后数据检查未通过，未写入任何文件：\n{exc.report()}"
            ) from None
