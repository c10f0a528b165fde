"""One branch's score sheet while its quarter is being shaped, and its deductions.

The sheet stays mutable until the quarter is settled (``settling.py`` may take half a
point more from a branch, or redo one), then becomes an ``Assessment`` record.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from generator.demo import pools
from generator.demo.world import Branch
from generator.model import schema as s


@dataclass
class Sheet:
    branch: Branch
    category: s.CategoryName
    maxima: dict[str, float]  # by dimension, under the quarter's rules
    scores: dict[str, float]  # points awarded, by dimension
    extra: dict[str, float]
    inspected_on: dt.date
    deductions: list[tuple[str, float, str]] = field(default_factory=list)  # dim, points, why

    @property
    def base(self) -> float:
        return sum(self.scores.values()) - sum(points for _, points, _ in self.deductions)

    def room(self, dimension: str) -> float:
        """Points a dimension can still lose: deductions never exceed the points awarded."""
        taken = sum(points for dim, points, _ in self.deductions if dim == dimension)
        return self.scores[dimension] - taken

    def record(self, quarter: str) -> s.Assessment:
        groups = pools.assessments().inspection_groups
        return s.Assessment(
            branch=self.branch.id,
            quarter=quarter,
            inspected_on=self.inspected_on,
            inspection_group=groups[self.branch.index % len(groups)],
            scores=self.scores,
            extra=self.extra,
            deductions=[
                s.Deduction(dimension=dim, points=points, reason=reason)
                for dim, points, reason in self.deductions
            ],
        )


def deduct_steps(rng: random.Random, sheet: Sheet, steps: int) -> None:
    """Take ``steps`` half points, as a few listed problems."""
    for half_points in _split(rng, steps):
        deduct(rng, sheet, half_points / 2)


def _split(rng: random.Random, steps: int) -> list[int]:
    """Split half points into problems of 0.5 to 2 points, at most four when possible."""
    if steps <= 0:
        return []
    fewest = -(-steps // 4)
    parts = [1] * rng.randint(fewest, max(fewest, min(4, steps)))
    for _ in range(steps - len(parts)):
        parts[rng.choice([i for i, p in enumerate(parts) if p < 4])] += 1
    return parts


def deduct(rng: random.Random, sheet: Sheet, points: float) -> None:
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
        deduct(rng, sheet, 0.5)
        return
    dim = next(name for name in sheet.scores if sheet.room(name) >= 0.5)
    sheet.scores[dim] -= 0.5
