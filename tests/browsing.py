"""What the browser tests and `make screenshots` share: chromium, a local server, page types.

Kept out of conftest.py so `python -m tests.screenshots` can use it without pytest.
"""

from __future__ import annotations

import functools
import shutil
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import yaml
from playwright.sync_api import ViewportSize

# Debian's chromium on these machines needs all of these; Playwright adds a fresh
# temporary --user-data-dir to every launch.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]
MISSING_CHROMIUM = "找不到 chromium：请运行 `apt-get install chromium`（.ci/run 会自动安装）"

DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 375, "height": 812}
# An A4 sheet inside board.css's @page margins: 210 mm less 2 × 18 mm, in CSS pixels.
A4_INSIDE_MARGINS: ViewportSize = {"width": 658, "height": 940}


def chromium_path() -> str | None:
    """Debian's chromium: Playwright's own browser download is not reachable here."""
    return shutil.which("chromium")


class _QuietHandler(SimpleHTTPRequestHandler):
    slow: tuple[str, float] = (
        "",
        0.0,
    )  # (path ending, seconds): a slow file, as on a busy intranet

    def do_GET(self) -> None:
        ending, seconds = self.slow
        if ending and self.path.split("?")[0].endswith(ending):
            time.sleep(seconds)
        super().do_GET()

    def log_message(self, format: str, *args: Any) -> None:
        """Test output stays readable: one line per request would drown it."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser closing a connection early is normal; anything else still shows."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def serve(site: Path, slow: tuple[str, float] = ("", 0.0)) -> Iterator[str]:
    """``site`` over http://127.0.0.1 on a free port, the way an intranet web server serves it.

    Search runs in a real web worker over http (over file:// Material falls back to
    an iframe), so both ways of opening the site need testing. ``slow``: a file (by
    the end of its path) served that many seconds late.
    """
    handler_type = type("_Handler", (_QuietHandler,), {"slow": slow})
    handler = functools.partial(handler_type, directory=str(site))
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _first_org(data: Path, kind: str) -> str:
    """The first organization of a kind, by id: stable as long as the data is."""
    for path in sorted((data / "organizations").glob("*.yaml")):
        if _load(path).get("kind") == kind:
            return path.stem
    raise AssertionError(f"示例数据中没有{kind}")


def _unit_with_activities(data: Path) -> str:
    """A team with an activity log: its page has the widest tables of the unit pages."""
    units = sorted((data / "units").glob("*.yaml"))
    return next((p.stem for p in units if _load(p).get("activities")), units[0].stem)


def _newest(site: Path, pattern: str) -> str:
    found = sorted(site.glob(pattern))
    assert found, f"站点中没有 {pattern}"
    return found[-1].relative_to(site).as_posix()


# Every kind of page the site has, by a short ASCII name (test ids, screenshot files).
PAGE_TYPES = (
    "home",
    "quarters",
    "quarter",
    "notice",
    "org-tree",
    "committee",
    "general-branch",
    "branch",
    "commitments",
    "commitments-year",
    "board",
    "units",
    "unit",
    "rectification",
    "notices",
    "problems",
    "stars",
    "indicators",
    "rules",
    "data-format",
    "changes",
    "technical-changes",
    "privacy",
    "about",
    "404",
    "widget",
)
# The pages readers print for notice boards.
PRINTED = ("notice", "quarter", "branch", "board")


def page_types(site: Path) -> dict[str, str]:
    """One page of every kind in a built site: name → path inside ``site``.

    Concrete pages are picked from the data next to ``site`` (the project's data/), so
    the list follows the sample data instead of hard-coding its quarters and ids.
    """
    data = site.parent / "data"
    branch = _first_org(data, "党支部")
    year = _newest(site, "commitments/[0-9][0-9][0-9][0-9].html").split("/")[1][:4]
    quarter = _newest(site, "quarters/[0-9][0-9][0-9][0-9]Q[1-4].html")
    types = {
        "home": "index.html",
        "quarters": "quarters/index.html",
        "quarter": quarter,
        "notice": quarter.replace("quarters/", "quarters/notice-"),
        "org-tree": "org/index.html",
        "committee": f"org/{_load(data / 'site.yaml')['committee']}.html",
        "general-branch": f"org/{_first_org(data, '党总支')}.html",
        "branch": f"org/{branch}.html",
        "commitments": "commitments/index.html",
        "commitments-year": f"commitments/{year}.html",
        "board": f"commitments/{year}/{branch}.html",
        "units": "units/index.html",
        "unit": f"units/{_unit_with_activities(data)}.html",
        "rectification": "rectification/index.html",
        "notices": "notices/index.html",
        "problems": "problems/index.html",
        "stars": "stars/index.html",
        "indicators": "indicators/index.html",
        "rules": "rules.html",
        "data-format": "data-format.html",
        "changes": "changes.html",
        "technical-changes": "technical-changes.html",
        "privacy": "privacy.html",
        "about": "about.html",
        "404": "404.html",
        "widget": "widget/index.html",
    }
    assert tuple(types) == PAGE_TYPES
    for name, rel in types.items():
        assert (site / rel).is_file(), f"{name}: {rel}"
    return types
