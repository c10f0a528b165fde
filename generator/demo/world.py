"""The fictional company as every section sees it: its rules, branches and people.

The world is planned first (``orgchart.py`` and ``staff.py``, put together by
``company.py``) and only read afterwards. Its parts are mutable only for planning: a
member is promoted to lead the committee, a branch is put under its 党总支, and once
the units and 微心愿 are drawn, the current year's comings and goings are marked
(``moves.py``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from generator.demo import pools
from generator.demo.quarters import quarter_start
from generator.demo.rules import maxima
from generator.demo.shape import DemoShape
from generator.model import schema as s
from generator.model.dataset import rules_in_force


@dataclass
class Person:
    """One member's time in one branch (a member who moves has one in each)."""

    id: str
    name: str
    post: str
    role: s.Role
    group: str | None = None
    joined_on: dt.date | None = None  # came during the span: moved in, admitted, 转入
    left_on: dt.date | None = None
    left_reason: s.LeftReason | None = None
    moved_to: str | None = None  # the branch they moved to (left_reason 调出)
    joined_as: pools.Joining | None = None  # how they came, with ``joined_on``
    came_from: str | None = None  # the name of the branch they moved from (调入)

    def here_on(self, day: dt.date) -> bool:
        """Whether the member was in this branch on ``day``."""
        return (self.joined_on is None or self.joined_on <= day) and (
            self.left_on is None or day <= self.left_on
        )


@dataclass
class Branch:
    """One 党支部 and everything later sections need to know about it."""

    index: int  # its place in org-chart order
    id: str
    name: str
    dept: pools.Department
    spans: list[s.CategorySpan]
    quality: float  # 0..1: how well it tends to score; drives its quarterly deductions
    parent: str
    # The roster the span started with, in file order: every section draws from it,
    # so the year's comings and goings (``moves.py``) reshuffle nothing else. Those
    # who left stay in it, marked; those who came are in ``joiners``, by their day.
    people: list[Person] = field(default_factory=list)
    joiners: list[Person] = field(default_factory=list)
    groups: list[s.PartyGroup] = field(default_factory=list)

    @property
    def work(self) -> pools.Work:
        return pools.work()[self.dept.family]

    @property
    def unit_type(self) -> s.UnitType:
        return "本部" if self.dept.head_office else "基层单位"

    @property
    def secretary(self) -> Person:
        return self.people[0]

    @property
    def roster(self) -> list[Person]:
        """Everyone who has been in the branch: its members file, in order."""
        return self.people + self.joiners

    def category(self, quarter: str) -> s.CategoryName:
        return [span.category for span in self.spans if span.since <= quarter][-1]


@dataclass
class GeneralBranch:
    """A 党总支 and the neighbouring branches of one line it covers."""

    id: str
    name: str
    unit: str
    children: list[Branch] = field(default_factory=list)
    secretary: str | None = None


@dataclass
class World:
    shape: DemoShape
    quarters: list[str]
    rules: list[s.Rules]  # the versions in force over the quarters, oldest first
    branches: list[Branch]
    general_branches: list[GeneralBranch]
    chair: str | None  # the committee's secretary

    @property
    def first_day(self) -> dt.date:
        return quarter_start(self.quarters[0])

    def rules_for(self, quarter: str) -> s.Rules:
        found = rules_in_force(self.rules, quarter)
        assert found is not None, quarter  # the first version starts with the first quarter
        return found

    def maxima(self, quarter: str, category: s.CategoryName) -> dict[str, Decimal]:
        """Each dimension's maximum for ``category`` under the rules of ``quarter``
        (one dict shared by every caller: read it, copy it to change it)."""
        return self._maxima[(self.rules_for(quarter).id, category)]

    @cached_property
    def _maxima(self) -> dict[tuple[str, s.CategoryName], dict[str, Decimal]]:
        # Asked once per branch and quarter: worked out once per version and category.
        return {
            (rules.id, category): maxima(rules, category)
            for rules in self.rules
            for category in s.CATEGORIES
        }
