"""What the search index holds on a large board, and that it is written as UTF-8."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from generator.render.search import apply_search_policy, searched_at_scale
from tests.conftest import TINY, make_project

ORG = """---
title: "一支部"
---

# 一支部

## 最近一次考核：2026Q3

| 维度 | 得分 |

### 各维度与本类平均

## 党员（2 名）

| 姓名 |
"""


def test_a_small_board_indexes_everything() -> None:
    for page in ("commitments/2026/b01.md", "commitments/2026.md", "org/b01.md"):
        assert apply_search_policy(page, ORG, members=600, whole=False) == ORG


def test_the_registry_says_which_pages_a_large_board_leaves_out() -> None:
    for page in ("commitments/2026/b0001.md", "commitments/2026.md", "commitments/index.md"):
        assert not searched_at_scale(page)  # the cards, the company's board
    for page in ("org/b0001.md", "quarters/2026Q3.md", "units/sfg-01.md", "index.md"):
        assert searched_at_scale(page)
    marked = apply_search_policy("commitments/2026.md", ORG, members=30000, whole=False)
    assert marked.startswith('---\nsearch:\n  exclude: true\ntitle: "一支部"\n---\n')


def test_a_large_board_leaves_score_sections_out() -> None:
    marked = apply_search_policy("org/b0001.md", ORG, members=30000).splitlines()
    assert "## 最近一次考核：2026Q3 { data-search-exclude }" in marked
    assert "### 各维度与本类平均 { data-search-exclude }" in marked  # under it: out too
    assert "## 党员（2 名）" in marked  # names stay searchable
    quarter = (
        "## Ⅰ 类（3 个党组织）\n\n## 问题清单 { .board-new-page }\n\n### 二支部\\}\n\n## 红榜\n"
    )
    marked = apply_search_policy("quarters/2026Q3.md", quarter, members=30000).splitlines()
    assert "## Ⅰ 类（3 个党组织） { data-search-exclude }" in marked
    assert "## 问题清单 { .board-new-page data-search-exclude }" in marked
    assert "### 二支部\\} { data-search-exclude }" in marked  # an escaped brace is text
    assert "## 红榜" in marked


# A build in its own process (MkDocs keeps plugin instances, and Material its index,
# from one build to the next within a process), with the tiny board counted as large.
BUILD_AS_LARGE = """
import sys
from generator.render import search
search.FULL_TEXT_MEMBERS = 1
from mkdocs.__main__ import cli
cli(["build", "--strict", "-f", sys.argv[1]])
"""


def test_the_built_index_follows_the_policy(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", TINY)
    command = [sys.executable, "-c", BUILD_AS_LARGE, str(project / "mkdocs.yml")]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 0, result.stderr
    site = project / "site"
    raw = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "党员" in raw and not re.search(r"\\u[4-9][0-9a-f]{3}", raw)  # UTF-8, not \uXXXX
    assert (site / "search" / "search_index.js").read_text(encoding="utf-8") == (
        f"var __index = {raw}"
    )
    docs = json.loads(raw)["docs"]
    places = {d["location"].split("#")[0] for d in docs}
    assert "org/b01-yunwei.html" in places and "quarters/2026Q3.html" in places
    assert not [p for p in places if p.startswith("commitments/")]
    titles = {d["title"].replace("\u200b", "") for d in docs if d["location"].startswith("org/")}
    assert any(t.startswith("党员") for t in titles)
    assert not any(t.startswith(("最近一次考核", "各维度与本类平均", "各季度明细")) for t in titles)
