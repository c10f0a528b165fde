"""Follow-up after the lists: interviews, rectification items, notices, and what is overdue.

"Today" is an input (``as_of``): the pipeline decides it once for a build, tests pass
fixed dates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.model.dataset import Dataset
from generator.model.schema import Interview, Notice, NoticeItem, RectificationItem
from generator.text import cn_date


@dataclass(frozen=True)
class ItemState:
    interview: Interview
    item: RectificationItem
    overdue: bool

    @property
    def label(self) -> str:
        done = self.item.completed_on
        if self.item.status == "已完成":
            return f"已完成（{cn_date(done)}）" if done else "已完成"
        return "逾期未完成" if self.overdue else "整改中"


def item_states(interview: Interview, as_of: dt.date) -> list[ItemState]:
    return [
        ItemState(interview, item, item.status != "已完成" and item.deadline < as_of)
        for item in interview.items
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
