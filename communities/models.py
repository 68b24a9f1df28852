"""School structure (school, year, periods, holidays, teams) and PLGs with their members."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from plg_platform.privacy import DEFAULT_RETENTION_YEARS

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
    retention_years = models.PositiveSmallIntegerField(
        _("keep cases, reflections and notes for (school years)"),
        default=DEFAULT_RETENTION_YEARS,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_(
            "Counted after the school year they belong to. After that they are deleted; "
            "reports keep only their numbers."
        ),
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


class CommunityKind(models.TextChoices):
    PLG = "plg", _("PLG")
    # The school's teacher leaders form a PLG of their own (same meetings and case sessions).
    TEACHER_LEADERS = "teacher_leaders", _("teacher leaders' PLG")


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
    kind = models.CharField(
        _("kind"), max_length=20, choices=CommunityKind.choices, default=CommunityKind.PLG
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


class ProductStatus(models.TextChoices):
    IDEA = "idea", pgettext_lazy("product status", "idea")
    IN_PROGRESS = "in_progress", pgettext_lazy("product status", "in progress")
    FINISHED = "finished", pgettext_lazy("product status", "finished")


class Product(models.Model):
    """What a PLG develops in its year (productontwikkeling), recorded by its teacher leaders."""

    community = models.OneToOneField(
        Community, verbose_name=_("PLG"), on_delete=models.CASCADE, related_name="product_record"
    )
    title = models.CharField(_("title"), max_length=200)
    goal = models.TextField(_("goal"), max_length=2000)
    steps = models.TextField(_("steps"), max_length=4000, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ProductStatus.choices, default=ProductStatus.IDEA
    )
    contributors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contributors"),
        related_name="contributed_products",
        blank=True,
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    finished_on = models.DateField(_("finished on"), null=True, blank=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")

    def __str__(self) -> str:
        return self.title


def product_upload_to(instance: ProductLink, filename: str) -> str:
    # A random folder keeps file names unguessable; files are only served through an access check.
    return f"products/{instance.product_id}/{uuid.uuid4().hex}/{filename}"


class ProductLink(models.Model):
    """A file or a link that belongs to a PLG's product."""

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="links"
    )
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("link"), max_length=500, blank=True)
    file = models.FileField(_("file"), upload_to=product_upload_to, max_length=300, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("product file or link")
        verbose_name_plural = _("product files and links")
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return self.title


class Characteristic(models.IntegerChoices):
    """The seven characteristics of an effective PLG; one glossary (explanations in health.py)."""

    SHARED_GOALS = 1, _("Shared values and goals")
    LEARNING_FOCUS = 2, _("Focus on learning")
    CLOSE_TO_PRACTICE = 3, _("Close to our own teaching")
    COLLABORATION = 4, _("Active collaboration")
    ACTION_AND_REFLECTION = 5, _("Action and reflection")
    EXPERT_GUIDANCE = 6, _("An expert who guides")
    CONDITIONS = 7, _("Supporting conditions")


HEALTH_CHECK_MOMENTS = 3
# After meeting 1, after meeting 3, at meeting 6 (dates adjustable per PLG).
HEALTH_CHECK_AFTER_MEETING = {1: 1, 2: 3, 3: 6}
HEALTH_MIN_ANSWERS = 3


class HealthCheckMoment(models.Model):
    """One of the three moments a year at which a PLG's members score the seven characteristics."""

    community = models.ForeignKey(
        Community,
        verbose_name=_("PLG"),
        on_delete=models.CASCADE,
        related_name="health_check_moments",
    )
    number = models.PositiveSmallIntegerField(_("number"))
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))

    class Meta:
        verbose_name = _("health-check moment")
        verbose_name_plural = _("health-check moments")
        ordering = ["community", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "number"], name="health_moment_unique_number"
            ),
            models.CheckConstraint(
                condition=models.Q(number__gte=1, number__lte=HEALTH_CHECK_MOMENTS),
                name="health_moment_number_in_year",
            ),
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="health_moment_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.community} · {self.number}"


class HealthCheckParticipation(models.Model):
    """That a member answered at a moment; kept apart from what they answered.

    No time, and a random key: every new answer rewrites all of the moment's rows in random
    order with fresh keys, so neither row order nor transaction id matches them to an answer.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    moment = models.ForeignKey(
        HealthCheckMoment,
        verbose_name=_("moment"),
        on_delete=models.CASCADE,
        related_name="participations",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta:
        verbose_name = _("health-check participation")
        verbose_name_plural = _("health-check participations")
        constraints = [
            models.UniqueConstraint(fields=["moment", "user"], name="health_participation_once"),
        ]

    def __str__(self) -> str:
        return f"{self.moment} · {self.user}"


def _score_field(characteristic: Characteristic) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        characteristic.label, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )


class HealthCheckAnswer(models.Model):
    """One anonymous set of scores (1-5) for the seven characteristics at one moment.

    Deliberately without author, time or sequential id: a random key and nothing else, so
    that not even someone with database access can tell whose answer it is.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    moment = models.ForeignKey(
        HealthCheckMoment,
        verbose_name=_("moment"),
        on_delete=models.CASCADE,
        related_name="answers",
    )
    score_1 = _score_field(Characteristic.SHARED_GOALS)
    score_2 = _score_field(Characteristic.LEARNING_FOCUS)
    score_3 = _score_field(Characteristic.CLOSE_TO_PRACTICE)
    score_4 = _score_field(Characteristic.COLLABORATION)
    score_5 = _score_field(Characteristic.ACTION_AND_REFLECTION)
    score_6 = _score_field(Characteristic.EXPERT_GUIDANCE)
    score_7 = _score_field(Characteristic.CONDITIONS)
    comment = models.TextField(_("comment"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("health-check answer")
        verbose_name_plural = _("health-check answers")
        # Ordered by the random key: never by when it was given.
        ordering = ["id"]

    def __str__(self) -> str:
        return str(self.moment)

    def scores(self) -> dict[int, int]:
        return {c.value: getattr(self, f"score_{c.value}") for c in Characteristic}


class HealthActionRole(models.TextChoices):
    TEAM_LEADER = "team_leader", _("team leader")
    ORGANISER = "organiser", _("organiser")
    PARTICIPANT = "participant", _("participant")
    EXPERT = "expert", _("expert")


class HealthActionStatus(models.TextChoices):
    AGREED = "agreed", pgettext_lazy("health action", "agreed")
    DONE = "done", pgettext_lazy("health action", "done")
    DROPPED = "dropped", pgettext_lazy("health action", "dropped")


class HealthAction(models.Model):
    """An action a PLG agreed on after a health check, with an owner; followed up next moment."""

    moment = models.ForeignKey(
        HealthCheckMoment,
        verbose_name=_("moment"),
        on_delete=models.CASCADE,
        related_name="actions",
    )
    characteristic = models.PositiveSmallIntegerField(
        _("characteristic"), choices=Characteristic.choices
    )
    role = models.CharField(_("for whom"), max_length=20, choices=HealthActionRole.choices)
    text = models.TextField(_("action"), max_length=1000)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="health_actions",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=HealthActionStatus.choices,
        default=HealthActionStatus.AGREED,
    )
    follow_up = models.TextField(_("follow-up"), max_length=1000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agreed by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("agreed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("agreed action")
        verbose_name_plural = _("agreed actions")
        ordering = ["moment", "characteristic", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class AuditAction(models.TextChoices):
    """What the audit log records; one glossary for the log page and its filter."""

    YEARLY_REPORT_OPENED = "yearly_report_opened", _("opened a yearly report")
    YEARLY_REPORT_DOWNLOADED = "yearly_report_downloaded", _("downloaded a yearly report")
    PACKET_DOWNLOADED = "packet_downloaded", _("downloaded a team-meeting packet")
    MEMBERSHIP_CHANGED = "membership_changed", _("changed a membership or role")
    TEAM_LEADERS_CHANGED = "team_leaders_changed", _("changed a team's leaders")
    PROGRAMME_LEADS_CHANGED = "programme_leads_changed", _("changed the programme leads")
    DATA_EXPORTED = "data_exported", _("downloaded their own data")
    ACCOUNT_DELETED = "account_deleted", _("deleted an account")
    RETENTION_DELETED = "retention_deleted", _("deleted data past its retention period")
    SCHOOL_SETTINGS_CHANGED = "school_settings_changed", _("changed a school setting")


class AuditEvent(models.Model):
    """Who did what, when, in a school: for the programme lead and the privacy officer.

    `actor_label` and `subject` are plain text copied at the time, so the log still reads
    right after an account or a PLG is deleted.
    """

    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.CASCADE, related_name="audit_events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(_("who (as shown then)"), max_length=200, blank=True)
    action = models.CharField(_("what"), max_length=40, choices=AuditAction.choices)
    subject = models.CharField(_("about"), max_length=300, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["school", "action", "-at"], name="audit_school_action")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.get_action_display()}"


class PageVersion(models.Model):
    """How often a school's data (or, in scope 0, the platform's) has changed: part of the key
    of every page kept for a session (communities.page_cache), so a change retires them all."""

    scope = models.PositiveBigIntegerField(_("school, or 0 for the platform"), primary_key=True)
    version = models.BigIntegerField(_("version"), default=0)

    class Meta:
        verbose_name = _("page version")
        verbose_name_plural = _("page versions")

    def __str__(self) -> str:
        return f"{self.scope}: {self.version}"
