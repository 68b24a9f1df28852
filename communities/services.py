"""Writes for schools, school years, teams, PLGs and memberships."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from plg_platform.queue import enqueue_on_commit

from . import audit
from .models import (
    PERIODS_PER_YEAR,
    Community,
    Holiday,
    LearningQuestion,
    Membership,
    Period,
    Role,
    School,
    SchoolYear,
    Team,
)

if TYPE_CHECKING:
    from plg_platform.users.models import User


@dataclass(frozen=True)
class DateRange:
    starts_on: dt.date
    ends_on: dt.date


@dataclass(frozen=True)
class HolidayInput:
    name: str
    first_day: dt.date
    last_day: dt.date


def _day(day: dt.date) -> str:
    return date_format(day, "j F Y")


def school_year_validate(
    *,
    starts_on: dt.date,
    ends_on: dt.date,
    periods: Sequence[DateRange],
    holidays: Sequence[HolidayInput],
) -> None:
    """Raise ValidationError listing every problem with a school year's dates."""
    errors: list[str] = []
    if ends_on <= starts_on:
        errors.append(_("The school year must end after it starts."))
    if len(periods) != PERIODS_PER_YEAR:
        errors.append(
            _("A school year has exactly %(count)d periods; you entered %(given)d.")
            % {"count": PERIODS_PER_YEAR, "given": len(periods)}
        )
    previous: DateRange | None = None
    for number, period in enumerate(periods, start=1):
        if period.ends_on < period.starts_on:
            errors.append(_("Period %(number)d ends before it starts.") % {"number": number})
        if period.starts_on < starts_on or period.ends_on > ends_on:
            errors.append(
                _("Period %(number)d must lie inside the school year (%(start)s to %(end)s).")
                % {"number": number, "start": _day(starts_on), "end": _day(ends_on)}
            )
        if previous is not None and period.starts_on <= previous.ends_on:
            errors.append(
                _(
                    "Period %(number)d must start after period %(previous)d ends; "
                    "periods are in order and do not overlap."
                )
                % {"number": number, "previous": number - 1}
            )
        previous = period
    for holiday in holidays:
        if holiday.last_day < holiday.first_day:
            errors.append(
                _("The holiday “%(name)s” ends before it starts.") % {"name": holiday.name}
            )
        if holiday.first_day < starts_on or holiday.last_day > ends_on:
            errors.append(
                _("The holiday “%(name)s” must lie inside the school year.")
                % {"name": holiday.name}
            )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def school_update(
    *,
    school: School,
    name: str,
    require_two_factor: bool | None = None,
    actor: User | None = None,
) -> School:
    """Rename the school and switch its two-factor rule; a switch goes into the audit log."""
    from .audit import audit_school_setting

    # From the database: a ModelForm has already put the new value on the instance.
    before = School.objects.values_list("require_two_factor", flat=True).get(pk=school.pk)
    school.name = name
    if require_two_factor is not None:
        school.require_two_factor = require_two_factor
    school.full_clean()
    school.save(update_fields=["name", "require_two_factor"])
    audit_school_setting(
        school=school,
        field="require_two_factor",
        before=before,
        after=school.require_two_factor,
        actor=actor,
    )
    return school


@transaction.atomic
def school_year_save(
    *,
    school: School,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date,
    periods: Sequence[DateRange],
    holidays: Sequence[HolidayInput],
    school_year: SchoolYear | None = None,
) -> SchoolYear:
    """Create a school year, or update one, with its four periods and its holidays."""
    school_year_validate(starts_on=starts_on, ends_on=ends_on, periods=periods, holidays=holidays)
    duplicate = SchoolYear.objects.filter(school=school, name=name)
    if school_year is not None:
        duplicate = duplicate.exclude(pk=school_year.pk)
    if duplicate.exists():
        raise ValidationError({"name": _("This school already has a school year with that name.")})
    if school_year is None:
        school_year = SchoolYear(school=school)
    school_year.name = name
    school_year.starts_on = starts_on
    school_year.ends_on = ends_on
    school_year.save()
    school_year.periods.all().delete()
    Period.objects.bulk_create(
        Period(school_year=school_year, number=n, starts_on=p.starts_on, ends_on=p.ends_on)
        for n, p in enumerate(periods, start=1)
    )
    school_year.holidays.all().delete()
    Holiday.objects.bulk_create(
        Holiday(school_year=school_year, name=h.name, first_day=h.first_day, last_day=h.last_day)
        for h in holidays
    )
    return school_year


def _invite_on_commit(*, user: User, actor: User, community: Community | None = None) -> None:
    from .tasks import send_invitation

    enqueue_on_commit(
        send_invitation,
        user_id=user.pk,
        inviter_id=actor.pk,
        community_id=community.pk if community else None,
    )


def _person_for_email(email: str, name: str = "") -> tuple[User, bool]:
    """The account with this e-mail address, created (without a password) when there is none."""
    user_model = get_user_model()
    email = user_model.objects.normalize_email(email).strip().lower()
    user = user_model.objects.filter(email__iexact=email).first()
    if user is not None:
        return user, False
    return user_model.objects.create_user(email=email, name=name.strip()), True


@transaction.atomic
def team_save(
    *,
    school: School,
    name: str,
    leaders: Iterable[User],
    actor: User,
    team: Team | None = None,
    new_leader_email: str = "",
) -> Team:
    """Create or update a team; a new team leader's e-mail gets an account and an invitation."""
    leaders = list(leaders)
    duplicate = Team.objects.filter(school=school, name=name)
    if team is not None:
        duplicate = duplicate.exclude(pk=team.pk)
    if duplicate.exists():
        raise ValidationError({"name": _("This school already has a team with that name.")})
    if team is None:
        team = Team(school=school)
    team.name = name
    team.save()
    if new_leader_email:
        leader, _created = _person_for_email(new_leader_email)
        leaders.append(leader)
        if not leader.has_usable_password():
            _invite_on_commit(user=leader, actor=actor)
    audit.audit_team_leaders(team=team, leaders=leaders, actor=actor)
    team.leaders.set(leaders)
    return team


COMMUNITY_FIELDS = ("name", "vision", "question", "product", "is_first_year")


@transaction.atomic
def community_save(
    *,
    team: Team,
    school_year: SchoolYear,
    community: Community | None = None,
    **fields: object,
) -> Community:
    """Create or update a PLG; its team and school year belong to the same school."""
    if team.school_id != school_year.school_id:
        raise ValidationError(_("The team and the school year must belong to the same school."))
    unknown = set(fields) - set(COMMUNITY_FIELDS)
    if unknown:
        raise TypeError(f"Unknown PLG fields: {sorted(unknown)}")
    duplicate = Community.objects.filter(team=team, school_year=school_year, name=fields["name"])
    if community is not None:
        duplicate = duplicate.exclude(pk=community.pk)
    if duplicate.exists():
        raise ValidationError(
            {"name": _("This team already has a PLG with that name in this school year.")}
        )
    if community is None:
        community = Community()
    community.team = team
    community.school_year = school_year
    for field, value in fields.items():
        setattr(community, field, value)
    community.save()
    return community


def _clean_roles(roles: Iterable[str]) -> list[Role]:
    chosen = [Role(role) for role in roles]
    if not chosen:
        raise ValidationError({"roles": _("Choose at least one role.")})
    return chosen


@transaction.atomic
def membership_add(
    *,
    community: Community,
    email: str,
    roles: Iterable[str],
    actor: User,
    name: str = "",
) -> tuple[Membership, bool]:
    """Add a person to a PLG by e-mail; invite them when they have no account yet.

    Returns the membership and whether an invitation e-mail was queued.
    """
    chosen = _clean_roles(roles)
    email = get_user_model().objects.normalize_email(email).strip().lower()
    if Membership.objects.filter(community=community, user__email__iexact=email).exists():
        raise ValidationError(
            {"email": _("%(email)s is already a member of this PLG.") % {"email": email}}
        )
    user, _created = _person_for_email(email, name)
    # Someone invited earlier who never set a password gets a fresh link for this PLG too.
    invited = not user.has_usable_password()
    membership = Membership(community=community, user=user, added_by=actor)
    membership.set_roles(chosen)
    membership.save()
    audit.audit_membership(membership=membership, actor=actor, change=_("added"))
    if invited:
        _invite_on_commit(user=user, actor=actor, community=community)
    return membership, invited


def invitation_resend(*, membership: Membership, actor: User) -> None:
    """Queue a fresh invitation for a member who has not set a password yet."""
    if membership.user.has_usable_password():
        raise ValidationError(_("This person already has an account and can sign in."))
    _invite_on_commit(user=membership.user, actor=actor, community=membership.community)


@transaction.atomic
def membership_update_roles(
    *, membership: Membership, roles: Iterable[str], actor: User | None = None
) -> Membership:
    chosen = _clean_roles(roles)
    audit.audit_roles_change(membership=membership, roles=chosen, actor=actor)
    membership.set_roles(chosen)
    membership.save(update_fields=[role.field_name for role in Role])
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor: User | None = None) -> None:
    audit.audit_membership(membership=membership, actor=actor, change=_("removed"))
    membership.delete()


@transaction.atomic
def learning_question_set(*, membership: Membership, text: str) -> LearningQuestion | None:
    """Record (or clear, with empty text) a member's learning question for the year."""
    text = text.strip()
    if not text:
        LearningQuestion.objects.filter(membership=membership).delete()
        return None
    question, _created = LearningQuestion.objects.update_or_create(
        membership=membership, defaults={"text": text}
    )
    return question
