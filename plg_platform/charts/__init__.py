"""Charts drawn on the server as inline SVG, so the page and the PDF show the same."""

from .bars import Series, bars, stacked_bars
from .radar import RadarSeries, radar

__all__ = ["RadarSeries", "Series", "bars", "radar", "stacked_bars"]
