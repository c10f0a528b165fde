"""Excel ledgers (台账): export then import changes nothing, byte for byte; every bad
cell is named by sheet, row and column; ids are protected; no formula is ever written."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.model import schema
from generator.model.ledgers import (
    COMMITMENT_COLUMNS,
    MEMBER_COLUMNS,
    STEP_COLUMNS,
    comparisons,
    indicators,
    problems,
    stars,
)
from generator.model.loading import load_dataset
from tests.conftest import ROOT, TINY

WORKBOOK = "台账.xlsx"


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def copy_of(name: str, tmp_path: Path) -> Path:
    """A copy of the sample data (``data``) or of the tiny fixture, safe to change."""
    target = tmp_path / name
    shutil.copytree(ROOT / "data" if name == "data" else TINY, target)
    return target


def export(data: Path, verb: str, to: Path, *args: str) -> Path:
    code, out, err = invoke(f"export-{verb}", str(to), "--data", str(data), *args)
    assert code == 0, err
    assert "只供党建工作部门内部使用" in out
    return to


def files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# --------------------------------------------------------- the round trip

ROUND_TRIPS = [
    ("data", "members", []),
    ("data", "members", ["--branch", "b07-peidian"]),
    ("data", "commitments", []),  # the latest year: 2026
    ("data", "commitments", ["--year", "2025"]),
    ("data", "comparisons", []),
    ("data", "comparisons", ["--year", "2030"]),  # no form that year: blank forms
    ("data", "stars", []),
    ("data", "stars", ["--branch", "b07-peidian"]),
    ("data", "problems", []),  # the latest quarter
    ("data", "problems", ["--all"]),
    ("data", "indicators", []),
    ("tiny", "members", []),
    ("tiny", "commitments", []),
    ("tiny", "commitments", ["--year", "2030"]),  # no commitments that year: a blank ledger
    ("tiny", "comparisons", []),
    ("tiny", "comparisons", ["--year", "2026"]),  # a blank form for each branch
    ("tiny", "stars", []),  # one branch rated, one blank row
    ("tiny", "stars", ["--branch", "b02-bangong", "--year", "2026"]),
    ("tiny", "problems", ["--branch", "b01-yunwei"]),
    ("tiny", "indicators", ["--quarter", "2026Q3"]),
]


@pytest.mark.parametrize(("name", "verb", "args"), ROUND_TRIPS)
def test_export_then_import_changes_nothing(
    tmp_path: Path, name: str, verb: str, args: list[str]
) -> None:
    data = copy_of(name, tmp_path)
    before = files(data)
    workbook = export(data, verb, tmp_path / WORKBOOK, *args)
    code, out, err = invoke(f"import-{verb}", str(workbook), "--data", str(data))
    assert code == 0, err
    assert out == f"已导入 {WORKBOOK}：没有变化，未改写任何文件。\n"
    assert files(data) == before


def latest(data: Path, folder: str) -> str:
    """The last year or quarter the sample has in ``folder`` (whatever data/ holds)."""
    names = sorted(p.name.removesuffix(".yaml") for p in (data / folder).glob("*"))
    return names[-1] if names else "none"


REWRITES = [
    # (verb, export options, the files changed, the field set to 临时 in each)
    ("members", [], "members/*.yaml", "post"),
    ("commitments", ["--year", "{commitments}"], "commitments/{commitments}/b*.yaml", "verifier"),
    ("comparisons", ["--year", "{comparisons}"], "comparisons/{comparisons}/*.yaml", "study"),
    ("stars", ["--year", "{stars}"], "stars/{stars}/*.yaml", "rated_by"),
    ("problems", ["--all"], "assessments/*/b*.yaml", "measure"),  # the office's follow-up
    ("indicators", ["--quarter", "{indicators}"], "indicators/{indicators}.yaml", "value"),
]


@pytest.mark.parametrize(("verb", "args", "where", "field"), REWRITES, ids=[r[0] for r in REWRITES])
def test_every_file_written_again_is_byte_identical(
    tmp_path: Path, verb: str, args: list[str], where: str, field: str
) -> None:
    """Change one field in every file, import the workbook exported before: every file
    is written again, and each is the sample's own bytes (the sample is in the canonical
    layout), so nothing of a record is lost on the way through Excel."""
    data = copy_of("data", tmp_path)
    last = {kind: latest(data, kind) for kind in ("commitments", "comparisons", "stars")}
    last["indicators"] = latest(data, "indicators")
    before = files(data)
    workbook = export(data, verb, tmp_path / WORKBOOK, *[a.format(**last) for a in args])
    changed = 0
    for path in data.glob(where.format(**last)):
        text = path.read_text(encoding="utf-8")
        new = re.sub(rf"^(\s*(?:- )?){field}: .*$", rf"\1{field}: 临时", text, flags=re.M)
        path.write_text(new, encoding="utf-8")
        changed += new != text
    assert changed, f"the sample has no {field} in {where}"
    code, out, err = invoke(f"import-{verb}", str(workbook), "--data", str(data))
    assert code == 0, err
    assert f"改写 {changed} 个文件" in out
    assert files(data) == before


def test_an_edited_cell_rewrites_only_its_file(tmp_path: Path) -> None:
    data = copy_of("tiny", tmp_path)
    workbook = export(data, "members", tmp_path / WORKBOOK)
    edit(workbook, [("set", "党员名册", "D3", "变电运维技师")])
    before = files(data)
    code, out, _ = invoke("import-members", str(workbook), "--data", str(data))
    assert code == 0
    assert out.splitlines() == [
        f"已导入 {WORKBOOK}：改写 1 个文件（其余 1 个没有变化）：",
        f"  {(data / 'members' / 'b01-yunwei.yaml').as_posix()}",
        "请运行 board check 并提交合并请求。",
    ]
    after = files(data)
    assert {rel for rel in after if after[rel] != before[rel]} == {"members/b01-yunwei.yaml"}
    assert load_dataset(data).members["m002"].post == "变电运维技师"


def test_sorted_rows_change_nothing_and_a_new_member_goes_last(tmp_path: Path) -> None:
    data = copy_of("tiny", tmp_path)
    workbook = export(data, "members", tmp_path / WORKBOOK)
    book = openpyxl.load_workbook(workbook)
    sheet = book["党员名册"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    for r, values in enumerate(reversed(rows), start=2):
        for c, value in enumerate(values, start=1):
            sheet.cell(row=r, column=c).value = value
    sheet.append(["b01-yunwei", "m108", "王新宇", "变电运维工", None, "b01-g1", "2026-09-01"])
    book.save(workbook)
    code, _, err = invoke("import-members", str(workbook), "--data", str(data))
    assert code == 0, err
    text = (data / "members" / "b01-yunwei.yaml").read_text(encoding="utf-8")
    assert re.findall(r"id: (m\d+)", text) == ["m001", "m002", "m107", "m108"]
    assert load_dataset(data).members["m108"].joined_on.isoformat() == "2026-09-01"


def test_a_step_goes_where_its_number_says(tmp_path: Path) -> None:
    data = copy_of("tiny", tmp_path)
    workbook = export(data, "commitments", tmp_path / WORKBOOK)
    step = ["c2026-m002-service", 0.5, "科学定诺", "2026-01-05", "初稿", "退回修改"]
    edit(workbook, [("append", "承诺进度", step)])
    code, _, err = invoke("import-commitments", str(workbook), "--data", str(data))
    assert code == 0, err
    (row,) = [c for c in load_dataset(data).commitments if c.commitment.id == "c2026-m002-service"]
    assert [(s.date.isoformat(), s.note) for s in row.commitment.progress] == [
        ("2026-01-05", "初稿"),
        ("2026-01-12", None),
    ]


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    data = copy_of("tiny", tmp_path)
    path = data / "commitments" / "2026" / "b01-yunwei.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("text: 全年倒闸操作零差错", 'text: "=1+1"'), encoding="utf-8")
    before = files(data)
    workbook = export(data, "commitments", tmp_path / WORKBOOK)
    book = openpyxl.load_workbook(workbook)
    cell = book["承诺台账"]["G2"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("=1+1", "s", True)
    assert not [c.coordinate for s in book for r in s.iter_rows() for c in r if c.data_type == "f"]
    with zipfile.ZipFile(workbook) as raw:
        assert not any(b"<f>" in raw.read(n) for n in raw.namelist() if n.endswith(".xml"))
    code, out, _ = invoke("import-commitments", str(workbook), "--data", str(data))
    assert code == 0 and "没有变化" in out
    assert files(data) == before
    edit(workbook, [("text", "承诺台账", "H2", "=SUM(1,2)")])  # typed as text in Excel
    code, _, err = invoke("import-commitments", str(workbook), "--data", str(data))
    assert code == 0, err
    (row,) = [c for c in load_dataset(data).commitments if c.commitment.id == "c2026-m001-post"]
    assert (row.commitment.text, row.commitment.target) == ("=1+1", "=SUM(1,2)")


# ------------------------------------------------- dropdowns and protection


def dropdowns(book: Any, name: str) -> dict[str, list[str]]:
    """Each dropdown of a sheet: its column's header and the values it offers."""
    sheet, options = book[name], book["选项"]
    out = {}
    for check in sheet.data_validations.dataValidation:
        letter = str(check.sqref).split(":")[0].rstrip("0123456789")
        cells = re.fullmatch(r"'选项'!\$([A-Z]+)\$2:\$[A-Z]+\$(\d+)", check.formula1)
        assert cells is not None and str(check.sqref).endswith("1048576")
        values = [options[f"{cells[1]}{r}"].value for r in range(2, int(cells[2]) + 1)]
        out[str(sheet[f"{letter}1"].value)] = values
    return out


def test_ledgers_have_dropdowns_protected_ids_and_say_they_are_internal(tmp_path: Path) -> None:
    data = copy_of("tiny", tmp_path)
    members = openpyxl.load_workbook(export(data, "members", tmp_path / "m.xlsx"))
    commitments = openpyxl.load_workbook(export(data, "commitments", tmp_path / "c.xlsx"))
    branches = ["b01-yunwei", "b02-bangong"]
    assert dropdowns(members, "党员名册") == {
        "党支部编号": branches,
        "党内职务": list(schema.ROLES),
        "离开原因": list(schema.LEFT_REASONS),
        "调往支部编号": branches,
    }
    assert dropdowns(commitments, "承诺台账") == {
        "党支部编号": branches,
        "承诺类型": ["岗位承诺", "服务承诺", "共性承诺", "实事承诺"],
    }
    assert dropdowns(commitments, "承诺进度") == {
        "步骤": list(schema.STAGES),
        "支部审核结果": ["审核通过", "退回修改"],
        "评议等次": ["优秀", "良好", "一般", "较差"],
        "兑现情况": ["已兑现", "未兑现"],
    }
    for book in (members, commitments):
        assert book["选项"].sheet_state == "hidden"
        for sheet in book:
            assert sheet.protection.sheet and sheet.protection.password is None, sheet.title
        guide = "\n".join(str(c.value) for row in book["说明"].iter_rows() for c in row)
        assert "内部资料" in guide and "不公开" in guide and "撤销工作表保护" in guide
    roll = members["党员名册"]
    assert [roll[f"{c}2"].protection.locked for c in "ABCDEFGHIJ"] == [True] * 2 + [False] * 8
    assert roll["B2"].style == "受保护"
    assert roll.column_dimensions["B"].protection.locked is False  # new rows are open
    ledger, steps = commitments["承诺台账"], commitments["承诺进度"]
    assert [ledger[f"{c}2"].protection.locked for c in "ABCDEFG"] == [True] * 5 + [False] * 2
    assert [steps[f"{c}2"].protection.locked for c in "ABC"] == [True, False, False]


def test_the_columns_hold_every_field_of_the_model() -> None:
    def fields(columns: Any, besides: set[str]) -> set[str]:
        return {c.field for c in columns} - besides

    assert fields(MEMBER_COLUMNS, {"branch"}) == set(schema.Member.model_fields)
    commitment = set(schema.Commitment.model_fields) - {"progress"}
    assert fields(COMMITMENT_COLUMNS, {"year", "branch", ""}) == commitment
    assert fields(STEP_COLUMNS, {"commitment", "order"}) == set(schema.StageRecord.model_fields)
    keys = {"year", "branch", ""}
    assert fields(comparisons.COLUMNS, {*keys, "held_on"}) == set(schema.Comparison.model_fields)
    form = set(schema.ComparisonFile.model_fields) - {"members"}
    assert fields(comparisons.COLUMNS, set(schema.Comparison.model_fields) | {""}) == form
    rating = set(schema.StarRating.model_fields) - {"branch", "year", "criteria", "teams"}
    assert fields(stars.RATING_COLUMNS, keys) == rating
    assert fields(stars.TEAM_COLUMNS, keys) == set(schema.TeamRating.model_fields)
    marks = {f"{part}/{name}" for name in ("甲", "乙") for part in ("met", "note")}
    assert fields(stars.criteria_columns(["甲", "乙"]), keys) == marks  # StarCriterion's met, note
    ledger = fields(problems.columns(["甲"]), {"quarter", "branch", "", "number", "state"})
    assert ledger == set(schema.Deduction.model_fields)
    assert fields(indicators.columns(["甲"]), {"unit"}) == set(schema.Indicator.model_fields)
    assert fields(indicators.NOTICE_COLUMNS, set()) == {"quarter", "source"}


def unpublish(data: Path) -> None:
    """The tiny fixture's quarter, not yet published (its problems' types still open)."""
    info = data / "assessments" / "2026Q3" / "_quarter.yaml"
    info.write_text(info.read_text(encoding="utf-8").replace("published: 2026-10-10\n", ""))


def no_indicators(data: Path) -> None:
    (data / "indicators" / "2026Q3.yaml").unlink()


BRANCHES = ["b01-yunwei", "b02-bangong"]
STARS = ["1", "2", "3", "4", "5"]
TYPES = ["组织生活不规范", "党费管理不规范", "主题党日不规范", "台账记录不全"]  # tiny's site.yaml
YES_NO = ["是", "否"]
LAYOUTS = [
    # (verb, data changed first, sheet, its dropdowns, row 2: L locked, . open)
    ("comparisons", None, "三比三看",
     {"党支部编号": BRANCHES, "评比结果": list(schema.COMPARISON_RESULTS)}, "LL.LL........"),
    ("stars", None, "星级评定", {"党支部编号": BRANCHES, "星级": STARS}, "LLL...."),
    ("stars", None, "评定标准",
     {"党支部编号": BRANCHES, **{c: YES_NO for c in schema.DEFAULT_STAR_CRITERIA}}, "LLL" + "." * 12),
    ("stars", None, "班组星级", {"党支部编号": BRANCHES, "班组星级": STARS}, "LL.."),
    ("problems", None, "整改台账", {"党组织编号": BRANCHES, "问题类型": TYPES}, "LLLLLLLLL.."),
    ("problems", unpublish, "整改台账", {"党组织编号": BRANCHES, "问题类型": TYPES}, "LLLLLLLL..."),
    ("indicators", None, "指标红榜", {"单位": ["办公室", "运维检修部"], "是否红榜": YES_NO}, "LL.."),
    ("indicators", None, "通报", {}, "L."),
]  # fmt: skip


@pytest.mark.parametrize(
    ("verb", "setup", "name", "lists", "locked"), LAYOUTS,
    ids=[f"{verb} {name}{' unpublished' if setup else ''}" for verb, setup, name, *_ in LAYOUTS],
)  # fmt: skip
def test_practice_ledgers_have_dropdowns_and_locked_keys(
    tmp_path: Path, verb: str, setup: Any, name: str, lists: dict[str, list[str]], locked: str
) -> None:
    data = copy_of("tiny", tmp_path)
    if setup:
        setup(data)
    book = openpyxl.load_workbook(export(data, verb, tmp_path / WORKBOOK))
    assert dropdowns(book, name) == lists
    sheet = book[name]
    row = "".join("L" if c.protection.locked else "." for c in sheet[2])
    assert row == locked
    assert all(sheet.column_dimensions[c.column_letter].protection.locked is False
               for c in sheet[1])  # fmt: skip
    assert book["选项"].sheet_state == "hidden"
    assert all(s.protection.sheet and s.protection.password is None for s in book)
    guide = "\n".join(str(c.value) for row in book["说明"].iter_rows() for c in row)
    assert "内部资料" in guide and "撤销工作表保护" in guide


@pytest.mark.parametrize("verb", ["commitments", "comparisons", "stars", "problems", "indicators"])
def test_exports_are_byte_identical_across_runs(tmp_path: Path, verb: str) -> None:
    data = copy_of("tiny", tmp_path)
    first = export(data, verb, tmp_path / "1.xlsx").read_bytes()
    assert export(data, verb, tmp_path / "2.xlsx").read_bytes() == first


# -------------------------------------------------------------- bad input

Edit = tuple[Any, ...]


def edit(workbook: Path, edits: list[Edit]) -> None:
    """Change a workbook as an editor would: ("set", sheet, cell, value) types a value
    (a formula if it starts with =), ("text", ...) types text, ("append", sheet, values)
    adds a row, ("rename", sheet, name) and ("drop", sheet) change the sheets."""
    book = openpyxl.load_workbook(workbook)
    for op, sheet, *rest in edits:
        if op in ("set", "text"):
            book[sheet][rest[0]] = rest[1]
            if op == "text":
                book[sheet][rest[0]].data_type = "s"
        elif op == "append":
            book[sheet].append(rest[0])
        elif op == "rename":
            book[sheet].title = rest[0]
        else:
            del book[sheet]
    book.save(workbook)


ROLES = "、".join(schema.ROLES)
NEW_STEP = ["c2026-m999-post", 1, "科学定诺", "2026-02-01", None, "审核通过"]
MEMBER_CASES = [
    # (what, edits, export options, the line reported)
    ("unknown sheet", [("rename", "党员名册", "党员名单")], [],
     "〔党员名单〕第 1 行：不认识的工作表“党员名单”（是否想写“党员名册”？）；党员名册应有工作表：说明、党员名册"),
    ("no guide sheet", [("drop", "说明")], [],
     "〔说明〕第 1 行：缺少工作表“说明”；请使用 board export-members 导出的工作簿"),
    ("missing column", [("set", "党员名册", "C1", None)], [],
     "〔党员名册〕第 1 行：缺少列“姓名”；请使用 board 导出的工作簿，不要删除或改动列名"),
    ("misspelt column", [("set", "党员名册", "D1", "岗位名称")], [],
     "〔党员名册〕第 1 行 D 列（岗位名称）：不认识的列名“岗位名称”（是否想写“岗位”？）"),
    ("bad date", [("set", "党员名册", "H2", "去年")], [],
     "〔党员名册〕第 2 行 H 列（离开日期）：应为日期（如 2026-06-30），实际是“去年”"),
    ("impossible date", [("set", "党员名册", "G3", "2026-02-30")], [],
     "〔党员名册〕第 3 行 G 列（转入日期）：应为日期（如 2026-06-30），实际是“2026-02-30”"),
    ("bad role", [("set", "党员名册", "E3", "书记")], [],
     f"〔党员名册〕第 3 行 E 列（党内职务）：“书记”不是可选的值（是否想写“支部书记”？）；应为以下之一：{ROLES}"),
    ("bad left_reason", [("set", "党员名册", "I4", "退休了")], [],
     "〔党员名册〕第 4 行 I 列（离开原因）：“退休了”不是可选的值（是否想写“退休”？）；应为以下之一：调出、退休、去世、其他"),
    ("duplicate id", [("set", "党员名册", "B3", "m001")], [],
     "〔党员名册〕第 3 行 B 列（党员编号）：党员“m001”在党支部“b01-yunwei”中出现了两次（第 2 行已有）；同一支部的每名党员只写一行"),
    ("id changed in a protected column", [("set", "党员名册", "B2", "m999")], [],
     "〔党员名册〕第 2 行 B 列（党员编号）：“m999”不是导出时的编号：编号列受保护，已有党员的编号不能修改（其他记录按编号引用它）；新增党员请在表格末尾的空行填写"),
    ("empty required cell", [("set", "党员名册", "C2", None)], [],
     "〔党员名册〕第 2 行 C 列（姓名）：不能为空"),
    ("empty branch", [("append", "党员名册", [None, "m200", "王新宇", "运维工"])], [],
     "〔党员名册〕第 6 行 A 列（党支部编号）：不能为空"),
    ("unknown branch", [("append", "党员名册", ["b09-nope", "m200", "王新宇", "运维工"])], [],
     "〔党员名册〕第 6 行 A 列（党支部编号）：找不到党支部“b09-nope”"),
    ("bad id", [("append", "党员名册", ["b01-yunwei", "M-200", "王新宇", "运维工"])], [],
     "〔党员名册〕第 6 行 B 列（党员编号）：“M-200”不是有效的编号：只能用小写英文字母、数字和单个连字符，如 b01-yunwei（编号用于网址，不能含中文、大写、空格或斜杠）"),
    ("formula", [("set", "党员名册", "C2", "=A1")], [],
     "〔党员名册〕第 2 行 C 列（姓名）：单元格中是公式；请直接填写内容（以 = 开头的文字，请先输入一个英文单引号 '）"),
    ("outside the exported branch", [("append", "党员名册", ["b02-bangong", "m200", "王新宇", "运维工"])],
     ["--branch", "b01-yunwei"],
     "〔党员名册〕第 5 行 A 列（党支部编号）：本工作簿只含党支部“b01-yunwei”的党员（导出时指定了 --branch），不能导入“b02-bangong”的党员；请导出该党支部的台账"),
    ("every row of a branch deleted", [("set", "党员名册", f"{c}5", None) for c in "ABCDE"], [],
     "〔党员名册〕第 1 行：党支部“b02-bangong”的行全部删除了：导入不会清空整个文件；确需删除，请直接删除数据目录中的 members/b02-bangong.yaml"),
    ("the loader's problem, put back in its cell", [("set", "党员名册", "H3", "2026-10-31")], [],
     "〔党员名册〕第 3 行 I 列（离开原因）：写了离开日期 left_on，请同时写明离开原因 left_reason（调出、退休、去世、其他）"),
]  # fmt: skip
COMMITMENT_CASES = [
    ("the other ledger", "members", [], [],
     "〔承诺台账〕第 1 行：缺少工作表“承诺台账”（这是党员名册，请用 board import-members 导入）；请使用 board export-commitments 导出的工作簿"),
    ("no steps sheet", "commitments", [("drop", "承诺进度")], [],
     "〔承诺进度〕第 1 行：缺少工作表“承诺进度”；请使用 board export-commitments 导出的工作簿"),
    ("bad scope", "commitments", [("set", "说明", "B4", "明年")], [],
     "〔说明〕第 1 行：“导出年度”应为年份，实际是“明年”；请使用 board 导出的工作簿"),
    ("bad kind", "commitments", [("set", "承诺台账", "F2", "岗位承偌")], [],
     "〔承诺台账〕第 2 行 F 列（承诺类型）：“岗位承偌”不是可选的值（是否想写“岗位承诺”？）；应为以下之一：岗位承诺、服务承诺、共性承诺、实事承诺"),
    ("bad stage", "commitments", [("set", "承诺进度", "C2", "科学订诺")], [],
     "〔承诺进度〕第 2 行 C 列（步骤）：“科学订诺”不是可选的值（是否想写“科学定诺”？）；应为以下之一：科学定诺、公开承诺、履责践诺、定期督诺、民主评诺"),
    ("bad review", "commitments", [("set", "承诺进度", "F2", "通过")], [],
     "〔承诺进度〕第 2 行 F 列（支部审核结果）：“通过”不是可选的值（是否想写“审核通过”？）；应为以下之一：审核通过、退回修改"),
    ("duplicate id", "commitments", [("set", "承诺台账", "C3", "c2026-m001-post")], [],
     "〔承诺台账〕第 3 行 C 列（承诺编号）：承诺编号“c2026-m001-post”出现了两次（第 2 行已有）；编号必须唯一"),
    ("id changed in a protected column", "commitments", [("set", "承诺台账", "C2", "c2026-m001-x")], [],
     "〔承诺台账〕第 2 行 C 列（承诺编号）：“c2026-m001-x”不是导出时的编号：编号列受保护，已有承诺的编号不能修改（其他记录按编号引用它）；新增承诺请在表格末尾的空行填写"),
    ("member changed in a protected column", "commitments", [("set", "承诺台账", "D2", "m002")], [],
     "〔承诺台账〕第 2 行 D 列（党员编号）：这一列受保护，已有承诺的党员编号不能修改（导出时是“m001”）；确需修改，请删除这一行并在末尾新增一项承诺"),
    ("unknown member", "commitments",
     [("append", "承诺台账", [2026, "b01-yunwei", "c2026-m999-post", "m999", None, "岗位承诺", "新承诺"]),
      ("append", "承诺进度", NEW_STEP)], [],
     "〔承诺台账〕第 5 行 D 列（党员编号）：找不到党员“m999”；请先在党员名册中添加这名党员"),
    ("another year", "commitments",
     [("append", "承诺台账", [2025, "b01-yunwei", "c2025-m001-x", "m001", None, "岗位承诺", "新承诺"])], [],
     "〔承诺台账〕第 5 行 A 列（年度）：本工作簿是 2026 年度的承诺台账，不能导入 2025 年度的承诺；请用 board export-commitments --year 2025 导出该年度的台账"),
    ("bad year", "commitments", [("set", "承诺台账", "A2", "二〇二六")], [],
     "〔承诺台账〕第 2 行 A 列（年度）：应为四位年份（如 2026），实际是“二〇二六”"),
    ("step of no commitment", "commitments",
     [("append", "承诺进度", ["c2026-nope", 1, "科学定诺", "2026-01-10", None, "审核通过"])], [],
     "〔承诺进度〕第 9 行 A 列（承诺编号）：“承诺台账”中没有承诺“c2026-nope”；每一步都要属于台账中的一项承诺（删除承诺时请同时删除它的各步）"),
    ("duplicate step number", "commitments", [("set", "承诺进度", "B3", 1)], [],
     "〔承诺进度〕第 3 行 B 列（步骤序号）：承诺“c2026-m001-post”的步骤序号 1 出现了两次（第 2 行已有）"),
    ("bad step number", "commitments", [("set", "承诺进度", "B3", "第二步")], [],
     "〔承诺进度〕第 3 行 B 列（步骤序号）：应为正数（如 1、2、3；插在两步之间可写 2.5），实际是“第二步”"),
    ("no steps", "commitments",
     [("append", "承诺台账", [2026, "b01-yunwei", "c2026-m001-extra", "m001", None, "实事承诺", "新承诺"])], [],
     "〔承诺台账〕第 5 行 C 列（承诺编号）：这项承诺没有任何步骤：请在“承诺进度”中至少填写一步（科学定诺）"),
    ("empty required cell", "commitments", [("set", "承诺台账", "G2", None)], [],
     "〔承诺台账〕第 2 行 G 列（承诺内容）：不能为空"),
    ("bad step date", "commitments", [("set", "承诺进度", "D2", "2026-13-01")], [],
     "〔承诺进度〕第 2 行 D 列（日期）：应为日期（如 2026-06-30），实际是“2026-13-01”"),
    ("empty step date", "commitments", [("set", "承诺进度", "D2", None)], [],
     "〔承诺进度〕第 2 行 D 列（日期）：不能为空"),
    ("the loader's problem, put back in its cell", "commitments", [("set", "承诺进度", "C3", "民主评诺")], [],
     "〔承诺进度〕第 3 行 I 列（评议等次）：“民主评诺”需写评议等次 rating：优秀、良好、一般 或 较差"),
]  # fmt: skip
A_MEMBER = ["学习", 10, "贡献", 1, None, 90, 10, "合格"]  # 比学习 … 评比结果, all well written
RATED = [
    ("set", "星级评定", c, v) for c, v in (("D3", 3), ("E3", "2026-01-15"), ("F3", "公司党委"))
]
CLEARED = [("set", "指标红榜", f"{c}{r}", None) for r in range(2, 22) for c in "ABCD"]
PRACTICE_CASES = [
    # (what, verb, exported by, data changed first, export options, edits, import options,
    #  the line reported)
    ("not a number", "comparisons", None, None, [], [("set", "三比三看", "K2", "九十")], [],
     "〔三比三看〕第 2 行 K 列（群众满意度（%））：应为数字，实际是“九十”"),
    ("over 100", "comparisons", None, None, [], [("set", "三比三看", "K2", 120)], [],
     "〔三比三看〕第 2 行 K 列（群众满意度（%））：应不大于 100，实际是 120"),
    ("not a whole number", "comparisons", None, None, [], [("set", "三比三看", "G2", 26.5)], [],
     "〔三比三看〕第 2 行 G 列（学习次数）：应为整数，实际是“26.5”"),
    ("no one asked", "comparisons", None, None, [], [("set", "三比三看", "L2", 0)], [],
     "〔三比三看〕第 2 行 L 列（测评人数）：应不小于 1，实际是 0"),
    ("bad result", "comparisons", None, None, [], [("set", "三比三看", "M3", "良好")], [],
     "〔三比三看〕第 3 行 M 列（评比结果）：“良好”不是可选的值；应为以下之一：优秀、合格、基本合格、不合格"),
    ("empty required cell", "comparisons", None, None, [], [("set", "三比三看", "F2", None)], [],
     "〔三比三看〕第 2 行 F 列（比学习）：不能为空"),
    ("two meeting dates", "comparisons", None, None, [], [("set", "三比三看", "C3", "2025-12-27")], [],
     "〔三比三看〕第 3 行 C 列（评比日期）：评比日期 2025-12-27 与第 2 行的 2025-12-26 不同：一个党支部一年的三比三看只有一个评比日期；请把本支部各行改成同一天"),
    ("no meeting date", "comparisons", None, None, [],
     [("set", "三比三看", f"C{r}", None) for r in (2, 3, 4)], [],
     "〔三比三看〕第 2 行 C 列（评比日期）：不能为空：请填写本支部的评比日期（同一支部各行相同）"),
    ("the loader's date window, put back in its cell", "comparisons", None, None, [],
     [("set", "三比三看", f"C{r}", "2026-04-01") for r in (2, 3, 4)], [],
     "〔三比三看〕第 2 行 C 列（评比日期）：评比日期 2026-04-01 不在 2025 年度（2025-01-01 至 2026-03-31）"),
    ("a member twice", "comparisons", None, None, [], [("set", "三比三看", "D3", "m001")], [],
     "〔三比三看〕第 3 行 D 列（党员编号）：党员“m001”在党支部“b01-yunwei”的三比三看中出现了两次（第 2 行已有）；每名党员只写一行"),
    ("id changed in a protected column", "comparisons", None, None, [],
     [("set", "三比三看", "D2", "m999")], [],
     "〔三比三看〕第 2 行 D 列（党员编号）：“m999”不是导出时的编号：编号列受保护，已有党员的编号不能修改（其他记录按编号引用它）；新增党员请在表格末尾的空行填写"),
    ("a blank form's row half filled", "comparisons", None, None, [],
     [("set", "三比三看", "F5", "参加学习")], [],
     "〔三比三看〕第 5 行 M 列（评比结果）：不能为空"),
    ("a member of another branch", "comparisons", None, None, [],
     [("append", "三比三看", [2025, "b01-yunwei", "2025-12-26", "m003", None, *A_MEMBER])], [],
     "〔三比三看〕第 6 行 D 列（党员编号）：党员“m003”在 2025 年不在本支部，不能参加本支部的三比三看"),
    ("unknown member", "comparisons", None, None, [],
     [("append", "三比三看", [2025, "b01-yunwei", "2025-12-26", "m999", None, *A_MEMBER])], [],
     "〔三比三看〕第 6 行 D 列（党员编号）：找不到党员“m999”；请先在党员名册中添加这名党员"),
    ("another year", "comparisons", None, None, [],
     [("append", "三比三看", [2024, "b01-yunwei", "2024-12-26", "m001", None, *A_MEMBER])], [],
     "〔三比三看〕第 6 行 A 列（年度）：本工作簿是 2025 年度的三比三看，不能导入 2024 年度的三比三看；请用 board export-comparisons --year 2024 导出该年度的台账"),
    ("outside the exported branch", "comparisons", None, None, ["--branch", "b01-yunwei"],
     [("append", "三比三看", [2025, "b02-bangong", "2025-12-26", "m003", None, *A_MEMBER])], [],
     "〔三比三看〕第 5 行 B 列（党支部编号）：本工作簿只含党支部“b01-yunwei”的三比三看（导出时指定了 --branch），不能导入“b02-bangong”的三比三看；请导出该党支部的台账"),
    ("every row of a form deleted", "comparisons", None, None, [],
     [("set", "三比三看", f"{c}{r}", None) for r in (2, 3, 4) for c in "ABCDEFGHIJKLM"], [],
     "〔三比三看〕第 1 行：党支部“b01-yunwei”的行全部删除了：导入不会清空整个文件；确需删除，请直接删除数据目录中的 comparisons/2025/b01-yunwei.yaml"),
    ("another ledger", "comparisons", "stars", None, [], [], [],
     "〔三比三看〕第 1 行：缺少工作表“三比三看”（这是星级党支部，请用 board import-stars 导入）；请使用 board export-comparisons 导出的工作簿"),
    ("stars out of range", "stars", None, None, [], [("set", "星级评定", "D2", 6)], [],
     "〔星级评定〕第 2 行 D 列（星级）：应不大于 5，实际是 6"),
    ("stars in words", "stars", None, None, [], [("set", "星级评定", "D2", "四星")], [],
     "〔星级评定〕第 2 行 D 列（星级）：应为整数，实际是“四星”"),
    ("双星联动, put back in the 星级 cell", "stars", None, None, [], [("set", "星级评定", "D2", 5)], [],
     "〔星级评定〕第 2 行 D 列（星级）：评为 5 星级党支部须有 5 星级及以上的班组（双星联动：评定党支部星级时必须有相应星级的班组）；本支部的班组最高为 4 星"),
    ("rated after the window", "stars", None, None, [], [("set", "星级评定", "E2", "2026-06-01")], [],
     "〔星级评定〕第 2 行 E 列（评定日期）：评定日期 2026-06-01 不在 2025 年度（2025-01-01 至 2026-03-31）"),
    ("no rating body", "stars", None, None, [], [("set", "星级评定", "F2", None)], [],
     "〔星级评定〕第 2 行 F 列（评定单位）：不能为空"),
    ("a branch rated twice", "stars", None, None, [],
     [("append", "星级评定", [2025, "b01-yunwei", None, 3, "2026-01-15", "公司党委"])], [],
     "〔星级评定〕第 4 行 B 列（党支部编号）：党支部“b01-yunwei”出现了两次（第 2 行已有）；每个党支部只写一行"),
    ("neither 是 nor 否", "stars", None, None, [], [("set", "评定标准", "D2", "达到")], [],
     "〔评定标准〕第 2 行 D 列（组织设置规范）：“达到”不是可选的值；应为“是”或“否”"),
    ("a criterion left blank", "stars", None, None, [], [("set", "评定标准", "N2", None)], [],
     "〔评定标准〕第 2 行 N 列（群众评价满意）：不能为空"),
    ("a criterion's column misspelt", "stars", None, None, [],
     [("set", "评定标准", "F1", "组织生活正長")], [],
     "〔评定标准〕第 1 行 F 列（组织生活正長）：不认识的列名“组织生活正長”（是否想写“组织生活正常”？）"),
    ("a rating without teams", "stars", None, None, [], RATED, [],
     "〔星级评定〕第 3 行 B 列（党支部编号）：“班组星级”表中没有这个党支部的班组：双星联动，请至少填写一个班组的星级"),
    ("a rating without criteria", "stars", None, None, [], RATED, [],
     "〔评定标准〕第 3 行 D 列（组织设置规范）：不能为空"),
    ("a team of an unrated branch", "stars", None, None, [],
     [("append", "班组星级", [2025, "b02-bangong", "综合班", 3])], [],
     "〔班组星级〕第 4 行 B 列（党支部编号）：“星级评定”表中没有党支部“b02-bangong” 2025 年度的星级：请先在那里填写星级，或删除这一行"),
    ("a team twice", "stars", None, None, [], [("set", "班组星级", "C3", "变电运维一班")], [],
     "〔班组星级〕第 3 行 C 列（班组）：党支部“b01-yunwei”的班组“变电运维一班”出现了两次（第 2 行已有）；每个班组只写一行"),
    ("a team of no stars", "stars", None, None, [], [("set", "班组星级", "D2", 0)], [],
     "〔班组星级〕第 2 行 D 列（班组星级）：应不小于 1，实际是 0"),
    ("a team of an unknown branch", "stars", None, None, [],
     [("append", "班组星级", [2025, "b09-nope", "综合班", 3])], [],
     "〔班组星级〕第 4 行 B 列（党支部编号）：找不到党支部“b09-nope”"),
    ("a rating deleted", "stars", None, None, [],
     [("set", "星级评定", f"{c}2", None) for c in "DEFG"], [],
     "〔星级评定〕第 1 行：党支部“b01-yunwei”的行全部删除了：导入不会清空整个文件；确需删除，请直接删除数据目录中的 stars/2025/b01-yunwei.yaml"),
    ("the problem changed in a published quarter", "problems", None, None, [],
     [("set", "整改台账", "H2", "三会一课记录不全")], [],
     "〔整改台账〕第 2 行 H 列（问题）：本季度已发布，“问题”不能在整改台账中修改（导出时是“三会一课记录不完整”）：改动已发布的数据要更正评分表并添加更正记录；整改台账只填写整改措施和销号日期"),
    ("points changed", "problems", None, None, [], [("set", "整改台账", "G2", 2)], [],
     "〔整改台账〕第 2 行 G 列（扣分）：本季度已发布，“扣分”不能在整改台账中修改（导出时是“1.5”）：改动已发布的数据要更正评分表并添加更正记录；整改台账只填写整改措施和销号日期"),
    ("the type changed in a published quarter", "problems", None, None, [],
     [("set", "整改台账", "I2", "台账记录不全")], [],
     "〔整改台账〕第 2 行 I 列（问题类型）：本季度已发布，“问题类型”不能在整改台账中修改（导出时是“组织生活不规范”）：改动已发布的数据要更正评分表并添加更正记录；整改台账只填写整改措施和销号日期"),
    ("the problem changed before publication", "problems", None, unpublish, [],
     [("set", "整改台账", "H2", "三会一课记录不全")], [],
     "〔整改台账〕第 2 行 H 列（问题）：“问题”一列受保护，由检查组的评分表录入（导出时是“三会一课记录不完整”）；请改正评分表后用 board import-scores 导入"),
    ("a type not in the list", "problems", None, None, [], [("set", "整改台账", "I2", "组织生活")], [],
     "〔整改台账〕第 2 行 I 列（问题类型）：“组织生活”不在问题类型清单（site.yaml 的 policy.problem_types）中（是否想写“组织生活不规范”？）；请从下拉列表中选择"),
    ("a type cleared, put back in its cell", "problems", None, unpublish, [],
     [("set", "整改台账", "I2", None)], [],
     "〔整改台账〕第 2 行 I 列（问题类型）：请写明问题类型 type（site.yaml 中 policy.problem_types 的一项，如“组织生活不规范”）"),
    ("bad closing date", "problems", None, None, [], [("set", "整改台账", "K2", "2026-13-01")], [],
     "〔整改台账〕第 2 行 K 列（销号日期）：应为日期（如 2026-06-30），实际是“2026-13-01”"),
    ("closed before the inspection", "problems", None, None, [],
     [("set", "整改台账", "J2", "补齐记录"), ("set", "整改台账", "K2", "2026-09-01")], [],
     "〔整改台账〕第 2 行 K 列（销号日期）：销号日期 2026-09-01 早于检查日期 2026-09-22"),
    ("closed without a measure", "problems", None, None, [],
     [("set", "整改台账", "J3", None)], [],
     "〔整改台账〕第 3 行 J 列（整改措施）：销号（closed_on）前须写明整改措施 measure"),
    ("a problem added", "problems", None, None, [],
     [("append", "整改台账", ["2026Q3", "b01-yunwei", None, 3, None, "组织建设", 1, "新问题"])], [],
     "〔整改台账〕第 5 行 D 列（序号）：整改台账不能新增问题：问题清单由检查组的评分表录入（board import-scores）；这里只填写已有问题的整改措施和销号日期"),
    ("serial changed in a protected column", "problems", None, None, [],
     [("set", "整改台账", "D2", 5)], [],
     "〔整改台账〕第 2 行 D 列（序号）：2026Q3“b01-yunwei”的问题清单中没有第 5 个问题：季度、党组织编号和序号受保护，不能修改"),
    ("a problem twice", "problems", None, None, [], [("set", "整改台账", "D3", 1)], [],
     "〔整改台账〕第 3 行 D 列（序号）：2026Q3“b01-yunwei”的第 1 个问题出现了两次（第 2 行已有）；每个问题只写一行"),
    ("another quarter", "problems", None, None, [], [("set", "整改台账", "A2", "2026Q2")], [],
     "〔整改台账〕第 2 行 A 列（季度）：本工作簿是 2026Q3 的整改台账，不能导入 2026Q2 的问题；请用 board export-problems --quarter 2026Q2 导出该季度的台账"),
    ("unknown organization", "problems", None, None, [], [("set", "整改台账", "B2", "b09-nope")], [],
     "〔整改台账〕第 2 行 B 列（党组织编号）：找不到党组织“b09-nope”"),
    ("bad scope", "problems", None, None, [], [("set", "说明", "B4", "明年")], [],
     "〔说明〕第 1 行：“导出季度”应为“全部”或数据中的一个季度，实际是“明年”；请使用 board 导出的工作簿"),
    ("neither 是 nor 否", "indicators", None, None, [], [("set", "指标红榜", "D2", "对")], [],
     "〔指标红榜〕第 2 行 D 列（是否红榜）：“对”不是可选的值；应为“是”或“否”"),
    ("a unit no organization has", "indicators", None, None, [],
     [("append", "指标红榜", ["财务部", "资金到位率", "100%", "是"])], [],
     "〔指标红榜〕第 22 行 A 列（单位）：“财务部”不在党组织文件的所在单位（unit）中；请从下拉列表中选择"),
    ("an indicator twice", "indicators", None, None, [], [("set", "指标红榜", "B3", "设备可用率")], [],
     "〔指标红榜〕第 3 行 B 列（指标）：单位“运维检修部”的指标“设备可用率”出现了两次（第 2 行已有）；每项指标只写一行"),
    ("an indicator renamed in a protected column", "indicators", None, None, [],
     [("set", "指标红榜", "B2", "设备完好率")], [],
     "〔指标红榜〕第 2 行 B 列（指标）：“设备完好率”不是导出时的指标：单位和指标列受保护，已有指标的名称不能修改；新增指标请在表格末尾的空行填写"),
    ("no value", "indicators", None, None, [], [("set", "指标红榜", "C2", None)], [],
     "〔指标红榜〕第 2 行 C 列（完成值）：不能为空"),
    ("another quarter than --quarter", "indicators", None, None, [], [], ["--quarter", "2026Q2"],
     "〔通报〕第 2 行 A 列（季度）：本工作簿是 2026Q3 的指标红榜，不能导入为 2026Q2；请核对季度，或用 board export-indicators --quarter 2026Q2 导出该季度的表"),
    ("a quarter without assessments", "indicators", None, None, [], [("set", "通报", "A2", "2030Q1")], [],
     "〔通报〕第 2 行 A 列（季度）：数据中没有 2030Q1 的季度考核：指标红榜与该季度的考核结果一起公示；请先导入该季度的评分表"),
    ("not a quarter", "indicators", None, None, [], [("set", "通报", "A2", "2026-3")], [],
     "〔通报〕第 2 行 A 列（季度）：“2026-3”不是有效的季度：应写成 年份+Q+季度，如 2025Q1"),
    ("no source", "indicators", None, None, [], [("set", "通报", "B2", None)], [],
     "〔通报〕第 2 行 B 列（来源）：不能为空"),
    ("a blank table's source left blank", "indicators", None, no_indicators, [],
     [("append", "指标红榜", ["办公室", "公文办理及时率", "99%", "是"])], [],
     "〔通报〕第 2 行 B 列（来源）：不能为空"),
    ("two notices", "indicators", None, None, [], [("append", "通报", ["2026Q3", "另一个通报"])], [],
     "〔通报〕第 3 行：“通报”表只写一行（第 2 行已有）"),
    ("every row deleted", "indicators", None, None, [], CLEARED, [],
     "〔指标红榜〕第 1 行：2026Q3 指标红榜的行全部删除了：导入不会清空整个文件；确需删除，请直接删除数据目录中的 indicators/2026Q3.yaml"),
    ("no 通报 sheet", "indicators", None, None, [], [("drop", "通报")], [],
     "〔通报〕第 1 行：缺少工作表“通报”；请使用 board export-indicators 导出的工作簿"),
]  # fmt: skip
BAD_CASES = [
    pytest.param("members", "members", None, options, edits, [], line, id=f"members: {what}")
    for what, edits, options, line in MEMBER_CASES
] + [
    pytest.param(exported, "commitments", None, options, edits, [], line, id=f"commitments: {what}")
    for what, exported, edits, options, line in COMMITMENT_CASES
] + [
    pytest.param(exported or verb, verb, setup, options, edits, imports, line, id=f"{verb}: {what}")
    for what, verb, exported, setup, options, edits, imports, line in PRACTICE_CASES
]  # fmt: skip


@pytest.mark.parametrize(
    ("exported", "verb", "setup", "options", "edits", "imports", "line"), BAD_CASES
)
def test_bad_input_is_reported_by_sheet_row_and_column_and_nothing_is_written(
    tmp_path: Path, exported: str, verb: str, setup: Any, options: list[str], edits: list[Edit],
    imports: list[str], line: str,
) -> None:  # fmt: skip
    data = copy_of("tiny", tmp_path)
    if setup:
        setup(data)
    workbook = export(data, exported, tmp_path / WORKBOOK, *options)
    edit(workbook, edits)
    before = files(data)
    code, out, err = invoke(f"import-{verb}", str(workbook), "--data", str(data), *imports)
    assert (code, out) == (1, "")
    assert f"{WORKBOOK} {line}" in err.splitlines(), err
    assert err.splitlines()[-1].endswith("未写入任何文件；请在表格中修改后重新导入。")
    assert files(data) == before


def test_a_deleted_member_still_named_elsewhere_is_refused(tmp_path: Path) -> None:
    data = copy_of("tiny", tmp_path)
    workbook = export(data, "members", tmp_path / WORKBOOK)
    book = openpyxl.load_workbook(workbook)
    book["党员名册"].delete_rows(3)  # m002, who has a commitment and leads a group
    book.save(workbook)
    before = files(data)
    code, _, err = invoke("import-members", str(workbook), "--data", str(data))
    assert code == 1
    lines = err.splitlines()
    assert f"导入 {WORKBOOK} 后，其他数据文件的检查未通过：" in lines
    assert any(
        "commitments/2026/b01-yunwei.yaml:" in line and "找不到党员“m002”" in line for line in lines
    ), err
    assert files(data) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export-members", "--branch", "b09-nope"], "找不到党支部“b09-nope”"),
        (["export-commitments", "--branch", "b01-yunwei", "--year", "1999"], "1999"),
        (["import-members"], "找不到文件"),
        (["export-comparisons", "--branch", "b09-nope"], "找不到党支部“b09-nope”"),
        (["export-stars", "--year", "2101"], "2101"),
        (["export-problems", "--branch", "b09-nope"], "找不到党组织“b09-nope”"),
        (["export-problems", "--quarter", "2026Q5"], "“2026Q5”不是有效的季度"),
        (["export-problems", "--quarter", "2030Q1"], "数据中没有 2030Q1 的季度考核"),
        (["export-problems", "--quarter", "2026Q3", "--all"], "--quarter 和 --all 只能写一个"),
        (["export-indicators", "--quarter", "2030Q1"], "数据中没有 2030Q1 的季度考核"),
        (["import-stars"], "找不到文件"),
        (["import-indicators", "--quarter", "第三季度"], "“第三季度”不是有效的季度"),
    ],
)
def test_bad_options_are_answered_in_chinese(tmp_path: Path, args: list[str], message: str) -> None:
    data = copy_of("tiny", tmp_path)
    verb, *rest = args
    code, _, err = invoke(verb, str(tmp_path / WORKBOOK), "--data", str(data), *rest)
    assert code != 0 and message in err
    assert "Traceback" not in err


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path: Path) -> None:
    data = copy_of("tiny", tmp_path)
    path = tmp_path / WORKBOOK
    path.write_text("党员名册", encoding="utf-8")
    code, _, err = invoke("import-members", str(path), "--data", str(data))
    assert code == 1 and err.startswith(f"{WORKBOOK} 不是有效的 Excel 工作簿（.xlsx）")


# ------------------------------------------- the practices' ledgers, edited

FILLED = [("set", "三比三看", c, v) for c, v in (
    ("C2", "2026-12-20"), ("F2", "学习"), ("G2", 20), ("H2", "贡献"), ("I2", 3), ("K2", 95.5),
    ("L2", 18), ("M2", "优秀"),
)]  # fmt: skip
CRITERIA = [("set", "评定标准", f"{c}3", "是") for c in "DFHJLN"]
EDITS = [
    # (what, verb, data changed first, export options, edits, the file written, in it)
    ("a blank form filled in for one member", "comparisons", None, ["--year", "2026"], FILLED,
     "comparisons/2026/b01-yunwei.yaml",
     "branch: b01-yunwei\nyear: 2026\nheld_on: 2026-12-20\nmembers:\n- member: m001\n"
     "  study: 学习\n  sessions: 20\n  contribution: 贡献\n  problems_solved: 3\n"
     "  satisfaction: 95.5\n  respondents: 18\n  result: 优秀\n"),
    ("a member's row emptied, another's 比形象 written", "comparisons", None, [],
     [*[("set", "三比三看", f"{c}3", None) for c in "CFGHIJKLM"], ("set", "三比三看", "J2", "好评")],
     "comparisons/2025/b01-yunwei.yaml",
     "  image: 好评\n  satisfaction: 96.5\n  respondents: 18\n  result: 优秀\n- member: m107\n"),
    ("an unrated branch rated", "stars", None, [],
     [*RATED, *CRITERIA, ("set", "评定标准", "O3", "满意度 93%"),
      ("append", "班组星级", [2025, "b02-bangong", "综合班", 3])],
     "stars/2025/b02-bangong.yaml",
     "branch: b02-bangong\nyear: 2025\nstars: 3\nrated_on: 2026-01-15\nrated_by: 公司党委\n"
     "criteria:\n- name: 组织设置规范\n  met: true\n- name: 组织生活正常\n  met: true\n"
     "- name: 党员队伍过硬\n  met: true\n- name: 基础工作扎实\n  met: true\n"
     "- name: 作用发挥突出\n  met: true\n- name: 群众评价满意\n  met: true\n  note: 满意度 93%\n"
     "teams:\n- team: 综合班\n  stars: 3\n"),
    ("a team emptied, one added (its stars picked from the list)", "stars", None, [],
     [("set", "班组星级", "C3", None), ("set", "班组星级", "D3", None),
      ("append", "班组星级", [2025, "b01-yunwei", "变电运维三班", "4"])],
     "stars/2025/b01-yunwei.yaml",
     "teams:\n- team: 变电运维一班\n  stars: 4\n- team: 变电运维三班\n  stars: 4\n"),
    ("a blank table filled in", "indicators", no_indicators, [],
     [("set", "通报", "B2", "测试公司 2026 年第三季度业绩考核通报"),
      ("append", "指标红榜", ["办公室", "公文办理及时率", "99%", "是"]),
      ("append", "指标红榜", ["运维检修部", "设备可用率", "99.8%", "否"])],
     "indicators/2026Q3.yaml",
     "quarter: 2026Q3\nsource: 测试公司 2026 年第三季度业绩考核通报\nunits:\n- unit: 办公室\n"
     "  indicators:\n  - name: 公文办理及时率\n    value: 99%\n    red: true\n"
     "- unit: 运维检修部\n  indicators:\n  - name: 设备可用率\n    value: 99.8%\n    red: false\n"),
    ("an indicator emptied, one added, one off the red list", "indicators", None, [],
     [("set", "指标红榜", "C2", None), ("set", "指标红榜", "D2", None),
      ("set", "指标红榜", "D3", "否"), ("append", "指标红榜", ["办公室", "信息报送及时率", "100%", "否"])],
     "indicators/2026Q3.yaml",
     "  - name: 变电站巡视完成率\n    value: 100%\n    red: false\n"),
    ("a problem closed (滚动销号)", "problems", None, [],
     [("set", "整改台账", "J2", "补齐记录"), ("set", "整改台账", "K2", "2026-10-30")],
     "assessments/2026Q3/b01-yunwei.yaml",
     "  reason: 三会一课记录不完整\n  type: 组织生活不规范\n  measure: 补齐记录\n"
     "  closed_on: 2026-10-30\n"),
    ("a type set before publication", "problems", unpublish, [],
     [("set", "整改台账", "I4", "台账记录不全")],
     "assessments/2026Q3/b02-bangong.yaml", "  reason: 主题党日未按计划开展\n  type: 台账记录不全\n"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("verb", "setup", "options", "edits", "rel", "text"), [case[1:] for case in EDITS],
    ids=[f"{case[1]}: {case[0]}" for case in EDITS],
)  # fmt: skip
def test_an_edited_practice_ledger_rewrites_only_its_file(
    tmp_path: Path, verb: str, setup: Any, options: list[str], edits: list[Edit], rel: str,
    text: str,
) -> None:  # fmt: skip
    data = copy_of("tiny", tmp_path)
    if setup:
        setup(data)
    workbook = export(data, verb, tmp_path / WORKBOOK, *options)
    edit(workbook, edits)
    before = files(data)
    code, out, err = invoke(f"import-{verb}", str(workbook), "--data", str(data))
    assert code == 0, err
    assert f"  {(data / rel).as_posix()}" in out.splitlines()
    after = files(data)
    assert {r for r in after if after[r] != before.get(r)} == {rel}
    assert text in after[rel].decode("utf-8")
    load_dataset(data)  # and the data, with it, is valid
