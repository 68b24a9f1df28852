"""Case sessions: work cases, small groups, the live phase 0-6 run, notes, reflections,
first small steps and the phase-6 report."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from meetings.models import Meeting
from meetings.phases import Phase

USER = settings.AUTH_USER_MODEL
DEFAULT_MIN_GROUP_SIZE = 3
DEFAULT_MAX_GROUP_SIZE = 5
# The longest text a member writes in one field of a work case or a reflection.
TEXT_MAX_LENGTH = 4000


class CaseStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("work case", "draft")
    SUBMITTED = "submitted", pgettext_lazy("work case", "submitted")


class WorkCase(models.Model):
    """A situation from a member's own work that they bring into a meeting (werkcasus).

    A draft is seen by its author only. Once submitted, the title and presenter are listed
    for the teacher leaders; the text is read only during the meeting, by the presenter's
    small group and the PLG's teacher leaders (see casework.permissions).
    """

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="cases"
    )
    presenter = models.ForeignKey(
        USER, verbose_name=_("presenter"), on_delete=models.CASCADE, related_name="work_cases"
    )
    title = models.CharField(_("short title"), max_length=120)
    situation = models.TextField(_("the situation"))
    question = models.TextField(_("my question"))
    tried = models.TextField(_("what I already tried"), blank=True)
    why_now = models.TextField(_("why it matters now"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.DRAFT
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("work case")
        verbose_name_plural = _("work cases")
        ordering = ["meeting", "submitted_at", "created_at"]
        constraints = [
            # One case per member per meeting: members take turns.
            models.UniqueConstraint(fields=["meeting", "presenter"], name="case_one_per_meeting"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_submitted(self) -> bool:
        return self.status == CaseStatus.SUBMITTED


class GroupSplit(models.Model):
    """How a meeting's members present were split into small groups, and how good it was."""

    meeting = models.OneToOneField(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="group_split"
    )
    min_size = models.PositiveSmallIntegerField(_("smallest group"), default=DEFAULT_MIN_GROUP_SIZE)
    max_size = models.PositiveSmallIntegerField(_("largest group"), default=DEFAULT_MAX_GROUP_SIZE)
    # Pairs that sat together at an earlier meeting this year, now and for a random split.
    repeated_pairs = models.PositiveIntegerField(_("repeated pairs"), default=0)
    random_repeated_pairs = models.FloatField(_("repeated pairs in a random split"), default=0)
    made_by = models.ForeignKey(
        USER, verbose_name=_("made by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    made_at = models.DateTimeField(_("made at"), default=timezone.now)

    class Meta:
        verbose_name = _("small-group split")
        verbose_name_plural = _("small-group splits")

    def __str__(self) -> str:
        return str(self.meeting)


class SmallGroup(models.Model):
    """A small group for phases 1-5: a leader, its members and one work case."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="small_groups"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    leader = models.ForeignKey(
        USER,
        verbose_name=_("group leader"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="small_groups_led",
    )
    case = models.OneToOneField(
        WorkCase,
        verbose_name=_("work case"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="small_group",
    )
    # A group may run ahead of or behind the whole meeting during phases 1-5.
    phase = models.PositiveSmallIntegerField(
        _("current phase"), choices=Phase.choices, null=True, blank=True
    )
    phase_started_at = models.DateTimeField(_("phase started at"), null=True, blank=True)

    class Meta:
        verbose_name = _("small group")
        verbose_name_plural = _("small groups")
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="small_group_number"),
        ]

    def __str__(self) -> str:
        return str(_("Group %(number)d") % {"number": self.number})


class SmallGroupMember(models.Model):
    group = models.ForeignKey(
        SmallGroup, verbose_name=_("small group"), on_delete=models.CASCADE, related_name="seats"
    )
    # Repeated from the group so the database can hold "one group per person per meeting".
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="+"
    )
    member = models.ForeignKey(
        USER, verbose_name=_("member"), on_delete=models.CASCADE, related_name="small_group_seats"
    )

    class Meta:
        verbose_name = _("small-group member")
        verbose_name_plural = _("small-group members")
        ordering = ["group", "member__name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="one_group_per_meeting"),
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.group}"


class MeetingRun(models.Model):
    """The live run of a meeting through phases 0-6, moved on by a teacher leader."""

    meeting = models.OneToOneField(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="run"
    )
    phase = models.PositiveSmallIntegerField(
        _("current phase"), choices=Phase.choices, default=Phase.THEME
    )
    phase_started_at = models.DateTimeField(_("phase started at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    started_by = models.ForeignKey(
        USER, verbose_name=_("started by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("meeting run")
        verbose_name_plural = _("meeting runs")

    def __str__(self) -> str:
        return str(self.meeting)

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class NoteKind(models.TextChoices):
    TEXT = "text", _("text")
    SCORE = "score", _("score 0-10")
    YES_NO = "yes_no", _("yes or no")
    DATE = "date", _("date")


class NoteField(models.TextChoices):
    """What the live screen records per phase; one glossary for screen, report and exports."""

    CASE_QUESTION = "case_question", _("The presenter's question")
    QUESTIONS_ASKED = "questions_asked", _("Questions asked")
    ASPECT = "aspect", _("The aspect the group chose to analyse")
    REFORMULATED = "reformulated", _("The question in new words")
    ADVICE = "advice", _("Advice given")
    INSIGHTS = "insights", _("The presenter's new insights")
    QUESTION_CHANGED = "question_changed", _("Did the question change?")
    GROUP_THEME = "group_theme", _("The group theme")
    SCORE = "score", _("Scale score (0-10)")
    STEP_HIGHER = "step_higher", _("What one step higher would look like")
    FIRST_STEP = "first_step", _("The presenter's first small step")
    USABLE = "usable", _("What the presenter can use")
    LEARNING_YIELD = "learning_yield", _("Learning yield")
    CLOSING = "closing", _("How the theme was closed")
    WENT_WELL = "went_well", _("What went well")
    DO_BETTER = "do_better", _("What to do better next time")
    NEXT_THEME = "next_theme", _("Theme of the next meeting")
    NEXT_DATE = "next_date", _("Date of the next meeting")


@dataclass(frozen=True)
class NoteSpec:
    field: NoteField
    phase: Phase
    kind: str = NoteKind.TEXT
    # One note per member of the small group instead of one for the group.
    per_member: bool = False
    help_text: Promise | str = ""


NOTE_SPECS: dict[NoteField, NoteSpec] = {
    spec.field: spec
    for spec in (
        NoteSpec(NoteField.CASE_QUESTION, Phase.CASE),
        NoteSpec(NoteField.QUESTIONS_ASKED, Phase.UNDERSTANDING),
        NoteSpec(NoteField.ASPECT, Phase.UNDERSTANDING),
        NoteSpec(NoteField.REFORMULATED, Phase.INSIGHTS),
        NoteSpec(NoteField.ADVICE, Phase.INSIGHTS),
        NoteSpec(NoteField.INSIGHTS, Phase.INSIGHTS),
        NoteSpec(NoteField.QUESTION_CHANGED, Phase.INSIGHTS, NoteKind.YES_NO),
        NoteSpec(NoteField.GROUP_THEME, Phase.LOOKING_BACK),
        NoteSpec(NoteField.SCORE, Phase.LOOKING_BACK, NoteKind.SCORE),
        NoteSpec(NoteField.STEP_HIGHER, Phase.LOOKING_BACK),
        NoteSpec(NoteField.FIRST_STEP, Phase.NEXT_STEPS),
        NoteSpec(NoteField.USABLE, Phase.NEXT_STEPS),
        NoteSpec(NoteField.LEARNING_YIELD, Phase.NEXT_STEPS, per_member=True),
        NoteSpec(NoteField.CLOSING, Phase.CLOSING),
        NoteSpec(NoteField.WENT_WELL, Phase.CLOSING),
        NoteSpec(NoteField.DO_BETTER, Phase.CLOSING),
        NoteSpec(NoteField.NEXT_THEME, Phase.CLOSING),
        NoteSpec(NoteField.NEXT_DATE, Phase.CLOSING, NoteKind.DATE),
    )
}


def note_specs_for(phase: int) -> list[NoteSpec]:
    """The note fields of one phase, in screen order."""
    return [spec for spec in NOTE_SPECS.values() if spec.phase == phase]


class PhaseNote(models.Model):
    """One field of the live notes: per small group (phases 1-5) or for the whole PLG (phase 6).

    `version` goes up by one on every save, so a save made from an older version is
    noticed instead of silently overwriting someone else's words.
    """

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="notes"
    )
    group = models.ForeignKey(
        SmallGroup,
        verbose_name=_("small group"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notes",
    )
    field = models.CharField(_("field"), max_length=30, choices=NoteField.choices)
    # Only for per-member fields (a member's learning yield).
    member = models.ForeignKey(
        USER,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    text = models.TextField(_("text"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_by = models.ForeignKey(
        USER, verbose_name=_("updated by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("phase note")
        verbose_name_plural = _("phase notes")
        ordering = ["meeting", "group", "field"]
        constraints = [
            # NULLs never collide in a unique index, so each shape gets its own constraint.
            models.UniqueConstraint(
                fields=["group", "field"],
                condition=Q(group__isnull=False, member__isnull=True),
                name="note_unique_group_field",
            ),
            models.UniqueConstraint(
                fields=["group", "field", "member"],
                condition=Q(group__isnull=False, member__isnull=False),
                name="note_unique_member_field",
            ),
            models.UniqueConstraint(
                fields=["meeting", "field"],
                condition=Q(group__isnull=True),
                name="note_unique_meeting_field",
            ),
        ]

    def __str__(self) -> str:
        return self.get_field_display()

    @property
    def spec(self) -> NoteSpec:
        return NOTE_SPECS[NoteField(self.field)]


class StepStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("first small step", "not reviewed yet")
    DONE = "done", pgettext_lazy("first small step", "done")
    PARTLY = "partly", pgettext_lazy("first small step", "partly done")
    NOT_DONE = "not_done", pgettext_lazy("first small step", "not done")


class NextStep(models.Model):
    """A presenter's first small step, to look back on before the next meeting.

    The step's words live in the phase-5 note; this row holds the follow-up.
    """

    note = models.OneToOneField(
        PhaseNote, verbose_name=_("phase note"), on_delete=models.CASCADE, related_name="next_step"
    )
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="next_steps"
    )
    presenter = models.ForeignKey(
        USER, verbose_name=_("presenter"), on_delete=models.CASCADE, related_name="next_steps"
    )
    status = models.CharField(
        _("how it went"), max_length=20, choices=StepStatus.choices, default=StepStatus.OPEN
    )
    outcome = models.TextField(_("what happened"), blank=True)
    reviewed_at = models.DateTimeField(_("looked back on"), null=True, blank=True)

    class Meta:
        verbose_name = _("first small step")
        verbose_name_plural = _("first small steps")
        ordering = ["meeting", "presenter__name"]

    def __str__(self) -> str:
        # Not the step's words: a title may show up in admin pages, logs and histories.
        return str(_("First small step of %(name)s") % {"name": self.presenter})

    @property
    def text(self) -> str:
        return self.note.text


class Reflection(models.Model):
    """A participant's reflection on a meeting: private to its author unless shared.

    Nobody else reads a private reflection: not teacher leaders, team leaders or admins,
    and not through the admin site, reports or exports (it is not registered in the admin).
    """

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="reflections"
    )
    author = models.ForeignKey(
        USER, verbose_name=_("author"), on_delete=models.CASCADE, related_name="reflections"
    )
    learned = models.TextField(_("what I learned"), blank=True)
    method = models.TextField(_("how the way of working suited me"), blank=True)
    bothers = models.TextField(_("what is still on my mind"), blank=True)
    learning_question = models.TextField(_("progress on my learning question"), blank=True)
    shared = models.BooleanField(_("shared with my PLG"), default=False)
    created_at = models.DateTimeField(_("written at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("reflection")
        verbose_name_plural = _("reflections")
        ordering = ["meeting", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "author"], name="reflection_one_per_meeting"
            ),
        ]

    def __str__(self) -> str:
        # Never the text: a string of a private reflection may end up in a log or a list.
        return str(_("Reflection on %(meeting)s") % {"meeting": self.meeting})


def report_pdf_upload_to(instance: MeetingReport, filename: str) -> str:
    # A random folder keeps names unguessable; the files are only served through access checks.
    import uuid

    return f"reports/{instance.meeting_id}/{uuid.uuid4().hex}/{filename}"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("phase-6 report", "draft")
    FINAL = "final", pgettext_lazy("phase-6 report", "final")


class MeetingReport(models.Model):
    """The phase-6 report of a meeting, written by its two preparers.

    Compiled from the phase notes as a draft; once final it is read by the team leader and
    goes on the agenda of the next team meeting until marked discussed.
    """

    meeting = models.OneToOneField(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="report"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    present = models.TextField(_("who was present"), blank=True)
    cases = models.TextField(_("the cases"), blank=True)
    insights = models.TextField(_("questions and insights"), blank=True)
    scores = models.TextField(_("scale scores"), blank=True)
    first_steps = models.TextField(_("first small steps"), blank=True)
    evaluation = models.TextField(_("evaluation"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    compiled_at = models.DateTimeField(_("compiled at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    updated_by = models.ForeignKey(
        USER, verbose_name=_("updated by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    finalised_at = models.DateTimeField(_("made final at"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        USER,
        verbose_name=_("made final by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Rendered by a Celery task once the report is final, for the team-meeting packet.
    pdf = models.FileField(_("PDF"), upload_to=report_pdf_upload_to, max_length=300, blank=True)
    pdf_rendered_at = models.DateTimeField(_("PDF made at"), null=True, blank=True)
    discussed_at = models.DateTimeField(_("discussed at the team meeting"), null=True, blank=True)
    discussed_by = models.ForeignKey(
        USER,
        verbose_name=_("marked discussed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    SECTIONS = ("present", "cases", "insights", "scores", "first_steps", "evaluation")

    class Meta:
        verbose_name = _("phase-6 report")
        verbose_name_plural = _("phase-6 reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(finalised_at__isnull=False),
                name="report_final_has_moment",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Phase-6 report of %(meeting)s") % {"meeting": self.meeting})

    @property
    def is_final(self) -> bool:
        return self.status == ReportStatus.FINAL


class YearlyReportScope(models.TextChoices):
    PLG = "plg", _("one PLG")
    TEAM = "team", pgettext_lazy("teaching team", "one team")
    SCHOOL = "school", _("the whole school")


class YearlyReportStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("yearly report", "waiting to be compiled")
    RUNNING = "running", pgettext_lazy("yearly report", "being compiled")
    DONE = "done", pgettext_lazy("yearly report", "ready")
    FAILED = "failed", pgettext_lazy("yearly report", "failed")


class YearlyReport(models.Model):
    """A yearly report (jaarverslag) of one PLG, team or school: the job and its result.

    Compiled by a Celery task into `data`; never holds anything from a reflection.
    """

    scope = models.CharField(_("scope"), max_length=10, choices=YearlyReportScope.choices)
    school = models.ForeignKey(
        "communities.School",
        verbose_name=_("school"),
        on_delete=models.CASCADE,
        related_name="yearly_reports",
    )
    school_year = models.ForeignKey(
        "communities.SchoolYear",
        verbose_name=_("school year"),
        on_delete=models.CASCADE,
        related_name="yearly_reports",
    )
    community = models.ForeignKey(
        "communities.Community",
        verbose_name=_("PLG"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="yearly_reports",
    )
    team = models.ForeignKey(
        "communities.Team",
        verbose_name=pgettext_lazy("teaching team", "team"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="yearly_reports",
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=YearlyReportStatus.choices,
        default=YearlyReportStatus.QUEUED,
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    data = models.JSONField(_("result"), default=dict, blank=True)
    requested_by = models.ForeignKey(
        USER,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("yearly report")
        verbose_name_plural = _("yearly reports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="yearly_progress_max"),
            models.CheckConstraint(
                condition=(Q(scope="plg") & Q(community__isnull=False))
                | (Q(scope="team") & Q(team__isnull=False) & Q(community__isnull=True))
                | (Q(scope="school") & Q(team__isnull=True) & Q(community__isnull=True)),
                name="yearly_scope_has_subject",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Yearly report (%(scope)s)") % {"scope": self.get_scope_display()})

    @property
    def is_finished(self) -> bool:
        return self.status in (YearlyReportStatus.DONE, YearlyReportStatus.FAILED)


class MeetingEvaluation(models.Model):
    """A member's two-line look back on a meeting: what went well, what we do better next time.

    Anonymous like the health check: no author, no time, a random key; who answered is kept
    apart in MeetingEvaluationParticipation.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="evaluations",
    )
    went_well = models.TextField(_("what went well"), max_length=1000, blank=True)
    do_better = models.TextField(_("what we do better next time"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("meeting evaluation")
        verbose_name_plural = _("meeting evaluations")
        ordering = ["id"]

    def __str__(self) -> str:
        return str(self.meeting)


class MeetingEvaluationParticipation(models.Model):
    """That a member evaluated a meeting; nothing that ties it to their answer.

    No time, and a random key: every new answer rewrites all of the meeting's rows in random
    order with fresh keys, so neither row order nor transaction id matches them to an answer.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="evaluation_participations",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta:
        verbose_name = _("meeting evaluation participation")
        verbose_name_plural = _("meeting evaluation participations")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"], name="meeting_evaluation_participation_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.user}"
