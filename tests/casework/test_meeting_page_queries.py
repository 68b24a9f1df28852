"""Query budgets of the meeting page, per persona, on a meeting with cases and small groups.

The page computes the viewer's access once (meetings) and hands it to every panel; casework
adds only the viewer's small groups, and reads its small numbers (cases, groups, reflections,
evaluations) in one aggregate query. Before that (issue 7, "Speed") a teacher leader's page ran
35 queries. Opening the meeting reads it and then the viewer's relation to its PLG (membership,
team leader, programme lead) in one plain SQL query (communities.querysets.viewer_relation),
which the meeting access reuses: ORM queries with correlated EXISTS cost 5-7 ms of CPU each to
build. Then (same issue) the viewer's own case, reflection and the live run are read in the
query of the small numbers, the "who is expected" list and one's own absence and attendance in
one plain query each, one's first small steps with their notes in one, and one's small group
with its leader and members in one: a teacher leader's page went from 24 to 18 queries, a
participant's from 23 to 18. The phase-6 report's id and status then joined the small numbers
(18 to 17 for those who see the report section). The budgets are exact so that a new query shows up here; none
grows with rows.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from casework.models import Reflection, SmallGroup, SmallGroupMember
from casework.services.evaluations import meeting_evaluation_submit
from meetings.models import Attendance, AttendanceStatus
from meetings.permissions import get_meeting_for, meeting_access
from teacherleaders.selectors.leader_plg import meeting_panel as leader_notes_panel
from tests.casework.conftest import make_case
from tests.factories import MembershipFactory, UserFactory
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db

ANSWER = {"went_well": "The questions.", "do_better": "Start on time."}

# Persona: queries during the meeting, and the evening after it once the report is final.
BUDGETS = {
    "participant": (17, 17),
    "teacher_leader": (17, 18),
    "development_team": (17, 18),
    "team_leader": (14, 15),
    "school_admin": (15, 16),
    "expert": (12, 13),
}


def _url(meeting) -> str:
    return reverse("meetings:meeting", args=[meeting.pk])


def _queries(client, url: str) -> int:
    """Count a second GET, so that per-session caches filled by the first are not counted."""
    client.get(url)
    return count_queries(client, url)


def _grow(session, teacher_leader, count: int = 6) -> None:
    """More members with submitted cases, seats, attendance, reflections and evaluations."""
    group = SmallGroup.objects.create(
        meeting=session.meeting, number=3, leader=session.members[5], case=None
    )
    for index in range(count):
        user = UserFactory(email=f"grow{index}@lyceum.example", name=f"Grow {index}")
        MembershipFactory(community=session.meeting.community, user=user, is_participant=True)
        make_case(session.meeting, user, f"Extra case {index}")
        SmallGroupMember.objects.create(group=group, meeting=session.meeting, member=user)
        Attendance.objects.create(
            meeting=session.meeting,
            member=user,
            status=AttendanceStatus.PRESENT,
            recorded_by=teacher_leader,
        )
        Reflection.objects.create(
            meeting=session.meeting, author=user, learned=f"Learned {index}", shared=True
        )


@pytest.mark.parametrize("persona", sorted(BUDGETS))
def test_meeting_page_budget_during_the_meeting(client_as, in_the_meeting, persona) -> None:
    url = _url(in_the_meeting.meeting)
    assert _queries(client_as(persona), url) == BUDGETS[persona][0]


@pytest.mark.parametrize("persona", sorted(BUDGETS))
def test_meeting_page_budget_after_the_meeting(client_as, noted, final, persona) -> None:
    url = _url(noted.meeting)
    assert _queries(client_as(persona), url) == BUDGETS[persona][1]


@pytest.mark.parametrize("persona", sorted(BUDGETS))
def test_meeting_page_queries_do_not_grow_with_cases_groups_and_answers(
    client_as, noted, final, teacher_leader, persona
) -> None:
    client = client_as(persona)
    url = _url(noted.meeting)
    before = _queries(client, url)
    _grow(noted, teacher_leader)
    for member in noted.members[:4]:
        meeting_evaluation_submit(meeting=noted.meeting, member=member, data=ANSWER)

    assert _queries(client, url) == before


def test_an_ordinary_plg_meeting_pays_nothing_for_the_teacher_leaders_notes(
    in_the_meeting, teacher_leader, django_assert_num_queries
) -> None:
    meeting = get_meeting_for(teacher_leader, in_the_meeting.meeting.pk)
    access = meeting_access(teacher_leader, meeting)

    with django_assert_num_queries(0):
        assert leader_notes_panel(meeting, teacher_leader, access) == {}
