"""Settling a quarter's red and blue lines: a clear first and last, but for one tie.

Half-point scores tie often. A tie exactly at the red or blue line should be the rare
case the rules' ``ties`` text is about, so the sample shows it once, on purpose, and
otherwise shapes the scores so that the line is clear. Only the scores are shaped
here: who is on which list is decided by the ranking (``generator.ranking``).
"""

from __future__ import annotations

import random

from generator.demo.scoresheet import Sheet, deduct_steps, lower
from generator.model import schema as s


def settle_lines(
    rng: random.Random,
    sheets: list[Sheet],
    ranked: list[s.CategoryName],
    deliberate_tie: bool,
) -> None:
    """One clear first and last in each ranked category; with ``deliberate_tie``, the
    first of those categories gets a two-way tie at the top instead."""
    for category in ranked:
        group = [sheet for sheet in sheets if sheet.category == category]
        if len(group) < 2:
            continue
        tie = deliberate_tie and category == ranked[0]
        if tie:
            _tie_top(rng, group)
        else:
            _unique_top(rng, group)
        # With only two branches, both tied at the top are also the bottom.
        if not (tie and len(group) <= 2):
            _unique_bottom(rng, group)


def _tie_top(rng: random.Random, group: list[Sheet]) -> None:
    """Make the runner-up score exactly what the single leader scored: a two-way tie."""
    _unique_top(rng, group)
    best, second = sorted(group, key=lambda sheet: -sheet.base)[:2]
    second.scores = dict(second.maxima)
    second.deductions = []
    deduct_steps(rng, second, round((sum(second.scores.values()) - best.base) * 2))


def _unique_top(rng: random.Random, group: list[Sheet]) -> None:
    best = max(sheet.base for sheet in group)
    tied = [sheet for sheet in group if sheet.base == best]
    keep = rng.choice(tied)
    for sheet in tied:
        if sheet is not keep:
            lower(rng, sheet)


def _unique_bottom(rng: random.Random, group: list[Sheet]) -> None:
    worst = min(sheet.base for sheet in group)
    tied = [sheet for sheet in group if sheet.base == worst]
    if len(tied) > 1:
        lower(rng, rng.choice(tied))
