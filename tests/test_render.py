"""Generated pages: golden files and escaping, without running MkDocs."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest

from generator.render import render_site
from generator.text import md_text
from tests.conftest import TINY, board_of

GOLDEN = Path(__file__).parent / "golden"


PAGES = [
    "org/b01-yunwei.md",
    "org/dw.md",
    "org/index.md",
    "index.md",
    "rules.md",
    "quarters/2026Q3.md",
    "quarters/notice-2026Q3.md",
    "rectification/index.md",
    "notices/index.md",
    "commitments/2026.md",
    "commitments/2026/b01-yunwei.md",
    "units/index.md",
    "units/sfg-yunwei-01.md",
]


@pytest.mark.parametrize("page", PAGES)
def test_generated_page_matches_golden_file(page: str, update_golden: bool) -> None:
    rendered = render_site(board_of(TINY))[page]
    assert isinstance(rendered, str)
    golden = GOLDEN / page.replace("/", "-")
    if update_golden:
        golden.write_text(rendered, encoding="utf-8")
    assert rendered == golden.read_text(encoding="utf-8"), "run pytest --update-golden and review"


def test_every_organization_gets_a_page_and_only_approved_commitments_show() -> None:
    pages = render_site(board_of(TINY))
    assert {p for p in pages if p.startswith("org/")} == {
        "org/index.md",
        "org/dw.md",
        "org/zz-yunjian.md",
        "org/b01-yunwei.md",
        "org/b02-bangong.md",
    }
    board = pages["commitments/2026/b01-yunwei.md"]
    assert isinstance(board, str)
    assert "全年倒闸操作零差错" in board
    assert "每月为新员工讲授一次安全规程" not in board  # 退回修改: not public
    assert "审核中 1 项" in board


MARKDOWN = markdown.Markdown(extensions=["tables", "attr_list", "md_in_html", "toc"])

ATTACKS = [
    ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
    ("[x](javascript:alert(1))", "[x](javascript:alert(1))"),
    ("jav&#x61;script:alert(1)", "jav&amp;#x61;script:alert(1)"),
    ('{ onclick="alert(1)" }', "{ onclick=&quot;alert(1)&quot; }"),
    ("**粗体** _斜体_ `代码`", "**粗体** _斜体_ `代码`"),
    ("# 不是标题", "# 不是标题"),
    ("1. 不是列表", "1. 不是列表"),
    ("- 不是列表", "- 不是列表"),
    ("> 不是引用", "&gt; 不是引用"),
    ("<http://example.invalid>", "&lt;http://example.invalid&gt;"),
    ("![图](x.png)", "![图](x.png)"),
    ("张三|李四", "张三|李四"),
    ("第一行\n第二行", "第一行 第二行"),
    ("&lt;已转义&gt;", "&amp;lt;已转义&amp;gt;"),
    ("反斜杠\\n", "反斜杠\\n"),
    ("<!-- 注释 -->", "&lt;!-- 注释 --&gt;"),
]


@pytest.mark.parametrize(("attack", "html"), ATTACKS)
def test_escaped_text_renders_as_written(attack: str, html: str) -> None:
    assert MARKDOWN.reset().convert(md_text(attack)) == f"<p>{html}</p>"


@pytest.mark.parametrize(("attack", "html"), ATTACKS)
def test_escaped_text_stays_in_its_table_cell(attack: str, html: str) -> None:
    table = f"| a | b | c |\n| --- | --- | --- |\n| 1 | {md_text(attack)} | 3 |\n"
    out = MARKDOWN.reset().convert(table)
    assert f"<td>1</td>\n<td>{html}</td>\n<td>3</td>" in out


FRAGMENT_CASES = [
    ("fragment in a page", "# 标题\n\n{}\n\n尾", "# 标题\n\n<div>卡片</div>\n\n尾"),
    ("two fragments", "{}\n\n{}", "<div>卡片</div>\n\n<div>卡片</div>"),
    ("a hand-written comment stays", "<!-- 备注\n-->\n", "<!-- 备注\n-->\n"),
    ("escaped look-alike in text stays", "&lt;!--board-html\n--&gt;", "&lt;!--board-html\n--&gt;"),
]


@pytest.mark.parametrize(
    ("page", "expected"), [c[1:] for c in FRAGMENT_CASES], ids=[c[0] for c in FRAGMENT_CASES]
)
def test_html_fragments_come_out_as_written(page: str, expected: str) -> None:
    from generator.text import html_fragment, unwrap_fragments

    wrapped = page.replace("{}", html_fragment("<div>卡片</div>"))
    assert unwrap_fragments(wrapped) == expected


def test_a_fragment_cannot_close_its_own_comment() -> None:
    from generator.text import html_fragment

    with pytest.raises(ValueError, match="-->"):
        html_fragment("<p>--></p>")
