"""Forms for absence requests, the team leader's decision, and recording attendance."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import AttendanceStatus
from ..services.attendance import REASON_MAX_LENGTH

if TYPE_CHECKING:
    from ..selectors.attendance import SheetRow


class AbsenceRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only you and the team leader who decides read the reason."),
        error_messages={"required": _("Give a reason for your absence.")},
    )


class AbsenceDecisionForm(forms.Form):
    """The team leader's approve or decline button."""

    APPROVE = "approve"
    DECLINE = "decline"

    decision = forms.ChoiceField(choices=[(APPROVE, _("Approve")), (DECLINE, _("Decline"))])

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == self.APPROVE


class AttendanceForm(forms.Form):
    """One choice per group member: present, absent with approval, absent without approval."""

    def __init__(self, *args, rows: list[SheetRow], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        self.approved: set[str] = set()
        for row in rows:
            name = self.field_name(row.member.pk)
            self.fields[name] = forms.ChoiceField(
                label=row.member.display_name,
                choices=AttendanceStatus.choices,
                initial=row.initial,
                widget=forms.RadioSelect,
                help_text=_("The team leader approved an absence request.") if row.approved else "",
            )
            if row.approved:
                self.approved.add(name)

    @staticmethod
    def field_name(user_id: int) -> str:
        return f"member_{user_id}"

    def clean(self) -> dict:
        cleaned = super().clean()
        for name, status in list(cleaned.items()):
            if status == AttendanceStatus.EXCUSED and name not in self.approved:
                self.add_error(
                    name,
                    _(
                        "“Absent with approval” is only possible when the team leader approved "
                        "an absence request. Choose absent without approval."
                    ),
                )
        return cleaned

    @property
    def statuses(self) -> dict[int, str]:
        """The chosen status per user id."""
        return {
            row.member.pk: self.cleaned_data[self.field_name(row.member.pk)] for row in self.rows
        }
