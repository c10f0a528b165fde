"""The field-level publish policy: what of a record may be shown, and nothing else.

Built-in internal fields are marked in the schema (``json_schema_extra=INTERNAL``);
the office can mark more in ``site.yaml`` (``privacy.internal: [Member.post]``).
Every output goes through one ``PublishPolicy``:

- ``publishable(dataset)`` cleans every record of every kind in the registry (internal
  fields emptied; names and long numbers masked when masking is on): the renderer
  only accepts a dataset made this way;
- ``PublishPolicy.fields(record)`` is a record's flat, comparable public view, for
  the semantic diff and the change log: an internal field is a ``Hidden`` marker
  that compares by content but never shows it, so an old or new internal value can
  never be printed, whichever version it came from.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import os
import re
import typing
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from generator.model import schema
from generator.model.dataset import Dataset, Records
from generator.model.kinds import Rec, kind, kinds

HIDDEN_CHANGE = "内部字段已修改（不公开）"
NAME_FIELDS = {("Member", "name"), ("Wish", "employee")}
_LONG_NUMBER = re.compile(r"[0-9０-９]{7,}")


def models() -> dict[str, type[BaseModel]]:
    """Every model a record of a registered kind can hold, by class name."""
    found: dict[str, type[BaseModel]] = {}
    stack: list[type[BaseModel]] = [k.file_type for k in kinds()]
    while stack:
        cls = stack.pop()
        if cls.__name__ in found:
            continue
        found[cls.__name__] = cls
        for info in cls.model_fields.values():
            stack.extend(schema.record_types_in(info.annotation))
    return found


def marked_internal(cls: type[BaseModel]) -> set[tuple[str, str]]:
    """The fields a model's own definition marks internal (``json_schema_extra=INTERNAL``)."""
    return {
        (cls.__name__, name)
        for name, info in cls.model_fields.items()
        if isinstance(info.json_schema_extra, dict) and info.json_schema_extra.get("internal")
    }


@functools.cache
def follow_up_paths(cls: type[BaseModel], prefix: str = "") -> frozenset[str]:
    """Flat paths (as ``flatten`` writes them, list positions as ``[*]``) of a model's
    follow-up fields (``json_schema_extra=FOLLOW_UP``): ``deductions[*].measure``."""
    found: set[str] = set()
    for name, info in cls.model_fields.items():
        path = f"{prefix}.{name}" if prefix else name
        if isinstance(info.json_schema_extra, dict) and info.json_schema_extra.get("follow_up"):
            found.add(path)
        listed = typing.get_origin(info.annotation) is list
        for inner in schema.record_types_in(info.annotation):
            found |= follow_up_paths(inner, f"{path}[*]" if listed else path)
    return frozenset(found)


_POSITION = re.compile(r"\[\d+\]")


def is_follow_up(cls: type[BaseModel], flat_path: str) -> bool:
    return _POSITION.sub("[*]", flat_path) in follow_up_paths(cls)


def builtin_internal() -> set[tuple[str, str]]:
    return {field for cls in models().values() for field in marked_internal(cls)}


def internal_fields(site: schema.SiteConfig | None) -> set[tuple[str, str]]:
    configured = {item.partition(".") for item in site.privacy.internal} if site else set()
    return builtin_internal() | {(model, name) for model, _, name in configured}


def unknown_internal(site: schema.SiteConfig) -> list[str]:
    """Configured internal fields that do not exist or cannot be left empty."""
    known = models()
    bad = []
    for item in site.privacy.internal:
        model, _, name = item.partition(".")
        cls = known.get(model)
        info = cls.model_fields.get(name) if cls else None
        if info is None or info.is_required():
            bad.append(item)
    return bad


def mask_name(name: str) -> str:
    """张三 → 张*, 张小三 → 张*三, 欧阳小明 → 欧**明."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_numbers(text: str) -> str:
    """Keep the first 3 and last 2 digits of any run of 7 or more: phone, ID, account numbers."""
    return _LONG_NUMBER.sub(lambda m: _mask_run(m.group()), text)


def _mask_run(digits: str) -> str:
    return digits[:3] + "*" * (len(digits) - 5) + digits[-2:]


def masking_requested(site: schema.SiteConfig | None) -> bool:
    # BOARD_MASK=1 builds the masked variant of the same data (a board shown beyond the company).
    configured = bool(site and site.privacy.mask)
    return configured or os.environ.get("BOARD_MASK", "") not in {"", "0"}


class Hidden:
    """An internal field's value in a public view: equal when the value is, never shown."""

    __slots__ = ("_digest",)

    def __init__(self, value: Any) -> None:
        self._digest = hashlib.sha256(repr(value).encode("utf-8")).digest()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Hidden) and other._digest == self._digest

    def __hash__(self) -> int:
        return hash(self._digest)

    def __str__(self) -> str:
        return "（内部字段，不公开）"

    __repr__ = __str__


class PublishPolicy:
    """What of a record may be shown: internal fields removed, personal data masked."""

    def __init__(self, hidden: set[tuple[str, str]], masking: bool) -> None:
        self.hidden = hidden
        self.masking = masking
        self._untouched: dict[type, bool] = {}

    @classmethod
    def for_site(cls, site: schema.SiteConfig | None, *, mask: bool | None = None) -> PublishPolicy:
        return cls(internal_fields(site), masking_requested(site) if mask is None else mask)

    @classmethod
    def everything(cls) -> PublishPolicy:
        """No policy: a maintainer's own view (``board diff --show-internal``)."""
        return cls(set(), False)

    # ---------------------------------------------------- cleaned records

    def clean(self, model: Any) -> Any:
        """A copy of ``model`` with internal fields emptied and, if asked, masked."""
        if not isinstance(model, BaseModel):
            return self._value(model)
        if self._needs_no_change(type(model)):
            return model
        kind = type(model).__name__
        update: dict[str, Any] = {}
        for name, info in type(model).model_fields.items():
            value = getattr(model, name)
            if (kind, name) in self.hidden:
                update[name] = info.get_default(call_default_factory=True)
            elif self.masking and (kind, name) in NAME_FIELDS:
                update[name] = mask_name(value)
            else:
                cleaned = self._value(value)
                if cleaned is not value:
                    update[name] = cleaned
        return model.model_copy(update=update) if update else model

    def _needs_no_change(self, cls: type[BaseModel]) -> bool:
        if self.masking:  # any text may hold a number to mask
            return False
        if cls not in self._untouched:
            self._untouched[cls] = not reaches_hidden(cls, self.hidden)
        return self._untouched[cls]

    def _value(self, value: Any) -> Any:
        if isinstance(value, BaseModel):
            return self.clean(value)
        if isinstance(value, list):
            items = [self._value(v) for v in value]
            return items if any(a is not b for a, b in zip(items, value, strict=True)) else value
        if isinstance(value, dict):
            pairs = {k: self._value(v) for k, v in value.items()}
            return pairs if any(pairs[k] is not value[k] for k in value) else value
        if self.masking and isinstance(value, str) and _LONG_NUMBER.search(value):
            return mask_numbers(value)
        return value

    # ------------------------------------------------------- public views

    def fields(self, model: BaseModel) -> dict[str, Any]:
        """The record as flat ``path: value`` pairs people may see (internal: ``Hidden``)."""
        return dict(flatten(self._plain(model)))

    def _plain(self, value: Any) -> Any:
        if isinstance(value, BaseModel):
            kind = type(value).__name__
            out: dict[str, Any] = {}
            for name, info in type(value).model_fields.items():
                item = getattr(value, name)
                if item is None:
                    continue
                key = info.alias or name
                if (kind, name) in self.hidden:
                    out[key] = Hidden(item)
                elif self.masking and (kind, name) in NAME_FIELDS:
                    out[key] = mask_name(item)
                else:
                    out[key] = self._plain(item)
            return out
        if isinstance(value, list):
            return [self._plain(v) for v in value]
        if isinstance(value, dict):
            return {str(k): self._plain(v) for k, v in value.items()}
        if isinstance(value, dt.date):
            return value.isoformat()
        if self.masking and isinstance(value, str):
            return mask_numbers(value)
        return value


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


def publishable(dataset: Dataset, *, mask: bool | None = None, drafts: bool = False) -> Dataset:
    """The dataset the renderer may see: every record of every kind cleaned, and only
    records whose publication is published (a draft quarter's scores, a year's
    commitments before the year is published, are in no page, list, chart or file).
    ``drafts``: a preview for reviewers, which keeps them (and says so on every page)."""
    policy = PublishPolicy.for_site(dataset.site, mask=mask)
    released = (
        dataset.records if drafts else dataset.records.keep(lambda r: is_released(r, dataset))
    )
    clean = released.map(lambda rec: _cleaned(rec, policy))
    return Dataset(clean, [], public=True, drafts=drafts)


def _cleaned(rec: Rec, policy: PublishPolicy) -> Rec:
    """``rec`` with its value cleaned: the same ``Rec`` when nothing needed cleaning
    (most records: a large board has hundreds of thousands, and they are frozen)."""
    value = policy.clean(rec.value)
    return rec if value is rec.value else dataclasses.replace(rec, value=value)


def is_released(rec: Rec, dataset: Dataset) -> bool:
    """Whether ``rec``'s publication (if it has one) has been published."""
    publication = kind(rec.kind).release(rec)
    if publication is None:
        return True
    holder = dataset.records.get(*publication)
    return holder is not None and getattr(holder.value, "published", None) is not None


def reaches_hidden(cls: type[BaseModel], hidden: set[tuple[str, str]]) -> bool:
    """Whether a record of this kind can hold an internal field, itself or in its parts.

    Most records cannot (a commitment has no internal field): they are published as
    they are, without being walked field by field. On a 1,000-branch board walking
    every record was most of the publish step's ten seconds."""
    return _reaches(cls, frozenset(hidden), ())


def _reaches(
    cls: type[BaseModel], hidden: frozenset[tuple[str, str]], seen: tuple[type, ...]
) -> bool:
    if cls in seen:
        return False
    for name, info in cls.model_fields.items():
        if (cls.__name__, name) in hidden:
            return True
        if any(
            _reaches(part, hidden, (*seen, cls)) for part in schema.record_types_in(info.annotation)
        ):
            return True
    return False


def internal_values(records: Records, site: schema.SiteConfig | None, minimum: int = 4) -> set[str]:
    """Every text held in an internal field of ``records``: the scanner fails a build
    that shows one (values shorter than ``minimum`` would match ordinary words)."""
    hidden = internal_fields(site)
    found: set[str] = set()
    reaching: dict[type, bool] = {}
    for rec in records:
        cls = type(rec.value)
        if cls not in reaching:
            reaching[cls] = reaches_hidden(cls, hidden)
        if reaching[cls]:
            _collect(rec.value, hidden, found, minimum)
    return found


def _collect(value: Any, hidden: set[tuple[str, str]], found: set[str], minimum: int) -> None:
    if isinstance(value, BaseModel):
        kind = type(value).__name__
        for name in type(value).model_fields:
            item = getattr(value, name)
            if (kind, name) in hidden:
                found.update(s for s in _strings(item) if len(s) >= minimum)
            else:
                _collect(item, hidden, found, minimum)
    elif isinstance(value, list | tuple):
        for item in value:
            _collect(item, hidden, found, minimum)
    elif isinstance(value, dict):
        for item in value.values():
            _collect(item, hidden, found, minimum)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _strings(getattr(value, name))
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
