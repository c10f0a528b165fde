"""Record changes said in plain Chinese, for the public change log.

The semantic diff for reviewers names fields as the data files spell them
(``progress[4].date``), which is what a secretary editing YAML needs. A reader of the
board needs "第5条进度记录的日期 由 （无） 改为 2026年9月30日": this module turns field
paths into words and groups the fields of one added or removed list entry into one line.
Values stay the public values ``FieldChange`` holds; an internal field still only says
that it changed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from generator.model.history import FieldChange, RecordChange
from generator.model.policy import HIDDEN_CHANGE, Hidden
from generator.text import cn_date, cn_quarter, number

# What the office calls each field of the data files (generator/model/schema.py).
FIELD_NAMES: dict[str, str] = {
    "activities": "活动",
    "annual_evaluations": "年度评价",
    "approver": "批准人",
    "branch": "所在党支部",
    "category": "考核类别",
    "checked_by": "督诺人",
    "closed_on": "销号日期",
    "closing_note": "销号说明",
    "commitment": "承诺",
    "completed_on": "完成日期",
    "confirmed": "确认日期",
    "content": "内容",
    "contribution": "比贡献",
    "corrections": "更正记录",
    "criteria": "评定标准",
    "date": "日期",
    "deadline": "期限",
    "deductions": "扣分",
    "detail": "详情",
    "dimension": "考核维度",
    "employee": "职工",
    "established": "设立日期",
    "evidence": "佐证",
    "exceptions": "例外",
    "extra": "加分项",
    "finding": "结论",
    "findings": "逐项结论",
    "fulfilled_on": "实现日期",
    "grade": "等次",
    "group": "党小组",
    "held_on": "开展日期",
    "holders": "责任人",
    "image": "看形象",
    "indicators": "指标",
    "inspected_on": "检查日期",
    "inspection_end": "检查结束日期",
    "inspection_group": "检查组",
    "inspection_start": "检查开始日期",
    "interviewee": "被约谈人",
    "interviewer": "约谈人",
    "issuer": "发文单位",
    "items": "事项",
    "joined_on": "入党日期",
    "kind": "类型",
    "leader": "组长",
    "left_on": "离开日期",
    "left_reason": "离开原因",
    "measure": "整改措施",
    "member": "党员",
    "members": "党员",
    "met": "达到",
    "moved_to": "转入党支部",
    "name": "名称",
    "note": "说明",
    "notice_number": "通报文号",
    "number": "文号",
    "outcome": "结果",
    "owner": "责任人",
    "parent": "上级组织",
    "participants": "参加人数",
    "points": "分值",
    "post": "岗位",
    "problem": "问题",
    "problems_solved": "解决问题数",
    "progress": "进度记录",
    "published": "发布日期",
    "quarter": "季度",
    "rated_by": "评定单位",
    "rated_on": "评定日期",
    "rating": "评价",
    "reason": "原因",
    "recheck": "复查",
    "red": "红榜",
    "respondents": "参评人数",
    "result": "结果",
    "review": "审核意见",
    "role": "职务",
    "rounds": "督诺轮次",
    "satisfaction": "满意度",
    "score": "得分",
    "scores": "得分",
    "secretary": "书记",
    "self_evaluations": "自评",
    "sessions": "次数",
    "source": "来源",
    "stage": "阶段",
    "standard": "标准",
    "stars": "星级",
    "status": "状态",
    "study": "比学习",
    "summary": "更正内容",
    "target": "目标",
    "team": "班组",
    "teams": "班组评定",
    "text": "承诺内容",
    "title": "标题",
    "to": "主送",
    "type": "问题类型",
    "unit": "单位",
    "unit_type": "单位类型",
    "value": "数值",
    "verifier": "核实人",
    "wish": "心愿",
    "withdrawn": "撤销日期",
    "year": "年度",
}
# The measure word of a list's entries where 条 reads wrong (第2项扣分).
MEASURE_WORDS = {"deductions": "项", "items": "项", "criteria": "项", "indicators": "项"}
_SEGMENT = re.compile(r"\[(\d+)\]|\.?([^.\[\]]+)")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_QUARTER_CODE = re.compile(r"\b\d{4}Q[1-4]\b")


def in_words(text: str) -> str:
    """Quarter codes and ISO dates inside a text as people write them."""
    text = _QUARTER_CODE.sub(lambda m: cn_quarter(m.group(0)), text)
    return _ISO_DATE.sub(lambda m: _date_words(m.group(0)), text)


def _date_words(iso: str) -> str:
    try:
        return cn_date(dt.date.fromisoformat(iso))
    except ValueError:  # not a real date: leave it as written
        return iso


def value_words(value: Any) -> str:
    """A public value as a change line says it."""
    if value is None:
        return "（无）"
    if isinstance(value, Hidden):
        return HIDDEN_CHANGE
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float | int | Decimal):
        return number(value)
    if isinstance(value, dt.date):
        return cn_date(value)
    return in_words(str(value))


def field_words(path: str) -> str:
    """``progress[4].date`` → 第5条进度记录的日期; ``scores.党员教育`` → 党员教育得分."""
    words: list[str] = []
    last = ""
    for index, name in _SEGMENT.findall(path):
        if index:
            measure = MEASURE_WORDS.get(last, "条")
            words[-1] = f"第{int(index) + 1}{measure}{words[-1] if words else ''}"
            continue
        last = name
        if name in FIELD_NAMES:
            words.append(FIELD_NAMES[name])
        elif words:  # a key of a mapping: a dimension's or an indicator's own name
            words[-1] = f"{name}{words[-1]}"
        else:
            words.append(name)
    return "的".join(words)


@dataclass(frozen=True)
class ChangeLine:
    """One sentence of a record's change: what it says, and its field details."""

    text: str
    hidden: bool = False  # an internal field: the text says only that it changed


def record_words(change: RecordChange) -> str:
    """``修改党员：周雨辰``: the action, the kind and what the record is called."""
    return f"{change.action}{change.label}：{in_words(change.title)}"


def change_lines(change: RecordChange) -> list[ChangeLine]:
    """The record's field changes as sentences; the fields of a list entry that was
    added or removed as a whole become one sentence."""
    return [line for group in _entries(change.fields) for line in _say(group)]


def _entries(fields: tuple[FieldChange, ...]) -> Iterator[list[FieldChange]]:
    """Fields grouped by the list entry they belong to (``progress[4]``), in order."""
    groups: dict[str, list[FieldChange]] = {}
    for field in fields:
        head = re.match(r"[^\[]*\[\d+\]", field.path)
        groups.setdefault(head.group(0) if head else field.path, []).append(field)
    yield from groups.values()


def _say(group: list[FieldChange]) -> list[ChangeLine]:
    head = re.match(r"[^\[]*\[\d+\]", group[0].path)
    if head and len(group) > 1 and all(f.old is None for f in group):
        return [ChangeLine(f"新增{field_words(head.group(0))}（{_details(group, head)}）")]
    if head and len(group) > 1 and all(f.new is None for f in group):
        return [ChangeLine(f"删除{field_words(head.group(0))}")]
    return [_one(field) for field in group]


def _details(group: list[FieldChange], head: re.Match[str]) -> str:
    parts = []
    for field in group:
        rest = field.path[head.end() :].lstrip(".")
        parts.append(f"{field_words(rest)}：{value_words(field.new)}")
    return "；".join(parts)


def _one(field: FieldChange) -> ChangeLine:
    name = field_words(field.path)
    if isinstance(field.old, Hidden) or isinstance(field.new, Hidden):
        return ChangeLine(f"{name}：{HIDDEN_CHANGE}", hidden=True)
    if field.old is None:
        return ChangeLine(f"{name}：新增为 {value_words(field.new)}")
    if field.new is None:
        return ChangeLine(f"{name}：删除（原为 {value_words(field.old)}）")
    return ChangeLine(f"{name}：由 {value_words(field.old)} 改为 {value_words(field.new)}")
