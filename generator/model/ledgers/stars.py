"""星级党支部: each branch's yearly rating in three sheets, back into
``data/stars/<year>/<branch>.yaml``.

* 星级评定: one row per branch (星级, 评定日期, 评定单位, 说明).
* 评定标准: one row per branch, two columns per criterion of site.yaml's
  ``policy.star_criteria`` (达到 是/否, and its 说明).
* 班组星级: one row per team the branch leads (双星联动: a branch of N stars needs a
  team of N stars; the dataset's check of it is put back in the 星级 cell).

For a year without ratings the export is a blank form: a row per branch, ids locked;
a branch whose row is left blank is not rated.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from generator.model import schema
from generator.model.dataset import Dataset
from generator.model.ledgers.base import (
    BRANCH,
    EVERY,
    PROTECTED_HOW,
    ROWS_HOW,
    SCOPE_BRANCH,
    SCOPE_YEAR,
    STARS,
    YEAR,
    Exported,
    File,
    Imported,
    Scope,
    at,
    before,
    branch_ids,
    branch_ok,
    cleared,
    known_branch,
    latest_year,
    load,
    name_of,
    only_keys,
    ordered,
    row_of,
    run_import,
    twice,
    write_book,
    year_ok,
)
from generator.model.messages import translate
from generator.model.sheets import YES_NO, Column, Row, Sheet

RATING_SHEET, CRITERIA_SHEET, TEAM_SHEET = STARS.sheets
NAME = "党支部名称"
_STARS = tuple(str(n) for n in range(1, 6))
_KEYS = (
    Column(YEAR, "year", "year", "评定的年度（文件 stars/<年度>/<支部>.yaml）", True),
    Column(BRANCH, "branch", "id", "被评定的党支部", True, branches=True),
)
RATING_COLUMNS = (
    *_KEYS,
    Column(NAME, "", "shown", "只供查看，导入时不读取", width=28),
    Column("星级", "stars", "int", "1 至 5 的整数；须有相应星级的班组（双星联动）",
           choices=_STARS, list_title="星级"),
    Column("评定日期", "rated_on", "date", "在该年度内，最晚到次年 3 月"),
    Column("评定单位", "rated_by", about="必填，如“公司党委”", width=16),
    Column("说明", "note", about="选填", width=30),
)  # fmt: skip
TEAM_COLUMNS = (
    *_KEYS,
    Column("班组", "team", about="班组名称，同一支部不重复", width=20),
    Column("班组星级", "stars", "int", "1 至 5 的整数（星级班组）", choices=_STARS,
           list_title="星级"),
)  # fmt: skip
_HOW = [
    PROTECTED_HOW,
    "“星级评定”每行一个党支部；没有评定的年度导出的是空白表，整行留空的支部不导入。"
    "“评定标准”每行一个支部，每项标准一列（是/否）和一列说明，每项都要填写。"
    "“班组星级”每行一个班组：评为 N 星的支部须至少有一个 N 星及以上的班组（双星联动）。",
    "删除一个班组的行（或清空这一行年度和支部编号以外的内容），导入后就删除这个班组。导入"
    "不会删除整个支部的评定：确需删除，请直接删除数据目录中的 stars/<年度>/<支部编号>.yaml。",
    ROWS_HOW,
]


def criteria_columns(criteria: Sequence[str]) -> tuple[Column, ...]:
    """The 评定标准 sheet: per criterion of site.yaml, whether it is met and a note."""
    per = [
        column
        for name in criteria
        for column in (
            Column(name, f"met/{name}", "yes_no", f"“{name}”是否达到：是 或 否", choices=YES_NO,
                   list_title="是否"),
            Column(f"{name}（说明）", f"note/{name}", about="选填", width=24),
        )
    ]  # fmt: skip
    return (*_KEYS, Column(NAME, "", "shown", "只供查看，导入时不读取", width=28), *per)


def _layout(dataset: Dataset) -> dict[str, Sequence[Column]]:
    return {
        RATING_SHEET: RATING_COLUMNS,
        CRITERIA_SHEET: criteria_columns(dataset.site.policy.star_criteria),
        TEAM_SHEET: TEAM_COLUMNS,
    }


# ------------------------------------------------------------------- export


def export_stars(
    data_dir: Path, out: Path, year: int | None = None, branch: str | None = None
) -> Exported:
    """Write one year's star ratings (the latest by default) to ``out``; branches
    without one that year get blank rows."""
    dataset = load(data_dir)
    branches = branch_ids(dataset, STARS.kinds)
    known_branch(branches, branch)
    if year is None:
        year = latest_year((y for _, y in dataset.star_ratings), "星级评定")
    layout = _layout(dataset)
    ratings, criteria, teams = [], [], []
    rated = 0
    for b in sorted([branch] if branch else branches):
        r = dataset.star_ratings.get((b, year))
        given: dict[str, Any] = {"year": year, "branch": b, "": dataset.orgs[b].name}
        ratings.append(row_of(RATING_COLUMNS, r, given))
        marks = {f"met/{c.name}": c.met for c in r.criteria} if r else {}
        notes = {f"note/{c.name}": c.note for c in r.criteria} if r else {}
        criteria.append(row_of(layout[CRITERIA_SHEET], None, {**given, **marks, **notes}))
        teams += [row_of(TEAM_COLUMNS, t, given) for t in (r.teams if r else [])]
        rated += r is not None
    scope = [(SCOPE_YEAR, year), (SCOPE_BRANCH, branch or EVERY)]
    rows = {RATING_SHEET: ratings, CRITERIA_SHEET: criteria, TEAM_SHEET: teams}
    write_book(out, dataset, STARS, scope, layout, rows, _HOW, branches)
    return Exported(rated, len(ratings))


# ------------------------------------------------------------------- import


def import_stars(workbook: Path, data_dir: Path) -> Imported:
    """Write the star ratings in ``workbook`` back to ``data/stars/<year>/``."""
    return run_import(workbook, data_dir, STARS, _layout, _plan)


_Place = tuple[int, str]  # (year, branch)


@dataclass
class _Rating:
    """A branch's rating as the three sheets have it, and the rows it came from."""

    values: dict[str, Any]
    row: int
    criteria: list[schema.StarCriterion] | None = None  # None: no sound 评定标准 row
    criteria_row: int = 0  # 0: no 评定标准 row at all
    teams: dict[str, tuple[schema.TeamRating, int]] = field(default_factory=dict)
    team_rows: int = 0  # the 班组星级 rows naming it, sound or not


# Stand-ins that let a rating row be checked before its criteria and teams are read.
_ANY_CRITERION = schema.StarCriterion(name="-", met=True)
_ANY_TEAM = schema.TeamRating(team="-", stars=5)


def _plan(dataset: Dataset, scope: Scope, tables: dict[str, Sheet]) -> list[File]:
    ratings, named = _ratings(tables[RATING_SHEET], scope)
    criteria, teams = tables[CRITERIA_SHEET], tables[TEAM_SHEET]
    _criteria(criteria, scope, ratings, named, dataset.site.policy.star_criteria)
    _teams(teams, scope, ratings, named)
    for r in ratings.values():
        if not r.criteria_row and criteria.ok:
            tables[RATING_SHEET].problem(
                r.row, BRANCH, "“评定标准”表中没有这个党支部的一行：请逐项写明各项标准是否达到"
            )
        if not r.team_rows and teams.ok:
            tables[RATING_SHEET].problem(
                r.row, BRANCH,
                "“班组星级”表中没有这个党支部的班组：双星联动，请至少填写一个班组的星级",
            )  # fmt: skip
    return _files(dataset, scope, ratings, named)


def _keyed(table: Sheet, row: Row, values: dict[str, Any], bad: set[str], scope: Scope) -> bool:
    """Whether the row's year and branch are written and within the workbook's scope."""
    if not all([table.require(row, values, bad, c.header) for c in _KEYS]):
        return False
    what = "星级评定"
    return year_ok(table, row, scope, values["year"], STARS, what) and branch_ok(
        table, row, values["branch"], scope, what
    )


def _ratings(table: Sheet, scope: Scope) -> tuple[dict[_Place, _Rating], set[_Place]]:
    """The 星级评定 rows filled in, by (year, branch); and every place a row names."""
    ratings: dict[_Place, _Rating] = {}
    named: set[_Place] = set()
    for row in table.rows():
        values, bad = table.values(row)
        if only_keys(values, RATING_COLUMNS) and not bad:
            continue  # a blank row: the branch is not rated
        if not _keyed(table, row, values, bad, scope):
            continue
        place = (values.pop("year"), values.pop("branch"))
        named.add(place)
        if place in ratings:
            twice(table, row.number, BRANCH, f"党支部“{place[1]}”", ratings[place].row,
                  "；每个党支部只写一行")  # fmt: skip
            continue
        stand_in = {**values, "branch": place[1], "year": place[0],
                    "criteria": [_ANY_CRITERION], "teams": [_ANY_TEAM]}  # fmt: skip
        if table.model(row, schema.StarRating, stand_in, bad) is not None:
            ratings[place] = _Rating(values, row.number)
    return ratings, named


def _criteria(
    table: Sheet, scope: Scope, ratings: dict[_Place, _Rating], named: set[_Place],
    criteria: Sequence[str],
) -> None:  # fmt: skip
    seen: dict[_Place, int] = {}
    for row in table.rows():
        values, bad = table.values(row)
        blank = only_keys(values, table.columns.values()) and not bad
        if not _keyed(table, row, values, bad, scope):
            continue
        place = (values["year"], values["branch"])
        if place in seen:
            twice(table, row.number, BRANCH, f"党支部“{place[1]}”", seen[place],
                  "；每个党支部只写一行")  # fmt: skip
            continue
        seen[place] = row.number
        rating = ratings.get(place)
        if rating is None:
            if not blank and place not in named:  # a badly written rating is reported
                _unrated(table, row, place)
            continue
        rating.criteria_row = row.number
        marks = [_criterion(table, row, values, bad, name) for name in criteria]
        if all(c is not None for c in marks):
            rating.criteria = [c for c in marks if c is not None]


def _criterion(
    table: Sheet, row: Row, values: dict[str, Any], bad: set[str], name: str
) -> schema.StarCriterion | None:
    """One criterion of a row: its 是/否 cell (required) and its note."""
    met, note = f"met/{name}", f"note/{name}"
    if not table.require(row, values, bad, name) or note in bad:
        return None
    given = {"name": name, "met": values[met], **({"note": values[note]} if note in values else {})}
    try:
        return schema.StarCriterion.model_validate(given)
    except ValidationError as exc:
        for error in exc.errors():
            header = name if error["loc"] == ("met",) else f"{name}（说明）"
            table.problem(row.number, header, translate(error, schema.StarCriterion))
        return None


def _unrated(table: Sheet, row: Row, place: _Place) -> None:
    table.problem(
        row.number, BRANCH,
        f"“星级评定”表中没有党支部“{place[1]}” {place[0]} 年度的星级：请先在那里填写星级，"
        "或删除这一行",
    )  # fmt: skip


def _teams(table: Sheet, scope: Scope, ratings: dict[_Place, _Rating], named: set[_Place]) -> None:
    for row in table.rows():
        values, bad = table.values(row)
        if cleared(table, row, values, bad) or not _keyed(table, row, values, bad, scope):
            continue
        place = (values.pop("year"), values.pop("branch"))
        rating = ratings.get(place)
        if rating is None:
            if place not in named:
                _unrated(table, row, place)
            continue
        rating.team_rows += 1
        name = values.get("team")
        if name in rating.teams:
            twice(table, row.number, "班组", f"党支部“{place[1]}”的班组“{name}”",
                  rating.teams[name][1], "；每个班组只写一行")  # fmt: skip
        elif (team := table.model(row, schema.TeamRating, values, bad)) is not None:
            rating.teams[team.team] = (team, row.number)


def _files(
    dataset: Dataset, scope: Scope, ratings: dict[_Place, _Rating], named: set[_Place]
) -> list[File]:
    existing = {(y, b) for b, y in dataset.star_ratings if y == scope.year}
    files = []
    for year, branch in sorted(p for p in existing | set(ratings) if scope.branch in (None, p[1])):
        old = dataset.star_ratings.get((branch, year))
        r = ratings.get((year, branch))
        model, team_rows, criteria_row = None, [], 0
        if r is not None and r.criteria is not None and r.teams:
            order = [c.name for c in old.criteria] if old else []
            by_name = {c.name: (c, 0) for c in r.criteria}
            criteria = [by_name[k][0] for k in ordered(order, by_name)]
            teams = ordered([t.team for t in old.teams] if old else [], r.teams)
            team_rows, criteria_row = [r.teams[t][1] for t in teams], r.criteria_row
            model = schema.StarRating.model_validate({
                **r.values, "branch": branch, "year": year, "criteria": criteria,
                "teams": [r.teams[t][0] for t in teams],
            })  # fmt: skip
        row = r.row if r is not None else 1
        files.append(File(
            f"stars/{year}/{branch}.yaml", model, before(old),
            partial(_locate, row=row, criteria_row=criteria_row, team_rows=team_rows),
            f"党支部“{branch}”", (year, branch) in named,
        ))  # fmt: skip
    return files


def _locate(
    path: list[str | int], row: int, criteria_row: int, team_rows: list[int]
) -> tuple[str, int, str] | None:
    if path[:1] == ["teams"]:
        team = at(team_rows, path[1]) if len(path) > 1 else None
        return (TEAM_SHEET, team, name_of(path, 2)) if team else (RATING_SHEET, row, "")
    if path[:1] == ["criteria"]:
        return CRITERIA_SHEET, criteria_row, ""
    return RATING_SHEET, row, name_of(path, 0)
