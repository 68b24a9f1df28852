"""The product pages of a PLG: who reads, who keeps it, files behind an access check, bad input."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext

from communities.models import Product, ProductLink, ProductStatus
from communities.product_services import product_link_add, product_save
from plg_platform.uploads import MAX_UPLOAD_BYTES, UPLOAD_EXTENSIONS
from tests.factories import MembershipFactory, UserFactory
from tests.helpers import assert_login_redirect, count_queries
from tests.personas import PLANS, SEES_PLG, SIGNED_IN

PRODUCT = {
    "title": "Feedback guide",
    "goal": "Better feedback in class",
    "steps": "Read, try, share",
    "status": ProductStatus.IN_PROGRESS,
}


def _url(name: str, community, **extra) -> str:
    return reverse(f"communities:{name}", kwargs={"pk": community.pk, **extra})


def _pdf(name="guide.pdf", content=b"%PDF-1.4 guide"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def product(world, teacher_leader) -> Product:
    return product_save(community=world.community, actor=teacher_leader, **PRODUCT)


@pytest.fixture
def file_link(product, teacher_leader) -> ProductLink:
    return product_link_add(product=product, actor=teacher_leader, title="The guide", file=_pdf())


# Reading --------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_the_plg_its_team_leader_and_the_programme_lead_read_the_product(
    client_as, world, product, persona
) -> None:
    response = client_as(persona).get(_url("product", world.community))

    assert response.status_code == (200 if persona in SEES_PLG else 404)
    if persona in SEES_PLG:
        assert PRODUCT["goal"] in response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client, world, product, file_link) -> None:
    assert_login_redirect(client.get(_url("product", world.community)))
    assert_login_redirect(client.get(_url("product_edit", world.community)))
    assert_login_redirect(client.get(_url("product_file", world.community, link_pk=file_link.pk)))


def test_without_a_product_the_page_says_so(client_as, world) -> None:
    response = client_as("participant").get(_url("product", world.community))

    assert response.status_code == 200
    assert _url("product_edit", world.community) not in response.content.decode()


def test_the_plg_page_links_to_the_product(client_as, world) -> None:
    page = client_as("participant").get(reverse("communities:detail", args=[world.community.pk]))

    assert _url("product", world.community) in page.content.decode()


@pytest.mark.parametrize("persona", ["participant", "team_leader"])
def test_readers_who_do_not_keep_it_see_no_edit_controls(
    client_as, world, product, file_link, persona
) -> None:
    html = client_as(persona).get(_url("product", world.community)).content.decode()

    assert _url("product_edit", world.community) not in html
    assert _url("product_link_add", world.community) not in html
    assert _url("product_link_remove", world.community, link_pk=file_link.pk) not in html


# Keeping it ------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_only_teacher_leaders_and_the_programme_lead_open_the_form(
    client_as, world, persona
) -> None:
    response = client_as(persona).get(_url("product_edit", world.community))

    assert response.status_code == (200 if persona in PLANS else 404)


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_only_teacher_leaders_and_the_programme_lead_save_the_product(
    client_as, world, persona
) -> None:
    response = client_as(persona).post(_url("product_edit", world.community), PRODUCT)

    assert response.status_code == (302 if persona in PLANS else 404)
    assert Product.objects.exists() == (persona in PLANS)


def test_contributors_are_chosen_from_the_plg(
    client_as, world, participant, teacher_leader
) -> None:
    client_as("teacher_leader").post(
        _url("product_edit", world.community),
        {**PRODUCT, "contributors": [participant.pk, teacher_leader.pk]},
    )

    assert set(Product.objects.get().contributors.all()) == {participant, teacher_leader}


@pytest.mark.parametrize("bad", ["not-a-number", "99999999999999999999999", "-1", "²"])
def test_a_bad_contributor_value_is_a_form_error(client_as, world, bad) -> None:
    response = client_as("teacher_leader").post(
        _url("product_edit", world.community), {**PRODUCT, "contributors": [bad]}
    )

    assert response.status_code == 200
    assert not Product.objects.exists()


def test_an_outsider_cannot_be_named_a_contributor(client_as, world, other_plg_member) -> None:
    response = client_as("teacher_leader").post(
        _url("product_edit", world.community), {**PRODUCT, "contributors": [other_plg_member.pk]}
    )

    assert response.status_code == 200
    assert not Product.objects.exists()


@pytest.mark.parametrize(
    "changes",
    [{"title": ""}, {"goal": ""}, {"status": "done"}, {"title": "x" * 300}, {"steps": "x" * 5000}],
)
def test_bad_product_input_shows_the_form_again(client_as, world, changes) -> None:
    response = client_as("teacher_leader").post(
        _url("product_edit", world.community), {**PRODUCT, **changes}
    )

    assert response.status_code == 200
    assert not Product.objects.exists()


def test_marking_the_product_finished_shows_the_date(
    client_as, world, product, before_the_year
) -> None:
    client_as("teacher_leader").post(
        _url("product_edit", world.community), {**PRODUCT, "status": ProductStatus.FINISHED}
    )

    product.refresh_from_db()
    assert product.status == ProductStatus.FINISHED
    assert product.finished_on is not None


# Files and links -------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_only_keepers_add_a_file(client_as, world, product, persona) -> None:
    response = client_as(persona).post(
        _url("product_link_add", world.community), {"link-title": "Guide", "link-file": _pdf()}
    )

    assert response.status_code == (302 if persona in PLANS else 404)
    assert ProductLink.objects.exists() == (persona in PLANS)


def test_a_link_is_added_and_shown_as_itself(client_as, world, product) -> None:
    client = client_as("teacher_leader")
    client.post(
        _url("product_link_add", world.community),
        {"link-title": "Our site", "link-url": "https://example.org/guide"},
    )

    link = ProductLink.objects.get()
    html = client.get(_url("product", world.community)).content.decode()
    assert 'href="https://example.org/guide"' in html
    assert client.get(_url("product_file", world.community, link_pk=link.pk)).status_code == 404


def test_adding_a_file_before_the_product_exists_is_not_found(client_as, world) -> None:
    response = client_as("teacher_leader").post(
        _url("product_link_add", world.community), {"link-title": "Guide", "link-file": _pdf()}
    )

    assert response.status_code == 404


def test_adding_is_post_only(client_as, world, product) -> None:
    assert (
        client_as("teacher_leader").get(_url("product_link_add", world.community)).status_code
        == 405
    )


def _too_big() -> str:
    return gettext("The file is larger than 10 MB. Add a link to it instead.")


def _wrong_type() -> str:
    return gettext("Files of this type cannot be added. Allowed: %(extensions)s.") % {
        "extensions": ", ".join(UPLOAD_EXTENSIONS)
    }


def _empty() -> str:
    # Django's own file field refuses it before our rules see it.
    return gettext("The submitted file is empty.")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("guide.pdf", b"x" * (MAX_UPLOAD_BYTES + 1), _too_big),
        ("run.exe", b"MZ", _wrong_type),
        ("empty.pdf", b"", _empty),
    ],
)
def test_a_refused_file_says_why_and_saves_nothing(
    client_as, world, product, name, content, message
) -> None:
    response = client_as("teacher_leader").post(
        _url("product_link_add", world.community),
        {"link-title": "Guide", "link-file": SimpleUploadedFile(name, content)},
    )

    assert response.status_code == 400
    # The page speaks the user's language (Dutch in the tests).
    assert escape(message()) in response.content.decode()
    assert not ProductLink.objects.exists()


def test_a_link_and_a_file_together_are_refused(client_as, world, product) -> None:
    response = client_as("teacher_leader").post(
        _url("product_link_add", world.community),
        {"link-title": "Guide", "link-url": "https://example.org", "link-file": _pdf()},
    )

    assert response.status_code == 400
    assert not ProductLink.objects.exists()


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_a_file_is_served_only_to_who_sees_the_plg(client_as, world, file_link, persona) -> None:
    response = client_as(persona).get(_url("product_file", world.community, link_pk=file_link.pk))

    assert response.status_code == (200 if persona in SEES_PLG else 404)
    if persona in SEES_PLG:
        assert b"".join(response.streaming_content) == b"%PDF-1.4 guide"
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"


def test_another_plgs_file_is_not_found_through_this_plg(client_as, world, file_link) -> None:
    leader = UserFactory(email="leader2@lyceum.example")
    MembershipFactory(community=world.other_community, user=leader, is_teacher_leader=True)
    other = product_save(community=world.other_community, actor=leader, **PRODUCT)
    other_link = product_link_add(product=other, actor=leader, title="Theirs", file=_pdf())

    # A participant of world.community asks for the other PLG's file through their own PLG.
    response = client_as("participant").get(
        _url("product_file", world.community, link_pk=other_link.pk)
    )

    assert response.status_code == 404


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_only_keepers_remove_a_file(client_as, world, file_link, persona) -> None:
    response = client_as(persona).post(
        _url("product_link_remove", world.community, link_pk=file_link.pk)
    )

    assert response.status_code == (302 if persona in PLANS else 404)
    assert ProductLink.objects.exists() == (persona not in PLANS)


# Queries ---------------------------------------------------------------------------------------


def test_the_product_page_reads_a_fixed_number_of_queries(
    client_as, world, product, teacher_leader
) -> None:
    client = client_as("teacher_leader")
    url = _url("product", world.community)
    product_link_add(
        product=product, actor=teacher_leader, title="One", url="https://example.org/1"
    )
    few = count_queries(client, url)
    members = [UserFactory(email=f"c{index}@lyceum.example") for index in range(5)]
    for user in members:
        MembershipFactory(community=world.community, user=user, is_participant=True)
    product_save(community=world.community, actor=teacher_leader, contributors=members, **PRODUCT)
    for index in range(5):
        product_link_add(product=product, actor=teacher_leader, title=f"F{index}", file=_pdf())

    assert count_queries(client, url) == few
