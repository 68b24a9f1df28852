"""Yearly-report pages: who may open which report, names for whom, the job and its progress,
the CSV, and query budgets."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from casework.models import YearlyReport, YearlyReportStatus
from casework.permissions import get_yearly_report_for, yearly_shows_names
from casework.selectors.yearly_pages import safe_cell
from casework.services.yearly import (
    STALE_AFTER,
    yearly_report_compile,
    yearly_report_is_stalled,
    yearly_report_request,
)
from communities.models import Product, ProductStatus
from tests.casework.yearly_world import (
    ABSENCE_REASON,
    CASE_TEXT,
    DRAFT_EVALUATION,
    HIGHLIGHT,
    REFLECTION_MARKER,
    STEP_WORDS,
    build_year,
)
from tests.factories import CommunityFactory, MembershipFactory, TeamFactory, UserFactory
from tests.helpers import assert_login_redirect, count_queries

SECRETS = (REFLECTION_MARKER, ABSENCE_REASON, CASE_TEXT, STEP_WORDS, DRAFT_EVALUATION)


@pytest.fixture
def year(world, meetings, teacher_leader, development_team, participant, expert):
    return build_year(
        world, meetings, tom=teacher_leader, dana=development_team, pia=participant, expert=expert
    )


@pytest.fixture
def other_team_leader(world):
    """The leader of another team of the same school."""
    user = UserFactory(email="otherleader@lyceum.example", name="Olaf Otherteam")
    TeamFactory(school=world.school, name="Bovenbouw").leaders.add(user)
    return user


@pytest.fixture
def compiled(django_capture_on_commit_callbacks):
    """Request a report and run its task (eagerly, as Celery does in tests) after commit."""

    def request(world, actor, scope: str, **subject) -> YearlyReport:
        with django_capture_on_commit_callbacks(execute=True):
            report = yearly_report_request(
                actor=actor, school_year=world.school_year, scope=scope, **subject
            )
        report.refresh_from_db()
        return report

    return request


@pytest.fixture
def plg_report(world, year, school_admin, compiled):
    return compiled(world, school_admin, "plg", community=world.community)


@pytest.fixture
def team_report(world, year, school_admin, compiled):
    return compiled(world, school_admin, "team", team=world.team)


@pytest.fixture
def school_report(world, year, school_admin, compiled):
    return compiled(world, school_admin, "school")


# Access --------------------------------------------------------------------------------------

PLG_READERS = ("teacher_leader", "team_leader", "school_admin")
PLG_OUTSIDERS = (
    "participant",
    "development_team",
    "expert",
    "other_team_leader",
    "other_school_user",
)


def _plg_urls(world, report) -> list[str]:
    return [
        reverse("casework:yearly_plg", args=[world.community.pk]),
        reverse("casework:yearly_report", args=[report.pk]),
        reverse("casework:yearly_status", args=[report.pk]),
        reverse("casework:yearly_csv", args=[report.pk]),
        reverse("casework:yearly_pdf", args=[report.pk]),
    ]


@pytest.mark.parametrize("persona", PLG_READERS)
def test_plg_report_opens_for_its_readers(client_as, persona, world, plg_report):
    client = client_as(persona)
    for url in _plg_urls(world, plg_report):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("persona", PLG_OUTSIDERS)
def test_plg_report_is_404_for_everyone_else(client_as, persona, world, plg_report):
    client = client_as(persona)
    for url in _plg_urls(world, plg_report):
        assert client.get(url).status_code == 404, url
    compile_url = reverse("casework:yearly_plg_compile", args=[world.community.pk])
    assert client.post(compile_url).status_code == 404


def test_plg_report_sends_anonymous_visitors_to_sign_in(client, world, plg_report):
    for url in _plg_urls(world, plg_report):
        assert_login_redirect(client.get(url))


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("team_leader", 200),
        ("school_admin", 200),
        ("teacher_leader", 404),
        ("participant", 404),
        ("other_team_leader", 404),
        ("other_school_user", 404),
    ],
)
def test_team_report_access(client_as, persona, status, world, team_report):
    client = client_as(persona)
    for url in (
        reverse("casework:yearly_team", args=[world.team.pk, world.school_year.pk]),
        reverse("casework:yearly_report", args=[team_report.pk]),
        reverse("casework:yearly_csv", args=[team_report.pk]),
        reverse("casework:yearly_pdf", args=[team_report.pk]),
    ):
        assert client.get(url).status_code == status, url
    if status == 404:
        compile_url = reverse(
            "casework:yearly_team_compile", args=[world.team.pk, world.school_year.pk]
        )
        assert client.post(compile_url).status_code == 404


@pytest.mark.parametrize("persona", ["team_leader", "school_admin"])
def test_team_leader_and_programme_lead_compile_the_team_report(
    client_as, persona_user, persona, world, year, django_capture_on_commit_callbacks
):
    url = reverse("casework:yearly_team_compile", args=[world.team.pk, world.school_year.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(persona).post(url)
    report = YearlyReport.objects.get()
    assert response["Location"] == reverse("casework:yearly_report", args=[report.pk])
    assert (report.scope, report.team, report.status) == ("team", world.team, "done")
    assert report.requested_by == persona_user(persona)


def test_team_report_of_a_year_of_another_school_is_404(client_as, world, team_leader):
    url = reverse("casework:yearly_team", args=[world.team.pk, world.other_school_year.pk])
    assert client_as("team_leader").get(url).status_code == 404


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("school_admin", 200),
        ("team_leader", 404),
        ("teacher_leader", 404),
        ("participant", 404),
        ("other_school_user", 404),
    ],
)
def test_school_report_access(client_as, persona, status, world, school_report):
    client = client_as(persona)
    for url in (
        reverse("casework:yearly_school", args=[world.school_year.pk]),
        reverse("casework:yearly_report", args=[school_report.pk]),
        reverse("casework:yearly_csv", args=[school_report.pk]),
        reverse("casework:yearly_pdf", args=[school_report.pk]),
    ):
        assert client.get(url).status_code == status, url
    if status == 404:
        compile_url = reverse("casework:yearly_school_compile", args=[world.school_year.pk])
        assert client.post(compile_url).status_code == 404


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("team_leader", 200),
        ("school_admin", 200),
        ("teacher_leader", 200),
        ("participant", 404),
        ("other_school_user", 200),
    ],
)
def test_index_lists_what_the_user_may_open(client_as, persona, status, world):
    assert client_as(persona).get(reverse("casework:yearly_index")).status_code == status


def test_index_sends_anonymous_visitors_to_sign_in(client, world):
    assert_login_redirect(client.get(reverse("casework:yearly_index")))


def test_index_shows_only_own_school(client_as, world, school_admin):
    content = client_as("school_admin").get(reverse("casework:yearly_index")).content.decode()
    assert world.community.name in content
    assert world.other_school_community.name not in content


def test_navigation_links_team_leaders_to_yearly_reports(client_as, world, team_leader):
    content = client_as("team_leader").get(reverse("communities:dashboard")).content.decode()
    assert reverse("casework:yearly_index") in content


def test_plg_page_links_its_teacher_leaders_to_the_yearly_report(client_as, world, teacher_leader):
    url = reverse("communities:detail", args=[world.community.pk])
    content = client_as("teacher_leader").get(url).content.decode()
    assert reverse("casework:yearly_plg", args=[world.community.pk]) in content


def test_plg_page_has_no_yearly_link_for_participants(client_as, world, participant):
    url = reverse("communities:detail", args=[world.community.pk])
    content = client_as("participant").get(url).content.decode()
    assert reverse("casework:yearly_plg", args=[world.community.pk]) not in content


# Names -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["teacher_leader", "team_leader"])
def test_plg_report_names_members_for_team_and_teacher_leaders(client_as, persona, plg_report):
    url = reverse("casework:yearly_report", args=[plg_report.pk])
    content = client_as(persona).get(url).content.decode()
    assert "Bram Beta" in content
    assert HIGHLIGHT.split(":")[0] in content


def test_plg_report_shows_only_numbers_to_the_programme_lead(client_as, plg_report):
    client = client_as("school_admin")
    content = client.get(reverse("casework:yearly_report", args=[plg_report.pk])).content.decode()
    assert "Bram Beta" not in content
    assert "Tom Teacherleader" not in content.split("<main")[1]
    csv_text = client.get(reverse("casework:yearly_csv", args=[plg_report.pk])).content.decode()
    assert "Bram Beta" not in csv_text


def test_school_csv_has_no_names_even_for_a_team_leader_who_is_also_admin(
    client_as, school_report, world, team_leader
):
    world.school.admins.add(team_leader)
    url = reverse("casework:yearly_csv", args=[school_report.pk])
    text = client_as("team_leader").get(url).content.decode("utf-8-sig")
    assert "Bram Beta" not in text
    assert "Pia Participant" not in text


def _csv_member_rows(response) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    with translation.override("nl"):
        member = translation.gettext("member")
    return [row for row in rows[1:] if row[0] == member]


def test_programme_lead_sees_no_development_team_member_without_a_name(client_as, plg_report):
    """Dana is the PLG's only development-team member: without names she would still be known."""
    client = client_as("school_admin")
    with translation.override("nl"):
        flag = translation.gettext("development team")
        yes = translation.gettext("yes")
    page = client.get(reverse("casework:yearly_report", args=[plg_report.pk])).content.decode()
    body = page.split("<main")[1]
    assert f"({flag})" not in body
    with translation.override("nl"):
        assert translation.gettext("Member %(number)s") % {"number": 4} in body
        assert translation.gettext("Member %(number)s") % {"number": 5} not in body
    rows = _csv_member_rows(client.get(reverse("casework:yearly_csv", args=[plg_report.pk])))
    assert len(rows) == 4
    assert all(row[12] != yes and row[15] == "" for row in rows)


def test_team_leader_still_sees_the_development_team_member_by_name(client_as, plg_report):
    with translation.override("nl"):
        yes = translation.gettext("yes")
    url = reverse("casework:yearly_csv", args=[plg_report.pk])
    rows = _csv_member_rows(client_as("team_leader").get(url))
    assert [row[11] for row in rows if row[12] == yes] == ["Dana Devteam"]


def test_team_csv_leaves_out_a_development_team_under_three(client_as, team_report):
    with translation.override("nl"):
        yes = translation.gettext("yes")
    url = reverse("casework:yearly_csv", args=[team_report.pk])
    rows = _csv_member_rows(client_as("team_leader").get(url))
    assert len(rows) == 4
    assert not any(row[12] == yes for row in rows)


def test_a_report_stored_before_the_rule_is_shown_without_its_small_groups(
    client_as, world, team_report
):
    """A team report compiled under the old rule still holds Dana's row; readers never see it."""
    rows = team_report.data["members"]["rows"]
    old_row = {**rows[0], "development_team": True, "preparation": "5.5", "preparation_norm": "5"}
    team_report.data["members"]["rows"] = [*rows, old_row]
    team_report.save(update_fields=["data"])
    with translation.override("nl"):
        yes = translation.gettext("yes")
    url = reverse("casework:yearly_csv", args=[team_report.pk])
    rows = _csv_member_rows(client_as("team_leader").get(url))
    assert len(rows) == 4
    assert not any(row[12] == yes for row in rows)


@pytest.mark.parametrize("persona", ["team_leader", "school_admin"])
def test_pdf_flags_the_development_team_only_next_to_a_name(client_as, persona, plg_report):
    response = client_as(persona).get(reverse("casework:yearly_pdf", args=[plg_report.pk]))
    assert response["Content-Type"] == "application/pdf"
    with translation.override("nl"):
        flag = translation.gettext("development team")
    text = " ".join(_pdf_text(response.content).split())  # a table cell wraps its lines
    assert (f"({flag})" in text) is (persona == "team_leader")


def test_report_page_shows_meeting_and_product_dates_in_the_readers_language(
    client_as, world, year, team_leader, compiled
):
    Product.objects.create(
        community=world.community,
        title="Feedback cards",
        goal="Use them",
        status=ProductStatus.FINISHED,
        finished_on=dt.date(2027, 6, 30),
    )
    report = compiled(world, team_leader, "plg", community=world.community)
    page = client_as("team_leader").get(reverse("casework:yearly_report", args=[report.pk]))
    body = page.content.decode().split("<main")[1]
    with translation.override("nl"):
        for row in report.data["meetings"]["rows"]:
            day = dt.datetime.fromisoformat(row["starts_at"])
            assert date_format(timezone.localtime(day), "DATE_FORMAT") in body
            assert row["starts_at"][:10] not in body
        assert date_format(dt.date(2027, 6, 30), "DATE_FORMAT") in body
    assert "2027-06-30" not in body


# Privacy ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("fixture", ["plg_report", "team_report", "school_report"])
@pytest.mark.parametrize("persona", ["team_leader", "school_admin"])
def test_private_text_never_reaches_the_page_or_csv(request, client_as, fixture, persona):
    report = request.getfixturevalue(fixture)
    client = client_as(persona)
    for name in ("yearly_report", "yearly_csv"):
        response = client.get(reverse(f"casework:{name}", args=[report.pk]))
        if response.status_code == 404:
            continue
        text = response.content.decode("utf-8-sig")
        for secret in SECRETS:
            assert secret not in text, (name, secret)


# The job and its progress ---------------------------------------------------------------------


def test_compiling_runs_the_task_and_shows_the_report(
    client_as, world, year, team_leader, django_capture_on_commit_callbacks
):
    client = client_as("team_leader")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("casework:yearly_plg_compile", args=[world.community.pk]))
    report = YearlyReport.objects.get()
    assert response["Location"] == reverse("casework:yearly_report", args=[report.pk])
    assert (report.status, report.progress) == (YearlyReportStatus.DONE, 100)
    assert report.requested_by == team_leader
    content = client.get(response["Location"]).content.decode()
    assert "<svg" in content
    assert 'role="img"' in content


def test_compile_is_post_only(client_as, world, team_leader):
    url = reverse("casework:yearly_plg_compile", args=[world.community.pk])
    assert client_as("team_leader").get(url).status_code == 405


def test_a_running_report_shows_its_progress(client_as, world, year, team_leader):
    report = YearlyReport.objects.create(
        scope="school",
        school=world.school,
        school_year=world.school_year,
        status=YearlyReportStatus.RUNNING,
        progress=40,
        started_at=timezone.now(),
    )
    world.school.admins.add(team_leader)
    client = client_as("team_leader")
    page = client.get(reverse("casework:yearly_report", args=[report.pk])).content.decode()
    assert '<progress id="yearly-progress"' in page
    assert 'value="40"' in page
    assert "casework/yearly.js" in page
    assert reverse("casework:yearly_report", args=[report.pk]) in page  # the refresh link
    status = client.get(reverse("casework:yearly_status", args=[report.pk])).json()
    assert status["progress"] == 40
    assert status["status"] == "running"
    assert status["finished"] is False
    assert status["stalled"] is False


def test_a_second_request_while_running_reuses_the_job(world, year, school_admin):
    running = YearlyReport.objects.create(
        scope="school",
        school=world.school,
        school_year=world.school_year,
        status=YearlyReportStatus.RUNNING,
        started_at=timezone.now(),
    )
    again = yearly_report_request(actor=school_admin, school_year=world.school_year, scope="school")
    assert again.pk == running.pk


TOO_LONG = (
    "This took too long: compiling seems to have stopped. Compile the yearly report again; "
    "if that does not help, tell the programme lead."
)


def _job(world, status: str, *, at: dt.datetime, **fields) -> YearlyReport:
    """A school-wide job requested (and, when running, started) at `at`."""
    started = {"started_at": at} if status == YearlyReportStatus.RUNNING else {}
    return YearlyReport.objects.create(
        scope="school",
        school=world.school,
        school_year=world.school_year,
        status=status,
        created_at=at,
        **started,
        **fields,
    )


@pytest.mark.parametrize("status", [YearlyReportStatus.QUEUED, YearlyReportStatus.RUNNING])
def test_a_job_counts_as_stalled_only_after_stale_after(world, status):
    report = _job(world, status, at=timezone.now())
    assert yearly_report_is_stalled(report, now=report.created_at + STALE_AFTER) is False
    later = report.created_at + STALE_AFTER + dt.timedelta(seconds=1)
    assert yearly_report_is_stalled(report, now=later) is True


def test_a_finished_job_is_never_stalled(world):
    report = _job(world, YearlyReportStatus.DONE, at=timezone.now() - 10 * STALE_AFTER)
    assert yearly_report_is_stalled(report) is False


def test_a_job_running_since_a_late_start_is_not_stalled(world):
    """The sweep started a job requested long ago: its start counts, not its request."""
    now = timezone.now()
    report = _job(world, YearlyReportStatus.RUNNING, at=now - 3 * STALE_AFTER)
    report.started_at = now - dt.timedelta(minutes=1)
    assert yearly_report_is_stalled(report, now=now) is False


@pytest.mark.parametrize("status", [YearlyReportStatus.QUEUED, YearlyReportStatus.RUNNING])
def test_a_stalled_job_says_it_took_too_long_and_offers_to_compile_again(
    client_as, world, school_admin, status
):
    report = _job(world, status, at=timezone.now(), progress=30)
    client = client_as("school_admin")
    with time_machine.travel(report.created_at + STALE_AFTER + dt.timedelta(minutes=1)):
        page = client.get(reverse("casework:yearly_report", args=[report.pk])).content.decode()
        json_status = client.get(reverse("casework:yearly_status", args=[report.pk])).json()
        school_page = client.get(
            reverse("casework:yearly_school", args=[world.school_year.pk])
        ).content.decode()
    with translation.override("nl"):
        too_long = translation.gettext(TOO_LONG)
    assert json_status["stalled"] is True
    assert json_status["finished"] is False
    for content in (page, school_page):
        assert too_long in content
        assert reverse("casework:yearly_school_compile", args=[world.school_year.pk]) in content
        assert "casework/yearly.js" not in content
        assert "<progress" not in content


def test_a_job_within_its_time_still_shows_progress_and_no_compile_button(
    client_as, world, school_admin
):
    report = _job(world, YearlyReportStatus.QUEUED, at=timezone.now() - STALE_AFTER / 2)
    page = client_as("school_admin").get(reverse("casework:yearly_report", args=[report.pk]))
    content = page.content.decode()
    assert "<progress" in content
    assert "casework/yearly.js" in content
    assert 'data-yearly-poll-seconds="' in content
    assert reverse("casework:yearly_school_compile", args=[world.school_year.pk]) not in content


@pytest.mark.parametrize("status", [YearlyReportStatus.QUEUED, YearlyReportStatus.RUNNING])
def test_compiling_again_after_a_stall_runs_a_fresh_job(
    client_as, world, year, school_admin, status, django_capture_on_commit_callbacks
):
    stalled = _job(world, status, at=timezone.now() - 2 * STALE_AFTER)
    client = client_as("school_admin")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("casework:yearly_school_compile", args=[world.school_year.pk])
        )
    fresh = YearlyReport.objects.exclude(pk=stalled.pk).get()
    assert response["Location"] == reverse("casework:yearly_report", args=[fresh.pk])
    assert (fresh.status, fresh.requested_by) == (YearlyReportStatus.DONE, school_admin)
    stalled.refresh_from_db()
    # Retired, so the sweep does not compile the same report a second time.
    assert stalled.status == YearlyReportStatus.FAILED
    assert "Stalled" in stalled.error
    page = client.get(reverse("casework:yearly_school", args=[world.school_year.pk]))
    assert reverse("casework:yearly_csv", args=[fresh.pk]) in page.content.decode()


def test_a_stalled_worker_finishing_late_does_not_overwrite_its_replacement(
    world, year, school_admin, django_capture_on_commit_callbacks
):
    stalled = _job(world, YearlyReportStatus.RUNNING, at=timezone.now() - 2 * STALE_AFTER)
    with django_capture_on_commit_callbacks(execute=True):
        yearly_report_request(actor=school_admin, school_year=world.school_year, scope="school")
    assert yearly_report_compile(report_id=stalled.pk) is False
    stalled.refresh_from_db()
    assert stalled.status == YearlyReportStatus.FAILED


def test_a_request_reuses_a_job_started_late_by_the_sweep(world, year, school_admin):
    running = _job(world, YearlyReportStatus.RUNNING, at=timezone.now() - 2 * STALE_AFTER)
    YearlyReport.objects.filter(pk=running.pk).update(started_at=timezone.now())
    again = yearly_report_request(actor=school_admin, school_year=world.school_year, scope="school")
    assert again.pk == running.pk
    assert YearlyReport.objects.count() == 1


def test_compile_runs_a_job_only_once(world, year, school_admin, compiled):
    report = compiled(world, school_admin, "school")
    finished_at = report.finished_at
    assert yearly_report_compile(report_id=report.pk) is False
    report.refresh_from_db()
    assert report.finished_at == finished_at


def test_a_failed_compile_is_stored_and_shown(
    client_as, world, year, school_admin, monkeypatch, compiled
):
    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("casework.services.yearly.yearly_report", broken)
    report = compiled(world, school_admin, "school")
    assert report.status == YearlyReportStatus.FAILED
    assert "boom" in report.error
    response = client_as("school_admin").get(reverse("casework:yearly_report", args=[report.pk]))
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()


LAST_COMPILED = "Below is the last yearly report that was compiled, on"


@pytest.mark.parametrize("status", [YearlyReportStatus.FAILED, YearlyReportStatus.RUNNING])
def test_a_newer_failed_or_running_job_still_shows_the_last_compiled_report(
    client_as, world, plg_report, team_leader, status
):
    newer = YearlyReport.objects.create(
        scope="plg",
        school=world.school,
        school_year=world.school_year,
        community=world.community,
        status=status,
        started_at=timezone.now(),
        created_at=plg_report.created_at + dt.timedelta(minutes=5),
    )
    team_leader.language = "en"
    team_leader.save(update_fields=["language"])
    client = client_as("team_leader")
    for url in (
        reverse("casework:yearly_plg", args=[world.community.pk]),
        reverse("casework:yearly_report", args=[newer.pk]),
    ):
        page = client.get(url).content.decode()
        assert LAST_COMPILED in page, url
        assert "Bram Beta" in page, url  # the body of the last good report
        assert reverse("casework:yearly_csv", args=[plg_report.pk]) in page, url
        assert reverse("casework:yearly_csv", args=[newer.pk]) not in page, url
        if status == YearlyReportStatus.FAILED:
            assert 'class="alert alert-danger" role="alert"' in page, url
        else:
            assert '<progress id="yearly-progress"' in page, url


def test_the_finished_report_itself_has_no_last_compiled_note(
    client_as, world, plg_report, team_leader
):
    team_leader.language = "en"
    team_leader.save(update_fields=["language"])
    page = client_as("team_leader").get(reverse("casework:yearly_plg", args=[world.community.pk]))
    assert LAST_COMPILED not in page.content.decode()
    assert "Bram Beta" in page.content.decode()


def test_downloads_of_an_unfinished_report_redirect_with_a_message(client_as, world, school_admin):
    report = YearlyReport.objects.create(
        scope="school", school=world.school, school_year=world.school_year
    )
    client = client_as("school_admin")
    for name in ("yearly_csv", "yearly_pdf"):
        response = client.get(reverse(f"casework:{name}", args=[report.pk]))
        assert response.status_code == 302


def test_request_refuses_an_outsider(world, participant):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        yearly_report_request(
            actor=participant, school_year=world.school_year, scope="plg", community=world.community
        )


# CSV ---------------------------------------------------------------------------------------------


def test_csv_has_a_row_per_meeting_and_per_member(client_as, plg_report):
    response = client_as("team_leader").get(reverse("casework:yearly_csv", args=[plg_report.pk]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    with translation.override("nl"):
        kinds = [row[0] for row in rows[1:]]
    assert len(kinds) == 6 + 5
    assert len({kind for kind in kinds}) == 2
    member_names = [row[11] for row in rows[7:]]
    assert member_names == [
        "Anna Alpha",
        "Bram Beta",
        "Dana Devteam",
        "Pia Participant",
        "Tom Teacherleader",
    ]
    assert "7,5" in rows[7]  # hours in the Dutch way, for a Dutch spreadsheet


def test_csv_hides_approved_requests_of_a_small_meeting_stored_before_the_rule(
    client_as, plg_report
):
    """Stored when approved requests were counted for every meeting, whatever its size."""
    rows = plg_report.data["meetings"]["rows"]
    rows[3]["approved_requests"] = 1
    plg_report.save(update_fields=["data"])
    response = client_as("team_leader").get(reverse("casework:yearly_csv", args=[plg_report.pk]))
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[3]["people"] == 0
    assert [line[10] for line in lines[1:5]] == ["1", "0", "0", ""]


@pytest.mark.parametrize("value", ["=SUM(A1)", "+1", "-1", "@cmd", "\tx"])
def test_csv_neutralises_formulas(value):
    assert safe_cell(value) == "'" + value


def test_csv_neutralises_a_theme_that_looks_like_a_formula(
    client_as, world, year, team_leader, compiled
):
    theme = year.meetings[1].theme
    theme.title = "=HYPERLINK(1)"
    theme.save()
    report = compiled(world, team_leader, "plg", community=world.community)
    text = client_as("team_leader").get(reverse("casework:yearly_csv", args=[report.pk]))
    assert "'=HYPERLINK(1)" in text.content.decode("utf-8-sig")


# Query budgets -------------------------------------------------------------------------------------


def _add_plgs(world, count: int) -> None:
    for index in range(count):
        community = CommunityFactory(
            team=world.team, school_year=world.school_year, name=f"Extra {index}"
        )
        for member in range(4):
            MembershipFactory(
                community=community,
                user=UserFactory(email=f"x{community.pk}-{member}@lyceum.example"),
                is_participant=True,
            )


def test_school_report_page_queries_do_not_grow(client_as, world, year, school_admin, compiled):
    client = client_as("school_admin")
    first = compiled(world, school_admin, "school")
    small = count_queries(client, reverse("casework:yearly_report", args=[first.pk]))
    _add_plgs(world, 5)
    second = compiled(world, school_admin, "school")
    assert count_queries(client, reverse("casework:yearly_report", args=[second.pk])) == small
    assert small <= 12


@pytest.mark.parametrize("persona", ["team_leader", "teacher_leader", "school_admin"])
def test_a_plg_report_is_opened_with_one_read_of_the_viewers_relation(
    world, year, team_leader, compiled, persona_user, persona
):
    report = compiled(world, team_leader, "plg", community=world.community)
    user = persona_user(persona)
    with CaptureQueriesContext(connection) as queries:
        opened = get_yearly_report_for(user, report.pk)
        names = yearly_shows_names(user, opened)
    # The report with its rows, then the relation: names for the team leader and teacher leader.
    assert len(queries) == 2
    assert names == (persona != "school_admin")
    assert names == yearly_shows_names(user, YearlyReport.objects.get(pk=report.pk))


def test_index_queries_do_not_grow(client_as, world, school_admin):
    client = client_as("school_admin")
    small = count_queries(client, reverse("casework:yearly_index"))
    _add_plgs(world, 5)
    assert count_queries(client, reverse("casework:yearly_index")) == small


def test_plg_page_queries_do_not_grow_with_members(client_as, world, year, team_leader, compiled):
    client = client_as("team_leader")
    url = reverse("casework:yearly_plg", args=[world.community.pk])
    compiled(world, team_leader, "plg", community=world.community)
    small = count_queries(client, url)
    for member in range(6):
        MembershipFactory(
            community=world.community,
            user=UserFactory(email=f"more{member}@lyceum.example"),
            is_participant=True,
        )
    compiled(world, team_leader, "plg", community=world.community)
    assert count_queries(client, url) == small


# PDF ---------------------------------------------------------------------------------------------


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.mark.parametrize("persona", ["team_leader", "school_admin"])
def test_pdf_has_the_numbers_and_no_private_text(client_as, persona, plg_report):
    response = client_as(persona).get(reverse("casework:yearly_pdf", args=[plg_report.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    with translation.override("nl"):
        assert "Feedback that lands" in text
    for secret in SECRETS:
        assert secret not in text
    assert ("Bram Beta" in text) is (persona == "team_leader")
