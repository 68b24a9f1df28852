"""Form helpers shared by every app."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form

if TYPE_CHECKING:
    from django.http import HttpRequest


def attach_errors(form: Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form it came from (field errors at their field)."""
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error)


# The largest id a BigAutoField holds: a tampered, larger value must be a form error, not a 500.
MAX_ID = 2**63 - 1


class PersonChoiceField(forms.ModelMultipleChoiceField):
    """Checkboxes of people by name; a tampered or out-of-range id is refused instead of crashing."""

    def clean(self, value):
        for pk in value or []:
            text = str(pk)
            # isascii too: "²" and other Unicode digits pass isdecimal()/isdigit() but int() refuses.
            if not (text.isascii() and text.isdecimal()) or int(text) > MAX_ID:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super().clean(value)

    def label_from_instance(self, obj) -> str:
        return obj.display_name


def messages_from_form_errors(request: HttpRequest, form: Form) -> None:
    """Show each of a form's errors as an error message (for forms posted from another page)."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
