"""Everything the rules derive from one board's data, computed once, then only read.

``derive`` ranks every quarter, works out each commitment's status, every
rectification item's and notice item's state and the yearly aggregates, as of one
date. Pages are plain functions of the ``Board`` it returns: a view that needs a
figure the rules make reads it here, it never computes it again.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import pandas as pd

from generator.buildcache import keeping_in_memory
from generator.model.dataset import Dataset
from generator.model.schema import Interview, QuarterInfo
from generator.ranking.commitments import CommitmentStatus, commitment_status
from generator.ranking.followup import ItemState, NoticeState, item_states, notice_states
from generator.ranking.lists import Groups, Results, cards, category_averages, rank_all, yearly
from generator.ranking.problems import ProblemRow, problem_rows
from generator.ranking.scoring import ScoreCard


@dataclass(frozen=True)
class Board:
    """A board's publishable data and what the rules make of it, as of ``as_of``."""

    data: Dataset
    as_of: dt.date
    results: Results
    cards: dict[tuple[str, str], ScoreCard]  # (quarter, branch) -> how its score was made
    averages: dict[str, pd.DataFrame]  # quarter -> mean net points per category and dimension
    yearly: Groups  # per branch: year, quarters, mean base, weight, weighted, adjustments
    statuses: dict[tuple[str, int], list[CommitmentStatus]]  # (member, year) -> in file order
    items: dict[str, list[ItemState]]  # interview id -> its rectification items' states
    notices: list[NoticeState]  # newest first
    problems: list[ProblemRow]  # every inspection problem, round by round (seed 004)

    @property
    def preview(self) -> bool:
        """Drafts are in (a merge request's preview): every page that shows one marks it."""
        return self.data.drafts

    def state(self, quarter: str) -> str:
        """草稿, 已确认 or 已发布: where a quarter is on its way to the notice."""
        return quarter_state(self.data.quarters[quarter])

    def statuses_of(
        self, member: str, year: int, branch: str | None = None
    ) -> list[CommitmentStatus]:
        """A member's commitments of ``year`` (only those made in ``branch``, if given:
        a member who moved has commitments in both branches)."""
        found = self.statuses.get((member, year), [])
        return found if branch is None else [s for s in found if s.row.branch == branch]

    def problems_of(self, branch: str) -> list[ProblemRow]:
        """The branch's inspection problems, in the order of ``problems``."""
        return self._problems_by_branch.get(branch, [])

    @cached_property
    def _problems_by_branch(self) -> dict[str, list[ProblemRow]]:
        # Once for all: a filter of every problem per branch page made 10,000 branches
        # quadratic (seen with py-spy in L's data stage).
        grouped: dict[str, list[ProblemRow]] = defaultdict(list)
        for row in self.problems:
            grouped[row.branch].append(row)
        return dict(grouped)

    def year_statuses(self, year: int) -> dict[str, list[CommitmentStatus]]:
        """Every member's statuses for ``year`` (members without commitments left out)."""
        return {m: s for (m, y), s in self.statuses.items() if y == year}

    @property
    def open_items(self) -> list[ItemState]:
        """Every rectification item not yet closed, oldest interview first: they carry over."""
        open_ = [s for states in self.items.values() for s in states if s.item.status != "已完成"]
        return sorted(open_, key=lambda s: (s.interview.quarter, s.interview.id, s.item.deadline))

    def interviews_in(self, quarter: str) -> list[Interview]:
        return [iv for iv in self.data.interviews.values() if iv.quarter == quarter]

    def rechecks_in(self, quarter: str) -> list[Interview]:
        """Interviews whose 回头看 happened in ``quarter``."""
        return [
            iv
            for iv in self.data.interviews.values()
            if iv.recheck and iv.recheck.quarter == quarter
        ]


DRAFT_MARK = "草稿·未发布"


def quarter_state(info: QuarterInfo) -> str:
    if info.published is not None:
        return "已发布"
    return "已确认" if info.confirmed is not None else "草稿"


def derive(data: Dataset, as_of: dt.date) -> Board:
    """Apply every rule to ``data`` once; the result is read by every page."""
    if not data.public:
        # Internal fields must be removed before anything is derived for pages:
        # see generator/model/policy.py.
        raise ValueError("derive needs publishable(dataset), not the raw dataset")
    data.build_indexes()
    ranking = _ranking(data)
    return Board(
        data=data,
        as_of=as_of,
        results=ranking.results,
        cards=ranking.cards,
        averages=ranking.averages,
        yearly=ranking.yearly,
        statuses=_statuses(data, as_of),
        items={iv.id: item_states(iv, as_of) for iv in data.interviews.values()},
        notices=notice_states(data, as_of),
        problems=problem_rows(data),
    )


@dataclass(frozen=True)
class _Ranking:
    """What the rules make of the assessments: read only, never changed by pages."""

    inputs: tuple[Any, ...]  # the records it was made from
    cards: dict[tuple[str, str], ScoreCard]
    results: Results
    averages: dict[str, pd.DataFrame]
    yearly: Groups


def _ranking(data: Dataset) -> _Ranking:
    """Every quarter ranked, from the assessments, organizations (their categories),
    rules and quarters alone. Under `mkdocs serve`, when all of these are the very same
    objects as in the last derive (an edit of a commitment or a member changes none of
    them), the last ranking is used again."""
    inputs = tuple(
        rec.value
        for name in ("assessment", "organization", "rules", "quarter")
        for rec in data.records.of(name).values()
    )
    keep = keeping_in_memory()
    last = _LAST_RANKING[0] if _LAST_RANKING and keep else None
    if last is not None and last.inputs == inputs:  # element by element, identity first
        return last
    scored = cards(data)
    results = rank_all(data, scored)
    ranking = _Ranking(
        inputs,
        scored,
        results,
        {q: category_averages(results, q) for q in data.quarter_ids},
        Groups(yearly(results, data), "branch"),
    )
    if keep:
        _LAST_RANKING[:] = [ranking]
    return ranking


_LAST_RANKING: list[_Ranking] = []


def _statuses(data: Dataset, as_of: dt.date) -> dict[tuple[str, int], list[CommitmentStatus]]:
    policy = data.site.policy
    out: dict[tuple[str, int], list[CommitmentStatus]] = defaultdict(list)
    reuse = keeping_in_memory()
    made: dict[int, tuple[tuple[Any, ...], CommitmentStatus]] = {}
    for row in data.commitments:
        stint = data.stint(row.commitment.member, row.branch)
        member = stint.member if stint else None
        rounds = data.rounds.get((row.branch, row.year), [])
        if not reuse:
            out[(row.commitment.member, row.year)].append(
                commitment_status(row, as_of, policy, rounds, member)
            )
            continue
        inputs = (row.commitment, row.year, row.branch, as_of, policy, member, *rounds)
        kept = _LAST_STATUSES.get(id(row.commitment))
        if kept is not None and kept[0] == inputs:  # element by element, identity first
            status = kept[1]
        else:
            status = commitment_status(row, as_of, policy, rounds, member)
        made[id(row.commitment)] = (inputs, status)
        out[(row.commitment.member, row.year)].append(status)
    if reuse:
        _LAST_STATUSES.clear()
        _LAST_STATUSES.update(made)
    return dict(out)


# Under `mkdocs serve` (``keeping_in_memory``), the last derive's statuses, by the
# commitment they are of, with what each was worked out from. An unchanged file's
# records are the very same objects after an edit (``loading.py`` keeps them by the
# file's bytes): a status whose inputs are the same (the same objects, or equal ones:
# records are frozen values) is the same, and is not worked out again. Holding the
# inputs keeps the ids used as keys unique.
_LAST_STATUSES: dict[int, tuple[tuple[Any, ...], CommitmentStatus]] = {}
