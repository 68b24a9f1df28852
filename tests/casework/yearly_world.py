"""A small PLG year for the yearly-report tests, with every number worked out by hand.

world.community ("Feedback") has five group members: Tom (teacher leader), Dana
(development team), Pia, Anna and Bram (participants); Eva is a guest expert and never counts.
Meetings are 2.5 hours long.

| meeting | status   | theme               | moved        | present               | absent with approval | without |
|---------|----------|---------------------|--------------|-----------------------|----------------------|---------|
| 1       | held     | (starting teachers) | no           | Tom, Dana, Pia, Anna  | Bram (request ok)    | -       |
| 2       | held     | Feedback that lands | yes (date)   | Tom, Dana, Anna, Bram | -                    | Pia (request declined) |
| 3       | reported | Bullying            | no           | all five              | -                    | -       |
| 4       | planned  | -                   | room only    |                       |                      |         |
| 5, 6    | planned  | -                   | no           |                       |                      |         |

Cases (submitted): meeting 2 Pia and Anna, meeting 3 Pia and Dana (Bram's is a draft).
Scores: 6 (Pia) and 8 (Anna) at meeting 2; 7 (Pia) and 6 (Dana) at meeting 3; "n/a" ignored.
First small steps: Pia done, Anna partly (meeting 2); Pia not done, Dana open (meeting 3).
Dana prepared meetings 2 (3 h) and 3 (2.5 h). Meeting 2's report is final; meeting 3's a draft.
Pia wrote a private reflection and Anna a shared one, both carrying REFLECTION_MARKER.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from casework.models import (
    CaseStatus,
    MeetingReport,
    NextStep,
    NoteField,
    PhaseNote,
    Reflection,
    ReportStatus,
    SmallGroup,
    StepStatus,
    WorkCase,
)
from meetings.models import (
    AbsenceRequest,
    AbsenceStatus,
    Attendance,
    AttendanceStatus,
    ChangeKind,
    Meeting,
    MeetingChange,
    MeetingPreparer,
    MeetingStatus,
    Theme,
)
from tests.factories import MembershipFactory, UserFactory

REFLECTION_MARKER = "YEARLY-REFLECTION-MARKER"
ABSENCE_REASON = "YEARLY-ABSENCE-REASON"
CASE_TEXT = "YEARLY-CASE-SITUATION"
STEP_WORDS = "YEARLY-STEP-WORDS"
HIGHLIGHT = "HIGHLIGHT: the advice round worked well"
DRAFT_EVALUATION = "DRAFT-EVALUATION-NOT-FINAL"


@dataclass
class Year:
    meetings: list[Meeting]
    tom: object
    dana: object
    pia: object
    anna: object
    bram: object


def _case(meeting: Meeting, presenter, title: str, *, submitted: bool = True) -> WorkCase:
    return WorkCase.objects.create(
        meeting=meeting,
        presenter=presenter,
        title=title,
        situation=CASE_TEXT,
        question="QUESTION",
        status=CaseStatus.SUBMITTED if submitted else CaseStatus.DRAFT,
        submitted_at=timezone.now() if submitted else None,
    )


def _group(meeting: Meeting, number: int, case: WorkCase | None, score: str) -> SmallGroup:
    group = SmallGroup.objects.create(meeting=meeting, number=number, case=case)
    PhaseNote.objects.create(meeting=meeting, group=group, field=NoteField.SCORE, text=score)
    return group


def _step(group: SmallGroup, presenter, status: str) -> None:
    note = PhaseNote.objects.create(
        meeting=group.meeting, group=group, field=NoteField.FIRST_STEP, text=STEP_WORDS
    )
    NextStep.objects.create(note=note, meeting=group.meeting, presenter=presenter, status=status)


def _attend(meeting: Meeting, recorder, **people_by_status) -> None:
    for status, people in people_by_status.items():
        for person in people:
            Attendance.objects.create(
                meeting=meeting, member=person, status=status, recorded_by=recorder
            )


def build_year(world, meetings, *, tom, dana, pia, expert) -> Year:
    """Fill world.community's year as in the table above (the personas come from conftest)."""
    del expert  # a guest: present in the PLG, absent from every number
    anna = UserFactory(email="anna@lyceum.example", name="Anna Alpha")
    bram = UserFactory(email="bram@lyceum.example", name="Bram Beta")
    for user in (anna, bram):
        MembershipFactory(community=world.community, user=user, is_participant=True)
    school = world.school
    first, second, third, fourth = meetings[:4]
    second.theme = Theme.objects.create(school=school, title="Feedback that lands")
    third.theme = Theme.objects.create(school=school, title="Bullying")
    for meeting, status in ((first, "held"), (second, "held"), (third, "reported")):
        meeting.status = MeetingStatus(status)
        meeting.save(update_fields=["status", "theme"])

    moved_from = second.starts_at.isoformat()
    moved_to = (second.starts_at + dt.timedelta(days=7)).isoformat()
    MeetingChange.objects.create(
        meeting=second, kind=ChangeKind.MOVED, data={"from": moved_from, "to": moved_to}
    )
    MeetingChange.objects.create(
        meeting=fourth,
        kind=ChangeKind.MOVED,
        data={
            "from": fourth.starts_at.isoformat(),
            "to": fourth.starts_at.isoformat(),
            "location_from": "B1.04",
            "location_to": "A0.01",
        },
    )

    AbsenceRequest.objects.create(
        meeting=first, member=bram, reason=ABSENCE_REASON, status=AbsenceStatus.APPROVED
    )
    AbsenceRequest.objects.create(
        meeting=second, member=pia, reason=ABSENCE_REASON, status=AbsenceStatus.DECLINED
    )
    present, excused, absent = (
        AttendanceStatus.PRESENT,
        AttendanceStatus.EXCUSED,
        AttendanceStatus.ABSENT,
    )
    _attend(first, tom, **{present: [tom, dana, pia, anna], excused: [bram]})
    _attend(second, tom, **{present: [tom, dana, anna, bram], absent: [pia]})
    _attend(third, tom, **{present: [tom, dana, pia, anna, bram]})

    MeetingPreparer.objects.create(meeting=second, user=dana, hours=Decimal("3"))
    MeetingPreparer.objects.create(meeting=third, user=dana, hours=Decimal("2.5"))

    pia_two = _group(second, 1, _case(second, pia, "Restless class"), "6")
    anna_two = _group(second, 2, _case(second, anna, "Late homework"), "8")
    pia_three = _group(third, 1, _case(third, pia, "Restless class again"), "7")
    dana_three = _group(third, 2, _case(third, dana, "Group work"), "6")
    _group(third, 3, None, "n/a")
    _case(third, bram, "Bram's draft", submitted=False)
    _step(pia_two, pia, StepStatus.DONE)
    _step(anna_two, anna, StepStatus.PARTLY)
    _step(pia_three, pia, StepStatus.NOT_DONE)
    _step(dana_three, dana, StepStatus.OPEN)

    MeetingReport.objects.create(
        meeting=second,
        status=ReportStatus.FINAL,
        finalised_at=timezone.now(),
        evaluation=HIGHLIGHT,
    )
    MeetingReport.objects.create(meeting=third, evaluation=DRAFT_EVALUATION)

    Reflection.objects.create(
        meeting=second, author=pia, learned=f"{REFLECTION_MARKER} private", bothers="x"
    )
    Reflection.objects.create(
        meeting=third, author=anna, learned=f"{REFLECTION_MARKER} shared", shared=True
    )
    return Year(meetings=meetings, tom=tom, dana=dana, pia=pia, anna=anna, bram=bram)
