"""A cancelled meeting no longer changes: one refusal rule (Meeting.refuse_if_cancelled) for
absence requests and decisions, attendance, preparers, phase 0, the agenda and the checklist;
the meeting page hides those forms."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from meetings.models import (
    CANCELLED_REFUSAL,
    AbsenceRequest,
    AbsenceStatus,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    ChecklistItem,
    ChecklistTick,
    IntroductionKind,
    MeetingMaterial,
    MeetingPreparer,
    Notification,
    NotificationKind,
    ThemeIntroduction,
)
from meetings.phases import default_minutes
from meetings.selectors.attendance import absence_inbox
from meetings.selectors.preparation import meeting_minutes
from meetings.services import meeting_cancel
from meetings.services import preparation as preparation_services
from meetings.services.attendance import absence_decide, absence_submit, attendance_record
from tests.factories import MembershipFactory, UserFactory


def _cancel(meeting, actor) -> None:
    # The caller keeps its own (now stale) object: the services must read the status afresh.
    meeting_cancel(meeting=meeting, actor=actor, reason="Studiedag")


def _refused(error: pytest.ExceptionInfo[ValidationError]) -> bool:
    with translation.override("en"):
        return str(CANCELLED_REFUSAL) in " ".join(error.value.messages)


@pytest.fixture
def dev_two(world):
    user = UserFactory(email="daan@lyceum.example", name="Daan Devteam")
    MembershipFactory(
        community=world.community, user=user, is_participant=True, is_development_team=True
    )
    return user


def test_an_absence_request_for_a_cancelled_meeting_is_refused_without_notice(
    meetings, participant, teacher_leader
) -> None:
    _cancel(meetings[2], teacher_leader)

    with pytest.raises(ValidationError) as error:
        absence_submit(meeting=meetings[2], member=participant, reason="Ziek")

    assert _refused(error)
    assert not AbsenceRequest.objects.exists()
    assert not Notification.objects.filter(kind=NotificationKind.ABSENCE_SUBMITTED).exists()


def test_a_pending_request_of_a_cancelled_meeting_is_not_decided_and_leaves_the_inbox(
    meetings, participant, teacher_leader, team_leader
) -> None:
    absence = absence_submit(meeting=meetings[2], member=participant, reason="Ziek")
    _cancel(meetings[2], teacher_leader)

    with pytest.raises(ValidationError) as error:
        absence_decide(absence=absence, actor=team_leader, approve=True)

    assert _refused(error)
    assert AbsenceRequest.objects.get().status == AbsenceStatus.PENDING
    assert absence_inbox(team_leader)["pending"] == []


def test_attendance_of_a_cancelled_meeting_is_refused(
    meetings, participant, teacher_leader, before_the_year
) -> None:
    _cancel(meetings[1], teacher_leader)
    before_the_year.move_to(meetings[1].starts_at + dt.timedelta(hours=3))

    with pytest.raises(ValidationError) as error:
        attendance_record(
            meeting=meetings[1],
            actor=teacher_leader,
            statuses={participant.pk: AttendanceStatus.PRESENT},
        )

    assert _refused(error)
    assert not Attendance.objects.exists()


def test_preparers_of_a_cancelled_meeting_cannot_change(
    meetings, teacher_leader, development_team, dev_two
) -> None:
    _cancel(meetings[2], teacher_leader)

    with pytest.raises(ValidationError) as error:
        preparation_services.meeting_preparers_set(
            meeting=meetings[2], actor=teacher_leader, users=[development_team, dev_two]
        )

    assert _refused(error)
    assert not MeetingPreparer.objects.exists()


def test_phase_0_of_a_cancelled_meeting_cannot_change(meetings, teacher_leader) -> None:
    _cancel(meetings[2], teacher_leader)

    with pytest.raises(ValidationError) as error:
        preparation_services.theme_introduction_save(
            meeting=meetings[2], actor=teacher_leader, kind=IntroductionKind.DOCUMENTARY
        )

    assert _refused(error)
    assert not ThemeIntroduction.objects.exists()


def test_materials_of_a_cancelled_meeting_cannot_be_added(meetings, teacher_leader) -> None:
    _cancel(meetings[2], teacher_leader)

    with pytest.raises(ValidationError) as error:
        preparation_services.meeting_material_add(
            meeting=meetings[2], actor=teacher_leader, title="Artikel", url="https://example.org"
        )

    assert _refused(error)
    assert not MeetingMaterial.objects.exists()


def test_the_agenda_of_a_cancelled_meeting_cannot_change(meetings, teacher_leader) -> None:
    minutes = default_minutes(meeting_minutes(meetings[2]))
    _cancel(meetings[2], teacher_leader)

    with pytest.raises(ValidationError) as error:
        preparation_services.agenda_save(meeting=meetings[2], actor=teacher_leader, minutes=minutes)

    assert _refused(error)
    assert not AgendaItem.objects.exists()


def test_the_checklist_of_a_cancelled_meeting_1_cannot_change(meetings, teacher_leader) -> None:
    _cancel(meetings[0], teacher_leader)

    with pytest.raises(ValidationError) as error:
        preparation_services.checklist_item_set(
            meeting=meetings[0], actor=teacher_leader, item=ChecklistItem.EXPLAIN_PLG, done=True
        )

    assert _refused(error)
    assert not ChecklistTick.objects.exists()


def test_a_cancelled_meetings_page_hides_the_forms_that_change_it(
    client_as, meetings, teacher_leader
) -> None:
    _cancel(meetings[0], teacher_leader)

    page = client_as("teacher_leader").get(
        reverse("meetings:meeting", kwargs={"pk": meetings[0].pk})
    )

    assert page.status_code == 200
    html = page.content.decode()
    for name in ("meeting_preparers", "meeting_phase0", "meeting_agenda", "checklist_tick"):
        url = reverse(f"meetings:{name}", kwargs={"pk": meetings[0].pk})
        assert f'href="{url}"' not in html
        assert f'action="{url}"' not in html
    assert reverse("meetings:meeting_move", kwargs={"pk": meetings[0].pk}) not in html


def test_a_cancelled_meetings_page_offers_no_absence_request(
    client_as, meetings, participant, teacher_leader
) -> None:
    _cancel(meetings[2], teacher_leader)

    page = client_as("participant").get(reverse("meetings:meeting", kwargs={"pk": meetings[2].pk}))

    assert page.status_code == 200
    url = reverse("meetings:absence_request", kwargs={"pk": meetings[2].pk})
    assert url not in page.content.decode()


def test_posting_an_absence_request_for_a_cancelled_meeting_explains_why(
    client_as, meetings, participant, teacher_leader
) -> None:
    _cancel(meetings[2], teacher_leader)

    response = client_as("participant").post(
        reverse("meetings:absence_request", kwargs={"pk": meetings[2].pk}),
        {"reason": "Ziek"},
        follow=True,
    )

    assert response.status_code == 200
    assert not AbsenceRequest.objects.exists()
    with translation.override("nl"):
        assert str(CANCELLED_REFUSAL) in response.content.decode()
