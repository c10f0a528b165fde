"""A kind of record added to the registry reaches every policy without touching them.

The test registers a throwaway kind (a branch's 台账备注, with one internal field) and
shows that loading, the publish policy, the output scanner's list, the semantic diff,
the change log and the source footers all see it, and that its internal field's
values (old and new) appear in none of them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import Field

from generator.git import find_repo
from generator.model import load_dataset, schema
from generator.model.kinds import Kind, Scope, registered
from generator.model.policy import HIDDEN_CHANGE, internal_values, publishable
from generator.render import render_site
from generator.review.diff import render_markdown, render_text, semantic_diff
from generator.review.history import read_history
from generator.text import md_text
from tests.conftest import TINY, board_of


class Remark(schema.Record):
    """``data/remarks/<id>.yaml``: a throwaway kind, known to no policy by name."""

    id: schema.Slug
    branch: schema.Slug
    text: schema.Text
    private: schema.Text | None = Field(default=None, json_schema_extra=schema.INTERNAL)


REMARK = Kind(
    "remark", "台账备注", "remarks/{id}.yaml", Remark, "remarks/r1.yaml",
    title=lambda record, names: str(record.text),
    scope=lambda file, record: Scope(branch=record.branch),
    pages=("org/{branch}.md",),
)  # fmt: skip
SECRETS = ("第一版内部说明：约谈细节", "第二版内部说明：处理意见")


def remark(text: str, private: str | None) -> str:
    body = f"id: r1\nbranch: b01-yunwei\ntext: {text}\n"
    return body + (f"private: {private}\n" if private else "")


def git(root: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


@pytest.fixture
def history(tmp_path: Path) -> Iterator[Path]:
    """Three commits of one remark: written, its internal field rewritten, then removed."""
    root = tmp_path / "board"
    data = root / "data"
    shutil.copytree(TINY, data)
    git(root, "init", "-q", "-b", "main")
    with registered(REMARK):
        for i, (text, private) in enumerate(
            [("备注一", SECRETS[0]), ("备注二", SECRETS[1]), ("备注二", None)]
        ):
            (data / "remarks").mkdir(exist_ok=True)
            (data / "remarks" / "r1.yaml").write_text(remark(text, private), encoding="utf-8")
            git(root, "add", "-A")
            git(root, "commit", "-q", "-m", f"第 {i + 1} 次")
        yield data


def test_a_new_kind_is_loaded_cleaned_and_scanned_for(history: Path) -> None:
    with registered(REMARK):
        (history / "remarks" / "r1.yaml").write_text(remark("备注三", SECRETS[0]), "utf-8")
        dataset = load_dataset(history)
        assert dataset.records.get("remark", "r1") is not None
        assert SECRETS[0] in internal_values(dataset.records, dataset.site)
        public = publishable(dataset)
        cleaned = public.records.get("remark", "r1")
        assert cleaned is not None and cleaned.value.private is None
        assert cleaned.value.text == "备注三"


def test_a_new_kind_shows_in_the_diff_without_its_internal_values(history: Path) -> None:
    path = history / "remarks" / "r1.yaml"
    with registered(REMARK):
        path.write_text(remark("备注二", SECRETS[1]), "utf-8")
        before = load_dataset(history)
        path.write_text(remark("备注三", SECRETS[0]), "utf-8")
        after = load_dataset(history)
        diff = semantic_diff(before, after)
        (change,) = [c for c in diff.changes if c.kind == "remark"]
        assert change.label == "台账备注" and change.action == "修改"
        for text in (render_text(diff, "a", "b"), render_markdown(diff, "a", "b")):
            assert "台账备注 r1（备注三）" in text
            assert "备注二 → 备注三" in text
            assert f"private：{HIDDEN_CHANGE}" in text
            assert SECRETS[0] not in text and SECRETS[1] not in text
        shown = render_text(semantic_diff(before, after, show_internal=True), "a", "b")
        assert f"{SECRETS[1]} → {SECRETS[0]}" in shown  # the maintainer's own terminal


def test_a_new_kind_shows_in_the_change_log_and_the_footers(history: Path) -> None:
    with registered(REMARK):
        dataset = load_dataset(history)
        board = board_of(dataset)
        log = read_history(find_repo(history), dataset.site, board.data.names)
        assert SECRETS[0] in log.internal and SECRETS[1] in log.internal  # for the scanner
        pages = render_site(board, log)
        changes = str(pages["changes.md"])
        assert changes.count("台账备注：") == 3  # added, changed, changed again
        assert changes.count(HIDDEN_CHANGE) == 2
        technical = str(pages["technical-changes.md"])
        assert technical.count("台账备注 r1") == 3 and technical.count(HIDDEN_CHANGE) == 2
        for secret in SECRETS:
            assert secret not in changes and secret not in technical
        assert all(secret not in str(page) for page in pages.values() for secret in SECRETS)
        footer = str(pages["org/b01-yunwei.md"]).rsplit(
            "数据来源（供核对，数据文件在数据仓库中）：", 1
        )[1]
        assert f"台账备注 {md_text('data/remarks/r1.yaml')}（最后修改" in footer
