"""What git history knows never reaches the public site: internal fields through the change
log, the diff and the search index, old values and new ones, escaped or not."""

from __future__ import annotations

import json
from html import unescape
from pathlib import Path

import pytest

from generator.scanner import scan_site
from tests.conftest import Repo, run_mkdocs
from tests.test_bad_data import apply

NOTES = "interviews/2026q3-b02-bangong.yaml"
NOTICE = "notices/2026-01.yaml"
ORIGINAL = "notes: 内部记录：约谈时书记表示将于下季度前完成整改。"
# Each version's internal texts, with the characters escaping rewrites: & < > " and a line break.
VERSIONS = [
    ('约谈记录第一版：书记承认"三会一课"记录缺失 & 补记', "纪律细节甲：当面提醒 <两次>"),
    ("约谈记录第二版：要求在 11 月底前\n逐项销号 & 报告", '纪律细节乙：已函询 "本人说明"'),
]
ALL_SECRETS = [text for version in VERSIONS for text in version]


def as_read(text: str) -> str:
    """A page as a reader sees it: entities decoded, white space runs as one space."""
    return " ".join(unescape(text).split())


def commit_versions(repo: Repo) -> None:
    """Three commits: the notes and a notice item's detail written, rewritten, removed."""
    current = ORIGINAL
    for notes, detail in VERSIONS:
        new = "notes: " + json.dumps(notes, ensure_ascii=False)
        apply(repo.data, [(NOTES, current, new)])
        current = new
        text = (repo.data / NOTICE).read_text(encoding="utf-8")
        text = text.split("    detail:")[0].rstrip("\n") + "\n"
        (repo.data / NOTICE).write_text(
            text + "    detail: " + json.dumps(detail, ensure_ascii=False) + "\n", "utf-8"
        )
        repo.commit("修改内部字段")
    apply(repo.data, [(NOTES, current + "\n", "")])
    text = (repo.data / NOTICE).read_text(encoding="utf-8")
    (repo.data / NOTICE).write_text(text.split("    detail:")[0], "utf-8")
    repo.commit("删除内部字段")


def site_text(site: Path) -> list[tuple[Path, str]]:
    out = []
    for path in sorted(site.rglob("*")):
        if path.is_file() and path.suffix in {".html", ".json", ".js", ".xml", ".csv"}:
            text = path.read_text(encoding="utf-8", errors="replace")
            if path.suffix == ".json" or path.name == "search_index.js":
                text = json.dumps(
                    json.loads(text.removeprefix("var __index = ")), ensure_ascii=False
                )
            out.append((path, as_read(text)))
    return out


def test_no_old_or_new_internal_value_reaches_the_site(repo: Repo) -> None:
    commit_versions(repo)
    result = run_mkdocs(repo.root)
    assert result.returncode == 0, result.stderr
    site = repo.root / "site"
    changes = (site / "changes.html").read_text(encoding="utf-8")
    assert "修改约谈：" in changes and "内部字段已修改（不公开）" in changes
    for path, text in site_text(site):
        for secret in ALL_SECRETS:
            assert as_read(secret) not in text, (path, secret)


def test_the_diff_for_a_merge_request_shows_no_internal_value(repo: Repo) -> None:
    commit_versions(repo)
    for fmt in ("text", "md"):
        code, out, err = repo.board("diff", "v1", "HEAD~1", "--format", fmt)
        assert code == 0, err
        assert "notes：内部字段已修改（不公开）" in out
        assert "detail：内部字段已修改（不公开）" in out
        for secret in ALL_SECRETS:
            assert as_read(secret) not in as_read(out), (fmt, secret)
    code, out, _ = repo.board("diff", "v1", "HEAD~1", "--show-internal")
    assert code == 0 and "约谈记录第二版" in out


def test_a_masked_build_masks_the_change_log_too(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    apply(repo.data, [("members/b01-yunwei.yaml", "post: 变电运维工", "post: 变电运维班副班长")])
    repo.commit("周雨辰任副班长")
    monkeypatch.setenv("BOARD_MASK", "1")
    result = run_mkdocs(repo.root)
    assert result.returncode == 0, result.stderr
    for page in ("changes.html", "technical-changes.html"):
        changes = (repo.root / "site" / page).read_text(encoding="utf-8")
        assert "周*辰" in changes and "周雨辰" not in changes, page


@pytest.mark.parametrize(
    "shown",
    [
        "约谈记录：A &amp; B &lt;须整改&gt; &quot;三会一课&quot;",  # HTML escaping
        "约谈记录：A &#38; B &#x3C;须整改&#x3E; &#34;三会一课&#34;",  # numeric entities
        "约谈记录：A &amp; B &lt;须整改&gt;\n  &quot;三会一课&quot;",  # re-wrapped
    ],
)
def test_the_scanner_finds_an_internal_value_however_it_was_escaped(
    tmp_path: Path, shown: str
) -> None:
    (tmp_path / "page.html").write_text(f"<p>{shown}</p>", encoding="utf-8")
    findings = scan_site(tmp_path, {'约谈记录：A & B <须整改> "三会一课"'}, set())
    assert [f.kind for f in findings] == ["内部字段的内容"]


def test_the_scanner_finds_a_json_escaped_internal_value(tmp_path: Path) -> None:
    (tmp_path / "data.json").write_text(
        '{"x": "\\u7ea6\\u8c08\\u8bb0\\u5f55\\uff1aA \\u0026 B \\u003c\\u987b\\u6574\\u6539\\u003e"}',
        encoding="utf-8",
    )
    findings = scan_site(tmp_path, {"约谈记录：A & B <须整改>"}, set())
    assert "内部字段的内容" in [f.kind for f in findings]
