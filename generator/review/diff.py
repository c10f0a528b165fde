"""The semantic diff a reviewer reads in a merge request: what changed, and what it causes.

Records are compared by kind and key through the registry (``changes.py``), as the
publish policy lets them be seen: the text goes into merge-request comments and CI
artifacts, so an internal field's value never appears in it (``--show-internal`` is
for a maintainer's own terminal). Then the ranking is run on both sides so the
reviewer sees rank movements, list changes, adjustment changes and commitment stages
moving forward or back.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from generator.model.dataset import Dataset
from generator.model.history import RecordChange
from generator.model.policy import PublishPolicy, publishable
from generator.model.schema import STAGES
from generator.ranking.lists import rank_all
from generator.review.changes import ACTIONS, record_changes
from generator.text import md_text, number

LIST_NAMES = {"red": "红榜", "blue": "蓝榜", "yellow": "黄色预警"}
MAX_ITEMS = 200  # per section: a merge-request comment must stay readable


@dataclass
class SemanticDiff:
    changes: list[RecordChange]
    consequences: dict[str, list[str]]  # section title -> lines

    @property
    def empty(self) -> bool:
        return not self.changes


def semantic_diff(before: Dataset, after: Dataset, *, show_internal: bool = False) -> SemanticDiff:
    """The diff of two checked datasets, as ``after``'s publish policy lets it be seen."""
    policy = PublishPolicy.everything() if show_internal else PublishPolicy.for_site(after.site)
    seen_before = before if show_internal else publishable(before)
    seen_after = after if show_internal else publishable(after)
    changes = record_changes(before.records, after.records, policy, seen_after.names)
    return SemanticDiff(changes, consequences(seen_before, seen_after))


def consequences(before: Dataset, after: Dataset) -> dict[str, list[str]]:
    """What the change does to rankings, lists, adjustments and commitment stages."""
    out: dict[str, list[str]] = {}
    ranked = _ranking_changes(before, after)
    for title, lines in ranked.items():
        if lines:
            out[title] = lines
    stages = _stage_changes(before, after)
    if stages:
        out["承诺步骤变化"] = stages
    return out


def _ranking_changes(before: Dataset, after: Dataset) -> dict[str, list[str]]:
    key = ["quarter", "branch"]
    old = rank_all(before).table.set_index(key)
    new = rank_all(after).table.set_index(key)
    moves, lists, adjustments = [], [], []
    for index in sorted(old.index.union(new.index)):
        quarter = index[0]
        name = str((new if index in new.index else old).loc[index, "name"])
        where = f"{quarter} {name}"
        if index not in old.index:
            row = new.loc[index]
            moves.append(f"{where}：新增考核结果，{row['category']} 类第 {int(row['rank'])} 名")
            continue
        if index not in new.index:
            moves.append(f"{where}：考核结果被删除")
            continue
        moves += _move(where, old.loc[index], new.loc[index])
        lists += _list_move(where, old.loc[index], new.loc[index])
        adjustments += _adjustment_move(where, old.loc[index], new.loc[index])
    return {"排名变化": moves, "红蓝榜变化": lists, "绩效调整变化": adjustments}


def _move(where: str, a: pd.Series, b: pd.Series) -> list[str]:
    lines = []
    if a["category"] != b["category"]:
        lines.append(f"{where}：类别 {a['category']} → {b['category']}")
    if float(a["base"]) != float(b["base"]):
        lines.append(f"{where}：基础得分 {number(float(a['base']))} → {number(float(b['base']))}")
    if int(a["rank"]) != int(b["rank"]) and a["category"] == b["category"]:
        moved = int(a["rank"]) - int(b["rank"])
        arrow = f"↑{moved}" if moved > 0 else f"↓{-moved}"
        lines.append(
            f"{where}：{b['category']} 类第 {int(a['rank'])} 名 → 第 {int(b['rank'])} 名（{arrow}）"
        )
    return lines


def _list_move(where: str, a: pd.Series, b: pd.Series) -> list[str]:
    old, new = str(a["list"]), str(b["list"])
    if old == new:
        return []
    parts = []
    if old:
        parts.append(f"退出{LIST_NAMES[old]}")
    if new:
        parts.append(f"进入{LIST_NAMES[new]}")
    return [f"{where}：{'，'.join(parts)}"]


def _adjustment_move(where: str, a: pd.Series, b: pd.Series) -> list[str]:
    old, new = float(a["adjustment"]), float(b["adjustment"])
    if math.isclose(old, new):
        return []
    return [f"{where}：月度绩效调整 {_signed(old)} → {_signed(new)}"]


def _signed(value: float) -> str:
    return "0" if not value else (f"+{number(value)}" if value > 0 else f"−{number(-value)}")


def _stage_changes(before: Dataset, after: Dataset) -> list[str]:
    old = {r.commitment.id: r for r in before.commitments}
    lines = []
    for row in after.commitments:
        previous = old.get(row.commitment.id)
        if previous is None or previous.stage == row.stage:
            continue
        step = STAGES.index(row.stage) - STAGES.index(previous.stage)
        word = "推进" if step > 0 else "倒退" if step < 0 else "重复"
        member = after.members.get(row.commitment.member)
        who = member.name if member else row.commitment.member
        moved = f"{previous.stage} → {row.stage}（{word}）"
        lines.append(f"{row.commitment.id}（{who}，{row.commitment.kind}）：{moved}")
    return sorted(lines)


# ------------------------------------------------------------------ output


def render_text(diff: SemanticDiff, base: str, head: str) -> str:
    return "\n".join(_lines(diff, base, head, markdown=False)) + "\n"


def render_markdown(diff: SemanticDiff, base: str, head: str) -> str:
    return "\n".join(_lines(diff, base, head, markdown=True)) + "\n"


def _lines(diff: SemanticDiff, base: str, head: str, *, markdown: bool) -> list[str]:
    def h(level: int, text: str) -> str:
        if markdown:
            return f"{'#' * level} {text}"
        return f"== {text} ==" if level < 3 else f"【{text}】"

    def t(value: object) -> str:  # data values: escaped in Markdown so they cannot inject
        return str(md_text(value)) if markdown else str(value)

    out = [h(2, f"数据变更说明：{base} → {head}"), ""]
    if diff.empty:
        out.append("数据没有实质变化：只改动了注释、键的顺序或空白，或完全没有改动。")
        return out
    counts = {a: sum(c.action == a for c in diff.changes) for a in ACTIONS}
    out.append("共" + "，".join(f"{a} {n} 条记录" for a, n in counts.items() if n) + "。")
    out.append("")
    labels = list(dict.fromkeys(c.label for c in diff.changes))
    for label in labels:
        items = [c for c in diff.changes if c.label == label]
        out += [h(3, f"{label}（{len(items)}）"), ""]
        out += _change_lines(items, t)
        out.append("")
    if diff.consequences:
        out += [h(3, "影响"), ""]
        for title, lines in diff.consequences.items():
            out += [f"**{title}**" if markdown else f"{title}：", ""]
            out += [f"- {t(line)}" for line in lines[:MAX_ITEMS]]
            if len(lines) > MAX_ITEMS:
                out.append(f"- ……另有 {len(lines) - MAX_ITEMS} 项")
            out.append("")
    return out


def _change_lines(items: list[RecordChange], t: Any) -> list[str]:
    out = []
    for change in items[:MAX_ITEMS]:
        out.append(f"- {change.action} {t(change.name)}")
        for f in change.fields[:30]:
            out.append(f"  - {t(f.path)}：{f.describe(t)}")
        if len(change.fields) > 30:
            out.append(f"  - ……另有 {len(change.fields) - 30} 个字段")
    if len(items) > MAX_ITEMS:
        out.append(f"- ……另有 {len(items) - MAX_ITEMS} 条")
    return out
