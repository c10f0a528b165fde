"""Build caches: a rebuild from them is byte for byte a cold build of the same data.

MkDocs' part of each page (``generator/cachedpages.py``), our Markdown of each branch
page (``generator/render/memo.py``) and the scanner's verdicts (``generator/scanner.py``)
are kept between builds. Each test here edits something, rebuilds with the caches and
without any, and compares every file of the two sites. None of it is timed: bench/run
measures what the caches save.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from generator import buildcache, files, scanner, stagememo
from generator.buildcache import EntryStore, Uncacheable, plain_digest
from generator.errors import DataError
from generator.files import BlobCache
from generator.model import load_dataset, loading, yamlio
from generator.model.checks import personal
from generator.model.dataset import Dataset
from generator.model.kinds import kinds
from generator.model.policy import publishable
from generator.pipeline import Source, prepare
from generator.ranking.board import Board, derive
from generator.render import memo
from generator.render.pages import families
from generator.scanner import Finding, ScanAhead, scan_site
from tests.conftest import ROOT, TINY, Repo, make_project
from tests.test_bad_data import Edit, apply

# One edit of a record of every kind, each valid on top of the ones before it.
RECORD_EDITS: list[tuple[str, list[Edit]]] = [
    ("member", [("members/b01-yunwei.yaml", "post: 变电运维工", "post: 变电运维班副班长")]),
    ("commitment", [("commitments/2026/b01-yunwei.yaml", "text: 全年倒闸操作零差错", "text: 全年倒闸操作零差错、零违章")]),
    ("supervision", [("supervision/2026/b01-yunwei.yaml", "finding: 全体党员承诺按计划推进", "finding: 全体党员承诺基本按计划推进")]),
    ("wish", [("wishes/2026/b01-yunwei.yaml", "wish: 希望班组休息室添置一台微波炉", "wish: 希望班组休息室添置一台冰箱")]),
    ("unit", [("units/sfg-yunwei-01.yaml", "standard: 全年无误操作；", "standard: 全年无误操作、无违章；")]),
    ("interview", [("interviews/2026q3-b02-bangong.yaml", "measure: 制定季度主题党日计划", "measure: 制定并公开季度主题党日计划")]),
    ("comparison", [("comparisons/2025/b01-yunwei.yaml", "contribution: 为新员工讲授安全规程", "contribution: 为新员工讲授安全规程和操作规程")]),
    ("star", [("stars/2025/b01-yunwei.yaml", "team: 变电运维二班\n    stars: 3", "team: 变电运维二班\n    stars: 4")]),
    ("assessment", [("assessments/2026Q3/b02-bangong.yaml", "reason: 主题党日未按计划开展", "reason: 主题党日两次未按计划开展")]),
    ("quarter", [("assessments/2026Q3/_quarter.yaml", "inspection_end: 2026-09-28", "inspection_end: 2026-09-29")]),
    ("commitment_year", [("commitments/2026/_year.yaml", "published: 2026-02-01", "published: 2026-02-03")]),
    ("indicators", [("indicators/2026Q3.yaml", "value: 95.1%", "value: 95.3%")]),
    ("notice", [("notices/2026-01.yaml", "content: 按月制定并公开主题党日计划", "content: 按月制定并公开主题党日计划和记录")]),
    ("organization", [("organizations/b02-bangong.yaml", "name: 办公室党支部", "name: 综合办公室党支部")]),
    ("rules", [("rules/2026-v1.yaml", "red: {top: 1, adjustment: 1.5}", "red: {top: 1, adjustment: 2}")]),
    ("site", [("site.yaml", "days: 7", "days: 5")]),
    # A member moves from b01 to b02: b01's pages now read b02's file too.
    ("member", [
        ("organizations/b01-yunwei.yaml", "leader: m002", "leader: m001"),
        ("members/b01-yunwei.yaml", "    role: 党小组组长\n    group: b01-g1\n", "    role: 党小组组长\n    group: b01-g1\n    left_on: 2026-10-31\n    left_reason: 调出\n    moved_to: b02-bangong\n"),
        ("members/b02-bangong.yaml", "    role: 党委书记\n", "    role: 党委书记\n  - id: m002\n    name: 周雨辰\n    post: 综合秘书\n    joined_on: 2026-11-01\n"),
    ]),
    ("member", [("members/b02-bangong.yaml", "post: 综合秘书", "post: 综合文秘")]),
    # b02's cards show the mover's evaluated commitments of last year, from b01's file.
    ("commitment", [("commitments/2025/b01-yunwei.yaml", "rating: 良好", "rating: 优秀")]),
]  # fmt: skip
# Last year's commitments in b01, one of them by the member who moves to b02.
LAST_YEAR: list[Edit] = [
    ("commitments/2025/_year.yaml", None, "year: 2025\npublished: 2025-02-28\n"),
    (
        "commitments/2025/b01-yunwei.yaml",
        None,
        """branch: b01-yunwei
year: 2025
commitments:
  - id: c2025-m002-post
    member: m002
    kind: 岗位承诺
    text: 全年完成倒闸操作 200 次
    target: 倒闸操作 200 次
    deadline: 2025-12-31
    verifier: 运维检修部主任
    progress:
      - stage: 科学定诺
        date: 2025-01-10
        review: 审核通过
      - stage: 公开承诺
        date: 2025-01-20
      - stage: 履责践诺
        date: 2025-06-30
        evidence: 上半年完成倒闸操作 110 次
      - stage: 民主评诺
        date: 2025-12-22
        note: 党员大会民主评议
        rating: 良好
        outcome: 已兑现
""",
    ),
]
OTHER_EDITS: list[tuple[str, Callable[[Path], None]]] = []


def _edit(label: str) -> Callable[[Callable[[Path], None]], Callable[[Path], None]]:
    def register(change: Callable[[Path], None]) -> Callable[[Path], None]:
        OTHER_EDITS.append((label, change))
        return change

    return register


@_edit("a theme template")
def _theme(project: Path) -> None:
    main = project / "theme" / "main.html"
    text = main.read_text(encoding="utf-8")
    main.write_text(
        text.replace("{{ super() }}", '{{ super() }}\n  <meta name="x" content="1">', 1)
    )


@_edit("a hand-written page")
def _content(project: Path) -> None:
    with (project / "content" / "about.md").open("a", encoding="utf-8") as page:
        page.write("\n本页已更新。\n")


@_edit("a hand-written page's front matter")
def _front_matter(project: Path) -> None:
    page = project / "content" / "about.md"
    text = page.read_text(encoding="utf-8")
    page.write_text("---\ntitle: 关于本站（修订）\ntags: [说明]\n---\n" + text, encoding="utf-8")


@_edit("front matter holding a date (not kept: read again)")
def _front_matter_date(project: Path) -> None:
    page = project / "content" / "about.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("tags: [说明]\n", "tags: [说明]\ndate: 2026-11-30\n", 1))


@_edit("a new record that adds a page")
def _new_unit(project: Path) -> None:
    unit = project / "data" / "units" / "sfg-yunwei-01.yaml"
    text = unit.read_text(encoding="utf-8").replace("sfg-yunwei-01", "sfg-yunwei-02")
    text = text.replace("党员示范岗\n", "党员示范岗（二）\n", 1)
    (unit.parent / "sfg-yunwei-02.yaml").write_text(text, encoding="utf-8")


def snapshot(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


class Builds:
    """In-process ``mkdocs build --strict`` of one project, with its caches or without."""

    def __init__(self, project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.project, self.monkeypatch = project, monkeypatch
        self.count = 0
        self.stats: dict[str, int] = {}

    def __call__(self, *, cached: bool, strict: bool = True) -> Path:
        self.count += 1
        site = self.project.parent / f"site-{self.count}"
        self.monkeypatch.setenv("BOARD_CACHE", "1" if cached else "0")
        config = load_config(str(self.project / "mkdocs.yml"), site_dir=str(site), strict=strict)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
        self.stats = dict(config.plugins["board"].page_cache.stats)
        return site

    def same_as_cold(self, what: str) -> None:
        warm = snapshot(self(cached=True))
        cold = snapshot(self(cached=False))
        changed = sorted(k for k in warm.keys() | cold.keys() if warm.get(k) != cold.get(k))
        assert not changed, f"after editing {what}, the cached build differs in {changed[:10]}"


@pytest.fixture
def builds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Builds]:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1794700800")  # the sample's "today"
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.delenv("BOARD_DATA_DIR", raising=False)
    project = make_project(tmp_path / "board", TINY)
    apply(project / "data", LAST_YEAR)
    yield Builds(project, monkeypatch)


def test_every_kind_of_record_has_an_edit() -> None:
    assert {kind for kind, _ in RECORD_EDITS} == {k.name for k in kinds()}


def test_rebuilds_after_edits_are_byte_identical_to_cold_builds(
    builds: Builds, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept: list[tuple[int, int]] = []
    keep = memo.PageMemo.keep

    def counting(self: memo.PageMemo, pages: dict[str, str | bytes]) -> None:
        kept.append((len(self.kept), len(self.keys)))
        keep(self, pages)

    monkeypatch.setattr(memo.PageMemo, "keep", counting)
    with monkeypatch.context() as alone:  # the page memo, without the stage kept whole
        alone.setattr(stagememo.StageMemo, "kept", lambda self: None)
        builds(cached=True)  # fills the caches
        builds(cached=True)
    # All kept: 2 branches × 3 pages, and every page of the families (quarters, downloads…).
    assert builds.stats["built"] == 0 and kept[-1][0] == kept[-1][1] > 6
    builds.same_as_cold("nothing")
    for kind, edits in RECORD_EDITS:
        apply(builds.project / "data", edits)
        builds.same_as_cold(f"a record of kind {kind}")
    for what, change in OTHER_EDITS:
        change(builds.project)
        builds.same_as_cold(what)


READ_BY_MEMBER_PAGES = ("quarters/2026Q3.md", "units/index.md", "rectification/index.md")
NOT_READING_MEMBERS = ("rules.md", "notices/index.md", "exports/2026Q3.xlsx", "widget/index.html")


@pytest.mark.parametrize(
    ("edits", "rendered", "kept_pages"),
    [  # a member of b01: the families that read members are rendered again
        (RECORD_EDITS[0][1], READ_BY_MEMBER_PAGES, NOT_READING_MEMBERS),
        (RECORD_EDITS[1][1], (), READ_BY_MEMBER_PAGES + NOT_READING_MEMBERS),  # a commitment
    ],
)
def test_an_edit_in_one_branch_keeps_the_other_branchs_pages(
    builds: Builds,
    monkeypatch: pytest.MonkeyPatch,
    edits: list[Edit],
    rendered: tuple[str, ...],
    kept_pages: tuple[str, ...],
) -> None:
    kept: list[set[str]] = []
    keep = memo.PageMemo.keep
    monkeypatch.setattr(memo.PageMemo, "keep", lambda s, p: (kept.append(set(s.kept)), keep(s, p)))
    builds(cached=True)
    apply(builds.project / "data", edits)  # in b01
    builds(cached=True)
    branch_pages = {p for p in kept[-1] if p.startswith(("org/", "commitments/"))}
    assert branch_pages == {
        f"{p}/b02-bangong.md" for p in ("org", "commitments/2025", "commitments/2026")
    }
    assert set(kept_pages) <= kept[-1] and not set(rendered) & kept[-1]
    assert builds.stats["kept"] > builds.stats["built"] > 0  # only what changed is built


def test_a_commit_is_seen_in_the_source_footers(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Footers say when each file last changed: a commit (or an uncommitted edit) changes
    the pages that show the file, through the memo's key."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1794700800")
    (repo.root / ".gitignore").write_text(".cache/\n", encoding="utf-8")
    builds = Builds(repo.root, monkeypatch)
    builds(cached=True)
    apply(repo.data, RECORD_EDITS[0][1])
    builds.same_as_cold("a member, not committed")
    repo.commit("岗位调整")
    builds.same_as_cold("a member, committed")


def test_a_template_of_ours_changes_every_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "generator"
    shutil.copytree(ROOT / "generator", copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(buildcache, "PACKAGE", copy)
    before = buildcache.code_version()
    template = copy / "render" / "templates" / "org.md.j2"
    template.write_text(template.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert buildcache.code_version() != before


def test_python_code_changed_while_serving_is_not_the_code_running(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The running code's sources are read once: a source edited under a running server
    does not make it keep its pages under the edited code's keys."""
    copy = tmp_path / "generator"
    shutil.copytree(ROOT / "generator", copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(buildcache, "PACKAGE", copy)
    before = buildcache.code_version()
    source = copy / "render" / "pages.py"
    source.write_text(source.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert buildcache.code_version() == before
    assert buildcache._python_code.__wrapped__(copy) != buildcache._python_code(copy)


def test_unknown_plugins_and_hooks_turn_the_page_cache_off(builds: Builds) -> None:
    (builds.project / "hook.py").write_text(
        "def on_page_markdown(markdown, **kwargs):\n    return markdown\n"
    )
    config = builds.project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8") + "\nhooks:\n  - hook.py\n", encoding="utf-8"
    )
    builds(cached=True)
    builds(cached=True)
    assert builds.stats["kept"] == 0
    assert not list((builds.project / ".cache" / "board" / "html").rglob("*"))


def test_a_page_that_warned_is_built_again_and_warns_again(
    builds: Builds, caplog: pytest.LogCaptureFixture
) -> None:
    (builds.project / "content" / "about.md").write_text("# 关于\n\n[旧页面](gone.md)\n")
    for _ in range(2):
        caplog.clear()
        builds(cached=True, strict=False)
        assert "gone.md" in caplog.text
    assert builds.stats["built"] == 1  # only that page


def test_a_damaged_entry_is_a_miss(tmp_path: Path) -> None:
    store = EntryStore(tmp_path, "x")
    store.put("ab" * 32, b"payload")
    assert store.get("ab" * 32) == b"payload"
    entry = store.path("ab" * 32)
    entry.write_bytes(entry.read_bytes()[:-1] + b"?")
    assert store.get("ab" * 32) is None
    shutil.copy(store.path("ab" * 32), store.path("cd" * 32).parent)
    assert store.get("cd" * 32) is None  # an entry under another key's name


def test_only_plain_values_have_a_digest() -> None:
    assert plain_digest({"a": [1, "x"]}) != plain_digest({"a": [1, "y"]})
    assert plain_digest([1]) != plain_digest(["1"])
    with pytest.raises(Uncacheable):
        plain_digest({"a": object()})


STEPS_EDIT: list[Edit] = [
    ("commitments/2026/b01-yunwei.yaml", "date: 2026-01-20", "date: 2026-01-02")
]


@pytest.mark.parametrize("first", [[], STEPS_EDIT], ids=["clean-then-wrong", "wrong-twice"])
def test_the_step_order_check_keeps_only_files_in_order(
    tiny: Path, tmp_path: Path, first: list[Edit]
) -> None:
    cache = tmp_path / "cache"
    apply(tiny, first)
    with contextlib.suppress(DataError):
        load_dataset(tiny, cache_dir=cache)
    if not first:
        apply(tiny, STEPS_EDIT)
    loading._VALIDATED.clear()  # a new process: nothing in memory
    with pytest.raises(DataError) as caught:
        load_dataset(tiny, cache_dir=cache)
    assert "早于上一步的 2026-01-10" in caught.value.report()


FUTURE_EDIT: list[Edit] = [
    ("assessments/2026Q3/_quarter.yaml", "published: 2026-10-10", "published: 2026-12-10")
]
NOV, JAN = dt.date(2026, 11, 18), dt.date(2027, 1, 5)


@pytest.mark.parametrize(
    ("steps", "reported"),
    [
        ([([], NOV)], False),
        ([([], NOV), (FUTURE_EDIT, NOV)], True),  # a file once in the past, now not
        ([(FUTURE_EDIT, NOV), ([], NOV)], True),  # found again, the next day too
        ([(FUTURE_EDIT, NOV), ([], JAN)], False),  # the day came: no longer in the future
        ([(FUTURE_EDIT, JAN), ([], NOV)], True),  # kept in January, checked in November
    ],
)
def test_the_future_date_check_keeps_each_files_latest_date_by_its_bytes(
    tiny: Path, tmp_path: Path, steps: list[tuple[list[Edit], dt.date]], reported: bool
) -> None:
    cache = tmp_path / "cache"
    load_dataset(tiny, cache_dir=cache, today=NOV)
    found = False
    for edits, today in steps:
        apply(tiny, edits)
        loading._VALIDATED.clear()  # a new process: nothing in memory
        try:
            load_dataset(tiny, cache_dir=cache, today=today)
            found = False
        except DataError as error:
            found = "晚于今天" in error.report()
    assert found is reported


@pytest.fixture(scope="module")
def sample_board() -> Board:
    return derive(publishable(load_dataset(ROOT / "data"), drafts=True), dt.date(2026, 11, 18))


FAMILIES = ["quarters", "units", "downloads", "rules", "archive", "rectification", "notices"]
FAMILIES += ["stars", "indicators", "problems"]


def test_every_family_of_pages_is_checked(sample_board: Board) -> None:
    assert sorted(families(sample_board)) == sorted(FAMILIES)


@pytest.mark.parametrize("name", FAMILIES)
def test_a_family_of_pages_reads_only_the_kinds_its_key_holds(
    sample_board: Board, name: str
) -> None:
    """The page memo keeps a family by the files of the kinds it declares (and of the
    kinds shown on it, and what every page reads): rendered from only those records,
    its pages are the pages rendered from all of them."""
    family = families(sample_board)[name]
    reads = family.reads | {k.name for k in kinds() for p in family.paths if k.shows(p)}
    data = sample_board.data
    only = data.records.keep(
        lambda r: r.branch is None or r.kind in memo.ACROSS_BRANCHES or r.kind in reads
    )
    assert len(only) < len(data.records), "the sample has records this family does not read"
    narrow = derive(Dataset(only, [], public=True, drafts=True), sample_board.as_of)
    assert families(narrow)[name].render(BlobCache(None)) == family.render(BlobCache(None))
    assert set(family.render(BlobCache(None))) == set(family.paths)


@pytest.fixture
def serving() -> Iterator[None]:
    """As under ``mkdocs serve``: this process keeps the last build's results in memory."""
    buildcache.keep_in_memory()
    yield
    buildcache.keep_in_memory(False)


def test_a_load_in_the_same_process_validates_only_what_changed(tiny: Path, serving: None) -> None:
    """As under ``mkdocs serve``: an unchanged file's validated records are reused."""
    first = load_dataset(tiny)
    apply(tiny, RECORD_EDITS[0][1])
    second = load_dataset(tiny)
    unit, member = ("unit", "sfg-yunwei-01"), ("member", "b01-yunwei/m002")
    assert second.records.get(*unit).value is first.records.get(*unit).value
    assert second.records.get(*member).value.post == "变电运维班副班长"
    assert first.records.get(*member).value.post == "变电运维工"


PHONE_EDIT: list[Edit] = [
    ("members/b01-yunwei.yaml", "post: 变电运维工", "post: 变电运维工 13812345678")
]
ALLOW_PHONE: list[Edit] = [
    (
        "site.yaml",
        "policy:\n",
        "privacy:\n  allowlist:\n    - {value: '13812345678', reason: 值班电话}\npolicy:\n",
    )
]


@pytest.mark.parametrize(
    ("steps", "reported"),
    [
        ([[]], False),
        ([[], PHONE_EDIT], True),  # a file once clean, now holding a mobile number
        ([PHONE_EDIT, []], True),  # a finding is looked for again, and found again
        ([PHONE_EDIT, ALLOW_PHONE], False),  # the allowlist is part of the key
        ([PHONE_EDIT, ALLOW_PHONE, "undo allowlist"], True),
    ],
)
def test_the_personal_data_check_keeps_only_clean_files_by_their_bytes(
    tiny: Path, tmp_path: Path, steps: list[list[Edit] | str], reported: bool
) -> None:
    """Each step is a new process (nothing kept in memory) with the same cache folder."""
    cache, site = tmp_path / "cache", (tiny / "site.yaml").read_text(encoding="utf-8")
    load_dataset(tiny, cache_dir=cache)  # every file clean, and kept so
    found = False
    for step in steps:
        if step == "undo allowlist":
            (tiny / "site.yaml").write_text(site, encoding="utf-8")
        else:
            apply(tiny, step)
        personal._LAST.clear()
        loading._VALIDATED.clear()
        try:
            load_dataset(tiny, cache_dir=cache)
            found = False
        except DataError as error:
            found = "13812345678" in error.report() or "手机" in error.report()
    assert found is reported


def test_a_load_in_the_same_process_reads_only_files_whose_status_changed(
    tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, serving: None
) -> None:
    """As under ``mkdocs serve``, files older than the racy window: an unchanged file
    is not read again; one rewritten (as many bytes, a later modification time) is."""
    monkeypatch.setattr(files, "RACY_NS", -(10**18))
    read: list[str] = []
    reader = yamlio._read_bytes
    monkeypatch.setattr(yamlio, "_read_bytes", lambda p, s: (read.append(s), reader(p, s))[1])
    load_dataset(tiny, cache_dir=tmp_path / "cache")
    everything = len(read)
    read.clear()
    member = tiny / "members" / "b01-yunwei.yaml"
    text = member.read_text(encoding="utf-8")
    member.write_text(text.replace("post: 变电运维工", "post: 变电检修工"), encoding="utf-8")
    os.utime(member, ns=(1, member.stat().st_mtime_ns + 1000))
    again = load_dataset(tiny, cache_dir=tmp_path / "cache")
    assert read == ["data/members/b01-yunwei.yaml"] and everything > 10
    assert again.records.get("member", "b01-yunwei/m002").value.post == "变电检修工"


def test_the_serve_data_stage_after_each_edit_is_a_cold_one(
    tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, serving: None
) -> None:
    """Every page of the data stage, rebuilt in one process after each edit (of every kind,
    a member's move among them) with what it keeps in memory and on disk, is the page a
    cold data stage makes, with nothing kept anywhere."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1794700800")
    apply(tiny, LAST_YEAR)
    served = Source(tiny, "data", tmp_path / "cache")
    prepare(served)
    for kind, edits in RECORD_EDITS:
        apply(tiny, edits)
        pages = prepare(served).pages
        buildcache.keep_in_memory(False)
        cold = prepare(Source(tiny, "data", None)).pages
        buildcache.keep_in_memory()
        changed = sorted(p for p in pages.keys() | cold.keys() if pages.get(p) != cold.get(p))
        assert not changed, f"after editing {kind}: {changed[:5]}"


def test_serving_leaves_the_caches_of_builds_as_they_were(
    tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A serve session (a preview: other keys) and its edits take what they reuse from
    memory: the next build still finds every page it kept (tidied by what serve marked
    used, the stores lost them all, and the build after a serve session was a cold one)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1794700800")
    monkeypatch.setattr(EntryStore.tidy, "__defaults__", (0,))  # tidy at any size
    apply(tiny, LAST_YEAR)
    cache = tmp_path / "cache"
    source = Source(tiny, "data", cache)
    prepare(source, preview=False)
    stagememo.finish_writing()
    stores = ("markdown", "splits", "mentions", "checks")
    before = {name: sorted(p.name for p in (cache / name).glob("*/*")) for name in stores}
    assert before["markdown"]
    buildcache.keep_in_memory()
    try:
        prepare(source, preview=True)
        for _, edits in RECORD_EDITS[:3]:
            apply(tiny, edits)
            prepare(source, preview=True)
    finally:
        buildcache.keep_in_memory(False)
    after = {name: sorted(p.name for p in (cache / name).glob("*/*")) for name in stores}
    assert all(set(before[name]) <= set(after[name]) for name in stores), stores


def test_what_derive_keeps_in_memory_is_what_it_works_out_afresh(tiny: Path, serving: None) -> None:
    """As under ``mkdocs serve``: after each edit (of every kind, a member's move among
    them), the statuses and the ranking whose inputs are the same objects are reused;
    all are what a derive with nothing kept makes, on either date."""
    apply(tiny, LAST_YEAR)
    derive(publishable(load_dataset(tiny)), NOV)
    for kind, edits in RECORD_EDITS:
        apply(tiny, edits)
        public = publishable(load_dataset(tiny))
        for as_of in (NOV, JAN):
            kept = derive(public, as_of)
            buildcache.keep_in_memory(False)  # nothing from memory
            fresh = derive(public, as_of)
            buildcache.keep_in_memory()
            assert kept.statuses == fresh.statuses, kind
            assert kept.cards == fresh.cards, kind
            assert kept.results.table.equals(fresh.results.table), kind
            assert kept.results.dimensions.equals(fresh.results.dimensions), kind
            assert sorted(kept.yearly.labels()) == sorted(fresh.yearly.labels()), kind
            assert all(
                kept.yearly.get(b).equals(fresh.yearly.get(b)) for b in fresh.yearly.labels()
            )
            assert all(kept.averages[q].equals(fresh.averages[q]) for q in fresh.averages)


# ------------------------------------------------------------------ the scanner


def test_the_scanner_reuses_verdicts_only_for_the_same_bytes_and_values(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "a.html").write_text("<p>约谈记录：甲</p>", encoding="utf-8")
    (site / "b.html").write_text("<p>手机 13812345678</p>", encoding="utf-8")
    cache = EntryStore(tmp_path / "cache", "scan")
    fresh = scan_site(site, set(), set())
    assert scan_site(site, set(), set(), cache) == fresh
    assert scan_site(site, set(), set(), cache) == fresh  # from the verdicts
    # An internal value to look for: every file is read again.
    found = scan_site(site, {"约谈记录：甲"}, set(), cache)
    assert found == scan_site(site, {"约谈记录：甲"}, set())
    assert any(f.file == "a.html" and f.kind == "内部字段的内容" for f in found)
    # An allowlisted number, then a changed file.
    assert scan_site(site, set(), {"13812345678"}, cache) == []
    (site / "a.html").write_text("<p><script>alert(1)</script></p>", encoding="utf-8")
    assert scan_site(site, set(), set(), cache) == scan_site(site, set(), set())


@pytest.mark.parametrize("trusted", [False, True], ids=["just-written", "status-trusted"])
def test_the_scanner_reads_a_file_again_when_its_status_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, trusted: bool
) -> None:
    """As under serve: the same site scanned again in one process, a file rewritten with
    as many bytes. A file just written is always read; an older one whenever its status
    (here its modification time) is not the one its digest was kept with."""
    if trusted:  # as if every file were older than the racy window
        monkeypatch.setattr(files, "RACY_NS", -(10**18))
    site = tmp_path / "site"
    site.mkdir()
    page = site / "a.html"
    page.write_text("<p>电话 00000000000</p>", encoding="utf-8")
    cache = EntryStore(tmp_path / "cache", "scan")
    assert [f for f in scan_site(site, set(), set(), cache) if f.fatal] == []
    page.write_text("<p>电话 13812345678</p>", encoding="utf-8")
    if trusted:
        os.utime(page, ns=(1, page.stat().st_mtime_ns + 1000))
    assert any(f.fatal for f in scan_site(site, set(), set(), cache))


# A page handed to the scan-ahead once MkDocs wrote it (or not), and what is on disk
# when the build's own scan runs: that scan must find what a scan of the disk alone
# finds, and read again every file whose bytes are not the ones scanned ahead.
LEAK = "<p>约谈记录：甲，电话 13812345678</p>"
AHEAD_CASES = [
    # (what, written and handed over, on disk at the end)
    ("the page as written", LEAK, None),
    ("rewritten after it was scanned", "<p>电话 00000000000</p>", LEAK),
    ("never handed over", None, "<p><script>alert(1)</script></p>"),
    ("rewritten by a later plugin", "<p>无</p>", "<p>无</p><img src=x onerror=alert(1)>"),
    ("handed over before it was on disk", "", LEAK),
]  # fmt: skip


@pytest.mark.parametrize(
    ("handed", "final"), [c[1:] for c in AHEAD_CASES], ids=[c[0] for c in AHEAD_CASES]
)
def test_a_page_scanned_ahead_counts_only_for_the_bytes_scanned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, handed: str | None, final: str | None
) -> None:
    monkeypatch.setattr(threading, "active_count", lambda: 1)  # as in a build (not pytest-xdist)
    monkeypatch.setattr(scanner, "_FOUND", {})  # nothing from another test's scans
    site = tmp_path / "site"
    page = site / "org" / "a.html"
    page.parent.mkdir(parents=True)
    cache = EntryStore(tmp_path / "cache", "scan")
    internal = {"约谈记录：甲"}
    threads = set(threading.enumerate())
    ahead = ScanAhead(internal, set(), cache)
    if handed is not None:
        if handed:
            page.write_text(handed, encoding="utf-8")
        ahead.submit(page, "org/a.html")
    ahead.finish()
    assert set(threading.enumerate()) <= threads  # the build's own scan may fork again
    if final is not None:
        page.write_text(final, encoding="utf-8")
    expected = scan_site(site, internal, set())  # no cache: every file read
    scanned: list[Path] = []
    scan_file = scanner._scan_file
    monkeypatch.setattr(
        scanner, "_scan_file", lambda s, p, *a: scanned.append(p) or scan_file(s, p, *a)
    )
    found = scan_site(site, internal, set(), cache)
    assert found == expected
    assert any(f.fatal for f in found)
    assert scanned == ([] if final is None else [page])  # scanned ahead: not read again


def test_a_build_scans_its_pages_while_mkdocs_writes_them(
    builds: Builds, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real build: every page MkDocs writes was scanned ahead, and the scan after the
    build read none of them again. Threads are counted as in a build (pytest-xdist's own
    are left out), so the build's own thread (the kept stage written) is one."""
    here = set(threading.enumerate())
    monkeypatch.setattr(
        threading, "active_count", lambda: 1 + len(set(threading.enumerate()) - here)
    )
    monkeypatch.setattr(scanner, "_FOUND", {})  # nothing from another test's scans
    read: list[str] = []
    parallel_map = scanner.parallel_map

    def scanned_after(render: Callable[[Any], Any], items: list[Any], **kw: Any) -> list[Any]:
        read.extend(str(path) for path, _ in items)
        return parallel_map(render, items, **kw)

    monkeypatch.setattr(scanner, "parallel_map", scanned_after)
    site = builds(cached=True)
    pages = [p for p in site.rglob("*.html") if p.name != "404.html"]
    assert len(pages) >= 20
    copied = ("/404.html", "/widget/index.html")  # written as files, not pages of MkDocs
    assert [p for p in read if p.endswith(".html") and not p.endswith(copied)] == []
    assert read  # the search index, the sitemap, the theme's files: scanned after


def test_verdicts_found_ahead_are_kept_for_the_next_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The scan-ahead keeps its findings through a store of its own; the build's scan
    takes them from memory, and its tidy must not then drop them as unused."""
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    monkeypatch.setattr(scanner, "_FOUND", {})
    site = tmp_path / "site"
    site.mkdir()
    ahead = ScanAhead(set(), set(), EntryStore(tmp_path / "cache", "scan"))
    for i in range(5):
        page = site / f"p{i}.html"
        page.write_text(f"<p>第{i}页</p>", encoding="utf-8")
        ahead.submit(page, page.name)
    ahead.finish()
    build = EntryStore(tmp_path / "cache", "scan")
    assert scan_site(site, set(), set(), build) == []
    build.tidy(slack=0)  # as a large board's build tidies: everything unused goes
    monkeypatch.setattr(scanner, "_FOUND", {})  # the next build: a new process
    read: list[Path] = []
    scan_file = scanner._scan_file
    monkeypatch.setattr(
        scanner, "_scan_file", lambda s, p, *a: read.append(p) or scan_file(s, p, *a)
    )
    assert scan_site(site, set(), set(), EntryStore(tmp_path / "cache", "scan")) == []
    assert read == []


def test_a_rebuild_does_not_scan_ahead_what_was_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rebuild writes the same pages again: their kept findings are used, not remade."""
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    monkeypatch.setattr(scanner, "_FOUND", {})
    site = tmp_path / "site"
    site.mkdir()
    page = site / "a.html"
    page.write_text("<p>无</p>", encoding="utf-8")
    for _ in range(2):  # two builds
        ahead = ScanAhead(set(), set(), EntryStore(tmp_path / "cache", "scan"))
        ahead.submit(page, page.name)
        ahead.finish()
        # The second build's worker would find this, if it scanned the page again.
        monkeypatch.setattr(scanner, "_scan_bytes", lambda *a: [Finding("a.html", "又扫描了", "")])
    assert scan_site(site, set(), set(), EntryStore(tmp_path / "cache", "scan")) == []


def _worker_dies(path: str, rel: str) -> tuple[str, list[object]]:
    os._exit(9)  # as when the machine runs out of memory and kills it


def test_a_scan_ahead_worker_that_dies_stops_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    monkeypatch.setattr(scanner, "_scan_ahead", _worker_dies)
    site = tmp_path / "site"
    site.mkdir()
    cache = EntryStore(tmp_path / "cache", "scan")
    ahead = ScanAhead(set(), set(), cache)
    for i in range(20):  # the pool breaks under the first; the rest must not raise
        page = site / f"p{i}.html"
        page.write_text(f"<p>电话 1381234567{i % 10}</p>", encoding="utf-8")
        ahead.submit(page, page.name)
        time.sleep(0.05)  # pages come one after another: the break is seen on the way
    ahead.finish()
    assert len([f for f in scan_site(site, set(), set(), cache) if f.fatal]) == 20


# Edits that make files other than the commitments file wrong about it, or it wrong.
CROSS_FILE_ERRORS: list[tuple[str, list[Edit]]] = [
    ("a member renamed away", [("members/b01-yunwei.yaml", "id: m002", "id: m092")]),
    ("a member who left before their steps", [("members/b01-yunwei.yaml", "left_on: 2026-05-31", "left_on: 2026-01-05")]),
    ("a commitment naming no member", [("commitments/2026/b01-yunwei.yaml", "member: m002", "member: m099")]),
    ("a members file that fails", [("members/b01-yunwei.yaml", "  - id: m002", "  - id: M002")]),
    ("an organization gone", [("organizations/b01-yunwei.yaml", "id: b01-yunwei", "id: b01-yunweii")]),
]  # fmt: skip


def test_a_load_in_the_same_process_finds_every_problem_a_cold_load_finds(
    tiny: Path, serving: None
) -> None:
    """Under ``mkdocs serve`` a commitments file that did not change is not checked again
    while nothing it is checked against changed: an edit elsewhere that makes it wrong
    (its member gone or left, its members file failing) is still found, and fixing it
    clears it, after each edit exactly as a load with nothing in memory finds it."""
    originals = {p: p.read_bytes() for p in tiny.rglob("*.yaml")}

    def problems() -> list[str]:
        try:
            load_dataset(tiny)
        except DataError as exc:
            return sorted(str(p) for p in exc.problems)
        return []

    problems()
    for what, edits in CROSS_FILE_ERRORS:
        apply(tiny, edits)
        served = problems()
        buildcache.keep_in_memory(False)
        cold = problems()
        buildcache.keep_in_memory()
        assert served == cold and served, what
        for path, raw in originals.items():
            path.write_bytes(raw)
        assert problems() == [], f"after undoing {what}"
