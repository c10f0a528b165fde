"""What git history says about the data, as plain values pages can show.

``generator.review`` reads these from git (``history.py`` there); pages only read
them. Every record change in here was made from the publishable view of both
versions (``PublishPolicy.fields``): an internal value is a ``Hidden`` marker, never
text, so no page can show one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from generator.model.policy import HIDDEN_CHANGE, Hidden
from generator.text import number


@dataclass(frozen=True)
class Stamp:
    date: str  # YYYY-MM-DD, the commit date
    commit: str  # short hash


@dataclass(frozen=True)
class FieldChange:
    path: str  # as error messages write it: "scores.党员教育", "items[2].status"
    old: Any  # None when the field was added; may be a ``Hidden`` marker
    new: Any  # None when the field was removed

    def describe(self, escape: Callable[[str], str] = str) -> str:
        """``old → new`` (each passed through ``escape``); an internal field only says
        that it changed."""
        if isinstance(self.old, Hidden) or isinstance(self.new, Hidden):
            return HIDDEN_CHANGE
        return f"{escape(shown(self.old))} → {escape(shown(self.new))}"


def shown(value: Any) -> str:
    """A value as a change line shows it: （无） for none, scores without trailing zeros."""
    if value is None:
        return "（无）"
    if isinstance(value, float):
        return number(value)
    return str(value)


@dataclass(frozen=True)
class RecordChange:
    action: str  # 新增, 删除, 修改
    kind: str  # the kind's name in the registry
    label: str  # what people call the kind: 党员, 承诺…
    key: str
    title: str  # what people call the record
    fields: tuple[FieldChange, ...] = ()

    @property
    def name(self) -> str:
        """``党员 m0001（张三）``: the kind, the key, and the record's title if it differs."""
        return (
            f"{self.label} {self.key}（{self.title}）"
            if self.title != self.key
            else (f"{self.label} {self.key}")
        )


@dataclass(frozen=True)
class LogEntry:
    """One commit that changed the data."""

    commit: str
    date: str
    changes: tuple[RecordChange, ...]
    files: int  # data files the commit touched
    itemised: bool = True  # False: too many files to compare one by one
    # For an entry not itemised: how many files of each kind (党员 12, 考核得分 30).
    kinds: tuple[tuple[str, int], ...] = ()


@dataclass
class History:
    """Last change per data file (paths relative to the data folder) and recent history."""

    available: bool
    shallow: bool = False
    files: dict[str, Stamp] = field(default_factory=dict)
    uncommitted: set[str] = field(default_factory=set)
    log: list[LogEntry] = field(default_factory=list)
    # Texts of internal fields seen in the versions read: the output scanner must not
    # find these either, although only the current ones are in the data.
    internal: set[str] = field(default_factory=set)

    def stamp(self, prefix: str) -> Stamp | None:
        """The newest change of a file, or of any file under a folder prefix."""
        if prefix in self.files:
            return self.files[prefix]
        inside = [s for path, s in self.files.items() if path.startswith(prefix)]
        return max(inside, key=lambda s: s.date, default=None)
