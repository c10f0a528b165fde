"""Load every file under ``data/`` into one validated, cross-checked ``Dataset``."""

from __future__ import annotations

import dataclasses
import functools
import gc
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from generator.errors import DataError, Hint, Problem
from generator.model import schema
from generator.model.layout import DataFile, FileKind, discover, known_places
from generator.model.messages import translate
from generator.model.parsecache import ParsedFiles
from generator.model.yamlio import LoadedFile, LoadFailed, gc_paused


@dataclass(frozen=True)
class Entry:
    """One validated file: its record, where it came from, and its path parts."""

    kind: str
    record: Any
    source: LoadedFile
    parts: tuple[str, ...]

    def problem(self, path: tuple[str | int, ...], message: str) -> Problem:
        return self.source.problem(path, message)


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


@dataclass
class Dataset:
    """All data of one board, validated; plain records ready for ranking and pages."""

    site: schema.SiteConfig
    orgs: dict[str, schema.Organization]
    members: dict[str, schema.Member]
    member_branch: dict[str, str]
    commitments: list[CommitmentRow]
    wishes: list[WishRow]
    units: dict[str, schema.Unit]
    quarters: dict[str, schema.QuarterInfo]
    commitment_years: dict[int, schema.CommitmentYear]
    assessments: dict[tuple[str, str], schema.Assessment]
    interviews: dict[str, schema.Interview]
    notices: dict[str, schema.Notice]
    rules: list[schema.Rules] = field(default_factory=list)
    hints: list[Hint] = field(default_factory=list)  # quality hints, not errors; unlocated
    public: bool = False  # True once internal fields are removed: only then may it be rendered

    @cached_property
    def warnings(self) -> list[Problem]:
        """The quality hints with their lines, in file order (``board check`` lists them)."""
        return sorted(hint.located() for hint in self.hints)

    @cached_property
    def children(self) -> dict[str, list[str]]:
        tree: dict[str, list[str]] = defaultdict(list)
        for org in self.orgs.values():
            if org.parent:
                tree[org.parent].append(org.id)
        return tree

    @cached_property
    def members_by_branch(self) -> dict[str, list[schema.Member]]:
        grouped: dict[str, list[schema.Member]] = defaultdict(list)
        for member_id, branch in self.member_branch.items():
            grouped[branch].append(self.members[member_id])
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

    # Indexes for the pages: each is built once, so per-branch pages never scan everything.

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

    @property
    def branches(self) -> list[schema.Organization]:
        return [o for o in self.orgs.values() if o.kind == "党支部"]

    @property
    def quarter_ids(self) -> list[str]:
        return sorted(self.quarters)

    @property
    def latest_quarter(self) -> str | None:
        return max(self.quarters) if self.quarters else None

    def category_for(self, branch_id: str, quarter: str) -> schema.CategoryName | None:
        """The category in force for a branch in a quarter, or None if not yet listed."""
        current = None
        for span in self.orgs[branch_id].categories:
            if span.since <= quarter:
                current = span.category
        return current

    def rules_for(self, quarter: str) -> schema.Rules | None:
        """The rules version in force for ``quarter`` (the latest that took effect)."""
        in_force = [r for r in self.rules if r.effective_from <= quarter]
        return in_force[-1] if in_force else None

    def settings_only(self) -> Dataset:
        """The site settings, organizations, quarters and rules, without the records."""
        return dataclasses.replace(
            self,
            members={},
            member_branch={},
            commitments=[],
            wishes=[],
            units={},
            assessments={},
            interviews={},
            notices={},
            hints=[],  # they hold their files' records, to locate themselves
        )

    def ancestors(self, org_id: str) -> list[schema.Organization]:
        """Parents from the top (党委) down to, not including, ``org_id``."""
        chain: list[schema.Organization] = []
        parent = self.orgs[org_id].parent
        while parent and parent in self.orgs and len(chain) < 10:
            chain.append(self.orgs[parent])
            parent = self.orgs[parent].parent
        return chain[::-1]


def load_dataset(
    data_dir: Path,
    shown_root: str = "data",
    importing: str | None = None,
    cache_dir: Path | None = None,
) -> Dataset:
    """Load, validate and cross-check everything; raise ``DataError`` with all problems.

    ``importing`` names a quarter whose scores are being imported: its missing
    score files are expected, not an error. ``cache_dir`` keeps parsed files by
    content (see ``parsecache.py``), so the next load parses only what changed.
    """
    if not data_dir.is_dir():
        raise DataError([Problem(shown_root, 1, 1, "", f"找不到数据目录 {data_dir}")])
    problems: list[Problem] = []
    entries: list[Entry] = []
    failed_kinds: set[str] = set()
    gc.unfreeze()  # a previous load's data (``mkdocs serve``) may be collected again
    with gc_paused():
        found = discover(data_dir)
        source = ParsedFiles(cache_dir)
        source.prefetch((f.path, f"{shown_root}/{f.rel}") for f in found if f.kind is not None)
        for data_file in found:
            entry = _load_entry(data_file, shown_root, problems, source)
            if entry is not None:
                entries.append(entry)
            elif data_file.kind is not None:
                failed_kinds.add(data_file.kind.name)
        from generator.model.checks import check_entries

        checked = check_entries(
            entries,
            shown_root,
            failed={p.file for p in problems},
            failed_kinds=failed_kinds,
            importing=importing,
        )
        problems.extend(p for p in checked if isinstance(p, Problem))
        errors = [p for p in problems if not p.warning]
        if errors:
            raise DataError(errors)
        dataset = _assemble(entries)
        late = [h for h in checked if not isinstance(h, Problem)]
        dataset.hints = [*(p for p in problems if p.warning), *late]
        del entries, source
        # The data lives as long as the build: the collector need not scan it again and
        # again while MkDocs renders thousands of pages (objects are still freed).
        gc.freeze()
    return dataset


_SAFE_PART = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*|[0-9]{4}Q[1-4]")


def _load_entry(
    data_file: DataFile, shown_root: str, problems: list[Problem], source: ParsedFiles
) -> Entry | None:
    shown = f"{shown_root}/{data_file.rel}"
    if data_file.path.suffix != ".yaml":
        problems.append(Problem(shown, 1, 1, "", "扩展名应为 .yaml（小写）；请重命名文件"))
        return None
    if data_file.kind is None:
        problems.append(
            Problem(shown, 1, 1, "", f"不认识这个数据文件的位置；数据文件应放在：{known_places()}")
        )
        return None
    if not all(_SAFE_PART.fullmatch(part) for part in data_file.parts):
        # Names become URLs, and git checkouts on Windows or macOS fold case: B01 and b01
        # would be one file there. Lowercase ASCII only.
        message = "文件名和目录名只能用小写英文字母、数字和连字符（季度如 2025Q1）"
        problems.append(Problem(shown, 1, 1, "", message))
        return None
    try:
        loaded = source.load(data_file.path, shown)
    except LoadFailed as exc:
        problems.append(exc.problem)
        return None
    record = _validate(data_file.kind, loaded, problems)
    if record is None:
        return None
    loaded.release()
    return Entry(data_file.kind.name, record, loaded, data_file.parts)


def _validate(kind: FileKind, loaded: LoadedFile, problems: list[Problem]) -> BaseModel | None:
    problems.extend(loaded.problems)
    if not isinstance(loaded.data, dict):
        problems.append(loaded.problem((), "文件顶层应为映射（“键: 值”），而不是列表或单个值"))
        return None
    try:
        record = kind.model.model_validate(loaded.data)
    except ValidationError as exc:
        for error in exc.errors():
            loc = tuple(p for p in error["loc"] if p != "[key]")
            if loc not in loaded.invalid_paths:  # already reported by the loader
                problems.append(loaded.problem(loc, translate(error, kind.model)))
        return None
    if loaded.problems:
        return None
    _share_field_sets(record)
    return record


# One set per distinct combination of given fields, for the whole process: a few dozen.
_FIELD_SETS: dict[frozenset[str], set[str]] = {}


def _share_field_sets(record: BaseModel) -> None:
    """Let records that set the same fields share one set of those names.

    pydantic keeps, in every model instance, a set of the fields the input gave: on a
    1,000-branch board 870,000 sets and 300 MB, a fifth of the memory a build needed,
    for a handful of distinct sets. The records are frozen, so no set is changed in
    place (``model_copy`` copies it before adding to it)."""
    stack: list[Any] = [record]
    while stack:
        item = stack.pop()
        if isinstance(item, BaseModel):
            names = item.__pydantic_fields_set__
            object.__setattr__(
                item, "__pydantic_fields_set__", _FIELD_SETS.setdefault(frozenset(names), names)
            )
            stack.extend(getattr(item, name) for name in _nested_fields(type(item)))
        elif isinstance(item, list):
            stack.extend(v for v in item if isinstance(v, BaseModel | list))


@functools.cache
def _nested_fields(cls: type[BaseModel]) -> tuple[str, ...]:
    """The fields of ``cls`` that can hold records (``list[Step]``, ``Unit | None``, ...)."""
    return tuple(
        name
        for name, info in cls.model_fields.items()
        if any(schema.record_types_in(info.annotation))
    )


def _assemble(entries: list[Entry]) -> Dataset:
    by_kind: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        by_kind[entry.kind].append(entry)
    members: dict[str, schema.Member] = {}
    member_branch: dict[str, str] = {}
    for e in by_kind["members"]:
        for member in e.record.members:
            members[member.id] = member
            member_branch[member.id] = e.record.branch
    return Dataset(
        site=by_kind["site"][0].record,
        orgs={e.record.id: e.record for e in sorted(by_kind["organization"], key=_id)},
        members=members,
        member_branch=member_branch,
        commitments=[
            CommitmentRow(e.record.year, e.record.branch, c)
            for e in by_kind["commitments"]
            for c in e.record.commitments
        ],
        wishes=[
            WishRow(e.record.year, e.record.branch, w)
            for e in by_kind["wishes"]
            for w in e.record.wishes
        ],
        units={e.record.id: e.record for e in sorted(by_kind["unit"], key=_id)},
        quarters={e.record.quarter: e.record for e in by_kind["quarter"]},
        commitment_years={e.record.year: e.record for e in by_kind["commitment_year"]},
        assessments={(e.record.quarter, e.record.branch): e.record for e in by_kind["assessment"]},
        interviews={e.record.id: e.record for e in sorted(by_kind["interview"], key=_id)},
        notices={e.record.id: e.record for e in sorted(by_kind["notice"], key=_id)},
        rules=sorted((e.record for e in by_kind["rules"]), key=lambda r: r.effective_from),
    )


def _id(entry: Entry) -> str:
    return str(entry.record.id)
