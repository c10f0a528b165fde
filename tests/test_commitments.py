"""The commitment board's rules: lifecycle gates, the 四化三可 lint, overdue checks, units."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.model import load_dataset
from generator.model.checks.commitments import quality_gaps
from generator.model.dataset import CommitmentRow
from generator.model.schema import Commitment, Policy, Unit
from generator.ranking.commitments import commitment_status, fulfilment_rate
from generator.render import commitments
from generator.render.units import unit_status
from generator.text import unwrap_fragments
from tests.conftest import ROOT, board_of
from tests.test_bad_data import apply, problems_of

FILE = "commitments/2026/b01-yunwei.yaml"
EVIDENCE = "        evidence: 上半年完成倒闸操作 160 次，无差错\n"


def evaluation(rating: str | None, outcome: str | None, reason: str | None = None) -> str:
    lines = ["      - stage: 民主评诺\n", "        date: 2026-12-20\n"]
    lines += [f"        rating: {rating}\n"] if rating else []
    lines += [f"        outcome: {outcome}\n"] if outcome else []
    lines += [f"        reason: {reason}\n"] if reason else []
    return "".join(lines)


GATES = [
    (
        "fulfilled with evidence and a rating: accepted",
        [(FILE, EVIDENCE, EVIDENCE + evaluation("良好", "已兑现"))],
        [],
    ),
    (
        "evaluated without a 践诺 record with evidence",
        [(FILE, EVIDENCE, evaluation("良好", "已兑现"))],
        [
            "data/commitments/2026/b01-yunwei.yaml:19:16: commitments[1].progress[4].stage: "
            "评诺前必须有附佐证的“履责践诺”记录（evidence）：没有践诺佐证不能评为兑现或评议"
        ],
    ),
    (
        "evaluated without a rating",
        [(FILE, EVIDENCE, EVIDENCE + evaluation(None, "已兑现"))],
        [
            "data/commitments/2026/b01-yunwei.yaml:20:9: commitments[1].progress[4].rating: "
            "“民主评诺”需写评议等次 rating：优秀、良好、一般 或 较差"
        ],
    ),
    (
        "unfulfilled without a stated reason",
        [(FILE, EVIDENCE, EVIDENCE + evaluation("一般", "未兑现"))],
        [
            "data/commitments/2026/b01-yunwei.yaml:20:9: commitments[1].progress[4].reason: "
            "未兑现的承诺必须说明原因 reason"
        ],
    ),
    (
        "unfulfilled with a reason: accepted",
        [(FILE, EVIDENCE, EVIDENCE + evaluation("一般", "未兑现", "设备改造推迟到明年"))],
        [],
    ),
    (
        "published before the branch approved it",
        [(FILE, "review: 审核通过", "review: 退回修改")],
        [
            "data/commitments/2026/b01-yunwei.yaml:15:16: commitments[1].progress[2].stage: "
            "承诺未经支部审核通过（科学定诺 review: 审核通过），不能进入后续步骤",
            "data/commitments/2026/b01-yunwei.yaml:17:16: commitments[1].progress[3].stage: "
            "承诺未经支部审核通过（科学定诺 review: 审核通过），不能进入后续步骤",
        ],
    ),
    (
        "fulfilment before publication",
        [(FILE, "      - stage: 公开承诺\n        date: 2026-01-20\n", "")],
        [
            "data/commitments/2026/b01-yunwei.yaml:15:16: commitments[1].progress[2].stage: "
            "“履责践诺”之前必须先有“公开承诺”：承诺须先公开，接受群众监督"
        ],
    ),
    (
        "a step's own field used on another step",
        [(FILE, "evidence: 上半年", "finding: 上半年")],
        [
            "data/commitments/2026/b01-yunwei.yaml:19:18: commitments[1].progress[3].finding: "
            "字段 finding 只用于“定期督诺”这一步，不用于“履责践诺”"
        ],
    ),
    (
        "dates going backwards",
        [(FILE, "date: 2026-06-30", "date: 2026-01-01")],
        [
            "data/commitments/2026/b01-yunwei.yaml:18:15: commitments[1].progress[3].date: "
            "日期 2026-01-01 早于上一步的 2026-01-20；各步骤应按时间先后记录"
        ],
    ),
]


@pytest.mark.parametrize(("edits", "expected"), [g[1:] for g in GATES], ids=[g[0] for g in GATES])
def test_lifecycle_gate(tiny: Path, edits: list[tuple[str, str, str]], expected: list[str]) -> None:
    apply(tiny, edits)  # type: ignore[arg-type]
    assert problems_of(tiny) == expected


def commitment(**fields: object) -> Commitment:
    base: dict[str, object] = {
        "id": "c1", "member": "m1", "kind": "岗位承诺", "text": "全年倒闸操作零差错",
        "target": "误操作 0 次", "deadline": dt.date(2026, 12, 31), "verifier": "班长",
        "progress": [{"stage": "科学定诺", "date": dt.date(2026, 1, 5), "review": "审核通过"}],
    }  # fmt: skip
    return Commitment.model_validate(base | fields)


LINT = [
    ("complete", {}, []),
    ("no target", {"target": None}, ["缺少可衡量的目标（target）"]),
    ("target without a number", {"target": "做好设备巡视"}, ["目标“做好设备巡视”没有量化的数字"]),
    ("target with a Chinese numeral", {"target": "每月一次"}, []),
    ("no deadline", {"deadline": None}, ["缺少完成时限（deadline）"]),
    (
        "deadline in another year",
        {"deadline": dt.date(2027, 3, 1)},
        ["完成时限 2027-03-01 不在 2026 年度内"],
    ),
    ("no verifier", {"verifier": None}, ["缺少验证人或验证方式（verifier）"]),
    (
        "all three missing",
        {"target": None, "deadline": None, "verifier": None},
        [
            "缺少可衡量的目标（target）",
            "缺少完成时限（deadline）",
            "缺少验证人或验证方式（verifier）",
        ],
    ),
]


@pytest.mark.parametrize(("fields", "gaps"), [c[1:] for c in LINT], ids=[c[0] for c in LINT])
def test_quality_lint(fields: dict[str, object], gaps: list[str]) -> None:
    assert quality_gaps(commitment(**fields), 2026) == gaps


def test_lint_is_a_hint_unless_strict(tiny: Path) -> None:
    apply(tiny, [(FILE, "    verifier: 运维检修部主任\n", "")])
    runner = CliRunner()
    result = runner.invoke(main, ["check", "--data", str(tiny)])
    assert result.exit_code == 0
    hint = (
        "commitments/2026/b01-yunwei.yaml:4:9: commitments[1].id: 提示：承诺“c2026-m001-post”"
        "缺少验证人或验证方式（verifier）。承诺应可比较、可检验、可评议，请补充"
    )
    assert hint in result.stderr
    assert "另有 2 条质量提示" in result.stdout  # the second: m002's commitment has no verifier
    strict = runner.invoke(main, ["check", "--data", str(tiny), "--strict"])
    assert strict.exit_code == 1
    assert "--strict 模式下视为错误" in strict.stderr


def steps(*stages: tuple[str, dt.date]) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for stage, day in stages:
        record: dict[str, object] = {"stage": stage, "date": day}
        record |= {"review": "审核通过"} if stage == "科学定诺" else {}
        record |= {"evidence": "台账"} if stage == "履责践诺" else {}
        record |= {"rating": "良好", "outcome": "已兑现"} if stage == "民主评诺" else {}
        out.append(record)
    return out


D = dt.date
OVERDUE = [
    ("checked recently", [("科学定诺", D(2026, 1, 5)), ("公开承诺", D(2026, 1, 10)), ("定期督诺", D(2026, 9, 1))], D(2026, 11, 15), ""),
    ("published, never checked for a quarter", [("科学定诺", D(2026, 1, 5)), ("公开承诺", D(2026, 1, 10))], D(2026, 5, 1), "定期督诺逾期（应于 2026年4月12日前督诺）"),
    ("a progress note is not a check", [("科学定诺", D(2026, 1, 5)), ("公开承诺", D(2026, 1, 10)), ("履责践诺", D(2026, 4, 1))], D(2026, 5, 1), "定期督诺逾期（应于 2026年4月12日前督诺）"),
    ("not yet public: nothing to check", [("科学定诺", D(2026, 1, 5))], D(2026, 11, 15), ""),
    ("year over, not evaluated", [("科学定诺", D(2026, 1, 5)), ("公开承诺", D(2026, 1, 10)), ("定期督诺", D(2026, 12, 1))], D(2027, 1, 10), "2026年度已结束，尚未民主评诺"),
    ("evaluated: never overdue", [("科学定诺", D(2026, 1, 5)), ("公开承诺", D(2026, 1, 10)), ("履责践诺", D(2026, 6, 1)), ("民主评诺", D(2026, 12, 20))], D(2027, 3, 1), ""),
]  # fmt: skip


@pytest.mark.parametrize(
    ("stages", "as_of", "overdue"), [c[1:] for c in OVERDUE], ids=[c[0] for c in OVERDUE]
)
def test_periodic_check_overdue(
    stages: list[tuple[str, dt.date]], as_of: dt.date, overdue: str
) -> None:
    row = CommitmentRow(2026, "b1", commitment(progress=steps(*stages)))
    assert commitment_status(row, as_of, Policy()).overdue == overdue


def test_check_period_is_configurable() -> None:
    row = CommitmentRow(
        2026,
        "b1",
        commitment(progress=steps(("科学定诺", D(2026, 1, 5)), ("公开承诺", D(2026, 1, 10)))),
    )
    assert commitment_status(row, D(2026, 2, 20), Policy(check_every_days=30)).overdue
    assert not commitment_status(row, D(2026, 2, 20), Policy()).overdue


def test_fulfilment_rate_counts_only_evaluated() -> None:
    done = CommitmentRow(
        2026,
        "b1",
        commitment(
            progress=steps(
                ("科学定诺", D(2026, 1, 5)),
                ("公开承诺", D(2026, 1, 9)),
                ("履责践诺", D(2026, 6, 1)),
                ("民主评诺", D(2026, 12, 1)),
            )
        ),
    )
    open_ = CommitmentRow(2026, "b1", commitment())
    statuses = [commitment_status(r, D(2026, 12, 31), Policy()) for r in (done, open_)]
    assert fulfilment_rate(statuses) == 100.0
    assert fulfilment_rate(statuses[1:]) is None


UNIT = {
    "id": "sfg-1", "kind": "示范岗", "name": "示范岗", "branch": "b1", "holders": ["m1"],
    "standard": "标准", "established": D(2024, 1, 1),
}  # fmt: skip


@pytest.mark.parametrize(
    ("extra", "status"),
    [
        ({}, "有效"),
        ({"annual_evaluations": [{"year": 2025, "score": 85, "grade": "良好"}]}, "有效"),
        ({"annual_evaluations": [{"year": 2025, "score": 70, "grade": "合格"}]}, "有效"),
        (
            {"annual_evaluations": [{"year": 2024, "score": 90, "grade": "优秀"}, {"year": 2025, "score": 65, "grade": "不合格"}]},
            "建议撤销（2025 年度考评 65 分，低于 70 分）",
        ),
        ({"withdrawn": {"date": D(2026, 2, 1), "reason": "年度考评不合格"}}, "已撤销（2026年2月1日：年度考评不合格）"),
    ],
)  # fmt: skip
def test_unit_withdrawal_rule(extra: dict[str, object], status: str) -> None:
    assert unit_status(Unit.model_validate(UNIT | extra), 70) == status


def test_withdrawal_rule_is_a_check_hint(tiny: Path) -> None:
    apply(tiny, [("units/sfg-yunwei-01.yaml", "score: 93", "score: 60")])
    apply(tiny, [("site.yaml", "policy:\n", "policy:\n  withdraw_below: 75\n")])
    warnings = [str(w) for w in load_dataset(tiny).warnings]
    assert (
        "data/units/sfg-yunwei-01.yaml:12:1: annual_evaluations: 提示：2025 年度考评 60 分，低于 75 分，"
        "按规定应撤销称号：请填写 withdrawn（日期、原因）"
    ) in warnings


def test_a_long_overdue_list_is_counted_per_branch(monkeypatch: pytest.MonkeyPatch) -> None:
    board = board_of(ROOT / "data")
    full, total = commitments.overdue_html(board, 2026)
    assert total > 10 and "board-overdue" in unwrap_fragments(full)
    monkeypatch.setattr(commitments, "OVERDUE_LIST_ROWS", 10)
    wrapped, same_total = commitments.overdue_html(board, 2026)
    summary = unwrap_fragments(wrapped)
    assert same_total == total
    counts = [int(n) for n in re.findall(r"</a></td><td>(\d+)</td>", summary)]
    assert sum(counts) == total and counts == sorted(counts, reverse=True)
    links = re.findall(r'href="2026/([a-z0-9-]+)\.html#cards"', summary)
    assert len(links) == len(counts) and all(b in board.data.orgs for b in links)
