"""The phase-6 report's services: compiling from the notes, saving, making final, discussing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from casework.models import (
    MeetingReport,
    ReportStatus,
)
from casework.services.reports import (
    ReportConflict,
    report_compile,
    report_finalise,
    report_mark_discussed,
    report_save,
)
from meetings.models import ChangeKind, MeetingChange, MeetingStatus
from tests.casework.report_notes import (
    REFLECTION_MARKER,
    report_text,
)


@pytest.fixture(autouse=True)
def english():
    """Refusals are matched in English; the compiled report itself is in the school's language."""
    with translation.override("en"):
        yield


# Compiling ----------------------------------------------------------------------------------


def test_compiled_draft_counts_and_names_who_was_present(draft, noted) -> None:
    assert draft.status == ReportStatus.DRAFT
    assert draft.present.startswith("8 ")
    for name in ["Pia Participant", "Dana Devteam", "Dirk Devteam", "Member 0", "Member 4"]:
        assert name in draft.present
    assert "Member 5" not in draft.present  # recorded nowhere: not present


def test_compiled_draft_names_cases_by_title_per_group(draft, noted) -> None:
    assert "1: Restless class after the break" in draft.cases
    assert "2: Parents who e-mail at night" in draft.cases
    assert "1: Restless class after the break" in draft.insights


def test_compiled_draft_holds_no_case_text_or_presenter(draft, noted) -> None:
    text = report_text(draft)

    assert "SITUATION of" not in text
    assert "QUESTION of" not in text
    assert "tried things" not in text
    assert "A draft nobody else reads" not in text
    assert "Pia Participant" not in draft.cases


def test_compiled_draft_holds_questions_insights_scores_steps_and_evaluation(draft) -> None:
    for marker in [
        "How do I calm the class?",
        "REFORMULATED-ONE",
        "INSIGHT-ONE",
        "GROUP-THEME-ONE",
    ]:
        assert marker in draft.insights
    assert "6" in draft.scores and "8" in draft.scores
    assert "STEP-HIGHER-ONE" in draft.scores
    assert "FIRST-STEP-ONE" in draft.first_steps
    assert "FIRST-STEP-TWO" in draft.first_steps
    assert "USABLE-ONE" in draft.first_steps
    for marker in ["CLOSING-ROUND", "WENT-WELL", "DO-BETTER", "NEXT-THEME"]:
        assert marker in draft.evaluation
    assert "2026-11-10" not in draft.evaluation  # the date reads as a date
    assert "2026" in draft.evaluation


def test_compiled_draft_leaves_out_learning_yield_and_phase_2_notes(draft) -> None:
    text = report_text(draft)

    assert "PERSONAL-YIELD" not in text
    assert "QUESTIONS-ASKED-ONE" not in text
    assert "ADVICE-ONE" not in text


def test_compiled_draft_never_holds_a_reflection(draft) -> None:
    assert REFLECTION_MARKER not in report_text(draft)


def test_compile_without_notes_says_nothing_was_noted(after_the_meeting, teacher_leader) -> None:
    report = report_compile(meeting=after_the_meeting.meeting, actor=teacher_leader)

    assert report.scores
    assert report.evaluation


def test_report_cannot_be_compiled_before_the_meeting_started(
    session, development_team, teacher_leader
) -> None:
    with pytest.raises(ValidationError, match="started"):
        report_compile(meeting=session.meeting, actor=teacher_leader)
    assert not MeetingReport.objects.exists()


@pytest.mark.parametrize("name", ["participant", "team_leader", "school_admin", "expert"])
def test_only_preparers_and_teacher_leaders_compile(noted, persona_user, name) -> None:
    with pytest.raises(ValidationError):
        report_compile(meeting=noted.meeting, actor=persona_user(name))
    assert not MeetingReport.objects.exists()


def test_compiling_again_replaces_the_edited_text(draft, noted, teacher_leader) -> None:
    report_save(
        report=draft, actor=teacher_leader, data={"cases": "EDITED"}, base_version=draft.version
    )

    again = report_compile(meeting=noted.meeting, actor=teacher_leader)

    assert again.pk == draft.pk
    assert again.version == 3
    assert "Restless class after the break" in again.cases


def test_final_report_is_not_compiled_again(draft, noted, development_team) -> None:
    report_finalise(report=draft, actor=development_team)

    with pytest.raises(ValidationError, match="final"):
        report_compile(meeting=noted.meeting, actor=development_team)


# Saving -------------------------------------------------------------------------------------


def test_save_stores_sections_and_raises_the_version(draft, development_team) -> None:
    saved = report_save(
        report=draft,
        actor=development_team,
        data={**{name: "x" for name in MeetingReport.SECTIONS}, "evaluation": " Good. "},
        base_version=1,
    )

    assert saved.version == 2
    assert saved.evaluation == "Good."
    assert saved.updated_by == development_team


def test_save_from_an_older_version_is_refused_with_the_current_text(
    draft, noted, development_team
) -> None:
    report_save(report=draft, actor=noted.second_dev, data={"evaluation": "THEIRS"}, base_version=1)

    with pytest.raises(ReportConflict) as raised:
        report_save(
            report=draft, actor=development_team, data={"evaluation": "MINE"}, base_version=1
        )

    assert raised.value.current.evaluation == "THEIRS"
    assert raised.value.current.version == 2
    assert "Dirk Devteam" in raised.value.messages[0]
    assert MeetingReport.objects.get().evaluation == "THEIRS"


def test_save_refuses_a_section_that_is_too_long(draft, development_team) -> None:
    with pytest.raises(ValidationError) as raised:
        report_save(
            report=draft, actor=development_team, data={"cases": "x" * 20_001}, base_version=1
        )

    assert "cases" in raised.value.error_dict
    assert MeetingReport.objects.get().version == 1


def test_save_of_a_final_report_is_refused(draft, development_team) -> None:
    report_finalise(report=draft, actor=development_team)

    with pytest.raises(ValidationError, match="final"):
        report_save(report=draft, actor=development_team, data={"cases": "x"}, base_version=1)


def test_participant_cannot_save_the_report(draft, participant) -> None:
    with pytest.raises(ValidationError):
        report_save(report=draft, actor=participant, data={"cases": "x"}, base_version=1)
    assert "x" != MeetingReport.objects.get().cases


# Making final -------------------------------------------------------------------------------


def test_finalise_makes_the_report_final_and_the_meeting_reported(
    draft, noted, development_team
) -> None:
    report = report_finalise(report=draft, actor=development_team, base_version=1)

    assert report.is_final
    assert report.finalised_by == development_team
    assert report.finalised_at is not None
    noted.meeting.refresh_from_db()
    assert noted.meeting.status == MeetingStatus.REPORTED
    change = MeetingChange.objects.get(meeting=noted.meeting, kind=ChangeKind.STATUS)
    assert change.data["to"] == "reported"
    assert change.actor == development_team


def test_finalise_from_an_older_version_is_refused(draft, noted, development_team) -> None:
    report_save(report=draft, actor=noted.second_dev, data={"cases": "NEW"}, base_version=1)

    with pytest.raises(ValidationError, match="saved again"):
        report_finalise(report=draft, actor=development_team, base_version=1)
    assert not MeetingReport.objects.get().is_final


def test_finalise_twice_is_refused_and_records_history_once(
    draft, noted, development_team, teacher_leader
) -> None:
    report_finalise(report=draft, actor=development_team)

    with pytest.raises(ValidationError, match="already final"):
        report_finalise(report=draft, actor=teacher_leader)
    assert MeetingChange.objects.filter(meeting=noted.meeting, kind=ChangeKind.STATUS).count() == 1


def test_participant_cannot_make_the_report_final(draft, participant) -> None:
    with pytest.raises(ValidationError):
        report_finalise(report=draft, actor=participant)
    assert not MeetingReport.objects.get().is_final


# Discussing at the team meeting -------------------------------------------------------------


def test_team_leader_marks_a_final_report_discussed(draft, development_team, team_leader) -> None:
    report_finalise(report=draft, actor=development_team)

    report = report_mark_discussed(report=draft, actor=team_leader)

    stored = MeetingReport.objects.get()
    assert stored.discussed_by == team_leader
    assert stored.discussed_at == report.discussed_at


def test_draft_cannot_be_marked_discussed(draft, team_leader) -> None:
    with pytest.raises(ValidationError):
        report_mark_discussed(report=draft, actor=team_leader)
    assert MeetingReport.objects.get().discussed_at is None


def test_report_is_marked_discussed_once(draft, development_team, team_leader) -> None:
    report_finalise(report=draft, actor=development_team)
    report_mark_discussed(report=draft, actor=team_leader)

    with pytest.raises(ValidationError, match="already"):
        report_mark_discussed(report=draft, actor=team_leader)


@pytest.mark.parametrize("name", ["teacher_leader", "school_admin", "participant"])
def test_only_team_leaders_mark_reports_discussed(
    draft, development_team, persona_user, name
) -> None:
    report_finalise(report=draft, actor=development_team)

    with pytest.raises(ValidationError):
        report_mark_discussed(report=draft, actor=persona_user(name))
    assert MeetingReport.objects.get().discussed_at is None
