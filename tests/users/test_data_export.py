"""A person downloads their own data: a ZIP of JSON files and a readable summary, with their
private texts in it and nobody else's."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.urls import reverse

from casework.models import CaseStatus, NoteField, PhaseNote, Reflection, SmallGroup, WorkCase
from meetings.services.attendance import absence_submit
from plg_platform import privacy
from tests.helpers import assert_login_redirect, count_queries

pytestmark = pytest.mark.django_db

URL = reverse("users:data_download")
OWN_SECRET = "Mijn eigen privégedachte 4711"
OTHERS_SECRET = "Andermans privégedachte 0815"


@pytest.fixture
def life(meetings, participant, development_team):
    Reflection.objects.create(meeting=meetings[0], author=participant, learned=OWN_SECRET)
    Reflection.objects.create(meeting=meetings[0], author=development_team, learned=OTHERS_SECRET)
    WorkCase.objects.create(
        meeting=meetings[1],
        presenter=participant,
        title="Stille leerling",
        situation="Een leerling zegt niets.",
        question="Hoe krijg ik contact?",
        status=CaseStatus.SUBMITTED,
    )
    absence_submit(meeting=meetings[2], member=participant, reason="Tandarts")


def _download(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(response.content))


def test_the_zip_holds_one_json_file_per_section_and_a_summary(client_as, life) -> None:
    archive = _download(client_as("participant"))

    names = set(archive.namelist())
    assert names == {f"{e.key}.json" for e in privacy.registered()} | {"summary.html"}


def test_the_zip_holds_the_persons_own_private_reflection_case_and_absence(client_as, life) -> None:
    archive = _download(client_as("participant"))

    reflections = json.loads(archive.read("reflections.json"))
    assert [row["learned"] for row in reflections] == [OWN_SECRET]
    assert json.loads(archive.read("work_cases.json"))[0]["question"] == "Hoe krijg ik contact?"
    assert json.loads(archive.read("absence_requests.json"))[0]["reason"] == "Tandarts"
    assert OWN_SECRET in archive.read("summary.html").decode()


def test_the_zip_holds_nothing_private_of_anyone_else(client_as, life) -> None:
    archive = _download(client_as("participant"))

    everything = b"".join(archive.read(name) for name in archive.namelist()).decode()
    assert OTHERS_SECRET not in everything


def test_the_account_page_links_to_the_download(client_as, participant) -> None:
    response = client_as("participant").get(reverse("users:settings"))

    assert f'href="{URL}"'.encode() in response.content


def test_anonymous_visitors_are_sent_to_sign_in(client) -> None:
    assert_login_redirect(client.get(URL))


def test_the_download_runs_the_same_number_of_queries_however_much_is_stored(
    client_as, meetings, participant
) -> None:
    client = client_as("participant")
    few = count_queries(client, URL)
    for meeting in meetings[:4]:
        Reflection.objects.create(meeting=meeting, author=participant, learned="x")
        absence_submit(meeting=meeting, member=participant, reason="Ziek")

    assert count_queries(client, URL) == few


def _summary(client) -> str:
    return _download(client).read("summary.html").decode()


def test_the_summary_is_marked_in_the_persons_language(client_as, participant, life) -> None:
    participant.language = "en"
    participant.save(update_fields=["language"])

    assert '<html lang="en">' in _summary(client_as("participant"))


def test_the_summary_headings_are_readable_words_not_field_paths(client_as, life) -> None:
    summary = _summary(client_as("participant"))

    headings = summary.split('<th scope="col">')[1:]
    assert headings
    assert not [cell for cell in headings if "__" in cell.split("<")[0]]


def test_a_registered_label_names_its_column() -> None:
    exporter = privacy.Exporter("x", "X", lambda user: [], {"meeting__number": "Meeting"})

    assert exporter.column_label("meeting__number") == "Meeting"
    assert exporter.column_label("meeting__community__name") == "Meeting · community · name"


def test_notes_are_in_the_export_of_whom_they_are_about_or_who_saved_them(
    client_as, meetings, participant, development_team
) -> None:
    meeting = meetings[0]
    group = SmallGroup.objects.create(meeting=meeting, number=1)
    PhaseNote.objects.create(
        meeting=meeting, field=NoteField.CLOSING, text="Afsluiting door Pia", updated_by=participant
    )
    PhaseNote.objects.create(
        meeting=meeting,
        group=group,
        field=NoteField.LEARNING_YIELD,
        member=participant,
        text="Opbrengst van Pia, genoteerd door Dirk",
        updated_by=development_team,
    )
    PhaseNote.objects.create(
        meeting=meeting,
        group=group,
        field=NoteField.LEARNING_YIELD,
        member=development_team,
        text="Opbrengst van Dirk, genoteerd door Pia",
        updated_by=participant,
    )

    mine = _download(client_as("participant"))
    assert [row["text"] for row in json.loads(mine.read("notes_written.json"))] == [
        "Afsluiting door Pia"
    ]
    assert [row["text"] for row in json.loads(mine.read("notes_about_me.json"))] == [
        "Opbrengst van Pia, genoteerd door Dirk"
    ]
    everything = b"".join(mine.read(name) for name in mine.namelist()).decode()
    assert "Opbrengst van Dirk" not in everything

    theirs = _download(client_as("development_team"))
    assert json.loads(theirs.read("notes_written.json")) == []
    assert [row["text"] for row in json.loads(theirs.read("notes_about_me.json"))] == [
        "Opbrengst van Dirk, genoteerd door Pia"
    ]
