"""Heavy pages split into parts: nothing lost, every link still lands, the site builds."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from generator import buildcache
from generator.buildcache import EntryStore
from generator.render import parts, render_site
from generator.render.parts import split_heavy
from generator.render.sources import as_of_footer
from tests.conftest import ROOT, board_of, make_project

BUDGET = 20_000  # the sample's heavy pages (30–60 KB) split into two or three parts
ANCHOR = re.compile(r"\{[^{}]*#([\w-]+)[^{}]*\}|\bid=\"([\w-]+)\"")
FOOTER = as_of_footer(board_of(ROOT / "data").as_of)
LINK = re.compile(r"(?:\]\(|href=\")([^)\"\s#]*)#([\w-]+)")


@pytest.fixture(scope="module")
def whole() -> dict[str, str | bytes]:
    return render_site(board_of(ROOT / "data"), None)


@pytest.fixture(scope="module")
def split(whole: dict[str, str | bytes]) -> dict[str, str | bytes]:
    pages = dict(whole)
    split_heavy(pages, as_of_footer(board_of(ROOT / "data").as_of), BUDGET)
    return pages


def markdown(pages: dict[str, str | bytes]) -> dict[str, str]:
    return {p: t for p, t in pages.items() if p.endswith(".md") and isinstance(t, str)}


def test_heavy_pages_split_and_light_pages_stay_whole(
    whole: dict[str, str | bytes], split: dict[str, str | bytes]
) -> None:
    heavy = [p for p, t in markdown(whole).items() if len(t.encode()) > BUDGET]
    assert {"rectification/index.md", "quarters/2026Q3.md"} <= set(heavy)
    for path, text in markdown(whole).items():
        if path not in heavy:
            assert split[path] == text, path
    for path in heavy:
        first = str(split[path])
        assert "本页内容较多，分为" in first, path
        assert posixpath.basename(path).removesuffix(".md") + ".part2.md" in first
        assert f"{path.removesuffix('.md')}.part2.md" in split


def test_no_line_of_a_split_page_is_lost(
    whole: dict[str, str | bytes], split: dict[str, str | bytes]
) -> None:
    for path, text in markdown(whole).items():
        stem = path.removesuffix(".md")
        together = "".join(
            str(t) for p, t in split.items() if p == path or p.startswith(stem + ".part")
        )
        for line in text.splitlines():
            if line.startswith(("| ", "- ", "<tr")):  # every row and item of the page
                assert line in together or LINK.search(line), (path, line)


def test_every_anchor_link_lands_on_a_page_that_has_the_anchor(
    split: dict[str, str | bytes],
) -> None:
    pages = markdown(split)
    anchors = {p: {a or b for a, b in ANCHOR.findall(t)} for p, t in pages.items()}
    checked = 0
    for path, text in pages.items():
        for target, anchor in LINK.findall(text):
            md = target.removesuffix(".html") + ".md" if target.endswith(".html") else target
            page = posixpath.normpath(posixpath.join(posixpath.dirname(path), md)) if md else path
            # Cards are HTML fragments (their ids are not in the Markdown): anchors of
            # sections and rows are what a split can move.
            if page in anchors and anchor.startswith(("r-", "round-", "comparison")):
                assert anchor in anchors[page], (path, target, anchor)
                checked += 1
    assert checked > 50


def test_a_page_over_the_budget_keeps_one_section_too_big_to_cut(
    whole: dict[str, str | bytes],
) -> None:
    """A section that alone exceeds the budget stays whole rather than cut mid-table."""
    pages = dict(whole)
    split_heavy(pages, "", 1_000)
    for path, text in markdown(pages).items():
        if ".part" in path:
            body = text.split("</small>\n", 1)[1]
            assert body.count("\n## ") + body.count("\n### ") >= 1, path


def test_the_split_site_builds_strict(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """MkDocs accepts the parts: out of the nav, every link and anchor valid."""
    monkeypatch.setattr(parts, "PAGE_BUDGET", BUDGET)
    project = make_project(tmp_path / "board", ROOT / "data")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1794700800")
    config = load_config(str(project / "mkdocs.yml"), strict=True)
    config.plugins.on_startup(command="build", dirty=False)
    build(config)
    config.plugins.on_shutdown()
    site = project / "site"
    second = (site / "rectification" / "index.part2.html").read_text(encoding="utf-8")
    assert "约谈与整改（第 2 部分）" in second and "统计日期" in second
    assert (site / "quarters" / "2026Q3.part2.html").is_file()


@pytest.fixture(params=["memory", "store", "both"])
def kept_where(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[EntryStore | None, bool]]:
    """Where splits are kept between builds: in memory (``mkdocs serve``), in the
    build cache (a new process), or both."""
    store = EntryStore(tmp_path, "splits") if request.param != "memory" else None
    buildcache.keep_in_memory(request.param != "store")
    yield store, request.param != "store"
    buildcache.keep_in_memory(False)


def test_splits_and_links_kept_are_those_made_afresh(
    whole: dict[str, str | bytes], kept_where: tuple[EntryStore | None, bool]
) -> None:
    """Pages whose stable key is unchanged are split and repointed as in an earlier
    build; when a heavy page changes (and its key), what moved changes, and every page's
    links are those of a split made afresh."""
    store, _ = kept_where
    stable = {path: f"key of {path}" for path in whole}
    heavy = next(p for p in whole if f"{p.removesuffix('.md')}.part2.md" in split_pages(whole))
    text = str(whole[heavy])
    first = text.index("\n## ")
    grown = text[:first] + "\n\n## 新增的一节\n\n" + "新增内容。" * 3000 + "\n" + text[first:]
    builds = [  # the pages of each build, with their keys
        (whole, stable),
        (whole, stable),  # all kept this time
        ({**whole, heavy: grown}, {**stable, heavy: "a new key"}),
        (whole, stable),  # and back
    ]
    fresh = [split_pages(pages) for pages, _ in builds]  # nothing kept: each made afresh
    for (pages, keys), expected in zip(builds, fresh, strict=True):
        kept = dict(pages)
        split_heavy(kept, FOOTER, BUDGET, stable=keys, store=store)
        assert kept == expected
    assert fresh[2] != fresh[0]
    if store is not None:
        assert store.dir is not None and any(store.dir.rglob("*"))


def test_a_stored_split_is_used_as_stored(whole: dict[str, str | bytes], tmp_path: Path) -> None:
    """A new process takes a kept page's split from the store, not from its text: a
    page whose key is unchanged is never split again (which is why its key must name
    its content exactly)."""
    store = EntryStore(tmp_path, "splits")
    stable = {path: f"key of {path}" for path in whole}
    split_heavy(dict(whole), FOOTER, BUDGET, stable=stable, store=store)
    heavy = next(p for p in whole if f"{p.removesuffix('.md')}.part2.md" in split_pages(whole))
    changed = {**whole, heavy: str(whole[heavy]).replace("\n## ", "\n## 改过 ", 1)}
    again = dict(changed)
    split_heavy(again, FOOTER, BUDGET, stable=stable, store=store)
    assert again == split_pages(whole)  # from the store, made from the old text
    assert again != split_pages(changed)


@pytest.mark.parametrize(
    "forged",
    [
        b"not json",
        b"[]",
        b'{"split": [["a.md"], ["x", "y"], {}]}',  # names and parts do not pair
        b'{"split": [["a.md", 1], ["x", "y"], {}]}',
        b'{"split": [["a.md", "b.md"], ["x", "y"], {"k": 3}]}',
        b'{"split": "a.md"}',
        b'{"text": 7}',
        b'{"texts": "x"}',
    ],
)
def test_a_stored_entry_of_another_shape_is_made_again(
    whole: dict[str, str | bytes], tmp_path: Path, forged: bytes
) -> None:
    store = EntryStore(tmp_path, "splits")
    stable = {path: f"key of {path}" for path in whole}
    split_heavy(dict(whole), FOOTER, BUDGET, stable=stable, store=store)
    assert store.dir is not None
    for entry in [p for p in store.dir.rglob("*") if p.is_file()]:
        store.put(entry.name, forged)
    again = dict(whole)
    split_heavy(again, FOOTER, BUDGET, stable=stable, store=store)
    assert again == split_pages(whole)


def split_pages(pages: dict[str, str | bytes]) -> dict[str, str | bytes]:
    out = dict(pages)
    split_heavy(out, FOOTER, BUDGET)
    return out
