"""Shared form and upload helpers: the person checkboxes and the link-or-file rules."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import translation

from plg_platform.forms import MAX_ID, PersonChoiceField
from plg_platform.uploads import MAX_UPLOAD_BYTES, attachment_errors, delete_file_on_commit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class PeopleForm(forms.Form):
    people = PersonChoiceField(queryset=get_user_model().objects.all(), required=False)


@pytest.mark.parametrize("bad", ["²", "١", "1²", "１", "abc", "-1", str(MAX_ID + 1)])
def test_a_tampered_person_id_is_a_form_error_not_a_crash(bad):
    form = PeopleForm({"people": [bad]})

    assert not form.is_valid()
    assert "people" in form.errors


def test_a_known_person_is_chosen_and_shown_by_name():
    user = UserFactory(name="Anna Example")
    form = PeopleForm({"people": [str(user.pk)]})

    assert form.is_valid()
    assert list(form.cleaned_data["people"]) == [user]
    assert form.fields["people"].label_from_instance(user) == user.display_name


def _pdf(size: int = 10) -> SimpleUploadedFile:
    return SimpleUploadedFile("guide.pdf", b"x" * size)


def test_a_link_and_a_file_together_are_refused():
    with translation.override("en"):
        errors = attachment_errors(url="https://example.org", file=_pdf())

    assert errors == {"__all__": ["Add either a link or a file, not both."]}


def test_neither_a_link_nor_a_file_is_refused():
    with translation.override("en"):
        errors = attachment_errors(url="", file=None)

    assert errors == {"__all__": ["Add a link or choose a file."]}


def test_a_file_breaking_the_upload_rules_is_a_file_error():
    errors = attachment_errors(url="", file=_pdf(MAX_UPLOAD_BYTES + 1))

    assert list(errors) == ["file"]


@pytest.mark.parametrize(
    ("url", "file"), [("https://example.org", None), ("", _pdf())], ids=["link", "file"]
)
def test_a_link_or_a_good_file_alone_passes(url, file):
    assert attachment_errors(url=url, file=file) == {}


class _Stored:
    """The two attributes of a FieldFile that delete_file_on_commit reads."""

    def __init__(self, name: str) -> None:
        self.name, self.storage = name, default_storage


def test_a_file_is_deleted_only_after_the_commit(django_capture_on_commit_callbacks):
    name = default_storage.save("shared/commit.pdf", ContentFile(b"x"))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        delete_file_on_commit(_Stored(name))
        assert default_storage.exists(name)

    assert len(callbacks) == 1
    assert not default_storage.exists(name)


def test_a_rolled_back_removal_keeps_the_file():
    name = default_storage.save("shared/rollback.pdf", ContentFile(b"x"))

    with pytest.raises(RuntimeError), transaction.atomic():
        delete_file_on_commit(_Stored(name))
        raise RuntimeError

    assert default_storage.exists(name)


def test_an_empty_file_field_schedules_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        delete_file_on_commit(_Stored(""))

    assert callbacks == []
