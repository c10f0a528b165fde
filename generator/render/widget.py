"""The portal's floating panel (飘窗): a tiny standalone page and a JSON file.

The company portal embeds ``widget/index.html`` in an iframe or fetches
``widget/current.json``; neither needs anything else from this site.
"""

from __future__ import annotations

from typing import Any

import jinja2

from generator.model.dataset import Dataset
from generator.ranking.lists import Results
from generator.render.escape import json_bytes


def current_lists(dataset: Dataset, results: Results) -> dict[str, Any]:
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
    return {
        "company": dataset.site.company,
        "quarter": quarter,
        "published": published.isoformat() if published else None,
        "red": entries("red"),
        "blue": entries("blue"),
        "page": f"quarters/{quarter}.html" if quarter else None,
    }


def widget_json(dataset: Dataset, results: Results) -> bytes:
    return json_bytes(current_lists(dataset, results))


def widget_html(dataset: Dataset, results: Results) -> bytes:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("generator.render", "templates"),
        autoescape=True,  # real HTML: Jinja's own HTML escaping applies to every value
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    html = env.get_template("widget.html.j2").render(data=current_lists(dataset, results))
    return html.encode("utf-8")
