"""Strict YAML loading that keeps every value's line and column.

PyYAML's own constructors guess types the YAML 1.1 way (``NO`` is False, ``0755``
is 493, ``3:30`` is 210), keep the last of duplicate keys, expand aliases and
recurse without bound. Here we build Python values straight from the parser's
events with an explicit stack, so we decide every type, reject what an editor
cannot have meant, never recurse, and remember where each value came from.
"""

from __future__ import annotations

import datetime as dt
import gc
import re
from array import array
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from generator.errors import Problem
from generator.files import os_reason

try:  # libyaml's parser is ~3x faster; the pure one is the fallback
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - libyaml ships in PyYAML's wheels
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 20
_SHIFT, _COLUMN = 24, (1 << 24) - 1  # a packed mark: line << 24 | column (files are < 16 MB)
_ScalarEvent, _MappingStart, _SequenceStart = (
    yaml.ScalarEvent,
    yaml.MappingStartEvent,
    yaml.SequenceStartEvent,
)
_MappingEnd, _SequenceEnd = yaml.MappingEndEvent, yaml.SequenceEndEvent
_DocumentStart, _Alias = yaml.DocumentStartEvent, yaml.AliasEvent

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
# Every pattern above starts with one of these characters (null ~, true/false, yes/no/on/off,
# numbers, dates): a plain scalar starting with anything else is text. Extend this set
# with any new pattern.
_MAY_BE_TYPED = frozenset("0123456789+-.~nNtTfFyYoO")


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
    marks: Sequence[int] = ()  # packed places of the values, in document order
    problems: list[Problem] = field(default_factory=list)
    invalid_paths: set[Path_] = field(default_factory=set)
    # Gets ``data`` and ``marks`` back after ``release``, or for a file whose validated
    # record came from the cache (parsecache.py); None: they are kept.
    reload: Callable[[], tuple[Any, Sequence[int]]] | None = field(
        default=None, repr=False, compare=False
    )

    @cached_property
    def positions(self) -> dict[Path_, tuple[int, int]]:
        """Line and column of every value by path; worked out when a problem needs it."""
        data, marks = self.data, self.marks
        if data is None and self.reload is not None:
            data, marks = self.reload()
        return positions_of(data, marks) if data is not None else {(): (1, 1)}

    def release(self) -> None:
        """Drop the raw values once validated: the record holds them, and on a large
        board they are a third of the memory. Only done when they can be reloaded."""
        if self.reload is not None:
            self.data = None

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
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_file(path: Path, shown_as: str) -> LoadedFile:
    """Load one YAML file strictly; raise ``LoadFailed`` with a located problem."""
    return load_bytes(_read_bytes(path, shown_as), shown_as)


def load_bytes(raw: bytes, shown_as: str) -> LoadedFile:
    """``load_file`` for bytes already read (the parse cache hashes them first)."""
    text = _decode(raw, shown_as)
    soft: list[tuple[Path_, YamlProblem]] = []
    try:
        data, marks = _construct(text, soft)
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
    loaded = LoadedFile(shown_as, data, array("q", marks))
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
    try:
        return _read_checked(path, shown_as)
    except OSError as exc:
        message = f"无法读取文件（{os_reason(exc)}）；请检查文件权限后重试"
        raise LoadFailed(Problem(shown_as, 1, 1, "", message)) from None


def _read_checked(path: Path, shown_as: str) -> bytes:
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
    """An open mapping or list while its events arrive."""

    __slots__ = ("is_map", "key", "key_mark", "name", "start", "value")

    def __init__(
        self, value: dict[str, Any] | list[Any], name: str | int | None, start: int
    ) -> None:
        self.value = value
        self.is_map = value.__class__ is dict
        self.name = name  # its key or index in the parent (None for the root)
        self.start = start  # where its children's marks begin
        self.key: str | None = None  # a mapping's pending key
        self.key_mark = 0  # that key's packed line and column


def _pack(mark: Any) -> int:
    line: int = mark.line + 1
    column: int = mark.column + 1
    return (line << _SHIFT) | column


def _construct(text: str, soft: list[tuple[Path_, YamlProblem]]) -> tuple[Any, list[int]]:
    """Build values from parser events with an explicit stack (no recursion).

    Returns the root value and the packed line and column of every other value in
    document order (see ``positions_of``): a wrong scalar is pointed at itself, a
    mapping or list at its key's line. One int per value keeps this loop, the parse
    cache and memory small; the path of a value is only worked out when it is wrong.
    """
    marks: list[int] = []
    stack: list[_Container] = []
    top: _Container | None = None
    root: Any = None
    documents = 0
    name: str | int | None
    events: Iterator[Any] = yaml.parse(text, Loader=_Loader)
    for event in events:
        kind = event.__class__
        if kind is _ScalarEvent or kind is _MappingStart or kind is _SequenceStart:
            if event.anchor is not None:
                raise YamlProblem(event.start_mark, f"不支持锚点 &{event.anchor}；请删除")
            if event.tag is not None:  # tags ask PyYAML to build arbitrary types
                raise YamlProblem(event.start_mark, f"不支持 YAML 标签“{event.tag}”；请删除标签")
            container: dict[str, Any] | list[Any] | None = None
            if kind is _ScalarEvent:
                if top is not None and top.is_map and top.key is None:
                    _set_key(top, event, marks)
                    continue
                try:
                    value = _scalar(event)
                except YamlProblem as exc:
                    value = Invalid()
                    soft.append((_path_here(stack), exc))
            else:
                if len(stack) >= MAX_DEPTH:
                    raise YamlProblem(
                        event.start_mark,
                        f"嵌套层数超过 {MAX_DEPTH} 层；数据文件不需要这么深的结构",
                    )
                value = container = {} if kind is _MappingStart else []
            if top is None:
                root, name = value, None
            elif top.is_map:
                if top.key is None:
                    raise YamlProblem(event.start_mark, "键必须是简单文本（不能是列表或映射）")
                name, top.key = top.key, None
                top.value[name] = value  # type: ignore[call-overload]
                marks.append(top.key_mark if container is not None else _pack(event.start_mark))
            else:
                name = len(top.value)
                top.value.append(value)  # type: ignore[union-attr]
                marks.append(_pack(event.start_mark))
            if container is not None:
                top = _Container(container, name, len(marks))
                stack.append(top)
        elif kind is _MappingEnd or kind is _SequenceEnd:
            stack.pop()
            top = stack[-1] if stack else None
        elif kind is _DocumentStart:
            documents += 1
            if documents > 1:
                raise YamlProblem(
                    event.start_mark, "一个文件只能有一个 YAML 文档（请删除多余的 ---）"
                )
        elif kind is _Alias:
            raise YamlProblem(event.start_mark, f"不支持别名 *{event.anchor}；请把内容直接写出来")
    return root, marks


def _path_here(stack: list[_Container]) -> Path_:
    """The path of the value about to be placed in the innermost open container."""
    if not stack:
        return ()
    top = stack[-1]
    names = [c.name for c in stack[1:] if c.name is not None]  # the root has no name
    here = top.key if top.is_map and top.key is not None else len(top.value)
    return (*names, here)


def _set_key(top: _Container, event: Any, marks: list[int]) -> None:
    key = str(event.value)
    assert isinstance(top.value, dict)
    problem = hidden_character(key)
    if problem:
        raise YamlProblem(event.start_mark, f"键{problem}")
    if key in top.value:
        first = _mark_of_key(top, key, marks) >> _SHIFT
        raise YamlProblem(
            event.start_mark,
            f"重复的键“{key}”（第 {first} 行已出现）；YAML 会悄悄只保留后一个，请合并",
        )
    top.key = key
    top.key_mark = _pack(event.start_mark)


def _mark_of_key(top: _Container, key: str, marks: list[int]) -> int:
    index = top.start
    for name, value in top.value.items():  # type: ignore[union-attr]
        if name == key:
            return marks[index]
        index += _count(value)
    return 0


def _count(value: Any) -> int:
    """How many marks a value and everything inside it take."""
    if isinstance(value, dict):
        return 1 + sum(_count(v) for v in value.values())
    if isinstance(value, list):
        return 1 + sum(_count(v) for v in value)
    return 1


def positions_of(root: Any, marks: Sequence[int]) -> dict[Path_, tuple[int, int]]:
    """Every value's path mapped to its line and column, from ``_construct``'s marks."""
    positions: dict[Path_, tuple[int, int]] = {(): (1, 1)}
    packed = iter(marks)
    stack: list[tuple[Path_, Iterator[tuple[Any, Any]]]] = [((), _items(root))]
    while stack:
        path, items = stack[-1]
        for name, value in items:
            child = (*path, name)
            mark = next(packed, (1 << _SHIFT) | 1)  # (1, 1) if the file changed meanwhile
            positions[child] = (mark >> _SHIFT, mark & _COLUMN)
            if isinstance(value, dict | list):
                stack.append((child, _items(value)))
                break
        else:
            stack.pop()
    return positions


def _items(value: Any) -> Iterator[tuple[Any, Any]]:
    if isinstance(value, dict):
        return iter(value.items())
    if isinstance(value, list):
        return enumerate(value)
    return iter(())


# Characters no editor means to type, which change what a reader sees or hide text from
# checks: control characters (also written as YAML escapes such as "\x01"), marks that
# reverse the direction of text, and zero-width characters.
_HIDDEN_CHARACTERS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064"
    "\u2066-\u2069\ufeff\ufff9-\ufffb]"
)


def hidden_character(text: str) -> str | None:
    """What is wrong with a text's invisible characters, or None."""
    found = _HIDDEN_CHARACTERS.search(text)
    if found is None:
        return None
    code = f"U+{ord(found.group()):04X}"
    if "\u202a" <= found.group() <= "\u202e" or "\u2066" <= found.group() <= "\u2069":
        return f"含有改变文字方向的控制字符（{code}），显示出来的内容会与实际不符；请删除"
    if found.group() in "\u200b\u200c\u200d\u2060\ufeff":
        return f"含有看不见的零宽字符（{code}）；请删除"
    return f"含有不可见的控制字符（{code}）；请删除"


def _scalar(event: Any) -> Any:
    """Type a scalar: quoted and block text stay text; plain ones are checked."""
    value: str = event.value
    problem = hidden_character(value)
    if problem:
        raise YamlProblem(event.start_mark, problem)
    if event.style:  # quoted or block scalar: always text
        return value
    if value and value[0] not in _MAY_BE_TYPED:  # most text: no pattern below can match
        return value
    if value in _NULLS:
        return None
    lowered = value.lower()
    if lowered in _TRUE_FALSE:
        return _TRUE_FALSE[lowered]
    if _INT.match(value):
        return int(value)
    if _FLOAT.match(value):
        return Decimal(value)  # exactly as written: 97.995 stays 97.995, never binary
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
