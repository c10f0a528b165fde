"""``board demo``: the committed sample is what it writes, its interviews follow the
ranking's blue lists, and the same shape always writes the same bytes."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest

from generator.demo import DemoShape, pools, write_demo
from generator.demo.rules import demo_rules
from generator.model import load_dataset
from generator.model import schema as s
from generator.ranking.lists import rank_all
from tests.conftest import ROOT

SMALL = DemoShape(branches=6, members=60, quarters=3)


def files_of(root: Path) -> dict[Path, bytes]:
    return {path.relative_to(root): path.read_bytes() for path in sorted(root.rglob("*.yaml"))}


# The corrections this repository's own history needed when the sample was mended
# (every point lost given its reason, the confirmation dates added): the demo's
# company never had to make them, the committed sample did.
MENDED = s.Correction(
    date=dt.date(2026, 12, 1),
    reason="按新的数据要求补全：问题清单逐项写明每一处扣分的原因，并补记与各党支部核对确认问题清单的日期",
    approver="公司党委",
    summary="各维度得分、基础得分、名次、红蓝榜和月度绩效调整均不变",
)


def without_mending(value: object) -> object:
    if isinstance(value, s.QuarterInfo) and MENDED in value.corrections:
        return value.model_copy(
            update={"corrections": [c for c in value.corrections if c != MENDED]}
        )
    return value


def test_the_default_shape_writes_the_committed_sample(tmp_path: Path) -> None:
    """Record for record, the same values in the same files as ``data/`` (the YAML
    layout may differ: the writer's canonical one), but for the sample's own
    corrections (``MENDED``)."""
    write_demo(tmp_path, DemoShape())
    committed, written = load_dataset(ROOT / "data").records, load_dataset(tmp_path).records
    assert written.kinds() == committed.kinds()
    compared = 0
    for kind in committed.kinds():
        expected, actual = committed.of(kind), written.of(kind)
        assert sorted(actual) == sorted(expected), kind
        for key, rec in expected.items():
            assert actual[key].file == rec.file, (kind, key)
            assert actual[key].value == without_mending(rec.value), (kind, key)
            compared += 1
    assert compared == len(committed) > 3000


def test_a_small_shape_loads_and_interviews_follow_the_blue_lists(tmp_path: Path) -> None:
    write_demo(tmp_path, SMALL)
    dataset = load_dataset(tmp_path)  # raises DataError on any problem
    assert len(dataset.branches) == SMALL.branches
    assert len(dataset.members) == SMALL.members
    assert len(dataset.quarters) == SMALL.quarters
    table = rank_all(dataset).table
    blue = {
        (q, b)
        for q, b, listed in zip(table["quarter"], table["branch"], table["list"], strict=True)
        if listed == "blue"
    }
    interviewed = {(i.quarter, i.branch) for i in dataset.interviews.values()}
    assert interviewed, "the sample should show at least one interview"
    assert interviewed == blue


def test_the_same_shape_writes_the_same_bytes(tmp_path: Path) -> None:
    # Different global random states: the demo must not draw from the global generator.
    random.seed(1)
    write_demo(tmp_path / "a", SMALL)
    random.seed(2)
    write_demo(tmp_path / "b", SMALL)
    first, second = files_of(tmp_path / "a"), files_of(tmp_path / "b")
    assert first == second
    write_demo(tmp_path / "c", DemoShape(branches=6, members=60, quarters=3, seed=7))
    assert files_of(tmp_path / "c") != first, "the seed must matter"


def test_the_pools_cover_every_dimension_of_the_rules() -> None:
    """Deductions and interview measures are looked up by the rules' dimensions."""
    for rules in demo_rules(["2024Q4", "2025Q3"]):
        dimensions = {d.name for d in rules.dimensions}
        assert set(pools.assessments().reasons) == dimensions
        assert set(pools.followup().interview.measures) == dimensions
    families = {dept.family for dept in pools.company().departments}
    assert families <= set(pools.work())


@pytest.mark.parametrize("shape", [DemoShape(branches=0), DemoShape(branches=5, members=4)])
def test_impossible_shapes_are_refused(tmp_path: Path, shape: DemoShape) -> None:
    with pytest.raises(ValueError):
        write_demo(tmp_path, shape)
    assert not any(tmp_path.iterdir())
