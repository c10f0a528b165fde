"""Records written back as YAML, in the one layout editors see in merge requests.

Every tool that writes data (the score-sheet import, ``board new``, ``board demo``)
writes model objects through here: fields in the model's order, defaults and empty
values left out, whole numbers written as people type them (15, not 15.0), and
nothing the strict loader would refuse (anchors, aliases, YAML 1.1 look-alikes).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from generator.files import write_atomically

try:
    from yaml import CSafeDumper as _BaseDumper
except ImportError:  # pragma: no cover - libyaml ships in PyYAML's wheels
    from yaml import SafeDumper as _BaseDumper  # type: ignore[assignment]


class _Dumper(_BaseDumper):
    """Safe dumping that never writes anchors or aliases, which the strict loader rejects."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _decimal(dumper: _Dumper, value: Decimal) -> yaml.Node:
    # A decimal as the digits it is (97.995), never through a binary float.
    return dumper.represent_scalar("tag:yaml.org,2002:float", format(value.normalize(), "f"))


_Dumper.add_representer(Decimal, _decimal)


def dump_record(record: dict[str, Any]) -> str:
    """Safe YAML: quotes what YAML 1.1 would misread, keeps key order, one item per block."""
    return yaml.dump(
        record, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
        default_flow_style=False, width=1000,
    )  # fmt: skip


def whole(value: float | Decimal) -> float | int | Decimal:
    """Whole points are written as 15, not 15.0, as people type them."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else value
    return int(value) if float(value).is_integer() else value


def plain(model: BaseModel) -> dict[str, Any]:
    """A record as the plain values its YAML file holds."""
    data = model.model_dump(mode="python", by_alias=True, exclude_none=True, exclude_defaults=True)
    cleaned: dict[str, Any] = _whole_numbers(data)
    return cleaned


def _whole_numbers(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _whole_numbers(v) for k, v in value.items() if v not in ([], {})}
    if isinstance(value, list):
        return [_whole_numbers(v) for v in value]
    if isinstance(value, float | Decimal):
        return whole(value)
    return value


def record_text(model: BaseModel) -> str:
    """The YAML text of one file's record."""
    return dump_record(plain(model))


def write_files(data_dir: Path, files: dict[str, BaseModel]) -> int:
    """Write each record to its file under ``data_dir`` (atomically); return how many."""
    for rel, model in files.items():
        write_text_atomically(data_dir / rel, record_text(model))
    return len(files)


def write_text_atomically(path: Path, text: str) -> None:
    """Write via a temporary file and rename, so a crash never leaves half a file."""
    write_atomically(path, text.encode("utf-8"))
