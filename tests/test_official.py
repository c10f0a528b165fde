"""The official record: nothing unapproved goes out, published results do not change
through the rules, and what is shown is still true on the day it is read."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from generator.render import render_site
from generator.text import cn_date, unwrap_fragments
from tests.conftest import Repo, board_of, run_mkdocs
from tests.test_bad_data import apply

DRAFT_INFO = "quarter: 2026Q4\ninspection_start: 2026-10-20\ninspection_end: 2026-10-28\n"
DRAFT_SCORE = (
    "branch: b0{n}-{name}\nquarter: 2026Q4\ninspected_on: 2026-10-22\ninspection_group: 第一检查组\n"
    "deductions:\n  - dimension: 政治建设\n    points: {p}\n    reason: 理论学习中心组学习记录不全\n"
    "    type: 台账记录不全\n"
)


def add_draft_quarter(data: Path) -> None:
    """A new quarter scored but neither confirmed nor published (what import-scores writes)."""
    folder = data / "assessments" / "2026Q4"
    folder.mkdir()
    (folder / "_quarter.yaml").write_text(DRAFT_INFO, encoding="utf-8")
    for n, name, p in ((1, "yunwei", 1), (2, "bangong", 5)):
        (folder / f"b0{n}-{name}.yaml").write_text(
            DRAFT_SCORE.format(n=n, name=name, p=p), encoding="utf-8"
        )


def test_a_draft_quarter_reaches_no_page_list_widget_or_file(tiny: Path) -> None:
    add_draft_quarter(tiny)
    pages = render_site(board_of(tiny))
    assert not [p for p in pages if "2026Q4" in p]
    for name, content in pages.items():
        text = (
            unwrap_fragments(content)
            if isinstance(content, str)
            else content.decode("utf-8", "ignore")
        )
        assert "2026Q4" not in text, name
    widget = json.loads(pages["widget/current.json"])
    assert widget["quarter"] == "2026Q3" and widget["draft"] is None


def test_a_preview_shows_drafts_marked_everywhere(tiny: Path) -> None:
    add_draft_quarter(tiny)
    from generator.model import load_dataset
    from generator.model.policy import publishable
    from generator.ranking.board import derive
    from tests.conftest import AS_OF

    board = derive(publishable(load_dataset(tiny), drafts=True), AS_OF)
    pages = render_site(board)
    assert "草稿·未发布" in str(pages["quarters/2026Q4.md"])
    assert "草稿·未发布" in str(pages["quarters/notice-2026Q4.md"])
    assert "2026年第四季度红蓝榜（草稿·未发布）" in str(pages["index.md"])
    assert json.loads(pages["widget/current.json"])["draft"] == "草稿·未发布"
    assert "草稿·未发布" in pages["widget/index.html"].decode()  # type: ignore[union-attr]
    assert "发布状态" in pages["exports/2026Q4.csv"].decode("utf-8-sig")  # type: ignore[union-attr]
    assert json.loads(pages["exports/results.json"])["quarters"][-1]["state"] == "草稿"


def test_a_preview_build_says_so_on_every_page(repo: Repo) -> None:
    add_draft_quarter(repo.data)
    code, _, err = repo.board("build", "--preview")
    assert code == 0, err
    for page in (repo.root / "site").rglob("*.html"):
        if (
            "assets" not in page.parts and page.name != "index.html"
        ) or page.parent == repo.root / "site":
            text = page.read_text(encoding="utf-8")
            if "<html" in text and "widget" not in page.parts:
                assert "board-preview-banner" in text, page
    code, _, err = repo.board("build")
    assert code == 0, err
    assert not (repo.root / "site" / "quarters" / "2026Q4.html").exists()
    assert "board-preview-banner" not in (repo.root / "site" / "index.html").read_text("utf-8")


def test_draft_edits_are_not_public_history(repo: Repo) -> None:
    add_draft_quarter(repo.data)
    repo.commit("录入第四季度得分（草稿）")
    apply(repo.data, [("assessments/2026Q4/b01-yunwei.yaml", "points: 1\n", "points: 2\n")])
    repo.commit("修改草稿")
    assert run_mkdocs(repo.root).returncode == 0
    changes = (repo.root / "site" / "changes.html").read_text(encoding="utf-8")
    assert "2026Q4" not in changes


# ------------------------------------------------------------------ the rules


RED_BONUS = (
    "rules/2026-v1.yaml",
    "  Ⅰ:\n    red: {top: 1, adjustment: 1.5}",
    "  Ⅰ:\n    red: {top: 1, adjustment: 2.0}",
)


def test_rules_that_scored_a_published_quarter_change_only_with_a_correction(repo: Repo) -> None:
    apply(repo.data, [RED_BONUS])
    code, _, err = repo.board("check")
    assert code == 1
    assert "data/rules/2026-v1.yaml" in err and "2026Q3 已于 2026-10-10 发布" in err
    assert "1.5 → 2" in err
    rules = repo.data / "rules" / "2026-v1.yaml"
    rules.write_text(
        rules.read_text(encoding="utf-8")
        + "corrections:\n  - date: 2026-10-20\n    reason: 红榜加分按党委会决议更正\n    approver: 公司党委\n",
        encoding="utf-8",
    )
    code, _, err = repo.board("check")
    assert code == 0, err
    assert run_mkdocs(repo.root).returncode == 0
    page = (repo.root / "site" / "rules.html").read_text(encoding="utf-8")
    assert "更正记录：本版规则用于已发布的季度后有 1 次更正" in page
    assert "红榜加分按党委会决议更正" in page


def test_a_new_rules_version_cannot_reach_back_to_a_published_quarter(repo: Repo) -> None:
    rules = (repo.data / "rules" / "2026-v1.yaml").read_text(encoding="utf-8")
    newer = rules.replace("id: 2026-v1", "id: 2026-v2").replace(
        "effective_from: 2026Q2", "effective_from: 2026Q3"
    )
    (repo.data / "rules" / "2026-v2.yaml").write_text(newer, encoding="utf-8")
    code, _, err = repo.board("check")
    assert code == 1
    assert "data/rules/2026-v2.yaml:3:17: effective_from: 规则“2026-v2”自 2026Q3 起生效" in err
    assert "应晚于最后一个已发布的季度 2026Q3" in err
    (repo.data / "rules" / "2026-v2.yaml").write_text(
        newer.replace("effective_from: 2026Q3", "effective_from: 2026Q4"), encoding="utf-8"
    )
    code, _, err = repo.board("check")
    assert code == 0, err


def test_the_rules_page_says_every_rule_that_decides_a_list(tiny: Path) -> None:
    pages = render_site(board_of(tiny))
    rules = str(pages["rules.md"])
    assert "没有排名榜单的情况" in rules and "全部相同" in rules
    assert "同时符合红榜和蓝榜条件**时只列入蓝榜" in rules
    assert "不计入基础得分，也不参加季度排名和红蓝榜" in rules
    quarter = str(pages["quarters/2026Q3.md"])
    assert "Ⅰ 类本季度只有 1 个党组织参加考核，没有先后之分" in quarter


# ------------------------------------------------------------ no withdrawal

WITHDRAWALS = [
    # (case, edit of the tiny data, where the error is, what it says)
    (
        "published date taken out of a quarter",
        [("assessments/2026Q3/_quarter.yaml", "published: 2026-10-10\n", "")],
        "data/assessments/2026Q3/_quarter.yaml",
        "删去了发布日期",
    ),
    (
        "published date taken out, and a score changed with it",
        [
            ("assessments/2026Q3/_quarter.yaml", "published: 2026-10-10\n", ""),
            ("assessments/2026Q3/b02-bangong.yaml", "points: 2.5", "points: 0.5"),
        ],
        "data/assessments/2026Q3/_quarter.yaml",
        "删去了发布日期",
    ),
    (
        "published date taken out of a commitment year",
        [("commitments/2026/_year.yaml", "published: 2026-02-01\n", "")],
        "data/commitments/2026/_year.yaml",
        "删去了发布日期",
    ),
]


@pytest.mark.parametrize(
    ("edits", "where", "what"), [c[1:] for c in WITHDRAWALS], ids=[c[0] for c in WITHDRAWALS]
)
def test_a_published_result_cannot_be_withdrawn(
    repo: Repo, edits: list[tuple[str, str, str]], where: str, what: str
) -> None:
    apply(repo.data, edits)
    code, _, err = repo.board("check")
    assert code == 1
    assert where in err and what in err and "已发布的结果不能撤回" in err
    repo.commit("撤回发布")  # committed or not, the history still says it was published
    code, _, err = repo.board("check")
    assert code == 1 and what in err
    assert run_mkdocs(repo.root).returncode == 1  # plain mkdocs runs the same check


def test_deleting_a_published_quarter_is_refused_even_once_committed(repo: Repo) -> None:
    for name in ("_quarter.yaml", "b01-yunwei.yaml", "b02-bangong.yaml"):
        (repo.data / "assessments" / "2026Q3" / name).unlink()
    (repo.data / "interviews" / "2026q3-b02-bangong.yaml").unlink()  # these name the quarter
    (repo.data / "indicators" / "2026Q3.yaml").unlink()
    code, _, err = repo.board("check")
    assert code == 1
    assert "data/assessments/2026Q3/_quarter.yaml:1:1" in err and "删除了这个文件" in err
    repo.commit("删除第三季度")
    code, _, err = repo.board("check")
    assert code == 1 and "删除了这个文件" in err


def test_a_draft_may_be_deleted_or_left_unpublished(repo: Repo) -> None:
    add_draft_quarter(repo.data)
    repo.commit("录入第四季度得分（草稿）")
    assert repo.board("check")[0] == 0
    for path in sorted((repo.data / "assessments" / "2026Q4").iterdir()):
        path.unlink()
    (repo.data / "assessments" / "2026Q4").rmdir()
    repo.commit("删除草稿")
    code, _, err = repo.board("check")
    assert code == 0, err


# ------------------------------------------------------------ as of the day


def test_an_item_past_its_deadline_is_overdue_the_next_day_without_a_commit(
    repo: Repo, tmp_path: Path
) -> None:
    """The tiny item r1 is due 2026-11-30; nobody commits after October."""
    pages = {}
    for day in ("2026-11-30", "2026-12-01"):
        code, _, err = repo.board("build", "--as-of", day)
        assert code == 0, err
        pages[day] = (repo.root / "site" / "rectification" / "index.html").read_text("utf-8")
        for page in ("index.html", "org/b02-bangong.html", "quarters/2026Q3.html"):
            text = (repo.root / "site" / page).read_text(encoding="utf-8")
            assert f"统计日期：{cn_date(dt.date.fromisoformat(day))}" in text, page
    overdue = "<strong>⚠ 逾期未完成</strong>"
    assert overdue not in pages["2026-11-30"] and "整改中" in pages["2026-11-30"]
    assert overdue in pages["2026-12-01"]
    live = tmp_path / "srv"
    code, _, err = repo.board("publish", "--to", str(live), "--as-of", "2026-12-01")
    assert code == 0, err
    published = (live / "current" / "rectification" / "index.html").read_text("utf-8")
    assert overdue in published and "统计日期：2026年12月1日" in published


def test_same_commit_and_same_day_build_byte_identical(repo: Repo) -> None:
    from tests.test_build import snapshot

    sites = []
    for _ in range(2):
        code, _, err = repo.board("build", "--as-of", "2026-12-01")
        assert code == 0, err
        sites.append(snapshot(repo.root / "site"))
    assert sites[0] == sites[1]


# ------------------------------------------------------ 滚动销号 after publication


def test_a_published_problem_is_closed_without_a_correction_but_not_retyped(repo: Repo) -> None:
    """A problem's measure and 销号 date are follow-up: written after the notice."""
    close = (
        "assessments/2026Q3/b01-yunwei.yaml",
        "    type: 组织生活不规范\n",
        "    type: 组织生活不规范\n    measure: 补齐三会一课记录，支委会每月检查\n"
        "    closed_on: 2026-11-10\n",
    )
    apply(repo.data, [close])
    code, _, err = repo.board("check")
    assert code == 0, err
    repo.commit("第三季度问题销号")
    apply(
        repo.data,
        [("assessments/2026Q3/b01-yunwei.yaml", "type: 组织生活不规范", "type: 台账记录不全")],
    )
    code, _, err = repo.board("check")
    assert code == 1
    assert "deductions[1].type: 2026Q3 已于 2026-10-10 发布" in err
    assert "组织生活不规范 → 台账记录不全" in err
