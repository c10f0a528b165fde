"""Generated pages on disk for ``mkdocs serve --dirtyreload``: only changed pages rebuild.

MkDocs counts an in-memory page as modified on every rebuild, so after any edit a
preview re-rendered all of a large board's pages. While serving, the plugin writes
each generated file under ``.cache/board/pages/`` instead, rewriting it only when its
content changed: MkDocs (with ``--dirtyreload``) then rebuilds just the pages whose
file is newer than its HTML. A published build never uses this: it always renders
every page from memory (``mkdocs build`` without ``--dirty``).
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from generator.files import write_atomically


class PreviewPages:
    """The generated files of the last preview build, kept under ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, name: str) -> Path:
        return self.root / name

    def write(self, pages: dict[str, str | bytes], *, all_changed: bool = False) -> int:
        """Write the files whose content changed (all of them if ``all_changed``), remove
        files no longer generated; return how many were written."""
        written = 0
        last = _WRITTEN.get(self.root, {})
        for name, content in pages.items():
            target = self.path(name)
            if not all_changed and last.get(name) is content and target.exists():
                continue  # the very object written last time (a page kept in memory)
            data = content.encode("utf-8") if isinstance(content, str) else content
            if not all_changed and _same(target, data):
                continue
            write_atomically(target, data)
            written += 1
        _WRITTEN[self.root] = dict(pages)
        wanted = {self.path(name) for name in pages}
        for stale in [p for p in self.root.rglob("*") if p.is_file() and p not in wanted]:
            with contextlib.suppress(OSError):
                stale.unlink()
        return written


# What the last preview wrote (or found unchanged) in this process, by folder: the same
# objects the last build's pages hold. A page that is the very same object again (the
# page memo hands out its kept pages from memory) is not read back to be compared.
_WRITTEN: dict[Path, dict[str, str | bytes]] = {}


def _same(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False
