"""Scores of one assessment, the way seed 004 defines them, in exact decimals.

Each dimension starts at its maximum for the branch's category and loses exactly
the points its problem list deducts, each with a reason: a dimension's score is its
maximum minus its deductions, and the base score (基础得分) is their sum, so 100
minus everything deducted. 贡献度/融合度 (``extra``) are reported beside it and count
in neither the base score nor the lists.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from generator.model.schema import Assessment, CategoryName, Rules

ZERO = Decimal(0)


@dataclass(frozen=True)
class DimensionScore:
    name: str
    maximum: Decimal
    deducted: Decimal

    @property
    def score(self) -> Decimal:
        return self.maximum - self.deducted


@dataclass(frozen=True)
class ScoreCard:
    """What a branch scored in a quarter and how the number was made."""

    dimensions: tuple[DimensionScore, ...]
    extra: Decimal  # 贡献度 / 融合度, reported beside the base score

    @property
    def maximum(self) -> Decimal:
        return sum((d.maximum for d in self.dimensions), ZERO)

    @property
    def deducted(self) -> Decimal:
        """The problem list's deductions, all of them."""
        return sum((d.deducted for d in self.dimensions), ZERO)

    @property
    def base(self) -> Decimal:
        """基础得分: the maximum (100) minus every deduction (what Ⅲ's 98 line applies to)."""
        return self.maximum - self.deducted


def score_card(assessment: Assessment, rules: Rules, category: CategoryName) -> ScoreCard:
    taken = deductions_by_dimension(assessment)
    dimensions = tuple(
        DimensionScore(d.name, d.max[category], taken.get(d.name, ZERO)) for d in rules.dimensions
    )
    return ScoreCard(dimensions, sum(assessment.extra.values(), ZERO))


def deductions_by_dimension(assessment: Assessment) -> dict[str, Decimal]:
    taken: dict[str, Decimal] = defaultdict(Decimal)
    for d in assessment.deductions:
        taken[d.dimension] += d.points
    return dict(taken)
