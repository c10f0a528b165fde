"""The check machinery: entries by kind, the id tables references resolve against,
and the helpers every check shares (located problems, "did you mean", duplicates).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from generator.buildcache import EntryStore, code_version, digest
from generator.errors import Hint, Problem
from generator.model import schema
from generator.model.entry import Entry
from generator.model.messages import did_you_mean
from generator.model.yamlio import Path_

Check = Callable[["Index"], Iterator[Problem | Hint]]
CHECKS: list[Check] = []


def check(func: Check) -> Check:
    CHECKS.append(func)
    return func


@dataclass
class Index:
    """Entries by kind plus the id tables that references resolve against."""

    entries: dict[str, list[Entry]]
    root: str
    failed: set[str] = field(default_factory=set)  # files that did not load; no "missing" noise
    orgs: dict[str, schema.Organization] = field(default_factory=dict)
    member_branch: dict[str, str] = field(default_factory=dict)  # where each member is now
    stints: dict[str, list[MemberStint]] = field(default_factory=dict)  # their time per branch
    group_branch: dict[str, str] = field(default_factory=dict)
    quarters: set[str] = field(default_factory=set)

    importing: str | None = None  # a quarter whose scores are being imported
    today: dt.date | None = None  # the day the data is checked; None: dates are not compared
    digests: dict[str, str] = field(default_factory=dict)  # file under data/ → SHA-256
    verdicts: EntryStore | None = None  # what checks of one file found, by its bytes
    _in_branch: dict[tuple[str, str], list[MemberStint]] = field(default_factory=dict)

    def of(self, kind: str) -> list[Entry]:
        return self.entries.get(kind, [])

    def failed_file(self, rel: str) -> bool:
        """Whether the file at ``rel`` (under data/) exists but did not load."""
        return f"{self.root}/{rel}" in self.failed

    def unknown_member(self, member_id: str, branch: str | None = None) -> bool:
        """True if no member has this id. When the member must be in ``branch`` and that
        branch's members file did not load, the problem is already reported: False.
        A file that failed hides only what it could hold, never the rest."""
        if member_id in self.member_branch:
            return False
        return branch is None or not self.failed_file(f"members/{branch}.yaml")

    def unknown_org(self, org_id: str) -> bool:
        """True if no organization has this id (its own file failing is reported already)."""
        return org_id not in self.orgs and not self.failed_file(f"organizations/{org_id}.yaml")

    def missing_member(self, member_id: str) -> str:
        """找不到党员, with a hint when a members file that might hold it did not load."""
        message = missing_ref("党员", member_id, list(self.member_branch))
        failed = sorted(f for f in self.failed if f.startswith(f"{self.root}/members/"))
        if failed:
            names = "、".join(failed)
            message += f"（{names} 未通过检查：如果该党员在其中，修正那个文件后此项会消失）"
        return message

    def left(self, member_id: str) -> str | None:
        """ "已于 … 离开本支部（…）" for a member no longer in any branch, else None."""
        stints = self.stints.get(member_id, [])
        if not stints or any(s.member.left_on is None for s in stints):
            return None
        m = stints[-1].member
        return f"已于 {m.left_on} 离开本支部（{m.left_reason}）"

    def was_in(self, member_id: str, branch: str, year: int) -> bool:
        """Whether the member was in ``branch`` at any time in ``year``."""
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        return any(
            s.branch == branch
            and (s.member.joined_on is None or s.member.joined_on <= end)
            and (s.member.left_on is None or start <= s.member.left_on)
            for s in self.stints.get(member_id, [])
        )

    def _stints_in(self, member_id: str, branch: str) -> list[MemberStint]:
        """The member's stints in ``branch``; asked once per step of every commitment
        (650,000 times on a 1,000-branch board), so worked out once per member."""
        key = (member_id, branch)
        found = self._in_branch.get(key)
        if found is None:
            found = [s for s in self.stints.get(member_id, []) if s.branch == branch]
            self._in_branch[key] = found
        return found

    def stays_through(self, member_id: str, branch: str, dates: Iterable[dt.date]) -> bool:
        """Whether one stint of the member in ``branch`` covers every day in ``dates``: a
        stint is one stretch of time, so covering the first and the last day is enough."""
        stints = self._stints_in(member_id, branch)
        if any(s.always() for s in stints):
            return True  # most members: one open-ended stint, no date to look at
        days = list(dates)
        if not days:
            return True
        first, last = min(days), max(days)
        return any(s.covers(first) and s.covers(last) for s in stints)

    def away(self, member_id: str, branch: str, day: dt.date) -> str | None:
        """Why ``member_id`` cannot have a record in ``branch`` dated ``day`` (they had
        left it, or not yet joined), or None. Unknown members are reported elsewhere."""
        stints = self._stints_in(member_id, branch)
        if not stints or any(s.covers(day) for s in stints):
            return None
        m = stints[-1].member
        who = f"党员“{m.name}”（{m.id}）"
        if m.joined_on is not None and day < m.joined_on:
            return f"{who}于 {m.joined_on} 才转入本支部，{day} 不能有本支部的记录"
        return f"{who}已于 {m.left_on} 离开本支部（{m.left_reason}），{day} 不能再有本支部的记录"


@dataclass(frozen=True)
class MemberStint:
    """A member's entry in one branch's members file."""

    branch: str
    member: schema.Member
    entry: Entry
    position: int  # in the file's member list

    def order(self) -> tuple[dt.date, dt.date]:
        return (self.member.joined_on or dt.date.min, self.member.left_on or dt.date.max)

    def always(self) -> bool:
        """Whether the stint has no bounds: it covers every day."""
        return self.member.joined_on is None and self.member.left_on is None

    def covers(self, day: dt.date) -> bool:
        joined, left = self.member.joined_on, self.member.left_on
        return (joined is None or joined <= day) and (left is None or day <= left)

    def problem(self, name: str, message: str) -> Problem:
        return self.entry.problem(("members", self.position, name), message)


def missing_ref(what: str, value: str, choices: list[str]) -> str:
    return f"找不到{what}“{value}”{did_you_mean(value, choices)}"


def must_match(
    entry: Entry, path: Path_, value: str, expected: str, what: str
) -> Iterator[Problem]:
    if value != expected:
        yield entry.problem(
            path, f"{what}“{value}”与文件位置不符：应为“{expected}”（由文件名或目录名决定）"
        )


def duplicates(items: list[tuple[str, Entry, Path_]], what: str) -> Iterator[Problem]:
    first: dict[str, Entry] = {}
    for value, entry, path in items:
        if value in first:
            yield entry.problem(
                path, f"{what}“{value}”重复：已在 {first[value].source.path} 中使用；编号必须唯一"
            )
        else:
            first[value] = entry


def unique_field(e: Entry, list_name: str, values: list[str], what: str) -> Iterator[Problem]:
    seen: Counter[str] = Counter()
    for i, value in enumerate(values):
        seen[value] += 1
        if seen[value] == 2:
            yield e.problem((list_name, i), f"{what} {value} 重复记录了两次")


def corrections(
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


def closed_iff_done(e: Entry, at: Path_, done: bool, date: object, name: str) -> Iterator[Problem]:
    if done and date is None:
        yield e.problem((*at, name), f"已完成的事项需写完成日期 {name}")
    if not done and date is not None:
        yield e.problem(
            (*at, name), f"未完成的事项不应写完成日期 {name}；完成后请同时把状态改为已完成"
        )


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


def warning(e: Entry, path: Path_, message: str) -> LateHint:
    return LateHint(e, path, message)


class FileVerdicts:
    """What a check of one file alone made of it, kept between builds (``index.verdicts``)
    by the file's place and bytes: the place decides its kind (which fields are
    internal), the bytes its record, and ``key`` names the check and what else it
    reads (the allowlist, today). A file whose bytes changed is checked again."""

    def __init__(self, index: Index, *key: str) -> None:
        self.store, self.digests = index.verdicts, index.digests
        self.key = digest(code_version(), *key)
        kept = self.store.get_json(self.key) if self.store is not None else None
        self.before: dict[str, list[Any]] = kept if isinstance(kept, dict) else {}
        self.now: dict[str, list[Any]] = {}

    def get(self, entry: Entry) -> Any:
        """The kept verdict on ``entry``'s file, or None."""
        sha = self.digests.get(entry.rel)
        kept = self.before.get(entry.rel)
        if sha is None or not isinstance(kept, list) or len(kept) != 2 or kept[0] != sha:
            return None
        return kept[1]

    def put(self, entry: Entry, verdict: Any) -> None:
        sha = self.digests.get(entry.rel)
        if sha is not None:
            self.now[entry.rel] = [sha, verdict]

    def keep(self) -> None:
        if self.store is not None and self.now != self.before:
            self.store.put_json(self.key, self.now)
