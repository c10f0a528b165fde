"""The attack corpus (issue 9): inputs an outsider would try, by class, as case tables.

Each data case changes the tiny valid dataset the way a merge request would and
names what must happen: ``refused`` (a located Chinese error whose text contains
the given words) or ``hint`` (it loads, with a located hint). Markup payloads are
planted all at once into one board that must build, show every payload as text in
a real browser, and hold no live markup, formula or personal number.
"""

from __future__ import annotations

import json

Edit = tuple[str, str | None, str | None]


def luhn_complete(prefix: str) -> str:
    """``prefix`` with the check digit that makes it Luhn-valid (a bank card number)."""
    for digit in "0123456789":
        number = prefix + digit
        total = 0
        for i, d in enumerate(reversed(number)):
            n = int(d) * (2 if i % 2 else 1)
            total += n - 9 if n > 9 else n
        if total % 10 == 0:
            return number
    raise AssertionError("no check digit")


def in_text(payload: str) -> list[Edit]:
    """The payload at the end of a commitment's text (double-quoted, as JSON writes it)."""
    quoted = json.dumps(f"全年倒闸操作零差错，{payload}", ensure_ascii=False)
    return [("commitments/2026/b01-yunwei.yaml", "text: 全年倒闸操作零差错", f"text: {quoted}")]


def in_name(payload: str) -> list[Edit]:
    quoted = json.dumps(payload, ensure_ascii=False)
    return [("members/b01-yunwei.yaml", "name: 林安平", f"name: {quoted}")]


CARD_UNIONPAY = luhn_complete("622202123456789012")  # 19 digits
CARD_VISA = luhn_complete("411111111111111")  # 16 digits
ID_FMT = "11010519491231002X"  # made up, valid check digit

# (id, class, edits, outcome, words the located message must contain)
DATA_CASES: list[tuple[str, str, list[Edit], str, str]] = [
    # ------------------------------------------------------ personal numbers
    ("id-number", "personal", in_text(f"身份证 {ID_FMT}"), "refused", "疑似身份证号"),
    ("id-wrong-check-digit", "personal", in_text("身份证 110105194912310021"), "refused", "疑似身份证号（校验位不符）"),
    ("id-15-digits", "personal", in_text("身份证 110105491231002"), "refused", "身份证号（15 位）"),
    ("id-with-spaces", "personal", in_text("110105 19491231 002X"), "refused", "身份证号"),
    ("id-in-groups-of-four", "personal", in_text("1101 0519 4912 3100 2X"), "refused", "身份证号"),
    ("a-row-of-scores-is-no-id", "personal", in_text("各维度 15 15 15 15 10 10 10 10 分"), "loads", ""),
    ("id-with-hyphens", "personal", in_text("110105-19491231-002X"), "refused", "身份证号"),
    ("id-full-width", "personal", in_text("１１０１０５１９４９１２３１００２Ｘ"), "refused", "身份证号"),
    ("id-lower-x", "personal", in_text("11010519491231002x"), "refused", "身份证号"),
    ("mobile", "personal", in_text("电话 13912345678"), "refused", "手机号码"),
    ("mobile-3-4-4", "personal", in_text("电话 139 1234 5678"), "refused", "手机号码"),
    ("mobile-4-3-4", "personal", in_text("电话 1391 234 5678"), "refused", "手机号码"),
    ("mobile-pairs", "personal", in_text("电话 139 12 34 56 78"), "refused", "手机号码"),
    ("mobile-dots", "personal", in_text("电话 139.1234.5678"), "refused", "手机号码"),
    ("mobile-dashes", "personal", in_text("电话 139-1234-5678"), "refused", "手机号码"),
    ("mobile-full-width-digits", "personal", in_text("电话 １３９１２３４５６７８"), "refused", "手机号码"),
    ("mobile-full-width-spaces", "personal", in_text("电话 139　1234　5678"), "refused", "手机号码"),
    ("mobile-leading-zero", "personal", in_text("电话 013912345678"), "refused", "手机号码"),
    ("mobile-plus-86", "personal", in_text("电话 +86 139 1234 5678"), "refused", "手机号码"),
    ("mobile-0086", "personal", in_text("电话 008613912345678"), "refused", "手机号码"),
    ("mobile-paren-86", "personal", in_text("电话 (+86)139-1234-5678"), "refused", "手机号码"),
    ("mobile-nbsp", "personal", in_text("电话 139\u00a01234\u00a05678"), "refused", "手机号码"),
    ("mobile-thin-space", "personal", in_text("电话 139\u20091234\u20095678"), "refused", "手机号码"),
    ("mobile-in-a-name", "personal", in_name("林安平13912345678"), "refused", "手机号码"),
    ("mobile-in-a-post", "personal", [("members/b01-yunwei.yaml", "post: 变电运维班班长", "post: 班长，手机13912345678")], "refused", "手机号码"),
    ("mobile-in-evidence", "personal", [("commitments/2026/b01-yunwei.yaml", "evidence: 上半年完成倒闸操作 160 次，无差错", "evidence: 联系人电话 13912345678")], "refused", "手机号码"),
    ("mobile-in-a-wish", "personal", [("wishes/2026/b01-yunwei.yaml", "employee: 陈小满", "employee: 陈小满13912345678")], "refused", "手机号码"),
    ("mobile-in-an-interview", "personal", [("interviews/2026q3-b02-bangong.yaml", "problem: 主题党日未按计划开展", "problem: 联系 13912345678")], "refused", "手机号码"),
    # Internal fields are never published: the office may keep a number there.
    ("mobile-in-internal-notes-loads", "personal", [("interviews/2026q3-b02-bangong.yaml", "notes: 内部记录：约谈时书记表示将于下季度前完成整改。", "notes: 书记手机 13912345678")], "loads", ""),
    ("mobile-in-site-contact", "personal", [("site.yaml", "contact: 党建工作部（综合楼 305 室）", "contact: 党建工作部 13912345678")], "refused", "手机号码"),
    ("mobile-in-a-deduction-reason", "personal", [("assessments/2026Q3/b02-bangong.yaml", "reason: 主题党日未按计划开展", "reason: 联系 13912345678")], "refused", "手机号码"),
    ("bank-card-unionpay", "personal", in_text(f"卡号 {CARD_UNIONPAY}"), "refused", "银行卡号"),
    ("bank-card-grouped", "personal", in_text("卡号 " + " ".join(CARD_VISA[i : i + 4] for i in range(0, 16, 4))), "refused", "银行卡号"),
    ("bank-card-visa", "personal", in_text(f"卡号 {CARD_VISA}"), "refused", "银行卡号"),
    ("passport-e", "personal", in_text("护照 E12345678"), "refused", "护照号码"),
    ("passport-ea", "personal", in_text("护照 EA1234567"), "refused", "护照号码"),
    ("passport-g", "personal", in_text("护照 G12345678"), "refused", "护照号码"),
    ("home-address", "personal", in_text("住址 幸福小区3号楼2单元501室"), "refused", "家庭住址"),
    ("home-address-short", "personal", in_text("住 3栋2单元501室"), "refused", "家庭住址"),
    ("landline-is-a-hint", "personal", in_text("电话 0571-87654321"), "hint", "固定电话"),
    ("landline-parens-is-a-hint", "personal", in_text("电话 (010)62345678"), "hint", "固定电话"),
    ("email-is-a-hint", "personal", in_text("邮箱 someone@example.com"), "hint", "电子邮箱"),
    ("street-address-is-a-hint", "personal", in_text("地址 解放路100号"), "hint", "街道地址"),
    ("allowlisted-hotline-loads", "personal", [*in_text("热线 0571-87654321"), ("site.yaml", "  days: 7\n", "  days: 7\nprivacy:\n  allowlist:\n    - value: 0571-87654321\n      reason: 公司对外公开的服务热线\n")], "loads", ""),
    ("allowlist-needs-a-reason", "personal", [("site.yaml", "  days: 7\n", "  days: 7\nprivacy:\n  allowlist:\n    - value: 0571-87654321\n")], "refused", "缺少必填字段“reason”"),
    # --------------------------------------------- characters no one means to type
    ("control-char-as-yaml-escape", "hidden", [("notices/2026-01.yaml", "content: 按月制定并公开主题党日计划", 'content: "按月制定\\x01并公开"')], "refused", "不可见的控制字符（U+0001）"),
    ("escape-char", "hidden", [("notices/2026-01.yaml", "content: 按月制定并公开主题党日计划", 'content: "按月\\e[31m制定"')], "refused", "U+001B"),
    ("delete-char", "hidden", [("notices/2026-01.yaml", "content: 按月制定并公开主题党日计划", 'content: "按月\\x7f制定"')], "refused", "U+007F"),
    ("c1-control", "hidden", [("notices/2026-01.yaml", "content: 按月制定并公开主题党日计划", 'content: "按月\\x9b制定"')], "refused", "U+009B"),
    ("right-to-left-override", "hidden", in_name("林\u202e平安"), "refused", "改变文字方向的控制字符（U+202E）"),
    ("right-to-left-isolate", "hidden", in_name("林\u2067平安"), "refused", "U+2067"),
    ("zero-width-space-in-a-name", "hidden", in_name("林\u200b安平"), "refused", "零宽字符（U+200B）"),
    ("zero-width-in-a-number", "hidden", in_text("139\u200b1234\u200b5678"), "refused", "零宽字符"),
    ("word-joiner", "hidden", in_name("林\u2060安平"), "refused", "U+2060"),
    ("bom-inside-text", "hidden", in_name("林\ufeff安平"), "refused", "U+FEFF"),
    ("control-char-in-a-key", "hidden", [("assessments/2026Q3/b01-yunwei.yaml", "  党员教育: 10", '  "党员\\x01教育": 10')], "refused", "键含有不可见的控制字符"),
    # ------------------------------------------------------ names nobody can see
    ("name-of-spaces", "invisible", in_name("   "), "refused", "不能只有空格"),
    ("name-of-a-full-width-space", "invisible", in_name("\u3000"), "refused", "不能只有空格"),
    ("name-of-tabs", "invisible", in_name("\t\t"), "refused", "不能只有空格"),
    ("title-of-spaces", "invisible", [("notices/2026-01.yaml", "title: 关于规范主题党日活动的提示单", 'title: "  "')], "refused", "不能只有空格"),
    ("site-title-of-spaces", "invisible", [("site.yaml", "title: 党建公示栏", 'title: " "')], "refused", "不能只有空格"),
    # ------------------------------------------------- dates that cannot be true
    ("notice-dated-2999", "dates", [("notices/2026-01.yaml", "date: 2026-10-12", "date: 2999-10-12")], "refused", "晚于今天"),
    ("step-dated-in-the-future", "dates", [("commitments/2026/b01-yunwei.yaml", "        date: 2026-06-30", "        date: 2999-06-30")], "refused", "晚于今天"),
    ("interview-before-its-quarter", "dates", [("interviews/2026q3-b02-bangong.yaml", "date: 2026-10-15", "date: 2026-09-01")], "refused", "早于2026Q3 检查结束日期"),
    ("item-completed-before-the-interview", "dates", [("interviews/2026q3-b02-bangong.yaml", "    status: 整改中", "    status: 已完成\n    completed_on: 2026-10-01")], "refused", "早于约谈日期"),
    ("item-due-before-the-interview", "dates", [("interviews/2026q3-b02-bangong.yaml", "deadline: 2026-11-30", "deadline: 2026-10-01")], "refused", "早于约谈日期"),
    ("unit-withdrawn-before-set-up", "dates", [("units/sfg-yunwei-01.yaml", "established: 2025-03-01", "established: 2025-03-01\nwithdrawn:\n  date: 2025-01-01\n  reason: 考评不合格")], "refused", "早于设立日期"),
    ("unit-active-before-set-up", "dates", [("units/sfg-yunwei-01.yaml", "established: 2025-03-01", "established: 2025-03-01\nactivities:\n  - date: 2024-12-01\n    type: 志愿服务\n    title: 清扫")], "refused", "早于设立日期"),
    ("unit-evaluated-before-set-up", "dates", [("units/sfg-yunwei-01.yaml", "  - quarter: 2026Q3", "  - quarter: 2024Q4")], "refused", "设立之前不能自评"),
    ("unit-graded-before-set-up", "dates", [("units/sfg-yunwei-01.yaml", "  - year: 2025", "  - year: 2024")], "refused", "设立之前不能考评"),
    ("notice-item-closed-before-the-notice", "dates", [("notices/2026-01.yaml", "    status: 未完成", "    status: 已完成\n    closed_on: 2026-10-01")], "refused", "早于提示单日期"),
    ("quarter-published-before-its-inspection", "dates", [("assessments/2026Q3/_quarter.yaml", "published: 2026-10-10", "published: 2026-09-25")], "refused", "早于检查结束日期"),
    ("inspection-outside-its-quarter", "dates", [("assessments/2026Q3/_quarter.yaml", "inspection_start: 2026-09-20", "inspection_start: 2026-05-01")], "refused", "不在 2026Q3"),
    ("assessment-outside-the-inspection", "dates", [("assessments/2026Q3/b02-bangong.yaml", "inspected_on: 2026-09-23", "inspected_on: 2026-09-01")], "refused", "不在本季度检查期间"),
    ("commitment-step-in-another-year", "dates", [("commitments/2026/b01-yunwei.yaml", "        date: 2026-06-30", "        date: 2024-06-30")], "refused", "不在 2026 年度承诺的期间"),
    ("wish-fulfilled-in-another-year", "dates", [("wishes/2026/b01-yunwei.yaml", "fulfilled_on: 2026-05-20", "fulfilled_on: 2024-05-20")], "refused", "不在 2026 年度"),
    ("correction-before-publication", "dates", [("assessments/2026Q3/_quarter.yaml", "published: 2026-10-10", "published: 2026-10-10\ncorrections:\n  - date: 2026-10-01\n    reason: 更正\n    approver: 公司党委")], "refused", "早于发布日期"),
    ("recheck-outside-its-quarter", "dates", [("interviews/2026q3-b02-bangong.yaml", "    status: 整改中", "    status: 整改中\nrecheck:\n  quarter: 2027Q1\n  date: 2026-11-10\n  result: 已整改")], "refused", "不在 2027Q1"),
    # ------------------------------------------------------------ aliases
    ("category-written-twice-in-rules", "aliases", [("rules/2026-v1.yaml", "  Ⅲ:\n    blue: {below: 98, adjustment: -0.5}", "  Ⅲ:\n    blue: {below: 98, adjustment: -0.5}\n  III:\n    blue: {below: 90, adjustment: -0.5}")], "refused", "是同一个类别（Ⅲ），写了两次"),
    ("category-written-twice-in-maxima", "aliases", [("rules/2026-v1.yaml", "max: {Ⅰ: 20, Ⅱ: 15, Ⅲ: 15}", "max: {Ⅰ: 20, Ⅱ: 15, Ⅲ: 15, '3': 15}")], "refused", "写了两次"),
    ("category-as-arabic-numeral-once-is-fine", "aliases", [("rules/2026-v1.yaml", "max: {Ⅰ: 20, Ⅱ: 15, Ⅲ: 15}", "max: {'1': 20, '2': 15, '3': 15}")], "loads", ""),
    # ------------------------------------------------------------- structure
    ("duplicate-member-across-files", "structure", [("members/b02-bangong.yaml", "  - id: m003", "  - id: m001")], "refused", "重复"),
    ("dangling-secretary", "structure", [("organizations/b02-bangong.yaml", "secretary: m003", "secretary: m999")], "refused", "找不到党员“m999”"),
    ("path-in-an-id", "structure", [("notices/2026-01.yaml", "id: 2026-01", "id: ../../etc")], "refused", "不是有效的编号"),
    ("uppercase-file-name", "structure", [("notices/2026-01.yaml", None, None), ("notices/2026-A1.yaml", None, "id: 2026-a1\n")], "refused", "小写英文字母"),
    ("yaml-1.1-octal-id", "structure", [("members/b01-yunwei.yaml", "id: m001", "id: 0755")], "refused", "八进制"),
    ("score-off-the-sheet", "structure", [("assessments/2026Q3/b01-yunwei.yaml", "  党员教育: 10", "  党员教育: 150")], "refused", "应不大于 100"),
    ("dangling-unit-holder", "structure", [("units/sfg-yunwei-01.yaml", "  - m001", "  - m404")], "refused", "找不到党员“m404”"),
    ("member-in-another-branchs-commitments", "structure", [("commitments/2026/b01-yunwei.yaml", "member: m001", "member: m003")], "refused", "不是本文件的支部"),
    ("unknown-field", "structure", [("members/b01-yunwei.yaml", "    role: 支部书记", "    role: 支部书记\n    phone: 110")], "refused", "未知字段“phone”"),
    ("billion-laughs-alias", "structure", [("site.yaml", "title: 党建公示栏", "title: &a 党建公示栏")], "refused", "不支持锚点"),
    ("python-tag", "structure", [("site.yaml", "title: 党建公示栏", "title: !!python/object/apply:os.system ['id']")], "refused", "不支持 YAML 标签"),
    ("two-documents", "structure", [("site.yaml", "title: 党建公示栏", "title: 党建公示栏\n---\ntitle: 另一个")], "refused", "只能有一个 YAML 文档"),
    ("duplicate-key-hides-a-value", "structure", [("site.yaml", "title: 党建公示栏", "title: 党建公示栏\ntitle: 另一个")], "refused", "重复的键“title”"),
    ("yes-as-text", "structure", [("members/b01-yunwei.yaml", "post: 变电运维班班长", "post: yes")], "refused", "是非值"),
    ("sexagesimal", "structure", [("members/b01-yunwei.yaml", "post: 变电运维班班长", "post: 3:30")], "refused", "六十进制"),
    ("datetime-for-a-date", "structure", [("notices/2026-01.yaml", "date: 2026-10-12", "date: 2026-10-12 09:00:00")], "refused", "带有时间"),
    ("impossible-date", "structure", [("notices/2026-01.yaml", "date: 2026-10-12", "date: 2026-02-30")], "refused", "不是有效日期"),
    ("negative-deduction", "structure", [("assessments/2026Q3/b02-bangong.yaml", "points: 2.5", "points: -2.5")], "refused", "应大于 0"),
    ("nan-score", "structure", [("assessments/2026Q3/b01-yunwei.yaml", "  党员教育: 10", "  党员教育: .nan")], "refused", "YAML 1.1"),
    ("internal-field-of-another-kind", "structure", [("site.yaml", "  days: 7\n", "  days: 7\nprivacy:\n  internal:\n    - Member.id\n")], "refused", "不是可以设为内部的字段"),
    ("mask-switch-as-text", "structure", [("site.yaml", "  days: 7\n", "  days: 7\nprivacy:\n  mask: 'yes'\n")], "refused", "应为 true 或 false"),
    ("syntax-error-does-not-hide-the-rest", "structure", [("notices/2026-01.yaml", "title: 关于", "title: [关于"), ("organizations/b02-bangong.yaml", "secretary: m003", "secretary: m999")], "refused", "找不到党员“m999”"),
]  # fmt: skip

# Payloads that would run, fetch or reshape the page if any reached it as markup. Each
# sets window.__pwned: a browser test proves none ran.
MARK = "window.__pwned=1"
PAYLOADS: list[str] = [
    f"<script>{MARK}</script>",
    f'<img src=x onerror="{MARK}">',
    f"<IMG SRC=x OnError={MARK}>",
    f"<svg/onload={MARK}>",
    f"![](data:image/png,x){{: OnError={MARK} }}",
    f"[点我](javascript:{MARK})",
    f'<a href="jav&#x61;script:{MARK}">x</a>',
    f'{{: onclick="{MARK}" }}',
    f'"><script>{MARK}</script>',
    f"'><img src=x onerror={MARK}>",
    f"</title><script>{MARK}</script>",
    f"</textarea><script>{MARK}</script>",
    f"--><script>{MARK}</script>",
    "<!--board-html:PHNjcmlwdD53aW5kb3cuX19wd25lZD0xPC9zY3JpcHQ+-->",
    f"<math><mtext><table><mglyph><style><img src=x onerror={MARK}>",
    f'<iframe srcdoc="<script>{MARK}</script>">',
    f"<details open ontoggle={MARK}>",
    f"<input autofocus onfocus={MARK}>",
    f'<svg><a xlink:href="javascript:{MARK}"><text>x</text></a></svg>',
    f'<a href="&#106;avascript:{MARK}">x</a>',
    '<base href="//evil.invalid/">',
    f'<meta http-equiv="refresh" content="0;url=javascript:{MARK}">',
    f'<object data="javascript:{MARK}">',
    f'<form action="javascript:{MARK}"><button>提交</button></form>',
    "![跟踪](http://evil.invalid/track.png)",
    "[x](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX19wd25lZD0xPC9zY3JpcHQ+)",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "{{ config }} {% raw %}",
    f"| 表格 | <script>{MARK}</script> |",
    f"# <script>{MARK}</script>",
    f'!!! warning "<script>{MARK}</script>"',
    f"[x]: javascript:{MARK}",
    "&lt;script&gt;已经转义的文字&lt;/script&gt;",
    f'alt=">"onerror={MARK}',
    f"<video><source onerror={MARK}></video>",
    f"`<script>{MARK}</script>`",
    f"<<script>{MARK}//<</script>",
    f"<scr<script>ipt>{MARK}</script>",
]
# Where they go: multi-line fields take fenced blocks, the others one line each.
BLOCK_PAYLOADS = [
    f"~~~\n<script>{MARK}</script>\n~~~",
    f"```html\n<img src=x onerror={MARK}>\n```",
    f"    <script>{MARK}</script>\n缩进代码块",
]
SPREADSHEET_PAYLOADS = [
    "=1+1",
    "@SUM(1+1)",
    "+1+1",
    "-1+1",
    '=HYPERLINK("http://evil.invalid","点我")',
]
