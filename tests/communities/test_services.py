"""Services: school year dates, memberships, invitations, warnings, teams and PLGs."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import translation

from communities import services
from communities.models import Community, Holiday, LearningQuestion, Membership, Period, SchoolYear
from communities.selectors import community_warnings
from communities.services import DateRange, HolidayInput
from tests.factories import (
    PERIODS,
    YEAR_END,
    YEAR_START,
    CommunityFactory,
    MembershipFactory,
    SchoolFactory,
    SchoolYearFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _periods(ranges=PERIODS):
    return [DateRange(start, end) for start, end in ranges]


def _messages(excinfo) -> str:
    return " ".join(excinfo.value.messages)


def _validate(**overrides):
    kwargs = {
        "starts_on": YEAR_START,
        "ends_on": YEAR_END,
        "periods": _periods(),
        "holidays": [HolidayInput("Kerstvakantie", dt.date(2026, 12, 21), dt.date(2027, 1, 1))],
    }
    kwargs.update(overrides)
    services.school_year_validate(**kwargs)


# School year validation


def test_school_year_with_four_ordered_periods_and_holidays_inside_is_valid():
    assert _validate() is None


def test_school_year_must_end_after_it_starts():
    with pytest.raises(ValidationError) as excinfo:
        _validate(ends_on=YEAR_START)
    assert "The school year must end after it starts." in _messages(excinfo)


def test_school_year_needs_exactly_four_periods():
    with pytest.raises(ValidationError) as excinfo:
        _validate(periods=_periods(PERIODS[:3]))
    assert "exactly 4 periods; you entered 3" in _messages(excinfo)


def test_school_year_refuses_five_periods():
    extra = (dt.date(2027, 7, 17), dt.date(2027, 7, 18))
    with pytest.raises(ValidationError) as excinfo:
        _validate(ends_on=dt.date(2027, 7, 31), periods=_periods([*PERIODS, extra]))
    assert "you entered 5" in _messages(excinfo)


def test_period_outside_the_school_year_is_refused():
    ranges = [*PERIODS[:3], (dt.date(2027, 4, 19), dt.date(2027, 8, 31))]
    with pytest.raises(ValidationError) as excinfo:
        _validate(periods=_periods(ranges))
    assert "Period 4 must lie inside the school year" in _messages(excinfo)


def test_period_starting_before_the_school_year_is_refused():
    ranges = [(dt.date(2026, 8, 1), PERIODS[0][1]), *PERIODS[1:]]
    with pytest.raises(ValidationError) as excinfo:
        _validate(periods=_periods(ranges))
    assert "Period 1 must lie inside the school year" in _messages(excinfo)


def test_overlapping_periods_are_refused():
    ranges = [PERIODS[0], (dt.date(2026, 11, 1), PERIODS[1][1]), *PERIODS[2:]]
    with pytest.raises(ValidationError) as excinfo:
        _validate(periods=_periods(ranges))
    assert "Period 2 must start after period 1 ends" in _messages(excinfo)


def test_periods_out_of_order_are_refused():
    ranges = [PERIODS[1], PERIODS[0], *PERIODS[2:]]
    with pytest.raises(ValidationError) as excinfo:
        _validate(periods=_periods(ranges))
    assert "Period 2 must start after period 1 ends" in _messages(excinfo)


def test_period_ending_before_it_starts_is_refused():
    ranges = [(PERIODS[0][1], PERIODS[0][0]), *PERIODS[1:]]
    with pytest.raises(ValidationError) as excinfo:
        _validate(periods=_periods(ranges))
    assert "Period 1 ends before it starts." in _messages(excinfo)


def test_holiday_outside_the_school_year_is_refused():
    summer = HolidayInput("Zomervakantie", dt.date(2027, 7, 17), dt.date(2027, 8, 29))
    with pytest.raises(ValidationError) as excinfo:
        _validate(holidays=[summer])
    assert "The holiday “Zomervakantie” must lie inside the school year." in _messages(excinfo)


def test_holiday_ending_before_it_starts_is_refused():
    backwards = HolidayInput("Herfstvakantie", dt.date(2026, 10, 23), dt.date(2026, 10, 17))
    with pytest.raises(ValidationError) as excinfo:
        _validate(holidays=[backwards])
    assert "The holiday “Herfstvakantie” ends before it starts." in _messages(excinfo)


def test_school_year_validation_lists_every_problem_at_once():
    ranges = [PERIODS[0], PERIODS[0], *PERIODS[2:]]
    summer = HolidayInput("Zomervakantie", dt.date(2027, 7, 17), dt.date(2027, 8, 29))
    with pytest.raises(ValidationError) as excinfo:
        _validate(periods=_periods(ranges), holidays=[summer])
    assert len(excinfo.value.messages) == 2


def test_school_year_save_creates_year_with_four_numbered_periods_and_holidays():
    school = SchoolFactory()
    year = services.school_year_save(
        school=school,
        name="2026-2027",
        starts_on=YEAR_START,
        ends_on=YEAR_END,
        periods=_periods(),
        holidays=[HolidayInput("Kerstvakantie", dt.date(2026, 12, 21), dt.date(2027, 1, 1))],
    )
    assert list(year.periods.values_list("number", "starts_on", "ends_on")) == [
        (n, start, end) for n, (start, end) in enumerate(PERIODS, start=1)
    ]
    assert list(year.holidays.values_list("name", flat=True)) == ["Kerstvakantie"]


def test_school_year_save_with_invalid_dates_saves_nothing():
    school = SchoolFactory()
    with pytest.raises(ValidationError):
        services.school_year_save(
            school=school,
            name="2026-2027",
            starts_on=YEAR_START,
            ends_on=YEAR_END,
            periods=_periods(PERIODS[:2]),
            holidays=[],
        )
    assert not SchoolYear.objects.filter(school=school).exists()


def test_school_year_save_refuses_a_second_year_with_the_same_name():
    year = SchoolYearFactory(name="2026-2027")
    with pytest.raises(ValidationError) as excinfo:
        services.school_year_save(
            school=year.school,
            name="2026-2027",
            starts_on=YEAR_START,
            ends_on=YEAR_END,
            periods=_periods(),
            holidays=[],
        )
    assert excinfo.value.message_dict["name"] == [
        "This school already has a school year with that name."
    ]


def test_school_year_save_updates_periods_and_replaces_holidays():
    year = SchoolYearFactory()
    Holiday.objects.create(
        school_year=year,
        name="Old",
        first_day=dt.date(2026, 10, 19),
        last_day=dt.date(2026, 10, 23),
    )
    shifted = [(PERIODS[0][0], dt.date(2026, 11, 13)), (dt.date(2026, 11, 16), PERIODS[1][1])]
    services.school_year_save(
        school=year.school,
        school_year=year,
        name=year.name,
        starts_on=YEAR_START,
        ends_on=YEAR_END,
        periods=_periods([*shifted, *PERIODS[2:]]),
        holidays=[HolidayInput("New", dt.date(2027, 2, 22), dt.date(2027, 2, 26))],
    )
    assert Period.objects.get(school_year=year, number=1).ends_on == dt.date(2026, 11, 13)
    assert list(year.holidays.values_list("name", flat=True)) == ["New"]


# Memberships and invitations


def test_membership_add_for_a_new_email_creates_an_account_without_usable_password(
    django_capture_on_commit_callbacks,
):
    community = CommunityFactory()
    actor = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        membership, invited = services.membership_add(
            community=community,
            email="New.Teacher@School.example",
            roles=["participant"],
            actor=actor,
        )
    assert invited is True
    assert membership.user.email == "new.teacher@school.example"
    assert not membership.user.has_usable_password()


def test_membership_add_for_a_new_email_mails_an_invitation_link(
    django_capture_on_commit_callbacks,
):
    community = CommunityFactory(name="Feedback")
    actor = UserFactory(name="Tom Leader")
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_add(
            community=community, email="new@school.example", roles=["participant"], actor=actor
        )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new@school.example"]
    assert "Feedback" in message.subject
    assert re.search(r"http://testserver/invitation/[\w-]+/[\w-]+/", message.body)


def test_membership_add_queues_the_invitation_only_after_commit(
    django_capture_on_commit_callbacks,
):
    community = CommunityFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.membership_add(
            community=community,
            email="new@school.example",
            roles=["participant"],
            actor=UserFactory(),
        )
    assert len(callbacks) == 1
    assert mail.outbox == []


def test_membership_add_for_an_existing_account_adds_them_without_mail(
    django_capture_on_commit_callbacks,
):
    community = CommunityFactory()
    existing = UserFactory(email="known@school.example")
    with django_capture_on_commit_callbacks(execute=True):
        membership, invited = services.membership_add(
            community=community,
            email="KNOWN@school.example",
            roles=["participant"],
            actor=UserFactory(),
        )
    assert invited is False
    assert membership.user == existing
    assert existing.has_usable_password()
    assert mail.outbox == []


def test_membership_add_refuses_the_same_email_twice_in_one_plg():
    membership = MembershipFactory(user=UserFactory(email="twice@school.example"))
    with pytest.raises(ValidationError) as excinfo:
        services.membership_add(
            community=membership.community,
            email="Twice@School.example",
            roles=["teacher_leader"],
            actor=UserFactory(),
        )
    assert excinfo.value.message_dict["email"] == [
        "twice@school.example is already a member of this PLG."
    ]
    assert Membership.objects.filter(community=membership.community).count() == 1


def test_membership_add_allows_the_same_person_in_another_plg():
    membership = MembershipFactory()
    other = CommunityFactory(team=membership.community.team)
    added, invited = services.membership_add(
        community=other, email=membership.user.email, roles=["participant"], actor=UserFactory()
    )
    assert added.user == membership.user
    assert invited is False


def test_membership_add_needs_at_least_one_role():
    community = CommunityFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.membership_add(
            community=community, email="new@school.example", roles=[], actor=UserFactory()
        )
    assert excinfo.value.message_dict["roles"] == ["Choose at least one role."]
    assert not Membership.objects.filter(community=community).exists()


def test_membership_add_stores_every_chosen_role():
    community = CommunityFactory()
    membership, _invited = services.membership_add(
        community=community,
        email="both@school.example",
        roles=["participant", "development_team"],
        actor=UserFactory(),
    )
    membership.refresh_from_db()
    assert (membership.is_participant, membership.is_development_team) == (True, True)
    assert (membership.is_teacher_leader, membership.is_expert) == (False, False)


def test_membership_update_roles_needs_at_least_one_role():
    membership = MembershipFactory()
    with pytest.raises(ValidationError):
        services.membership_update_roles(membership=membership, roles=[])
    membership.refresh_from_db()
    assert membership.is_participant is True


def test_invitation_resend_is_refused_for_someone_with_a_password():
    membership = MembershipFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.invitation_resend(membership=membership, actor=UserFactory())
    assert excinfo.value.messages == ["This person already has an account and can sign in."]


def test_invitation_resend_mails_a_new_link_to_an_invited_member(
    django_capture_on_commit_callbacks,
):
    membership = MembershipFactory(user=UserFactory(email="invited@school.example", password=None))
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_resend(membership=membership, actor=UserFactory())
    assert [message.to for message in mail.outbox] == [["invited@school.example"]]


def test_invitation_is_not_sent_when_the_person_left_the_plg_before_the_mail(
    django_capture_on_commit_callbacks,
):
    community = CommunityFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        membership, _invited = services.membership_add(
            community=community,
            email="gone@school.example",
            roles=["participant"],
            actor=UserFactory(),
        )
    membership.delete()
    for callback in callbacks:
        callback()
    assert mail.outbox == []


# Warnings


def test_no_warnings_for_a_first_year_plg_of_six_with_two_teacher_leaders():
    assert community_warnings(group_size=6, teacher_leader_count=2, is_first_year=True) == []


def test_warning_when_more_than_fifteen_people_including_teacher_leaders():
    warnings = community_warnings(group_size=16, teacher_leader_count=2, is_first_year=False)
    assert warnings == ["This PLG has 16 people. At most 15, teacher leaders included, is advised."]


def test_no_size_warning_at_exactly_fifteen_people():
    assert community_warnings(group_size=15, teacher_leader_count=2, is_first_year=False) == []


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (0, "This PLG has 0 teacher leaders; each PLG should have two."),
        (1, "This PLG has 1 teacher leader; each PLG should have two."),
        (3, "This PLG has 3 teacher leaders; each PLG should have two."),
    ],
)
def test_warning_when_not_exactly_two_teacher_leaders(count, expected):
    warnings = community_warnings(group_size=8, teacher_leader_count=count, is_first_year=False)
    assert warnings == [expected]


@pytest.mark.parametrize("size", [3, 8])
def test_warning_when_a_first_year_plg_has_fewer_than_four_or_more_than_seven(size):
    warnings = community_warnings(group_size=size, teacher_leader_count=2, is_first_year=True)
    assert warnings == [
        f"This PLG is in its first year and has {size} members; "
        "4 to 7 is advised for a starting PLG."
    ]


@pytest.mark.parametrize("size", [4, 7])
def test_no_first_year_warning_at_four_or_seven_members(size):
    assert community_warnings(group_size=size, teacher_leader_count=2, is_first_year=True) == []


def test_group_size_leaves_out_guest_experts():
    community = CommunityFactory()
    MembershipFactory(community=community, is_participant=False, is_teacher_leader=True)
    MembershipFactory(community=community)
    MembershipFactory(community=community, is_participant=False, is_expert=True)
    counted = Community.objects.with_counts().get(pk=community.pk)
    assert (counted.group_size, counted.teacher_leader_count) == (2, 1)


# Learning questions


def test_learning_question_set_records_the_text():
    membership = MembershipFactory()
    services.learning_question_set(membership=membership, text="  How do I give feedback?  ")
    assert LearningQuestion.objects.get(membership=membership).text == "How do I give feedback?"


def test_learning_question_set_replaces_the_previous_question():
    membership = MembershipFactory()
    services.learning_question_set(membership=membership, text="First")
    services.learning_question_set(membership=membership, text="Second")
    assert list(
        LearningQuestion.objects.filter(membership=membership).values_list("text", flat=True)
    ) == ["Second"]


def test_learning_question_set_with_empty_text_removes_it():
    membership = MembershipFactory()
    services.learning_question_set(membership=membership, text="First")
    assert services.learning_question_set(membership=membership, text="   ") is None
    assert not LearningQuestion.objects.filter(membership=membership).exists()


# Teams


def test_team_save_with_new_leader_email_creates_and_invites_the_leader(
    django_capture_on_commit_callbacks,
):
    school = SchoolFactory()
    with django_capture_on_commit_callbacks(execute=True):
        team = services.team_save(
            school=school,
            name="Bovenbouw",
            leaders=[],
            actor=UserFactory(),
            new_leader_email="New.Leader@School.example",
        )
    leader = team.leaders.get()
    assert leader.email == "new.leader@school.example"
    assert not leader.has_usable_password()
    assert [message.to for message in mail.outbox] == [["new.leader@school.example"]]


def test_team_save_with_an_existing_persons_email_adds_them_without_mail(
    django_capture_on_commit_callbacks,
):
    school = SchoolFactory()
    existing = UserFactory(email="known@school.example")
    with django_capture_on_commit_callbacks(execute=True):
        team = services.team_save(
            school=school,
            name="Bovenbouw",
            leaders=[],
            actor=UserFactory(),
            new_leader_email="known@school.example",
        )
    assert list(team.leaders.all()) == [existing]
    assert mail.outbox == []


def test_team_save_keeps_chosen_leaders_next_to_the_invited_one():
    school = SchoolFactory()
    chosen = UserFactory()
    team = services.team_save(
        school=school,
        name="Bovenbouw",
        leaders=[chosen],
        actor=UserFactory(),
        new_leader_email="new@school.example",
    )
    assert set(team.leaders.values_list("email", flat=True)) == {chosen.email, "new@school.example"}


def test_team_save_refuses_a_duplicate_name_in_the_same_school():
    team = TeamFactory(name="Onderbouw")
    with pytest.raises(ValidationError) as excinfo:
        services.team_save(school=team.school, name="Onderbouw", leaders=[], actor=UserFactory())
    assert excinfo.value.message_dict["name"] == ["This school already has a team with that name."]


# PLGs


def test_community_save_refuses_team_and_school_year_of_different_schools():
    team = TeamFactory()
    other_year = SchoolYearFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.community_save(team=team, school_year=other_year, name="Mixed")
    assert excinfo.value.messages == [
        "The team and the school year must belong to the same school."
    ]
    assert not Community.objects.filter(name="Mixed").exists()


def test_community_save_creates_a_plg():
    team = TeamFactory()
    year = SchoolYearFactory(school=team.school)
    community = services.community_save(
        team=team, school_year=year, name="Feedback", vision="Better feedback", is_first_year=False
    )
    community.refresh_from_db()
    assert (community.name, community.vision, community.is_first_year) == (
        "Feedback",
        "Better feedback",
        False,
    )


def test_community_save_refuses_a_duplicate_name_in_the_same_team_and_year():
    existing = CommunityFactory(name="Feedback")
    with pytest.raises(ValidationError) as excinfo:
        services.community_save(
            team=existing.team, school_year=existing.school_year, name="Feedback"
        )
    assert excinfo.value.message_dict["name"] == [
        "This team already has a PLG with that name in this school year."
    ]


def test_community_save_rejects_unknown_fields():
    community = CommunityFactory()
    with pytest.raises(TypeError):
        services.community_save(
            community=community,
            team=community.team,
            school_year=community.school_year,
            name="X",
            team_id=1,
        )


# Celery wiring


def test_celery_accepts_and_sends_json_only():
    from plg_platform.celery import app

    assert (app.conf.accept_content, app.conf.task_serializer, app.conf.result_serializer) == (
        ["json"],
        "json",
        "json",
    )


def test_celery_tasks_have_soft_and_hard_time_limits():
    from plg_platform.celery import app

    assert 0 < app.conf.task_soft_time_limit < app.conf.task_time_limit


def test_a_worker_discovers_the_invitation_task():
    from plg_platform.celery import app

    # What a starting worker does: import the apps' tasks modules.
    app.loader.import_default_modules()
    assert "communities.tasks.send_invitation" in app.tasks


def test_invitation_task_is_a_no_op_for_someone_with_a_password(mailoutbox):
    from communities.tasks import send_invitation

    user = UserFactory()
    assert send_invitation.delay(user_id=user.pk).get() is False
    assert mailoutbox == []


def test_invitation_mail_is_written_in_the_recipients_language(django_capture_on_commit_callbacks):
    membership = MembershipFactory(
        community=CommunityFactory(name="Feedback"),
        user=UserFactory(email="english@school.example", language="en", password=None),
    )
    with translation.override("nl"), django_capture_on_commit_callbacks(execute=True):
        services.invitation_resend(membership=membership, actor=UserFactory())
    assert mail.outbox[0].subject == "You are invited to the PLG Feedback"
