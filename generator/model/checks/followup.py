"""Checks of what follows the lists: units, interviews and notices."""

from __future__ import annotations

from collections.abc import Iterator

from generator.errors import Problem
from generator.model import schema
from generator.model.checks.base import (
    Index,
    LateHint,
    check,
    closed_iff_done,
    missing_ref,
    must_match,
    unique_field,
    warning,
)
from generator.model.entry import Entry
from generator.model.yamlio import Path_
from generator.text import number

# ------------------------------------------------------------------ units


@check
def units(index: Index) -> Iterator[Problem]:
    for e in index.of("unit"):
        u: schema.Unit = e.record
        yield from must_match(e, ("id",), u.id, e.parts["id"], "编号")
        if index.unknown_org(u.branch):
            yield e.problem(("branch",), missing_ref("组织", u.branch, list(index.orgs)))
        if u.kind == "示范岗" and len(u.holders) != 1:
            yield e.problem(("holders",), f"党员示范岗由一名党员担任，这里写了 {len(u.holders)} 名")
        for i, holder in enumerate(u.holders):
            if index.unknown_member(holder):
                yield e.problem(("holders", i), index.missing_member(holder))
            elif u.withdrawn is None:
                yield from _still_here(index, e, ("holders", i), holder, u.branch, "holders")
        for i, act in enumerate(u.activities):
            for j, who in enumerate(act.participants):
                at = ("activities", i, "participants", j)
                if index.unknown_member(who):
                    yield e.problem(at, index.missing_member(who))
                elif why := index.away(who, u.branch, act.date):
                    yield e.problem(at, why)
        yield from unique_field(
            e, "self_evaluations", [s.quarter for s in u.self_evaluations], "季度"
        )
        yield from unique_field(
            e, "annual_evaluations", [str(a.year) for a in u.annual_evaluations], "年度"
        )


def _still_here(
    index: Index, e: Entry, at: Path_, member: str, branch: str, field: str
) -> Iterator[Problem]:
    """A current list (a unit's holders, an open item's owner) names only members who
    are still in the branch: the page would show someone who left as in charge."""
    stints = [s for s in index.stints.get(member, []) if s.branch == branch]
    if stints and all(s.member.left_on is not None for s in stints):
        m = stints[-1].member
        yield e.problem(
            at,
            f"党员“{m.name}”（{m.id}）已于 {m.left_on} 离开本支部（{m.left_reason}），"
            f"请更换 {field}",
        )


# ----------------------------------------------------- interviews, notices


@check
def interviews(index: Index) -> Iterator[Problem]:
    for e in index.of("interview"):
        iv: schema.Interview = e.record
        yield from must_match(e, ("id",), iv.id, e.parts["id"], "编号")
        if index.unknown_org(iv.branch):
            yield e.problem(("branch",), missing_ref("组织", iv.branch, list(index.orgs)))
        if iv.quarter not in index.quarters:
            yield e.problem(("quarter",), f"没有 {iv.quarter} 的考核数据；约谈应对应已考核的季度")
        if index.unknown_member(iv.interviewee):
            yield e.problem(("interviewee",), index.missing_member(iv.interviewee))
        elif why := index.away(iv.interviewee, iv.branch, iv.date):
            yield e.problem(("interviewee",), why)
        for i, item in enumerate(iv.items):
            if index.unknown_member(item.owner):
                yield e.problem(("items", i, "owner"), index.missing_member(item.owner))
            elif item.status == "整改中":
                yield from _still_here(
                    index, e, ("items", i, "owner"), item.owner, iv.branch, "owner"
                )
            yield from closed_iff_done(
                e, ("items", i), item.status == "已完成", item.completed_on, "completed_on"
            )
        yield from unique_field(e, "items", [item.id for item in iv.items], "整改事项编号")
        if iv.recheck and iv.recheck.quarter <= iv.quarter:
            yield e.problem(
                ("recheck", "quarter"), f"回头看应在约谈季度 {iv.quarter} 之后的季度进行"
            )


@check
def notices(index: Index) -> Iterator[Problem]:
    for e in index.of("notice"):
        n: schema.Notice = e.record
        yield from must_match(e, ("id",), n.id, e.parts["id"], "编号")
        for i, org in enumerate(n.to):
            if index.unknown_org(org):
                yield e.problem(("to", i), missing_ref("组织", org, list(index.orgs)))
        for i, item in enumerate(n.items):
            yield from closed_iff_done(
                e, ("items", i), item.status == "已完成", item.closed_on, "closed_on"
            )
        yield from unique_field(e, "items", [item.id for item in n.items], "事项编号")


@check
def unit_withdrawal(index: Index) -> Iterator[LateHint]:
    """A unit whose latest annual evaluation is below the line should lose its title."""
    sites = index.of("site")
    line = sites[0].record.policy.withdraw_below if sites else schema.Policy().withdraw_below
    for e in index.of("unit"):
        u: schema.Unit = e.record
        if u.withdrawn is None and u.annual_evaluations:
            latest = max(u.annual_evaluations, key=lambda a: a.year)
            if latest.score < line:
                yield warning(
                    e,
                    ("annual_evaluations",),
                    f"{latest.year} 年度考评 {number(latest.score)} 分，低于 {number(line)} 分，"
                    "按规定应撤销称号：请填写 withdrawn（日期、原因）",
                )
