"""Rules that span records or files: references, unique ids, sums, orders.

Each check yields ``Problem``s located at the field that is wrong, so every
problem of a run is reported at once. The checks live by subject in this package;
each registers itself with ``@check``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from generator.buildcache import EntryStore
from generator.errors import Hint, Problem
from generator.model.checks import (
    assessments,
    commitments,
    dates,
    followup,
    members,
    personal,
    practices,
    structure,
)
from generator.model.checks.base import CHECKS, Index, LateHint, MemberStint
from generator.model.entry import Entry

__all__ = ["LateHint", "check_entries"]
# Imported for their @check registrations.
_SUBJECTS = (structure, members, commitments, assessments, followup, practices, personal, dates)


def check_entries(
    entries: list[Entry],
    root: str,
    failed: set[str],
    salvaged: dict[str, set[str]] | None = None,
    importing: str | None = None,
    today: dt.date | None = None,
    digests: dict[str, str] | None = None,
    verdicts: EntryStore | None = None,
) -> list[Problem | Hint]:
    """Run every cross-file check over the validated entries (errors and hints).

    Files in ``failed`` were already reported; checks that would only repeat
    their absence ("missing site.yaml", "dangling reference") stay quiet.
    ``digests`` (file under data/ → SHA-256 of its bytes) and ``verdicts`` let checks
    of one file alone keep what they found by the file's bytes (``personal.py``).
    """
    by_kind: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        by_kind[entry.kind.name].append(entry)
    index = Index(by_kind, root, failed, importing=importing, today=today)
    index.digests, index.verdicts = digests or {}, verdicts
    # By file name: an id that disagrees with it is reported once, not at every reference.
    index.orgs = {e.parts["id"]: e.record for e in index.of("organization")}
    for e in index.of("member"):
        for i, m in enumerate(e.record.members):
            index.stints.setdefault(m.id, []).append(MemberStint(e.record.branch, m, e, i))
    for member_id, stints in index.stints.items():
        stints.sort(key=MemberStint.order)
        current = next((s for s in stints if s.member.left_on is None), stints[-1])
        index.member_branch[member_id] = current.branch
    for org in index.orgs.values():
        for group in org.groups:
            index.group_branch.setdefault(group.id, org.id)
    index.quarters = {e.parts["quarter"] for e in index.of("assessment") + index.of("quarter")}
    _salvage(index, salvaged or {})
    problems: list[Problem | Hint] = []
    for run in CHECKS:
        problems.extend(run(index))
    return problems


def _salvage(index: Index, salvaged: dict[str, set[str]]) -> None:
    """Ids read off the lines of files that did not load: references to them are not
    reported as broken (their own file's problems are)."""
    for rel, ids in salvaged.items():
        place, _, stem = rel.removesuffix(".yaml").rpartition("/")
        if place == "members":
            for member_id in ids:
                index.member_branch.setdefault(member_id, stem)
        elif place == "organizations":
            for group_id in ids - {stem}:
                index.group_branch.setdefault(group_id, stem)
