"""三比三看 at the end of the finished year (seed 001): 比学习, 看学习数量与质量; 比奉献,
看解决实际问题数量与质量; 比形象, 看群众心中满意度.

Each branch compares, at a meeting in the last days of the year or the first weeks of
the next, every member who was in it that year and still is on the day. A member's
showing follows one hidden merit, drawn for each and nudged by how the year's 民主评诺
rated their commitments: the better it is, the more they studied and the more problems
they solved, and the more satisfied their colleagues were (the 满意度测评, one decimal).
The branch rates about a fifth of its members 优秀 (the best of them), the rest 合格,
but for the few whose merit is far below the others': 基本合格, and rarely 不合格.

Everything draws from the "comparisons-<year>" generator, branch by branch in
org-chart order: the meeting's day and how many colleagues took part, every member's
merit, then member by member the same draws for each.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal

from generator.demo import pools
from generator.demo.draws import day_between, section_rng
from generator.demo.shape import TODAY
from generator.demo.world import Branch, Person, World
from generator.model import schema as s

# The meeting: from this day of December to this day of January.
HELD_FROM, HELD_UNTIL = (12, 22), (1, 16)
# How 民主评诺's ratings of a member's commitments move their merit (a mean of them).
RATING_MERIT = {"优秀": 0.6, "良好": 0.15, "一般": -0.6, "较差": -1.5}
# The share of a branch rated 优秀 (drawn in this range), only with a merit above the
# floor; merits below these are 基本合格 and 不合格.
EXCELLENT_SHARE, EXCELLENT_FLOOR = (0.15, 0.25), 0.3
BASIC_BELOW, FAILED_BELOW = -1.9, -2.8
# 合格 members whose colleagues' words are recorded (优秀 and below 合格: always).
IMAGE_SHARE = 0.4


def comparison_files(
    world: World, year: int, ratings: Mapping[str, Sequence[str]]
) -> Iterator[tuple[str, s.ComparisonFile]]:
    """Each branch's 三比三看 of ``year``; ``ratings`` are its 民主评诺 ratings by member."""
    rng = section_rng(world.shape, f"comparisons-{year}")
    first = dt.date(year, *HELD_FROM)
    last = min(dt.date(year + 1, *HELD_UNTIL), TODAY)
    for branch in world.branches:
        held = day_between(rng, first, last)
        people = [p for p in branch.roster if p.here_on(held) and _in_year(p, year)]
        if not people or held > TODAY:
            continue
        record = _compare(rng, branch, held, year, people, ratings)
        yield f"comparisons/{year}/{branch.id}.yaml", record


def _in_year(person: Person, year: int) -> bool:
    return (person.joined_on is None or person.joined_on.year <= year) and (
        person.left_on is None or person.left_on.year >= year
    )


def _compare(
    rng: random.Random,
    branch: Branch,
    held: dt.date,
    year: int,
    people: list[Person],
    ratings: Mapping[str, Sequence[str]],
) -> s.ComparisonFile:
    # The colleagues of the branch's department who took part in the 满意度测评.
    colleagues = max(12, min(40, round(len(people) * rng.uniform(1.3, 2.2))))
    merits = [rng.gauss(0, 1) + _nudge(ratings.get(p.id, ())) for p in people]
    excellent = _excellent(rng, merits)
    members = [
        _member(rng, branch, p, merit, _result(k in excellent, merit), colleagues)
        for k, (p, merit) in enumerate(zip(people, merits, strict=True))
    ]
    return s.ComparisonFile(branch=branch.id, year=year, held_on=held, members=members)


def _nudge(rated: Sequence[str]) -> float:
    return sum(RATING_MERIT[r] for r in rated) / len(rated) if rated else 0.0


def _excellent(rng: random.Random, merits: list[float]) -> set[int]:
    """The places of the members rated 优秀: the best, about a fifth of the branch."""
    count = round(len(merits) * rng.uniform(*EXCELLENT_SHARE))
    best = sorted(range(len(merits)), key=lambda k: -merits[k])[:count]
    return {k for k in best if merits[k] > EXCELLENT_FLOOR}


def _result(excellent: bool, merit: float) -> s.ComparisonResult:
    if excellent:
        return "优秀"
    if merit < FAILED_BELOW:
        return "不合格"
    return "基本合格" if merit < BASIC_BELOW else "合格"


def _member(
    rng: random.Random,
    branch: Branch,
    person: Person,
    merit: float,
    result: s.ComparisonResult,
    colleagues: int,
) -> s.Comparison:
    pool = pools.comparisons()
    sessions = _around(rng, 34 + 4 * merit, 3, 16, 52)
    hours = _around(rng, 42 + 8 * merit, 6, 12, 96)
    notes = _around(rng, 4 + 1.5 * merit, 1, 1, 12)
    solved = _around(rng, 7 + 3 * merit, 2, 0, 30)
    spread = rng.randint(1, 3)
    study = rng.choice(pool.study).format(sessions=sessions, hours=hours, notes=notes)
    fix = rng.choice(pool.fixes[branch.dept.family])
    contribution = rng.choice(pool.contribution).format(
        post=person.post, n=solved, fix=fix, k=min(spread, solved)
    )
    satisfaction = min(99.6, max(70.0, 91.5 + 2.4 * merit + rng.gauss(0, 1.0)))
    said = rng.choice(pool.image[result])
    told = result != "合格" or rng.random() < IMAGE_SHARE
    return s.Comparison(
        member=person.id,
        study=study,
        sessions=sessions,
        contribution=contribution if solved else pool.none_solved,
        problems_solved=solved,
        image=said if told else None,
        satisfaction=Decimal(round(satisfaction * 10)) / 10,
        respondents=colleagues - rng.randint(0, 3),
        result=result,
    )


def _around(rng: random.Random, mean: float, spread: float, low: int, high: int) -> int:
    """A whole number near ``mean``, within ``low`` and ``high``."""
    return max(low, min(high, round(rng.gauss(mean, spread))))
