"""The strict loader, case by case: what YAML 1.1 would silently misread is an error."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.model.yamlio import LoadFailed, format_path, load_file


def load(tmp_path: Path, text: str | bytes) -> object:
    path = tmp_path / "x.yaml"
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    loaded = load_file(path, "data/x.yaml")
    if loaded.problems:
        raise LoadFailed(loaded.problems[0])
    return loaded.data


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: 15\n", {"a": 15}),
        ("a: 14.5\n", {"a": 14.5}),
        ("a: -1.5\n", {"a": -1.5}),
        ("a: true\nb: false\n", {"a": True, "b": False}),
        ("a: 2025-03-31\n", {"a": dt.date(2025, 3, 31)}),
        ("a: '0755'\nb: \"NO\"\n", {"a": "0755", "b": "NO"}),
        ("a: 3：30\n", {"a": "3：30"}),  # full-width colon is plain text
        ("a:\n", {"a": None}),
        ("a: |\n  第一行\n  第二行\n", {"a": "第一行\n第二行\n"}),
        ("a: [1, 2]\nb: {c: d}\n", {"a": [1, 2], "b": {"c": "d"}}),
        ("\ufeffa: 1\n", {"a": 1}),  # a BOM, as Notepad writes it
        ("a: 1\r\nb: x\r\n", {"a": 1, "b": "x"}),  # CRLF line ends
        ("a: 2025Q1\n", {"a": "2025Q1"}),
        ("a: b01-yunwei\n", {"a": "b01-yunwei"}),
    ],
)
def test_accepted(tmp_path: Path, text: str, expected: object) -> None:
    assert load(tmp_path, text) == expected


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("a: 1\na: 2\n", "2:1", "重复的键“a”（第 1 行已出现）；YAML 会悄悄只保留后一个，请合并"),
        ("a: &x 1\nb: 2\n", "1:4", "不支持锚点 &x；请删除"),
        ("a: [1]\nb: *x\n", "2:4", "不支持别名 *x；请把内容直接写出来"),
        ("a: !!str 5\n", "1:4", "不支持 YAML 标签“tag:yaml.org,2002:str”；请删除标签"),
        (
            "a: !!python/object:os.system x\n",
            "1:4",
            "不支持 YAML 标签“tag:yaml.org,2002:python/object:os.system”；请删除标签",
        ),
        ("? [a, b]\n: 1\n", "1:3", "键必须是简单文本（不能是列表或映射）"),
        (
            "a: NO\n",
            "1:4",
            '“NO”在 YAML 1.1 中会被读成是非值；如果是文本请加引号（"NO"），'
            "如果是是非请写 true 或 false",
        ),
        (
            "a: on\n",
            "1:4",
            '“on”在 YAML 1.1 中会被读成是非值；如果是文本请加引号（"on"），'
            "如果是是非请写 true 或 false",
        ),
        (
            "a: 0755\n",
            "1:4",
            "“0755”会被 YAML 1.1 读成另一个数字（八进制、十六进制或六十进制）；"
            '如果是文本请加引号（"0755"），数字请写普通十进制',
        ),
        (
            "a: 3:30\n",
            "1:4",
            "“3:30”会被 YAML 1.1 读成另一个数字（八进制、十六进制或六十进制）；"
            '如果是文本请加引号（"3:30"），数字请写普通十进制',
        ),
        (
            "a: 0x1F\n",
            "1:4",
            "“0x1F”会被 YAML 1.1 读成另一个数字（八进制、十六进制或六十进制）；"
            '如果是文本请加引号（"0x1F"），数字请写普通十进制',
        ),
        (
            "a: .inf\n",
            "1:4",
            "“.inf”会被 YAML 1.1 读成另一个数字（八进制、十六进制或六十进制）；"
            '如果是文本请加引号（".inf"），数字请写普通十进制',
        ),
        ("a: 2025-02-30\n", "1:4", "“2025-02-30”不是有效日期；请写成 YYYY-MM-DD，如 2025-03-31"),
        ("a: 2025-03-01 10:00:00\n", "1:4", "“2025-03-01 10:00:00”带有时间；日期请只写 YYYY-MM-DD"),
        ("a: 1\n---\nb: 2\n", "2:1", "一个文件只能有一个 YAML 文档（请删除多余的 ---）"),
        (
            "a: b: c\n",
            "1:5",
            "YAML 语法错误：此处不能出现“键: 值”；可能是缩进不对，或文本中含有“: ”需要加引号",
        ),
        ("a:\n  - 1\n - 2\n", "3:2", "YAML 语法错误：缩进不一致或缺少键；同一层的键必须对齐"),
        ("a:\n\t- 1\n", "2:1", "YAML 语法错误：不能使用制表符（Tab）缩进；请改用空格"),
        ('a: "x\n', "2:1", "YAML 语法错误：文件意外结束；请检查引号或括号是否成对"),
        ("", "1:1", "文件为空；请填写内容或删除该文件"),
        ("  \n# 只有注释\n", "1:1", "文件为空；请填写内容或删除该文件"),
        (
            "a: '中文'\n".encode("gbk"),
            "1:1",
            "文件不是 UTF-8 编码（可能是 GBK）；请在编辑器中以 UTF-8 编码另存后重试",
        ),
        ("a: [" * 25 + "]" * 25 + "\n", "1:41", "嵌套层数超过 20 层；数据文件不需要这么深的结构"),
        ("[" * 50_000 + "]" * 50_000, "1:21", "嵌套层数超过 20 层；数据文件不需要这么深的结构"),
    ],
)
def test_rejected(tmp_path: Path, text: str | bytes, where: str, message: str) -> None:
    with pytest.raises(LoadFailed) as caught:
        load(tmp_path, text)
    assert str(caught.value.problem).split(": ", 1)[1].removeprefix(": ") in {
        message,
        f"a: {message}",
    }
    assert str(caught.value.problem).startswith(f"data/x.yaml:{where}:")


def test_huge_file_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"a: " + b"x" * (6 * 1024 * 1024) + b"\n")
    with pytest.raises(LoadFailed) as caught:
        load_file(path, "data/big.yaml")
    assert "文件过大（6.0 MB，上限 5 MB）" in str(caught.value)


def test_every_bad_scalar_of_a_file_is_reported_at_once(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("a: NO\nb: 0755\nc: ok\n", encoding="utf-8")
    loaded = load_file(path, "data/x.yaml")
    assert [(p.line, p.field) for p in loaded.problems] == [(1, "a"), (2, "b")]


@pytest.mark.parametrize(
    ("path", "shown"),
    [((), ""), (("a",), "a"), (("members", 2, "role"), "members[3].role"), ((0,), "[1]")],
)
def test_format_path_counts_items_from_one(path: tuple[str | int, ...], shown: str) -> None:
    assert format_path(path) == shown
