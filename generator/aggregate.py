"""A group's summary of its units' boards, from each unit's ``exports/results.json``.

Each unit (a provincial company) builds and publishes its own board; its site exports
every quarter's results as JSON. The group reads those files, never the units' data:
ranks stay within each unit and category (the group does not re-rank branches across
units, whose rules and inspection groups differ), and the summary says per unit and
quarter how many branches were assessed, the mean base score per category, and who is
on the red and blue lists. ``board aggregate`` writes it as Markdown pages for the
group's own MkDocs site plus ``summary.json``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from statistics import mean
from typing import Any

from generator.errors import BoardError
from generator.model.schema import CATEGORIES
from generator.text import json_bytes, md_text, number

RESULTS = Path("exports") / "results.json"


class AggregateError(BoardError):
    """A unit's export is missing or not what a board writes."""


@dataclass(frozen=True)
class Result:
    branch: str
    name: str
    category: str
    base: float
    list: str | None


@dataclass
class Unit:
    company: str
    source: str
    quarters: dict[str, list[Result]] = field(default_factory=dict)


@dataclass(frozen=True)
class QuarterLine:
    """One unit in one quarter."""

    company: str
    assessed: int
    means: dict[str, float | None]
    red: list[str]
    blue: list[str]


def read_unit(path: Path) -> Unit:
    """A unit's results: a ``results.json`` file, or a built site folder holding one."""
    file = path / RESULTS if path.is_dir() else path
    try:
        payload = json.loads(file.read_text(encoding="utf-8"))
    except OSError:
        raise AggregateError(f"{file}：找不到或无法读取；请指向单位站点的 {RESULTS}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise AggregateError(f"{file}：不是有效的 JSON（{exc}）") from None
    try:
        unit = Unit(str(payload["company"]), str(file))
        for quarter in payload["quarters"]:
            unit.quarters[str(quarter["quarter"])] = [
                Result(
                    str(r["branch"]),
                    str(r["name"]),
                    str(r["category"]),
                    float(r["base"]),
                    r["list"] if r["list"] in {"red", "blue", "yellow"} else None,
                )
                for r in quarter["results"]
            ]
    except (KeyError, TypeError, ValueError) as exc:
        raise AggregateError(
            f"{file}：不是公示栏导出的考核结果（缺少或不认识的字段 {exc}）；"
            f"请使用单位站点的 {RESULTS}"
        ) from None
    return unit


def read_units(paths: list[Path]) -> list[Unit]:
    units = [read_unit(p) for p in paths]
    seen: dict[str, str] = {}
    for unit in units:
        if unit.company in seen:
            first = seen[unit.company]
            raise AggregateError(f"{unit.source} 与 {first} 是同一单位“{unit.company}”；只需一份")
        seen[unit.company] = unit.source
    return units  # in the order given: the group's own order of its units


def quarter_lines(units: list[Unit]) -> dict[str, list[QuarterLine]]:
    """Per quarter (newest first), one line per unit that assessed branches in it."""
    out: dict[str, list[QuarterLine]] = defaultdict(list)
    for unit in units:
        for quarter, results in unit.quarters.items():
            by_category: dict[str, list[float]] = defaultdict(list)
            for r in results:
                by_category[r.category].append(r.base)
            out[quarter].append(
                QuarterLine(
                    unit.company,
                    len(results),
                    {
                        c: round(mean(by_category[c]), 2) if by_category[c] else None
                        for c in CATEGORIES
                    },
                    [r.name for r in results if r.list == "red"],
                    [r.name for r in results if r.list == "blue"],
                )
            )
    return dict(sorted(out.items(), reverse=True))


def summary_json(units: list[Unit]) -> bytes:
    lines = quarter_lines(units)
    payload: dict[str, Any] = {
        "units": [{"company": u.company, "quarters": sorted(u.quarters)} for u in units],
        "quarters": [
            {"quarter": q, "units": [line.__dict__ for line in quarter]}
            for q, quarter in lines.items()
        ],
    }
    return json_bytes(payload)


def summary_page(units: list[Unit], title: str) -> str:
    """The group's page: the latest quarter first, then each unit's means over time."""
    lines = quarter_lines(units)
    out = [f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\n---\n", f"# {md_text(title)}\n"]
    out.append(
        f"汇总自 {len(units)} 个单位公示站点导出的考核结果（{RESULTS.as_posix()}）。"
        "名次只在各单位内、按考核类别排出；各单位的规则和检查组不同，本页不跨单位排名。\n"
    )
    for quarter, quarter_units in lines.items():
        out.append(f"## {md_text(quarter)}\n")
        out.append(
            "| 单位 | 参加考核 | "
            + " | ".join(f"{c} 类平均" for c in CATEGORIES)
            + " | 红榜 | 蓝榜 |"
        )
        out.append("| --- | ---: |" + " ---: |" * len(CATEGORIES) + " --- | --- |")
        for line in quarter_units:
            means = [number(m) if m is not None else "—" for m in line.means.values()]
            red = "、".join(md_text(n) for n in line.red) or "—"
            blue = "、".join(md_text(n) for n in line.blue) or "—"
            out.append(
                f"| {md_text(line.company)} | {line.assessed} | "
                + " | ".join(means)
                + f" | {red} | {blue} |"
            )
        out.append("")
    return "\n".join(out)


def aggregate(paths: list[Path], out_dir: Path, title: str = "集团党建季度考核汇总") -> list[Path]:
    """Write ``index.md`` and ``summary.json`` for the group's site; return what was written."""
    if not paths:
        raise AggregateError("请至少给出一个单位的 results.json（或单位站点目录）")
    units = read_units(paths)
    out_dir.mkdir(parents=True, exist_ok=True)
    page, data = out_dir / "index.md", out_dir / "summary.json"
    page.write_text(summary_page(units, title), encoding="utf-8")
    data.write_bytes(summary_json(units))
    return [page, data]
