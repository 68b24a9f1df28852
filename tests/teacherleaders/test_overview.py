"""The programme lead's overview: every PLG with leaders, size, warnings, meetings, overdue
reports, health-check trend and product; only for the school's programme leads; fixed queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from communities.models import (
    CommunityKind,
    HealthCheckAnswer,
    HealthCheckMoment,
    Product,
    ProductStatus,
)
from meetings.models import MeetingStatus, ReminderSchedule
from teacherleaders.selectors.overview import default_school_year, programme_overview
from tests.conftest import AMSTERDAM
from tests.factories import CommunityFactory, MembershipFactory, SchoolFactory, UserFactory
from tests.helpers import assert_login_redirect, count_queries

# Between meeting 2 (6th week of period 1) and meeting 3 of the world fixture's year.
LATE_NOVEMBER = dt.datetime(2026, 11, 20, 12, 0, tzinfo=AMSTERDAM)


def _answers(community, number: int, *scores: int) -> None:
    day = dt.date(2026, 9, 1) + dt.timedelta(days=60 * number)
    moment = HealthCheckMoment.objects.create(
        community=community, number=number, opens_on=day, closes_on=day + dt.timedelta(days=14)
    )
    for score in scores:
        HealthCheckAnswer.objects.create(
            moment=moment, **{f"score_{index}": score for index in range(1, 8)}
        )


@pytest.fixture
def scene(world, meetings, teacher_leader, participant, development_team, before_the_year):
    """Feedback: 1 teacher leader, 3 people; meetings 1 reported, 2 held long ago, 3 held
    yesterday, 6 cancelled; health moment 1 answered by three (average 4), moment 2 by two."""
    before_the_year.move_to(LATE_NOVEMBER)
    now = timezone.now()
    first, second, third, *_rest, sixth = meetings
    for meeting, status, starts_at in (
        (first, MeetingStatus.REPORTED, first.starts_at),
        (second, MeetingStatus.HELD, now - dt.timedelta(days=20)),
        (third, MeetingStatus.HELD, now - dt.timedelta(days=1)),
        (sixth, MeetingStatus.CANCELLED, sixth.starts_at),
    ):
        meeting.status = status
        meeting.starts_at = starts_at
        meeting.save(update_fields=["status", "starts_at"])
    _answers(world.community, 1, 3, 4, 5)
    _answers(world.community, 2, 1, 1)
    Product.objects.create(
        community=world.community,
        title="Feedback guide",
        goal="A guide.",
        status=ProductStatus.IN_PROGRESS,
    )
    return world


@pytest.fixture
def leader_plg(world, teacher_leader):
    plg = CommunityFactory(
        team=world.team,
        school_year=world.school_year,
        name="Teacher leaders",
        kind=CommunityKind.TEACHER_LEADERS,
        is_first_year=False,
    )
    MembershipFactory(community=plg, user=teacher_leader, is_teacher_leader=True)
    return plg


def _row(overview, name: str):
    return next(row for row in overview.rows + overview.leader_plgs if row.community.name == name)


def test_each_plg_has_its_teacher_leaders_size_and_warnings(scene):
    overview = programme_overview(scene.school)
    assert [row.community.name for row in overview.rows] == ["Feedback", "Formatief toetsen"]
    feedback = _row(overview, "Feedback")
    assert [leader.name for leader in feedback.teacher_leaders] == ["Tom Teacherleader"]
    assert feedback.community.group_size == 3
    # One teacher leader instead of two, and three people where a first year wants 4 to 7.
    assert len(feedback.warnings) == 2
    assert overview.warning_count == 2  # the empty Formatief toetsen has both warnings too


def test_meetings_held_against_planned_and_overdue_reports(scene):
    feedback = _row(programme_overview(scene.school), "Feedback")
    # Six planned, one cancelled; 1 reported, 2 and 3 held; only 2 is past the three days.
    assert (feedback.planned, feedback.held, feedback.overdue) == (5, 3, 1)


def test_overdue_follows_the_school_report_lead_time(scene):
    ReminderSchedule.objects.create(school=scene.school, report_days=30)
    overview = programme_overview(scene.school)
    assert overview.report_days == 30
    assert _row(overview, "Feedback").overdue == 0


def test_health_trend_leaves_out_moments_with_too_few_answers(scene):
    trend = _row(programme_overview(scene.school), "Feedback").trend
    assert trend.averages == [4.0, None, None]
    assert trend.direction == ""


def test_product_status_is_shown(scene):
    overview = programme_overview(scene.school)
    assert _row(overview, "Feedback").product.status == ProductStatus.IN_PROGRESS
    assert _row(overview, "Formatief toetsen").product is None


def test_teacher_leaders_plg_is_listed_apart_without_plg_warnings(scene, leader_plg):
    overview = programme_overview(scene.school)
    assert [row.community.name for row in overview.leader_plgs] == ["Teacher leaders"]
    assert "Teacher leaders" not in [row.community.name for row in overview.rows]
    assert overview.leader_plgs[0].warnings == []


def test_other_schools_plgs_are_never_listed(scene):
    names = [row.community.name for row in programme_overview(scene.school).rows]
    assert "Taalbeleid" not in names


def test_default_year_is_the_one_under_way(world, in_the_year):
    from communities.models import SchoolYear

    later = SchoolYear.objects.create(
        school=world.school,
        name="2027-2028",
        starts_on=dt.date(2027, 8, 23),
        ends_on=dt.date(2028, 7, 14),
    )
    years = [later, world.school_year]
    assert default_school_year(years, dt.date(2026, 10, 1)) == world.school_year
    assert default_school_year(years, dt.date(2027, 8, 1)) == later
    assert default_school_year(years, dt.date(2029, 1, 1)) == later
    assert default_school_year([], dt.date(2029, 1, 1)) is None


# Pages ---------------------------------------------------------------------------------------


def _url(world) -> str:
    return reverse("teacherleaders:programme_overview", args=[world.school.pk])


def test_programme_lead_sees_the_overview(client_as, scene, school_admin):
    response = client_as("school_admin").get(_url(scene))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Feedback guide" in text
    assert "Tom Teacherleader" in text
    assert reverse("communities:detail", args=[scene.community.pk]) in text
    assert reverse("casework:yearly_plg", args=[scene.community.pk]) in text
    assert reverse("communities:health", args=[scene.community.pk]) in text
    assert reverse("communities:product", args=[scene.community.pk]) in text


def test_every_link_of_a_row_opens_for_the_programme_lead(client_as, scene, school_admin):
    client = client_as("school_admin")
    for url in (
        reverse("communities:detail", args=[scene.community.pk]),
        reverse("casework:yearly_plg", args=[scene.community.pk]),
        reverse("communities:health", args=[scene.community.pk]),
        reverse("communities:product", args=[scene.community.pk]),
    ):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    "persona",
    [
        "participant",
        "teacher_leader",
        "development_team",
        "team_leader",
        "expert",
        "other_plg_member",
        "other_school_user",
    ],
)
def test_everyone_but_the_programme_lead_gets_404(client_as, world, persona):
    assert client_as(persona).get(_url(world)).status_code == 404


@pytest.mark.parametrize("persona", ["participant", "teacher_leader", "team_leader"])
def test_start_is_404_for_who_administers_no_school(client_as, world, persona):
    response = client_as(persona).get(reverse("teacherleaders:programme_overview_start"))
    assert response.status_code == 404


def test_start_takes_another_schools_lead_to_their_own_school(client_as, world, other_school_user):
    response = client_as("other_school_user").get(
        reverse("teacherleaders:programme_overview_start")
    )
    assert response["Location"] == reverse(
        "teacherleaders:programme_overview", args=[world.other_school.pk]
    )


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    assert_login_redirect(client.get(_url(world)))
    assert_login_redirect(client.get(reverse("teacherleaders:programme_overview_start")))


def test_another_schools_year_is_404(client_as, world, school_admin):
    url = reverse(
        "teacherleaders:programme_overview_year",
        args=[world.school.pk, world.other_school_year.pk],
    )
    assert client_as("school_admin").get(url).status_code == 404


def test_a_chosen_year_is_shown(client_as, world, school_admin):
    url = reverse(
        "teacherleaders:programme_overview_year", args=[world.school.pk, world.school_year.pk]
    )
    response = client_as("school_admin").get(url)
    assert response.status_code == 200
    assert response.context["overview"].school_year == world.school_year


def test_start_opens_the_one_school_of_a_programme_lead(client_as, world, school_admin):
    response = client_as("school_admin").get(reverse("teacherleaders:programme_overview_start"))
    assert response.status_code == 302
    assert response["Location"] == _url(world)


def test_start_lets_a_lead_of_two_schools_choose(client, world, school_admin):
    SchoolFactory(name="Tweede school").admins.add(school_admin)
    client.force_login(school_admin)
    response = client.get(reverse("teacherleaders:programme_overview_start"))
    assert response.status_code == 200
    assert "Tweede school" in response.content.decode()


def test_school_without_a_year_says_so(client_as, school_admin, world):
    school = SchoolFactory(name="Lege school")
    school.admins.add(school_admin)
    response = client_as("school_admin").get(
        reverse("teacherleaders:programme_overview", args=[school.pk])
    )
    assert response.status_code == 200
    assert response.context["overview"].rows == []


def test_navigation_links_the_overview_for_programme_leads_only(client_as, world, school_admin):
    link = reverse("teacherleaders:programme_overview_start")
    dashboard = reverse("communities:dashboard")
    assert link in client_as("school_admin").get(dashboard).content.decode()


def test_navigation_has_no_overview_link_for_a_participant(client_as, world, participant):
    link = reverse("teacherleaders:programme_overview_start")
    assert (
        link not in client_as("participant").get(reverse("communities:dashboard")).content.decode()
    )


# Queries ------------------------------------------------------------------------------------------


def _add_plgs(world, count: int, actor) -> None:
    from meetings.services import year_plan_create

    for index in range(count):
        plg = CommunityFactory(
            team=world.team, school_year=world.school_year, name=f"Extra {index}"
        )
        for member in range(3):
            MembershipFactory(
                community=plg,
                user=UserFactory(email=f"o{plg.pk}-{member}@lyceum.example"),
                is_teacher_leader=member == 0,
            )
        year_plan_create(community=plg, actor=actor, weekday=1, start_time=dt.time(15, 30))
        _answers(plg, 1, 3, 4, 5)
        Product.objects.create(community=plg, title=f"P {index}", goal="G")


def test_queries_do_not_grow_with_the_number_of_plgs(client_as, world, school_admin, scene):
    client = client_as("school_admin")
    _add_plgs(world, 0, school_admin)
    two = count_queries(client, _url(world))
    _add_plgs(world, 10, school_admin)
    assert count_queries(client, _url(world)) == two


@pytest.mark.parametrize("year", [False, True], ids=["current year", "chosen year"])
def test_the_navigation_marks_the_overview_as_the_current_page(
    client_as, world, school_admin, year
):
    args = [world.school.pk, world.school_year.pk] if year else [world.school.pk]
    name = "teacherleaders:programme_overview_year" if year else "teacherleaders:programme_overview"
    html = client_as("school_admin").get(reverse(name, args=args)).content.decode()
    link = reverse("teacherleaders:programme_overview_start")
    assert f'href="{link}" aria-current="page"' in html


def test_a_year_of_another_school_the_lead_also_runs_is_404(client, world, school_admin):
    world.other_school.admins.add(school_admin)
    client.force_login(school_admin)
    url = reverse(
        "teacherleaders:programme_overview_year",
        args=[world.school.pk, world.other_school_year.pk],
    )
    assert client.get(url).status_code == 404
