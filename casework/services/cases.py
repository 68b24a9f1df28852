"""Writes for work cases: a member saves a draft, submits it to the meeting, or takes it back."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.permissions import is_group_member
from meetings.models import Meeting

from ..models import TEXT_MAX_LENGTH, CaseStatus, SmallGroup, WorkCase

if TYPE_CHECKING:
    from plg_platform.users.models import User

TITLE_MAX_LENGTH = WorkCase._meta.get_field("title").max_length or 120
TEXT_FIELDS = ("situation", "question", "tried", "why_now")
# What a case needs before the small group can work with it.
NEEDED_TO_SUBMIT = ("title", "situation", "question")


def case_can_be_changed(meeting: Meeting) -> bool:
    """A case is written and taken back before the meeting; once it has started it stays."""
    return not meeting.has_taken_place


def _refuse_once_started(meeting: Meeting) -> None:
    if not case_can_be_changed(meeting):
        raise ValidationError(
            _(
                "This meeting has already started, so your work case can no longer be changed "
                "or taken back."
            )
        )


def _clean(data: Mapping[str, object], *, submit: bool) -> dict[str, str]:
    """Strip the fields and check lengths; a submitted case needs its title, situation and question."""
    cleaned = {name: str(data.get(name) or "").strip() for name in ("title", *TEXT_FIELDS)}
    errors: dict[str, str] = {}
    if not cleaned["title"]:
        errors["title"] = _("Give your work case a short title, also for a draft.")
    elif len(cleaned["title"]) > TITLE_MAX_LENGTH:
        errors["title"] = _("Keep the title to at most %(max)d characters.") % {
            "max": TITLE_MAX_LENGTH
        }
    for name in TEXT_FIELDS:
        if len(cleaned[name]) > TEXT_MAX_LENGTH:
            errors[name] = _("Keep this to at most %(max)d characters.") % {"max": TEXT_MAX_LENGTH}
    if submit:
        if not cleaned["situation"] and "situation" not in errors:
            errors["situation"] = _("Describe the situation before you submit your work case.")
        if not cleaned["question"] and "question" not in errors:
            errors["question"] = _("Write down your question before you submit your work case.")
        if not data.get("names_left_out"):
            errors["names_left_out"] = _(
                "Confirm that you left out the names of pupils and colleagues before you submit."
            )
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def case_save(
    *, meeting: Meeting, presenter: User, data: Mapping[str, object], submit: bool
) -> WorkCase:
    """Save the member's work case for a meeting as a draft, or submit it to the meeting.

    Saving a submitted case as a draft takes it back: the case then leaves any small group
    it was chosen for, since a draft is read by its author only.
    """
    if not is_group_member(presenter, meeting.community):
        raise ValidationError(_("Only members of the group bring in a work case."))
    _refuse_once_started(meeting)
    fields = _clean(data, submit=submit)
    status = CaseStatus.SUBMITTED if submit else CaseStatus.DRAFT
    now = timezone.now()
    cases = WorkCase.objects.select_for_update().filter(meeting=meeting, presenter=presenter)
    case = cases.first()
    if case is None:
        try:
            # A savepoint, so a concurrent first save (unique constraint) can still be applied.
            with transaction.atomic():
                return WorkCase.objects.create(
                    meeting=meeting,
                    presenter=presenter,
                    status=status,
                    submitted_at=now if submit else None,
                    **fields,
                )
        except IntegrityError:
            case = cases.get()
    for name, value in fields.items():
        setattr(case, name, value)
    if submit and not case.is_submitted:
        case.submitted_at = now
    elif not submit:
        case.submitted_at = None
        SmallGroup.objects.filter(case=case).update(case=None)
    case.status = status
    case.save()
    return case


@transaction.atomic
def case_withdraw(*, case: WorkCase, actor: User) -> WorkCase:
    """Take a submitted case back to draft, before the meeting has started."""
    if case.presenter_id != actor.pk:
        raise ValidationError(_("Only the presenter can take a work case back."))
    _refuse_once_started(case.meeting)
    # Conditional, so a double click or a second tab does not pretend twice.
    if not WorkCase.objects.filter(pk=case.pk, status=CaseStatus.SUBMITTED).update(
        status=CaseStatus.DRAFT, submitted_at=None, updated_at=timezone.now()
    ):
        raise ValidationError(_("This work case is already a draft; nothing was changed."))
    SmallGroup.objects.filter(case=case).update(case=None)
    case.status, case.submitted_at = CaseStatus.DRAFT, None
    return case
