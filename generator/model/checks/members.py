"""Checks of members' comings and goings: a member's time in each branch.

A member who leaves a branch keeps their entry there (``left_on``, ``left_reason``):
the records of their time stay valid and name them. A member who moves to another
branch of the company appears there too, under the same id, from ``joined_on``. So
one id may be in several members files, but only as such a chain of moves; and no
branch may have a record of a member dated outside their time in it.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from generator.errors import Problem
from generator.model import schema
from generator.model.checks.base import Index, MemberStint, check, missing_ref


@check
def lifecycle(index: Index) -> Iterator[Problem]:
    for stints in index.stints.values():
        for stint in stints:
            yield from _leaving(index, stint)
        yield from _chain(stints)


def _leaving(index: Index, s: MemberStint) -> Iterator[Problem]:
    m = s.member
    if m.left_on is not None and m.left_reason is None:
        yield s.problem(
            "left_reason",
            "写了离开日期 left_on，请同时写明离开原因 left_reason"
            f"（{'、'.join(schema.LEFT_REASONS)}）",
        )
    if m.left_reason is not None and m.left_on is None:
        yield s.problem("left_on", f"写了离开原因“{m.left_reason}”，请同时写明离开日期 left_on")
    if m.joined_on and m.left_on and m.left_on < m.joined_on:
        yield s.problem("left_on", f"离开日期 {m.left_on} 早于转入日期 {m.joined_on}")
    if m.moved_to is None:
        return
    if m.left_reason != "调出":
        yield s.problem("moved_to", "只有调出（left_reason: 调出）的党员才写调入的支部 moved_to")
    elif m.moved_to == s.branch:
        yield s.problem("moved_to", "调入的支部不能是本支部")
    elif m.moved_to in index.orgs and index.orgs[m.moved_to].kind != "党支部":
        org = index.orgs[m.moved_to]
        yield s.problem("moved_to", f"“{m.moved_to}”是{org.kind}（{org.name}），党员只能调入党支部")
    elif m.moved_to not in index.orgs:
        if index.unknown_org(m.moved_to):
            branches = [o.id for o in index.orgs.values() if o.kind == "党支部"]
            yield s.problem("moved_to", missing_ref("党支部", m.moved_to, branches))
    elif not any(t.branch == m.moved_to for t in index.stints.get(m.id, [])) and (
        not index.failed_file(f"members/{m.moved_to}.yaml")
    ):
        yield s.problem(
            "moved_to",
            f"调入的支部“{index.orgs[m.moved_to].name}”的党员名单中没有“{m.id}”："
            f"请在 members/{m.moved_to}.yaml 中添加（同一编号，写明转入日期 joined_on）",
        )


def _chain(stints: list[MemberStint]) -> Iterator[Problem]:
    """One id in several files: each earlier entry moved to the next one's branch."""
    for before, after in itertools.pairwise(stints):
        left = before.member.left_on
        if before.entry is after.entry or left is None:
            why = "本文件中已有这个编号" if before.entry is after.entry else "那里没有写离开日期"
            yield after.problem("id", _twice(before, why))
            continue  # two people given one id: nothing else about them to compare
        if before.member.moved_to != after.branch:
            yield after.problem(
                "id",
                _twice(before, f"原记录写的是调往“{before.member.moved_to or '（未写）'}”"),
            )
        elif after.member.joined_on is None:
            yield after.problem(
                "joined_on",
                f"从“{before.branch}”调入的党员需写明转入日期 joined_on"
                f"（不早于调出日期 {before.member.left_on}）",
            )
        elif after.member.joined_on < left:
            yield after.problem(
                "joined_on",
                f"转入日期 {after.member.joined_on} 早于在“{before.branch}”的调出日期 {left}",
            )
        if before.member.name != after.member.name:
            yield after.problem(
                "name",
                f"同一名党员在“{before.branch}”的名字是“{before.member.name}”，这里是"
                f"“{after.member.name}”；同一编号只能是同一个人",
            )


def _twice(before: MemberStint, why: str) -> str:
    m = before.member
    return (
        f"党员编号“{m.id}”重复：已在 {before.entry.source.path} 中使用（{why}）。"
        "编号必须唯一；如果是公司内调动，请在原支部的记录中写明 left_on、"
        f"left_reason: 调出 和 moved_to: 本支部编号，并在这里写明转入日期 joined_on"
    )
