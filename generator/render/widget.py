"""The portal's floating panel (飘窗): a tiny standalone page and a JSON file.

The company portal embeds ``widget/index.html`` in an iframe or fetches
``widget/current.json``; neither needs anything else from this site.
"""

from __future__ import annotations

from typing import Any

from generator.ranking.board import DRAFT_MARK, Board
from generator.render.environment import html_environment
from generator.text import json_bytes


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
    return {
        "company": dataset.site.company,
        "quarter": quarter,
        "state": state,
        "draft": DRAFT_MARK if quarter and state != "已发布" else None,
        "published": published.isoformat() if published else None,
        "red": entries("red"),
        "blue": entries("blue"),
        "page": f"quarters/{quarter}.html" if quarter else None,
    }


def widget_json(board: Board) -> bytes:
    return json_bytes(current_lists(board))


def widget_html(board: Board) -> bytes:
    template = html_environment().get_template("widget.html.j2")
    return template.render(data=current_lists(board)).encode("utf-8")
