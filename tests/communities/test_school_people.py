"""The People page: a school's programme lead finds its people, their roles in the school, and
the way to delete an account."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from communities.selectors import PEOPLE_PER_PAGE, school_people_page, school_people_with_roles
from plg_platform.users.services import user_delete
from tests.factories import CommunityFactory, MembershipFactory, TeamFactory, UserFactory
from tests.helpers import assert_only_for, count_queries
from tests.personas import PERSONAS

pytestmark = pytest.mark.django_db

# Session, user, the school, the count of its people, one page of them (with their roles and
# whether they belong to another school as annotations), their teams, their PLGs, and the
# navigation's school-admin check and unread notifications count.
PEOPLE_MAX_QUERIES = 9


def people_url(school) -> str:
    return reverse("communities:school_people", args=[school.pk])


def delete_url(school, person) -> str:
    return reverse("communities:account_delete", args=[school.pk, person.pk])


def _by_email(school, **kwargs) -> dict:
    return {person.email: person for person in school_people_with_roles(school, **kwargs)}


# The selector


def test_lists_the_schools_programme_leads_team_leaders_and_members(
    world, participant, teacher_leader, team_leader, school_admin, expert
) -> None:
    assert list(_by_email(world.school)) == [  # by name
        "expert@university.example",
        "admin@lyceum.example",
        "participant@lyceum.example",
        "teamleader@lyceum.example",
        "leader@lyceum.example",
    ]


def test_leaves_out_deleted_accounts(world, participant, school_admin) -> None:
    user_delete(user=participant, actor=school_admin)

    assert list(_by_email(world.school)) == ["admin@lyceum.example"]


def test_leaves_out_the_people_of_other_schools(world, participant, other_school_user) -> None:
    assert list(_by_email(world.school)) == ["participant@lyceum.example"]
    assert list(_by_email(world.other_school)) == ["admin@college.example"]


def test_lists_a_person_once_whatever_their_roles(world, participant) -> None:
    world.school.admins.add(participant)
    world.team.leaders.add(participant)
    MembershipFactory(community=world.other_community, user=participant)

    assert [p.email for p in school_people_with_roles(world.school)] == [participant.email]


def test_roles_are_those_in_this_school_only(world, participant) -> None:
    world.school.admins.add(participant)
    world.team.leaders.add(participant)
    MembershipFactory(community=world.other_community, user=participant)
    MembershipFactory(community=world.other_school_community, user=participant)
    world.other_team.leaders.add(participant)

    person = _by_email(world.school)[participant.email]

    assert person.is_programme_lead
    assert person.school_teams == [world.team]
    assert [m.community for m in person.school_memberships] == [
        world.community,
        world.other_community,
    ]
    assert person.in_other_school


def test_a_plain_member_has_only_their_plgs(world, participant) -> None:
    person = _by_email(world.school)[participant.email]

    assert not person.is_programme_lead
    assert person.school_teams == []
    assert [m.community for m in person.school_memberships] == [world.community]
    assert not person.in_other_school


def test_search_matches_name_or_email_whatever_the_case(
    world, participant, team_leader, school_admin
) -> None:
    assert list(_by_email(world.school, search="pia")) == [participant.email]
    assert list(_by_email(world.school, search="TEAMLEADER@")) == [team_leader.email]
    assert list(_by_email(world.school, search="nobody")) == []


def test_page_gives_the_refusal_of_the_delete_page(
    world, participant, team_leader, school_admin
) -> None:
    MembershipFactory(community=world.other_school_community, user=team_leader)
    staff = UserFactory(name="Sam Staff", is_staff=True)
    world.team.leaders.add(staff)

    page = school_people_page(world.school, school_admin, search="", page_number=1)

    refused = {person.email for person in page if person.refusal}
    assert refused == {school_admin.email, team_leader.email, staff.email}
    assert {person.email for person in page if not person.refusal} == {participant.email}


def test_page_names_the_teams_and_plgs_as_text(world, participant, school_admin) -> None:
    world.team.leaders.add(participant)

    page = school_people_page(world.school, school_admin, search="", page_number=1)

    person = next(person for person in page if person.pk == participant.pk)
    assert person.team_names == "Onderbouw"
    assert person.plg_names == "Feedback (2026-2027)"


def test_page_says_who_leads_their_plg(world, teacher_leader, school_admin) -> None:
    with translation.override("en"):
        page = school_people_page(world.school, school_admin, search="", page_number=1)

    person = next(person for person in page if person.pk == teacher_leader.pk)
    assert person.plg_names == "Feedback (2026-2027, teacher leader)"


# The page


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_schools_programme_lead_opens_the_people_page(client_as, persona, world):
    response = client_as(persona).get(people_url(world.school))

    assert_only_for(response, persona, {"school_admin"})


def test_other_schools_programme_lead_gets_404(client, world, other_school_user) -> None:
    client.force_login(other_school_user)

    assert client.get(people_url(world.school)).status_code == 404


def test_people_page_links_to_deleting_each_account(client, world, participant, school_admin):
    client.force_login(school_admin)

    content = client.get(people_url(world.school)).content.decode()

    assert delete_url(world.school, participant) in content
    # The programme lead's own account is deleted from their own settings, not from here.
    assert delete_url(world.school, school_admin) not in content


def test_people_page_shows_roles(client, world, participant, team_leader, school_admin) -> None:
    school_admin.language = "en"
    school_admin.save(update_fields=["language"])
    client.force_login(school_admin)

    with translation.override("en"):
        content = client.get(people_url(world.school)).content.decode()

    assert "Programme lead" in content
    assert "Team leader of Onderbouw" in content
    assert "PLG member: Feedback (2026-2027)" in content


def test_school_page_links_to_the_people_page(client, world, school_admin) -> None:
    client.force_login(school_admin)

    response = client.get(reverse("communities:school", args=[world.school.pk]))

    assert f'href="{people_url(world.school)}"' in response.content.decode()


def test_people_page_searches(client, world, participant, team_leader, school_admin) -> None:
    client.force_login(school_admin)

    response = client.get(people_url(world.school), {"q": "Tessa"})

    assert [person.pk for person in response.context["page_obj"]] == [team_leader.pk]


def test_a_search_with_a_null_character_is_not_applied(client, world, school_admin) -> None:
    client.force_login(school_admin)

    response = client.get(people_url(world.school), {"q": "a\x00b"})

    assert response.status_code == 200
    assert [person.pk for person in response.context["page_obj"]] == [school_admin.pk]


def _crowd(world, count: int) -> None:
    MembershipFactory.create_batch(count, community=world.community)


def test_people_page_is_paginated(client, world, school_admin) -> None:
    _crowd(world, PEOPLE_PER_PAGE + 5)
    client.force_login(school_admin)

    first = client.get(people_url(world.school))
    second = client.get(people_url(world.school), {"page": 2})

    assert len(first.context["page_obj"]) == PEOPLE_PER_PAGE
    assert len(second.context["page_obj"]) == 6
    content = first.content.decode()
    assert 'aria-current="page"' in content
    assert "?page=2" in content


def test_pages_keep_the_search(client, world, school_admin) -> None:
    _crowd(world, PEOPLE_PER_PAGE + 5)
    client.force_login(school_admin)

    response = client.get(people_url(world.school), {"q": "person"})

    assert "?q=person&amp;page=2" in response.content.decode()


@pytest.mark.parametrize("page", ["x", "0", "-1", "999", "1.5"])
def test_a_bad_page_number_shows_a_page(client, world, participant, school_admin, page) -> None:
    client.force_login(school_admin)

    response = client.get(people_url(world.school), {"page": page})

    assert response.status_code == 200
    assert list(response.context["page_obj"])


def test_people_page_is_get_only(client, world, school_admin) -> None:
    client.force_login(school_admin)

    assert client.post(people_url(world.school)).status_code == 405


# Query budget


def _people_page_queries(client, *, people: int) -> int:
    school_admin = UserFactory()
    team = TeamFactory(leaders=[UserFactory()])
    team.school.admins.add(school_admin)
    community = CommunityFactory(team=team, school_year__school=team.school)
    other = CommunityFactory(team=TeamFactory())  # another school: some people belong to both
    for person in MembershipFactory.create_batch(people, community=community):
        if person.pk % 3 == 0:
            MembershipFactory(community=other, user=person.user)
    client.force_login(school_admin)
    return count_queries(client, people_url(team.school))


def test_people_page_queries_do_not_grow_with_people(client) -> None:
    assert _people_page_queries(client, people=3) == _people_page_queries(client, people=30)


def test_people_page_stays_within_its_query_budget(client) -> None:
    assert _people_page_queries(client, people=30) <= PEOPLE_MAX_QUERIES
