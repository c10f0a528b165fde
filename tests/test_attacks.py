"""The attack corpus (tests/attacks.py), run: every case ends in success or a clean,
located Chinese error; planted markup never runs in a browser; no formula reaches a
spreadsheet; faults leave a complete site and a clear message."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from playwright.sync_api import Browser

from generator.cli.project import relay
from generator.errors import BuildError, DataError
from generator.model import load_dataset
from generator.model.parsecache import ParseCache, ParsedFiles
from generator.publish import mark_complete, releases, remove_unfinished, switch_to
from generator.render.exports import quarter_csv, quarter_xlsx
from generator.scanner import scan_site
from generator.sitedir import FolderLock, StagedSite, remove_stale_staging
from tests import attacks
from tests.conftest import TINY, Repo, board_of, make_project, run_mkdocs
from tests.test_bad_data import apply
from tests.test_build import snapshot

LOCATED = re.compile(r"^(?:data|/\S+)/\S+:\d+:\d+: .*[\u4e00-\u9fff]")
TODAY = dt.date(2026, 11, 15)


def outcome(data: Path) -> tuple[list[str], list[str]]:
    """(errors, hints) as printed; anything but a DataError fails the test."""
    try:
        dataset = load_dataset(data, today=TODAY)
    except DataError as exc:
        return [str(p) for p in exc.problems], []
    return [], [str(w) for w in dataset.warnings]


@pytest.mark.parametrize(
    ("edits", "expected", "words"),
    [c[2:] for c in attacks.DATA_CASES],
    ids=[f"{c[1]}:{c[0]}" for c in attacks.DATA_CASES],
)
def test_data_attack(tiny: Path, edits: list[attacks.Edit], expected: str, words: str) -> None:
    apply(tiny, edits)
    errors, hints = outcome(tiny)
    for line in errors + hints:
        assert LOCATED.match(line), line
        assert "Traceback" not in line
    if expected == "refused":
        assert errors, "accepted"
        assert any(words in line for line in errors), errors
    elif expected == "hint":
        assert not errors, errors
        assert any(words in line for line in hints), hints
    else:
        assert not errors, errors


def test_the_corpus_is_large_enough() -> None:
    cases = len(attacks.DATA_CASES) + len(attacks.PAYLOADS) + len(attacks.BLOCK_PAYLOADS)
    assert cases + len(attacks.SPREADSHEET_PAYLOADS) + len(FAULTS) >= 150


# --------------------------------------------------------- files that are not data


def test_a_symlinked_file_is_refused_and_never_read(tiny: Path, tmp_path: Path) -> None:
    secret = tmp_path / "outside.yaml"
    secret.write_text("company: 机密内容甲\n", encoding="utf-8")
    (tiny / "notices" / "2026-09.yaml").symlink_to(secret)
    errors, _ = outcome(tiny)
    assert errors == [
        "data/notices/2026-09.yaml:1:1: 是符号链接：数据文件必须是仓库中的普通文件，"
        "不能指向别处（链接指向的内容不会被读取）；请删除这个链接，把数据直接写在文件里"
    ]


def test_a_symlinked_folder_is_refused(tiny: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    shutil.copytree(tiny / "units", outside)
    (tiny / "units2").symlink_to(outside)
    errors, _ = outcome(tiny)
    assert any("units2:1:1: 是符号链接" in e for e in errors), errors


def test_a_special_file_is_refused(tiny: Path) -> None:
    os.mkfifo(tiny / "notices" / "2026-09.yaml")
    errors, _ = outcome(tiny)
    assert any("2026-09.yaml:1:1: 不是普通文件" in e for e in errors), errors


def test_an_unreadable_folder_is_reported_not_skipped(
    tiny: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = os.scandir

    def scandir(path: object) -> object:
        if str(path).endswith("commitments/2026"):
            raise PermissionError(13, "Permission denied")
        return real(path)  # type: ignore[call-overload]

    monkeypatch.setattr(os, "scandir", scandir)
    errors, _ = outcome(tiny)
    assert any("commitments/2026:1:1: 无法读取目录（权限不足）" in e for e in errors), errors


def test_an_unreadable_file_is_reported(tiny: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "2026-01.yaml":
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    errors, _ = outcome(tiny)
    assert any("notices/2026-01.yaml:1:1: 无法读取文件（权限不足）" in e for e in errors), errors


# ------------------------------------------------------------ planted markup


def plant(data: Path) -> None:
    """Every payload into a different field of the tiny board (each stays valid data)."""
    apply(
        data,
        [("site.yaml", "company: 测试能源有限公司", f"company: {json.dumps(attacks.PAYLOADS[0])}")],
    )
    payloads = iter(attacks.PAYLOADS[1:])
    fields = [
        ("members/b01-yunwei.yaml", "name: 林安平"), ("members/b01-yunwei.yaml", "post: 变电运维班班长"),
        ("members/b01-yunwei.yaml", "name: 周雨辰"), ("members/b02-bangong.yaml", "post: 办公室主任"),
        ("organizations/b02-bangong.yaml", "name: 办公室党支部"),
        ("organizations/zz-yunjian.yaml", "name: 运检党总支"),
        ("commitments/2026/b01-yunwei.yaml", "target: 误操作次数为 0，完成倒闸操作 300 次"),
        ("commitments/2026/b01-yunwei.yaml", "verifier: 运维检修部主任"),
        ("commitments/2026/b01-yunwei.yaml", "evidence: 上半年完成倒闸操作 160 次，无差错"),
        ("units/sfg-yunwei-01.yaml", "name: 倒闸操作“零差错”党员示范岗"),
        ("units/sfg-yunwei-01.yaml", "standard: 全年无误操作；每季度开展一次操作技能分享。"),
        ("assessments/2026Q3/b02-bangong.yaml", "reason: 主题党日未按计划开展"),
        ("assessments/2026Q3/b02-bangong.yaml", "inspection_group: 第二检查组"),
        ("assessments/2026Q3/_quarter.yaml", "notice_number: 测试党〔2026〕12号"),
        ("notices/2026-01.yaml", "title: 关于规范主题党日活动的提示单"),
        ("notices/2026-01.yaml", "content: 按月制定并公开主题党日计划"),
        ("notices/2026-01.yaml", "issuer: 公司党委"),
        ("interviews/2026q3-b02-bangong.yaml", "problem: 主题党日未按计划开展"),
        ("interviews/2026q3-b02-bangong.yaml", "measure: 制定季度主题党日计划并报党建工作部备案"),
        ("interviews/2026q3-b02-bangong.yaml", "interviewer: 公司党委书记"),
        ("wishes/2026/b01-yunwei.yaml", "employee: 陈小满"),
        ("wishes/2026/b01-yunwei.yaml", "wish: 希望班组休息室添置一台微波炉"),
        ("rules/2026-v1.yaml", "title: 基层党建工作季度差异化积分考核评价实施方案（测试版）"),
        ("rules/2026-v1.yaml", "ties: 基础得分相同的并列同一名次；并列处于红榜或蓝榜线上的，全部列入。"),
        ("site.yaml", "title: 党建公示栏"),
        ("site.yaml", "office: 党建工作部"), ("site.yaml", "contact: 党建工作部（综合楼 305 室）"),
        ("organizations/dw.yaml", "name: 测试能源有限公司党委"),
        ("organizations/b01-yunwei.yaml", "name: 第一党小组"),
    ]  # fmt: skip
    fields = [f for f in fields if (data / f[0]).read_text(encoding="utf-8").count(f[1]) == 1]
    edits: list[attacks.Edit] = []
    for (rel, line), payload in zip(fields, payloads, strict=False):
        key = line.split(":")[0]
        limit = 60 if key in {"name", "post", "title", "office", "company", "issuer", "employee",
                              "interviewer", "inspection_group", "notice_number", "verifier"} else 4000  # fmt: skip
        edits.append((rel, line, f"{key}: {json.dumps(payload[:limit], ensure_ascii=False)}"))
    rest = list(payloads)
    commitments = data / "commitments" / "2026" / "b01-yunwei.yaml"
    text = commitments.read_text(encoding="utf-8")
    extra = "\n".join(rest + attacks.BLOCK_PAYLOADS)
    text = text.replace("text: 全年倒闸操作零差错", "text: |\n      全年倒闸操作零差错\n"
                        + "\n".join(f"      {line}" for line in extra.splitlines()))  # fmt: skip
    commitments.write_text(text, encoding="utf-8")
    apply(data, edits)


@pytest.fixture(scope="module")
def attacked_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    project = make_project(tmp_path_factory.mktemp("attacked"), TINY)
    plant(project / "data")
    result = run_mkdocs(project)
    assert result.returncode == 0, result.stderr
    yield project / "site"


def test_every_payload_is_planted(attacked_site: Path) -> None:
    text = (attacked_site.parent / "data" / "commitments" / "2026" / "b01-yunwei.yaml").read_text(
        encoding="utf-8"
    )
    assert attacks.BLOCK_PAYLOADS[0].splitlines()[1] in text


def test_the_attacked_site_holds_no_live_markup(attacked_site: Path) -> None:
    fatal = [f for f in scan_site(attacked_site, set(), set()) if f.fatal]
    assert fatal == []


@pytest.mark.browser
def test_no_payload_runs_in_a_browser(attacked_site: Path, browser: Browser) -> None:
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    outside: list[str] = []
    page.on(
        "request",
        lambda r: None if r.url.startswith(("file:", "data:", "blob:")) else outside.append(r.url),
    )
    pages = sorted(p for p in attacked_site.rglob("*.html") if "assets" not in p.parts)
    assert len(pages) > 15
    for path in pages:
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        page.wait_for_timeout(50)
        assert page.evaluate("window.__pwned") is None, path
        assert "evil.invalid" not in page.url
    context.close()
    assert dialogs == [] and outside == []


def test_names_from_data_never_become_markup_in_the_page_chrome(attacked_site: Path) -> None:
    index = (attacked_site / "index.html").read_text(encoding="utf-8")
    title = re.search(r"<title>(.*?)</title>", index, re.S)
    assert title is not None and "<script" not in title.group(1)
    assert "&lt;script&gt;" in index  # the site name is shown, as text


# ---------------------------------------------------------------- spreadsheets


@pytest.mark.parametrize("payload", attacks.SPREADSHEET_PAYLOADS)
def test_no_formula_reaches_a_spreadsheet(tiny: Path, payload: str) -> None:
    reason = json.dumps(payload, ensure_ascii=False)
    apply(
        tiny,
        [
            (
                "assessments/2026Q3/b02-bangong.yaml",
                "reason: 主题党日未按计划开展",
                f"reason: {reason}",
            )
        ],
    )
    board = board_of(tiny)
    book = openpyxl.load_workbook(io.BytesIO(quarter_xlsx(board, "2026Q3")))
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert payload in [c.value for c in cells]  # kept, as text
    with zipfile.ZipFile(io.BytesIO(quarter_xlsx(board, "2026Q3"))) as raw:
        assert not any(b"<f>" in raw.read(n) for n in raw.namelist() if n.endswith(".xml"))
    frame = pd.read_csv(io.BytesIO(quarter_csv(board, "2026Q3")), encoding="utf-8-sig", dtype=str)
    for text in [*frame.columns, *(v for c in frame for v in frame[c].dropna())]:
        assert not (str(text).startswith(("=", "+", "-", "@")) and not number(str(text))), text


def number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


# ---------------------------------------------------------------------- faults


def test_a_kill_between_the_steps_of_a_swap_leaves_a_whole_site(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("旧", encoding="utf-8")
    staged = StagedSite(site)
    (staged.prepare() / "index.html").write_text("新", encoding="utf-8")
    staged.commit()  # one renameat2 exchange: there is no moment without a site
    assert (site / "index.html").read_text(encoding="utf-8") == "新"
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_a_second_build_at_once_is_refused_with_a_message(tmp_path: Path) -> None:
    first = StagedSite(tmp_path / "site")
    first.prepare()
    second = StagedSite(tmp_path / "site")
    with pytest.raises(BuildError, match="另一个生成站点的任务正在进行"):
        second.prepare()
    first.abandon()
    second.prepare()  # free again
    second.abandon()


def test_staging_folders_of_killed_builds_are_removed(tmp_path: Path) -> None:
    dead = tmp_path / "site.staging-999999"
    dead.mkdir()
    assert remove_stale_staging(tmp_path / "site") == [dead]
    assert not dead.exists()


def test_a_folder_lock_leaves_no_file(tmp_path: Path) -> None:
    with FolderLock(tmp_path, "发布"), pytest.raises(BuildError, match="另一个发布的任务"):
        FolderLock(tmp_path, "发布")
    assert list(tmp_path.iterdir()) == []


def test_a_foreign_cache_entry_is_never_used(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(TINY, data)
    cache_dir = tmp_path / "cache"
    load_dataset(data, cache_dir=cache_dir)
    members = data / "members" / "b01-yunwei.yaml"
    other = data / "members" / "b02-bangong.yaml"
    cache = ParseCache(cache_dir)
    files = ParsedFiles(cache_dir)
    files.prefetch([(members, "m"), (other, "o")])
    mine, theirs = files.keys[members], files.keys[other]
    shutil.copy(cache.path(theirs), cache.path(mine))  # a foreign entry put in place
    assert cache.blob(mine) is None
    dataset = load_dataset(data, cache_dir=cache_dir)  # parses the file again instead
    assert dataset.member_branch["m001"] == dataset.member_branch["m002"] == "b01-yunwei"


def test_plain_mkdocs_build_equals_board_build(repo: Repo, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    command = [str(Path(sys.executable).with_name("board")), "build"]
    subprocess.run(command, cwd=repo.root, env=env, check=True, capture_output=True)
    plain = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "p")]
    subprocess.run(plain, cwd=repo.root, env=env | {"NO_MKDOCS_2_WARNING": "1"}, check=True,
                   capture_output=True)  # fmt: skip
    assert snapshot(tmp_path / "p") == snapshot(repo.root / "site")


def test_a_system_error_in_a_build_is_one_chinese_line(capsys: pytest.CaptureFixture[str]) -> None:
    relay([
        "INFO    -  Building documentation\n",
        "Traceback (most recent call last):\n",
        '  File "x.py", line 1, in <module>\n',
        "OSError: [Errno 28] No space left on device: 'site/index.html'\n",
        "INFO    -  next\n",
    ])  # fmt: skip
    err = capsys.readouterr().err
    assert "构建时出现系统错误：磁盘空间不足（OSError: [Errno 28]" in err
    assert "Traceback" not in err and 'File "x.py"' not in err
    assert err.startswith("INFO    -  Building documentation") and err.endswith("INFO    -  next\n")


def test_an_unfinished_release_is_never_listed_switched_or_rolled_back_to(tmp_path: Path) -> None:
    done = tmp_path / "releases" / "20261101T000000-aaaa"
    unfinished = tmp_path / "releases" / "20261102T000000-bbbb"  # a build that outlived publish
    for release in (done, unfinished):
        release.mkdir(parents=True)
        (release / "index.html").write_text("x", encoding="utf-8")
    mark_complete(done, "aaaa")
    switch_to(tmp_path, done)
    assert releases(tmp_path) == [done]
    with pytest.raises(BuildError, match="不是已完成的发布版本"):
        switch_to(tmp_path, unfinished)
    assert remove_unfinished(tmp_path) == [unfinished] and not unfinished.exists()


FAULTS = [
    test_a_system_error_in_a_build_is_one_chinese_line,
    test_an_unfinished_release_is_never_listed_switched_or_rolled_back_to,
    test_a_symlinked_file_is_refused_and_never_read,
    test_a_symlinked_folder_is_refused,
    test_a_special_file_is_refused,
    test_an_unreadable_folder_is_reported_not_skipped,
    test_an_unreadable_file_is_reported,
    test_a_kill_between_the_steps_of_a_swap_leaves_a_whole_site,
    test_a_second_build_at_once_is_refused_with_a_message,
    test_staging_folders_of_killed_builds_are_removed,
    test_a_folder_lock_leaves_no_file,
    test_a_foreign_cache_entry_is_never_used,
    test_plain_mkdocs_build_equals_board_build,
]
