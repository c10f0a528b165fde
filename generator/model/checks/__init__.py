"""Rules that span records or files: references, unique ids, sums, orders.

Each check yields ``Problem``s located at the field that is wrong, so every
problem of a run is reported at once. The checks live by subject in this package;
each registers itself with ``@check``.
"""

from __future__ import annotations

from collections import defaultdict

from generator.errors import Hint, Problem
from generator.model.checks import assessments, commitments, followup, structure
from generator.model.checks.base import CHECKS, Index, LateHint
from generator.model.entry import Entry

__all__ = ["LateHint", "check_entries"]
_SUBJECTS = (structure, commitments, assessments, followup)  # imported for their @check


def check_entries(
    entries: list[Entry],
    root: str,
    failed: set[str],
    failed_kinds: set[str],
    importing: str | None = None,
) -> list[Problem | Hint]:
    """Run every cross-file check over the validated entries (errors and hints).

    Files in ``failed`` were already reported; checks that would only repeat
    their absence ("missing site.yaml", "dangling reference") stay quiet.
    """
    by_kind: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        by_kind[entry.kind.name].append(entry)
    index = Index(by_kind, root, failed, failed_kinds=failed_kinds, importing=importing)
    # By file name: an id that disagrees with it is reported once, not at every reference.
    index.orgs = {e.parts["id"]: e.record for e in index.of("organization")}
    for e in index.of("member"):
        for m in e.record.members:
            index.member_branch.setdefault(m.id, e.record.branch)
    for org in index.orgs.values():
        for group in org.groups:
            index.group_branch.setdefault(group.id, org.id)
    index.quarters = {e.parts["quarter"] for e in index.of("assessment") + index.of("quarter")}
    problems: list[Problem | Hint] = []
    for run in CHECKS:
        problems.extend(run(index))
    return problems
