"""Teacher leaders: their training, yearly self-reflection, responsibilities, and the notes of
their own PLG's meetings, taken in turn."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from communities.models import School, SchoolYear
from meetings.models import Meeting


class TrainingStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", pgettext_lazy("training", "in progress")
    COMPLETED = "completed", pgettext_lazy("training", "completed")


class Training(models.Model):
    """A course a teacher leader took or is taking."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("teacher leader"),
        on_delete=models.CASCADE,
        related_name="trainings",
    )
    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.CASCADE, related_name="+"
    )
    course = models.CharField(_("course"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=TrainingStatus.choices,
        default=TrainingStatus.IN_PROGRESS,
    )

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        ordering = ["user", "-year", "course"]

    def __str__(self) -> str:
        return f"{self.course} ({self.year})"


class LeadershipStyle(models.TextChoices):
    """The four leadership styles, along task and relation focus; one glossary."""

    DIRECTIVE = "directive", _("directive")
    PERSUADING = "persuading", _("persuading")
    CONSULTING = "consulting", _("consulting")
    DELEGATING = "delegating", _("delegating")


class LeaderRole(models.TextChoices):
    """The ten roles a teacher leader can take."""

    RESOURCE_PROVIDER = "resource_provider", _("resource provider")
    INSTRUCTIONAL_SPECIALIST = "instructional_specialist", _("instructional specialist")
    CURRICULUM_SPECIALIST = "curriculum_specialist", _("curriculum specialist")
    CLASSROOM_SUPPORTER = "classroom_supporter", _("classroom supporter")
    LEARNING_FACILITATOR = "learning_facilitator", _("learning facilitator")
    MENTOR = "mentor", _("mentor")
    SCHOOL_LEADER = "school_leader", _("school leader")
    DATA_COACH = "data_coach", _("data coach")
    CATALYST = "catalyst", _("catalyst for change")
    LEARNER = "learner", _("learner")


class LeaderNeed(models.TextChoices):
    SHARING = "sharing", _("sharing experience")
    INTERVISION = "intervision", _("intervision with other teacher leaders")
    THEORY = "theory", _("theory")


class SelfReflection(models.Model):
    """A teacher leader's yearly look at their own leadership; private unless shared.

    Shared means: readable by the school's other teacher leaders (their own PLG). Never by
    team leaders or the programme lead, and not in any report.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("teacher leader"),
        on_delete=models.CASCADE,
        related_name="leader_reflections",
    )
    school_year = models.ForeignKey(
        SchoolYear, verbose_name=_("school year"), on_delete=models.CASCADE, related_name="+"
    )
    style = models.CharField(
        _("the style I use most"), max_length=20, choices=LeadershipStyle.choices, blank=True
    )
    style_fit = models.TextField(_("how that fits my group"), max_length=2000, blank=True)
    roles_taken = models.JSONField(_("roles I take"), default=list, blank=True)
    roles_to_grow = models.JSONField(_("roles I want to grow in"), default=list, blank=True)
    skills = models.TextField(
        _("skills and attitudes I want to work on"), max_length=2000, blank=True
    )
    needs = models.JSONField(_("what I need"), default=list, blank=True)
    needs_note = models.TextField(_("more about what I need"), max_length=2000, blank=True)
    shared = models.BooleanField(_("shared with the other teacher leaders"), default=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("self-reflection")
        verbose_name_plural = _("self-reflections")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "school_year"], name="self_reflection_once_a_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.school_year}"


# What the teacher leader writes in a self-reflection: the form edits these, the export lists them.
SELF_REFLECTION_FIELDS = (
    "style",
    "style_fit",
    "roles_taken",
    "roles_to_grow",
    "skills",
    "needs",
    "needs_note",
    "shared",
)


class Responsibility(models.TextChoices):
    """A teacher leader's yearly responsibilities; one glossary."""

    REPORT = "report", _("Report on each PLG meeting and feed it back to the programme lead")
    CONTACT = "contact", _("Be the contact for participants")
    PRODUCT = "product", _("Lead the product development")
    LEADER_MEETINGS = (
        "leader_meetings",
        _("Take part in teacher-leader meetings and take your turn with the notes"),
    )
    AMBASSADOR = "ambassador", _("Be an ambassador for the PLG inside and outside the school")


class ResponsibilityStatus(models.TextChoices):
    NOT_STARTED = "not_started", pgettext_lazy("responsibility", "not started")
    UNDER_WAY = "under_way", pgettext_lazy("responsibility", "under way")
    DONE = "done", pgettext_lazy("responsibility", "done")


class ResponsibilityCheck(models.Model):
    """Where a teacher leader stands on one responsibility this year, with a line of evidence."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("teacher leader"),
        on_delete=models.CASCADE,
        related_name="responsibility_checks",
    )
    school_year = models.ForeignKey(
        SchoolYear, verbose_name=_("school year"), on_delete=models.CASCADE, related_name="+"
    )
    item = models.CharField(_("responsibility"), max_length=30, choices=Responsibility.choices)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ResponsibilityStatus.choices,
        default=ResponsibilityStatus.NOT_STARTED,
    )
    evidence = models.CharField(_("evidence"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibilities")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "school_year", "item"], name="responsibility_once_a_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_item_display()}"


class LeaderMeetingNotes(models.Model):
    """Who writes the notes of a teacher-leader meeting, and the notes (read by the programme lead)."""

    meeting = models.OneToOneField(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="leader_notes",
    )
    writer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("note-taker"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    text = models.TextField(_("notes"), max_length=10000, blank=True)
    submitted_at = models.DateTimeField(_("sent to the programme lead at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("teacher-leader meeting notes")
        verbose_name_plural = _("teacher-leader meeting notes")

    def __str__(self) -> str:
        return str(self.meeting)
