"""Services of the teacher-leader page: training, the yearly self-reflection, responsibilities."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from teacherleaders.models import (
    ResponsibilityCheck,
    ResponsibilityStatus,
    SelfReflection,
    Training,
    TrainingStatus,
)
from teacherleaders.services.profile import (
    responsibilities_save,
    self_reflection_save,
    training_create,
    training_delete,
    training_update,
)
from tests.factories import SchoolYearFactory

pytestmark = pytest.mark.usefixtures("in_the_year")


def _messages(error: ValidationError, field: str) -> list[str]:
    return error.value.message_dict[field]


# Training


def test_training_create_records_the_course(world, teacher_leader):
    training = training_create(
        user=teacher_leader,
        school=world.school,
        data={"course": "  Leading a PLG  ", "year": 2025, "status": TrainingStatus.COMPLETED},
    )
    assert (training.course, training.year, training.status) == (
        "Leading a PLG",
        2025,
        TrainingStatus.COMPLETED,
    )
    assert training.user == teacher_leader and training.school == world.school


def test_training_needs_a_course_name(world, teacher_leader):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        training_create(
            user=teacher_leader, school=world.school, data={"course": " ", "year": 2026}
        )
    assert _messages(error, "course") == ["Give the name of the course."]
    assert not Training.objects.exists()


@pytest.mark.parametrize("year", ["twenty", None, 202, 2030])
def test_training_rejects_an_impossible_year(world, teacher_leader, year):
    with pytest.raises(ValidationError) as error:
        training_create(
            user=teacher_leader, school=world.school, data={"course": "Coaching", "year": year}
        )
    assert "year" in error.value.message_dict


def test_a_completed_training_cannot_lie_in_the_future(world, teacher_leader):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        training_create(
            user=teacher_leader,
            school=world.school,
            data={"course": "Coaching", "year": 2027, "status": TrainingStatus.COMPLETED},
        )
    assert _messages(error, "year") == ["A completed course cannot be in a future year."]


def test_training_in_progress_may_run_into_next_year(world, teacher_leader):
    training = training_create(
        user=teacher_leader,
        school=world.school,
        data={"course": "Coaching", "year": 2027, "status": TrainingStatus.IN_PROGRESS},
    )
    assert training.year == 2027


def test_training_rejects_an_unknown_status(world, teacher_leader):
    with pytest.raises(ValidationError) as error:
        training_create(
            user=teacher_leader,
            school=world.school,
            data={"course": "Coaching", "year": 2026, "status": "abandoned"},
        )
    assert "status" in error.value.message_dict


def test_training_update_and_delete(world, teacher_leader):
    training = training_create(
        user=teacher_leader, school=world.school, data={"course": "Coaching", "year": 2026}
    )
    training_update(
        training=training,
        data={"course": "Coaching II", "year": 2026, "status": TrainingStatus.COMPLETED},
    )
    training.refresh_from_db()
    assert (training.course, training.status) == ("Coaching II", TrainingStatus.COMPLETED)
    training_delete(training=training)
    assert not Training.objects.exists()


# Self-reflection

REFLECTION = {
    "style": "persuading",
    "style_fit": "My group is new and needs a clear course.",
    "roles_taken": ["mentor", "resource_provider"],
    "roles_to_grow": ["data_coach"],
    "skills": "Dealing with negativity.",
    "needs": ["intervision"],
    "needs_note": "Once a period.",
    "shared": False,
}


def test_self_reflection_is_private_by_default_and_keeps_glossary_order(world, teacher_leader):
    reflection = self_reflection_save(
        user=teacher_leader,
        school_year=world.school_year,
        data={key: value for key, value in REFLECTION.items() if key != "shared"},
    )
    assert reflection.shared is False
    assert reflection.roles_taken == ["resource_provider", "mentor"]
    assert reflection.style == "persuading"


def test_self_reflection_is_once_a_year_saving_again_edits_it(world, teacher_leader):
    first = self_reflection_save(
        user=teacher_leader, school_year=world.school_year, data=REFLECTION
    )
    again = self_reflection_save(
        user=teacher_leader,
        school_year=world.school_year,
        data={**REFLECTION, "skills": "Courage.", "shared": True},
    )
    assert again.pk == first.pk
    assert SelfReflection.objects.count() == 1
    assert (again.skills, again.shared) == ("Courage.", True)


def test_self_reflection_of_another_year_is_a_new_one(world, teacher_leader):
    self_reflection_save(user=teacher_leader, school_year=world.school_year, data=REFLECTION)
    next_year = SchoolYearFactory(school=world.school, name="2027-2028")
    world.community.school_year = next_year
    world.community.save()
    self_reflection_save(user=teacher_leader, school_year=next_year, data=REFLECTION)
    assert SelfReflection.objects.filter(user=teacher_leader).count() == 2


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("roles_taken", ["mentor", "headmaster"]),
        ("roles_to_grow", ["boss"]),
        ("needs", ["money"]),
        ("style", "laissez-faire"),
        ("skills", "x" * 2001),
    ],
)
def test_self_reflection_rejects_bad_input(world, teacher_leader, field, value):
    with pytest.raises(ValidationError) as error:
        self_reflection_save(
            user=teacher_leader, school_year=world.school_year, data={**REFLECTION, field: value}
        )
    assert field in error.value.message_dict
    assert not SelfReflection.objects.exists()


def test_only_a_teacher_leader_of_that_year_writes_a_self_reflection(world, participant):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        self_reflection_save(user=participant, school_year=world.school_year, data=REFLECTION)
    assert error.value.messages == [
        "Only a teacher leader of a PLG in this school year can do this."
    ]


def test_teacher_leader_of_another_school_cannot_write_for_this_school_year(
    world, other_school_leader
):
    with pytest.raises(ValidationError):
        self_reflection_save(
            user=other_school_leader, school_year=world.school_year, data=REFLECTION
        )


# Responsibilities


def _checklist(**overrides: str) -> dict[str, str]:
    data = {
        f"{item}_{part}": ""
        for item in ["report", "contact", "product", "leader_meetings", "ambassador"]
        for part in ["status", "evidence"]
    }
    data.update({key: ResponsibilityStatus.NOT_STARTED for key in data if key.endswith("status")})
    data.update(overrides)
    return data


def test_responsibilities_save_all_five_with_status_and_evidence(world, teacher_leader):
    checks = responsibilities_save(
        user=teacher_leader,
        school_year=world.school_year,
        data=_checklist(
            report_status=ResponsibilityStatus.DONE,
            report_evidence="Reports of meetings 1 and 2 sent on time.",
            contact_status=ResponsibilityStatus.UNDER_WAY,
        ),
    )
    assert len(checks) == 5
    report = ResponsibilityCheck.objects.get(user=teacher_leader, item="report")
    assert (report.status, report.evidence) == (
        ResponsibilityStatus.DONE,
        "Reports of meetings 1 and 2 sent on time.",
    )


def test_responsibilities_are_once_a_year_saving_again_updates(world, teacher_leader):
    responsibilities_save(user=teacher_leader, school_year=world.school_year, data=_checklist())
    responsibilities_save(
        user=teacher_leader,
        school_year=world.school_year,
        data=_checklist(ambassador_status=ResponsibilityStatus.UNDER_WAY),
    )
    assert ResponsibilityCheck.objects.filter(user=teacher_leader).count() == 5
    assert (
        ResponsibilityCheck.objects.get(user=teacher_leader, item="ambassador").status
        == ResponsibilityStatus.UNDER_WAY
    )


def test_done_needs_a_line_of_evidence(world, teacher_leader):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        responsibilities_save(
            user=teacher_leader,
            school_year=world.school_year,
            data=_checklist(product_status=ResponsibilityStatus.DONE),
        )
    assert _messages(error, "product_evidence") == ["Say in one line what shows that this is done."]
    assert not ResponsibilityCheck.objects.exists()


def test_evidence_is_one_line_of_at_most_300_characters(world, teacher_leader):
    with pytest.raises(ValidationError) as error:
        responsibilities_save(
            user=teacher_leader,
            school_year=world.school_year,
            data=_checklist(contact_evidence="x" * 301),
        )
    assert "contact_evidence" in error.value.message_dict
    checks = responsibilities_save(
        user=teacher_leader,
        school_year=world.school_year,
        data=_checklist(contact_evidence="Mailed\nall members"),
    )
    assert checks[1].evidence == "Mailed all members"


def test_responsibilities_reject_an_unknown_status(world, teacher_leader):
    with pytest.raises(ValidationError) as error:
        responsibilities_save(
            user=teacher_leader,
            school_year=world.school_year,
            data=_checklist(report_status="forgotten"),
        )
    assert "report_status" in error.value.message_dict


def test_only_a_teacher_leader_keeps_a_responsibilities_checklist(world, team_leader):
    with pytest.raises(ValidationError):
        responsibilities_save(user=team_leader, school_year=world.school_year, data=_checklist())
    assert not ResponsibilityCheck.objects.exists()


def test_the_download_holds_every_self_reflection_field_the_form_edits(world, teacher_leader):
    from teacherleaders.exports import self_reflections
    from teacherleaders.forms.profile import SelfReflectionForm
    from teacherleaders.models import SELF_REFLECTION_FIELDS

    SelfReflection.objects.create(
        user=teacher_leader, school_year=world.school_year, style_fit="OWN words"
    )

    (row,) = self_reflections(teacher_leader)
    assert set(SelfReflectionForm().fields) == set(SELF_REFLECTION_FIELDS)
    assert set(row) == {"school_year__name", *SELF_REFLECTION_FIELDS, "updated_at"}
    assert row["style_fit"] == "OWN words"
