"""Writing records back as YAML in the one layout editors see in merge requests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from generator.files import write_atomically
from generator.model.schema import Assessment

try:
    from yaml import CSafeDumper as _BaseDumper
except ImportError:  # pragma: no cover - libyaml ships in PyYAML's wheels
    from yaml import SafeDumper as _BaseDumper  # type: ignore[assignment]


class _Dumper(_BaseDumper):
    """Safe dumping that never writes anchors or aliases, which the strict loader rejects."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump_record(record: dict[str, Any]) -> str:
    """Safe YAML: quotes what YAML 1.1 would misread, keeps key order, one item per block."""
    return yaml.dump(
        record, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
        default_flow_style=False, width=1000,
    )  # fmt: skip


def whole(value: float) -> float | int:
    """Whole points are written as 15, not 15.0, as people type them."""
    return int(value) if float(value).is_integer() else value


def assessment_record(a: Assessment) -> dict[str, Any]:
    record: dict[str, Any] = {
        "branch": a.branch,
        "quarter": a.quarter,
        "inspected_on": a.inspected_on,
        "inspection_group": a.inspection_group,
        "scores": {k: whole(v) for k, v in a.scores.items()},
    }
    if a.extra:
        record["extra"] = {k: whole(v) for k, v in a.extra.items()}
    if a.deductions:
        record["deductions"] = [
            {"dimension": d.dimension, "points": whole(d.points), "reason": d.reason}
            for d in a.deductions
        ]
    return record


def write_text_atomically(path: Path, text: str) -> None:
    """Write via a temporary file and rename, so a crash never leaves half a file."""
    write_atomically(path, text.encode("utf-8"))
