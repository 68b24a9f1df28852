"""Small bar charts as inline SVG, drawn on the server so the page and the PDF show the same.

No colour carries meaning alone: every series has its own fill pattern, a legend in words and
its values written on the chart; the page puts a table next to each chart as well.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from ._svg import INK, chart_id, fmt

WIDTH = 640
HEIGHT = 260
LEFT = 40
RIGHT = 10
TOP = 16
BOTTOM = 64
# Fills that differ in pattern, not only in colour, and print well in black and white.
FILLS = ("url(#{id}-solid)", "url(#{id}-hatch)", "url(#{id}-dots)", "url(#{id}-blank)")


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[int | None]


def _defs(prefix: str) -> SafeString:
    return format_html(
        "<defs>"
        '<pattern id="{p}-solid" width="6" height="6" patternUnits="userSpaceOnUse">'
        '<rect width="6" height="6" fill="#1f5f8b"/></pattern>'
        '<pattern id="{p}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/>'
        '<rect width="3" height="6" fill="#b35900"/></pattern>'
        '<pattern id="{p}-dots" width="6" height="6" patternUnits="userSpaceOnUse">'
        '<rect width="6" height="6" fill="#fff"/><circle cx="3" cy="3" r="1.6" fill="#6f2c91"/>'
        "</pattern>"
        '<pattern id="{p}-blank" width="6" height="6" patternUnits="userSpaceOnUse">'
        '<rect width="6" height="6" fill="#e9ecef"/></pattern>'
        "</defs>",
        p=prefix,
    )


def _frame(prefix: str, title: str, body: SafeString) -> SafeString:
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%" '
        'class="yearly-chart" role="img" aria-labelledby="{p}-title" '
        'font-family="DejaVu Sans, Arial, sans-serif" font-size="11">'
        '<title id="{p}-title">{title}</title>{defs}'
        '<line x1="{left}" y1="{base}" x2="{right}" y2="{base}" stroke="{ink}"/>{body}</svg>',
        w=WIDTH,
        h=HEIGHT,
        p=prefix,
        title=title,
        defs=_defs(prefix),
        left=LEFT,
        right=WIDTH - RIGHT,
        base=HEIGHT - BOTTOM,
        ink=INK,
        body=body,
    )


def _legend(prefix: str, labels: Sequence[str]) -> SafeString:
    items = []
    x = LEFT
    for index, label in enumerate(labels):
        items.append(
            format_html(
                '<rect x="{x}" y="{y}" width="12" height="12" fill="{fill}" stroke="{ink}"/>'
                '<text x="{tx}" y="{ty}" fill="{ink}">{label}</text>',
                x=x,
                y=HEIGHT - 18,
                fill=FILLS[index % len(FILLS)].format(id=prefix),
                ink=INK,
                tx=x + 16,
                ty=HEIGHT - 8,
                label=label,
            )
        )
        x += 24 + 7 * len(label)
    return mark_safe("".join(items))  # noqa: S308 - every part went through format_html


def stacked_bars(*, title: str, categories: Sequence[str], series: Sequence[Series]) -> SafeString:
    """One bar per category, its series stacked, each part labelled with its value."""
    prefix = chart_id()
    totals = [sum(s.values[index] or 0 for s in series) for index in range(len(categories))]
    top = max(totals, default=0) or 1
    # Room above the tallest bar for the value written on top of it.
    plot = HEIGHT - BOTTOM - TOP - 6
    slot = (WIDTH - LEFT - RIGHT) / max(len(categories), 1)
    bar = min(slot * 0.6, 60)
    parts = []
    for index, category in enumerate(categories):
        x = LEFT + slot * index + (slot - bar) / 2
        y = HEIGHT - BOTTOM
        for number, one in enumerate(series):
            value = one.values[index]
            if not value:
                continue
            height = plot * value / top
            y -= height
            parts.append(
                format_html(
                    '<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{fill}" '
                    'stroke="{ink}"><title>{label}: {value}</title></rect>',
                    x=fmt(x),
                    y=fmt(y),
                    w=fmt(bar),
                    h=fmt(height),
                    fill=FILLS[number % len(FILLS)].format(id=prefix),
                    ink=INK,
                    label=one.label,
                    value=value,
                )
            )
            if len(series) == 1:
                # A single series: its value sits on top of the bar, however short it is.
                parts.append(
                    format_html(
                        '<text x="{x}" y="{y}" text-anchor="middle" fill="{ink}" '
                        'font-weight="bold">{value}</text>',
                        x=fmt(x + bar / 2),
                        y=fmt(y - 4),
                        ink=INK,
                        value=value,
                    )
                )
            elif height >= 14:
                parts.append(
                    format_html(
                        '<text x="{x}" y="{y}" text-anchor="middle" fill="{ink}" '
                        'font-weight="bold" paint-order="stroke" stroke="#fff" stroke-width="3">'
                        "{value}</text>",
                        x=fmt(x + bar / 2),
                        y=fmt(y + height / 2 + 4),
                        ink=INK,
                        value=value,
                    )
                )
        parts.append(
            format_html(
                '<text x="{x}" y="{y}" text-anchor="middle" fill="{ink}">{label}</text>',
                x=fmt(x + bar / 2),
                y=HEIGHT - BOTTOM + 16,
                ink=INK,
                label=category,
            )
        )
    body = format_html(
        "{bars}{legend}",
        bars=format_html_join("", "{}", ((part,) for part in parts)),
        legend=_legend(prefix, [one.label for one in series]) if len(series) > 1 else "",
    )
    return _frame(prefix, title, body)


def bars(*, title: str, labels: Sequence[str], values: Sequence[int]) -> SafeString:
    """One bar per label, with its value written above it."""
    return stacked_bars(title=title, categories=labels, series=[Series(title, values)])
