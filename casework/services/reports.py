"""Writes for the phase-6 report: compile it from the notes, edit it, make it final, discuss it.

Privacy: the report is compiled from the group notes and the phase-6 notes only. It names the
cases by title (never their situation, question or presenter), leaves out each member's
personal learning yield, and never reads a reflection.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from communities.models import Team
from meetings.models import (
    Attendance,
    AttendanceStatus,
    ChangeKind,
    Meeting,
    MeetingChange,
    MeetingStatus,
    NotificationKind,
)
from meetings.permissions import leads_team_of
from meetings.services.notifications import notify
from plg_platform.queue import enqueue_on_commit

from ..models import (
    NOTE_SPECS,
    MeetingReport,
    NoteField,
    NoteKind,
    PhaseNote,
    ReportStatus,
    SmallGroup,
)
from ..pdf import merge_pdfs, render_pdf
from ..permissions import casework_access
from ..selectors.reports import print_context

if TYPE_CHECKING:
    from plg_platform.users.models import User

# The report is written for the team meeting of a Dutch school: compiled in the school's
# language, whatever language the preparer's screen happens to use.
REPORT_LANGUAGE = settings.LANGUAGE_CODE
SECTION_MAX_LENGTH = 20_000

# What each section is compiled from; per-member notes (learning yield) never go in.
INSIGHT_FIELDS = (
    NoteField.CASE_QUESTION,
    NoteField.REFORMULATED,
    NoteField.INSIGHTS,
    NoteField.QUESTION_CHANGED,
    NoteField.GROUP_THEME,
)
SCORE_FIELDS = (NoteField.SCORE, NoteField.STEP_HIGHER)
STEP_FIELDS = (NoteField.FIRST_STEP, NoteField.USABLE)
EVALUATION_FIELDS = (
    NoteField.CLOSING,
    NoteField.WENT_WELL,
    NoteField.DO_BETTER,
    NoteField.NEXT_THEME,
    NoteField.NEXT_DATE,
)


class ReportConflict(ValidationError):
    """A save made from an older version of the report; carries the report as saved now."""

    def __init__(self, current: MeetingReport) -> None:
        self.current = current
        who = current.updated_by.display_name if current.updated_by else _("someone")
        when = date_format(timezone.localtime(current.updated_at), "DATETIME_FORMAT")
        super().__init__(
            _(
                "%(who)s saved the report on %(when)s, after you opened it, so your text was "
                "not saved. Both versions are shown: theirs next to each section, yours still "
                "in the form. Keep what you want from both and save again."
            )
            % {"who": who, "when": when}
        )


# Compiling ----------------------------------------------------------------------------------


def _value(field: NoteField, text: str) -> str:
    """A note's text as a reader of the report should see it."""
    text = text.strip()
    kind = NOTE_SPECS[field].kind
    if kind == NoteKind.YES_NO and text in ("yes", "no"):
        return _("yes") if text == "yes" else _("no")
    if kind == NoteKind.DATE:
        try:
            return date_format(dt.date.fromisoformat(text), "DATE_FORMAT")
        except ValueError:
            return text
    return text


def _lines(notes: Mapping[str, str], fields: tuple[NoteField, ...]) -> list[str]:
    lines = []
    for field in fields:
        if notes.get(field.value, "").strip():
            label = str(field.label)
            # "Did the question change? yes", not "change?: yes".
            separator = " " if label.endswith("?") else ": "
            lines.append(f"{label}{separator}{_value(field, notes[field.value])}")
    return lines


def _group_heading(group: SmallGroup) -> str:
    if group.case is None:
        return _("Group %(number)d (no work case)") % {"number": group.number}
    return _("Group %(number)d: %(title)s") % {"number": group.number, "title": group.case.title}


def _per_group(
    groups: list[SmallGroup], notes: Mapping[int, Mapping[str, str]], fields: tuple[NoteField, ...]
) -> str:
    blocks = []
    for group in groups:
        lines = _lines(notes.get(group.pk, {}), fields)
        if lines:
            blocks.append("\n".join([_group_heading(group), *lines]))
    return "\n\n".join(blocks) or _("Nothing was noted.")


def _present(meeting: Meeting) -> str:
    names = [
        row.member.display_name
        for row in Attendance.objects.filter(meeting=meeting, status=AttendanceStatus.PRESENT)
        .select_related("member")
        .order_by("member__name", "member__email")
    ]
    if not names:
        return _("Attendance has not been recorded.")
    count = ngettext("%(count)d member present", "%(count)d members present", len(names)) % {
        "count": len(names)
    }
    return f"{count}: {', '.join(names)}."


def report_sections(meeting: Meeting) -> dict[str, str]:
    """The six sections compiled from the meeting's notes, in the report's language."""
    groups = list(
        SmallGroup.objects.filter(meeting=meeting).select_related("case").order_by("number")
    )
    wanted = {field.value for field in INSIGHT_FIELDS + SCORE_FIELDS + STEP_FIELDS}
    wanted |= {field.value for field in EVALUATION_FIELDS}
    group_notes: dict[int, dict[str, str]] = {}
    meeting_notes: dict[str, str] = {}
    for group_id, field, text in PhaseNote.objects.filter(
        meeting=meeting, member__isnull=True, field__in=wanted
    ).values_list("group_id", "field", "text"):
        if group_id is None:
            meeting_notes[field] = text
        else:
            group_notes.setdefault(group_id, {})[field] = text
    with translation.override(REPORT_LANGUAGE):
        cases = "\n".join(_group_heading(group) for group in groups)
        return {
            "present": _present(meeting),
            "cases": cases or _("No small groups were formed."),
            "insights": _per_group(groups, group_notes, INSIGHT_FIELDS),
            "scores": _per_group(groups, group_notes, SCORE_FIELDS),
            "first_steps": _per_group(groups, group_notes, STEP_FIELDS),
            "evaluation": "\n".join(_lines(meeting_notes, EVALUATION_FIELDS))
            or _("Nothing was noted."),
        }


def _require_writer(meeting: Meeting, actor: User) -> None:
    if not casework_access(actor, meeting).writes_report:
        raise ValidationError(
            _("Only the meeting's preparers and the PLG's teacher leaders write its report.")
        )


def _refuse_final() -> ValidationError:
    return ValidationError(_("This report is final, so it can no longer be changed."))


@transaction.atomic
def report_compile(*, meeting: Meeting, actor: User) -> MeetingReport:
    """Compile the draft from the notes, or compile an existing draft again (replacing its text)."""
    # 1. Lock the meeting so two preparers compiling at once serialise on it.
    meeting = Meeting.objects.select_for_update(of=("self",)).get(pk=meeting.pk)
    _require_writer(meeting, actor)
    if not meeting.has_taken_place:
        raise ValidationError(_("The report can be compiled once the meeting has started."))
    # 2. Read the notes, then write the draft.
    sections = report_sections(meeting)
    now = timezone.now()
    report = MeetingReport.objects.filter(meeting=meeting).first()
    if report is None:
        try:
            with transaction.atomic():
                return MeetingReport.objects.create(
                    meeting=meeting, updated_by=actor, compiled_at=now, updated_at=now, **sections
                )
        except IntegrityError:
            report = MeetingReport.objects.get(meeting=meeting)
    # 3. Conditional: a report made final meanwhile is never overwritten.
    if not MeetingReport.objects.filter(pk=report.pk, status=ReportStatus.DRAFT).update(
        version=report.version + 1, compiled_at=now, updated_at=now, updated_by=actor, **sections
    ):
        raise _refuse_final()
    report.refresh_from_db()
    return report


def _clean_sections(data: Mapping[str, str]) -> dict[str, str]:
    sections = {}
    errors = {}
    for name in MeetingReport.SECTIONS:
        text = (data.get(name) or "").strip()
        if len(text) > SECTION_MAX_LENGTH:
            errors[name] = _("Keep each section to at most %(max)d characters.") % {
                "max": SECTION_MAX_LENGTH
            }
        sections[name] = text
    if errors:
        raise ValidationError(errors)
    return sections


@transaction.atomic
def report_save(
    *, report: MeetingReport, actor: User, data: Mapping[str, str], base_version: int
) -> MeetingReport:
    """Save the edited sections, unless someone saved the report after `base_version`."""
    _require_writer(report.meeting, actor)
    sections = _clean_sections(data)
    now = timezone.now()
    # Conditional on the version the editor started from: a later save by the other preparer
    # is shown to this editor instead of being overwritten.
    if MeetingReport.objects.filter(
        pk=report.pk, status=ReportStatus.DRAFT, version=base_version
    ).update(version=base_version + 1, updated_at=now, updated_by=actor, **sections):
        report.refresh_from_db()
        return report
    current = MeetingReport.objects.select_related("updated_by").get(pk=report.pk)
    if current.is_final:
        raise _refuse_final()
    raise ReportConflict(current)


@transaction.atomic
def report_finalise(
    *, report: MeetingReport, actor: User, base_version: int | None = None
) -> MeetingReport:
    """Make the report final: the team leader reads it and the meeting becomes reported.

    With `base_version`, refuse when the report was saved again after the writer last read it.
    """
    # 1. Lock the meeting: its status and history change with the report.
    meeting = Meeting.objects.select_for_update(of=("self",)).get(pk=report.meeting_id)
    _require_writer(meeting, actor)
    now = timezone.now()
    reports = MeetingReport.objects.filter(pk=report.pk, status=ReportStatus.DRAFT)
    if base_version is not None:
        reports = reports.filter(version=base_version)
    if not reports.update(status=ReportStatus.FINAL, finalised_at=now, finalised_by=actor):
        current = MeetingReport.objects.get(pk=report.pk)
        if current.is_final:
            raise ValidationError(_("This report is already final."))
        raise ValidationError(
            _(
                "The report was saved again after you opened it. Read it once more, then make "
                "it final."
            )
        )
    # 2. The meeting becomes reported, in its history like "held".
    old_status = meeting.status
    if (
        Meeting.objects.filter(pk=meeting.pk)
        .exclude(status=MeetingStatus.REPORTED)
        .update(status=MeetingStatus.REPORTED)
    ):
        MeetingChange.objects.create(
            meeting=meeting,
            actor=actor,
            kind=ChangeKind.STATUS,
            data={"from": old_status, "to": MeetingStatus.REPORTED.value},
        )
    report.refresh_from_db()
    # 3. Its PDF is made in the background, for the team-meeting packet.
    from ..tasks import report_render  # the task module imports these services

    enqueue_on_commit(report_render, report_id=report.pk)
    # 4. The team's leaders hear it is on their next team meeting (sent once committed).
    _notify_team_leaders(meeting, report)
    return report


def _notify_team_leaders(meeting: Meeting, report: MeetingReport) -> None:
    leaders = list(
        Team.leaders.through.objects.filter(
            team__communities=meeting.community_id, user__is_active=True
        ).values_list("team_id", "user_id")
    )
    if not leaders:
        return
    notify(
        kind=NotificationKind.REPORT_FINAL,
        event=f"report:{report.pk}",
        meeting=meeting,
        recipient_ids=[user_id for _team_id, user_id in leaders],
        path=reverse("casework:team_meeting", args=[leaders[0][0]]),
    )


def report_pdf_render(*, report_id: int) -> bool:
    """Render a final report to PDF and keep it with the report; False when it is not final.

    Rendered in the school's language, like the compiled text. Running twice only replaces
    the file, so a retried or repeated task does no harm.
    """
    report = (
        MeetingReport.objects.select_related("meeting__community", "meeting__theme")
        .filter(pk=report_id, status=ReportStatus.FINAL)
        .first()
    )
    if report is None:
        return False
    content = _report_pdf_bytes(report)
    old_name = report.pdf.name
    report.pdf.save("phase-6-report.pdf", ContentFile(content), save=False)
    MeetingReport.objects.filter(pk=report.pk).update(
        pdf=report.pdf.name, pdf_rendered_at=timezone.now()
    )
    if old_name:
        report.pdf.storage.delete(old_name)
    return True


def _report_pdf_bytes(report: MeetingReport) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        context = print_context(report.meeting, report, "casework/reports/pdf_base.html")
        return render_pdf(None, "casework/reports/print.html", context)


def team_packet_pdf(*, reports: list[MeetingReport]) -> bytes:
    """One PDF of the given final reports, in order, with a bookmark per report.

    Uses each report's stored PDF; one the background task has not made yet is rendered now.
    """
    parts = []
    for report in reports:
        content = report.pdf.read() if report.pdf else _report_pdf_bytes(report)
        title = f"{report.meeting.community.name}: {report.meeting}"
        parts.append((title, content))
    return merge_pdfs(parts)


@transaction.atomic
def report_mark_discussed(*, report: MeetingReport, actor: User) -> MeetingReport:
    """A team leader marks a final report as discussed at the team meeting."""
    community = report.meeting.community
    if not leads_team_of(actor, community):
        raise ValidationError(_("Only a team leader of this PLG's team marks reports discussed."))
    now = timezone.now()
    if not MeetingReport.objects.filter(
        pk=report.pk, status=ReportStatus.FINAL, discussed_at__isnull=True
    ).update(discussed_at=now, discussed_by=actor):
        raise ValidationError(
            _("This report is not final or has already been marked discussed; nothing changed.")
        )
    report.discussed_at, report.discussed_by = now, actor
    return report


def reports_without_pdf() -> list[int]:
    """Ids of final reports whose PDF was never made (the broker was down when they became final)."""
    # Never rendered, not merely without a file: retention removes the PDF of a report it
    # empties (and marks one it empties unrendered), and the sweep must not make it again.
    return list(
        MeetingReport.objects.filter(
            status=ReportStatus.FINAL, pdf="", pdf_rendered_at__isnull=True
        ).values_list("pk", flat=True)
    )
