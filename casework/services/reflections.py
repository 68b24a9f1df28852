"""Writes for reflections: a member writes, edits, shares or unshares their own."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from communities.permissions import is_group_member
from meetings.models import Meeting

from ..models import TEXT_MAX_LENGTH, Reflection

if TYPE_CHECKING:
    from plg_platform.users.models import User

TEXT_FIELDS = ("learned", "method", "bothers", "learning_question")


def reflection_can_be_written(meeting: Meeting) -> bool:
    """A reflection looks back: it is written once the meeting has started."""
    return meeting.has_taken_place


def _clean(data: Mapping[str, object]) -> dict[str, object]:
    cleaned: dict[str, object] = {name: str(data.get(name) or "").strip() for name in TEXT_FIELDS}
    errors = {
        name: _("Keep this to at most %(max)d characters.") % {"max": TEXT_MAX_LENGTH}
        for name in TEXT_FIELDS
        if len(str(cleaned[name])) > TEXT_MAX_LENGTH
    }
    if errors:
        raise ValidationError(errors)
    if not any(cleaned.values()):
        raise ValidationError(_("Write at least one part of your reflection before you save it."))
    # Private unless the author says otherwise.
    cleaned["shared"] = data.get("shared") is True
    return cleaned


@transaction.atomic
def reflection_save(*, meeting: Meeting, author: User, data: Mapping[str, object]) -> Reflection:
    """Write or change the author's reflection on a meeting; shared only when they choose so."""
    if not is_group_member(author, meeting.community):
        raise ValidationError(_("Only members of the group write a reflection on a meeting."))
    if not reflection_can_be_written(meeting):
        raise ValidationError(
            _("You can write your reflection once the meeting has started; not before.")
        )
    fields = _clean(data)
    # update_or_create locks the row, and a racing first save (second tab) becomes an edit.
    reflection, _created = Reflection.objects.update_or_create(
        meeting=meeting, author=author, defaults=fields
    )
    return reflection
