"""School structure (school, year, periods, holidays, teams) and PLGs with their members."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .querysets import CommunityQuerySet, MembershipQuerySet

# Group-size advice from the PLG handbooks; the product warns, it never forbids.
MAX_GROUP_SIZE = 15
TEACHER_LEADERS_PER_PLG = 2
FIRST_YEAR_MIN_MEMBERS = 4
FIRST_YEAR_MAX_MEMBERS = 7
PERIODS_PER_YEAR = 4


class School(models.Model):
    name = models.CharField(_("name"), max_length=200)
    admins = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("programme leads"),
        related_name="administered_schools",
        blank=True,
        help_text=_("Programme leads set up the school year, teams and PLGs, and see all PLGs."),
    )
    require_two_factor = models.BooleanField(
        _("require two-factor sign-in for team leaders and programme leads"),
        default=False,
        help_text=_(
            "They then set up an authenticator app the next time they sign in, before anything else."
        ),
    )

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SchoolYear(models.Model):
    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.CASCADE, related_name="school_years"
    )
    name = models.CharField(_("name"), max_length=20, help_text=_("For example 2026-2027."))
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))

    class Meta:
        verbose_name = _("school year")
        verbose_name_plural = _("school years")
        ordering = ["school", "-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="school_year_unique_name"),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="school_year_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def contains(self, day: dt.date) -> bool:
        return self.starts_on <= day <= self.ends_on


class Period(models.Model):
    school_year = models.ForeignKey(
        SchoolYear, verbose_name=_("school year"), on_delete=models.CASCADE, related_name="periods"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))

    class Meta:
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        ordering = ["school_year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["school_year", "number"], name="period_unique_number"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="period_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return str(_("Period %(number)s") % {"number": self.number})


class Holiday(models.Model):
    school_year = models.ForeignKey(
        SchoolYear, verbose_name=_("school year"), on_delete=models.CASCADE, related_name="holidays"
    )
    name = models.CharField(_("name"), max_length=100)
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["school_year", "first_day"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=models.F("first_day")), name="holiday_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def contains(self, day: dt.date) -> bool:
        return self.first_day <= day <= self.last_day


class Team(models.Model):
    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.CASCADE, related_name="teams"
    )
    name = models.CharField(_("name"), max_length=200)
    leaders = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("team leaders"),
        related_name="led_teams",
        blank=True,
    )

    class Meta:
        verbose_name = pgettext_lazy("teaching team", "team")
        verbose_name_plural = pgettext_lazy("teaching team", "teams")
        ordering = ["school", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="team_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Community(models.Model):
    """A PLG: a group of teachers with a shared development goal, for one school year."""

    team = models.ForeignKey(
        Team,
        verbose_name=pgettext_lazy("teaching team", "team"),
        on_delete=models.PROTECT,
        related_name="communities",
    )
    school_year = models.ForeignKey(
        SchoolYear,
        verbose_name=_("school year"),
        on_delete=models.PROTECT,
        related_name="communities",
    )
    name = models.CharField(_("name"), max_length=200)
    vision = models.TextField(_("shared vision and goals"), blank=True)
    question = models.TextField(_("question the PLG explores"), blank=True)
    product = models.TextField(
        _("product to develop"),
        blank=True,
        help_text=_("For example a teaching module or a guide for colleagues."),
    )
    is_first_year = models.BooleanField(
        _("first year"),
        default=True,
        help_text=_("A PLG that is just starting; 4 to 7 members is advised."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CommunityQuerySet.as_manager()

    class Meta:
        verbose_name = _("PLG")
        verbose_name_plural = _("PLGs")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "school_year", "name"], name="community_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def school(self) -> School:
        return self.team.school


class Role(models.TextChoices):
    """The roles a person can hold in a PLG; one glossary for code and screen."""

    TEACHER_LEADER = "teacher_leader", pgettext_lazy("PLG role", "teacher leader")
    DEVELOPMENT_TEAM = "development_team", pgettext_lazy("PLG role", "development-team member")
    PARTICIPANT = "participant", pgettext_lazy("PLG role", "participant")
    EXPERT = "expert", pgettext_lazy("PLG role", "external expert")

    @property
    def field_name(self) -> str:
        return f"is_{self.value}"


class Membership(models.Model):
    community = models.ForeignKey(
        Community, verbose_name=_("PLG"), on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    is_participant = models.BooleanField(Role.PARTICIPANT.label, default=False)
    is_teacher_leader = models.BooleanField(Role.TEACHER_LEADER.label, default=False)
    is_development_team = models.BooleanField(Role.DEVELOPMENT_TEAM.label, default=False)
    is_expert = models.BooleanField(Role.EXPERT.label, default=False)
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["community", "user__name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["community", "user"], name="membership_unique_person"),
            models.CheckConstraint(
                condition=Q(is_participant=True)
                | Q(is_teacher_leader=True)
                | Q(is_development_team=True)
                | Q(is_expert=True),
                name="membership_has_a_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.community}"

    @property
    def roles(self) -> list[Role]:
        return [role for role in Role if getattr(self, role.field_name)]

    @property
    def role_labels(self) -> str:
        return ", ".join(str(role.label) for role in self.roles)

    @property
    def counts_as_group_member(self) -> bool:
        """An external expert alone is a guest, not one of the group."""
        return any(role != Role.EXPERT for role in self.roles)

    def set_roles(self, roles: list[str] | list[Role]) -> None:
        chosen = {Role(role) for role in roles}
        for role in Role:
            setattr(self, role.field_name, role in chosen)


class LearningQuestion(models.Model):
    """A participant's personal learning question (leervraag) for the year in one PLG."""

    membership = models.OneToOneField(
        Membership,
        verbose_name=_("membership"),
        on_delete=models.CASCADE,
        related_name="learning_question",
    )
    text = models.TextField(_("learning question"), max_length=2000)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("learning question")
        verbose_name_plural = _("learning questions")

    def __str__(self) -> str:
        return self.text[:60]
