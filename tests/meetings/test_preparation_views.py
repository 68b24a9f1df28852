"""Preparing a meeting in the browser: who may open and change what, bad input, file
downloads, the meeting page's preparation sections, the printable pages and query budgets."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.models import (
    AgendaItem,
    ChecklistItem,
    ChecklistTick,
    IntroductionKind,
    Meeting,
    MeetingMaterial,
    MeetingPreparer,
    MeetingStatus,
    ThemeIntroduction,
)
from meetings.phases import Phase, default_minutes
from meetings.services import meeting_move
from meetings.services import preparation as services
from tests.factories import MembershipFactory, UserFactory

OUTSIDERS = ["other_plg_member", "other_school_user"]
SEES = ["participant", "teacher_leader", "development_team", "team_leader", "school_admin",
        "expert", "dev_spare"]  # fmt: skip
SIGNED_IN = SEES + OUTSIDERS
PLANS = {"teacher_leader", "school_admin"}
# development_team is one of the meeting's two preparers; dev_spare is in the development team
# but does not prepare this meeting.
PREPARES = PLANS | {"development_team"}

AGENDA_OK = {f"minutes_{phase.value}": minutes for phase, minutes in default_minutes(150).items()}
INTRODUCTION_OK = {"introduction-kind": "documentary", "introduction-title": "Over pesten"}


@pytest.fixture
def dev_two(world):
    user = UserFactory(email="daan@lyceum.example", name="Daan Devteam")
    MembershipFactory(
        community=world.community, user=user, is_participant=True, is_development_team=True
    )
    return user


@pytest.fixture
def dev_spare(world):
    user = UserFactory(email="dirk@lyceum.example", name="Dirk Devteam")
    MembershipFactory(
        community=world.community, user=user, is_participant=True, is_development_team=True
    )
    return user


@pytest.fixture
def meeting(meetings, teacher_leader, development_team, dev_two, dev_spare):
    """Meeting 3, prepared by Dana (the development_team persona) and Daan."""
    services.meeting_preparers_set(
        meeting=meetings[2], actor=teacher_leader, users=[development_team, dev_two]
    )
    return meetings[2]


def _pdf(name="artikel.pdf", content=b"%PDF-1.4 hello"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def file_material(meeting, development_team):
    return services.meeting_material_add(
        meeting=meeting, actor=development_team, title="Het artikel", file=_pdf()
    )


def _url(name: str, meeting: Meeting, **extra) -> str:
    return reverse(f"meetings:{name}", kwargs={"pk": meeting.pk, **extra})


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _in_english(user):
    user.language = "en"
    user.save(update_fields=["language"])
    return user


# Who may open which page --------------------------------------------------------------------


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_only_planners_open_the_preparers_page(client_as, meeting, persona) -> None:
    response = client_as(persona).get(_url("meeting_preparers", meeting))

    assert response.status_code == (200 if persona in PLANS else 404)


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_only_the_preparer_opens_their_hours_page(client_as, meeting, persona) -> None:
    response = client_as(persona).get(_url("preparation_hours", meeting))

    assert response.status_code == (200 if persona == "development_team" else 404)


@pytest.mark.parametrize("persona", SIGNED_IN)
@pytest.mark.parametrize("page", ["meeting_phase0", "meeting_agenda"])
def test_only_planners_and_preparers_open_the_phase_0_and_agenda_pages(
    client_as, meeting, persona, page
) -> None:
    response = client_as(persona).get(_url(page, meeting))

    assert response.status_code == (200 if persona in PREPARES else 404)


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_everyone_who_sees_the_meeting_opens_the_printable_agenda(
    client_as, meeting, persona
) -> None:
    response = client_as(persona).get(_url("agenda_print", meeting))

    assert response.status_code == (200 if persona in SEES else 404)


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_everyone_who_sees_the_meeting_downloads_its_files(
    client_as, meeting, file_material, persona
) -> None:
    response = client_as(persona).get(_url("material", meeting, material_pk=file_material.pk))

    assert response.status_code == (200 if persona in SEES else 404)


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_every_signed_in_user_opens_the_phase_card(client_as, world, persona) -> None:
    assert client_as(persona).get(reverse("meetings:phase_card")).status_code == 200


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_only_planners_assign_preparers(client_as, meeting, dev_spare, persona) -> None:
    development_team = MeetingPreparer.objects.get(meeting=meeting, user__name="Dana Devteam").user

    response = client_as(persona).post(
        _url("meeting_preparers", meeting), {"users": [development_team.pk, dev_spare.pk]}
    )

    names = set(meeting.preparers.values_list("user__name", flat=True))
    if persona in PLANS:
        assert response.status_code == 302
        assert names == {"Dana Devteam", "Dirk Devteam"}
    else:
        assert response.status_code == 404
        assert names == {"Dana Devteam", "Daan Devteam"}


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_only_the_preparer_logs_preparation_hours(client_as, meeting, persona) -> None:
    response = client_as(persona).post(_url("preparation_hours", meeting), {"hours": "2"})

    logged = MeetingPreparer.objects.filter(meeting=meeting, hours__isnull=False).count()
    assert response.status_code == (302 if persona == "development_team" else 404)
    assert logged == (1 if persona == "development_team" else 0)


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_only_planners_and_preparers_save_phase_0(client_as, meeting, persona) -> None:
    response = client_as(persona).post(_url("meeting_phase0", meeting), INTRODUCTION_OK)

    assert response.status_code == (302 if persona in PREPARES else 404)
    assert ThemeIntroduction.objects.filter(meeting=meeting).exists() == (persona in PREPARES)


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_only_planners_and_preparers_add_materials(client_as, meeting, persona) -> None:
    response = client_as(persona).post(
        _url("material_add", meeting),
        {"material-title": "Artikel", "material-url": "https://example.org/artikel"},
    )

    assert response.status_code == (302 if persona in PREPARES else 404)
    assert MeetingMaterial.objects.filter(meeting=meeting).exists() == (persona in PREPARES)


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_only_planners_and_preparers_remove_materials(
    client_as, meeting, file_material, persona
) -> None:
    response = client_as(persona).post(
        _url("material_remove", meeting, material_pk=file_material.pk)
    )

    assert response.status_code == (302 if persona in PREPARES else 404)
    assert MeetingMaterial.objects.filter(pk=file_material.pk).exists() == (persona not in PREPARES)


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_only_planners_and_preparers_save_the_agenda(client_as, meeting, persona) -> None:
    response = client_as(persona).post(_url("meeting_agenda", meeting), AGENDA_OK)

    assert response.status_code == (302 if persona in PREPARES else 404)
    assert AgendaItem.objects.filter(meeting=meeting).exists() == (persona in PREPARES)


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_only_planners_tick_the_checklist(client_as, meetings, persona) -> None:
    response = client_as(persona).post(
        _url("checklist_tick", meetings[0]), {"item": "explain_plg", "done": "1"}
    )

    assert response.status_code == (302 if persona in PLANS else 404)
    assert ChecklistTick.objects.exists() == (persona in PLANS)


def test_a_preparer_of_another_meeting_does_not_prepare_this_one(
    client_as, meetings, meeting
) -> None:
    client = client_as("development_team")

    assert client.get(_url("meeting_agenda", meetings[3])).status_code == 404
    assert client.get(_url("preparation_hours", meetings[3])).status_code == 404


def test_a_meeting_of_another_school_is_not_found_for_its_planners(
    client_as, world, meeting, other_school_user
) -> None:
    from meetings.services import year_plan_create

    theirs = year_plan_create(
        community=world.other_school_community,
        actor=other_school_user,
        weekday=2,
        start_time=dt.time(15, 0),
    )

    client = client_as("teacher_leader")
    for name in ("meeting_preparers", "meeting_phase0", "meeting_agenda", "agenda_print"):
        assert client.get(_url(name, theirs[0])).status_code == 404


URLS = [
    ("get", "meeting_preparers"),
    ("post", "meeting_preparers"),
    ("get", "preparation_hours"),
    ("post", "preparation_hours"),
    ("get", "meeting_phase0"),
    ("post", "meeting_phase0"),
    ("post", "material_add"),
    ("get", "meeting_agenda"),
    ("post", "meeting_agenda"),
    ("get", "agenda_print"),
    ("post", "checklist_tick"),
]


@pytest.mark.parametrize(("method", "name"), URLS)
def test_anonymous_visitors_are_sent_to_sign_in(client, meeting, method, name) -> None:
    response = getattr(client, method)(_url(name, meeting))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@pytest.mark.parametrize("name", ["material", "material_remove"])
def test_anonymous_visitors_of_a_material_are_sent_to_sign_in(
    client, meeting, file_material, name
) -> None:
    response = client.get(_url(name, meeting, material_pk=file_material.pk))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_anonymous_visitors_of_the_phase_card_are_sent_to_sign_in(client, world) -> None:
    response = client.get(reverse("meetings:phase_card"))

    assert response.status_code == 302


@pytest.mark.parametrize("name", ["material_add", "checklist_tick"])
def test_changes_are_never_made_by_a_get(client_as, meetings, meeting, name) -> None:
    target = meetings[0] if name == "checklist_tick" else meeting

    assert client_as("teacher_leader").get(_url(name, target)).status_code == 405


def test_removing_a_material_is_never_done_by_a_get(client_as, meeting, file_material) -> None:
    response = client_as("teacher_leader").get(
        _url("material_remove", meeting, material_pk=file_material.pk)
    )

    assert response.status_code == 405
    assert MeetingMaterial.objects.filter(pk=file_material.pk).exists()


# Preparers and hours: bad input -------------------------------------------------------------


def test_choosing_one_preparer_shows_a_message_and_changes_nothing(
    client_as, meeting, dev_spare
) -> None:
    response = client_as("teacher_leader").post(
        _url("meeting_preparers", meeting), {"users": [dev_spare.pk]}
    )

    assert response.status_code == 200
    assert 'class="alert alert-block alert-danger"' in response.content.decode()
    assert meeting.preparers.count() == 2


def test_a_participant_cannot_be_chosen_as_preparer(
    client_as, meeting, participant, dev_spare
) -> None:
    response = client_as("teacher_leader").post(
        _url("meeting_preparers", meeting), {"users": [participant.pk, dev_spare.pk]}
    )

    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    assert not meeting.preparers.filter(user=participant).exists()


@pytest.mark.parametrize("bad", ["abc", "999999999999999999999", "-1", "1.5", ""])
def test_nonsense_preparer_ids_are_refused(client_as, meeting, bad) -> None:
    response = client_as("teacher_leader").post(_url("meeting_preparers", meeting), {"users": bad})

    assert response.status_code == 200
    assert meeting.preparers.count() == 2


def test_the_preparers_page_says_when_the_plg_has_too_few_development_team_members(
    client_as, meetings, teacher_leader, development_team
) -> None:
    _in_english(teacher_leader)

    page = _page(client_as("teacher_leader"), _url("meeting_preparers", meetings[3]))

    assert "fewer than two development-team members" in page


def test_the_preparers_page_offers_only_development_team_members(
    client_as, meeting, participant
) -> None:
    page = _page(client_as("teacher_leader"), _url("meeting_preparers", meeting))

    assert "Dirk Devteam" in page
    assert "Pia Participant" not in page


def test_assigning_preparers_returns_to_the_meeting_page(client_as, meeting, dev_spare) -> None:
    dana = meeting.preparers.get(user__name="Dana Devteam").user

    response = client_as("school_admin").post(
        _url("meeting_preparers", meeting), {"users": [dana.pk, dev_spare.pk]}
    )

    assert response["Location"].startswith(_url("meeting", meeting))


@pytest.mark.parametrize("hours", ["2,5", "2.5"])
def test_preparation_hours_take_a_dutch_comma_or_a_point(client_as, meeting, hours) -> None:
    client_as("development_team").post(_url("preparation_hours", meeting), {"hours": hours})

    row = meeting.preparers.get(user__name="Dana Devteam")
    assert row.hours == Decimal("2.5")


@pytest.mark.parametrize("hours", ["-1", "41", "2,25", "veel", ""])
def test_bad_preparation_hours_are_refused_with_a_message(client_as, meeting, hours) -> None:
    response = client_as("development_team").post(
        _url("preparation_hours", meeting), {"hours": hours}
    )

    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    assert not meeting.preparers.filter(hours__isnull=False).exists()


# Phase 0 and materials: bad input and downloads ---------------------------------------------


def test_a_guest_speaker_without_name_is_refused_and_the_input_kept(client_as, meeting) -> None:
    response = client_as("development_team").post(
        _url("meeting_phase0", meeting),
        {"introduction-kind": "guest_speaker", "introduction-title": "Pesten in de klas"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "invalid-feedback" in page
    assert "Pesten in de klas" in page
    assert not ThemeIntroduction.objects.exists()


def test_an_unknown_introduction_form_is_refused(client_as, meeting) -> None:
    response = client_as("development_team").post(
        _url("meeting_phase0", meeting), {"introduction-kind": "podcast"}
    )

    assert response.status_code == 200
    assert not ThemeIntroduction.objects.exists()


def test_saving_phase_0_makes_the_meeting_prepared(client_as, meeting) -> None:
    client_as("development_team").post(_url("meeting_phase0", meeting), INTRODUCTION_OK)

    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PREPARED


def test_the_phase_0_page_shows_what_was_saved(client_as, meeting, development_team) -> None:
    services.theme_introduction_save(
        meeting=meeting,
        actor=development_team,
        kind=IntroductionKind.GUEST_SPEAKER,
        speaker_name="Dr. Jansen",
        speaker_organisation="Hogeschool Utrecht",
    )

    page = _page(client_as("teacher_leader"), _url("meeting_phase0", meeting))

    assert 'value="Dr. Jansen"' in page
    assert 'value="guest_speaker" selected' in page


def test_a_file_is_uploaded_as_material(client_as, meeting) -> None:
    response = client_as("development_team").post(
        _url("material_add", meeting), {"material-title": "Dia's", "material-file": _pdf()}
    )

    assert response.status_code == 302
    material = MeetingMaterial.objects.get(meeting=meeting)
    assert material.file.read() == b"%PDF-1.4 hello"


@pytest.mark.parametrize(
    "data",
    [
        {"material-file": _pdf("virus.exe")},
        {"material-file": _pdf("pagina.html", b"<script>alert(1)</script>")},
        {"material-file": _pdf(content=b"x" * (10 * 1024 * 1024 + 1))},
        {"material-file": _pdf(), "material-url": "https://example.org"},
        {},
        {"material-url": "javascript:alert(1)"},
        {"material-url": "niet een link"},
    ],
    ids=["exe", "html", "too-big", "both", "neither", "javascript-url", "not-a-url"],
)
def test_bad_materials_are_refused_with_a_message_and_the_title_kept(
    client_as, meeting, data
) -> None:
    response = client_as("development_team").post(
        _url("material_add", meeting), {"material-title": "Mijn materiaal", **data}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "invalid-feedback" in page or "alert-danger" in page
    assert 'value="Mijn materiaal"' in page
    assert not MeetingMaterial.objects.exists()


def test_a_file_is_downloaded_as_an_attachment_that_is_never_sniffed(
    client_as, meeting, file_material
) -> None:
    response = client_as("participant").get(_url("material", meeting, material_pk=file_material.pk))

    assert b"".join(response.streaming_content) == b"%PDF-1.4 hello"
    assert response["Content-Disposition"].startswith("attachment")
    assert 'filename="artikel.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_material_of_another_meeting_is_not_found(
    client_as, meetings, meeting, file_material
) -> None:
    response = client_as("teacher_leader").get(
        _url("material", meetings[3], material_pk=file_material.pk)
    )

    assert response.status_code == 404


def test_removing_a_material_of_another_meeting_is_not_found(
    client_as, meetings, meeting, file_material
) -> None:
    response = client_as("teacher_leader").post(
        _url("material_remove", meetings[3], material_pk=file_material.pk)
    )

    assert response.status_code == 404
    assert MeetingMaterial.objects.filter(pk=file_material.pk).exists()


def test_a_link_material_has_no_download(client_as, meeting, development_team) -> None:
    link = services.meeting_material_add(
        meeting=meeting, actor=development_team, title="Site", url="https://example.org"
    )

    response = client_as("participant").get(_url("material", meeting, material_pk=link.pk))

    assert response.status_code == 404


# Agenda: bad input ----------------------------------------------------------------------------


def test_an_agenda_that_does_not_add_up_says_by_how_much_and_keeps_the_input(
    client_as, meeting, development_team
) -> None:
    _in_english(development_team)
    data = {**AGENDA_OK, "minutes_3": AGENDA_OK["minutes_3"] + 5, "note_1": "Casus van Pia"}

    response = client_as("development_team").post(_url("meeting_agenda", meeting), data)

    page = response.content.decode()
    assert response.status_code == 200
    assert "155 minutes: 5 minutes more" in page
    assert 'value="Casus van Pia"' in page
    assert not AgendaItem.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("minutes_0", "-5"), ("minutes_2", "151"), ("minutes_2", "99999999999")],
    ids=["negative", "longer-than-the-meeting", "huge"],
)
def test_impossible_time_boxes_are_refused(client_as, meeting, field, value) -> None:
    response = client_as("development_team").post(
        _url("meeting_agenda", meeting), {**AGENDA_OK, field: value}
    )

    assert response.status_code == 200
    assert "alert-danger" in response.content.decode()
    assert not AgendaItem.objects.exists()


@pytest.mark.parametrize("value", ["12.5", "tien", ""])
def test_time_boxes_must_be_whole_minutes(client_as, meeting, value) -> None:
    response = client_as("development_team").post(
        _url("meeting_agenda", meeting), {**AGENDA_OK, "minutes_4": value}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "is-invalid" in page
    assert not AgendaItem.objects.exists()


def test_the_agenda_page_starts_from_the_suggestion_on_request(
    client_as, meeting, teacher_leader, development_team
) -> None:
    services.agenda_save(
        meeting=meeting,
        actor=development_team,
        minutes=dict(zip(Phase, (30, 10, 20, 30, 20, 20, 20), strict=True)),
    )

    page = _page(client_as("teacher_leader"), _url("meeting_agenda", meeting) + "?suggested=1")

    assert 'name="minutes_0" value="25"' in page


# Checklist --------------------------------------------------------------------------------


def test_ticking_and_unticking_a_checklist_item(client_as, meetings) -> None:
    client = client_as("teacher_leader")
    url = _url("checklist_tick", meetings[0])

    client.post(url, {"item": "fix_themes", "done": "1"})
    assert ChecklistTick.objects.filter(item=ChecklistItem.FIX_THEMES).exists()
    client.post(url, {"item": "fix_themes", "done": "0"})
    assert not ChecklistTick.objects.exists()


@pytest.mark.parametrize("data", [{"item": "coffee", "done": "1"}, {"item": "fix_themes"}, {}])
def test_a_bad_checklist_post_changes_nothing(client_as, meetings, data) -> None:
    response = client_as("teacher_leader").post(_url("checklist_tick", meetings[0]), data)

    assert response.status_code == 302
    assert not ChecklistTick.objects.exists()


def test_other_meetings_have_no_checklist_to_tick(client_as, meetings) -> None:
    response = client_as("teacher_leader").post(
        _url("checklist_tick", meetings[1]), {"item": "fix_themes", "done": "1"}
    )

    assert response.status_code == 404
    assert not ChecklistTick.objects.exists()


# The meeting page ---------------------------------------------------------------------------


def test_the_meeting_page_shows_preparers_and_the_agenda_with_clock_times(
    client_as, meeting
) -> None:
    page = _page(client_as("participant"), _url("meeting", meeting))

    assert "Dana Devteam" in page
    assert "Daan Devteam" in page
    assert "15:30–15:55" in page  # phase 0, 25 of 150 minutes
    assert "17:40–18:00" in page  # phase 6
    assert _url("agenda_print", meeting) in page
    assert reverse("meetings:phase_card") in page


def test_only_planners_and_preparers_see_the_edit_links(client_as, meeting) -> None:
    member_page = _page(client_as("participant"), _url("meeting", meeting))
    preparer_page = _page(client_as("development_team"), _url("meeting", meeting))

    for name in ("meeting_agenda", "meeting_phase0"):
        assert f'href="{_url(name, meeting)}"' not in member_page
        assert f'href="{_url(name, meeting)}"' in preparer_page
    assert _url("meeting_preparers", meeting) not in preparer_page


def test_only_the_preparer_sees_the_hours_form(client_as, meeting) -> None:
    preparer_page = _page(client_as("development_team"), _url("meeting", meeting))
    leader_page = _page(client_as("teacher_leader"), _url("meeting", meeting))

    assert _url("preparation_hours", meeting) in preparer_page
    assert _url("preparation_hours", meeting) not in leader_page


def test_preparation_hours_are_shown_to_planners_not_to_members(
    client_as, meeting, development_team
) -> None:
    services.preparer_hours_set(meeting=meeting, actor=development_team, hours="3.5")

    assert "3,5" in _page(client_as("teacher_leader"), _url("meeting", meeting))
    assert "3,5" not in _page(client_as("participant"), _url("meeting", meeting))


def test_the_meeting_page_shows_phase_0_and_its_materials(
    client_as, meeting, development_team, file_material
) -> None:
    services.theme_introduction_save(
        meeting=meeting,
        actor=development_team,
        kind=IntroductionKind.GUEST_SPEAKER,
        speaker_name="Dr. Jansen",
        speaker_organisation="Hogeschool Utrecht",
    )
    services.meeting_material_add(
        meeting=meeting, actor=development_team, title="De site", url="https://example.org/x"
    )

    page = _page(client_as("participant"), _url("meeting", meeting))

    assert "Dr. Jansen (Hogeschool Utrecht)" in page
    assert _url("material", meeting, material_pk=file_material.pk) in page
    assert 'href="https://example.org/x" rel="noopener noreferrer"' in page


def test_the_meeting_page_warns_when_the_saved_agenda_no_longer_fits(
    client_as, meeting, teacher_leader, development_team
) -> None:
    services.agenda_save(meeting=meeting, actor=development_team, minutes=default_minutes(150))
    meeting_move(
        meeting=meeting,
        actor=teacher_leader,
        starts_at=meeting.starts_at,
        duration=dt.timedelta(minutes=120),
        location=meeting.location,
    )
    _in_english(development_team)

    page = _page(client_as("development_team"), _url("meeting", meeting))

    assert "150 minutes: 30 minutes more than the meeting&#x27;s 120 minutes" in page


def test_the_checklist_is_only_on_meeting_1(client_as, meetings) -> None:
    client = client_as("participant")

    assert 'id="checklist-heading"' in _page(client, _url("meeting", meetings[0]))
    assert 'id="checklist-heading"' not in _page(client, _url("meeting", meetings[1]))


def test_the_checklist_shows_who_ticked_and_offers_ticking_only_to_planners(
    client_as, meetings, teacher_leader
) -> None:
    services.checklist_item_set(
        meeting=meetings[0], actor=teacher_leader, item=ChecklistItem.EXPLAIN_PLG, done=True
    )

    member_page = _page(client_as("participant"), _url("meeting", meetings[0]))

    assert "Tom Teacherleader" in member_page
    assert _url("checklist_tick", meetings[0]) not in member_page


def test_planners_get_a_tick_button_per_checklist_item(client_as, meetings) -> None:
    page = _page(client_as("teacher_leader"), _url("meeting", meetings[0]))

    assert page.count(f'action="{_url("checklist_tick", meetings[0])}"') == len(ChecklistItem)


# Printable pages ----------------------------------------------------------------------------


def test_the_printable_agenda_has_the_meeting_preparers_phase_0_and_aims(
    client_as, meeting, development_team, participant
) -> None:
    services.theme_introduction_save(
        meeting=meeting, actor=development_team, kind=IntroductionKind.ARTICLE, title="Pesten"
    )
    services.agenda_save(
        meeting=meeting,
        actor=development_team,
        minutes=default_minutes(150),
        notes={Phase.CASE: "Pia brengt in"},
    )
    _in_english(participant)

    page = _page(client_as("participant"), _url("agenda_print", meeting))

    for text in ("Feedback", "B1.04", "Dana Devteam", "Daan Devteam", "Pesten", "Pia brengt in",
                 "15:30–15:55", "Open the meeting together", 'class="print-sheet"'):  # fmt: skip
        assert text in page


def test_the_phase_card_has_seven_phases_with_aims_and_questions(
    client_as, world, participant
) -> None:
    _in_english(participant)

    page = _page(client_as("participant"), reverse("meetings:phase_card"))

    assert page.count('class="border rounded p-2 h-100 phase-card-item"') == 7
    assert "What is the first small step you will take?" in page
    assert "small groups" in page


# Query budgets ------------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _add_materials(meeting, actor, count=10):
    for number in range(count):
        services.meeting_material_add(
            meeting=meeting, actor=actor, title=f"Stuk {number}", file=_pdf(f"stuk{number}.pdf")
        )


def test_meeting_1_page_query_count_does_not_grow_with_materials_and_ticks(
    client_as, meetings, teacher_leader
) -> None:
    client = client_as("teacher_leader")
    url = _url("meeting", meetings[0])
    empty = _queries(client, url)
    _add_materials(meetings[0], teacher_leader)
    for item in ChecklistItem:
        services.checklist_item_set(meeting=meetings[0], actor=teacher_leader, item=item, done=True)

    assert _queries(client, url) == empty


def test_meeting_6_page_query_count_does_not_grow_with_materials_or_themes(
    client_as, world, meetings, teacher_leader
) -> None:
    from meetings.models import Theme

    client = client_as("teacher_leader")
    url = _url("meeting", meetings[5])
    empty = _queries(client, url)
    _add_materials(meetings[5], teacher_leader)
    for number, earlier in enumerate(meetings[1:5]):
        earlier.theme = Theme.objects.create(school=world.school, title=f"Thema {number}")
        earlier.save()

    assert _queries(client, url) == empty


def test_meeting_page_query_count_does_not_grow_with_agenda_and_preparers(
    client_as, meetings, teacher_leader, development_team, dev_two
) -> None:
    client = client_as("development_team")
    url = _url("meeting", meetings[2])
    services.meeting_preparers_set(
        meeting=meetings[2], actor=teacher_leader, users=[development_team, dev_two]
    )
    before = _queries(client, url)
    services.agenda_save(meeting=meetings[2], actor=teacher_leader, minutes=default_minutes(150))
    services.theme_introduction_save(meeting=meetings[2], actor=teacher_leader, kind="article")

    assert _queries(client, url) == before


@pytest.mark.parametrize("name", ["agenda_print", "meeting_phase0"])
def test_preparation_pages_query_count_does_not_grow_with_materials(
    client_as, meeting, teacher_leader, name
) -> None:
    client = client_as("teacher_leader")
    url = _url(name, meeting)
    empty = _queries(client, url)
    _add_materials(meeting, teacher_leader)

    assert _queries(client, url) == empty
