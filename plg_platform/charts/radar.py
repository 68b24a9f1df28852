"""A radar chart as inline SVG, drawn on the server (the Content Security Policy allows no
inline styles or scripts, so only SVG presentation attributes are used).

Series differ in line pattern and marker shape as well as colour, each has a legend in words,
and the page always puts a table with the same numbers next to the chart.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from ._svg import INK, chart_id, fmt

# Wide enough for long labels left and right of the circle (Dutch labels run long).
WIDTH = 760
HEIGHT = 400
CX = WIDTH / 2
CY = HEIGHT / 2
RADIUS = 150
LEGEND_HEIGHT = 44
GRID = "#adb5bd"
# Per series: stroke colour, dash pattern ("" is solid), fill, marker shape.
STYLES = (
    ("#1f5f8b", "", "#1f5f8b", "circle"),
    ("#b35900", "6 4", "none", "square"),
)


@dataclass(frozen=True)
class RadarSeries:
    label: str
    # One value per axis; None where there is nothing to draw.
    values: Sequence[float | None]


def _point(axis: int, axes: int, fraction: float) -> tuple[float, float]:
    # Axis 0 points straight up; the others follow clockwise.
    angle = -math.pi / 2 + 2 * math.pi * axis / axes
    return CX + RADIUS * fraction * math.cos(angle), CY + RADIUS * fraction * math.sin(angle)


def _polygon_points(points: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{fmt(x)},{fmt(y)}" for x, y in points)


def _marker(shape: str, x: float, y: float, colour: str, tooltip: str) -> SafeString:
    if shape == "circle":
        return format_html(
            '<circle cx="{x}" cy="{y}" r="4" fill="{c}" stroke="#fff"><title>{t}</title></circle>',
            x=fmt(x),
            y=fmt(y),
            c=colour,
            t=tooltip,
        )
    return format_html(
        '<rect x="{x}" y="{y}" width="8" height="8" fill="#fff" stroke="{c}" stroke-width="2">'
        "<title>{t}</title></rect>",
        x=fmt(x - 4),
        y=fmt(y - 4),
        c=colour,
        t=tooltip,
    )


def _label(axis: int, axes: int, text: str) -> SafeString:
    x, y = _point(axis, axes, 1.12)
    anchor = "middle" if abs(x - CX) < 10 else ("start" if x > CX else "end")
    return format_html(
        '<text x="{x}" y="{y}" text-anchor="{a}" fill="{ink}">{text}</text>',
        x=fmt(x),
        y=fmt(y + 4),
        a=anchor,
        ink=INK,
        text=text,
    )


def radar(
    *, title: str, axes: Sequence[str], series: Sequence[RadarSeries], maximum: int = 5
) -> SafeString:
    """Draw one polygon per series on a radar with a ring per whole step up to `maximum`."""
    prefix = chart_id()
    n = len(axes)
    parts: list[SafeString] = []
    for step in range(1, maximum + 1):
        ring = [_point(axis, n, step / maximum) for axis in range(n)]
        parts.append(
            format_html(
                '<polygon points="{p}" fill="none" stroke="{g}" stroke-width="1"/>',
                p=_polygon_points(ring),
                g=GRID,
            )
        )
        x, y = _point(0, n, step / maximum)
        parts.append(
            format_html(
                '<text x="{x}" y="{y}" fill="{ink}" font-size="10">{v}</text>',
                x=fmt(x + 4),
                y=fmt(y + 10),
                ink=INK,
                v=step,
            )
        )
    for axis, label in enumerate(axes):
        x, y = _point(axis, n, 1)
        parts.append(
            format_html(
                '<line x1="{cx}" y1="{cy}" x2="{x}" y2="{y}" stroke="{g}"/>',
                cx=fmt(CX),
                cy=fmt(CY),
                x=fmt(x),
                y=fmt(y),
                g=GRID,
            )
        )
        parts.append(_label(axis, n, label))
    # The earliest series first, so the current one is drawn on top.
    for index in reversed(range(len(series))):
        one = series[index]
        colour, dash, fill, shape = STYLES[index % len(STYLES)]
        points = [
            (axis, _point(axis, n, value / maximum))
            for axis, value in enumerate(one.values)
            if value is not None
        ]
        if not points:
            continue
        parts.append(
            format_html(
                '<polygon points="{p}" fill="{f}" fill-opacity="0.15" stroke="{c}" '
                'stroke-width="2"{dash}/>',
                p=_polygon_points([xy for _axis, xy in points]),
                f=fill,
                c=colour,
                dash=format_html(' stroke-dasharray="{}"', dash) if dash else "",
            )
        )
        for axis, (x, y) in points:
            tooltip = f"{one.label} · {axes[axis]}: {one.values[axis]:.1f}"
            parts.append(_marker(shape, x, y, colour, tooltip))
    legend = []
    x = 20.0
    for index, one in enumerate(series):
        colour, dash, _fill, shape = STYLES[index % len(STYLES)]
        y = HEIGHT + LEGEND_HEIGHT / 2
        legend.append(
            format_html(
                '<line x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" stroke="{c}" stroke-width="2"{dash}/>'
                "{marker}"
                '<text x="{tx}" y="{ty}" fill="{ink}">{label}</text>',
                x1=fmt(x),
                x2=fmt(x + 28),
                y=fmt(y),
                c=colour,
                dash=format_html(' stroke-dasharray="{}"', dash) if dash else "",
                marker=_marker(shape, x + 14, y, colour, one.label),
                tx=fmt(x + 36),
                ty=fmt(y + 4),
                ink=INK,
                label=one.label,
            )
        )
        x += 60 + 7 * len(one.label)
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%" '
        'class="radar-chart" role="img" aria-labelledby="{p}-title" '
        'font-family="DejaVu Sans, Arial, sans-serif" font-size="12">'
        '<title id="{p}-title">{title}</title>{body}{legend}</svg>',
        w=WIDTH,
        h=HEIGHT + LEGEND_HEIGHT,
        p=prefix,
        title=title,
        body=format_html_join("", "{}", ((part,) for part in parts)),
        legend=mark_safe("".join(legend)),  # noqa: S308 - every part went through format_html
    )
