"""Preparing a meeting, at the service and selector level: preparers and their hours, phase 0
and its materials, the agenda, meeting 1's checklist, and the automatic move to "prepared"."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from meetings.models import (
    AgendaItem,
    ChangeKind,
    ChecklistItem,
    ChecklistTick,
    IntroductionKind,
    MeetingChange,
    MeetingMaterial,
    MeetingPreparer,
    MeetingStatus,
    Theme,
    ThemeIntroduction,
)
from meetings.phases import Phase, default_minutes
from meetings.selectors import preparation as selectors
from meetings.services import meeting_move
from meetings.services import preparation as services
from tests.factories import MembershipFactory, UserFactory
from tests.meetings.conftest import AMSTERDAM

MB = 1024 * 1024


@pytest.fixture
def english():
    """Messages in English: the Dutch catalogue for new strings is filled in afterwards."""
    with translation.override("en"):
        yield


@pytest.fixture
def dev_two(world):
    """A second development-team member of world.community."""
    user = UserFactory(email="daan@lyceum.example", name="Daan Devteam")
    MembershipFactory(
        community=world.community, user=user, is_participant=True, is_development_team=True
    )
    return user


@pytest.fixture
def meeting(meetings):
    return meetings[2]


@pytest.fixture
def prepared_by(meeting, teacher_leader, development_team, dev_two):
    """Meeting 3 with its two preparers assigned."""
    services.meeting_preparers_set(
        meeting=meeting, actor=teacher_leader, users=[development_team, dev_two]
    )
    return meeting


def _introduce(meeting, actor, kind=IntroductionKind.DOCUMENTARY, **fields):
    return services.theme_introduction_save(meeting=meeting, actor=actor, kind=kind, **fields)


def _messages(error: ValidationError) -> str:
    return " ".join(error.messages)


# Preparers ----------------------------------------------------------------------------------


def test_two_development_team_members_become_the_preparers(
    meeting, teacher_leader, development_team, dev_two
) -> None:
    services.meeting_preparers_set(
        meeting=meeting, actor=teacher_leader, users=[development_team, dev_two]
    )

    assert set(meeting.preparers.values_list("user", flat=True)) == {
        development_team.pk,
        dev_two.pk,
    }


def test_assigning_preparers_is_kept_in_the_history_with_their_names(
    prepared_by, teacher_leader
) -> None:
    change = MeetingChange.objects.get(meeting=prepared_by, kind=ChangeKind.PREPARERS)

    assert change.actor == teacher_leader
    assert change.data == {"names": ["Daan Devteam", "Dana Devteam"]}


def test_a_participant_who_is_not_in_the_development_team_cannot_prepare(
    meeting, teacher_leader, development_team, dev_two, participant
) -> None:
    with pytest.raises(ValidationError) as error:
        services.meeting_preparers_set(
            meeting=meeting, actor=teacher_leader, users=[development_team, participant]
        )

    assert "Pia Participant" in _messages(error.value)
    assert not meeting.preparers.exists()


def test_a_development_team_member_of_another_plg_cannot_prepare(
    world, meeting, teacher_leader, development_team, dev_two
) -> None:
    stranger = UserFactory(name="Sam Stranger")
    MembershipFactory(community=world.other_community, user=stranger, is_development_team=True)

    with pytest.raises(ValidationError):
        services.meeting_preparers_set(
            meeting=meeting, actor=teacher_leader, users=[development_team, stranger]
        )

    assert not meeting.preparers.exists()


@pytest.mark.parametrize("count", [0, 1, 3])
def test_exactly_two_preparers_are_needed(
    english, world, meeting, teacher_leader, development_team, dev_two, count
) -> None:
    third = UserFactory(name="Derk Devteam")
    MembershipFactory(community=world.community, user=third, is_development_team=True)

    with pytest.raises(ValidationError) as error:
        services.meeting_preparers_set(
            meeting=meeting, actor=teacher_leader, users=[development_team, dev_two, third][:count]
        )

    assert "exactly two" in _messages(error.value)


def test_the_same_person_twice_is_not_two_preparers(
    meeting, teacher_leader, development_team, dev_two
) -> None:
    with pytest.raises(ValidationError):
        services.meeting_preparers_set(
            meeting=meeting, actor=teacher_leader, users=[development_team, development_team]
        )


def test_a_plg_with_fewer_than_two_development_team_members_is_told_so(
    english, meeting, teacher_leader, development_team
) -> None:
    with pytest.raises(ValidationError) as error:
        services.meeting_preparers_set(
            meeting=meeting, actor=teacher_leader, users=[development_team]
        )

    assert error.value.code == "too_few_candidates"
    assert "fewer than two" in _messages(error.value)


def test_a_preparer_who_stays_keeps_their_hours(
    world, prepared_by, teacher_leader, development_team, dev_two
) -> None:
    services.preparer_hours_set(meeting=prepared_by, actor=development_team, hours="3.5")
    newcomer = UserFactory(name="Noor Nieuw")
    MembershipFactory(community=world.community, user=newcomer, is_development_team=True)

    services.meeting_preparers_set(
        meeting=prepared_by, actor=teacher_leader, users=[development_team, newcomer]
    )

    rows = {row.user_id: row.hours for row in prepared_by.preparers.all()}
    assert rows == {development_team.pk: Decimal("3.5"), newcomer.pk: None}


@pytest.mark.parametrize("status", [MeetingStatus.HELD, MeetingStatus.REPORTED])
def test_the_preparers_of_a_held_meeting_keep_their_place_and_hours(
    world, prepared_by, teacher_leader, development_team, dev_two, status
) -> None:
    services.preparer_hours_set(meeting=prepared_by, actor=dev_two, hours="5")
    prepared_by.status = status
    prepared_by.save()
    newcomer = UserFactory(name="Noor Nieuw")
    MembershipFactory(community=world.community, user=newcomer, is_development_team=True)

    with pytest.raises(ValidationError) as error:
        services.meeting_preparers_set(
            meeting=prepared_by, actor=teacher_leader, users=[development_team, newcomer]
        )

    assert error.value.code == "held"
    assert prepared_by.preparers.get(user=dev_two).hours == Decimal("5")


def test_saving_the_same_preparers_again_adds_no_history(
    prepared_by, teacher_leader, development_team, dev_two
) -> None:
    services.meeting_preparers_set(
        meeting=prepared_by, actor=teacher_leader, users=[dev_two, development_team]
    )

    assert MeetingChange.objects.filter(meeting=prepared_by, kind=ChangeKind.PREPARERS).count() == 1


# Preparation hours --------------------------------------------------------------------------


@pytest.mark.parametrize("hours", ["0", "2.5", "40", Decimal("4.0"), 3])
def test_a_preparer_logs_their_own_hours(prepared_by, development_team, hours) -> None:
    services.preparer_hours_set(meeting=prepared_by, actor=development_team, hours=hours)

    row = MeetingPreparer.objects.get(meeting=prepared_by, user=development_team)
    assert row.hours == Decimal(str(hours))


@pytest.mark.parametrize("hours", ["-0.5", "40.5", "2.25", "abc", "NaN", "Infinity", ""])
def test_preparation_hours_outside_0_to_40_in_half_hours_are_refused(
    prepared_by, development_team, hours
) -> None:
    with pytest.raises(ValidationError):
        services.preparer_hours_set(meeting=prepared_by, actor=development_team, hours=hours)

    assert MeetingPreparer.objects.get(meeting=prepared_by, user=development_team).hours is None


def test_someone_else_cannot_log_preparation_hours(prepared_by, teacher_leader) -> None:
    with pytest.raises(ValidationError) as error:
        services.preparer_hours_set(meeting=prepared_by, actor=teacher_leader, hours="2")

    assert error.value.code == "not_preparer"
    assert not MeetingPreparer.objects.filter(hours__isnull=False).exists()


# Phase 0 ------------------------------------------------------------------------------------


def test_a_guest_speaker_needs_a_name_and_an_organisation(meeting, teacher_leader) -> None:
    with pytest.raises(ValidationError) as error:
        _introduce(meeting, teacher_leader, IntroductionKind.GUEST_SPEAKER, title="Pesten")

    assert set(error.value.error_dict) == {"speaker_name", "speaker_organisation"}
    assert not ThemeIntroduction.objects.exists()


def test_a_guest_speaker_with_name_and_organisation_is_saved(meeting, teacher_leader) -> None:
    introduction = _introduce(
        meeting,
        teacher_leader,
        IntroductionKind.GUEST_SPEAKER,
        speaker_name="Dr. Jansen",
        speaker_organisation="Hogeschool Utrecht",
    )

    assert introduction.speaker_organisation == "Hogeschool Utrecht"
    assert introduction.updated_by == teacher_leader


def test_saving_phase_0_again_changes_the_one_introduction(meeting, teacher_leader) -> None:
    _introduce(meeting, teacher_leader, title="Eerste idee")
    _introduce(meeting, teacher_leader, IntroductionKind.ARTICLE, title="Beter idee")

    assert ThemeIntroduction.objects.get(meeting=meeting).title == "Beter idee"


def test_an_unknown_introduction_form_is_refused(meeting, teacher_leader) -> None:
    with pytest.raises(ValidationError) as error:
        _introduce(meeting, teacher_leader, "podcast")

    assert "kind" in error.value.error_dict


# Status -------------------------------------------------------------------------------------


def test_two_preparers_and_an_introduction_make_a_meeting_prepared(
    prepared_by, development_team
) -> None:
    _introduce(prepared_by, development_team)

    prepared_by.refresh_from_db()
    assert prepared_by.status == MeetingStatus.PREPARED


def test_the_introduction_first_then_the_preparers_also_makes_it_prepared(
    meeting, teacher_leader, development_team, dev_two
) -> None:
    _introduce(meeting, teacher_leader)
    services.meeting_preparers_set(
        meeting=meeting, actor=teacher_leader, users=[development_team, dev_two]
    )

    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PREPARED


def test_preparers_alone_leave_the_meeting_planned(prepared_by) -> None:
    prepared_by.refresh_from_db()

    assert prepared_by.status == MeetingStatus.PLANNED


def test_an_introduction_alone_leaves_the_meeting_planned(meeting, teacher_leader) -> None:
    _introduce(meeting, teacher_leader)

    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED


def test_becoming_prepared_is_kept_in_the_history_once(prepared_by, development_team) -> None:
    _introduce(prepared_by, development_team)
    _introduce(prepared_by, development_team, title="Nog een keer")

    changes = MeetingChange.objects.filter(meeting=prepared_by, kind=ChangeKind.STATUS)
    assert [change.data for change in changes] == [{"from": "planned", "to": "prepared"}]
    assert changes[0].actor == development_team


@pytest.mark.parametrize("status", [MeetingStatus.HELD, MeetingStatus.REPORTED])
def test_a_held_or_reported_meeting_never_moves_back_to_prepared(
    prepared_by, development_team, status
) -> None:
    type(prepared_by).objects.filter(pk=prepared_by.pk).update(status=status)

    _introduce(prepared_by, development_team)

    prepared_by.refresh_from_db()
    assert prepared_by.status == status
    assert not MeetingChange.objects.filter(meeting=prepared_by, kind=ChangeKind.STATUS).exists()


# Materials ----------------------------------------------------------------------------------


def _file(name="artikel.pdf", size=100):
    return SimpleUploadedFile(name, b"%" * size, content_type="application/pdf")


def test_a_link_is_added_as_material(meeting, development_team) -> None:
    material = services.meeting_material_add(
        meeting=meeting, actor=development_team, title="Artikel", url="https://example.org/a"
    )

    assert material.url == "https://example.org/a"
    assert material.added_by == development_team


def test_a_file_is_added_as_material_in_its_own_folder(meeting, development_team) -> None:
    material = services.meeting_material_add(
        meeting=meeting, actor=development_team, title="Artikel", file=_file()
    )

    assert material.file.name.startswith(f"meetings/{meeting.pk}/")
    assert material.file.name.endswith("/artikel.pdf")
    assert default_storage.exists(material.file.name)


@pytest.mark.parametrize(
    "extension", ["pdf", "docx", "PPTX", "xlsx", "odt", "odp", "ods", "txt", "jpeg", "png", "mp4"]
)
def test_common_document_image_and_video_files_are_accepted(
    meeting, development_team, extension
) -> None:
    services.meeting_material_add(
        meeting=meeting, actor=development_team, title="Stuk", file=_file(f"stuk.{extension}")
    )

    assert MeetingMaterial.objects.count() == 1


@pytest.mark.parametrize(
    "name", ["script.exe", "page.html", "image.svg", "noextension", "a.pdf.js"]
)
def test_other_file_types_are_refused(meeting, development_team, name) -> None:
    with pytest.raises(ValidationError) as error:
        services.meeting_material_add(
            meeting=meeting, actor=development_team, title="Stuk", file=_file(name)
        )

    assert "file" in error.value.error_dict
    assert not MeetingMaterial.objects.exists()


def test_a_file_over_10_mb_is_refused(meeting, development_team) -> None:
    with pytest.raises(ValidationError) as error:
        services.meeting_material_add(
            meeting=meeting, actor=development_team, title="Film", file=_file(size=10 * MB + 1)
        )

    assert "10 MB" in _messages(error.value)


def test_a_file_of_exactly_10_mb_is_accepted(meeting, development_team) -> None:
    services.meeting_material_add(
        meeting=meeting, actor=development_team, title="Film", file=_file(size=10 * MB)
    )

    assert MeetingMaterial.objects.count() == 1


def test_an_empty_file_is_refused(meeting, development_team) -> None:
    with pytest.raises(ValidationError):
        services.meeting_material_add(
            meeting=meeting, actor=development_team, title="Leeg", file=_file(size=0)
        )


def test_a_material_is_a_link_or_a_file_not_both(meeting, development_team) -> None:
    with pytest.raises(ValidationError) as error:
        services.meeting_material_add(
            meeting=meeting,
            actor=development_team,
            title="Beide",
            url="https://example.org",
            file=_file(),
        )

    assert "__all__" in error.value.error_dict


def test_a_material_without_link_or_file_is_refused(meeting, development_team) -> None:
    with pytest.raises(ValidationError) as error:
        services.meeting_material_add(meeting=meeting, actor=development_team, title="Niets")

    assert "__all__" in error.value.error_dict


def test_a_material_needs_a_title(meeting, development_team) -> None:
    with pytest.raises(ValidationError) as error:
        services.meeting_material_add(
            meeting=meeting, actor=development_team, title="  ", url="https://example.org"
        )

    assert "title" in error.value.error_dict


def test_removing_a_material_also_removes_its_file(
    meeting, development_team, django_capture_on_commit_callbacks
) -> None:
    material = services.meeting_material_add(
        meeting=meeting, actor=development_team, title="Artikel", file=_file()
    )
    name = material.file.name

    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_material_remove(material=material, actor=development_team)

    assert not MeetingMaterial.objects.exists()
    assert not default_storage.exists(name)


# Agenda -------------------------------------------------------------------------------------


def _boxes(*values: int) -> dict[Phase, int]:
    return dict(zip(Phase, values, strict=True))


def test_an_unsaved_agenda_shows_the_default_time_boxes(meeting) -> None:
    agenda = selectors.meeting_agenda(meeting)

    assert not agenda.saved
    assert [row.minutes for row in agenda.rows] == list(default_minutes(150).values())
    assert agenda.adds_up


def test_the_agenda_gives_clock_times_from_the_start_with_a_running_total(meeting) -> None:
    agenda = selectors.meeting_agenda(meeting)

    first, second, last = agenda.rows[0], agenda.rows[1], agenda.rows[-1]
    assert first.starts_at == meeting.starts_at
    assert first.starts_at.astimezone(AMSTERDAM).time() == dt.time(15, 30)
    assert second.starts_at == first.ends_at
    assert last.ends_at == meeting.ends_at


def test_a_valid_agenda_is_saved_with_its_notes(meeting, development_team) -> None:
    services.agenda_save(
        meeting=meeting,
        actor=development_team,
        minutes=_boxes(30, 10, 20, 30, 20, 20, 20),
        notes={Phase.THEME: "  Spreker uit Utrecht "},
    )

    agenda = selectors.meeting_agenda(meeting)
    assert agenda.saved
    assert [row.minutes for row in agenda.rows] == [30, 10, 20, 30, 20, 20, 20]
    assert agenda.rows[0].note == "Spreker uit Utrecht"


def test_saving_the_agenda_again_keeps_one_item_per_phase(meeting, development_team) -> None:
    services.agenda_save(meeting=meeting, actor=development_team, minutes=default_minutes(150))
    services.agenda_save(
        meeting=meeting, actor=development_team, minutes=_boxes(0, 20, 20, 40, 20, 25, 25)
    )

    assert AgendaItem.objects.filter(meeting=meeting).count() == 7
    assert AgendaItem.objects.get(meeting=meeting, phase=Phase.THEME).minutes == 0


def test_time_boxes_that_add_up_to_too_much_say_by_how_much(
    english, meeting, development_team
) -> None:
    with pytest.raises(ValidationError) as error:
        services.agenda_save(
            meeting=meeting, actor=development_team, minutes=_boxes(30, 10, 20, 35, 20, 20, 20)
        )

    assert "155 minutes" in _messages(error.value)
    assert "5 minutes more" in _messages(error.value)
    assert not AgendaItem.objects.exists()


def test_time_boxes_that_fall_short_say_by_how_much(english, meeting, development_team) -> None:
    with pytest.raises(ValidationError) as error:
        services.agenda_save(
            meeting=meeting, actor=development_team, minutes=_boxes(20, 10, 20, 35, 20, 20, 20)
        )

    assert "5 minutes short" in _messages(error.value)


def test_a_negative_time_box_is_refused(english, meeting, development_team) -> None:
    with pytest.raises(ValidationError) as error:
        services.agenda_save(
            meeting=meeting, actor=development_team, minutes=_boxes(-10, 20, 20, 45, 25, 25, 25)
        )

    assert "negative" in _messages(error.value)
    assert not AgendaItem.objects.exists()


def test_a_time_box_longer_than_the_meeting_is_refused(meeting, development_team) -> None:
    with pytest.raises(ValidationError) as error:
        services.agenda_save(
            meeting=meeting, actor=development_team, minutes=_boxes(151, 0, 0, 0, 0, 0, 0)
        )

    assert "151" in _messages(error.value)


@pytest.mark.parametrize("value", [12.5, "10", None, True])
def test_a_time_box_must_be_whole_minutes(meeting, development_team, value) -> None:
    minutes = {**default_minutes(150), Phase.CASE: value}

    with pytest.raises(ValidationError):
        services.agenda_save(meeting=meeting, actor=development_team, minutes=minutes)


def test_a_missing_phase_is_refused(meeting, development_team) -> None:
    minutes = default_minutes(150)
    del minutes[Phase.CLOSING]

    with pytest.raises(ValidationError):
        services.agenda_save(meeting=meeting, actor=development_team, minutes=minutes)


def test_a_note_over_300_characters_is_refused(meeting, development_team) -> None:
    with pytest.raises(ValidationError):
        services.agenda_save(
            meeting=meeting,
            actor=development_team,
            minutes=default_minutes(150),
            notes={Phase.CASE: "x" * 301},
        )


def test_a_saved_agenda_no_longer_adds_up_after_the_meeting_gets_shorter(
    english, meeting, teacher_leader, development_team
) -> None:
    services.agenda_save(meeting=meeting, actor=development_team, minutes=default_minutes(150))
    meeting = meeting_move(
        meeting=meeting,
        actor=teacher_leader,
        starts_at=meeting.starts_at,
        duration=dt.timedelta(minutes=120),
        location=meeting.location,
    )

    agenda = selectors.meeting_agenda(meeting)
    assert not agenda.adds_up
    assert "30 minutes more" in agenda.problem


def test_an_unsaved_agenda_follows_a_new_meeting_length(meeting, teacher_leader) -> None:
    meeting = meeting_move(
        meeting=meeting,
        actor=teacher_leader,
        starts_at=meeting.starts_at,
        duration=dt.timedelta(minutes=120),
        location=meeting.location,
    )

    agenda = selectors.meeting_agenda(meeting)
    assert agenda.adds_up
    assert agenda.given == 120


# Meeting 1's checklist and meeting 6's overview ---------------------------------------------


def test_ticking_a_checklist_item_records_who_and_when(meetings, teacher_leader) -> None:
    services.checklist_item_set(
        meeting=meetings[0], actor=teacher_leader, item=ChecklistItem.EXPLAIN_PLG, done=True
    )

    tick = ChecklistTick.objects.get(meeting=meetings[0])
    assert tick.done_by == teacher_leader
    assert tick.done_at == dt.datetime(2026, 8, 1, 12, 0, tzinfo=AMSTERDAM)


def test_ticking_twice_keeps_the_first_tick(meetings, teacher_leader, school_admin) -> None:
    for actor in (teacher_leader, school_admin):
        services.checklist_item_set(
            meeting=meetings[0], actor=actor, item=ChecklistItem.EXPLAIN_PLG, done=True
        )

    assert ChecklistTick.objects.get(meeting=meetings[0]).done_by == teacher_leader


def test_unticking_a_checklist_item_removes_the_tick(meetings, teacher_leader) -> None:
    for done in (True, False):
        services.checklist_item_set(
            meeting=meetings[0], actor=teacher_leader, item=ChecklistItem.FIX_DATES, done=done
        )

    assert not ChecklistTick.objects.exists()


def test_only_meeting_1_has_a_checklist(meetings, teacher_leader) -> None:
    with pytest.raises(ValidationError):
        services.checklist_item_set(
            meeting=meetings[1], actor=teacher_leader, item=ChecklistItem.FIX_DATES, done=True
        )

    assert not ChecklistTick.objects.exists()


def test_an_unknown_checklist_item_is_refused(meetings, teacher_leader) -> None:
    with pytest.raises(ValidationError):
        services.checklist_item_set(
            meeting=meetings[0], actor=teacher_leader, item="make_coffee", done=True
        )


def test_the_checklist_counts_meetings_2_to_5_with_a_theme(english, world, meetings) -> None:
    theme = Theme.objects.create(school=world.school, title="Sociale veiligheid")
    for meeting in meetings[1:4]:
        meeting.theme = theme
        meeting.save()

    rows = {row.item: row for row in selectors.meeting_checklist(meetings[0])}

    assert rows[ChecklistItem.FIX_THEMES].hint == "3 of 4 meetings 2-5 have a theme."
    assert rows[ChecklistItem.EXPLAIN_PLG].hint == ""


def test_the_checklist_lists_the_dates_of_meetings_2_to_5(meetings) -> None:
    rows = {row.item: row for row in selectors.meeting_checklist(meetings[0])}

    hint = rows[ChecklistItem.FIX_DATES].hint
    for meeting in meetings[1:5]:
        assert str(meeting.starts_at.astimezone(AMSTERDAM).day) in hint
