"""Demonstration units: 一岗一区两队 and a 示范区 or 示范线路, scaled with the branches.

About 18 示范岗 and 8 责任区 per 31 branches, and one 服务队, one 突击队 and one
showcase per 31 branches. Everything draws from the "units" generator in that order:
the 示范岗, the 责任区, then the teams and showcases, one round at a time.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from generator.demo import pools
from generator.demo.draws import day_between, half_points, section_rng
from generator.demo.naming import chinese_number
from generator.demo.quarters import quarter_of
from generator.demo.shape import TODAY, YEARS
from generator.demo.world import Branch, World
from generator.model import schema as s

# Every 18th 示范岗 (the fifth, the 23rd...) was withdrawn after a poor annual evaluation.
WITHDRAWN_EVERY, WITHDRAWN_AT = 18, 4

Grade = Literal["优秀", "良好", "合格", "不合格"]
GRADES: tuple[tuple[int, Grade], ...] = ((90, "优秀"), (80, "良好"), (70, "合格"))


@dataclass(frozen=True)
class Standing:
    """How a unit has fared: when it was set up, its evaluations, its withdrawal."""

    established: dt.date
    withdrawn: s.Withdrawal | None
    self_evaluations: list[s.SelfEvaluation]
    annual_evaluations: list[s.AnnualEvaluation]


def unit_files(world: World) -> Iterator[tuple[str, s.Unit]]:
    rng = section_rng(world.shape, "units")
    factor = world.shape.branches / 31
    units = [
        *_post_units(rng, world, max(1, round(18 * factor))),
        *_area_units(rng, world, max(1, round(8 * factor))),
    ]
    hosts = {kind: _hosts(world, kind) for kind in pools.units().hosts}
    for k in range(max(1, round(factor))):
        units.append(_team(rng, world, "服务队", _pick(hosts["服务队"], k), k))
        units.append(_team(rng, world, "突击队", _pick(hosts["突击队"], k), k))
        kind: s.UnitKind = "示范线路" if k % 2 else "示范区"
        units.append(_showcase(rng, world, kind, _pick(hosts[kind], k), k))
    for unit in units:
        yield f"units/{unit.id}.yaml", unit


def _unit_id(prefix: str, k: int, count: int) -> str:
    return f"{prefix}-{k + 1:0{max(2, len(str(count)))}d}"


def _post_units(rng: random.Random, world: World, count: int) -> list[s.Unit]:
    """示范岗: one holder each, spread over the branches in a shuffled order."""
    pool = pools.units()
    order = list(world.branches)
    rng.shuffle(order)
    used: set[str] = set()
    found = []
    for k in range(count):
        branch = order[k % len(order)]
        free = [p for p in branch.people[1:] if p.id not in used] or [branch.secretary]
        holder = rng.choice(free)
        used.add(holder.id)
        name = pool.names["示范岗"].format(post=holder.post, motto=rng.choice(pool.mottos))
        withdrawn = k % WITHDRAWN_EVERY == WITHDRAWN_AT
        standing = _standing(rng, world, withdrawn)
        unit_id = _unit_id("sfg", k, count)
        found.append(_unit(unit_id, "示范岗", name, branch, [holder.id], standing))
    return found


def _area_units(rng: random.Random, world: World, count: int) -> list[s.Unit]:
    """责任区: led by the branch secretary, mostly in field units."""
    field_units = [b for b in world.branches if not b.dept.head_office] or world.branches
    step = max(1, len(field_units) // count)
    found = []
    for k in range(count):
        branch = field_units[(k * step) % len(field_units)]
        area = branch.work.area.format(place=rng.choice(pools.names().places))
        name = pools.units().names["责任区"].format(area=area)
        standing = _standing(rng, world, withdrawn=False)
        unit_id = _unit_id("zrq", k, count)
        found.append(_unit(unit_id, "责任区", name, branch, [branch.secretary.id], standing))
    return found


def _hosts(world: World, kind: s.UnitKind) -> list[Branch]:
    """Branches whose line of work suits a team or showcase of this kind."""
    suited = [b for b in world.branches if b.dept.family in pools.units().hosts[kind]]
    return suited or world.branches


def _pick(hosts: list[Branch], k: int) -> Branch:
    return hosts[k % len(hosts)]


def _team(rng: random.Random, world: World, kind: s.UnitKind, branch: Branch, k: int) -> s.Unit:
    """The k-th 服务队 or 突击队: five to eight members, and their activities."""
    team = pools.units().teams[kind]
    size = min(len(branch.people), rng.randint(5, 8))
    holders = [p.id for p in rng.sample(branch.people, size)]
    name = team.name + (pools.units().squad.format(number=chinese_number(k + 1)) if k else "")
    standing = _standing(rng, world, withdrawn=False)
    activities = _activities(rng, world, team.activity, holders, team.activities, standing)
    unit_id = _unit_id("fwd" if kind == "服务队" else "tjd", k, k + 1)
    return _unit(unit_id, kind, name, branch, holders, standing, activities)


def _showcase(rng: random.Random, world: World, kind: s.UnitKind, branch: Branch, k: int) -> s.Unit:
    """The k-th 示范区 or 示范线路, looked after by the branch's first three members."""
    name = pools.units().names[kind].format(place=rng.choice(pools.names().places))
    holders = [p.id for p in branch.people[:3]]
    standing = _standing(rng, world, withdrawn=False)
    unit_id = _unit_id("sfxl" if kind == "示范线路" else "sfq", k, k + 1)
    return _unit(unit_id, kind, name, branch, holders, standing)


def _unit(
    unit_id: str,
    kind: s.UnitKind,
    name: str,
    branch: Branch,
    holders: list[str],
    standing: Standing,
    activities: list[s.Activity] | None = None,
) -> s.Unit:
    return s.Unit(
        id=unit_id,
        kind=kind,
        name=name,
        branch=branch.id,
        holders=holders,
        standard=pools.units().standards[kind],
        established=standing.established,
        withdrawn=standing.withdrawn,
        self_evaluations=standing.self_evaluations,
        annual_evaluations=standing.annual_evaluations,
        activities=activities or [],
    )


# ------------------------------------------------------------- evaluations


def _standing(rng: random.Random, world: World, withdrawn: bool) -> Standing:
    # Only a unit that kept its title may have been set up during the span.
    established = _established(rng, world, late=not withdrawn and rng.random() < 0.15)
    ended = dt.date(2026, 3, rng.randint(10, 25)) if withdrawn else None
    selfs = _self_evaluations(rng, world, established, ended)
    annual = _annual_evaluations(rng, world, established, selfs, ended)
    reason = pools.units().withdrawn_reason
    withdrawal = s.Withdrawal(date=ended, reason=reason) if ended else None
    return Standing(established, withdrawal, selfs, annual)


def _established(rng: random.Random, world: World, late: bool) -> dt.date:
    """Most units predate the first assessed quarter; a few were set up during the span."""
    first = world.first_day
    if late and first + dt.timedelta(days=30) < dt.date(2026, 6, 30):
        return day_between(rng, first + dt.timedelta(days=30), dt.date(2026, 6, 30))
    return day_between(rng, first - dt.timedelta(days=500), first - dt.timedelta(days=20))


def _self_evaluations(
    rng: random.Random, world: World, established: dt.date, ended: dt.date | None
) -> list[s.SelfEvaluation]:
    """每季度自评 from the quarter it was set up until the quarter before withdrawal."""
    start, stop = quarter_of(established), quarter_of(ended) if ended else "9999Q9"
    low, high = (62, 76) if ended else (86, 99.5)
    return [
        s.SelfEvaluation(quarter=q, score=half_points(rng, low, high))
        for q in world.quarters
        if start <= q < stop
    ]


def _annual_evaluations(
    rng: random.Random,
    world: World,
    established: dt.date,
    selfs: list[s.SelfEvaluation],
    ended: dt.date | None,
) -> list[s.AnnualEvaluation]:
    """年度考评 by the committee for each finished year the unit fully took part in."""
    first_quarter = world.quarters[0]
    last_year = YEARS[0]
    earlier = {y for y in range(int(first_quarter[:4]), last_year) if f"{y}Q1" >= first_quarter}
    found = []
    for year in sorted({last_year} | earlier):
        if established <= dt.date(year, 9, 30) and (ended is None or ended.year > year):
            scores = [e.score for e in selfs if e.quarter.startswith(str(year))]
            found.append(_annual(rng, year, scores, ended))
    return found


def _annual(
    rng: random.Random, year: int, scores: list[Decimal], ended: dt.date | None
) -> s.AnnualEvaluation:
    if ended:
        score = half_points(rng, 60, 69)  # the reason it was withdrawn
    else:
        mean = sum(scores) / len(scores) if scores else Decimal(92)
        near = Decimal(round(mean * 2 + rng.randint(-4, 4))) / 2
        score = min(Decimal(100), max(Decimal(70), near))
    return s.AnnualEvaluation(year=year, score=score, grade=_grade(score))


def _grade(score: Decimal) -> Grade:
    for floor, grade in GRADES:
        if score >= floor:
            return grade
    return "不合格"


def _activities(
    rng: random.Random,
    world: World,
    kind: str,
    holders: list[str],
    count: int,
    standing: Standing,
) -> list[s.Activity]:
    # A team acts only once it is set up (a late one has fewer days to act in).
    start = max(world.first_day, dt.date(2025, 1, 1), standing.established)
    days = sorted(day_between(rng, start, TODAY - dt.timedelta(days=3)) for _ in range(count))
    return [_activity(rng, kind, day, holders) for day in days]


def _activity(rng: random.Random, kind: str, day: dt.date, holders: list[str]) -> s.Activity:
    pool = pools.units()
    title = rng.choice(pool.activities[kind])
    title = title.format(place=rng.choice(pools.names().places), n=rng.randint(1, 4))
    who = sorted(rng.sample(holders, rng.randint(min(3, len(holders)), len(holders))))
    fixed = rng.randint(1, 6)
    return s.Activity(
        date=day,
        type=kind,
        title=title,
        participants=who,
        note=pool.activity_note.format(count=len(who), fixed=fixed),
    )
