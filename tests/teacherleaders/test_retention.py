"""Retention of the teacher leaders' texts: self-reflections, their meetings' notes and the
evidence lines of their responsibilities go with the school year's other texts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from communities.retention import retention_apply, retention_plan
from teacherleaders.models import (
    LeaderMeetingNotes,
    Responsibility,
    ResponsibilityCheck,
    ResponsibilityStatus,
    SelfReflection,
)
from teacherleaders.services.leader_plg import leader_notes_save, leader_notes_writer_set

# The teacher leaders' PLG fixtures: second_leader, leader_plg, leader_meetings.
from tests.teacherleaders.leader_plg_world import *  # noqa: F403

# world.school_year ends on 16 July 2027; kept two school years after it by default.
DELETES_ON = dt.date(2029, 7, 17)


@pytest.fixture
def leader_texts(world, leader_meetings, teacher_leader, school_admin):
    """A shared and a private self-reflection, a line of evidence and half-written notes."""
    SelfReflection.objects.create(
        user=teacher_leader, school_year=world.school_year, skills="Listening", shared=True
    )
    ResponsibilityCheck.objects.create(
        user=teacher_leader,
        school_year=world.school_year,
        item=Responsibility.choices[0][0],
        status=ResponsibilityStatus.DONE,
        evidence="Weekly mail to the team leader",
    )
    meeting = leader_meetings[0]
    leader_notes_writer_set(meeting=meeting, writer=teacher_leader, actor=school_admin)
    leader_notes_save(meeting=meeting, text="What we agreed", actor=teacher_leader)
    return meeting


def test_the_plan_counts_the_teacher_leaders_texts(world, leader_texts) -> None:
    with translation.override("en"):
        (row,) = [
            row for row in retention_plan(world.school) if row.school_year == world.school_year
        ]
    counts = dict(row.counts)
    assert counts["teacher leaders' self-reflections"] == 1
    assert counts["notes of teacher-leader meetings"] == 1
    assert counts["evidence lines of teacher leaders' responsibilities"] == 1


def test_nothing_goes_the_day_before(world, leader_texts) -> None:
    retention_apply(school=world.school, today=DELETES_ON - dt.timedelta(days=1))
    assert SelfReflection.objects.count() == 1
    assert LeaderMeetingNotes.objects.get(meeting=leader_texts).text == "What we agreed"


def test_past_retention_the_texts_go_and_the_facts_stay(
    world, leader_texts, teacher_leader
) -> None:
    deleted = retention_apply(school=world.school, today=DELETES_ON)

    assert (deleted["self_reflections"], deleted["leader_notes"]) == (1, 1)
    assert deleted["responsibility_evidence"] == 1
    assert not SelfReflection.objects.exists()
    notes = LeaderMeetingNotes.objects.get(meeting=leader_texts)
    assert (notes.text, notes.writer) == ("", teacher_leader)
    check = ResponsibilityCheck.objects.get()
    assert (check.evidence, check.status) == ("", ResponsibilityStatus.DONE)


def test_other_schools_keep_their_teacher_leaders_texts(world, leader_texts) -> None:
    retention_apply(school=world.other_school, today=DELETES_ON)
    assert SelfReflection.objects.count() == 1
    assert ResponsibilityCheck.objects.get().evidence
