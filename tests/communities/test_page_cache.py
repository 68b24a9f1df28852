"""Pages kept per session (communities.page_cache): the same page again is not built again,
nobody is shown a page built for someone else, and every write in the school, by a request or
by a Celery task, shows on the next opening."""

from __future__ import annotations

import pytest
from celery import shared_task
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from communities.models import AuditAction, AuditEvent, Community, Membership, PageVersion
from communities.page_cache import (
    PLATFORM,
    WriteWatch,
    schools_of,
    versions_for,
    versions_raise,
    writer_scopes,
    writes_shown_table,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# A kept page: the session, the user, and the versions of the reader's schools.
KEPT_PAGE_QUERIES = 3


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def kept(client: Client, url: str) -> str:
    """Open the page until it is kept (the first opening hands out the CSRF cookie, the second
    is kept) and return the kept copy, checking it was not built again."""
    page(client, url)
    page(client, url)
    with CaptureQueriesContext(connection) as queries:
        content = page(client, url)
    assert len(queries) == KEPT_PAGE_QUERIES, [query["sql"] for query in queries]
    return content


def plg_url(world) -> str:
    return reverse("communities:detail", args=[world.community.pk])


def rename(client: Client, community: Community, name: str) -> None:
    response = client.post(
        reverse("communities:edit", args=[community.pk]),
        {"name": name, "vision": community.vision, "question": community.question},
    )
    assert response.status_code == 302


# Kept, and only for the same session


def test_the_same_page_again_is_the_kept_copy(world, participant) -> None:
    client = signed_in(participant)
    page(client, plg_url(world))  # hands out the CSRF cookie
    built = page(client, plg_url(world))

    with CaptureQueriesContext(connection) as queries:
        again = page(client, plg_url(world))

    assert again == built
    assert len(queries) == KEPT_PAGE_QUERIES


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("teacher_leader", lambda world, meeting: reverse("communities:dashboard")),
        ("teacher_leader", lambda world, meeting: plg_url(world)),
        (
            "teacher_leader",
            lambda world, meeting: reverse("meetings:year_plan", args=[world.community.pk]),
        ),
        ("teacher_leader", lambda world, meeting: reverse("meetings:meeting", args=[meeting.pk])),
        ("teacher_leader", lambda world, meeting: reverse("casework:live", args=[meeting.pk])),
        (
            "team_leader",
            lambda world, meeting: reverse("casework:team_meeting", args=[world.team.pk]),
        ),
    ],
)
def test_the_main_pages_are_kept(world, meetings, team_leader, persona_user, persona, url) -> None:
    kept(signed_in(persona_user(persona)), url(world, meetings[2]))


def test_another_person_never_gets_a_page_kept_for_someone_else(
    world, participant, teacher_leader
) -> None:
    edit = reverse("communities:edit", args=[world.community.pk])
    pia = kept(signed_in(participant), plg_url(world))
    tom = page(signed_in(teacher_leader), plg_url(world))

    assert edit not in pia
    assert edit in tom


def test_another_session_of_the_same_person_builds_its_own_page(world, participant) -> None:
    kept(signed_in(participant), plg_url(world))
    other_device = signed_in(participant)
    page(other_device, plg_url(world))  # hands out its own CSRF cookie

    with CaptureQueriesContext(connection) as queries:
        page(other_device, plg_url(world))
    assert len(queries) > KEPT_PAGE_QUERIES


def test_an_outsider_opening_a_kept_address_gets_404(
    world, participant, other_plg_member, other_school_user
) -> None:
    kept(signed_in(participant), plg_url(world))

    assert signed_in(other_plg_member).get(plg_url(world)).status_code == 404
    assert signed_in(other_school_user).get(plg_url(world)).status_code == 404


def test_an_address_with_a_query_string_is_built_not_kept(world, participant) -> None:
    client = signed_in(participant)
    page(client, plg_url(world))
    for number in range(3):
        with CaptureQueriesContext(connection) as queries:
            page(client, f"{plg_url(world)}?made-up={number % 2}")
        assert len(queries) > KEPT_PAGE_QUERIES


def test_a_page_without_a_csrf_cookie_is_not_kept(world, participant) -> None:
    client = signed_in(participant)
    for _ in range(3):
        client.cookies.pop("csrftoken", None)
        with CaptureQueriesContext(connection) as queries:
            page(client, plg_url(world))
        assert len(queries) > KEPT_PAGE_QUERIES


def test_switched_off_every_page_is_built(settings, world, participant) -> None:
    settings.PAGE_CACHE_SECONDS = 0
    client = signed_in(participant)
    page(client, plg_url(world))
    page(client, plg_url(world))

    with CaptureQueriesContext(connection) as queries:
        page(client, plg_url(world))
    assert len(queries) > KEPT_PAGE_QUERIES


def test_a_message_to_show_is_shown_and_that_page_is_not_kept(world, team_leader) -> None:
    client = signed_in(team_leader)
    url = reverse("casework:team_meeting", args=[world.team.pk])
    kept(client, url)
    # Nothing is waiting, so the packet link only says so: a message and no write.
    client.get(reverse("casework:team_packet", args=[world.team.pk]))

    with translation.override(team_leader.language):
        message = gettext("No final reports are waiting to be discussed.")
    assert f'role="status">{message}</div>' in page(client, url)
    assert message not in kept(client, url).replace(f"<p>{message}</p>", "")


# Every write shows on the next opening


def test_a_change_by_someone_else_in_the_school_shows_at_once(
    world, participant, teacher_leader
) -> None:
    reader = signed_in(participant)
    kept(reader, plg_url(world))

    rename(signed_in(teacher_leader), world.community, "Feedback geven")

    assert "Feedback geven" in page(reader, plg_url(world))


def test_a_change_is_saved_and_answered_even_when_the_versions_cannot_be_raised(
    world, teacher_leader, monkeypatch
) -> None:
    from django.db import DatabaseError

    from communities import page_cache

    def fails(scopes) -> None:
        raise DatabaseError("versions unavailable")

    monkeypatch.setattr(page_cache, "versions_raise", fails)

    rename(signed_in(teacher_leader), world.community, "Feedback geven")

    world.community.refresh_from_db()
    assert world.community.name == "Feedback geven"


def test_someone_removed_from_the_plg_loses_the_kept_page_at_once(
    world, participant, teacher_leader
) -> None:
    reader = signed_in(participant)
    kept(reader, plg_url(world))
    membership = Membership.objects.get(community=world.community, user=participant)

    response = signed_in(teacher_leader).post(
        reverse("communities:member_remove", args=[world.community.pk, membership.pk])
    )
    assert response.status_code == 302

    assert reader.get(plg_url(world)).status_code == 404


def test_a_change_in_another_school_keeps_this_schools_pages(
    world, participant, other_school_user
) -> None:
    reader = signed_in(participant)
    kept(reader, plg_url(world))
    before = versions_for(participant)

    rename(signed_in(other_school_user), world.other_school_community, "Taal")

    assert versions_for(participant) == before
    kept_again = CaptureQueriesContext(connection)
    with kept_again:
        page(reader, plg_url(world))
    assert len(kept_again) == KEPT_PAGE_QUERIES


@shared_task
def rename_in_a_task(pk: int, name: str) -> None:
    Community.objects.filter(pk=pk).update(name=name)


def test_a_change_by_a_celery_task_shows_at_once(world, participant) -> None:
    reader = signed_in(participant)
    kept(reader, plg_url(world))

    rename_in_a_task.delay(world.community.pk, "Feedback in de klas")

    assert "Feedback in de klas" in page(reader, plg_url(world))


def test_a_task_that_only_reads_keeps_the_pages(world, participant) -> None:
    before = versions_for(participant)

    read_in_a_task.delay(world.community.pk)

    assert versions_for(participant) == before


@shared_task
def read_in_a_task(pk: int) -> str:
    return Community.objects.get(pk=pk).name


def test_every_opening_of_a_kept_yearly_report_is_audit_logged(
    world, team_leader, school_admin
) -> None:
    from tests.bench.load import compiled_yearly_report

    report = compiled_yearly_report(community=world.community, actor=school_admin)
    client = signed_in(team_leader)
    url = reverse("casework:yearly_report", args=[report.pk])
    page(client, url)
    page(client, url)
    with CaptureQueriesContext(connection) as queries:
        page(client, url)

    # Kept, plus the audit entry's INSERT.
    assert len(queries) == KEPT_PAGE_QUERIES + 1
    opened = AuditEvent.objects.filter(action=AuditAction.YEARLY_REPORT_OPENED, actor=team_leader)
    assert opened.count() == 3
    assert len({(event.school_id, event.subject) for event in opened}) == 1


# The parts


def test_the_versions_are_the_platforms_and_each_school_of_the_person(
    world, participant, team_leader, school_admin, other_school_user
) -> None:
    both = UserFactory()
    world.school.admins.add(both)
    world.other_school.admins.add(both)

    assert versions_for(participant) == ((PLATFORM, 0), (world.school.pk, 0))
    assert schools_of(team_leader) == {world.school.pk}
    assert schools_of(school_admin) == {world.school.pk}
    assert schools_of(other_school_user) == {world.other_school.pk}
    assert schools_of(both) == {world.school.pk, world.other_school.pk}

    versions_raise([world.school.pk])
    versions_raise([world.school.pk, PLATFORM])

    assert versions_for(both) == (
        (PLATFORM, 1),
        *sorted(((world.school.pk, 2), (world.other_school.pk, 0))),
    )
    assert PageVersion.objects.get(scope=world.school.pk).version == 2


def test_what_a_write_can_have_changed(world, participant, other_school_user) -> None:
    nobody = UserFactory()
    staff = UserFactory(is_staff=True)
    world.school.admins.add(staff)

    assert writer_scopes(participant, set()) == {world.school.pk}
    # A person who left a school by their own change still retires its pages.
    assert writer_scopes(participant, {world.other_school.pk}) == {
        world.school.pk,
        world.other_school.pk,
    }
    assert writer_scopes(nobody, set()) == {PLATFORM}
    assert writer_scopes(staff, set()) == {PLATFORM}
    assert writer_scopes(None, set()) == {PLATFORM}


def test_the_watch_sees_changed_rows_but_not_sessions_audit_entries_or_reads(
    world, school_admin
) -> None:
    from communities.audit import audit_record

    watch = WriteWatch()
    with connection.execute_wrapper(watch):
        list(Community.objects.all())
        Session.objects.filter(session_key="none").delete()
        audit_record(school=world.school, actor=school_admin, action=AuditAction.DATA_EXPORTED)
        versions_raise([PLATFORM])
        # A conditional update that matches nothing (a form from an old version) changes nothing.
        Community.objects.filter(pk=world.community.pk, name="not its name").update(vision="")
    assert not watch.wrote

    with connection.execute_wrapper(watch):
        Community.objects.filter(pk=world.community.pk).update(vision="Samen leren")
    assert watch.wrote


def test_the_watch_reads_which_table_a_statement_writes() -> None:
    assert writes_shown_table(
        'UPDATE "communities_community" SET "name" = %s WHERE "id" IN '
        '(SELECT "school_id" FROM "communities_auditevent")'
    )
    assert writes_shown_table('  insert into "casework_workcase" ("title") values (%s)')
    assert writes_shown_table(
        'WITH gone AS (DELETE FROM "casework_workcase" RETURNING "id") SELECT COUNT(*) FROM gone'
    )
    assert not writes_shown_table('INSERT INTO "communities_auditevent" ("subject") VALUES (%s)')
    assert not writes_shown_table('DELETE FROM "django_session" WHERE "session_key" = %s')
    assert not writes_shown_table('SELECT "id" FROM "casework_workcase" WHERE "title" = %s')
    assert not writes_shown_table('SAVEPOINT "s1_x1"')


# The calendar feed: kept as long as calendar apps may keep it, while nothing changes


def feed_queries(url: str) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_the_calendar_feed_is_kept_until_the_school_changes(
    world, meetings, participant, teacher_leader
) -> None:
    from meetings.services.calendar import calendar_feed_create

    url = reverse("meetings:calendar_feed", args=[calendar_feed_create(user=participant).token])
    built, built_queries = feed_queries(url)
    again, kept_queries = feed_queries(url)
    assert again == built
    assert kept_queries == 2 < built_queries  # the subscription, the versions

    rename(signed_in(teacher_leader), world.community, "Feedback geven")

    assert "Feedback geven" in feed_queries(url)[0]


def test_a_switched_off_calendar_address_stops_at_once_although_its_feed_is_kept(
    world, meetings, participant
) -> None:
    from meetings.services.calendar import calendar_feed_create, calendar_feed_revoke

    url = reverse("meetings:calendar_feed", args=[calendar_feed_create(user=participant).token])
    feed_queries(url)
    calendar_feed_revoke(user=participant)  # directly: no request raises a version

    assert Client().get(url).status_code == 404


def test_a_deploy_never_shows_a_page_kept_by_the_code_before_it(
    world, participant, monkeypatch
) -> None:
    from communities import page_cache

    reader = signed_in(participant)
    kept(reader, plg_url(world))
    monkeypatch.setattr(page_cache, "code_version", lambda: "the next deploy")

    with CaptureQueriesContext(connection) as queries:
        page(reader, plg_url(world))
    assert len(queries) > KEPT_PAGE_QUERIES


def test_the_code_version_follows_the_templates(settings, tmp_path) -> None:
    from communities.page_cache import code_version

    (tmp_path / "templates").mkdir()
    page_template = tmp_path / "templates" / "page.html"
    page_template.write_text("<p>one</p>")
    settings.BASE_DIR = tmp_path
    code_version.cache_clear()
    try:
        first = code_version()
        page_template.write_text("<p>two</p>")
        code_version.cache_clear()
        assert code_version() != first
    finally:
        code_version.cache_clear()
