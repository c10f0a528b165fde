"""Turn a ``Dataset`` into the generated Markdown pages, keyed by their path in the site.

Nothing here knows about MkDocs: the plugin hands these strings to MkDocs, and
tests render them directly (golden files).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from statistics import mean

import jinja2

from generator.files import BlobCache
from generator.model.dataset import CommitmentRow, Dataset
from generator.model.schema import (
    CATEGORIES,
    QUARTER_PATTERN,
    SLUG_PATTERN,
    STAGES,
    CommitmentYear,
    Member,
    Organization,
    Rules,
    Unit,
)
from generator.parallel import PARALLEL_ITEMS, parallel_map
from generator.ranking.followup import as_of_date, notice_states, open_items
from generator.ranking.lists import Results, rank_all
from generator.ranking.scoring import ScoreCard, deductions_by_dimension, score_card
from generator.render import board
from generator.render.escape import Md, finalize, html_text, md_block, number, signed
from generator.render.exports import quarter_csv, quarter_xlsx, results_json, template_xlsx
from generator.render.quarters import (
    Disclosure,
    archive_view,
    history_view,
    interview_row,
    list_badge,
    prepare_indexes,
    quarter_view,
)
from generator.render.search import apply_search_policy
from generator.render.sources import sources_footer
from generator.render.units import unit_status, unit_view, units_view
from generator.render.widget import widget_html, widget_json
from generator.review.provenance import Provenance


def render_site(
    dataset: Dataset,
    as_of: dt.date | None = None,
    provenance: Provenance | None = None,
    cache_dir: Path | None = None,
) -> dict[str, str | bytes]:
    """Every generated file: ``{"index.md": ..., "org/b01.md": ..., "exports/2026Q3.xlsx": b...}``.

    ``as_of`` is the date overdue items are judged against (the build date by default);
    ``provenance`` (from git) adds each page's data sources and the change-log page;
    ``cache_dir`` keeps slow downloads (workbooks) by content between builds.
    """
    if not dataset.public:
        # Internal fields must be removed before rendering: see generator/security/policy.py.
        raise ValueError("render_site needs publishable(dataset), not the raw dataset")
    as_of = as_of or as_of_date()
    env = _environment()
    results = rank_all(dataset)
    pages: dict[str, str | bytes] = {
        "index.md": env.get_template("home.md.j2").render(home_view(dataset, results, as_of)),
        "org/index.md": env.get_template("org_index.md.j2").render(tree_view(dataset)),
        "rules.md": env.get_template("rules.md.j2").render(rules_view(dataset)),
        "quarters/index.md": env.get_template("quarters_index.md.j2").render(
            archive_view(dataset, results, as_of)
        ),
        "rectification/index.md": env.get_template("rectification.md.j2").render(
            rectification_view(dataset, as_of)
        ),
        "notices/index.md": env.get_template("notices.md.j2").render(notices_view(dataset, as_of)),
    }
    prepare_indexes(dataset, results)  # once here, not once in each worker process
    org_page = env.get_template("org.md.j2")
    orgs = list(dataset.orgs.values())
    rendered = parallel_map(lambda org: org_page.render(org_view(dataset, org, results)), orgs)
    for org, text in zip(orgs, rendered, strict=True):
        pages[org_path(org.id)] = text
    pages |= _quarter_pages(env, dataset, results, as_of)
    pages |= _commitment_pages(env, dataset, as_of)
    pages |= _unit_pages(env, dataset)
    pages |= _downloads(dataset, results, BlobCache(cache_dir))
    if provenance is not None:
        pages["changes.md"] = env.get_template("changes.md.j2").render(
            log=provenance.log, available=provenance.available, shallow=provenance.shallow
        )
        for path, content in pages.items():
            if isinstance(content, str) and path.endswith(".md"):
                pages[path] = content + sources_footer(path, dataset, provenance)
    for path, content in pages.items():
        if isinstance(content, str) and path.endswith(".md"):
            pages[path] = apply_search_policy(path, content, len(dataset.members))
    return pages


def _quarter_pages(
    env: jinja2.Environment, dataset: Dataset, results: Results, as_of: dt.date
) -> dict[str, str | bytes]:
    page, notice = env.get_template("quarter.md.j2"), env.get_template("quarter_notice.md.j2")
    out: dict[str, str | bytes] = {}
    for quarter in dataset.quarter_ids:
        view = quarter_view(dataset, results, quarter, as_of)
        out[f"quarters/{quarter}.md"] = page.render(view)
        out[f"quarters/notice-{quarter}.md"] = notice.render(view)
    return out


def _commitment_pages(
    env: jinja2.Environment, dataset: Dataset, as_of: dt.date
) -> dict[str, str | bytes]:
    """The company board per year (the latest also as the index) and each branch's cards."""
    all_years = board.years(dataset)
    out: dict[str, str | bytes] = {}
    index, branch_page = (
        env.get_template("commitments_index.md.j2"),
        env.get_template("commitments_branch.md.j2"),
    )
    cards = [(year, branch) for year in all_years for branch in dataset.branches]
    rendered = iter(
        parallel_map(
            lambda card: branch_page.render(_branch_board_view(dataset, card[1], card[0], as_of)),
            cards,
        )
    )
    for year in all_years:
        view = _board_view(dataset, year, all_years, as_of)
        out[f"commitments/{year}.md"] = index.render(view)
        for branch in dataset.branches:
            out[f"commitments/{year}/{branch.id}.md"] = next(rendered)
    if all_years:
        out["commitments/index.md"] = out[f"commitments/{all_years[0]}.md"]
    return out


def _board_view(
    dataset: Dataset, year: int, all_years: list[int], as_of: dt.date
) -> dict[str, object]:
    overdue, count = board.overdue_html(dataset, year, as_of)
    meta = dataset.commitment_years.get(year)
    return {
        "year": year,
        "meta": meta,
        "site": dataset.site,
        "disclosure": _year_disclosure(dataset, meta, as_of),
        "other_years": [y for y in all_years if y != year],
        "policy": dataset.site.policy,
        "as_of": as_of,
        "rollup": board.rollup_html(dataset, year, as_of),
        "overdue": overdue,
        "overdue_count": count,
        "wishes": _wish_tally(dataset, year),
    }


def _year_disclosure(
    dataset: Dataset, meta: CommitmentYear | None, as_of: dt.date
) -> Disclosure | None:
    if meta is None or meta.published is None:
        return None
    end = meta.published + dt.timedelta(days=dataset.site.disclosure.days - 1)
    return Disclosure(meta.published, end, meta.published <= as_of <= end)


def _wish_tally(dataset: Dataset, year: int) -> list[dict[str, object]]:
    rows = []
    for branch in dataset.branches:
        wishes = dataset.wishes_by_branch_year.get((branch.id, year), [])
        if wishes:
            rows.append(
                {
                    "branch": branch.id,
                    "name": branch.name,
                    "total": len(wishes),
                    "taken": sum(w.member is not None for w in wishes),
                    "done": sum(w.status == "已实现" for w in wishes),
                    "failed": sum(w.status == "未实现" for w in wishes),
                }
            )
    return rows


def _branch_board_view(
    dataset: Dataset, branch: Organization, year: int, as_of: dt.date
) -> dict[str, object]:
    cards, card_list = board.cards_html(dataset, branch, year, as_of)
    statuses = [p["status"] for c in card_list for p in c.commitments]
    return {
        "branch": branch,
        "year": year,
        "cards": cards,
        "public": len(statuses),
        "pending": sum(c.pending for c in card_list),
        "overdue": sum(bool(s.overdue) for s in statuses),
        "wishes": list(dataset.wishes_by_branch_year.get((branch.id, year), [])),
        "members": dataset.member_names,
    }


def _unit_pages(env: jinja2.Environment, dataset: Dataset) -> dict[str, str | bytes]:
    if not dataset.units:
        return {}
    out: dict[str, str | bytes] = {
        "units/index.md": env.get_template("units_index.md.j2").render(units_view(dataset))
    }
    page = env.get_template("unit.md.j2")
    units = list(dataset.units.values())
    rendered = parallel_map(lambda unit: page.render(unit_view(dataset, unit)), units)
    for unit, text in zip(units, rendered, strict=True):
        out[f"units/{unit.id}.md"] = text
    return out


def _downloads(dataset: Dataset, results: Results, cache: BlobCache) -> dict[str, str | bytes]:
    out: dict[str, str | bytes] = {
        "exports/results.json": results_json(dataset, results),
        "exports/template.xlsx": template_xlsx(dataset),
        "widget/index.html": widget_html(dataset, results),
        "widget/current.json": widget_json(dataset, results),
    }
    quarters = dataset.quarter_ids
    large = len(dataset.branches) >= PARALLEL_ITEMS  # a workbook per quarter: slow when large
    books = parallel_map(
        lambda q: quarter_xlsx(dataset, results, q, cache), quarters, worth_it=large
    )
    for quarter, book in zip(quarters, books, strict=True):
        out[f"exports/{quarter}.csv"] = quarter_csv(results, quarter)
        out[f"exports/{quarter}.xlsx"] = book
    return out


def org_path(org_id: str) -> str:
    """URLs come from ids, never from names, so they survive renames."""
    return f"org/{org_id}.md"


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("generator.render", "templates"),
        finalize=finalize,
        autoescape=False,  # Markdown, not HTML: ``finalize`` escapes for Markdown instead
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["block"] = md_block
    env.filters["num"] = lambda v: Md(number(v))
    env.filters["signed"] = signed
    env.filters["slug"] = _slug
    env.filters["slug_q"] = _quarter_slug
    env.filters["anchor"] = lambda v: Md(f"r-{_slug(v)}")
    env.filters["yaml_str"] = _front_matter_text
    return env


def _slug(value: str) -> Md:
    """An id used in a link target: already a validated slug, so it needs no escaping."""
    if not re.fullmatch(SLUG_PATTERN, value):
        raise ValueError(f"not a slug: {value!r}")
    return Md(value)


def _quarter_slug(value: str) -> Md:
    if not re.fullmatch(QUARTER_PATTERN, value):
        raise ValueError(f"not a quarter: {value!r}")
    return Md(value)


def _front_matter_text(value: str) -> Md:
    # Material prints ``page.meta.title`` into <title> and the header unescaped:
    # give it HTML-escaped text, quoted as JSON (which YAML reads as a string).
    return Md(json.dumps(html_text(" ".join(value.split())), ensure_ascii=False))


# ------------------------------------------------------------------- views


@dataclass(frozen=True)
class QuarterSummary:
    quarter: str
    rows: list[dict[str, object]]
    assessed: int
    inspection: str
    notice_number: str | None


def home_view(dataset: Dataset, results: Results, as_of: dt.date) -> dict[str, object]:
    year = _current_year(dataset)
    rows = [r for r in dataset.commitments if r.year == year]
    public = [r for r in rows if r.approved]
    stages = Counter(r.stage for r in public)
    return {
        "site": dataset.site,
        "year": year,
        "counts": {
            "党委": sum(o.kind == "党委" for o in dataset.orgs.values()),
            "党总支": sum(o.kind == "党总支" for o in dataset.orgs.values()),
            "党支部": len(dataset.branches),
            "党员": len(dataset.members),
        },
        "public_count": len(public),
        "pending_count": len(rows) - len(public),
        "stages": [(s, stages.get(s, 0)) for s in STAGES],
        "units": Counter(u.kind for u in dataset.units.values() if u.withdrawn is None),
        "latest": _quarter_summary(dataset, dataset.latest_quarter),
        "current": (
            quarter_view(dataset, results, dataset.latest_quarter, as_of)
            if dataset.latest_quarter
            else None
        ),
        "open_items": len(open_items(dataset, as_of)),
        "rules_in_force": dataset.rules_for(dataset.latest_quarter)
        if dataset.latest_quarter
        else None,
    }


def _current_year(dataset: Dataset) -> int | None:
    return dataset.latest_year


def _quarter_summary(dataset: Dataset, quarter: str | None) -> QuarterSummary | None:
    if quarter is None:
        return None
    info = dataset.quarters[quarter]
    rows: list[dict[str, object]] = []
    for category in CATEGORIES:
        bases = [
            score_card(a).base
            for (q, branch), a in dataset.assessments.items()
            if q == quarter and dataset.category_for(branch, quarter) == category
        ]
        if bases:
            rows.append(
                {
                    "category": category,
                    "count": len(bases),
                    "mean": round(mean(bases), 2),
                    "high": max(bases),
                    "low": min(bases),
                }
            )
    assessed = sum(q == quarter for q, _ in dataset.assessments)
    inspection = f"{info.inspection_start} 至 {info.inspection_end}"
    return QuarterSummary(quarter, rows, assessed, inspection, info.notice_number)


@dataclass(frozen=True)
class TreeLine:
    depth: int
    org: Organization
    secretary: str | None
    category: str | None
    members: int


def tree_view(dataset: Dataset) -> dict[str, object]:
    lines: list[TreeLine] = []
    roots = [o for o in dataset.orgs.values() if not o.parent]
    stack = [(org, 0) for org in reversed(roots)]
    while stack:  # depth-first, children in id order
        org, depth = stack.pop()
        lines.append(_tree_line(dataset, org, depth))
        children = sorted(dataset.children.get(org.id, []))
        stack.extend((dataset.orgs[c], depth + 1) for c in reversed(children))
    return {"site": dataset.site, "lines": lines, "quarter": dataset.latest_quarter}


def _tree_line(dataset: Dataset, org: Organization, depth: int) -> TreeLine:
    quarter = dataset.latest_quarter
    category = dataset.category_for(org.id, quarter) if quarter else None
    return TreeLine(
        depth,
        org,
        _member_name(dataset, org.secretary),
        category,
        len(dataset.members_by_branch.get(org.id, [])),
    )


def _member_name(dataset: Dataset, member_id: str | None) -> str | None:
    return dataset.members[member_id].name if member_id else None


@dataclass(frozen=True)
class MemberRow:
    member: Member
    group: str | None
    badges: list[str]


@dataclass(frozen=True)
class LatestScore:
    quarter: str
    category: str
    card: ScoreCard
    rows: list[dict[str, object]]
    deductions: list[dict[str, object]]
    rules: Rules


def org_view(dataset: Dataset, org: Organization, results: Results) -> dict[str, object]:
    members = dataset.members_by_branch.get(org.id, [])
    year = _current_year(dataset)
    return {
        "org": org,
        "site": dataset.site,
        "ancestors": dataset.ancestors(org.id),
        "children": [dataset.orgs[c] for c in sorted(dataset.children.get(org.id, []))],
        "secretary": _member_name(dataset, org.secretary),
        "groups": [(g.name, _member_name(dataset, g.leader)) for g in org.groups],
        "category_history": _category_history(org),
        "members": _member_rows(dataset, org, members),
        "year": year,
        "commitments": _public_commitments(dataset, members, year),
        "stage_counts": _stage_counts(_public_commitments(dataset, members, year)),
        "units": [_unit_row(dataset, u) for u in dataset.units_by_branch.get(org.id, [])],
        "latest": _latest_score(dataset, org),
        "history": history_view(dataset, results, org),
        "interviews": list(dataset.interviews_by_branch.get(org.id, [])),
    }


def _category_history(org: Organization) -> list[tuple[str, str]]:
    return [(span.since, span.category) for span in org.categories]


def _member_rows(dataset: Dataset, org: Organization, members: list[Member]) -> list[MemberRow]:
    groups = {g.id: g.name for g in org.groups}
    badges = dataset.units_by_holder
    return [
        MemberRow(m, groups.get(m.group or ""), sorted({u.kind for u in badges.get(m.id, [])}))
        for m in members
    ]


def _public_commitments(
    dataset: Dataset, members: list[Member], year: int | None
) -> list[tuple[Member, CommitmentRow]]:
    """Only what the branch approved is public (公开承诺 needs 审核通过)."""
    out = []
    for m in members:
        for row in dataset.commitments_by_member.get(m.id, []):
            if row.year == year and row.approved:
                out.append((m, row))
    return out


def _stage_counts(rows: list[tuple[Member, CommitmentRow]]) -> list[tuple[str, int]]:
    counts = Counter(row.stage for _, row in rows)
    return [(stage, counts[stage]) for stage in STAGES if counts[stage]]


def _unit_row(dataset: Dataset, unit: Unit) -> dict[str, object]:
    return {
        "unit": unit,
        "holders": "、".join(dataset.members[h].name for h in unit.holders),
        "status": unit_status(unit, dataset.site.policy.withdraw_below),
    }


def _latest_score(dataset: Dataset, org: Organization) -> LatestScore | None:
    quarters = [q for q in dataset.quarter_ids if (q, org.id) in dataset.assessments]
    if not quarters:
        return None
    quarter = quarters[-1]
    assessment = dataset.assessments[(quarter, org.id)]
    category = dataset.category_for(org.id, quarter)
    rules = dataset.rules_for(quarter)
    # checks.py guarantees a category and rules for every assessed quarter
    assert rules is not None and category is not None
    taken = deductions_by_dimension(assessment)
    rows: list[dict[str, object]] = [
        {
            "name": d.name,
            "max": d.max[category],
            "awarded": assessment.scores[d.name],
            "deducted": taken.get(d.name, 0.0),
        }
        for d in rules.dimensions
    ]
    deductions: list[dict[str, object]] = [
        {"dimension": d.dimension, "points": d.points, "reason": d.reason}
        for d in assessment.deductions
    ]
    return LatestScore(quarter, category, score_card(assessment), rows, deductions, rules)


def rules_view(dataset: Dataset) -> dict[str, object]:
    versions = []
    for rules in reversed(dataset.rules):
        versions.append({"rules": rules, "lists": _list_sentences(rules)})
    return {"versions": versions, "categories": CATEGORIES}


def _list_sentences(rules: Rules) -> list[tuple[str, str]]:
    """The red/blue rules in words, per category, as the notice states them."""
    out: list[tuple[str, str]] = []
    for category in CATEGORIES:
        rule = rules.categories.get(category)
        if rule is None:
            continue
        parts = []
        for colour, label in (("red", "红榜"), ("yellow", "黄色预警"), ("blue", "蓝榜")):
            lst = getattr(rule, colour)
            if lst is not None:
                parts.append(_list_sentence(lst, label))
        out.append((category, "；".join(parts) or "不设红蓝榜"))
    return out


def _list_sentence(lst: object, label: str) -> str:
    top, bottom, below = (getattr(lst, k) for k in ("top", "bottom", "below"))
    adjustment: float = getattr(lst, "adjustment")  # noqa: B009 - typed via ListRule
    if top is not None:
        who = "排名第一" if top == 1 else f"排名前 {top} 名"
    elif bottom is not None:
        who = "排名最后" if bottom == 1 else f"排名后 {bottom} 名"
    else:
        who = f"基础得分低于 {number(below)} 分"
    effect = (
        f"，月度绩效{'加' if adjustment > 0 else '扣'} {number(abs(adjustment))} 分"
        if adjustment
        else ""
    )
    return f"{who}的进入{label}{effect}"


def rectification_view(dataset: Dataset, as_of: dt.date) -> dict[str, object]:

    open_ = open_items(dataset, as_of)
    interviews = sorted(
        dataset.interviews.values(), key=lambda iv: (iv.quarter, iv.id), reverse=True
    )
    return {
        "as_of": as_of,
        "open": open_,
        "overdue": sum(s.overdue for s in open_),
        "names": {o.id: o.name for o in dataset.orgs.values()},
        "members": dataset.member_names,
        "interviews": [interview_row(dataset, iv, as_of) for iv in interviews],
    }


def notices_view(dataset: Dataset, as_of: dt.date) -> dict[str, object]:
    states = notice_states(dataset, as_of)
    rows = []
    for state in states:
        to = "、".join(dataset.orgs[o].name for o in state.notice.to)
        rows.append(
            {
                "notice": state.notice,
                "entries": state.items,
                "closed": state.closed,
                "is_closed": state.is_closed,
                "to": to,
            }
        )
    return {"as_of": as_of, "notices": rows}


__all__ = ["list_badge", "render_site"]
