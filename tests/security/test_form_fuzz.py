"""Feed every form the views use with hostile input (oversized, malformed numbers and dates,
HTML/script, Unicode edge cases) through the real views, as the persona allowed to post it.

Each answer must be: no 500; rejected (400, or the page again with errors) with no row of the
database changed; or stored, and then shown escaped (the raw script never comes back)."""

from __future__ import annotations

import copy
import datetime as dt
import importlib
import inspect
import pkgutil

import pytest
import time_machine
from django import forms
from django.apps import apps
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.bench.school import AMSTERDAM

from .conftest import SecurityWorld, Site

NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=AMSTERDAM)
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
    "WorkCaseForm": ("casework:my_case", {"pk": M}, "participant", ""),
    "EvaluationForm": ("casework:evaluation", {"pk": M}, "participant", ""),
    "GroupSplitForm": ("casework:groups", {"pk": M}, "teacher_leader", ""),
    "GroupMoveForm": ("casework:group_move", {"pk": M}, "teacher_leader", ""),
    "GroupUpdateForm": (
        "casework:group_update",
        {"pk": M, "group_pk": "group.pk"},
        "teacher_leader",
        "",
    ),
    "PhaseMoveForm": ("casework:live_phase", {"pk": M}, "teacher_leader", ""),
    "NoteForm": ("casework:note_save", {"pk": M}, "teacher_leader", ""),
    "ReflectionForm": ("casework:reflection", {"pk": M}, "participant", ""),
    "ReportForm": ("casework:report", {"pk": M}, "teacher_leader", ""),
    "ReportCompileForm": ("casework:report_compile", {"pk": M}, "teacher_leader", ""),
    "ReportFinaliseForm": ("casework:report_finalise", {"pk": M}, "teacher_leader", ""),
    "StepReviewForm": ("casework:step_review", {"pk": "step.pk"}, "site:step.presenter", ""),
    "AbsenceRequestForm": ("meetings:absence_request", {"pk": M}, "participant", ""),
    "AbsenceDecisionForm": ("meetings:absence_decide", {"pk": "absence.pk"}, "team_leader", ""),
    "AttendanceForm": ("meetings:attendance", {"pk": M}, "teacher_leader", ""),
    "CalendarFeedRegenerateForm": ("meetings:calendar_feed_regenerate", {}, "site:owner", ""),
    "CalendarFeedRevokeForm": ("meetings:calendar_feed_revoke", {}, "site:owner", ""),
    "NotificationSettingsForm": ("meetings:notification_settings", {}, "participant", ""),
    "ReminderScheduleForm": ("meetings:reminder_schedule", {"pk": S}, "programme_lead", ""),
    "YearPlanForm": ("meetings:year_plan", {"pk": C}, "teacher_leader", ""),
    "MeetingMoveForm": ("meetings:meeting_move", {"pk": M}, "teacher_leader", ""),
    "MeetingCancelForm": ("meetings:meeting_cancel", {"pk": M}, "teacher_leader", ""),
    "PreparersForm": ("meetings:meeting_preparers", {"pk": M}, "teacher_leader", ""),
    "PreparerHoursForm": ("meetings:preparation_hours", {"pk": M}, "site:preparer", ""),
    "ThemeIntroductionForm": ("meetings:meeting_phase0", {"pk": M}, "teacher_leader", ""),
    "MaterialForm": ("meetings:material_add", {"pk": M}, "teacher_leader", ""),
    "AgendaForm": ("meetings:meeting_agenda", {"pk": M}, "teacher_leader", ""),
    "ChecklistTickForm": ("meetings:checklist_tick", {"pk": M}, "teacher_leader", ""),
    "ThemeForm": ("meetings:theme_library", {"pk": S}, "programme_lead", ""),
    "ThemeProposalForm": ("meetings:theme_propose", {"pk": C}, "participant", ""),
    "MeetingThemeForm": ("meetings:meeting_theme", {"pk": M}, "teacher_leader", ""),
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
}


def _modules(app: str) -> list[str]:
    """The app's forms package (with its submodules), forms module and *_forms modules."""
    package = importlib.import_module(app)
    names = []
    for info in pkgutil.iter_modules(package.__path__):
        if info.name == "forms" or info.name.endswith("_forms"):
            names.append(f"{app}.{info.name}")
            if info.ispkg:
                inner = importlib.import_module(f"{app}.{info.name}")
                names += [
                    f"{app}.{info.name}.{sub.name}" for sub in pkgutil.iter_modules(inner.__path__)
                ]
    return names


def form_classes() -> dict[str, type[forms.BaseForm]]:
    """Every Form and ModelForm class defined in the apps' form modules, by class name."""
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


def _rejected(response) -> bool:
    if response.status_code == 400:
        return True
    return response.status_code == 200 and any(m in response.content for m in ERROR_MARKERS)


def _fuzz(client, world: SecurityWorld, form_name: str, form_class) -> None:
    """Run hypothesis over one form; raise AssertionError with the failing input."""
    url_name, kwargs, who, prefix = FORMS[form_name]
    client.force_login(_poster(world, who))
    url = _url(world, url_name, kwargs)
    fields = _fields(form_class, prefix)
    cookies = copy.deepcopy(client.cookies)

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
        data=st.fixed_dictionaries({}, optional={n: _field_strategy(f) for n, f in fields.items()})
    )
    def check(data):
        try:
            with transaction.atomic():
                before = _snapshot()
                response = client.post(url, data)
                if _rejected(response):
                    changed = _changed(before, _snapshot())
                    assert not changed, f"rejected input changed rows of {changed}"
                assert RAW_SCRIPT not in response.content, "raw <script> in the answer"
                if response.status_code == 302:
                    shown = client.get(response["Location"])
                    assert shown.status_code < 500, f"{shown.status_code} after storing"
                    assert RAW_SCRIPT not in shown.content, "raw <script> on the page after"
                assert response.status_code < 500, f"answered {response.status_code}"
                transaction.set_rollback(True)
        finally:
            client.cookies = copy.deepcopy(cookies)

    check()


@pytest.mark.parametrize("app", FORM_APPS[:-1])  # plg_platform holds only a field class
def test_hostile_input_is_rejected_or_stored_escaped(client, security_world, app):
    failures = []
    with time_machine.travel(NOW, tick=False):
        for form_name, form_class in sorted(form_classes().items()):
            if not form_class.__module__.startswith(f"{app}.") or form_name not in FORMS:
                continue
            try:
                _fuzz(client, security_world, form_name, form_class)
            except Exception as error:  # noqa: BLE001 - collect every form's failure, not the first
                notes = "\n".join(getattr(error, "__notes__", []))
                failures.append(f"{form_name} ({FORMS[form_name][0]}): {type(error).__name__}: "
                                f"{str(error)[:500]}\n{notes[:1500]}")  # fmt: skip
    assert not failures, "\n\n".join(failures)
