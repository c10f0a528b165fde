"""The demo's text pools, kept as YAML in ``pools/``: names, pledges, reasons, measures...

Each file is read once per process and checked by a small model, so a slip in a pool
(a missing key, a list where text belongs) fails at once, naming the file, instead of
turning up as an odd value somewhere in the dataset. Lists become tuples: the pools
are shared by every section and must never change while one is drawing from them.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from generator.model import schema as s

POOLS = Path(__file__).resolve().parent / "pools"


class Pool(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _load(name: str) -> Any:
    return yaml.safe_load((POOLS / f"{name}.yaml").read_text(encoding="utf-8"))


# ------------------------------------------------------------ names.yaml


class NamePool(Pool):
    surnames: str  # one character per surname
    given_first: str
    given_second: str
    famous: frozenset[str]
    places: tuple[str, ...]


@functools.cache
def names() -> NamePool:
    return NamePool.model_validate(_load("names"))


# ---------------------------------------------------------- company.yaml


class Line(Pool):
    short: str
    unit: str


class Department(Pool):
    name: str
    slug: str
    family: str  # the line of work, a key of work.yaml
    line: str | None = None  # the 党总支 it belongs to, a key of ``lines``
    head_office: bool = False
    big: bool = False


class Posts(Pool):
    secretary: str
    secretary_of_station: str
    chair: str
    deputy_chair: str
    general_secretary: str


class CompanyPool(Pool):
    company: str
    committee: str
    title: str
    disclosure: s.Disclosure
    lines: dict[str, Line]
    departments: tuple[Department, ...]
    pick_order: tuple[str, ...]
    posts: Posts


@functools.cache
def company() -> CompanyPool:
    return CompanyPool.model_validate(_load("company"))


# ------------------------------------------------- work.yaml, pledges.yaml


class Pledge(Pool):
    """A commitment template: ``{n}`` is drawn from the range ``n``, ``{place}`` from
    the places. Without a range ``n`` is drawn all the same (from 0 to 0): every
    pledge takes the same draws, so the next ones never depend on the template."""

    text: str
    target: str
    verifier: str
    n: tuple[int, int] = (0, 0)


class Work(Pool):
    """A line of work: the posts its people hold, the 责任区 its branch looks after
    (``{place}`` in it) and the 岗位承诺 its people can make."""

    posts: tuple[str, ...]
    area: str
    pledges: tuple[Pledge, ...]


@functools.cache
def work() -> dict[str, Work]:
    return {key: Work.model_validate(value) for key, value in _load("work").items()}


# How a member joins a branch during the year: moved from another branch of the
# company, transferred in from outside it (组织关系转入), or admitted (发展).
Joining = Literal["调入", "转入", "发展"]


class PledgePool(Pool):
    leader: tuple[Pledge, ...]
    service: tuple[Pledge, ...]
    year_long: tuple[str, ...]
    returned: tuple[str, ...]
    evidence: tuple[str, ...]
    findings: tuple[str, ...]
    unmet: tuple[str, ...]
    evaluation_note: str
    joined: dict[Joining, str]  # the 科学定诺 note of a member who joined, by how


@functools.cache
def pledges() -> PledgePool:
    return PledgePool.model_validate(_load("pledges"))


# ------------------------------------------------------------ rules.yaml


class RulesVersion(Pool):
    id: str  # may name ``{year}``, the first assessed quarter's
    since: str | None = Field(default=None, alias="from")  # None: the first quarter
    title: str
    maxima: dict[s.Category, tuple[float, ...]]  # in the order of the dimensions


class RulesPool(Pool):
    dimensions: tuple[str, ...]
    versions: tuple[RulesVersion, ...]
    extra_items: tuple[s.ExtraItem, ...]
    categories: dict[s.Category, s.CategoryRule]
    ties: str
    yearly_weight: float


@functools.cache
def rules() -> RulesPool:
    return RulesPool.model_validate(_load("rules"))


# ------------------------------------------------------ assessments.yaml


class AssessmentPool(Pool):
    inspection_groups: tuple[str, ...]
    notice_number: str
    notice_numbers: dict[int, int]  # quarter of the year -> first number
    # By dimension: each reason for a deduction, in the pool's order, and its problem type.
    reasons: dict[str, dict[str, str]]


@functools.cache
def assessments() -> AssessmentPool:
    return AssessmentPool.model_validate(_load("assessments"))


# --------------------------------------------------------- followup.yaml


class InterviewPool(Pool):
    interviewer: str
    notes: str
    no_areas: str
    problem: str
    generic_problems: tuple[tuple[str, str], ...]
    measures: dict[str, str]  # by dimension
    recheck: dict[str, str]  # by result


class Topic(Pool):
    title: str
    type: str  # the problem type of its items (problems.yaml)
    asks: tuple[str, ...]


NoticeKindName = Literal["提示单", "提醒单"]


class NoticeKind(Pool):
    prefix: str
    issuer: str
    number: str
    topics: tuple[Topic, ...]


class FollowupPool(Pool):
    interview: InterviewPool
    notices: dict[NoticeKindName, NoticeKind]
    closing_notes: tuple[str, ...]


@functools.cache
def followup() -> FollowupPool:
    return FollowupPool.model_validate(_load("followup"))


# --------------------------------------------------------- problems.yaml


class ProblemPool(Pool):
    types: tuple[str, ...]  # site.yaml policy.problem_types, in the office's order
    measures: dict[str, tuple[str, ...]]  # 整改措施 by type

    @model_validator(mode="after")
    def _every_type_has_measures(self) -> ProblemPool:
        if set(self.measures) != set(self.types):
            raise ValueError("problems.yaml: measures must list exactly the types")
        return self


@functools.cache
def problems() -> ProblemPool:
    return ProblemPool.model_validate(_load("problems"))


# ------------------------------------------------------ supervision.yaml


class SupervisionPool(Pool):
    checked_by: tuple[str, ...]  # may name ``{secretary}``
    rounds: tuple[tuple[str, ...], ...]  # overall findings by round of the year; ``{count}``
    findings: tuple[str, ...]
    exceptions: tuple[str, ...]
    makeup: str


@functools.cache
def supervision() -> SupervisionPool:
    return SupervisionPool.model_validate(_load("supervision"))


# ------------------------------------------------ wishes.yaml, units.yaml


class WishPool(Pool):
    wishes: tuple[str, ...]
    unmet: tuple[str, ...]


@functools.cache
def wishes() -> WishPool:
    return WishPool.model_validate(_load("wishes"))


class Team(Pool):
    name: str
    activity: str  # the type of its activities, a key of ``activities``
    activities: int  # how many it records


class UnitPool(Pool):
    names: dict[s.UnitKind, str]
    mottos: tuple[str, ...]
    standards: dict[s.UnitKind, str]
    teams: dict[s.UnitKind, Team]
    squad: str
    hosts: dict[s.UnitKind, tuple[str, ...]]
    activities: dict[str, tuple[str, ...]]
    activity_note: str
    withdrawn_reason: str


@functools.cache
def units() -> UnitPool:
    return UnitPool.model_validate(_load("units"))


# ------------------------------------------ comparisons.yaml, stars.yaml


class ComparisonPool(Pool):
    study: tuple[str, ...]  # ``{sessions}``, ``{hours}``, ``{notes}``
    contribution: tuple[str, ...]  # ``{post}``, ``{n}``, ``{fix}``, ``{k}``
    none_solved: str  # the contribution of a member who solved no problem
    fixes: dict[str, tuple[str, ...]]  # by line of work (work.yaml)
    image: dict[s.ComparisonResult, tuple[str, ...]]


@functools.cache
def comparisons() -> ComparisonPool:
    return ComparisonPool.model_validate(_load("comparisons"))


class StarPool(Pool):
    rated_by: str
    teams: dict[str, tuple[str, ...]]  # by line of work; ``{n}``: 一, 二...
    unmet: dict[str, tuple[str, ...]]  # by criterion
    against: dict[str, tuple[str, ...]]  # by criterion: problem types that speak against it
    found: str  # ``{type}``, ``{count}``
    held_back: str  # ``{teams}``, ``{stars}``


@functools.cache
def stars() -> StarPool:
    return StarPool.model_validate(_load("stars"))


# --------------------------------------------------------- indicators.yaml


class IndicatorSpec(Pool):
    """One business indicator: its range of values, as reported, and which end is better."""

    name: str
    bounds: tuple[float, float] = Field(alias="range")
    digits: int = Field(ge=0, le=3)
    unit: str  # "%" is written after the number, anything else after a space
    better: Literal["high", "low"]


class IndicatorPool(Pool):
    source: str  # ``{year}``, ``{q}``, ``{issued}``, ``{number}``
    numbers: dict[int, int]  # quarter of the year -> first number
    sets: dict[str, Annotated[tuple[IndicatorSpec, ...], Field(min_length=8, max_length=16)]]


@functools.cache
def indicators() -> IndicatorPool:
    return IndicatorPool.model_validate(_load("indicators"))
