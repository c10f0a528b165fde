"""Scores of one assessment, the way seed 004 defines them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from generator.model.schema import Assessment


@dataclass(frozen=True)
class ScoreCard:
    """What a branch scored in a quarter and how the number was made."""

    awarded: float  # sum of the dimension scores
    deducted: float  # sum of the problem-list deductions
    extra: float  # 贡献度 / 融合度, reported beside the base score

    @property
    def base(self) -> float:
        """基础得分: dimension scores minus deductions (what Ⅲ's 98 line applies to)."""
        return round(self.awarded - self.deducted, 2)


def score_card(assessment: Assessment) -> ScoreCard:
    return ScoreCard(
        awarded=round(sum(assessment.scores.values()), 2),
        deducted=round(sum(d.points for d in assessment.deductions), 2),
        extra=round(sum(assessment.extra.values()), 2),
    )


def deductions_by_dimension(assessment: Assessment) -> dict[str, float]:
    taken: dict[str, float] = defaultdict(float)
    for d in assessment.deductions:
        taken[d.dimension] += d.points
    return dict(taken)
