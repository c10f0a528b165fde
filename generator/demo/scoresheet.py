"""One branch's score sheet while its quarter is being shaped, and its deductions.

The sheet stays mutable until the quarter is settled (``settling.py`` may take half a
point more from a branch, or redo one), then becomes an ``Assessment`` record. The
inspection group's sheet awards points per dimension and lists problems; the record
holds the problem list only, every point lost in it with a reason and the problem type
the pool gives that reason (a dimension's score is its maximum minus its deductions).
Points the sheet did not award become problems too, their reasons taken in turn from
the dimension's pool, without a random draw, so the rest of the dataset stays as it was.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from generator.demo import pools
from generator.demo.rules import HALF
from generator.demo.world import Branch
from generator.model import schema as s


@dataclass
class Sheet:
    branch: Branch
    category: s.CategoryName
    maxima: dict[str, Decimal]  # by dimension, under the quarter's rules
    scores: dict[str, Decimal]  # points awarded, by dimension
    extra: dict[str, Decimal]
    inspected_on: dt.date
    deductions: list[tuple[str, Decimal, str]] = field(default_factory=list)  # dim, points, why

    @property
    def base(self) -> Decimal:
        awarded: Decimal = sum(self.scores.values(), Decimal(0))
        return awarded - sum((points for _, points, _ in self.deductions), Decimal(0))

    def room(self, dimension: str) -> Decimal:
        """Points a dimension can still lose: deductions never exceed the points awarded."""
        taken = sum(points for dim, points, _ in self.deductions if dim == dimension)
        return self.scores[dimension] - taken

    def record(self, quarter: str) -> s.Assessment:
        pool = pools.assessments()
        groups = pool.inspection_groups
        listed = [*self.deductions, *self._unawarded(quarter)]
        return s.Assessment(
            branch=self.branch.id,
            quarter=quarter,
            inspected_on=self.inspected_on,
            inspection_group=groups[self.branch.index % len(groups)],
            extra=self.extra,
            deductions=[
                s.Deduction(
                    dimension=dim, points=points, reason=reason, type=pool.reasons[dim][reason]
                )
                for dim, points, reason in listed
            ],
        )

    def _unawarded(self, quarter: str) -> list[tuple[str, Decimal, str]]:
        """The points not awarded, as problems of at most 2 points, each with a reason
        not yet given on this sheet (taken in turn, so no random draw is spent)."""
        used = {reason for _, _, reason in self.deductions}
        turn = self.branch.index + int(quarter[-1])
        out = []
        for dim, awarded in self.scores.items():
            gap = self.maxima[dim] - awarded
            while gap > 0:
                points = min(gap, Decimal(2))
                pool = pools.assessments().reasons[dim]
                fresh = [r for r in pool if r not in used] or list(pool)
                reason = fresh[turn % len(fresh)]
                used.add(reason)
                out.append((dim, points, reason))
                gap -= points
        return out


def deduct_steps(rng: random.Random, sheet: Sheet, steps: int) -> None:
    """Take ``steps`` half points, as a few listed problems."""
    for half_points in _split(rng, steps):
        deduct(rng, sheet, Decimal(half_points) / 2)


def _split(rng: random.Random, steps: int) -> list[int]:
    """Split half points into problems of 0.5 to 2 points, at most four when possible."""
    if steps <= 0:
        return []
    fewest = -(-steps // 4)
    parts = [1] * rng.randint(fewest, max(fewest, min(4, steps)))
    for _ in range(steps - len(parts)):
        parts[rng.choice([i for i, p in enumerate(parts) if p < 4])] += 1
    return parts


def deduct(rng: random.Random, sheet: Sheet, points: Decimal) -> None:
    """List one problem worth ``points`` in a dimension that still has them to lose,
    for a reason not yet given on this sheet while there are others."""
    dims = [name for name in sheet.scores if sheet.room(name) >= points]
    if not dims:
        return
    dim = rng.choice(dims)
    used = {reason for _, _, reason in sheet.deductions}
    pool = pools.assessments().reasons[dim]
    reasons = [r for r in pool if r not in used] or list(pool)
    sheet.deductions.append((dim, points, rng.choice(reasons)))


def lower(rng: random.Random, sheet: Sheet) -> None:
    """Half a point less: one more listed problem, or less awarded once four are listed."""
    if len(sheet.deductions) < 4:
        deduct(rng, sheet, HALF)
        return
    dim = next(name for name in sheet.scores if sheet.room(name) >= HALF)
    sheet.scores[dim] -= HALF
