"""Rules of the commitment board: where a commitment stands and what is overdue.

(What makes a commitment vague, the 四化三可 lint, is a data-quality check:
``generator.model.checks.commitments.quality_gaps``.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from generator.model.dataset import CommitmentRow
from generator.model.schema import (
    LEFT_MARKS,
    Member,
    Policy,
    StageRecord,
    SupervisionRound,
)
from generator.text import cn_date


@dataclass(frozen=True)
class CommitmentStatus:
    """One commitment as the board shows it."""

    row: CommitmentRow
    evaluated: bool
    rating: str | None
    outcome: str | None
    check_due: dt.date | None
    overdue: str  # "" or why a periodic check (督诺) or the evaluation is late
    rounds: tuple[dt.date, ...] = ()  # the branch 督诺 rounds that checked it, by date
    closed: str = ""  # "" or why it ended unevaluated: the member left the branch

    @property
    def stage(self) -> str:
        return self.row.stage

    @property
    def last(self) -> dt.date:
        return self.row.commitment.progress[-1].date


def commitment_status(
    row: CommitmentRow,
    as_of: dt.date,
    policy: Policy,
    rounds: Sequence[SupervisionRound] = (),
    member: Member | None = None,
) -> CommitmentStatus:
    """Where a commitment stands on ``as_of``. ``rounds``: its branch's 督诺 rounds that
    year; ``member``: the member's entry in the branch (have they left it?)."""
    # One walk over the progress (a large board has 120,000 commitments): the first
    # publication and evaluation, and the checks made by ``as_of``.
    public: dt.date | None = None
    final: StageRecord | None = None
    checks: list[dt.date] = []
    for step in row.commitment.progress:
        if step.stage == "民主评诺":
            final = step if final is None else final
            continue
        if step.stage == "公开承诺" and public is None:
            public = step.date
        if step.stage in _CHECKED_AT and step.date <= as_of:
            checks.append(step.date)
    evaluated_on = final.date if final else None
    cid = row.commitment.id
    covering = [r.date for r in rounds if r.date <= as_of and _covers(r, cid, public, evaluated_on)]
    checks += covering
    due = max(checks) + dt.timedelta(days=policy.check_every_days) if checks else None
    closed = "" if final else _closed(member, as_of)
    return CommitmentStatus(
        row=row,
        evaluated=final is not None,
        rating=final.rating if final else None,
        outcome=final.outcome if final else None,
        check_due=due,
        overdue="" if final or closed else _overdue(row, due, as_of),
        rounds=tuple(sorted(covering)),
        closed=closed,
    )


_CHECKED_AT = frozenset({"公开承诺", "定期督诺"})  # the steps a periodic check counts from


def _covers(
    round_: SupervisionRound, commitment: str, public: dt.date | None, final: dt.date | None
) -> bool:
    """A branch round checks every commitment open on its day (published on ``public``,
    not yet evaluated: ``final``), save its exceptions."""
    return (
        public is not None
        and public <= round_.date
        and (final is None or round_.date <= final)
        and all(x.commitment != commitment for x in round_.exceptions)
    )


def _closed(member: Member | None, as_of: dt.date) -> str:
    if member is None or member.left_on is None or as_of < member.left_on:
        return ""
    mark = LEFT_MARKS[member.left_reason or "其他"]
    return f"党员{mark}（{cn_date(member.left_on)}），承诺随之结束"


def _overdue(row: CommitmentRow, due: dt.date | None, as_of: dt.date) -> str:
    if as_of.year > row.year:
        return f"{row.year}年度已结束，尚未民主评诺"
    if due is not None and due < as_of:
        return f"定期督诺逾期（应于 {cn_date(due)}前督诺）"
    return ""


def fulfilment_rate(statuses: list[CommitmentStatus]) -> float | None:
    """Share of evaluated commitments that were fulfilled (已兑现), or None if none evaluated."""
    evaluated = [s for s in statuses if s.evaluated]
    if not evaluated:
        return None
    return round(100 * sum(s.outcome == "已兑现" for s in evaluated) / len(evaluated), 1)
