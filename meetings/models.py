"""The yearly theme calendar: themes and the six theme meetings of a PLG."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from communities.models import Community, School

MEETINGS_PER_YEAR = 6
DEFAULT_DURATION = dt.timedelta(hours=2, minutes=30)
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


class MeetingChange(models.Model):
    """The history of a meeting: who changed what, when."""

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
    description = models.TextField(_("what changed"))

    class Meta:
        verbose_name = _("meeting change")
        verbose_name_plural = _("meeting changes")
        ordering = ["meeting", "-changed_at"]

    def __str__(self) -> str:
        return self.description[:60]
