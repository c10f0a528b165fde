"""Screenshots of every page type at desktop and phone width, for a person to look at.

    .venv/bin/python -m tests.screenshots [--out screenshots] [--site DIR]

`make screenshots` runs it. Without --site it builds the sample data into a temporary
folder exactly as the tests do (same fixed build date), so site/ is left alone. The
pages readers print also get their print layout: `*-print.png` at the width of an A4
sheet inside the margins, and the real `*-print.pdf`.
Tests prove the layout rules; these pictures are for the judgement tests cannot make.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

from tests.browsing import (
    A4_INSIDE_MARGINS,
    CHROMIUM_ARGS,
    DESKTOP,
    MISSING_CHROMIUM,
    PHONE,
    PRINTED,
    chromium_path,
    page_types,
    serve,
)
from tests.conftest import ROOT, make_project, run_mkdocs

# Long pages (the company-wide overdue list has hundreds of rows) are cut here: the
# layout shows in the first screens, and the viewer stays usable.
MAX_HEIGHT = 6000


def build_sample(where: Path) -> Path:
    """The sample data built like the tests build it; the build's errors on failure."""
    project = make_project(where, ROOT / "data")
    result = run_mkdocs(project)
    if result.returncode != 0:
        sys.exit(result.stderr)
    return project / "site"


def shoot(browser: Browser, url: str, path: Path, width: int, *, printed: bool = False) -> None:
    """One picture of the page as loaded at ``width``, full length up to MAX_HEIGHT.

    ``printed``: with print styles, and the A4 PDF next to the picture.
    """
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.emulate_media(media="print" if printed else "screen")
    page.goto(url, wait_until="load")
    height = min(page.evaluate("document.documentElement.scrollHeight"), MAX_HEIGHT)
    page.screenshot(
        path=str(path), full_page=True, clip={"x": 0, "y": 0, "width": width, "height": height}
    )
    if printed:
        page.pdf(path=str(path.with_suffix(".pdf")), format="A4", prefer_css_page_size=True)
    context.close()


def shoot_all(site: Path, out: Path) -> list[Path]:
    """Desktop and phone pictures of every page type, print pictures of the printed ones."""
    executable = chromium_path()
    if executable is None:
        sys.exit(MISSING_CHROMIUM)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    # Over http, as an intranet server serves it: 404.html links to /assets/... and
    # only looks right at a server's root.
    with serve(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        for name, rel in page_types(site).items():
            shots = [("desktop", DESKTOP["width"]), ("phone", PHONE["width"])]
            if name in PRINTED:
                shots.append(("print", A4_INSIDE_MARGINS["width"]))
            for label, width in shots:
                path = out / f"{name}-{label}.png"
                shoot(browser, f"{base}/{rel}", path, width, printed=label == "print")
                written.append(path)
        browser.close()
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="每种页面在桌面和手机宽度下的截图")
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots", help="截图目录")
    parser.add_argument("--site", type=Path, help="已生成的站点目录（默认临时生成示例数据）")
    args = parser.parse_args(argv)
    if args.site is not None:
        written = shoot_all(args.site.resolve(), args.out)
    else:
        with tempfile.TemporaryDirectory(prefix="board-shots-") as tmp:
            written = shoot_all(build_sample(Path(tmp) / "project"), args.out)
    print(f"{len(written)} 张截图已写入 {args.out}")


if __name__ == "__main__":
    main()
