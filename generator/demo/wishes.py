"""微心愿: two to four wishes of employees per branch and year, and who took them on.

Each year draws from its own generator ("wishes-2025"...), branch by branch. The
employees who wish are not members, so their names come from the same name pools
but a different generator: they may share a name with a member, as people do.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from typing import Literal

from generator.demo import pools
from generator.demo.draws import day_between, section_rng
from generator.demo.naming import Names
from generator.demo.shape import TODAY, YEARS
from generator.demo.world import Branch, World
from generator.model import schema as s

WishStatus = Literal["待认领", "已认领", "已实现", "未实现"]
STATUSES: tuple[WishStatus, ...] = ("待认领", "已认领", "已实现", "未实现")
# A finished year's wishes were all fulfilled or given up; this year's are under way.
FINISHED_WEIGHTS = (0, 0, 85, 15)
CURRENT_WEIGHTS = (20, 40, 40, 0)


def wish_files(world: World) -> Iterator[tuple[str, s.WishesFile]]:
    for year in YEARS:
        rng = section_rng(world.shape, f"wishes-{year}")
        names = Names(rng)
        for branch in world.branches:
            wishes = [_wish(rng, names, year, branch, k) for k in range(rng.randint(2, 4))]
            record = s.WishesFile(branch=branch.id, year=year, wishes=wishes)
            yield f"wishes/{year}/{branch.id}.yaml", record


def _wish(rng: random.Random, names: Names, year: int, branch: Branch, k: int) -> s.Wish:
    pool = pools.wishes()
    finished = year < TODAY.year
    weights = FINISHED_WEIGHTS if finished else CURRENT_WEIGHTS
    status = rng.choices(STATUSES, weights=weights)[0]
    last = dt.date(year, 12, 20) if finished else TODAY - dt.timedelta(days=3)
    fulfilled = day_between(rng, dt.date(year, 3, 1), last) if status == "已实现" else None
    # Drawn in this order: who wishes, what, which member took it on, why it failed.
    return s.Wish(
        id=f"w{year}-{branch.id}-{k + 1}",
        employee=names.one(),
        wish=rng.choice(pool.wishes),
        member=rng.choice(branch.people).id if status != "待认领" else None,
        status=status,
        fulfilled_on=fulfilled,
        note=rng.choice(pool.unmet) if status == "未实现" else None,
    )
