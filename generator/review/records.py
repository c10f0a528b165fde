"""Every record of a dataset as a flat, comparable view keyed by its id.

The semantic diff and the change log compare these views, so comments, key
order and whitespace never count as changes: only values do.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from generator.model.dataset import Dataset


@dataclass(frozen=True)
class RecordView:
    kind: str  # what the record is, in Chinese: 党员, 承诺, 考核得分…
    key: str  # its id (or quarter/branch for scores)
    name: str  # how people call it
    fields: dict[str, Any]  # flattened values: {"scores.政治建设": 15, "progress[2].stage": …}

    @property
    def label(self) -> str:
        return (
            f"{self.kind} {self.key}（{self.name}）"
            if self.name != self.key
            else f"{self.kind} {self.key}"
        )


def flatten(value: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """``{"a": {"b": [1]}}`` -> ``("a.b[1]", 1)``: paths as the error messages write them."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from flatten(item, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(value, list):
        for i, item in enumerate(value, start=1):
            yield from flatten(item, f"{prefix}[{i}]")
    else:
        yield prefix, value


def _fields(model: BaseModel, drop: tuple[str, ...] = ()) -> dict[str, Any]:
    data = model.model_dump(mode="json", by_alias=True, exclude_none=True)
    for key in drop:
        data.pop(key, None)
    return dict(flatten(data))


def records(dataset: Dataset) -> dict[tuple[str, str], RecordView]:
    """All records, keyed by (kind, key)."""
    return {(v.kind, v.key): v for v in _views(dataset)}


def _views(d: Dataset) -> Iterator[RecordView]:
    yield RecordView("站点配置", "site", "site.yaml", _fields(d.site))
    yield from (RecordView("党组织", o.id, o.name, _fields(o)) for o in d.orgs.values())
    for m in d.members.values():
        yield RecordView("党员", m.id, m.name, _fields(m) | {"branch": d.member_branch[m.id]})
    for row in d.commitments:
        c = row.commitment
        yield RecordView("承诺", c.id, _member_name(d, c.member), _fields(c))
    yield from (RecordView("微心愿", w.wish.id, w.wish.employee, _fields(w.wish)) for w in d.wishes)
    yield from (RecordView("示范单位", u.id, u.name, _fields(u)) for u in d.units.values())
    yield from (
        RecordView("季度信息", q.quarter, q.quarter, _fields(q)) for q in d.quarters.values()
    )
    for (quarter, branch), a in d.assessments.items():
        name = f"{quarter} {d.orgs[branch].name}"
        yield RecordView("考核得分", f"{quarter}/{branch}", name, _fields(a, ("quarter", "branch")))
    for y in d.commitment_years.values():
        yield RecordView("承诺年度", str(y.year), f"{y.year} 年度", _fields(y))
    for i in d.interviews.values():
        yield RecordView("约谈", i.id, d.orgs[i.branch].name, _fields(i))
    yield from (RecordView(n.kind, n.id, n.title, _fields(n)) for n in d.notices.values())
    yield from (RecordView("考核规则", r.id, r.title, _fields(r)) for r in d.rules)


def _member_name(dataset: Dataset, member_id: str) -> str:
    member = dataset.members.get(member_id)
    return member.name if member else member_id
