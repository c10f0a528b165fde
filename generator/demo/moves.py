"""The year's comings and goings: members retire, move to another branch, die or leave
for other reasons, and new members join.

In a year of a company of 600 members, about 8 to 12 retire (at the end of a month),
6 to 9 move to another branch of the company (调出 there, 调入 here a few days later,
under the same id), one dies and one or two leave for other reasons. As many join as
left the company: new graduates whose membership is transferred in (组织关系转入, in
summer) and members admitted by a branch (发展, as 预备党员). So the shape's
``members`` stays the number of current members. All of it happens in the current
year, from February to October, and draws from the "moves-<year>" generator.

Only plain members (党员, 预备党员) leave: not the secretary or the branch committee
(the first four of the roster, who are interviewed and own rectification items),
not a 党小组组长 nor a leader of the committee or a 党总支, and nobody the current lists
name: ``tied`` says until when each member must still be in their branch (for good,
``date.max``, when they hold a 示范岗 or have claimed a 微心愿 not yet fulfilled).
Those who leave keep their entry and the records of their time; what they would have
done after it is left out where it is drawn (``commitments.py``).
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
from collections.abc import Iterable, Iterator
from typing import Literal

from pydantic import BaseModel

from generator.demo.draws import day_between, days_after, section_rng
from generator.demo.naming import Names
from generator.demo.shape import TODAY
from generator.demo.staff import BRANCH_COMMITTEE, member_id
from generator.demo.world import Branch, Person, World
from generator.model import schema as s

# The share of members who leave each year for each reason (drawn in these ranges);
# one death per this many members.
RETIRING = (0.014, 0.02)
MOVING = (0.01, 0.015)
OTHER = (0.0017, 0.0034)
DEATHS_PER = 600
# Who may leave, and when: the year's first and last day of leaving.
MAY_LEAVE = frozenset({"党员", "预备党员"})
FIRST_MONTH, LAST_MONTH = 2, 10
# How long a transfer takes, and how the newcomers come (graduates: in the summer).
TRANSFER_DAYS = (1, 14)
NEWCOMER_KINDS: tuple[Literal["转入", "发展"], ...] = ("转入", "转入", "转入", "发展", "发展")

Reason = Literal["退休", "调出", "去世", "其他"]


def named_until(files: Iterable[tuple[str, BaseModel]]) -> dict[str, dt.date]:
    """Until when each member must still be in their branch, by what the units and
    微心愿 name them for: a current holder or claimant for good, others until their
    last dated record."""
    tied: dict[str, dt.date] = {}

    def tie(member: str, day: dt.date) -> None:
        tied[member] = max(tied.get(member, dt.date.min), day)

    for _, record in files:
        if isinstance(record, s.Unit):
            for holder in record.holders:
                tie(holder, record.withdrawn.date if record.withdrawn else dt.date.max)
            for activity in record.activities:
                for who in activity.participants:
                    tie(who, activity.date)
        elif isinstance(record, s.WishesFile):
            for wish in record.wishes:
                if wish.member is not None:
                    tie(wish.member, wish.fulfilled_on or _claimed_until(record.year))
    return tied


def _claimed_until(year: int) -> dt.date:
    """A claimed wish of the current year is still the member's; of an earlier year, closed."""
    return dt.date.max if year >= TODAY.year else dt.date(year, 12, 31)


def plan_moves(world: World, tied: dict[str, dt.date]) -> None:
    """Mark who leaves in the current year (``left_on``...) and add who joins each
    branch (``Branch.joiners``, by the day they came)."""
    rng = section_rng(world.shape, f"moves-{TODAY.year}")
    members = world.shape.members
    counts: dict[Reason, int] = {
        "退休": max(1, round(members * rng.uniform(*RETIRING))),
        "调出": max(1, round(members * rng.uniform(*MOVING))) if len(world.branches) > 1 else 0,
        "去世": round(members / DEATHS_PER),
        "其他": round(members * rng.uniform(*OTHER)),
    }
    candidates = [
        (branch, person)
        for branch in world.branches
        for person in branch.people[len(BRANCH_COMMITTEE) :]
        if person.role in MAY_LEAVE
    ]
    rng.shuffle(candidates)
    pool = iter(candidates)
    kin = _by_family(world.branches)
    gone = 0
    for reason, count in counts.items():
        for _ in range(count):
            found = _leaver(rng, pool, reason, tied)
            if found is None:
                break  # nobody else may leave
            branch, person = found
            if reason == "调出":
                _move(rng, world, kin, branch, person)
            else:
                gone += 1
    _admit(rng, world, gone)
    for branch in world.branches:
        branch.joiners.sort(key=lambda p: (p.joined_on, p.id))


def _leaver(
    rng: random.Random,
    pool: Iterator[tuple[Branch, Person]],
    reason: Reason,
    tied: dict[str, dt.date],
) -> tuple[Branch, Person] | None:
    """The next candidate who may leave for ``reason``, marked as leaving; None when
    there is nobody left. Candidates passed over are not asked again."""
    for branch, person in pool:
        day = _leaving_day(rng, reason)
        if (reason == "退休" and person.role != "党员") or tied.get(person.id, dt.date.min) >= day:
            continue  # a probationer does not retire; someone still in charge stays
        person.left_on, person.left_reason = day, reason
        return branch, person
    return None


def _leaving_day(rng: random.Random, reason: Reason) -> dt.date:
    """Retirements take effect at the end of a month; the rest on any day."""
    year = TODAY.year
    if reason == "退休":
        month = rng.randint(FIRST_MONTH, LAST_MONTH)
        return dt.date(year, month, calendar.monthrange(year, month)[1])
    last = dt.date(year, LAST_MONTH, calendar.monthrange(year, LAST_MONTH)[1])
    return day_between(rng, dt.date(year, FIRST_MONTH, 1), last)


def _by_family(branches: list[Branch]) -> dict[str, list[Branch]]:
    found: dict[str, list[Branch]] = {}
    for branch in branches:
        found.setdefault(branch.dept.family, []).append(branch)
    return found


def _move(
    rng: random.Random, world: World, kin: dict[str, list[Branch]], branch: Branch, person: Person
) -> None:
    """A move inside the company: most go to a branch in the same line of work."""
    same = kin[branch.dept.family]
    group = same if len(same) > 1 and rng.random() < 0.6 else world.branches
    to = _other_than(rng, group, branch)
    person.moved_to = to.id
    came = Person(
        id=person.id,
        name=person.name,
        post=rng.choice(to.work.posts),
        role=person.role,
        group=_group_for(to),
        joined_on=days_after(rng, person.left_on or TODAY, *TRANSFER_DAYS),
        joined_as="调入",
        came_from=branch.name,
    )
    to.joiners.append(came)


def _other_than(rng: random.Random, branches: list[Branch], branch: Branch) -> Branch:
    """Any of ``branches`` but ``branch`` (which is among them), in constant time."""
    k = rng.randrange(len(branches) - 1)
    chosen = branches[k]
    return branches[-1] if chosen is branch else chosen


def _group_for(branch: Branch) -> str | None:
    """Newcomers are dealt out over the branch's 党小组 in turn."""
    if not branch.groups:
        return None
    return branch.groups[len(branch.roster) % len(branch.groups)].id


def _admit(rng: random.Random, world: World, count: int) -> None:
    """Newcomers from outside the branch's company: new ids after the last one."""
    names = Names(rng)
    year = TODAY.year
    for k in range(count):
        branch = world.branches[rng.randrange(len(world.branches))]
        how = rng.choice(NEWCOMER_KINDS)
        if how == "转入":  # graduates: their membership follows them in the summer
            day = day_between(rng, dt.date(year, 7, 5), dt.date(year, 9, 30))
            role: s.Role = "预备党员" if rng.random() < 0.3 else "党员"
        else:  # admitted at a branch meeting
            day = day_between(rng, dt.date(year, 3, 1), dt.date(year, LAST_MONTH, 31))
            role = "预备党员"
        taken = {p.name for p in branch.roster}
        name = names.one()
        while name in taken:
            name = names.one()
        person = Person(
            id=member_id(world.shape, world.shape.members + k + 1),
            name=name,
            post=rng.choice(branch.work.posts),
            role=role,
            group=_group_for(branch),
            joined_on=day,
            joined_as=how,
        )
        branch.joiners.append(person)
