"""Personal data in the data: ID, mobile, bank-card and passport numbers and home
addresses are errors at their field; landlines, e-mail and street addresses are hints.
Fields marked internal in the schema (an interview's notes) are the office's own and
never published: they are not checked.

The output scanner finds the same things in the built site (``generator/personal.py``
is the one detector for both); here they are found where an editor can fix them.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import types
from collections.abc import Iterator
from decimal import Decimal
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel

from generator.buildcache import keeping_in_memory
from generator.errors import Problem
from generator.model.checks.base import FileVerdicts, Index, LateHint, check, warning
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
    # Only "nothing found" is kept: a file with findings is looked through again and
    # reported in full. Looking through every text of a large board's 60,000
    # commitments was most of its load.
    clean = FileVerdicts(index, "personal", *sorted(allowed))
    checked: dict[int, tuple[Entry, frozenset[str], list[tuple[Path_, Find]]]] = {}
    for entries in index.entries.values():
        for entry in entries:
            last = _LAST.get(id(entry))
            if last is not None and last[0] is entry and last[1] == allowed:
                found = last[2]
            elif clean.get(entry) is True:
                found = []
            else:
                found = _findings(entry, allowed)
            checked[id(entry)] = (entry, allowed, found)
            if not found:
                clean.put(entry, True)
            for path, find in found:
                yield _report(entry, path, find)
    clean.keep()
    _LAST.clear()
    if keeping_in_memory():  # else it would only hold every record until the process ends
        _LAST.update(checked)


def _findings(entry: Entry, allowed: frozenset[str]) -> list[tuple[Path_, Find]]:
    return [(path, f) for path, text in _texts(entry.record, ()) for f in finds(text, allowed)]


# What the last run found in each entry. ``mkdocs serve`` checks everything again after
# every edit, and an unchanged file's entry is the very same object then (``loading.py``
# keeps validated files by their bytes): its findings are the same, not looked for again.
_LAST: dict[int, tuple[Entry, frozenset[str], list[tuple[Path_, Find]]]] = {}


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
    """Every text in a record with its path (allowlist entries themselves excepted), in
    the record's order. A stack, not recursion: a large board has millions of values."""
    stack: list[tuple[Path_, Any]] = [(path, value)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            if _MAY_HOLD.search(value):
                yield path, value
            continue
        if isinstance(value, BaseModel):
            parts = [
                ((*path, key), getattr(value, name)) for name, key in _checked_fields(type(value))
            ]
        elif isinstance(value, list):
            parts = [((*path, i), item) for i, item in enumerate(value)]
        elif isinstance(value, dict):
            parts = [((*path, str(key)), item) for key, item in value.items()]
        else:
            continue
        stack.extend(part for part in reversed(parts) if isinstance(part[1], _CONTAINERS))


_CONTAINERS = (str, BaseModel, list, dict)


@functools.cache
def _checked_fields(cls: type[BaseModel]) -> tuple[tuple[str, str], ...]:
    """A model's fields that are checked, with the key a message names them by: worked
    out once per model, not once per record (on a 1,000-branch board, 900,000 times)."""
    skipped = {name for _, name in marked_internal(cls)}  # never published: the office's own
    if cls.__name__ == "Privacy":
        skipped.add("allowlist")
    return tuple(
        (name, info.alias or name)
        for name, info in cls.model_fields.items()
        if name not in skipped and _may_hold_text(info.annotation)
    )


_NEVER_TEXT = (bool, int, float, Decimal, dt.date, type(None))


def _may_hold_text(annotation: Any) -> bool:
    """Whether a field of this type can hold text (a validated ``int | None`` never does)."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _may_hold_text(get_args(annotation)[0])
    if origin is Union or origin is types.UnionType:
        return any(_may_hold_text(arg) for arg in get_args(annotation))
    return not (isinstance(annotation, type) and issubclass(annotation, _NEVER_TEXT))
