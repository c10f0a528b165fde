"""Intranet-ready, proven in headless chromium on the sample site.

Readers sit on an intranet without internet, on phones and old browsers, and print lists
for notice boards. So: no request leaves the site, from a folder (file://) or a web
server; Chinese search finds a member, a commitment and a branch; printed pages are A4
with content only; every page fits a phone; headings, table headers and colours are
accessible. Page types come from tests/browsing.py (shared with `make screenshots`).

Loading a page costs most of the time here, so each page type is loaded once per way of
reading it (a desktop from the folder; a phone from a web server, with and without
JavaScript), and the tests below read what the browser saw then.
"""

from __future__ import annotations

import collections
import itertools
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jieba
import pytest
import yaml
from playwright.sync_api import Browser, Page, ViewportSize, expect

from tests.browsing import (
    A4_INSIDE_MARGINS,
    DESKTOP,
    PAGE_TYPES,
    PHONE,
    PRINTED,
    page_types,
    serve,
)


@pytest.fixture(scope="session")
def pages(sample_site: Path) -> dict[str, str]:
    return page_types(sample_site)


@contextmanager
def visit(
    browser: Browser, url: str, *, viewport: ViewportSize = DESKTOP, javascript: bool = True
) -> Iterator[tuple[Page, list[str]]]:
    """A fresh context on ``url`` and every URL it requested, workers and frames included."""
    context = browser.new_context(viewport=viewport, locale="zh-CN", java_script_enabled=javascript)
    requested: list[str] = []
    context.on("request", lambda r: requested.append(r.url))
    page = context.new_page()
    try:
        page.goto(url)
        yield page, requested
    finally:
        context.close()


def off_site(requested: list[str], base: str) -> list[str]:
    """Requests to anything but the site: over file:// any local file is fine."""
    allowed = ("file://",) if base.startswith("file:") else (f"{base}/",)
    return [u for u in requested if not u.startswith((*allowed, "data:", "blob:"))]


@dataclass
class Seen:
    """What the browser requested and measured while one page was open."""

    url: str
    requested: list[str]
    facts: dict[str, Any]


# Structure, colours and red/blue marks of the page on screen, then the marks in print.
DESKTOP_FACTS = """selector => {
  const colourOf = e => {
    let back = e;
    while (back && getComputedStyle(back).backgroundColor.endsWith(", 0)"))
      back = back.parentElement;
    return [e.className || e.tagName, getComputedStyle(e).color,
            back ? getComputedStyle(back).backgroundColor : "rgb(255, 255, 255)"];
  };
  return {
    levels: [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")].map(h => +h.tagName[1]),
    headless: [...document.querySelectorAll("table")]
      .filter(t => !t.querySelector("thead th, th[scope]")).length,
    marks: [...document.querySelectorAll(".board-list")].map(m => m.textContent.trim()),
    colours: [...document.querySelectorAll(selector)].slice(0, 300).map(colourOf),
  };
}"""
COLOURED = (
    ".board-list, .board-overdue, .board-badge, .board-promise__gaps, .board-steps .is-todo, "
    ".board-card__who p, article a, .md-header__title"
)
MARK_COLOURS = """() => [...document.querySelectorAll(".board-list")]
  .map(m => getComputedStyle(m).color)"""

# How wide the page is on a phone, and what sticks out of it if it is too wide.
PHONE_FACTS = """width => ({
  width: document.documentElement.scrollWidth,
  outside: [...document.querySelectorAll("body *")]
    .filter(e => e.getBoundingClientRect().right > width + 1)
    .filter(e => { for (let a = e.parentElement; a && a !== document.body; a = a.parentElement)
                     if (getComputedStyle(a).overflowX !== "visible") return false;
                   return true; })
    .slice(0, 5).map(e => `${e.tagName}.${e.className}: ${e.textContent.trim().slice(0, 30)}`),
  stacked: document.querySelectorAll(".board-stack td").length,
  keysOut: [...document.querySelectorAll(".board-stack td")]
    .filter(e => e.getBoundingClientRect().right > width + 1 || e.offsetParent === null)
    .slice(0, 5).map(e => e.textContent.trim().slice(0, 30)),
  charts: [...document.querySelectorAll(".board-chart")]
    .filter(e => getComputedStyle(e).display !== "none")
    .map(e => Math.round(e.getBoundingClientRect().width)),
})"""


@pytest.fixture(scope="module")
def on_desktop(browser: Browser, sample_site: Path, pages: dict[str, str]) -> Callable[[str], Seen]:
    """Each page type opened once from the folder (file://) at desktop width."""
    seen: dict[str, Seen] = {}

    def look(name: str) -> Seen:
        if name not in seen:
            url = f"{sample_site.as_uri()}/{pages[name]}"
            with visit(browser, url) as (page, requested):
                facts = page.evaluate(DESKTOP_FACTS, COLOURED)
                page.emulate_media(media="print")
                facts["printedMarks"] = page.evaluate(MARK_COLOURS)
            seen[name] = Seen(url, requested, facts)
        return seen[name]

    return look


@pytest.fixture(scope="module")
def on_phone(browser: Browser, site_url: str, pages: dict[str, str]) -> Callable[[str, bool], Seen]:
    """Each page type opened once from the web server at 375 px, with or without JavaScript."""
    seen: dict[tuple[str, bool], Seen] = {}

    def look(name: str, javascript: bool) -> Seen:
        if (name, javascript) not in seen:
            url = f"{site_url}/{pages[name]}"
            with visit(browser, url, viewport=PHONE, javascript=javascript) as (page, requested):
                facts = page.evaluate(PHONE_FACTS, PHONE["width"])
            seen[name, javascript] = Seen(url, requested, facts)
        return seen[name, javascript]

    return look


# ---------------------------------------------------------------- nothing leaves


def test_page_types_cover_every_page_of_the_site(sample_site: Path, pages: dict[str, str]) -> None:
    """A new kind of page must join tests/browsing.py, or none of these tests would see it."""

    def kind(rel: str) -> str:
        folder, _, name = rel.rpartition("/")
        return re.sub(r"\d+", "N", folder) + "/" if folder else name

    built = {kind(p.relative_to(sample_site).as_posix()) for p in sample_site.rglob("*.html")}
    assert built <= {kind(rel) for rel in pages.values()}


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_page_opened_from_the_folder_requests_only_local_files(
    name: str, on_desktop: Callable[[str], Seen]
) -> None:
    """Styles, scripts, fonts, images and polyfills all load before the load event;
    what search fetches later is checked by the search tests."""
    seen = on_desktop(name)
    assert seen.requested[:1] == [seen.url]  # the log sees the page itself
    assert off_site(seen.requested, seen.url) == []


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_page_from_a_web_server_requests_nothing_from_other_hosts(
    name: str, on_phone: Callable[[str, bool], Seen], site_url: str
) -> None:
    seen = on_phone(name, True)
    assert seen.requested[:1] == [seen.url]
    assert off_site(seen.requested, site_url) == []


# ---------------------------------------------------------------- Chinese search


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def branch_of(pages: dict[str, str]) -> str:
    return Path(pages["branch"]).stem


def member_query(site: Path, pages: dict[str, str]) -> tuple[str, list[str]]:
    """A member (with a name nobody else has) of the branch whose pages the tests open."""
    data, branch = site.parent / "data", branch_of(pages)
    names = collections.Counter(
        m["name"] for f in data.glob("members/*.yaml") for m in load_yaml(f)["members"]
    )
    members = load_yaml(data / "members" / f"{branch}.yaml")["members"]
    name = next(m["name"] for m in members if names[m["name"]] == 1)
    return name, [f"/org/{branch}.html", f"/{branch}.html"]  # its branch page or board


def branch_query(site: Path, pages: dict[str, str]) -> tuple[str, list[str]]:
    branch = branch_of(pages)
    name = load_yaml(site.parent / "data" / "organizations" / f"{branch}.yaml")["name"]
    return name, [f"/org/{branch}.html"]


def commitment_query(site: Path, pages: dict[str, str]) -> tuple[str, list[str]]:
    """Two words a reader would type from one of the branch's published commitments.

    The pair whose words (cut by jieba, as the search index cuts them) are rarest across
    all commitments, so that the phrase points at a few boards, not at every page.
    """
    board = (site / pages["board"]).read_text(encoding="utf-8")
    texts = collections.defaultdict(list)
    for path in sorted((site.parent / "data").glob("commitments/*/*.yaml")):
        for c in load_yaml(path).get("commitments") or []:
            texts[path.stem].append(jieba.lcut(c["text"]))
    frequency = collections.Counter(w for ts in texts.values() for t in ts for w in set(t))
    han = re.compile(r"[\u4e00-\u9fff]{2,}")
    pairs = [
        (sorted((frequency[a], frequency[b])), a + b)
        for words in texts[branch_of(pages)]
        for a, b in itertools.pairwise(words)
        if han.fullmatch(a) and han.fullmatch(b) and a + b in board
    ]
    phrase = min(pairs)[1]
    # The boards show the commitment; so may the branch's organization page.
    shown = [*site.glob("commitments/*/*.html"), *site.glob("org/*.html")]
    return phrase, [
        "/" + p.relative_to(site).as_posix() for p in shown if phrase in p.read_text("utf-8")
    ]


QUERIES = {"member": member_query, "commitment": commitment_query, "branch": branch_query}


@pytest.fixture(scope="module")
def queries(sample_site: Path, pages: dict[str, str]) -> dict[str, tuple[str, list[str]]]:
    """Search words from data/ (never hard-coded) and the pages they must find."""
    return {kind: make(sample_site, pages) for kind, make in QUERIES.items()}


def search(page: Page, query: str) -> None:
    """Open Material's search and type ``query`` as a reader does."""
    button = page.locator("label.md-header__button[for=__search]")
    (button if button.is_visible() else page.locator("input.md-search__input")).click()
    box = page.locator("input.md-search__input")
    box.press_sequentially(query)
    # Material searches on keyup. An input method sends one when a phrase is committed;
    # Playwright types Han characters as inserted text, without key events.
    box.press("End")


@pytest.fixture(params=["file", "http"])
def base(request: pytest.FixtureRequest, sample_site: Path) -> str:
    """The site from its folder (search in an iframe) and from a web server (a web worker)."""
    if request.param == "file":
        return sample_site.as_uri()
    return str(request.getfixturevalue("site_url"))


@pytest.mark.parametrize("kind", list(QUERIES))
def test_chinese_search_finds_the_right_page(
    kind: str, base: str, queries: dict[str, tuple[str, list[str]]], browser: Browser
) -> None:
    query, expected = queries[kind]
    assert expected, query
    with visit(browser, f"{base}/index.html") as (page, requested):
        search(page, query)
        hits = page.locator(", ".join(f"a.md-search-result__link[href*='{e}']" for e in expected))
        try:  # the index is built in the browser first: a second or two
            expect(hits.first).to_be_attached(timeout=30_000)
        except AssertionError:
            found = page.locator(".md-search-result__meta").inner_text()
            links = page.locator("a.md-search-result__link").evaluate_all(
                "links => links.map(a => a.getAttribute('href').split('?')[0])"
            )
            raise AssertionError(f"{query!r}: {found}; none of {expected} in {links}") from None
        # The search index, the worker and its language scripts come from the site too.
        assert off_site(requested, base) == []


def result_links(page: Page) -> list[str]:
    """The pages search found, best first (one per page: its first result)."""
    links = page.locator("li.md-search-result__item > a.md-search-result__link")
    hrefs: list[str] = links.evaluate_all("ls => ls.map(a => a.getAttribute('href'))")
    return list(dict.fromkeys(h.split("?")[0].split("#")[0] for h in hrefs))


@pytest.mark.parametrize("kind", ["member", "branch"])
def test_a_name_answers_with_its_branch_page_first(
    kind: str, base: str, queries: dict[str, tuple[str, list[str]]], browser: Browser
) -> None:
    """Not the organization tree or a run-on list that happens to contain the name."""
    query, expected = queries[kind]
    with visit(browser, f"{base}/index.html") as (page, _):
        search(page, query)
        expect(page.locator("a.md-search-result__link").first).to_be_attached(timeout=30_000)
        assert result_links(page)[0].endswith(expected[0]), (query, result_links(page))


def test_a_query_typed_before_the_index_is_ready_runs_when_it_is(
    sample_site: Path, queries: dict[str, tuple[str, list[str]]], browser: Browser
) -> None:
    query, expected = queries["branch"]
    with (
        serve(sample_site, slow=("search_index.json", 4.0)) as base,
        visit(browser, f"{base}/index.html") as (page, _),
    ):
        search(page, query)
        expect(page.locator(".md-search-result__meta")).to_have_text("正在初始化搜索引擎")
        expect(page.locator("a.md-search-result__link").first).to_be_attached(timeout=30_000)
        assert result_links(page)[0].endswith(expected[0])


# ---------------------------------------------------------------- print

CHROME = (
    ".md-header",
    ".md-tabs",
    ".md-sidebar",
    ".md-footer",
    ".md-top",
    ".md-search",
    ".md-button",
    ".board-filter",
)
PRINT_FACTS = """() => {
  const style = e => getComputedStyle(e);
  const article = document.querySelector("article").getBoundingClientRect();
  const tables = [...document.querySelectorAll("article table")];
  return {
    rows: tables.map(t => style(t.rows[t.rows.length - 1]).breakInside),
    blocks: [...document.querySelectorAll(".board-promise, .board-chart")]
      .map(e => style(e).breakInside),
    tables: tables.map(t => style(t).breakInside),
    tooWide: tables.filter(t => t.getBoundingClientRect().right > article.right + 1).length,
    headings: [...document.querySelectorAll("article h2, article h3")].map(h => style(h).breakAfter),
    newSheets: [...document.querySelectorAll("article h2, article h3")]
      .filter(h => style(h).breakBefore === "page").map(h => h.textContent.trim()),
  };
}"""
# Parts that start a new sheet of paper.
NEW_SHEETS = {"notice": [], "quarter": ["问题清单"], "branch": [], "board": []}


@pytest.mark.parametrize("name", PRINTED)
def test_printed_page_is_a4_content_only_and_breaks_between_sections(
    name: str, pages: dict[str, str], site_url: str, browser: Browser
) -> None:
    url = f"{site_url}/{pages[name]}"
    with visit(browser, url, viewport=A4_INSIDE_MARGINS) as (page, _):
        page.emulate_media(media="print")
        for selector in CHROME:
            for element in page.locator(selector).all():
                expect(element).to_be_hidden()
        facts = page.evaluate(PRINT_FACTS)
        pdf = page.pdf(format="A4", prefer_css_page_size=True)
    assert set(facts["rows"]) <= {"avoid"}, "a table row may split across pages"
    assert set(facts["blocks"]) <= {"avoid"}, "a commitment or chart may split"
    assert set(facts["tables"]) <= {"avoid"}, "a table that fits on a sheet may still split"
    assert set(facts["headings"]) == {"avoid"}, "a heading may end a page"
    assert facts["newSheets"] == NEW_SHEETS[name]
    assert facts["tooWide"] == 0, "a table is wider than the paper"
    sizes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    assert sizes and {(round(float(w)), round(float(h))) for w, h in sizes} == {(595, 842)}


@pytest.mark.parametrize("name", ["home", "quarter", "notice", "branch"])
def test_red_and_blue_marks_read_without_colour(
    name: str, on_desktop: Callable[[str], Seen]
) -> None:
    """A shape and a word on screen; black on paper, where only they are left."""
    facts = on_desktop(name).facts
    assert facts["marks"]
    assert all(re.fullmatch(r"[▲▼●](红榜|蓝榜|黄色预警)", mark) for mark in facts["marks"])
    assert set(facts["printedMarks"]) == {"rgb(0, 0, 0)"}


# ---------------------------------------------------------------- phones


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("name", PAGE_TYPES)
def test_page_fits_a_phone_screen(
    name: str, javascript: bool, on_phone: Callable[[str, bool], Seen]
) -> None:
    """Nothing wider than 375 px: wide tables and charts scroll inside their own box."""
    facts = on_phone(name, javascript).facts
    assert facts["width"] <= PHONE["width"], facts["outside"]


# The pages whose lists a phone must read whole: the list mark, the score, the status.
KEY_COLUMNS = (
    "home", "quarters", "quarter", "commitments", "rectification", "notices", "problems",
    "units", "stars", "indicators",
)  # fmt: skip


@pytest.mark.parametrize("name", KEY_COLUMNS)
def test_key_columns_stay_in_view_on_a_phone(
    name: str, on_phone: Callable[[str, bool], Seen]
) -> None:
    """Each row a card at 375 px: every cell of a listed table is on the screen."""
    facts = on_phone(name, True).facts
    assert facts["stacked"] > 0, "no list table on this page"
    assert facts["keysOut"] == []


def test_charts_fit_a_phone_and_show_the_latest_quarters(
    on_phone: Callable[[str, bool], Seen],
) -> None:
    facts = on_phone("branch", True).facts
    assert facts["charts"] and all(w <= PHONE["width"] for w in facts["charts"])


@pytest.mark.parametrize("viewport, shown", [(PHONE, "narrow"), (DESKTOP, "wide")])
def test_a_branch_shows_one_chart_per_measure_sized_for_the_screen(
    viewport: ViewportSize, shown: str, sample_site: Path, pages: dict[str, str], browser: Browser
) -> None:
    """A phone gets the latest four quarters (readable labels), a desk the whole series."""
    with visit(browser, (sample_site / pages["branch"]).as_uri(), viewport=viewport) as (page, _):
        visible = page.locator("svg.board-chart:visible")
        assert visible.count() == 2  # base score and rank
        for i in range(2):
            assert f"board-chart--{shown}" in (visible.nth(i).get_attribute("class") or "")
        ticks = visible.first.locator("text").evaluate_all("ts => ts.map(t => t.textContent)")
        latest = Path(pages["quarter"]).stem  # the newest quarter: the series ends there
        assert f"{latest[:4]}年" in ticks, ticks


# ---------------------------------------------------------------- accessibility


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_headings_in_order_and_tables_with_headers(
    name: str, on_desktop: Callable[[str], Seen]
) -> None:
    facts = on_desktop(name).facts
    levels = facts["levels"]
    assert levels[:1] == [1] and levels.count(1) == 1, levels
    assert [(a, b) for a, b in itertools.pairwise(levels) if b > a + 1] == []
    assert facts["headless"] == 0, "a table without header cells"
    assert all(facts["marks"]), "a red/blue mark without words"


def rgba(css: str) -> tuple[float, ...]:
    parts = [float(x) for x in re.findall(r"[\d.]+", css)]
    return (*parts[:3], parts[3] if len(parts) > 3 else 1.0)


def luminance(rgb: tuple[float, ...]) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(text: str, background: str) -> float:
    """WCAG contrast ratio; a translucent text colour is first laid over its background."""
    *fg, alpha = rgba(text)
    bg = rgba(background)[:3]
    seen = tuple(alpha * f + (1 - alpha) * b for f, b in zip(fg, bg, strict=True))
    high, low = sorted((luminance(seen), luminance(bg)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize(
    ("text", "background", "ratio"),
    [
        ("rgb(0, 0, 0)", "rgb(255, 255, 255)", 21.0),
        ("rgb(118, 118, 118)", "rgb(255, 255, 255)", 4.54),  # the lightest grey that passes
        ("rgba(0, 0, 0, 0.54)", "rgb(255, 255, 255)", 4.59),  # Material's light text
        ("rgb(239, 85, 82)", "rgb(255, 255, 255)", 3.45),  # Material's red: too light
    ],
)
def test_contrast_is_measured_as_wcag_does(text: str, background: str, ratio: float) -> None:
    assert round(contrast(text, background), 2) == ratio


@pytest.mark.parametrize("name", ["home", "quarter", "board", "commitments", "rectification"])
def test_text_colours_have_enough_contrast(name: str, on_desktop: Callable[[str], Seen]) -> None:
    """WCAG AA (4.5:1) for the board's own colours, links and the header title."""
    found = on_desktop(name).facts["colours"]
    assert found
    assert {(what, fg, bg) for what, fg, bg in found if contrast(fg, bg) < 4.5} == set()
