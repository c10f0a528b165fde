"""The field-level publish policy: internal fields never reach the renderer.

Built-in internal fields are marked in the schema (``json_schema_extra=INTERNAL``);
the office can mark more in ``site.yaml`` (``privacy.internal: [Member.post]``).
``publishable`` returns a copy of the dataset with those fields emptied (and, when
masking is on, names and long numbers masked); the renderer refuses anything else.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Callable, Iterator
from typing import Any

from pydantic import BaseModel

from generator.model import schema
from generator.model.dataset import CommitmentRow, Dataset, WishRow

MODELS: dict[str, type[BaseModel]] = {
    name: cls
    for name, cls in vars(schema).items()
    if isinstance(cls, type) and issubclass(cls, schema.Record) and cls is not schema.Record
}
NAME_FIELDS = {("Member", "name"), ("Wish", "employee")}
_LONG_NUMBER = re.compile(r"[0-9０-９]{7,}")


def builtin_internal() -> set[tuple[str, str]]:
    return {
        (model, name)
        for model, cls in MODELS.items()
        for name, info in cls.model_fields.items()
        if isinstance(info.json_schema_extra, dict) and info.json_schema_extra.get("internal")
    }


def internal_fields(site: schema.SiteConfig) -> set[tuple[str, str]]:
    configured = {item.partition(".") for item in site.privacy.internal}
    return builtin_internal() | {(model, name) for model, _, name in configured}


def unknown_internal(site: schema.SiteConfig) -> list[str]:
    """Configured internal fields that do not exist or cannot be left empty."""
    bad = []
    for item in site.privacy.internal:
        model, _, name = item.partition(".")
        cls = MODELS.get(model)
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


def masking_requested(site: schema.SiteConfig) -> bool:
    # BOARD_MASK=1 builds the masked variant of the same data (a board shown beyond the company).
    return site.privacy.mask or os.environ.get("BOARD_MASK", "") not in {"", "0"}


def publishable(dataset: Dataset, *, mask: bool | None = None) -> Dataset:
    """The dataset the renderer may see: internal fields emptied, optionally masked."""
    hidden = internal_fields(dataset.site)
    masking = masking_requested(dataset.site) if mask is None else mask
    clean = _Cleaner(hidden, masking)
    return dataclasses.replace(
        dataset,
        orgs={k: clean(v) for k, v in dataset.orgs.items()},
        members={k: clean(v) for k, v in dataset.members.items()},
        commitments=[
            CommitmentRow(r.year, r.branch, clean(r.commitment)) for r in dataset.commitments
        ],
        wishes=[WishRow(w.year, w.branch, clean(w.wish)) for w in dataset.wishes],
        units={k: clean(v) for k, v in dataset.units.items()},
        quarters={k: clean(v) for k, v in dataset.quarters.items()},
        commitment_years={k: clean(v) for k, v in dataset.commitment_years.items()},
        assessments={k: clean(v) for k, v in dataset.assessments.items()},
        interviews={k: clean(v) for k, v in dataset.interviews.items()},
        notices={k: clean(v) for k, v in dataset.notices.items()},
        public=True,
    )


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


class _Cleaner:
    """Copies a record with internal fields emptied and, if asked, personal data masked."""

    def __init__(self, hidden: set[tuple[str, str]], masking: bool) -> None:
        self.hidden = hidden
        self.masking = masking
        self._untouched: dict[type, bool] = {}

    def __call__(self, model: Any) -> Any:
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
            return self(value)
        if isinstance(value, list):
            items = [self._value(v) for v in value]
            return items if any(a is not b for a, b in zip(items, value, strict=True)) else value
        if isinstance(value, dict):
            pairs = {k: self._value(v) for k, v in value.items()}
            return pairs if any(pairs[k] is not value[k] for k in value) else value
        if self.masking and isinstance(value, str) and _LONG_NUMBER.search(value):
            return mask_numbers(value)
        return value


def internal_values(dataset: Dataset, minimum: int = 4) -> set[str]:
    """Every text held in an internal field: the scanner fails the build if one appears."""
    hidden = internal_fields(dataset.site)
    found: set[str] = set()
    reaching: dict[type, bool] = {}
    for model in _all_models(dataset):
        cls = type(model)
        if cls not in reaching:
            reaching[cls] = reaches_hidden(cls, hidden)
        if reaching[cls]:
            _collect(model, hidden, found, minimum)
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


def _all_models(dataset: Dataset) -> Iterator[Any]:
    yield dataset.site
    groups: list[Callable[[], Any]] = [
        lambda: dataset.orgs.values(),
        lambda: dataset.members.values(),
        lambda: (r.commitment for r in dataset.commitments),
        lambda: (w.wish for w in dataset.wishes),
        lambda: dataset.units.values(),
        lambda: dataset.quarters.values(),
        lambda: dataset.assessments.values(),
        lambda: dataset.interviews.values(),
        lambda: dataset.notices.values(),
    ]
    for group in groups:
        yield from group()
