"""Each generated page says which data files it shows and when they last changed (from git)."""

from __future__ import annotations

import re

from generator.model.dataset import Dataset
from generator.render.escape import md_text
from generator.review.provenance import Provenance, Stamp

_ORG = re.compile(r"org/([a-z0-9-]+)\.md")
# The printable notice (quarters/notice-*.md) is an official document: no source footer.
_QUARTER = re.compile(r"quarters/([0-9]{4}Q[1-4])\.md")
_BOARD = re.compile(r"commitments/([0-9]{4})/([a-z0-9-]+)\.md")
_YEAR = re.compile(r"commitments/([0-9]{4})\.md")
_UNIT = re.compile(r"units/([a-z0-9-]+)\.md")
_FIXED = {
    "rules.md": ["rules/"],
    "rectification/index.md": ["interviews/"],
    "notices/index.md": ["notices/"],
    "quarters/index.md": ["assessments/"],
    "units/index.md": ["units/"],
    "org/index.md": ["organizations/", "members/"],
    "index.md": [""],
}


def page_sources(page: str, dataset: Dataset) -> list[str]:
    """Data files (or folders, ending in /) behind a generated page."""
    if page in _FIXED:
        return _FIXED[page]
    if m := _ORG.fullmatch(page):
        org = m.group(1)
        latest = dataset.latest_year
        return [
            f"organizations/{org}.yaml",
            f"members/{org}.yaml",
            f"commitments/{latest}/{org}.yaml",
        ]
    if m := _QUARTER.fullmatch(page):
        return [f"assessments/{m.group(1)}/"]
    if m := _BOARD.fullmatch(page):
        year, branch = m.groups()
        return [f"commitments/{year}/{branch}.yaml", f"wishes/{year}/{branch}.yaml"]
    if m := _YEAR.fullmatch(page):
        return [f"commitments/{m.group(1)}/"]
    if m := _UNIT.fullmatch(page):
        return [f"units/{m.group(1)}.yaml"]
    return []


def sources_footer(page: str, dataset: Dataset, provenance: Provenance) -> str:
    parts = []
    for source in page_sources(page, dataset):
        stamp = provenance.stamp(source) if provenance.available else None
        if provenance.available and stamp is None and source not in provenance.uncommitted:
            continue  # the file does not exist (e.g. a branch without wishes)
        parts.append(_describe(source, stamp, provenance))
    if not parts:
        return ""
    return "\n\n---\n\n<small>数据来源：" + "；".join(parts) + "</small>\n"


def _describe(source: str, stamp: Stamp | None, provenance: Provenance) -> str:
    name = md_text(f"data/{source}")
    if source in provenance.uncommitted:
        return f"{name}（有尚未提交的修改）"
    if stamp is not None:
        return f"{name}（最后修改 {stamp.date}，提交 {stamp.commit}）"
    why = "浅克隆" if provenance.shallow else "不在 git 仓库中"
    return f"{name}（修改日期不可用：{why}）"
