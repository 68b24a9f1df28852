"""Writes and reads of a PLG's product: its rules, finished date, contributors, files, queries."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities.models import Product, ProductLink, ProductStatus
from communities.product_selectors import product_of, products_for
from communities.product_services import product_link_add, product_link_remove, product_save
from plg_platform.uploads import MAX_UPLOAD_BYTES
from tests.factories import CommunityFactory, MembershipFactory, UserFactory


def _save(community, actor, **changes) -> Product:
    data = {"title": "Feedback guide", "goal": "Better feedback in class", "steps": "1. Read"}
    return product_save(community=community, actor=actor, **{**data, **changes})


def _file(name="guide.pdf", content=b"%PDF-1.4 guide"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_a_new_product_starts_as_an_idea(world, teacher_leader) -> None:
    product = _save(world.community, teacher_leader)

    assert product.status == ProductStatus.IDEA
    assert product.finished_on is None


def test_saving_again_changes_the_one_product_of_the_plg(world, teacher_leader) -> None:
    _save(world.community, teacher_leader)
    _save(world.community, teacher_leader, title="Feedback guide, second edition")

    assert Product.objects.get().title == "Feedback guide, second edition"


def test_finishing_sets_the_date_and_reopening_clears_it(
    world, teacher_leader, before_the_year
) -> None:
    assert _save(world.community, teacher_leader, status=ProductStatus.FINISHED).finished_on == (
        dt.date(2026, 8, 1)
    )

    assert (
        _save(world.community, teacher_leader, status=ProductStatus.IN_PROGRESS).finished_on is None
    )


def test_editing_a_finished_product_keeps_its_finishing_date(
    world, teacher_leader, before_the_year
) -> None:
    _save(world.community, teacher_leader, status=ProductStatus.FINISHED)
    before_the_year.shift(dt.timedelta(days=30))

    product = _save(world.community, teacher_leader, status=ProductStatus.FINISHED, steps="more")

    assert product.finished_on == dt.date(2026, 8, 1)


def test_contributors_are_members_of_the_plg(world, teacher_leader, participant) -> None:
    product = _save(world.community, teacher_leader, contributors=[participant, teacher_leader])

    assert set(product.contributors.all()) == {participant, teacher_leader}


def test_an_outsider_cannot_be_a_contributor(world, teacher_leader, other_plg_member) -> None:
    with pytest.raises(ValidationError) as error:
        _save(world.community, teacher_leader, contributors=[other_plg_member])

    assert "contributors" in error.value.error_dict
    assert not Product.objects.exists()


def test_a_guest_expert_is_not_a_contributor(world, teacher_leader, expert) -> None:
    with pytest.raises(ValidationError):
        _save(world.community, teacher_leader, contributors=[expert])


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "  "}, "title"),
        ({"goal": ""}, "goal"),
        ({"title": "x" * 201}, "title"),
        ({"goal": "x" * 2001}, "goal"),
        ({"steps": "x" * 4001}, "steps"),
        ({"status": "done"}, "status"),
    ],
)
def test_bad_product_input_is_refused_per_field(world, teacher_leader, changes, field) -> None:
    with pytest.raises(ValidationError) as error:
        _save(world.community, teacher_leader, **changes)

    assert field in error.value.error_dict


def test_a_file_is_added_and_removed_from_storage(
    world, teacher_leader, django_capture_on_commit_callbacks
) -> None:
    product = _save(world.community, teacher_leader)
    link = product_link_add(product=product, actor=teacher_leader, title="Guide", file=_file())
    storage, name = link.file.storage, link.file.name
    assert storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        product_link_remove(link=link, actor=teacher_leader)

    assert not storage.exists(name)
    assert not ProductLink.objects.exists()


def test_files_are_stored_in_an_unguessable_folder(world, teacher_leader) -> None:
    product = _save(world.community, teacher_leader)
    first = product_link_add(product=product, actor=teacher_leader, title="A", file=_file())
    second = product_link_add(product=product, actor=teacher_leader, title="B", file=_file())

    folders = []
    for link in (first, second):
        prefix, product_id, folder, filename = link.file.name.split("/")
        assert (prefix, product_id, filename) == ("products", str(product.pk), "guide.pdf")
        assert re.fullmatch(r"[0-9a-f]{32}", folder)
        folders.append(folder)
    # A folder per file: knowing one file's address says nothing about another's.
    assert folders[0] != folders[1]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"file": SimpleUploadedFile("run.exe", b"MZ")}, "file"),
        ({"file": SimpleUploadedFile("big.pdf", b"x" * (MAX_UPLOAD_BYTES + 1))}, "file"),
        ({"file": SimpleUploadedFile("empty.pdf", b"")}, "file"),
        ({"url": "https://example.org", "file": SimpleUploadedFile("a.pdf", b"x")}, "__all__"),
        ({}, "__all__"),
    ],
)
def test_bad_files_and_links_are_refused(world, teacher_leader, kwargs, field) -> None:
    product = _save(world.community, teacher_leader)

    with pytest.raises(ValidationError) as error:
        product_link_add(product=product, actor=teacher_leader, title="Something", **kwargs)

    assert field in error.value.error_dict
    assert not ProductLink.objects.exists()


def test_products_for_reads_three_queries_however_many_plgs(world, teacher_leader) -> None:
    def queries(communities) -> int:
        with CaptureQueriesContext(connection) as captured:
            found = products_for(communities)
            for product in found.values():
                list(product.contributors.all())
                list(product.links.all())
        return len(captured)

    _save(world.community, teacher_leader, contributors=[teacher_leader])
    few = queries([world.community])
    many = [world.community]
    for index in range(5):
        community = CommunityFactory(
            team=world.team, school_year=world.school_year, name=f"P{index}"
        )
        leader = UserFactory(email=f"l{index}@lyceum.example")
        MembershipFactory(community=community, user=leader, is_teacher_leader=True)
        product = _save(community, leader, contributors=[leader])
        product_link_add(product=product, actor=leader, title="Site", url="https://example.org")
        many.append(community)

    assert queries(many) == few == 3
    assert set(products_for(many)) == {community.pk for community in many}


def test_product_of_a_plg_without_one_is_none(world) -> None:
    assert product_of(world.community) is None
