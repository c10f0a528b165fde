"""The problem lists followed up: each problem's 整改措施 and the day it was closed.

Seed 004: 逐条制定整改措施, 建立滚动销号制度. Every problem of a published quarter gets a
measure fitting its type; most are closed (销号) one to three months after the notice,
some take half a year, and a few are still open long after. So as of the data's today
the older rounds are mostly closed and the latest is mostly still being put right. A
problem an interview took up (its rectification list) is closed the day that item was
completed, and open while it is not.

Everything draws from the "problems" generator, quarter by quarter, branch by branch
in org-chart order and problem by problem, the same draws for each problem, so an
interview's items change none of the others. The problem types themselves are no
draw: each reason in the pool names its type (``scoresheet.py``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from generator.demo import pools
from generator.demo.assessments import Round
from generator.demo.draws import days_after, section_rng
from generator.demo.followup import taken_up
from generator.demo.shape import TODAY
from generator.demo.world import World
from generator.model import schema as s

# Days from the notice to closing a problem: usually, for the slow ones (this share of
# them), and the share still open whenever it was found.
CLOSING_DAYS = (30, 100)
SLOW_SHARE, SLOW_DAYS = 0.15, (90, 240)
STUCK_SHARE = 0.03


def follow_up(
    world: World, rounds: dict[str, Round], interviews: Iterable[s.Interview]
) -> dict[str, Round]:
    """The rounds with every problem's measure and, once closed, its 销号 day."""
    rng = section_rng(world.shape, "problems")
    items = {(i.quarter, i.branch): i.items for i in interviews}
    followed = {}
    for quarter, done in rounds.items():
        assessments = [
            _followed(rng, a, done.published, items.get((quarter, a.branch), []))
            for a in done.assessments
        ]
        followed[quarter] = dataclasses.replace(done, assessments=assessments)
    return followed


def _followed(
    rng: random.Random,
    assessment: s.Assessment,
    published: dt.date,
    items: list[s.RectificationItem],
) -> s.Assessment:
    if not assessment.deductions:
        return assessment
    # The interview's items follow the problems it took up, in its order.
    rectified = dict(zip(taken_up(assessment), items, strict=False))
    deductions = []
    for i, d in enumerate(assessment.deductions):
        measure, closed_on = _outcome(rng, d, published)
        item = rectified.get(i)
        if item is not None:
            closed_on = item.completed_on if item.status == "已完成" else None
        deductions.append(d.model_copy(update={"measure": measure, "closed_on": closed_on}))
    return assessment.model_copy(update={"deductions": deductions})


def _outcome(rng: random.Random, d: s.Deduction, published: dt.date) -> tuple[str, dt.date | None]:
    """The measure, and the day the problem was closed (None: still open by today)."""
    measure = rng.choice(pools.problems().measures[d.type or ""])
    slow, stuck = rng.random(), rng.random()
    days = SLOW_DAYS if slow < SLOW_SHARE else CLOSING_DAYS
    closed = days_after(rng, published, *days)
    if stuck < STUCK_SHARE or closed > TODAY:
        return measure, None
    return measure, closed


# ------------------------------------------------------ a year's inspections


@dataclass(frozen=True)
class Inspected:
    """What a year's inspections found in one branch: the points it lost on average
    per round, and its problems by type."""

    lost: Decimal
    types: Counter[str]


def inspected_in(rounds: dict[str, Round], year: int) -> dict[str, Inspected]:
    """By branch, what the rounds of ``year`` found (empty if none was in the span)."""
    lost: dict[str, Decimal] = {}
    types: dict[str, Counter[str]] = {}
    count = 0
    for quarter, done in rounds.items():
        if not quarter.startswith(str(year)):
            continue
        count += 1
        for a in done.assessments:
            points = sum((d.points for d in a.deductions), Decimal(0))
            lost[a.branch] = lost.get(a.branch, Decimal(0)) + points
            types.setdefault(a.branch, Counter()).update(d.type or "" for d in a.deductions)
    return {b: Inspected(points / count, types[b]) for b, points in lost.items()}
