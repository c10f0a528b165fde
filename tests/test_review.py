"""Git-based review and publishing, on crafted commits in throwaway repositories."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Page

from generator.cli.project import build_environment
from tests.conftest import ROOT, TINY, Repo, run_mkdocs, unspanned
from tests.test_bad_data import apply
from tests.test_build import snapshot

GOLDEN = Path(__file__).parent / "golden"
# ------------------------------------------------------------------ diff

SCORE = ("assessments/2026Q3/b02-bangong.yaml", "    points: 2.5", "    points: 4.5")
POST = ("members/b01-yunwei.yaml", "post: 变电运维工", "post: 变电运维班副班长")
STAGE = (
    "commitments/2026/b01-yunwei.yaml",
    "        evidence: 上半年完成倒闸操作 160 次，无差错\n",
    "        evidence: 上半年完成倒闸操作 160 次，无差错\n"
    "      - stage: 定期督诺\n        date: 2026-09-30\n        finding: 进度正常\n",
)
NEW_MEMBER = (
    "members/b02-bangong.yaml",
    "    role: 党委书记\n",
    "    role: 党委书记\n  - id: m004\n    name: 吴清和\n    post: 文秘\n",
)


@pytest.mark.parametrize("fmt", ["text", "md"])
def test_diff_between_commits_matches_golden(repo: Repo, fmt: str, update_golden: bool) -> None:
    apply(repo.data, [SCORE, POST, STAGE, NEW_MEMBER])
    repo.commit("第三季度得分复核、人员变动", tag="v2")
    code, out, err = repo.board("diff", "v1", "v2", "--format", fmt)
    assert code == 0, err
    golden = GOLDEN / f"diff.{'md' if fmt == 'md' else 'txt'}"
    if update_golden:
        golden.write_text(out, encoding="utf-8")
    assert out == golden.read_text(encoding="utf-8")


def test_diff_of_comments_key_order_and_whitespace_says_nothing_changed(repo: Repo) -> None:
    path = repo.data / "members" / "b01-yunwei.yaml"
    text = path.read_text(encoding="utf-8")
    text = "# 运维检修部第一党支部党员名单\n" + text.replace(
        "    name: 林安平\n    post: 变电运维班班长\n",
        "    post: 变电运维班班长   \n    name: 林安平\n",
    )
    path.write_text(text, encoding="utf-8")
    code, out, _ = repo.board("diff", "v1")  # against the working tree
    assert code == 0
    assert "数据没有实质变化" in out


def test_diff_defaults_to_the_branch_point_and_the_working_tree(repo: Repo) -> None:
    repo.git("checkout", "-q", "-b", "feature")
    apply(repo.data, [POST])
    repo.commit("岗位调整")
    apply(repo.data, [SCORE])  # not committed yet
    code, out, _ = repo.board("diff")
    assert code == 0
    assert "→ 工作区" in out
    assert "post：变电运维工 → 变电运维班副班长" in out
    assert "deductions[1].points：2.5 → 4.5" in out


def test_diff_of_invalid_data_reports_the_problems(repo: Repo) -> None:
    apply(repo.data, [("members/b01-yunwei.yaml", "role: 支部书记", "role: 书记")])
    code, _, err = repo.board("diff", "v1")
    assert code == 1
    assert "members[1].role: “书记”不是可选的值" in err


# ------------------------------------------------------- frozen quarters


def test_published_quarter_changes_only_with_a_correction(repo: Repo) -> None:
    apply(repo.data, [SCORE])
    code, _, err = repo.board("check")
    assert code == 1
    assert (
        "data/assessments/2026Q3/b02-bangong.yaml:7:13: deductions[1].points: 2026Q3 已于 2026-10-10 发布"
        in err
    )
    assert (
        "发布后不能直接改动：2.5 → 4.5。如确需更正，请在 data/assessments/2026Q3/_quarter.yaml"
        in err
    )

    correction = (
        "corrections:\n  - date: 2026-10-20\n    reason: 复核发现党员教育扣分有误\n"
        "    approver: 公司党委\n    summary: 办公室党支部党员教育扣分由 2.5 分改为 4.5 分\n"
    )
    info = repo.data / "assessments" / "2026Q3" / "_quarter.yaml"
    info.write_text(info.read_text(encoding="utf-8") + correction, encoding="utf-8")
    code, _, err = repo.board("check")
    assert code == 0, err
    repo.commit("更正第三季度得分")

    apply(repo.data, [("assessments/2026Q3/b01-yunwei.yaml", "记录不完整", "记录缺失")])
    code, _, err = repo.board("check")
    assert code == 1
    assert "data/assessments/2026Q3/b01-yunwei.yaml" in err
    assert "deductions[1].reason: 2026Q3 已于 2026-10-10 发布" in err
    assert "三会一课记录不完整 → 三会一课记录缺失" in err


def test_quarter_page_shows_its_corrections(repo: Repo) -> None:
    info = repo.data / "assessments" / "2026Q3" / "_quarter.yaml"
    info.write_text(
        info.read_text(encoding="utf-8")
        + "corrections:\n  - date: 2026-10-20\n    reason: 复核更正\n    approver: 公司党委\n",
        encoding="utf-8",
    )
    assert run_mkdocs(repo.root).returncode == 0
    page = unspanned((repo.root / "site" / "quarters" / "2026Q3.html").read_text("utf-8"))
    assert "更正记录：本季度结果发布后有 1 次更正" in page
    assert "2026年10月20日：复核更正（批准：公司党委）" in page


def test_published_commitment_year_keeps_growing_but_never_silently_changes(repo: Repo) -> None:
    apply(repo.data, [STAGE])  # a new progress record after publication: fine
    assert repo.board("check")[0] == 0
    apply(
        repo.data,
        [("commitments/2026/b01-yunwei.yaml", "全年倒闸操作零差错", "全年倒闸操作少差错")],
    )
    code, _, err = repo.board("check")
    assert code == 1
    assert "2026年度承诺 已于 2026-02-01 发布" in err
    assert "data/commitments/2026/b01-yunwei.yaml:7:11: commitments[1].text: 2026年度承诺" in err
    assert "全年倒闸操作零差错 → 全年倒闸操作少差错" in err


# ------------------------------------------------------------- provenance


def test_pages_show_last_change_from_git_and_the_change_log(repo: Repo) -> None:
    apply(repo.data, [SCORE])
    info = repo.data / "assessments" / "2026Q3" / "_quarter.yaml"
    info.write_text(
        info.read_text(encoding="utf-8")
        + "corrections:\n  - date: 2026-10-20\n    reason: 复核更正\n    approver: 公司党委\n",
        encoding="utf-8",
    )
    repo.commit("更正第三季度得分")
    assert run_mkdocs(repo.root).returncode == 0
    site = repo.root / "site"
    branch = (site / "org" / "b02-bangong.html").read_text(encoding="utf-8")
    assert "data/organizations/b02-bangong.yaml（最后修改 2026年10月1日" in branch
    quarter = (site / "quarters" / "2026Q3.html").read_text(encoding="utf-8")
    assert "data/assessments/2026Q3/b02-bangong.yaml（最后修改 2026年10月2日" in quarter
    changes = (site / "changes.html").read_text(encoding="utf-8")
    assert "2026年10月2日的数据修改" in changes
    assert "更正第三季度得分" not in changes  # commit subjects are maintainers' words, not data
    assert "修改考核得分：2026年第三季度 办公室党支部" in changes
    assert "第2项扣分的分值：由 2.5 改为 4.5" in changes
    technical = (site / "technical-changes.html").read_text(encoding="utf-8")
    assert "deductions[1].points 2.5 → 4.5" in technical  # as the data file spells it


CORRECTION = (
    "assessments/2026Q3/_quarter.yaml",
    "published: 2026-10-10\n",
    "published: 2026-10-10\ncorrections:\n  - date: 2026-10-20\n    reason: 复核更正\n"
    "    approver: 公司党委\n",
)


@pytest.mark.browser
def test_the_public_change_log_speaks_plain_chinese(repo: Repo, page: Page) -> None:
    """What a reader sees of each kind of edit: the record by its name, the field in
    words, dates as dates; never a file path, commit hash, key or field path."""
    for edit, subject in [
        ([POST], "周雨辰任副班长"),
        ([STAGE], "Q3 progress check"),
        ([SCORE, CORRECTION], "fix: recheck b02 score"),
        ([NEW_MEMBER], "新增党员"),
    ]:
        apply(repo.data, edit)
        repo.commit(subject)
    assert run_mkdocs(repo.root).returncode == 0
    page.goto((repo.root / "site" / "changes.html").as_uri())
    text = page.locator("article").inner_text()
    for said in [
        "修改党员：周雨辰",
        "岗位：由 变电运维工 改为 变电运维班副班长",
        "新增第5条进度记录（阶段：定期督诺；日期：2026年9月30日；结论：进度正常）",
        "修改考核得分：2026年第三季度 办公室党支部",
        "第2项扣分的分值：由 2.5 改为 4.5",
        "新增第2条更正记录（日期：2026年10月20日；原因：复核更正；批准人：公司党委）",
        "新增党员：吴清和",
    ]:
        assert said in text, said
    body = text.split("技术修改记录")[0]
    assert not re.search(r"data/|\.ya?ml|\b[0-9a-f]{7,40}\b|\[\d+\]|[A-Za-z_]{3,}", body), body
    for subject in ("Q3 progress check", "fix: recheck", "周雨辰任副班长"):
        assert subject not in text
    technical = (repo.root / "site" / "technical-changes.html").read_text(encoding="utf-8")
    assert "progress[4].stage" in technical


def test_shallow_clone_warns_and_shows_no_wrong_dates(repo: Repo, tmp_path: Path) -> None:
    clone = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", repo.root.as_uri(), str(clone)], check=True
    )
    result = run_mkdocs(clone)
    assert result.returncode == 0, result.stderr
    assert "浅克隆（shallow clone）" in result.stderr and "fetch-depth: 0" in result.stderr
    page = (clone / "site" / "org" / "b02-bangong.html").read_text(encoding="utf-8")
    assert "修改日期不可用：浅克隆" in page
    assert "最后修改" not in page


# ---------------------------------------------------------------- publish


def test_publish_switches_atomically_keeps_n_and_rolls_back(repo: Repo, tmp_path: Path) -> None:
    live = tmp_path / "srv"
    names = []
    for _ in range(3):
        code, out, err = repo.board("publish", "--to", str(live), "--keep", "2")
        assert code == 0, err
        names.append(re.search(r"已发布 (\S+?)；", out).group(1))  # type: ignore[union-attr]
    current = live / "current"
    assert current.is_symlink() and (current / "index.html").is_file()
    assert sorted(p.name for p in (live / "releases").iterdir()) == sorted(names[1:])
    code, out, _ = repo.board("rollback", "--to", str(live))
    assert code == 0
    assert os.readlink(current) == f"releases/{names[1]}"


def test_failed_publish_leaves_the_live_site_byte_identical(repo: Repo, tmp_path: Path) -> None:
    live = tmp_path / "srv"
    assert repo.board("publish", "--to", str(live))[0] == 0
    before = (os.readlink(live / "current"), snapshot(live / "current"))
    releases_before = sorted(p.name for p in (live / "releases").iterdir())
    apply(repo.data, [("members/b01-yunwei.yaml", "role: 支部书记", "role: 书记")])
    code, _, err = repo.board("publish", "--to", str(live))
    assert code == 1
    assert "未发布；在线站点未改动" in err
    assert (os.readlink(live / "current"), snapshot(live / "current")) == before
    assert sorted(p.name for p in (live / "releases").iterdir()) == releases_before


def test_publish_refuses_a_changed_published_quarter(repo: Repo, tmp_path: Path) -> None:
    apply(repo.data, [SCORE])
    code, _, err = repo.board("publish", "--to", str(tmp_path / "srv"))
    assert code == 1
    assert "已发布数据被改动而没有更正记录" in err
    assert not (tmp_path / "srv" / "current").exists()


# ------------------------------------------------------------ reproducible


def test_same_commit_builds_byte_identical_output(repo: Repo, tmp_path: Path) -> None:
    other = tmp_path / "again"
    subprocess.run(["git", "clone", "-q", repo.root.as_uri(), str(other)], check=True)
    for where in (repo.root, other):
        code = subprocess.run(
            [str(Path(sys.executable).with_name("board")), "build"],
            cwd=where, env={k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"},
            capture_output=True, check=False,
        ).returncode  # fmt: skip
        assert code == 0
    assert snapshot(repo.root / "site") == snapshot(other / "site")
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "environ", env)
        epoch = build_environment(repo.root / "mkdocs.yml")["SOURCE_DATE_EPOCH"]
    assert epoch == repo.git("log", "-1", "--format=%ct").strip()  # the commit's time, not now


# ------------------------------------------------------------------ serve


def test_preview_shows_the_chinese_error_above_the_last_good_page(repo: Repo) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    def preview() -> Path:
        config = load_config(str(repo.root / "mkdocs.yml"), site_dir=str(repo.root / "preview"))
        config.plugins.on_startup(command="serve", dirty=False)
        build(config, serve_url="http://127.0.0.1:8000/")
        config.plugins.on_shutdown()
        return repo.root / "preview"

    good = (preview() / "org" / "b01-yunwei.html").read_text(encoding="utf-8")
    assert "数据有" not in good
    apply(repo.data, [("members/b01-yunwei.yaml", "role: 支部书记", "role: 书记")])
    site = preview()
    for page in ("index.html", "org/b01-yunwei.html", "quarters/2026Q3.html"):
        text = (site / page).read_text(encoding="utf-8")
        assert "数据有 1 个问题，预览没有更新" in text, page
        assert "members[1].role: “书记”不是可选的值" in text
        errors, stale = text.split('<div class="board-stale">')
        assert "上一次数据正确时的内容" in errors
        assert "<h1" in stale, page  # what the message says is below is below
    stale = (site / "org" / "b01-yunwei.html").read_text("utf-8").split("board-stale")[1]
    assert "运维检修部第一党支部" in stale and "支部书记" in stale  # the last good data


def test_make_serve_watches_data_with_livereload() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "board serve" in makefile
    serve = (ROOT / "generator" / "cli" / "build.py").read_text(encoding="utf-8")
    assert '"serve", "--livereload"' in serve  # click >= 8.2.2 needs it (material#8478)
    plugin = (ROOT / "generator" / "plugin.py").read_text(encoding="utf-8")
    assert "server.watch(str(self._data_dir(config)))" in plugin


# ------------------------------------------------------------- CI templates


@pytest.mark.parametrize("template", ["gitlab-ci.yml", "forgejo-actions.yml"])
def test_ci_templates_check_diff_build_and_publish(template: str) -> None:
    text = (ROOT / "deploy" / template).read_text(encoding="utf-8")
    yaml.safe_load(text)  # valid YAML
    for command in (
        "board check --strict",
        "board diff",
        "--format md",
        "board build --preview",
        "board publish",
    ):
        assert command in text, command
    assert "schedule" in text  # republished daily: 逾期 shows the next day without a commit
    assert 'GIT_DEPTH: "0"' in text or "fetch-depth: 0" in text


def test_fixture_is_untouched() -> None:
    assert shutil.which("git"), "git is required"
    assert (TINY / "assessments" / "2026Q3" / "_quarter.yaml").read_text(encoding="utf-8").count(
        "corrections"
    ) == 0
