"""Views of the seeds' remaining practices: 星级党支部, 指标红榜, problem analysis, 三比三看.

Each is a plain function of the ``Board`` returning what its template needs; the
counting itself (problems by type and round) is the ranking layer's.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from generator.model.schema import (
    COMPARISON_RESULTS,
    ComparisonFile,
    IndicatorsFile,
    Organization,
    StarRating,
    UnitIndicators,
)
from generator.ranking.board import Board
from generator.ranking.problems import UNTYPED, by_branch, by_type
from generator.text import number


def star_text(stars: int) -> str:
    """★★★☆☆ for 3: read aloud by the number beside it."""
    return "★" * stars + "☆" * (5 - stars)


# ---------------------------------------------------------------- 星级党支部


@dataclass(frozen=True)
class StarRow:
    org: Organization
    rating: StarRating

    @property
    def stars(self) -> str:
        return star_text(self.rating.stars)

    @property
    def met(self) -> str:
        met = [c.name for c in self.rating.criteria if c.met]
        return f"{len(met)}/{len(self.rating.criteria)}"

    @property
    def teams(self) -> str:
        return "、".join(f"{t.team} {t.stars} 星" for t in self.rating.teams)


def stars_view(board: Board) -> dict[str, Any]:
    data = board.data
    years = sorted({year for _, year in data.star_ratings}, reverse=True)
    by_year = []
    for year in years:
        rows = [
            StarRow(data.orgs[branch], rating)
            for (branch, y), rating in data.star_ratings.items()
            if y == year and branch in data.orgs
        ]
        rows.sort(key=lambda r: (-r.rating.stars, r.org.id))
        counts = Counter(r.rating.stars for r in rows)
        unrated = len(data.branches) - len(rows)
        by_year.append(
            {"year": year, "rows": rows, "counts": [(s, counts[s]) for s in range(5, 0, -1)],
             "unrated": unrated}
        )  # fmt: skip
    return {"years": by_year, "criteria": data.site.policy.star_criteria}


def branch_stars(board: Board, org: Organization) -> list[StarRow]:
    """A branch's ratings, newest first."""
    return [StarRow(org, r) for r in board.data.star_ratings_by_branch.get(org.id, [])]


# ------------------------------------------------------------------ 指标红榜


@dataclass(frozen=True)
class UnitRow:
    unit: UnitIndicators
    branches: list[Organization]

    @property
    def red(self) -> list[str]:
        return [x.name for x in self.unit.indicators if x.red]

    @property
    def count(self) -> str:
        return f"{len(self.red)}/{len(self.unit.indicators)}"

    @property
    def share(self) -> str:
        return f"{number(Decimal(100 * len(self.red)) / len(self.unit.indicators))}%"


def _unit_rows(board: Board, report: IndicatorsFile) -> list[UnitRow]:
    data = board.data
    rows = [UnitRow(u, list(data.branches_by_unit.get(u.unit, []))) for u in report.units]
    return sorted(rows, key=lambda r: (-len(r.red), r.unit.unit))


def indicators_view(board: Board) -> dict[str, Any]:
    data = board.data
    reports = [data.indicators[q] for q in sorted(data.indicators, reverse=True)]
    return {
        "reports": [
            {"report": r, "rows": _unit_rows(board, r), "draft": board.state(r.quarter) != "已发布"}
            for r in reports
            if r.quarter in data.quarters
        ]
    }


def unit_indicators(board: Board, org: Organization) -> tuple[str, UnitRow] | None:
    """The latest quarter's indicators of the branch's unit, with that quarter."""
    data = board.data
    for quarter in sorted(data.indicators, reverse=True):
        for row in _unit_rows(board, data.indicators[quarter]):
            if org.unit and row.unit.unit == org.unit:
                return quarter, row
    return None


# ---------------------------------------------------------- problem analysis


def problems_view(board: Board) -> dict[str, Any]:
    data, rows = board.data, board.problems
    rounds = sorted({r.quarter for r in rows})
    types = by_type(rows, board.as_of)
    notice_types = Counter(item.type or UNTYPED for n in data.notices.values() for item in n.items)
    return {
        "rounds": rounds,
        "forms": len({(r.quarter, r.branch) for r in rows}),
        "total": len(rows),
        "closed": sum(r.closed(board.as_of) for r in rows),
        "type_count": len({r.type for r in rows} - {UNTYPED}),
        "types": types,
        "recurring": [t for t in types if t.recurring],
        "branches": by_branch(rows, board.as_of),
        "names": {o.id: o.name for o in data.orgs.values()},
        "notice_types": notice_types.most_common(),
        "configured": data.site.policy.problem_types,
        "as_of": board.as_of,
    }


def branch_problems(board: Board, org: Organization) -> dict[str, Any] | None:
    rows = board.problems_of(org.id)
    if not rows:
        return None
    open_ = [r for r in rows if not r.closed(board.as_of)]
    types = Counter(r.type for r in rows)
    recurring = by_branch(rows, board.as_of)[0].recurring
    return {"total": len(rows), "open": open_, "types": types.most_common(), "recurring": recurring}


# ------------------------------------------------------------------- 三比三看


def comparison_summary(sheet: ComparisonFile) -> dict[str, Any]:
    counts: Counter[str] = Counter(c.result for c in sheet.members)
    mean = sum((c.satisfaction for c in sheet.members), Decimal(0)) / len(sheet.members)
    return {
        "sheet": sheet,
        "counts": [(r, counts[r]) for r in COMPARISON_RESULTS],
        "satisfaction": number(mean),
        "people": len(sheet.members),
    }


def branch_comparison(board: Board, branch: str, year: int) -> dict[str, Any] | None:
    """The branch's 三比三看 of ``year``, or of the year before (held at year end)."""
    for y in (year, year - 1):
        sheet = board.data.comparisons.get((branch, y))
        if sheet is not None:
            return comparison_summary(sheet)
    return None


def company_comparisons(board: Board, year: int) -> list[dict[str, Any]]:
    """Each branch's 三比三看 summary for ``year``, in branch order."""
    data = board.data
    out = []
    for org in sorted(data.branches, key=lambda o: o.id):
        sheet = data.comparisons.get((org.id, year))
        if sheet is not None:
            out.append({"org": org, **comparison_summary(sheet)})
    return out
