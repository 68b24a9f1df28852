"""Retention: a school year's cases, reflections, phase notes and report texts are deleted once
the school's retention period after that year has passed; reports keep their numbers."""

# ruff: noqa: F811 - the case-session fixtures are imported from tests/casework/conftest.py
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation

from casework.models import (
    MeetingReport,
    NextStep,
    PhaseNote,
    Reflection,
    WorkCase,
    YearlyReport,
    YearlyReportStatus,
)
from casework.selectors.yearly import yearly_report
from communities.models import AuditAction, AuditEvent, School
from communities.retention import deletion_date, retention_apply, retention_plan
from communities.tasks import retention_run
from meetings.models import (
    AbsenceRequest,
    AbsenceStatus,
    Attendance,
    Meeting,
    Notification,
    NotificationKind,
)
from meetings.services import year_plan_create
from tests.casework.conftest import (  # noqa: F401 - fixtures used by name
    after_the_meeting,
    draft,
    final,
    noted,
    session,
    session_members,
)
from tests.factories import SchoolYearFactory
from tests.helpers import assert_only_for, count_queries
from tests.personas import PERSONAS

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# world.school_year ends on 16 July 2027; kept two school years after it by default.
DELETES_ON = dt.date(2029, 7, 17)


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(3, 15), tzinfo=AMSTERDAM)


def url(school) -> str:
    return reverse("communities:retention", args=[school.pk])


@pytest.fixture
def stored(final, world) -> YearlyReport:
    """The PLG's yearly report as compiled after its final phase-6 report."""
    data = yearly_report(school_year=world.school_year, scope="plg", community=world.community)
    assert data["highlights"]
    return YearlyReport.objects.create(
        scope="plg",
        school=world.school,
        school_year=world.school_year,
        community=world.community,
        status=YearlyReportStatus.DONE,
        data=data,
    )


def _year_rows(model, world) -> int:
    return model.objects.filter(meeting__community__school_year=world.school_year).count()


@pytest.fixture
def reminded(noted, world, participant, other_school_user) -> Notification:
    """Two more notifications about this year's meetings, one of them not sent yet, and one
    about a meeting of the other school; returns the other school's."""
    meeting = noted.meeting
    for event, sent_at in (("test:sent", meeting.starts_at), ("test:waiting", None)):
        Notification.objects.create(
            recipient=participant,
            meeting=meeting,
            kind=NotificationKind.ABSENCE_SUBMITTED,
            event=event,
            payload={"member_name": "Pia Participant", "member_id": participant.pk},
            sent_at=sent_at,
        )
    other_meeting = year_plan_create(
        community=world.other_school_community,
        actor=other_school_user,
        weekday=2,
        start_time=dt.time(15, 30),
        location="A0.01",
    )[0]
    return Notification.objects.create(
        recipient=other_school_user,
        meeting=other_meeting,
        kind=NotificationKind.MEETING_UPCOMING,
        event="test:other-school",
    )


# When


def test_deletion_date_is_the_day_after_the_retention_years(world) -> None:
    assert deletion_date(world.school_year, 2) == DELETES_ON
    assert deletion_date(world.school_year, 1) == dt.date(2028, 7, 17)


def test_plan_shows_each_year_with_its_date_and_counts(noted, world) -> None:
    with translation.override("en"):
        plan = retention_plan(world.school)

    (row,) = plan
    counts = dict(row.counts)
    assert (row.school_year, row.deletes_on, row.due) == (world.school_year, DELETES_ON, False)
    assert (counts["work cases"], counts["reflections"]) == (3, 2)
    assert counts["phase notes (with first small steps)"] == PhaseNote.objects.count()


def test_nothing_is_deleted_the_day_before(noted, world, before_the_year) -> None:
    before_the_year.move_to(at(DELETES_ON - dt.timedelta(days=1)))

    assert retention_run() == 0

    assert _year_rows(WorkCase, world) == 3
    assert _year_rows(Reflection, world) == 2


# What


def test_daily_run_deletes_texts_of_years_past_retention(
    stored, world, before_the_year, development_team
) -> None:
    meeting = Meeting.objects.get(pk=stored.community.meetings.get(number=2).pk)
    AbsenceRequest.objects.create(
        meeting=meeting, member=development_team, reason="ILL", status=AbsenceStatus.APPROVED
    )
    attendance = Attendance.objects.filter(meeting=meeting).count()
    before_the_year.move_to(at(DELETES_ON))

    assert retention_run() == 1

    for model in (WorkCase, Reflection, PhaseNote, NextStep):
        assert _year_rows(model, world) == 0, model
    report = MeetingReport.objects.get(meeting=meeting)
    assert report.is_final
    assert all(getattr(report, section) == "" for section in MeetingReport.SECTIONS)
    assert not report.pdf
    assert Attendance.objects.filter(meeting=meeting).count() == attendance > 0
    absence = AbsenceRequest.objects.get(meeting=meeting)
    assert (absence.reason, absence.status) == ("", AbsenceStatus.APPROVED)


def test_notifications_about_the_years_meetings_go_with_its_texts(
    reminded, world, before_the_year
) -> None:
    # The other school keeps its years longer.
    School.objects.filter(pk=world.other_school.pk).update(retention_years=5)
    with translation.override("en"):
        (row,) = retention_plan(world.school)
    year_notifications = _year_rows(Notification, world)
    assert dict(row.counts)["notifications and reminders"] == year_notifications >= 2
    before_the_year.move_to(at(DELETES_ON - dt.timedelta(days=1)))
    retention_run()
    assert _year_rows(Notification, world) == year_notifications

    before_the_year.move_to(at(DELETES_ON))
    retention_run()

    assert _year_rows(Notification, world) == 0
    # The other school's year is not past its retention yet: its notification stays.
    assert list(Notification.objects.all()) == [reminded]


def test_stored_yearly_report_keeps_numbers_and_loses_highlights(stored, before_the_year) -> None:
    before = stored.data
    before_the_year.move_to(at(DELETES_ON))

    retention_run()

    stored.refresh_from_db()
    assert stored.data["highlights"] == []
    assert {key: value for key, value in stored.data.items() if key != "highlights"} == {
        key: value for key, value in before.items() if key != "highlights"
    }


def test_run_is_logged_once_and_a_second_run_does_nothing(noted, world, before_the_year) -> None:
    before_the_year.move_to(at(DELETES_ON))

    assert retention_run() == 1
    assert retention_run() == 0

    event = AuditEvent.objects.get(action=AuditAction.RETENTION_DELETED)
    assert event.school == world.school
    assert event.actor is None
    assert event.subject.startswith("2026-2027: 3 ")


def test_a_shorter_period_deletes_a_year_sooner(noted, world, before_the_year) -> None:
    School.objects.filter(pk=world.school.pk).update(retention_years=1)
    before_the_year.move_to(at(dt.date(2028, 7, 17)))

    retention_apply(school=School.objects.get(pk=world.school.pk))

    assert _year_rows(WorkCase, world) == 0


def test_other_schools_keep_their_data(noted, world, before_the_year) -> None:
    before_the_year.move_to(at(DELETES_ON))

    retention_apply(school=world.other_school)

    assert _year_rows(WorkCase, world) == 3


def test_the_plan_says_a_year_is_due_and_then_deleted(noted, world, before_the_year) -> None:
    before_the_year.move_to(at(DELETES_ON))
    (due,) = retention_plan(world.school)

    retention_run()

    (done,) = retention_plan(world.school)
    assert (due.due, due.total > 0) == (True, True)
    assert (done.due, done.total) == (True, 0)


# The page


def test_school_page_links_to_retention(client, world, school_admin) -> None:
    client.force_login(school_admin)

    response = client.get(reverse("communities:school", args=[world.school.pk]))

    assert url(world.school) in response.content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_schools_programme_lead_sees_the_retention_page(client_as, persona, world) -> None:
    response = client_as(persona).get(url(world.school))

    assert_only_for(response, persona, {"school_admin"})


def test_page_shows_date_and_counts(client, noted, world, school_admin) -> None:
    school_admin.language = "en"
    school_admin.save(update_fields=["language"])
    client.force_login(school_admin)

    response = client.get(url(world.school))

    page = response.content.decode()
    assert "17 July 2029" in page
    assert "3 work cases" in page
    assert "2 reflections" in page


def test_programme_lead_changes_the_period(client, world, school_admin) -> None:
    client.force_login(school_admin)

    response = client.post(url(world.school), {"retention_years": "5"})

    assert response.status_code == 302
    world.school.refresh_from_db()
    assert world.school.retention_years == 5


@pytest.mark.parametrize("value", ["0", "11", "-1", "two", "", "1e3", "2.5", "9" * 40])
def test_a_period_outside_1_to_10_is_refused_with_a_clear_message(
    client, world, school_admin, value
) -> None:
    school_admin.language = "en"
    school_admin.save(update_fields=["language"])
    client.force_login(school_admin)

    response = client.post(url(world.school), {"retention_years": value})

    assert response.status_code == 400
    assert "Choose a number of school years from 1 to 10." in response.content.decode()
    world.school.refresh_from_db()
    assert world.school.retention_years == 2


def test_other_schools_programme_lead_cannot_change_the_period(
    client, world, other_school_user
) -> None:
    client.force_login(other_school_user)

    response = client.post(url(world.school), {"retention_years": "1"})

    assert response.status_code == 404
    world.school.refresh_from_db()
    assert world.school.retention_years == 2


def test_page_queries_do_not_grow_with_school_years(client, world, school_admin) -> None:
    client.force_login(school_admin)
    few = count_queries(client, url(world.school))
    for start in range(2015, 2025):
        SchoolYearFactory(
            school=world.school,
            name=f"{start}-{start + 1}",
            starts_on=dt.date(start, 8, 20),
            ends_on=dt.date(start + 1, 7, 10),
        )

    assert count_queries(client, url(world.school)) == few
