"""``board demo``: the committed sample is what it writes, its interviews follow the
ranking's blue lists, members come and go and branches check commitments in rounds,
and the same shape always writes the same bytes."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest

from generator.demo import DemoShape, pools, write_demo
from generator.demo.rules import demo_rules
from generator.demo.shape import TODAY
from generator.model import load_dataset
from generator.model import schema as s
from generator.ranking.lists import rank_all
from tests.conftest import ROOT, board_of

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


# The same for the published 2026 commitments: their 定期督诺 entries became the
# branches' rounds (supervision/) and the year's comings and goings were recorded.
YEAR_MENDED = s.Correction(
    date=dt.date(2026, 12, 1),
    reason="按新的数据要求：定期督诺改为按支部一轮一轮记录（supervision/），并补记本年度调离、退休的党员",
    approver="公司党委",
    summary=(
        "各承诺逐条记录的定期督诺改为各党支部每一轮督诺的记录（supervision/），"
        "督诺时党员外出的，补记其返岗后的督诺；"
        "补记本年度离开支部的党员（退休、调离、去世等），删去其离开之后的步骤记录，承诺随之结束；"
        "调入和新转入的党员在本支部作出本年度承诺。"
        "其余承诺的内容和步骤记录不变，季度考核、红蓝榜等评价结果均不变"
    ),
)


def without_mending(value: object) -> object:
    if isinstance(value, s.QuarterInfo) and MENDED in value.corrections:
        return value.model_copy(
            update={"corrections": [c for c in value.corrections if c != MENDED]}
        )
    if isinstance(value, s.CommitmentYear) and YEAR_MENDED in value.corrections:
        return value.model_copy(
            update={"corrections": [c for c in value.corrections if c != YEAR_MENDED]}
        )
    return value


def test_the_default_shape_writes_the_committed_sample(tmp_path: Path) -> None:
    """Record for record, the same values in the same files as ``data/`` (the YAML
    layout may differ: the writer's canonical one), but for the sample's own
    corrections (``MENDED``, ``YEAR_MENDED``)."""
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
    assert len(dataset.current_members) == SMALL.members  # as many joined as left
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


def test_members_come_and_go_and_branches_check_in_rounds(tmp_path: Path) -> None:
    """The current year has members who left (one moved, under the same id, to a
    branch where they pledge again) and who joined; every branch holds 督诺 rounds,
    and the year's commitments keep a 定期督诺 of their own only as a make-up check
    after a round passed their member over."""
    write_demo(tmp_path, SMALL)
    dataset = load_dataset(tmp_path)  # raises DataError: every record within its dates
    entries = [rec.value for rec in dataset.records.of("member").values()]
    left = [m for m in entries if m.left_on is not None]
    assert left and all(m.left_on.year == TODAY.year for m in left)
    assert {m.left_reason for m in left} >= {"退休", "调出"}
    moved = [m for m in left if m.moved_to]
    for m in moved:
        there = dataset.stint(m.id, m.moved_to or "")
        assert there and there.member.joined_on and there.member.joined_on >= m.left_on
        assert there.member.name == m.name
    newcomers = [m for m in entries if m.joined_on and len(dataset.stints[m.id]) == 1]
    assert len(newcomers) == len(left) - len(moved)
    leading = {o.secretary for o in dataset.orgs.values()}
    leading |= {g.leader for o in dataset.orgs.values() for g in o.groups}
    assert not leading & {m.id for m in left}
    branches = {b for (b, year) in dataset.rounds if year == TODAY.year}
    assert branches == {o.id for o in dataset.orgs.values() if o.kind == "党支部"}
    rounds = [r for (_, year), rs in dataset.rounds.items() if year == TODAY.year for r in rs]
    excepted = {x.commitment for r in rounds for x in r.exceptions}
    assert any(r.findings for r in rounds)
    for row in dataset.commitments:
        own = [r for r in row.commitment.progress if r.stage == "定期督诺"]
        if row.year == TODAY.year and own:
            assert row.commitment.id in excepted


def test_few_commitments_of_the_sample_are_overdue() -> None:
    """As of 2026-12-01 most branches have held their October round: only the few
    late ones (and members a round passed over) leave commitments 督诺逾期. Those
    who left end theirs; most who moved pledge again in their new branch."""
    board = board_of(ROOT / "data", dt.date(2026, 12, 1))
    public = [
        status
        for (_, year), statuses in board.statuses.items()
        if year == TODAY.year
        for status in statuses
        if status.row.approved
    ]
    overdue = [status for status in public if status.overdue]
    assert overdue, "the sample should show some overdue commitments"
    assert len(overdue) / len(public) < 0.15
    assert any(status.closed for status in public), "and commitments ended by leaving"
    pledged = {(row.branch, row.commitment.member) for row in board.data.commitments}
    moved = [m for m in board.data.records.values("member") if m.moved_to]
    assert any((m.moved_to, m.id) in pledged for m in moved), "some pledged again after moving"


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
