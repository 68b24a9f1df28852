"""Writes for the health check: moments and their dates, anonymous answers, agreed actions."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .health_selectors import moment_state, proposed_moment_dates
from .models import (
    HEALTH_CHECK_MOMENTS,
    Characteristic,
    Community,
    HealthAction,
    HealthActionRole,
    HealthActionStatus,
    HealthCheckAnswer,
    HealthCheckMoment,
    HealthCheckParticipation,
)
from .permissions import is_group_member
from .selectors import group_member_users

if TYPE_CHECKING:
    from plg_platform.users.models import User


@transaction.atomic
def health_moments_ensure(*, community: Community) -> list[HealthCheckMoment]:
    """Create the PLG's three moments from its meeting dates if they do not exist yet."""
    existing = set(community.health_check_moments.values_list("number", flat=True))
    if len(existing) < HEALTH_CHECK_MOMENTS:
        proposed = proposed_moment_dates(community)
        # ignore_conflicts: two members answering at once may both create them; one wins.
        HealthCheckMoment.objects.bulk_create(
            [
                HealthCheckMoment(
                    community=community, number=number, opens_on=opens_on, closes_on=closes_on
                )
                for number, (opens_on, closes_on) in proposed.items()
                if number not in existing
            ],
            ignore_conflicts=True,
        )
    return list(community.health_check_moments.order_by("number"))


@transaction.atomic
def health_moments_set_dates(
    *, community: Community, dates: dict[int, tuple[dt.date, dt.date]], actor: User
) -> list[HealthCheckMoment]:
    """Change the opening and closing days of the PLG's moments; they must follow each other."""
    errors: dict[str, list[str]] = {}
    year = community.school_year
    previous_close: dt.date | None = None
    for number in range(1, HEALTH_CHECK_MOMENTS + 1):
        opens_on, closes_on = dates[number]
        if closes_on < opens_on:
            errors.setdefault(f"closes_on_{number}", []).append(
                _("The closing day cannot be before the opening day.")
            )
        for field, day in ((f"opens_on_{number}", opens_on), (f"closes_on_{number}", closes_on)):
            if not (year.starts_on <= day <= year.ends_on):
                errors.setdefault(field, []).append(
                    _("Choose a day within the school year (%(start)s to %(end)s).")
                    % {
                        "start": date_format(year.starts_on, "SHORT_DATE_FORMAT"),
                        "end": date_format(year.ends_on, "SHORT_DATE_FORMAT"),
                    }
                )
        if previous_close is not None and opens_on <= previous_close:
            errors.setdefault(f"opens_on_{number}", []).append(
                _("Moment %(number)d must open after moment %(previous)d has closed.")
                % {"number": number, "previous": number - 1}
            )
        previous_close = closes_on
    if errors:
        raise ValidationError(errors)
    moments = {m.number: m for m in health_moments_ensure(community=community)}
    for number, (opens_on, closes_on) in dates.items():
        moment = moments[number]
        moment.opens_on, moment.closes_on = opens_on, closes_on
        moment.save(update_fields=["opens_on", "closes_on"])
    return [moments[n] for n in sorted(moments)]


@transaction.atomic
def health_moments_follow_meetings(
    *, community: Community, before: dict[int, tuple[dt.date, dt.date]]
) -> list[int]:
    """After a meeting moved: the saved moments that still hold the dates proposed from the old
    meeting days (`before`, from `proposed_moment_dates` ahead of the move) take the new
    proposal, as long as neither date has come yet. Dates a teacher leader chose stay, and so
    does everything when the new dates would no longer follow each other. Returns the numbers
    of the moments that moved."""
    after = proposed_moment_dates(community)
    today = timezone.localdate()
    moments = {m.number: m for m in community.health_check_moments.select_for_update()}
    moving = [
        number
        for number, moment in moments.items()
        if (moment.opens_on, moment.closes_on) == before.get(number) != after[number]
        and today < min(moment.opens_on, after[number][0])
    ]
    if not moving:
        return []
    dates = {n: after[n] if n in moving else (m.opens_on, m.closes_on) for n, m in moments.items()}
    ordered = [dates[n] for n in sorted(dates)]
    if any(later[0] <= earlier[1] for earlier, later in itertools.pairwise(ordered)):
        return []
    for number in moving:
        moment = moments[number]
        moment.opens_on, moment.closes_on = after[number]
        moment.save(update_fields=["opens_on", "closes_on"])
    return moving


# The operating system's randomness: the order must not be reproducible from a seed.
_shuffle = random.SystemRandom().shuffle


def participation_add_shuffled(
    *, model: type[models.Model], scope: Mapping[str, object], user: User, already: str
) -> None:
    """Add the user to the scope's participation rows, rewriting them all in random order.

    Call inside a transaction, with the scope's parent row locked, right before writing the
    anonymous answer. Rows written one per answer would line up with the answers (row order,
    rowid, PostgreSQL's physical order and xmin); rewritten together with fresh random keys,
    every row shares the latest transaction and the order says nothing.
    """
    rows = model.objects.filter(**scope)
    user_ids = list(rows.values_list("user_id", flat=True))
    if user.pk in user_ids:
        raise ValidationError(already)
    user_ids.append(user.pk)
    _shuffle(user_ids)
    rows.delete()
    try:
        # A savepoint: should the lock be bypassed, the unique constraint still answers once.
        with transaction.atomic():
            model.objects.bulk_create([model(user_id=user_id, **scope) for user_id in user_ids])
    except IntegrityError:
        raise ValidationError(already) from None


@transaction.atomic
def health_answer_submit(
    *, moment: HealthCheckMoment, user: User, scores: dict[int, int], comment: str = ""
) -> None:
    """Record that the member answered and, apart from it, their anonymous scores."""
    if not is_group_member(user, moment.community):
        raise ValidationError(_("Only members of this PLG can answer its health check."))
    if moment_state(moment) != "open":
        raise ValidationError(_("This health check is not open for answers."))
    if sorted(scores) != [c.value for c in Characteristic] or any(
        not isinstance(v, int) or not 1 <= v <= 5 for v in scores.values()
    ):
        raise ValidationError(_("Give every characteristic a score from 1 to 5."))
    if len(comment) > HealthCheckAnswer._meta.get_field("comment").max_length:
        raise ValidationError(_("The comment is too long."))
    # Locking the moment lets one answer at a time rewrite its participation rows.
    HealthCheckMoment.objects.select_for_update().filter(pk=moment.pk).first()
    # Before the answer, so a second answer from the same person stops here and nothing is kept.
    participation_add_shuffled(
        model=HealthCheckParticipation,
        scope={"moment": moment},
        user=user,
        already=_("You have already answered this health check."),
    )
    # The answer row gets a random key and no author or time: it cannot be traced back.
    HealthCheckAnswer.objects.create(
        moment=moment, comment=comment.strip(), **{f"score_{k}": v for k, v in scores.items()}
    )


def _check_owner(community: Community, owner: User | None) -> None:
    if owner is None:
        raise ValidationError({"owner": _("Choose who takes this action on.")})
    if not group_member_users(community).filter(pk=owner.pk).exists():
        raise ValidationError({"owner": _("The owner must be a member of this PLG.")})


@transaction.atomic
def health_action_create(
    *,
    moment: HealthCheckMoment,
    characteristic: int,
    role: str,
    text: str,
    owner: User | None,
    actor: User,
) -> HealthAction:
    """Agree on an action for a characteristic, with an owner from the PLG."""
    if characteristic not in Characteristic.values:
        raise ValidationError({"characteristic": _("Choose one of the seven characteristics.")})
    if role not in HealthActionRole.values:
        raise ValidationError({"role": _("Choose for whom the action is.")})
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Describe the action.")})
    _check_owner(moment.community, owner)
    if moment.pk is None:
        moment = {m.number: m for m in health_moments_ensure(community=moment.community)}[
            moment.number
        ]
    return HealthAction.objects.create(
        moment=moment,
        characteristic=characteristic,
        role=role,
        text=text,
        owner=owner,
        created_by=actor,
    )


@transaction.atomic
def health_action_follow_up(
    *, action: HealthAction, status: str, follow_up: str, actor: User
) -> HealthAction:
    """Record how an agreed action went: its status and a line of follow-up."""
    if status not in HealthActionStatus.values:
        raise ValidationError({"status": _("Choose a status.")})
    action.status = status
    action.follow_up = follow_up.strip()
    action.save(update_fields=["status", "follow_up"])
    return action
