"""The year-plan page: who sees it, who plans, bad input, and its query budget."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.models import Meeting
from meetings.services import year_plan_create
from tests.factories import MembershipFactory
from tests.personas import PLANS, SIGNED_IN
from tests.personas import SEES_PLG as SEES

VALID = {"weekday": "1", "start_time": "15:30", "duration_minutes": "150", "location": "B1.04"}


def _url(world) -> str:
    return reverse("meetings:year_plan", kwargs={"pk": world.community.pk})


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_year_plan_page_is_shown_only_to_who_sees_the_plg(client_as, world, persona) -> None:
    response = client_as(persona).get(_url(world))

    assert response.status_code == (200 if persona in SEES else 404)


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_only_teacher_leaders_and_school_admins_plan_the_year(client_as, world, persona) -> None:
    response = client_as(persona).post(_url(world), VALID)

    planned = Meeting.objects.filter(community=world.community).count()
    if persona in PLANS:
        assert response.status_code == 302
        assert planned == 6
    else:
        assert response.status_code == 404
        assert planned == 0


def test_anonymous_visitor_is_sent_to_sign_in(client, world) -> None:
    response = client.get(_url(world))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_plg_page_links_to_the_year_plan(client_as, world) -> None:
    response = client_as("participant").get(
        reverse("communities:detail", kwargs={"pk": world.community.pk})
    )

    assert _url(world) in response.content.decode()


def test_participant_sees_the_plan_but_no_planning_form(client_as, world, teacher_leader) -> None:
    year_plan_create(
        community=world.community, actor=teacher_leader, weekday=1, start_time=dt.time(15, 30)
    )

    response = client_as("participant").get(_url(world))

    assert response.content.decode().count("<tr>") == 7  # header + six meetings
    assert 'name="weekday"' not in response.content.decode()


def test_planning_twice_shows_the_refusal_and_keeps_the_plan(client_as, world) -> None:
    client = client_as("teacher_leader")
    client.post(_url(world), VALID)
    before = list(Meeting.objects.values_list("starts_at", flat=True))

    response = client.post(_url(world), {**VALID, "weekday": "3"})

    assert response.status_code == 200
    assert "jaarplanning" in response.content.decode()
    assert list(Meeting.objects.values_list("starts_at", flat=True)) == before


@pytest.mark.parametrize(
    "field, value",
    [("start_time", "25:99"), ("duration_minutes", "-10"), ("weekday", "9"), ("start_time", "")],
)
def test_bad_planning_input_gets_a_message_not_an_error(client_as, world, field, value) -> None:
    response = client_as("teacher_leader").post(_url(world), {**VALID, field: value})

    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    assert not Meeting.objects.exists()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_year_plan_page_query_count_does_not_grow_with_members(client_as, world) -> None:
    client = client_as("teacher_leader")
    client.post(_url(world), VALID)
    small = _queries(client, _url(world))
    MembershipFactory.create_batch(25, community=world.community)

    assert _queries(client, _url(world)) == small
    # The PLG, then the viewer's relation to it in one plain SQL query (viewer_relation), read
    # once for both the access check and whether the viewer plans; the meetings, their
    # preparers' names, and the periods with the holidays in one plain SQL query.
    assert small <= 9


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_blank_planning_form_kept_per_language_is_the_crispy_rendering(language) -> None:
    from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
    from django.utils import translation

    from meetings.forms.plan import YearPlanForm

    with translation.override(language):
        YearPlanForm().as_crispy_html()  # kept
        assert YearPlanForm().as_crispy_html() == as_crispy_form(YearPlanForm())


def test_the_blank_planning_form_follows_the_language() -> None:
    from django.utils import translation

    from meetings.forms.plan import YearPlanForm

    with translation.override("nl"):
        dutch = YearPlanForm().as_crispy_html()
    with translation.override("en"):
        english = YearPlanForm().as_crispy_html()

    assert "Weekdag" in dutch
    assert "Weekday" in english


def test_a_bound_planning_form_is_rendered_with_its_own_values_and_errors() -> None:
    from meetings.forms.plan import YearPlanForm

    form = YearPlanForm({**VALID, "location": "Aula 7", "duration_minutes": "-10"})
    form.is_valid()

    html = form.as_crispy_html()
    assert 'value="Aula 7"' in html
    assert "invalid-feedback" in html
    assert 'value="Aula 7"' not in YearPlanForm().as_crispy_html()


def test_the_timeline_reads_the_periods_and_holidays_the_orm_does(world, teacher_leader) -> None:
    from django.utils import timezone

    from communities.models import Community
    from meetings.selectors.plan import year_plan_meetings, year_timeline
    from tests.factories import HolidayFactory

    year = world.community.school_year
    HolidayFactory(school_year=year, name="Kerstvakantie")
    HolidayFactory(
        school_year=year,
        name="Voorjaar",
        first_day=dt.date(2027, 2, 15),
        last_day=dt.date(2027, 2, 19),
    )
    HolidayFactory(
        school_year=year,
        name="Zomer",
        first_day=dt.date(2027, 7, 10),
        last_day=dt.date(2027, 8, 29),
    )
    year_plan_create(
        community=world.community, actor=teacher_leader, weekday=1, start_time=dt.time(15, 30)
    )
    community = Community.objects.select_related("school_year").get(pk=world.community.pk)
    meetings = year_plan_meetings(community)

    entries = year_timeline(community, meetings)

    expected = sorted(
        [("period", p.starts_on, p.ends_on, str(p)) for p in year.periods.all()]
        + [("holiday", h.first_day, h.last_day, h.name) for h in year.holidays.all()]
        + [
            ("meeting", timezone.localdate(m.starts_at), timezone.localdate(m.starts_at), str(m))
            for m in meetings
        ],
        key=lambda entry: (entry[1], ["period", "holiday", "meeting"].index(entry[0])),
    )
    assert [(e.kind, e.first, e.last, e.label) for e in entries] == expected
    assert {e.kind for e in entries} == {"period", "holiday", "meeting"}
    assert all(e.offset + e.width <= 100.6 for e in entries)


def test_the_preparer_names_are_the_orms_in_its_order(world, teacher_leader) -> None:
    from django.utils import timezone

    from meetings.models import MeetingPreparer
    from meetings.selectors.plan import year_plan_meetings
    from tests.factories import UserFactory

    meetings = year_plan_create(
        community=world.community, actor=teacher_leader, weekday=1, start_time=dt.time(15, 30)
    )
    zoe, anna = UserFactory(name="Zoë Zand"), UserFactory(name="")
    gone = UserFactory(name="Gerrit Gone", deleted_at=timezone.now())
    for user in (zoe, anna, gone):
        MeetingPreparer.objects.create(meeting=meetings[1], user=user)
    MeetingPreparer.objects.create(meeting=meetings[3], user=zoe)

    read = {m.pk: m.preparer_names for m in year_plan_meetings(world.community)}

    for meeting in meetings:
        orm = [p.user.display_name for p in meeting.preparers.select_related("user")]
        assert read[meeting.pk] == orm
    assert read[meetings[1].pk] == [anna.email, gone.display_name, "Zoë Zand"]
