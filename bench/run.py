"""Scale benchmark: builds the board at three sizes and prints one table.

    bench/run                 # S and M, and L's data stage
    bench/run --scales S,M    # a subset
    bench/run --no-build      # data stage only (no MkDocs builds)

Scales (``board demo`` datasets, generated once into bench/out/ and reused):

- S: the committed sample (data/, copied so the edit test never touches it);
- M: a provincial company: 1,000 branches, 30,000 members (60,000 commitments a
  year), 12 quarters;
- L: a group: 10,000 branches, 300,000 members, 12 quarters. Its full build would
  take far longer than a few minutes, so only its data stage is measured.

Every measurement runs in a fresh process with an address-space limit, so a runaway
size fails one figure instead of the machine. The floor is bare MkDocs building the
same generated pages, written out as plain files, with the same theme, nav and
plugins (search, offline) but without ours: what MkDocs alone costs for this site.
The HTML our plugin carries past Python-Markdown (member cards, the roll-up: see
``html_fragment`` in generator/text.py) is written out in place there, as a
site without our plugin would have to hold it; so the floor builds the same HTML.
Results go to stdout and to bench/out/results-<scale list>.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PYTHON = sys.executable
EPOCH = "1795000000"  # a fixed SOURCE_DATE_EPOCH (2026-11-18): same dates every run
GB = 1024**3


@dataclass(frozen=True)
class Scale:
    name: str
    branches: int
    members: int
    quarters: int
    memory_limit: int  # bytes of address space for each measured process
    build: bool  # whether a full MkDocs build is measured

    @property
    def data(self) -> Path:
        return OUT / self.name if self.name != "S" else OUT / "S" / "data"


SCALES = {
    "S": Scale("S", 31, 600, 8, 6 * GB, True),
    "M": Scale("M", 1000, 30000, 12, 12 * GB, True),
    "L": Scale("L", 10000, 300000, 12, 21 * GB, False),
}
SEED = 2025


@dataclass
class Row:
    scale: str
    figures: dict[str, Any] = field(default_factory=dict)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="S,M,L")
    parser.add_argument("--no-build", action="store_true", help="data stage only")
    parser.add_argument(
        "--baseline", metavar="REV", help="also build S with the generator of git revision REV"
    )
    args = parser.parse_args()
    names = [s.strip().upper() for s in args.scales.split(",") if s.strip()]
    rows = []
    for name in names:
        scale = SCALES[name]
        prepare(scale)
        row = Row(name)
        measure_stage(scale, row)
        if scale.build and not args.no_build:
            measure_builds(scale, row)
            if args.baseline and name == "S":
                compare_with(args.baseline, scale, row)
        rows.append(row)
        print(f"[bench] {name}: {json.dumps(row.figures, ensure_ascii=False)}", file=sys.stderr)
    report = render(rows)
    print(report)
    (OUT / f"results-{'-'.join(names)}.md").write_text(report, encoding="utf-8")


# ------------------------------------------------------------------ datasets


def prepare(scale: Scale) -> None:
    """Generate the dataset once (board demo is deterministic); the sample is copied."""
    if scale.name == "S":
        shutil.rmtree(OUT / "S", ignore_errors=True)
        shutil.copytree(ROOT / "data", scale.data)
        return
    if (scale.data / "site.yaml").exists():
        return
    shutil.rmtree(scale.data, ignore_errors=True)
    print(f"[bench] generating {scale.name} (once) ...", file=sys.stderr)
    board = str(Path(PYTHON).with_name("board"))
    shape = ["--branches", str(scale.branches), "--members", str(scale.members)]
    shape += ["--quarters", str(scale.quarters), "--seed", str(SEED)]
    subprocess.run([board, "demo", *shape, "--out", str(scale.data)], check=True)


def edited_file(scale: Scale) -> Path:
    """The commitment file the edit tests change: the latest year, first branch."""
    years = sorted(p for p in (scale.data / "commitments").iterdir() if p.is_dir())
    return sorted(p for p in years[-1].glob("*.yaml") if not p.name.startswith("_"))[0]


# ------------------------------------------------------------------ measuring


def run_limited(
    command: list[str], limit: int, cwd: Path = ROOT, pythonpath: Path | None = None
) -> tuple[float, float, str, int]:
    """Run ``command`` with an address-space limit; wall seconds, peak RSS MB, stdout, code."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    if pythonpath is not None:  # another revision's generator, ahead of the installed one
        env["PYTHONPATH"] = str(pythonpath)

    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=out, stderr=err, preexec_fn=limit_memory
        )
        # wait4: the peak RSS of this child (and the workers it waited for), nothing else.
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    if process.returncode != 0:
        print(f"[bench] failed ({process.returncode}): {' '.join(command)}", file=sys.stderr)
        print(stderr[-3000:], file=sys.stderr)
    return elapsed, usage.ru_maxrss / 1024, stdout, process.returncode


def stage(scale: Scale, cache: Path, *extra: str) -> dict[str, Any] | None:
    command = [PYTHON, str(ROOT / "bench" / "stage.py"), "--data", str(scale.data)]
    command += ["--cache", str(cache), *extra]
    _, _, out, code = run_limited(command, scale.memory_limit)
    return json.loads(out) if code == 0 and out.strip() else None


def measure_stage(scale: Scale, row: Row) -> None:
    cache = OUT / f"cache-{scale.name}"
    shutil.rmtree(cache, ignore_errors=True)
    cold = stage(scale, cache)
    if cold is None:
        row.figures["stage_cold"] = "failed"
        return
    # The serve-like rerun after an edit renders in one process: at L that is long, and
    # L's figure of interest is its warm data stage per page against M's.
    again = ["--again", str(edited_file(scale))] if scale.build else []
    warm = stage(scale, cache, *again)
    row.figures |= {
        "pages": cold["pages"],
        "markdown_mb": round(cold["markdown_mb"], 1),
        "stage_cold": cold["total"],
        "stage_cold_parts": _steps(cold),
        "stage_peak_mb": cold["peak_mb"],
    }
    if warm is not None:
        row.figures |= {
            "stage_warm": warm["total"],
            "stage_warm_parts": _steps(warm),
            "stage_edit_serve": warm["again"]["total"] if "again" in warm else None,
            "stage_peak_mb": max(cold["peak_mb"], warm["peak_mb"]),
        }


STEPS = ("stage memo", "load", "frozen", "policy", "derive", "history", "memo", "render")  # prepare


def _steps(measured: dict[str, Any]) -> dict[str, float]:
    return {k: round(measured[k], 2) for k in STEPS if k in measured}


def measure_builds(scale: Scale, row: Row) -> None:
    project = make_project(OUT / f"project-{scale.name}", scale.data.resolve(), with_board=True)
    shutil.rmtree(project / ".cache", ignore_errors=True)
    seconds, peak, _, code = build(project, scale)
    if code != 0:
        row.figures["build"] = "failed"
        return
    index = project / "site" / "search" / "search_index.json"
    html_pages = sum(1 for _ in (project / "site").rglob("*.html"))
    largest = max((p.stat().st_size, p) for p in (project / "site").rglob("*.html"))
    scanned = stage(scale, OUT / f"cache-{scale.name}", "--scan", str(project / "site"))
    if scanned is not None:
        row.figures["scanner"] = scanned["scan"]
    row.figures |= {
        "build_cold": seconds,
        "build_peak_mb": peak,
        "html_pages": html_pages,
        "largest_page_kb": largest[0] / 1024,
        "largest_page": largest[1].relative_to(project / "site").as_posix(),
        "search_index_mb": index.stat().st_size / 1e6,
        "site_mb": _size(project / "site") / 1e6,
    }
    seconds, peak, _, code = build(project, scale)  # every cache warm, nothing changed
    if code == 0:
        row.figures["build_again"] = seconds
    target = edited_file(scale)
    original = target.read_bytes()
    sys.path.insert(0, str(ROOT / "bench"))
    from stage import edit_one_commitment

    try:
        target.write_bytes(edit_one_commitment(original))
        seconds, peak, _, code = build(project, scale)
    finally:
        target.write_bytes(original)
    if code == 0:
        row.figures["build_edit"] = seconds
        row.figures["build_peak_mb"] = max(row.figures["build_peak_mb"], peak)
    kept = ["--scan", str(project / "site"), "--scan-cache", str(project / ".cache/board/scan")]
    rescanned = stage(scale, OUT / f"cache-{scale.name}", *kept)
    if rescanned is not None:
        row.figures["scanner_cached"] = rescanned["scan"]
    measure_serve(scale, project, target, row)
    floor = make_project(OUT / f"floor-{scale.name}", None, with_board=False)
    docs = floor / "docs"
    shutil.rmtree(docs, ignore_errors=True)
    shutil.copytree(ROOT / "content", docs)
    written = stage(scale, OUT / f"cache-{scale.name}", "--write", str(docs))
    if written is None:
        return
    seconds, peak, _, code = build(floor, scale)
    if code == 0:
        row.figures["floor"] = seconds
        row.figures["floor_peak_mb"] = peak
        floor_index = floor / "site" / "search" / "search_index.json"
        row.figures["floor_search_index_mb"] = floor_index.stat().st_size / 1e6


def measure_serve(scale: Scale, project: Path, target: Path, row: Row) -> None:
    """``board serve``: seconds from saving a one-commitment edit to its page rewritten."""
    year, branch = target.parent.name, target.stem
    command = [PYTHON, str(ROOT / "bench" / "serve.py"), "--project", str(project)]
    command += ["--edit", str(target), "--page", f"commitments/{year}/{branch}.html"]
    _, peak, out, code = run_limited(command, scale.memory_limit, cwd=project)
    if code != 0 or not out.strip():
        row.figures["serve_edit"] = "failed"
        return
    served = json.loads(out)
    row.figures |= {"serve_first": served["first"], "serve_peak_mb": peak}
    row.figures["serve_edit"] = served["edit"] if served["shown"] else "not shown"


def compare_with(revision: str, scale: Scale, row: Row, runs: int = 3) -> None:
    """The same full build with another revision's generator, alternating, medians."""
    code = OUT / "baseline"
    shutil.rmtree(code, ignore_errors=True)
    code.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "archive", revision, "generator"], cwd=ROOT, capture_output=True, check=True
    )
    subprocess.run(["tar", "-x", "-C", str(code)], input=archive.stdout, check=True)
    project = OUT / f"project-{scale.name}"
    before, after = [], []
    for _ in range(runs):
        before.append(build(project, scale, pythonpath=code)[0])
        after.append(build(project, scale)[0])
    row.figures["baseline"] = revision
    row.figures["build_before"] = sorted(before)[runs // 2]
    row.figures["build_after"] = sorted(after)[runs // 2]


def make_project(where: Path, data: Path | None, *, with_board: bool) -> Path:
    """The real site's mkdocs.yml, content/ and theme/ around a dataset (or without ours)."""
    where.mkdir(parents=True, exist_ok=True)
    for name in ("content", "theme"):
        shutil.rmtree(where / name, ignore_errors=True)
    shutil.copytree(ROOT / "theme", where / "theme")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    board = re.compile(r"  - board:\n      data_dir: [^\n]*\n")  # data or !ENV [..., data]
    if with_board:
        shutil.copytree(ROOT / "content", where / "content")
        config = board.sub(f"  - board:\n      data_dir: {data}\n", config)
    else:
        config = board.sub("", config)
        config = config.replace("docs_dir: content", "docs_dir: docs")
    (where / "mkdocs.yml").write_text(config, encoding="utf-8")
    return where


def build(
    project: Path, scale: Scale, pythonpath: Path | None = None
) -> tuple[float, float, str, int]:
    # As `board build` does it: strict, without -q (mkdocs#4126).
    command = [PYTHON, "-m", "mkdocs", "build", "--strict", "-f", str(project / "mkdocs.yml")]
    return run_limited(command, scale.memory_limit, cwd=project, pythonpath=pythonpath)


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


# ------------------------------------------------------------------ the table

# Issue 15 (rebuild on each data change in seconds): (figure, scale, label, goal, unit).
TARGETS_15 = [
    ("edit_ratio", "S", "rebuild after a one-record edit ÷ cold build", 0.4, "×"),
    ("edit_ratio", "M", "rebuild after a one-record edit ÷ cold build", 0.1, "×"),
    ("serve_edit", "M", "serve: saving an edit to the edited page rewritten", 3.0, "s"),
    ("stage_warm", "M", "data stage, warm cache (new process)", 5.0, "s"),
    ("build_ratio", "M", "cold full build ÷ MkDocs-only floor", 1.0, "×"),
    ("stage_peak_mb", "L", "data stage peak memory", 4096, "MB"),
]
# Earlier issues' targets, still printed.
TARGETS = [
    # (figure, scale, label, limit, unit)
    ("stage_cold", "M", "data stage, cold (empty parse cache)", 5.0, "s"),
    ("stage_warm", "M", "data stage, new process, parse cache warm", 5.0, "s"),
    ("stage_edit_serve", "M", "data stage after a one-file edit (serve)", 1.0, "s"),
    ("build_ratio", "M", "full build ÷ MkDocs-only floor", 1.2, "×"),
    ("per_page_ratio", "L", "data-stage seconds per page, L ÷ M", 1.5, "×"),
    ("peak_mb", "M", "peak memory (any process)", 1536, "MB"),
    ("search_index_mb", "M", "search index (search_index.json)", 15, "MB"),
    ("largest_page_kb", "M", "largest HTML page", 1024, "KB"),
]


def render(rows: list[Row]) -> str:
    by = {r.scale: r.figures for r in rows}
    for figures in by.values():
        if isinstance(figures.get("build_cold"), float) and isinstance(figures.get("floor"), float):
            figures["build_ratio"] = figures["build_cold"] / figures["floor"]
            figures["pages_per_s"] = figures["html_pages"] / figures["build_cold"]
        for name in ("edit", "again"):
            cold, warm = figures.get("build_cold"), figures.get(f"build_{name}")
            if isinstance(cold, float) and isinstance(warm, float):
                figures[f"{name}_ratio"] = warm / cold
        peaks = [figures.get(k) for k in ("stage_peak_mb", "build_peak_mb", "floor_peak_mb")]
        figures["peak_mb"] = max((p for p in peaks if isinstance(p, float)), default=None)
        if isinstance(figures.get("stage_cold"), float) and figures.get("pages"):
            figures["s_per_page_warm"] = figures.get("stage_warm", 0) / figures["pages"]
    m, large = by.get("M", {}), by.get("L", {})
    if m.get("s_per_page_warm") and large.get("s_per_page_warm"):
        large["per_page_ratio"] = by["L"]["s_per_page_warm"] / by["M"]["s_per_page_warm"]
    lines = ["| figure | " + " | ".join(r.scale for r in rows) + " |"]
    lines.append("| --- |" + " ---: |" * len(rows))
    shown = [
        ("generated pages (Markdown)", "pages", "{:.0f}"),
        ("generated Markdown, MB", "markdown_mb", "{:.1f}"),
        ("data stage cold (empty cache), s", "stage_cold", "{:.1f}"),
        ("  " + " · ".join(STEPS) + ", s", "stage_cold_parts", None),
        ("data stage warm (new process), s", "stage_warm", "{:.1f}"),
        ("  " + " · ".join(STEPS) + ", s", "stage_warm_parts", None),
        ("data stage after a one-file edit (serve), s", "stage_edit_serve", "{:.1f}"),
        ("data stage peak memory, MB", "stage_peak_mb", "{:.0f}"),
        ("full build, cold cache, s", "build_cold", "{:.1f}"),
        ("full build with the baseline's generator (median of 3), s", "build_before", "{:.1f}"),
        ("full build with this generator (median of 3), s", "build_after", "{:.1f}"),
        ("  of which the output scanner (measured alone), s", "scanner", "{:.1f}"),
        ("rebuild, nothing changed (every cache warm), s", "build_again", "{:.1f}"),
        ("rebuild after editing one commitment, s", "build_edit", "{:.1f}"),
        ("  ÷ cold build", "edit_ratio", "{:.2f}"),
        ("  output scanner with its verdicts kept (measured alone), s", "scanner_cached", "{:.1f}"),
        ("serve: first build, s", "serve_first", "{:.1f}"),
        ("serve: saving an edit to the page rewritten, s", "serve_edit", "{:.1f}"),
        ("floor: MkDocs alone, same pages, s", "floor", "{:.1f}"),
        ("full build ÷ floor", "build_ratio", "{:.2f}"),
        ("full build peak memory, MB", "build_peak_mb", "{:.0f}"),
        ("floor's peak memory, MB", "floor_peak_mb", "{:.0f}"),
        ("HTML pages in the site", "html_pages", "{:.0f}"),
        ("largest HTML page, KB (issue 13: under 1 MB)", "largest_page_kb", "{:.0f}"),
        ("  which page", "largest_page", "{}"),
        ("pages per second (full build)", "pages_per_s", "{:.1f}"),
        ("search index, MB", "search_index_mb", "{:.1f}"),
        ("floor's search index, MB", "floor_search_index_mb", "{:.1f}"),
        ("site size, MB", "site_mb", "{:.0f}"),
        ("data stage s/page (warm), ms", "s_per_page_warm", "ms"),
    ]
    for label, key, fmt in shown:
        cells = [_cell(by[r.scale].get(key), fmt) for r in rows]
        if any(c != "—" for c in cells):
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines += ["", "Targets of issue 15 (ratios within this run):", ""]
    lines += _targets(by, TARGETS_15, "goal", "met")
    lines += ["", "Earlier targets:", ""]
    lines += _targets(by, TARGETS, "limit", "result")
    return "\n".join(lines) + "\n"


def _targets(
    by: dict[str, dict[str, Any]], targets: list[tuple[str, str, str, float, str]], *heads: str
) -> list[str]:
    lines = [f"| target | measured | {heads[0]} | {heads[1]} |", "| --- | ---: | ---: | --- |"]
    for key, scale, label, limit, unit in targets:
        value = by.get(scale, {}).get(key)
        if not isinstance(value, float | int):
            shown = value if isinstance(value, str) else "not measured"
            lines.append(f"| {label} ({scale}) | — | {limit} {unit} | {shown} |")
            continue
        verdict = "met" if value <= limit else f"missed by {value / limit:.1f}×"
        lines.append(f"| {label} ({scale}) | {value:.2f} {unit} | {limit} {unit} | {verdict} |")
    return lines


def _cell(value: Any, fmt: str | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return " · ".join(f"{v:.1f}" for v in value.values())
    if fmt == "ms":
        return f"{value * 1000:.1f}"
    return fmt.format(value) if fmt else str(value)


if __name__ == "__main__":
    main()
