"""Generated pages: golden files and escaping, without running MkDocs."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import markdown
import pytest
import yaml

from generator.render import render_site
from generator.render.quarters import adjustments_text
from generator.text import html_fragment, md_text, unwrap_fragments
from tests.conftest import ROOT, TINY, board_of

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
    "stars/index.md",
    "indicators/index.md",
    "problems/index.md",
]


@pytest.mark.parametrize("page", PAGES)
def test_generated_page_matches_golden_file(page: str, update_golden: bool) -> None:
    rendered = render_site(board_of(TINY))[page]
    assert isinstance(rendered, str)
    rendered = unwrap_fragments(rendered)  # our HTML written out, so reviewers can read it
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
    board = unwrap_fragments(board)
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
    ("fragment in a page", "# 标题\n\n{}\n\n尾", "# 标题\n\n\n<div>卡片</div>\n\n\n尾"),
    ("two fragments", "{}\n\n{}", "\n<div>卡片</div>\n\n\n\n<div>卡片</div>\n"),
    ("a hand-written comment stays", "<!-- 备注\n-->\n", "<!-- 备注\n-->\n"),
    (
        "escaped look-alike in text stays",
        "&lt;!--board-html:PGI+--&gt;",
        "&lt;!--board-html:PGI+--&gt;",
    ),
]


@pytest.mark.parametrize(
    ("page", "expected"), [c[1:] for c in FRAGMENT_CASES], ids=[c[0] for c in FRAGMENT_CASES]
)
def test_html_fragments_come_out_as_written(page: str, expected: str) -> None:
    wrapped = page.replace("{}", html_fragment("<div>卡片</div>"))
    assert unwrap_fragments(wrapped) == expected


# HTML of our own whose text would mean something to Markdown or one of its extensions.
HOSTILE_FRAGMENTS = [
    "<p>~~~\n<script>alert(1)</script>\n~~~</p>",
    "<p>```js\nalert(1)\n```</p>",
    "<p>![](data:image/png,x){: OnError=alert(1) }</p>",
    "<p>--> <!-- <b>x</b></p>",
    "<p>!!! warning\n    text</p>",
    "<p>| a | b |\n| --- | --- |</p>",
    "<p>[x](javascript:alert(1)) *em* __b__ <http://x></p>",
]


@pytest.mark.parametrize("html", HOSTILE_FRAGMENTS)
def test_our_html_never_reenters_markdown(html: str) -> None:
    """Through a real conversion with the site's extensions, a fragment comes out as it went in."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("!ENV", ""))
    names = [e if isinstance(e, str) else next(iter(e)) for e in config["markdown_extensions"]]
    converted = markdown.markdown(f"# 页\n\n{html_fragment(html)}\n\n尾", extensions=names)
    assert html in unwrap_fragments(converted)


@pytest.mark.parametrize(
    "total, parts, shown",
    [
        (Decimal("0"), [], "—"),  # never listed
        (Decimal("0"), [Decimal("0"), Decimal("0")], "—"),
        (Decimal("1.5"), [Decimal("1.5"), Decimal("0")], "+1.5"),
        (Decimal("-1"), [Decimal("0.5"), Decimal("-1.5")], "−1"),
        (Decimal("0"), [Decimal("1.5"), Decimal("-1.5")], "0（+1.5、−1.5）"),  # not "—"
    ],
)
def test_a_years_adjustments_that_cancel_out_still_show(
    total: Decimal, parts: list[Decimal], shown: str
) -> None:
    assert adjustments_text(total, parts) == shown
