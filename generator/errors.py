"""The one exception tree of the generator.

The library raises these; only the edges (CLI, MkDocs plugin) turn them into
messages, so a data editor never sees a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, order=True)
class Problem:
    """One data problem, located so an editor can jump straight to it."""

    file: str
    line: int
    column: int
    field: str
    message: str
    warning: bool = False  # a quality hint (四化三可): fatal only with `board check --strict`

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        message = f"提示：{self.message}" if self.warning else self.message
        return f"{where}: {self.field}: {message}" if self.field else f"{where}: {message}"

    def located(self) -> Problem:
        return self


class Hint(Protocol):
    """A quality hint not yet given its line: see ``generator.model.checks.LateHint``."""

    def located(self) -> Problem: ...


class BoardError(Exception):
    """Base of every error the generator raises on purpose."""


class DataError(BoardError):
    """The data under ``data/`` has problems; carries all of them, sorted by place."""

    def __init__(self, problems: Iterable[Problem], summary: str = "个数据问题") -> None:
        self.problems = sorted(set(problems))
        self.summary = summary
        super().__init__(self.report())

    def report(self) -> str:
        lines = [str(p) for p in self.problems]
        lines.append(
            f"共发现 {len(self.problems)} {self.summary}，请逐条修改后重试；"
            "站点未生成，原站点保持不变。"
        )
        return "\n".join(lines)


class BuildError(BoardError):
    """Building or swapping the site failed for a reason other than the data."""
