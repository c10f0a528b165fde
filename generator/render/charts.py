"""Inline SVG charts made at build time: no JavaScript, no CDN, and they print.

Lines are black or dark with distinct markers and every point is labelled with
its value, so the chart reads in black and white and without colour.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from generator.text import Md, html_text, number

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 48, 44, 24, 36


@dataclass(frozen=True)
class Point:
    label: str  # the quarter, e.g. 2026Q3
    value: float
    note: str = ""  # e.g. "红榜", shown under the value


def line_chart(title: str, points: list[Point], *, invert: bool = False, unit: str = "") -> Md:
    """An accessible SVG line chart; ``invert`` puts small values on top (ranks)."""
    if not points:
        return Md("")
    low, high = _bounds([p.value for p in points])
    step = (WIDTH - LEFT - RIGHT) / max(len(points) - 1, 1)

    def y(value: float) -> float:
        share = (value - low) / (high - low)
        return TOP + (share if invert else 1 - share) * (HEIGHT - TOP - BOTTOM)

    coords = [
        (LEFT + i * step if len(points) > 1 else WIDTH / 2, y(p.value))
        for i, p in enumerate(points)
    ]
    parts = [_frame(title, points, unit), _axis(low, high, y, whole=invert)]
    parts.append(
        '<polyline fill="none" stroke="#222" stroke-width="2" points="'
        + " ".join(f"{x:.1f},{py:.1f}" for x, py in coords)
        + '"/>'
    )
    for (x, py), p in zip(coords, points, strict=True):
        parts.append(_marker(x, py, p, unit))
    parts.append("</svg>")
    return Md("".join(parts))


def _bounds(values: list[float]) -> tuple[float, float]:
    low, high = min(values), max(values)
    if high - low < 1:
        low, high = low - 1, high + 1
    pad = (high - low) * 0.15
    return low - pad, high + pad


def _frame(title: str, points: list[Point], unit: str) -> str:
    desc = "；".join(f"{p.label}：{number(p.value)}{unit}{p.note}" for p in points)
    return (
        f'<svg class="board-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMinYMin meet">'
        f"<title>{html_text(title)}</title><desc>{html_text(desc)}</desc>"
    )


def _axis(low: float, high: float, y: Callable[[float], float], *, whole: bool) -> str:
    ticks = [low + (high - low) * k / 4 for k in range(5)]
    if whole:  # ranks: whole numbers only, each once
        ticks = sorted({float(round(t)) for t in ticks if round(t) >= 1})
    lines = []
    for value in ticks:
        ty = y(value)
        lines.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{ty:.1f}" y2="{ty:.1f}" '
            'stroke="#ccc" stroke-dasharray="3,3"/>'
            f'<text x="{LEFT - 6}" y="{ty + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="#444">{number(round(value, 1))}</text>'
        )
    return "".join(lines)


def _marker(x: float, y: float, p: Point, unit: str) -> str:
    shape = {"红榜": "▲", "蓝榜": "▼"}.get(p.note, "")
    return (
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="#fff" stroke="#222" stroke-width="2"/>'
        f'<text x="{x:.1f}" y="{y - 9:.1f}" text-anchor="middle" font-size="12" fill="#000">'
        f"{number(p.value)}{html_text(unit)}{shape}</text>"
        f'<text x="{x:.1f}" y="{HEIGHT - 14}" text-anchor="middle" font-size="11" fill="#333">'
        f"{html_text(p.label)}</text>"
        + (
            f'<text x="{x:.1f}" y="{HEIGHT - 2}" text-anchor="middle" font-size="11" '
            f'fill="#000">{html_text(p.note)}</text>'
            if p.note
            else ""
        )
    )
