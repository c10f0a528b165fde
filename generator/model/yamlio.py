"""Strict YAML loading that keeps every value's line and column.

PyYAML's own constructors guess types the YAML 1.1 way (``NO`` is False, ``0755``
is 493, ``3:30`` is 210), keep the last of duplicate keys, expand aliases and
recurse without bound. Here we build Python values straight from the parser's
events with an explicit stack, so we decide every type, reject what an editor
cannot have meant, never recurse, and remember where each value came from.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.errors import Problem

try:  # libyaml's parser is ~3x faster; the pure one is the fallback
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - libyaml ships in PyYAML's wheels
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 20

Path_ = tuple[str | int, ...]

_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")
_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?\Z")
_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})\Z")
_TRUE_FALSE = {"true": True, "false": False}
_NULLS = {"", "~", "null", "Null", "NULL"}
# What YAML 1.1 would silently turn into something else than the text written.
# (y/n are YAML 1.1 booleans on paper, but PyYAML itself reads them as text.)
_YAML11_BOOL = re.compile(r"(?:yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF)\Z")
_YAML11_NUMBER = re.compile(
    r"""[-+]?(?:0b[01_]+|0[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?
    |[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+][0-9]+)?|\.(?:inf|Inf|INF|nan|NaN|NAN))\Z""",
    re.X,
)
_DATETIME = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:")


class Invalid:
    """Stands in for a scalar already reported as a problem, so loading goes on."""

    __slots__ = ()


@dataclass
class LoadedFile:
    """A YAML file as plain Python values plus the place of every value.

    ``problems`` holds scalar-level problems (``NO``, ``0755``, bad dates): they
    are reported with the rest of the file's problems instead of stopping at the first.
    """

    path: str
    data: Any
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    invalid_paths: set[Path_] = field(default_factory=set)

    def where(self, path: Path_) -> tuple[int, int]:
        """Line and column (from 1) of ``path``, or of its nearest located parent."""
        while path not in self.positions and path:
            path = path[:-1]
        return self.positions.get(path, (1, 1))

    def problem(self, path: Path_, message: str) -> Problem:
        line, col = self.where(path)
        return Problem(self.path, line, col, format_path(path), message)


def format_path(path: Path_) -> str:
    """``('commitments', 2, 'target')`` -> ``commitments[3].target`` (items count from 1)."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += f".{part}" if out else str(part)
    return out


class YamlProblem(Exception):
    """Raised inside the loader; carries a located Chinese message."""

    def __init__(self, mark: Any, message: str) -> None:
        self.line = (mark.line + 1) if mark is not None else 1
        self.column = (mark.column + 1) if mark is not None else 1
        super().__init__(message)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the garbage collector: it, not the parser, dominates PyYAML's load time."""
    import gc

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_file(path: Path, shown_as: str) -> LoadedFile:
    """Load one YAML file strictly; raise ``LoadFailed`` with a located problem."""
    raw = _read_bytes(path, shown_as)
    text = _decode(raw, shown_as)
    soft: list[tuple[Path_, YamlProblem]] = []
    try:
        data, positions = _construct(text, soft)
    except YamlProblem as exc:
        raise LoadFailed(Problem(shown_as, exc.line, exc.column, "", str(exc))) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = translate_yaml_error(exc.problem or "", exc.context or "")
        if _tab_at(text, line, col):
            message = "YAML 语法错误：不能使用制表符（Tab）缩进；请改用空格"
        raise LoadFailed(Problem(shown_as, line, col, "", message)) from None
    except yaml.reader.ReaderError as exc:  # control characters libyaml refuses
        line, col = _line_col(text, exc.position)
        message = f"第 {line} 行有不可见的控制字符（U+{exc.character:04X}）；请删除后重试"
        raise LoadFailed(Problem(shown_as, line, col, "", message)) from None
    except yaml.YAMLError as exc:
        raise LoadFailed(Problem(shown_as, 1, 1, "", translate_reader_error(exc))) from None
    if data is None:
        raise LoadFailed(Problem(shown_as, 1, 1, "", "文件为空；请填写内容或删除该文件"))
    loaded = LoadedFile(shown_as, data, positions)
    for where, problem in soft:
        loaded.invalid_paths.add(where)
        loaded.problems.append(
            Problem(shown_as, problem.line, problem.column, format_path(where), str(problem))
        )
    return loaded


class LoadFailed(Exception):
    """A file could not be read as YAML at all."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(str(problem))


def _read_bytes(path: Path, shown_as: str) -> bytes:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise LoadFailed(
            Problem(
                shown_as,
                1,
                1,
                "",
                f"文件过大（{size / 1024 / 1024:.1f} MB，"
                f"上限 {MAX_FILE_BYTES // 1024 // 1024} MB）；"
                "请按支部或年度拆分为多个文件",
            )
        )
    return path.read_bytes()


def _decode(raw: bytes, shown_as: str) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a UTF-8 BOM, as Windows Notepad writes it, is harmless
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LoadFailed(
            Problem(shown_as, 1, 1, "", "文件是 UTF-16 编码；请在编辑器中以 UTF-8 编码另存后重试")
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise LoadFailed(
            Problem(
                shown_as,
                line,
                1,
                "",
                "文件不是 UTF-8 编码（可能是 GBK）；请在编辑器中以 UTF-8 编码另存后重试",
            )
        ) from None
    if not text.strip():
        raise LoadFailed(Problem(shown_as, 1, 1, "", "文件为空；请填写内容或删除该文件"))
    return text


class _Container:
    __slots__ = ("is_map", "key", "mark", "path", "value")

    def __init__(self, value: dict[str, Any] | list[Any], path: Path_, mark: Any) -> None:
        self.value = value
        self.path = path
        self.mark = mark
        self.is_map = isinstance(value, dict)
        self.key: str | None = None  # a mapping's pending key


def _construct(
    text: str, soft: list[tuple[Path_, YamlProblem]]
) -> tuple[Any, dict[Path_, tuple[int, int]]]:
    """Build values from parser events with an explicit stack (no recursion)."""
    positions: dict[Path_, tuple[int, int]] = {(): (1, 1)}
    stack: list[_Container] = []
    root: Any = None
    documents = 0

    def place(value: Any, mark: Any) -> Path_:
        nonlocal root
        if not stack:
            root = value
            return ()
        top = stack[-1]
        if top.is_map:
            if top.key is None:
                raise YamlProblem(mark, "键必须是简单文本（不能是列表或映射）")
            key, top.key = top.key, None
            assert isinstance(top.value, dict)
            top.value[key] = value
            if not isinstance(value, dict | list):
                # A wrong scalar is pointed at itself; a block at its key line.
                positions[(*top.path, key)] = (mark.line + 1, mark.column + 1)
            return (*top.path, key)
        assert isinstance(top.value, list)
        top.value.append(value)
        child: Path_ = (*top.path, len(top.value) - 1)
        positions[child] = (mark.line + 1, mark.column + 1)
        return child

    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise YamlProblem(
                    event.start_mark, "一个文件只能有一个 YAML 文档（请删除多余的 ---）"
                )
            continue
        if isinstance(event, yaml.AliasEvent):
            raise YamlProblem(event.start_mark, f"不支持别名 *{event.anchor}；请把内容直接写出来")
        if isinstance(event, yaml.NodeEvent) and event.anchor is not None:
            raise YamlProblem(event.start_mark, f"不支持锚点 &{event.anchor}；请删除")
        if isinstance(event, yaml.ScalarEvent):
            _reject_tag(event)
            if stack and stack[-1].is_map and stack[-1].key is None:
                _set_key(stack[-1], event, positions)
                continue
            try:
                value = _scalar(event)
            except YamlProblem as exc:
                soft.append((place(Invalid(), event.start_mark), exc))
            else:
                place(value, event.start_mark)
        elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            _reject_tag(event)
            if len(stack) >= MAX_DEPTH:
                raise YamlProblem(
                    event.start_mark, f"嵌套层数超过 {MAX_DEPTH} 层；数据文件不需要这么深的结构"
                )
            container: dict[str, Any] | list[Any] = (
                {} if isinstance(event, yaml.MappingStartEvent) else []
            )
            path = place(container, event.start_mark)
            stack.append(_Container(container, path, event.start_mark))
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            stack.pop()
    return root, positions


def _set_key(top: _Container, event: Any, positions: dict[Path_, tuple[int, int]]) -> None:
    key = str(event.value)
    assert isinstance(top.value, dict)
    if key in top.value:
        first = positions.get((*top.path, key), (0, 0))[0]
        raise YamlProblem(
            event.start_mark,
            f"重复的键“{key}”（第 {first} 行已出现）；YAML 会悄悄只保留后一个，请合并",
        )
    top.key = key
    positions[(*top.path, key)] = (event.start_mark.line + 1, event.start_mark.column + 1)


def _reject_tag(event: Any) -> None:
    # Tags ask PyYAML to build arbitrary types; data files need none.
    if event.tag is not None:
        raise YamlProblem(event.start_mark, f"不支持 YAML 标签“{event.tag}”；请删除标签")


def _scalar(event: Any) -> Any:
    """Type a scalar: quoted and block text stay text; plain ones are checked."""
    value: str = event.value
    if event.style:  # quoted or block scalar: always text
        return value
    if value in _NULLS:
        return None
    lowered = value.lower()
    if lowered in _TRUE_FALSE:
        return _TRUE_FALSE[lowered]
    if _INT.match(value):
        return int(value)
    if _FLOAT.match(value):
        return float(value)
    date = _DATE.match(value)
    if date:
        return _date(event, *map(int, date.groups()))
    if _YAML11_BOOL.match(value):
        raise YamlProblem(
            event.start_mark,
            f'“{value}”在 YAML 1.1 中会被读成是非值；如果是文本请加引号（"{value}"），'
            "如果是是非请写 true 或 false",
        )
    if _YAML11_NUMBER.match(value):
        raise YamlProblem(
            event.start_mark,
            f"“{value}”会被 YAML 1.1 读成另一个数字（八进制、十六进制或六十进制）；"
            f'如果是文本请加引号（"{value}"），数字请写普通十进制',
        )
    if _DATETIME.match(value):
        raise YamlProblem(event.start_mark, f"“{value}”带有时间；日期请只写 YYYY-MM-DD")
    return value


def _date(event: Any, year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise YamlProblem(
            event.start_mark, f"“{event.value}”不是有效日期；请写成 YYYY-MM-DD，如 2025-03-31"
        ) from None


_YAML_MESSAGES = [
    (
        "mapping values are not allowed",
        "此处不能出现“键: 值”；可能是缩进不对，或文本中含有“: ”需要加引号",
    ),
    ("could not find expected ':'", "找不到“键: 值”中的冒号；请检查上一行是否缺少冒号或引号未闭合"),
    ("found character '\\t' that cannot start any token", "不能使用制表符（Tab）缩进；请改用空格"),
    ("found a tab character", "不能使用制表符（Tab）缩进；请改用空格"),
    ("expected <block end>", "缩进不一致；同一层的键或列表项必须对齐"),
    ("did not find expected key", "缩进不一致或缺少键；同一层的键必须对齐"),
    ("did not find expected '-' indicator", "列表缩进不一致；同一列表的“- ”必须对齐"),
    ("found unexpected end of stream", "文件意外结束；请检查引号或括号是否成对"),
    ("found unknown escape character", "双引号文本中有无效的反斜杠转义；请改用单引号或去掉反斜杠"),
    ("did not find expected node content", "缺少内容；请检查列表项或值是否为空"),
    ("expected ',' or ']'", "方括号列表未正确闭合；请检查逗号和“]”"),
    ("expected ',' or '}'", "花括号映射未正确闭合；请检查逗号和“}”"),
    ("found undefined alias", "不支持别名；请把内容直接写出来"),
    ("found unexpected ':'", "此处不能出现冒号；文本中含冒号时请加引号"),
    (
        "found character that cannot start any token",
        "这里的字符不能作为值的开头（如 @ 或 `）；请给文本加引号",
    ),
]


def _line_col(text: str, position: int) -> tuple[int, int]:
    """Line and column of libyaml's reader position (a byte offset into the UTF-8 text)."""
    before = text.encode("utf-8")[:position].decode("utf-8", "ignore")
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


def _tab_at(text: str, line: int, col: int) -> bool:
    lines = text.splitlines()
    return 0 < line <= len(lines) and "\t" in lines[line - 1][: col + 1]


def translate_yaml_error(problem: str, context: str) -> str:
    """Turn PyYAML's English parser message into Chinese advice."""
    text = f"{context} {problem}"
    for needle, chinese in _YAML_MESSAGES:
        if needle in text:
            return f"YAML 语法错误：{chinese}"
    return f"YAML 语法错误（{problem or context}）；请检查这一行的缩进、冒号和引号"


def translate_reader_error(exc: yaml.YAMLError) -> str:
    return f"文件含有不能出现在 YAML 中的控制字符或无效字符（{exc}）；请删除后重试"
