"""The small-groups page, hand moves, a group's leader and case, and the meeting-page panel."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from casework.models import GroupSplit, SmallGroup, SmallGroupMember
from casework.services.groups import groups_split
from meetings.models import Attendance, AttendanceStatus
from tests.casework.conftest import make_case
from tests.factories import MembershipFactory, UserFactory
from tests.helpers import assert_login_redirect, count_queries
from tests.personas import SIGNED_IN

SPLITS = {"teacher_leader"}


def _url(name: str, meeting, **kwargs) -> str:
    return reverse(f"casework:{name}", kwargs={"pk": meeting.pk, **kwargs})


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _seats(meeting) -> dict[int, int]:
    return dict(
        SmallGroupMember.objects.filter(meeting=meeting).values_list("member_id", "group__number")
    )


def _post_for(name: str, session) -> tuple[str, dict[str, object]]:
    """A valid POST to each URL of the area."""
    if name == "groups":
        return _url("groups", session.meeting), {"min_size": 3, "max_size": 5, "replace": "on"}
    if name == "group_move":
        return _url("group_move", session.meeting), {
            "member": session.members[0].pk,
            "to_group": session.groups[1].pk,
        }
    return _url("group_update", session.meeting, group_pk=session.groups[0].pk), {
        "leader": session.members[0].pk,
        "case": session.case.pk,
    }


# Who may open and change what --------------------------------------------------------------


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_only_teacher_leaders_open_the_groups_page(client_as, session, persona) -> None:
    response = client_as(persona).get(_url("groups", session.meeting))

    assert response.status_code == (200 if persona in SPLITS else 404)


@pytest.mark.parametrize("name", ["groups", "group_move", "group_update"])
@pytest.mark.parametrize("persona", SIGNED_IN)
def test_only_teacher_leaders_change_the_groups(client_as, session, persona, name) -> None:
    before = _seats(session.meeting)
    url, data = _post_for(name, session)

    response = client_as(persona).post(url, data)

    assert response.status_code == (302 if persona in SPLITS else 404)
    changed = (
        GroupSplit.objects.exists()
        or SmallGroup.objects.filter(pk=session.groups[0].pk, leader=session.members[0]).exists()
    )
    assert changed == (persona in SPLITS)
    if persona not in SPLITS:
        assert _seats(session.meeting) == before


@pytest.mark.parametrize("name", ["groups", "group_move", "group_update"])
def test_anonymous_visitor_is_sent_to_sign_in_and_nothing_changes(client, session, name) -> None:
    url, data = _post_for(name, session)

    assert_login_redirect(client.post(url, data))
    assert_login_redirect(client.get(_url("groups", session.meeting)))
    assert not GroupSplit.objects.exists()


@pytest.mark.parametrize("name", ["group_move", "group_update"])
def test_hand_changes_refuse_get(client_as, session, name) -> None:
    url, _data = _post_for(name, session)

    assert client_as("teacher_leader").get(url).status_code == 405


def test_teacher_leader_of_another_plg_gets_404(client_as, session, other_school_user) -> None:
    client = client_as("other_school_user")

    assert client.get(_url("groups", session.meeting)).status_code == 404
    url, data = _post_for("group_move", session)
    assert client.post(url, data).status_code == 404


def test_group_of_another_meeting_is_not_found(client_as, session, meetings) -> None:
    elsewhere = SmallGroup.objects.create(meeting=meetings[0], number=1)

    response = client_as("teacher_leader").post(
        _url("group_update", session.meeting, group_pk=elsewhere.pk), {"leader": ""}
    )

    assert response.status_code == 404


def test_unknown_meeting_is_not_found(client_as, session) -> None:
    response = client_as("teacher_leader").get(reverse("casework:groups", kwargs={"pk": 999999}))

    assert response.status_code == 404


# The page ----------------------------------------------------------------------------------


def test_page_shows_groups_with_leader_presenter_case_title_and_members(
    client_as, session, development_team, participant
) -> None:
    page = _page(client_as("teacher_leader"), _url("groups", session.meeting))

    assert 'id="group-1"' in page and 'id="group-2"' in page
    assert development_team.display_name in page
    assert "Restless class after the break" in page
    assert session.members[4].display_name in page


def test_page_never_shows_case_text(client_as, in_the_meeting) -> None:
    page = _page(client_as("teacher_leader"), _url("groups", in_the_meeting.meeting))

    assert "SITUATION of" not in page
    assert "QUESTION of" not in page
    assert "A draft nobody else reads" not in page


def test_page_warns_about_a_group_without_leader_or_case(
    client_as, session, teacher_leader
) -> None:
    SmallGroup.objects.filter(pk=session.groups[1].pk).update(leader=None, case=None)

    page = _page(client_as("teacher_leader"), _url("groups", session.meeting))

    assert gettext("this group has no leader. Choose one below, or move a development-team member into it.") in page  # fmt: skip
    assert gettext("this group has no work case. Choose one below, or move a member with a submitted case into it.") in page  # fmt: skip


def test_page_shows_the_quality_line_after_a_split(client_as, session, teacher_leader) -> None:
    split = groups_split(meeting=session.meeting, actor=teacher_leader)

    page = _page(client_as("teacher_leader"), _url("groups", session.meeting))

    with translation.override("nl"):
        expected = translation.ngettext(
            "%(counter)s repeated pair (people who sat together at an earlier meeting this year); a random split would have about %(random)s.",  # noqa: E501
            "%(counter)s repeated pairs (people who sat together at an earlier meeting this year); a random split would have about %(random)s.",  # noqa: E501
            split.repeated_pairs,
        ) % {"counter": split.repeated_pairs, "random": "0"}
    assert expected in page


def test_first_split_button_says_make_the_groups(client_as, meetings, participant) -> None:
    page = _page(client_as("teacher_leader"), _url("groups", meetings[2]))

    assert gettext("Make the groups") in page
    assert 'name="replace"' not in page


def test_with_groups_the_button_says_make_new_groups_and_asks_to_confirm(
    client_as, session
) -> None:
    page = _page(client_as("teacher_leader"), _url("groups", session.meeting))

    assert gettext("Make new groups") in page
    assert 'name="replace"' in page


def test_making_new_groups_without_the_confirmation_changes_nothing(client_as, session) -> None:
    response = client_as("teacher_leader").post(
        _url("groups", session.meeting), {"min_size": 3, "max_size": 5}
    )

    assert response.status_code == 200
    assert gettext("Tick the box to replace the current groups.") in response.content.decode()
    assert not GroupSplit.objects.exists()
    assert SmallGroup.objects.filter(pk=session.groups[0].pk).exists()


def test_making_the_groups_goes_back_to_the_page_with_the_groups(client_as, session) -> None:
    url, data = _post_for("groups", session)

    response = client_as("teacher_leader").post(url, data)

    assert response["Location"] == url
    assert GroupSplit.objects.get().made_by.email == "leader@lyceum.example"
    assert set(_seats(session.meeting)) == set(
        Attendance.objects.filter(
            meeting=session.meeting, status=AttendanceStatus.PRESENT
        ).values_list("member_id", flat=True)
    )


# Bad input, in Dutch ------------------------------------------------------------------------


def test_too_small_group_size_is_refused_in_dutch(client_as, session) -> None:
    response = client_as("teacher_leader").post(
        _url("groups", session.meeting), {"min_size": 1, "max_size": 5, "replace": "on"}
    )

    assert response.status_code == 200
    assert response["Content-Language"] == "nl"
    assert "Zorg ervoor dat deze waarde minstens 2 is." in response.content.decode()
    assert not GroupSplit.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"min_size": 4, "max_size": 3},
            "The largest group size cannot be smaller than the smallest group size.",
        ),
        ({"min_size": 3, "max_size": 5, "group_count": "veel"}, "Voer een geheel getal in."),
    ],
)
def test_bad_split_input_shows_a_message_in_the_users_language(
    client_as, session, data, message
) -> None:
    response = client_as("teacher_leader").post(
        _url("groups", session.meeting), {**data, "replace": "on"}
    )

    assert response.status_code == 200
    assert response["Content-Language"] == "nl"
    with translation.override("nl"):
        assert gettext(message) in response.content.decode()
    assert not GroupSplit.objects.exists()


def test_impossible_group_count_is_explained_on_the_form(client_as, session) -> None:
    response = client_as("teacher_leader").post(
        _url("groups", session.meeting),
        {"min_size": 3, "max_size": 5, "group_count": 6, "replace": "on"},
    )

    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    assert not GroupSplit.objects.exists()


# Hand moves and the per-group form ------------------------------------------------------------


def test_move_puts_the_member_in_the_chosen_group_and_returns_to_it(client_as, session) -> None:
    url, data = _post_for("group_move", session)

    response = client_as("teacher_leader").post(url, data)

    assert response["Location"] == _url("groups", session.meeting) + "#group-2"
    assert _seats(session.meeting)[session.members[0].pk] == 2
    assert GroupSplit.objects.get(meeting=session.meeting).repeated_pairs == 0


def test_move_to_a_new_group(client_as, session) -> None:
    client_as("teacher_leader").post(
        _url("group_move", session.meeting), {"member": session.members[0].pk, "to_group": "new"}
    )

    assert _seats(session.meeting)[session.members[0].pk] == 3


@pytest.mark.parametrize("to_group", ["", "abc", "999999", "²", "99999999999999999999"])
def test_move_to_an_unknown_group_changes_nothing(client_as, session, to_group) -> None:
    response = client_as("teacher_leader").post(
        _url("group_move", session.meeting),
        {"member": session.members[0].pk, "to_group": to_group},
        follow=True,
    )

    assert gettext("Choose a member of a small group and the group to move them to.") in (
        response.content.decode()
    )
    assert _seats(session.meeting)[session.members[0].pk] == 1


def test_move_refused_by_the_service_shows_its_message(client_as, session, participant) -> None:
    response = client_as("teacher_leader").post(
        _url("group_move", session.meeting),
        {"member": participant.pk, "to_group": session.groups[0].pk},
        follow=True,
    )

    assert "Pia Participant" in response.content.decode()
    assert _seats(session.meeting)[participant.pk] == 1


def test_group_update_sets_leader_and_case(client_as, session) -> None:
    own = make_case(session.meeting, session.members[1], "Chosen by hand")

    response = client_as("teacher_leader").post(
        _url("group_update", session.meeting, group_pk=session.groups[0].pk),
        {"leader": session.members[0].pk, "case": own.pk},
    )

    assert response["Location"] == _url("groups", session.meeting) + "#group-1"
    group = SmallGroup.objects.get(pk=session.groups[0].pk)
    assert (group.leader, group.case) == (session.members[0], own)


def test_group_update_with_a_leader_outside_the_group_changes_nothing(
    client_as, session, development_team
) -> None:
    response = client_as("teacher_leader").post(
        _url("group_update", session.meeting, group_pk=session.groups[0].pk),
        {"leader": session.second_dev.pk, "case": session.case.pk},
        follow=True,
    )

    assert "Dirk Devteam" in response.content.decode()
    assert SmallGroup.objects.get(pk=session.groups[0].pk).leader == development_team


# Query budgets -------------------------------------------------------------------------------


def test_groups_page_queries_do_not_grow_with_members_and_groups(
    client_as, session, world, teacher_leader
) -> None:
    client = client_as("teacher_leader")
    url = _url("groups", session.meeting)
    small = count_queries(client, url)
    for index in range(9):
        user = UserFactory(email=f"extra{index}@lyceum.example", name=f"Extra {index}")
        MembershipFactory(
            community=world.community, user=user, is_participant=True, is_development_team=True
        )
        Attendance.objects.create(
            meeting=session.meeting, member=user, status=AttendanceStatus.PRESENT
        )
        make_case(session.meeting, user, f"Extra case {index}")
    groups_split(meeting=session.meeting, actor=teacher_leader, min_size=2, max_size=3)
    assert SmallGroup.objects.filter(meeting=session.meeting).count() > 2

    assert count_queries(client, url) == small


# The meeting-page panel ----------------------------------------------------------------------


def test_member_sees_their_group_and_its_leader_on_the_meeting_page(client_as, session) -> None:
    page = _page(client_as("participant"), reverse("meetings:meeting", args=[session.meeting.pk]))

    assert (
        gettext("You are in group %(number)s, led by %(leader)s.")
        % {
            "number": 1,
            "leader": "Dana Devteam",
        }
        in page
    )
    assert session.members[1].display_name in page
    assert session.members[3].display_name not in page  # group 2
    assert _url("groups", session.meeting) not in page


def test_group_leader_is_told_they_lead_it(client_as, session) -> None:
    page = _page(
        client_as("development_team"), reverse("meetings:meeting", args=[session.meeting.pk])
    )

    assert gettext("You are in group %(number)s, and you lead it.") % {"number": 1} in page


def test_teacher_leader_sees_the_link_and_no_hint_once_groups_exist(client_as, session) -> None:
    page = _page(
        client_as("teacher_leader"), reverse("meetings:meeting", args=[session.meeting.pk])
    )

    assert _url("groups", session.meeting) in page
    assert gettext("No small groups have been made for this meeting yet.") not in page


def test_teacher_leader_gets_a_hint_when_no_groups_were_made(client_as, meetings) -> None:
    page = _page(client_as("teacher_leader"), reverse("meetings:meeting", args=[meetings[2].pk]))

    assert _url("groups", meetings[2]) in page
    assert gettext("No small groups have been made for this meeting yet.") in page


@pytest.mark.parametrize("persona", ["team_leader", "school_admin", "expert"])
def test_others_see_neither_a_group_nor_the_link(client_as, session, persona) -> None:
    page = _page(client_as(persona), reverse("meetings:meeting", args=[session.meeting.pk]))

    assert _url("groups", session.meeting) not in page
    assert "casework-groups" not in page


def test_meeting_page_queries_do_not_grow_with_the_size_of_ones_group(
    client_as, session, world
) -> None:
    client = client_as("participant")
    url = reverse("meetings:meeting", args=[session.meeting.pk])
    small = count_queries(client, url)
    for index in range(6):
        user = UserFactory(email=f"seat{index}@lyceum.example", name=f"Seat {index}")
        MembershipFactory(community=world.community, user=user, is_participant=True)
        SmallGroupMember.objects.create(
            group=session.groups[0], meeting=session.meeting, member=user
        )

    assert count_queries(client, url) == small


def test_making_the_groups_says_how_many_pairs_repeat(client_as, session) -> None:
    url, data = _post_for("groups", session)

    response = client_as("teacher_leader").post(url, data, follow=True)

    expected = translation.ngettext(
        "The small groups have been made: %(pairs)d repeated pair.",
        "The small groups have been made: %(pairs)d repeated pairs.",
        0,
    ) % {"pairs": 0}
    assert expected in response.content.decode()
