"""Checks of the board's structure: site settings, organizations, members, rules."""

from __future__ import annotations

from collections.abc import Iterator

from generator.errors import Problem
from generator.model import schema
from generator.model.checks.base import (
    Index,
    check,
    duplicates,
    missing_ref,
    must_match,
    unique_field,
)
from generator.model.entry import Entry
from generator.model.policy import unknown_internal
from generator.model.yamlio import Path_
from generator.text import number

# ------------------------------------------------------------------ site


@check
def site_config(index: Index) -> Iterator[Problem]:
    sites = index.of("site")
    if not sites and f"{index.root}/site.yaml" in index.failed:
        return
    if not sites:
        yield Problem(
            f"{index.root}/site.yaml",
            1,
            1,
            "",
            "缺少站点配置文件 site.yaml（公司名称、党委编号、公示信息）",
        )
        return
    for item in unknown_internal(sites[0].record):
        yield sites[0].problem(
            ("privacy", "internal"),
            f"“{item}”不是可以设为内部的字段：应写成“模型.字段”（如 Member.post），"
            "且该字段必须是选填",
        )
    committee = sites[0].record.committee
    org = index.orgs.get(committee)
    if (org is None and index.unknown_org(committee)) or (org and org.kind != "党委"):
        committees = [o.id for o in index.orgs.values() if o.kind == "党委"]
        yield sites[0].problem(("committee",), missing_ref("党委", committee, committees))


# ---------------------------------------------------------- organizations


@check
def organizations(index: Index) -> Iterator[Problem]:
    allowed_parents = {"党委": set(), "党总支": {"党委"}, "党支部": {"党委", "党总支"}}
    for e in index.of("organization"):
        org: schema.Organization = e.record
        yield from must_match(e, ("id",), org.id, e.parts["id"], "编号")
        if org.kind == "党委":
            if org.parent:
                yield e.problem(("parent",), "党委是最高一级，不应填写上级组织 parent")
        elif not org.parent:
            yield e.problem(("parent",), f"{org.kind}必须填写上级组织 parent")
        elif index.unknown_org(org.parent):
            yield e.problem(("parent",), missing_ref("上级组织", org.parent, list(index.orgs)))
        elif index.orgs[org.parent].kind not in allowed_parents[org.kind]:
            parent_kind = index.orgs[org.parent].kind
            yield e.problem(("parent",), f"{org.kind}的上级不能是{parent_kind}“{org.parent}”")
        yield from _org_secretary(index, e, org)
        yield from _org_categories(e, org)
        for i, group in enumerate(org.groups):
            leader_branch = index.member_branch.get(group.leader or "")
            if (
                group.leader
                and leader_branch != org.id
                and (leader_branch or index.unknown_member(group.leader, org.id))
            ):
                yield e.problem(
                    ("groups", i, "leader"), missing_ref("本支部党员", group.leader, [])
                )
            elif group.leader and (left := index.left(group.leader)) is not None:
                yield e.problem(
                    ("groups", i, "leader"), f"党小组组长“{group.leader}”{left}，请更换组长"
                )
    groups: list[tuple[str, Entry, Path_]] = [
        (g.id, e, ("groups", i, "id"))
        for e in index.of("organization")
        for i, g in enumerate(e.record.groups)
    ]
    yield from duplicates(groups, "党小组编号")


def _org_secretary(index: Index, e: Entry, org: schema.Organization) -> Iterator[Problem]:
    if org.secretary is None:
        return
    branch = index.member_branch.get(org.secretary)
    own = org.id if org.kind == "党支部" else None  # a branch's secretary is its member
    if branch is None and index.unknown_member(org.secretary, own):
        yield e.problem(("secretary",), index.missing_member(org.secretary))
    elif branch is not None and org.kind == "党支部" and branch != org.id:
        yield e.problem(
            ("secretary",), f"支部书记“{org.secretary}”不是本支部的党员（属于“{branch}”）"
        )
    elif branch is not None and (left := index.left(org.secretary)) is not None:
        yield e.problem(("secretary",), f"书记“{org.secretary}”{left}，请更换书记 secretary")


def _org_categories(e: Entry, org: schema.Organization) -> Iterator[Problem]:
    if org.categories and org.kind == "党委":
        yield e.problem(("categories",), "党委不参加季度考核，不应填写考核类别 categories")
    previous = ""
    for i, span in enumerate(org.categories):
        if span.since <= previous:
            yield e.problem(
                ("categories", i, "from"),
                f"类别生效季度应按时间递增：{span.since} 不晚于上一条 {previous}",
            )
        previous = span.since
    if org.categories and org.unit_type is None:
        yield e.problem(
            ("unit_type",),
            "参加考核的组织必须填写 unit_type（基层单位 或 本部），用于贡献度/融合度",
        )


# ---------------------------------------------------------------- members


@check
def members(index: Index) -> Iterator[Problem]:
    for e in index.of("member"):
        f: schema.MembersFile = e.record
        yield from must_match(e, ("branch",), f.branch, e.parts["branch"], "支部编号")
        if index.unknown_org(f.branch):
            yield e.problem(("branch",), missing_ref("组织", f.branch, list(index.orgs)))
        for i, m in enumerate(f.members):
            group_ok = index.group_branch.get(m.group or "") == f.branch
            org_failed = index.failed_file(f"organizations/{f.branch}.yaml")
            if m.group and not group_ok and not org_failed:
                groups = [g for g, b in index.group_branch.items() if b == f.branch]
                yield e.problem(
                    ("members", i, "group"), missing_ref("本支部的党小组", m.group, groups)
                )


# ------------------------------------------------------------------ rules


@check
def rules(index: Index) -> Iterator[Problem]:
    all_rules = index.of("rules")
    if not all_rules and not any(f.startswith(f"{index.root}/rules/") for f in index.failed):
        yield Problem(
            f"{index.root}/rules", 1, 1, "", "缺少考核规则：rules/ 下至少需要一个规则文件"
        )
    seen_from: dict[str, str] = {}
    for e in all_rules:
        r: schema.Rules = e.record
        yield from must_match(e, ("id",), r.id, e.parts["id"], "编号")
        if r.effective_from in seen_from:
            yield e.problem(
                ("effective_from",),
                f"已有规则“{seen_from[r.effective_from]}”自 {r.effective_from} 起生效；"
                "每个季度只能有一版规则生效",
            )
        seen_from[r.effective_from] = r.id
        yield from _rule_sums(e, r)
        for cat in schema.CATEGORIES:
            if cat not in r.categories:
                yield e.problem(("categories",), f"缺少 {cat} 类的红蓝榜规则")
        for cat, rule in r.categories.items():
            for colour in ("red", "blue", "yellow"):
                lst = getattr(rule, colour)
                chosen = [
                    k for k in ("top", "bottom", "below") if lst and getattr(lst, k) is not None
                ]
                if lst is not None and len(chosen) != 1:
                    yield e.problem(
                        ("categories", cat, colour),
                        "每条上榜规则须且只能写 top、bottom、below 之一",
                    )


def _rule_sums(e: Entry, r: schema.Rules) -> Iterator[Problem]:
    names = [d.name for d in r.dimensions]
    yield from unique_field(e, "dimensions", names, "考核维度")
    for i, d in enumerate(r.dimensions):
        for cat, most in d.max.items():
            if most % r.step != 0:
                yield e.problem(
                    ("dimensions", i, "max", cat),
                    f"“{d.name}”{cat} 类满分 {number(most)} 不是计分步长 {number(r.step)} "
                    "的整数倍；请调整满分或步长 step",
                )
    for cat in schema.CATEGORIES:
        missing = [d.name for d in r.dimensions if cat not in d.max]
        if missing:
            yield e.problem(("dimensions",), f"{cat} 类缺少以下维度的分值：{'、'.join(missing)}")
            continue
        total = sum(d.max[cat] for d in r.dimensions)
        if total != 100:
            yield e.problem(
                ("dimensions",), f"{cat} 类各维度满分之和应为 100，现为 {number(total)}"
            )
