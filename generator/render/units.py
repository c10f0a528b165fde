"""Views of the demonstration units: 示范岗, 责任区, 服务队/突击队, 示范区/线路."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pandas as pd

from generator.model.dataset import Dataset
from generator.model.schema import UNIT_KINDS, Unit
from generator.text import cn_date, cn_quarter, number


def unit_status(unit: Unit, withdraw_below: Decimal) -> str:
    """有效, 已撤销 (with date and reason), or 建议撤销 when the rule says so."""
    if unit.withdrawn is not None:
        return f"已撤销（{cn_date(unit.withdrawn.date)}：{unit.withdrawn.reason}）"
    if unit.annual_evaluations:
        latest = max(unit.annual_evaluations, key=lambda a: a.year)
        if latest.score < withdraw_below:
            score = f"{latest.year} 年度考评 {number(latest.score)} 分"
            return f"建议撤销（{score}，低于 {number(withdraw_below)} 分）"
    return "有效"


def units_view(dataset: Dataset) -> dict[str, Any]:
    line = dataset.site.policy.withdraw_below
    groups = []
    for kind in UNIT_KINDS:
        units = [u for u in dataset.units.values() if u.kind == kind]
        if units:
            groups.append({"kind": kind, "rows": [_row(dataset, u, line) for u in units]})
    return {"groups": groups, "withdraw_below": line}


def _row(dataset: Dataset, unit: Unit, line: Decimal) -> dict[str, Any]:
    latest_self = max(unit.self_evaluations, key=lambda s: s.quarter, default=None)
    latest_year = max(unit.annual_evaluations, key=lambda a: a.year, default=None)
    return {
        "unit": unit,
        "branch": dataset.orgs[unit.branch].name,
        "holders": "、".join(dataset.members[h].name for h in unit.holders),
        "self": f"{number(latest_self.score)}（{cn_quarter(latest_self.quarter)}）"
        if latest_self
        else "—",
        "annual": f"{number(latest_year.score)}（{latest_year.year}，{latest_year.grade}）"
        if latest_year
        else "—",
        "status": unit_status(unit, line),
        "activities": len(unit.activities),
    }


def unit_view(dataset: Dataset, unit: Unit) -> dict[str, Any]:
    return {
        "unit": unit,
        "branch": dataset.orgs[unit.branch],
        "holders": [dataset.members[h] for h in unit.holders],
        "status": unit_status(unit, dataset.site.policy.withdraw_below),
        "self_evaluations": sorted(unit.self_evaluations, key=lambda s: s.quarter, reverse=True),
        "annual": sorted(unit.annual_evaluations, key=lambda a: a.year, reverse=True),
        "activity_counts": _activity_counts(unit),
        "activities": sorted(unit.activities, key=lambda a: a.date, reverse=True),
        "names": dataset.member_names,
    }


def _activity_counts(unit: Unit) -> dict[str, Any] | None:
    """Activities per type and per quarter (seed 001 reports 25 of one kind, 8 of another)."""
    if not unit.activities:
        return None
    frame = pd.DataFrame(
        {
            "type": [a.type for a in unit.activities],
            "quarter": [f"{a.date.year}Q{(a.date.month - 1) // 3 + 1}" for a in unit.activities],
        }
    )
    table = pd.crosstab(frame["type"], frame["quarter"])
    quarters = [str(q) for q in table.columns]
    rows = [
        {"type": str(t), "counts": [int(v) for v in table.loc[t]], "total": int(table.loc[t].sum())}
        for t in table.index
    ]
    return {"quarters": quarters, "rows": rows, "total": len(unit.activities)}
