"""Writes for the small groups of phases 1-5: the split, hand moves, and a group's leader and case.

The split itself is computed by casework.grouping (pure); this module loads who is present,
their roles and the year's history, and saves the result.

Roles after a hand move (the same preferences as the split, applied to the two groups involved
only, keeping what still fits):

- a case belongs to its presenter: a presenter moved out takes their case along when the group
  they join has none, and the group they leave loses it; a group without a case then gets the
  case of a member who waits for their turn (no case yet this year), else of another member with
  a submitted case that no group discusses yet, else none;
- a leader moved out leaves their group without one; a group without a leader gets a
  development-team member, else a teacher leader, else nobody (the page warns);
- nobody both presents and leads a group.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import Membership
from meetings.models import Meeting
from meetings.selectors.attendance import group_members

from ..grouping import (
    allowed_group_counts,
    count_repeats,
    expected_random_repeats,
    pair_counts,
    split_into_groups,
)
from ..models import (
    DEFAULT_MAX_GROUP_SIZE,
    DEFAULT_MIN_GROUP_SIZE,
    CaseStatus,
    GroupSplit,
    PhaseNote,
    SmallGroup,
    SmallGroupMember,
    WorkCase,
)
from ..selectors.groups import present_members, seated_groups, submitted_cases
from ..selectors.turns import earlier_groups, presented_before

if TYPE_CHECKING:
    from plg_platform.users.models import User

SMALLEST_ALLOWED = 2
# Random splits averaged for the comparison figure: enough for a steady first decimal.
RANDOM_SAMPLES = 200


def _locked(meeting: Meeting) -> Meeting:
    """Lock the meeting row so two teacher leaders changing its groups take turns."""
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("community")
        .get(pk=meeting.pk)
    )


def _require_teacher_leader(actor: User, meeting: Meeting) -> None:
    if not Membership.objects.filter(
        community_id=meeting.community_id, user=actor, is_teacher_leader=True
    ).exists():
        raise ValidationError(_("Only the PLG's teacher leaders make and change the small groups."))


def _check_sizes(min_size: int, max_size: int, group_count: int | None) -> None:
    errors: dict[str, str] = {}
    if min_size < SMALLEST_ALLOWED:
        errors["min_size"] = _("A small group has at least %(min)d people.") % {
            "min": SMALLEST_ALLOWED
        }
    if max_size < SMALLEST_ALLOWED:
        errors["max_size"] = _("A small group has at least %(min)d people.") % {
            "min": SMALLEST_ALLOWED
        }
    if not errors and min_size > max_size:
        errors["max_size"] = _(
            "The largest group size cannot be smaller than the smallest group size."
        )
    if group_count is not None and group_count < 1:
        errors["group_count"] = _("Make at least one group, or leave the number of groups empty.")
    if errors:
        raise ValidationError(errors)


def _seated_ids(
    *,
    others: list[int],
    teacher_leaders: list[int],
    development_team: set[int],
    min_size: int,
    max_size: int,
    group_count: int | None,
) -> tuple[list[int], set[int]]:
    """Return who sits in a group, and the teacher leaders among them (fallback leaders).

    Teacher leaders facilitate the whole meeting, so they stay out of the small groups unless
    the development-team members present cannot lead every group (or the groups cannot be
    made from the other members at all); then they join, as fallback leaders.
    """
    if len(others) >= min_size:
        allowed = allowed_group_counts(len(others), min_size=min_size, max_size=max_size)
        count = (
            group_count
            if group_count is not None
            else min(max(len(development_team), allowed.start), allowed.stop - 1)
        )
        if count in allowed and len(development_team) >= count:
            return others, set()
    everyone = others + teacher_leaders
    allowed = allowed_group_counts(len(everyone), min_size=min_size, max_size=max_size)
    if group_count is not None and group_count not in allowed:
        raise ValidationError(
            {
                "group_count": _(
                    "%(count)d groups of %(min)d to %(max)d people cannot be made from the "
                    "%(present)d members present. Choose from %(low)d to %(high)d groups, or "
                    "leave the number empty."
                )
                % {
                    "count": group_count,
                    "min": min_size,
                    "max": max_size,
                    "present": len(everyone),
                    "low": allowed.start,
                    "high": allowed.stop - 1,
                }
            }
        )
    return everyone, set(teacher_leaders)


def _history(meeting: Meeting) -> list[list[list[int]]]:
    """The year's earlier groups in the shape casework.grouping takes: meetings of groups.

    selectors.turns.earlier_groups gives a flat list of groups; one seat per member per meeting
    means a pair shares at most one group per meeting, so each group can stand as its own
    meeting without changing any count.
    """
    return [[group] for group in earlier_groups(meeting)]


def _refuse_when_notes_exist(meeting: Meeting) -> None:
    if PhaseNote.objects.filter(group__meeting=meeting).exists():
        raise ValidationError(
            _(
                "Notes have already been taken in this meeting's small groups, and new groups "
                "would lose them. Move people by hand instead."
            )
        )


@transaction.atomic
def groups_split(
    *,
    meeting: Meeting,
    actor: User,
    min_size: int = DEFAULT_MIN_GROUP_SIZE,
    max_size: int = DEFAULT_MAX_GROUP_SIZE,
    group_count: int | None = None,
) -> GroupSplit:
    """Split the members present into rotating small groups, replacing any earlier split."""
    # 1. Lock, check who asks and what they ask for.
    meeting = _locked(meeting)
    _require_teacher_leader(actor, meeting)
    _check_sizes(min_size, max_size, group_count)
    _refuse_when_notes_exist(meeting)
    # 2. Who is present, and in which role.
    present = present_members(meeting)
    if len(present) < min_size:
        raise ValidationError(
            {
                "min_size": _(
                    "Only %(present)d members are present, fewer than the smallest group of "
                    "%(min)d. Choose a smaller group size."
                )
                % {"present": len(present), "min": min_size}
            }
        )
    teacher_leaders = [m.user_id for m in present if m.is_teacher_leader]
    # A teacher leader who is also in the development team facilitates first.
    development_team = {
        m.user_id for m in present if m.is_development_team and not m.is_teacher_leader
    }
    others = [m.user_id for m in present if not m.is_teacher_leader]
    members, fallback = _seated_ids(
        others=others,
        teacher_leaders=teacher_leaders,
        development_team=development_team,
        min_size=min_size,
        max_size=max_size,
        group_count=group_count,
    )
    # 3. Presenters: those without a case this year yet go first.
    cases = submitted_cases(meeting)
    presenters = {member for member in members if member in cases}
    before = presented_before(meeting)
    history = _history(meeting)
    try:
        split = split_into_groups(
            members=members,
            history=history,
            leaders_ok=development_team,
            fallback_leaders=fallback,
            presenters_waiting=presenters - before,
            presenters_again=presenters & before,
            min_size=min_size,
            max_size=max_size,
            group_count=group_count,
            seed=meeting.pk,
        )
    except ValueError as error:  # guarded above; never a 500 if a bound slips through
        raise ValidationError(
            _("These groups cannot be made: %(reason)s") % {"reason": error}
        ) from error
    # 4. Replace the earlier groups (their seats go with them).
    SmallGroup.objects.filter(meeting=meeting).delete()
    groups = SmallGroup.objects.bulk_create(
        [
            SmallGroup(
                meeting=meeting,
                number=number,
                leader_id=group.leader,
                case=cases.get(group.presenter) if group.presenter is not None else None,
            )
            for number, group in enumerate(split.groups, start=1)
        ]
    )
    SmallGroupMember.objects.bulk_create(
        [
            SmallGroupMember(group=row, meeting=meeting, member_id=member)
            for row, group in zip(groups, split.groups, strict=True)
            for member in group.members
        ]
    )
    random_figure = expected_random_repeats(
        members=members, history=history, sizes=split.sizes, samples=RANDOM_SAMPLES, seed=meeting.pk
    )
    result, _created = GroupSplit.objects.update_or_create(
        meeting=meeting,
        defaults={
            "min_size": min_size,
            "max_size": max_size,
            "repeated_pairs": split.repeated_pairs,
            "random_repeated_pairs": round(random_figure, 1),
            "made_by": actor,
            "made_at": timezone.now(),
        },
    )
    return result


@dataclass(frozen=True)
class _Roles:
    """Who may lead and whose case waits, for re-choosing roles after a hand move."""

    names: list[int]  # group members' ids in name order, for a stable choice
    development_team: set[int]
    teacher_leaders: set[int]
    cases: dict[int, WorkCase]
    presented_before: set[int]

    @classmethod
    def of(cls, meeting: Meeting) -> _Roles:
        memberships = list(group_members(meeting.community))
        teacher_leaders = {m.user_id for m in memberships if m.is_teacher_leader}
        return cls(
            names=[m.user_id for m in memberships],
            development_team={
                m.user_id
                for m in memberships
                if m.is_development_team and m.user_id not in teacher_leaders
            },
            teacher_leaders=teacher_leaders,
            cases=submitted_cases(meeting),
            presented_before=presented_before(meeting),
        )

    def in_order(self, ids: Iterable[int]) -> list[int]:
        wanted = set(ids)
        rank = {user_id: i for i, user_id in enumerate(self.names)}
        return sorted(wanted, key=lambda user_id: (rank.get(user_id, len(rank)), user_id))

    def pick_case(
        self, seated: Iterable[int], *, taken: set[int], leader: int | None
    ) -> WorkCase | None:
        candidates = [
            member
            for member in self.in_order(seated)
            if member in self.cases and self.cases[member].pk not in taken and member != leader
        ]
        waiting = [member for member in candidates if member not in self.presented_before]
        chosen = (waiting or candidates or [None])[0]
        return self.cases[chosen] if chosen is not None else None

    def pick_leader(self, seated: Iterable[int], *, presenter: int | None) -> int | None:
        ordered = [member for member in self.in_order(seated) if member != presenter]
        for pool in (self.development_team, self.teacher_leaders):
            for member in ordered:
                if member in pool:
                    return member
        return None


def _has_notes(group: SmallGroup) -> bool:
    return PhaseNote.objects.filter(group=group).exists()


def _recount(meeting: Meeting, actor: User) -> GroupSplit:
    """Count the repeated pairs of the groups as they are now, and the random figure again."""
    groups = list(seated_groups(meeting).values())
    history = _history(meeting)
    members = [member for group in groups for member in group]
    sizes = sorted((len(group) for group in groups), reverse=True)
    split, created = GroupSplit.objects.get_or_create(meeting=meeting, defaults={"made_by": actor})
    split.repeated_pairs = count_repeats(groups, pair_counts(history))
    split.random_repeated_pairs = round(
        expected_random_repeats(
            members=members,
            history=history,
            sizes=sizes,
            samples=RANDOM_SAMPLES,
            seed=meeting.pk,
        ),
        1,
    )
    split.save(update_fields=["repeated_pairs", "random_repeated_pairs"])
    return split


def _renumber_after(meeting: Meeting, number: int) -> None:
    # Ascending, so each group moves into the number just freed below it.
    for group in SmallGroup.objects.filter(meeting=meeting, number__gt=number).order_by("number"):
        group.number -= 1
        group.save(update_fields=["number"])


@transaction.atomic
def group_member_move(
    *, meeting: Meeting, actor: User, member: User, to_group: SmallGroup | None
) -> SmallGroup:
    """Move one member to another small group of the meeting (None: a new group).

    Leaders and cases of the two groups are kept or re-chosen as the module docstring says;
    a group left empty is removed and the groups after it renumbered.
    """
    # 1. Lock and check.
    meeting = _locked(meeting)
    _require_teacher_leader(actor, meeting)
    seat = (
        SmallGroupMember.objects.select_related("group")
        .filter(meeting=meeting, member=member)
        .first()
    )
    if seat is None:
        raise ValidationError(
            _("%(name)s sits in no small group of this meeting.") % {"name": member.display_name}
        )
    source = seat.group
    if to_group is None:
        last = SmallGroup.objects.filter(meeting=meeting).order_by("-number").first()
        target = SmallGroup.objects.create(meeting=meeting, number=(last.number if last else 0) + 1)
    else:
        found = SmallGroup.objects.filter(pk=to_group.pk, meeting=meeting).first()
        if found is None:
            raise ValidationError(_("Choose one of this meeting's small groups."))
        target = found
    if target.pk == source.pk:
        raise ValidationError(
            _("%(name)s already sits in group %(number)d.")
            % {"name": member.display_name, "number": source.number}
        )
    source_has_notes = _has_notes(source)
    presents_here = source.case_id is not None and source.case.presenter_id == member.pk
    if source_has_notes and presents_here:
        raise ValidationError(
            _(
                "%(name)s presents the case that group %(number)d has already taken notes on, "
                "so they stay in that group."
            )
            % {"name": member.display_name, "number": source.number}
        )
    seats = seated_groups(meeting)
    if len(seats.get(source.pk, [])) == 1 and source_has_notes:
        raise ValidationError(
            _(
                "%(name)s is the last member of group %(number)d, which has notes; the group "
                "cannot be left empty."
            )
            % {"name": member.display_name, "number": source.number}
        )
    # 2. Move the seat.
    seat.group = target
    seat.save(update_fields=["group"])
    source_ids = [m for m in seats.get(source.pk, []) if m != member.pk]
    target_ids = [*seats.get(target.pk, []), member.pk]
    if not source_ids:
        number = source.number
        source.delete()
        _renumber_after(meeting, number)
        target.refresh_from_db(fields=["number"])
        _roles_after_move(meeting, None, [], target, target_ids, member)
    else:
        _roles_after_move(meeting, source, source_ids, target, target_ids, member)
    _recount(meeting, actor)
    return target


def _roles_after_move(
    meeting: Meeting,
    source: SmallGroup | None,
    source_ids: list[int],
    target: SmallGroup,
    target_ids: list[int],
    member: User,
) -> None:
    roles = _Roles.of(meeting)
    taken = set(
        SmallGroup.objects.filter(meeting=meeting, case__isnull=False).values_list(
            "case_id", flat=True
        )
    )
    # Cases first, as in the split: a case goes before who leads.
    if source is not None and source.case_id is not None and source.case.presenter_id == member.pk:
        taken.discard(source.case_id)
        source.case = None
    if target.case_id is None and member.pk in roles.cases:
        case = roles.cases[member.pk]
        if case.pk not in taken and target.leader_id != member.pk:
            target.case = case
            taken.add(case.pk)
    if source is not None:
        if source.leader_id == member.pk:
            source.leader = None
        if source.case is None:
            source.case = roles.pick_case(source_ids, taken=taken, leader=source.leader_id)
        if source.leader is None:
            presenter = source.case.presenter_id if source.case else None
            source.leader_id = roles.pick_leader(source_ids, presenter=presenter)
        # Save the group left first: it may give up the case the other group takes.
        source.save(update_fields=["case", "leader"])
    if target.leader_id is None:
        presenter = target.case.presenter_id if target.case else None
        target.leader_id = roles.pick_leader(target_ids, presenter=presenter)
    target.save(update_fields=["case", "leader"])


@transaction.atomic
def group_update(
    *, group: SmallGroup, actor: User, leader: User | None, case: WorkCase | None
) -> SmallGroup:
    """Set a small group's leader and case by hand (either may be none)."""
    meeting = _locked(group.meeting)
    _require_teacher_leader(actor, meeting)
    group = SmallGroup.objects.get(pk=group.pk, meeting=meeting)
    seated = set(SmallGroupMember.objects.filter(group=group).values_list("member_id", flat=True))
    errors: dict[str, str] = {}
    if leader is not None and leader.pk not in seated:
        errors["leader"] = _(
            "%(name)s does not sit in group %(number)d; choose the leader from its members."
        ) % {"name": leader.display_name, "number": group.number}
    if case is not None:
        if case.meeting_id != meeting.pk or case.status != CaseStatus.SUBMITTED:
            errors["case"] = _("Choose a work case submitted to this meeting.")
        elif case.presenter_id not in seated:
            errors["case"] = _(
                "The presenter of this case does not sit in group %(number)d; move them into "
                "the group first."
            ) % {"number": group.number}
    if not errors and leader is not None and case is not None and leader.pk == case.presenter_id:
        errors["leader"] = _(
            "The presenter does not lead their own group: choose another leader or another case."
        )
    new_case_id = case.pk if case is not None else None
    if not errors and new_case_id != group.case_id and _has_notes(group):
        errors["case"] = _(
            "This group has already taken notes on its case, so its case can no longer change."
        )
    if (
        not errors
        and case is not None
        and SmallGroup.objects.filter(case=case).exclude(pk=group.pk).exists()
    ):
        errors["case"] = _("Another small group already discusses this case.")
    if errors:
        raise ValidationError(errors)
    group.leader = leader
    group.case = case
    group.save(update_fields=["leader", "case"])
    return group
