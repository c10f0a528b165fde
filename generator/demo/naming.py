"""Fictional people's names, and numbers written the way branch names write them."""

from __future__ import annotations

import random

from generator.demo import pools


class Names:
    """Three-character names from the pools: nobody's, and never a famous person's."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.pool = pools.names()

    def one(self) -> str:
        pool, rng = self.pool, self.rng
        while True:
            name = rng.choice(pool.surnames) + rng.choice(pool.given_first)
            name += rng.choice(pool.given_second)
            if name not in pool.famous:
                return name

    def distinct(self, count: int) -> list[str]:
        """``count`` names without repeats, so nobody in one branch shares a name."""
        seen: dict[str, None] = {}
        while len(seen) < count:
            seen.setdefault(self.one())
        return list(seen)


_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 -> 一, 12 -> 十二, 105 -> 一百零五: how branches are numbered in their names."""
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n >= 100_000:
        return str(n)
    text, zero = "", False
    for power, unit in ((10_000, "万"), (1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // power % 10
        if digit:
            text += ("零" if zero else "") + _DIGITS[digit] + unit
        zero = bool(text) and not digit
    return text


def ordinal(n: int) -> str:
    """第二: the n-th of several (branches of a department, 党总支, 党小组, squads)."""
    return f"第{chinese_number(n)}"
