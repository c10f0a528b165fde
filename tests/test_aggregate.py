"""``board aggregate``: a group's summary from its units' exported results."""

from __future__ import annotations

import json
from pathlib import Path

import markdown
from click.testing import CliRunner

from generator.aggregate import quarter_lines, read_units
from generator.cli import main
from tests.conftest import ROOT

SAMPLE = ROOT / "tests" / "golden" / "sample-results.json"  # the sample board's export


def unit(tmp_path: Path, company: str, as_site: bool = False) -> Path:
    """The sample's export under another company name (as a file, or inside a built site)."""
    payload = json.loads(SAMPLE.read_text(encoding="utf-8"))
    payload["company"] = company
    target = tmp_path / company / ("site/exports" if as_site else "") / "results.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    return target.parent.parent if as_site else target


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["aggregate", *args])
    return result.exit_code, result.output + result.stderr


def test_summarizes_each_unit_per_quarter(tmp_path: Path) -> None:
    sources = [unit(tmp_path, "乙供电公司"), unit(tmp_path, "甲供电公司", as_site=True)]
    code, output = run(*map(str, sources), "--out", str(tmp_path / "group"))
    assert code == 0, output
    summary = json.loads((tmp_path / "group" / "summary.json").read_text(encoding="utf-8"))
    assert [u["company"] for u in summary["units"]] == ["乙供电公司", "甲供电公司"]  # as given
    latest = summary["quarters"][0]
    assert latest["quarter"] == "2026Q3"
    sample = json.loads(SAMPLE.read_text(encoding="utf-8"))
    results = next(q for q in sample["quarters"] if q["quarter"] == "2026Q3")["results"]
    red = [r["name"] for r in results if r["list"] == "red"]
    blue = [r["name"] for r in results if r["list"] == "blue"]
    for line in latest["units"]:
        assert line["assessed"] == len(results)
        assert (line["red"], line["blue"]) == (red, blue)
    page = (tmp_path / "group" / "index.md").read_text(encoding="utf-8")
    assert "## 2026Q3" in page and "甲供电公司" in page and red[0] in page


def test_means_are_per_category(tmp_path: Path) -> None:
    (only,) = read_units([unit(tmp_path, "甲")])
    results = only.quarters["2026Q3"]
    (line,) = quarter_lines([only])["2026Q3"]
    first = [r.base for r in results if r.category == "Ⅰ"]
    assert line.means["Ⅰ"] == round(sum(first) / len(first), 2)


def test_names_cannot_break_the_page(tmp_path: Path) -> None:
    source = unit(tmp_path, "甲|<script>alert(1)</script>")
    code, output = run(str(source), "--out", str(tmp_path / "group"))
    assert code == 0, output
    html = markdown.markdown(
        (tmp_path / "group" / "index.md").read_text(encoding="utf-8").split("---\n", 2)[2],
        extensions=["tables"],
    )
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_bad_inputs_are_reported_in_chinese(tmp_path: Path) -> None:
    code, output = run(str(tmp_path / "nowhere.json"), "--out", str(tmp_path / "g"))
    assert code == 1 and "找不到或无法读取" in output
    broken = tmp_path / "broken.json"
    broken.write_text('{"company": "甲"', encoding="utf-8")
    code, output = run(str(broken), "--out", str(tmp_path / "g"))
    assert code == 1 and "不是有效的 JSON" in output
    foreign = tmp_path / "foreign.json"
    foreign.write_text('{"company": "甲", "quarters": [{"quarter": "2026Q3"}]}', encoding="utf-8")
    code, output = run(str(foreign), "--out", str(tmp_path / "g"))
    assert code == 1 and "不是公示栏导出的考核结果" in output
    twice = unit(tmp_path, "甲")
    code, output = run(str(twice), str(twice), "--out", str(tmp_path / "g"))
    assert code == 1 and "是同一单位“甲”" in output
    assert not (tmp_path / "g").exists()


def test_the_group_site_builds_as_documented(tmp_path: Path) -> None:
    """deploy/gitlab-group-ci.yml: aggregate the units' results, build deploy/group/."""
    import shutil

    from tests.conftest import run_mkdocs

    group = tmp_path / "group"
    shutil.copytree(ROOT / "deploy" / "group", group, ignore=shutil.ignore_patterns("docs", "site"))
    sources = [str(unit(tmp_path, name)) for name in ("甲省公司", "乙省公司")]
    code, output = run(*sources, "--out", str(group / "docs"))
    assert code == 0, output
    result = run_mkdocs(group)
    assert result.returncode == 0, result.stderr
    page = (group / "site" / "index.html").read_text(encoding="utf-8")
    assert "甲省公司" in page and "乙省公司" in page
