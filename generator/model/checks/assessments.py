"""Checks of the quarterly assessments: complete quarters, scores within the rules."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from generator.errors import Problem
from generator.model import schema
from generator.model.checks.base import (
    Index,
    check,
    corrections,
    missing_ref,
    must_match,
)
from generator.model.entry import Entry
from generator.model.messages import did_you_mean

# ------------------------------------------------------------ assessments


@check
def quarters(index: Index) -> Iterator[Problem]:
    infos = {e.parts["quarter"]: e for e in index.of("quarter")}
    for e in infos.values():
        q: schema.QuarterInfo = e.record
        yield from must_match(e, ("quarter",), q.quarter, e.parts["quarter"], "季度")
        if q.inspection_end < q.inspection_start:
            yield e.problem(("inspection_end",), "检查结束日期早于开始日期")
        yield from corrections(e, q.published, q.corrections)
    for quarter in sorted(index.quarters - set(infos)):
        if f"{index.root}/assessments/{quarter}/_quarter.yaml" in index.failed:
            continue  # it exists but did not load: already reported
        yield Problem(
            f"{index.root}/assessments/{quarter}/_quarter.yaml",
            1,
            1,
            "",
            "缺少本季度的检查信息文件 _quarter.yaml（检查起止日期、通报文号、发布日期）",
        )
    yield from _quarter_completeness(index, infos)


def _quarter_completeness(index: Index, infos: dict[str, Entry]) -> Iterator[Problem]:
    """A branch listed in a quarter's category must have a score: never a silent zero."""
    scored = {(e.parts["quarter"], e.parts["branch"]) for e in index.of("assessment")}
    for quarter, e in sorted(infos.items()):
        if quarter == index.importing:
            continue
        for org in sorted(index.orgs.values(), key=lambda o: o.id):
            failed = f"{index.root}/assessments/{quarter}/{org.id}.yaml" in index.failed
            if _category(org, quarter) and (quarter, org.id) not in scored and not failed:
                yield e.problem(
                    ("quarter",),
                    f"{quarter} 缺少“{org.name}”（{org.id}）的考核得分："
                    f"请添加 assessments/{quarter}/{org.id}.yaml",
                )


def _category(org: schema.Organization, quarter: str) -> schema.CategoryName | None:
    current = None
    for span in org.categories:
        if span.since <= quarter:
            current = span.category
    return current


def _rules_for(index: Index, quarter: str) -> schema.Rules | None:
    in_force = sorted((e.record for e in index.of("rules")), key=lambda r: r.effective_from)
    chosen = [r for r in in_force if r.effective_from <= quarter]
    return chosen[-1] if chosen else None


@check
def assessments(index: Index) -> Iterator[Problem]:
    for e in index.of("assessment"):
        a: schema.Assessment = e.record
        yield from must_match(e, ("quarter",), a.quarter, e.parts["quarter"], "季度")
        yield from must_match(e, ("branch",), a.branch, e.parts["branch"], "支部编号")
        org = index.orgs.get(a.branch)
        if org is None:
            if index.unknown_org(a.branch):
                yield e.problem(("branch",), missing_ref("组织", a.branch, list(index.orgs)))
            continue
        category = _category(org, a.quarter)
        if category is None:
            yield e.problem(
                ("branch",),
                f"“{org.name}”在 {a.quarter} 还没有考核类别；请在组织文件的 categories 中补充",
            )
            continue
        rules = _rules_for(index, a.quarter)
        if rules is None:
            yield e.problem(
                ("quarter",), f"没有在 {a.quarter} 生效的考核规则；请检查 rules/ 的 effective_from"
            )
            continue
        yield from _scores(e, a, rules, category)
        yield from _extras(e, a, rules, org)


def _scores(
    e: Entry, a: schema.Assessment, rules: schema.Rules, category: schema.CategoryName
) -> Iterator[Problem]:
    maxima = {d.name: d.max.get(category, 0.0) for d in rules.dimensions}
    for name in maxima:
        if name not in a.scores:
            yield e.problem(("scores",), f"缺少维度“{name}”的得分（规则 {rules.id}）")
    for name, value in a.scores.items():
        if name not in maxima:
            yield e.problem(
                ("scores", name),
                f"规则 {rules.id} 中没有维度“{name}”{did_you_mean(name, list(maxima))}",
            )
        elif value > maxima[name]:
            yield e.problem(
                ("scores", name), f"得分 {value:g} 超过 {category} 类该维度满分 {maxima[name]:g}"
            )
    taken: defaultdict[str, float] = defaultdict(float)
    for i, d in enumerate(a.deductions):
        if d.dimension not in maxima:
            yield e.problem(
                ("deductions", i, "dimension"),
                f"规则 {rules.id} 中没有维度“{d.dimension}”"
                f"{did_you_mean(d.dimension, list(maxima))}",
            )
            continue
        taken[d.dimension] += d.points
        if taken[d.dimension] > a.scores.get(d.dimension, 0) + 1e-9:
            yield e.problem(
                ("deductions", i, "points"),
                f"“{d.dimension}”累计扣分 {taken[d.dimension]:g} "
                f"超过该维度得分 {a.scores.get(d.dimension, 0):g}",
            )


def _extras(
    e: Entry, a: schema.Assessment, rules: schema.Rules, org: schema.Organization
) -> Iterator[Problem]:
    items = {x.name: x for x in rules.extra_items}
    for name, value in a.extra.items():
        item = items.get(name)
        if item is None:
            yield e.problem(
                ("extra", name),
                f"规则 {rules.id} 中没有加分项“{name}”{did_you_mean(name, list(items))}",
            )
        elif item.applies_to != org.unit_type:
            yield e.problem(
                ("extra", name), f"“{name}”只适用于{item.applies_to}，“{org.name}”是{org.unit_type}"
            )
        elif value > item.max:
            yield e.problem(("extra", name), f"“{name}”得分 {value:g} 超过满分 {item.max:g}")
