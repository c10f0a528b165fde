"""Where a build's MkDocs configuration and site are, and how MkDocs is run for it.

Every verb that builds runs ``mkdocs build --strict`` in a fresh process (whose
plugin runs the same pipeline as ``board check``), relaying its output. With no
``mkdocs.yml`` in the current folder the board's own configuration is used, so
``board build --data DIR`` works on any data folder without writing one.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import click

from generator.files import os_reason
from generator.pipeline import build_epoch

_PR_SET_PDEATHSIG = 1

BOARD_ROOT = Path(__file__).resolve().parents[2]  # the project: mkdocs.yml, content/, theme/
DATA_VARIABLE = "BOARD_DATA_DIR"  # read by mkdocs.yml: data_dir: !ENV [BOARD_DATA_DIR, data]


def config_file(given: Path | None) -> Path:
    """The configuration named, else ``./mkdocs.yml``, else the board's own."""
    if given is not None:
        return given
    here = Path("mkdocs.yml")
    return here if here.is_file() else BOARD_ROOT / "mkdocs.yml"


def site_dir(given: Path | None, config: Path) -> Path | None:
    """The site folder named; with the board's own configuration, ``./site``."""
    if given is not None:
        return given
    return Path("site") if config.resolve() == (BOARD_ROOT / "mkdocs.yml").resolve() else None


def build_environment(
    config: Path,
    data_dir: Path | None = None,
    *,
    preview: bool = False,
    as_of: dt.date | None = None,
) -> dict[str, str]:
    """The environment for a reproducible build.

    SOURCE_DATE_EPOCH comes from the last commit (unless already set), so the same
    commit builds byte-identical output, and statuses are judged as of that commit.
    A scheduled pipeline sets it to the current time to refresh them.
    """
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if data_dir is not None:
        env[DATA_VARIABLE] = str(data_dir.resolve())
    epoch = build_epoch(data_dir if data_dir is not None else config.resolve().parent)
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = str(epoch)
    if preview:
        env["BOARD_PREVIEW"] = "1"
    if as_of is not None:
        env["BOARD_AS_OF"] = as_of.isoformat()
    return env


def run_mkdocs(
    config: Path,
    *args: str,
    data_dir: Path | None = None,
    site_dir: Path | None = None,
    preview: bool = False,
    as_of: dt.date | None = None,
) -> int:
    """``mkdocs <args> -f config`` in a fresh process; its output relayed line by line.

    Strict without -q: ``-q --strict`` exits 0 on warnings (mkdocs#4126)."""
    command = [sys.executable, "-m", "mkdocs", *args, "-f", str(config)]
    if site_dir is not None:
        command += ["--site-dir", str(site_dir.resolve())]
    with subprocess.Popen(
        command, env=build_environment(config, data_dir, preview=preview, as_of=as_of),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, encoding="utf-8", errors="replace",
        preexec_fn=_die_with_parent,
    ) as process:  # fmt: skip
        assert process.stdout is not None
        relay(process.stdout)
        return process.wait()


def _die_with_parent() -> None:
    """In the child: if ``board`` is killed, MkDocs is too, instead of finishing a build
    nobody will check (Linux ``PR_SET_PDEATHSIG``; elsewhere nothing)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def relay(lines: Iterable[str]) -> None:
    """MkDocs' output as it comes; a Python traceback (a system error MkDocs did not
    expect: a full disk, a folder it may not write) as one line in Chinese."""
    trace: list[str] = []
    for line in lines:
        if line.startswith("Traceback (most recent call last)"):
            trace = [line]
        elif trace:
            trace.append(line)
            if line and not line[0].isspace():  # the exception's own line ends it
                click.echo(f"构建时出现系统错误：{_system_error(line.strip())}", err=True)
                trace = []
        else:
            click.echo(line, nl=False, err=True)


def _system_error(line: str) -> str:
    found = re.search(r"\[Errno (\d+)\]", line)
    if found:
        code = int(found.group(1))
        return f"{os_reason(OSError(code, os.strerror(code)))}（{line}）"
    return line
