"""Build into a fresh folder and swap it in, in one atomic step, only when the build succeeded.

``mkdocs build`` empties ``site_dir`` before it builds, so a failing build would leave a
broken site. MkDocs is pointed at a staging folder beside the real one; at the end of
a build that raised nothing the two are exchanged with one ``renameat2`` call
(``RENAME_EXCHANGE``): a reader, or a build killed at any moment, sees the old site or
the new one, never none. Where the call does not exist (not Linux), two renames.

Two builds of one site at once would trample each other's staging folder: a lock
file beside the site makes the second one stop with a clear message. Staging
folders of builds that were killed are removed by the next build.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import re
import shutil
from pathlib import Path

from generator.errors import BuildError
from generator.files import os_reason

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_STAGING = re.compile(r"\.staging-([0-9]+)$")


class StagedSite:
    """A staging folder next to ``target``; ``commit`` swaps it in, ``discard`` drops it."""

    def __init__(self, target: Path) -> None:
        self.target = target.resolve()
        self.staging = self.target.with_name(f"{self.target.name}.staging-{os.getpid()}")
        self._lock: FolderLock | None = None

    def prepare(self) -> Path:
        """Take the lock, clear leftovers of killed builds, make the staging folder."""
        try:
            self.target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise BuildError(f"无法创建目录 {self.target.parent}（{os_reason(exc)}）") from None
        self._lock = FolderLock(self.target.parent, "生成站点")
        remove_stale_staging(self.target)
        self.discard()
        try:
            self.staging.mkdir(parents=True)
        except OSError as exc:
            self.release()
            raise BuildError(f"无法创建目录 {self.staging}（{os_reason(exc)}）") from None
        return self.staging

    def commit(self) -> None:
        """Put the staging folder in place of ``target`` in one atomic step."""
        if not self.staging.is_dir():
            raise BuildError(f"找不到待发布的站点目录 {self.staging}")
        try:
            swappable = self.target.is_dir() and not self.target.is_symlink()
            if swappable and exchange(self.staging, self.target):
                shutil.rmtree(self.staging, ignore_errors=True)  # now the old site
            else:
                _replace_by_renames(self.staging, self.target)
        except OSError as exc:
            raise BuildError(
                f"无法替换站点目录 {self.target}（{os_reason(exc)}）；原站点保持不变"
            ) from None
        finally:
            self.release()

    def discard(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)

    def abandon(self) -> None:
        """The build failed: drop the staging folder, keep the site as it was."""
        self.discard()
        self.release()

    def release(self) -> None:
        if self._lock is not None:
            self._lock.close()
            self._lock = None


def exchange(a: Path, b: Path) -> bool:
    """Swap two folders atomically (Linux ``renameat2``); False where it is not available."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in {errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP}:  # kernel or file system lacks it
        return False
    raise OSError(code, os.strerror(code))


def _replace_by_renames(staging: Path, target: Path) -> None:
    retired = target.with_name(f"{target.name}.old-{os.getpid()}")
    if target.exists() or target.is_symlink():
        os.replace(target, retired)
    os.replace(staging, target)
    shutil.rmtree(retired, ignore_errors=True)


class FolderLock:
    """An exclusive lock on a folder (``flock`` on the folder itself: no lock file is left
    behind), held until ``close``; a second holder is refused at once, with a message."""

    def __init__(self, folder: Path, what: str) -> None:
        try:
            self._fd: int | None = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        except OSError as exc:
            raise BuildError(f"无法打开目录 {folder}（{os_reason(exc)}）") from None
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.close()
            raise BuildError(
                f"{folder} 中另一个{what}的任务正在进行，两个任务同时进行会互相破坏；"
                "请等它结束后重试"
            ) from None

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing releases the lock
            self._fd = None

    def __enter__(self) -> FolderLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def remove_stale_staging(target: Path) -> list[Path]:
    """Remove staging folders of builds whose process is gone (killed builds)."""
    removed = []
    with contextlib.suppress(OSError):
        for candidate in target.parent.glob(f"{target.name}.staging-*"):
            match = _STAGING.search(candidate.name)
            if match and not _alive(int(match.group(1))) and candidate.is_dir():
                shutil.rmtree(candidate, ignore_errors=True)
                removed.append(candidate)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
