"""The red/blue list on hand-computed cases, and golden results for the sample data."""

from __future__ import annotations

import datetime as dt
import json
import math
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from pydantic import BaseModel

from generator.model import Dataset, load_dataset
from generator.model import schema as s
from generator.model.loading import records_from_files
from generator.ranking.lists import Groups, Results, rank_all, yearly
from generator.render.exports import results_json
from generator.render.quarters import movement_text, reason_text
from generator.text import number
from tests.conftest import ROOT, board_of

GOLDEN = Path(__file__).parent / "golden"
DEFAULT_LISTS = {
    "Ⅰ": {"red": {"top": 1, "adjustment": 1.5}, "blue": {"bottom": 1, "adjustment": -1.5}},
    "Ⅱ": {"red": {"top": 1, "adjustment": 1.5}, "blue": {"bottom": 1, "adjustment": -1.5}},
    "Ⅲ": {"blue": {"below": 98, "adjustment": -0.5}},
}


def rules(
    rid: str, since: str, lists: dict[str, object] | None = None, weight: str = "0.3"
) -> s.Rules:
    return s.Rules.model_validate(
        {
            "id": rid, "title": rid, "effective_from": since, "ties": "并列",
            "yearly_weight": Decimal(weight),
            "dimensions": [{"name": "综合", "max": {"Ⅰ": 100, "Ⅱ": 100, "Ⅲ": 100}}],
            "categories": lists or DEFAULT_LISTS,
        }
    )  # fmt: skip


def dataset(
    scores: dict[str, dict[str, tuple[str, float | str]]], *extra_rules: s.Rules
) -> Dataset:
    """``{quarter: {branch: (category, base score)}}`` as a minimal dataset."""
    spans: dict[str, list[s.CategorySpan]] = {}
    assessments = {}
    for quarter, branches in sorted(scores.items()):
        for branch, (category, base) in branches.items():
            history = spans.setdefault(branch, [])
            if not history or history[-1].category != category:
                history.append(
                    s.CategorySpan.model_validate({"from": quarter, "category": category})
                )
            lost = Decimal(100) - Decimal(str(base))  # every point lost is a deduction
            assessments[(quarter, branch)] = s.Assessment(
                branch=branch, quarter=quarter, inspected_on=dt.date(2026, 1, 1),
                inspection_group="一组",
                deductions=[s.Deduction(dimension="综合", points=lost, reason="检查发现的问题")]
                if lost else [],
            )  # fmt: skip
    orgs = {
        b: s.Organization(
            id=b, name=f"{b}支部", kind="党支部", parent="dw", categories=c, unit_type="本部"
        )
        for b, c in spans.items()
    }
    site = s.SiteConfig.model_validate(
        {"company": "测试", "committee": "dw", "disclosure": {"office": "党建部", "contact": "305"}}
    )
    quarters = {
        q: s.QuarterInfo(
            quarter=q, inspection_start=dt.date(2026, 1, 1), inspection_end=dt.date(2026, 1, 2)
        )
        for q in scores
    }
    files: dict[str, BaseModel] = {"site.yaml": site}
    files |= {f"organizations/{b}.yaml": org for b, org in orgs.items()}
    files |= {f"assessments/{q}/_quarter.yaml": info for q, info in quarters.items()}
    files |= {f"assessments/{q}/{b}.yaml": a for (q, b), a in assessments.items()}
    files |= {f"rules/{r.id}.yaml": r for r in [rules("v1", min(scores)), *extra_rules]}
    return Dataset(records_from_files(files))


def lists(results: Results, quarter: str) -> dict[str, tuple[int, str, float]]:
    table = results.quarter(quarter)
    return {
        str(r["branch"]): (int(r["rank"]), str(r["list"]), float(r["adjustment"]))
        for _, r in table.iterrows()
    }


CASES = [
    (
        "seed 004 defaults: first red +1.5, last blue -1.5",
        {"2026Q1": {"a": ("Ⅰ", 99), "b": ("Ⅰ", 98), "c": ("Ⅰ", 97)}},
        {"a": (1, "red", 1.5), "b": (2, "", 0.0), "c": (3, "blue", -1.5)},
    ),
    (
        "tie at the top: both share rank 1 and both are red",
        {"2026Q1": {"a": ("Ⅰ", 99), "b": ("Ⅰ", 99), "c": ("Ⅰ", 97)}},
        {"a": (1, "red", 1.5), "b": (1, "red", 1.5), "c": (3, "blue", -1.5)},
    ),
    (
        "tie at the blue line: both share the last place and both are blue",
        {"2026Q1": {"a": ("Ⅱ", 99), "b": ("Ⅱ", 97), "c": ("Ⅱ", 97)}},
        {"a": (1, "red", 1.5), "b": (2, "blue", -1.5), "c": (2, "blue", -1.5)},
    ),
    (
        "a one-branch category has no ranked list",
        {"2026Q1": {"a": ("Ⅰ", 95)}},
        {"a": (1, "", 0.0)},
    ),
    (
        "everyone tied: first and last would be the same, so no ranked list",
        {"2026Q1": {"a": ("Ⅱ", 98), "b": ("Ⅱ", 98)}},
        {"a": (1, "", 0.0), "b": (1, "", 0.0)},
    ),
    (
        "Ⅲ at exactly 98 is not blue; below 98 is, with -0.5",
        {"2026Q1": {"a": ("Ⅲ", 98), "b": ("Ⅲ", 97.5), "c": ("Ⅲ", 99)}},
        {"a": (2, "", 0.0), "b": (3, "blue", -0.5), "c": (1, "", 0.0)},
    ),
    (
        "Ⅲ has no red list and no last-place rule: all above 98 means nobody is listed",
        {"2026Q1": {"a": ("Ⅲ", 99), "b": ("Ⅲ", 98.5)}},
        {"a": (1, "", 0.0), "b": (2, "", 0.0)},
    ),
    (
        "exact decimals (a step of 0.01): 97.99 is below 98, nothing rounds it up",
        {"2026Q1": {"a": ("Ⅲ", "97.99"), "b": ("Ⅲ", "98.00")}},
        {"a": (2, "blue", -0.5), "b": (1, "", 0.0)},
    ),
    (
        "exact decimals: 99.01 is first alone, 99 does not tie it",
        {"2026Q1": {"a": ("Ⅰ", "99.01"), "b": ("Ⅰ", 99), "c": ("Ⅰ", 97)}},
        {"a": (1, "red", 1.5), "b": (2, "", 0.0), "c": (3, "blue", -1.5)},
    ),
    (
        "categories are ranked separately",
        {"2026Q1": {"a": ("Ⅰ", 96), "b": ("Ⅰ", 95), "c": ("Ⅱ", 99), "d": ("Ⅱ", 100)}},
        {
            "a": (1, "red", 1.5),
            "b": (2, "blue", -1.5),
            "c": (2, "blue", -1.5),
            "d": (1, "red", 1.5),
        },
    ),
]


@pytest.mark.parametrize(("scores", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_hand_computed_lists(
    scores: dict[str, dict[str, tuple[str, float]]], expected: dict[str, tuple[int, str, float]]
) -> None:
    assert lists(rank_all(dataset(scores)), "2026Q1") == expected


def test_category_change_between_quarters_is_shown_not_compared() -> None:
    data = dataset(
        {
            "2026Q1": {"a": ("Ⅱ", 99), "b": ("Ⅱ", 97), "c": ("Ⅰ", 98), "d": ("Ⅰ", 96)},
            "2026Q2": {"a": ("Ⅰ", 97), "b": ("Ⅱ", 98), "c": ("Ⅰ", 99), "d": ("Ⅰ", 98)},
        }
    )
    results = rank_all(data)
    a = results.row("2026Q2", "a")
    assert a is not None
    assert bool(a["category_changed"]) and math.isnan(a["movement"])
    assert movement_text(a) == "类别调整（Ⅱ → Ⅰ），名次不可比"
    assert lists(results, "2026Q2")["a"] == (3, "blue", -1.5)
    d = results.row("2026Q2", "d")
    assert d is not None
    assert movement_text(d) == "→ 名次不变"
    assert float(d["delta"]) == 2.0
    assert list(results.table["prev_list"][results.table["quarter"] == "2026Q2"]) != []


def test_a_rules_change_never_re_ranks_a_past_quarter() -> None:
    scores = {"2026Q1": {"a": ("Ⅲ", 97.5)}, "2026Q2": {"a": ("Ⅲ", 97.5)}}
    before = lists(rank_all(dataset(scores)), "2026Q1")
    stricter = rules(
        "v2", "2026Q2", {**DEFAULT_LISTS, "Ⅲ": {"blue": {"below": 97, "adjustment": -1}}}
    )
    results = rank_all(dataset(scores, stricter))
    assert lists(results, "2026Q1") == before == {"a": (1, "blue", -0.5)}
    assert lists(results, "2026Q2") == {"a": (1, "", 0.0)}
    assert set(results.table["rules"]) == {"v1", "v2"}


def test_reasons_are_stated_in_the_words_of_the_rule() -> None:
    results = rank_all(dataset({"2026Q1": {"a": ("Ⅰ", 99), "b": ("Ⅰ", 97), "c": ("Ⅲ", 97.5)}}))
    reasons = {r["branch"]: reason_text(r) for _, r in results.table.iterrows()}
    assert reasons == {
        "a": "Ⅰ 类第 1 名（共 2 个），基础得分 99",
        "b": "Ⅰ 类第 2 名（共 2 个），处于本类末位，基础得分 97",
        "c": "基础得分 97.5，低于 98 分",
    }


def test_sample_results_match_golden_file(update_golden: bool) -> None:
    rendered = results_json(board_of(ROOT / "data")).decode("utf-8")
    golden = GOLDEN / "sample-results.json"
    if update_golden:
        golden.write_text(rendered, encoding="utf-8")
    assert rendered == golden.read_text(encoding="utf-8"), "run pytest --update-golden and review"


def test_sample_reproduces_seed_004_consequences() -> None:
    data = load_dataset(ROOT / "data")
    table = rank_all(data).table
    for (quarter, category), group in table.groupby(["quarter", "category"]):
        red, blue = group[group["list"] == "red"], group[group["list"] == "blue"]
        if category in {"Ⅰ", "Ⅱ"}:
            assert set(red["rank"]) == {1}, (quarter, category)
            assert set(blue["base"]) == {group["base"].min()}, (quarter, category)
            assert set(red["adjustment"]) == {1.5} and set(blue["adjustment"]) == {-1.5}
        else:
            assert red.empty
            assert set(blue["branch"]) == set(group[group["base"] < 98]["branch"])
            assert set(blue["adjustment"]) <= {-0.5}
    assert json.loads(results_json(board_of(data)))["quarters"][-1]["quarter"] == "2026Q3"


def test_yearly_aggregate_weighs_each_quarter_by_its_own_rules_and_is_exact() -> None:
    scores = {
        "2026Q1": {"a": ("Ⅰ", 97.5), "b": ("Ⅰ", 99)},
        "2026Q2": {"a": ("Ⅰ", 98.5), "b": ("Ⅰ", 96)},
        "2026Q3": {"a": ("Ⅰ", 99.5), "b": ("Ⅰ", 97)},
    }
    data = dataset(scores, rules("v2", "2026Q2", weight="0.35"))
    table = yearly(rank_all(data), data).set_index("branch")
    a = (
        Decimal("97.5") * Decimal("0.3") + (Decimal("98.5") + Decimal("99.5")) * Decimal("0.35")
    ) / 3
    assert table.loc["a", "weighted"] == a  # 33.9166…, exactly, not a binary approximation
    assert table.loc["a", "mean_base"] == Decimal("295.5") / 3
    assert table.loc["a", "weight"] is None  # two weights in one year: the page says so
    assert table.loc["b", "adjustments"] == Decimal("1.5") - Decimal("1.5") * 2


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("98.125", "98.13"),  # half up, on the exact value
        ("98.005", "98.01"),  # binary floats would give 98.0
        ("97.995", "98"),
        ("97.994", "97.99"),
        ("14.50", "14.5"),
        ("100", "100"),
        ("-1.5", "-1.5"),
        ("-0.005", "-0.01"),
        ("0.004", "0"),
    ],
)
def test_one_display_rule_half_up_to_two_decimals(value: str, shown: str) -> None:
    assert number(Decimal(value)) == shown


FRAME = pd.DataFrame(
    {
        "quarter": ["2026Q2", "2026Q1", "2026Q2", "2026Q1", "2026Q2"],
        "branch": ["b2", "b1", "b1", "b1", "b2"],
        "base": [Decimal("90.5"), Decimal("88"), Decimal("97.25"), Decimal("91"), Decimal("0")],
    },
    index=[10, 3, 7, 1, 4],
)


@pytest.mark.parametrize(
    ("by", "key"),
    [
        ("branch", "b1"),
        ("branch", "b2"),
        ("branch", "b9"),  # none: an empty frame with the columns
        ("quarter", "2026Q1"),
        (["quarter", "branch"], ("2026Q2", "b2")),
        (["quarter", "branch"], ("2026Q1", "b2")),
    ],
)
def test_a_group_is_the_frame_filtered_by_its_values(by: str | list[str], key: object) -> None:
    columns = [by] if isinstance(by, str) else by
    values = [key] if isinstance(by, str) else list(key)  # type: ignore[call-overload]
    mask = pd.Series(True, index=FRAME.index)
    for column, value in zip(columns, values, strict=True):
        mask &= FRAME[column] == value
    expected = FRAME[mask]
    got = Groups(FRAME, by).get(key)
    assert got.equals(expected) and list(got.index) == list(expected.index)
    assert list(got.columns) == list(FRAME.columns) and got["base"].dtype == object
    assert Groups(FRAME, "branch").labels() == ["b2", "b1"]  # in the order first seen
