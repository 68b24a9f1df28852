"""Bad input gets a clear message on the page or a 404, never a 500, and changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from communities.models import Community, Membership, Period, SchoolYear, Team
from tests.factories import PERIODS, MembershipFactory, UserFactory

HUGE_ID = 10**20


@pytest.fixture
def admin_en(school_admin):
    school_admin.language = "en"
    school_admin.save(update_fields=["language"])
    return school_admin


@pytest.fixture
def leader_en(teacher_leader):
    teacher_leader.language = "en"
    teacher_leader.save(update_fields=["language"])
    return teacher_leader


def _year_data(*, name="2027-2028", starts_on="2026-08-24", ends_on="2027-07-16", periods=None):
    periods = periods or [(start.isoformat(), end.isoformat()) for start, end in PERIODS]
    data = {
        "name": name,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "periods-TOTAL_FORMS": str(len(periods)),
        "periods-INITIAL_FORMS": "0",
        "periods-MIN_NUM_FORMS": "4",
        "periods-MAX_NUM_FORMS": "4",
        "holidays-TOTAL_FORMS": "1",
        "holidays-INITIAL_FORMS": "0",
        "holidays-MIN_NUM_FORMS": "0",
        "holidays-MAX_NUM_FORMS": "20",
        "holidays-0-name": "",
        "holidays-0-first_day": "",
        "holidays-0-last_day": "",
    }
    for index, (start, end) in enumerate(periods):
        data[f"periods-{index}-starts_on"] = start
        data[f"periods-{index}-ends_on"] = end
    return data


def _post_year(client, user, school, data):
    client.force_login(user)
    return client.post(reverse("communities:school_year_create", args=[school.pk]), data)


# School year dates


def test_valid_school_year_form_is_saved(client, world, admin_en):
    response = _post_year(client, admin_en, world.school, _year_data())
    assert response.status_code == 302
    assert SchoolYear.objects.get(school=world.school, name="2027-2028").periods.count() == 4


def test_impossible_date_shows_djangos_dutch_message(client, world, school_admin):
    response = _post_year(client, school_admin, world.school, _year_data(starts_on="31-02-2027"))
    assert response.status_code == 200
    assert "Voer een geldige datum in." in response.content.decode()
    assert not SchoolYear.objects.filter(name="2027-2028").exists()


def test_text_instead_of_a_date_shows_the_english_message(client, world, admin_en):
    response = _post_year(client, admin_en, world.school, _year_data(ends_on="abc"))
    assert response.status_code == 200
    assert "Enter a valid date." in response.content.decode()
    assert not SchoolYear.objects.filter(name="2027-2028").exists()


def test_invalid_period_date_shows_the_message_next_to_the_period(client, world, admin_en):
    periods = [(s.isoformat(), e.isoformat()) for s, e in PERIODS]
    periods[2] = ("2027-02-30", periods[2][1])
    response = _post_year(client, admin_en, world.school, _year_data(periods=periods))
    assert response.status_code == 200
    assert "Enter a valid date." in response.content.decode()
    assert not SchoolYear.objects.filter(name="2027-2028").exists()


def test_period_outside_the_school_year_is_explained_on_the_page(client, world, admin_en):
    periods = [(s.isoformat(), e.isoformat()) for s, e in PERIODS]
    periods[3] = ("2027-04-19", "2027-08-31")
    response = _post_year(client, admin_en, world.school, _year_data(periods=periods))
    assert response.status_code == 200
    assert (
        "Period 4 must lie inside the school year (24 August 2026 to 16 July 2027)."
        in response.content.decode()
    )
    assert not SchoolYear.objects.filter(name="2027-2028").exists()


def test_overlapping_periods_are_explained_on_the_page(client, world, admin_en):
    periods = [(s.isoformat(), e.isoformat()) for s, e in PERIODS]
    periods[1] = ("2026-11-01", periods[1][1])
    response = _post_year(client, admin_en, world.school, _year_data(periods=periods))
    assert response.status_code == 200
    assert (
        "Period 2 must start after period 1 ends; periods are in order and do not overlap."
        in response.content.decode()
    )


def test_school_year_ending_before_it_starts_is_explained_on_the_page(client, world, admin_en):
    data = _year_data(starts_on="2027-07-16", ends_on="2026-08-24")
    response = _post_year(client, admin_en, world.school, data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "The school year must end after it starts." in content
    assert "is violated" not in content


def test_fewer_than_four_periods_is_refused_on_the_page(client, world, admin_en):
    periods = [(s.isoformat(), e.isoformat()) for s, e in PERIODS[:3]]
    response = _post_year(client, admin_en, world.school, _year_data(periods=periods))
    assert response.status_code == 200
    assert "Please submit at least 4 forms." in response.content.decode()
    assert not SchoolYear.objects.filter(name="2027-2028").exists()


def test_bad_edit_of_a_school_year_keeps_the_saved_periods(client, world, admin_en):
    periods = [(s.isoformat(), e.isoformat()) for s, e in PERIODS]
    periods[1] = ("2026-11-01", periods[1][1])
    client.force_login(admin_en)
    url = reverse("communities:school_year_edit", args=[world.school_year.pk])
    response = client.post(url, _year_data(name="Renamed", periods=periods))
    assert response.status_code == 200
    world.school_year.refresh_from_db()
    assert world.school_year.name == "2026-2027"
    assert Period.objects.get(school_year=world.school_year, number=2).starts_on == dt.date(
        2026, 11, 9
    )


def test_school_year_name_used_twice_is_explained_on_the_page(client, world, admin_en):
    response = _post_year(client, admin_en, world.school, _year_data(name="2026-2027"))
    assert response.status_code == 200
    assert "This school already has a school year with that name." in response.content.decode()
    assert SchoolYear.objects.filter(school=world.school).count() == 1


# Members


def _add_member(client, user, community, data):
    client.force_login(user)
    return client.post(reverse("communities:member_add", args=[community.pk]), data)


def test_email_already_in_the_plg_is_explained_and_keeps_the_roles(
    client, world, leader_en, member_of
):
    existing = member_of(world.community, "known@lyceum.example")
    data = {"email": "Known@Lyceum.example", "roles": ["teacher_leader"]}
    response = _add_member(client, leader_en, world.community, data)
    assert response.status_code == 200
    assert "known@lyceum.example is already a member of this PLG." in response.content.decode()
    existing.refresh_from_db()
    assert (existing.is_participant, existing.is_teacher_leader) == (True, False)


def test_invalid_email_shows_djangos_dutch_message(client, world, teacher_leader):
    data = {"email": "not-an-address", "roles": ["participant"]}
    response = _add_member(client, teacher_leader, world.community, data)
    assert response.status_code == 200
    assert "Voer een geldig e-mailadres in." in response.content.decode()
    assert Membership.objects.filter(community=world.community).count() == 1


def test_invalid_email_shows_the_english_message(client, world, leader_en):
    data = {"email": "not-an-address", "roles": ["participant"]}
    response = _add_member(client, leader_en, world.community, data)
    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()


def test_adding_a_member_without_a_role_asks_for_one(client, world, leader_en):
    response = _add_member(client, leader_en, world.community, {"email": "new@lyceum.example"})
    assert response.status_code == 200
    assert "Choose at least one role." in response.content.decode()
    assert not Membership.objects.filter(user__email="new@lyceum.example").exists()


def test_unknown_role_is_refused_on_the_page(client, world, leader_en):
    data = {"email": "new@lyceum.example", "roles": ["headmaster"]}
    response = _add_member(client, leader_en, world.community, data)
    assert response.status_code == 200
    assert "Select a valid choice. headmaster is not one of the available choices." in (
        response.content.decode()
    )


def test_removing_every_role_of_a_member_asks_for_one_and_keeps_the_roles(
    client, world, leader_en, member_of
):
    existing = member_of(world.community, "known@lyceum.example")
    client.force_login(leader_en)
    url = reverse("communities:member_edit", args=[world.community.pk, existing.pk])
    # A browser always sends the CSRF token, even with every box unticked.
    response = client.post(url, {"csrfmiddlewaretoken": "token"})
    assert response.status_code == 200
    assert "Choose at least one role." in response.content.decode()
    existing.refresh_from_db()
    assert existing.is_participant is True


@pytest.fixture
def member_of(db):
    def make(community, email):
        return MembershipFactory(community=community, user=UserFactory(email=email))

    return make


# PLGs, teams, learning questions


def test_plg_with_a_team_of_another_school_is_refused(client, world, admin_en):
    client.force_login(admin_en)
    data = {"name": "Sneaky", "team": world.other_team.pk, "school_year": world.school_year.pk}
    response = client.post(reverse("communities:community_create", args=[world.school.pk]), data)
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert not Community.objects.filter(name="Sneaky").exists()


def test_plg_name_used_twice_in_a_team_and_year_is_explained(client, world, admin_en):
    client.force_login(admin_en)
    data = {"name": "Feedback", "team": world.team.pk, "school_year": world.school_year.pk}
    response = client.post(reverse("communities:community_create", args=[world.school.pk]), data)
    assert response.status_code == 200
    assert "PLG with this Team, School year and Name already exists." in response.content.decode()
    assert Community.objects.filter(name="Feedback").count() == 1


def test_renaming_a_plg_to_a_name_in_use_is_explained_and_keeps_the_name(client, world, leader_en):
    client.force_login(leader_en)
    url = reverse("communities:edit", args=[world.community.pk])
    response = client.post(url, {"name": "Formatief toetsen"})
    assert response.status_code == 200
    assert (
        "This team already has a PLG with that name in this school year."
        in response.content.decode()
    )
    world.community.refresh_from_db()
    assert world.community.name == "Feedback"


def test_empty_plg_name_is_refused_in_dutch(client, world, teacher_leader):
    client.force_login(teacher_leader)
    response = client.post(reverse("communities:edit", args=[world.community.pk]), {"name": ""})
    assert response.status_code == 200
    assert "Dit veld is verplicht." in response.content.decode()
    world.community.refresh_from_db()
    assert world.community.name == "Feedback"


def test_team_name_used_twice_is_explained(client, world, admin_en):
    client.force_login(admin_en)
    url = reverse("communities:team_create", args=[world.school.pk])
    response = client.post(url, {"name": "Onderbouw"})
    assert response.status_code == 200
    assert "This school already has a team with that name." in response.content.decode()
    assert Team.objects.filter(school=world.school).count() == 1


def test_invalid_new_team_leader_email_is_refused(client, world, admin_en):
    client.force_login(admin_en)
    url = reverse("communities:team_create", args=[world.school.pk])
    response = client.post(url, {"name": "Bovenbouw", "new_leader_email": "nope"})
    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    assert not Team.objects.filter(school=world.school, name="Bovenbouw").exists()


def test_too_long_learning_question_is_refused(client, world, participant):
    participant.language = "en"
    participant.save(update_fields=["language"])
    client.force_login(participant)
    url = reverse("communities:learning_question", args=[world.community.pk])
    response = client.post(url, {"text": "x" * 2001})
    assert response.status_code == 200
    assert "Ensure this value has at most 2000 characters (it has 2001)." in (
        response.content.decode()
    )


# Unknown and huge ids in URLs


URLS_WITH_IDS = [
    ("communities:detail", 1),
    ("communities:edit", 1),
    ("communities:learning_question", 1),
    ("communities:member_add", 1),
    ("communities:member_edit", 2),
    ("communities:school", 1),
    ("communities:school_edit", 1),
    ("communities:school_year_create", 1),
    ("communities:school_year_edit", 1),
    ("communities:team_create", 1),
    ("communities:team_edit", 1),
    ("communities:community_create", 1),
]


@pytest.mark.parametrize("pk", [999999, HUGE_ID], ids=["unknown", "huge"])
@pytest.mark.parametrize(("name", "arg_count"), URLS_WITH_IDS)
def test_unknown_or_huge_id_in_url_is_404(client, world, school_admin, name, arg_count, pk):
    client.force_login(school_admin)
    response = client.get(reverse(name, args=[pk] * arg_count))
    assert response.status_code == 404


@pytest.mark.parametrize("pk", [999999, HUGE_ID], ids=["unknown", "huge"])
def test_unknown_membership_of_a_managed_plg_is_404(client, world, teacher_leader, pk):
    client.force_login(teacher_leader)
    response = client.get(reverse("communities:member_edit", args=[world.community.pk, pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("pk", [999999, HUGE_ID], ids=["unknown", "huge"])
@pytest.mark.parametrize("view", ["member_remove", "member_reinvite"])
def test_posting_to_an_unknown_membership_is_404(client, world, teacher_leader, view, pk):
    client.force_login(teacher_leader)
    response = client.post(reverse(f"communities:{view}", args=[world.community.pk, pk]))
    assert response.status_code == 404


def test_non_numeric_id_in_url_is_404(client, world, school_admin):
    client.force_login(school_admin)
    assert client.get("/plg/abc/").status_code == 404


def test_email_longer_than_an_account_holds_gets_a_message(client, world, leader_en):
    address = "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".nl"
    assert 254 < len(address) <= 320
    data = {"email": address, "roles": ["participant"]}

    response = _add_member(client, leader_en, world.community, data)

    assert response.status_code == 200
    assert "at most 254 characters" in response.content.decode()
    assert Membership.objects.filter(community=world.community).count() == 1
