"""Bad data, case by case: each gives its exact Chinese ``file:line:col: field: message``.

Every case starts from the tiny valid dataset in ``tests/fixtures/tiny`` and
changes one thing, the way an editor's merge request would.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import DataError
from generator.model import load_dataset

Edit = tuple[str, str | None, str | None]  # (file, old text or None = whole file, new text)

CASES: list[tuple[str, list[Edit], list[str]]] = [
    (
        "duplicate key",
        [("members/b01-yunwei.yaml", "    name: 林安平\n", "    name: 林安平\n    name: 林平安\n")],
        [
            "data/members/b01-yunwei.yaml:5:5: 重复的键“name”（第 4 行已出现）；YAML 会悄悄只保留后一个，请合并",
        ],
    ),
    (
        "anchor",
        [("site.yaml", "company: 测试", "company: &c 测试")],
        ["data/site.yaml:1:10: 不支持锚点 &c；请删除"],
    ),
    (
        "yaml 1.1 boolean where text is expected",
        [("members/b01-yunwei.yaml", "post: 变电运维工\n", "post: NO\n")],
        [
            'data/members/b01-yunwei.yaml:10:11: members[2].post: “NO”在 YAML 1.1 中会被读成是非值；如果是文本请加引号（"NO"），如果是是非请写 true 或 false',
        ],
    ),
    (
        "bare date where text is expected",
        [("members/b01-yunwei.yaml", "post: 变电运维工\n", "post: 2026-01-01\n")],
        [
            "data/members/b01-yunwei.yaml:10:11: members[2].post: 应为文本，实际是日期“2026-01-01”；如果是文本，请加引号",
        ],
    ),
    (
        "number where text is expected",
        [("members/b01-yunwei.yaml", "post: 变电运维工\n", "post: 110\n")],
        [
            "data/members/b01-yunwei.yaml:10:11: members[2].post: 应为文本，实际是整数“110”；如果是文本，请加引号",
        ],
    ),
    (
        "quoted date where a date is expected",
        [("units/sfg-yunwei-01.yaml", "established: 2025-03-01", "established: '2025-03-01'")],
        [
            "data/units/sfg-yunwei-01.yaml:8:14: established: 应为日期（YYYY-MM-DD，不加引号），实际是文本“2025-03-01”"
        ],
    ),
    (
        "unknown field with a suggestion",
        [("organizations/b02-bangong.yaml", "secretary: m003", "secretry: m003")],
        [
            "data/organizations/b02-bangong.yaml:7:11: secretry: 未知字段“secretry”（是否想写“secretary”？）；可用字段：id、name、kind、parent、unit、unit_type、secretary、categories、groups",
        ],
    ),
    (
        "value outside the allowed list",
        [("members/b01-yunwei.yaml", "role: 党小组组长", "role: 书记")],
        [
            "data/members/b01-yunwei.yaml:11:11: members[2].role: “书记”不是可选的值；应为以下之一：党委书记、党委副书记、党委委员、总支书记、总支副书记、总支委员、支部书记、支部副书记、组织委员、宣传委员、纪检委员、青年委员、党小组组长、党员、预备党员",
        ],
    ),
    (
        "missing required field",
        [("members/b02-bangong.yaml", "    post: 办公室主任\n", "")],
        ["data/members/b02-bangong.yaml:3:5: members[1].post: 缺少必填字段“post”"],
    ),
    (
        "wrong type: text where a number is expected",
        [("site.yaml", "days: 7", "days: 七天")],
        ["data/site.yaml:7:9: disclosure.days: 应为整数，实际是文本“七天”"],
    ),
    (
        "id that is not a slug (path-like)",
        [("members/b02-bangong.yaml", "id: m003", "id: ../m003")],
        [
            # References to the member elsewhere are reported too (all problems at once),
            # each saying which file to fix first.
            "data/interviews/2026q3-b02-bangong.yaml:6:14: interviewee: 找不到党员“m003”（是否想写“m002”？）（data/members/b02-bangong.yaml 未通过检查：如果该党员在其中，修正那个文件后此项会消失）",
            "data/interviews/2026q3-b02-bangong.yaml:12:12: items[1].owner: 找不到党员“m003”（是否想写“m002”？）（data/members/b02-bangong.yaml 未通过检查：如果该党员在其中，修正那个文件后此项会消失）",
            "data/members/b02-bangong.yaml:3:9: members[1].id: “../m003”不是有效的编号：只能用小写英文字母、"
            "数字和单个连字符，如 b01-yunwei（编号用于网址，不能含中文、大写、空格或斜杠）",
            "data/organizations/dw.yaml:4:12: secretary: 找不到党员“m003”（是否想写“m002”？）（data/members/b02-bangong.yaml 未通过检查：如果该党员在其中，修正那个文件后此项会消失）",
        ],
    ),
    (
        "malformed quarter",
        [("units/sfg-yunwei-01.yaml", "quarter: 2026Q3", "quarter: 2026Q5")],
        [
            "data/units/sfg-yunwei-01.yaml:10:14: self_evaluations[1].quarter: “2026Q5”不是有效的季度：应写成 年份+Q+季度，如 2025Q1",
        ],
    ),
    (
        "score above the dimension maximum",
        [("assessments/2026Q3/b01-yunwei.yaml", "政治建设: 20", "政治建设: 25")],
        [
            "data/assessments/2026Q3/b01-yunwei.yaml:6:9: scores.政治建设: 得分 25 超过 Ⅰ 类该维度满分 20",
        ],
    ),
    (
        "score out of range",
        [("assessments/2026Q3/b01-yunwei.yaml", "政治建设: 20", "政治建设: -5")],
        [
            "data/assessments/2026Q3/b01-yunwei.yaml:6:9: scores.政治建设: 应不小于 0，实际是 -5",
        ],
    ),
    (
        "deduction of an unknown dimension",
        [("assessments/2026Q3/b01-yunwei.yaml", "dimension: 日常工作", "dimension: 日常工做")],
        [
            "data/assessments/2026Q3/b01-yunwei.yaml:21:16: deductions[2].dimension: 规则 2026-v1 中没有维度“日常工做”（是否想写“日常工作”？）",
        ],
    ),
    (
        "dangling reference: commitment to an unknown member",
        [("commitments/2026/b01-yunwei.yaml", "member: m002", "member: m009")],
        [
            "data/commitments/2026/b01-yunwei.yaml:21:13: commitments[2].member: 找不到党员“m009”（是否想写“m003”？）",
        ],
    ),
    (
        "dangling reference: unit holder",
        [("units/sfg-yunwei-01.yaml", "  - m001", "  - m404")],
        ["data/units/sfg-yunwei-01.yaml:6:5: holders[1]: 找不到党员“m404”"],
    ),
    (
        "duplicate member id across files",
        [("members/b02-bangong.yaml", "id: m003", "id: m001")],
        [
            "data/interviews/2026q3-b02-bangong.yaml:6:14: interviewee: 找不到党员“m003”（是否想写“m002”？）",
            "data/interviews/2026q3-b02-bangong.yaml:12:12: items[1].owner: 找不到党员“m003”（是否想写“m002”？）",
            "data/members/b02-bangong.yaml:3:9: members[1].id: 党员编号“m001”重复：已在 data/members/b01-yunwei.yaml 中使用（那里没有写离开日期）。编号必须唯一；如果是公司内调动，请在原支部的记录中写明 left_on、left_reason: 调出 和 moved_to: 本支部编号，并在这里写明转入日期 joined_on",
            "data/organizations/b02-bangong.yaml:7:12: secretary: 找不到党员“m003”（是否想写“m002”？）",
            "data/organizations/dw.yaml:4:12: secretary: 找不到党员“m003”（是否想写“m002”？）",
        ],
    ),
    (
        "file name does not match the id",
        [("units/sfg-yunwei-01.yaml", "id: sfg-yunwei-01", "id: sfg-yunwei-02")],
        [
            "data/units/sfg-yunwei-01.yaml:1:5: id: 编号“sfg-yunwei-02”与文件位置不符：应为“sfg-yunwei-01”（由文件名或目录名决定）",
        ],
    ),
    (
        "listed branch without a score: never a silent zero",
        [("assessments/2026Q3/b02-bangong.yaml", None, None)],
        [
            "data/assessments/2026Q3/_quarter.yaml:1:10: quarter: 2026Q3 缺少“办公室党支部”（b02-bangong）的考核得分：请添加 assessments/2026Q3/b02-bangong.yaml",
        ],
    ),
    (
        "category that does not exist",
        [("organizations/b02-bangong.yaml", "category: Ⅲ", "category: IV")],
        [
            "data/organizations/b02-bangong.yaml:10:15: categories[1].category: “IV”不是可选的值；应为以下之一：Ⅰ、Ⅱ、Ⅲ"
        ],
    ),
    (
        "rules whose maxima do not sum to 100",
        [("rules/2026-v1.yaml", "max: {Ⅰ: 20, Ⅱ: 15, Ⅲ: 15}", "max: {Ⅰ: 25, Ⅱ: 15, Ⅲ: 15}")],
        [
            "data/rules/2026-v1.yaml:4:1: dimensions: Ⅰ 类各维度满分之和应为 100，现为 105",
        ],
    ),
    (
        "commitment steps out of order",
        [
            (
                "commitments/2026/b01-yunwei.yaml",
                "      - stage: 公开承诺\n        date: 2026-01-20\n",
                "",
            )
        ],
        [
            "data/commitments/2026/b01-yunwei.yaml:15:16: commitments[1].progress[2].stage: “履责践诺”之前必须先有“公开承诺”：承诺须先公开，接受群众监督",
        ],
    ),
    (
        "commitment published without approval",
        [("commitments/2026/b01-yunwei.yaml", "review: 审核通过", "review: 退回修改")],
        [
            "data/commitments/2026/b01-yunwei.yaml:15:16: commitments[1].progress[2].stage: 承诺未经支部审核通过（科学定诺 review: 审核通过），不能进入后续步骤",
            "data/commitments/2026/b01-yunwei.yaml:17:16: commitments[1].progress[3].stage: 承诺未经支部审核通过（科学定诺 review: 审核通过），不能进入后续步骤",
        ],
    ),
    (
        "evaluation without outcome",
        [
            (
                "commitments/2026/b01-yunwei.yaml",
                "        evidence: 上半年完成倒闸操作 160 次，无差错\n",
                "        evidence: 上半年完成倒闸操作 160 次，无差错\n      - stage: 民主评诺\n        date: 2026-12-20\n        rating: 良好\n",
            )
        ],
        [
            "data/commitments/2026/b01-yunwei.yaml:20:9: commitments[1].progress[4].outcome: “民主评诺”需写兑现情况 outcome：已兑现 或 未兑现",
        ],
    ),
    (
        "not UTF-8",
        [("notices/2026-01.yaml", None, "GBK")],
        [
            "data/notices/2026-01.yaml:2:1: 文件不是 UTF-8 编码（可能是 GBK）；请在编辑器中以 UTF-8 编码另存后重试",
        ],
    ),
    (
        "empty file",
        [("wishes/2026/b01-yunwei.yaml", None, "")],
        ["data/wishes/2026/b01-yunwei.yaml:1:1: 文件为空；请填写内容或删除该文件"],
    ),
    (
        "file in an unknown place",
        [("member/b03.yaml", None, "branch: b03\n")],
        [
            "data/member/b03.yaml:1:1: 不认识这个数据文件的位置；数据文件应放在：site.yaml、rules/2024-v1.yaml、"
            "organizations/b01-yunwei.yaml、members/b01.yaml、commitments/2025/_year.yaml、commitments/2025/b01.yaml、supervision/2025/b01.yaml、wishes/2025/b01.yaml、"
            "units/sfg-01.yaml、assessments/2025Q1/_quarter.yaml、assessments/2025Q1/b01.yaml、"
            "interviews/2025q2-b07.yaml、comparisons/2025/b01.yaml、stars/2025/b01.yaml、"
            "indicators/2025Q1.yaml、notices/2025-01.yaml"
        ],
    ),
    (
        "top level is a list",
        [("notices/2026-01.yaml", None, "- id: x\n")],
        ["data/notices/2026-01.yaml:1:1: 文件顶层应为映射（“键: 值”），而不是列表或单个值"],
    ),
    # ---------------------------------------------- exact scores (issue 10)
    (
        "score off the scoring step",
        [("assessments/2026Q3/b01-yunwei.yaml", "政治建设: 20", "政治建设: 19.996")],
        [
            "data/assessments/2026Q3/b01-yunwei.yaml:6:9: scores.政治建设: 19.996 不是计分步长 0.5 的整数倍（规则 2026-v1）；分数不四舍五入，请按步长填写",
        ],
    ),
    (
        "deduction off the scoring step",
        [("assessments/2026Q3/b02-bangong.yaml", "points: 2.5", "points: 2.001")],
        [
            "data/assessments/2026Q3/b02-bangong.yaml:7:13: deductions[1].points: 2.001 不是计分步长 0.5 的整数倍（规则 2026-v1）；分数不四舍五入，请按步长填写",
        ],
    ),
    (
        "a point lost without a reason",
        [("assessments/2026Q3/b01-yunwei.yaml", "党员教育: 10", "党员教育: 9.5")],
        [
            "data/assessments/2026Q3/b01-yunwei.yaml:9:9: scores.党员教育: 得分 9.5 与问题清单不符：Ⅰ 类满分 10 − 扣分 0 = 10。每一分的扣减都要在 deductions 中写明原因；或删去 scores，由满分减扣分得出",
        ],
    ),
    (
        "a deduction the written score forgot",
        [("assessments/2026Q3/b01-yunwei.yaml", "组织建设: 13.5", "组织建设: 15")],
        [
            "data/assessments/2026Q3/b01-yunwei.yaml:8:9: scores.组织建设: 得分 15 与问题清单不符：Ⅰ 类满分 15 − 扣分 1.5 = 13.5。每一分的扣减都要在 deductions 中写明原因；或删去 scores，由满分减扣分得出",
        ],
    ),
    (
        "a dimension missing from written scores",
        [("assessments/2026Q3/b01-yunwei.yaml", "  团青工作: 10\n", "")],
        [
            "data/assessments/2026Q3/b01-yunwei.yaml:5:1: scores: 缺少维度“团青工作”的得分（规则 2026-v1）；得分可以不写，由满分减扣分得出",
        ],
    ),
    (
        "scoring step of zero",
        [("rules/2026-v1.yaml", "yearly_weight: 0.3", "yearly_weight: 0.3\nstep: 0")],
        [
            "data/rules/2026-v1.yaml:39:7: step: 应大于 0，实际是 0",
        ],
    ),
    # ---------------------------------------------- quarter states (issue 10)
    (
        "published without the problem lists confirmed",
        [("assessments/2026Q3/_quarter.yaml", "confirmed: 2026-10-08\n", "")],
        [
            "data/assessments/2026Q3/_quarter.yaml:5:12: published: 发布前必须先与各党支部核对确认问题清单：请填写确认日期 confirmed（早于或等于发布日期）",
        ],
    ),
    (
        "confirmed before the inspection ended",
        [("assessments/2026Q3/_quarter.yaml", "confirmed: 2026-10-08", "confirmed: 2026-09-21")],
        [
            "data/assessments/2026Q3/_quarter.yaml:4:12: confirmed: 确认日期 2026-09-21 早于检查结束日期 2026-09-28",
        ],
    ),
    (
        "published before it was confirmed",
        [("assessments/2026Q3/_quarter.yaml", "confirmed: 2026-10-08", "confirmed: 2026-10-11")],
        [
            "data/assessments/2026Q3/_quarter.yaml:6:12: published: 发布日期 2026-10-10 早于确认日期 2026-10-11",
        ],
    ),
    (
        "published without a notice number",
        [("assessments/2026Q3/_quarter.yaml", "notice_number: 测试党〔2026〕12号\n", "")],
        [
            "data/assessments/2026Q3/_quarter.yaml:5:12: published: 发布的季度必须有通报文号 notice_number",
        ],
    ),
    (
        "a rules correction without an approver",
        [
            (
                "rules/2026-v1.yaml",
                "yearly_weight: 0.3",
                "yearly_weight: 0.3\ncorrections:\n  - date: 2026-10-20\n    reason: 更正",
            )
        ],
        [
            "data/rules/2026-v1.yaml:40:5: corrections[1].approver: 缺少必填字段“approver”",
        ],
    ),
    # ------------------------------------------- members come and go (issue 11)
    (
        "a leaving date without a reason",
        [("members/b01-yunwei.yaml", "    left_reason: 退休\n", "")],
        [
            "data/members/b01-yunwei.yaml:13:5: members[3].left_reason: 写了离开日期 left_on，请同时写明离开原因 left_reason（调出、退休、去世、其他）",
        ],
    ),
    (
        "a reason without a leaving date",
        [("members/b01-yunwei.yaml", "    left_on: 2026-05-31\n", "")],
        [
            "data/members/b01-yunwei.yaml:13:5: members[3].left_on: 写了离开原因“退休”，请同时写明离开日期 left_on",
        ],
    ),
    (
        "a reason that is not one of the four",
        [("members/b01-yunwei.yaml", "left_reason: 退休", "left_reason: 辞职")],
        [
            "data/members/b01-yunwei.yaml:17:18: members[3].left_reason: “辞职”不是可选的值；应为以下之一：调出、退休、去世、其他",
        ],
    ),
    (
        "moved_to for a member who retired",
        [
            (
                "members/b01-yunwei.yaml",
                "left_reason: 退休",
                "left_reason: 退休\n    moved_to: b02-bangong",
            )
        ],
        [
            "data/members/b01-yunwei.yaml:18:15: members[3].moved_to: 只有调出（left_reason: 调出）的党员才写调入的支部 moved_to",
        ],
    ),
    (
        "moved to a branch whose roll does not have them",
        [
            (
                "members/b01-yunwei.yaml",
                "left_reason: 退休",
                "left_reason: 调出\n    moved_to: b02-bangong",
            )
        ],
        [
            "data/members/b01-yunwei.yaml:18:15: members[3].moved_to: 调入的支部“办公室党支部”的党员名单中没有“m107”：请在 members/b02-bangong.yaml 中添加（同一编号，写明转入日期 joined_on）",
        ],
    ),
    (
        "moved to an organization that is not a branch",
        [
            (
                "members/b01-yunwei.yaml",
                "left_reason: 退休",
                "left_reason: 调出\n    moved_to: zz-yunjian",
            )
        ],
        [
            "data/members/b01-yunwei.yaml:18:15: members[3].moved_to: “zz-yunjian”是党总支（运检党总支），党员只能调入党支部",
        ],
    ),
    (
        "moved in without a joining date",
        [
            (
                "members/b01-yunwei.yaml",
                "left_reason: 退休",
                "left_reason: 调出\n    moved_to: b02-bangong",
            ),
            (
                "members/b02-bangong.yaml",
                "    role: 党委书记\n",
                "    role: 党委书记\n  - id: m107\n    name: 吴德明\n    post: 文秘\n",
            ),
        ],
        [
            "data/members/b02-bangong.yaml:7:5: members[2].joined_on: 从“b01-yunwei”调入的党员需写明转入日期 joined_on（不早于调出日期 2026-05-31）",
        ],
    ),
    (
        "moved in before moving out",
        [
            (
                "members/b01-yunwei.yaml",
                "left_reason: 退休",
                "left_reason: 调出\n    moved_to: b02-bangong",
            ),
            (
                "members/b02-bangong.yaml",
                "    role: 党委书记\n",
                "    role: 党委书记\n  - id: m107\n    name: 吴德明\n    post: 文秘\n    joined_on: 2026-05-01\n",
            ),
        ],
        [
            "data/members/b02-bangong.yaml:10:16: members[2].joined_on: 转入日期 2026-05-01 早于在“b01-yunwei”的调出日期 2026-05-31",
        ],
    ),
    (
        "moved in under another name",
        [
            (
                "members/b01-yunwei.yaml",
                "left_reason: 退休",
                "left_reason: 调出\n    moved_to: b02-bangong",
            ),
            (
                "members/b02-bangong.yaml",
                "    role: 党委书记\n",
                "    role: 党委书记\n  - id: m107\n    name: 吴得明\n    post: 文秘\n    joined_on: 2026-06-01\n",
            ),
        ],
        [
            "data/members/b02-bangong.yaml:8:11: members[2].name: 同一名党员在“b01-yunwei”的名字是“吴德明”，这里是“吴得明”；同一编号只能是同一个人",
        ],
    ),
    (
        "a step dated after the member left",
        [
            (
                "commitments/2026/b01-yunwei.yaml",
                "        date: 2026-04-30",
                "        date: 2026-06-15",
            )
        ],
        [
            "data/commitments/2026/b01-yunwei.yaml:44:15: commitments[3].progress[3].date: 党员“吴德明”（m107）已于 2026-05-31 离开本支部（退休），2026-06-15 不能再有本支部的记录",
        ],
    ),
    (
        "a record before the member joined",
        [
            (
                "members/b01-yunwei.yaml",
                "    group: b01-g1\n  - id: m107",
                "    group: b01-g1\n    joined_on: 2026-03-01\n  - id: m107",
            )
        ],
        [
            "data/commitments/2026/b01-yunwei.yaml:28:15: commitments[2].progress[1].date: 党员“周雨辰”（m002）于 2026-03-01 才转入本支部，2026-01-12 不能有本支部的记录",
            "data/comparisons/2025/b01-yunwei.yaml:14:13: members[2].member: 党员“m002”在 2025 年不在本支部，不能参加本支部的三比三看",
        ],
    ),
    (
        "a unit held by a member who left",
        [("units/sfg-yunwei-01.yaml", "  - m001", "  - m107")],
        [
            "data/units/sfg-yunwei-01.yaml:6:5: holders[1]: 党员“吴德明”（m107）已于 2026-05-31 离开本支部（退休），请更换 holders",
        ],
    ),
    (
        "a secretary who left",
        [("organizations/b01-yunwei.yaml", "secretary: m001", "secretary: m107")],
        [
            "data/organizations/b01-yunwei.yaml:7:12: secretary: 书记“m107”已于 2026-05-31 离开本支部（退休），请更换书记 secretary",
        ],
    ),
    # ------------------------------------------------------ 督诺 rounds (issue 11)
    (
        "a round naming an unknown commitment",
        [
            (
                "supervision/2026/b01-yunwei.yaml",
                "commitment: c2026-m107-post",
                "commitment: c2026-m107-pots",
            )
        ],
        [
            "data/supervision/2026/b01-yunwei.yaml:8:21: rounds[1].findings[1].commitment: 2026 年度本支部没有承诺“c2026-m107-pots”（是否想写“c2026-m107-post”？）",
        ],
    ),
    (
        "a round naming a commitment not yet public",
        [
            (
                "supervision/2026/b01-yunwei.yaml",
                "commitment: c2026-m107-post",
                "commitment: c2026-m002-service",
            )
        ],
        [
            "data/supervision/2026/b01-yunwei.yaml:8:21: rounds[1].findings[1].commitment: 承诺“c2026-m002-service”在 2026-04-20 还没有公开承诺，不在督诺范围内",
        ],
    ),
    (
        "a round naming a commitment in its findings and its exceptions",
        [
            (
                "supervision/2026/b01-yunwei.yaml",
                "请按期完成\n",
                "请按期完成\n    exceptions:\n      - commitment: c2026-m107-post\n        reason: 外出培训\n",
            )
        ],
        [
            "data/supervision/2026/b01-yunwei.yaml:11:21: rounds[1].exceptions[1].commitment: 承诺“c2026-m107-post”在这一轮中写了两次",
        ],
    ),
    (
        "two rounds on one day",
        [
            (
                "supervision/2026/b01-yunwei.yaml",
                "rounds:\n",
                "rounds:\n  - date: 2026-04-20\n    checked_by: 支部书记\n    finding: 补记\n",
            )
        ],
        [
            "data/supervision/2026/b01-yunwei.yaml:7:5: rounds[2]: 督诺日期 2026-04-20 重复记录了两次",
        ],
    ),
    (
        "a round outside its year",
        [("supervision/2026/b01-yunwei.yaml", "date: 2026-04-20", "date: 2025-12-20")],
        [
            "data/supervision/2026/b01-yunwei.yaml:4:11: rounds[1].date: 督诺日期 2025-12-20 不在 2026 年度（2026-01-01 至 2027-03-31）；请检查年份，或把这一轮放到对应年度的文件中",
        ],
    ),
    (
        "a round file in the wrong year folder",
        [("supervision/2026/b01-yunwei.yaml", "year: 2026", "year: 2025")],
        [
            "data/supervision/2026/b01-yunwei.yaml:2:7: year: 年度“2025”与文件位置不符：应为“2026”（由文件名或目录名决定）",
            "data/supervision/2026/b01-yunwei.yaml:4:11: rounds[1].date: 督诺日期 2026-04-20 不在 2025 年度（2025-01-01 至 2026-03-31）；请检查年份，或把这一轮放到对应年度的文件中",
        ],
    ),
    (
        "a round without its finding",
        [("supervision/2026/b01-yunwei.yaml", "    finding: 全体党员承诺按计划推进\n", "")],
        [
            "data/supervision/2026/b01-yunwei.yaml:4:5: rounds[1].finding: 缺少必填字段“finding”",
        ],
    ),
    # ------------------------------------------ the seeds' practices (issue 12)
    (
        "a problem type not in the list",
        [("assessments/2026Q3/b02-bangong.yaml", "type: 主题党日不规范", "type: 主题党日不规")],
        [
            "data/assessments/2026Q3/b02-bangong.yaml:9:11: deductions[1].type: “主题党日不规”不在问题类型清单（site.yaml policy.problem_types）中（是否想写“主题党日不规范”？）",
        ],
    ),
    (
        "a problem without a type",
        [("assessments/2026Q3/b02-bangong.yaml", "    type: 主题党日不规范\n", "")],
        [
            "data/assessments/2026Q3/b02-bangong.yaml:6:5: deductions[1].type: 请写明问题类型 type（site.yaml 中 policy.problem_types 的一项，如“组织生活不规范”）",
        ],
    ),
    (
        "a notice item of an unknown type",
        [("notices/2026-01.yaml", "type: 主题党日不规范", "type: 主题党日")],
        [
            "data/notices/2026-01.yaml:12:11: items[1].type: “主题党日”不在问题类型清单（site.yaml policy.problem_types）中（是否想写“主题党日不规范”？）",
        ],
    ),
    (
        "closed without a measure",
        [
            (
                "assessments/2026Q3/b01-yunwei.yaml",
                "    measure: 建立按月收缴台账，组织委员每月核对\n",
                "",
            )
        ],
        [
            "data/assessments/2026Q3/b01-yunwei.yaml:21:5: deductions[2].measure: 销号（closed_on）前须写明整改措施 measure",
        ],
    ),
    (
        "closed before the inspection",
        [("assessments/2026Q3/b01-yunwei.yaml", "closed_on: 2026-10-20", "closed_on: 2026-09-01")],
        [
            "data/assessments/2026Q3/b01-yunwei.yaml:26:16: deductions[2].closed_on: 销号日期 2026-09-01 早于检查日期 2026-09-22",
        ],
    ),
    (
        "a star rating without a team of its stars",
        [("stars/2025/b01-yunwei.yaml", "stars: 4\nrated_on", "stars: 5\nrated_on")],
        [
            "data/stars/2025/b01-yunwei.yaml:3:8: stars: 评为 5 星级党支部须有 5 星级及以上的班组（双星联动：评定党支部星级时必须有相应星级的班组）；本支部的班组最高为 4 星",
        ],
    ),
    (
        "six stars",
        [("stars/2025/b01-yunwei.yaml", "stars: 4\nrated_on", "stars: 6\nrated_on")],
        [
            "data/stars/2025/b01-yunwei.yaml:3:8: stars: 应不大于 5，实际是 6",
        ],
    ),
    (
        "a criterion not in the list",
        [("stars/2025/b01-yunwei.yaml", "name: 组织设置规范", "name: 组织设置规")],
        [
            "data/stars/2025/b01-yunwei.yaml:7:11: criteria[1].name: “组织设置规”不是 site.yaml 中 policy.star_criteria 的评定标准（是否想写“组织设置规范”？）",
        ],
    ),
    (
        "a criterion left out",
        [("stars/2025/b01-yunwei.yaml", "  - name: 组织设置规范\n    met: true\n", "")],
        [
            "data/stars/2025/b01-yunwei.yaml:6:1: criteria: 缺少评定标准：组织设置规范（每一项都要写明是否达到 met）",
        ],
    ),
    (
        "a rating dated in another year",
        [("stars/2025/b01-yunwei.yaml", "rated_on: 2026-01-15", "rated_on: 2024-12-20")],
        [
            "data/stars/2025/b01-yunwei.yaml:4:11: rated_on: 评定日期 2024-12-20 不在 2025 年度（2025-01-01 至 2026-03-31）",
        ],
    ),
    (
        "satisfaction above 100",
        [("comparisons/2025/b01-yunwei.yaml", "satisfaction: 96.5", "satisfaction: 965")],
        [
            "data/comparisons/2025/b01-yunwei.yaml:11:19: members[1].satisfaction: 应不大于 100，实际是 965",
        ],
    ),
    (
        "a result that is not one of the four",
        [("comparisons/2025/b01-yunwei.yaml", "result: 优秀", "result: 良好")],
        [
            "data/comparisons/2025/b01-yunwei.yaml:13:13: members[1].result: “良好”不是可选的值；应为以下之一：优秀、合格、基本合格、不合格",
        ],
    ),
    (
        "a member compared twice",
        [("comparisons/2025/b01-yunwei.yaml", "  - member: m002", "  - member: m001")],
        [
            "data/comparisons/2025/b01-yunwei.yaml:14:5: members[2]: 党员 m001 重复记录了两次",
        ],
    ),
    (
        "a member of another branch compared",
        [("comparisons/2025/b01-yunwei.yaml", "  - member: m002", "  - member: m003")],
        [
            "data/comparisons/2025/b01-yunwei.yaml:14:13: members[2].member: 党员“m003”在 2025 年不在本支部，不能参加本支部的三比三看",
        ],
    ),
    (
        "an indicator unit no organization has",
        [("indicators/2026Q3.yaml", "unit: 办公室", "unit: 综合办公室")],
        [
            "data/indicators/2026Q3.yaml:22:11: units[2].unit: 没有哪个党组织的所在单位（unit）是“综合办公室”（是否想写“办公室”？）",
        ],
    ),
    (
        "an indicator listed twice",
        [("indicators/2026Q3.yaml", "{name: 会议保障满意度", "{name: 公文办理及时率")],
        [
            "data/indicators/2026Q3.yaml:25:16: units[2].indicators[2].name: 指标“公文办理及时率”重复记录了两次",
        ],
    ),
    (
        "red written as a word",
        [
            (
                "indicators/2026Q3.yaml",
                "{name: 公文办理及时率, value: 99%, red: true}",
                "{name: 公文办理及时率, value: 99%, red: 是}",
            )
        ],
        [
            "data/indicators/2026Q3.yaml:24:42: units[2].indicators[1].red: 应为 true 或 false，实际是文本“是”",
        ],
    ),
    (
        "indicators of a quarter never assessed",
        [
            (
                "indicators/2026Q2.yaml",
                None,
                "quarter: 2026Q2\nsource: 通报\nunits:\n  - unit: 办公室\n    indicators:\n      - {name: 公文办理及时率, value: 99%, red: true}\n",
            )
        ],
        [
            "data/indicators/2026Q2.yaml:1:10: quarter: 没有 2026Q2 的季度考核：指标红榜与该季度的考核结果一起公示",
        ],
    ),
]


def apply(data: Path, edits: list[Edit]) -> None:
    for rel, old, new in edits:
        path = data / rel
        if old is None and new is None:
            path.unlink()
        elif old is None and new == "GBK":
            path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))
        elif old is None:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(new or "", encoding="utf-8")
        else:
            text = path.read_text(encoding="utf-8")
            assert old in text, f"fixture changed: {old!r} not in {rel}"
            path.write_text(text.replace(old, new or "", 1), encoding="utf-8")


def problems_of(data: Path) -> list[str]:
    try:
        load_dataset(data)
    except DataError as exc:
        return [str(p) for p in exc.problems]
    return []


def test_the_fixture_itself_is_valid(tiny: Path) -> None:
    assert problems_of(tiny) == []


@pytest.mark.parametrize(("edits", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_data_case(tiny: Path, edits: list[Edit], expected: list[str]) -> None:
    apply(tiny, edits)
    assert problems_of(tiny) == expected  # in file, then line order


def test_all_problems_of_a_run_are_reported_together(tiny: Path) -> None:
    wanted = {
        "quoted date where a date is expected",
        "unknown field with a suggestion",
        "wrong type: text where a number is expected",
        "score above the dimension maximum",
        "dangling reference: commitment to an unknown member",
    }
    expected: list[str] = []
    for name, edits, problems in CASES:
        if name in wanted:
            apply(tiny, edits)
            expected.extend(problems)
    assert problems_of(tiny) == sorted(expected, key=lambda p: p.split(":")[0])


def test_maxima_off_the_scoring_step_are_each_located(tiny: Path) -> None:
    apply(tiny, [("rules/2026-v1.yaml", "yearly_weight: 0.3", "yearly_weight: 0.3\nstep: 2")])
    with pytest.raises(DataError) as caught:
        load_dataset(tiny)
    lines = str(caught.value).splitlines()[:-1]
    assert lines[0] == (
        "data/rules/2026-v1.yaml:6:21: dimensions[1].max.Ⅱ: “政治建设”Ⅱ 类满分 15 不是计分步长 2 "
        "的整数倍；请调整满分或步长 step"
    )
    assert len(lines) == 10 and all(line.startswith("data/rules/2026-v1.yaml") for line in lines)
