"""What follows the inspections: 清单式约谈 of the blue-listed branches, and notices.

Who is interviewed is not decided here: the quarter's files go through the board's
own ranking (``rank_all``), and every branch it puts on a quarter's blue list is
interviewed after that quarter, in org-chart order. The interview's problem list is
the inspection's biggest deductions; the next quarter's inspection re-checks it.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Mapping, Sequence
from typing import Literal

from pydantic import BaseModel

from generator.demo import pools
from generator.demo.assessments import Round
from generator.demo.draws import day_between, days_after, section_rng
from generator.demo.shape import TODAY
from generator.demo.world import Branch, World
from generator.model import schema as s
from generator.model.dataset import Dataset
from generator.model.loading import records_from_files
from generator.ranking.lists import rank_all

RecheckResult = Literal["已整改", "部分整改", "未整改"]


def blue_lists(files: Mapping[str, BaseModel]) -> dict[str, set[str]]:
    """Each quarter's blue-listed branches, as the ranking decides them from ``files``
    (the site, organizations, rules and assessments, by their place under data/)."""
    table = rank_all(Dataset(records_from_files(files))).table
    blue = table[table["list"] == "blue"]
    found: dict[str, set[str]] = {}
    for quarter, branch in zip(blue["quarter"], blue["branch"], strict=True):
        found.setdefault(str(quarter), set()).add(str(branch))
    return found


# ------------------------------------------------------------- interviews


def interview_files(
    world: World, rounds: dict[str, Round], blue: dict[str, set[str]]
) -> Iterator[tuple[str, s.Interview]]:
    """A 清单式约谈 for every blue-listed branch of every quarter."""
    rng = section_rng(world.shape, "interviews")
    # One rectification item is left open past its deadline, for the overdue view.
    force_quarter = world.quarters[-2] if len(world.quarters) > 1 else world.quarters[-1]
    for i, quarter in enumerate(world.quarters):
        following = rounds[world.quarters[i + 1]] if i + 1 < len(world.quarters) else None
        on_list = blue.get(quarter, set())
        scored = zip(world.branches, rounds[quarter].assessments, strict=True)
        listed = [(branch, assessment) for branch, assessment in scored if branch.id in on_list]
        for n, (branch, assessment) in enumerate(listed):
            force = quarter == force_quarter and n == 0
            interview = _interview(rng, branch, assessment, rounds[quarter], following, force)
            yield f"interviews/{interview.id}.yaml", interview


def _interview(
    rng: random.Random,
    branch: Branch,
    assessment: s.Assessment,
    done: Round,
    following: Round | None,
    force: bool,
) -> s.Interview:
    day = days_after(rng, done.published, 5, 12)
    # The next quarter's inspection of the branch is its “回头看”.
    recheck_on = following.assessments[branch.index].inspected_on if following else None
    items = _rectifications(rng, branch, assessment, day, recheck_on, force)
    quarter = assessment.quarter
    return s.Interview(
        id=f"{quarter.lower()}-{branch.id}",
        branch=branch.id,
        quarter=quarter,
        date=day,
        interviewer=pools.followup().interview.interviewer,
        interviewee=branch.secretary.id,
        notes=_notes(assessment),
        items=items,
        recheck=_recheck(following.info.quarter, recheck_on, items)
        if following and recheck_on
        else None,
    )


def _notes(assessment: s.Assessment) -> str:
    pool = pools.followup().interview
    dims = list(dict.fromkeys(d.dimension for d in assessment.deductions)) or [pool.no_areas]
    base = 100 - sum(d.points for d in assessment.deductions)  # every point lost is listed
    areas = "、".join(dims[:3])
    return pool.notes.format(quarter=assessment.quarter, base=float(base), areas=areas)


def taken_up(assessment: s.Assessment) -> list[int]:
    """The places in the problem list of the deductions an interview takes up, in the
    order of its rectification items: the biggest first, at most four."""
    deductions = assessment.deductions
    return sorted(range(len(deductions)), key=lambda i: -deductions[i].points)[:4]


def _problems(assessment: s.Assessment) -> list[tuple[str, str]]:
    """The biggest deductions first, as (dimension, problem); at least two, at most four."""
    pool = pools.followup().interview
    ranked = [assessment.deductions[i] for i in taken_up(assessment)]
    problems = [
        (
            d.dimension,
            pool.problem.format(reason=d.reason, dimension=d.dimension, points=float(d.points)),
        )
        for d in ranked
    ]
    return problems + list(pool.generic_problems[: max(0, 2 - len(problems))])


def _rectifications(
    rng: random.Random,
    branch: Branch,
    assessment: s.Assessment,
    day: dt.date,
    recheck_on: dt.date | None,
    force: bool,
) -> list[s.RectificationItem]:
    measures = pools.followup().interview.measures
    owners = branch.people[:4]  # the secretary and the branch committee
    items = [
        _item(rng, k, problem, measures[dim], owners[k % len(owners)].id, day, recheck_on)
        for k, (dim, problem) in enumerate(_problems(assessment))
    ]
    if force:
        items[-1] = _left_open(items[-1], day)
    return items


def _item(
    rng: random.Random,
    k: int,
    problem: str,
    measure: str,
    owner: str,
    day: dt.date,
    recheck_on: dt.date | None,
) -> s.RectificationItem:
    deadline = days_after(rng, day, 20, 45)
    # Some items are finished late, after the re-check: it then finds them 部分整改.
    done_on = days_after(rng, day, 7, (deadline - day).days + 40)
    # Items of older interviews are closed by now; the latest ones are still in progress.
    done = done_on <= TODAY and (recheck_on is not None or rng.random() < 0.45)
    return s.RectificationItem(
        id=f"zg-{k + 1}",
        problem=problem,
        measure=measure,
        owner=owner,
        deadline=deadline,
        status="已完成" if done else "整改中",
        completed_on=done_on if done else None,
    )


def _left_open(item: s.RectificationItem, day: dt.date) -> s.RectificationItem:
    """The same item still in progress, with a deadline already past."""
    return s.RectificationItem(
        id=item.id,
        problem=item.problem,
        measure=item.measure,
        owner=item.owner,
        deadline=min(item.deadline, day + dt.timedelta(days=20)),
        status="整改中",
    )


def _recheck(quarter: str, day: dt.date, items: list[s.RectificationItem]) -> s.Recheck:
    done = [
        item
        for item in items
        if item.status == "已完成" and item.completed_on is not None and item.completed_on <= day
    ]
    result: RecheckResult = (
        "已整改" if len(done) == len(items) else "部分整改" if done else "未整改"
    )
    note = pools.followup().interview.recheck[result]
    return s.Recheck(quarter=quarter, date=day, result=result, note=note)


# ---------------------------------------------------------------- notices


def notice_files(world: World) -> Iterator[tuple[str, s.Notice]]:
    """提示单 from the committee and 提醒单 from the discipline committee, tracked to
    closure; numbered per kind and year in date order."""
    rng = section_rng(world.shape, "notices")
    per_kind = max(2, world.shape.branches // 15)
    addressees = [g.id for g in world.general_branches] + [b.id for b in world.branches]
    start = max(world.first_day, dt.date(2025, 1, 1))
    for kind in pools.followup().notices:
        last = TODAY - dt.timedelta(days=30)
        days = sorted(day_between(rng, start, last) for _ in range(per_kind))
        numbers: dict[int, int] = {}
        for j, day in enumerate(days):
            numbers[day.year] = numbers.get(day.year, 0) + 1
            latest = j == per_kind - 1
            notice = _notice(rng, kind, day, numbers[day.year], addressees, latest)
            yield f"notices/{notice.id}.yaml", notice


def _notice(
    rng: random.Random,
    kind: pools.NoticeKindName,
    day: dt.date,
    seq: int,
    addressees: Sequence[str],
    latest: bool,
) -> s.Notice:
    pool = pools.followup().notices[kind]
    topic = rng.choice(pool.topics)
    count = rng.randint(2, 3)
    items = [
        _notice_item(rng, k, text, topic.type, day, keep_open=latest and k == count - 1)
        for k, text in enumerate(topic.asks[:count])
    ]
    return s.Notice(
        id=f"{day.year}-{pool.prefix}-{seq:02d}",
        kind=kind,
        number=pool.number.format(year=day.year, seq=seq),
        issuer=pool.issuer,
        date=day,
        to=sorted(rng.sample(addressees, min(len(addressees), rng.randint(2, 4)))),
        title=topic.title,
        items=items,
    )


def _notice_item(
    rng: random.Random, k: int, text: str, type_: str, day: dt.date, keep_open: bool
) -> s.NoticeItem:
    deadline = days_after(rng, day, 20, 60)
    closed_on = days_after(rng, day, 10, (deadline - day).days + 10)
    # The oldest items are closed; the newest notice keeps one item open.
    closed = not keep_open and closed_on <= TODAY and (k == 0 or rng.random() < 0.7)
    closing_notes = pools.followup().closing_notes
    return s.NoticeItem(
        id=f"sx-{k + 1}",
        content=text,
        type=type_,
        deadline=deadline,
        status="已完成" if closed else "未完成",
        closed_on=closed_on if closed else None,
        closing_note=rng.choice(closing_notes) if closed else None,
    )
