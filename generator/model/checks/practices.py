"""Checks of the seeds' remaining practices: 三比三看, 星级党支部, problem types, 指标红榜."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from generator.errors import Problem
from generator.model import schema
from generator.model.checks.base import Index, check, missing_ref, must_match, unique_field
from generator.model.entry import Entry
from generator.model.messages import did_you_mean
from generator.model.yamlio import Path_


def _policy(index: Index) -> schema.Policy | None:
    """The site's policy; None when site.yaml did not load (its problems are reported,
    and what the lists it holds would allow is unknown)."""
    sites = index.of("site")
    return sites[0].record.policy if sites else None


def _branch(index: Index, e: Entry, branch: str) -> Iterator[Problem]:
    yield from must_match(e, ("branch",), branch, e.parts["branch"], "支部编号")
    org = index.orgs.get(branch)
    if org is None and index.unknown_org(branch):
        yield e.problem(("branch",), missing_ref("组织", branch, list(index.orgs)))
    elif org is not None and org.kind != "党支部":
        yield e.problem(("branch",), f"“{org.name}”是{org.kind}；这项记录只属于党支部")


def _in_window(e: Entry, at: Path_, day: dt.date, year: int, what: str) -> Iterator[Problem]:
    first, last = dt.date(year, 1, 1), dt.date(year + 1, 3, 31)
    if not first <= day <= last:
        yield e.problem(at, f"{what} {day} 不在 {year} 年度（{first} 至 {last}）")


# ------------------------------------------------------------------ 三比三看


@check
def comparisons(index: Index) -> Iterator[Problem]:
    for e in index.of("comparison"):
        f: schema.ComparisonFile = e.record
        yield from must_match(e, ("year",), str(f.year), e.parts["year"], "年度")
        yield from _branch(index, e, f.branch)
        yield from _in_window(e, ("held_on",), f.held_on, f.year, "评比日期")
        yield from unique_field(e, "members", [c.member for c in f.members], "党员")
        for i, c in enumerate(f.members):
            at = ("members", i, "member")
            if c.member not in index.stints and index.unknown_member(c.member, f.branch):
                yield e.problem(at, index.missing_member(c.member))
            elif c.member in index.stints and not index.was_in(c.member, f.branch, f.year):
                yield e.problem(
                    at, f"党员“{c.member}”在 {f.year} 年不在本支部，不能参加本支部的三比三看"
                )
            elif why := index.away(c.member, f.branch, f.held_on):
                yield e.problem(at, why)


# ---------------------------------------------------------- 星级党支部 / 双星联动


@check
def star_ratings(index: Index) -> Iterator[Problem]:
    policy = _policy(index)
    if policy is None:
        return
    criteria = policy.star_criteria
    for e in index.of("star"):
        r: schema.StarRating = e.record
        yield from must_match(e, ("year",), str(r.year), e.parts["year"], "年度")
        yield from _branch(index, e, r.branch)
        yield from _in_window(e, ("rated_on",), r.rated_on, r.year, "评定日期")
        names = [c.name for c in r.criteria]
        yield from unique_field(e, "criteria", names, "评定标准")
        for i, c in enumerate(r.criteria):
            if c.name not in criteria:
                yield e.problem(
                    ("criteria", i, "name"),
                    f"“{c.name}”不是 site.yaml 中 policy.star_criteria 的评定标准"
                    f"{did_you_mean(c.name, criteria)}",
                )
        missing = [c for c in criteria if c not in names]
        if missing and all(name in criteria for name in names):  # else a misspelling, above
            yield e.problem(
                ("criteria",), f"缺少评定标准：{'、'.join(missing)}（每一项都要写明是否达到 met）"
            )
        yield from unique_field(e, "teams", [t.team for t in r.teams], "班组")
        best = max(t.stars for t in r.teams)
        if best < r.stars:
            yield e.problem(
                ("stars",),
                f"评为 {r.stars} 星级党支部须有 {r.stars} 星级及以上的班组（双星联动：评定党支部"
                f"星级时必须有相应星级的班组）；本支部的班组最高为 {best} 星",
            )


# ---------------------------------------------------------------- problem types


@check
def problem_types(index: Index) -> Iterator[Problem]:
    policy = _policy(index)
    if policy is None:
        return
    types = policy.problem_types
    for e in index.of("assessment"):
        a: schema.Assessment = e.record
        for i, d in enumerate(a.deductions):
            yield from _typed(e, ("deductions", i), d.type, types)
            if d.closed_on is not None and d.measure is None:
                yield e.problem(
                    ("deductions", i, "measure"), "销号（closed_on）前须写明整改措施 measure"
                )
            if d.closed_on is not None and d.closed_on < a.inspected_on:
                yield e.problem(
                    ("deductions", i, "closed_on"),
                    f"销号日期 {d.closed_on} 早于检查日期 {a.inspected_on}",
                )
    for e in index.of("notice"):
        n: schema.Notice = e.record
        for i, item in enumerate(n.items):
            yield from _typed(e, ("items", i), item.type, types)


def _typed(e: Entry, at: Path_, value: str | None, types: list[str]) -> Iterator[Problem]:
    if value is None and types:
        yield e.problem(
            (*at, "type"),
            f"请写明问题类型 type（site.yaml 中 policy.problem_types 的一项，如“{types[0]}”）",
        )
    elif value is not None and not types:
        yield e.problem(
            (*at, "type"),
            "site.yaml 中还没有问题类型清单（policy.problem_types）：请先在那里列出问题类型",
        )
    elif value is not None and value not in types:
        yield e.problem(
            (*at, "type"),
            f"“{value}”不在问题类型清单（site.yaml policy.problem_types）中"
            f"{did_you_mean(value, types)}",
        )


# ------------------------------------------------------------------- 指标红榜


@check
def indicators(index: Index) -> Iterator[Problem]:
    units = sorted({o.unit for o in index.orgs.values() if o.unit})
    # A unit named only in an organization file that did not load is not "unknown".
    orgs_failed = any(f.startswith(f"{index.root}/organizations/") for f in index.failed)
    for e in index.of("indicators"):
        f: schema.IndicatorsFile = e.record
        yield from must_match(e, ("quarter",), f.quarter, e.parts["quarter"], "季度")
        if f.quarter not in index.quarters:
            yield e.problem(
                ("quarter",),
                f"没有 {f.quarter} 的季度考核：指标红榜与该季度的考核结果一起公示",
            )
        yield from unique_field(e, "units", [u.unit for u in f.units], "单位")
        for i, u in enumerate(f.units):
            if u.unit not in units and not orgs_failed:
                yield e.problem(
                    ("units", i, "unit"),
                    f"没有哪个党组织的所在单位（unit）是“{u.unit}”{did_you_mean(u.unit, units)}",
                )
            seen: set[str] = set()
            for j, x in enumerate(u.indicators):
                if x.name in seen:
                    yield e.problem(
                        ("units", i, "indicators", j, "name"), f"指标“{x.name}”重复记录了两次"
                    )
                seen.add(x.name)
