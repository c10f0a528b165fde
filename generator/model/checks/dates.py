"""Dates that cannot be true: in the future, or in the wrong order with each other.

A date on which something happened (``schema.Happened``: a step taken, a notice
issued, an item closed) cannot be later than the day the data is checked; deadlines
can. And events follow each other: an interview comes after its quarter's
inspection, an item is completed after the interview that set it, a unit is
withdrawn after it was set up, a quarter's inspection falls in (or just after) it.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator
from typing import Any, get_args

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from generator.errors import Problem
from generator.model import schema
from generator.model.checks.base import FileVerdicts, Index, check
from generator.model.checks.commitments import in_year
from generator.model.entry import Entry
from generator.model.yamlio import Path_

GRACE = dt.timedelta(days=1)  # the office's clock and the build machine's may differ by a day
LATE_INSPECTION = dt.timedelta(days=45)  # a Q4 inspection may run into January


def quarter_span(quarter: str) -> tuple[dt.date, dt.date]:
    """First and last day of ``2026Q3``."""
    year, number = int(quarter[:4]), int(quarter[-1])
    first = dt.date(year, 3 * number - 2, 1)
    last = dt.date(year + (number == 4), (3 * number) % 12 + 1, 1) - dt.timedelta(days=1)
    return first, last


def _is_happened(info: FieldInfo) -> bool:
    def marked(extra: Any) -> bool:
        return isinstance(extra, dict) and bool(extra.get("happened"))

    if marked(info.json_schema_extra):
        return True
    return any(
        isinstance(meta, FieldInfo) and marked(meta.json_schema_extra)
        for arg in get_args(info.annotation)
        for meta in get_args(arg)[1:]
    )


@functools.cache
def _fields(cls: type[BaseModel]) -> tuple[tuple[str, str, bool], ...]:
    """The fields of ``cls`` that are a ``Happened`` date or can hold one further down
    (name, key in messages, whether it is the date itself): worked out once per model,
    so the walk over every record skips the many fields that cannot hold one."""
    return tuple(
        (name, info.alias or name, happened)
        for name, info in cls.model_fields.items()
        if (happened := _is_happened(info))
        or any(_can_hold_happened(t) for t in schema.record_types_in(info.annotation))
    )


@functools.cache
def _can_hold_happened(cls: type[BaseModel]) -> bool:
    return bool(_fields(cls))


def _happened_dates(value: Any, path: Path_) -> Iterator[tuple[Path_, dt.date]]:
    if isinstance(value, BaseModel):
        for name, key, happened in _fields(type(value)):
            item = getattr(value, name)
            if isinstance(item, dt.date) and happened:
                yield (*path, key), item
            elif isinstance(item, BaseModel | list):
                yield from _happened_dates(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _happened_dates(item, (*path, i))


@check
def nothing_happened_in_the_future(index: Index) -> Iterator[Problem]:
    if index.today is None:
        return
    latest = index.today + GRACE
    # Each file's latest Happened date, kept by its bytes: only a file with one in the
    # future is walked again (to report it), whatever the day.
    kept = FileVerdicts(index, "happened")
    for entries in index.entries.values():
        for e in entries:
            last = kept.get(e)
            if isinstance(last, str) and last <= latest.isoformat():
                kept.put(e, last)
                continue
            found = list(_happened_dates(e.record, ()))
            kept.put(e, max((day for _, day in found), default=dt.date.min).isoformat())
            for path, day in found:
                if day > latest:
                    yield e.problem(
                        path,
                        f"日期 {day} 晚于今天（{index.today}）：已经发生的事不能记在将来的日期；"
                        "请检查年份和月份（截止日期请写在 deadline 中）",
                    )
    kept.keep()


def _not_before(
    e: Entry, path: Path_, day: dt.date | None, since: dt.date, what: str
) -> Iterator[Problem]:
    if day is not None and day < since:
        yield e.problem(path, f"日期 {day} 早于{what}（{since}）；请检查")


@check
def events_in_order(index: Index) -> Iterator[Problem]:
    infos = {e.parts["quarter"]: e.record for e in index.of("quarter")}
    for e in index.of("interview"):
        yield from _interview_dates(e, e.record, infos.get(e.record.quarter))
    for e in index.of("unit"):
        yield from _unit_dates(e, e.record)
    for e in index.of("notice"):
        n: schema.Notice = e.record
        for i, item in enumerate(n.items):
            yield from _not_before(
                e, ("items", i, "closed_on"), item.closed_on, n.date, "提示单日期"
            )
            yield from _not_before(e, ("items", i, "deadline"), item.deadline, n.date, "提示单日期")
    for e in index.of("quarter"):
        yield from _quarter_dates(e, e.record)
    for e in index.of("assessment"):
        info = infos.get(e.record.quarter)
        if info is not None:
            yield from _inspected_in_time(e, e.record, info)


def _interview_dates(
    e: Entry, iv: schema.Interview, info: schema.QuarterInfo | None
) -> Iterator[Problem]:
    after = info.inspection_end if info is not None else quarter_span(iv.quarter)[0]
    what = f"{iv.quarter} 检查结束日期" if info is not None else f"{iv.quarter} 的第一天"
    yield from _not_before(e, ("date",), iv.date, after, what)
    for i, item in enumerate(iv.items):
        yield from _not_before(
            e, ("items", i, "completed_on"), item.completed_on, iv.date, "约谈日期"
        )
        yield from _not_before(e, ("items", i, "deadline"), item.deadline, iv.date, "约谈日期")
    if iv.recheck is not None:
        yield from _not_before(e, ("recheck", "date"), iv.recheck.date, iv.date, "约谈日期")
        first, last = quarter_span(iv.recheck.quarter)
        if not first <= iv.recheck.date <= last + LATE_INSPECTION:
            yield e.problem(
                ("recheck", "date"),
                f"回头看日期 {iv.recheck.date} 不在 {iv.recheck.quarter}"
                f"（{first} 至 {last}）的检查期间",
            )


def _unit_dates(e: Entry, u: schema.Unit) -> Iterator[Problem]:
    if u.withdrawn is not None:
        yield from _not_before(
            e, ("withdrawn", "date"), u.withdrawn.date, u.established, "设立日期"
        )
    for i, act in enumerate(u.activities):
        yield from _not_before(e, ("activities", i, "date"), act.date, u.established, "设立日期")
        if u.withdrawn is not None and act.date > u.withdrawn.date:
            yield e.problem(
                ("activities", i, "date"),
                f"活动日期 {act.date} 晚于撤销日期 {u.withdrawn.date}：撤销后不再有活动",
            )
    for i, s in enumerate(u.self_evaluations):
        if quarter_span(s.quarter)[1] < u.established:
            yield e.problem(
                ("self_evaluations", i, "quarter"),
                f"{s.quarter} 早于设立日期 {u.established}：设立之前不能自评",
            )
    for i, a in enumerate(u.annual_evaluations):
        if a.year < u.established.year:
            yield e.problem(
                ("annual_evaluations", i, "year"),
                f"{a.year} 年早于设立日期 {u.established}：设立之前不能考评",
            )


def _quarter_dates(e: Entry, q: schema.QuarterInfo) -> Iterator[Problem]:
    first, last = quarter_span(q.quarter)
    if q.inspection_start < first or q.inspection_end > last + LATE_INSPECTION:
        yield e.problem(
            ("inspection_start",),
            f"检查日期 {q.inspection_start} 至 {q.inspection_end} 不在 {q.quarter}"
            f"（{first} 至 {last}，最晚可延至次季度初）内；请检查季度或日期",
        )
    yield from _not_before(e, ("published",), q.published, q.inspection_end, "检查结束日期")


def _inspected_in_time(
    e: Entry, a: schema.Assessment, info: schema.QuarterInfo
) -> Iterator[Problem]:
    if not info.inspection_start <= a.inspected_on <= info.inspection_end:
        yield e.problem(
            ("inspected_on",),
            f"检查日期 {a.inspected_on} 不在本季度检查期间（{info.inspection_start} 至 "
            f"{info.inspection_end}，见 _quarter.yaml）",
        )


@check
def commitment_dates_in_their_year(index: Index) -> Iterator[Problem]:
    for e in index.of("commitment"):
        f: schema.CommitmentsFile = e.record
        first, last = dt.date(f.year - 1, 10, 1), dt.date(f.year + 1, 3, 31)
        for i, c in enumerate(f.commitments):
            for j, step in enumerate(c.progress):
                if not first <= step.date <= last:
                    yield e.problem(
                        ("commitments", i, "progress", j, "date"),
                        f"日期 {step.date} 不在 {f.year} 年度承诺的期间（{first} 至 {last}）；"
                        "请检查年份，或把承诺放到对应年度的文件中",
                    )
    for e in index.of("supervision"):
        s: schema.SupervisionFile = e.record
        first, last = dt.date(s.year, 1, 1), dt.date(s.year + 1, 3, 31)
        for i, r in enumerate(s.rounds):
            if not in_year(r.date, s.year):
                yield e.problem(
                    ("rounds", i, "date"),
                    f"督诺日期 {r.date} 不在 {s.year} 年度（{first} 至 {last}）；"
                    "请检查年份，或把这一轮放到对应年度的文件中",
                )
    for e in index.of("wish"):
        w: schema.WishesFile = e.record
        first, last = dt.date(w.year, 1, 1), dt.date(w.year + 1, 3, 31)
        for i, wish in enumerate(w.wishes):
            if wish.fulfilled_on is not None and not first <= wish.fulfilled_on <= last:
                yield e.problem(
                    ("wishes", i, "fulfilled_on"),
                    f"实现日期 {wish.fulfilled_on} 不在 {w.year} 年度（{first} 至 {last}）",
                )
