"""The yearly theme calendar: themes and the six theme meetings of a PLG."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from communities.models import Community, School

from .phases import Phase

MEETINGS_PER_YEAR = 6
DEFAULT_DURATION = dt.timedelta(hours=2, minutes=30)
MAX_DURATION = dt.timedelta(hours=12)
# Meetings 1 and 6 are the ones the team leader attends.
TEAM_LEADER_MEETINGS = (1, MEETINGS_PER_YEAR)

# The starting library of a school's themes (from the PLG module); the school can edit it.
LIBRARY_THEMES = [
    _("Starting teachers"),
    _("Social media in class"),
    _("Bullying"),
    _("Mentoring and coaching"),
    _("Work placement"),
    _("Pupils needing extra care"),
    _("Autism"),
]
STARTING_TEACHERS = LIBRARY_THEMES[0]


class Theme(models.Model):
    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.CASCADE, related_name="themes"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    in_library = models.BooleanField(_("in the theme library"), default=True)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["school", "title"]
        constraints = [
            models.UniqueConstraint(fields=["school", "title"], name="theme_unique_title"),
        ]

    def __str__(self) -> str:
        return self.title


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("meeting status", "planned")
    PREPARED = "prepared", pgettext_lazy("meeting status", "prepared")
    HELD = "held", pgettext_lazy("meeting status", "held")
    REPORTED = "reported", pgettext_lazy("meeting status", "reported")
    CANCELLED = "cancelled", pgettext_lazy("meeting status", "cancelled")


# One answer for every change refused because the meeting was cancelled.
CANCELLED_REFUSAL = _(
    "This meeting has been cancelled, so it can no longer be changed and no absence can be "
    "requested for it."
)


class Meeting(models.Model):
    """One of a PLG's six theme meetings in a school year."""

    community = models.ForeignKey(
        Community, verbose_name=_("PLG"), on_delete=models.CASCADE, related_name="meetings"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    starts_at = models.DateTimeField(_("starts at"))
    duration = models.DurationField(_("duration"), default=DEFAULT_DURATION)
    location = models.CharField(_("room"), max_length=200, blank=True)
    theme = models.ForeignKey(
        Theme,
        verbose_name=_("theme"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    team_leader_expected = models.BooleanField(_("team leader present"), default=False)
    planning_note = models.TextField(_("planning note"), blank=True)
    # Increases on every change, for calendar clients (iCalendar SEQUENCE).
    sequence = models.PositiveIntegerField(_("version"), default=0)

    class Meta:
        verbose_name = _("theme meeting")
        verbose_name_plural = _("theme meetings")
        ordering = ["community", "number"]
        constraints = [
            models.UniqueConstraint(fields=["community", "number"], name="meeting_unique_number"),
            models.CheckConstraint(
                condition=models.Q(number__gte=1, number__lte=MEETINGS_PER_YEAR),
                name="meeting_number_in_year",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Theme meeting %(number)d") % {"number": self.number})

    @property
    def ends_at(self) -> dt.datetime:
        return self.starts_at + self.duration

    @property
    def has_taken_place(self) -> bool:
        return self.status in (MeetingStatus.HELD, MeetingStatus.REPORTED) or (
            self.starts_at <= timezone.now()
        )

    @property
    def is_evaluation(self) -> bool:
        return self.number == MEETINGS_PER_YEAR

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED

    def refuse_if_cancelled(self) -> None:
        """Raise a ValidationError when the meeting was cancelled: it no longer changes."""
        if self.is_cancelled:
            raise ValidationError(CANCELLED_REFUSAL, code="cancelled")

    def lock_unless_cancelled(self) -> None:
        """Hold the meeting's row until commit and refuse the change if it was cancelled.

        The status is read under the lock, so a change and a cancellation at the same moment
        take turns: the change either lands before the cancellation or is refused after it.
        """
        fresh = Meeting.objects.select_for_update().only("pk", "status").get(pk=self.pk)
        self.status = fresh.status
        self.refuse_if_cancelled()


class ChangeKind(models.TextChoices):
    PLANNED = "planned", _("planned")
    REPLANNED = "replanned", _("planned again")
    MOVED = "moved", _("moved")
    THEME_SET = "theme_set", _("theme fixed")
    THEME_CHANGED = "theme_changed", _("theme changed")
    PREPARERS = "preparers", _("preparers assigned")
    STATUS = "status", _("status changed")
    CANCELLED = "cancelled", _("cancelled")


class MeetingChange(models.Model):
    """The history of a meeting: who changed what, when.

    `data` holds the facts (old and new values, a reason) so the history reads in each
    viewer's own language; `description` is kept for free-text notes.
    """

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="changes"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    kind = models.CharField(
        _("kind of change"), max_length=20, choices=ChangeKind.choices, default=ChangeKind.PLANNED
    )
    data = models.JSONField(_("details"), default=dict, blank=True)
    description = models.TextField(_("what changed"), blank=True)

    class Meta:
        verbose_name = _("meeting change")
        verbose_name_plural = _("meeting changes")
        ordering = ["meeting", "-changed_at"]

    def __str__(self) -> str:
        return self.summary[:60]

    @property
    def summary(self) -> str:
        """The change in the viewer's language, from the stored facts."""
        data = self.data or {}
        if self.kind in (ChangeKind.PLANNED, ChangeKind.REPLANNED) and "starts_at" in data:
            template = (
                _("Planned on %(when)s.")
                if self.kind == ChangeKind.PLANNED
                else _("Planned again on %(when)s.")
            )
            return template % {"when": _format_moment(data["starts_at"])}
        if self.kind == ChangeKind.MOVED:
            parts = []
            if data.get("from") != data.get("to"):
                parts.append(
                    _("Moved from %(old)s to %(new)s.")
                    % {"old": _format_moment(data["from"]), "new": _format_moment(data["to"])}
                )
            if data.get("location_from") != data.get("location_to"):
                parts.append(
                    _("Room changed from “%(old)s” to “%(new)s”.")
                    % {
                        "old": data.get("location_from") or "—",
                        "new": data.get("location_to") or "—",
                    }
                )
            if data.get("duration_from") != data.get("duration_to"):
                parts.append(
                    _("Length changed from %(old)s to %(new)s minutes.")
                    % {"old": data.get("duration_from"), "new": data.get("duration_to")}
                )
            if data.get("confirmed"):
                parts.append(_("Confirmed despite: %(why)s") % {"why": " ".join(data["confirmed"])})
            return " ".join(str(part) for part in parts) or str(_("Saved without changes."))
        if self.kind in (ChangeKind.THEME_SET, ChangeKind.THEME_CHANGED):
            text = _("Theme “%(old)s” became “%(new)s”.") % {
                "old": data.get("from") or "—",
                "new": data.get("to") or "—",
            }
            if data.get("reason"):
                text += " " + _("Reason: %(reason)s") % {"reason": data["reason"]}
            return text
        if self.kind == ChangeKind.PREPARERS:
            return _("Preparers: %(names)s.") % {"names": ", ".join(data.get("names", [])) or "—"}
        if self.kind == ChangeKind.CANCELLED:
            return _("Cancelled. Reason: %(reason)s") % {"reason": data.get("reason") or "—"}
        if self.kind == ChangeKind.STATUS and "to" in data:
            return _("Status became “%(status)s”.") % {"status": MeetingStatus(data["to"]).label}
        return self.description


def _format_moment(value: str) -> str:
    from django.utils.formats import date_format

    moment = dt.datetime.fromisoformat(value)
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


class MeetingPreparer(models.Model):
    """A development-team member who prepares a meeting (two per meeting), with their hours."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="preparers"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("preparer"),
        on_delete=models.CASCADE,
        related_name="meetings_prepared",
    )
    hours = models.DecimalField(
        _("preparation hours"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)

    class Meta:
        verbose_name = _("preparer")
        verbose_name_plural = _("preparers")
        ordering = ["meeting", "user__name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="preparer_unique"),
        ]

    def __str__(self) -> str:
        return str(self.user)


class IntroductionKind(models.TextChoices):
    GUEST_SPEAKER = "guest_speaker", _("guest speaker")
    DOCUMENTARY = "documentary", _("documentary")
    ARTICLE = "article", _("article")
    PRESENTATION = "presentation", _("a colleague's presentation")
    WORKSHOP = "workshop", _("workshop")


class ThemeIntroduction(models.Model):
    """How phase 0 of a meeting introduces its theme."""

    meeting = models.OneToOneField(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="introduction",
    )
    kind = models.CharField(_("form"), max_length=20, choices=IntroductionKind.choices)
    title = models.CharField(_("title or subject"), max_length=200, blank=True)
    speaker_name = models.CharField(_("speaker's name"), max_length=200, blank=True)
    speaker_organisation = models.CharField(_("speaker's organisation"), max_length=200, blank=True)
    details = models.TextField(_("details"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("introduction of the theme")
        verbose_name_plural = _("introductions of the theme")

    def __str__(self) -> str:
        return self.title or self.get_kind_display()


def material_upload_to(instance: MeetingMaterial, filename: str) -> str:
    # A random folder keeps file names unguessable; files are only served through an access check.
    import uuid

    return f"meetings/{instance.meeting_id}/{uuid.uuid4().hex}/{filename}"


class MeetingMaterial(models.Model):
    """A link or a file for phase 0 (an article, a video, slides)."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="materials"
    )
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("link"), max_length=500, blank=True)
    file = models.FileField(_("file"), upload_to=material_upload_to, max_length=300, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    added_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["meeting", "added_at"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(url="") & ~models.Q(file=""))
                | (~models.Q(url="") & models.Q(file="")),
                name="material_link_or_file",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class AgendaItem(models.Model):
    """A phase's time box on a meeting's agenda."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda_items"
    )
    phase = models.PositiveSmallIntegerField(_("phase"), choices=Phase.choices)
    minutes = models.PositiveSmallIntegerField(_("minutes"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "phase"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "phase"], name="agenda_unique_phase"),
        ]

    def __str__(self) -> str:
        return self.get_phase_display()


class ChecklistItem(models.TextChoices):
    """What meeting 1 has to do, besides its theme."""

    EXPLAIN_PLG = "explain_plg", _("Explain what a PLG is and how ours works")
    EXPLAIN_PHASES = "explain_phases", _("Explain the phase 0-6 structure of a meeting")
    DISCUSS_THEMES = "discuss_themes", _("Discuss the proposed themes")
    COLLECT_THEMES = "collect_themes", _("Collect new themes from the team")
    FIX_THEMES = "fix_themes", _("Fix the themes of meetings 2-5")
    FIX_DATES = "fix_dates", _("Fix the dates of meetings 2-5")


class ChecklistTick(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="checklist"
    )
    item = models.CharField(_("item"), max_length=30, choices=ChecklistItem.choices)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    done_at = models.DateTimeField(_("done at"), default=timezone.now)

    class Meta:
        verbose_name = _("checklist item done")
        verbose_name_plural = _("checklist items done")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "item"], name="checklist_unique_item"),
        ]

    def __str__(self) -> str:
        return self.get_item_display()


class ThemeProposal(models.Model):
    """A member's proposal for one of the year's themes, collected before and at meeting 1."""

    community = models.ForeignKey(
        Community,
        verbose_name=_("PLG"),
        on_delete=models.CASCADE,
        related_name="theme_proposals",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="theme_proposals",
    )
    title = models.CharField(_("title"), max_length=200)
    why = models.TextField(_("why it matters to me"))
    example = models.TextField(_("a case that shows it"), blank=True)
    created_at = models.DateTimeField(_("proposed at"), default=timezone.now)

    class Meta:
        verbose_name = _("theme proposal")
        verbose_name_plural = _("theme proposals")
        ordering = ["community", "created_at"]

    def __str__(self) -> str:
        return self.title


class ThemeVote(models.Model):
    proposal = models.ForeignKey(
        ThemeProposal,
        verbose_name=_("theme proposal"),
        on_delete=models.CASCADE,
        related_name="votes",
    )
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voter"),
        on_delete=models.CASCADE,
        related_name="theme_votes",
    )
    created_at = models.DateTimeField(_("voted at"), default=timezone.now)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "voter"], name="vote_unique_voter"),
        ]

    def __str__(self) -> str:
        return f"{self.voter} → {self.proposal}"


VOTES_PER_MEMBER = 3


class ThemeVoting(models.Model):
    """The theme vote of a PLG's year: open until a teacher leader closes it."""

    community = models.OneToOneField(
        Community, verbose_name=_("PLG"), on_delete=models.CASCADE, related_name="theme_voting"
    )
    votes_per_member = models.PositiveSmallIntegerField(
        _("votes per member"), default=VOTES_PER_MEMBER
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("theme vote")
        verbose_name_plural = _("theme votes")

    def __str__(self) -> str:
        return str(self.community)

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class AbsenceStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("absence request", "waiting for a decision")
    APPROVED = "approved", pgettext_lazy("absence request", "approved")
    DECLINED = "declined", pgettext_lazy("absence request", "declined")


class AbsenceRequest(models.Model):
    """A member's request to be excused from a meeting (afmelding); the team leader decides.

    The reason is seen only by the member and the team leader who decides.
    """

    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="absence_requests",
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="absence_requests",
    )
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=20, choices=AbsenceStatus.choices, default=AbsenceStatus.PENDING
    )
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("absence request")
        verbose_name_plural = _("absence requests")
        ordering = ["meeting", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="absence_unique_member"),
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.meeting}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("present")
    EXCUSED = "excused", _("absent with approval")
    ABSENT = "absent", _("absent without approval")


class Attendance(models.Model):
    """Who was at a meeting, recorded by a teacher leader during or after it."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendance"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="attendance",
    )
    status = models.CharField(_("attendance"), max_length=20, choices=AttendanceStatus.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["meeting", "member__name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_unique_member"),
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.get_status_display()}"


class CalendarFeed(models.Model):
    """A user's secret iCalendar subscription; deleting the row revokes the URL."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="calendar_feed",
    )
    token = models.CharField(_("token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("calendar subscription")
        verbose_name_plural = _("calendar subscriptions")

    def __str__(self) -> str:
        return str(self.user)


class NotificationKind(models.TextChoices):
    """Every reminder and notice the platform sends; one glossary for mails, list and settings."""

    MEETING_UPCOMING = "meeting_upcoming", _("A theme meeting is coming up")
    PREPARE_MEETING = "prepare_meeting", _("Prepare phase 0 and the agenda")
    CASE_DEADLINE = "case_deadline", _("Finish and submit your case")
    ABSENCE_SUBMITTED = "absence_submitted", _("An absence request waits for your decision")
    ABSENCE_DECIDED = "absence_decided", _("Your absence request was decided")
    REFLECTION_PROMPT = "reflection_prompt", _("Write your reflection")
    STEP_FOLLOW_UP = "step_follow_up", _("How did your first small step go?")
    REPORT_OVERDUE = "report_overdue", _("Finish the phase-6 report")
    REPORT_FINAL = "report_final", _("A phase-6 report is ready for the team meeting")
    LEADER_NOTES_SENT = "leader_notes_sent", _("Notes of a teacher-leader meeting were sent to you")
    MEETING_CANCELLED = "meeting_cancelled", _("A theme meeting was cancelled")


# These always come, by e-mail right away: nobody can switch them off or bundle them.
ESSENTIAL_KINDS = frozenset(
    {
        NotificationKind.ABSENCE_DECIDED,
        NotificationKind.CASE_DEADLINE,
        # Nobody should come to a meeting that is off because they switched a reminder off.
        NotificationKind.MEETING_CANCELLED,
    }
)
# The others: each person may switch them off or have them in a daily digest.
OPTIONAL_KINDS = tuple(kind for kind in NotificationKind if kind not in ESSENTIAL_KINDS)


class Delivery(models.TextChoices):
    EMAIL = "email", _("by e-mail right away")
    DIGEST = "digest", _("in the daily digest")


class Notification(models.Model):
    """One reminder or notice for one person about one event; also its in-app list entry.

    The row is written before anything is sent, and (kind, event, recipient) is unique: a second
    beat run, a retried task or a second worker cannot send the same reminder twice. `event`
    names what the reminder is about, including what makes it new (a moved meeting's new start).
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=NotificationKind.choices)
    event = models.CharField(_("event"), max_length=200)
    payload = models.JSONField(_("details"), default=dict, blank=True)
    delivery = models.CharField(
        _("delivery"), max_length=10, choices=Delivery.choices, default=Delivery.EMAIL
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # Set by the one sender that claimed the row (a conditional update), then when it was sent.
    claim = models.CharField(_("claimed by"), max_length=40, blank=True, default="")
    # When the claim was taken: a claim left by a sender that died is released after a while.
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    # Failed sends of this one row (a refused address, a message that would not render); after
    # the last attempt the row is dropped, so one bad row never holds up the others.
    attempts = models.PositiveSmallIntegerField(_("failed attempts"), default=0)
    failed_at = models.DateTimeField(_("last failed at"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=200, blank=True, default="")
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # Set instead of sent_at when, at sending time, the reminder no longer applied (the meeting
    # moved or was cancelled, the person left the PLG, the request was withdrawn).
    dropped_at = models.DateTimeField(_("dropped at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "event", "recipient"], name="notification_once_per_event"
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
            models.Index(fields=["claim", "delivery"], name="notification_outbox"),
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.recipient}"


class NotificationSettings(models.Model):
    """A person's choice of reminders: which non-essential kinds to skip, and a daily digest."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_settings",
    )
    muted_kinds = models.JSONField(_("reminders switched off"), default=list, blank=True)
    digest = models.BooleanField(
        _("daily digest"),
        default=False,
        help_text=_("Get the reminders you chose as one e-mail a day instead of one by one."),
    )

    class Meta:
        verbose_name = _("reminder settings")
        verbose_name_plural = _("reminder settings")

    def __str__(self) -> str:
        return str(self.user)


REMINDER_MAX_DAYS = 60
FIRST_BEFORE_SECOND = _(
    "The first meeting reminder has to go out more days before the meeting than the second one."
)


def _lead_time(label: str, default: int) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label,
        default=default,
        validators=[MaxValueValidator(REMINDER_MAX_DAYS)],
    )


class ReminderSchedule(models.Model):
    """A school's lead times for the protocol reminders; the defaults follow the handbook."""

    school = models.OneToOneField(
        School,
        verbose_name=_("school"),
        on_delete=models.CASCADE,
        related_name="reminder_schedule",
    )
    meeting_first_days = _lead_time(_("first meeting reminder (days before)"), 7)
    meeting_second_days = _lead_time(_("second meeting reminder (days before)"), 1)
    prepare_days = _lead_time(_("preparers' reminder (days before)"), 14)
    case_days = _lead_time(_("case deadline (days before)"), 3)
    reflection_days = _lead_time(_("reflection reminder (days after)"), 1)
    step_days = _lead_time(_("first-step follow-up (days before the next meeting)"), 5)
    report_days = _lead_time(_("report reminder (days after)"), 3)

    class Meta:
        verbose_name = _("reminder schedule")
        verbose_name_plural = _("reminder schedules")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(meeting_first_days__gt=models.F("meeting_second_days")),
                name="reminder_schedule_first_before_second",
                violation_error_message=FIRST_BEFORE_SECOND,
            ),
        ]

    def __str__(self) -> str:
        return str(self.school)

    @classmethod
    def of_school(cls, school: School) -> ReminderSchedule:
        """The school's lead times, or the defaults (unsaved) when it never set them."""
        return cls.objects.filter(school=school).first() or cls(school=school)

    def clean(self) -> None:
        if (
            self.meeting_first_days is not None
            and self.meeting_second_days is not None
            and self.meeting_first_days <= self.meeting_second_days
        ):
            raise ValidationError({"meeting_first_days": FIRST_BEFORE_SECOND})
