"""A deterministic, wholly fictional dataset: the committed sample and the scale tests.

``write_demo`` invents a company (示例能源有限公司), its party organizations, members,
commitments, 微心愿, demonstration units, quarterly assessments, interviews and notices.
Nothing reads the clock or the global random state: each section draws from its own
``random.Random`` seeded by the shape's seed and the section's name, so the same shape
always writes byte-identical files and a change to one section never reshuffles another.
Names come from surname and given-name pools; there are no phone or ID numbers anywhere.
Every loop is linear in the number of branches, members and quarters, so the same code
writes the 31-branch sample and the 10,000-branch scale test.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml

try:  # libyaml's emitter writes the same text as the pure-Python one, several times faster
    from yaml import CSafeDumper as _BaseDumper
except ImportError:  # pragma: no cover - libyaml ships in PyYAML's wheels
    from yaml import SafeDumper as _BaseDumper  # type: ignore[assignment]

Record = dict[str, Any]

# The data's "today": fixed so the output never depends on when it is generated.
TODAY = dt.date(2026, 11, 15)
LAST_QUARTER = "2026Q3"
COMPANY = "示例能源有限公司"
COMMITTEE_ID = "dw"
CATEGORIES = ("Ⅰ", "Ⅱ", "Ⅲ")
DIMENSIONS = (
    "政治建设", "党建责任", "组织建设", "党员教育",
    "思想文化和统战", "团青工作", "队伍建设", "日常工作",
)  # fmt: skip
# Maximum points of each dimension (in DIMENSIONS order) per category; each sums to 100.
MAXIMA_V1 = {
    "Ⅰ": (15, 15, 20, 15, 10, 5, 10, 10),
    "Ⅱ": (15, 15, 15, 15, 10, 10, 10, 10),
    "Ⅲ": (20, 10, 15, 15, 10, 5, 10, 15),
}
MAXIMA_V2 = {
    "Ⅰ": (15, 15, 20, 15, 10, 5, 5, 15),
    "Ⅱ": (15, 15, 15, 15, 10, 5, 10, 15),
    "Ⅲ": (20, 15, 15, 15, 10, 5, 10, 10),
}
V2_FROM = "2025Q3"
BLUE_BELOW = 98.0  # category Ⅲ: a base score below this lands on the blue list
INSPECTION_GROUPS = ("第一检查组", "第二检查组", "第三检查组")


@dataclass(frozen=True)
class DemoShape:
    """How big the fictional dataset is; the defaults make the committed sample."""

    branches: int = 31
    members: int = 600
    quarters: int = 8
    seed: int = 2025


def write_demo(out_dir: Path, shape: DemoShape) -> int:
    """Write a deterministic fictional dataset; return the number of files written."""
    _check_shape(shape)
    world = _build_world(shape)
    out = _Out(out_dir)
    for rel, record in _all_files(world):
        out.write(rel, record)
    return out.count


def _check_shape(shape: DemoShape) -> None:
    # Every branch needs at least its secretary, and there must be a quarter to assess.
    if shape.branches < 1 or shape.quarters < 1:
        raise ValueError("示例数据至少需要 1 个党支部和 1 个考核季度")
    if shape.members < shape.branches:
        raise ValueError(f"党员总数（{shape.members}）不能少于党支部数（{shape.branches}）")


def _all_files(world: _World) -> Iterator[tuple[str, Record]]:
    """Every file of the dataset, section by section, in a fixed order.

    Assessments come before interviews on purpose: they record the base scores
    (in ``world.scored``) that decide who is on the blue list and gets interviewed.
    """
    yield "site.yaml", _site()
    yield from _org_files(world)
    yield from _member_files(world)
    yield from _rule_files(world)
    yield from _assessment_files(world)
    yield from _interview_files(world)
    yield from _commitment_files(world)
    yield from _wish_files(world)
    yield from _unit_files(world)
    yield from _notice_files(world)


# ------------------------------------------------------------------- output


class _Out:
    """Writes records as YAML files under one root and counts them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.count = 0
        self._made: set[Path] = set()

    def write(self, rel: str, record: Record) -> None:
        path = self.root / rel
        if path.parent not in self._made:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._made.add(path.parent)
        # Bytes, not text: no newline translation, so files are identical on every OS.
        path.write_bytes(_dump(record).encode("utf-8"))
        self.count += 1


class _Dumper(_BaseDumper):
    """Safe dumping that never writes anchors or aliases, which the strict loader rejects.

    Without this, one dict object reused in two places would come out as ``&id001``.
    """

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _dump(record: Record) -> str:
    """Safe YAML: quotes what YAML 1.1 would misread, keeps key order, one item per block."""
    return yaml.dump(
        record, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
        default_flow_style=False, width=1000,
    )  # fmt: skip


def _compact(record: Record) -> Record:
    """Drop empty optional fields, so files show only what was filled in."""
    return {key: value for key, value in record.items() if value is not None}


def _num(value: float) -> float | int:
    """Whole points are written as 15, not 15.0, as people would type them."""
    return int(value) if float(value).is_integer() else value


# ------------------------------------------------------------- randomness


def _rng(shape: DemoShape, topic: str) -> random.Random:
    """One generator per section (string seeds are hashed stably, unlike hash())."""
    return random.Random(f"{shape.seed}:{topic}")


def _day_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _after(rng: random.Random, day: dt.date, low: int, high: int) -> dt.date:
    return day + dt.timedelta(days=rng.randint(low, high))


def _halves(rng: random.Random, low: float, high: float) -> float:
    """A score in steps of 0.5: exact in binary, so equal sums really compare equal."""
    return rng.randint(round(low * 2), round(high * 2)) / 2


# ------------------------------------------------------------------ quarters


def _quarter_index(quarter: str) -> int:
    return int(quarter[:4]) * 4 + int(quarter[5]) - 1


def _quarter_at(index: int) -> str:
    return f"{index // 4}Q{index % 4 + 1}"


def _quarter_list(count: int) -> list[str]:
    """The ``count`` quarters that end with the latest assessed one, oldest first."""
    last = _quarter_index(LAST_QUARTER)
    return [_quarter_at(i) for i in range(last - count + 1, last + 1)]


def _quarter_of(day: dt.date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def _quarter_start(quarter: str) -> dt.date:
    return dt.date(int(quarter[:4]), 3 * int(quarter[5]) - 2, 1)


# ----------------------------------------------------------------- content

PLACES = (
    "青石", "东郊", "河口", "柳林", "金桥", "白沙", "桃源", "新港",
    "云岗", "松山", "梅岭", "石门", "清河", "龙泉", "长湾", "杏坛",
)  # fmt: skip


class _Pledge(NamedTuple):
    """A commitment template: ``{n}`` is drawn from low..high, ``{place}`` from PLACES."""

    text: str
    target: str
    verifier: str
    low: int = 0
    high: int = 0


@dataclass(frozen=True)
class _Family:
    """What people in one line of work do: their posts and what they can pledge."""

    posts: tuple[str, ...]
    pledges: tuple[_Pledge, ...]
    area: str  # the 党员责任区 such a branch looks after


# fmt: off
# The content tables stay compact: one template per two lines reads like a list.
P = _Pledge
FAMILIES: dict[str, _Family] = {
    "biandian": _Family(
        ("变电运维工", "变电检修工", "继电保护工", "变电站值班员", "设备专责"),
        (
            P("全年倒闸操作零差错，完成{place}变电站设备巡视{n}次",
              "倒闸操作差错 0 次；设备巡视不少于 {n} 次", "班组长", 48, 120),
            P("全年发现并消除设备缺陷不少于{n}处，不发生因巡视不到位造成的设备异常",
              "消缺不少于 {n} 处；设备异常 0 起", "运维班班长", 15, 50),
            P("完成{place}变电站{n}套保护装置定检，定检完成率100%",
              "定检 {n} 套，完成率 100%", "继保班班长", 6, 24),
            P("牵头完成一项QC课题，年内在班组推广应用", "QC 成果 1 项并在班组应用", "部门主任"),
            P("带好{n}名新员工，年底前全部独立上岗",
              "带徒 {n} 名，全部通过独立上岗考试", "班组长", 1, 3),
        ),
        "220千伏{place}变电站",
    ),
    "shudian": _Family(
        ("输电线路工", "带电作业工", "无人机巡检员", "电缆运检工"),
        (
            P("全年完成{place}线路精细化巡视{n}公里，通道隐患当月闭环",
              "巡视 {n} 公里；隐患闭环率 100%", "运检班班长", 300, 900),
            P("完成带电作业{n}次，实现零事故、零差错", "带电作业 {n} 次；事故 0 起",
              "带电作业班班长", 10, 40),
            P("应用无人机完成杆塔精细化巡检{n}基", "无人机巡检 {n} 基", "中心主任", 200, 800),
            P("汛期前完成{place}线路{n}处防汛隐患排查治理", "治理 {n} 处，按期完成率 100%",
              "专业专责", 5, 20),
        ),
        "110千伏{place}线输电通道",
    ),
    "peidian": _Family(
        ("配电线路工", "配网抢修工", "电缆运检工", "配网自动化运维工"),
        (
            P("辖区配网故障抢修平均到达现场时间不超过{n}分钟", "平均到达时间不超过 {n} 分钟",
              "抢修班班长", 25, 45),
            P("全年完成{place}片区配电线路巡视{n}条次，缺陷当月闭环",
              "巡视 {n} 条次；缺陷闭环率 100%", "运检班班长", 60, 200),
            P("配网自动化终端在线率保持在{n}%以上", "终端在线率不低于 {n}%", "配网专责", 95, 99),
            P("完成{n}台配变三相负荷不平衡治理", "治理 {n} 台", "班组长", 10, 40),
        ),
        "{place}片区配网",
    ),
    "shiyan": _Family(
        ("高压试验工", "化学试验工", "仪表校验工"),
        (
            P("完成{n}台设备预防性试验，试验报告合格率100%", "试验 {n} 台；报告合格率 100%",
              "试验班班长", 50, 200),
            P("完成{n}份油样化验，数据上传及时率100%", "化验 {n} 份；上传及时率 100%",
              "化学班班长", 200, 600),
            P("完成{n}块仪表校验，校验零差错", "校验 {n} 块；差错 0 次", "中心主任", 100, 500),
        ),
        "{place}变电站试验区",
    ),
    "diaodu": _Family(
        ("电力调度员", "监控值班员", "自动化运维工", "运行方式专责"),
        (
            P("全年调度指令零差错，下达倒闸操作指令{n}项", "指令差错 0 次；指令 {n} 项",
              "调度班班长", 300, 900),
            P("监控告警信息处置及时率100%，全年处置告警信息{n}条", "处置 {n} 条；及时率 100%",
              "监控班班长", 2000, 6000),
            P("完成{n}座变电站自动化信息联调验收", "联调验收 {n} 座，一次通过",
              "自动化班班长", 3, 12),
            P("完成{n}次迎峰度夏（冬）运行方式校核", "方式校核 {n} 次", "中心主任", 2, 6),
        ),
        "调度监控大厅",
    ),
    "yingxiao": _Family(
        ("营销客户经理", "抄表核算员", "用电检查员", "电费回收专责", "电能计量工"),
        (
            P("电费回收率保持100%，全年无新增欠费", "电费回收率 100%", "班组长"),
            P("完成{n}户高压客户用电安全检查，隐患告知率100%",
              "检查 {n} 户；隐患书面告知率 100%", "用电检查班班长", 40, 150),
            P("抄表核算差错率控制在0.01%以下", "差错率低于 0.01%", "核算班班长"),
            P("完成{n}只智能电表现场校验，校验合格率100%", "校验 {n} 只；合格率 100%",
              "计量班班长", 200, 800),
            P("业扩报装平均接电时间压缩至{n}个工作日以内", "平均接电时间不超过 {n} 个工作日",
              "部门主任", 5, 15),
        ),
        "营业厅优质服务区",
    ),
    "kefu": _Family(
        ("客户服务专员", "热线坐席员", "投诉处理专责", "营业厅服务员"),
        (
            P("全年受理客户诉求{n}件，回访满意率不低于98%", "受理 {n} 件；满意率不低于 98%",
              "班组长", 800, 3000),
            P("客户投诉一次办结率达到{n}%以上", "一次办结率不低于 {n}%", "中心主任", 90, 98),
            P("编写{n}条常见问题标准答复口径，供班组共享", "答复口径 {n} 条", "班组长", 20, 60),
        ),
        "客户服务大厅",
    ),
    "gongdiansuo": _Family(
        ("台区经理", "配电线路工", "营业厅服务员", "农网运维工", "用电检查员"),
        (
            P("负责的{n}个台区线损率全部达标", "达标台区 {n} 个", "所长", 8, 30),
            P("台区客户走访全覆盖，全年走访{n}户", "走访 {n} 户", "所长", 200, 800),
            P("城区低压故障报修到达现场时间不超过45分钟", "到达现场不超过 45 分钟", "副所长"),
            P("完成{place}村{n}户老旧表箱更换", "更换 {n} 户", "所长", 30, 150),
        ),
        "{place}台区",
    ),
    "caiwu": _Family(
        ("会计", "出纳", "预算专责", "资产管理专责", "税务专责"),
        (
            P("报销单据审核零差错，平均审核时间不超过{n}个工作日",
              "审核差错 0 笔；平均不超过 {n} 个工作日", "部门主任", 2, 4),
            P("完成{n}项工程竣工决算，按期完成率100%", "决算 {n} 项；按期率 100%",
              "部门主任", 10, 40),
            P("全年资金支付零差错，按月完成银行对账", "支付差错 0 笔；对账 12 次", "部门副主任"),
            P("完成固定资产盘点{n}项，账卡物一致率100%", "盘点 {n} 项；一致率 100%",
              "部门副主任", 500, 3000),
        ),
        "财务共享服务窗口",
    ),
    "renli": _Family(
        ("人事专责", "薪酬专责", "培训专责", "社保专责"),
        (
            P("全年组织培训{n}期，培训满意率不低于95%", "培训 {n} 期；满意率不低于 95%",
              "部门主任", 10, 30),
            P("薪酬核算发放零差错，按时发放率100%", "差错 0 笔；按时率 100%", "部门主任"),
            P("完成{n}名新员工入职培训与岗位认证", "认证 {n} 名", "部门副主任", 10, 40),
        ),
        "员工服务窗口",
    ),
    "dangjian": _Family(
        ("党建专责", "宣传专责", "组织专责", "工会干事", "团委干事"),
        (
            P("全年编发党建工作简报{n}期，按月报送党建信息", "简报 {n} 期；信息 12 次",
              "部门主任", 12, 24),
            P("完成{n}个党支部标准化建设指导，达标率100%", "指导 {n} 个；达标率 100%",
              "部门主任", 10, 31),
            P("在上级媒体刊发宣传稿件{n}篇以上", "刊发不少于 {n} 篇", "部门副主任", 10, 30),
            P("党员发展档案审核零差错，按期完成党费核定", "档案差错 0 份；按期核定", "部门主任"),
        ),
        "党员活动室",
    ),
    "bangong": _Family(
        ("文秘", "综合管理专责", "档案管理员", "法律事务专责"),
        (
            P("公文处理零差错，平均办理时间不超过{n}个工作日",
              "公文差错 0 件；平均不超过 {n} 个工作日", "部门主任", 2, 3),
            P("完成{n}卷档案数字化整理，年底前全部入库", "整理 {n} 卷", "部门副主任", 300, 1500),
            P("全年完成合同法律审核{n}份，审核意见按时出具率100%", "审核 {n} 份；按时率 100%",
              "部门主任", 100, 400),
            P("保障各类会议{n}次，会务服务零差错", "会务 {n} 次；差错 0 次", "部门主任", 50, 150),
        ),
        "综合楼服务区",
    ),
    "anjian": _Family(
        ("安全监察专责", "质量监督专责", "应急管理专责"),
        (
            P("全年开展作业现场安全稽查{n}次，发现问题闭环率100%", "稽查 {n} 次；闭环率 100%",
              "部门主任", 60, 200),
            P("组织应急演练{n}次，演练评估报告按时完成", "演练 {n} 次", "部门主任", 4, 12),
            P("完成{n}家外包单位安全资质审查", "审查 {n} 家", "部门副主任", 10, 40),
        ),
        "应急指挥中心",
    ),
    "guanli": _Family(
        ("计划专责", "项目管理专责", "统计专责", "设备管理专责", "技术监督专责"),
        (
            P("按月完成统计报表报送，数据差错为零", "报表 12 期；差错 0 处", "部门主任"),
            P("跟踪{n}个基建项目里程碑计划，按期完成率不低于95%",
              "跟踪 {n} 个；按期率不低于 95%", "部门主任", 10, 40),
            P("完成{n}项技术监督专项检查", "专项检查 {n} 项", "部门副主任", 6, 20),
        ),
        "项目管理看板区",
    ),
    "jijian": _Family(
        ("纪检专责", "审计专责", "监督专责"),
        (
            P("全年开展专项监督检查{n}次，问题线索按期处置率100%",
              "检查 {n} 次；按期处置率 100%", "纪委副书记", 4, 12),
            P("完成{n}个项目审计，审计建议采纳率不低于90%", "审计 {n} 个；采纳率不低于 90%",
              "部门主任", 5, 20),
            P("每季度开展一次廉洁风险点排查并更新台账", "排查 4 次；台账按季更新", "部门主任"),
        ),
        "廉洁文化长廊",
    ),
    "xintong": _Family(
        ("信息运维专责", "网络安全专责", "通信工", "数据管理专责"),
        (
            P("核心信息系统全年可用率不低于99.9%", "可用率不低于 99.9%", "部门主任"),
            P("全年网络安全事件为零，完成漏洞整改{n}项", "安全事件 0 起；整改 {n} 项",
              "部门主任", 20, 80),
            P("完成{n}座变电站通信设备巡检", "巡检 {n} 座", "通信班班长", 20, 60),
        ),
        "信息机房",
    ),
    "wuzi": _Family(
        ("仓储管理员", "采购专责", "物资配送员", "物资质检专责"),
        (
            P("应急物资账实相符率100%，全年完成库存盘点{n}次", "盘点 {n} 次；相符率 100%",
              "中心主任", 4, 12),
            P("抽检到货物资{n}批次，不合格物资零入库", "抽检 {n} 批次；不合格入库 0 批",
              "中心主任", 50, 200),
            P("物资配送及时率达到{n}%以上", "及时率不低于 {n}%", "班组长", 95, 99),
        ),
        "应急物资仓库",
    ),
    "houqin": _Family(
        ("后勤管理专责", "车辆调度员", "食堂管理员", "物业管理员"),
        (
            P("全年车辆安全行驶零事故，派车响应时间不超过{n}分钟",
              "事故 0 起；响应不超过 {n} 分钟", "中心主任", 15, 30),
            P("职工食堂满意度测评不低于{n}分", "满意度不低于 {n} 分", "中心主任", 90, 96),
            P("办公楼设施报修{n}小时内响应", "响应不超过 {n} 小时", "班组长", 2, 4),
        ),
        "职工食堂",
    ),
}

LEADER_PLEDGES = (
    P("全年到基层党支部讲党课、调研不少于{n}次", "讲党课、调研 {n} 次", "公司党委", 4, 12),
    P("推动{n}项党建与业务融合项目落地见效", "融合项目 {n} 项", "公司党委", 2, 5),
    P("牵头解决职工急难愁盼问题{n}件", "解决 {n} 件", "公司党委", 5, 12),
)

SERVICE_PLEDGES = (
    P("每月为新员工讲授一次安全规程", "全年授课 12 次", "班组长"),
    P("每季度组织一次“党员讲技术”小课堂", "全年 4 次，每次参加不少于 {n} 人", "支部书记", 8, 20),
    P("结对帮扶{n}名青年员工提升业务技能", "结对 {n} 名，年底技能考核全部合格",
      "支部组织委员", 1, 3),
    P("认领并帮助实现{n}个职工微心愿", "实现微心愿 {n} 个", "支部书记", 1, 3),
    P("每季度走访一次困难职工或退休老党员", "全年走访不少于 4 次", "工会小组长"),
    P("参加党员服务队志愿服务不少于{n}次", "志愿服务 {n} 次以上", "服务队队长", 4, 12),
    P("每月开展一次安全隐患“随手拍”，带动身边职工参与", "全年上报隐患不少于 {n} 条",
      "安全员", 12, 36),
    P("主动收集职工意见建议，每季度向支部反映不少于{n}条", "每季度不少于 {n} 条",
      "支部书记", 2, 5),
    P("到社区或学校开展安全用电宣传{n}次", "宣传 {n} 次，留存活动照片", "支部宣传委员", 2, 6),
    P("为班组整理一套岗位技能题库并每季度更新", "题库不少于 {n} 题", "班组长", 100, 300),
    P("帮助{n}名同事通过技能等级评价", "通过 {n} 名", "部门主任", 1, 3),
    P("每月带头参加一次班组“安全日”活动并作交流发言", "全年 12 次", "班组长"),
    P("为{place}社区独居老人提供上门用电检查，全年不少于{n}户", "上门 {n} 户",
      "支部书记", 10, 40),
    P("结对联系一户乡村振兴帮扶户，每季度上门一次", "全年上门 4 次", "支部书记"),
    P("在班组内推广一项“小改小革”成果", "推广应用 1 项", "班组长"),
    P("每季度为身边职工讲解一次与其相关的政策制度", "全年 4 次", "支部宣传委员"),
)
del P
# fmt: on


@dataclass(frozen=True)
class _Dept:
    """A department a branch covers; ``line`` is the key of its 党总支, if any."""

    name: str
    slug: str
    family: str
    line: str | None
    head_office: bool = False
    big: bool = False


# A 党总支's short name and the part of the company it covers.
LINES = {
    "yunjian": ("运检", "运检系统"),
    "yingxiao": ("营销", "营销系统"),
    "jiguan": ("机关", "公司本部"),
}

# In org-chart order: branches are numbered in this order.
DEPTS = (
    _Dept("运维检修部", "yunwei", "biandian", "yunjian", big=True),
    _Dept("变电运维中心", "biandian", "biandian", "yunjian", big=True),
    _Dept("输电运检中心", "shudian", "shudian", "yunjian", big=True),
    _Dept("配电运检中心", "peidian", "peidian", "yunjian", big=True),
    _Dept("检修试验中心", "shiyan", "shiyan", "yunjian"),
    _Dept("营销服务中心", "yingxiao", "yingxiao", "yingxiao", big=True),
    _Dept("客户服务中心", "kefu", "kefu", "yingxiao"),
    _Dept("电能计量中心", "jiliang", "yingxiao", "yingxiao"),
    _Dept("办公室", "bangong", "bangong", "jiguan", head_office=True),
    _Dept("党建工作部", "dangjian", "dangjian", "jiguan", head_office=True),
    _Dept("人力资源部", "renli", "renli", "jiguan", head_office=True),
    _Dept("财务资产部", "caiwu", "caiwu", "jiguan", head_office=True),
    _Dept("安全监察部", "anjian", "anjian", "jiguan", head_office=True),
    _Dept("发展策划部", "fazhan", "guanli", "jiguan", head_office=True),
    _Dept("设备管理部", "shebei", "guanli", "jiguan", head_office=True),
    _Dept("纪委办公室", "jiwei", "jijian", "jiguan", head_office=True),
    _Dept("审计部", "shenji", "jijian", "jiguan", head_office=True),
    _Dept("科技数字化部", "keji", "xintong", "jiguan", head_office=True),
    _Dept("电力调度控制中心", "diaodu", "diaodu", None),
    _Dept("信息通信分公司", "xintong", "xintong", None),
    _Dept("物资供应中心", "wuzi", "wuzi", None),
    _Dept("后勤服务中心", "houqin", "houqin", None),
    _Dept("城区供电所", "chengqu", "gongdiansuo", None, big=True),
    _Dept("东郊供电所", "dongjiao", "gongdiansuo", None),
    _Dept("西山供电所", "xishan", "gongdiansuo", None),
    _Dept("南湖供电所", "nanhu", "gongdiansuo", None),
    _Dept("北岭供电所", "beiling", "gongdiansuo", None),
    _Dept("河口供电所", "hekou", "gongdiansuo", None),
)
# With fewer branches than departments, take them in this mixed order (field and office).
PICK_ORDER = (
    "yunwei", "bangong", "chengqu", "diaodu", "caiwu", "yingxiao", "biandian", "dangjian",
    "shudian", "kefu", "renli", "peidian", "dongjiao", "anjian", "xintong", "jiliang",
    "fazhan", "shiyan", "xishan", "wuzi", "shebei", "nanhu", "jiwei", "houqin",
    "beiling", "shenji", "hekou", "keji",
)  # fmt: skip

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢"
    "蒋蔡贾丁魏薛叶闫余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵"
    "孟龙万段雷钱汤尹黎易常武乔贺赖龚"
)
GIVEN_FIRST = "建志文海晓静雪春秋亚晨思佳欣锦玉振立永国家新红庆金兰少宏若雨子慧淑秀云嘉安"
GIVEN_SECOND = "华军伟涛峰宁琳婷瑶楠斌辉勇强平明刚杰鹏宇飞敏艳娟芳萍磊超鑫悦诚彬蕾洁怡晖昊然博航睿"
# Combinations the pools can make that name well-known people; never generated.
FAMOUS = frozenset(
    (
        "黄晓明", "陈建斌", "杨振宁", "邓亚萍", "胡春华", "何立峰", "李建国", "王志刚",
        "袁家军", "王文涛", "王志飞", "王海峰", "马晓春", "张国立", "王志文", "李雪健",
    )
)  # fmt: skip


class _Names:
    """Fictional three-character names from the pools above."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def one(self) -> str:
        while True:
            rng = self.rng
            name = rng.choice(SURNAMES) + rng.choice(GIVEN_FIRST) + rng.choice(GIVEN_SECOND)
            if name not in FAMOUS:
                return name

    def distinct(self, count: int) -> list[str]:
        """``count`` names without repeats, so nobody in one branch shares a name."""
        seen: dict[str, None] = {}
        while len(seen) < count:
            seen.setdefault(self.one())
        return list(seen)


_DIGITS = "零一二三四五六七八九"


def _chinese_number(n: int) -> str:
    """1 -> 一, 12 -> 十二, 105 -> 一百零五: how branches are numbered in their names."""
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n >= 100_000:
        return str(n)
    text, zero = "", False
    for power, unit in ((10_000, "万"), (1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // power % 10
        if digit:
            text += ("零" if zero else "") + _DIGITS[digit] + unit
        zero = bool(text) and not digit
    return text


# -------------------------------------------------------------- the world


@dataclass
class _Person:
    id: str
    name: str
    post: str
    role: str
    group: str | None = None


@dataclass
class _Branch:
    """One 党支部 and everything later sections need to know about it."""

    index: int
    id: str
    name: str
    dept: _Dept
    spans: list[tuple[str, str]]
    quality: float  # 0..1: how well it tends to score; drives its quarterly deductions
    parent: str = COMMITTEE_ID
    people: list[_Person] = field(default_factory=list)
    groups: list[tuple[str, str, str | None]] = field(default_factory=list)

    @property
    def family(self) -> _Family:
        return FAMILIES[self.dept.family]

    @property
    def unit_type(self) -> str:
        return "本部" if self.dept.head_office else "基层单位"

    @property
    def secretary(self) -> _Person:
        return self.people[0]

    def category(self, quarter: str) -> str:
        return [cat for since, cat in self.spans if since <= quarter][-1]


@dataclass
class _Zongzhi:
    id: str
    name: str
    unit: str
    children: list[_Branch] = field(default_factory=list)
    secretary: str | None = None


@dataclass
class _Scored:
    """One branch's assessment in one quarter, kept to rank it and pick the blue list."""

    branch: _Branch
    category: str
    maxima: dict[str, float]
    scores: dict[str, float]
    extra: dict[str, float]
    inspected_on: dt.date
    deductions: list[tuple[str, float, str]] = field(default_factory=list)

    @property
    def base(self) -> float:
        return sum(self.scores.values()) - sum(points for _, points, _ in self.deductions)

    def room(self, dimension: str) -> float:
        """Points a dimension can still lose: deductions never exceed the points awarded."""
        taken = sum(points for dim, points, _ in self.deductions if dim == dimension)
        return self.scores[dimension] - taken


@dataclass
class _World:
    shape: DemoShape
    quarters: list[str]
    branches: list[_Branch]
    zongzhi: list[_Zongzhi]
    chair: str | None
    scored: dict[str, list[_Scored]] = field(default_factory=dict)
    published: dict[str, dt.date] = field(default_factory=dict)

    @property
    def first_day(self) -> dt.date:
        return _quarter_start(self.quarters[0])

    @property
    def has_v2(self) -> bool:
        return self.quarters[0] < V2_FROM <= self.quarters[-1]

    def maxima(self, quarter: str, category: str) -> dict[str, float]:
        table = MAXIMA_V2 if self.has_v2 and quarter >= V2_FROM else MAXIMA_V1
        return dict(zip(DIMENSIONS, map(float, table[category]), strict=True))


def _build_world(shape: DemoShape) -> _World:
    quarters = _quarter_list(shape.quarters)
    branches = _plan_branches(shape, quarters)
    _staff(shape, branches)
    zongzhi = _plan_zongzhi(branches, per_line=max(1, shape.branches // 100))
    chair = _appoint_leaders(branches, zongzhi)
    return _World(shape, quarters, branches, zongzhi, chair)


# ----------------------------------------------------------- organizations


def _plan_branches(shape: DemoShape, quarters: list[str]) -> list[_Branch]:
    rng = _rng(shape, "organizations")
    spans = _category_spans(rng, shape.branches, quarters)
    plan = _dept_sequence(shape.branches)
    return [
        _branch(rng, i, dept, k, count, spans[i], shape.branches)
        for i, (dept, k, count) in enumerate(plan)
    ]


def _branch(
    rng: random.Random, i: int, dept: _Dept, k: int, count: int,
    spans: list[tuple[str, str]], total: int,
) -> _Branch:  # fmt: skip
    name = f"{dept.name}{f'第{_chinese_number(k)}' if count > 1 else ''}党支部"
    low = {"Ⅰ": 0.5, "Ⅱ": 0.4, "Ⅲ": 0.2}[spans[0][1]]  # weaker branches sit in Ⅲ
    return _Branch(i, _branch_id(i, dept, k, total), name, dept, spans, rng.uniform(low, 1.0))


def _branch_id(i: int, dept: _Dept, k: int, total: int) -> str:
    """``b01-yunwei`` while short readable ids fit; ``b00001`` style for large shapes."""
    if total > 99:
        return f"b{i + 1:0{max(4, len(str(total)))}d}"
    return f"b{i + 1:02d}-{dept.slug}" + (f"-{k}" if k > 1 else "")


def _dept_sequence(total: int) -> list[tuple[_Dept, int, int]]:
    """The department of each branch, in org-chart order, numbered within it."""
    counts = _dept_counts(total)
    return [
        (dept, k, count)
        for dept, count in zip(DEPTS, counts, strict=True)
        for k in range(1, count + 1)
    ]


def _dept_counts(total: int) -> list[int]:
    if total <= len(DEPTS):
        chosen = set(PICK_ORDER[:total])
        return [int(dept.slug in chosen) for dept in DEPTS]
    counts = [1] * len(DEPTS)
    # Large departments take the extra branches first (twice per round), then everyone.
    cycle = [i for i, dept in enumerate(DEPTS) if dept.big] * 2 + list(range(len(DEPTS)))
    for j in range(total - len(DEPTS)):
        counts[cycle[j % len(cycle)]] += 1
    return counts


def _category_spans(
    rng: random.Random, total: int, quarters: list[str]
) -> list[list[tuple[str, str]]]:
    """Split branches about 11/11/9 over Ⅰ/Ⅱ/Ⅲ; one Ⅱ branch later moves up to Ⅰ."""
    order = list(range(total))
    rng.shuffle(order)
    first, second = round(total * 11 / 31), round(total * 11 / 31)
    cats = ["Ⅰ"] * first + ["Ⅱ"] * second + ["Ⅲ"] * (total - first - second)
    spans: list[list[tuple[str, str]]] = [[] for _ in range(total)]
    for position, index in enumerate(order):
        spans[index] = [(quarters[0], cats[position])]
    change = _change_quarter(quarters)
    if change and second:
        spans[order[first]].append((change, "Ⅰ"))
    return spans


def _change_quarter(quarters: list[str]) -> str | None:
    if quarters[0] < V2_FROM <= quarters[-1]:
        return V2_FROM  # the category review came with the revised rules
    return quarters[len(quarters) // 2] if len(quarters) > 1 else None


def _plan_zongzhi(branches: list[_Branch], per_line: int) -> list[_Zongzhi]:
    """Group each line's branches under its 党总支 (more than one per line when large)."""
    by_line: dict[str, list[_Branch]] = {}
    for branch in branches:
        if branch.dept.line:
            by_line.setdefault(branch.dept.line, []).append(branch)
    found: list[_Zongzhi] = []
    for line, members in by_line.items():
        found += _line_zongzhi(line, members, min(per_line, len(members)))
    return found


def _line_zongzhi(line: str, members: list[_Branch], count: int) -> list[_Zongzhi]:
    short, unit = LINES[line]
    made = [
        _Zongzhi(
            f"zz-{line}" + (f"-{j + 1}" if count > 1 else ""),
            f"{short}{f'第{_chinese_number(j + 1)}' if count > 1 else ''}党总支",
            unit,
        )
        for j in range(count)
    ]
    for position, branch in enumerate(members):
        # Contiguous blocks, so each 党总支 covers neighbouring branches.
        zongzhi = made[position * count // len(members)]
        zongzhi.children.append(branch)
        branch.parent = zongzhi.id
    return made


def _org_files(world: _World) -> Iterator[tuple[str, Record]]:
    yield f"organizations/{COMMITTEE_ID}.yaml", _committee_record(world.chair)
    for zongzhi in world.zongzhi:
        yield f"organizations/{zongzhi.id}.yaml", _zongzhi_record(zongzhi)
    for branch in world.branches:
        yield f"organizations/{branch.id}.yaml", _branch_record(branch)


def _committee_record(chair: str | None) -> Record:
    return _compact(
        {
            "id": COMMITTEE_ID,
            "name": f"中共{COMPANY}委员会",
            "kind": "党委",
            "unit": COMPANY,
            "secretary": chair,
        }
    )


def _zongzhi_record(zongzhi: _Zongzhi) -> Record:
    return _compact(
        {
            "id": zongzhi.id,
            "name": zongzhi.name,
            "kind": "党总支",
            "parent": COMMITTEE_ID,
            "unit": zongzhi.unit,
            "secretary": zongzhi.secretary,
        }
    )


def _branch_record(branch: _Branch) -> Record:
    return {
        "id": branch.id,
        "name": branch.name,
        "kind": "党支部",
        "parent": branch.parent,
        "unit": branch.dept.name,
        "unit_type": branch.unit_type,
        "secretary": branch.secretary.id,
        "categories": [{"from": since, "category": cat} for since, cat in branch.spans],
        "groups": [_compact({"id": g, "name": n, "leader": lead}) for g, n, lead in branch.groups],
    }


def _site() -> Record:
    return {
        "company": COMPANY,
        "title": "党建公示栏",
        "committee": COMMITTEE_ID,
        "disclosure": {"office": "党建工作部", "contact": "党建工作部（综合楼 305 室）", "days": 7},
    }


# ------------------------------------------------------------------ members


def _staff(shape: DemoShape, branches: list[_Branch]) -> None:
    """Give every branch its members, roles and 党小组; ids run m0001.. across branches."""
    rng = _rng(shape, "members")
    names = _Names(rng)
    width = max(4, len(str(shape.members)))
    next_id = 1
    for branch, size in zip(branches, _branch_sizes(rng, branches, shape.members), strict=True):
        ids = [f"m{n:0{width}d}" for n in range(next_id, next_id + size)]
        branch.people = _people(rng, branch, ids, names.distinct(size))
        branch.groups = _groups(branch)
        next_id += size


def _branch_sizes(rng: random.Random, branches: list[_Branch], total: int) -> list[int]:
    """About the same number per branch (±30%, more in big departments), summing to total."""
    weights = [rng.uniform(0.75, 1.3) * (1.2 if b.dept.big else 1.0) for b in branches]
    scale = total / sum(weights)
    sizes = [max(1, int(w * scale)) for w in weights]
    _even_out(sizes, total)
    return sizes


def _even_out(sizes: list[int], total: int) -> None:
    """Add or take one member per branch in turn until the sizes sum to ``total``."""
    diff, i = total - sum(sizes), 0
    while diff:
        j = i % len(sizes)
        if diff > 0 or sizes[j] > 1:
            step = 1 if diff > 0 else -1
            sizes[j] += step
            diff -= step
        i += 1


def _people(rng: random.Random, branch: _Branch, ids: list[str], names: list[str]) -> list[_Person]:
    roles = _roles(rng, len(ids))
    groups = [f"{branch.id}-g{j + 1}" for j in range(_group_count(len(ids)))]
    leaders = [i for i, role in enumerate(roles) if role == "党小组组长"]
    people = []
    for i, (pid, name, role) in enumerate(zip(ids, names, roles, strict=True)):
        group = groups[leaders.index(i)] if i in leaders else groups[i % len(groups)]
        people.append(_Person(pid, name, _post(rng, branch, role), role, group))
    return people


def _group_count(size: int) -> int:
    return 2 if size >= 12 else 1


def _roles(rng: random.Random, size: int) -> list[str]:
    """Secretary first, then the branch committee, group leaders, members, probationers."""
    committee = ["支部书记", "组织委员", "宣传委员", "纪检委员"] if size >= 6 else ["支部书记"]
    if size >= 16 and rng.random() < 0.4:
        committee.append("青年委员")
    leaders = ["党小组组长"] * _group_count(size)
    probationers = ["预备党员"] * rng.choice((0, 0, 1, 1, 2))
    roles = (committee + leaders)[:size]
    rest = size - len(roles)
    probationers = probationers[: max(0, rest - 1)]
    return roles + ["党员"] * (rest - len(probationers)) + probationers


def _post(rng: random.Random, branch: _Branch, role: str) -> str:
    if role == "支部书记":  # usually the department's deputy head
        return "副所长" if branch.dept.name.endswith("所") else "副主任"
    return rng.choice(branch.family.posts)


def _groups(branch: _Branch) -> list[tuple[str, str, str | None]]:
    count = _group_count(len(branch.people))
    leaders = [p.id for p in branch.people if p.role == "党小组组长"]
    return [
        (
            f"{branch.id}-g{j + 1}",
            f"第{_chinese_number(j + 1)}党小组" if count > 1 else "党小组",
            leaders[j] if j < len(leaders) else None,
        )
        for j in range(count)
    ]


def _appoint_leaders(branches: list[_Branch], zongzhi: list[_Zongzhi]) -> str | None:
    """Committee and general-branch secretaries are members of an ordinary branch."""
    office = _first_branch(branches, "bangong")
    chair = _promote(office, "党委书记", "党委书记、董事长")
    _promote(_first_branch(branches, "dangjian"), "党委副书记", "党委副书记（专职）")
    for general in zongzhi:
        general.secretary = _promote(general.children[0], "总支书记", "主任")
    return chair


def _first_branch(branches: list[_Branch], slug: str) -> _Branch:
    by_slug = [b for b in branches if b.dept.slug == slug]
    head_office = [b for b in branches if b.dept.head_office]
    return (by_slug or head_office or branches)[0]


def _promote(branch: _Branch, role: str, post: str) -> str | None:
    """Give the branch's first plain 党员 a leading role; None if it has none to spare."""
    for person in branch.people:
        if person.role == "党员":
            person.role, person.post = role, post
            return person.id
    return None


def _member_files(world: _World) -> Iterator[tuple[str, Record]]:
    for branch in world.branches:
        members = [
            _compact({"id": p.id, "name": p.name, "post": p.post, "role": p.role, "group": p.group})
            for p in branch.people
        ]
        yield f"members/{branch.id}.yaml", {"branch": branch.id, "members": members}


# -------------------------------------------------------------------- rules

TIES = (
    "基础得分相同的党组织并列同一名次，其后名次顺延；"
    "红榜或蓝榜分界处出现并列时，并列的党组织全部上榜。"
)


def _rule_files(world: _World) -> Iterator[tuple[str, Record]]:
    first = world.quarters[0]
    year = first[:4]
    title = f"基层党建工作季度差异化积分考核评价实施方案（{year}年版）"
    yield f"rules/{year}-v1.yaml", _rules(f"{year}-v1", title, first, MAXIMA_V1)
    if world.has_v2:
        title = "基层党建工作季度差异化积分考核评价实施方案（2025年修订版）"
        yield "rules/2025-v2.yaml", _rules("2025-v2", title, V2_FROM, MAXIMA_V2)


def _rules(rule_id: str, title: str, since: str, maxima: Mapping[str, tuple[int, ...]]) -> Record:
    return {
        "id": rule_id,
        "title": title,
        "effective_from": since,
        "dimensions": [
            {"name": name, "max": {cat: maxima[cat][i] for cat in CATEGORIES}}
            for i, name in enumerate(DIMENSIONS)
        ],
        "extra_items": [
            {"name": "贡献度", "applies_to": "基层单位", "max": 5},
            {"name": "融合度", "applies_to": "本部", "max": 5},
        ],
        "categories": {
            "Ⅰ": _ranked_lists(),
            "Ⅱ": _ranked_lists(),
            "Ⅲ": {"blue": {"below": _num(BLUE_BELOW), "adjustment": -0.5}},
        },
        "ties": TIES,
        "yearly_weight": 0.3,
    }


def _ranked_lists() -> Record:
    # A fresh dict per category: a shared one would be dumped as a YAML anchor and alias.
    return {"red": {"top": 1, "adjustment": 1.5}, "blue": {"bottom": 1, "adjustment": -1.5}}


# -------------------------------------------------------------- assessments

REASONS = {
    "政治建设": (
        "“第一议题”学习记录不完整", "理论学习计划未按期执行",
        "意识形态工作责任制台账未及时更新", "重大事项前置研究记录缺失",
    ),
    "党建责任": (
        "党建工作责任清单未逐级签订", "书记抓党建述职问题整改未闭环",
        "党建与业务融合项目未按计划推进", "党风廉政建设责任书签订不全",
    ),
    "组织建设": (
        "三会一课记录不完整", "支委会未按月召开", "党员发展程序材料不规范",
        "组织关系转接未及时办理", "党小组会记录缺少签到",
    ),
    "党员教育": (
        "主题党日未按计划开展", "党员学习积分未按月统计",
        "党课未结合业务实际", "组织生活会问题整改未闭环",
    ),
    "思想文化和统战": (
        "职工思想动态分析未按季度开展", "宣传信息报送不足",
        "统战对象联系台账不完整", "文化阵地内容未及时更新",
    ),
    "团青工作": (
        "青年员工座谈会未按计划召开", "团员教育评议资料缺失", "青年创新创效活动记录不完整",
    ),
    "队伍建设": (
        "党务干部培训未达到规定学时", "党员示范岗季度自评资料缺失", "双承诺履责记录不完整",
    ),
    "日常工作": (
        "党费收缴台账不规范", "党建信息系统数据未及时录入",
        "上级通知落实情况未按时报送", "公示栏内容未及时更新",
    ),
}  # fmt: skip
NOTICE_NUMBERS = {1: 15, 2: 31, 3: 46, 4: 3}  # Q4 results are published in January


def _assessment_files(world: _World) -> Iterator[tuple[str, Record]]:
    rng = _rng(world.shape, "assessments")
    tie_quarter = world.quarters[-2] if len(world.quarters) > 1 else world.quarters[-1]
    for quarter in world.quarters:
        info = _quarter_info(rng, quarter)
        world.published[quarter] = info["published"]
        yield f"assessments/{quarter}/_quarter.yaml", info
        scored = [_score(rng, world, branch, quarter, info) for branch in world.branches]
        _settle_lines(rng, scored, deliberate_tie=quarter == tie_quarter)
        world.scored[quarter] = scored
        for s in scored:
            yield f"assessments/{quarter}/{s.branch.id}.yaml", _assessment_record(s, quarter)


def _quarter_info(rng: random.Random, quarter: str) -> Record:
    """Inspection in the quarter's last month; the notice about two weeks later."""
    year, q = int(quarter[:4]), int(quarter[5])
    start = dt.date(year, 3 * q, rng.randint(8, 14))
    end = _after(rng, start, 5, 9)
    published = _after(rng, end, 8, 14)
    number = NOTICE_NUMBERS[q] + rng.randint(0, 3)
    return {
        "quarter": quarter,
        "inspection_start": start,
        "inspection_end": end,
        "notice_number": f"示例党〔{published.year}〕{number}号",
        "published": published,
    }


def _score(
    rng: random.Random, world: _World, branch: _Branch, quarter: str, info: Record
) -> _Scored:
    category = branch.category(quarter)
    maxima = world.maxima(quarter, category)
    # Points awarded are mostly the maximum; what was lost is explained by deductions.
    scores = {name: top - (0.5 if rng.random() < 0.06 else 0) for name, top in maxima.items()}
    extra_item = "融合度" if branch.dept.head_office else "贡献度"
    extra = {extra_item: _halves(rng, 2.5, 5)}
    day = _day_between(rng, info["inspection_start"], info["inspection_end"])
    scored = _Scored(branch, category, maxima, scores, extra, day)
    _deduct_steps(rng, scored, _loss_steps(rng, branch, category))
    return scored


def _loss_steps(rng: random.Random, branch: _Branch, category: str) -> int:
    """How many half points the inspection takes: more for weaker branches and for Ⅲ."""
    mean = 0.5 + 5 * (1 - branch.quality) + (1.0 if category == "Ⅲ" else 0)
    return max(0, round(rng.gauss(mean, 1.6)))


def _deduct_steps(rng: random.Random, scored: _Scored, steps: int) -> None:
    for half_points in _split(rng, steps):
        _deduct(rng, scored, half_points / 2)


def _split(rng: random.Random, steps: int) -> list[int]:
    """Split half points into problems of 0.5 to 2 points, at most four when possible."""
    if steps <= 0:
        return []
    fewest = -(-steps // 4)
    parts = [1] * rng.randint(fewest, max(fewest, min(4, steps)))
    for _ in range(steps - len(parts)):
        parts[rng.choice([i for i, p in enumerate(parts) if p < 4])] += 1
    return parts


def _deduct(rng: random.Random, scored: _Scored, points: float) -> None:
    dims = [name for name in scored.scores if scored.room(name) >= points]
    if not dims:
        return
    dim = rng.choice(dims)
    used = {reason for _, _, reason in scored.deductions}
    reasons = [r for r in REASONS[dim] if r not in used] or list(REASONS[dim])
    scored.deductions.append((dim, points, rng.choice(reasons)))


def _settle_lines(rng: random.Random, scored: list[_Scored], deliberate_tie: bool) -> None:
    """One clear first and last per ranked category, except for one deliberate tie.

    Half-point scores tie often; a tie exactly at the red or blue line should be the
    rare case the ``ties`` rule is about, so the sample shows it once, on purpose.
    """
    for category in ("Ⅰ", "Ⅱ"):
        group = [s for s in scored if s.category == category]
        if len(group) < 2:
            continue
        tie = deliberate_tie and category == "Ⅰ"
        if tie:
            _tie_top(rng, group)
        else:
            _unique_top(rng, group)
        if not (tie and len(group) <= 2):
            _unique_bottom(rng, group)


def _tie_top(rng: random.Random, group: list[_Scored]) -> None:
    """Make the runner-up score exactly what the single leader scored: a two-way tie."""
    _unique_top(rng, group)
    best, second = sorted(group, key=lambda s: -s.base)[:2]
    second.scores = dict(second.maxima)
    second.deductions = []
    _deduct_steps(rng, second, round((sum(second.scores.values()) - best.base) * 2))


def _unique_top(rng: random.Random, group: list[_Scored]) -> None:
    best = max(s.base for s in group)
    tied = [s for s in group if s.base == best]
    keep = rng.choice(tied)
    for s in tied:
        if s is not keep:
            _lower(rng, s)


def _unique_bottom(rng: random.Random, group: list[_Scored]) -> None:
    worst = min(s.base for s in group)
    tied = [s for s in group if s.base == worst]
    if len(tied) > 1:
        _lower(rng, rng.choice(tied))


def _lower(rng: random.Random, scored: _Scored) -> None:
    """Half a point less: one more listed problem, or less awarded once four are listed."""
    if len(scored.deductions) < 4:
        _deduct(rng, scored, 0.5)
        return
    dim = next(name for name in scored.scores if scored.room(name) >= 0.5)
    scored.scores[dim] -= 0.5


def _assessment_record(scored: _Scored, quarter: str) -> Record:
    record = {
        "branch": scored.branch.id,
        "quarter": quarter,
        "inspected_on": scored.inspected_on,
        "inspection_group": INSPECTION_GROUPS[scored.branch.index % 3],
        "scores": {name: _num(value) for name, value in scored.scores.items()},
        "extra": {name: _num(value) for name, value in scored.extra.items()},
    }
    if scored.deductions:
        record["deductions"] = [
            {"dimension": dim, "points": _num(points), "reason": reason}
            for dim, points, reason in scored.deductions
        ]
    return record


# --------------------------------------------------------------- interviews

MEASURES = {
    "政治建设": "制定理论学习计划并按月检查执行，学习记录由支部书记审签",
    "党建责任": "逐级签订责任清单，建立问题整改台账并按月销号",
    "组织建设": "对照党支部工作条例补齐会议记录，支委会固定每月召开",
    "党员教育": "重新制定主题党日计划，结合业务开展并留存影像资料",
    "思想文化和统战": "每季度开展一次职工思想动态分析，形成书面报告",
    "团青工作": "按计划召开青年座谈会，建立青年创新创效活动台账",
    "队伍建设": "组织党务干部补学规定学时，完善示范岗和双承诺记录",
    "日常工作": "指定专人按月更新党费台账和系统数据，支部书记每月抽查",
}
GENERIC_PROBLEMS = (
    ("日常工作", "党建工作台账分类不清晰，资料查找困难"),
    ("队伍建设", "党员积分管理未与季度考核结果挂钩"),
)
RECHECK_NOTES = {
    "已整改": "整改事项已全部完成，佐证资料齐全",
    "部分整改": "尚有事项未完成，列入下季度继续跟踪",
    "未整改": "整改未见成效，已再次提醒支部书记",
}


def _interview_files(world: _World) -> Iterator[tuple[str, Record]]:
    """A 清单式约谈 for every blue-listed branch of every quarter."""
    rng = _rng(world.shape, "interviews")
    # One rectification item is left open past its deadline, for the overdue view.
    force_quarter = world.quarters[-2] if len(world.quarters) > 1 else world.quarters[-1]
    for i, quarter in enumerate(world.quarters):
        following = world.quarters[i + 1] if i + 1 < len(world.quarters) else None
        for n, scored in enumerate(_blue_list(world.scored[quarter])):
            force = quarter == force_quarter and n == 0
            record = _interview(rng, world, scored, quarter, following, force)
            yield f"interviews/{record['id']}.yaml", record


def _blue_list(scored: list[_Scored]) -> list[_Scored]:
    """Last of Ⅰ and of Ⅱ (all of them when tied), and every Ⅲ below the line.

    As in the ranking, a category where every branch ties (or that has only one)
    has no first or last, so nobody in it is ranked onto the blue list.
    """
    blue = [s for s in scored if s.category == "Ⅲ" and s.base < BLUE_BELOW]
    for category in ("Ⅰ", "Ⅱ"):
        group = [s for s in scored if s.category == category]
        worst = min((s.base for s in group), default=0.0)
        if len({s.base for s in group}) > 1:
            blue += [s for s in group if s.base == worst]
    return sorted(blue, key=lambda s: s.branch.index)


def _interview(
    rng: random.Random, world: _World, scored: _Scored, quarter: str,
    following: str | None, force: bool,
) -> Record:  # fmt: skip
    day = _after(rng, world.published[quarter], 5, 12)
    recheck_on = world.scored[following][scored.branch.index].inspected_on if following else None
    items = _rectifications(rng, scored, day, recheck_on, force)
    record = {
        "id": f"{quarter.lower()}-{scored.branch.id}",
        "branch": scored.branch.id,
        "quarter": quarter,
        "date": day,
        "interviewer": "公司党委书记",
        "interviewee": scored.branch.secretary.id,
        "notes": _interview_notes(scored, quarter),
        "items": items,
    }
    if following and recheck_on:
        record["recheck"] = _recheck(following, recheck_on, items)
    return record


def _interview_notes(scored: _Scored, quarter: str) -> str:
    dims = list(dict.fromkeys(dim for dim, _, _ in scored.deductions)) or ["基础工作"]
    return (
        f"{quarter} 考核基础得分 {scored.base:g} 分，列入蓝榜。约谈指出支部在"
        f"{'、'.join(dims[:3])}等方面存在薄弱环节，要求对照问题清单逐项整改，"
        "明确责任人和完成时限，下季度检查时“回头看”。"
    )


def _problems(scored: _Scored) -> list[tuple[str, str]]:
    """The biggest deductions first; at least two items, at most four."""
    ranked = sorted(scored.deductions, key=lambda d: -d[1])[:4]
    problems = [(dim, f"{reason}（{dim}扣 {points:g} 分）") for dim, points, reason in ranked]
    return problems + list(GENERIC_PROBLEMS[: max(0, 2 - len(problems))])


def _rectifications(
    rng: random.Random, scored: _Scored, day: dt.date, recheck_on: dt.date | None, force: bool
) -> list[Record]:
    owners = scored.branch.people[:4]  # the secretary and the branch committee
    items = [
        _item(rng, k, problem, MEASURES[dim], owners[k % len(owners)].id, day, recheck_on)
        for k, (dim, problem) in enumerate(_problems(scored))
    ]
    if force:
        items[-1] = _compact({**items[-1], "status": "整改中", "completed_on": None})
        items[-1]["deadline"] = min(items[-1]["deadline"], day + dt.timedelta(days=20))
    return items


def _item(
    rng: random.Random, k: int, problem: str, measure: str, owner: str,
    day: dt.date, recheck_on: dt.date | None,
) -> Record:  # fmt: skip
    deadline = _after(rng, day, 20, 45)
    # Some items are finished late, after the re-check: it then finds them 部分整改.
    done_on = _after(rng, day, 7, (deadline - day).days + 40)
    # Items of older interviews are closed by now; the latest ones are still in progress.
    done = done_on <= TODAY and (recheck_on is not None or rng.random() < 0.45)
    return _compact(
        {
            "id": f"zg-{k + 1}",
            "problem": problem,
            "measure": measure,
            "owner": owner,
            "deadline": deadline,
            "status": "已完成" if done else "整改中",
            "completed_on": done_on if done else None,
        }
    )


def _recheck(quarter: str, day: dt.date, items: list[Record]) -> Record:
    done = [it for it in items if it["status"] == "已完成" and it["completed_on"] <= day]
    result = "已整改" if len(done) == len(items) else "部分整改" if done else "未整改"
    return {"quarter": quarter, "date": day, "result": result, "note": RECHECK_NOTES[result]}


# -------------------------------------------------------------- commitments

EVIDENCE = (
    "截至{m}月底已完成目标的{pct}%，台账资料已报支部备案",
    "{m}月完成阶段任务，累计完成约{pct}%，班组长已签字确认",
    "按计划推进，累计完成{pct}%，身边同事反馈良好",
    "{m}月新增完成一批任务，累计进度{pct}%，佐证材料见班组台账",
)
FINDINGS = (
    "支部督诺：进度符合计划，佐证材料齐全",
    "支部督诺：进度略有滞后，要求下季度补齐",
    "支部督诺：完成情况良好，群众反映较好",
    "支部督诺：台账记录不够详细，已提醒补充佐证材料",
    "支部督诺：目标有望提前完成，建议总结经验在班组推广",
)
RETURN_NOTES = (
    "承诺目标不够具体，请补充量化指标和完成时限",
    "承诺内容与岗位职责结合不紧，请修改后重新提交",
)
UNMET_REASONS = (
    "因岗位调整，下半年未能继续推进，已在评议会上说明",
    "受项目计划调整影响，目标完成约八成，未全部兑现",
    "因病休假两个月，进度未达预期，次年继续推进",
)
RATINGS = ("优秀", "良好", "一般", "较差")
LEADER_ROLES = frozenset({"党委书记", "党委副书记", "总支书记"})


def _commitment_files(world: _World) -> Iterator[tuple[str, Record]]:
    """A 岗位承诺 and a 服务承诺 per member: 2025 evaluated, 2026 still under way."""
    for year in (2025, 2026):
        rng = _rng(world.shape, f"commitments-{year}")
        # The office publishes the year's approved commitments once the drafts are in.
        yield f"commitments/{year}/_year.yaml", {"year": year, "published": dt.date(year, 2, 28)}
        for branch in world.branches:
            pledges = [c for p in branch.people for c in _pledges_of(rng, year, p, branch)]
            yield (
                f"commitments/{year}/{branch.id}.yaml",
                {"branch": branch.id, "year": year, "commitments": pledges},
            )


def _pledges_of(rng: random.Random, year: int, person: _Person, branch: _Branch) -> list[Record]:
    own = LEADER_PLEDGES if person.role in LEADER_ROLES else branch.family.pledges
    return [
        _commitment(rng, year, person, "岗位承诺", rng.choice(own), "gw"),
        _commitment(rng, year, person, "服务承诺", rng.choice(SERVICE_PLEDGES), "fw"),
    ]


def _commitment(
    rng: random.Random, year: int, person: _Person, kind: str, pledge: _Pledge, suffix: str
) -> Record:
    n, place = rng.randint(pledge.low, pledge.high), rng.choice(PLACES)
    return _compact(
        {
            "id": f"c{year}-{person.id}-{suffix}",
            "member": person.id,
            "kind": kind,
            "text": pledge.text.format(n=n, place=place),
            "target": pledge.target.format(n=n, place=place) if _keep(rng, year) else None,
            "deadline": _deadline(rng, year, pledge.text) if _keep(rng, year) else None,
            "verifier": pledge.verifier if _keep(rng, year) else None,
            "progress": _progress(rng, year),
        }
    )


def _keep(rng: random.Random, year: int) -> bool:
    """Whether an optional field is filled in.

    A handful of current-year commitments lack a target, deadline or verifier: a
    later lint reports them, and the sample must give it something to find.
    """
    return year < TODAY.year or rng.random() >= 0.005


def _deadline(rng: random.Random, year: int, text: str) -> dt.date:
    """Year-long pledges end with the year; others may be due earlier."""
    if any(word in text for word in ("全年", "年内", "年底", "每月", "每季度")):
        return dt.date(year, 12, 31)
    month, day = rng.choices(((12, 31), (11, 30), (9, 30), (6, 30)), weights=(60, 15, 15, 10))[0]
    return dt.date(year, month, day)


def _progress(rng: random.Random, year: int) -> list[Record]:
    """The five steps so far: all of them for a finished year, a mix for the current one."""
    if year < TODAY.year:
        records = _published(rng, year) + _fulfilment(rng, year, checked=True)
        return [*records, _evaluation(rng, year, records[-1]["date"])]
    roll = rng.random()
    if roll < 0.09:  # still being drafted: returned, or approved but not yet public
        return _drafting(rng, year, approved=roll >= 0.04)
    records = _published(rng, year)
    if roll < 0.25:
        return records
    return records + _fulfilment(rng, year, checked=roll >= 0.62)


def _stage(stage: str, day: dt.date, **fields: Any) -> Record:
    return _compact({"stage": stage, "date": day, **fields})


def _published(rng: random.Random, year: int) -> list[Record]:
    """科学定诺 approved, then 公开承诺: only approved commitments go public."""
    records = _drafting(rng, year, approved=True)
    return [*records, _stage("公开承诺", _after(rng, records[-1]["date"], 5, 20))]


def _drafting(rng: random.Random, year: int, approved: bool) -> list[Record]:
    """科学定诺: the branch checks each draft; some go back once for a clearer target."""
    day = _day_between(rng, dt.date(year, 1, 5), dt.date(year, 1, 25))
    returned = _stage("科学定诺", day, review="退回修改", note=rng.choice(RETURN_NOTES))
    if not approved:
        return [returned]
    if rng.random() < 0.12:
        return [returned, _stage("科学定诺", _after(rng, day, 3, 10), review="审核通过")]
    return [_stage("科学定诺", day, review="审核通过")]


def _fulfilment(rng: random.Random, year: int, checked: bool) -> list[Record]:
    """履责践诺 notes, and when ``checked`` the branch's 定期督诺, ending on a check."""
    until = dt.date(year, 12, 10) if year < TODAY.year else TODAY - dt.timedelta(days=5)
    pace = rng.uniform(0.85, 1.1)
    # The first note comes before the June check, so a check always has something to check.
    first = _day_between(rng, dt.date(year, 3, 20), dt.date(year, 6, 15))
    later = [_day_between(rng, first, until) for _ in range(rng.randint(0, 2))]
    notes = [_evidence(rng, day, pace) for day in sorted([first, *later])]
    if not checked:
        return notes
    checks = [_check(rng, day) for day in _check_days(rng, year, until)]
    merged = sorted(notes + checks, key=lambda r: r["date"])
    last_check = max(i for i, r in enumerate(merged) if r["stage"] == "定期督诺")
    return merged[: last_check + 1]


def _check_days(rng: random.Random, year: int, until: dt.date) -> list[dt.date]:
    """The branch reviews commitments at the end of June and September (and in December)."""
    ends = [dt.date(year, month, 20) for month in (6, 9, 12)]
    days = [_after(rng, end, 0, 8) for end in ends if end <= until - dt.timedelta(days=8)]
    return days or [until]


def _evidence(rng: random.Random, day: dt.date, pace: float) -> Record:
    pct = min(100, round(day.timetuple().tm_yday / 330 * 100 * pace))
    text = rng.choice(EVIDENCE).format(m=day.month, pct=pct)
    return _stage("履责践诺", day, evidence=text)


def _check(rng: random.Random, day: dt.date) -> Record:
    return _stage("定期督诺", day, finding=rng.choice(FINDINGS))


def _evaluation(rng: random.Random, year: int, after: dt.date) -> Record:
    """民主评诺 at the year-end meeting: mostly 已兑现; a 未兑现 always says why."""
    day = max(after, _day_between(rng, dt.date(year, 12, 15), dt.date(year, 12, 28)))
    rating = rng.choices(RATINGS, weights=(35, 47, 15, 3))[0]
    unmet = rating == "较差" or (rating == "一般" and rng.random() < 0.15)
    satisfaction = {"优秀": 98, "良好": 93, "一般": 85, "较差": 70}[rating] - rng.randint(0, 4)
    return _stage(
        "民主评诺", day,
        rating=rating,
        outcome="未兑现" if unmet else "已兑现",
        reason=rng.choice(UNMET_REASONS) if unmet else None,
        note=f"党员大会民主评议，群众满意度 {satisfaction}%",
    )  # fmt: skip


# ------------------------------------------------------------------- wishes

WISHES = (
    "希望学习Excel数据透视表，提升报表效率",
    "想参加一次无人机操作培训",
    "希望班组休息室添置一台微波炉",
    "孩子即将中考，想请人辅导数学",
    "希望参观一次红色教育基地",
    "想学习八段锦，缓解久坐带来的颈肩不适",
    "希望有人讲解个人所得税专项附加扣除的填报",
    "想借阅一套电工技能等级评价教材",
    "希望组织一次职工子女暑期安全用电课堂",
    "想学习短视频剪辑，为班组制作宣传片",
    "希望帮老家的父母检查一次家中线路",
    "想和同事组队参加一次篮球友谊赛",
    "希望为班组配一套急救箱并学习急救知识",
    "想练好普通话朗诵，参加单位读书会",
    "希望有人教我熟练使用移动作业终端",
    "希望班组订阅几本专业技术期刊",
)
UNMET_WISH_NOTES = (
    "因培训名额已满未能实现，已登记到下一期",
    "本人工作调动后不再需要",
    "条件暂不具备，已向工会反映",
)


def _wish_files(world: _World) -> Iterator[tuple[str, Record]]:
    for year in (2025, 2026):
        rng = _rng(world.shape, f"wishes-{year}")
        names = _Names(rng)
        for branch in world.branches:
            wishes = [_wish(rng, names, year, branch, k) for k in range(rng.randint(2, 4))]
            record = {"branch": branch.id, "year": year, "wishes": wishes}
            yield f"wishes/{year}/{branch.id}.yaml", record


def _wish(rng: random.Random, names: _Names, year: int, branch: _Branch, k: int) -> Record:
    finished = year < TODAY.year
    weights = (0, 0, 85, 15) if finished else (20, 40, 40, 0)
    status = rng.choices(("待认领", "已认领", "已实现", "未实现"), weights=weights)[0]
    last = dt.date(year, 12, 20) if finished else TODAY - dt.timedelta(days=3)
    fulfilled = _day_between(rng, dt.date(year, 3, 1), last) if status == "已实现" else None
    return _compact(
        {
            "id": f"w{year}-{branch.id}-{k + 1}",
            "employee": names.one(),
            "wish": rng.choice(WISHES),
            "member": rng.choice(branch.people).id if status != "待认领" else None,
            "status": status,
            "fulfilled_on": fulfilled,
            "note": rng.choice(UNMET_WISH_NOTES) if status == "未实现" else None,
        }
    )


# -------------------------------------------------------------------- units

MOTTOS = ("零差错", "零违章", "百分百", "金牌服务", "精益求精", "安全卫士", "攻坚先锋", "细节标兵")
STANDARDS = {
    "示范岗": (
        "政治素质过硬、业务技能精湛、工作业绩突出、服务群众热情；"
        "全年无违章、无差错、无有责投诉；岗位标识规范，承诺上墙公示。"
    ),
    "责任区": (
        "责任区内设备零缺陷运行，现场安全文明生产标准化达标；"
        "党员责任人每月巡查不少于 2 次，发现问题当月闭环整改。"
    ),
    "服务队": (
        "每月开展不少于 1 次志愿服务或生产助力活动，活动有计划、有记录、有成效；"
        "服务对象满意率不低于 95%。"
    ),
    "突击队": "急难险重任务 2 小时内集结响应；检修助力任务按期完成率 100%，安全零事故。",
    "示范区": "示范区内供电可靠率不低于 99.9%，客户投诉为零；党员包片到户，每月走访一次。",
    "示范线路": "线路通道清朗、设备零缺陷；党员责任段每月巡视不少于 4 次，隐患当月闭环。",
}
ACTIVITY_TITLES = {
    "安全文明生产助力": (
        "{place}变电站安全文明生产标准化助力", "协助{place}供电所规范现场安全标识",
        "{place}线路通道清障助力", "检修现场“6S”定置管理助力", "{place}配电房环境整治",
    ),
    "机组检修助力": (
        "{n}号机组D级检修现场助力", "{place}变电站主变检修突击",
        "检修现场物资转运突击", "{place}线路停电检修突击",
    ),
}  # fmt: skip
TEAM_FAMILIES = {
    "服务队": ("biandian", "gongdiansuo"),
    "突击队": ("shiyan", "biandian", "shudian"),
    "示范区": ("gongdiansuo",),
    "示范线路": ("shudian", "peidian"),
}
WITHDRAWN_REASON = "2025 年度考评得分低于 70 分，未达到示范岗标准，经公司党委研究决定撤销。"


def _unit_files(world: _World) -> Iterator[tuple[str, Record]]:
    """一岗一区两队 and a 示范区/线路, scaled with the number of branches."""
    rng = _rng(world.shape, "units")
    factor = world.shape.branches / 31
    yield from _post_units(rng, world, max(1, round(18 * factor)))
    yield from _area_units(rng, world, max(1, round(8 * factor)))
    hosts = {kind: _team_hosts(world, kind) for kind in TEAM_FAMILIES}
    for k in range(max(1, round(factor))):
        yield _team(rng, world, "服务队", _pick(hosts["服务队"], k), k, "安全文明生产助力", 25)
        yield _team(rng, world, "突击队", _pick(hosts["突击队"], k), k, "机组检修助力", 8)
        kind = "示范线路" if k % 2 else "示范区"
        yield _showcase(rng, world, kind, _pick(hosts[kind], k), k)


def _unit_id(prefix: str, k: int, count: int) -> str:
    return f"{prefix}-{k + 1:0{max(2, len(str(count)))}d}"


def _post_units(rng: random.Random, world: _World, count: int) -> Iterator[tuple[str, Record]]:
    """示范岗: one holder each, spread over branches; every 18th one was withdrawn."""
    order = list(world.branches)
    rng.shuffle(order)
    used: set[str] = set()
    for k in range(count):
        branch = order[k % len(order)]
        free = [p for p in branch.people[1:] if p.id not in used] or [branch.secretary]
        holder = rng.choice(free)
        used.add(holder.id)
        name = f"{holder.post}“{rng.choice(MOTTOS)}”党员示范岗"
        unit_id = _unit_id("sfg", k, count)
        record = _unit(rng, world, unit_id, "示范岗", name, branch, [holder.id], k % 18 == 4)
        yield f"units/{unit_id}.yaml", record


def _area_units(rng: random.Random, world: _World, count: int) -> Iterator[tuple[str, Record]]:
    """责任区: led by the branch secretary, mostly in field units."""
    field_units = [b for b in world.branches if not b.dept.head_office] or world.branches
    step = max(1, len(field_units) // count)
    for k in range(count):
        branch = field_units[(k * step) % len(field_units)]
        area = branch.family.area.format(place=rng.choice(PLACES))
        unit_id = _unit_id("zrq", k, count)
        holders = [branch.secretary.id]
        record = _unit(rng, world, unit_id, "责任区", f"{area}党员责任区", branch, holders)
        yield f"units/{unit_id}.yaml", record


def _team_hosts(world: _World, kind: str) -> list[_Branch]:
    """Branches whose line of work suits a team or showcase of this kind."""
    suited = [b for b in world.branches if b.dept.family in TEAM_FAMILIES[kind]]
    return suited or world.branches


def _pick(hosts: list[_Branch], k: int) -> _Branch:
    return hosts[k % len(hosts)]


def _team(
    rng: random.Random, world: _World, kind: str, branch: _Branch, k: int,
    activity: str, size: int,
) -> tuple[str, Record]:  # fmt: skip
    holders = [p.id for p in rng.sample(branch.people, min(len(branch.people), rng.randint(5, 8)))]
    base = "“红色驿站”党员服务队" if kind == "服务队" else "检修攻坚党员突击队"
    name = base + (f"第{_chinese_number(k + 1)}分队" if k else "")
    unit_id = _unit_id("fwd" if kind == "服务队" else "tjd", k, k + 1)
    record = _unit(rng, world, unit_id, kind, name, branch, holders)
    record["activities"] = _activities(rng, world, activity, holders, size)
    return f"units/{unit_id}.yaml", record


def _showcase(
    rng: random.Random, world: _World, kind: str, branch: _Branch, k: int
) -> tuple[str, Record]:
    place = rng.choice(PLACES)
    name = f"110千伏{place}线党员示范线路" if kind == "示范线路" else f"{place}供电服务党员示范区"
    holders = [p.id for p in branch.people[:3]]
    unit_id = _unit_id("sfxl" if kind == "示范线路" else "sfq", k, k + 1)
    return f"units/{unit_id}.yaml", _unit(rng, world, unit_id, kind, name, branch, holders)


def _unit(
    rng: random.Random, world: _World, unit_id: str, kind: str, name: str,
    branch: _Branch, holders: list[str], withdrawn: bool = False,
) -> Record:  # fmt: skip
    established = _established(rng, world, late=not withdrawn and rng.random() < 0.15)
    ended = dt.date(2026, 3, rng.randint(10, 25)) if withdrawn else None
    record: Record = {
        "id": unit_id,
        "kind": kind,
        "name": name,
        "branch": branch.id,
        "holders": holders,
        "standard": STANDARDS[kind],
        "established": established,
    }
    if ended:
        record["withdrawn"] = {"date": ended, "reason": WITHDRAWN_REASON}
    selfs = _self_evaluations(rng, world, established, ended)
    record["self_evaluations"] = selfs
    record["annual_evaluations"] = _annual_evaluations(rng, world, established, selfs, ended)
    return record


def _established(rng: random.Random, world: _World, late: bool) -> dt.date:
    """Most units predate the first assessed quarter; a few were set up during the span."""
    first = world.first_day
    if late and first + dt.timedelta(days=30) < dt.date(2026, 6, 30):
        return _day_between(rng, first + dt.timedelta(days=30), dt.date(2026, 6, 30))
    return _day_between(rng, first - dt.timedelta(days=500), first - dt.timedelta(days=20))


def _self_evaluations(
    rng: random.Random, world: _World, established: dt.date, ended: dt.date | None
) -> list[Record]:
    """每季度自评 from the quarter it was set up until the quarter before withdrawal."""
    start, stop = _quarter_of(established), _quarter_of(ended) if ended else "9999Q9"
    low, high = (62, 76) if ended else (86, 99.5)
    return [
        {"quarter": q, "score": _num(_halves(rng, low, high))}
        for q in world.quarters
        if start <= q < stop
    ]


def _annual_evaluations(
    rng: random.Random, world: _World, established: dt.date,
    selfs: list[Record], ended: dt.date | None,
) -> list[Record]:  # fmt: skip
    """年度考评 by the committee for each finished year the unit fully took part in."""
    first_year = int(world.quarters[0][:4])
    years = sorted({2025} | {y for y in range(first_year, 2025) if f"{y}Q1" >= world.quarters[0]})
    found = []
    for year in years:
        if established <= dt.date(year, 9, 30) and (ended is None or ended.year > year):
            scores = [s["score"] for s in selfs if s["quarter"].startswith(str(year))]
            found.append(_annual(rng, year, scores, ended))
    return found


def _annual(rng: random.Random, year: int, scores: list[float], ended: dt.date | None) -> Record:
    if ended:
        score = _halves(rng, 60, 69)  # the reason it was withdrawn
    else:
        mean = sum(scores) / len(scores) if scores else 92.0
        score = min(100.0, max(70.0, round(mean * 2 + rng.randint(-4, 4)) / 2))
    return {"year": year, "score": _num(score), "grade": _grade(score)}


def _grade(score: float) -> str:
    for floor, grade in ((90, "优秀"), (80, "良好"), (70, "合格")):
        if score >= floor:
            return grade
    return "不合格"


def _activities(
    rng: random.Random, world: _World, kind: str, holders: list[str], count: int
) -> list[Record]:
    start = max(world.first_day, dt.date(2025, 1, 1))
    days = sorted(_day_between(rng, start, TODAY - dt.timedelta(days=3)) for _ in range(count))
    return [_activity(rng, kind, day, holders) for day in days]


def _activity(rng: random.Random, kind: str, day: dt.date, holders: list[str]) -> Record:
    title = rng.choice(ACTIVITY_TITLES[kind]).format(place=rng.choice(PLACES), n=rng.randint(1, 4))
    who = sorted(rng.sample(holders, rng.randint(min(3, len(holders)), len(holders))))
    fixed = rng.randint(1, 6)
    return {
        "date": day,
        "type": kind,
        "title": title,
        "participants": who,
        "note": f"参加党员 {len(who)} 名，现场解决问题 {fixed} 项",
    }


# ------------------------------------------------------------------ notices

NOTICE_KINDS = {
    "提示单": ("tsd", "公司党委", "示例党提"),
    "提醒单": ("txd", "公司纪委", "示例纪提"),
}
# Each notice's title and the items it asks the addressed organizations to do.
NOTICE_TOPICS = {
    "提示单": (
        ("关于规范“三会一课”记录的提示单", (
            "对照“三会一课”制度补齐本年度会议记录", "支委会、党小组会记录须有签到和议题",
            "党课讲稿和课件按季度归档",
        )),
        ("关于按计划开展主题党日活动的提示单", (
            "完善主题党日活动计划并按月执行", "活动结合安全生产和服务群众开展",
            "活动影像和记录当月录入党建信息系统",
        )),
        ("关于规范党费收缴管理的提示单", (
            "核对党费收缴台账并报党建工作部备案", "按新工资标准重新核定党费基数",
            "补齐漏缴党费并说明原因",
        )),
        ("关于做好党员“双承诺”督诺工作的提示单", (
            "组织党员开展一次“双承诺”履责自查", "对进度滞后的承诺逐条提出督办意见",
            "更新党员公示栏内容，做到亮身份、亮承诺、亮业绩",
        )),
    ),
    "提醒单": (
        ("关于节日期间严守廉洁纪律的提醒单", (
            "节日期间严禁违规收送礼品礼金", "严禁违规组织和参加宴请",
            "节后报送廉洁过节情况",
        )),
        ("关于规范公务用车管理的提醒单", (
            "规范公务用车使用登记，杜绝公车私用", "节假日公务车辆按规定封存",
            "对照派车记录开展一次自查",
        )),
        ("关于加强物资采购廉洁风险防控的提醒单", (
            "评审专家名单和采购信息严格保密管理", "对照廉洁风险点台账开展一次自查",
            "组织采购岗位人员签订廉洁从业承诺书",
        )),
        ("关于落实“一岗双责”的提醒单", (
            "班子成员分别梳理分管领域廉洁风险", "支部书记与党员开展一次廉洁谈话",
            "组织一次警示教育并留存记录",
        )),
    ),
}  # fmt: skip
CLOSING_NOTES = ("已完成整改并报送佐证材料", "已组织自查，未发现问题", "已召开专题会议部署落实")


def _notice_files(world: _World) -> Iterator[tuple[str, Record]]:
    """提示单 from the committee and 提醒单 from the discipline committee, tracked to closure."""
    rng = _rng(world.shape, "notices")
    per_kind = max(2, world.shape.branches // 15)
    addressees = [z.id for z in world.zongzhi] + [b.id for b in world.branches]
    start = max(world.first_day, dt.date(2025, 1, 1))
    for kind in NOTICE_KINDS:
        last = TODAY - dt.timedelta(days=30)
        days = sorted(_day_between(rng, start, last) for _ in range(per_kind))
        numbers: dict[int, int] = {}
        for j, day in enumerate(days):
            numbers[day.year] = numbers.get(day.year, 0) + 1
            record = _notice(rng, kind, day, numbers[day.year], addressees, last=j == per_kind - 1)
            yield f"notices/{record['id']}.yaml", record


def _notice(
    rng: random.Random, kind: str, day: dt.date, seq: int, addressees: Sequence[str], last: bool
) -> Record:
    prefix, issuer, number = NOTICE_KINDS[kind]
    title, asked = rng.choice(NOTICE_TOPICS[kind])
    count = rng.randint(2, 3)
    contents = asked[:count]
    items = [
        _notice_item(rng, k, text, day, keep_open=last and k == count - 1)
        for k, text in enumerate(contents)
    ]
    return {
        "id": f"{day.year}-{prefix}-{seq:02d}",
        "kind": kind,
        "number": f"{number}〔{day.year}〕{seq}号",
        "issuer": issuer,
        "date": day,
        "to": sorted(rng.sample(addressees, min(len(addressees), rng.randint(2, 4)))),
        "title": title,
        "items": items,
    }


def _notice_item(rng: random.Random, k: int, text: str, day: dt.date, keep_open: bool) -> Record:
    deadline = _after(rng, day, 20, 60)
    closed_on = _after(rng, day, 10, (deadline - day).days + 10)
    # The oldest items are closed; the newest notice keeps one item open.
    closed = not keep_open and closed_on <= TODAY and (k == 0 or rng.random() < 0.7)
    return _compact(
        {
            "id": f"sx-{k + 1}",
            "content": text,
            "deadline": deadline,
            "status": "已完成" if closed else "未完成",
            "closed_on": closed_on if closed else None,
            "closing_note": rng.choice(CLOSING_NOTES) if closed else None,
        }
    )
