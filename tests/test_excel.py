"""Excel in and out: exports, the blank template, and import-scores with bad cells."""

from __future__ import annotations

import io
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from generator.cli import main
from generator.ranking.board import Board
from generator.render.exports import quarter_csv, quarter_xlsx, template_xlsx
from tests.conftest import ROOT, board_of


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    return target


def export(data: Path, quarter: str, to: Path) -> Path:
    to.write_bytes(quarter_xlsx(board_of(data), quarter))
    return to


def import_(workbook: Path, quarter: str, data: Path) -> tuple[int, str]:
    result = CliRunner().invoke(
        main, ["import-scores", str(workbook), "--quarter", quarter, "--data", str(data)]
    )
    return result.exit_code, result.output


@pytest.mark.parametrize("quarter", ["2024Q4", "2026Q3"])
def test_export_then_import_gives_the_same_yaml(sample: Path, tmp_path: Path, quarter: str) -> None:
    before = {p: p.read_bytes() for p in sorted(sample.rglob("*.yaml"))}
    workbook = export(sample, quarter, tmp_path / "scores.xlsx")
    for path in (sample / "assessments" / quarter).glob("b*.yaml"):
        path.unlink()  # the import must recreate them exactly
    code, output = import_(workbook, quarter, sample)
    assert code == 0, output
    assert {p: p.read_bytes() for p in sorted(sample.rglob("*.yaml"))} == before


# The sample's list of problem types (site.yaml policy.problem_types), whatever data/ holds.
TYPES = yaml.safe_load((ROOT / "data" / "site.yaml").read_text(encoding="utf-8"))["policy"][
    "problem_types"
]
LISTED = "问题类型清单（site.yaml 的 policy.problem_types）"
# The 得分 sheet: 党组织编号, 党组织名称, 类别, 检查日期, 检查组, then one column per dimension.
# The 扣分 sheet: 党组织编号, 维度, 扣分, 问题, 问题类型, 整改措施, 销号日期.
CELL_CASES = [
    ("得分", "F3", "abc", "〔得分〕第 3 行 F 列（政治建设）：应为 0～20 的数字，实际是“abc”"),
    ("得分", "G4", 99, "〔得分〕第 4 行 G 列（党建责任）：应为 0～15 的数字，实际是 99"),
    (
        "得分",
        "A5",
        "b99-nope",
        "〔得分〕第 5 行 A 列（党组织编号）：“b99-nope”不是 2026Q3 参加考核的党组织编号",
    ),
    (
        "得分",
        "D6",
        "昨天",
        "〔得分〕第 6 行 D 列（检查日期）：应为日期（如 2025-06-20），实际是“昨天”",
    ),
    ("得分", "E7", None, "〔得分〕第 7 行 E 列（检查组）：检查组不能为空"),
    (
        "得分",
        "F1",
        "政治见设",
        "〔得分〕第 1 行 F 列（政治见设）：不认识的列名“政治见设”（是否想写“政治建设”？）；请使用站点上下载的评分模板",
    ),
    (
        "扣分",
        "D1",
        "问题描述",
        "〔扣分〕第 1 行 D 列（问题描述）：不认识的列名“问题描述”（是否想写“问题”？）；请使用站点上下载的评分模板",
    ),
    ("得分", "C1", "考核类别", None),  # 类别 is shown, not read: renaming it changes nothing
    (
        "扣分",
        "B2",
        "政治见设",
        "〔扣分〕第 2 行 B 列（维度）：“政治见设”不是考核维度；应为：政治建设、党建责任、组织建设、党员教育、思想文化和统战、团青工作、队伍建设、日常工作",
    ),
    ("扣分", "D3", None, "〔扣分〕第 3 行 D 列（问题）：扣分必须写明问题"),
    ("扣分", "C4", 0, "〔扣分〕第 4 行 C 列（扣分）：扣分应大于 0；没有扣分请删除这一行"),
    (
        "扣分",
        "E2",
        "ABC",
        f"〔扣分〕第 2 行 E 列（问题类型）：“ABC”不在{LISTED}中；请从下拉列表中选择",
    ),
    (
        "扣分",
        "E3",
        None,
        f"〔扣分〕第 3 行 E 列（问题类型）：不能为空：请从下拉列表中选择{LISTED}中的一项，如“{TYPES[0]}”",
    ),
    (
        "扣分",
        "E1",
        "类型",
        "〔扣分〕第 1 行 E 列（类型）：不认识的列名“类型”（是否想写“问题类型”？）；请使用站点上下载的评分模板",
    ),
    (
        "扣分",
        "G2",
        "下周",
        "〔扣分〕第 2 行 G 列（销号日期）：应为日期（如 2025-06-20），实际是“下周”",
    ),
]


@pytest.mark.parametrize(("sheet", "cell", "value", "message"), CELL_CASES)
def test_bad_cell_is_reported_by_sheet_row_column_and_nothing_is_written(
    sample: Path, tmp_path: Path, sheet: str, cell: str, value: object, message: str | None
) -> None:
    workbook = export(sample, "2026Q3", tmp_path / "scores.xlsx")
    book = openpyxl.load_workbook(workbook)
    book[sheet][cell] = value
    book.save(workbook)
    before = {p: p.read_bytes() for p in sorted(sample.rglob("*")) if p.is_file()}
    code, output = import_(workbook, "2026Q3", sample)
    if message is None:
        assert code == 0, output
        assert {p: p.read_bytes() for p in sorted(sample.rglob("*")) if p.is_file()} == before
        return
    assert code == 1
    assert f"scores.xlsx {message}" in output.splitlines()
    assert "未写入任何文件" in output
    assert {p: p.read_bytes() for p in sorted(sample.rglob("*")) if p.is_file()} == before


def test_a_workbook_without_the_sheets_is_refused(sample: Path, tmp_path: Path) -> None:
    path = tmp_path / "other.xlsx"
    pd.DataFrame({"x": [1]}).to_excel(path, index=False)
    code, output = import_(path, "2026Q3", sample)
    assert code == 1
    assert "缺少工作表“得分”" in output


@pytest.fixture(scope="module")
def template() -> tuple[Board, bytes]:
    board = board_of(ROOT / "data")
    return board, template_xlsx(board)


def test_template_lists_the_branches_and_the_dimensions(template: tuple[Board, bytes]) -> None:
    board, content = template
    dataset = board.data
    sheets = pd.read_excel(io.BytesIO(content), sheet_name=None)
    assert list(sheets) == ["得分", "扣分", "满分", "选项"]
    scores = sheets["得分"]
    assert list(scores.columns[:5]) == ["党组织编号", "党组织名称", "类别", "检查日期", "检查组"]
    assert "政治建设" in scores.columns and "日常工作" in scores.columns
    assert len(scores) == sum(1 for b in dataset.branches if dataset.category_for(b.id, "2026Q3"))
    assert scores["政治建设"].isna().all()
    categories = {row["党组织编号"]: row["类别"] for _, row in scores.iterrows()}
    assert categories == {b: dataset.category_for(b, "2026Q3") for b in categories}
    assert list(sheets["扣分"].columns) == [
        "党组织编号", "维度", "扣分", "问题", "问题类型", "整改措施", "销号日期",
    ]  # fmt: skip


def test_template_shows_each_maximum_for_each_category(template: tuple[Board, bytes]) -> None:
    board, content = template
    rules = board.data.rules_for("2026Q3")
    assert rules is not None
    book = openpyxl.load_workbook(io.BytesIO(content))
    rows = {r[0]: r[1:4] for r in book["满分"].iter_rows(min_row=2, values_only=True) if r[0]}
    assert [c.value for c in book["满分"][1]][:4] == ["项目", "Ⅰ类", "Ⅱ类", "Ⅲ类"]
    for d in rules.dimensions:
        assert [Decimal(str(v)) for v in rows[d.name]] == [d.max[c] for c in ("Ⅰ", "Ⅱ", "Ⅲ")]
    assert [Decimal(str(v)) for v in rows["维度合计"]] == [Decimal(100)] * 3


def test_template_has_dropdowns_and_protected_ids(template: tuple[Board, bytes]) -> None:
    board, content = template
    book = openpyxl.load_workbook(io.BytesIO(content))
    scores, deductions, options = book["得分"], book["扣分"], book["选项"]
    assert options.sheet_state == "hidden"
    listed = {str(options.cell(1, c).value): [v for (v,) in options.iter_rows(
        min_row=2, min_col=c, max_col=c, values_only=True) if v]
        for c in range(1, options.max_column + 1)}  # fmt: skip
    branches = [b.id for b in board.data.branches if board.data.category_for(b.id, "2026Q3")]
    assert listed["党组织编号"] == branches
    assert listed["维度"][0] == "政治建设"
    assert listed["问题类型"] == TYPES
    checks = {str(v.sqref): v.formula1 for v in deductions.data_validations.dataValidation}
    assert checks == {
        "A2:A1048576": "'选项'!$A$2:$A$32",
        "B2:B1048576": "'选项'!$B$2:$B$9",
        "E2:E1048576": f"'选项'!$C$2:$C${len(TYPES) + 1}",
    }
    for sheet in (scores, deductions, book["满分"], options):
        assert sheet.protection.sheet and not sheet.protection.password
    assert [scores[f"{c}2"].protection.locked for c in "ABCDEF"] == [True] * 3 + [False] * 3
    assert scores["A2"].style == "受保护"
    assert deductions.column_dimensions["A"].protection.locked is False  # rows to add are open


def test_a_filled_in_template_imports(sample: Path, tmp_path: Path) -> None:
    path = tmp_path / "template.xlsx"
    path.write_bytes(template_xlsx(board_of(sample)))
    book = openpyxl.load_workbook(path)
    scores = book["得分"]
    for row in range(2, scores.max_row + 1):
        scores[f"D{row}"], scores[f"E{row}"] = "2026-09-15", "第一检查组"
    deductions = book["扣分"]
    deductions.append(["b01-yunwei", "政治建设", 1.5, "理论学习记录不全", TYPES[0]])
    book.save(path)
    code, output = import_(path, "2026Q3", sample)
    assert code == 0, output
    text = (sample / "assessments" / "2026Q3" / "b01-yunwei.yaml").read_text(encoding="utf-8")
    assert f"  points: 1.5\n  reason: 理论学习记录不全\n  type: {TYPES[0]}\n" in text


def test_csv_opens_in_excel_with_chinese_intact() -> None:
    data = quarter_csv(board_of(ROOT / "data"), "2026Q3")
    assert data.startswith(b"\xef\xbb\xbf")  # Excel needs the BOM to read UTF-8
    frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert list(frame.columns[:3]) == ["季度", "类别", "名次"]
    assert set(frame["榜单"].dropna()) <= {"红榜", "蓝榜", "黄色预警"}


def test_exports_are_byte_identical_across_runs() -> None:
    board = board_of(ROOT / "data")
    assert quarter_xlsx(board, "2026Q3") == quarter_xlsx(board, "2026Q3")
