"""``board demo``: the committed sample is what it writes, its interviews follow the
ranking's blue lists, members come and go and branches check commitments in rounds,
the seeds' remaining practices (三比三看, 星级党支部, problem types and 销号, 指标红榜)
look like the seeds, and the same shape always writes the same bytes."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from generator.demo import DemoShape, pools, write_demo
from generator.demo.rules import demo_rules
from generator.demo.shape import LAST_QUARTER, TODAY
from generator.model import Dataset, load_dataset
from generator.model import schema as s
from generator.ranking.lists import rank_all
from generator.ranking.problems import by_branch, by_type, problem_rows
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
    reason="按新的数据要求：定期督诺改为按支部一轮一轮记录，并补记本年度调离、退休的党员",
    approver="公司党委",
    summary=(
        "各承诺逐条记录的定期督诺改为各党支部每一轮督诺的记录（见各支部承诺页的“定期督诺记录”），"
        "督诺时党员外出的，补记其返岗后的督诺；"
        "补记本年度离开支部的党员（退休、调离、去世等），删去其离开之后的步骤记录，承诺随之结束；"
        "调入和新转入的党员在本支部作出本年度承诺。"
        "其余承诺的内容和步骤记录不变，季度考核、红蓝榜等评价结果均不变"
    ),
)


# And every published quarter's, when each problem of its list was given its type
# (site.yaml policy.problem_types); their measures and 销号 dates are follow-up, which
# needs no correction.
TYPED = s.Correction(
    date=dt.date(2026, 12, 2),
    reason="按新的数据要求补记问题清单中每个问题的类型（类型的统计见“问题整改分析”页）",
    approver="公司党委",
    summary="只补记问题类型，扣分、得分、名次、红蓝榜和月度绩效调整均不变",
)
QUARTER_MENDING = (MENDED, TYPED)


def without_mending(value: object) -> object:
    if isinstance(value, s.QuarterInfo) and set(QUARTER_MENDING) & set(value.corrections):
        return value.model_copy(
            update={"corrections": [c for c in value.corrections if c not in QUARTER_MENDING]}
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
    assert len(overdue) / len(public) < 0.10  # well under 15% (about 6% as written)
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
    """Deductions and interview measures are looked up by the rules' dimensions; teams,
    problems solved and indicators by line of work; measures by problem type."""
    for rules in demo_rules(["2024Q4", "2025Q3"]):
        dimensions = {d.name for d in rules.dimensions}
        assert set(pools.assessments().reasons) == dimensions
        assert set(pools.followup().interview.measures) == dimensions
    families = {dept.family for dept in pools.company().departments}
    assert families <= set(pools.work())
    # Every line of work has its teams, its kind of problems solved and its indicators.
    assert families <= set(pools.stars().teams) & set(pools.comparisons().fixes)
    assert families <= set(pools.indicators().sets)
    # Every reason and notice topic names a problem type of the list; every criterion
    # has its reasons for being missed.
    types = set(pools.problems().types)
    reasons = pools.assessments().reasons.values()
    assert {t for by_reason in reasons for t in by_reason.values()} == types
    topics = [t for kind in pools.followup().notices.values() for t in kind.topics]
    assert {t.type for t in topics} <= types
    criteria = set(s.DEFAULT_STAR_CRITERIA)
    assert set(pools.stars().unmet) == set(pools.stars().against) == criteria
    assert {t for ts in pools.stars().against.values() for t in ts} <= types


# ------------------------------------------------- the seeds' remaining practices


@pytest.fixture(scope="module")
def sample() -> Dataset:
    return load_dataset(ROOT / "data")


def test_every_branch_of_the_sample_compared_its_members_at_year_end(sample: Dataset) -> None:
    """三比三看 of 2025 in every branch, for everyone in it that year: mostly 合格, about
    a fifth 优秀, whose colleagues were more satisfied and who solved more problems."""
    year = TODAY.year - 1
    branches = {o.id for o in sample.branches}
    assert {b for (b, y) in sample.comparisons if y == year} == branches
    compared = [c for (_, y), f in sample.comparisons.items() if y == year for c in f.members]
    results = Counter(c.result for c in compared)
    assert len(results) >= 3 and results.most_common(1)[0][0] == "合格"
    assert 0.15 <= results["优秀"] / len(compared) <= 0.25
    assert 0 < results["基本合格"] + results["不合格"] <= len(compared) * 0.05

    def mean(values: list[Decimal] | list[int]) -> Decimal:
        return Decimal(sum(values)) / len(values)

    by = {r: [c for c in compared if c.result == r] for r in ("优秀", "合格")}
    assert mean([c.satisfaction for c in by["优秀"]]) > mean([c.satisfaction for c in by["合格"]])
    solved = {r: mean([c.problems_solved for c in cs]) for r, cs in by.items()}
    assert solved["优秀"] > solved["合格"]
    in_range = [c for c in compared if 85 <= c.satisfaction <= 99]
    assert len(in_range) / len(compared) > 0.9
    assert any(c.satisfaction != c.satisfaction.to_integral_value() for c in compared)


def test_every_branch_of_the_sample_has_stars_its_teams_allow(sample: Dataset) -> None:
    """星级党支部 of 2025: a spread of levels, each criterion judged, and 双星联动 — a
    branch of N stars leads a team of N stars or more."""
    year = TODAY.year - 1
    ratings = {b: r for (b, y), r in sample.star_ratings.items() if y == year}
    assert set(ratings) == {o.id for o in sample.branches}
    levels = Counter(r.stars for r in ratings.values())
    assert len(levels) >= 3 and levels[5] and levels[5] < levels[3]
    criteria = sample.site.policy.star_criteria
    units = {o.id: o.unit for o in sample.branches}
    teams = [(units[b], t.team) for b, r in ratings.items() for t in r.teams]
    assert len(teams) == len(set(teams)), "no team of a department is led by two branches"
    for r in ratings.values():
        assert [c.name for c in r.criteria] == criteria
        assert max(t.stars for t in r.teams) >= r.stars
        assert all(c.note for c in r.criteria if not c.met)
    assert any(r.note for r in ratings.values()), "a branch held back by its teams"


def test_every_problem_of_the_sample_is_typed_and_followed_up(sample: Dataset) -> None:
    """Every deduction and notice item names a type of the site's list; problems are
    closed after their quarter's notice (滚动销号): the latest round mostly still open,
    the older ones mostly closed, a few not yet; some types recur in a branch."""
    as_of = dt.date(2026, 12, 1)
    types = set(sample.site.policy.problem_types)
    assert 12 <= len(types) <= 16
    items = [i for n in sample.notices.values() for i in n.items]
    assert all(i.type in types for i in items)
    rows = problem_rows(sample)
    assert rows and {r.type for r in rows} == types
    published = {q: info.published for q, info in sample.quarters.items()}
    for (quarter, _), a in sample.assessments.items():
        for d in a.deductions:
            assert d.type in types and d.measure
            when = published[quarter]
            assert d.closed_on is None or (when is not None and when < d.closed_on <= TODAY)
    latest = max(published)
    open_ = {q: [r for r in rows if r.quarter == q and not r.closed(as_of)] for q in published}
    everything = {q: [r for r in rows if r.quarter == q] for q in published}
    assert len(open_[latest]) > len(everything[latest]) / 2
    older = [r for q in published if q != latest for r in open_[q]]
    assert 0 < len(older) < sum(len(everything[q]) for q in published if q != latest) * 0.1
    recurring = [b for b in by_branch(rows, as_of) if b.recurring]
    assert recurring, "some types recur in a branch across rounds"
    # The problems page lists the types that recur (by_type): not empty.
    assert any(t.recurring for t in by_type(rows, as_of))


def test_one_unit_of_the_sample_has_13_of_16_indicators_on_the_red_list(sample: Dataset) -> None:
    """指标红榜 for every quarter and every unit with branches; in 2026Q3 one unit has
    seed 002's 13 of 16, more than any other; several are in between."""
    units = {o.unit for o in sample.branches}
    assert set(sample.indicators) == set(sample.quarters)
    for report in sample.indicators.values():
        assert {u.unit for u in report.units} == units
        assert all(8 <= len(u.indicators) <= 16 for u in report.units)
    latest = sample.indicators[LAST_QUARTER]
    shares = {u.unit: (sum(x.red for x in u.indicators), len(u.indicators)) for u in latest.units}
    top = [unit for unit, share in shares.items() if share == (13, 16)]
    assert len(top) == 1
    assert all(red / of < 13 / 16 for unit, (red, of) in shares.items() if unit not in top)
    assert sum(0.4 <= red / of <= 0.7 for red, of in shares.values()) >= 5


def test_a_small_shape_has_the_practices_too(tmp_path: Path) -> None:
    """The same sections at another shape: every branch compared and rated, every
    quarter's red list, and (its latest quarter) a unit at seed 002's share."""
    write_demo(tmp_path, SMALL)
    dataset = load_dataset(tmp_path)  # raises DataError: every check holds
    branches = {o.id for o in dataset.branches}
    assert {b for b, _ in dataset.comparisons} == branches
    assert {b for b, _ in dataset.star_ratings} == branches
    assert set(dataset.indicators) == set(dataset.quarters)
    latest = dataset.indicators[LAST_QUARTER]
    best = max(latest.units, key=lambda u: sum(x.red for x in u.indicators) / len(u.indicators))
    assert sum(x.red for x in best.indicators) == round(len(best.indicators) * 13 / 16)


@pytest.mark.parametrize(
    "shape",
    [
        DemoShape(branches=1, members=1, quarters=1),
        DemoShape(branches=2, members=5, quarters=2, seed=3),
        DemoShape(branches=40, members=900, quarters=12, seed=11),
    ],
)
def test_odd_shapes_write_valid_data(tmp_path: Path, shape: DemoShape) -> None:
    write_demo(tmp_path, shape)
    dataset = load_dataset(tmp_path)  # raises DataError on any problem
    assert len(dataset.branches) == shape.branches
    assert len(dataset.star_ratings) == shape.branches


@pytest.mark.parametrize("shape", [DemoShape(branches=0), DemoShape(branches=5, members=4)])
def test_impossible_shapes_are_refused(tmp_path: Path, shape: DemoShape) -> None:
    with pytest.raises(ValueError):
        write_demo(tmp_path, shape)
    assert not any(tmp_path.iterdir())
