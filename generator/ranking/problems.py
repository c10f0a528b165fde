"""Problems found by inspection, counted the way seed 004 reports them.

Seed 004: 5 轮督导检查, 161 份现场反馈表, 33 类 286 条问题, 逐条制定整改措施, 滚动销号.
Here a round is a quarter's inspection, a feedback form is a branch's problem list in
it (an assessment with deductions), and a problem is one deduction, with its type
(site.yaml policy.problem_types), its measure and the day it was closed. Notice items
(提示单, 提醒单) are problems too, counted apart: they come from no inspection round.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from generator.model.dataset import Dataset

UNTYPED = "未分类"


@dataclass(frozen=True)
class ProblemRow:
    """One problem of one inspection round."""

    quarter: str
    branch: str
    number: int  # its place in the branch's problem list, from 1
    type: str
    dimension: str
    points: Decimal
    reason: str
    measure: str | None
    closed_on: dt.date | None

    def closed(self, as_of: dt.date) -> bool:
        return self.closed_on is not None and self.closed_on <= as_of


def problem_rows(data: Dataset) -> list[ProblemRow]:
    """Every deduction of every assessment the dataset holds, round by round."""
    rows = []
    for (quarter, branch), a in sorted(data.assessments.items()):
        for i, d in enumerate(a.deductions, start=1):
            rows.append(
                ProblemRow(
                    quarter, branch, i, d.type or UNTYPED, d.dimension, d.points,
                    d.reason, d.measure, d.closed_on,
                )
            )  # fmt: skip
    return rows


@dataclass(frozen=True)
class TypeSummary:
    """One problem type across the rounds."""

    type: str
    by_round: dict[str, int]  # quarter -> problems of this type
    total: int
    open: int
    branches: int  # branches it was found in
    recurring: list[str]  # branches where it was found in two or more rounds


def by_type(rows: list[ProblemRow], as_of: dt.date) -> list[TypeSummary]:
    """Each type with its count per round, open count and where it recurs; most
    frequent first (the office's attention goes there)."""
    grouped: dict[str, list[ProblemRow]] = defaultdict(list)
    for row in rows:
        grouped[row.type].append(row)
    out = []
    for name, found in grouped.items():
        rounds_by_branch: dict[str, set[str]] = defaultdict(set)
        for row in found:
            rounds_by_branch[row.branch].add(row.quarter)
        out.append(
            TypeSummary(
                type=name,
                by_round=dict(Counter(row.quarter for row in found)),
                total=len(found),
                open=sum(not row.closed(as_of) for row in found),
                branches=len(rounds_by_branch),
                recurring=sorted(b for b, qs in rounds_by_branch.items() if len(qs) >= 2),
            )
        )
    return sorted(out, key=lambda s: (-s.total, s.type))


@dataclass(frozen=True)
class BranchSummary:
    branch: str
    total: int
    open: int
    forms: int  # rounds in which this branch had problems (its feedback forms)
    recurring: list[str]  # its types found in two or more rounds


def by_branch(rows: list[ProblemRow], as_of: dt.date) -> list[BranchSummary]:
    grouped: dict[str, list[ProblemRow]] = defaultdict(list)
    for row in rows:
        grouped[row.branch].append(row)
    out = []
    for branch, found in grouped.items():
        rounds_by_type: dict[str, set[str]] = defaultdict(set)
        for row in found:
            rounds_by_type[row.type].add(row.quarter)
        out.append(
            BranchSummary(
                branch=branch,
                total=len(found),
                open=sum(not row.closed(as_of) for row in found),
                forms=len({row.quarter for row in found}),
                recurring=sorted(t for t, qs in rounds_by_type.items() if len(qs) >= 2),
            )
        )
    return sorted(out, key=lambda s: (-s.open, -s.total, s.branch))
