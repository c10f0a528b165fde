"""Excel in and out: exports, the blank template, and import-scores with bad cells."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from generator.cli import main
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


CELL_CASES = [
    ("得分", "E3", "abc", "〔得分〕第 3 行 E 列（政治建设）：应为 0～20 的数字，实际是“abc”"),
    ("得分", "F4", 99, "〔得分〕第 4 行 F 列（党建责任）：应为 0～15 的数字，实际是 99"),
    (
        "得分",
        "A5",
        "b99-nope",
        "〔得分〕第 5 行 A 列（党组织编号）：“b99-nope”不是 2026Q3 参加考核的党组织编号",
    ),
    (
        "得分",
        "C6",
        "昨天",
        "〔得分〕第 6 行 C 列（检查日期）：应为日期（如 2025-06-20），实际是“昨天”",
    ),
    ("得分", "D7", None, "〔得分〕第 7 行 D 列（检查组）：检查组不能为空"),
    (
        "扣分",
        "B2",
        "政治见设",
        "〔扣分〕第 2 行 B 列（维度）：“政治见设”不是考核维度；应为：政治建设、党建责任、组织建设、党员教育、思想文化和统战、团青工作、队伍建设、日常工作",
    ),
    ("扣分", "D3", None, "〔扣分〕第 3 行 D 列（问题）：扣分必须写明问题"),
    ("扣分", "C4", 0, "〔扣分〕第 4 行 C 列（扣分）：扣分应大于 0；没有扣分请删除这一行"),
]


@pytest.mark.parametrize(("sheet", "cell", "value", "message"), CELL_CASES)
def test_bad_cell_is_reported_by_sheet_row_column_and_nothing_is_written(
    sample: Path, tmp_path: Path, sheet: str, cell: str, value: object, message: str
) -> None:
    workbook = export(sample, "2026Q3", tmp_path / "scores.xlsx")
    book = openpyxl.load_workbook(workbook)
    book[sheet][cell] = value
    book.save(workbook)
    before = {p: p.read_bytes() for p in sorted(sample.rglob("*")) if p.is_file()}
    code, output = import_(workbook, "2026Q3", sample)
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


def test_template_lists_the_branches_and_the_dimensions() -> None:
    board = board_of(ROOT / "data")
    dataset = board.data
    sheets = pd.read_excel(io.BytesIO(template_xlsx(board)), sheet_name=None)
    assert list(sheets) == ["得分", "扣分"]
    scores = sheets["得分"]
    assert list(scores.columns[:4]) == ["党组织编号", "党组织名称", "检查日期", "检查组"]
    assert "政治建设" in scores.columns and "日常工作" in scores.columns
    assert len(scores) == sum(1 for b in dataset.branches if dataset.category_for(b.id, "2026Q3"))
    assert scores["政治建设"].isna().all()
    assert list(sheets["扣分"].columns) == ["党组织编号", "维度", "扣分", "问题"]


def test_csv_opens_in_excel_with_chinese_intact() -> None:
    data = quarter_csv(board_of(ROOT / "data"), "2026Q3")
    assert data.startswith(b"\xef\xbb\xbf")  # Excel needs the BOM to read UTF-8
    frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert list(frame.columns[:3]) == ["季度", "类别", "名次"]
    assert set(frame["榜单"].dropna()) <= {"红榜", "蓝榜", "黄色预警"}


def test_exports_are_byte_identical_across_runs() -> None:
    board = board_of(ROOT / "data")
    assert quarter_xlsx(board, "2026Q3") == quarter_xlsx(board, "2026Q3")
