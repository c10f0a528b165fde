"""An independent recomputation of every published quarter and year of the sample.

Nothing from ``generator`` is used to compute: the YAML is read with PyYAML (numbers
as exact decimals), seed 004's rules are applied as the rules page states them, and
the result is compared with what the board publishes (``exports/results.json``, read
back with exact decimals) and with the yearly aggregate the branch pages show. If the
ranking code and this file ever disagree, one of them misreads the rules.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT, board_of

DATA = ROOT / "data"


class ExactLoader(yaml.SafeLoader):
    """Plain PyYAML, except that ``97.5`` is the decimal 97.5 and not a binary float."""


ExactLoader.add_constructor(
    "tag:yaml.org,2002:float",
    lambda loader, node: Decimal(loader.construct_scalar(node).replace("_", "")),  # type: ignore[arg-type]
)


def read(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=ExactLoader)


@dataclass
class Row:
    branch: str
    category: str
    base: Decimal
    rank: int = 0
    listed: str | None = None
    adjustment: Decimal = Decimal(0)


def rules_for(quarter: str, rules: list[dict[str, Any]]) -> dict[str, Any]:
    return max(
        (r for r in rules if r["effective_from"] <= quarter), key=lambda r: r["effective_from"]
    )


def category_of(org: dict[str, Any], quarter: str) -> str | None:
    spans = [s for s in org.get("categories", []) if s["from"] <= quarter]
    return max(spans, key=lambda s: s["from"])["category"] if spans else None


def base_score(assessment: dict[str, Any], rules: dict[str, Any], category: str) -> Decimal:
    """满分 100 minus every deduction; written scores, where given, must say the same."""
    full = sum((d["max"][category] for d in rules["dimensions"]), Decimal(0))
    lost = sum((Decimal(d["points"]) for d in assessment.get("deductions", [])), Decimal(0))
    if "scores" in assessment:
        assert sum(Decimal(v) for v in assessment["scores"].values()) == full - lost
    return full - lost


def decide(rows: list[Row], rule: dict[str, Any] | None) -> None:
    """Competition ranking (1, 1, 3); top/bottom lists take everyone tied at the line and
    do not apply when all are tied (or alone); 'below' always applies; blue wins."""
    scores = sorted((r.base for r in rows), reverse=True)
    for r in rows:
        r.rank = 1 + sum(s > r.base for s in scores)
    ranked = len(set(scores)) > 1
    for colour in ("yellow", "red", "blue"):  # later colours win
        lst = (rule or {}).get(colour)
        if not lst:
            continue
        for r in rows:
            if "below" in lst:
                hit = r.base < Decimal(lst["below"])
            elif not ranked:
                hit = False
            elif "top" in lst:
                hit = r.rank <= lst["top"]
            else:
                hit = 1 + sum(s < r.base for s in scores) <= lst["bottom"]
            if hit:
                r.listed, r.adjustment = colour, Decimal(lst["adjustment"])


def recompute() -> dict[str, dict[str, Row]]:
    rules = [read(p) for p in sorted((DATA / "rules").glob("*.yaml"))]
    orgs = {p.stem: read(p) for p in (DATA / "organizations").glob("*.yaml")}
    out: dict[str, dict[str, Row]] = {}
    for folder in sorted((DATA / "assessments").iterdir()):
        info = read(folder / "_quarter.yaml")
        if not info.get("published"):
            continue  # a draft or a confirmed quarter is not public
        quarter, version = str(info["quarter"]), rules_for(str(info["quarter"]), rules)
        groups: dict[str, list[Row]] = defaultdict(list)
        for path in sorted(folder.glob("b*.yaml")):
            a = read(path)
            category = category_of(orgs[a["branch"]], quarter)
            assert category is not None
            groups[category].append(Row(a["branch"], category, base_score(a, version, category)))
        for category, rows in groups.items():
            decide(rows, version["categories"].get(category))
        out[quarter] = {r.branch: r for rows in groups.values() for r in rows}
    return out


@pytest.fixture(scope="module")
def expected() -> dict[str, dict[str, Row]]:
    return recompute()


@pytest.fixture(scope="module")
def published() -> dict[str, Any]:
    from generator.render.exports import results_json

    text = results_json(board_of(DATA)).decode("utf-8")
    loaded: dict[str, Any] = json.loads(text, parse_float=Decimal)
    return loaded


def test_every_published_quarter_is_recomputed(
    expected: dict[str, dict[str, Row]], published: dict[str, Any]
) -> None:
    shown = [q["quarter"] for q in published["quarters"]]
    assert shown == sorted(expected) and len(shown) >= 6


def test_bases_ranks_lists_and_adjustments_agree(
    expected: dict[str, dict[str, Row]], published: dict[str, Any]
) -> None:
    for quarter in published["quarters"]:
        mine = expected[quarter["quarter"]]
        theirs = {r["branch"]: r for r in quarter["results"]}
        assert set(theirs) == set(mine), quarter["quarter"]
        for branch, row in mine.items():
            got = theirs[branch]
            assert (got["category"], Decimal(got["base"]), got["rank"]) == (
                row.category, row.base, row.rank,
            ), (quarter["quarter"], branch)  # fmt: skip
            assert (got["list"], Decimal(got["adjustment"])) == (row.listed, row.adjustment), (
                quarter["quarter"],
                branch,
            )


def test_the_sample_has_lists_of_every_kind(expected: dict[str, dict[str, Row]]) -> None:
    """Otherwise the comparison above would prove little."""
    listed = {(r.category, r.listed) for rows in expected.values() for r in rows.values()}
    assert {("Ⅰ", "red"), ("Ⅰ", "blue"), ("Ⅱ", "red"), ("Ⅱ", "blue"), ("Ⅲ", "blue")} <= listed
    ties = [
        q for q, rows in expected.items()
        if len({r.base for r in rows.values()}) < len(rows)
    ]  # fmt: skip
    assert ties, "the sample should hold tied base scores"


def test_yearly_aggregate_agrees_to_the_last_digit(expected: dict[str, dict[str, Row]]) -> None:
    """Per branch and year: Σ(base × the weight of the version that scored that quarter)
    ÷ number of quarters, exactly."""
    rules = [read(p) for p in sorted((DATA / "rules").glob("*.yaml"))]
    mine: dict[tuple[int, str], list[Decimal]] = defaultdict(list)
    for quarter, rows in expected.items():
        weight = Decimal(rules_for(quarter, rules)["yearly_weight"])
        for branch, row in rows.items():
            mine[(int(quarter[:4]), branch)].append(row.base * weight)
    board = board_of(DATA)
    theirs = {
        (int(r["year"]), str(r["branch"])): r["weighted"]
        for branch in {b for _, b in mine}
        for r in board.yearly.get(branch).to_dict("records")
    }
    assert set(theirs) == set(mine)
    for key, counted in mine.items():
        assert theirs[key] == sum(counted, Decimal(0)) / len(counted), key
