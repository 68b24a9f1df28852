"""Pages: one's own notifications, one's reminder settings, and a school's lead times."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from meetings.models import (
    ESSENTIAL_KINDS,
    FIRST_BEFORE_SECOND,
    Notification,
    NotificationKind,
    NotificationSettings,
    ReminderSchedule,
)
from tests.helpers import assert_login_redirect, count_queries
from tests.personas import SIGNED_IN

NOTIFICATIONS = reverse("meetings:notifications")
SETTINGS = reverse("meetings:notification_settings")
READ_ALL = reverse("meetings:notifications_read_all")


def _schedule_url(school) -> str:
    return reverse("meetings:reminder_schedule", kwargs={"pk": school.pk})


def _read_url(row) -> str:
    return reverse("meetings:notification_read", kwargs={"pk": row.pk})


def _notify(user, meeting, count: int = 1, kind=NotificationKind.MEETING_UPCOMING):
    rows = Notification.objects.bulk_create(
        Notification(
            recipient=user,
            meeting=meeting,
            kind=kind,
            event=f"test:{meeting.pk}:{number}",
            payload={"path": f"/meeting/{meeting.pk}/", "absence_path": "/absence/"},
            sent_at=timezone.now(),
        )
        for number in range(count)
    )
    return rows[0] if count == 1 else rows


# The list ------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_everyone_signed_in_sees_their_own_list(client_as, world, persona) -> None:
    assert client_as(persona).get(NOTIFICATIONS).status_code == 200


def test_anonymous_visitor_of_the_list_is_sent_to_sign_in(client) -> None:
    assert_login_redirect(client.get(NOTIFICATIONS))


def test_the_list_shows_ones_own_entries_with_text_and_link(
    client_as, meetings, participant, development_team
) -> None:
    _notify(participant, meetings[1])
    _notify(development_team, meetings[2], kind=NotificationKind.PREPARE_MEETING)

    response = client_as("participant").get(NOTIFICATIONS)

    body = response.content.decode()
    with translation.override("nl"):
        assert str(NotificationKind.MEETING_UPCOMING.label) in body
        assert str(NotificationKind.PREPARE_MEETING.label) not in body
    assert f'href="/meeting/{meetings[1].pk}/"' in body
    assert "B1.04" in body


def test_the_navigation_shows_the_unread_count(client_as, meetings, participant) -> None:
    _notify(participant, meetings[1], count=3)

    body = client_as("participant").get(reverse("communities:dashboard")).content.decode()

    assert '<span class="badge text-bg-light">3<span class="visually-hidden">' in body


def test_the_list_is_newest_first_and_paginated(client_as, meetings, participant) -> None:
    rows = _notify(participant, meetings[1], count=25)
    for number, row in enumerate(rows):
        Notification.objects.filter(pk=row.pk).update(
            created_at=timezone.now() + dt.timedelta(minutes=number)
        )

    first = client_as("participant").get(NOTIFICATIONS).context["entries"]
    second = client_as("participant").get(NOTIFICATIONS + "?page=2").context["entries"]

    assert [entry.notification.pk for entry in first][:2] == [rows[-1].pk, rows[-2].pk]
    assert len(first) == 20 and len(second) == 5


def test_a_strange_page_number_shows_a_page_not_an_error(client_as, world) -> None:
    assert client_as("participant").get(NOTIFICATIONS + "?page=abc").status_code == 200


def test_a_dropped_reminder_is_not_listed(client_as, meetings, participant) -> None:
    row = _notify(participant, meetings[1])
    Notification.objects.filter(pk=row.pk).update(dropped_at=timezone.now())

    assert client_as("participant").get(NOTIFICATIONS).context["entries"] == []


def test_the_list_runs_as_many_queries_for_thirty_entries_as_for_three(
    client_as, meetings, participant
) -> None:
    client = client_as("participant")
    _notify(participant, meetings[1], count=3)
    few = count_queries(client, NOTIFICATIONS)
    Notification.objects.all().delete()
    _notify(participant, meetings[2], count=30)

    assert count_queries(client, NOTIFICATIONS) == few


# Reading -------------------------------------------------------------------------------------


def test_marking_one_as_read(client_as, meetings, participant) -> None:
    row, other = _notify(participant, meetings[1], count=2)

    response = client_as("participant").post(_read_url(row), {"page": "2"})

    assert response["Location"] == NOTIFICATIONS + "?page=2"
    row.refresh_from_db()
    other.refresh_from_db()
    assert row.read_at is not None and other.read_at is None


def test_someone_elses_notification_is_not_found(client_as, meetings, development_team) -> None:
    row = _notify(development_team, meetings[1])

    assert client_as("participant").post(_read_url(row)).status_code == 404
    row.refresh_from_db()
    assert row.read_at is None


def test_reading_needs_a_post(client_as, meetings, participant) -> None:
    row = _notify(participant, meetings[1])

    assert client_as("participant").get(_read_url(row)).status_code == 405


def test_anonymous_reading_is_sent_to_sign_in(client, meetings, participant) -> None:
    assert_login_redirect(client.post(_read_url(_notify(participant, meetings[1]))))


def test_marking_all_as_read_leaves_others_alone(
    client_as, meetings, participant, development_team
) -> None:
    _notify(participant, meetings[1], count=3)
    theirs = _notify(development_team, meetings[1])

    response = client_as("participant").post(READ_ALL, {"page": "javascript:alert(1)"})

    assert response["Location"] == NOTIFICATIONS
    assert not Notification.objects.filter(recipient=participant, read_at=None).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


# Settings ------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_everyone_signed_in_has_reminder_settings(client_as, world, persona) -> None:
    assert client_as(persona).get(SETTINGS).status_code == 200


def test_anonymous_visitor_of_the_settings_is_sent_to_sign_in(client) -> None:
    assert_login_redirect(client.get(SETTINGS))


def test_the_settings_are_reached_from_my_account(client_as, world) -> None:
    assert SETTINGS in client_as("participant").get(reverse("users:settings")).content.decode()


def test_the_settings_show_essential_kinds_as_always_on(client_as, world) -> None:
    body = client_as("participant").get(SETTINGS).content.decode()

    with translation.override("nl"):
        label = str(NotificationKind.ABSENCE_DECIDED.label)
    assert label in body
    assert 'id="essential-absence_decided" checked disabled' in body


def test_unticking_a_kind_mutes_it_and_the_digest_is_saved(client_as, world, participant):
    wanted = [
        kind.value
        for kind in NotificationKind
        if kind not in ESSENTIAL_KINDS and kind != NotificationKind.PREPARE_MEETING
    ]

    response = client_as("participant").post(
        SETTINGS, {"wanted_kinds": wanted, "delivery": "digest"}
    )

    assert response.status_code == 302
    saved = NotificationSettings.objects.get(user=participant)
    assert saved.muted_kinds == [NotificationKind.PREPARE_MEETING.value]
    assert saved.digest is True


def test_an_essential_kind_cannot_be_muted(client_as, world, participant) -> None:
    client_as("participant").post(SETTINGS, {"wanted_kinds": [], "delivery": "email"})

    muted = NotificationSettings.objects.get(user=participant).muted_kinds
    assert NotificationKind.ABSENCE_DECIDED.value not in muted
    assert NotificationKind.CASE_DEADLINE.value not in muted


def test_bad_settings_input_gives_a_message(client_as, world, participant) -> None:
    response = client_as("participant").post(
        SETTINGS, {"wanted_kinds": ["nonsense"], "delivery": "pigeon"}
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert gettext("Choose reminders from the list.") in body
    assert gettext("Choose how you get your reminders.") in body
    assert not NotificationSettings.objects.exists()


# The school's lead times ---------------------------------------------------------------------


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_only_the_schools_programme_leads_edit_lead_times(client_as, world, persona) -> None:
    response = client_as(persona).get(_schedule_url(world.school))

    assert response.status_code == (200 if persona == "school_admin" else 404)


def test_another_schools_lead_times_are_not_found(client_as, world) -> None:
    assert client_as("school_admin").get(_schedule_url(world.other_school)).status_code == 404


def test_anonymous_visitor_of_the_lead_times_is_sent_to_sign_in(client, world) -> None:
    assert_login_redirect(client.get(_schedule_url(world.school)))


def test_the_lead_times_are_reached_from_the_school_page(client_as, world) -> None:
    page = client_as("school_admin").get(
        reverse("communities:school", kwargs={"pk": world.school.pk})
    )

    assert _schedule_url(world.school) in page.content.decode()


def _days(**changes) -> dict[str, object]:
    days = {
        "meeting_first_days": 7,
        "meeting_second_days": 1,
        "prepare_days": 14,
        "case_days": 3,
        "reflection_days": 1,
        "step_days": 5,
        "report_days": 3,
    }
    return {**days, **changes}


def test_the_programme_lead_saves_lead_times(client_as, world) -> None:
    response = client_as("school_admin").post(_schedule_url(world.school), _days(prepare_days=21))

    assert response.status_code == 302
    assert ReminderSchedule.objects.get(school=world.school).prepare_days == 21


@pytest.mark.parametrize("value", ["-1", "61", "1.5", "", "veel"])
def test_lead_times_are_whole_days_from_0_to_60(client_as, world, value) -> None:
    response = client_as("school_admin").post(_schedule_url(world.school), _days(case_days=value))

    assert response.status_code == 200
    assert gettext("Give a whole number of days from 0 to 60.") in response.content.decode()
    assert not ReminderSchedule.objects.exists()


def test_the_first_meeting_reminder_goes_before_the_second(client_as, world) -> None:
    response = client_as("school_admin").post(
        _schedule_url(world.school), _days(meeting_first_days=1, meeting_second_days=2)
    )

    assert response.status_code == 200
    assert str(FIRST_BEFORE_SECOND) in response.content.decode()
    assert not ReminderSchedule.objects.exists()
