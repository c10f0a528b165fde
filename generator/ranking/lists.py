"""The red/blue list, run the way seed 004 runs it, as pandas tables.

One row per (quarter, branch). Branches are ranked only within their category
for that quarter, under the rules version in force for that quarter, so a later
rules change never re-ranks a past quarter.

Ties (also stated on the rules page, from the rules' ``ties`` text):
- equal base scores share a rank (competition ranking: 1, 1, 3);
- a top-N or bottom-N list takes every branch whose shared rank is within N,
  so several branches tied at the red or blue line are all listed;
- a category with a single branch, or where every branch ties, has no ranked
  red or blue list (first and last would be the same branches); threshold
  rules such as "base score below 98" still apply;
- a branch caught by both a red and a blue rule is listed blue only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

import pandas as pd

from generator.model.dataset import Dataset
from generator.model.schema import CATEGORIES, ListRule, Rules
from generator.ranking.scoring import ZERO, ScoreCard, score_card

COLUMNS = [
    "quarter",
    "branch",
    "name",
    "category",
    "rules",
    "awarded",
    "deducted",
    "base",
    "extra",
]


class Groups:
    """A frame split by one or more columns; ``get`` is the same rows, in the same order,
    as filtering the frame by those values (an empty frame if none match).

    Each part is cut when first asked for: cutting all 12,000 (quarter, branch) parts of a
    large board up front was 2 s of every build, and a build whose branch pages are kept
    (``render/memo.py``) asks for almost none."""

    def __init__(self, frame: pd.DataFrame, by: str | list[str]) -> None:
        self.frame = frame
        self.empty = frame.iloc[0:0]
        self.rows: dict[Any, Any] = frame.groupby(by, sort=False).indices  # in frame order
        self.cut: dict[Any, pd.DataFrame] = {}

    def labels(self) -> list[Any]:
        """The values (or tuples of values) the frame holds, in the order first seen."""
        return list(self.rows)

    def get(self, key: Any) -> pd.DataFrame:
        part = self.cut.get(key)
        if part is None:
            rows = self.rows.get(key)
            if rows is None:
                return self.empty
            part = self.cut[key] = self.frame.take(rows)
        return part


@dataclass(frozen=True)
class Results:
    """Every quarter's ranking, plus per-dimension scores, split the ways pages ask.

    Pages ask per branch and per quarter; a filter over the whole table per branch
    would make the build quadratic in the number of branches, so the splits are made
    once, here."""

    table: pd.DataFrame  # one row per (quarter, branch), see ``rank_all``
    dimensions: pd.DataFrame  # quarter, branch, category, dimension, awarded, deducted, net
    by_quarter: Groups = field(init=False, compare=False, repr=False)
    by_branch: Groups = field(init=False, compare=False, repr=False)
    dims_by_quarter_branch: Groups = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_quarter", Groups(self.table, "quarter"))
        object.__setattr__(self, "by_branch", Groups(self.table, "branch"))
        groups = Groups(self.dimensions, ["quarter", "branch"])
        object.__setattr__(self, "dims_by_quarter_branch", groups)

    def quarter(self, quarter: str) -> pd.DataFrame:
        return self.by_quarter.get(quarter)

    def branch(self, branch: str) -> pd.DataFrame:
        return self.by_branch.get(branch)

    def base_mean(self, quarter: str, category: str) -> Decimal:
        """The mean base score of ``category``'s branches in ``quarter`` (exact)."""
        return self._base_means[(quarter, category)]

    @cached_property
    def _base_means(self) -> dict[tuple[str, str], Decimal]:
        # Once for all: every branch page draws the mean of its category in each quarter,
        # and a filter of the quarter's table per point made 10,000 branches quadratic.
        grouped = self.table.groupby(["quarter", "category"], sort=False)["base"]
        return {(str(q), str(c)): exact_mean(bases) for (q, c), bases in grouped}

    def row(self, quarter: str, branch: str) -> pd.Series | None:
        rows = self.quarter(quarter)
        rows = rows[rows["branch"] == branch]
        return None if rows.empty else rows.iloc[0]


def cards(dataset: Dataset) -> dict[tuple[str, str], ScoreCard]:
    """Every assessment's score card, under the rules and category of its quarter."""
    out = {}
    for (quarter, branch), assessment in sorted(dataset.assessments.items()):
        rules, category = dataset.rules_for(quarter), dataset.category_for(branch, quarter)
        assert rules is not None and category is not None  # the checks make sure of both
        out[(quarter, branch)] = score_card(assessment, rules, category)
    return out


def base_frame(dataset: Dataset, scored: dict[tuple[str, str], ScoreCard]) -> pd.DataFrame:
    """One row per assessment with its category, rules version and scores (exact decimals)."""
    records = []
    for (quarter, branch), card in scored.items():
        rules = dataset.rules_for(quarter)
        records.append(
            {
                "quarter": quarter,
                "branch": branch,
                "name": dataset.orgs[branch].name,
                "category": dataset.category_for(branch, quarter),
                "rules": rules.id if rules else "",
                "awarded": card.base,  # each dimension's score, summed: the base score
                "deducted": card.deducted,
                "base": card.base,
                "extra": card.extra,
            }
        )
    return pd.DataFrame.from_records(records, columns=COLUMNS)


def dimension_frame(dataset: Dataset, scored: dict[tuple[str, str], ScoreCard]) -> pd.DataFrame:
    """Long table of per-dimension points: what the category averages are made of."""
    records = [
        {
            "quarter": quarter,
            "branch": branch,
            "category": dataset.category_for(branch, quarter),
            "dimension": d.name,
            "awarded": d.maximum,
            "deducted": d.deducted,
            "net": d.score,
        }
        for (quarter, branch), card in scored.items()
        for d in card.dimensions
    ]
    columns = ["quarter", "branch", "category", "dimension", "awarded", "deducted", "net"]
    return pd.DataFrame.from_records(records, columns=columns)


def rank_all(dataset: Dataset, scored: dict[tuple[str, str], ScoreCard] | None = None) -> Results:
    """Rank every quarter under its own rules, then add change since the previous quarter
    (``scored``: the score cards, if already worked out)."""
    scored = cards(dataset) if scored is None else scored
    frame = base_frame(dataset, scored)
    rules_by_id = {r.id: r for r in dataset.rules}
    parts = [
        _rank_group(group, rules_by_id[str(group["rules"].iloc[0])])
        for _, group in frame.groupby(["quarter", "category"], sort=True)
    ]
    ranked = pd.concat(parts, ignore_index=True) if parts else _empty_ranked(frame)
    ranked = ranked.sort_values(["quarter", "category", "rank", "branch"], ignore_index=True)
    return Results(_with_changes(ranked), dimension_frame(dataset, scored))


def _empty_ranked(frame: pd.DataFrame) -> pd.DataFrame:
    extra = ["rank", "size", "list", "adjustment", "red_line", "blue_line", "yellow_line"]
    extra += ["red_rule", "blue_rule", "yellow_rule"]
    return frame.reindex(columns=[*COLUMNS, *extra])


def _rank_group(group: pd.DataFrame, rules: Rules) -> pd.DataFrame:
    """Rank one category in one quarter and decide who is red, yellow or blue."""
    out = group.copy()
    out["rank"] = out["base"].rank(method="min", ascending=False).astype(int)
    out["size"] = len(out)
    bottom_rank = out["base"].rank(method="min", ascending=True).astype(int)
    category = str(out["category"].iloc[0])
    rule = rules.categories.get(category)  # type: ignore[call-overload]
    ranked_lists_apply = out["base"].nunique() > 1  # one branch, or all tied: no first/last
    red = _members(rule.red if rule else None, out, bottom_rank, ranked_lists_apply)
    yellow = _members(rule.yellow if rule else None, out, bottom_rank, ranked_lists_apply)
    blue = _members(rule.blue if rule else None, out, bottom_rank, ranked_lists_apply)
    out["list"] = ""
    out.loc[yellow, "list"] = "yellow"
    out.loc[red, "list"] = "red"
    out.loc[blue, "list"] = "blue"  # blue wins over red and yellow
    out["adjustment"] = out["list"].map(
        {
            "red": rule.red.adjustment if rule and rule.red else ZERO,
            "yellow": rule.yellow.adjustment if rule and rule.yellow else ZERO,
            "blue": rule.blue.adjustment if rule and rule.blue else ZERO,
            "": ZERO,
        }
    )
    for colour in ("red", "blue", "yellow"):
        out[f"{colour}_rule"] = _kind(getattr(rule, colour) if rule else None)
    for colour in ("red", "blue", "yellow"):
        line = _line(getattr(rule, colour) if rule else None, out, ranked_lists_apply)
        out[f"{colour}_line"] = pd.Series([line] * len(out), index=out.index, dtype=object)
    return out


def _members(
    lst: ListRule | None, out: pd.DataFrame, bottom_rank: pd.Series, ranked: bool
) -> pd.Series:
    if lst is None:
        return pd.Series(False, index=out.index)
    if lst.below is not None:
        return out["base"] < lst.below  # exact: 97.995 is below 98
    if not ranked:
        return pd.Series(False, index=out.index)
    if lst.top is not None:
        return out["rank"] <= lst.top
    return bottom_rank <= (lst.bottom or 0)


def _kind(lst: ListRule | None) -> str:
    if lst is None:
        return ""
    return "top" if lst.top is not None else "bottom" if lst.bottom is not None else "below"


def _line(lst: ListRule | None, out: pd.DataFrame, ranked: bool) -> Decimal | None:
    """The base score that marks a list: the N-th best/worst score, or the threshold."""
    if lst is None:
        return None
    if lst.below is not None:
        return lst.below
    if not ranked:
        return None
    scores = sorted(out["base"], reverse=lst.top is not None)
    n = lst.top if lst.top is not None else (lst.bottom or 1)
    line: Decimal = scores[min(n, len(scores)) - 1]
    return line


def _with_changes(ranked: pd.DataFrame) -> pd.DataFrame:
    """Score delta, rank movement and list changes against the branch's previous quarter."""
    ranked = ranked.sort_values(["branch", "quarter"], ignore_index=True)
    previous = ranked.groupby("branch")[["quarter", "base", "rank", "category", "list"]].shift(1)
    ranked["prev_quarter"] = previous["quarter"]
    ranked["prev_category"] = previous["category"]
    ranked["prev_list"] = previous["list"]
    ranked["delta"] = ranked["base"] - previous["base"]
    same_category = previous["category"] == ranked["category"]
    # A rank is only comparable within one category: after a category change, no movement.
    ranked["movement"] = (previous["rank"] - ranked["rank"]).where(same_category)
    ranked["category_changed"] = previous["category"].notna() & ~same_category
    return ranked.sort_values(["quarter", "category", "rank", "branch"], ignore_index=True)


def category_averages(results: Results, quarter: str) -> pd.DataFrame:
    """Mean net points per dimension and category for one quarter (exact: a Decimal)."""
    dims = results.dimensions[results.dimensions["quarter"] == quarter]
    return dims.groupby(["category", "dimension"], sort=False)["net"].agg(exact_mean).reset_index()


def exact_mean(values: pd.Series) -> Decimal:
    total: Decimal = sum(values, ZERO)
    return total / len(values)


def yearly(results: Results, dataset: Dataset) -> pd.DataFrame:
    """Per branch and year: mean quarterly base score and what it counts toward the year.

    Each quarter counts with the weight of the rules version that scored it: the year's
    value is the sum of base × weight over its quarters, divided by their number. The
    ``weight`` column is that weight when the year had one, else None (varied)."""
    weights = {r.id: r.yearly_weight for r in dataset.rules}
    table = results.table.assign(
        year=results.table["quarter"].str[:4].astype(int),
        weight=results.table["rules"].map(weights),
    )
    table["counted"] = table["base"] * table["weight"]
    grouped = table.groupby(["year", "branch"], as_index=False).agg(
        quarters=("quarter", "count"), mean_base=("base", exact_mean),
        adjustments=("adjustment", exact_sum), counted=("counted", exact_sum),
        weights=("weight", "nunique"), weight=("weight", "first"),
    )  # fmt: skip
    grouped["weight"] = grouped["weight"].where(grouped["weights"] == 1, None)
    grouped["weighted"] = [
        c / n for c, n in zip(grouped["counted"], grouped["quarters"], strict=True)
    ]
    return grouped.drop(columns=["counted", "weights"])


def exact_sum(values: pd.Series) -> Decimal:
    total: Decimal = sum(values, ZERO)
    return total


__all__ = ["CATEGORIES", "Results", "category_averages", "rank_all", "yearly"]
