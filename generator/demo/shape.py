"""How big the fictional dataset is, and the fixed moment it describes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# The data's "today" and its latest assessed quarter: fixed, so the output never
# depends on when it is generated.
TODAY = dt.date(2026, 11, 15)
LAST_QUARTER = "2026Q3"
# The years of commitments and 微心愿: the last finished one (evaluated) and this one.
YEARS = (TODAY.year - 1, TODAY.year)


@dataclass(frozen=True)
class DemoShape:
    """How big the fictional dataset is; the defaults make the committed sample."""

    branches: int = 31
    members: int = 600  # now: as many join during the year as leave the company
    quarters: int = 8
    seed: int = 2025


def check_shape(shape: DemoShape) -> None:
    """Refuse shapes no valid dataset has, before anything is written."""
    # Every branch needs at least its secretary, and there must be a quarter to assess.
    if shape.branches < 1 or shape.quarters < 1:
        raise ValueError("示例数据至少需要 1 个党支部和 1 个考核季度")
    if shape.members < shape.branches:
        raise ValueError(f"党员总数（{shape.members}）不能少于党支部数（{shape.branches}）")
