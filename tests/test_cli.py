"""The `board` command as a user runs it: exit codes and what it prints."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from tests.conftest import ROOT, Repo
from tests.test_bad_data import apply


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_check_passes_on_the_sample_data() -> None:
    code, out, _ = invoke("check", "--data", str(ROOT / "data"))
    assert code == 0
    assert out.startswith("数据检查通过：")


def test_check_lists_every_problem_and_exits_1(tiny: Path) -> None:
    members = tiny / "members" / "b01-yunwei.yaml"
    members.write_text(
        members.read_text(encoding="utf-8").replace("role: 支部书记", "role: 书记"), "utf-8"
    )
    site = tiny / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace("days: 7", "days: 七"), "utf-8")
    code, out, err = invoke("check", "--data", str(tiny))
    assert code == 1
    assert out == ""
    lines = err.strip().splitlines()
    assert lines[0].endswith(
        "members/b01-yunwei.yaml:6:11: members[1].role: “书记”不是可选的值；"
        "应为以下之一：党委书记、党委副书记、党委委员、总支书记、总支副书记、总支委员、"
        "支部书记、支部副书记、组织委员、宣传委员、纪检委员、青年委员、党小组组长、党员、预备党员"
    )
    assert lines[1].endswith("site.yaml:7:9: disclosure.days: 应为整数，实际是文本“七”")
    assert lines[2] == "共发现 2 个数据问题，请逐条修改后重试；站点未生成，原站点保持不变。"


def test_check_on_a_missing_folder_says_so(tmp_path: Path) -> None:
    code, _, err = invoke("check", "--data", str(tmp_path / "nope"))
    assert code == 1
    assert "找不到数据目录" in err


def test_new_writes_a_small_dataset_that_checks_and_builds(tmp_path: Path) -> None:
    data, site = tmp_path / "new", tmp_path / "site"
    code, out, _ = invoke("new", str(data), "--company", "试点公司", "--quarter", "2026Q4")
    assert code == 0 and "board build --data" in out
    assert (data / "site.yaml").read_text(encoding="utf-8").startswith("# 站点配置")
    code, out, err = invoke("check", "--data", str(data))
    assert code == 0, err
    code, out, err = invoke("build", "--data", str(data), "--site-dir", str(site))
    assert code == 0, err
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "试点公司党建公示栏" in home and "暂无已考核的季度" in home
    assert "暂无党员承诺" in (site / "commitments" / "index.html").read_text(encoding="utf-8")
    assert "暂无党员示范岗" in (site / "units" / "index.html").read_text(encoding="utf-8")
    assert "Traceback" not in err and "WARNING" not in err


def test_new_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("x", encoding="utf-8")
    code, _, err = invoke("new", str(tmp_path))
    assert code == 1 and "不为空" in err


def test_build_takes_any_data_folder_without_a_mkdocs_yml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "demo"
    assert invoke("demo", "--branches", "4", "--members", "30", "--quarters", "2",
                  "--out", str(data))[0] == 0  # fmt: skip
    monkeypatch.chdir(tmp_path)  # no mkdocs.yml here: the board's own configuration is used
    code, out, err = invoke("build", "--data", "demo")
    assert code == 0, err
    assert out.strip() == "站点已生成：site/index.html"
    assert (tmp_path / "site" / "quarters" / "index.html").is_file()


def test_demo_writes_a_valid_dataset(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    code, text, _ = invoke(
        "demo", "--branches", "6", "--members", "60", "--quarters", "3", "--out", str(out)
    )
    assert code == 0, text
    code, text, _ = invoke("check", "--data", str(out))
    assert code == 0, text


def test_demo_is_deterministic(tmp_path: Path) -> None:
    for name in ("a", "b"):
        invoke(
            "demo",
            "--branches",
            "4",
            "--members",
            "30",
            "--quarters",
            "2",
            "--out",
            str(tmp_path / name),
        )
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.yaml"))
    files_b = sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*.yaml"))
    assert files_a == files_b
    for rel in files_a:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes()


def test_demo_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("keep", encoding="utf-8")
    result = CliRunner().invoke(main, ["demo", "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "不为空" in result.output


COMMANDS = sorted(main.commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_and_is_in_the_readme(name: str) -> None:
    command = main.commands[name]  # type: ignore[attr-defined]
    assert command.help, name
    assert f"board {name}" in (ROOT / "README.md").read_text(encoding="utf-8")


# ------------------------------------------- quality hints of a change (--changed-since)

OLD_HINT = (
    "data/commitments/2026/b01-yunwei.yaml:20:9: commitments[2].id: 提示：承诺“c2026-m002-service”"
    "缺少验证人或验证方式（verifier）。承诺应可比较、可检验、可评议，请补充"
)
NEW_HINT = (
    "data/commitments/2026/b01-yunwei.yaml:46:9: commitments[4].id: 提示：承诺“c2026-m001-extra”"
    "缺少可衡量的目标（target）。承诺应可比较、可检验、可评议，请补充"
)
UNIT_HINT = (
    "data/units/sfg-yunwei-01.yaml:12:1: annual_evaluations: 提示：2026 年度考评 65 分，"
    "低于 70 分，按规定应撤销称号：请填写 withdrawn（日期、原因）"
)
POST = ("members/b01-yunwei.yaml", "post: 变电运维工", "post: 变电运维班副班长")
VAGUE = (  # a commitment added without a measurable target
    "commitments/2026/b01-yunwei.yaml",
    "        evidence: 两名徒弟均已通过独立上岗考核\n",
    "        evidence: 两名徒弟均已通过独立上岗考核\n"
    "  - id: c2026-m001-extra\n    member: m001\n    kind: 服务承诺\n"
    "    text: 帮助新员工熟悉倒闸操作\n    deadline: 2026-12-31\n    verifier: 运维检修部主任\n"
    "    progress:\n      - stage: 科学定诺\n        date: 2026-03-10\n        review: 审核通过\n",
)
LAYOUT = (  # the hinted file's text changes, none of its records does
    "commitments/2026/b01-yunwei.yaml",
    "  - id: c2026-m002-service\n    member: m002\n",
    "  # 服务承诺：验证人待定\n  - id: c2026-m002-service\n    member:   m002\n",
)
LOW = (  # the unit's 2026 evaluation below the line: a hint in the unit's record
    "units/sfg-yunwei-01.yaml",
    "    grade: 优秀\n",
    "    grade: 优秀\n  - year: 2026\n    score: 65\n    grade: 不合格\n",
)
RENAMED = ("units/sfg-yunwei-01.yaml", "党员示范岗", "共产党员示范岗")
REFUSAL = "本次新增或修改的记录中有 {n} 条质量提示（相对于 base）；--strict 模式下视为错误，请逐条补充后重试。"


@pytest.mark.parametrize(
    ("base_edits", "edits", "args", "code", "err_lines", "out"),
    [
        pytest.param(
            [], [POST], ["--strict"], 0, [OLD_HINT],
            "另有 1 条质量提示（见上方），都在 base 之后没有改动的记录中。",
            id="a-changed-member-the-old-hint-stays-a-hint",
        ),
        pytest.param(
            [], [VAGUE], ["--strict"], 1,
            [OLD_HINT, "以下 1 条质量提示在 base 之后新增或修改的记录中：", NEW_HINT,
             REFUSAL.format(n=1) + "另有 1 条质量提示在没有改动的记录中，只作提示，不影响本次检查。"],
            "", id="a-new-vague-commitment-blocks",
        ),
        pytest.param(
            [], [VAGUE], [], 0,
            [OLD_HINT, "以下 1 条质量提示在 base 之后新增或修改的记录中：", NEW_HINT],
            "另有 2 条质量提示（见上方），其中 1 条在 base 之后新增或修改的记录中。",
            id="without-strict-it-is-only-told",
        ),
        pytest.param(
            [], [LAYOUT], ["--strict"], 0, [OLD_HINT.replace(":20:9:", ":21:9:")],
            "另有 1 条质量提示（见上方），都在 base 之后没有改动的记录中。",
            id="comments-and-spaces-change-no-record",
        ),
        pytest.param(
            [], [LOW], ["--strict"], 1,
            [OLD_HINT, "以下 1 条质量提示在 base 之后新增或修改的记录中：", UNIT_HINT,
             REFUSAL.format(n=1) + "另有 1 条质量提示在没有改动的记录中，只作提示，不影响本次检查。"],
            "", id="a-hint-at-a-records-own-level",
        ),
        pytest.param(
            [LOW], [RENAMED], ["--strict"], 1,
            [OLD_HINT, "以下 1 条质量提示在 base 之后新增或修改的记录中：", UNIT_HINT,
             REFUSAL.format(n=1) + "另有 1 条质量提示在没有改动的记录中，只作提示，不影响本次检查。"],
            "", id="an-old-hint-in-a-record-the-change-touches",
        ),
        pytest.param(
            [LOW], [POST], ["--strict"], 0, [OLD_HINT, UNIT_HINT],
            "另有 2 条质量提示（见上方），都在 base 之后没有改动的记录中。",
            id="old-hints-in-untouched-records",
        ),
    ],
)  # fmt: skip
def test_check_changed_since_blocks_only_hints_of_changed_records(
    repo: Repo,
    base_edits: list[tuple[str, str, str]],
    edits: list[tuple[str, str, str]],
    args: list[str],
    code: int,
    err_lines: list[str],
    out: str,
) -> None:
    if base_edits:
        apply(repo.data, base_edits)
        repo.commit("基准版本")
    repo.git("tag", "base")
    apply(repo.data, edits)  # the change under review: in the working tree
    exit_code, stdout, stderr = repo.board("check", *args, "--changed-since", "base")
    assert exit_code == code, stderr
    assert stderr.splitlines() == err_lines
    assert stdout.strip().endswith(out)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--strict", "--changed-since", "nope"], "找不到版本“nope”；请写提交号、分支名或标签"),
        (["--strict"], "共 1 条质量提示；--strict 模式下视为错误，请逐条补充后重试。"),
    ],
)
def test_check_strict_refusals(repo: Repo, args: list[str], message: str) -> None:
    code, _, err = repo.board("check", *args)
    assert code == 1
    assert message in err


def test_check_changed_since_needs_git(tiny: Path) -> None:
    code, _, err = invoke("check", "--data", str(tiny), "--strict", "--changed-since", "HEAD")
    assert code == 1
    assert "不在 git 仓库中" in err


@pytest.mark.parametrize("verb", [["check"], ["build"]])
def test_a_cache_committed_to_git_stops_the_build(repo: Repo, verb: list[str]) -> None:
    # Build caches are trusted because only this machine's builds write them: a merge
    # request that force-adds one could hand the build records no check has seen.
    forged = repo.root / ".cache" / "board" / "records-0" / "ab" / "ab12"
    forged.parent.mkdir(parents=True)
    forged.write_bytes(b"forged")
    repo.git("add", "-f", ".cache")
    repo.commit("把缓存也提交了")
    code, _, err = repo.board(*verb)
    assert code != 0
    forged_at = "（例如 .cache/board/records-0/ab/ab12）"
    assert f"构建缓存目录 .cache/board 中有文件被提交到了 git{forged_at}" in err
    assert "git rm -r --cached .cache/board" in err
    assert not (repo.root / "site").exists()
    repo.git("rm", "-r", "-q", "--cached", ".cache")
    repo.git("commit", "-q", "-m", "缓存移出仓库")  # the files stay, untracked
    code, _, err = repo.board(*verb)
    assert code == 0, err
