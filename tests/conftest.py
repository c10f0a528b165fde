"""Shared fixtures: a tiny valid dataset to break, throwaway MkDocs projects, and one
headless chromium (Debian's) for every browser test."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from playwright.sync_api import Browser, Page, sync_playwright

from generator import buildcache, stagememo
from generator.cli import main
from generator.model import Dataset, load_dataset
from generator.model.policy import publishable
from generator.ranking.board import Board, derive
from tests.browsing import CHROMIUM_ARGS, DESKTOP, MISSING_CHROMIUM, chromium_path, serve

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "tests" / "fixtures" / "tiny"
AS_OF = dt.date(2026, 11, 15)  # the sample data's "today"


def board_of(data: Path | Dataset, as_of: dt.date = AS_OF) -> Board:
    """What the pages are made from: checked data, publishable, derived as of ``as_of``."""
    dataset = load_dataset(data) if isinstance(data, Path) else data
    return derive(publishable(dataset), as_of)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="rewrite tests/golden/ from the current output"
    )


@pytest.fixture(autouse=True)
def nothing_left_running() -> Iterator[None]:
    """No test hands the next one its process state: a kept data stage still being
    written in a thread (``stagememo.py``; its files may be gone, and no later test
    would fork beside it), or results kept in memory as under ``mkdocs serve`` (an
    in-process serve leaves it on; tests run in any order on several workers)."""
    yield
    stagememo.finish_writing()
    buildcache.keep_in_memory(False)


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """A copy of the tiny valid dataset, safe to edit."""
    target = tmp_path / "data"
    shutil.copytree(TINY, target)
    return target


def make_project(where: Path, data: Path) -> Path:
    """A throwaway copy of the real site (mkdocs.yml, content/, theme/) around ``data``."""
    where.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", where / "mkdocs.yml")
    shutil.copy(ROOT / ".gitignore", where / ".gitignore")  # caches stay out of commits
    for folder in ("content", "theme"):
        shutil.copytree(ROOT / folder, where / folder)
    if data.resolve() != (where / "data").resolve():
        shutil.copytree(data, where / "data")
    return where


def run_mkdocs(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``mkdocs build --strict`` (never with -q: it hides strict failures, mkdocs#4126)."""
    # A fixed build date (2026-11-15, the sample data's "today"): overdue flags and
    # disclosure windows depend on it, and tests must not change with the calendar.
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1794700800"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The committed sample data, built once per run like `make build` does."""
    project = make_project(tmp_path_factory.mktemp("sample"), ROOT / "data")
    result = run_mkdocs(project)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    (project / "build.log").write_text(result.stderr, encoding="utf-8")  # test_build reads it
    return project / "site"


@pytest.fixture(scope="session")
def site_url(sample_site: Path) -> Iterator[str]:
    """The sample site over http://127.0.0.1 (a free port), as an intranet server serves it."""
    with serve(sample_site) as base:
        yield base


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless chromium for the whole run; the tests fail, never skip, without it."""
    executable = chromium_path()
    if executable is None:
        pytest.fail(MISSING_CHROMIUM)
    with sync_playwright() as playwright:
        # A persistent context would need one profile per test; a plain launch gets
        # a fresh temporary profile (--user-data-dir) from Playwright each time.
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A desktop page; ``page.outside`` lists every request that is not a local file."""
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    outside: list[str] = []
    page.outside = outside  # type: ignore[attr-defined]
    page.on(
        "request",
        lambda r: (
            None if r.url.startswith(("file://", "data:", "blob:")) else outside.append(r.url)
        ),
    )
    yield page
    context.close()


# ------------------------------------------------------------- git repositories

GIT_ENV = {
    "GIT_AUTHOR_NAME": "党建工作部",
    "GIT_AUTHOR_EMAIL": "board@example.invalid",
    "GIT_COMMITTER_NAME": "党建工作部",
    "GIT_COMMITTER_EMAIL": "board@example.invalid",
}


class Repo:
    """A git repository around a copy of the tiny dataset, committed with fixed dates."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.data = root / "data"
        self.day = 1

    def git(self, *args: str) -> str:
        env = {**os.environ, **GIT_ENV}
        date = f"2026-10-{self.day:02d}T09:00:00+08:00"
        env |= {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
        result = subprocess.run(
            ["git", *args], cwd=self.root, env=env, capture_output=True, text=True, check=True
        )
        return result.stdout

    def commit(self, message: str, tag: str | None = None) -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)
        if tag:
            self.git("tag", tag)
        self.day += 1

    def board(self, *args: str) -> tuple[int, str, str]:
        cwd = os.getcwd()
        os.chdir(self.root)
        try:
            result = CliRunner().invoke(main, list(args))
        finally:
            os.chdir(cwd)
        return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def repo(tmp_path: Path) -> Iterator[Repo]:
    root = tmp_path / "board"
    make_project(root, TINY)
    repo = Repo(root)
    repo.git("init", "-q", "-b", "main")
    repo.commit("初始数据", tag="v1")
    yield repo


def unspanned(text: str) -> str:
    """Page text with dates' unbreakable spans unwrapped (``text.finalize``), so a test
    can look for "2026年6月30日" whether it sits in a table cell or in a sentence."""
    return re.sub(r'<span class="board-day">([^<]*)</span>', r"\1", text)
