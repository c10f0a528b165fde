"""The record-kind registry: the one place that knows every kind of record.

Like MkDocs' ``Files``, every policy loops over this instead of naming kinds by hand:
loading finds files by ``place``, the publish policy cleans every record of every
kind, the semantic diff and the change log compare records kind by kind, the
published-data check asks each record what freezes it, and source footers ask each
record which pages show it. Adding a kind is one ``Kind`` here, its model in
``schema.py`` and the page that shows it.

One small file per branch, unit or quarter, so a branch secretary edits only their
own files and a merge-request diff shows one record per block. A file holds one
record, or (``items``) a list of records that share the file's branch and year.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from pydantic import BaseModel

from generator.model import schema


@dataclass(frozen=True)
class Scope:
    """Where a record belongs: its branch, year and quarter, when it has them."""

    branch: str | None = None
    year: int | None = None
    quarter: str | None = None


def _by_id(record: Any) -> str:
    return str(record.id)


def _no_scope(file: Any, record: Any) -> Scope:
    return Scope()


@dataclass(frozen=True)
class Kind:
    """A kind of record: where its files live, how a file splits into records, what
    people call it, where it belongs, which pages show it and what freezes it."""

    name: str  # in code and error messages' file kinds: "member"
    label: str  # what people call the kind: "党员"
    place: str  # the file's place under data/: "members/{branch}.yaml"
    model: type[BaseModel]  # one record
    example: str  # an example path, for "this file is in no known place"
    file_model: type[BaseModel] | None = None  # the whole file, when it holds a list
    items: str | None = None  # the file model's field holding the records
    key: Callable[[Any], str] = _by_id  # unique within the kind
    # The key from the file record and the record, for records unique only in their
    # file (a member's time in a branch, a branch's 督诺 round on a date).
    file_key: Callable[[Any, Any], str] | None = None
    title: Callable[[Any, Names], str] = lambda record, names: str(record.id)
    scope: Callable[[Any, Any], Scope] = _no_scope  # (file record, record) -> Scope
    # Pages that show a record, filled from its key and scope: their source footers
    # name its file. ``{year}`` and ``{quarter}`` come from the scope.
    pages: tuple[str, ...] = ()
    # The publication record (kind, key) whose publishing makes this record public (until
    # then it is a draft, shown only in a preview) and freezes it: after that, it changes
    # only with a correction entry. ``released_by`` when making public and freezing differ.
    frozen_by: Callable[[Rec], tuple[str, str] | None] = lambda rec: None
    released_by: Callable[[Rec], tuple[str, str] | None] | None = None
    # Frozen by several publications, found in the whole dataset (a rules version by
    # every published quarter it scored); such a record carries its own corrections.
    frozen_in: Callable[[Rec, Any], list[tuple[str, str]]] | None = None
    # For publication kinds (those with ``published`` and ``corrections``): whether
    # records frozen by one may still be added after publishing (a year's commitments
    # keep growing; a quarter's scores do not).
    publication: bool = False
    grows: bool = False
    # On a large board, pages that show only kinds searched in full at every scale stay
    # in the search index; a kind with many long records (every member's commitments)
    # is searched on small boards only (``generator/render/search.py``).
    searched_at_scale: bool = True

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        parts = re.split(r"\{(\w+)\}", self.place)
        regex = "".join(
            re.escape(part) if i % 2 == 0 else f"(?P<{part}>[^/]+)" for i, part in enumerate(parts)
        )
        return re.compile(regex)

    @property
    def file_type(self) -> type[BaseModel]:
        return self.file_model or self.model

    def split(self, file_record: Any) -> list[Any]:
        """The records a validated file holds."""
        return list(getattr(file_record, self.items)) if self.items else [file_record]

    def recs(self, file_record: Any, rel: str) -> list[Rec]:
        """The records a validated file holds, each in its place."""
        out = []
        for value in self.split(file_record):
            scope = self.scope(file_record, value)
            key = self.file_key(file_record, value) if self.file_key else self.key(value)
            out.append(Rec(self.name, key, value, rel, scope.branch, scope.year, scope.quarter))
        return out

    def release(self, rec: Rec) -> tuple[str, str] | None:
        """The publication that makes ``rec`` public, if any (see ``frozen_by``)."""
        return (self.released_by or self.frozen_by)(rec)

    def place_of(self, key: str) -> str:
        """The file a record with ``key`` lives in, for kinds whose place names only it."""
        (name,) = re.findall(r"\{(\w+)\}", self.place)
        return self.place.format(**{name: key})

    def shows(self, page: str) -> bool:
        """Whether ``page`` is one of the pages this kind's records appear on."""
        return any(_template(template).fullmatch(page) for template in self.pages)

    def pages_name_key(self) -> bool:
        """Whether a page of this kind's records is named by a record's key."""
        return any("key" in _fields_of(page) for page in self.pages)

    def page_paths(self, rec: Rec) -> list[str]:
        values = {"key": rec.key, "branch": rec.branch, "year": rec.year, "quarter": rec.quarter}
        return [
            page.format(**values)
            for page in self.pages
            if all(values[name] is not None for name in _fields_of(page))
        ]


@functools.cache
def _fields_of(page: str) -> tuple[str, ...]:
    """The names a page template needs (``{branch}``, ``{year}``...): read once, not
    once per record."""
    return tuple(re.findall(r"\{(\w+)\}", page))


@functools.cache
def _template(page: str) -> re.Pattern[str]:
    parts = re.split(r"\{\w+\}", page)
    return re.compile("[^/]+".join(re.escape(part) for part in parts))


@dataclass(frozen=True, slots=True)
class Rec:
    """One record in its place: the model, its key, its file and its scope."""

    kind: str
    key: str
    value: Any
    file: str  # relative to data/: "members/b01-yunwei.yaml"
    branch: str | None = None
    year: int | None = None
    quarter: str | None = None


class Names:
    """How people call members and organizations, for records' titles."""

    def __init__(self, members: dict[str, str], orgs: dict[str, str]) -> None:
        self.members, self.orgs = members, orgs

    def member(self, member_id: str) -> str:
        return self.members.get(member_id, member_id)

    def org(self, org_id: str) -> str:
        return self.orgs.get(org_id, org_id)


# ------------------------------------------------------------------ the kinds


def _members_scope(file: schema.MembersFile, record: Any) -> Scope:
    return Scope(branch=file.branch)


def _year_scope(file: Any, record: Any) -> Scope:
    return Scope(branch=file.branch, year=file.year)


def _own_branch(record: Any) -> Scope:
    return Scope(branch=record.branch)


def _quarter_of(rec: Rec) -> tuple[str, str] | None:
    return ("quarter", rec.quarter) if rec.quarter else None


def _scored_quarters(rec: Rec, dataset: Any) -> list[tuple[str, str]]:
    """The quarters a rules version scored (it was in force for them)."""
    return [
        ("quarter", q)
        for q in dataset.quarter_ids
        if (rules := dataset.rules_for(q)) is not None and rules.id == rec.key
    ]


def _year_of(rec: Rec) -> tuple[str, str] | None:
    return ("commitment_year", str(rec.year)) if rec.year is not None else None


REGISTRY: list[Kind] = [
    Kind(
        "site", "站点配置", "site.yaml", schema.SiteConfig, "site.yaml",
        key=lambda r: "site", title=lambda r, n: str(r.title),
    ),
    Kind(
        "rules", "考核规则", "rules/{id}.yaml", schema.Rules, "rules/2024-v1.yaml",
        title=lambda r, n: str(r.title), pages=("rules.md",), frozen_in=_scored_quarters,
    ),
    Kind(
        "organization", "党组织", "organizations/{id}.yaml", schema.Organization,
        "organizations/b01-yunwei.yaml",
        title=lambda r, n: str(r.name),
        scope=lambda f, r: Scope(branch=r.id),
        pages=("org/{key}.md", "org/index.md"),
    ),
    Kind(
        "member", "党员", "members/{branch}.yaml", schema.Member, "members/b01.yaml",
        file_model=schema.MembersFile, items="members",
        file_key=lambda f, r: f"{f.branch}/{r.id}",  # a member may have been in two branches
        title=lambda r, n: str(r.name), scope=_members_scope,
        pages=("org/{branch}.md",),
    ),
    Kind(
        "commitment_year", "承诺年度", "commitments/{year}/_year.yaml", schema.CommitmentYear,
        "commitments/2025/_year.yaml",
        key=lambda r: str(r.year), title=lambda r, n: f"{r.year}年度承诺",
        scope=lambda f, r: Scope(year=r.year),
        pages=("commitments/{year}.md", "commitments/index.md"),
        frozen_by=_year_of, publication=True, grows=True, searched_at_scale=False,
    ),
    Kind(
        "commitment", "承诺", "commitments/{year}/{branch}.yaml", schema.Commitment,
        "commitments/2025/b01.yaml",
        file_model=schema.CommitmentsFile, items="commitments",
        title=lambda r, n: n.member(r.member), scope=_year_scope,
        pages=("commitments/{year}/{branch}.md", "commitments/{year}.md", "org/{branch}.md"),
        frozen_by=_year_of, searched_at_scale=False,
    ),
    Kind(
        "supervision", "督诺", "supervision/{year}/{branch}.yaml", schema.SupervisionRound,
        "supervision/2025/b01.yaml",
        file_model=schema.SupervisionFile, items="rounds",
        file_key=lambda f, r: f"{f.year}/{f.branch}/{r.date}",
        title=lambda r, n: f"{r.date} 督诺", scope=_year_scope,
        pages=("commitments/{year}/{branch}.md", "commitments/{year}.md"),
        frozen_by=_year_of, searched_at_scale=False,
    ),
    Kind(
        "wish", "微心愿", "wishes/{year}/{branch}.yaml", schema.Wish, "wishes/2025/b01.yaml",
        file_model=schema.WishesFile, items="wishes",
        title=lambda r, n: str(r.employee), scope=_year_scope,
        pages=("commitments/{year}/{branch}.md", "commitments/{year}.md"),
        released_by=_year_of, searched_at_scale=False,
    ),
    Kind(
        "unit", "示范单位", "units/{id}.yaml", schema.Unit, "units/sfg-01.yaml",
        title=lambda r, n: str(r.name), scope=lambda f, r: _own_branch(r),
        pages=("units/{key}.md", "units/index.md", "org/{branch}.md"),
    ),
    Kind(
        "quarter", "季度信息", "assessments/{quarter}/_quarter.yaml", schema.QuarterInfo,
        "assessments/2025Q1/_quarter.yaml",
        key=lambda r: str(r.quarter), title=lambda r, n: str(r.quarter),
        scope=lambda f, r: Scope(quarter=r.quarter),
        pages=("quarters/{quarter}.md", "quarters/index.md"),
        frozen_by=_quarter_of, publication=True,
    ),
    Kind(
        "assessment", "考核得分", "assessments/{quarter}/{branch}.yaml", schema.Assessment,
        "assessments/2025Q1/b01.yaml",
        key=lambda r: f"{r.quarter}/{r.branch}",
        title=lambda r, n: f"{r.quarter} {n.org(r.branch)}",
        scope=lambda f, r: Scope(branch=r.branch, quarter=r.quarter),
        pages=("quarters/{quarter}.md", "org/{branch}.md"),
        frozen_by=_quarter_of,
    ),
    Kind(
        "interview", "约谈", "interviews/{id}.yaml", schema.Interview,
        "interviews/2025q2-b07.yaml",
        title=lambda r, n: n.org(r.branch),
        scope=lambda f, r: Scope(branch=r.branch, quarter=r.quarter),
        pages=("rectification/index.md", "org/{branch}.md"),
        released_by=_quarter_of,  # a blue-list interview is public once the quarter is
    ),
    Kind(
        "comparison", "三比三看", "comparisons/{year}/{branch}.yaml", schema.ComparisonFile,
        "comparisons/2025/b01.yaml",
        key=lambda r: f"{r.year}/{r.branch}", title=lambda r, n: f"{r.year}年度 {n.org(r.branch)}",
        scope=_year_scope,
        pages=("commitments/{year}/{branch}.md", "commitments/{year}.md", "org/{branch}.md"),
        searched_at_scale=False,
    ),
    Kind(
        "star", "星级党支部", "stars/{year}/{branch}.yaml", schema.StarRating,
        "stars/2025/b01.yaml",
        key=lambda r: f"{r.year}/{r.branch}", title=lambda r, n: f"{r.year}年度 {n.org(r.branch)}",
        scope=_year_scope,
        pages=("stars/index.md", "org/{branch}.md"),
    ),
    Kind(
        "indicators", "指标红榜", "indicators/{quarter}.yaml", schema.IndicatorsFile,
        "indicators/2025Q1.yaml",
        key=lambda r: str(r.quarter), title=lambda r, n: f"{r.quarter} 指标红榜",
        scope=lambda f, r: Scope(quarter=r.quarter),
        pages=("indicators/index.md",),
        released_by=_quarter_of,  # shown beside the quarter's results, once they are public
    ),
    Kind(
        "notice", "提示单与提醒单", "notices/{id}.yaml", schema.Notice, "notices/2025-01.yaml",
        title=lambda r, n: f"{r.kind}：{r.title}", pages=("notices/index.md",),
    ),
]  # fmt: skip


def kinds() -> list[Kind]:
    return list(REGISTRY)


def kind(name: str) -> Kind:
    for candidate in REGISTRY:
        if candidate.name == name:
            return candidate
    raise KeyError(name)


def classify(rel: str) -> tuple[Kind | None, dict[str, str]]:
    """The kind of file at ``rel`` (relative to data/) and the parts its path names."""
    for candidate in REGISTRY:
        match = candidate.pattern.fullmatch(rel)
        if match:
            return candidate, match.groupdict()
    return None, {}


def known_places() -> str:
    return "、".join(k.example for k in REGISTRY)


@contextmanager
def registered(extra: Kind) -> Iterator[Kind]:
    """A kind added for a while (tests prove the policies need no change for one)."""
    REGISTRY.insert(0, extra)  # first: its place may be more specific than another's
    try:
        yield extra
    finally:
        REGISTRY.remove(extra)
