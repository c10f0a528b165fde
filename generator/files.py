"""Writing files so that a reader (another build, a crash) never sees half of one."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def write_atomically(path: Path, data: bytes) -> None:
    """Write via a temporary file beside ``path`` and rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


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
