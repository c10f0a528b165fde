"""A thin, typed wrapper over the git command line: only what review and provenance need.

Data at a revision is read with ``git archive`` into a temporary folder, never by
checking out: the working tree is left alone.
"""

from __future__ import annotations

import io
import os
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

from generator.errors import BoardError


class GitError(BoardError):
    """git failed or is not available; the message says what to do."""


NO_HISTORY = "no commit has the data folder"  # ``data_head`` of data never committed

# What git prints must depend only on the commits, the index and the files, never on how
# a machine is set up: the stage memo keys its result on the commit and status alone, and a
# board built in CI must say what one built at a desk says. So replacement refs and
# grafts (which rewrite history without changing HEAD) are off, renames are never
# guessed (``diff.renames`` and its limit differ between machines and versions), paths
# come out unquoted, and no colour or signature lines get into the output.
_PINNED = (
    "--no-replace-objects",
    "-c", "core.quotePath=false",
    "-c", "diff.renames=false",
    "-c", "status.renames=false",
    "-c", "log.showSignature=false",
    "-c", "color.ui=never",
)  # fmt: skip


def _environment() -> dict[str, str]:
    return {**os.environ, "GIT_GRAFT_FILE": os.devnull}  # not ``info/grafts``


@dataclass(frozen=True)
class Repo:
    """A git work tree and where the data folder sits in it."""

    root: Path
    data_rel: str  # e.g. "data"

    def run(self, *args: str) -> str:
        return self.run_bytes(*args).decode("utf-8")

    def run_bytes(self, *args: str) -> bytes:
        try:
            result = subprocess.run(
                self._command(*args), capture_output=True, check=False, timeout=120,
                env=_environment(),
            )  # fmt: skip
        except FileNotFoundError:
            raise GitError("找不到 git 命令；请先安装 git") from None
        if result.returncode != 0:
            message = result.stderr.decode("utf-8", "replace").strip()
            raise GitError(f"git {' '.join(args)} 失败：{message}")
        return result.stdout

    def _command(self, *args: str) -> list[str]:
        return ["git", *_PINNED, "-C", str(self.root), *args]

    def resolve(self, rev: str) -> str:
        return self.run("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").strip()

    def data_head(self) -> str:
        """The commit whose history of the data folder HEAD's is: HEAD, or, when the
        commits above it changed nothing in the data folder and merged nothing, the last
        commit that changed the data (``NO_HISTORY`` if none ever did). Every read of
        the data's history (``git log -- data``, files at the commits it lists) is the
        same from both, so a commit of a page or the theme keeps the data stage."""
        head = self.resolve("HEAD")
        changed = self.run("log", "--first-parent", "-1", "--format=%H", "--", self.data_rel)
        changed = changed.strip()
        if not changed and not self.run("log", "-1", "--format=%H", "--", self.data_rel):
            return NO_HISTORY  # never committed: no commit has anything to say of it
        if not changed or changed == head:
            return head
        above = self.run("rev-list", "--first-parent", "--parents", f"{changed}..{head}")
        if any(len(line.split()) != 2 for line in above.splitlines()):
            return head  # a merge (or another root) on the way: its history is its own
        return changed

    def is_shallow(self) -> bool:
        return self.run("rev-parse", "--is-shallow-repository").strip() == "true"

    def merge_base(self, a: str, b: str) -> str:
        return self.run("merge-base", a, b).strip()

    def has_commits(self) -> bool:
        try:
            self.resolve("HEAD")
        except GitError:
            return False
        return True

    def export_data(self, rev: str, dest: Path, sub: str = "") -> Path:
        """Write the data folder (or ``sub`` inside it) as it was at ``rev`` into ``dest``.

        Uses ``git archive``: no checkout, the working tree is untouched.
        """
        rel = f"{self.data_rel}/{sub}" if sub else self.data_rel
        archive = self.run_bytes("archive", "--format=tar", rev, "--", rel)
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(dest, filter="data")
        return dest / rel

    def file_at(self, rev: str, rel: str) -> bytes | None:
        try:
            return self.run_bytes("show", f"{rev}:{rel}")
        except GitError:
            return None

    def files_at(self, rev: str, paths: list[str]) -> list[bytes | None]:
        """Several files at ``rev`` (repository-relative paths) with one ``git cat-file``;
        None for a file that is not there (or a revision that does not exist)."""
        if not paths:
            return []
        request = "".join(f"{rev}:{path}\n" for path in paths).encode("utf-8")
        try:
            result = subprocess.run(
                self._command("cat-file", "--batch"),
                input=request, capture_output=True, check=False, timeout=120, env=_environment(),
            )  # fmt: skip
        except FileNotFoundError:
            raise GitError("找不到 git 命令；请先安装 git") from None
        return _batch_output(result.stdout, len(paths))

    def changed_since(self, rev: str) -> list[str]:
        """Data files that differ between ``rev`` and the working tree (data-relative)."""
        out = self.run("diff", "--name-only", "--no-renames", rev, "--", self.data_rel)
        prefix = f"{self.data_rel}/"
        changed = [line.removeprefix(prefix) for line in out.splitlines() if line]
        untracked = self.run("ls-files", "--others", "--exclude-standard", "--", self.data_rel)
        changed += [line.removeprefix(prefix) for line in untracked.splitlines() if line]
        return sorted(set(changed))

    def commits_touching(self, path: str) -> list[str]:
        """Commits that changed ``path`` (a file or folder), oldest first."""
        out = self.run("log", "--reverse", "--no-renames", "--format=%H", "--", path)
        return [line for line in out.splitlines() if line]

    def ever_deleted(self) -> list[str]:
        """Data files (data-relative) that some commit deleted, and that are not back."""
        log = ("log", "--format=", "--name-only", "--no-renames", "--diff-filter=D")
        out = self.run(*log, "--", self.data_rel)
        out += "\n" + self.run("ls-files", "--deleted", "--", self.data_rel)  # not committed yet
        prefix = f"{self.data_rel}/"
        gone = {line.removeprefix(prefix) for line in out.splitlines() if line}
        return sorted(rel for rel in gone if not (self.root / self.data_rel / rel).exists())

    def last_commit_time(self) -> int | None:
        try:
            return int(self.run("log", "-1", "--format=%ct").strip())
        except (GitError, ValueError):
            return None


def _batch_output(out: bytes, count: int) -> list[bytes | None]:
    """Split ``git cat-file --batch`` output: a header line, then that many bytes."""
    blobs: list[bytes | None] = []
    at = 0
    for _ in range(count):
        end = out.index(b"\n", at)
        header = out[at:end].split()
        at = end + 1
        if len(header) == 3 and header[2].isdigit():  # "<sha> <type> <size>", then the object
            size = int(header[2])
            blobs.append(out[at : at + size] if header[1] == b"blob" else None)
            at += size + 1
        else:  # "<object> missing" (or ambiguous): the file is not there
            blobs.append(None)
    return blobs


def find_repo(data_dir: Path) -> Repo | None:
    """The git work tree holding ``data_dir``, or None when the data is not in git."""
    try:
        result = subprocess.run(
            ["git", "-C", str(data_dir), "rev-parse", "--show-toplevel"],
            capture_output=True, check=False, timeout=30,
        )  # fmt: skip
    except FileNotFoundError:
        return None
    if result.returncode != 0:
        return None
    root = Path(result.stdout.decode().strip()).resolve()
    return Repo(root, data_dir.resolve().relative_to(root).as_posix())
