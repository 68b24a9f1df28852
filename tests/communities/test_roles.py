"""Role matrix: which persona gets which answer on which page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communities.models import Community, Membership
from communities.permissions import administered_schools, administered_schools_list
from communities.services import learning_question_set
from tests.factories import MembershipFactory, SchoolFactory, UserFactory
from tests.personas import PERSONAS

SIGNED_IN = [name for name in PERSONAS if name != "anonymous"]
EVERYONE = set(SIGNED_IN)
VIEWERS = {
    "participant",
    "teacher_leader",
    "development_team",
    "team_leader",
    "school_admin",
    "expert",
}
MEMBERS = {"participant", "teacher_leader", "development_team", "expert"}
MANAGERS = {"teacher_leader", "school_admin"}
ADMINS = {"school_admin"}
OTHER_PLG_VIEWERS = {"team_leader", "school_admin", "other_plg_member"}


@pytest.fixture
def member(world):
    """A plain participant whose membership the member pages work on."""
    return MembershipFactory(
        community=world.community, user=UserFactory(email="mia@lyceum.example", name="Mia Member")
    )


# page name -> (URL from the world and a membership, personas who get 200)
PAGES = {
    "dashboard": (lambda w, m: reverse("communities:dashboard"), EVERYONE),
    "plg_detail": (lambda w, m: reverse("communities:detail", args=[w.community.pk]), VIEWERS),
    "other_plg_detail": (
        lambda w, m: reverse("communities:detail", args=[w.other_community.pk]),
        OTHER_PLG_VIEWERS,
    ),
    "plg_edit": (lambda w, m: reverse("communities:edit", args=[w.community.pk]), MANAGERS),
    "member_add": (lambda w, m: reverse("communities:member_add", args=[w.community.pk]), MANAGERS),
    "member_edit": (
        lambda w, m: reverse("communities:member_edit", args=[w.community.pk, m.pk]),
        MANAGERS,
    ),
    "learning_question": (
        lambda w, m: reverse("communities:learning_question", args=[w.community.pk]),
        # A learning question belongs to a participant; this teacher leader only leads.
        {"participant", "development_team"},
    ),
    "school_detail": (lambda w, m: reverse("communities:school", args=[w.school.pk]), ADMINS),
    "school_edit": (lambda w, m: reverse("communities:school_edit", args=[w.school.pk]), ADMINS),
    "school_year_create": (
        lambda w, m: reverse("communities:school_year_create", args=[w.school.pk]),
        ADMINS,
    ),
    "school_year_edit": (
        lambda w, m: reverse("communities:school_year_edit", args=[w.school_year.pk]),
        ADMINS,
    ),
    "team_create": (lambda w, m: reverse("communities:team_create", args=[w.school.pk]), ADMINS),
    "team_edit": (lambda w, m: reverse("communities:team_edit", args=[w.team.pk]), ADMINS),
    "plg_create": (
        lambda w, m: reverse("communities:community_create", args=[w.school.pk]),
        ADMINS,
    ),
    "account_settings": (lambda w, m: reverse("users:settings"), EVERYONE),
}

MATRIX = [
    pytest.param(page, persona, 200 if persona in allowed else 404, id=f"{page}-{persona}")
    for page, (_url, allowed) in PAGES.items()
    for persona in SIGNED_IN
]


@pytest.mark.parametrize(("page", "persona", "status"), MATRIX)
def test_page_answers_persona_with_the_right_status(
    client_as, world, member, page, persona, status
):
    url = PAGES[page][0](world, member)
    response = client_as(persona).get(url)
    assert response.status_code == status


@pytest.mark.parametrize("page", list(PAGES))
def test_anonymous_visitor_is_sent_to_the_login_page(client, world, member, page):
    url = PAGES[page][0](world, member)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={url}"


# The other school's pages: nobody from this school sees them.
OTHER_SCHOOL_PAGES = {
    "plg_detail": lambda w: reverse("communities:detail", args=[w.other_school_community.pk]),
    "plg_edit": lambda w: reverse("communities:edit", args=[w.other_school_community.pk]),
    "member_add": lambda w: reverse("communities:member_add", args=[w.other_school_community.pk]),
    "learning_question": lambda w: reverse(
        "communities:learning_question", args=[w.other_school_community.pk]
    ),
    "school_detail": lambda w: reverse("communities:school", args=[w.other_school.pk]),
    "school_edit": lambda w: reverse("communities:school_edit", args=[w.other_school.pk]),
    "school_year_create": lambda w: reverse(
        "communities:school_year_create", args=[w.other_school.pk]
    ),
    "school_year_edit": lambda w: reverse(
        "communities:school_year_edit", args=[w.other_school_year.pk]
    ),
    "team_create": lambda w: reverse("communities:team_create", args=[w.other_school.pk]),
    "team_edit": lambda w: reverse("communities:team_edit", args=[w.other_team.pk]),
    "plg_create": lambda w: reverse("communities:community_create", args=[w.other_school.pk]),
}
OUR_SCHOOL = [name for name in SIGNED_IN if name != "other_school_user"]


@pytest.mark.parametrize("persona", OUR_SCHOOL)
@pytest.mark.parametrize("page", list(OTHER_SCHOOL_PAGES))
def test_nobody_sees_another_schools_pages(client_as, world, page, persona):
    response = client_as(persona).get(OTHER_SCHOOL_PAGES[page](world))
    assert response.status_code == 404


@pytest.mark.parametrize("page", list(OTHER_SCHOOL_PAGES))
def test_other_schools_admin_sees_their_own_schools_pages(client_as, world, page):
    response = client_as("other_school_user").get(OTHER_SCHOOL_PAGES[page](world))
    assert response.status_code == 200


# Dashboard contents: which PLGs each persona finds under "My PLGs".
DASHBOARD_PLGS = {
    "participant": {"Feedback"},
    "teacher_leader": {"Feedback"},
    "development_team": {"Feedback"},
    "team_leader": {"Feedback", "Formatief toetsen"},
    "school_admin": {"Feedback", "Formatief toetsen"},
    "expert": {"Feedback"},
    "other_plg_member": {"Formatief toetsen"},
    "other_school_user": {"Taalbeleid"},
}


@pytest.mark.parametrize(("persona", "names"), DASHBOARD_PLGS.items())
def test_dashboard_lists_exactly_the_plgs_the_persona_may_see(client_as, world, persona, names):
    response = client_as(persona).get(reverse("communities:dashboard"))
    assert {community.name for community in response.context["communities"]} == names


@pytest.mark.parametrize(
    ("persona", "can_manage"),
    [(name, name in MANAGERS) for name in sorted(VIEWERS)],
)
def test_plg_page_offers_edit_links_only_to_those_who_may_change_it(
    client_as, world, persona, can_manage
):
    response = client_as(persona).get(reverse("communities:detail", args=[world.community.pk]))
    edit_link = f'href="{reverse("communities:edit", args=[world.community.pk])}"'
    assert (edit_link in response.content.decode()) is can_manage


def test_school_list_sends_the_admin_of_one_school_to_that_school(client_as, world):
    response = client_as("school_admin").get(reverse("communities:school_list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("communities:school", args=[world.school.pk])


@pytest.mark.parametrize("persona", sorted(EVERYONE - ADMINS - {"other_school_user"}))
def test_school_list_is_404_for_people_who_administer_no_school(client_as, world, persona):
    assert client_as(persona).get(reverse("communities:school_list")).status_code == 404


# Changes: only the school's admins and the PLG's teacher leaders.


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_only_managers_can_rename_a_plg(client_as, world, persona):
    url = reverse("communities:edit", args=[world.community.pk])
    response = client_as(persona).post(url, {"name": "Renamed", "is_first_year": "on"})
    renamed = Community.objects.get(pk=world.community.pk).name == "Renamed"
    if persona in MANAGERS:
        assert (response.status_code, renamed) == (302, True)
    else:
        assert (response.status_code, renamed) == (404, False)


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_only_managers_can_add_a_member(client_as, world, persona):
    url = reverse("communities:member_add", args=[world.community.pk])
    response = client_as(persona).post(
        url, {"email": "added@lyceum.example", "roles": ["participant"]}
    )
    added = Membership.objects.filter(user__email="added@lyceum.example").exists()
    expected = (302, True) if persona in MANAGERS else (404, False)
    assert (response.status_code, added) == expected


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_only_managers_can_change_a_members_roles(client_as, world, member, persona):
    url = reverse("communities:member_edit", args=[world.community.pk, member.pk])
    response = client_as(persona).post(url, {"roles": ["expert"]})
    member.refresh_from_db()
    expected = (302, True) if persona in MANAGERS else (404, False)
    assert (response.status_code, member.is_expert) == expected


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_only_managers_can_remove_a_member(client_as, world, member, persona):
    url = reverse("communities:member_remove", args=[world.community.pk, member.pk])
    response = client_as(persona).post(url)
    still_there = Membership.objects.filter(pk=member.pk).exists()
    expected = (302, False) if persona in MANAGERS else (404, True)
    assert (response.status_code, still_there) == expected


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_only_managers_can_reinvite_a_member(
    client_as, world, persona, mailoutbox, django_capture_on_commit_callbacks
):
    invited = MembershipFactory(
        community=world.community, user=UserFactory(email="invited@lyceum.example", password=None)
    )
    url = reverse("communities:member_reinvite", args=[world.community.pk, invited.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(persona).post(url)
    expected = (302, 1) if persona in MANAGERS else (404, 0)
    assert (response.status_code, len(mailoutbox)) == expected


def test_a_membership_of_another_plg_cannot_be_removed_through_this_plg(
    client_as, world, other_plg_member
):
    other = Membership.objects.get(user=other_plg_member)
    url = reverse("communities:member_remove", args=[world.community.pk, other.pk])
    response = client_as("teacher_leader").post(url)
    assert response.status_code == 404
    assert Membership.objects.filter(pk=other.pk).exists()


@pytest.mark.parametrize("persona", ["anonymous", "school_admin"])
@pytest.mark.parametrize("view", ["member_remove", "member_reinvite", "language"])
def test_post_only_views_answer_405_to_get(client_as, world, member, persona, view):
    if view == "language":
        url = reverse("users:language")
    else:
        url = reverse(f"communities:{view}", args=[world.community.pk, member.pk])
    response = client_as(persona).get(url)
    assert response.status_code == 405
    assert Membership.objects.filter(pk=member.pk).exists()


@pytest.mark.parametrize(
    "view", ["edit", "member_add", "member_edit", "member_remove", "member_reinvite"]
)
def test_anonymous_post_to_a_change_is_sent_to_login_and_changes_nothing(
    client, world, member, view
):
    args = (
        [world.community.pk] if view in {"edit", "member_add"} else [world.community.pk, member.pk]
    )
    response = client.post(
        reverse(f"communities:{view}", args=args), {"name": "Hacked", "roles": ["expert"]}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    member.refresh_from_db()
    world.community.refresh_from_db()
    assert (world.community.name, member.is_expert) == ("Feedback", False)


# What the school admin can do in their own school.


def test_school_admin_renames_the_school(client_as, world):
    url = reverse("communities:school_edit", args=[world.school.pk])
    response = client_as("school_admin").post(url, {"name": "Het Nieuwe Lyceum"})
    assert response.status_code == 302
    world.school.refresh_from_db()
    assert world.school.name == "Het Nieuwe Lyceum"


def test_school_admin_creates_a_plg_for_a_team_and_year_of_their_school(client_as, world):
    url = reverse("communities:community_create", args=[world.school.pk])
    data = {"name": "Nieuw", "team": world.team.pk, "school_year": world.school_year.pk}
    response = client_as("school_admin").post(url, data)
    created = Community.objects.get(name="Nieuw")
    assert response["Location"] == reverse("communities:detail", args=[created.pk])


def test_school_admin_creates_a_team_and_invites_its_new_leader(
    client_as, world, mailoutbox, django_capture_on_commit_callbacks
):
    url = reverse("communities:team_create", args=[world.school.pk])
    data = {"name": "Bovenbouw", "new_leader_email": "boss@lyceum.example"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("school_admin").post(url, data)
    assert response.status_code == 302
    team = world.school.teams.get(name="Bovenbouw")
    assert list(team.leaders.values_list("email", flat=True)) == ["boss@lyceum.example"]
    assert [message.to for message in mailoutbox] == [["boss@lyceum.example"]]


def test_teacher_leader_adding_a_new_person_sends_them_an_invitation(
    client_as, world, mailoutbox, django_capture_on_commit_callbacks
):
    url = reverse("communities:member_add", args=[world.community.pk])
    data = {"email": "newbie@lyceum.example", "roles": ["participant"]}
    with django_capture_on_commit_callbacks(execute=True):
        client_as("teacher_leader").post(url, data)
    assert [message.to for message in mailoutbox] == [["newbie@lyceum.example"]]


def test_team_leader_sees_the_plg_without_learning_questions(client_as, world, participant):
    learning_question_set(
        membership=Membership.objects.get(user=participant), text="Secret question"
    )
    response = client_as("team_leader").get(
        reverse("communities:detail", args=[world.community.pk])
    )
    assert "Secret question" not in response.content.decode()


def test_teacher_leader_sees_the_members_learning_questions(client_as, world, participant):
    learning_question_set(
        membership=Membership.objects.get(user=participant), text="Shared question"
    )
    response = client_as("teacher_leader").get(
        reverse("communities:detail", args=[world.community.pk])
    )
    assert "Shared question" in response.content.decode()


def test_guest_expert_does_not_see_members_contact_details(client_as, world, participant):
    response = client_as("expert").get(reverse("communities:detail", args=[world.community.pk]))

    assert "Pia Participant" in response.content.decode()
    assert participant.email not in response.content.decode()


def test_teacher_leader_sees_members_contact_details(client_as, world, participant):
    response = client_as("teacher_leader").get(
        reverse("communities:detail", args=[world.community.pk])
    )

    assert participant.email in response.content.decode()


def test_added_message_does_not_reveal_whether_an_account_exists(client_as, world):
    UserFactory(email="elsewhere@college.example", name="Someone Elsewhere")
    client = client_as("teacher_leader")
    url = reverse("communities:member_add", args=[world.community.pk])

    known = client.post(
        url, {"email": "elsewhere@college.example", "roles": ["participant"]}, follow=True
    )
    new = client.post(
        url, {"email": "nobody@college.example", "roles": ["participant"]}, follow=True
    )

    def message(response):
        return [
            str(m).replace("elsewhere", "X").replace("nobody", "X")
            for m in response.context["messages"]
        ]

    assert message(known) == message(new)


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "anonymous"])
def test_the_plain_list_of_administered_schools_is_the_orms(world, persona_user, persona):
    user = persona_user(persona)
    if persona == "school_admin":
        # A second school, named to come first: the list is in name order.
        SchoolFactory(name="Aardrijkscollege").admins.add(user)
    with CaptureQueriesContext(connection) as queries:
        ours = administered_schools_list(user)
    assert len(queries) == 1
    assert ours == list(administered_schools(user).order_by("name", "id"))
    assert [s.name for s in ours] == sorted(s.name for s in ours)
    user.is_active = False
    assert administered_schools_list(user) == []
