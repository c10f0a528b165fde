"""``mkdocs serve --dirtyreload``: after a data edit only the pages that changed rebuild.

A published build never takes this path; it renders every page from memory.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.plugin import BoardPlugin
from generator.preview import PreviewPages
from tests.conftest import TINY, make_project
from tests.test_bad_data import apply


def test_only_changed_files_are_rewritten(tmp_path: Path) -> None:
    preview = PreviewPages(tmp_path / "pages")
    assert preview.write({"a.md": "一", "b/c.md": "二", "x.xlsx": b"\x00"}) == 3
    old = {p: p.stat().st_mtime_ns for p in (tmp_path / "pages").rglob("*") if p.is_file()}
    for path in old:
        os.utime(path, ns=(1, 1))  # long ago: a rewrite would show
    assert preview.write({"a.md": "一", "b/c.md": "二（改）"}) == 1
    assert preview.path("a.md").stat().st_mtime_ns == 1
    assert preview.path("b/c.md").read_text(encoding="utf-8") == "二（改）"
    assert not preview.path("x.xlsx").exists()  # no longer generated
    assert preview.write({"a.md": "一", "b/c.md": "二（改）"}, all_changed=True) == 2


def test_a_page_handed_out_again_is_not_read_back_but_a_removed_one_is_written(
    tmp_path: Path,
) -> None:
    preview = PreviewPages(tmp_path / "pages")
    page = "".join(["一", "二"])  # an object of its own, as a rendered page is
    pages: dict[str, str | bytes] = {"a.md": page, "b.md": "三"}
    assert preview.write(pages) == 2
    preview.path("b.md").unlink()
    assert preview.write(dict(pages)) == 1  # a.md: the same object; b.md: gone, so written
    assert preview.write({"a.md": "".join(["一", "四"]), "b.md": "三"}) == 1
    assert preview.path("a.md").read_text(encoding="utf-8") == "一四"


@pytest.fixture
def serving(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(BoardPlugin, "serving", True)
    monkeypatch.setattr(BoardPlugin, "showed_error", False)
    monkeypatch.setattr(BoardPlugin, "last_good", {})


def test_a_data_edit_rebuilds_only_the_pages_it_changes(tmp_path: Path, serving: None) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    project = make_project(tmp_path / "p", TINY)
    site = project / "preview"

    def preview(dirty: bool) -> dict[str, int]:
        config = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
        config.plugins.on_startup(command="serve", dirty=dirty)
        build(config, serve_url="http://127.0.0.1:8000/", dirty=dirty)
        config.plugins.on_shutdown()
        return {p.relative_to(site).as_posix(): p.stat().st_mtime_ns for p in site.rglob("*.html")}

    first = preview(dirty=False)
    assert (project / ".cache" / "board" / "pages" / "org" / "b01-yunwei.md").is_file()
    apply(
        project / "data",
        [("members/b01-yunwei.yaml", "post: 变电运维工", "post: 变电运维班副班长")],
    )
    again = preview(dirty=True)
    rebuilt = {page for page in first if again[page] != first[page]}
    assert "org/b01-yunwei.html" in rebuilt  # shows the member's post
    assert "rules.html" not in rebuilt and "org/b02-bangong.html" not in rebuilt
    assert "变电运维班副班长" in (site / "org" / "b01-yunwei.html").read_text(encoding="utf-8")
    # A data error is shown on every page, and cleared from every page when fixed.
    apply(project / "data", [("members/b01-yunwei.yaml", "role: 支部书记", "role: 书记")])
    preview(dirty=True)
    assert "数据有 1 个问题" in (site / "rules.html").read_text(encoding="utf-8")
    apply(project / "data", [("members/b01-yunwei.yaml", "role: 书记", "role: 支部书记")])
    preview(dirty=True)
    assert "数据有 1 个问题" not in (site / "rules.html").read_text(encoding="utf-8")
