"""Releases on the web server's disk: build aside, check, switch with one atomic rename.

Layout under the publish folder::

    releases/20261121T101500-1a2b3c4d/   one full site per release
    current -> releases/...              the live site (point the web server here)

The switch replaces the ``current`` symlink with ``os.replace``, which is atomic:
a reader gets the old site or the new one, never a mix. A failed build or check
never touches ``current``. A release counts only once ``board publish`` has marked it
complete (``.board-release``), after its build and checks passed: a build that went
on after ``board publish`` was killed leaves a folder that is never listed, never
switched to and never rolled back to; the next publish removes it.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import time
from pathlib import Path

from generator.errors import BuildError
from generator.files import os_reason, write_atomically

RELEASES, CURRENT = "releases", "current"
MARKER = ".board-release"  # written into a release when it has passed everything


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
    """Complete releases, oldest first (unfinished or abandoned builds are not)."""
    return [p for p in _release_folders(root) if (p / MARKER).is_file()]


def _release_folders(root: Path) -> list[Path]:
    folder = root / RELEASES
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_dir() and RELEASE_NAME.fullmatch(p.name))


def mark_complete(release: Path, commit: str) -> None:
    """The release passed its build and every check: it may now go live."""
    if not (release / "index.html").is_file():
        raise BuildError(f"{release} 不是完整的站点（缺少 index.html），未发布")
    try:
        write_atomically(release / MARKER, f"{commit}\n".encode())
    except OSError as exc:
        raise BuildError(f"无法写入 {release / MARKER}（{os_reason(exc)}）；未发布") from None


def remove_unfinished(root: Path) -> list[Path]:
    """Release folders never marked complete (and not live): builds that were abandoned."""
    live = current_release(root)
    doomed = [
        p for p in _release_folders(root) if not (p / MARKER).is_file() and p.resolve() != live
    ]
    for folder in doomed:
        shutil.rmtree(folder, ignore_errors=True)
    return doomed


def current_release(root: Path) -> Path | None:
    link = root / CURRENT
    return (root / os.readlink(link)).resolve() if link.is_symlink() else None


def switch_to(root: Path, release: Path) -> None:
    """Point ``current`` at ``release`` with one atomic rename of a fresh symlink."""
    if not (release / "index.html").is_file() or not (release / MARKER).is_file():
        raise BuildError(f"{release} 不是已完成的发布版本，未切换")
    link, temporary = root / CURRENT, root / f".{CURRENT}.{os.getpid()}"
    if link.exists() and not link.is_symlink():
        raise BuildError(f"{link} 是普通目录而不是符号链接；请先把它移走，再用 board publish 发布")
    try:
        temporary.unlink(missing_ok=True)
        os.symlink(release.relative_to(root), temporary)
        os.replace(temporary, link)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise BuildError(f"无法切换 {link}（{os_reason(exc)}）；在线站点未改动") from None


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
