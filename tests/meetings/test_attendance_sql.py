"""The attendance section's plain SQL reads the same rows as the ORM rules it stands for, and its
kept blank absence form is the crispy-forms rendering."""

from __future__ import annotations

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from django.urls import reverse
from django.utils import timezone, translation

from meetings.forms.attendance import AbsenceRequestForm
from meetings.models import AbsenceRequest, AbsenceStatus, Attendance, AttendanceStatus
from meetings.selectors.attendance import (
    blank_absence_form,
    expected_list,
    group_members,
    own_absence,
    own_rows,
)
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

PERSONAS = ["participant", "teacher_leader", "development_team", "expert", "team_leader"]


@pytest.fixture
def marked(meetings, participant, teacher_leader, development_team, expert, world):
    """Meeting 1 with every absence state, recorded attendance, an expert and a former member."""
    meeting = meetings[0]
    former = UserFactory(email="former@lyceum.example", name="Fay Former")
    MembershipFactory(community=world.community, user=former, is_participant=True)
    former.deleted_at = timezone.now()
    former.save(update_fields=["deleted_at"])
    both = UserFactory(email="both@lyceum.example", name="Bo Both")
    MembershipFactory(community=world.community, user=both, is_expert=True, is_participant=True)
    for user, status in (
        (participant, AbsenceStatus.APPROVED),
        (development_team, AbsenceStatus.PENDING),
        (expert, AbsenceStatus.DECLINED),
        (former, AbsenceStatus.DECLINED),
    ):
        AbsenceRequest.objects.create(
            meeting=meeting, member=user, reason=f"REASON of {user.name}", status=status
        )
    for user, status in (
        (participant, AttendanceStatus.EXCUSED),
        (teacher_leader, AttendanceStatus.PRESENT),
        (expert, AttendanceStatus.PRESENT),
    ):
        Attendance.objects.create(
            meeting=meeting, member=user, status=status, recorded_by=teacher_leader
        )
    # Rows of another meeting must not leak in.
    AbsenceRequest.objects.create(meeting=meetings[1], member=both, reason="other meeting")
    return meeting


def test_the_expected_list_is_the_group_with_the_orms_states(marked):
    states = dict(marked.absence_requests.values_list("member_id", "status"))
    recorded = dict(marked.attendance.values_list("member_id", "status"))
    expected = [
        (m.user.pk, m.user.display_name, states.get(m.user_id), _label(recorded.get(m.user_id)))
        for m in group_members(marked.community)
    ]

    read = expected_list(marked)

    assert [
        (row.member.pk, row.member.display_name, row.absence_status, row.attendance) for row in read
    ] == expected
    assert len(read) == 5  # not the expert alone; the former member and the expert-participant in


def _label(status: str | None):
    return AttendanceStatus(status).label if status else None


def _values(row) -> list[object] | None:
    return row and [getattr(row, field.attname) for field in row._meta.concrete_fields]


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_own_rows_are_the_orms(marked, persona, persona_user):
    user = persona_user(persona)

    absence, attendance = own_rows(marked, user)

    assert _values(absence) == _values(own_absence(marked, user))
    assert attendance == (
        marked.attendance.filter(member=user).values_list("status", flat=True).first()
    )


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_blank_absence_form_kept_per_language_is_the_crispy_rendering(language) -> None:
    with translation.override(language):
        blank_absence_form(language)  # kept
        assert blank_absence_form(language) == as_crispy_form(AbsenceRequestForm())


def test_the_kept_blank_form_follows_the_language() -> None:
    with translation.override("nl"):
        dutch = blank_absence_form("nl")
    with translation.override("en"):
        english = blank_absence_form("en")

    assert dutch != english
    assert "Only you and the team leader who decides read the reason." in english


def test_a_pending_requests_own_reason_is_rendered_not_kept(client_as, meetings, participant):
    AbsenceRequest.objects.create(meeting=meetings[2], member=participant, reason="REASON-XYZ")
    client = client_as("participant")

    blank = client.get(reverse("meetings:meeting", args=[meetings[1].pk])).content.decode()
    pending = client.get(reverse("meetings:meeting", args=[meetings[2].pk])).content.decode()

    assert 'name="reason"' in blank and "REASON-XYZ" not in blank
    assert "REASON-XYZ</textarea>" in pending
