"""The shape of every data file, as pydantic models.

One model per file kind. Models check types and single values (strictly: a
number is never text, a quoted date is not a date); rules that span records or
files live in ``checks.py``. Field names are English so code and YAML agree;
the Chinese meaning of each is documented in ``content/data-format.md``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Annotated, Any, Literal, TypeVar, get_args

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, JsonValue, StringConstraints
from pydantic_core import PydanticCustomError

# Ids become URLs and file names: lowercase ASCII only, so they never collide on
# case-insensitive file systems and never carry path separators.
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=48)]
QUARTER_PATTERN = r"^[0-9]{4}Q[1-4]$"
Quarter = Annotated[str, StringConstraints(pattern=QUARTER_PATTERN)]
# Text must show something: a name of spaces (or of invisible characters, which the
# loader refuses) would be an entry nobody can see.
VISIBLE_PATTERN = r"[^\s\u3000]"
Name = Annotated[str, StringConstraints(min_length=1, max_length=60, pattern=VISIBLE_PATTERN)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=4000, pattern=VISIBLE_PATTERN)]
Year = Annotated[int, Field(ge=2000, le=2100)]
# A date on which something happened (a step taken, a notice issued, an item closed), as
# opposed to a deadline: it cannot be later than the day the data is checked.
HAPPENED: dict[str, JsonValue] = {"happened": True}
# Fields marked internal are kept in git for the office but never handed to the
# renderer (generator/model/policy.py); the output scanner checks they never leak.
INTERNAL: dict[str, JsonValue] = {"internal": True}
Happened = Annotated[dt.date, Field(json_schema_extra=HAPPENED)]
# Follow-up fields record what happened after publication (a problem's measure, the day
# it was closed: 滚动销号). The published-data check lets them change without a
# correction; every other field of a published record is frozen.
FOLLOW_UP: dict[str, JsonValue] = {"follow_up": True}


def _exact(value: object) -> object:
    # Scores are decimals, never binary floats: the loader reads 14.5 as Decimal("14.5")
    # and 15 as an int; a float given by code (never by YAML) is taken as it prints.
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    return value


Number = Annotated[Decimal, BeforeValidator(_exact), Field(allow_inf_nan=False)]
Points = Annotated[Number, Field(ge=0, le=100)]

CategoryName = Literal["Ⅰ", "Ⅱ", "Ⅲ"]
CATEGORIES: tuple[CategoryName, ...] = ("Ⅰ", "Ⅱ", "Ⅲ")
_CATEGORY_ALIASES = {"I": "Ⅰ", "II": "Ⅱ", "III": "Ⅲ", "1": "Ⅰ", "2": "Ⅱ", "3": "Ⅲ"}


def _category_alias(value: object) -> object:
    # Editors type I/II/III (or 1/2/3) more easily than the Roman numeral characters.
    return _CATEGORY_ALIASES.get(str(value), value) if isinstance(value, str | int) else value


Category = Annotated[CategoryName, BeforeValidator(_category_alias)]


def _one_key_per_category(value: object) -> object:
    # "Ⅲ:" and "III:" in one mapping are one category written twice: the second would
    # silently replace the first (a blue-list rule vanished that way).
    if isinstance(value, dict):
        seen: dict[object, object] = {}
        for key in value:
            category = _category_alias(key)
            if category in seen:
                raise PydanticCustomError(
                    "category_twice",
                    "“{first}”和“{second}”是同一个类别（{category}），写了两次；请只保留一个",
                    {"first": seen[category], "second": key, "category": category},
                )
            seen[category] = key
    return value


T = TypeVar("T")
ByCategory = Annotated[dict[Category, T], BeforeValidator(_one_key_per_category)]

ORG_KINDS = ("党委", "党总支", "党支部")
OrgKind = Literal["党委", "党总支", "党支部"]
UnitType = Literal["基层单位", "本部"]
Role = Literal[
    "党委书记",
    "党委副书记",
    "党委委员",
    "总支书记",
    "总支副书记",
    "总支委员",
    "支部书记",
    "支部副书记",
    "组织委员",
    "宣传委员",
    "纪检委员",
    "青年委员",
    "党小组组长",
    "党员",
    "预备党员",
]
ROLES: tuple[str, ...] = get_args(Role)
STAGES = ("科学定诺", "公开承诺", "履责践诺", "定期督诺", "民主评诺")
Stage = Literal["科学定诺", "公开承诺", "履责践诺", "定期督诺", "民主评诺"]
CommitmentKind = Literal["岗位承诺", "服务承诺", "共性承诺", "实事承诺"]
UNIT_KINDS = ("示范岗", "责任区", "服务队", "突击队", "示范区", "示范线路")
UnitKind = Literal["示范岗", "责任区", "服务队", "突击队", "示范区", "示范线路"]


def record_types_in(annotation: Any) -> Iterator[type[BaseModel]]:
    """The model classes a field's annotation can hold (``list[Step]``, ``Step | None``...)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for argument in get_args(annotation):
        yield from record_types_in(argument)


class Record(BaseModel):
    """Base of every model: strict types, no unknown fields, immutable."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    def model_post_init(self, context: Any, /) -> None:
        """Records that set the same fields share one set of those names.

        pydantic keeps, in every instance, a set of the fields the input gave: on a
        1,000-branch board 900,000 sets and 300 MB, a fifth of the memory a build
        needed, for a few dozen distinct sets. Records are frozen, so no set is changed
        in place (``model_copy`` copies it before adding to it). Done here, as each
        record is made, it costs a dictionary lookup; a walk over the records after
        validation cost a tenth of the whole load."""
        names = self.__pydantic_fields_set__
        object.__setattr__(self, "__pydantic_fields_set__", shared_field_set(names))

    # Pickled (the record cache, parsecache.py), a record names its shared set of given
    # fields by a tuple, written once per file, and is given the shared set back when
    # read, rather than holding a set of its own.
    def __getstate__(self) -> dict[Any, Any]:
        names = self.__pydantic_fields_set__
        given = _NAMES.get(id(names)) if is_shared_field_set(names) else None
        return {
            "__dict__": self.__dict__,
            "__pydantic_extra__": self.__pydantic_extra__,
            "__pydantic_fields_set__": given if given is not None else tuple(sorted(names)),
            "__pydantic_private__": self.__pydantic_private__,
        }

    def __setstate__(self, state: dict[Any, Any]) -> None:
        names = state["__pydantic_fields_set__"]
        shared = _BY_NAMES.get(names) if isinstance(names, tuple) else None
        if shared is None:
            shared = shared_field_set(set(names))
        object.__setattr__(self, "__pydantic_fields_set__", shared)
        object.__setattr__(self, "__pydantic_extra__", state["__pydantic_extra__"])
        object.__setattr__(self, "__pydantic_private__", state["__pydantic_private__"])
        object.__setattr__(self, "__dict__", state["__dict__"])


# One set per distinct combination of given fields, for the whole process.
_FIELD_SETS: dict[frozenset[str], set[str]] = {}


def shared_field_set(names: set[str]) -> set[str]:
    """The one set of these field names every record that gave them holds."""
    shared = _FIELD_SETS.setdefault(frozenset(names), names)
    if shared is names:
        given = tuple(sorted(names))
        _NAMES[id(shared)] = given
        _BY_NAMES[given] = shared
    return shared


# The shared sets by their names as a sorted tuple, and back (the sets live as long as
# the process, in _FIELD_SETS, so their ids are never reused).
_NAMES: dict[int, tuple[str, ...]] = {}
_BY_NAMES: dict[tuple[str, ...], set[str]] = {}


def is_shared_field_set(names: set[str]) -> bool:
    return _FIELD_SETS.get(frozenset(names)) is names


# ---------------------------------------------------------------- site config


class Disclosure(Record):
    office: Name
    contact: Text
    days: Annotated[int, Field(ge=1, le=90)] = 7


class Allowed(Record):
    """A known false positive of the personal-data checks, and why it may be shown."""

    value: Name  # as written, e.g. "0571-87654321"
    reason: Text  # e.g. "公司对外公开的服务热线"


class Privacy(Record):
    """What the board must never disclose, and how it may be shown beyond the company."""

    # Extra internal fields as "Model.field", e.g. "Member.post" or "Commitment.verifier".
    internal: list[Name] = []
    # Known false positives of the personal-data checks (e.g. a public service hotline).
    allowlist: list[Allowed] = []
    # Mask names (张*三) and long numbers, for boards shown outside the company.
    mask: bool = False


DEFAULT_STAR_CRITERIA = (
    "组织设置规范",
    "组织生活正常",
    "党员队伍过硬",
    "基础工作扎实",
    "作用发挥突出",
    "群众评价满意",
)


class Policy(Record):
    """Configurable rules of the commitment board and the demonstration units."""

    check_every_days: Annotated[int, Field(ge=7, le=366)] = 92  # 定期督诺: quarterly
    withdraw_below: Points = Decimal(70)  # a unit's annual evaluation below this loses the title
    # The office's list of problem types (seed 004: 33 类): every deduction and notice item
    # names one, so problems can be counted by type across rounds. Empty: types optional.
    problem_types: list[Name] = []
    # What a 星级党支部 rating is judged on (seed 001: 星级建设 标准化 评价细则).
    star_criteria: list[Name] = list(DEFAULT_STAR_CRITERIA)


class SiteConfig(Record):
    """``data/site.yaml``: who publishes the board, and its configurable rules."""

    company: Name
    title: Name = "党建公示栏"
    committee: Slug
    disclosure: Disclosure
    policy: Policy = Policy()
    privacy: Privacy = Privacy()


# ------------------------------------------------------------- organizations


class CategorySpan(Record):
    since: Quarter = Field(alias="from")
    category: Category

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, populate_by_name=True)


class PartyGroup(Record):
    id: Slug
    name: Name
    leader: Slug | None = None


class Organization(Record):
    """``data/organizations/<id>.yaml``: one 党委, 党总支 or 党支部."""

    id: Slug
    name: Name
    kind: OrgKind
    parent: Slug | None = None
    unit: Name | None = None
    unit_type: UnitType | None = None
    secretary: Slug | None = None
    categories: list[CategorySpan] = []
    groups: list[PartyGroup] = []


# ------------------------------------------------------------------- members


LeftReason = Literal["调出", "退休", "去世", "其他"]
LEFT_REASONS: tuple[str, ...] = get_args(LeftReason)
# How the board marks a member who left, beside their name in the records of their time.
LEFT_MARKS = {"调出": "已调离", "退休": "已退休", "去世": "已故", "其他": "已离开"}


class Member(Record):
    """One member's time in one branch. A member who moves to another branch of the
    company keeps this entry (with ``left_on``, ``left_reason: 调出`` and ``moved_to``)
    and appears in the new branch's file under the same id with ``joined_on``: the
    records of their time here stay valid and name them."""

    id: Slug
    name: Name
    post: Name
    role: Role = "党员"
    group: Slug | None = None
    joined_on: Happened | None = None  # joined this branch (转入, 发展); earlier: not here
    left_on: Happened | None = None  # left this branch: moved, retired, died
    left_reason: LeftReason | None = None
    moved_to: Slug | None = None  # the branch of the company they moved to (调出 only)


class MembersFile(Record):
    """``data/members/<branch>.yaml``: the members of one branch."""

    branch: Slug
    members: list[Member]


# --------------------------------------------------------------- commitments


class StageRecord(Record):
    stage: Stage
    date: Happened
    note: Text | None = None
    review: Literal["审核通过", "退回修改"] | None = None
    evidence: Text | None = None
    finding: Text | None = None
    rating: Literal["优秀", "良好", "一般", "较差"] | None = None
    outcome: Literal["已兑现", "未兑现"] | None = None
    reason: Text | None = None


class Commitment(Record):
    id: Slug
    member: Slug
    kind: CommitmentKind
    text: Text
    target: Text | None = None
    deadline: dt.date | None = None
    verifier: Name | None = None
    progress: Annotated[list[StageRecord], Field(min_length=1)]


class CommitmentsFile(Record):
    """``data/commitments/<year>/<branch>.yaml``: one branch's commitments for a year."""

    branch: Slug
    year: Year
    commitments: list[Commitment]


class CommitmentYear(Record):
    """``data/commitments/<year>/_year.yaml``: when a year's commitments were published."""

    year: Year
    published: Happened | None = None
    corrections: list[Correction] = []


class RoundFinding(Record):
    """What a 督诺 round found for one commitment (a delay, a change of plan)."""

    commitment: Slug
    finding: Text


class RoundException(Record):
    """A commitment a round did not check, and why (the member was away, say)."""

    commitment: Slug
    reason: Text


class SupervisionRound(Record):
    """One 定期督诺 round of a branch: it checks every open commitment of the branch at
    once (seed 001: 定期督诺), save the listed exceptions."""

    date: Happened
    checked_by: Name  # 支部委员会, 支部书记……
    finding: Text  # the round's overall finding
    findings: list[RoundFinding] = []
    exceptions: list[RoundException] = []


class SupervisionFile(Record):
    """``data/supervision/<year>/<branch>.yaml``: a branch's 督诺 rounds for a year."""

    branch: Slug
    year: Year
    rounds: list[SupervisionRound]


class Wish(Record):
    id: Slug
    employee: Name
    wish: Text
    member: Slug | None = None
    status: Literal["待认领", "已认领", "已实现", "未实现"]
    fulfilled_on: Happened | None = None
    note: Text | None = None


class WishesFile(Record):
    """``data/wishes/<year>/<branch>.yaml``: employees' 微心愿 and who took them on."""

    branch: Slug
    year: Year
    wishes: list[Wish]


# ------------------------------------------------------- demonstration units


class SelfEvaluation(Record):
    quarter: Quarter
    score: Points
    note: Text | None = None


class AnnualEvaluation(Record):
    year: Year
    score: Points
    grade: Literal["优秀", "良好", "合格", "不合格"]
    note: Text | None = None


class Activity(Record):
    date: Happened
    type: Name
    title: Text
    participants: list[Slug] = []
    note: Text | None = None


class Withdrawal(Record):
    date: Happened
    reason: Text


class Unit(Record):
    """``data/units/<id>.yaml``: a 示范岗, 责任区, 服务队/突击队 or 示范区/线路."""

    id: Slug
    kind: UnitKind
    name: Name
    branch: Slug
    holders: Annotated[list[Slug], Field(min_length=1)]
    standard: Text
    established: Happened
    withdrawn: Withdrawal | None = None
    self_evaluations: list[SelfEvaluation] = []
    annual_evaluations: list[AnnualEvaluation] = []
    activities: list[Activity] = []


# --------------------------------------------------------------- assessments


class Correction(Record):
    """A visible correction of published data: a published notice is never silently edited."""

    date: Happened
    reason: Text
    approver: Name
    summary: Text | None = None


class QuarterInfo(Record):
    """``data/assessments/<quarter>/_quarter.yaml``: the round of inspection.

    A quarter is a draft (草稿) while only scored, confirmed (已确认) once the problem
    lists are agreed with every branch, and published (已发布) with the notice: only
    then does anything of it reach the public board (seed 004: 核对问题清单, 下发通报)."""

    quarter: Quarter
    inspection_start: Happened
    inspection_end: Happened
    confirmed: Happened | None = None  # problem lists agreed with each branch
    notice_number: Name | None = None
    published: Happened | None = None
    corrections: list[Correction] = []


class Deduction(Record):
    """One problem of an inspection's problem list (现场反馈表), and what it cost.

    ``measure`` and ``closed_on`` are follow-up: the measure taken and the day the
    problem was closed (滚动销号) are written after the quarter is published."""

    dimension: Name
    points: Annotated[Number, Field(gt=0, le=100)]
    reason: Text
    type: Name | None = None  # one of site.yaml policy.problem_types
    measure: Text | None = Field(default=None, json_schema_extra=FOLLOW_UP)
    closed_on: Happened | None = Field(default=None, json_schema_extra=FOLLOW_UP)


class Assessment(Record):
    """``data/assessments/<quarter>/<branch>.yaml``: one branch's score for a quarter."""

    branch: Slug
    quarter: Quarter
    inspected_on: Happened
    inspection_group: Name
    # Every point lost is a deduction with its reason (the problem list): a dimension's
    # score is its maximum minus its deductions. Scores may be written too (a score
    # sheet does); then each must agree with its maximum and deductions.
    scores: dict[Name, Points] = {}
    extra: dict[Name, Points] = {}
    deductions: list[Deduction] = []


# ------------------------------------------------ interviews and rectification


class RectificationItem(Record):
    id: Slug
    problem: Text
    measure: Text
    owner: Slug
    deadline: dt.date
    status: Literal["整改中", "已完成"]
    completed_on: Happened | None = None


class Recheck(Record):
    quarter: Quarter
    date: Happened
    result: Literal["已整改", "部分整改", "未整改"]
    note: Text | None = None


class Interview(Record):
    """``data/interviews/<id>.yaml``: a 清单式约谈 after a blue-list quarter."""

    id: Slug
    branch: Slug
    quarter: Quarter
    date: Happened
    interviewer: Name
    interviewee: Slug
    notes: Text | None = Field(default=None, json_schema_extra=INTERNAL)  # 约谈记录: internal
    items: Annotated[list[RectificationItem], Field(min_length=1)]
    recheck: Recheck | None = None


# ------------------------------------------------------------------- notices


class NoticeItem(Record):
    id: Slug
    content: Text
    type: Name | None = None  # one of site.yaml policy.problem_types
    deadline: dt.date | None = None
    status: Literal["未完成", "已完成"]
    closed_on: Happened | None = None
    closing_note: Text | None = None
    detail: Text | None = Field(default=None, json_schema_extra=INTERNAL)  # 纪律细节: internal


class Notice(Record):
    """``data/notices/<id>.yaml``: a 提示单 (committee) or 提醒单 (discipline committee)."""

    id: Slug
    kind: Literal["提示单", "提醒单"]
    number: Name | None = None
    issuer: Name
    date: Happened
    to: Annotated[list[Slug], Field(min_length=1)]
    title: Name
    items: Annotated[list[NoticeItem], Field(min_length=1)]


# ----------------------------------------------------------- 三比三看 (seed 001)

ComparisonResult = Literal["优秀", "合格", "基本合格", "不合格"]
COMPARISON_RESULTS: tuple[str, ...] = get_args(ComparisonResult)
Percent = Annotated[Number, Field(ge=0, le=100)]


class Comparison(Record):
    """One member's year-end 三比三看: 比学习 看学习数量与质量, 比奉献 看解决实际问题数量
    与质量, 比形象 看群众心中满意度; and the result the branch gave."""

    member: Slug
    study: Text  # 比学习: what and how well they studied
    sessions: Annotated[int, Field(ge=0, le=1000)]  # 组织生活和学习的次数
    contribution: Text  # 比奉献: the real problems they solved
    problems_solved: Annotated[int, Field(ge=0, le=1000)]
    image: Text | None = None  # 比形象: what colleagues said
    satisfaction: Percent  # 群众满意度, %
    respondents: Annotated[int, Field(ge=1, le=10000)]  # 参加测评的群众人数
    result: ComparisonResult


class ComparisonFile(Record):
    """``data/comparisons/<year>/<branch>.yaml``: a branch's year-end 三比三看."""

    branch: Slug
    year: Year
    held_on: Happened  # the branch meeting that compared them
    members: Annotated[list[Comparison], Field(min_length=1)]


# ------------------------------------------------ 星级党支部 / 双星联动 (seed 001)

Stars = Annotated[int, Field(ge=1, le=5)]


class StarCriterion(Record):
    name: Name  # one of site.yaml policy.star_criteria
    met: bool
    note: Text | None = None


class TeamRating(Record):
    """A 星级班组 rating of a team the branch leads (双星联动: 支部带班组)."""

    team: Name
    stars: Stars


class StarRating(Record):
    """``data/stars/<year>/<branch>.yaml``: a branch's yearly star rating and why.

    Seed 001's rule: a branch is rated N stars only with a team of N stars or more."""

    branch: Slug
    year: Year
    stars: Stars
    rated_on: Happened
    rated_by: Name  # 公司党委……
    criteria: Annotated[list[StarCriterion], Field(min_length=1)]
    teams: Annotated[list[TeamRating], Field(min_length=1)]
    note: Text | None = None


# ------------------------------------------------------ 指标红榜 (seed 002)


class Indicator(Record):
    """One business indicator of a unit for a quarter, and whether the company's red
    list (业绩考核指标红榜) has it."""

    name: Name  # 售电量、电费回收率……
    value: Name  # as the performance report writes it: "99.62%", "12 时/户"
    red: bool  # on the company's red list this quarter


class UnitIndicators(Record):
    """One unit's (单位: 运维检修部……, as organizations' ``unit`` name it) indicators."""

    unit: Name
    indicators: Annotated[list[Indicator], Field(min_length=1)]


class IndicatorsFile(Record):
    """``data/indicators/<quarter>.yaml``: the company's indicator red list for a quarter,
    unit by unit (seed 002: 13 of 16 indicators on the red list)."""

    quarter: Quarter
    source: Name  # the performance notice it comes from: 公司业绩考核通报（文号）
    units: Annotated[list[UnitIndicators], Field(min_length=1)]


# --------------------------------------------------------------------- rules


class DimensionRule(Record):
    name: Name
    max: ByCategory[Points]


class ExtraItem(Record):
    name: Name
    applies_to: UnitType
    max: Points


class ListRule(Record):
    """Who lands on a list: exactly one of top N, bottom N or below a score."""

    top: Annotated[int, Field(ge=1)] | None = None
    bottom: Annotated[int, Field(ge=1)] | None = None
    below: Points | None = None
    adjustment: Annotated[Number, Field(ge=-10, le=10)] = Decimal(0)


class CategoryRule(Record):
    red: ListRule | None = None
    blue: ListRule | None = None
    yellow: ListRule | None = None


class Rules(Record):
    """``data/rules/<id>.yaml``: one version of the assessment rules."""

    id: Slug
    title: Name
    effective_from: Quarter
    dimensions: Annotated[list[DimensionRule], Field(min_length=1)]
    extra_items: list[ExtraItem] = []
    categories: ByCategory[CategoryRule]
    ties: Text
    yearly_weight: Annotated[Number, Field(ge=0, le=1)]
    # The scoring step: every score and deduction is a multiple of it (0.5: 14.5, not 14.3).
    step: Annotated[Number, Field(gt=0, le=10)] = Decimal("0.5")
    # A version that scored a published quarter changes only with a correction, shown
    # on the rules page (like a published quarter's own corrections).
    corrections: list[Correction] = []
