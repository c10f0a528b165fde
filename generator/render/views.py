"""Views of the board's overview pages: home, organization tree and pages, rules,
rectification, notices. Each is a plain function of the ``Board``."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from generator.model.dataset import CommitmentRow
from generator.model.schema import (
    CATEGORIES,
    COMPARISON_RESULTS,
    LEFT_MARKS,
    STAGES,
    Deduction,
    Member,
    Organization,
    Rules,
    Unit,
)
from generator.ranking.board import Board
from generator.ranking.scoring import ScoreCard
from generator.render.commitments import years
from generator.render.practices import (
    branch_comparison,
    branch_problems,
    branch_stars,
    company_comparisons,
    unit_indicators,
)
from generator.render.quarters import (
    Disclosure,
    disclosure_window,
    history_view,
    interview_row,
    quarter_view,
)
from generator.render.units import unit_status
from generator.text import Md, cn_date, number


@dataclass(frozen=True)
class QuarterSummary:
    quarter: str
    rows: list[dict[str, object]]
    assessed: int
    inspection: str
    notice_number: str | None


def home_view(board: Board) -> dict[str, object]:
    dataset = board.data
    year = dataset.latest_year
    rows = [r for r in dataset.commitments if r.year == year]
    public = [r for r in rows if r.approved]
    stages = Counter(r.stage for r in public)
    latest = dataset.latest_quarter
    return {
        "site": dataset.site,
        "year": year,
        "counts": {
            "党委": sum(o.kind == "党委" for o in dataset.orgs.values()),
            "党总支": sum(o.kind == "党总支" for o in dataset.orgs.values()),
            "党支部": len(dataset.branches),
            "党员": len(dataset.current_members),
        },
        "public_count": len(public),
        "pending_count": len(rows) - len(public),
        "stages": [(s, stages.get(s, 0)) for s in STAGES],
        "units": Counter(u.kind for u in dataset.units.values() if u.withdrawn is None),
        "latest": _quarter_summary(board, latest),
        "current": quarter_view(board, latest) if latest else None,
        "open_items": len(board.open_items),
        "rules_in_force": dataset.rules_for(latest) if latest else None,
    }


def _quarter_summary(board: Board, quarter: str | None) -> QuarterSummary | None:
    if quarter is None:
        return None
    dataset = board.data
    info = dataset.quarters[quarter]
    rows: list[dict[str, object]] = []
    table = board.results.quarter(quarter)
    for category in CATEGORIES:
        bases = list(table[table["category"] == category]["base"])
        if bases:
            rows.append(
                {
                    "category": category,
                    "count": len(bases),
                    "mean": sum(bases) / len(bases),
                    "high": max(bases),
                    "low": min(bases),
                }
            )
    assessed = sum(q == quarter for q, _ in dataset.assessments)
    inspection = f"{cn_date(info.inspection_start)}至{cn_date(info.inspection_end)}"
    return QuarterSummary(quarter, rows, assessed, inspection, info.notice_number)


@dataclass(frozen=True)
class TreeLine:
    depth: int
    org: Organization
    secretary: str | None
    category: str | None
    members: int

    @property
    def indent(self) -> Md:
        """Python-Markdown nests a list item indented four spaces under its parent."""
        return Md("    " * self.depth)


def tree_view(board: Board) -> dict[str, object]:
    dataset = board.data
    lines: list[TreeLine] = []
    roots = [o for o in dataset.orgs.values() if not o.parent]
    stack = [(org, 0) for org in reversed(roots)]
    while stack:  # depth-first, children in id order
        org, depth = stack.pop()
        lines.append(_tree_line(board, org, depth))
        children = sorted(dataset.children.get(org.id, []))
        stack.extend((dataset.orgs[c], depth + 1) for c in reversed(children))
    return {"site": dataset.site, "lines": lines, "quarter": dataset.latest_quarter}


def _tree_line(board: Board, org: Organization, depth: int) -> TreeLine:
    dataset = board.data
    quarter = dataset.latest_quarter
    category = dataset.category_for(org.id, quarter) if quarter else None
    return TreeLine(
        depth,
        org,
        _member_name(board, org.secretary),
        category,
        len(dataset.members_by_branch.get(org.id, [])),
    )


def _member_name(board: Board, member_id: str | None) -> str | None:
    return board.data.members[member_id].name if member_id else None


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
    deductions: list[Deduction]
    rules: Rules


def org_view(board: Board, org: Organization) -> dict[str, object]:
    dataset = board.data
    members = dataset.members_by_branch.get(org.id, [])
    year = dataset.latest_year
    commitments = _public_commitments(board, org, year)
    return {
        "org": org,
        "site": dataset.site,
        "ancestors": dataset.ancestors(org.id),
        "children": [dataset.orgs[c] for c in sorted(dataset.children.get(org.id, []))],
        "secretary": _member_name(board, org.secretary),
        "groups": [(g.name, _member_name(board, g.leader)) for g in org.groups],
        "category_history": [(span.since, span.category) for span in org.categories],
        "members": _member_rows(board, org, members),
        "former": [_former_row(board, m) for m in dataset.former_members_by_branch.get(org.id, [])],
        "year": year,
        "commitments": commitments,
        "stage_counts": _stage_counts(commitments),
        "units": [_unit_row(board, u) for u in dataset.units_by_branch.get(org.id, [])],
        "latest": _latest_score(board, org),
        "history": history_view(board, org),
        "interviews": list(dataset.interviews_by_branch.get(org.id, [])),
        "as_of": board.as_of,
        "indicators": unit_indicators(board, org),
        "problems_summary": branch_problems(board, org),
        "stars": branch_stars(board, org),
        "comparison": branch_comparison(board, org.id, year) if year else None,
    }


def _member_rows(board: Board, org: Organization, members: list[Member]) -> list[MemberRow]:
    groups = {g.id: g.name for g in org.groups}
    badges = board.data.units_by_holder
    return [
        MemberRow(m, groups.get(m.group or ""), sorted({u.kind for u in badges.get(m.id, [])}))
        for m in members
    ]


def _former_row(board: Board, m: Member) -> dict[str, object]:
    """A member who left: when, why, and where to (a move inside the company)."""
    orgs = board.data.orgs
    to = orgs[m.moved_to].name if m.moved_to and m.moved_to in orgs else None
    return {"member": m, "mark": LEFT_MARKS[m.left_reason or "其他"], "to": to}


def _public_commitments(
    board: Board, org: Organization, year: int | None
) -> list[tuple[Member, CommitmentRow]]:
    """The commitments made in this branch that year (also by members who left since);
    only what the branch approved is public (公开承诺 needs 审核通过)."""
    if year is None:
        return []
    data = board.data
    return [
        (data.members[row.commitment.member], row)
        for m in data.members_in(org.id, year)
        for row in data.commitments_by_member.get(m.id, [])
        if row.year == year and row.branch == org.id and row.approved
    ]


def _stage_counts(rows: list[tuple[Member, CommitmentRow]]) -> list[tuple[str, int]]:
    counts = Counter(row.stage for _, row in rows)
    return [(stage, counts[stage]) for stage in STAGES if counts[stage]]


def _unit_row(board: Board, unit: Unit) -> dict[str, object]:
    dataset = board.data
    return {
        "unit": unit,
        "holders": "、".join(dataset.members[h].name for h in unit.holders),
        "status": unit_status(unit, dataset.site.policy.withdraw_below),
    }


def _latest_score(board: Board, org: Organization) -> LatestScore | None:
    dataset = board.data
    quarters = [q for q in dataset.quarter_ids if (q, org.id) in dataset.assessments]
    if not quarters:
        return None
    quarter = quarters[-1]
    assessment = dataset.assessments[(quarter, org.id)]
    category = dataset.category_for(org.id, quarter)
    rules = dataset.rules_for(quarter)
    # the checks guarantee a category and rules for every assessed quarter
    assert rules is not None and category is not None
    card = board.cards[(quarter, org.id)]
    rows: list[dict[str, object]] = [
        {"name": d.name, "max": d.maximum, "deducted": d.deducted, "score": d.score}
        for d in card.dimensions
    ]
    return LatestScore(quarter, category, card, rows, list(assessment.deductions), rules)


def rules_view(board: Board) -> dict[str, object]:
    versions = []
    for rules in reversed(board.data.rules):
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


def rectification_view(board: Board) -> dict[str, object]:
    dataset = board.data
    open_ = board.open_items
    interviews = sorted(
        dataset.interviews.values(), key=lambda iv: (iv.quarter, iv.id), reverse=True
    )
    return {
        "as_of": board.as_of,
        "open": open_,
        "overdue": sum(s.overdue for s in open_),
        "names": {o.id: o.name for o in dataset.orgs.values()},
        "members": dataset.member_names,
        "interviews": [interview_row(board, iv) for iv in interviews],
    }


def notices_view(board: Board) -> dict[str, object]:
    dataset, rows = board.data, []
    for state in board.notices:
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
    return {"as_of": board.as_of, "notices": rows}


def year_board_view(board: Board, year: int, overview: dict[str, object]) -> dict[str, object]:
    """The company's commitment board for one year (``overview``: roll-up and overdue)."""
    dataset = board.data
    meta = dataset.commitment_years.get(year)
    published = meta.published if meta else None
    window: Disclosure | None = disclosure_window(board, published)
    return {
        "year": year,
        "meta": meta,
        "site": dataset.site,
        "disclosure": window,
        "other_years": [y for y in years(board) if y != year],
        "policy": dataset.site.policy,
        "as_of": board.as_of,
        **overview,
        "wishes": _wish_tally(board, year),
        "comparisons": company_comparisons(board, year),
        "results": COMPARISON_RESULTS,
    }


def _wish_tally(board: Board, year: int) -> list[dict[str, object]]:
    rows = []
    for branch in board.data.branches:
        wishes = board.data.wishes_by_branch_year.get((branch.id, year), [])
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
