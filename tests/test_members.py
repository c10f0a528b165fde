"""Members come and go, and 督诺 is held by branch round (issue 11).

On the tiny board: 吴德明 (m107) retired from b01 on 2026-05-31; b01 held a round on
2026-04-20. The cases move 周雨辰 (m002) from b01 to b02 and vary the rounds.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.model import load_dataset
from generator.model.dataset import CommitmentRow, Dataset
from generator.model.loading import records_from_files
from generator.model.schema import (
    Commitment,
    Member,
    MembersFile,
    Policy,
    SupervisionRound,
)
from generator.ranking.commitments import commitment_status
from generator.render import render_site
from generator.text import unwrap_fragments
from tests.conftest import ROOT, board_of, unspanned
from tests.test_bad_data import apply

MOVE = [
    (
        "members/b01-yunwei.yaml",
        "    group: b01-g1\n  - id: m107",
        "    group: b01-g1\n    left_on: 2026-06-30\n    left_reason: 调出\n"
        "    moved_to: b02-bangong\n  - id: m107",
    ),
    (
        "members/b02-bangong.yaml",
        "    role: 党委书记\n",
        "    role: 党委书记\n  - id: m002\n    name: 周雨辰\n    post: 文秘\n"
        "    joined_on: 2026-07-01\n",
    ),
    ("organizations/b01-yunwei.yaml", "leader: m002", "leader: m001"),  # a leader who left
]


def pages_of(data: Path) -> dict[str, str]:
    return {
        name: unwrap_fragments(content)
        for name, content in render_site(board_of(data)).items()
        if isinstance(content, str)
    }


def test_a_member_moved_inside_the_company_is_in_both_branches_as_of_their_dates(
    tiny: Path,
) -> None:
    apply(tiny, MOVE)
    data = load_dataset(tiny)  # valid: a chain of two entries under one id
    assert [s.branch for s in data.stints["m002"]] == ["b01-yunwei", "b02-bangong"]
    assert data.member_branch["m002"] == "b02-bangong"
    assert [m.id for m in data.members_by_branch["b01-yunwei"]] == ["m001"]
    assert [m.id for m in data.members_by_branch["b02-bangong"]] == ["m003", "m002"]
    assert len(data.current_members) == 3  # m107 retired; m002 counted once
    pages = pages_of(tiny)
    old = unspanned(pages["org/b01-yunwei.md"])
    assert "## 已离开本支部的党员（2 名）" in old
    assert "| 周雨辰 | 变电运维工 | 已调离 | 2026年6月30日 | 办公室党支部 |" in old
    assert "| 吴德明 | 变电检修工 | 已退休 | 2026年5月31日 | — |" in old
    new = pages["org/b02-bangong.md"]
    assert "## 党员（2 名）" in new and "周雨辰" in new
    # The year's cards: in b01 marked as moved (their 2026 record stays there), in b02 too.
    assert (
        '周雨辰 <span class="board-left">已调离 2026年6月30日</span>'
        in pages["commitments/2026/b01-yunwei.md"]
    )
    assert 'id="m-m002"' in pages["commitments/2026/b02-bangong.md"]
    assert "| 3 |" in pages["index.md"].split("## 概况")[1].split("\n\n")[2].splitlines()[2]


def test_a_member_who_left_keeps_their_records_and_leaves_current_lists(tiny: Path) -> None:
    pages = pages_of(tiny)
    cards = pages["commitments/2026/b01-yunwei.md"]
    assert '吴德明 <span class="board-left">已退休 2026年5月31日</span>' in cards
    assert "党员已退休（2026年5月31日），承诺随之结束" in cards
    assert "退休前带出两名能独立检修的徒弟" in cards
    members = pages["org/b01-yunwei.md"].split("## 党员（")[1].split("## ")[0]
    assert "吴德明" not in members
    # Next year he is on no card at all: he was not in the branch in 2027.
    data = load_dataset(tiny)
    assert [m.id for m in data.members_in("b01-yunwei", 2027)] == ["m001", "m002"]


PUBLIC = dt.date(2026, 1, 20)


def commitment(*, evaluated_on: dt.date | None = None) -> Commitment:
    steps: list[dict[str, object]] = [
        {"stage": "科学定诺", "date": dt.date(2026, 1, 10), "review": "审核通过"},
        {"stage": "公开承诺", "date": PUBLIC},
    ]
    if evaluated_on:
        steps.append({"stage": "履责践诺", "date": dt.date(2026, 3, 1), "evidence": "完成"})
        steps.append(
            {"stage": "民主评诺", "date": evaluated_on, "rating": "良好", "outcome": "已兑现"}
        )
    return Commitment.model_validate(
        {"id": "c1", "member": "m1", "kind": "岗位承诺", "text": "零差错", "progress": steps}
    )


def round_on(day: str, *, except_c1: bool = False) -> SupervisionRound:
    exceptions = [{"commitment": "c1", "reason": "外出培训"}] if except_c1 else []
    return SupervisionRound.model_validate(
        {"date": dt.date.fromisoformat(day), "checked_by": "支部委员会", "finding": "正常",
         "exceptions": exceptions}
    )  # fmt: skip


ROUNDS = [
    # (case, rounds, as of, overdue text, rounds that covered it)
    ("no round: due 92 days after publication", [], "2026-04-22", "", ()),
    ("no round: overdue the day after", [], "2026-04-23", "应于 2026年4月22日前督诺", ()),
    ("a round covers it", ["2026-04-20"], "2026-07-21", "", ("2026-04-20",)),
    ("92 days after the round", ["2026-04-20"], "2026-07-22", "应于 2026年7月21日前", ("2026-04-20",)),
    ("an exception does not cover it", ["2026-04-20!"], "2026-05-01", "应于 2026年4月22日前", ()),
    ("a round before it was public does not", ["2026-01-15"], "2026-04-23", "应于 2026年4月22日", ()),
    ("a round after the as-of day does not count", ["2026-04-20"], "2026-04-19", "", ()),
    ("the latest of several rounds", ["2026-04-20", "2026-07-15"], "2026-10-15", "", ("2026-04-20", "2026-07-15")),
]  # fmt: skip


@pytest.mark.parametrize(
    ("rounds", "as_of", "overdue", "covered"), [c[1:] for c in ROUNDS], ids=[c[0] for c in ROUNDS]
)
def test_a_branch_round_covers_every_open_commitment_but_its_exceptions(
    rounds: list[str], as_of: str, overdue: str, covered: tuple[str, ...]
) -> None:
    made = [round_on(r.rstrip("!"), except_c1=r.endswith("!")) for r in rounds]
    row = CommitmentRow(2026, "b01", commitment())
    status = commitment_status(row, dt.date.fromisoformat(as_of), Policy(), made)
    assert (overdue in status.overdue) and bool(status.overdue) == bool(overdue)
    assert status.rounds == tuple(dt.date.fromisoformat(d) for d in covered)


def test_a_round_after_the_evaluation_does_not_cover_it_and_nothing_is_overdue() -> None:
    row = CommitmentRow(2026, "b01", commitment(evaluated_on=dt.date(2026, 6, 1)))
    status = commitment_status(row, dt.date(2026, 12, 1), Policy(), [round_on("2026-07-15")])
    assert status.rounds == () and status.overdue == "" and status.evaluated


def test_a_commitment_ends_when_its_member_leaves_not_before() -> None:
    row = CommitmentRow(2026, "b01", commitment())
    member = Member.model_validate(
        {"id": "m1", "name": "甲", "post": "工", "left_on": dt.date(2026, 6, 30),
         "left_reason": "调出", "moved_to": "b02"}
    )  # fmt: skip
    before = commitment_status(row, dt.date(2026, 6, 29), Policy(), [], member)
    after = commitment_status(row, dt.date(2026, 12, 1), Policy(), [], member)
    assert before.closed == "" and before.overdue  # still theirs, and late
    assert after.closed == "党员已调离（2026年6月30日），承诺随之结束" and after.overdue == ""


def test_the_branch_page_lists_every_round(tiny: Path) -> None:
    page = pages_of(tiny)["commitments/2026/b01-yunwei.md"]
    assert "### 2026年4月20日督诺 { #round-2026-04-20 }" in page
    assert "督诺人：支部委员会。全体党员承诺按计划推进" in page
    assert "| 吴德明 | 退休前带出两名能独立检修的徒弟 | 第二名徒弟的上岗考核" in page
    rollup = pages_of(tiny)["commitments/2026.md"]
    assert "<td>2026年4月20日</td>" in rollup and "本年度未督诺" in rollup  # b02 held none


def test_records_that_give_the_same_fields_share_one_set_of_their_names() -> None:
    # 900,000 records on a 1,000-branch board: one set each was 300 MB (schema.Record).
    members = [rec.value for rec in load_dataset(ROOT / "data").records.of("member").values()]
    same = [m for m in members if m.model_fields_set == members[0].model_fields_set]
    assert len(same) > 1
    assert all(m.__pydantic_fields_set__ is same[0].__pydantic_fields_set__ for m in same)
    before = set(same[0].model_fields_set)
    changed = same[0].model_copy(update={"left_reason": "转出"})
    assert "left_reason" in changed.model_fields_set
    assert same[1].model_fields_set == before  # the shared set was copied, not changed


@pytest.mark.parametrize(
    ("member", "branch", "expected"),
    [
        ("m1", "b01", dt.date(2026, 3, 31)),  # their time in the branch they left
        ("m1", "b02", None),  # still in the branch they moved to
        ("m2", "b02", None),
        ("m2", "b01", "none"),  # never there
        ("m9", "b01", "none"),  # no such member
    ],
)
def test_a_members_stint_in_a_branch_is_their_time_there(
    member: str, branch: str, expected: dt.date | str | None
) -> None:
    def members(branch: str, *people: Member) -> MembersFile:
        return MembersFile(branch=branch, members=list(people))

    moved = {"left_on": dt.date(2026, 3, 31), "left_reason": "调出", "moved_to": "b02"}
    data = Dataset(
        records_from_files(
            {
                "members/b01.yaml": members(
                    "b01", Member(id="m1", name="甲", post="员工", **moved)
                ),
                "members/b02.yaml": members(
                    "b02",
                    Member(id="m1", name="甲", post="员工", joined_on=dt.date(2026, 4, 1)),
                    Member(id="m2", name="乙", post="员工"),
                ),
            }
        )
    )
    stint = data.stint(member, branch)
    if expected == "none":
        assert stint is None
    else:
        assert stint is not None and (stint.branch, stint.member.left_on) == (branch, expected)
