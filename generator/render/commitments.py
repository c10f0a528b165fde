"""The commitment board (双承诺): the company roll-up and each branch's member cards.

Cards and the roll-up are HTML fragments (they carry ``data-`` attributes for the
filter script in ``theme/``), rendered by a Jinja environment that autoescapes
HTML; the surrounding pages are Markdown. Statuses come from the ``Board``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from generator.model.checks.commitments import quality_gaps
from generator.model.dataset import Dataset
from generator.model.schema import (
    LEFT_MARKS,
    STAGES,
    Comparison,
    Member,
    Organization,
    StageRecord,
    Unit,
)
from generator.model.wording import in_words
from generator.ranking.board import Board
from generator.ranking.commitments import CommitmentStatus, fulfilment_rate
from generator.render.environment import html_environment
from generator.text import Md, cn_date, html_fragment


@dataclass
class Tally:
    """Counts for one organization and everything under it."""

    org: Organization
    depth: int
    stages: Counter[str] = field(default_factory=Counter)
    pending: int = 0
    overdue: int = 0
    statuses: list[CommitmentStatus] = field(default_factory=list)
    last_round: dt.date | None = None  # a branch's latest 督诺 round this year

    @property
    def public(self) -> int:
        return sum(self.stages.values())

    @property
    def rate(self) -> str:
        rate = fulfilment_rate(self.statuses)
        return "—" if rate is None else f"{rate:g}%"

    def add(self, other: Tally) -> None:
        self.stages.update(other.stages)
        self.pending += other.pending
        self.overdue += other.overdue
        self.statuses.extend(other.statuses)


def years(board: Board) -> list[int]:
    return sorted({r.year for r in board.data.commitments}, reverse=True)


def rollup(board: Board, year: int) -> list[Tally]:
    """One tally per organization in tree order, each including its children."""
    data = board.data
    own = {org_id: _own_tally(board, org, year) for org_id, org in data.orgs.items()}
    order: list[Tally] = []
    for root in (o for o in data.orgs.values() if not o.parent):
        _visit(data, own, order, root, 0)
    return order


def _visit(
    data: Dataset, own: dict[str, Tally], order: list[Tally], org: Organization, depth: int
) -> Tally:
    """``org``'s tally with its children's, each appended to ``order`` in tree order. (A
    function of its own: a closure that calls itself is a reference cycle, which kept the
    whole dataset alive past the data stage until the collector ran.)"""
    tally = Tally(org, depth, last_round=own[org.id].last_round)
    tally.add(own[org.id])
    order.append(tally)
    for child in sorted(data.children.get(org.id, [])):
        tally.add(_visit(data, own, order, data.orgs[child], depth + 1))
    return tally


def _own_tally(board: Board, org: Organization, year: int) -> Tally:
    rounds = board.data.rounds.get((org.id, year), [])
    tally = Tally(org, 0, last_round=rounds[-1].date if rounds else None)
    for member in board.data.members_in(org.id, year):
        for status in board.statuses_of(member.id, year, org.id):
            if not status.row.approved:
                tally.pending += 1
                continue
            tally.stages[status.stage] += 1
            tally.overdue += bool(status.overdue)
            tally.statuses.append(status)
    return tally


def rollup_html(board: Board, year: int) -> Md:
    tallies = rollup(board, year)
    groups = [t.org for t in tallies if t.org.kind == "党总支"]
    html = (
        html_environment()
        .get_template("rollup.html.j2")
        .render(
            tallies=tallies,
            stages=STAGES,
            year=year,
            groups=groups,
            parent_group=_parent_group(board),
        )
    )
    return html_fragment(html)


def _parent_group(board: Board) -> dict[str, str]:
    """Each organization's 党总支 (itself for a 总支), for filtering the roll-up by 总支."""
    data, out = board.data, {}
    for org in data.orgs.values():
        chain = [*data.ancestors(org.id), org]
        out[org.id] = next((o.id for o in reversed(chain) if o.kind == "党总支"), "")
    return out


# Above this many overdue commitments the company page counts them per branch instead
# of listing them: a provincial board's list (tens of thousands of rows, megabytes of
# HTML) is too long to read or load, and each branch page filters its own.
OVERDUE_LIST_ROWS = 2000


def overdue_html(board: Board, year: int) -> tuple[Md, int]:
    """Every public commitment whose periodic check or evaluation is late, filterable."""
    data = board.data
    rows = []
    for member_id, items in board.year_statuses(year).items():
        for status in items:
            if status.row.approved and status.overdue:
                rows.append((data.members[member_id], status))
    if len(rows) > OVERDUE_LIST_ROWS:
        return _overdue_by_branch(board, year, rows), len(rows)
    rows.sort(key=lambda r: (r[1].row.branch, r[0].id, r[1].row.commitment.kind))
    branches = sorted({s.row.branch for _, s in rows})
    html = html_environment().get_template("overdue.html.j2").render(
        rows=rows, year=year, stages=STAGES,
        branches=[data.orgs[b] for b in branches],
        kinds=sorted({s.row.commitment.kind for _, s in rows}),
        names={o.id: o.name for o in data.orgs.values()},
    )  # fmt: skip
    return html_fragment(html), len(rows)


def _overdue_by_branch(board: Board, year: int, rows: list[tuple[Member, CommitmentStatus]]) -> Md:
    counts = Counter(status.row.branch for _, status in rows)
    by_branch = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    html = html_environment().get_template("overdue_by_branch.html.j2").render(
        rows=[(board.data.orgs[branch], count) for branch, count in by_branch],
        year=year, total=len(rows), limit=OVERDUE_LIST_ROWS,
    )  # fmt: skip
    return html_fragment(html)


@dataclass(frozen=True)
class Card:
    """亮身份、亮承诺、亮业绩: one member on the board."""

    member: Member
    badges: list[Unit]
    commitments: list[dict[str, Any]]
    previous: list[CommitmentStatus]  # last year's evaluated commitments, for 亮业绩
    pending: int
    left: str = ""  # "已调离 2026-06-30" for a member who left the branch
    compared: tuple[int, Comparison] | None = None  # their latest 三比三看 here, with its year


def member_cards(board: Board, branch: Organization, year: int) -> list[Card]:
    """A card per member who was in the branch in ``year``, with the commitments they
    made here (a member who moved has their other ones on the other branch's board)."""
    data, cards = board.data, []
    for member in data.members_in(branch.id, year):
        mine = board.statuses_of(member.id, year, branch.id)
        before = board.statuses_of(member.id, year - 1)
        cards.append(
            Card(
                member=member,
                badges=[] if member.left_on else list(data.units_by_holder.get(member.id, [])),
                commitments=[_promise(s) for s in mine if s.row.approved],
                previous=[s for s in before if s.evaluated],
                pending=sum(not s.row.approved for s in mine),
                left=_left_mark(member),
                compared=_compared(board, branch.id, year, member.id),
            )
        )
    return cards


def _compared(board: Board, branch: str, year: int, member: str) -> tuple[int, Comparison] | None:
    """The member's 三比三看 of ``year`` here, or of the year before (held at year end)."""
    for y in (year, year - 1):
        sheet = board.data.comparisons.get((branch, y))
        found = next((c for c in sheet.members if c.member == member), None) if sheet else None
        if found is not None:
            return y, found
    return None


def _left_mark(member: Member) -> str:
    if member.left_on is None:
        return ""
    return f"{LEFT_MARKS[member.left_reason or '其他']} {cn_date(member.left_on)}"


@dataclass(frozen=True)
class LogLine:
    """One line of a card's record: a step of the commitment, or a branch round."""

    date: dt.date
    stage: str
    text: str
    rating: str = ""  # （评议：优秀，已兑现）


def _promise(status: CommitmentStatus) -> dict[str, Any]:
    c = status.row.commitment
    done = {r.stage for r in c.progress} | ({"定期督诺"} if status.rounds else set())
    if "定期督诺" in done:  # a 督诺 checks the 践诺 under way: ✓督诺 beside ○践诺 misreads
        done.add("履责践诺")
    log = [_step_line(r) for r in c.progress if r.stage != "科学定诺"]
    log += [LogLine(day, "定期督诺", "支部督诺（见本页“定期督诺记录”）") for day in status.rounds]
    log.sort(key=lambda line: line.date)  # stable: a round after the step of its day
    return {
        "status": status,
        "c": c,
        "steps": steps_html(frozenset(done), status.stage),
        "log": log,
        "gaps": [_said(gap) for gap in quality_gaps(c, status.row.year)],
    }


def _said(gap: str) -> str:
    """A quality gap as a reader reads it: ``board check`` names the field (target) for
    the secretary who fixes the file; a card does not; dates in words."""
    return in_words(re.sub(r"（[a-z_]+）", "", gap))


def _step_line(r: StageRecord) -> LogLine:
    rating = ""
    if r.rating:
        rating = f"（评议：{r.rating}，{r.outcome}{'，' + r.reason if r.reason else ''}）"
    return LogLine(r.date, r.stage, r.evidence or r.finding or r.note or "", rating)


@functools.cache
def steps_html(done: frozenset[str], current: str) -> Markup:
    """The five steps of a commitment, done or to do: a handful of combinations shared
    by every card (120,000 of them on a 1,000-branch board), rendered once each."""
    return Markup(
        html_environment()
        .get_template("steps.html.j2")
        .render(steps=[(stage, stage in done, stage == current) for stage in STAGES])
    )


def cards_html(board: Board, branch: Organization, year: int) -> tuple[Md, list[Card]]:
    cards = member_cards(board, branch, year)
    kinds = sorted({p["c"].kind for card in cards for p in card.commitments})
    html = (
        html_environment()
        .get_template("cards.html.j2")
        .render(cards=cards, year=year, stages=STAGES, kinds=kinds)
    )
    return html_fragment(html), cards
