"""Record by record, what changed between two versions of the data, as people may see it.

The semantic diff and the change log both call ``record_changes``. Records are
matched by kind and key from the registry and compared by their public view under a
``PublishPolicy`` (never by text lines), so comments, key order and whitespace never
count as changes, and an internal field's change is only ever "内部字段已修改".
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from generator.model.history import FieldChange, RecordChange
from generator.model.kinds import Names, Rec, kind, kinds
from generator.model.policy import PublishPolicy

ACTIONS = ("新增", "修改", "删除")
_SCOPE = ("branch", "year", "quarter")


def record_changes(
    old: Iterable[Rec], new: Iterable[Rec], policy: PublishPolicy, names: Names
) -> list[RecordChange]:
    """Added, removed and changed records, in registry order, then by key."""
    before = {(r.kind, r.key): r for r in old}
    after = {(r.kind, r.key): r for r in new}
    changes = [_change("新增", after[k], policy, names) for k in after.keys() - before.keys()]
    changes += [_change("删除", before[k], policy, names) for k in before.keys() - after.keys()]
    for key in before.keys() & after.keys():
        was, now = public_fields(before[key], policy), public_fields(after[key], policy)
        fields = field_changes(was, now)
        if fields:
            changes.append(_change("修改", after[key], policy, names, fields))
    order = {k.name: i for i, k in enumerate(kinds())}
    return sorted(changes, key=lambda c: (order.get(c.kind, len(order)), c.key, c.action))


def public_fields(rec: Rec, policy: PublishPolicy) -> dict[str, Any]:
    """The record's public view, with its place (a member's branch) as fields too: a
    member moved to another branch is a change of that member."""
    fields = policy.fields(rec.value)
    for name in _SCOPE:
        value = getattr(rec, name)
        if value is not None and name not in fields:
            fields[name] = value
    return fields


def field_changes(old: dict[str, Any], new: dict[str, Any]) -> tuple[FieldChange, ...]:
    # In the order the data files write them (the public view keeps it), so an added
    # step reads 阶段, 日期, 结论 as in its YAML; a field only the old side had comes last.
    paths = list(dict.fromkeys([*new, *old]))
    return tuple(FieldChange(p, old.get(p), new.get(p)) for p in paths if old.get(p) != new.get(p))


def _change(
    action: str,
    rec: Rec,
    policy: PublishPolicy,
    names: Names,
    fields: tuple[FieldChange, ...] = (),
) -> RecordChange:
    record_kind = kind(rec.kind)
    title = record_kind.title(policy.clean(rec.value), names)
    return RecordChange(action, rec.kind, record_kind.label, rec.key, title, fields)
