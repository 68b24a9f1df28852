"""Health-check averages and products in the yearly report, against numbers worked out by hand.

Scores per answer, characteristics 1-7 (every answer carries COMMENT in its comment):

| PLG               | moment | answers                                                        |
|-------------------|--------|----------------------------------------------------------------|
| Feedback          | 1      | 4352413, 5342323, 3335533 -> sums 12 9 12 9 12 6 9 (69 of 21)   |
| Feedback          | 2      | 1111111, 1111111 (two answers: hidden)                          |
| Feedback          | 3      | 5555555, 4444444, 4444444, 3333331 -> 16 16 16 16 16 16 14      |
| Formatief toetsen | 1      | 2222222 three times -> 6 each                                   |
| Formatief toetsen | 2      | 5555555 (one answer: hidden)                                    |
| Taalbeleid (other school) | 1 | 1111111 three times (never counted)                         |

Products: Feedback "Feedback guide" finished on 2027-05-01; Formatief toetsen "Toetsbank" in
progress; Taalbeleid "Elsewhere" finished (other school).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from casework.selectors.yearly import yearly_report
from casework.selectors.yearly_pages import csv_rows, page_context
from casework.services.yearly import yearly_report_request
from communities.models import HealthCheckAnswer, HealthCheckMoment, Product, ProductStatus
from tests.factories import CommunityFactory, TeamFactory

COMMENT = "HEALTH-COMMENT-NEVER-IN-A-REPORT"
FEEDBACK_1 = [12 / 3, 9 / 3, 12 / 3, 9 / 3, 12 / 3, 6 / 3, 9 / 3]
FEEDBACK_3 = [4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 3.5]


def _moment(community, number: int) -> HealthCheckMoment:
    day = dt.date(2026, 9, 1) + dt.timedelta(days=60 * number)
    return HealthCheckMoment.objects.create(
        community=community, number=number, opens_on=day, closes_on=day + dt.timedelta(days=14)
    )


def _answers(community, number: int, *score_strings: str) -> None:
    moment = _moment(community, number)
    for scores in score_strings:
        HealthCheckAnswer.objects.create(
            moment=moment,
            comment=COMMENT,
            **{f"score_{index}": int(score) for index, score in enumerate(scores, 1)},
        )


@pytest.fixture
def health(world):
    _answers(world.community, 1, "4352413", "5342323", "3335533")
    _answers(world.community, 2, "1111111", "1111111")
    _answers(world.community, 3, "5555555", "4444444", "4444444", "3333331")
    _answers(world.other_community, 1, "2222222", "2222222", "2222222")
    _answers(world.other_community, 2, "5555555")
    _answers(world.other_school_community, 1, "1111111", "1111111", "1111111")
    Product.objects.create(
        community=world.community,
        title="Feedback guide",
        goal="A guide for colleagues on feedback that lands.",
        status=ProductStatus.FINISHED,
        finished_on=dt.date(2027, 5, 1),
    )
    Product.objects.create(
        community=world.other_community,
        title="Toetsbank",
        goal="A bank of formative questions.",
        status=ProductStatus.IN_PROGRESS,
    )
    Product.objects.create(
        community=world.other_school_community,
        title="Elsewhere",
        goal="Not ours.",
        status=ProductStatus.FINISHED,
    )


def _plg(world) -> dict:
    return yearly_report(school_year=world.school_year, scope="plg", community=world.community)


def _school(world) -> dict:
    return yearly_report(school_year=world.school_year, scope="school")


def test_plg_report_has_the_average_per_characteristic_at_each_moment(world, health):
    moments = _plg(world)["health"]["moments"]
    assert [(m["number"], m["answers"], m["plgs"]) for m in moments] == [(1, 3, 1), (3, 4, 1)]
    assert moments[0]["averages"] == FEEDBACK_1
    assert moments[0]["overall"] == 3.3  # 69 / 21
    assert moments[1]["averages"] == FEEDBACK_3
    assert moments[1]["overall"] == 3.9  # 110 / 28


def test_a_moment_with_fewer_than_three_answers_is_left_out(world, health):
    health_data = _plg(world)["health"]
    assert 2 not in [moment["number"] for moment in health_data["moments"]]
    assert health_data["moments_hidden"] == 1
    assert health_data["min_answers"] == 3


def test_school_report_adds_up_only_moments_with_enough_answers(world, health):
    health_data = _school(world)["health"]
    first, third = health_data["moments"]
    # Feedback's and Formatief toetsen's first moments together; the one-answer moment 2 of
    # Formatief toetsen is not in any total (the total minus Feedback would give it away).
    assert (first["number"], first["answers"], first["plgs"]) == (1, 6, 2)
    assert first["averages"] == [3.0, 2.5, 3.0, 2.5, 3.0, 2.0, 2.5]
    assert first["overall"] == 2.6  # 111 / 42
    assert (third["number"], third["answers"], third["averages"]) == (3, 4, FEEDBACK_3)
    assert health_data["moments_hidden"] == 2
    assert [(row["plg"], row["number"], row["overall"]) for row in health_data["by_plg"]] == [
        ("Feedback", 1, 3.3),
        ("Feedback", 3, 3.9),
        ("Formatief toetsen", 1, 2.0),
    ]


def test_no_answer_or_comment_reaches_the_report(world, health):
    for data in (_plg(world), _school(world)):
        text = json.dumps(data)
        assert COMMENT not in text
        assert "5342323" not in text


def test_finished_products_are_listed_with_the_status_counts(world, health):
    products = _school(world)["products"]
    assert (products["finished"], products["in_progress"], products["idea"]) == (1, 1, 0)
    assert products["finished_rows"] == [
        {
            "plg": "Feedback",
            "title": "Feedback guide",
            "goal": "A guide for colleagues on feedback that lands.",
            "finished_on": "2027-05-01",
        }
    ]


def test_the_other_school_is_never_counted(world, health):
    data = yearly_report(school_year=world.other_school_year, scope="school")
    assert [m["averages"] for m in data["health"]["moments"]] == [[1.0] * 7]
    assert [row["title"] for row in data["products"]["finished_rows"]] == ["Elsewhere"]
    assert "Elsewhere" not in json.dumps(_school(world))


def test_team_report_counts_the_team_only(world, health):
    other_team = TeamFactory(school=world.school, name="Bovenbouw")
    other_team_plg = CommunityFactory(team=other_team, school_year=world.school_year, name="Elders")
    _answers(other_team_plg, 1, "5555555", "5555555", "5555555")
    data = yearly_report(school_year=world.school_year, scope="team", team=world.team)
    assert data["health"]["moments"][0]["answers"] == 6


def test_a_report_without_health_data_still_has_empty_rows():
    """Reports compiled before the health check existed carry no health or product keys."""
    old = {"scope": "plg", "subject": "Old", "meetings": {"rows": []}, "members": {"rows": []}}
    assert len(csv_rows(old)) == 1


# Page, CSV and PDF -------------------------------------------------------------------------------


@pytest.fixture
def compiled(django_capture_on_commit_callbacks, world, health, school_admin):
    def request(scope: str, **subject):
        with django_capture_on_commit_callbacks(execute=True):
            report = yearly_report_request(
                actor=school_admin, school_year=world.school_year, scope=scope, **subject
            )
        report.refresh_from_db()
        return report

    return request


def test_page_shows_the_averages_and_the_finished_product(client_as, world, compiled):
    report = compiled("plg", community=world.community)
    with translation.override("en"):
        context = page_context(report, show_names=False)
    assert context["health_rows"][6] == ("Supporting conditions", [3.0, 3.5])
    html = client_as("school_admin").get(reverse("casework:yearly_report", args=[report.pk]))
    text = html.content.decode()
    assert 'id="yearly-health"' in text
    assert "3,3" in text and "3,9" in text  # overall averages, the Dutch way
    assert "Feedback guide" in text
    assert COMMENT not in text


def test_school_page_has_a_row_per_plg_moment(client_as, world, compiled):
    report = compiled("school")
    text = client_as("school_admin").get(reverse("casework:yearly_report", args=[report.pk]))
    body = text.content.decode()
    assert "Formatief toetsen" in body
    assert "2,6" in body


def test_csv_has_a_row_per_moment_and_per_finished_product(client_as, world, compiled):
    report = compiled("school")
    response = client_as("school_admin").get(reverse("casework:yearly_csv", args=[report.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len({len(row) for row in rows}) == 1  # every row as wide as the header
    header = rows[0]
    moment_column = len(header) - 13
    health = [row for row in rows[1:] if row[moment_column]]
    assert [(row[1], row[moment_column], row[-4]) for row in health] == [
        ("Feedback", "1", "3,3"),
        ("Feedback", "3", "3,9"),
        ("Formatief toetsen", "1", "2,0"),
        ("Het Lyceum", "1", "2,6"),
        ("Het Lyceum", "3", "3,9"),
    ]
    assert health[0][moment_column + 1 : moment_column + 9] == [
        "3",
        "4,0",
        "3,0",
        "4,0",
        "3,0",
        "4,0",
        "2,0",
        "3,0",
    ]
    products = [row for row in rows[1:] if row[-3]]
    assert [(row[1], row[-3], row[-1]) for row in products] == [
        ("Feedback", "Feedback guide", "2027-05-01")
    ]
    assert COMMENT not in response.content.decode("utf-8-sig")


def test_pdf_has_the_health_check_and_the_product(client_as, world, compiled):
    from pypdf import PdfReader

    report = compiled("plg", community=world.community)
    response = client_as("school_admin").get(reverse("casework:yearly_pdf", args=[report.pk]))
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Feedback guide" in text
    assert "3,9" in text
    assert COMMENT not in text


# Queries -------------------------------------------------------------------------------------------


def _queries(world) -> int:
    with CaptureQueriesContext(connection) as queries:
        _school(world)
    return len(queries)


def test_school_report_queries_do_not_grow_with_health_moments_or_products(world, health):
    def add(count: int) -> None:
        for index in range(count):
            community = CommunityFactory(
                team=world.team, school_year=world.school_year, name=f"Gezond {index} {count}"
            )
            for number in (1, 2, 3):
                _answers(community, number, "3333333", "4444444", "2222222")
            Product.objects.create(
                community=community, title="P", goal="G", status=ProductStatus.FINISHED
            )

    add(2)
    few = _queries(world)
    add(10)
    assert _queries(world) == few
