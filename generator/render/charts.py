"""Inline SVG charts made at build time: no JavaScript, no CDN, and they print.

Each chart has a visible title, labelled axes and round ticks; lines are black or dark
grey with distinct markers and every point is labelled with its value, so the chart
reads in black and white and without colour. A second line may give the category
average (dashed, square markers, named in a legend).

Every chart is drawn twice: all quarters for a desk, and the latest quarters only for a
phone (CSS shows one of the two): scaled down to a phone's width, a chart of eight
quarters would have labels a few pixels high.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from generator.text import Md, cn_quarter, html_text, number

WIDTH, HEIGHT = 640, 260
PHONE_WIDTH = 340  # drawn at about the size a 375 px phone shows it: labels stay 11 px
LEFT, RIGHT, TOP, BOTTOM = 56, 24, 44, 52
INSET = 26  # the first and last points sit this far inside the axes: labels clear them
PHONE_QUARTERS = 4  # the latest quarters a phone's chart shows
_SEASONS = {"1": "一季度", "2": "二季度", "3": "三季度", "4": "四季度"}


@dataclass(frozen=True)
class Point:
    label: str  # the quarter, e.g. 2026Q3
    value: float
    note: str = ""  # e.g. "红榜", shown under the value
    average: float | None = None  # the category's average that quarter, if drawn


@dataclass(frozen=True)
class Axes:
    """What the axes say: ``y`` its label (基础得分（分）), ``unit`` after each value."""

    y: str
    unit: str = ""
    invert: bool = False  # small values on top (ranks)


def line_chart(title: str, points: list[Point], axes: Axes) -> Md:
    """The chart for a desk and, when it has more quarters, the phone's."""
    if not points:
        return Md("")
    wide = _chart(title, points, axes, "board-chart board-chart--wide", WIDTH)
    if len(points) <= PHONE_QUARTERS:
        return Md(wide.replace("board-chart--wide", "board-chart--all"))
    narrow = _chart(
        f"{title}（最近 {PHONE_QUARTERS} 个季度）",
        points[-PHONE_QUARTERS:],
        axes,
        "board-chart board-chart--narrow",
        PHONE_WIDTH,
    )
    return Md(wide + narrow)


def _chart(title: str, points: list[Point], axes: Axes, css: str, width: int) -> str:
    values = [p.value for p in points] + [p.average for p in points if p.average is not None]
    low, high, step = nice_range(values, whole=axes.invert)
    span = (width - LEFT - RIGHT - 2 * INSET) / max(len(points) - 1, 1)

    def y(value: float) -> float:
        share = (value - low) / (high - low)
        return TOP + (share if axes.invert else 1 - share) * (HEIGHT - TOP - BOTTOM)

    def x(i: int) -> float:
        return LEFT + INSET + i * span if len(points) > 1 else (LEFT + width - RIGHT) / 2

    parts = [_frame(title, points, axes, css, width), _grid(low, high, step, y, axes, width)]
    averages = [(x(i), y(p.average)) for i, p in enumerate(points) if p.average is not None]
    if averages:
        parts.append(_polyline(averages, 'stroke="#666" stroke-dasharray="6,4"'))
        parts += [
            f'<rect x="{ax - 3.5:.1f}" y="{ay - 3.5:.1f}" width="7" height="7" fill="#666"/>'
            for ax, ay in averages
        ]
        parts.append(_legend(width))
    parts.append(_polyline([(x(i), y(p.value)) for i, p in enumerate(points)], 'stroke="#222"'))
    parts += [_marker(x(i), y(p.value), p, axes.unit) for i, p in enumerate(points)]
    parts += _quarter_labels(points, x)
    parts.append("</svg>")
    return "".join(parts)


def nice_range(values: list[float], *, whole: bool = False) -> tuple[float, float, float]:
    """Axis bounds and a round tick step (1, 2 or 5 times a power of ten) around
    ``values``, with some room above and below for the value labels."""
    low, high = min(values), max(values)
    if high - low < 1:
        low, high = low - 1, high + 1
    raw = (high - low) / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    if whole:
        step = max(1.0, round(step))
    low = math.floor((low - step / 2) / step) * step
    high = math.ceil((high + step / 2) / step) * step
    if whole:
        low = max(low, 0.0)
    return low, high, step


def _frame(title: str, points: list[Point], axes: Axes, css: str, width: int) -> str:
    desc = "；".join(
        f"{cn_quarter(p.label)}：{number(p.value)}{axes.unit}{p.note}"
        + (f"（本类平均 {number(p.average)}{axes.unit}）" if p.average is not None else "")
        for p in points
    )
    return (
        f'<svg class="{css}" viewBox="0 0 {width} {HEIGHT}" role="img" '
        f'xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMinYMin meet">'
        f"<title>{html_text(title)}</title><desc>{html_text(desc)}</desc>"
        f'<text x="{width / 2:.0f}" y="18" text-anchor="middle" font-size="14" '
        f'font-weight="700" fill="#000">{html_text(title)}</text>'
        f'<text transform="translate(14 {(TOP + HEIGHT - BOTTOM) / 2:.0f}) rotate(-90)" '
        f'text-anchor="middle" font-size="11" fill="#333">{html_text(axes.y)}</text>'
    )


def _grid(
    low: float, high: float, step: float, y: Callable[[float], float], axes: Axes, width: int
) -> str:
    lines = []
    count = round((high - low) / step)
    for k in range(count + 1):
        value = low + k * step
        if axes.invert and value < 1:
            continue  # no rank 0
        ty = y(value)
        lines.append(
            f'<line x1="{LEFT}" x2="{width - RIGHT}" y1="{ty:.1f}" y2="{ty:.1f}" '
            'stroke="#ccc" stroke-dasharray="3,3"/>'
            f'<text x="{LEFT - 6}" y="{ty + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="#444">{number(round(value, 2))}</text>'
        )
    return "".join(lines)


def _polyline(coords: list[tuple[float, float]], style: str) -> str:
    return (
        f'<polyline fill="none" {style} stroke-width="2" points="'
        + " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        + '"/>'
    )


def _legend(width: int) -> str:
    x0, y0 = width - RIGHT - 170, 32
    return (
        f'<line x1="{x0}" x2="{x0 + 24}" y1="{y0}" y2="{y0}" stroke="#222" stroke-width="2"/>'
        f'<text x="{x0 + 30}" y="{y0 + 4}" font-size="11" fill="#000">本支部</text>'
        f'<line x1="{x0 + 80}" x2="{x0 + 104}" y1="{y0}" y2="{y0}" stroke="#666" '
        'stroke-width="2" stroke-dasharray="6,4"/>'
        f'<text x="{x0 + 110}" y="{y0 + 4}" font-size="11" fill="#000">本类平均</text>'
    )


def _marker(x: float, y: float, p: Point, unit: str) -> str:
    shape = {"红榜": "▲", "蓝榜": "▼"}.get(p.note, "")
    return (
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="#fff" stroke="#222" stroke-width="2"/>'
        f'<text x="{x:.1f}" y="{y - 9:.1f}" text-anchor="middle" font-size="12" fill="#000">'
        f"{number(p.value)}{html_text(unit)}{shape}</text>"
    )


def _quarter_labels(points: list[Point], x: Callable[[int], float]) -> list[str]:
    """季度 under each point (三季度), the year under the first of each year, and the
    point's note (红榜, Ⅰ类) below."""
    out, year = [], ""
    base = HEIGHT - BOTTOM
    for i, p in enumerate(points):
        y_text, season = p.label[:4], _SEASONS.get(p.label[-1:], p.label)
        out.append(
            f'<text x="{x(i):.1f}" y="{base + 16}" text-anchor="middle" font-size="11" '
            f'fill="#333">{html_text(season)}</text>'
        )
        if y_text != year:
            out.append(
                f'<text x="{x(i):.1f}" y="{base + 30}" text-anchor="middle" font-size="11" '
                f'fill="#333">{html_text(y_text)}年</text>'
            )
            year = y_text
        if p.note:
            out.append(
                f'<text x="{x(i):.1f}" y="{base + 44}" text-anchor="middle" font-size="11" '
                f'fill="#000">{html_text(p.note)}</text>'
            )
    return out
