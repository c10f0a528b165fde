"""Random draws: one generator per section, days and half points.

Nothing here reads the clock or the global random state. Each section of the dataset
draws from its own ``random.Random``, seeded by the shape's seed and the section's
name, so a change to one section never reshuffles another; within a section, the
order of the draws is part of the output, and must not change.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from generator.demo.shape import DemoShape


def section_rng(shape: DemoShape, section: str) -> random.Random:
    """The generator of one section (string seeds are hashed stably, unlike hash())."""
    return random.Random(f"{shape.seed}:{section}")


def day_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    """A day from ``start`` to ``end``, both included (``start`` if ``end`` is earlier)."""
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def days_after(rng: random.Random, day: dt.date, low: int, high: int) -> dt.date:
    """A day ``low`` to ``high`` days after ``day``."""
    return day + dt.timedelta(days=rng.randint(low, high))


def half_points(rng: random.Random, low: float | Decimal, high: float | Decimal) -> Decimal:
    """A score in steps of 0.5, as an exact decimal."""
    return Decimal(rng.randint(round(low * 2), round(high * 2))) / 2
