"""What git tells the board depends only on the commits, never on how a machine's git is
set up: rename detection, replacement refs and grafts would change the change log (and
the stage memo keys its result on the commit and status alone)."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator

import pytest

from generator.git import NO_HISTORY, find_repo
from generator.model import load_dataset
from generator.model.history import History
from generator.review.history import read_history
from tests.conftest import Repo, board_of

OLD, NEW = "interviews/2026q3-b02-bangong.yaml", "interviews/2026q3-b02-bangong-2.yaml"


def history_of(repo: Repo) -> History:
    dataset = load_dataset(repo.data)
    return read_history(find_repo(repo.data), dataset.site, board_of(dataset).data.names)


@pytest.fixture
def moved(repo: Repo) -> Iterator[Repo]:
    """The interview's file renamed with ``git mv`` (its id with it), then another commit."""
    repo.git("mv", f"data/{OLD}", f"data/{NEW}")
    path = repo.data / NEW
    text = path.read_text("utf-8").replace("id: 2026q3-b02-bangong", "id: 2026q3-b02-bangong-2")
    path.write_text(text, "utf-8")
    repo.commit("约谈记录改名")
    notice = repo.data / "notices/2026-01.yaml"
    notice.write_text(notice.read_text("utf-8").replace("按月制定", "每月制定"), "utf-8")
    repo.commit("修改提示单")
    yield repo


def git_config(monkeypatch: pytest.MonkeyPatch, **settings: str) -> None:
    """Settings as a user's config would give them (``GIT_CONFIG_COUNT`` is read like a
    config file; only ``git -c`` overrides it)."""
    monkeypatch.setenv("GIT_CONFIG_COUNT", str(len(settings)))
    for i, (key, value) in enumerate(settings.items()):
        monkeypatch.setenv(f"GIT_CONFIG_KEY_{i}", key.replace("_", "."))
        monkeypatch.setenv(f"GIT_CONFIG_VALUE_{i}", value)


def test_a_rename_is_a_removal_and_an_addition_in_the_change_log(moved: Repo) -> None:
    history = history_of(moved)
    assert OLD in history.files and NEW in history.files
    renamed = history.log[1]  # newest first: the notice, the rename, the first import
    actions = sorted(c.action for c in renamed.changes)
    assert renamed.files == 2 and "删除" in actions and "新增" in actions, renamed


@pytest.mark.parametrize(
    "settings",
    [
        {"diff_renames": "true"},
        {"diff_renames": "copies", "diff_renameLimit": "1"},
        {"diff_renames": "false"},
        {"core_quotePath": "true", "log_showSignature": "true", "color_ui": "always"},
    ],
    ids=["renames", "copies", "no-renames", "quoting-and-colour"],
)
def test_git_settings_do_not_change_the_history(
    moved: Repo, monkeypatch: pytest.MonkeyPatch, settings: dict[str, str]
) -> None:
    plain = history_of(moved)
    git_config(monkeypatch, **settings)
    assert history_of(moved) == plain


def test_replacement_refs_and_grafts_do_not_rewrite_the_history(moved: Repo) -> None:
    plain = history_of(moved)
    moved.git("replace", "--graft", "HEAD", "HEAD~2")  # the rename commit hidden
    assert moved.git("log", "--format=%s").splitlines()[:2] == ["修改提示单", "初始数据"]
    assert history_of(moved) == plain
    moved.git("replace", "-d", moved.git("rev-parse", "HEAD").strip())
    grafts = moved.root / ".git" / "info" / "grafts"
    grafts.parent.mkdir(exist_ok=True)
    grafts.write_text(moved.git("rev-parse", "HEAD").strip() + "\n", "utf-8")  # no parents
    env_log = moved.git("-c", "advice.graftFileDeprecated=false", "log", "--format=%s")
    assert env_log.splitlines() == ["修改提示单"]
    assert history_of(moved) == plain


def _page(repo: Repo, name: str = "about") -> None:
    """A hand-written page committed (a new text each time)."""
    text = f"# 关于\n\n第 {repo.day} 次改写。\n"
    (repo.root / "content" / f"{name}.md").write_text(text, encoding="utf-8")
    repo.commit(f"改写 {name}.md")


def _data(repo: Repo) -> None:
    notice = repo.data / "notices/2026-01.yaml"
    notice.write_text(notice.read_text("utf-8").replace("按月制定", "每月制定"), "utf-8")
    repo.commit("修改提示单")


def _merged(repo: Repo) -> None:
    """A side branch of a page edit merged (not fast-forwarded) into main."""
    repo.git("checkout", "-q", "-b", "side")
    _page(repo, "side")
    repo.git("checkout", "-q", "main")
    _page(repo)
    repo.git("merge", "-q", "--no-ff", "-m", "合并", "side")


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        ([], "HEAD"),  # the first import: HEAD changed the data
        ([_data], "HEAD"),
        ([_data, _page], "HEAD~1"),
        ([_data, _page, _page], "HEAD~2"),
        ([_page, _data], "HEAD"),
        ([_data, _merged], "HEAD"),  # a merge: its own history, whatever it changed
        ([_data, _merged, _page], "HEAD"),
    ],
    ids=["first", "data", "page", "two-pages", "page-then-data", "merge", "merge-then-page"],
)
def test_the_data_head_is_below_only_commits_that_left_the_data_alone(
    repo: Repo, steps: list[Callable[[Repo], None]], expected: str
) -> None:
    for step in steps:
        step(repo)
    found = find_repo(repo.data)
    assert found is not None
    assert found.data_head() == found.resolve(expected)


def test_data_never_committed_has_one_history_whatever_the_commits(repo: Repo) -> None:
    elsewhere = repo.root / "untracked"
    shutil.copytree(repo.data, elsewhere)
    (repo.root / ".gitignore").write_text("untracked/\n", encoding="utf-8")
    found = find_repo(elsewhere)
    assert found is not None
    first = found.data_head()
    _page(repo)
    assert found.data_head() == first == NO_HISTORY
