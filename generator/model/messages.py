"""Pydantic's validation errors, said in Chinese with what was expected."""

from __future__ import annotations

import datetime as dt
import difflib
from decimal import Decimal
from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from generator.model.schema import QUARTER_PATTERN, SLUG_PATTERN, VISIBLE_PATTERN

_TYPE_NAMES: dict[type, str] = {
    str: "文本",
    int: "整数",
    float: "小数",
    Decimal: "数字",
    bool: "是非值",
    dt.date: "日期",
    list: "列表",
    dict: "映射",
    type(None): "空值",
}


def type_name(value: Any) -> str:
    return _TYPE_NAMES.get(type(value), type(value).__name__)


def shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value) if not isinstance(value, dict | list) else type_name(value)
    return text if len(text) <= 40 else text[:40] + "…"


def did_you_mean(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"（是否想写“{close[0]}”？）" if close else ""


def translate(error: ErrorDetails, model: type[BaseModel] | None) -> str:
    """One pydantic error -> a Chinese sentence that says what is expected."""
    kind = error["type"]
    ctx = error.get("ctx", {})
    value = error.get("input")
    field = str(error["loc"][-1]) if error["loc"] else ""
    if kind == "missing":
        return f"缺少必填字段“{field}”"
    if kind == "extra_forbidden":
        allowed = _allowed_fields(model, error["loc"])
        hint = did_you_mean(field, allowed)
        listing = f"；可用字段：{'、'.join(allowed)}" if allowed else ""
        return f"未知字段“{field}”{hint}{listing}"
    if kind == "literal_error":
        expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", "、")
        return f"“{shown(value)}”不是可选的值；应为以下之一：{expected.replace(', ', '、')}"
    if kind == "is_instance_of" and ctx.get("class") == "Decimal":
        kind = "decimal_type"  # strict decimals: anything but a number written as a number
    if kind == "category_twice":
        return str(error["msg"])
    if kind == "string_pattern_mismatch":
        return _pattern_message(value, str(ctx.get("pattern", "")))
    simple = _SIMPLE.get(kind)
    if simple:
        limits = {k: _plain_number(v) for k, v in ctx.items()}
        # A list or mapping is named by its type alone; a scalar is also quoted as written.
        actual = (
            type_name(value)
            if isinstance(value, dict | list)
            else f"{type_name(value)}“{shown(value)}”"
        )
        return simple.format(value=shown(value), type=type_name(value), actual=actual, **limits)
    return f"取值“{shown(value)}”无效（{error['msg']}）"


_SIMPLE = {
    "string_type": "应为文本，实际是{actual}；如果是文本，请加引号",
    "int_type": "应为整数，实际是{actual}",
    "int_from_float": "应为整数，实际是小数“{value}”",
    "float_type": "应为数字，实际是{actual}",
    "decimal_type": "应为数字，实际是{actual}",
    "decimal_parsing": "应为数字，实际是{actual}",
    "bool_type": "应为 true 或 false，实际是{actual}",
    "date_type": "应为日期（YYYY-MM-DD，不加引号），实际是{actual}",
    "list_type": "应为列表（每项以“- ”开头），实际是{type}",
    "dict_type": "应为映射（“键: 值”），实际是{type}",
    "model_type": "应为映射（“键: 值”），实际是{type}",
    "model_attributes_type": "应为映射（“键: 值”），实际是{type}",
    "string_too_short": "不能为空",
    "string_too_long": "过长：最多 {max_length} 个字符",
    "too_short": "至少需要 {min_length} 项",
    "too_long": "最多 {max_length} 项",
    "greater_than_equal": "应不小于 {ge}，实际是 {value}",
    "greater_than": "应大于 {gt}，实际是 {value}",
    "less_than_equal": "应不大于 {le}，实际是 {value}",
    "less_than": "应小于 {lt}，实际是 {value}",
    "finite_number": "应为有限的数字",
}


def _plain_number(value: Any) -> Any:
    # pydantic reports float limits as 0.0 / 100.0; people write 0 and 100.
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return f"{value:g}" if isinstance(value, float) else value


def _pattern_message(value: Any, pattern: str) -> str:
    if pattern == SLUG_PATTERN:
        return (
            f"“{shown(value)}”不是有效的编号：只能用小写英文字母、数字和单个连字符，"
            "如 b01-yunwei（编号用于网址，不能含中文、大写、空格或斜杠）"
        )
    if pattern == VISIBLE_PATTERN:
        return "不能只有空格；请填写内容，不需要时整行删除"
    if pattern == QUARTER_PATTERN:
        return f"“{shown(value)}”不是有效的季度：应写成 年份+Q+季度，如 2025Q1"
    return f"“{shown(value)}”格式不对"


def _allowed_fields(model: type[BaseModel] | None, loc: tuple[int | str, ...]) -> list[str]:
    """Walk the model along ``loc`` (minus the unknown field) to list its fields."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int) or current is None:
            continue
        field = _field_by_alias(current, part)
        current = _inner_model(field.annotation) if field is not None else None
    if current is None or not isinstance(current, type) or not issubclass(current, BaseModel):
        return []
    return [f.alias or name for name, f in current.model_fields.items()]


def _field_by_alias(model: Any, name: str) -> Any:
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        return None
    for key, field in model.model_fields.items():
        if (field.alias or key) == name:
            return field
    return None


def _inner_model(annotation: Any) -> Any:
    """The BaseModel inside ``list[M]``, ``M | None`` or ``dict[K, M]``, if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    return None
