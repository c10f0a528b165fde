"""Releases on the web server's disk: build aside, check, switch with one atomic rename.

Layout under the publish folder::

    releases/20261121T101500-1a2b3c4d/   one full site per release
    current -> releases/...              the live site (point the web server here)

The switch replaces the ``current`` symlink with ``os.replace``, which is atomic:
a reader gets the old site or the new one, never a mix. A failed build or check
never touches ``current``.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

from generator.errors import BuildError

RELEASES, CURRENT = "releases", "current"


def new_release_dir(root: Path, label: str) -> Path:
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    base = root / RELEASES / f"{stamp}-{label}"
    candidate, n = base, 1
    while candidate.exists():  # two publishes in one second
        n += 1
        candidate = base.with_name(f"{base.name}-{n}")
    return candidate


RELEASE_NAME = re.compile(r"[0-9]{8}T[0-9]{6}-[A-Za-z0-9]+(?:-[0-9]+)?")


def releases(root: Path) -> list[Path]:
    """Finished releases, oldest first (staging leftovers of a crashed build are not)."""
    folder = root / RELEASES
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_dir() and RELEASE_NAME.fullmatch(p.name))


def current_release(root: Path) -> Path | None:
    link = root / CURRENT
    return (root / os.readlink(link)).resolve() if link.is_symlink() else None


def switch_to(root: Path, release: Path) -> None:
    """Point ``current`` at ``release`` with one atomic rename of a fresh symlink."""
    if not (release / "index.html").is_file():
        raise BuildError(f"{release} 不是完整的站点（缺少 index.html），未切换")
    link, temporary = root / CURRENT, root / f".{CURRENT}.{os.getpid()}"
    if link.exists() and not link.is_symlink():
        raise BuildError(f"{link} 是普通目录而不是符号链接；请先把它移走，再用 board publish 发布")
    temporary.unlink(missing_ok=True)
    os.symlink(release.relative_to(root), temporary)
    os.replace(temporary, link)


def prune(root: Path, keep: int) -> list[Path]:
    """Delete old releases beyond ``keep``; never the live one."""
    live = current_release(root)
    removable = [r for r in releases(root) if r.resolve() != live]
    doomed = removable[: max(0, len(removable) - (keep - 1))]
    for release in doomed:
        shutil.rmtree(release)
    return doomed


def previous_release(root: Path) -> Path:
    live = current_release(root)
    older = [r for r in releases(root) if live is None or r.resolve() < live]
    if not older:
        raise BuildError("没有更早的版本可以回退")
    return older[-1]
