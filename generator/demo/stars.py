"""星级党支部 for the finished year, linked to 星级班组 (seed 001: 双星联动).

Early in the next year the committee rates every branch one to five stars: about a
tenth five stars, a quarter four, two fifths three, a fifth two and a few one star.
The places follow the year's quarterly inspections (the fewer points a branch lost on
average, the better its place; without an inspection that year, how well it tends to
score), with a little chance. A branch of N stars met N + 1 of the six criteria (all
six for five stars); the ones it missed are more often those its inspections found
problems against, and then the note says which. It leads two to four teams (班组) of
its line of work, named in turn in its department (a department with several branches
numbers its teams across them), so that no team is led twice; one of them has at
least its stars, as the rule wants. Now and then a branch met every criterion but its
best team holds it back, and the note says so.

Everything draws from the "stars-<year>" generator: the day of the rating, the order
of the branches, then branch by branch in org-chart order.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Mapping

from generator.demo import pools
from generator.demo.draws import day_between, section_rng
from generator.demo.naming import chinese_number
from generator.demo.problems import Inspected
from generator.demo.shape import TODAY
from generator.demo.world import Branch, World
from generator.model import schema as s

# The shares of the branches rated five, four, three, two and one star.
SHARES = (0.10, 0.26, 0.39, 0.22, 0.03)
# How much chance moves a branch's place (in points lost per round).
NOISE = 0.25
# How many teams a branch leads; how often its best team is a star above it.
TEAMS = (2, 4)
TEAM_ABOVE = 0.15
# How often a branch that met every criterion is held back by its best team.
HELD_BACK = 0.08


def star_files(
    world: World, year: int, inspected: Mapping[str, Inspected]
) -> Iterator[tuple[str, s.StarRating]]:
    """Every branch's rating for ``year``, from what its inspections found that year."""
    rng = section_rng(world.shape, f"stars-{year}")
    rated_on = min(TODAY, day_between(rng, dt.date(year + 1, 1, 12), dt.date(year + 1, 2, 27)))
    stars = _stars(rng, world.branches, inspected)
    named: dict[str, int] = {}  # teams named so far, by department
    for branch in world.branches:
        found = inspected.get(branch.id)
        rating = _rating(rng, branch, year, rated_on, stars[branch.id], found, named)
        yield f"stars/{year}/{branch.id}.yaml", rating


def _stars(
    rng: random.Random, branches: list[Branch], inspected: Mapping[str, Inspected]
) -> dict[str, int]:
    """Each branch's stars: by its place, the best first, in the shares above."""

    def lost(branch: Branch) -> float:
        found = inspected.get(branch.id)
        # Without an inspection that year: the points it would be expected to lose.
        usual = float(found.lost) if found else 0.5 + 5 * (1 - branch.quality)
        return usual + rng.gauss(0, NOISE)

    ranked = sorted((lost(b), b.index, b.id) for b in branches)
    stars: dict[str, int] = {}
    total, upto = len(ranked), 0.0
    position = 0
    for level, share in zip(range(5, 0, -1), SHARES, strict=True):
        upto += share
        while position < min(total, round(upto * total)):
            stars[ranked[position][2]] = level
            position += 1
    for _, _, branch_id in ranked[position:]:  # the rounding left none, or the last
        stars[branch_id] = 1
    return stars


def _rating(
    rng: random.Random,
    branch: Branch,
    year: int,
    rated_on: dt.date,
    stars: int,
    found: Inspected | None,
    named: dict[str, int],
) -> s.StarRating:
    pool = pools.stars()
    held_back = stars >= 3 and rng.random() < HELD_BACK and stars < 5
    teams = _teams(rng, branch, stars, held_back, named)
    criteria = s.Policy().star_criteria
    missed = 0 if held_back else len(criteria) - min(len(criteria), stars + 1)
    unmet = _unmet(rng, criteria, missed, found)
    note = pool.held_back.format(teams=max(t.stars for t in teams), stars=stars)
    return s.StarRating(
        branch=branch.id,
        year=year,
        stars=stars,
        rated_on=rated_on,
        rated_by=pool.rated_by,
        criteria=[
            s.StarCriterion(name=name, met=name not in unmet, note=unmet.get(name))
            for name in criteria
        ],
        teams=teams,
        note=note if held_back else None,
    )


def _teams(
    rng: random.Random, branch: Branch, stars: int, held_back: bool, named: dict[str, int]
) -> list[s.TeamRating]:
    """Two to four teams of the branch's line of work, one with at least its stars."""
    dept = branch.dept
    names = pools.stars().teams[dept.family]
    count = rng.randint(*TEAMS)
    best = rng.randrange(count)
    above = not held_back and stars < 5 and rng.random() < TEAM_ABOVE
    teams = []
    for k in range(count):
        j = named.get(dept.name, 0)
        named[dept.name] = j + 1
        name = names[j % len(names)].format(n=chinese_number(j // len(names) + 1))
        level = stars + int(above) if k == best else max(1, stars - rng.choice((0, 1, 1, 2)))
        teams.append(s.TeamRating(team=name, stars=level))
    return teams


def _unmet(
    rng: random.Random, criteria: list[str], missed: int, found: Inspected | None
) -> dict[str, str]:
    """The criteria missed, with why: those the year's problems speak against are more
    likely, and then their note names the most frequent such problem."""
    pool = pools.stars()
    against = {
        name: sorted(
            ((found.types[t], t) for t in pool.against[name] if found and found.types[t]),
            reverse=True,
        )
        for name in criteria
    }
    left = list(criteria)
    unmet: dict[str, str] = {}
    for _ in range(missed):
        weights = [1 + 2 * sum(count for count, _ in against[name]) for name in left]
        name = rng.choices(left, weights=weights)[0]
        left.remove(name)
        note = rng.choice(pool.unmet[name])
        if against[name]:
            count, problem = against[name][0]
            note = pool.found.format(type=problem, count=count)
        unmet[name] = note
    return unmet
