"""Sections that apps further down the line add to the meeting page.

The meeting page belongs to `meetings`, but case sessions (`casework`) build on it; rather than
importing upwards, an app registers a panel here from its AppConfig.ready().
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from plg_platform.users.models import User

    from .models import Meeting
    from .permissions import MeetingAccess

PanelContext = Callable[["Meeting", "User", "MeetingAccess"], dict[str, object]]


@dataclass(frozen=True)
class Panel:
    template: str
    context: PanelContext


_PANELS: list[Panel] = []


def register(template: str, context: PanelContext) -> None:
    if all(panel.template != template for panel in _PANELS):
        _PANELS.append(Panel(template, context))


def registered() -> tuple[Panel, ...]:
    return tuple(_PANELS)
