"""Follow-up after the lists: interviews, rectification items, notices, and what is overdue.

"Today" is an input: the plugin passes the build date (``SOURCE_DATE_EPOCH`` when
set, so a rebuild of the same commit says the same thing), tests pass fixed dates.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

from generator.model.dataset import Dataset
from generator.model.schema import Interview, Notice, NoticeItem, RectificationItem


def as_of_date() -> dt.date:
    """The date overdue flags are computed against."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.date.today()


@dataclass(frozen=True)
class ItemState:
    interview: Interview
    item: RectificationItem
    overdue: bool

    @property
    def label(self) -> str:
        if self.item.status == "已完成":
            return f"已完成（{self.item.completed_on}）"
        return "逾期未完成" if self.overdue else "整改中"


def item_states(interview: Interview, as_of: dt.date) -> list[ItemState]:
    return [
        ItemState(interview, item, item.status != "已完成" and item.deadline < as_of)
        for item in interview.items
    ]


def open_items(dataset: Dataset, as_of: dt.date) -> list[ItemState]:
    """Every rectification item not yet closed, oldest interview first: they carry over."""
    states = [s for iv in dataset.interviews.values() for s in item_states(iv, as_of)]
    open_ = [s for s in states if s.item.status != "已完成"]
    return sorted(open_, key=lambda s: (s.interview.quarter, s.interview.id, s.item.deadline))


def interviews_for(dataset: Dataset, quarter: str) -> list[Interview]:
    return [iv for iv in dataset.interviews.values() if iv.quarter == quarter]


def rechecks_in(dataset: Dataset, quarter: str) -> list[Interview]:
    """Interviews whose 回头看 happened in ``quarter``."""
    return [
        iv for iv in dataset.interviews.values() if iv.recheck and iv.recheck.quarter == quarter
    ]


@dataclass(frozen=True)
class NoticeState:
    notice: Notice
    items: list[tuple[NoticeItem, bool]]  # (item, overdue)

    @property
    def closed(self) -> int:
        return sum(item.status == "已完成" for item, _ in self.items)

    @property
    def is_closed(self) -> bool:
        return self.closed == len(self.items)


def notice_states(dataset: Dataset, as_of: dt.date) -> list[NoticeState]:
    """Notices newest first, each item with whether it is overdue."""
    states = []
    for notice in sorted(dataset.notices.values(), key=lambda n: (n.date, n.id), reverse=True):
        items = [
            (i, i.status != "已完成" and i.deadline is not None and i.deadline < as_of)
            for i in notice.items
        ]
        states.append(NoticeState(notice, items))
    return states
