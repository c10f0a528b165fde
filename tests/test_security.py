"""Privacy and safety, tested like an attacker: planted leaks and injections are all caught."""

from __future__ import annotations

import gzip
import io
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from generator.errors import DataError
from generator.model import load_dataset
from generator.model.policy import (
    builtin_internal,
    internal_values,
    mask_name,
    mask_numbers,
    publishable,
)
from generator.personal import id_check_digit_valid
from generator.scanner import scan_site
from tests.conftest import TINY, make_project, run_mkdocs
from tests.test_bad_data import apply
from tests.test_build import snapshot

VALID_ID = "11010519491231002X"  # a made-up number with a valid check digit
INVALID_ID = "110105194912310021"
MOBILE = "13912345678"


def test_check_digit_follows_iso_7064() -> None:
    assert id_check_digit_valid(VALID_ID)
    assert not id_check_digit_valid(INVALID_ID)


def write(site: Path, rel: str, content: str | bytes) -> None:
    path = site / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)


def xlsx(text: str) -> bytes:
    buffer = io.BytesIO()
    pd.DataFrame({"备注": [text]}).to_excel(buffer, index=False)
    return buffer.getvalue()


def search_index(html: str) -> str:
    # Material's index escapes non-ASCII as \uXXXX: the scanner must decode it.
    return json.dumps({"docs": [{"location": "a/", "title": "t", "text": html}]})


PLANTED = [
    ("org/a.html", f"<p>身份证 {VALID_ID}</p>", "身份证号", True),
    ("org/a.html", f"<p>身份证 {INVALID_ID}</p>", "疑似身份证号（校验位不符）", True),
    ("org/a.html", f"<p>电话 {MOBILE}</p>", "手机号码", True),
    ("org/a.html", "<p>电话 139 1234 5678</p>", "手机号码", True),
    ("org/a.html", "<p>电话 139-1234-5678</p>", "手机号码", True),
    ("org/a.html", "<p>电话 +86 139 1234 5678</p>", "手机号码", True),
    ("org/a.html", "<p>电话 ＋８６１３９１２３４５６７８</p>", "手机号码", True),
    ("org/a.html", "<p>内部：约谈记录标记ZX9</p>", "内部字段的内容", True),
    ("org/a.html", '<p><img src=x onerror="alert(1)"></p>', "事件处理属性", True),
    ("org/a.html", "<p><script>alert(1)</script></p>", "内联脚本", True),
    ("org/a.html", "<p><iframe></iframe></p>", "可执行标签", True),
    ("org/a.html", '<p><img src="https://evil.invalid/x.png"></p>', "外部资源", True),
    ("org/a.html", "<p>来信 djb@example.invalid</p>", "电子邮箱", False),
    ("org/a.html", '<p><a href="jav&#x61;script:alert(1)">x</a></p>', "不安全的链接", True),
    ("org/a.html", '<script src="js/x.js"></script>', "外部或未知脚本", True),
    ("search/search_index.json", search_index(f"<p>{VALID_ID}</p>"), "身份证号", True),
    (
        "search/search_index.json",
        search_index("<img src=x onerror=alert(1)>"),
        "事件处理属性",
        True,
    ),
    (
        "search/search_index.json",
        search_index("<p>内部：约谈记录标记ZX9</p>"),
        "内部字段的内容",
        True,
    ),
    (
        "search/search_index.js",
        "var __index = " + search_index(f"<p>{MOBILE}</p>"),
        "手机号码",
        True,
    ),
    ("exports/results.json", json.dumps({"name": f"电话{MOBILE}"}), "手机号码", True),
    ("sitemap.xml", f"<urlset><url><loc>{VALID_ID}</loc></url></urlset>", "身份证号", True),
    ("sitemap.xml.gz", gzip.compress(f"<x>{MOBILE}</x>".encode()), "手机号码", True),
    ("exports/2026Q3.csv", f"名称,电话\n某支部,{MOBILE}\n", "手机号码", True),
    ("exports/2026Q3.xlsx", xlsx(VALID_ID), "身份证号", True),
    ("exports/2026Q3.xlsx", xlsx("内部：约谈记录标记ZX9"), "内部字段的内容", True),
]


@pytest.mark.parametrize(
    ("rel", "content", "kind", "fatal"), PLANTED, ids=[f"{p[0]}:{p[2]}" for p in PLANTED]
)
def test_scanner_catches_what_was_planted(
    tmp_path: Path, rel: str, content: str | bytes, kind: str, fatal: bool
) -> None:
    write(tmp_path, rel, content)
    findings = scan_site(tmp_path, {"内部：约谈记录标记ZX9"}, set())
    assert [(f.kind, f.fatal) for f in findings] == [(kind, fatal)]


CLEAN = [
    "<p>2026-11-15 得分 15 15 20 15 10 5 合计 98.5</p>",
    '<p><a href="../org/b01.html">支部</a> <a href="https://intranet.example/">门户</a></p>',
    '<p><a href="mailto:?subject=x">来信</a> <img src="data:image/png;base64,AA"></p>',
    "<p>规则标题写着 onclick= 也只是文字；alt=&quot;&gt;&quot;onerror 也是</p>",
    "<p>&lt;script&gt;alert(1)&lt;/script&gt; 写成文本是安全的</p>",
    "<p>工号 1234567，编号 12345678901（不是 13-19 开头的手机号）</p>",
]


@pytest.mark.parametrize("html", CLEAN)
def test_scanner_leaves_ordinary_content_alone(tmp_path: Path, html: str) -> None:
    write(tmp_path, "org/a.html", html)
    assert scan_site(tmp_path, set(), set()) == []


def test_allowlist_silences_a_known_false_positive(tmp_path: Path) -> None:
    write(tmp_path, "about.html", f"<p>服务热线 {MOBILE}</p>")
    assert scan_site(tmp_path, set(), {MOBILE}) == []


# ----------------------------------------------------------- publish policy

MARK = "机密标记"


def plant_internal_markers(data: Path) -> dict[tuple[str, str], str]:
    """A unique marker in every internal field: built-in ones and ones the office adds."""
    markers = {
        ("Interview", "notes"): f"{MARK}-约谈记录-1",
        ("NoticeItem", "detail"): f"{MARK}-纪律细节-2",
        ("Commitment", "verifier"): f"{MARK}-验证人-3",
        ("StageRecord", "note"): f"{MARK}-步骤备注-4",
    }
    apply(data, [
        ("interviews/2026q3-b02-bangong.yaml", "notes: 内部记录：约谈时书记表示将于下季度前完成整改。",
         f"notes: {markers['Interview', 'notes']}"),
        ("notices/2026-01.yaml", "    status: 未完成\n",
         f"    status: 未完成\n    detail: {markers['NoticeItem', 'detail']}\n"),
        ("commitments/2026/b01-yunwei.yaml", "verifier: 运维检修部主任",
         f"verifier: {markers['Commitment', 'verifier']}"),
        ("commitments/2026/b01-yunwei.yaml", "        date: 2026-01-20\n",
         f"        date: 2026-01-20\n        note: {markers['StageRecord', 'note']}\n"),
        ("site.yaml", "  days: 7\n",
         "  days: 7\nprivacy:\n  internal:\n    - Commitment.verifier\n    - StageRecord.note\n"),
    ])  # fmt: skip
    return markers


def test_no_internal_value_reaches_the_site(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", TINY)
    markers = plant_internal_markers(project / "data")
    assert builtin_internal() <= set(markers)
    result = run_mkdocs(project)
    assert result.returncode == 0, result.stderr
    for path in (project / "site").rglob("*"):
        if path.is_file():
            raw = path.read_bytes()
            text = raw.decode("utf-8", "ignore")
            decoded = json.loads(text) if path.suffix == ".json" else None
            for marker in markers.values():
                assert marker not in text, (path, marker)
                assert marker.encode("unicode_escape").decode() not in text, (path, marker)
                assert decoded is None or marker not in json.dumps(decoded, ensure_ascii=False)


def test_policy_keeps_internal_values_for_the_scanner_only(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(TINY, data)
    markers = plant_internal_markers(data)
    dataset = load_dataset(data)
    assert internal_values(dataset.records, dataset.site) >= set(markers.values())
    public = publishable(dataset)
    assert public.public and not dataset.public
    assert internal_values(public.records, public.site) == set()
    assert public.interviews["2026q3-b02-bangong"].notes is None
    assert dataset.interviews["2026q3-b02-bangong"].notes == markers["Interview", "notes"]


def test_personal_data_in_the_data_is_an_error_at_its_field(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", TINY)
    assert run_mkdocs(project).returncode == 0
    before = snapshot(project / "site")
    apply(project / "data", [
        ("commitments/2026/b01-yunwei.yaml", "text: 全年倒闸操作零差错",
         f"text: 全年倒闸操作零差错，联系电话 {MOBILE}"),
    ])  # fmt: skip
    result = run_mkdocs(project)
    assert result.returncode == 1
    assert (
        "data/commitments/2026/b01-yunwei.yaml:7:11: commitments[1].text: 含有疑似手机号码（139******78）"
        in result.stderr
    )
    assert MOBILE not in result.stderr  # the log names the place, never the number
    assert snapshot(project / "site") == before


def test_a_leak_past_the_checks_fails_the_build_and_the_old_site_stays(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", TINY)
    assert run_mkdocs(project).returncode == 0
    before = snapshot(project / "site")
    about = project / "content" / "about.md"  # hand-written pages are not data: only the scanner
    about.write_text(about.read_text(encoding="utf-8") + f"\n联系电话 {MOBILE}\n", "utf-8")
    result = run_mkdocs(project)
    assert result.returncode == 1
    assert (
        "输出扫描发现" in result.stderr
        and "about.html: 错误：手机号码：139******78" in result.stderr
    )
    assert MOBILE not in result.stderr
    assert snapshot(project / "site") == before


def test_unknown_internal_field_is_a_data_error(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(TINY, data)
    apply(
        data,
        [("site.yaml", "  days: 7\n", "  days: 7\nprivacy:\n  internal: [Member.name, Foo.bar]\n")],
    )
    with pytest.raises(DataError) as caught:
        load_dataset(data)
    messages = [str(p) for p in caught.value.problems]
    assert any(
        "“Member.name”不是可以设为内部的字段" in m for m in messages
    )  # required: cannot hide
    assert any("“Foo.bar”不是可以设为内部的字段" in m for m in messages)


# ------------------------------------------------------------------ masking


@pytest.mark.parametrize(
    ("name", "masked"), [("张三", "张*"), ("张小三", "张*三"), ("欧阳小明", "欧**明"), ("林", "林")]
)
def test_mask_name(name: str, masked: str) -> None:
    assert mask_name(name) == masked


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("电话13912345678", "电话139******78"),
        ("工号１２３４５６７", "工号１２３**６７"),
        ("2026 年 12 次", "2026 年 12 次"),
    ],
)
def test_mask_numbers(text: str, masked: str) -> None:
    assert mask_numbers(text) == masked


def test_masked_build_shows_no_full_name(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", TINY)
    apply(project / "data", [("site.yaml", "  days: 7\n", "  days: 7\nprivacy:\n  mask: true\n")])
    assert run_mkdocs(project).returncode == 0
    site = project / "site"
    # Generated pages only: the data-format page's examples use invented names on purpose.
    pages = [p for p in site.rglob("*.html") if p.name not in {"data-format.html", "about.html"}]
    text = "".join(p.read_text("utf-8", "ignore") for p in pages)
    for full in ("林安平", "周雨辰", "郑晓岚", "陈小满"):
        assert full not in text, full
    assert "林*平" in text and "周*辰" in text
