"""Where each kind of data file lives under ``data/``.

One small file per branch, unit or quarter, so a branch secretary edits only
their own files and a merge-request diff shows one record per block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

from generator.model import schema


@dataclass(frozen=True)
class FileKind:
    """A kind of data file: where it lives, what it holds, what it is called."""

    name: str
    pattern: re.Pattern[str]
    model: type[BaseModel]
    example: str


_SEG = r"([^/]+)"
KINDS = [
    FileKind("site", re.compile(r"site\.yaml"), schema.SiteConfig, "site.yaml"),
    FileKind("rules", re.compile(rf"rules/{_SEG}\.yaml"), schema.Rules, "rules/2024-v1.yaml"),
    FileKind(
        "organization",
        re.compile(rf"organizations/{_SEG}\.yaml"),
        schema.Organization,
        "organizations/b01-yunwei.yaml",
    ),
    FileKind(
        "members", re.compile(rf"members/{_SEG}\.yaml"), schema.MembersFile, "members/b01.yaml"
    ),
    FileKind(
        "commitment_year",
        re.compile(rf"commitments/{_SEG}/_year\.yaml"),
        schema.CommitmentYear,
        "commitments/2025/_year.yaml",
    ),
    FileKind(
        "commitments",
        re.compile(rf"commitments/{_SEG}/{_SEG}\.yaml"),
        schema.CommitmentsFile,
        "commitments/2025/b01.yaml",
    ),
    FileKind(
        "wishes",
        re.compile(rf"wishes/{_SEG}/{_SEG}\.yaml"),
        schema.WishesFile,
        "wishes/2025/b01.yaml",
    ),
    FileKind("unit", re.compile(rf"units/{_SEG}\.yaml"), schema.Unit, "units/sfg-01.yaml"),
    FileKind(
        "quarter",
        re.compile(rf"assessments/{_SEG}/_quarter\.yaml"),
        schema.QuarterInfo,
        "assessments/2025Q1/_quarter.yaml",
    ),
    FileKind(
        "assessment",
        re.compile(rf"assessments/{_SEG}/{_SEG}\.yaml"),
        schema.Assessment,
        "assessments/2025Q1/b01.yaml",
    ),
    FileKind(
        "interview",
        re.compile(rf"interviews/{_SEG}\.yaml"),
        schema.Interview,
        "interviews/2025q2-b07.yaml",
    ),
    FileKind("notice", re.compile(rf"notices/{_SEG}\.yaml"), schema.Notice, "notices/2025-01.yaml"),
]


@dataclass(frozen=True)
class DataFile:
    """A discovered data file; ``parts`` are the folder/stem pieces its path names."""

    path: Path
    rel: str
    kind: FileKind | None
    parts: tuple[str, ...]


def discover(data_dir: Path) -> list[DataFile]:
    """Every YAML-looking file under ``data_dir``, classified by its place."""
    found = []
    for path in sorted(data_dir.rglob("*")):
        if not path.is_file() or path.suffix.lower() not in {".yaml", ".yml"}:
            continue
        rel = path.relative_to(data_dir).as_posix()
        found.append(DataFile(path, rel, *_classify(rel)))
    return found


def _classify(rel: str) -> tuple[FileKind | None, tuple[str, ...]]:
    for kind in KINDS:
        match = kind.pattern.fullmatch(rel)
        if match:
            return kind, match.groups()
    return None, ()


def known_places() -> str:
    return "、".join(k.example for k in KINDS)
