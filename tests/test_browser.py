"""The sample site in a real browser (Debian's chromium, headless), as a reader uses it.

These tests fail, never skip, when chromium is missing: `.ci/run` installs it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from generator.model.schema import CATEGORIES
from generator.render.widget import RED_SHOWN, panel_html, per_category

# The browser and page fixtures live in conftest.py, shared with test_intranet.py.


def test_reader_goes_from_home_to_a_branch_and_its_members(sample_site: Path, page: Page) -> None:
    page.goto((sample_site / "index.html").as_uri())
    expect(page.locator("h1")).to_contain_text("党建公示栏")
    expect(page.get_by_role("heading", name="概况")).to_be_visible()

    page.get_by_role("link", name="查看组织架构与各支部").click()
    expect(page.locator("h1")).to_have_text("组织架构")
    branch_link = page.locator("article a[href$='.html']").filter(has_text="党支部").first
    branch_name = branch_link.inner_text()
    branch_link.click()

    expect(page.locator("h1")).to_have_text(branch_name)
    expect(page.get_by_role("heading", name="最近一次考核")).to_be_visible()
    members = page.locator("table").filter(has_text="党内职务").locator("tbody tr")
    assert members.count() >= 5
    expect(page.get_by_role("heading", name="年度党员承诺")).to_be_visible()
    page.screenshot(path=str(sample_site.parent / "branch.png"), full_page=True)
    assert page.outside == []  # type: ignore[attr-defined]


def test_rules_page_shows_each_dimensionper_category(sample_site: Path, page: Page) -> None:
    page.goto((sample_site / "rules.html").as_uri())
    table = page.locator("table").first
    for name in ("政治建设", "党建责任", "组织建设", "党员教育", "日常工作"):
        expect(table).to_contain_text(name)
    expect(page.locator("article")).to_contain_text("排名第一的进入红榜，月度绩效加 1.5 分")
    expect(page.locator("article")).to_contain_text(
        "基础得分低于 98 分的进入蓝榜，月度绩效扣 0.5 分"
    )


def test_maintainer_pages_sit_apart_at_the_end_of_the_sidebar(
    sample_site: Path, page: Page
) -> None:
    page.goto((sample_site / "index.html").as_uri())
    nav = page.locator("nav.md-nav--primary > ul > li")
    labels = [text.split("\n")[0].strip() for text in nav.all_inner_texts()]
    assert labels[0] == "首页" and labels[-1] == "维护说明", labels
    for label in ("组织架构", "考核规则", "数据修改记录", "关于本站"):
        assert label in labels
    assert "数据格式说明" not in labels and "技术修改记录" not in labels  # readers' nav
    nav.last.get_by_role("link").first.click()
    expect(page.locator("h1")).to_have_text("数据格式说明")
    section = page.locator("nav.md-nav--primary > ul > li").last
    for label in ("数据格式说明", "技术修改记录"):
        expect(section.get_by_role("link", name=label, exact=True)).to_be_attached()
    assert page.outside == []  # type: ignore[attr-defined]


def test_quarter_page_puts_the_lists_first_and_links_to_a_branch_history(
    sample_site: Path, page: Page
) -> None:
    page.goto((sample_site / "index.html").as_uri())
    page.get_by_role("link", name="季度考核", exact=True).first.click()
    expect(page.locator("h1")).to_have_text("基层党建工作季度考核")
    page.locator("article table a").first.click()  # the newest quarter
    expect(page.locator("article h2").first).to_have_text("▲ 红榜")  # the new page is in
    headings = page.locator("article h2").all_inner_texts()
    assert headings[:2] == ["▲ 红榜", "▼ 蓝榜"]  # marks and words, never colour alone
    assert any(h.startswith("Ⅰ 类") for h in headings[2:])
    blue = page.locator("table").nth(2)
    expect(blue).to_contain_text("−1.5")
    blue.locator("a").first.click()
    expect(page.get_by_role("heading", name="考核结果与变化")).to_be_visible()
    expect(page.locator("article")).to_contain_text("▼蓝榜")
    chart = page.locator("svg.board-chart").first
    expect(chart).to_be_visible()
    assert chart.get_attribute("role") == "img"
    assert "各季度基础得分" in (chart.locator("title").text_content() or "")
    assert page.outside == []  # type: ignore[attr-defined]


def test_printed_notice_is_a4_without_site_chrome(sample_site: Path, page: Page) -> None:
    notices = sorted((sample_site / "quarters").glob("notice-*.html"))
    page.goto(notices[-1].as_uri())
    expect(page.locator("h1")).to_have_text("关于基层党建工作季度差异化积分考核评价结果的通报")
    page.emulate_media(media="print")
    for chrome in (".md-header", ".md-sidebar--primary", ".md-footer"):
        expect(page.locator(chrome).first).to_be_hidden()
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") >= 1
    (sample_site.parent / "notice.pdf").write_bytes(pdf)


def test_rectification_page_flags_overdue_items(sample_site: Path, page: Page) -> None:
    page.goto((sample_site / "rectification" / "index.html").as_uri())
    expect(page.locator("h1")).to_have_text("约谈与整改")
    expect(page.get_by_role("heading", name="尚未完成的整改事项")).to_be_visible()
    expect(page.locator("article")).to_contain_text("回头看")


def test_portal_widget_stands_alone(sample_site: Path, page: Page) -> None:
    page.goto((sample_site / "widget" / "index.html").as_uri())
    expect(page.locator("h1")).to_contain_text("红蓝榜")
    expect(page.locator("section.red li").first).to_be_visible()
    expect(page.locator("section.blue p").first).to_contain_text("个党组织")
    scripts = page.locator("script").count() + page.locator("link[rel=stylesheet]").count()
    assert scripts == 0  # nothing to fetch: the portal can embed it as is
    page.get_by_role("link", name="查看完整结果与问题清单").click()
    expect(page.get_by_role("heading", name="▲ 红榜", exact=True)).to_be_visible()


def provincial_lists(red: int, blue: int) -> dict[str, object]:
    """The widget's data for a board of a province's size: long names, many listed."""
    name = "国网示例省电力有限公司超高压输变电运维检修分公司第{}党支部"
    entries = [
        {"branch": f"b{i}", "name": name.format(i), "category": CATEGORIES[i % 3], "base": 96.5}
        for i in range(red + blue)
    ]
    return {
        "company": "示例省电力有限公司",
        "quarter": "2026Q3",
        "state": "已发布",
        "draft": None,
        "published": "2026-10-10",
        "red": entries[:red],
        "blue": entries[red:],
        "blue_counts": per_category(entries[red:]),
        "page": "quarters/2026Q3.html",
    }


@pytest.mark.parametrize("red, blue", [(3, 5), (12, 119), (40, 600)])
def test_the_portal_widget_fits_a_floating_panel_at_any_scale(
    red: int, blue: int, tmp_path: Path, page: Page
) -> None:
    """A portal's 飘窗 is about 320 × 400 px: the panel never grows past it."""
    path = tmp_path / "widget.html"
    path.write_bytes(panel_html(provincial_lists(red, blue)))
    page.set_viewport_size({"width": 320, "height": 400})
    page.goto(path.as_uri())
    box = page.locator(".panel").bounding_box()
    assert box and box["width"] <= 320 and box["height"] <= 400, box
    expect(page.get_by_role("link", name="查看完整结果与问题清单")).to_be_in_viewport()
    text = page.locator(".panel").inner_text()
    assert "2026年第三季度" in text and "2026年10月10日发布" in text
    assert "96.5 分" in text and f"共 {blue} 个党组织" in text
    if red > RED_SHOWN:
        assert f"另有 {red - RED_SHOWN} 个党组织上红榜" in text
    assert page.evaluate("document.documentElement.scrollWidth") <= 320  # no sideways scroll


def visible_kinds_and_stages(page: Page) -> list[tuple[str, str]]:
    items = page.locator("#board-cards [data-board-item]:visible")
    return [
        (
            items.nth(i).get_attribute("data-kind") or "",
            items.nth(i).get_attribute("data-stage") or "",
        )
        for i in range(items.count())
    ]


def test_secretary_finds_a_members_commitments_and_filters_them(
    sample_site: Path, page: Page
) -> None:
    page.goto((sample_site / "index.html").as_uri())
    page.get_by_role("link", name="党员承诺", exact=True).first.click()
    expect(page.locator("h1")).to_contain_text("年度党员承诺")
    # a branch with something overdue (most hold their 督诺 rounds on time)
    page.locator("#board-rollup tr:has(td:has-text('⚠')) a").first.click()
    expect(page.locator("h1")).to_contain_text("年度党员承诺")
    cards = page.locator("article.board-card")
    total_cards = cards.count()
    everything = visible_kinds_and_stages(page)
    assert total_cards >= 5 and len(everything) > total_cards

    page.locator("select[name=kind]").select_option("服务承诺")
    shown = visible_kinds_and_stages(page)
    assert shown and all(kind == "服务承诺" for kind, _ in shown)
    assert len(shown) == sum(kind == "服务承诺" for kind, _ in everything)
    expect(page.locator(".board-filter__count")).to_have_text(
        f"显示 {len(shown)} / {len(everything)} 项"
    )

    page.locator("select[name=stage]").select_option("公开承诺")
    shown = visible_kinds_and_stages(page)
    expected = [ks for ks in everything if ks == ("服务承诺", "公开承诺")]
    assert shown == expected
    # a card with nothing left to show is hidden as a whole
    visible_cards = page.locator("article.board-card:visible").count()
    assert (
        visible_cards == page.locator("article.board-card:has([data-board-item]:visible)").count()
    )
    assert visible_cards < total_cards

    page.locator("select[name=kind]").select_option("")
    page.locator("select[name=stage]").select_option("")
    page.locator("input[name=overdue]").check()
    overdue = page.locator("#board-cards [data-board-item]:visible")
    assert overdue.count() > 0
    for i in range(overdue.count()):
        assert overdue.nth(i).get_attribute("data-overdue") == "1"
        expect(overdue.nth(i)).to_contain_text("⚠")
    page.locator("input[name=overdue]").uncheck()
    assert visible_kinds_and_stages(page) == everything
    assert page.outside == []  # type: ignore[attr-defined]


def test_board_is_complete_without_javascript(sample_site: Path, browser: Browser) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    board = next((sample_site / "commitments").glob("20*/b*.html"))
    page.goto(board.as_uri())
    expect(page.locator(".board-filter")).to_be_hidden()
    items = page.locator("#board-cards [data-board-item]")
    assert items.count() > 0
    assert page.locator("#board-cards [data-board-item]:visible").count() == items.count()
    context.close()


def test_company_board_filters_by_general_branch(sample_site: Path, page: Page) -> None:
    page.goto((sample_site / "commitments" / "index.html").as_uri())
    rows = page.locator("#board-rollup tbody tr")
    total = rows.count()
    option = page.locator("select[name=group] option").nth(1)
    group_name = option.inner_text()
    page.locator("select[name=group]").select_option(index=1)
    shown = page.locator("#board-rollup tbody tr:visible")
    assert 2 < shown.count() < total
    expect(shown.nth(1)).to_contain_text(group_name)  # after the committee's own row
    branch = page.locator("select[name=branch]")
    branch.select_option(index=1)
    chosen = branch.locator("option").nth(1).inner_text()
    overdue = page.locator("#board-overdue tbody tr:visible")
    assert overdue.count() > 0
    for i in range(min(overdue.count(), 10)):
        expect(overdue.nth(i).locator("td").first).to_have_text(chosen)


def test_the_organization_tree_nests_branches_under_their_general_branch(
    sample_site: Path, page: Page
) -> None:
    page.goto((sample_site / "org" / "index.html").as_uri())
    tree = page.locator(".board-tree")
    general = tree.locator("li", has=page.locator("> a", has_text="党总支")).first
    parent_link = general.locator("> a")
    child_link = general.locator("> ul > li > a").first
    expect(child_link).to_contain_text("党支部")
    parent_box, child_box = parent_link.bounding_box(), child_link.bounding_box()
    assert parent_box and child_box
    assert child_box["x"] >= parent_box["x"] + 12  # indented under it, as a reader sees it
    committee = tree.locator("> ul > li")
    assert committee.count() == 1  # one root: the committee
