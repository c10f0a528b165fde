"""Build into a fresh folder and swap it in only when the build succeeded.

``mkdocs build`` empties ``site_dir`` before it builds, so a failing build
would leave a broken site. We point MkDocs at a staging folder beside the real
one and replace the real one only at the end of a build that raised nothing.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from generator.errors import BuildError


class StagedSite:
    """A staging folder next to ``target``; ``commit`` swaps it in, ``discard`` drops it."""

    def __init__(self, target: Path) -> None:
        self.target = target.resolve()
        self.staging = self.target.with_name(f"{self.target.name}.staging-{os.getpid()}")
        self._retired = self.target.with_name(f"{self.target.name}.old-{os.getpid()}")

    def prepare(self) -> Path:
        self.discard()
        self.staging.mkdir(parents=True)
        return self.staging

    def commit(self) -> None:
        """Replace ``target`` with the staging folder: two renames on one file system."""
        if not self.staging.is_dir():
            raise BuildError(f"找不到待发布的站点目录 {self.staging}")
        if self.target.exists():
            os.replace(self.target, self._retired)
        os.replace(self.staging, self.target)
        shutil.rmtree(self._retired, ignore_errors=True)

    def discard(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)
