"""Rules of the commitment board: where a commitment stands and what is overdue.

(What makes a commitment vague, the 四化三可 lint, is a data-quality check:
``generator.model.checks.commitments.quality_gaps``.)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.model.dataset import CommitmentRow
from generator.model.schema import Policy


@dataclass(frozen=True)
class CommitmentStatus:
    """One commitment as the board shows it."""

    row: CommitmentRow
    evaluated: bool
    rating: str | None
    outcome: str | None
    check_due: dt.date | None
    overdue: str  # "" or why a periodic check (督诺) or the evaluation is late

    @property
    def stage(self) -> str:
        return self.row.stage

    @property
    def last(self) -> dt.date:
        return self.row.commitment.progress[-1].date


def commitment_status(row: CommitmentRow, as_of: dt.date, policy: Policy) -> CommitmentStatus:
    progress = row.commitment.progress
    final = next((r for r in progress if r.stage == "民主评诺"), None)
    due = _check_due(row, policy)
    return CommitmentStatus(
        row=row,
        evaluated=final is not None,
        rating=final.rating if final else None,
        outcome=final.outcome if final else None,
        check_due=due,
        overdue="" if final else _overdue(row, due, as_of),
    )


def _check_due(row: CommitmentRow, policy: Policy) -> dt.date | None:
    """Next periodic check: one period after the last check, or after publication."""
    checks = [r.date for r in row.commitment.progress if r.stage in {"公开承诺", "定期督诺"}]
    return max(checks) + dt.timedelta(days=policy.check_every_days) if checks else None


def _overdue(row: CommitmentRow, due: dt.date | None, as_of: dt.date) -> str:
    if as_of.year > row.year:
        return f"{row.year} 年度已结束，尚未民主评诺"
    if due is not None and due < as_of:
        return f"定期督诺逾期（应于 {due.isoformat()} 前督诺）"
    return ""


def fulfilment_rate(statuses: list[CommitmentStatus]) -> float | None:
    """Share of evaluated commitments that were fulfilled (已兑现), or None if none evaluated."""
    evaluated = [s for s in statuses if s.evaluated]
    if not evaluated:
        return None
    return round(100 * sum(s.outcome == "已兑现" for s in evaluated) / len(evaluated), 1)
