from __future__ import annotations


def meeting_panel(meeting, user, access) -> dict[str, object]:
    return {}
