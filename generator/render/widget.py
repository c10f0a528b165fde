"""The portal's floating panel (飘窗): a tiny standalone page and a JSON file.

The company portal embeds ``widget/index.html`` in an iframe or fetches
``widget/current.json``; neither needs anything else from this site.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from generator.model.schema import CATEGORIES
from generator.ranking.board import DRAFT_MARK, Board
from generator.render.environment import html_environment
from generator.text import json_bytes

# The red list's entries the panel names (one a category, as a rule; ties add more):
# beyond that a count, so the panel stays about 320 × 400 px at any size of board.
RED_SHOWN = 6


def current_lists(board: Board) -> dict[str, Any]:
    dataset, results = board.data, board.results
    quarter = dataset.latest_quarter
    table = results.quarter(quarter) if quarter else results.table.iloc[0:0]

    def entries(code: str) -> list[dict[str, Any]]:
        rows = table[table["list"] == code]
        return [
            {
                "branch": r["branch"],
                "name": r["name"],
                "category": r["category"],
                "base": float(r["base"]),
                "adjustment": float(r["adjustment"]),
            }
            for _, r in rows.iterrows()
        ]

    published = dataset.quarters[quarter].published if quarter else None
    state = board.state(quarter) if quarter else None
    blue = entries("blue")
    return {
        "company": dataset.site.company,
        "quarter": quarter,
        "state": state,
        "draft": DRAFT_MARK if quarter and state != "已发布" else None,
        "published": published.isoformat() if published else None,
        "red": entries("red"),
        "blue": blue,
        "blue_counts": per_category(blue),
        "page": f"quarters/{quarter}.html" if quarter else None,
    }


def per_category(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """How many organizations of each category are on a list, in category order."""
    counts = Counter(e["category"] for e in entries)
    return [{"category": c, "count": counts[c]} for c in CATEGORIES if counts[c]]


def widget_json(board: Board) -> bytes:
    return json_bytes(current_lists(board))


def widget_html(board: Board) -> bytes:
    return panel_html(current_lists(board))


def panel_html(data: dict[str, Any]) -> bytes:
    """The panel for ``current_lists``' data."""
    template = html_environment().get_template("widget.html.j2")
    published = dt.date.fromisoformat(data["published"]) if data["published"] else None
    page = template.render(data=data, published=published, red_shown=RED_SHOWN)
    return page.encode("utf-8")
