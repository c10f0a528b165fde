"""党员双承诺: a 岗位承诺 and a 服务承诺 per member and year, through the five steps.

The finished year's commitments went through all five steps (科学定诺, 公开承诺,
履责践诺, 定期督诺, 民主评诺); the current year's are spread over the first four.
Each year draws from its own generator ("commitments-2025"...), member by member in
org-chart order.

Until the finished year the office recorded 定期督诺 on each commitment; this year each
branch checks all its commitments in rounds (``supervision.py``), so the current
year's commitments carry only a member's make-up check after a round passed them
over. A member who left the branch during the year keeps what they did before
leaving, and nothing after; members who joined during the year pledge for the rest
of it, drawn from a generator of their own ("commitments-2026-joiners"), so that
everyone else's pledges stay as they were drawn.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel

from generator.demo import pools
from generator.demo.draws import day_between, days_after, section_rng
from generator.demo.shape import TODAY, YEARS
from generator.demo.supervision import Supervision
from generator.demo.world import Branch, Person, World
from generator.model import schema as s

# Secretaries of the committee and of a 党总支 pledge to lead, not line work.
LEADER_ROLES = frozenset({"党委书记", "党委副书记", "总支书记"})
# 民主评诺: how often each rating is given, and the satisfaction the meeting records.
Rating = Literal["优秀", "良好", "一般", "较差"]
RATINGS: tuple[Rating, ...] = ("优秀", "良好", "一般", "较差")
RATING_WEIGHTS = (35, 47, 15, 3)
SATISFACTION: dict[Rating, int] = {"优秀": 98, "良好": 93, "一般": 85, "较差": 70}
# A member who joins later than this makes no pledge for the year's last weeks; the
# words that make a pledge unfit for part of a year.
JOINERS_PLEDGE_UNTIL = dt.date(TODAY.year, 10, 15)
PART_YEAR_UNFIT = "全年"
# Deadlines of pledges that need not run the whole year, and how often each is chosen.
EARLY_DEADLINES = ((12, 31), (11, 30), (9, 30), (6, 30))
EARLY_DEADLINE_WEIGHTS = (60, 15, 15, 10)


def commitment_files(world: World) -> Iterator[tuple[str, BaseModel]]:
    """Each year's commitments; the current year's with its 督诺 rounds."""
    for year in YEARS:
        rng = section_rng(world.shape, f"commitments-{year}")
        # The office publishes the year's approved commitments once the drafts are in.
        published = s.CommitmentYear(year=year, published=dt.date(year, 2, 28))
        yield f"commitments/{year}/_year.yaml", published
        if year == TODAY.year:
            yield from _current_year(world, rng, year)
            continue
        for branch in world.branches:
            pledges = [c for p in branch.people for c in _pledges_of(rng, year, p, branch)]
            record = s.CommitmentsFile(branch=branch.id, year=year, commitments=pledges)
            yield f"commitments/{year}/{branch.id}.yaml", record


def _current_year(
    world: World, rng: random.Random, year: int
) -> Iterator[tuple[str, s.CommitmentsFile | s.SupervisionFile]]:
    """This year's commitments, branch by branch, each file with the branch's rounds."""
    joining = section_rng(world.shape, f"commitments-{year}-joiners")
    checking = Supervision(world, year)
    for branch in world.branches:
        pledges = [
            kept
            for person in branch.people
            for c in _pledges_of(rng, year, person, branch)
            if (kept := _while_here(c, person)) is not None
        ]
        pledges += [c for p in branch.joiners for c in _joiner_pledges(joining, year, p, branch)]
        rounds, makeups = checking.rounds(branch, pledges)
        pledges = [_with_checks(c, makeups[c.id]) if c.id in makeups else c for c in pledges]
        record = s.CommitmentsFile(branch=branch.id, year=year, commitments=pledges)
        yield f"commitments/{year}/{branch.id}.yaml", record
        yield f"supervision/{year}/{branch.id}.yaml", rounds


def _while_here(c: s.Commitment, person: Person) -> s.Commitment | None:
    """The commitment as recorded this year: without per-commitment 定期督诺 (the
    branch's rounds check it), and only the steps before the member left the branch
    (None if they left before the first)."""
    steps = [r for r in c.progress if r.stage != "定期督诺" and person.here_on(r.date)]
    if not steps:
        return None
    return c if len(steps) == len(c.progress) else c.model_copy(update={"progress": steps})


def _with_checks(c: s.Commitment, checks: list[s.StageRecord]) -> s.Commitment:
    """The commitment with make-up 定期督诺 records, each in its place by date."""
    steps = sorted([*c.progress, *checks], key=lambda r: r.date)  # stable: same day, after
    return c.model_copy(update={"progress": steps})


def _pledges_of(
    rng: random.Random, year: int, person: Person, branch: Branch
) -> list[s.Commitment]:
    pool = pools.pledges()
    own = pool.leader if person.role in LEADER_ROLES else branch.work.pledges
    return [
        _commitment(rng, year, person, "岗位承诺", rng.choice(own), "gw"),
        _commitment(rng, year, person, "服务承诺", rng.choice(pool.service), "fw"),
    ]


# ------------------------------------------------------------ joiners


def _joiner_pledges(
    rng: random.Random, year: int, person: Person, branch: Branch
) -> list[s.Commitment]:
    """A member who joined the branch pledges for the rest of the year: drafted two or
    three weeks after coming, unless that is too late in the year to start."""
    joined = person.joined_on or TODAY
    drafted = days_after(rng, joined, 7, 25)
    if drafted > JOINERS_PLEDGE_UNTIL:
        return []
    pool = pools.pledges()
    # A member who moved keeps the ids of the pledges they made in the other branch.
    again = "-2" if person.joined_as == "调入" else ""
    kinds: tuple[tuple[s.CommitmentKind, tuple[pools.Pledge, ...], str], ...] = (
        ("岗位承诺", branch.work.pledges, "gw"),
        ("服务承诺", pool.service, "fw"),
    )
    note = pool.joined[person.joined_as or "转入"].format(branch=person.came_from)
    found = []
    for kind, pledges, suffix in kinds:
        pledge = rng.choice(_for_part_of_year(pledges))
        n, place = rng.randint(*pledge.n), rng.choice(pools.names().places)
        found.append(
            s.Commitment(
                id=f"c{year}-{person.id}-{suffix}{again}",
                member=person.id,
                kind=kind,
                text=pledge.text.format(n=n, place=place),
                target=pledge.target.format(n=n, place=place),
                deadline=dt.date(year, 12, 31),
                verifier=pledge.verifier,
                progress=_joiner_progress(rng, drafted, note),
            )
        )
    return found


def _for_part_of_year(pledges: tuple[pools.Pledge, ...]) -> tuple[pools.Pledge, ...]:
    """Pledges that do not speak of the whole year (全年), if there are any."""
    part = tuple(p for p in pledges if PART_YEAR_UNFIT not in p.text + p.target)
    return part or pledges


def _joiner_progress(rng: random.Random, drafted: dt.date, note: str) -> list[s.StageRecord]:
    """科学定诺 (noting why it comes late), 公开承诺, and a first note if time allowed."""
    records = [s.StageRecord(stage="科学定诺", date=drafted, review="审核通过", note=note)]
    public = days_after(rng, drafted, 5, 12)
    if public > TODAY:
        return records
    records.append(s.StageRecord(stage="公开承诺", date=public))
    noted = days_after(rng, public, 30, 60)
    if noted <= TODAY - dt.timedelta(days=5):
        year_end = dt.date(drafted.year, 12, 31)
        pct = min(100, round(100 * (noted - drafted).days / (year_end - drafted).days))
        text = rng.choice(pools.pledges().evidence).format(m=noted.month, pct=pct)
        records.append(s.StageRecord(stage="履责践诺", date=noted, evidence=text))
    return records


def _commitment(
    rng: random.Random,
    year: int,
    person: Person,
    kind: s.CommitmentKind,
    pledge: pools.Pledge,
    suffix: str,
) -> s.Commitment:
    n, place = rng.randint(*pledge.n), rng.choice(pools.names().places)
    # The optional fields are drawn in this order: target, deadline, verifier, progress.
    return s.Commitment(
        id=f"c{year}-{person.id}-{suffix}",
        member=person.id,
        kind=kind,
        text=pledge.text.format(n=n, place=place),
        target=pledge.target.format(n=n, place=place) if _keep(rng, year) else None,
        deadline=_deadline(rng, year, pledge.text) if _keep(rng, year) else None,
        verifier=pledge.verifier if _keep(rng, year) else None,
        progress=_progress(rng, year),
    )


def _keep(rng: random.Random, year: int) -> bool:
    """Whether an optional field is filled in.

    A handful of current-year commitments lack a target, deadline or verifier: a
    later lint reports them, and the sample must give it something to find.
    """
    return year < TODAY.year or rng.random() >= 0.005


def _deadline(rng: random.Random, year: int, text: str) -> dt.date:
    """Year-long pledges end with the year; others may be due earlier."""
    if any(word in text for word in pools.pledges().year_long):
        return dt.date(year, 12, 31)
    month, day = rng.choices(EARLY_DEADLINES, weights=EARLY_DEADLINE_WEIGHTS)[0]
    return dt.date(year, month, day)


def _progress(rng: random.Random, year: int) -> list[s.StageRecord]:
    """The steps so far: all five for a finished year, a mix for the current one."""
    if year < TODAY.year:
        records = _published(rng, year) + _fulfilment(rng, year, checked=True)
        return [*records, _evaluation(rng, year, records[-1].date)]
    roll = rng.random()
    if roll < 0.09:  # still being drafted: returned, or approved but not yet public
        return _drafting(rng, year, approved=roll >= 0.04)
    records = _published(rng, year)
    if roll < 0.25:
        return records
    return records + _fulfilment(rng, year, checked=roll >= 0.62)


def _published(rng: random.Random, year: int) -> list[s.StageRecord]:
    """科学定诺 approved, then 公开承诺: only approved commitments go public."""
    records = _drafting(rng, year, approved=True)
    public = s.StageRecord(stage="公开承诺", date=days_after(rng, records[-1].date, 5, 20))
    return [*records, public]


def _drafting(rng: random.Random, year: int, approved: bool) -> list[s.StageRecord]:
    """科学定诺: the branch checks each draft; some go back once for a clearer target."""
    day = day_between(rng, dt.date(year, 1, 5), dt.date(year, 1, 25))
    # The reason for returning is drawn for every draft, returned or not.
    note = rng.choice(pools.pledges().returned)
    returned = s.StageRecord(stage="科学定诺", date=day, review="退回修改", note=note)
    if not approved:
        return [returned]
    if rng.random() < 0.12:
        again = days_after(rng, day, 3, 10)
        return [returned, s.StageRecord(stage="科学定诺", date=again, review="审核通过")]
    return [s.StageRecord(stage="科学定诺", date=day, review="审核通过")]


def _fulfilment(rng: random.Random, year: int, checked: bool) -> list[s.StageRecord]:
    """履责践诺 notes, and when ``checked`` the branch's 定期督诺, ending on a check."""
    until = dt.date(year, 12, 10) if year < TODAY.year else TODAY - dt.timedelta(days=5)
    pace = rng.uniform(0.85, 1.1)
    # The first note comes before the June check, so a check always has something to check.
    first = day_between(rng, dt.date(year, 3, 20), dt.date(year, 6, 15))
    later = [day_between(rng, first, until) for _ in range(rng.randint(0, 2))]
    notes = [_evidence(rng, day, pace) for day in sorted([first, *later])]
    if not checked:
        return notes
    checks = [_check(rng, day) for day in _check_days(rng, year, until)]
    merged = sorted(notes + checks, key=lambda record: record.date)
    last_check = max(i for i, record in enumerate(merged) if record.stage == "定期督诺")
    return merged[: last_check + 1]


def _check_days(rng: random.Random, year: int, until: dt.date) -> list[dt.date]:
    """The branch reviews commitments at the end of June and September (and in December)."""
    ends = [dt.date(year, month, 20) for month in (6, 9, 12)]
    days = [days_after(rng, end, 0, 8) for end in ends if end <= until - dt.timedelta(days=8)]
    return days or [until]


def _evidence(rng: random.Random, day: dt.date, pace: float) -> s.StageRecord:
    pct = min(100, round(day.timetuple().tm_yday / 330 * 100 * pace))
    text = rng.choice(pools.pledges().evidence).format(m=day.month, pct=pct)
    return s.StageRecord(stage="履责践诺", date=day, evidence=text)


def _check(rng: random.Random, day: dt.date) -> s.StageRecord:
    finding = rng.choice(pools.pledges().findings)
    return s.StageRecord(stage="定期督诺", date=day, finding=finding)


def _evaluation(rng: random.Random, year: int, after: dt.date) -> s.StageRecord:
    """民主评诺 at the year-end meeting: mostly 已兑现; a 未兑现 always says why."""
    pool = pools.pledges()
    day = max(after, day_between(rng, dt.date(year, 12, 15), dt.date(year, 12, 28)))
    rating = rng.choices(RATINGS, weights=RATING_WEIGHTS)[0]
    unmet = rating == "较差" or (rating == "一般" and rng.random() < 0.15)
    satisfaction = SATISFACTION[rating] - rng.randint(0, 4)
    return s.StageRecord(
        stage="民主评诺",
        date=day,
        rating=rating,
        outcome="未兑现" if unmet else "已兑现",
        reason=rng.choice(pool.unmet) if unmet else None,
        note=pool.evaluation_note.format(satisfaction=satisfaction),
    )
