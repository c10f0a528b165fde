"""One measurement of ``board serve`` after an edit, in its own process (``bench/run``).

Does what ``mkdocs serve --livereload --dirtyreload`` does (the plugin's serve mode,
drafts shown), without the HTTP server: the first build, then, with a thread running
as the server's is, one edit of FILE (a commitment's text) and the rebuild the
watcher would start. Prints one JSON object: the first build's seconds, and the
seconds from saving the file to the edited page being written with the change.
The file is restored after.

    python bench/serve.py --project DIR --edit FILE --page commitments/2026/b0001.html
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stage import edit_one_commitment

SERVE_URL = "http://127.0.0.1:8000/"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--project", type=Path, required=True)
    parser.add_argument("--edit", type=Path, required=True)
    parser.add_argument("--page", required=True, help="the edited page's HTML, in the site")
    args = parser.parse_args()
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    os.environ["BOARD_PREVIEW"] = "1"  # as board serve: drafts shown
    site = Path(tempfile.mkdtemp(prefix="bench-serve-"))

    def builder(first: bool) -> None:
        config = load_config(str(args.project / "mkdocs.yml"), site_dir=str(site))
        if first:  # mkdocs serve starts the plugins of its first config only
            config.plugins.on_startup(command="serve", dirty=True)
        config.site_url = SERVE_URL
        build(config, serve_url=SERVE_URL, dirty=True)

    started = time.perf_counter()
    builder(True)
    first = time.perf_counter() - started
    threading.Thread(target=threading.Event().wait, daemon=True).start()  # the server's
    original = args.edit.read_bytes()
    try:
        edited = edit_one_commitment(original)
        args.edit.write_bytes(edited)
        started = time.perf_counter()
        builder(False)
        seconds = time.perf_counter() - started
        shown = "（已修改）" in (site / args.page).read_text(encoding="utf-8")
    finally:
        args.edit.write_bytes(original)
    json.dump({"first": first, "edit": seconds, "shown": shown}, sys.stdout)


if __name__ == "__main__":
    main()
