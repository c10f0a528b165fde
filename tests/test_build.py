"""Real MkDocs builds: strict, injection-proof, and never damaging the previous site."""

from __future__ import annotations

import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

from tests.conftest import ROOT, TINY, make_project, run_mkdocs


def snapshot(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def test_sample_site_has_every_page_type(sample_site: Path) -> None:
    for page in ("index.html", "org/index.html", "rules.html", "data-format.html", "about.html"):
        assert (sample_site / page).is_file(), page
    branches = list((ROOT / "data" / "organizations").glob("*.yaml"))
    assert len(list((sample_site / "org").glob("*.html"))) == len(branches) + 1
    assert (sample_site / "search" / "search_index.json").stat().st_size > 10_000


def test_a_build_prints_only_real_problems_and_the_hints_once(sample_site: Path) -> None:
    log = (sample_site.parent / "build.log").read_text(encoding="utf-8")
    assert "anchor" not in log  # card anchors live in our fragments: MkDocs is told of them
    assert "jieba" not in log and "prefix dict" not in log
    assert log.count("条数据质量提示；运行 board check 查看详情") == 1
    assert len(log.strip().splitlines()) <= 6, log


def test_sample_site_makes_no_request_off_the_intranet(sample_site: Path) -> None:
    external = re.compile(r"""(?:src|href)=["']?(?:https?:)?//""")
    for page in sample_site.rglob("*.html"):
        found = external.findall(page.read_text(encoding="utf-8"))
        assert not found, f"{page}: {found}"


PLANTED = {
    "script": "<script>alert('x1')</script>",
    "img": "<img src=x onerror=alert('x2')>",
    "link": "[点我](javascript:alert('x3'))",
    "entity": "jav&#x61;script:alert('x4')",
    "attr": "倒闸{ onclick=\"alert('x5')\" }",
    "pipe": "张三|李四",
    "newline": "第一行\n| 伪造 | 表格 |",
}


def plant(data: Path) -> None:
    """Put every attack into text fields that reach headings, tables and titles."""

    def swap(rel: str, old: str, key: str) -> None:
        path = data / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, (rel, old)
        # A JSON string is a valid YAML double-quoted scalar: any attack survives intact.
        field = old.split(":")[0]
        path.write_text(
            text.replace(old, f"{field}: {json.dumps(PLANTED[key], ensure_ascii=False)}")
        )

    swap("organizations/b01-yunwei.yaml", "name: 运维检修部第一党支部", "script")
    swap("members/b01-yunwei.yaml", "name: 周雨辰", "img")
    swap("members/b01-yunwei.yaml", "post: 变电运维工", "pipe")
    swap("commitments/2026/b01-yunwei.yaml", "text: 全年倒闸操作零差错", "link")
    swap(
        "commitments/2026/b01-yunwei.yaml", "target: 误操作次数为 0，完成倒闸操作 300 次", "entity"
    )
    swap("units/sfg-yunwei-01.yaml", "name: 倒闸操作“零差错”党员示范岗", "attr")
    swap("assessments/2026Q3/b01-yunwei.yaml", "reason: 三会一课记录不完整", "newline")
    swap("notices/2026-01.yaml", "title: 关于规范主题党日活动的提示单", "script")
    swap("interviews/2026q3-b02-bangong.yaml", "problem: 主题党日未按计划开展", "img")


class ActiveMarkup(HTMLParser):
    """Collects what a browser would run: script bodies, handlers, script URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_script = tag == "script"
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            if name in {"href", "src"} and value and value.strip().lower().startswith("javas"):
                self.found.append(f"<{tag} {name}={value}>")
        if tag == "img" and dict(attrs).get("src") == "x":
            self.found.append("<img src=x>")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and "alert" in data:
            self.found.append(f"script: {data[:40]}")
        self.text.append(data)


def test_data_cannot_inject_markup_into_a_real_build(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", TINY)
    plant(project / "data")
    result = run_mkdocs(project)
    assert result.returncode == 0, result.stderr
    site = project / "site"
    page = (site / "org" / "b01-yunwei.html").read_text(encoding="utf-8")
    board = (site / "commitments" / "2026" / "b01-yunwei.html").read_text(encoding="utf-8")
    parser = ActiveMarkup()
    parser.feed(page + board)
    assert parser.found == []
    text = "".join(parser.text)
    for value in PLANTED.values():  # the text still reads as written
        assert " ".join(value.split("\n")) in text, value
    assert "<td>张三|李四</td>" in page  # the pipe did not split the row
    for other in (project / "site").rglob("*.html"):
        parser = ActiveMarkup()
        parser.feed(other.read_text(encoding="utf-8"))
        assert parser.found == [], other


def test_failed_build_leaves_the_previous_site_untouched(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", TINY)
    assert run_mkdocs(project).returncode == 0
    before = snapshot(project / "site")
    bad = project / "data" / "members" / "b01-yunwei.yaml"
    bad.write_text(bad.read_text(encoding="utf-8").replace("role: 支部书记", "role: 书记"), "utf-8")
    result = run_mkdocs(project)
    assert result.returncode == 1
    assert "data/members/b01-yunwei.yaml:6:11: members[1].role: “书记”不是可选的值" in result.stderr
    assert "共发现 1 个数据问题" in result.stderr
    assert snapshot(project / "site") == before
    assert sorted(p.name for p in project.iterdir() if p.name != ".cache") == sorted(
        [".gitignore", "content", "data", "mkdocs.yml", "site", "theme"]
    )  # .cache holds parsed data files (git-ignored), never a half-built site


def test_strict_warning_also_leaves_the_previous_site_untouched(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", TINY)
    assert run_mkdocs(project).returncode == 0
    before = snapshot(project / "site")
    (project / "content" / "about.md").write_text("[坏链接](不存在.md)\n", encoding="utf-8")
    result = run_mkdocs(project)
    assert result.returncode == 1
    assert "构建失败，原有站点目录保持不变" in result.stderr
    assert snapshot(project / "site") == before


def test_successful_rebuild_replaces_the_site(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", TINY)
    assert run_mkdocs(project).returncode == 0
    (project / "site" / "stale.html").write_text("old", encoding="utf-8")
    assert run_mkdocs(project).returncode == 0
    assert not (project / "site" / "stale.html").exists()
    assert (project / "site" / "index.html").is_file()
