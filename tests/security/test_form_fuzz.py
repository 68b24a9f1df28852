"""Feed every form the views use with hostile input (oversized, malformed numbers and dates,
HTML/script, Unicode edge cases) through the real views, as the persona allowed to post it.

Each answer must be: no 500; rejected (400, or the page again with errors) with no row of the
database changed; or stored, and then shown escaped (the raw script never comes back).

A form only counts as fuzzed when the view really gets to it: a known input must first be
stored (or come back with errors on the form's fields), not refused for the persona or the
state of the world, and at least one hostile example per form must reach the form's validation
(rejected with errors, or stored); a redirect that stored nothing proves nothing."""

from __future__ import annotations

import copy
import dataclasses
import importlib
import inspect
import pkgutil
from collections.abc import Callable

import pytest
import time_machine
from django import forms
from django.apps import apps
from django.contrib import messages
from django.contrib.messages import get_messages
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casework.models import MeetingReport, MeetingRun, ReportStatus, SmallGroupMember
from communities.models import Membership
from meetings.models import MeetingStatus
from teacherleaders.services.leader_plg import leader_notes_writer_set

from .conftest import NOW, SecurityWorld, Site

SCRIPT = "<script>alert(1)</script>"
RAW_SCRIPT = b"<script>alert(1)"
FORM_APPS = ("communities", "meetings", "casework", "teacherleaders", "plg_platform")
# Tables compared before and after a rejected form: everything our apps and users keep.
SNAPSHOT_APPS = ("communities", "meetings", "casework", "teacherleaders", "users")
ERROR_MARKERS = (b"errorlist", b"is-invalid", b"invalid-feedback", b'role="alert"')

NASTY = [
    SCRIPT,
    f'"><img src=x onerror=alert(1)>{SCRIPT}',
    "x" * 100_000,
    SCRIPT * 3000,
    "1e999",
    "-1",
    "NaN",
    "99999999999999999999999",
    "²",
    "٣",
    "0x10",
    "2026-02-30",
    "31-12-2026",
    "0000-00-00",
    "9999-12-31",
    "2026-13-01",
    "25:61",
    "\u202eevil\u202c",
    "zero\u200bwidth\u200d",
    "\U0001f600\U0001f469\u200d\U0001f469\u200d\U0001f467",
    "nul\x00byte",
    "",
    " ",
    "\r\n\t",
]

# form class name -> (url name, {kwarg: path on site A}, who posts, field-name prefix or "").
# Who posts: a persona of the security world, or "site:<path>" for a person on site A.
# Forms about a coming meeting post to site.coming, about a meeting just held to site.held.
C, M, S = "community.pk", "meeting.pk", "school.pk"
FORMS: dict[str, tuple[str, dict[str, str], str, str]] = {
    "SchoolForm": ("communities:school_edit", {"pk": S}, "programme_lead", ""),
    "SchoolYearForm": ("communities:school_year_create", {"pk": S}, "programme_lead", ""),
    "PeriodForm": ("communities:school_year_create", {"pk": S}, "programme_lead", "periods-0-"),
    "HolidayForm": ("communities:school_year_create", {"pk": S}, "programme_lead", "holidays-0-"),
    "TeamForm": ("communities:team_create", {"pk": S}, "programme_lead", ""),
    "CommunityForm": ("communities:community_create", {"pk": S}, "programme_lead", ""),
    "CommunityEditForm": ("communities:edit", {"pk": C}, "teacher_leader", ""),
    "MemberAddForm": ("communities:member_add", {"pk": C}, "teacher_leader", ""),
    "MemberRolesForm": (
        "communities:member_edit",
        {"pk": C, "membership_pk": "membership.pk"},
        "teacher_leader",
        "",
    ),
    "LearningQuestionForm": ("communities:learning_question", {"pk": C}, "participant", ""),
    "HealthAnswerForm": (
        "communities:health_answer",
        {"pk": C, "number": "health_number"},
        "participant",
        "",
    ),
    "HealthDatesForm": ("communities:health_dates", {"pk": C}, "teacher_leader", ""),
    "HealthActionForm": (
        "communities:health_action_add",
        {"pk": C, "number": "health_number"},
        "teacher_leader",
        "",
    ),
    "HealthActionFollowUpForm": (
        "communities:health_action_edit",
        {"pk": C, "action_pk": "health_action.pk"},
        "teacher_leader",
        "",
    ),
    "ProductForm": ("communities:product_edit", {"pk": C}, "teacher_leader", ""),
    "ProductLinkForm": ("communities:product_link_add", {"pk": C}, "teacher_leader", ""),
    "WorkCaseForm": ("casework:my_case", {"pk": "coming.pk"}, "participant", ""),
    "EvaluationForm": ("casework:evaluation", {"pk": "held.pk"}, "participant", ""),
    "GroupSplitForm": ("casework:groups", {"pk": "coming.pk"}, "teacher_leader", ""),
    "GroupMoveForm": ("casework:group_move", {"pk": "held.pk"}, "teacher_leader", ""),
    "GroupUpdateForm": (
        "casework:group_update",
        {"pk": M, "group_pk": "group.pk"},
        "teacher_leader",
        "",
    ),
    "PhaseMoveForm": ("casework:live_phase", {"pk": "held.pk"}, "teacher_leader", ""),
    "NoteForm": ("casework:note_save", {"pk": "held.pk"}, "teacher_leader", ""),
    "ReflectionForm": ("casework:reflection", {"pk": "held.pk"}, "participant", ""),
    "ReportForm": ("casework:report", {"pk": "held.pk"}, "teacher_leader", ""),
    "ReportCompileForm": ("casework:report_compile", {"pk": "held.pk"}, "teacher_leader", ""),
    "ReportFinaliseForm": ("casework:report_finalise", {"pk": "held.pk"}, "teacher_leader", ""),
    "StepReviewForm": ("casework:step_review", {"pk": "step.pk"}, "site:step.presenter", ""),
    "AbsenceRequestForm": ("meetings:absence_request", {"pk": "coming.pk"}, "participant", ""),
    "AbsenceDecisionForm": ("meetings:absence_decide", {"pk": "absence.pk"}, "team_leader", ""),
    "AttendanceForm": ("meetings:attendance", {"pk": "held.pk"}, "teacher_leader", ""),
    "CalendarFeedRegenerateForm": ("meetings:calendar_feed_regenerate", {}, "site:owner", ""),
    "CalendarFeedRevokeForm": ("meetings:calendar_feed_revoke", {}, "site:owner", ""),
    "NotificationSettingsForm": ("meetings:notification_settings", {}, "participant", ""),
    "ReminderScheduleForm": ("meetings:reminder_schedule", {"pk": S}, "programme_lead", ""),
    "YearPlanForm": ("meetings:year_plan", {"pk": C}, "teacher_leader", ""),
    "MeetingMoveForm": ("meetings:meeting_move", {"pk": "coming.pk"}, "teacher_leader", ""),
    "MeetingCancelForm": ("meetings:meeting_cancel", {"pk": "coming.pk"}, "teacher_leader", ""),
    "PreparersForm": ("meetings:meeting_preparers", {"pk": "coming.pk"}, "teacher_leader", ""),
    "PreparerHoursForm": ("meetings:preparation_hours", {"pk": "coming.pk"}, "site:preparer", ""),
    "ThemeIntroductionForm": ("meetings:meeting_phase0", {"pk": "coming.pk"}, "teacher_leader", ""),
    "MaterialForm": ("meetings:material_add", {"pk": "coming.pk"}, "teacher_leader", ""),
    "AgendaForm": ("meetings:meeting_agenda", {"pk": "coming.pk"}, "teacher_leader", ""),
    "ChecklistTickForm": ("meetings:checklist_tick", {"pk": M}, "teacher_leader", ""),
    "ThemeForm": ("meetings:theme_library", {"pk": S}, "programme_lead", ""),
    "ThemeProposalForm": ("meetings:theme_propose", {"pk": C}, "participant", ""),
    "MeetingThemeForm": ("meetings:meeting_theme", {"pk": "coming.pk"}, "teacher_leader", ""),
    "MeetingThemesFixForm": ("meetings:themes_fix", {"pk": C}, "teacher_leader", ""),
    "LeaderPlgSetupForm": ("teacherleaders:leader_plg_ensure", {"pk": S}, "programme_lead", ""),
    "NoteTakerForm": (
        "teacherleaders:note_taker",
        {"pk": "leader_meeting.pk"},
        "programme_lead",
        "",
    ),
    "LeaderNotesForm": ("teacherleaders:notes", {"pk": "leader_meeting.pk"}, "teacher_leader", ""),
    "TrainingForm": ("teacherleaders:training_create", {"school_pk": S}, "teacher_leader", ""),
    "SelfReflectionForm": (
        "teacherleaders:self_reflection",
        {"school_pk": S},
        "teacher_leader",
        "",
    ),
    "ResponsibilitiesForm": (
        "teacherleaders:responsibilities",
        {"school_pk": S},
        "teacher_leader",
        "",
    ),
    "RetentionForm": ("communities:retention", {"pk": S}, "programme_lead", ""),
    "SchoolAccountDeleteForm": (
        "communities:account_delete",
        {"pk": S, "person_pk": "owner.pk"},
        "programme_lead",
        "",
    ),
    "AuditFilterForm": ("communities:audit_log", {"pk": S}, "programme_lead", ""),
    "PeopleSearchForm": ("communities:school_people", {"pk": S}, "programme_lead", ""),
    "AccountSettingsForm": ("users:settings", {}, "participant", ""),
    "AccountDeleteForm": ("users:account_delete", {}, "participant", ""),
    "LanguageForm": ("users:language", {}, "participant", ""),
}
# Search and filter forms: read from the address of a GET, which must change nothing.
GET_FORMS = {"AuditFilterForm", "PeopleSearchForm"}

# A known input per form that the view must take to the form (stored, or shown with the
# form's errors). The default names no field, so a form with required fields is bound and
# invalid; an empty post would not do: views bind `request.POST or None`.
UNKNOWN_FIELD = {"not-a-field": "1"}
# A form listed here gets valid input that must be stored (302 with rows changed); its values
# also take part in the fuzzing, so examples get past the fields a form checks first.
Value = str | Callable[[Site], str | list[str]]
BASELINES: dict[str, dict[str, Value]] = {
    "AbsenceDecisionForm": {"decision": "approve"},
    "AbsenceRequestForm": {"reason": "Ouderavond."},
    "ChecklistTickForm": {"item": "explain_plg", "done": "1"},
    "EvaluationForm": {"went_well": "De casus.", "do_better": "De tijd."},
    "GroupMoveForm": {"member": lambda site: str(_seated(site).member_id), "to_group": "new"},
    "GroupSplitForm": {"min_size": "3", "max_size": "4", "replace": "on"},
    "GroupUpdateForm": {
        "leader": lambda site: str(site.group.leader_id),
        "case": lambda site: str(site.group.case_id),
    },
    "LeaderNotesForm": {"text": "Afspraken."},
    "LanguageForm": {"language": "en"},
    "LeaderPlgSetupForm": {"school_year": lambda site: str(site.school_year.pk)},
    "LearningQuestionForm": {"text": "Hoe geef ik betere feedback?"},
    "MeetingCancelForm": {"reason": "Studiedag."},
    "MeetingMoveForm": {"day": "2026-12-15", "start_time": "15:30", "duration_minutes": "150"},
    "MeetingThemesFixForm": {"reason": "Gekozen."},
    "NoteTakerForm": {"writer": lambda site: str(site.members[0].pk)},
    "PhaseMoveForm": {"direction": "previous", "from_phase": "3"},
    # The development team: the bench's one (after the two teacher leaders) and the fixture's.
    "PreparersForm": {"users": lambda site: [str(site.members[2].pk), str(site.members[5].pk)]},
    "ReflectionForm": {"learned": "Doorvragen.", "shared": "on"},
    "ReportCompileForm": {"confirm": "on"},
    "ReportFinaliseForm": {"version": lambda site: str(_report(site).version), "confirm": "on"},
    "ReportForm": {"version": lambda site: str(_report(site).version)},
    "WorkCaseForm": {"title": "Een stille klas", "situation": "In 2b zegt niemand iets."},
}

# Sent with every post of the form: the formsets' management data, so the formset is read.
FORMSETS = {
    "periods-TOTAL_FORMS": "1",
    "periods-INITIAL_FORMS": "0",
    "holidays-TOTAL_FORMS": "1",
    "holidays-INITIAL_FORMS": "0",
}
FIXED: dict[str, dict[str, str]] = {"PeriodForm": FORMSETS, "HolidayForm": FORMSETS}
# A formset leaves an untouched extra form alone: the bare post of a holiday names one field.
BARE: dict[str, dict[str, str]] = {"HolidayForm": {"holidays-0-name": "Kerstvakantie"}}
# The live screen answers its autosave (JSON, 400 with the errors) rather than a redirect.
HEADERS: dict[str, dict[str, str]] = {"NoteForm": {"Accept": "application/json"}}


def _seated(site: Site) -> SmallGroupMember:
    return SmallGroupMember.objects.filter(group__meeting=site.held).order_by("pk").first()


def _report(site: Site) -> MeetingReport:
    return MeetingReport.objects.get(meeting=site.held)


# Modules that define no forms and must not be imported here (settings read the environment;
# the server entry points build an application).
SKIPPED_MODULES = ("migrations", "management", "settings", "wsgi", "asgi")


def _modules(app: str) -> list[str]:
    """Every module of the app, wherever it sits: a form defined next to its view (or in a
    sub-package such as plg_platform.users) must not escape the fuzzing."""
    package = importlib.import_module(app)
    return [
        info.name
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{app}.")
        if not set(info.name.split(".")[1:]) & set(SKIPPED_MODULES)
    ]


def form_classes() -> dict[str, type[forms.BaseForm]]:
    """Every Form and ModelForm class defined in the apps' modules, by class name."""
    found = {}
    for app in FORM_APPS:
        for name in _modules(app):
            module = importlib.import_module(name)
            for _, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, forms.BaseForm) and cls.__module__ == name:
                    assert cls.__name__ not in found, f"two forms named {cls.__name__}"
                    found[cls.__name__] = cls
    return found


def test_every_form_has_a_view_to_fuzz_it_through():
    missing = sorted(set(form_classes()) - set(FORMS))
    assert not missing, "forms without an entry in FORMS: " + ", ".join(missing)


def _text() -> st.SearchStrategy[str]:
    """Hostile strings: the fixed list, random Unicode (no surrogates), and script around it."""
    unicode = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
    return st.one_of(
        st.sampled_from(NASTY),
        unicode,
        st.builds(lambda a, b: f"{a}{SCRIPT}{b}", unicode, unicode),
    )


def _field_strategy(field: forms.Field) -> st.SearchStrategy:
    """Hostile input for one field; valid choices now and then, so later checks are reached."""
    # A model choice field gets its queryset per form instance; in base_fields it has none.
    model_field = isinstance(field, forms.ModelChoiceField) and field.queryset is None
    raw = [] if model_field else getattr(field, "choices", []) or []
    choices = [str(value) for value, _ in raw if value != ""]
    if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        return st.lists(
            st.one_of(_text(), st.sampled_from(choices) if choices else _text()), max_size=3
        )
    if choices:
        return st.one_of(st.sampled_from(choices), _text())
    if isinstance(field, forms.BooleanField):
        return st.one_of(st.sampled_from(["on", "true", "0"]), _text())
    return _text()


def _prefix(form_class: type[forms.BaseForm], prefix: str) -> str:
    """The posted names' prefix: a formset's from FORMS, else the form class's own prefix."""
    if prefix:
        return prefix
    # Some forms set `prefix` on the class (two forms on one page): their fields are "cancel-...".
    return f"{form_class.prefix}-" if form_class.prefix else ""


def _fields(form_class: type[forms.BaseForm], prefix: str) -> dict[str, forms.Field]:
    fields = dict(form_class.base_fields)
    return {f"{prefix}{name}": field for name, field in fields.items()}


def _snapshot() -> dict[str, list[tuple]]:
    """Every row of our apps' tables, to prove a rejected form changed nothing."""
    rows = {}
    for app in SNAPSHOT_APPS:
        for model in apps.get_app_config(app).get_models():
            rows[model._meta.label] = list(model.objects.order_by("pk").values_list())
    return rows


def _changed(before: dict[str, list[tuple]], after: dict[str, list[tuple]]) -> list[str]:
    return [label for label in before if before[label] != after[label]]


def _poster(world: SecurityWorld, who: str):
    site: Site = world.sites["A"]
    if who == "site:preparer":
        return site.meeting.preparers.order_by("pk").first().user
    if who.startswith("site:"):
        value: object = site
        for part in who.removeprefix("site:").split("."):
            value = getattr(value, part)
        return value
    return world.personas[who]


def _url(world: SecurityWorld, name: str, kwargs: dict[str, str]) -> str:
    site = world.sites["A"]
    values = {}
    for key, path in kwargs.items():
        value: object = site
        for part in path.split("."):
            value = getattr(value, part)
        values[key] = value
    return reverse(name, kwargs=values)


def _bound_forms(value: object, form_class: type[forms.BaseForm], depth: int = 3):
    """Yield the bound instances of form_class in a template context value (rows, formsets)."""
    if isinstance(value, form_class) and value.is_bound:
        yield value
    if depth == 0 or isinstance(value, str | bytes):
        return
    if isinstance(value, forms.BaseFormSet):
        for form in value.forms:
            yield from _bound_forms(form, form_class, depth - 1)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _bound_forms(item, form_class, depth - 1)
    elif isinstance(value, list | tuple):
        for item in value[:50]:
            yield from _bound_forms(item, form_class, depth - 1)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in vars(value).values():
            yield from _bound_forms(item, form_class, depth - 1)


def _validated_form(response, form_class: type[forms.BaseForm]) -> forms.BaseForm | None:
    """The bound form_class the view cleaned for this answer, or None when it never did."""
    contexts = response.context
    if contexts is None or not isinstance(contexts, list):
        contexts = [] if contexts is None else [contexts]
    for context in contexts:
        # A template's Context stacks dicts; a 404 page may hand over a plain dict.
        for layer in getattr(context, "dicts", [context]):
            for form in _bound_forms(layer, form_class):
                # _errors is only set once full_clean ran: a form made but never checked is None.
                if form._errors is not None:
                    return form
    return None


def _rejected(response, form_class: type[forms.BaseForm]) -> bool:
    """400 with a message, or the page again with the form's errors (or error markers)."""
    if response.status_code == 400:
        return bool(response.content.strip())
    if response.status_code != 200:
        return False
    form = _validated_form(response, form_class)
    if form is not None and form.errors:
        return True
    return any(m in response.content for m in ERROR_MARKERS)


def _outcome(response, form_class: type[forms.BaseForm], changed: list[str]) -> str:
    """How far the input got: "stored", "rejected" by validation, or "refused" before it."""
    if response.status_code == 302 and (changed or _succeeded(response)):
        return "stored"
    if response.status_code == 400 and response.content.strip():
        return "rejected"
    if response.status_code == 200 and _validated_form(response, form_class) is not None:
        return "rejected" if not changed else "stored"
    return "refused"


def _succeeded(response) -> bool:
    """The view said it saved the input (a form that changes nothing still counts as taken)."""
    return any(m.level == messages.SUCCESS for m in get_messages(response.wsgi_request))


def _post(
    client, url: str, data: dict, form_class, headers: dict[str, str], method: str = "post"
) -> tuple[object, list[str], str, object]:
    """Post data (or GET it, for a search form) in a savepoint that is rolled back; return the
    answer, changed tables, outcome."""
    with transaction.atomic():
        before = _snapshot()
        response = getattr(client, method)(url, data, headers=headers)
        changed = _changed(before, _snapshot())
        outcome = _outcome(response, form_class, changed)
        shown = client.get(response["Location"]) if response.status_code == 302 else None
        transaction.set_rollback(True)
    return response, changed, outcome, shown


def _fuzz(client, world: SecurityWorld, form_name: str, form_class) -> None:
    """Run hypothesis over one form; raise AssertionError with the failing input."""
    url_name, kwargs, who, prefix = FORMS[form_name]
    site = world.sites["A"]
    client.force_login(_poster(world, who))
    url = _url(world, url_name, kwargs)
    prefix = _prefix(form_class, prefix)
    fields = _fields(form_class, prefix)
    cookies = copy.deepcopy(client.cookies)
    headers = HEADERS.get(form_name, {})
    method = "get" if form_name in GET_FORMS else "post"
    # Every post names a field the form does not know: views bind `request.POST or None`, so
    # an empty post would show the empty form and prove nothing.
    fixed = {**UNKNOWN_FIELD, **FIXED.get(form_name, {})}
    valid = {
        f"{prefix}{name}": value(site) if callable(value) else value
        for name, value in BASELINES.get(form_name, {}).items()
    }

    # First prove that the view gets to the form as this persona in this state: valid input
    # is stored, or (without one) the bare post comes back with errors on the form's fields.
    first = {**fixed, **(valid or BARE.get(form_name, {}))}
    response, changed, outcome, _ = _post(client, url, first, form_class, headers, method)
    client.cookies = copy.deepcopy(cookies)
    notes = [str(message) for message in get_messages(response.wsgi_request)]
    shown_form = _validated_form(response, form_class)
    errors = dict(shown_form.errors) if shown_form is not None else {}
    got = f"{response.status_code} {response.get('Location', '')} {changed} {notes} {errors}"
    if method == "get":
        assert response.status_code == 200 and shown_form is not None, f"the bare GET {got}"
        assert not changed, f"a GET changed rows of {changed}"
    elif valid:
        assert outcome == "stored", f"valid baseline {valid!r} was not stored: {got}"
    else:
        # Errors on the form's fields, not a refusal of the state that is shown on the form.
        field_errors = set(errors) - {forms.forms.NON_FIELD_ERRORS}
        assert outcome == "stored" or response.status_code == 400 or field_errors, (
            f"the bare post {got}"
        )
    if shown_form is not None:
        # Fields made per instance (one per agenda item, member, health moment) are not in
        # base_fields: fuzz the ones the view really built, with their real choices.
        fields = {shown_form.add_prefix(name): field for name, field in shown_form.fields.items()}
    reached = []

    def strategy(name: str, field: forms.Field) -> st.SearchStrategy:
        hostile = _field_strategy(field)
        return st.one_of(st.just(valid[name]), hostile) if name in valid else hostile

    @settings(
        max_examples=10,
        deadline=None,
        derandomize=True,
        database=None,
        # The client and the world are made once for all examples on purpose: every example
        # runs in a savepoint that is rolled back, so each one starts from the same rows.
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],  # fmt: skip
    )
    @given(
        data=st.fixed_dictionaries(
            {n: strategy(n, f) for n, f in fields.items() if n in valid},
            optional={n: strategy(n, f) for n, f in fields.items() if n not in valid},
        )
    )
    def check(data):
        try:
            response, changed, outcome, shown = _post(
                client, url, {**fixed, **data}, form_class, headers, method
            )
            if method == "get":
                assert not changed, f"a GET changed rows of {changed}"
            if _rejected(response, form_class):
                assert not changed, f"rejected input changed rows of {changed}"
            # Pages escape what they repeat; JSON answers (the live screen's autosave) too.
            assert RAW_SCRIPT not in response.content, "raw <script> in the answer"
            if shown is not None:
                assert shown.status_code < 500, f"{shown.status_code} after storing"
                assert RAW_SCRIPT not in shown.content, "raw <script> on the page after"
            assert response.status_code < 500, f"answered {response.status_code}"
            if outcome != "refused":
                reached.append(outcome)
        finally:
            client.cookies = copy.deepcopy(cookies)

    check()
    # Examples refused before the form (a redirect that stored nothing) prove nothing.
    assert reached, "no fuzz example reached the form's validation (all refused before it)"


@pytest.fixture
def fuzz_world(security_world: SecurityWorld) -> SecurityWorld:
    """The security world with site A in a state where every form can be stored."""
    site = security_world.sites["A"]
    # The meeting just held is still running its phases and its report is a draft.
    site.held.status = MeetingStatus.HELD
    site.held.save(update_fields=["status"])
    MeetingRun.objects.filter(meeting=site.held).update(closed_at=None, phase=3)
    MeetingReport.objects.filter(meeting=site.held).update(status=ReportStatus.DRAFT)
    # Choosing two preparers needs two development-team members; the bench PLG of six has one.
    Membership.objects.filter(community=site.community, user=site.members[5]).update(
        is_development_team=True
    )
    leader_notes_writer_set(
        meeting=site.leader_meeting,
        writer=security_world.personas["teacher_leader"],
        actor=security_world.personas["programme_lead"],
    )
    return security_world


@pytest.mark.parametrize("app", FORM_APPS)
def test_hostile_input_is_rejected_or_stored_escaped(client, fuzz_world, app):
    failures = []
    with time_machine.travel(NOW, tick=False):
        for form_name, form_class in sorted(form_classes().items()):
            if not form_class.__module__.startswith(f"{app}.") or form_name not in FORMS:
                continue
            try:
                _fuzz(client, fuzz_world, form_name, form_class)
            except Exception as error:  # noqa: BLE001 - collect every form's failure, not the first
                notes = "\n".join(getattr(error, "__notes__", []))
                failures.append(f"{form_name} ({FORMS[form_name][0]}): {type(error).__name__}: "
                                f"{str(error)[:500]}\n{notes[:1500]}")  # fmt: skip
    assert not failures, "\n\n".join(failures)
