"""Writing files so that a reader (another build, a crash) never sees half of one, and
knowing when a file read before is unchanged without reading it again."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import itertools
import os
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO


def write_atomically(path: Path, data: bytes) -> None:
    """Write via a temporary file beside ``path`` and rename it into place."""
    with atomic_writer(path) as out:
        out.write(data)


@contextlib.contextmanager
def atomic_writer(path: Path) -> Iterator[BinaryIO]:
    """A file to write ``path``'s new bytes to: renamed into place when the block ends,
    removed if it raises (a reader sees the old file or the whole new one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = _temporary_beside(path)
    try:
        with os.fdopen(fd, "wb") as out:
            yield out
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _temporary_beside(path: Path) -> tuple[int, str]:
    """A new file of this process's own beside ``path``, as ``mkstemp`` makes (mode 0600,
    never an existing file), named by process and a counter: the caches write tens of
    thousands of entries in a cold build, and ``mkstemp``'s random names cost half of it."""
    while True:
        temp = f"{path.parent}/.{path.name}.{os.getpid()}-{next(_TEMPORARIES)}.tmp"
        try:
            return os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), temp
        except FileExistsError:  # left by a crashed process that had this id: take the next
            continue


_TEMPORARIES = itertools.count()


class BlobCache:
    """Bytes kept on disk by a key made from everything they are made of.

    For outputs that are slow to make and rarely change (a quarter's workbook: the
    past quarters never do). An entry carries a checksum, so a truncated or damaged
    one is made again, never used; a cache that cannot be written is no cache."""

    _CHECK = 16

    def __init__(self, root: Path | None) -> None:
        self.root = root

    def get_or_make(self, key: bytes, make: Callable[[], bytes]) -> bytes:
        if self.root is None:
            return make()
        name = hashlib.sha256(key).hexdigest()
        path = self.root / name[:2] / name
        with contextlib.suppress(OSError):
            stored = path.read_bytes()
            body = stored[self._CHECK :]
            if stored[: self._CHECK] == hashlib.sha256(body).digest()[: self._CHECK]:
                return body
        data = make()
        with contextlib.suppress(OSError):
            write_atomically(path, hashlib.sha256(data).digest()[: self._CHECK] + data)
        return data


def os_reason(exc: OSError) -> str:
    """An operating-system error in Chinese words, for messages."""
    reasons = {
        errno.EACCES: "权限不足", errno.EPERM: "权限不足", errno.ENOENT: "不存在",
        errno.ENOSPC: "磁盘空间不足", errno.EROFS: "只读文件系统", errno.EISDIR: "是目录",
        errno.ENOTDIR: "不是目录", errno.ELOOP: "符号链接层数过多", errno.EIO: "读写错误",
    }  # fmt: skip
    return reasons.get(exc.errno or 0, exc.strerror or type(exc).__name__)


# Under `mkdocs serve` one process reads the same data files and scans the same site after
# every edit. A file's digest is known again without reading it while its status is the
# one it was read with (size, modification and change times in nanoseconds, inode), as
# git's index does: writing a file sets its change time, which no program can set back.
# File times are coarse (a few milliseconds): as git does for "racily clean" files, a
# file changed in the last two seconds is not trusted, since a second write in the same
# tick would leave its status as it was. Bounded: dropped when a board has more.
_DIGESTS: dict[str, tuple[tuple[int, int, int, int], str]] = {}
_KEEP_AT_MOST = 400_000
RACY_NS = 2_000_000_000


def _status(status: os.stat_result) -> tuple[int, int, int, int]:
    return (status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino)


def known_digest(path: Path) -> str | None:
    """The SHA-256 (hex) of ``path`` as this process last read it, if it is unchanged."""
    known = _DIGESTS.get(str(path))
    if known is None:
        return None
    try:
        status = path.stat()
    except OSError:
        return None
    return known[1] if known[0] == _status(status) else None


def note_digest(path: Path, status: os.stat_result, sha: str) -> None:
    """``path`` had ``status`` (taken before it was read) and its bytes ``sha``."""
    if len(_DIGESTS) > _KEEP_AT_MOST:
        _DIGESTS.clear()
    if time.time_ns() - status.st_ctime_ns > RACY_NS:
        _DIGESTS[str(path)] = (_status(status), sha)
    else:
        _DIGESTS.pop(str(path), None)


def noted_digests(root: Path, rels: Iterable[str]) -> dict[str, list[int | str]]:
    """What is noted of these files under ``root`` (``remember_digests`` takes it back,
    in another process): size, times, inode and SHA-256, by place under ``root``."""
    noted: dict[str, list[int | str]] = {}
    under = _prefix(root)
    for rel in rels:
        known = _DIGESTS.get(under + rel)
        if known is not None:
            noted[rel] = [*known[0], known[1]]
    return noted


def remember_digests(root: Path, noted: object) -> None:
    """Note again what ``noted_digests`` gave (a build writes it to its cache for the next
    one): a file is then read again only if its status changed. What is noted in this
    process stays; anything not in the expected shape is left out."""
    if not isinstance(noted, dict):
        return
    under = _prefix(root)
    for rel, entry in noted.items():
        path = under + str(rel)
        if path in _DIGESTS or not isinstance(entry, list) or len(entry) != 5:
            continue
        *status, sha = entry
        if all(type(n) is int for n in status) and isinstance(sha, str) and len(sha) == 64:
            _DIGESTS[path] = ((status[0], status[1], status[2], status[3]), sha)


def _prefix(root: Path) -> str:
    """``str(root / rel) == _prefix(root) + rel`` for a plain relative ``rel`` (as
    ``discover`` makes): 23,000 Path joins were half a second of a warm build."""
    return str(root / "x")[:-1]


def file_digest(path: Path) -> str:
    """The SHA-256 (hex) of ``path``'s bytes, read only if it may have changed."""
    known = known_digest(path)
    if known is not None:
        return known
    status = path.stat()
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    note_digest(path, status, sha)
    return sha
