"""A deleted account leads no PLG any more, and a note-taker who is gone blocks no meeting."""

from __future__ import annotations

from communities.models import Membership
from plg_platform.users.services import user_delete
from teacherleaders.models import LeaderMeetingNotes
from teacherleaders.permissions import leader_years, leaders_of
from teacherleaders.selectors.leader_plg import (
    leader_plg_years,
    note_taker_rotation,
    rotation_members,
)
from teacherleaders.selectors.overview import programme_overview
from teacherleaders.selectors.profile import led_communities
from teacherleaders.services.leader_plg import (
    leader_notes_save,
    leader_notes_writer_set,
    leader_plg_ensure,
)

# The teacher leaders' PLG fixtures: second_leader, leader_plg, leader_meetings.
from tests.teacherleaders.leader_plg_world import *  # noqa: F403


def test_a_deleted_account_is_not_among_the_years_teacher_leaders(
    world, teacher_leader, co_teacher_leader
):
    user_delete(user=co_teacher_leader, actor=None)
    assert set(leaders_of(world.school_year).values_list("user_id", flat=True)) == {
        teacher_leader.pk
    }


def test_a_deleted_account_has_no_teacher_leader_year(world, co_teacher_leader, in_the_year):
    user_delete(user=co_teacher_leader, actor=None)
    assert leader_years(co_teacher_leader) == []


def test_the_profile_lists_no_deleted_co_leader(world, teacher_leader, co_teacher_leader):
    user_delete(user=co_teacher_leader, actor=None)
    (led,) = led_communities(teacher_leader, world.school_year)
    assert led.co_leaders == []


def test_the_overview_lists_no_deleted_teacher_leader(
    world, teacher_leader, co_teacher_leader, in_the_year
):
    user_delete(user=co_teacher_leader, actor=None)
    overview = programme_overview(world.school, world.school_year)
    (row,) = [row for row in overview.rows if row.community == world.community]
    assert row.teacher_leaders == [teacher_leader]


def test_the_leaders_plg_sync_does_not_add_a_deleted_teacher_leader(
    world, teacher_leader, second_leader, co_teacher_leader, school_admin
):
    user_delete(user=co_teacher_leader, actor=None)
    community = leader_plg_ensure(school_year=world.school_year, actor=school_admin)
    members = set(Membership.objects.filter(community=community).values_list("user", flat=True))
    assert members == {teacher_leader.pk, second_leader.pk}


def test_the_leaders_plg_keeps_a_deleted_members_row_but_not_in_the_turns(
    world, leader_plg, leader_meetings, second_leader, teacher_leader, school_admin
):
    user_delete(user=second_leader, actor=None)
    leader_plg_ensure(school_year=world.school_year, actor=school_admin)
    # The row stays as the PLG's history ("former member")...
    assert Membership.objects.filter(community=leader_plg, user=second_leader).exists()
    # ...but nobody expects them to write notes or counts them as a leader.
    assert rotation_members(leader_plg) == [teacher_leader]
    assert set(note_taker_rotation(leader_plg).writers.values()) == {teacher_leader}
    (year,) = [entry for entry in leader_plg_years(world.school) if entry.community]
    assert year.leader_count == 1


def _half_written_by(writer, meeting, school_admin) -> None:
    leader_notes_writer_set(meeting=meeting, writer=writer, actor=school_admin)
    leader_notes_save(meeting=meeting, text="Half written", actor=writer)


def test_notes_of_a_deleted_writer_can_be_taken_over(
    leader_meetings, teacher_leader, second_leader, school_admin
):
    meeting = leader_meetings[0]
    _half_written_by(second_leader, meeting, school_admin)
    user_delete(user=second_leader, actor=None)
    leader_notes_writer_set(meeting=meeting, writer=teacher_leader, actor=school_admin)
    assert LeaderMeetingNotes.objects.get(meeting=meeting).writer == teacher_leader


def test_notes_of_a_writer_who_left_the_plg_can_be_taken_over(
    leader_plg, leader_meetings, teacher_leader, second_leader, school_admin
):
    meeting = leader_meetings[0]
    _half_written_by(second_leader, meeting, school_admin)
    Membership.objects.filter(community=leader_plg, user=second_leader).delete()
    leader_notes_writer_set(meeting=meeting, writer=teacher_leader, actor=school_admin)
    assert LeaderMeetingNotes.objects.get(meeting=meeting).writer == teacher_leader


def test_notes_without_a_writer_can_be_taken_over(
    leader_meetings, teacher_leader, second_leader, school_admin
):
    meeting = leader_meetings[0]
    _half_written_by(second_leader, meeting, school_admin)
    LeaderMeetingNotes.objects.filter(meeting=meeting).update(writer=None)
    leader_notes_writer_set(meeting=meeting, writer=teacher_leader, actor=school_admin)
    assert LeaderMeetingNotes.objects.get(meeting=meeting).writer == teacher_leader
