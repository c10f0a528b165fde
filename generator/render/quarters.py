"""Views of the quarterly results: quarter pages, the archive, a branch's history.

They turn the ranking tables into plain rows and sentences for the templates;
the words for movement and lists live here so every page says them the same way.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pandas as pd

from generator.model.schema import CATEGORIES, Interview, Organization, Rules
from generator.ranking.board import DRAFT_MARK, Board
from generator.render.charts import Axes, Point, line_chart
from generator.text import Md, html_fragment, number, rounded, signed

LIST_NAMES = {"red": "红榜", "blue": "蓝榜", "yellow": "黄色预警", "": ""}


def list_badge(code: str) -> Md:
    """A list mark that reads without colour: a word plus a shape; colour is only extra."""
    if not code:
        return Md("—")
    shape = {"red": "▲", "blue": "▼", "yellow": "●"}[code]
    return Md(f'<span class="board-list board-list--{code}">{shape}{LIST_NAMES[code]}</span>')


# A result row: a pandas Series or the same row as a plain dict.
Row = Mapping[str, Any] | pd.Series


def movement_text(row: Row) -> str:
    """Rank movement with an arrow and words, never colour alone."""
    if row["category_changed"]:
        return f"类别调整（{row['prev_category']} → {row['category']}），名次不可比"
    movement = row["movement"]
    if movement is None or (isinstance(movement, float) and math.isnan(movement)):
        return "首次考核"
    moved = int(movement)
    if moved > 0:
        return f"↑ 上升 {moved} 位"
    if moved < 0:
        return f"↓ 下降 {-moved} 位"
    return "→ 名次不变"


def delta_text(delta: object) -> str:
    value = exact(delta)
    if value is None:
        return "—"
    if value > 0:
        return f"↑ +{number(value)}"
    if value < 0:
        return f"↓ −{number(-value)}"
    return "→ 0"


def list_change_text(row: Row) -> str:
    before, now = row["prev_list"], row["list"]
    if not isinstance(before, str):
        return ""
    if before == now:
        return ""
    if now:
        return f"新进入{LIST_NAMES[now]}"
    return f"退出{LIST_NAMES[before]}"


@dataclass(frozen=True)
class Disclosure:
    start: dt.date
    end: dt.date
    active: bool

    @property
    def label(self) -> str:
        return "公示中" if self.active else "公示结束"


def disclosure_window(board: Board, published: dt.date | None) -> Disclosure | None:
    """公示期: from the publication date, for the configured number of days."""
    if published is None:
        return None
    end = published + dt.timedelta(days=board.data.site.disclosure.days - 1)
    return Disclosure(published, end, published <= board.as_of <= end)


def quarter_view(board: Board, quarter: str) -> dict[str, Any]:
    """Everything the quarter page and its printable notice show."""
    dataset = board.data
    table = board.results.quarter(quarter)
    rules = dataset.rules_for(quarter)
    assert rules is not None  # checks.py: every assessed quarter has rules
    dims = [d.name for d in rules.dimensions]
    net = _net_by_branch(board, quarter)
    # Plain records, not ``iterrows``: a Series per row was most of this page's cost.
    records: list[dict[str, Any]] = table.to_dict("records")  # type: ignore[assignment]
    rows = [_row(r, net, dims) for r in records]
    categories = []
    for category in CATEGORIES:
        in_category = [r for r in rows if r["category"] == category]
        if in_category:
            note = unranked_note(rules, category, in_category)
            categories.append({"category": category, "rows": in_category, "note": note})
    state = board.state(quarter)
    return {
        "site": dataset.site,
        "quarter": quarter,
        "as_of": board.as_of,
        "state": state,
        "draft": DRAFT_MARK if state != "已发布" else "",
        "info": dataset.quarters[quarter],
        "rules": rules,
        "dims": dims,
        "red": [r for r in rows if r["list"] == "red"],
        "blue": [r for r in rows if r["list"] == "blue"],
        "yellow": [r for r in rows if r["list"] == "yellow"],
        "categories": categories,
        "unranked": [c for c in categories if c["note"]],
        "deductions": _deductions(board, records),
        "disclosure": disclosure_window(board, dataset.quarters[quarter].published),
        "interviews": [interview_row(board, iv) for iv in board.interviews_in(quarter)],
        "rechecks": [interview_row(board, iv) for iv in board.rechecks_in(quarter)],
        "interviewed": {iv.branch: iv for iv in board.interviews_in(quarter)},
        "carried": [s for s in board.open_items if s.interview.quarter < quarter],
        "committee": dataset.orgs[dataset.site.committee].name,
    }


def unranked_note(rules: Rules, category: str, rows: list[dict[str, Any]]) -> str:
    """Why a category has no list by rank this quarter (one branch, or all tied), if so."""
    rule = rules.categories.get(category)  # type: ignore[call-overload]
    by_rank = [
        getattr(rule, colour)
        for colour in ("red", "yellow", "blue")
        if rule and getattr(rule, colour)
    ]
    if not any(lst.below is None for lst in by_rank):
        return ""  # only threshold lists here, which apply whatever the ranks
    if len(rows) == 1:
        return (
            f"{category} 类本季度只有 1 个党组织参加考核，没有先后之分，不设按名次产生的红榜和蓝榜"
        )
    if len({r["base"] for r in rows}) == 1:
        return (
            f"{category} 类 {len(rows)} 个党组织基础得分相同（{number(rows[0]['base'])} 分），"
            "没有先后之分，不设按名次产生的红榜和蓝榜"
        )
    return ""


def exact(value: object) -> Decimal | None:
    """A figure from the result tables (an exact Decimal), None where there is none (NaN)."""
    if isinstance(value, Decimal):
        return value
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return Decimal(str(value))


def _net_by_branch(board: Board, quarter: str) -> dict[str, dict[str, Decimal]]:
    dims = board.results.dimensions[board.results.dimensions["quarter"] == quarter]
    out: dict[str, dict[str, Decimal]] = {}
    for branch, dimension, net in zip(dims["branch"], dims["dimension"], dims["net"], strict=True):
        out.setdefault(str(branch), {})[str(dimension)] = net
    return out


def _row(row: Row, net: dict[str, dict[str, Decimal]], dims: list[str]) -> dict[str, Any]:
    return {
        "branch": row["branch"],
        "name": row["name"],
        "category": row["category"],
        "rank": int(row["rank"]),
        "size": int(row["size"]),
        "base": row["base"],
        "extra": row["extra"],
        "deducted": row["deducted"],
        "list": row["list"],
        "badge": list_badge(row["list"]),
        "adjustment": row["adjustment"],
        "delta": delta_text(row["delta"]),
        "movement": movement_text(row),
        "change": list_change_text(row),
        "dims": [net.get(str(row["branch"]), {}).get(d, Decimal(0)) for d in dims],
        "reason": reason_text(row),
    }


def reason_text(row: Row) -> str:
    """Why a branch is on a list, in the words of the rule."""
    code = str(row["list"])
    if not code:
        return ""
    kind, line = str(row[f"{code}_rule"]), row[f"{code}_line"]
    place = f"{row['category']} 类第 {int(row['rank'])} 名（共 {int(row['size'])} 个）"
    base = f"基础得分 {number(row['base'])}"
    if kind == "below":
        return f"{base}，低于 {number(line)} 分"
    if kind == "bottom":
        return f"{place}，处于本类末位，{base}"
    return f"{place}，{base}"


def _deductions(board: Board, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for row in records:
        assessment = board.data.assessments[(str(row["quarter"]), str(row["branch"]))]
        out.append(
            {
                "branch": row["branch"],
                "name": row["name"],
                "base": row["base"],
                "group": assessment.inspection_group,
                "date": assessment.inspected_on,
                "problems": assessment.deductions,
            }
        )
    return out


def interview_row(board: Board, iv: Interview) -> dict[str, Any]:
    members = board.data.members
    return {
        "interview": iv,
        "branch": board.data.orgs[iv.branch],
        "interviewee": members[iv.interviewee].name,
        "entries": [{"state": s, "owner": members[s.item.owner].name} for s in board.items[iv.id]],
    }


def archive_view(board: Board) -> dict[str, Any]:
    dataset, rows = board.data, []
    for quarter in reversed(dataset.quarter_ids):
        table = board.results.quarter(quarter)
        rows.append(
            {
                "quarter": quarter,
                "info": dataset.quarters[quarter],
                "state": board.state(quarter),
                "count": len(table),
                "red": "、".join(table[table["list"] == "red"]["name"]),
                "blue": "、".join(table[table["list"] == "blue"]["name"]),
                "disclosure": disclosure_window(board, dataset.quarters[quarter].published),
                "rules": (dataset.rules_for(quarter) or dataset.rules[0]).title,
            }
        )
    return {"rows": rows, "site": dataset.site}


def history_view(board: Board, org: Organization) -> dict[str, Any] | None:
    """A branch's score and rank over time, its dimensions against the category average."""
    history = board.results.branch(org.id).sort_values("quarter")
    if history.empty:
        return None
    latest = history.iloc[-1]
    points = [
        Point(
            str(r["quarter"]), float(r["base"]), LIST_NAMES[str(r["list"])],
            average=_category_mean(board, str(r["quarter"]), str(r["category"])),
        )
        for _, r in history.iterrows()
    ]  # fmt: skip
    ranks = [
        Point(str(r["quarter"]), float(r["rank"]), f"{r['category']}类")
        for _, r in history.iterrows()
    ]
    return {
        "latest": latest,
        "reason": reason_text(latest),
        "badge": list_badge(str(latest["list"])),
        "movement": movement_text(latest),
        "delta": delta_text(latest["delta"]),
        "change": list_change_text(latest),
        "gaps": _gaps(latest),
        "charts": html_fragment(
            '<div class="board-charts" data-search-exclude>'
            + line_chart("各季度基础得分", points, Axes("基础得分（分）", unit="分"))
            + line_chart("各季度类内名次（越靠上越好）", ranks, Axes("类内名次", invert=True))
            + "</div>"
        ),
        "rows": [_history_row(r) for _, r in history.iloc[::-1].iterrows()],
        "dimensions": _dimension_rows(board, org.id, latest),
        "years": _year_rows(board, org.id),
    }


def _category_mean(board: Board, quarter: str, category: str) -> float:
    return float(board.results.base_mean(quarter, category))


def _year_rows(board: Board, branch: str) -> list[dict[str, Any]]:
    """The yearly aggregate: mean quarterly base score and what it counts for the year."""
    mine = board.yearly.get(branch).sort_values("year", ascending=False)
    history = board.results.branch(branch).sort_values("quarter")
    quarters: dict[int, list[Any]] = {}
    for _, row in history.iterrows():
        quarters.setdefault(int(str(row["quarter"])[:4]), []).append(row["adjustment"])
    return [
        {
            "year": int(r["year"]),
            "quarters": int(r["quarters"]),
            "mean": r["mean_base"],
            "weight": exact(r["weight"]),
            "weighted": r["weighted"],
            "adjustments": adjustments_text(r["adjustments"], quarters[int(r["year"])]),
        }
        for _, r in mine.iterrows()
    ]


def adjustments_text(total: Any, parts: list[Any]) -> Md:
    """The year's 月度绩效 adjustments: their sum, and the parts when they cancel out
    (+1.5 and −1.5 are not "—", which would read as never listed)."""
    nonzero = [p for p in parts if p]
    if total or not nonzero:
        return signed(total)
    return Md(f"0（{'、'.join(signed(p) for p in nonzero)}）")


def _history_row(row: pd.Series) -> dict[str, Any]:
    return {
        "quarter": row["quarter"],
        "category": row["category"],
        "base": row["base"],
        "rank": f"{int(row['rank'])}/{int(row['size'])}",
        "badge": list_badge(str(row["list"])),
        "adjustment": row["adjustment"],
        "delta": delta_text(row["delta"]),
        "movement": movement_text(row),
    }


def _gaps(row: pd.Series) -> list[str]:
    """Distance to the red and blue lines, in points, as a sentence each."""
    base: Decimal = row["base"]
    out = []
    red = exact(row["red_line"])
    if red is not None:
        gap = red - base
        out.append(
            "已达到红榜线" if gap <= 0 else f"距红榜线（{number(red)} 分）还差 {number(gap)} 分"
        )
    blue = exact(row["blue_line"])
    if blue is not None:
        if row["list"] == "blue":
            out.append(
                f"处于蓝榜线（{number(blue)} 分）上"
                if base >= blue
                else f"低于蓝榜线 {number(blue - base)} 分"
            )
        else:
            out.append(f"高出蓝榜线（{number(blue)} 分）{number(base - blue)} 分")
    return out


def _dimension_rows(board: Board, branch: str, latest: pd.Series) -> list[dict[str, Any]]:
    quarter, category = str(latest["quarter"]), str(latest["category"])
    table = board.averages[quarter]
    averages = dict(
        zip(
            table["dimension"][table["category"] == category],
            table["net"][table["category"] == category],
            strict=True,
        )
    )
    dims = board.results.dims_by_quarter_branch
    mine = dims.get((quarter, branch))
    previous = latest["prev_quarter"]
    before: dict[str, Decimal] = {}
    if isinstance(previous, str):
        prev = dims.get((previous, branch))
        before = dict(zip(prev["dimension"], prev["net"], strict=True))
    rows = []
    for _, d in mine.iterrows():
        name, net = str(d["dimension"]), d["net"]
        avg = averages.get(name, net)  # a lone branch is its own average
        rows.append(
            {
                "name": name,
                "net": net,
                "average": avg,
                "versus": delta_text(rounded(net) - rounded(avg)),
                "since": delta_text(net - before[name]) if name in before else "—",
            }
        )
    return rows
