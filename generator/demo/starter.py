"""``board new``: the smallest valid dataset a new company starts from.

A committee, one general branch, two branches with a secretary each, the default
assessment rules (seed 004's red/blue list), and nothing else: no commitments, no
units, no quarters yet, so every section of the built board says 暂无 until the
office fills it in. Each file opens with a comment saying what to change.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from pydantic import BaseModel

from generator.model import schema as s
from generator.model.writer import record_text, write_text_atomically

DIMENSIONS = {  # name: maximum per category (Ⅰ, Ⅱ, Ⅲ); each category sums to 100
    "政治建设": (15, 15, 20),
    "党建责任": (15, 15, 10),
    "组织建设": (20, 15, 15),
    "党员教育": (15, 15, 15),
    "思想文化和统战": (10, 10, 10),
    "团青工作": (5, 10, 5),
    "队伍建设": (10, 10, 10),
    "日常工作": (10, 10, 15),
}
TIES = (
    "基础得分相同的党组织并列同一名次，其后名次顺延；红榜或蓝榜分界处出现并列时，"
    "并列的党组织全部上榜。"
)
HEADERS = {
    "site.yaml": "站点配置：请把公司名称、公示受理部门和联系方式改为本单位的。",
    "rules/": "考核规则：Ⅰ、Ⅱ类第一名进红榜、最后一名进蓝榜，Ⅲ类低于 98 分进蓝榜；请按本单位修改。",
    "organizations/": "党组织：一个党组织一个文件，文件名就是编号。请改为本单位的党组织。",
    "members/": "党员名单：一个党支部一个文件。姓名是示例，请改为本支部的党员。",
}


def starter_files(company: str, quarter: str) -> dict[str, BaseModel]:
    """The files of a new company's dataset, by their place under data/."""
    files: dict[str, BaseModel] = {
        "site.yaml": s.SiteConfig(
            company=company,
            committee="dw",
            disclosure=s.Disclosure(office="党建工作部", contact="党建工作部办公室"),
        ),
        "rules/default.yaml": _rules(quarter),
        "organizations/dw.yaml": s.Organization(
            id="dw", name=f"中共{company}委员会", kind="党委", unit=company, secretary="m0001"
        ),
        "organizations/zz-01.yaml": s.Organization(
            id="zz-01", name="第一党总支", kind="党总支", parent="dw"
        ),
    }
    for number, (name, unit, secretary) in enumerate(
        (("第一党支部", "综合部", "m0002"), ("第二党支部", "运行部", "m0004")), start=1
    ):
        branch = f"b{number:02d}"
        files[f"organizations/{branch}.yaml"] = s.Organization(
            id=branch, name=name, kind="党支部", parent="zz-01", unit=unit,
            unit_type="本部" if number == 1 else "基层单位", secretary=secretary,
            categories=[s.CategorySpan(since=quarter, category="Ⅰ")],
        )  # fmt: skip
    files["members/b01.yaml"] = s.MembersFile(
        branch="b01",
        members=[
            s.Member(id="m0001", name="示例党委书记", post="党委书记", role="党委书记"),
            s.Member(id="m0002", name="示例支部书记甲", post="综合部主任", role="支部书记"),
            s.Member(id="m0003", name="示例党员甲", post="综合部职员"),
        ],
    )
    files["members/b02.yaml"] = s.MembersFile(
        branch="b02",
        members=[
            s.Member(id="m0004", name="示例支部书记乙", post="运行部主任", role="支部书记"),
            s.Member(id="m0005", name="示例党员乙", post="运行值班员"),
        ],
    )
    return files


def _rules(quarter: str) -> s.Rules:
    first = s.CategoryRule(
        red=s.ListRule(top=1, adjustment=Decimal("1.5")),
        blue=s.ListRule(bottom=1, adjustment=Decimal("-1.5")),
    )
    return s.Rules(
        id="default",
        title="基层党建工作季度差异化积分考核评价实施方案",
        effective_from=quarter,
        dimensions=[
            s.DimensionRule(
                name=name, max=dict(zip(s.CATEGORIES, map(Decimal, maxima), strict=True))
            )
            for name, maxima in DIMENSIONS.items()
        ],
        extra_items=[
            s.ExtraItem(name="贡献度", applies_to="基层单位", max=Decimal(5)),
            s.ExtraItem(name="融合度", applies_to="本部", max=Decimal(5)),
        ],
        categories={
            "Ⅰ": first,
            "Ⅱ": first,
            "Ⅲ": s.CategoryRule(blue=s.ListRule(below=Decimal(98), adjustment=Decimal("-0.5"))),
        },
        ties=TIES,
        yearly_weight=Decimal("0.3"),
        step=Decimal("0.5"),
    )


def write_starter(out_dir: Path, company: str, quarter: str) -> int:
    """Write the starter dataset under ``out_dir``; return the number of files."""
    files = starter_files(company, quarter)
    for rel, model in files.items():
        header = next((text for place, text in HEADERS.items() if rel.startswith(place)), "")
        comment = f"# {header}\n# 字段说明见站点的“数据格式说明”页。\n" if header else ""
        write_text_atomically(out_dir / rel, comment + record_text(model))
    return len(files)
