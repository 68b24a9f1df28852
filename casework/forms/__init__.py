"""Forms of case sessions, one module per area; the shared long-text field is here."""

from __future__ import annotations

from django import forms

from ..models import TEXT_MAX_LENGTH


def long_text(label, help_text, placeholder: str = "", *, rows: int = 4) -> forms.CharField:
    """An optional multi-line answer with the members' text limit; the service says what is needed."""
    attrs: dict[str, object] = {"rows": rows}
    if placeholder:
        attrs["placeholder"] = placeholder
    return forms.CharField(
        label=label,
        required=False,
        max_length=TEXT_MAX_LENGTH,
        help_text=help_text,
        widget=forms.Textarea(attrs=attrs),
    )
