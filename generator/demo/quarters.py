"""Quarter arithmetic: quarters are written ``2026Q3`` and compare as text."""

from __future__ import annotations

import datetime as dt

from generator.demo.shape import LAST_QUARTER


def quarter_list(count: int) -> list[str]:
    """The ``count`` quarters that end with the latest assessed one, oldest first."""
    last = _index(LAST_QUARTER)
    return [_at(i) for i in range(last - count + 1, last + 1)]


def quarter_of(day: dt.date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def quarter_start(quarter: str) -> dt.date:
    return dt.date(int(quarter[:4]), 3 * int(quarter[5]) - 2, 1)


def _index(quarter: str) -> int:
    return int(quarter[:4]) * 4 + int(quarter[5]) - 1


def _at(index: int) -> str:
    return f"{index // 4}Q{index % 4 + 1}"
