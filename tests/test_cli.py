"""The `board` command as a user runs it: exit codes and what it prints."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from tests.conftest import ROOT


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
