"""Each generated page says which data files it shows and when they last changed (from git).

Which records a page shows comes from the registry: every kind names the pages its
records appear on (``Kind.pages``), so a new kind's files show up in the footers of
its pages without this module knowing it. Files are grouped by kind; a kind with
many files on one page is counted, with its newest change.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from generator.model.dataset import Dataset
from generator.model.history import History, Stamp
from generator.model.kinds import kind, kinds
from generator.text import cn_date, md_text

LISTED = 2  # files of one kind named on a page; more are counted
PageSources = dict[str, dict[str, set[str]]]  # page -> kind -> data files
# Pages that sum up the whole board: their source is the data folder as a whole.
SUMMARY_PAGES = ("index.md",)


def page_sources(dataset: Dataset) -> PageSources:
    """Per page, per kind (registry order), the data files its records come from."""
    pages: PageSources = defaultdict(dict)
    for name in (k.name for k in kinds()):
        record_kind = kind(name)
        # A file's records mostly share their place (branch, year, quarter): a large
        # board's 180,000 records are 23,000 files, and each place's pages are found once.
        by_key = record_kind.pages_name_key()
        done: set[tuple[str, str | None, str | None, int | None, str | None]] = set()
        for rec in dataset.records.of(name).values():
            place = (rec.file, rec.key if by_key else None, rec.branch, rec.year, rec.quarter)
            if place in done:
                continue
            done.add(place)
            for page in record_kind.page_paths(rec):
                pages[page].setdefault(name, set()).add(rec.file)
    return pages


def summary_footer(history: History) -> str:
    return _footer([f"{md_text('data/')} 全部数据（{_when(history.stamp(''), False, history)}）"])


def sources_footer(files_by_kind: dict[str, set[str]], history: History) -> str:
    parts = [
        _describe(kind(name).label, sorted(files), history) for name, files in files_by_kind.items()
    ]
    return _footer(parts)


def as_of_footer(as_of: dt.date) -> str:
    """Every generated page says the day it was judged on: a status, a deadline or a
    disclosure period read a week later is still true of that day (issue 10)."""
    return (
        f'\n<small class="board-asof">统计日期：{cn_date(as_of)}'
        "（状态、期限和公示期按这一天判断）</small>\n"
    )


def _footer(parts: list[str]) -> str:
    if not parts:
        return ""
    # For the office and secretaries who check a figure against its file: the files in
    # the data repository; web only (a printed notice does not carry them).
    prefix = '\n\n---\n\n<small class="board-sources">数据来源（供核对，数据文件在数据仓库中）：'
    return prefix + "；".join(parts) + "</small>\n"


def _describe(label: str, files: list[str], history: History) -> str:
    if len(files) <= LISTED:
        return f"{md_text(label)} " + "、".join(_file(f, history) for f in files)
    stamps = [s for f in files if (s := history.stamp(f)) is not None]
    newest = max(stamps, key=lambda s: s.date) if stamps else None
    dirty = any(f in history.uncommitted for f in files)
    folder = md_text(f"data/{_common_folder(files)}")
    return f"{md_text(label)} {folder} 中的 {len(files)} 个文件（{_when(newest, dirty, history)}）"


def _common_folder(files: list[str]) -> str:
    """``assessments/2026Q3/`` for files that are all in it; ``""`` for none in common."""
    parts = [f.split("/")[:-1] for f in files]
    common: list[str] = []
    for names in zip(*parts, strict=False):
        if len(set(names)) != 1:
            break
        common.append(names[0])
    return "".join(f"{name}/" for name in common)


def _file(source: str, history: History) -> str:
    stamp = history.stamp(source)
    return f"{md_text(f'data/{source}')}（{_when(stamp, source in history.uncommitted, history)}）"


def _when(stamp: Stamp | None, dirty: bool, history: History) -> str:
    if dirty:
        return "有尚未提交的修改"
    if stamp is not None:
        return f"最后修改 {cn_date(dt.date.fromisoformat(stamp.date))}，提交 {stamp.commit}"
    if history.available:
        return "尚未提交"
    why = "浅克隆" if history.shallow else "不在 git 仓库中"
    return f"修改日期不可用：{why}"
