"""Shared fixtures: a tiny valid dataset to break, and throwaway MkDocs projects."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "tests" / "fixtures" / "tiny"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="rewrite tests/golden/ from the current output"
    )


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
    return project / "site"
