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
from generator.model.ledgers import COMMITMENT_COLUMNS, MEMBER_COLUMNS, STEP_COLUMNS
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
    ("tiny", "members", []),
    ("tiny", "commitments", []),
    ("tiny", "commitments", ["--year", "2030"]),  # no commitments that year: a blank ledger
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


@pytest.mark.parametrize(
    ("verb", "folder", "field"),
    [("members", "members", "post"), ("commitments", "commitments/2026", "verifier")],
)
def test_every_file_written_again_is_byte_identical(
    tmp_path: Path, verb: str, folder: str, field: str
) -> None:
    """Change one field in every file, import the workbook exported before: every file
    is written again, and each is the sample's own bytes (the sample is in the canonical
    layout), so nothing of a record is lost on the way through Excel."""
    data = copy_of("data", tmp_path)
    before = files(data)
    workbook = export(data, verb, tmp_path / WORKBOOK)
    for path in (data / folder).glob("b*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(rf"^(\s+){field}: .*$", rf"\1{field}: 临时", text, flags=re.M))
    code, out, err = invoke(f"import-{verb}", str(workbook), "--data", str(data))
    assert code == 0, err
    assert f"改写 {len(list((data / folder).glob('b*.yaml')))} 个文件" in out
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


def test_exports_are_byte_identical_across_runs(tmp_path: Path) -> None:
    data = copy_of("tiny", tmp_path)
    first = export(data, "commitments", tmp_path / "1.xlsx").read_bytes()
    assert export(data, "commitments", tmp_path / "2.xlsx").read_bytes() == first


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
     "〔党员名册〕第 5 行 A 列（党支部编号）：本工作簿只含党支部“b01-yunwei”的党员（导出时指定了 --branch），不能导入“b02-bangong”的党员；请导出该支部的台账"),
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
BAD_CASES = [
    pytest.param("members", "members", edits, options, line, id=f"members: {what}")
    for what, edits, options, line in MEMBER_CASES
] + [
    pytest.param(exported, "commitments", edits, options, line, id=f"commitments: {what}")
    for what, exported, edits, options, line in COMMITMENT_CASES
]


@pytest.mark.parametrize(("exported", "verb", "edits", "options", "line"), BAD_CASES)
def test_bad_input_is_reported_by_sheet_row_and_column_and_nothing_is_written(
    tmp_path: Path, exported: str, verb: str, edits: list[Edit], options: list[str], line: str
) -> None:
    data = copy_of("tiny", tmp_path)
    workbook = export(data, exported, tmp_path / WORKBOOK, *options)
    edit(workbook, edits)
    before = files(data)
    code, out, err = invoke(f"import-{verb}", str(workbook), "--data", str(data))
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
