"""Personal data in the data: ID, mobile, bank-card and passport numbers and home
addresses are errors at their field; landlines, e-mail and street addresses are hints.
Fields marked internal in the schema (an interview's notes) are the office's own and
never published: they are not checked.

The output scanner finds the same things in the built site (``generator/personal.py``
is the one detector for both); here they are found where an editor can fix them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from generator.errors import Problem
from generator.model.checks.base import Index, LateHint, check, warning
from generator.model.entry import Entry
from generator.model.policy import marked_internal
from generator.model.yamlio import Path_
from generator.personal import Find, finds

# Only text that holds a digit, an @ or an address word can hold personal data: the
# rest (most text) is not run through the detector.
_MAY_HOLD = re.compile(r"[0-9０-９@＠号室]")


@check
def personal_data(index: Index) -> Iterator[Problem | LateHint]:
    sites = index.of("site")
    allowed = (
        frozenset(e.value for e in sites[0].record.privacy.allowlist) if sites else frozenset()
    )
    for entries in index.entries.values():
        for entry in entries:
            for path, text in _texts(entry.record, ()):
                for find in finds(text, allowed):
                    yield _report(entry, path, find)


def _report(entry: Entry, path: Path_, find: Find) -> Problem | LateHint:
    if find.fatal:
        return entry.problem(
            path,
            f"含有疑似{find}：个人信息不能公示，请删除。如确属对外公开的信息（如服务热线），"
            "请在 site.yaml 的 privacy.allowlist 中登记（value 写原文，reason 写明理由）",
        )
    return warning(
        entry, path, f"含有{find}：请确认可以公开；可以公开的请在 privacy.allowlist 中登记"
    )


def _texts(value: Any, path: Path_) -> Iterator[tuple[Path_, str]]:
    """Every text in a record with its path (allowlist entries themselves excepted)."""
    if isinstance(value, str):
        if _MAY_HOLD.search(value):
            yield path, value
    elif isinstance(value, BaseModel):
        cls = type(value)
        skipped = {name for _, name in marked_internal(cls)}  # never published: the office's own
        if cls.__name__ == "Privacy":
            skipped.add("allowlist")
        for name, info in cls.model_fields.items():
            if name not in skipped:
                yield from _texts(getattr(value, name), (*path, info.alias or name))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _texts(item, (*path, i))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, (*path, str(key)))
