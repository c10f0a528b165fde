"""定期督诺 by branch round: about once a quarter a branch checks all its open
commitments at once (seed 001: 定期督诺) and records one round.

Rounds fall in April, July and October, each branch at its own time of the month. A
few branches are late: some put a round off by a few weeks, and a few (one in
sixteen or so) have not held the October round by the data's today, so that their
commitments show as 督诺逾期. A round remarks on a few commitments and, now and
then, passes over a member who is away (on training, say); their commitments get a
make-up 定期督诺 of their own once they are back. Only members in the branch on the
day are checked or named.

Everything draws from the "supervision-<year>" generator: first which branches are
late, then branch by branch (``Supervision.rounds``, called in org-chart order).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from generator.demo import pools
from generator.demo.draws import days_after, section_rng
from generator.demo.shape import TODAY
from generator.demo.world import Branch, Person, World
from generator.model import schema as s

ROUND_MONTHS = (4, 7, 10)
# The shares of branches (drawn in these ranges) that have not held the last round
# yet, and that held an earlier one weeks late; by how many days.
LATE_SHARE = (0.04, 0.08)
DELAYED_SHARE = (0.05, 0.1)
DELAY_DAYS = (18, 40)
# How often a round passes over a member who is away, and when they are checked instead.
EXCEPTION_RATE = 0.15
MAKEUP_DAYS = (10, 35)
# How many commitments a round remarks on (one of these, drawn).
REMARKS = (0, 1, 1, 2, 3)


class Supervision:
    """The year's rounds, branch by branch."""

    def __init__(self, world: World, year: int) -> None:
        self.rng = section_rng(world.shape, f"supervision-{year}")
        self.year = year
        count = len(world.branches)
        late = round(count * self.rng.uniform(*LATE_SHARE))
        delayed = round(count * self.rng.uniform(*DELAYED_SHARE))
        picked = self.rng.sample(range(count), min(count, late + delayed))
        self.late = set(picked[:late])
        self.delayed = set(picked[late:])

    def rounds(
        self, branch: Branch, pledges: list[s.Commitment]
    ) -> tuple[s.SupervisionFile, dict[str, list[s.StageRecord]]]:
        """The branch's rounds over ``pledges`` (its commitments of the year), and the
        make-up checks of commitments a round passed over, by commitment id."""
        rng, pool = self.rng, pools.supervision()
        here = {p.id: p for p in branch.roster}
        public = {c.id: _public_on(c) for c in pledges}
        found: list[s.SupervisionRound] = []
        makeups: dict[str, list[s.StageRecord]] = defaultdict(list)
        for j, day in self._schedule(branch):
            # Open that day (public, and this year none is evaluated yet), of members here.
            open_ = [
                c
                for c in pledges
                if (on := public[c.id]) is not None and on <= day and here[c.member].here_on(day)
            ]
            away, exceptions = self._passed_over(open_, here, day, makeups)
            checked = [c for c in open_ if c.member != away]
            picks = sorted(rng.sample(range(len(checked)), min(len(checked), rng.choice(REMARKS))))
            findings = [
                s.RoundFinding(commitment=checked[k].id, finding=rng.choice(pool.findings))
                for k in picks
            ]
            found.append(
                s.SupervisionRound(
                    date=day,
                    checked_by=rng.choice(pool.checked_by).format(secretary=branch.secretary.name),
                    finding=rng.choice(pool.rounds[j]).format(count=len(checked)),
                    findings=findings,
                    exceptions=exceptions,
                )
            )
        record = s.SupervisionFile(branch=branch.id, year=self.year, rounds=found)
        return record, dict(makeups)

    def _schedule(self, branch: Branch) -> list[tuple[int, dt.date]]:
        """(round of the year, day) of the rounds held by the data's today."""
        rng = self.rng
        usual = rng.randint(8, 22)  # the branch's time of the month
        slipped, delay = rng.randrange(len(ROUND_MONTHS) - 1), rng.randint(*DELAY_DAYS)
        days = []
        for j, month in enumerate(ROUND_MONTHS):
            day = dt.date(self.year, month, usual + rng.randint(-5, 5))
            if branch.index in self.delayed and j == slipped:
                day += dt.timedelta(days=delay)
            last = j == len(ROUND_MONTHS) - 1
            if not (last and branch.index in self.late) and day <= TODAY:
                days.append((j, day))
        return days

    def _passed_over(
        self,
        open_: list[s.Commitment],
        here: dict[str, Person],
        day: dt.date,
        makeups: dict[str, list[s.StageRecord]],
    ) -> tuple[str | None, list[s.RoundException]]:
        """Now and then a member is away: the round lists their commitments as
        exceptions, and checks them on their own once they are back (if by today)."""
        rng, pool = self.rng, pools.supervision()
        if not open_ or rng.random() >= EXCEPTION_RATE:
            return None, []
        away = rng.choice(open_).member
        reason = rng.choice(pool.exceptions)
        back = days_after(rng, day, *MAKEUP_DAYS)
        theirs = [c for c in open_ if c.member == away]
        if back < TODAY and here[away].here_on(back):
            for c in theirs:
                makeups[c.id].append(
                    s.StageRecord(stage="定期督诺", date=back, finding=pool.makeup)
                )
        return away, [s.RoundException(commitment=c.id, reason=reason) for c in theirs]


def _public_on(c: s.Commitment) -> dt.date | None:
    return next((r.date for r in c.progress if r.stage == "公开承诺"), None)
