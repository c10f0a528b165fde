"""Quarterly assessments: each quarter's round of inspection and every branch's score.

A branch is awarded nearly every point its category's maxima allow; what it lost is
explained by listed deductions, more for weaker branches and for the lowest category.
Everything draws from the "assessments" generator, quarter by quarter: the round's
dates and notice number, each branch's sheet in org-chart order, then the settling
of the red and blue lines.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from generator.demo import pools
from generator.demo.draws import day_between, days_after, half_points, section_rng
from generator.demo.rules import HALF, extra_item, ranked_categories
from generator.demo.scoresheet import Sheet, deduct_steps
from generator.demo.settling import settle_lines
from generator.demo.world import Branch, World
from generator.model import schema as s

# The category of the weakest branches, which lose more points (its blue list is a
# threshold score, not the last place).
LOWEST = s.CATEGORIES[-1]


@dataclass(frozen=True)
class Round:
    """One quarter's inspection and its results, in org-chart order of the branches."""

    info: s.QuarterInfo
    published: dt.date  # the results notice (also in ``info``, where it is optional)
    assessments: list[s.Assessment]


def assess_quarters(world: World) -> dict[str, Round]:
    """Every quarter's round, oldest first."""
    rng = section_rng(world.shape, "assessments")
    # The sample shows a tie at the red line once: in the quarter before the latest.
    tie_quarter = world.quarters[-2] if len(world.quarters) > 1 else world.quarters[-1]
    rounds = {}
    for quarter in world.quarters:
        info, published = _quarter_info(rng, quarter)
        sheets = [_score(rng, world, branch, quarter, info) for branch in world.branches]
        ranked = ranked_categories(world.rules_for(quarter))
        settle_lines(rng, sheets, ranked, deliberate_tie=quarter == tie_quarter)
        assessments = [sheet.record(quarter) for sheet in sheets]
        rounds[quarter] = Round(info, published, assessments)
    return rounds


def round_files(rounds: dict[str, Round]) -> dict[str, s.QuarterInfo | s.Assessment]:
    files: dict[str, s.QuarterInfo | s.Assessment] = {}
    for quarter, done in rounds.items():
        files[f"assessments/{quarter}/_quarter.yaml"] = done.info
        for assessment in done.assessments:
            files[f"assessments/{quarter}/{assessment.branch}.yaml"] = assessment
    return files


def _quarter_info(rng: random.Random, quarter: str) -> tuple[s.QuarterInfo, dt.date]:
    """Inspection in the quarter's last month; the notice about two weeks later."""
    year, q = int(quarter[:4]), int(quarter[5])
    start = dt.date(year, 3 * q, rng.randint(8, 14))
    end = days_after(rng, start, 5, 9)
    published = days_after(rng, end, 8, 14)
    pool = pools.assessments()
    number = pool.notice_numbers[q] + rng.randint(0, 3)
    # The problem lists are agreed with each branch in the days before the notice.
    confirmed = max(end + dt.timedelta(days=1), published - dt.timedelta(days=3))
    info = s.QuarterInfo(
        quarter=quarter,
        inspection_start=start,
        inspection_end=end,
        confirmed=confirmed,
        notice_number=pool.notice_number.format(year=published.year, number=number),
        published=published,
    )
    return info, published


def _score(
    rng: random.Random, world: World, branch: Branch, quarter: str, info: s.QuarterInfo
) -> Sheet:
    category = branch.category(quarter)
    maxima = world.maxima(quarter, category)
    # Points awarded are mostly the maximum; what was lost is explained by deductions.
    scores = {name: top - (HALF if rng.random() < 0.06 else 0) for name, top in maxima.items()}
    # The extra item scores from half to full marks.
    item = extra_item(world.rules_for(quarter), branch.unit_type)
    extra = {item.name: half_points(rng, item.max / 2, item.max)}
    day = day_between(rng, info.inspection_start, info.inspection_end)
    sheet = Sheet(branch, category, maxima, scores, extra, day)
    deduct_steps(rng, sheet, _loss_steps(rng, branch, category))
    return sheet


def _loss_steps(rng: random.Random, branch: Branch, category: s.CategoryName) -> int:
    """How many half points the inspection takes: more for weaker branches and for Ⅲ."""
    mean = 0.5 + 5 * (1 - branch.quality) + (1.0 if category == LOWEST else 0)
    return max(0, round(rng.gauss(mean, 1.6)))
