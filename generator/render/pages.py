"""Turn a ``Board`` into the generated files, keyed by their path in the site.

Nothing here knows about MkDocs: the pipeline hands these to MkDocs, and tests render
them directly (golden files). Every view is a plain function of the ``Board``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from generator.files import BlobCache
from generator.model.history import History
from generator.model.schema import Organization
from generator.parallel import PARALLEL_ITEMS, parallel_map
from generator.ranking.board import Board
from generator.render import commitments
from generator.render.environment import render
from generator.render.exports import quarter_csv, quarter_xlsx, results_json, template_xlsx
from generator.render.memo import Family, PageMemo
from generator.render.parts import split_heavy
from generator.render.practices import (
    branch_comparison,
    indicators_view,
    problems_view,
    stars_view,
)
from generator.render.quarters import archive_view, quarter_view
from generator.render.search import apply_search_policy, searched_at_scale
from generator.render.sources import (
    SUMMARY_PAGES,
    PageSources,
    as_of_footer,
    page_sources,
    sources_footer,
    summary_footer,
)
from generator.render.units import unit_view, units_view
from generator.render.views import (
    home_view,
    notices_view,
    org_view,
    rectification_view,
    rules_view,
    tree_view,
    year_board_view,
)
from generator.render.widget import widget_html, widget_json

Pages = dict[str, str | bytes]


def render_site(
    board: Board,
    history: History | None = None,
    cache_dir: Path | None = None,
    memo: PageMemo | None = None,
) -> Pages:
    """Every generated file: ``{"index.md": ..., "org/b01.md": ..., "exports/2026Q3.xlsx": b...}``.

    ``history`` (from git) adds each page's data sources and the change-log page;
    ``cache_dir`` keeps slow downloads (workbooks) by content between builds; ``memo``
    keeps branch pages by what they are made of (``memo.py``): a kept page is not rendered.
    """
    memo = memo or PageMemo()
    downloads = BlobCache(cache_dir)
    kinds = families(board)

    def family(*names: str) -> Pages:  # each family all kept, or all rendered again
        out: Pages = {}
        for name in names:
            paths = kinds[name].paths
            if all(memo.has(path) for path in paths):
                out |= {path: memo.kept[path] for path in paths}
                continue
            for path in paths:  # rendered again: every page of it gets its footers again
                memo.kept.pop(path, None)
            out |= kinds[name].render(downloads)
        return out

    pages: Pages = {
        "index.md": render("home.md.j2", home_view(board)),
        "org/index.md": render("org_index.md.j2", tree_view(board)),
    }
    pages |= family("rules", "archive", "rectification", "notices", "stars", "indicators")
    pages |= family("problems")
    orgs = list(board.data.orgs.values())
    todo = [org for org in orgs if not memo.has(f"org/{org.id}.md")]
    rendered = parallel_map(lambda org: render("org.md.j2", org_view(board, org)), todo)
    fresh = {f"org/{org.id}.md": text for org, text in zip(todo, rendered, strict=True)}
    pages |= {f"org/{o.id}.md": fresh.get(f"org/{o.id}.md", "") for o in orgs}  # in order
    pages |= family("quarters")
    pages |= _commitment_pages(board, memo)
    pages |= family("units", "downloads")
    sources = page_sources(board.data)
    if history is not None:
        pages["changes.md"] = render("changes.md.j2", {"history": history})
        pages["technical-changes.md"] = render("technical_changes.md.j2", {"history": history})
        _add_footers(sources, pages, history, memo.kept)
    latest = board.data.latest_year  # the latest year's board is also the index
    pages["commitments/index.md"] = (
        pages[f"commitments/{latest}.md"] if latest else render("commitments_none.md.j2", {})
    )
    members = len(board.data.members)
    for path, content in pages.items():
        if isinstance(content, str) and path.endswith(".md") and path not in memo.kept:
            content = pages[path] = content + as_of_footer(board.as_of)
            whole = searched_at_scale(path)
            pages[path] = apply_search_policy(path, content, members, whole=whole)
    pages |= memo.kept  # as they were kept: footers and search marks included
    memo.keep(pages)
    # A page with a memo key (kept or rendered this time) is what its key names, exactly.
    named = {path: key for path, key in memo.keys.items() if path in pages}
    # Each part repeats the footer; a named page is split as it was last time.
    split_heavy(pages, as_of_footer(board.as_of), stable=named, store=memo.splits)
    return pages


def families(board: Board) -> dict[str, Family]:
    """Every family of pages the page memo may keep, by name."""
    quarters = board.data.quarter_ids
    units = [f"units/{unit}.md" for unit in board.data.units]

    def single(path: str, template: str, view: Callable[[Board], Any], *reads: str) -> Family:
        return Family(frozenset(reads), [path], lambda _: {path: render(template, view(board))})

    return {
        "quarters": Family(
            frozenset({"interview", "member"}),
            [path for q in quarters for path in (f"quarters/{q}.md", f"quarters/notice-{q}.md")],
            lambda _: _quarter_pages(board),
        ),
        "units": Family(
            frozenset({"unit", "member"}), ["units/index.md", *units], lambda _: _unit_pages(board)
        ),
        "downloads": Family(frozenset(), _download_paths(quarters), partial(_downloads, board)),
        "rules": single("rules.md", "rules.md.j2", rules_view),
        "archive": single("quarters/index.md", "quarters_index.md.j2", archive_view),
        "rectification": single(
            "rectification/index.md",
            "rectification.md.j2",
            rectification_view,
            "interview",
            "member",
        ),
        "notices": single("notices/index.md", "notices.md.j2", notices_view),
        "stars": single("stars/index.md", "stars.md.j2", stars_view, "star"),
        "indicators": single("indicators/index.md", "indicators.md.j2", indicators_view),
        "problems": single("problems/index.md", "problems.md.j2", problems_view),
    }


def _add_footers(
    sources: PageSources, pages: Pages, history: History, kept: dict[str, str | bytes]
) -> None:
    for path, files in sources.items():
        content = pages.get(path)
        if isinstance(content, str) and path.endswith(".md") and path not in kept:
            pages[path] = content + sources_footer(files, history)
    for path in SUMMARY_PAGES:
        pages[path] = str(pages[path]) + summary_footer(history)


def _quarter_pages(board: Board) -> Pages:
    out: Pages = {}
    for quarter in board.data.quarter_ids:
        view = quarter_view(board, quarter)
        out[f"quarters/{quarter}.md"] = render("quarter.md.j2", view)
        out[f"quarters/notice-{quarter}.md"] = render("quarter_notice.md.j2", view)
    return out


def _commitment_pages(board: Board, memo: PageMemo) -> Pages:
    """The company board per year and each branch's cards (those not kept in ``memo``)."""
    out: Pages = {}
    branches = board.data.branches
    cards = [
        (year, branch)
        for year in commitments.years(board)
        for branch in branches
        if not memo.has(f"commitments/{year}/{branch.id}.md")
    ]
    rendered = iter(parallel_map(lambda card: _branch_board(board, *card), cards))
    for year in commitments.years(board):
        overdue, count = commitments.overdue_html(board, year)
        overview = {
            "rollup": commitments.rollup_html(board, year),
            "overdue": overdue,
            "overdue_count": count,
        }
        out[f"commitments/{year}.md"] = render(
            "commitments_index.md.j2", year_board_view(board, year, overview)
        )
        for branch in branches:
            path = f"commitments/{year}/{branch.id}.md"
            out[path] = memo.kept[path] if path in memo.kept else next(rendered)
    return out


def _branch_board(board: Board, year: int, branch: Organization) -> str:
    cards, card_list = commitments.cards_html(board, branch, year)
    statuses = [p["status"] for c in card_list for p in c.commitments]
    view = {
        "branch": branch,
        "year": year,
        "cards": cards,
        "public": len(statuses),
        "pending": sum(c.pending for c in card_list),
        "overdue": sum(bool(s.overdue) for s in statuses),
        "wishes": list(board.data.wishes_by_branch_year.get((branch.id, year), [])),
        "members": board.data.member_names,
        "rounds": board.data.rounds.get((branch.id, year), []),
        "comparison": branch_comparison(board, branch.id, year),
        "check_every_days": board.data.site.policy.check_every_days,
        "owners": {
            p["c"].id: board.data.member_names.get(p["c"].member, p["c"].member)
            for c in card_list
            for p in c.commitments
        },
        "texts": {p["c"].id: p["c"].text for c in card_list for p in c.commitments},
    }
    return render("commitments_branch.md.j2", view)


def _unit_pages(board: Board) -> Pages:
    dataset = board.data
    out: Pages = {"units/index.md": render("units_index.md.j2", units_view(dataset))}
    units = list(dataset.units.values())
    rendered = parallel_map(lambda unit: render("unit.md.j2", unit_view(dataset, unit)), units)
    out |= {f"units/{unit.id}.md": text for unit, text in zip(units, rendered, strict=True)}
    return out


def _download_paths(quarters: list[str]) -> list[str]:
    fixed = ["exports/results.json", "exports/template.xlsx", "widget/index.html"]
    return [*fixed, "widget/current.json"] + [
        f"exports/{q}.{suffix}" for q in quarters for suffix in ("csv", "xlsx")
    ]


def _downloads(board: Board, cache: BlobCache) -> Pages:
    out: Pages = {
        "exports/results.json": results_json(board),
        "exports/template.xlsx": template_xlsx(board),
        "widget/index.html": widget_html(board),
        "widget/current.json": widget_json(board),
    }
    quarters = board.data.quarter_ids
    large = len(board.data.branches) >= PARALLEL_ITEMS  # a workbook per quarter: slow when large
    books = parallel_map(lambda q: quarter_xlsx(board, q, cache), quarters, worth_it=large)
    for quarter, book in zip(quarters, books, strict=True):
        out[f"exports/{quarter}.csv"] = quarter_csv(board, quarter)
        out[f"exports/{quarter}.xlsx"] = book
    return out
