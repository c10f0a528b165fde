"""指标红榜 (seed 002): each quarter, every unit's business indicators and which of them
the company's performance notice puts on its red list.

A unit is a department that has branches (organizations' ``unit``); its indicators are
its line of work's set (8 to 16, ``pools/indicators.yaml``), the same every quarter.
Each unit has its form, drawn once: the share of its indicators that tends to make the
red list; each quarter moves it a little. What is on the list is decided first, then
each value is drawn in the better part of its range if it is on it, the worse part if
not. As in seed 002, in the latest quarter one unit (the first with the most
indicators; seed 002's had 16) has 13 of 16 on the list, more than any other unit.

Everything draws from the "indicators" generator: the units' forms, then quarter by
quarter, unit by unit in org-chart order, indicator by indicator.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from decimal import Decimal

from generator.demo import pools
from generator.demo.draws import section_rng
from generator.demo.shape import LAST_QUARTER
from generator.demo.world import World
from generator.model import schema as s

# The units' forms are drawn in this range; the leading unit's is this; a quarter moves
# a form by about this much.
FORMS, LEADER_FORM, SWING = (0.2, 0.75), 0.68, 0.1
# Seed 002: 13 of 16 indicators on the red list (81.25%), the most of all units.
SEED_RED, SEED_OF = 13, 16
# The part of a range a value on the red list is drawn from (the better end), and the
# part any other value is (the worse end): they overlap a little, as units are ranked.
RED_PART, OTHER_PART = 0.4, 0.7


def indicator_files(world: World) -> Iterator[tuple[str, s.IndicatorsFile]]:
    """The red list of every assessed quarter, released with its results."""
    rng = section_rng(world.shape, "indicators")
    pool = pools.indicators()
    units = list({b.dept.name: b.dept.family for b in world.branches}.items())
    forms = {unit: rng.uniform(*FORMS) for unit, _ in units}
    leader = max(units, key=lambda u: len(pool.sets[u[1]]))[0]
    forms[leader] = LEADER_FORM
    for quarter in world.quarters:
        year, q = int(quarter[:4]), int(quarter[5])
        number = pool.numbers[q] + rng.randint(0, 3)
        issued = year + 1 if q == 4 else year
        rows = [
            s.UnitIndicators(
                unit=unit,
                indicators=_indicators(
                    rng, pool.sets[family], forms[unit], quarter, unit == leader
                ),
            )
            for unit, family in units
        ]
        source = pool.source.format(year=year, q=q, issued=issued, number=number)
        yield (
            f"indicators/{quarter}.yaml",
            s.IndicatorsFile(quarter=quarter, source=source, units=rows),
        )


def _indicators(
    rng: random.Random,
    specs: tuple[pools.IndicatorSpec, ...],
    form: float,
    quarter: str,
    leader: bool,
) -> list[s.Indicator]:
    share = min(0.9, max(0.05, form + rng.gauss(0, SWING)))
    red = [rng.random() < share for _ in specs]
    if quarter == LAST_QUARTER:
        red = _latest(rng, red, leader)
    return [
        s.Indicator(name=spec.name, value=_value(rng, spec, on), red=on)
        for spec, on in zip(specs, red, strict=True)
    ]


def _latest(rng: random.Random, red: list[bool], leader: bool) -> list[bool]:
    """The latest quarter: the leader has seed 002's share; every other unit less."""
    count = len(red)
    target = round(count * SEED_RED / SEED_OF)
    want = target if leader else min(sum(red), target - 1, count * 3 // 4)
    if sum(red) == want:
        return red
    # Take some off (or put some on) at random places, the rest as drawn.
    flip = [k for k, on in enumerate(red) if on == (sum(red) > want)]
    for k in rng.sample(flip, abs(sum(red) - want)):
        red[k] = not red[k]
    return red


def _value(rng: random.Random, spec: pools.IndicatorSpec, red: bool) -> str:
    """A value in the better part of the range if on the red list, else the worse."""
    scale = 10**spec.digits
    low, high = (round(bound * scale) for bound in spec.bounds)
    width = high - low
    if (spec.better == "high") == red:  # the upper part of the range
        steps = rng.randint(high - int(width * (RED_PART if red else OTHER_PART)), high)
    else:
        steps = rng.randint(low, low + int(width * (RED_PART if red else OTHER_PART)))
    text = f"{Decimal(steps) / scale:.{spec.digits}f}"
    if not spec.unit:
        return text
    return text + spec.unit if spec.unit == "%" else f"{text} {spec.unit}"
