"""What every server-drawn SVG chart shares: the ink colour, number format and unique ids.

The Content Security Policy allows no inline styles or scripts, so charts use SVG presentation
attributes only; no colour carries meaning alone, and every page puts a table next to a chart.
"""

from __future__ import annotations

from itertools import count

INK = "#212529"
_ids = count(1)


def chart_id() -> str:
    """A prefix for the ids inside one chart, unique on the page (patterns, titles)."""
    return f"chart{next(_ids)}"


def fmt(value: float) -> str:
    # Formatted before format_html, which turns every argument into (escaped) text.
    return f"{value:.1f}"
