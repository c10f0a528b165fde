"""Checks of the quarterly assessments: complete quarters, scores within the rules."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

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
from generator.model.yamlio import Path_
from generator.text import as_written, number

# ------------------------------------------------------------ assessments


@check
def quarters(index: Index) -> Iterator[Problem]:
    infos = {e.parts["quarter"]: e for e in index.of("quarter")}
    for e in infos.values():
        q: schema.QuarterInfo = e.record
        yield from must_match(e, ("quarter",), q.quarter, e.parts["quarter"], "季度")
        if q.inspection_end < q.inspection_start:
            yield e.problem(("inspection_end",), "检查结束日期早于开始日期")
        yield from _states(e, q)
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


def _states(e: Entry, q: schema.QuarterInfo) -> Iterator[Problem]:
    """草稿 → 已确认 → 已发布, in that order: a notice goes out only after the problem
    lists are agreed with every branch, and carries its number."""
    if q.published is not None and q.confirmed is None:
        yield e.problem(
            ("published",),
            "发布前必须先与各党支部核对确认问题清单："
            "请填写确认日期 confirmed（早于或等于发布日期）",
        )
    if q.published is not None and q.notice_number is None:
        yield e.problem(("published",), "发布的季度必须有通报文号 notice_number")
    if q.confirmed is not None and q.confirmed < q.inspection_end:
        yield e.problem(
            ("confirmed",), f"确认日期 {q.confirmed} 早于检查结束日期 {q.inspection_end}"
        )
    if q.confirmed is not None and q.published is not None and q.published < q.confirmed:
        yield e.problem(("published",), f"发布日期 {q.published} 早于确认日期 {q.confirmed}")


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
            if any(f.startswith(f"{index.root}/rules/") for f in index.failed):
                continue  # a rules file did not load: that is the problem, reported there
            yield e.problem(
                ("quarter",), f"没有在 {a.quarter} 生效的考核规则；请检查 rules/ 的 effective_from"
            )
            continue
        yield from _scores(e, a, rules, category)
        yield from _extras(e, a, rules, org)


def _scores(
    e: Entry, a: schema.Assessment, rules: schema.Rules, category: schema.CategoryName
) -> Iterator[Problem]:
    """Each point lost is a deduction with a reason; written scores agree with them."""
    maxima = {d.name: d.max.get(category, Decimal(0)) for d in rules.dimensions}
    if sum(maxima.values()) != 100 or any(m % rules.step for m in maxima.values()):
        return  # unsound rules (reported at the rules file) would fault every score
    taken: defaultdict[str, Decimal] = defaultdict(Decimal)
    misfiled = False  # a deduction under an unknown dimension: its points are unplaced
    for i, d in enumerate(a.deductions):
        if d.dimension not in maxima:
            misfiled = True
            yield e.problem(
                ("deductions", i, "dimension"),
                f"规则 {rules.id} 中没有维度“{d.dimension}”"
                f"{did_you_mean(d.dimension, list(maxima))}",
            )
            continue
        yield from _on_step(e, ("deductions", i, "points"), d.points, rules)
        taken[d.dimension] += d.points
        if taken[d.dimension] > maxima[d.dimension]:
            yield e.problem(
                ("deductions", i, "points"),
                f"“{d.dimension}”累计扣分 {number(taken[d.dimension])} 超过 {category} 类"
                f"该维度满分 {number(maxima[d.dimension])}",
            )
    # Written scores are compared only against a sound problem list and sound rules:
    # otherwise the one real mistake would be reported again on every score it moves.
    if a.scores and not misfiled:
        yield from _written_scores(e, a, rules, category, maxima, taken)


def _written_scores(
    e: Entry, a: schema.Assessment, rules: schema.Rules, category: str,
    maxima: dict[str, Decimal], taken: dict[str, Decimal],
) -> Iterator[Problem]:  # fmt: skip
    for name in maxima:
        if name not in a.scores:
            yield e.problem(
                ("scores",),
                f"缺少维度“{name}”的得分（规则 {rules.id}）；得分可以不写，由满分减扣分得出",
            )
    for name, value in a.scores.items():
        if name not in maxima:
            yield e.problem(
                ("scores", name),
                f"规则 {rules.id} 中没有维度“{name}”{did_you_mean(name, list(maxima))}",
            )
            continue
        if value > maxima[name]:
            yield e.problem(
                ("scores", name),
                f"得分 {number(value)} 超过 {category} 类该维度满分 {number(maxima[name])}",
            )
            continue
        if value % rules.step != 0:
            yield from _on_step(e, ("scores", name), value, rules)
            continue
        expected = maxima[name] - taken.get(name, Decimal(0))
        if value != expected:
            yield e.problem(
                ("scores", name),
                f"得分 {number(value)} 与问题清单不符：{category} 类满分 {number(maxima[name])}"
                f" − 扣分 {number(taken.get(name, Decimal(0)))} = {number(expected)}。"
                "每一分的扣减都要在 deductions 中写明原因；或删去 scores，由满分减扣分得出",
            )


def _on_step(e: Entry, path: Path_, value: Decimal, rules: schema.Rules) -> Iterator[Problem]:
    if value % rules.step != 0:
        yield e.problem(
            path,
            f"{as_written(value)} 不是计分步长 {number(rules.step)} 的整数倍（规则 {rules.id}）；"
            "分数不四舍五入，请按步长填写",
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
            yield e.problem(
                ("extra", name), f"“{name}”得分 {number(value)} 超过满分 {number(item.max)}"
            )
        else:
            yield from _on_step(e, ("extra", name), value, rules)
