"""Rules that span records or files: references, unique ids, sums, orders.

Each check yields ``Problem``s located at the field that is wrong, so every
problem of a run is reported at once.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

from generator.errors import Hint, Problem
from generator.model import schema
from generator.model.dataset import Entry
from generator.model.messages import did_you_mean
from generator.model.yamlio import Path_

Check = Callable[["Index"], Iterator[Problem | Hint]]
_CHECKS: list[Check] = []


def check(func: Check) -> Check:
    _CHECKS.append(func)
    return func


@dataclass
class Index:
    """Entries by kind plus the id tables that references resolve against."""

    entries: dict[str, list[Entry]]
    root: str
    failed: set[str] = field(default_factory=set)  # files that did not load; no "missing" noise
    orgs: dict[str, schema.Organization] = field(default_factory=dict)
    member_branch: dict[str, str] = field(default_factory=dict)
    group_branch: dict[str, str] = field(default_factory=dict)
    quarters: set[str] = field(default_factory=set)

    failed_kinds: set[str] = field(default_factory=set)
    importing: str | None = None  # a quarter whose scores are being imported

    def of(self, kind: str) -> list[Entry]:
        return self.entries.get(kind, [])

    def unknown_member(self, member_id: str) -> bool:
        """True if no member has this id (and no members file failed to load, which
        would make this a repeat of a problem already reported)."""
        return member_id not in self.member_branch and "members" not in self.failed_kinds

    def unknown_org(self, org_id: str) -> bool:
        return org_id not in self.orgs and "organization" not in self.failed_kinds


def check_entries(
    entries: list[Entry],
    root: str,
    failed: set[str],
    failed_kinds: set[str],
    importing: str | None = None,
) -> list[Problem | Hint]:
    """Run every cross-file check over the validated entries (errors and hints).

    Files in ``failed`` were already reported; checks that would only repeat
    their absence ("missing site.yaml", "dangling reference") stay quiet.
    """
    by_kind: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        by_kind[entry.kind].append(entry)
    index = Index(by_kind, root, failed, failed_kinds=failed_kinds, importing=importing)
    # By file name: an id that disagrees with it is reported once, not at every reference.
    index.orgs = {e.parts[0]: e.record for e in index.of("organization")}
    for e in index.of("members"):
        for m in e.record.members:
            index.member_branch.setdefault(m.id, e.record.branch)
    for org in index.orgs.values():
        for group in org.groups:
            index.group_branch.setdefault(group.id, org.id)
    index.quarters = {e.parts[0] for e in index.of("assessment") + index.of("quarter")}
    problems: list[Problem | Hint] = []
    for run in _CHECKS:
        problems.extend(run(index))
    return problems


def _missing_ref(what: str, value: str, choices: list[str]) -> str:
    return f"找不到{what}“{value}”{did_you_mean(value, choices)}"


def _must_match(
    entry: Entry, path: Path_, value: str, expected: str, what: str
) -> Iterator[Problem]:
    if value != expected:
        yield entry.problem(
            path, f"{what}“{value}”与文件位置不符：应为“{expected}”（由文件名或目录名决定）"
        )


def _duplicates(items: list[tuple[str, Entry, Path_]], what: str) -> Iterator[Problem]:
    first: dict[str, Entry] = {}
    for value, entry, path in items:
        if value in first:
            yield entry.problem(
                path, f"{what}“{value}”重复：已在 {first[value].source.path} 中使用；编号必须唯一"
            )
        else:
            first[value] = entry


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
    from generator.security.policy import unknown_internal

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
        yield sites[0].problem(("committee",), _missing_ref("党委", committee, committees))


# ---------------------------------------------------------- organizations


@check
def organizations(index: Index) -> Iterator[Problem]:
    allowed_parents = {"党委": set(), "党总支": {"党委"}, "党支部": {"党委", "党总支"}}
    for e in index.of("organization"):
        org: schema.Organization = e.record
        yield from _must_match(e, ("id",), org.id, e.parts[0], "编号")
        if org.kind == "党委":
            if org.parent:
                yield e.problem(("parent",), "党委是最高一级，不应填写上级组织 parent")
        elif not org.parent:
            yield e.problem(("parent",), f"{org.kind}必须填写上级组织 parent")
        elif index.unknown_org(org.parent):
            yield e.problem(("parent",), _missing_ref("上级组织", org.parent, list(index.orgs)))
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
                and (leader_branch or "members" not in index.failed_kinds)
            ):
                yield e.problem(
                    ("groups", i, "leader"), _missing_ref("本支部党员", group.leader, [])
                )
    groups: list[tuple[str, Entry, Path_]] = [
        (g.id, e, ("groups", i, "id"))
        for e in index.of("organization")
        for i, g in enumerate(e.record.groups)
    ]
    yield from _duplicates(groups, "党小组编号")


def _org_secretary(index: Index, e: Entry, org: schema.Organization) -> Iterator[Problem]:
    if org.secretary is None:
        return
    branch = index.member_branch.get(org.secretary)
    if branch is None and index.unknown_member(org.secretary):
        yield e.problem(
            ("secretary",), _missing_ref("党员", org.secretary, list(index.member_branch))
        )
    elif branch is not None and org.kind == "党支部" and branch != org.id:
        yield e.problem(
            ("secretary",), f"支部书记“{org.secretary}”不是本支部的党员（属于“{branch}”）"
        )


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
    ids: list[tuple[str, Entry, Path_]] = []
    for e in index.of("members"):
        f: schema.MembersFile = e.record
        yield from _must_match(e, ("branch",), f.branch, e.parts[0], "支部编号")
        if index.unknown_org(f.branch):
            yield e.problem(("branch",), _missing_ref("组织", f.branch, list(index.orgs)))
        for i, m in enumerate(f.members):
            ids.append((m.id, e, ("members", i, "id")))
            group_ok = index.group_branch.get(m.group or "") == f.branch
            if m.group and not group_ok and "organization" not in index.failed_kinds:
                groups = [g for g, b in index.group_branch.items() if b == f.branch]
                yield e.problem(
                    ("members", i, "group"), _missing_ref("本支部的党小组", m.group, groups)
                )
    yield from _duplicates(ids, "党员编号")


# ------------------------------------------------------------ commitments

_ORDER = {stage: i for i, stage in enumerate(schema.STAGES)}
_STAGE_FIELDS = {
    "review": "科学定诺",
    "evidence": "履责践诺",
    "finding": "定期督诺",
    "rating": "民主评诺",
    "outcome": "民主评诺",
    "reason": "民主评诺",
}
# For each step, the fields that belong to other steps.
_FOREIGN_FIELDS = {
    stage: frozenset(name for name, own in _STAGE_FIELDS.items() if own != stage)
    for stage in schema.STAGES
}


@check
def commitments(index: Index) -> Iterator[Problem]:
    ids: list[tuple[str, Entry, Path_]] = []
    for e in index.of("commitments"):
        f: schema.CommitmentsFile = e.record
        yield from _must_match(e, ("year",), str(f.year), e.parts[0], "年度")
        yield from _branch_file(index, e, f.branch, e.parts[1])
        for i, c in enumerate(f.commitments):
            ids.append((c.id, e, ("commitments", i, "id")))
            yield from _member_of(index, e, ("commitments", i, "member"), c.member, f.branch)
            yield from _progress(e, ("commitments", i), c)
    yield from _duplicates(ids, "承诺编号")


def _branch_file(index: Index, e: Entry, branch: str, stem: str) -> Iterator[Problem]:
    yield from _must_match(e, ("branch",), branch, stem, "支部编号")
    if index.unknown_org(branch):
        yield e.problem(("branch",), _missing_ref("组织", branch, list(index.orgs)))


def _member_of(index: Index, e: Entry, path: Path_, member: str, branch: str) -> Iterator[Problem]:
    actual = index.member_branch.get(member)
    if actual is None and index.unknown_member(member):
        yield e.problem(path, _missing_ref("党员", member, list(index.member_branch)))
    elif actual is not None and actual != branch:
        yield e.problem(path, f"党员“{member}”属于“{actual}”，不是本文件的支部“{branch}”")


def _progress(e: Entry, at: Path_, c: schema.Commitment) -> Iterator[Problem]:
    """The five steps come in order, dated, each with only its own fields."""
    records = c.progress
    if records[0].stage != "科学定诺":
        yield e.problem((*at, "progress", 0, "stage"), "承诺的第一步必须是“科学定诺”")
    # Flags carried along the steps rather than rescanning earlier steps at each one:
    # this runs for every commitment (120,000 on a 1,000-branch board).
    approved = published = fulfilled = False
    prev = None
    for i, r in enumerate(records):
        here = (*at, "progress", i)
        foreign = r.model_fields_set & _FOREIGN_FIELDS[r.stage]
        for name, stage in _STAGE_FIELDS.items() if foreign else ():
            if name in foreign and getattr(r, name) is not None:
                yield e.problem(
                    (*here, name), f"字段 {name} 只用于“{stage}”这一步，不用于“{r.stage}”"
                )
        if prev is not None:
            if r.date < prev.date:
                yield e.problem(
                    (*here, "date"),
                    f"日期 {r.date} 早于上一步的 {prev.date}；各步骤应按时间先后记录",
                )
            if _ORDER[r.stage] < _ORDER[prev.stage] and not _both_fulfilling(r.stage, prev.stage):
                yield e.problem(
                    (*here, "stage"),
                    f"“{r.stage}”不能排在“{prev.stage}”之后；顺序为 {' → '.join(schema.STAGES)}",
                )
        if r.stage == "科学定诺":
            approved = approved or r.review == "审核通过"
            if r.review is None:
                yield e.problem(
                    (*here, "review"), "“科学定诺”需写明支部审核结果 review：审核通过 或 退回修改"
                )
        elif not approved:
            yield e.problem(
                (*here, "stage"),
                "承诺未经支部审核通过（科学定诺 review: 审核通过），不能进入后续步骤",
            )
        elif r.stage != "公开承诺" and not published:
            yield e.problem(
                (*here, "stage"), f"“{r.stage}”之前必须先有“公开承诺”：承诺须先公开，接受群众监督"
            )
        if r.stage == "民主评诺":
            yield from _evaluation(e, here, r)
            if not fulfilled:
                yield e.problem(
                    (*here, "stage"),
                    "评诺前必须有附佐证的“履责践诺”记录（evidence）：没有践诺佐证不能评为兑现或评议",
                )
        published = published or r.stage == "公开承诺"
        fulfilled = fulfilled or (r.stage == "履责践诺" and bool(r.evidence))
        prev = r


def _both_fulfilling(a: str, b: str) -> bool:
    # Fulfilment notes and periodic checks alternate through the year.
    return {a, b} <= {"履责践诺", "定期督诺"}


def _evaluation(e: Entry, here: Path_, r: schema.StageRecord) -> Iterator[Problem]:
    if r.rating is None:
        yield e.problem(
            (*here, "rating"), "“民主评诺”需写评议等次 rating：优秀、良好、一般 或 较差"
        )
    if r.outcome is None:
        yield e.problem((*here, "outcome"), "“民主评诺”需写兑现情况 outcome：已兑现 或 未兑现")
    elif r.outcome == "未兑现" and r.reason is None:
        yield e.problem((*here, "reason"), "未兑现的承诺必须说明原因 reason")


@check
def commitment_years(index: Index) -> Iterator[Problem]:
    for e in index.of("commitment_year"):
        y: schema.CommitmentYear = e.record
        yield from _must_match(e, ("year",), str(y.year), e.parts[0], "年度")
        yield from _corrections(e, y.published, y.corrections)


def _corrections(
    e: Entry, published: dt.date | None, corrections: list[schema.Correction]
) -> Iterator[Problem]:
    """Corrections only make sense after publication, in date order."""
    if corrections and published is None:
        yield e.problem(("corrections",), "尚未发布（published 为空）时不需要更正记录")
    previous = None
    for i, c in enumerate(corrections):
        if published is not None and c.date < published:
            yield e.problem(
                ("corrections", i, "date"), f"更正日期 {c.date} 早于发布日期 {published}"
            )
        if previous and c.date < previous:
            yield e.problem(("corrections", i, "date"), "更正记录应按日期先后排列")
        previous = c.date


@check
def wishes(index: Index) -> Iterator[Problem]:
    ids: list[tuple[str, Entry, Path_]] = []
    for e in index.of("wishes"):
        f: schema.WishesFile = e.record
        yield from _must_match(e, ("year",), str(f.year), e.parts[0], "年度")
        yield from _branch_file(index, e, f.branch, e.parts[1])
        for i, w in enumerate(f.wishes):
            ids.append((w.id, e, ("wishes", i, "id")))
            if w.member:
                yield from _member_of(index, e, ("wishes", i, "member"), w.member, f.branch)
            elif w.status != "待认领":
                yield e.problem(
                    ("wishes", i, "member"), f"状态为“{w.status}”的微心愿需写明认领党员 member"
                )
            if (w.status == "已实现") != (w.fulfilled_on is not None):
                yield e.problem(
                    ("wishes", i, "fulfilled_on"),
                    "已实现的微心愿需写实现日期 fulfilled_on；未实现的不写",
                )
    yield from _duplicates(ids, "微心愿编号")


# ------------------------------------------------------------------ units


@check
def units(index: Index) -> Iterator[Problem]:
    for e in index.of("unit"):
        u: schema.Unit = e.record
        yield from _must_match(e, ("id",), u.id, e.parts[0], "编号")
        if index.unknown_org(u.branch):
            yield e.problem(("branch",), _missing_ref("组织", u.branch, list(index.orgs)))
        if u.kind == "示范岗" and len(u.holders) != 1:
            yield e.problem(("holders",), f"党员示范岗由一名党员担任，这里写了 {len(u.holders)} 名")
        for i, holder in enumerate(u.holders):
            if index.unknown_member(holder):
                yield e.problem(
                    ("holders", i), _missing_ref("党员", holder, list(index.member_branch))
                )
        for i, act in enumerate(u.activities):
            for j, who in enumerate(act.participants):
                if index.unknown_member(who):
                    yield e.problem(
                        ("activities", i, "participants", j), _missing_ref("党员", who, [])
                    )
        yield from _unique_field(
            e, "self_evaluations", [s.quarter for s in u.self_evaluations], "季度"
        )
        yield from _unique_field(
            e, "annual_evaluations", [str(a.year) for a in u.annual_evaluations], "年度"
        )


def _unique_field(e: Entry, list_name: str, values: list[str], what: str) -> Iterator[Problem]:
    seen: Counter[str] = Counter()
    for i, value in enumerate(values):
        seen[value] += 1
        if seen[value] == 2:
            yield e.problem((list_name, i), f"{what} {value} 重复记录了两次")


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
        yield from _must_match(e, ("id",), r.id, e.parts[0], "编号")
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
    yield from _unique_field(e, "dimensions", names, "考核维度")
    for cat in schema.CATEGORIES:
        missing = [d.name for d in r.dimensions if cat not in d.max]
        if missing:
            yield e.problem(("dimensions",), f"{cat} 类缺少以下维度的分值：{'、'.join(missing)}")
            continue
        total = sum(d.max[cat] for d in r.dimensions)
        if abs(total - 100) > 1e-9:
            yield e.problem(("dimensions",), f"{cat} 类各维度满分之和应为 100，现为 {total:g}")


# ------------------------------------------------------------ assessments


@check
def quarters(index: Index) -> Iterator[Problem]:
    infos = {e.parts[0]: e for e in index.of("quarter")}
    for e in infos.values():
        q: schema.QuarterInfo = e.record
        yield from _must_match(e, ("quarter",), q.quarter, e.parts[0], "季度")
        if q.inspection_end < q.inspection_start:
            yield e.problem(("inspection_end",), "检查结束日期早于开始日期")
        yield from _corrections(e, q.published, q.corrections)
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
    scored = {(e.parts[0], e.parts[1]) for e in index.of("assessment")}
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
        yield from _must_match(e, ("quarter",), a.quarter, e.parts[0], "季度")
        yield from _must_match(e, ("branch",), a.branch, e.parts[1], "支部编号")
        org = index.orgs.get(a.branch)
        if org is None:
            if index.unknown_org(a.branch):
                yield e.problem(("branch",), _missing_ref("组织", a.branch, list(index.orgs)))
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


# ----------------------------------------------------- interviews, notices


@check
def interviews(index: Index) -> Iterator[Problem]:
    for e in index.of("interview"):
        iv: schema.Interview = e.record
        yield from _must_match(e, ("id",), iv.id, e.parts[0], "编号")
        if index.unknown_org(iv.branch):
            yield e.problem(("branch",), _missing_ref("组织", iv.branch, list(index.orgs)))
        if iv.quarter not in index.quarters:
            yield e.problem(("quarter",), f"没有 {iv.quarter} 的考核数据；约谈应对应已考核的季度")
        if index.unknown_member(iv.interviewee):
            yield e.problem(
                ("interviewee",), _missing_ref("党员", iv.interviewee, list(index.member_branch))
            )
        for i, item in enumerate(iv.items):
            if index.unknown_member(item.owner):
                yield e.problem(
                    ("items", i, "owner"),
                    _missing_ref("党员", item.owner, list(index.member_branch)),
                )
            yield from _closed_iff_done(
                e, ("items", i), item.status == "已完成", item.completed_on, "completed_on"
            )
        yield from _unique_field(e, "items", [item.id for item in iv.items], "整改事项编号")
        if iv.recheck and iv.recheck.quarter <= iv.quarter:
            yield e.problem(
                ("recheck", "quarter"), f"回头看应在约谈季度 {iv.quarter} 之后的季度进行"
            )


def _closed_iff_done(e: Entry, at: Path_, done: bool, date: object, name: str) -> Iterator[Problem]:
    if done and date is None:
        yield e.problem((*at, name), f"已完成的事项需写完成日期 {name}")
    if not done and date is not None:
        yield e.problem(
            (*at, name), f"未完成的事项不应写完成日期 {name}；完成后请同时把状态改为已完成"
        )


@check
def notices(index: Index) -> Iterator[Problem]:
    for e in index.of("notice"):
        n: schema.Notice = e.record
        yield from _must_match(e, ("id",), n.id, e.parts[0], "编号")
        for i, org in enumerate(n.to):
            if index.unknown_org(org):
                yield e.problem(("to", i), _missing_ref("组织", org, list(index.orgs)))
        for i, item in enumerate(n.items):
            yield from _closed_iff_done(
                e, ("items", i), item.status == "已完成", item.closed_on, "closed_on"
            )
        yield from _unique_field(e, "items", [item.id for item in n.items], "事项编号")


# ------------------------------------------------------------ quality hints


@dataclass(frozen=True)
class LateHint:
    """A quality hint whose line and column are found only when it is shown.

    A build only counts hints; ``board check`` lists them. Locating one walks its file's
    values (reloaded from the parse cache): for the 900 hints of a 1,000-branch board
    that was a second and a half of every build."""

    entry: Entry
    path: Path_
    message: str

    def located(self) -> Problem:
        return replace(self.entry.problem(self.path, self.message), warning=True)


def _warning(e: Entry, path: Path_, message: str) -> LateHint:
    return LateHint(e, path, message)


@check
def commitment_quality(index: Index) -> Iterator[LateHint]:
    """四化三可: each vague commitment gets one hint naming what is missing."""
    from generator.ranking.commitments import quality_gaps

    for e in index.of("commitments"):
        f: schema.CommitmentsFile = e.record
        for i, c in enumerate(f.commitments):
            gaps = quality_gaps(c, f.year)
            if gaps:
                message = f"承诺“{c.id}”{'；'.join(gaps)}。承诺应可比较、可检验、可评议，请补充"
                yield _warning(e, ("commitments", i, "id"), message)


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
                yield _warning(
                    e,
                    ("annual_evaluations",),
                    f"{latest.year} 年度考评 {latest.score:g} 分，低于 {line:g} 分，"
                    "按规定应撤销称号：请填写 withdrawn（日期、原因）",
                )
