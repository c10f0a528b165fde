"""The commitment board (双承诺): the company roll-up and each branch's member cards.

Cards and the roll-up are HTML fragments (they carry ``data-`` attributes for the
filter script in ``theme/``), rendered by a Jinja environment that autoescapes
HTML; the surrounding pages are Markdown.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import jinja2
from markupsafe import Markup

from generator.model.dataset import CommitmentRow, Dataset
from generator.model.schema import STAGES, Member, Organization, Unit
from generator.ranking.commitments import (
    CommitmentStatus,
    commitment_status,
    fulfilment_rate,
    quality_gaps,
)
from generator.render.escape import Md, html_fragment, number


@functools.cache  # one environment: its compiled templates serve every branch page
def html_environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("generator.render", "templates"),
        autoescape=True,  # HTML fragments: Jinja's own escaping applies to every value
        finalize=lambda v: number(v) if isinstance(v, float) else v,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@dataclass
class Tally:
    """Counts for one organization and everything under it."""

    org: Organization
    depth: int
    stages: Counter[str] = field(default_factory=Counter)
    pending: int = 0
    overdue: int = 0
    statuses: list[CommitmentStatus] = field(default_factory=list)

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


def years(dataset: Dataset) -> list[int]:
    return sorted({r.year for r in dataset.commitments}, reverse=True)


def statuses_by_member(
    dataset: Dataset, year: int, as_of: dt.date
) -> dict[str, list[CommitmentStatus]]:
    # The roll-up and the overdue list of a year ask for the same statuses: work them out once.
    memo: dict[tuple[int, dt.date], dict[str, list[CommitmentStatus]]]
    memo = vars(dataset).setdefault("_statuses_by_member", {})
    if (year, as_of) not in memo:
        memo[(year, as_of)] = _statuses_by_member(dataset, year, as_of)
    return memo[(year, as_of)]


def _statuses_by_member(
    dataset: Dataset, year: int, as_of: dt.date
) -> dict[str, list[CommitmentStatus]]:
    policy = dataset.site.policy
    out: dict[str, list[CommitmentStatus]] = {}
    for member, rows in dataset.commitments_by_member.items():
        out[member] = [commitment_status(r, as_of, policy) for r in rows if r.year == year]
    return out


def rollup(dataset: Dataset, year: int, as_of: dt.date) -> list[Tally]:
    """One tally per organization in tree order, each including its children."""
    statuses = statuses_by_member(dataset, year, as_of)
    own = {org_id: _own_tally(dataset, org, statuses) for org_id, org in dataset.orgs.items()}
    order: list[Tally] = []
    roots = [o for o in dataset.orgs.values() if not o.parent]

    def visit(org: Organization, depth: int) -> Tally:
        tally = Tally(org, depth)
        tally.add(own[org.id])
        order.append(tally)
        for child in sorted(dataset.children.get(org.id, [])):
            tally.add(visit(dataset.orgs[child], depth + 1))
        return tally

    for root in roots:
        visit(root, 0)
    return order


def _own_tally(
    dataset: Dataset, org: Organization, statuses: dict[str, list[CommitmentStatus]]
) -> Tally:
    tally = Tally(org, 0)
    for member in dataset.members_by_branch.get(org.id, []):
        for status in statuses.get(member.id, []):
            if not status.row.approved:
                tally.pending += 1
                continue
            tally.stages[status.stage] += 1
            tally.overdue += bool(status.overdue)
            tally.statuses.append(status)
    return tally


def rollup_html(dataset: Dataset, year: int, as_of: dt.date) -> Md:
    tallies = rollup(dataset, year, as_of)
    groups = [t.org for t in tallies if t.org.kind == "党总支"]
    html = (
        html_environment()
        .get_template("rollup.html.j2")
        .render(
            tallies=tallies,
            stages=STAGES,
            year=year,
            groups=groups,
            parent_group=_parent_group(dataset),
        )
    )
    return html_fragment(html)


def _parent_group(dataset: Dataset) -> dict[str, str]:
    """Each organization's 党总支 (itself for a 总支), for filtering the roll-up by 总支."""
    out = {}
    for org in dataset.orgs.values():
        chain = [*dataset.ancestors(org.id), org]
        out[org.id] = next((o.id for o in reversed(chain) if o.kind == "党总支"), "")
    return out


# Above this many overdue commitments the company page counts them per branch instead
# of listing them: a provincial board's list (tens of thousands of rows, megabytes of
# HTML) is too long to read or load, and each branch page filters its own.
OVERDUE_LIST_ROWS = 2000


def overdue_html(dataset: Dataset, year: int, as_of: dt.date) -> tuple[Md, int]:
    """Every public commitment whose periodic check or evaluation is late, filterable."""
    statuses = statuses_by_member(dataset, year, as_of)
    rows = []
    for member_id, items in statuses.items():
        for status in items:
            if status.row.approved and status.overdue:
                rows.append((dataset.members[member_id], status))
    if len(rows) > OVERDUE_LIST_ROWS:
        return _overdue_by_branch(dataset, year, rows), len(rows)
    rows.sort(key=lambda r: (r[1].row.branch, r[0].id, r[1].row.commitment.kind))
    branches = sorted({s.row.branch for _, s in rows})
    html = html_environment().get_template("overdue.html.j2").render(
        rows=rows, year=year, stages=STAGES,
        branches=[dataset.orgs[b] for b in branches],
        kinds=sorted({s.row.commitment.kind for _, s in rows}),
        names={o.id: o.name for o in dataset.orgs.values()},
    )  # fmt: skip
    return html_fragment(html), len(rows)


def _overdue_by_branch(
    dataset: Dataset, year: int, rows: list[tuple[Member, CommitmentStatus]]
) -> Md:
    counts = Counter(status.row.branch for _, status in rows)
    by_branch = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    html = html_environment().get_template("overdue_by_branch.html.j2").render(
        rows=[(dataset.orgs[branch], count) for branch, count in by_branch],
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


def member_cards(dataset: Dataset, branch: Organization, year: int, as_of: dt.date) -> list[Card]:
    policy = dataset.site.policy
    cards = []
    for member in dataset.members_by_branch.get(branch.id, []):
        rows = dataset.commitments_by_member.get(member.id, [])  # this member's only
        mine = [commitment_status(r, as_of, policy) for r in rows if r.year == year]
        before = [commitment_status(r, as_of, policy) for r in rows if r.year == year - 1]
        cards.append(
            Card(
                member=member,
                badges=_badges(dataset, member.id),
                commitments=[_promise(s) for s in mine if s.row.approved],
                previous=[s for s in before if s.evaluated],
                pending=sum(not s.row.approved for s in mine),
            )
        )
    return cards


def _badges(dataset: Dataset, member_id: str) -> list[Unit]:
    return list(dataset.units_by_holder.get(member_id, []))


def _promise(status: CommitmentStatus) -> dict[str, Any]:
    c = status.row.commitment
    done = {r.stage for r in c.progress}
    return {
        "status": status,
        "c": c,
        "steps": steps_html(frozenset(done), status.stage),
        "records": [r for r in c.progress if r.stage != "科学定诺"],
        "gaps": quality_gaps(c, status.row.year),
    }


@functools.cache
def steps_html(done: frozenset[str], current: str) -> Markup:
    """The five steps of a commitment, done or to do: a handful of combinations shared
    by every card (120,000 of them on a 1,000-branch board), rendered once each."""
    return Markup(
        html_environment()
        .get_template("steps.html.j2")
        .render(steps=[(stage, stage in done, stage == current) for stage in STAGES])
    )


def cards_html(
    dataset: Dataset, branch: Organization, year: int, as_of: dt.date
) -> tuple[Md, list[Card]]:
    cards = member_cards(dataset, branch, year, as_of)
    kinds = sorted({p["c"].kind for card in cards for p in card.commitments})
    html = (
        html_environment()
        .get_template("cards.html.j2")
        .render(cards=cards, year=year, stages=STAGES, kinds=kinds)
    )
    return html_fragment(html), cards


def public_rows(dataset: Dataset, branch: str, year: int) -> list[CommitmentRow]:
    return [r for r in dataset.commitments if r.branch == branch and r.year == year and r.approved]
