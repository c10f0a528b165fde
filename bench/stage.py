"""One measurement of the data stage, in its own process (``bench/run`` starts it).

The data stage is what the ``board`` plugin does before MkDocs renders anything:
load, validate and cross-check ``data/``, apply the publish policy, rank, and render
every generated page (Markdown, plus the downloads). Prints one JSON object.

    python bench/stage.py --data DIR --cache DIR [--again FILE] [--write DIR]

``--again FILE`` then edits FILE (one commitment's text) and runs the stage again in
the same process, as ``mkdocs serve`` does after an edit (with a thread running, as
the server's is: nothing is forked); the file is restored after.
``--write DIR`` writes the generated pages there (for the MkDocs-only floor build).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import threading
import time
from pathlib import Path
from typing import Any


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--cache", type=Path)
    parser.add_argument("--again", type=Path)
    parser.add_argument("--write", type=Path)
    parser.add_argument("--scan", type=Path, help="time the output scanner on this built site")
    parser.add_argument("--scan-cache", type=Path, help="with the verdicts kept in this folder")
    args = parser.parse_args()
    if args.scan:
        scan(args)
        return
    started = time.perf_counter()
    from generator.buildcache import keep_in_memory
    from generator.pipeline import Source, prepare  # imports are part of a cold start

    keep_in_memory(args.again is not None)  # as the plugin does under serve

    imported = time.perf_counter()
    source = Source(args.data, "data", args.cache)

    def stage() -> tuple[dict[str, float], dict[str, str | bytes]]:
        # The plugin's own data stage: load and check (the frozen check against git
        # included), policy, ranking, history, and the pages (the page memo included).
        t0 = time.perf_counter()
        prepared = prepare(source)
        seconds = dict(prepared.seconds)
        return seconds | {"total": time.perf_counter() - t0}, prepared.pages

    times, pages = stage()
    result: dict[str, Any] = {
        "import": imported - started,
        **times,
        "pages": sum(1 for p in pages if p.endswith(".md")),
        "files": len(pages),
        "markdown_mb": sum(len(v.encode()) for k, v in pages.items() if isinstance(v, str)) / 1e6,
        "peak_mb": _peak_mb(),
    }
    if args.write:
        _write(pages, args.write)
    if args.again:
        del pages
        original = args.again.read_bytes()
        # As under `mkdocs serve`: its server thread is running, so nothing is forked.
        server = threading.Event()
        threading.Thread(target=server.wait, daemon=True).start()
        try:
            args.again.write_bytes(edit_one_commitment(original))
            again, _ = stage()
        finally:
            args.again.write_bytes(original)
        result["again"] = again
        result["peak_mb"] = _peak_mb()
    json.dump(result, sys.stdout)


def scan(args: argparse.Namespace) -> None:
    """What the output scanner (run at the end of every build) costs on its own."""
    from generator.buildcache import EntryStore
    from generator.model import load_dataset
    from generator.model.policy import internal_values
    from generator.scanner import scan_site

    dataset = load_dataset(args.data, cache_dir=args.cache)
    internal = internal_values(dataset.records, dataset.site)
    allowed = {entry.value for entry in dataset.site.privacy.allowlist}
    verdicts = EntryStore(args.scan_cache.parent, args.scan_cache.name) if args.scan_cache else None
    started = time.perf_counter()
    findings = scan_site(args.scan, internal, allowed, verdicts)
    result = {"scan": time.perf_counter() - started, "internal": len(internal)}
    json.dump(result | {"findings": len(findings)}, sys.stdout)


def edit_one_commitment(raw: bytes) -> bytes:
    """The first commitment's text gets a few more words: a typical one-record edit."""
    text = raw.decode("utf-8")
    at = text.index("\n  text: ") + len("\n  text: ")
    end = text.index("\n", at)
    value = text[at:end]
    quoted = value[:1] in ("'", '"')
    edited = value[:-1] + "（已修改）" + value[-1] if quoted else value + "（已修改）"
    return (text[:at] + edited + text[end:]).encode("utf-8")


def _write(pages: dict[str, str | bytes], root: Path) -> None:
    """The pages as plain Markdown files: our HTML fragments written out in place, as a
    site without our plugin would have to hold them (and MkDocs then parses them)."""
    from generator.text import unwrap_fragments

    for name, content in pages.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        text = content if isinstance(content, bytes) else unwrap_fragments(content).encode()
        path.write_bytes(text)


def _peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, workers) / 1024


if __name__ == "__main__":
    main()
