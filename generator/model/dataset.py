"""The records of one board, by kind and key, and the typed views pages read.

A ``Dataset`` holds nothing but its ``Records`` (and the quality hints found while
checking them): every typed view below (``members``, ``commitments``...) is derived
from the records on first use. So a dataset made from cleaned records (the publish
policy, ``policy.py``) shows only cleaned values everywhere; no view can bypass it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from generator.errors import Hint, Problem
from generator.model import schema
from generator.model.kinds import Names, Rec, kinds


class Records:
    """Every record of a board: kind -> key -> ``Rec``, kinds in registry order."""

    __slots__ = ("_by_kind",)

    def __init__(self, by_kind: dict[str, dict[str, Rec]]) -> None:
        self._by_kind = by_kind

    @classmethod
    def of_list(cls, recs: Iterable[Rec]) -> Records:
        """Records from a flat list; the first of two with one key is kept."""
        by_kind: dict[str, dict[str, Rec]] = {k.name: {} for k in kinds()}
        for rec in recs:
            by_kind.setdefault(rec.kind, {}).setdefault(rec.key, rec)
        return cls(by_kind)

    def of(self, kind: str) -> dict[str, Rec]:
        return self._by_kind.get(kind, {})

    def values(self, kind: str) -> list[Any]:
        return [rec.value for rec in self.of(kind).values()]

    def get(self, kind: str, key: str) -> Rec | None:
        return self.of(kind).get(key)

    def kinds(self) -> list[str]:
        return list(self._by_kind)

    def __iter__(self) -> Iterator[Rec]:
        for recs in self._by_kind.values():
            yield from recs.values()

    def __len__(self) -> int:
        return sum(len(recs) for recs in self._by_kind.values())

    def map(self, change: Callable[[Rec], Rec]) -> Records:
        return Records({kind: _changed(recs, change) for kind, recs in self._by_kind.items()})

    def keep(self, wanted: Callable[[Rec], bool]) -> Records:
        by_kind = self._by_kind
        return Records(
            {k: {key: r for key, r in v.items() if wanted(r)} for k, v in by_kind.items()}
        )

    def only(self, names: Iterable[str]) -> Records:
        keep = set(names)
        return Records({k: (v if k in keep else {}) for k, v in self._by_kind.items()})

    def files(self) -> dict[str, list[Rec]]:
        """Records by the file they came from."""
        out: dict[str, list[Rec]] = defaultdict(list)
        for rec in self:
            out[rec.file].append(rec)
        return out


def _changed(recs: dict[str, Rec], change: Callable[[Rec], Rec]) -> dict[str, Rec]:
    return {key: change(rec) for key, rec in recs.items()}


@dataclass(frozen=True)
class CommitmentRow:
    year: int
    branch: str
    commitment: schema.Commitment

    @property
    def stage(self) -> str:
        return self.commitment.progress[-1].stage

    @property
    def approved(self) -> bool:
        """Only commitments the branch approved (审核通过) are public."""
        return any(r.review == "审核通过" for r in self.commitment.progress)


@dataclass(frozen=True)
class WishRow:
    year: int
    branch: str
    wish: schema.Wish


@dataclass(frozen=True)
class Stint:
    """A member's time in one branch."""

    branch: str
    member: schema.Member

    def order(self) -> tuple[dt.date, dt.date]:
        return (self.member.joined_on or dt.date.min, self.member.left_on or dt.date.max)

    def covers(self, day: dt.date) -> bool:
        """Whether the member was in this branch on ``day``."""
        joined, left = self.member.joined_on, self.member.left_on
        return (joined is None or joined <= day) and (left is None or day <= left)


# The kinds a board's settings are made of (``settings_only``).
SETTINGS_KINDS = ("site", "organization", "quarter", "rules", "commitment_year")


@dataclass
class Dataset:
    """All data of one board, validated; typed views over its records."""

    records: Records
    hints: list[Hint] = field(default_factory=list)  # quality hints, not errors; unlocated
    public: bool = False  # True once the publish policy made it: only then may it be rendered
    drafts: bool = False  # a preview's publishable view: it holds unpublished drafts
    # Each loaded file's SHA-256 as read (relative path -> hex), for the build caches.
    digests: dict[str, str] = field(default_factory=dict)

    @cached_property
    def warnings(self) -> list[Problem]:
        """The quality hints with their lines, in file order (``board check`` lists them)."""
        return sorted(hint.located() for hint in self.hints)

    # ---------------------------------------------------------- typed views

    @cached_property
    def site(self) -> schema.SiteConfig:
        site: schema.SiteConfig = self.records.values("site")[0]
        return site

    @cached_property
    def orgs(self) -> dict[str, schema.Organization]:
        return _by_id(self.records.values("organization"))

    @cached_property
    def stints(self) -> dict[str, list[Stint]]:
        """Per member id, their time in each branch, in order (one entry, for most)."""
        grouped: dict[str, list[Stint]] = defaultdict(list)
        for rec in self.records.of("member").values():
            grouped[rec.value.id].append(Stint(str(rec.branch), rec.value))
        for stints in grouped.values():
            stints.sort(key=Stint.order)
        return grouped

    def stint(self, member_id: str, branch: str) -> Stint | None:
        """A member's time in ``branch`` (the latest, should they have come back)."""
        return self.latest_stints.get((member_id, branch))

    @cached_property
    def latest_stints(self) -> dict[tuple[str, str], Stint]:
        """Each member's latest stint per branch: asked for every commitment (120,000 on
        a 1,000-branch board), once a scan of the member's stints each time."""
        latest: dict[tuple[str, str], Stint] = {}
        for member_id, stints in self.stints.items():
            for stint in stints:  # in order: a later stint in the same branch wins
                latest[(member_id, stint.branch)] = stint
        return latest

    @cached_property
    def members(self) -> dict[str, schema.Member]:
        """Every member by id, as they are now (or were when they last left)."""
        return {member_id: stints[-1].member for member_id, stints in self.stints.items()}

    @cached_property
    def member_branch(self) -> dict[str, str]:
        """The branch each member is in now (or last was)."""
        return {member_id: stints[-1].branch for member_id, stints in self.stints.items()}

    @cached_property
    def current_members(self) -> dict[str, schema.Member]:
        """Members who have not left: who the branch pages and the counts list."""
        return {k: m for k, m in self.members.items() if m.left_on is None}

    @cached_property
    def commitments(self) -> list[CommitmentRow]:
        return [
            CommitmentRow(int(rec.year or 0), str(rec.branch), rec.value)
            for rec in self.records.of("commitment").values()
        ]

    @cached_property
    def rounds(self) -> dict[tuple[str, int], list[schema.SupervisionRound]]:
        """Each branch's 督诺 rounds per year, by date."""
        grouped: dict[tuple[str, int], list[schema.SupervisionRound]] = defaultdict(list)
        for rec in self.records.of("supervision").values():
            grouped[(str(rec.branch), int(rec.year or 0))].append(rec.value)
        for rounds in grouped.values():
            rounds.sort(key=lambda r: r.date)
        return grouped

    @cached_property
    def comparisons(self) -> dict[tuple[str, int], schema.ComparisonFile]:
        """Each branch's year-end 三比三看, by (branch, year)."""
        return {(c.branch, c.year): c for c in self.records.values("comparison")}

    @cached_property
    def star_ratings(self) -> dict[tuple[str, int], schema.StarRating]:
        """Each branch's star rating, by (branch, year)."""
        return {(s.branch, s.year): s for s in self.records.values("star")}

    @cached_property
    def star_ratings_by_branch(self) -> dict[str, list[schema.StarRating]]:
        """Each branch's star ratings, newest first (a branch page reads its own)."""
        grouped: dict[str, list[schema.StarRating]] = {}
        for (branch, _), rating in self.star_ratings.items():
            grouped.setdefault(branch, []).append(rating)
        for ratings in grouped.values():
            ratings.sort(key=lambda r: r.year, reverse=True)
        return grouped

    @cached_property
    def indicators(self) -> dict[str, schema.IndicatorsFile]:
        """The company's indicator red list, by quarter."""
        return {f.quarter: f for f in self.records.values("indicators")}

    @cached_property
    def wishes(self) -> list[WishRow]:
        return [
            WishRow(int(rec.year or 0), str(rec.branch), rec.value)
            for rec in self.records.of("wish").values()
        ]

    @cached_property
    def units(self) -> dict[str, schema.Unit]:
        return _by_id(self.records.values("unit"))

    @cached_property
    def quarters(self) -> dict[str, schema.QuarterInfo]:
        return {q.quarter: q for q in self.records.values("quarter")}

    @cached_property
    def commitment_years(self) -> dict[int, schema.CommitmentYear]:
        return {y.year: y for y in self.records.values("commitment_year")}

    @cached_property
    def assessments(self) -> dict[tuple[str, str], schema.Assessment]:
        return {(a.quarter, a.branch): a for a in self.records.values("assessment")}

    @cached_property
    def interviews(self) -> dict[str, schema.Interview]:
        return _by_id(self.records.values("interview"))

    @cached_property
    def notices(self) -> dict[str, schema.Notice]:
        return _by_id(self.records.values("notice"))

    @cached_property
    def rules(self) -> list[schema.Rules]:
        return sorted(self.records.values("rules"), key=lambda r: r.effective_from)

    # ------------------------------------------------------------- indexes

    @cached_property
    def names(self) -> Names:
        return Names(self.member_names, {o.id: o.name for o in self.orgs.values()})

    @cached_property
    def children(self) -> dict[str, list[str]]:
        tree: dict[str, list[str]] = defaultdict(list)
        for org in self.orgs.values():
            if org.parent:
                tree[org.parent].append(org.id)
        return tree

    @cached_property
    def members_by_branch(self) -> dict[str, list[schema.Member]]:
        """Each branch's current members, in file order."""
        grouped: dict[str, list[schema.Member]] = defaultdict(list)
        for rec in self.records.of("member").values():
            if rec.value.left_on is None:
                grouped[str(rec.branch)].append(rec.value)
        return grouped

    @cached_property
    def member_entries_by_branch(self) -> dict[str, list[schema.Member]]:
        """Each branch's members file in order: current members and those who left."""
        grouped: dict[str, list[schema.Member]] = defaultdict(list)
        for rec in self.records.of("member").values():
            grouped[str(rec.branch)].append(rec.value)
        return grouped

    def members_in(self, branch: str, year: int) -> list[schema.Member]:
        """The branch's members at any time in ``year``, in file order: the year's cards
        show those who left during it too (their records stay, marked)."""
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        return [
            m
            for m in self.member_entries_by_branch.get(branch, [])
            if (m.joined_on is None or m.joined_on <= end)
            and (m.left_on is None or start <= m.left_on)
        ]

    @cached_property
    def former_members_by_branch(self) -> dict[str, list[schema.Member]]:
        """Each branch's members who left it (moved, retired, died), by the day they left."""
        grouped: dict[str, list[schema.Member]] = defaultdict(list)
        for rec in self.records.of("member").values():
            if rec.value.left_on is not None:
                grouped[str(rec.branch)].append(rec.value)
        for members in grouped.values():
            members.sort(key=lambda m: (m.left_on, m.id))
        return grouped

    @cached_property
    def commitments_by_member(self) -> dict[str, list[CommitmentRow]]:
        grouped: dict[str, list[CommitmentRow]] = defaultdict(list)
        for row in self.commitments:
            grouped[row.commitment.member].append(row)
        return grouped

    @cached_property
    def units_by_branch(self) -> dict[str, list[schema.Unit]]:
        grouped: dict[str, list[schema.Unit]] = defaultdict(list)
        for unit in self.units.values():
            grouped[unit.branch].append(unit)
        return grouped

    @cached_property
    def member_names(self) -> dict[str, str]:
        return {m.id: m.name for m in self.members.values()}

    @cached_property
    def units_by_holder(self) -> dict[str, list[schema.Unit]]:
        """Each member's units that still hold their title (not withdrawn), in id order."""
        grouped: dict[str, list[schema.Unit]] = defaultdict(list)
        for unit in self.units.values():
            if unit.withdrawn is None:
                for holder in dict.fromkeys(unit.holders):
                    grouped[holder].append(unit)
        return grouped

    @cached_property
    def wishes_by_branch_year(self) -> dict[tuple[str, int], list[schema.Wish]]:
        grouped: dict[tuple[str, int], list[schema.Wish]] = defaultdict(list)
        for row in self.wishes:
            grouped[(row.branch, row.year)].append(row.wish)
        return grouped

    @cached_property
    def interviews_by_branch(self) -> dict[str, list[schema.Interview]]:
        grouped: dict[str, list[schema.Interview]] = defaultdict(list)
        for interview in self.interviews.values():
            grouped[interview.branch].append(interview)
        return grouped

    @cached_property
    def latest_year(self) -> int | None:
        """The latest year with commitments (the board's current year)."""
        return max((r.year for r in self.commitments), default=None)

    @cached_property
    def branches(self) -> list[schema.Organization]:
        """Every branch (党支部), in file order: read by every page, worked out once."""
        return [o for o in self.orgs.values() if o.kind == "党支部"]

    @cached_property
    def branches_by_unit(self) -> dict[str, list[schema.Organization]]:
        """The branches of each business unit (指标红榜), by id."""
        grouped: dict[str, list[schema.Organization]] = defaultdict(list)
        for org in sorted(self.branches, key=lambda o: o.id):
            if org.unit:
                grouped[org.unit].append(org)
        return grouped

    @property
    def quarter_ids(self) -> list[str]:
        return sorted(self.quarters)

    @property
    def latest_quarter(self) -> str | None:
        return max(self.quarters) if self.quarters else None

    def category_for(self, branch_id: str, quarter: str) -> schema.CategoryName | None:
        """The category in force for a branch in a quarter, or None if not yet listed."""
        return category_in(self.orgs[branch_id], quarter)

    def rules_for(self, quarter: str) -> schema.Rules | None:
        """The rules version in force for ``quarter`` (the latest that took effect)."""
        return rules_in_force(self.rules, quarter)

    def build_indexes(self) -> None:
        """Work out every view and index now: pages are rendered in forked processes,
        which would each build their own copy of what was left for later."""
        for name, value in vars(type(self)).items():
            if isinstance(value, cached_property) and name != "warnings":
                getattr(self, name)

    def settings_only(self) -> Dataset:
        """The site settings, organizations, quarters and rules, without the records."""
        # The hints are dropped too: they hold their files' records, to locate themselves.
        return Dataset(self.records.only(SETTINGS_KINDS), [], self.public, self.drafts)

    def ancestors(self, org_id: str) -> list[schema.Organization]:
        """Parents from the top (党委) down to, not including, ``org_id``."""
        chain: list[schema.Organization] = []
        parent = self.orgs[org_id].parent
        while parent and parent in self.orgs and len(chain) < 10:
            chain.append(self.orgs[parent])
            parent = self.orgs[parent].parent
        return chain[::-1]


def category_in(org: schema.Organization, quarter: str) -> schema.CategoryName | None:
    """The category an organization's spans give it in ``quarter``."""
    current = None
    for span in org.categories:
        if span.since <= quarter:
            current = span.category
    return current


def rules_in_force(rules: list[schema.Rules], quarter: str) -> schema.Rules | None:
    """The latest version that took effect by ``quarter`` (``rules`` in effective order)."""
    in_force = [r for r in rules if r.effective_from <= quarter]
    return in_force[-1] if in_force else None


def _by_id(values: list[Any]) -> dict[str, Any]:
    return {value.id: value for value in sorted(values, key=lambda v: v.id)}
