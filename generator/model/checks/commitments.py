"""Checks of the commitment board: the five steps, published years, wishes, 四化三可 hints."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from generator.buildcache import keeping_in_memory
from generator.errors import Problem
from generator.model import schema
from generator.model.checks.base import (
    FileVerdicts,
    Index,
    LateHint,
    check,
    corrections,
    duplicates,
    missing_ref,
    must_match,
    unique_field,
    warning,
)
from generator.model.entry import Entry
from generator.model.messages import did_you_mean
from generator.model.yamlio import Path_

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
    steps = FileVerdicts(index, "progress")  # the steps' order: the file's alone
    against = _Against.of(index) if keeping_in_memory() else None
    last = _LAST_FILES.found if against is not None and _LAST_FILES.against == against else {}
    _LAST_FILES.clear()  # a new table: ``last`` is the one before
    for e in index.of("commitment"):
        f: schema.CommitmentsFile = e.record
        ids.extend((c.id, e, ("commitments", i, "id")) for i, c in enumerate(f.commitments))
        kept = last.get(id(e))
        found = kept[1] if kept is not None and kept[0] is e else list(_in_place(index, e, f))
        if keeping_in_memory():
            _LAST_FILES.found[id(e)] = (e, found)
        yield from found
        in_order = steps.get(e) is True
        out_of_order = [] if in_order else list(_steps_in_order(e, f))
        if not out_of_order:
            steps.put(e, True)
        yield from out_of_order
    if keeping_in_memory():  # a build has no next load: what it read is freed after it
        _LAST_FILES.against = against
    steps.keep()
    yield from duplicates(ids, "承诺编号")


def _in_place(index: Index, e: Entry, f: schema.CommitmentsFile) -> Iterator[Problem]:
    """The file is where its year and branch say, and each commitment's member was in
    the branch when its steps happened."""
    yield from must_match(e, ("year",), str(f.year), e.parts["year"], "年度")
    yield from _branch_file(index, e, f.branch, e.parts["branch"])
    for i, c in enumerate(f.commitments):
        yield from _member_of(index, e, ("commitments", i, "member"), c.member, f.branch)
        yield from _in_branch_then(index, e, ("commitments", i), c.member, f.branch, c)


@dataclass(frozen=True)
class _Against:
    """Everything ``_in_place`` reads beyond the file: the members and organizations
    files (as the very entries loaded), which files failed, and where each member is
    (ids salvaged from a failed file included). Entries compare by identity first."""

    members: tuple[Entry, ...]
    organizations: tuple[Entry, ...]
    failed: frozenset[str]
    root: str
    member_branch: dict[str, str]

    @classmethod
    def of(cls, index: Index) -> _Against:
        members, orgs = tuple(index.of("member")), tuple(index.of("organization"))
        return cls(members, orgs, frozenset(index.failed), index.root, dict(index.member_branch))


@dataclass
class _LastFiles:
    against: _Against | None = None
    found: dict[int, tuple[Entry, list[Problem]]] = field(default_factory=dict)

    def clear(self) -> None:
        self.against, self.found = None, {}


# Under `mkdocs serve` (``keeping_in_memory``), what ``_in_place`` found in each file of
# the last load, by its entry: an unchanged file's entry is the very same object after
# an edit (``loading.py``), and while nothing it is checked against changed either, what
# was found in it stands. An edit of one commitments file checks that file alone; an
# edit of a members or organizations file checks them all. Holding the entries keeps
# the ids used as keys unique.
_LAST_FILES = _LastFiles()


def _steps_in_order(e: Entry, f: schema.CommitmentsFile) -> Iterator[Problem]:
    for i, c in enumerate(f.commitments):
        yield from _progress(e, ("commitments", i), c)


def _branch_file(index: Index, e: Entry, branch: str, stem: str) -> Iterator[Problem]:
    yield from must_match(e, ("branch",), branch, stem, "支部编号")
    if index.unknown_org(branch):
        yield e.problem(("branch",), missing_ref("组织", branch, list(index.orgs)))


def _member_of(index: Index, e: Entry, path: Path_, member: str, branch: str) -> Iterator[Problem]:
    """The member was in this file's branch at some time (their records stay there)."""
    actual = index.member_branch.get(member)
    if actual is None and index.unknown_member(member, branch):
        yield e.problem(path, index.missing_member(member))
    elif actual is not None and branch not in _branches_of(index, member, actual):
        yield e.problem(path, f"党员“{member}”属于“{actual}”，不是本文件的支部“{branch}”")


def _branches_of(index: Index, member: str, current: str) -> set[str]:
    """Every branch the member has been in (just the current one for an id salvaged
    from a members file that did not load)."""
    return {s.branch for s in index.stints.get(member, [])} or {current}


def _in_branch_then(
    index: Index, e: Entry, at: Path_, member: str, branch: str, c: schema.Commitment
) -> Iterator[Problem]:
    """Every step of a commitment falls in its member's time in the branch."""
    if index.stays_through(member, branch, (step.date for step in c.progress)):
        return  # the usual case (120,000 commitments on a 1,000-branch board): no step to ask about
    for j, step in enumerate(c.progress):
        why = index.away(member, branch, step.date)
        if why:
            yield e.problem((*at, "progress", j, "date"), why)
            return  # one is enough: the rest follow from it


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
        yield from must_match(e, ("year",), str(y.year), e.parts["year"], "年度")
        yield from corrections(e, y.published, y.corrections)


@check
def supervision(index: Index) -> Iterator[Problem]:
    """督诺 rounds: one per date, naming only commitments the round could check."""
    commitments: dict[tuple[str, int], dict[str, schema.Commitment]] = {}
    for e in index.of("commitment"):
        f: schema.CommitmentsFile = e.record
        commitments[(f.branch, f.year)] = {c.id: c for c in f.commitments}
    for e in index.of("supervision"):
        s: schema.SupervisionFile = e.record
        if str(s.year) != e.parts["year"]:  # in the wrong year: its commitments are not these
            yield from must_match(e, ("year",), str(s.year), e.parts["year"], "年度")
            continue
        yield from _branch_file(index, e, s.branch, e.parts["branch"])
        yield from unique_field(e, "rounds", [str(r.date) for r in s.rounds], "督诺日期")
        failed = index.failed_file(f"commitments/{s.year}/{s.branch}.yaml")
        known = commitments.get((s.branch, s.year), {})
        for i, r in enumerate(s.rounds):
            named: set[str] = set()
            noted: list[tuple[Path_, str]] = []
            noted += [
                (("rounds", i, "findings", j), f.commitment) for j, f in enumerate(r.findings)
            ]
            noted += [
                (("rounds", i, "exceptions", j), x.commitment) for j, x in enumerate(r.exceptions)
            ]
            for item, commitment in noted:
                at = (*item, "commitment")
                if commitment in named:
                    yield e.problem(at, f"承诺“{commitment}”在这一轮中写了两次")
                named.add(commitment)
                c = known.get(commitment)
                if c is None and not failed:
                    yield e.problem(
                        at,
                        f"{s.year} 年度本支部没有承诺“{commitment}”"
                        f"{did_you_mean(commitment, list(known))}",
                    )
                elif c is not None and in_year(r.date, s.year) and (why := _not_open(c, r.date)):
                    yield e.problem(at, why)  # (a round outside its year is reported as such)


def in_year(day: dt.date, year: int) -> bool:
    """A year's rounds run from January to the March after (the last one may be late)."""
    return dt.date(year, 1, 1) <= day <= dt.date(year + 1, 3, 31)


def _not_open(c: schema.Commitment, day: dt.date) -> str | None:
    """Why a round on ``day`` could not check ``c`` (not public yet, or evaluated)."""
    public = next((r.date for r in c.progress if r.stage == "公开承诺"), None)
    if public is None or day < public:
        return f"承诺“{c.id}”在 {day} 还没有公开承诺，不在督诺范围内"
    final = next((r.date for r in c.progress if r.stage == "民主评诺"), None)
    if final is not None and final < day:
        return f"承诺“{c.id}”已于 {final} 民主评诺，不在 {day} 的督诺范围内"
    return None


@check
def wishes(index: Index) -> Iterator[Problem]:
    ids: list[tuple[str, Entry, Path_]] = []
    for e in index.of("wish"):
        f: schema.WishesFile = e.record
        yield from must_match(e, ("year",), str(f.year), e.parts["year"], "年度")
        yield from _branch_file(index, e, f.branch, e.parts["branch"])
        for i, w in enumerate(f.wishes):
            ids.append((w.id, e, ("wishes", i, "id")))
            if w.member:
                yield from _member_of(index, e, ("wishes", i, "member"), w.member, f.branch)
            elif w.status != "待认领":
                yield e.problem(
                    ("wishes", i, "member"), f"状态为“{w.status}”的微心愿需写明认领党员 member"
                )
            why = (
                index.away(w.member, f.branch, w.fulfilled_on)
                if w.member and w.fulfilled_on
                else None
            )
            if why:
                yield e.problem(("wishes", i, "fulfilled_on"), why)
            if (w.status == "已实现") != (w.fulfilled_on is not None):
                yield e.problem(
                    ("wishes", i, "fulfilled_on"),
                    "已实现的微心愿需写实现日期 fulfilled_on；未实现的不写",
                )
    yield from duplicates(ids, "微心愿编号")


@check
def commitment_quality(index: Index) -> Iterator[LateHint]:
    """四化三可: each vague commitment gets one hint naming what is missing."""
    for e in index.of("commitment"):
        f: schema.CommitmentsFile = e.record
        for i, c in enumerate(f.commitments):
            gaps = quality_gaps(c, f.year)
            if gaps:
                message = f"承诺“{c.id}”{'；'.join(gaps)}。承诺应可比较、可检验、可评议，请补充"
                yield warning(e, ("commitments", i, "id"), message)


_DIGIT = re.compile(r"[0-9０-９零一二三四五六七八九十百千万两]")


def quality_gaps(commitment: schema.Commitment, year: int) -> list[str]:
    """What keeps a commitment from being comparable, checkable and assessable (四化三可:
    实化、细化、量化、具体化; 可比较、可检验、可评议): a measurable target, a deadline in
    its year, and someone or something that verifies it."""
    gaps = []
    if commitment.target is None:
        gaps.append("缺少可衡量的目标（target）")
    elif not _DIGIT.search(commitment.target):
        gaps.append(f"目标“{commitment.target}”没有量化的数字")
    if commitment.deadline is None:
        gaps.append("缺少完成时限（deadline）")
    elif commitment.deadline.year != year:
        gaps.append(f"完成时限 {commitment.deadline.isoformat()} 不在 {year} 年度内")
    if commitment.verifier is None:
        gaps.append("缺少验证人或验证方式（verifier）")
    return gaps
