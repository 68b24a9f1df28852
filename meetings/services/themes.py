"""Writes for the theme calendar: the school's theme library, proposals, the vote, and fixing
or changing the theme of a meeting."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import Community, School
from communities.permissions import is_group_member

from ..models import (
    ChangeKind,
    Meeting,
    MeetingChange,
    MeetingStatus,
    Theme,
    ThemeProposal,
    ThemeVote,
    ThemeVoting,
)

if TYPE_CHECKING:
    from plg_platform.users.models import User

TITLE_MAX_LENGTH = Theme._meta.get_field("title").max_length


def _field_error(field: str, message: str, code: str) -> ValidationError:
    """An error that the form shows at its field; tests and callers can read its code."""
    return ValidationError({field: ValidationError(message, code=code)})


def _clean_title(title: str) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise _field_error("title", _("Give the theme a title."), "title_missing")
    if len(title) > TITLE_MAX_LENGTH:
        raise _field_error(
            "title",
            _("A title has at most %(max)d characters.") % {"max": TITLE_MAX_LENGTH},
            "title_too_long",
        )
    return title


# The school's theme library (school admins).


def _duplicate_error(existing: Theme) -> ValidationError:
    if existing.in_library:
        message = _("The library already has a theme called “%(title)s”.")
    else:
        message = _(
            "The school already has a theme called “%(title)s” outside the library; "
            "put that one back into the library instead."
        )
    return _field_error("title", message % {"title": existing.title}, "duplicate_title")


def _check_unique_title(*, school: School, title: str, exclude_pk: int | None = None) -> None:
    others = Theme.objects.filter(school=school, title__iexact=title)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    existing = others.first()
    if existing is not None:
        raise _duplicate_error(existing)


@transaction.atomic
def theme_create(*, school: School, title: str, description: str = "") -> Theme:
    """Add a theme to a school's library; titles are unique per school (ignoring case)."""
    title = _clean_title(title)
    _check_unique_title(school=school, title=title)
    try:
        with transaction.atomic():
            return Theme.objects.create(
                school=school, title=title, description=description.strip(), in_library=True
            )
    except IntegrityError as error:  # a colleague added the same title a moment ago
        raise _duplicate_error(Theme.objects.get(school=school, title=title)) from error


@transaction.atomic
def theme_update(*, theme: Theme, title: str, description: str = "") -> Theme:
    """Rename or describe a theme; meetings that use it show the new words.

    Their calendar entries change too, so each such meeting's sequence goes up.
    """
    theme = Theme.objects.select_for_update().get(pk=theme.pk)
    title = _clean_title(title)
    _check_unique_title(school=theme.school, title=title, exclude_pk=theme.pk)
    renamed = title != theme.title
    theme.title = title
    theme.description = description.strip()
    try:
        with transaction.atomic():
            theme.save(update_fields=["title", "description"])
    except IntegrityError as error:
        raise _duplicate_error(Theme.objects.get(school=theme.school, title=title)) from error
    if renamed:
        Meeting.objects.filter(theme=theme).exclude(
            status__in=[MeetingStatus.HELD, MeetingStatus.REPORTED]
        ).update(sequence=F("sequence") + 1)
    return theme


@transaction.atomic
def theme_library_remove(*, theme: Theme) -> Theme:
    """Take a theme out of the library; it is never deleted, so meetings keep their theme."""
    Theme.objects.filter(pk=theme.pk).update(in_library=False)
    theme.in_library = False
    return theme


@transaction.atomic
def theme_library_restore(*, theme: Theme) -> Theme:
    """Put a theme (back) into the library, for example one that came from a proposal."""
    Theme.objects.filter(pk=theme.pk).update(in_library=True)
    theme.in_library = True
    return theme


# Proposals and the vote of a PLG (its group members).


def _require_group_member(user: User, community: Community) -> None:
    if not is_group_member(user, community):
        raise ValidationError(
            _("Only members of the PLG propose themes and vote; a guest expert does not."),
            code="not_a_member",
        )


def _open_voting(community: Community) -> ThemeVoting:
    """The PLG's vote, created on first use and locked for this transaction; must be open."""
    ThemeVoting.objects.get_or_create(community=community)
    voting = ThemeVoting.objects.select_for_update().get(community=community)
    if not voting.is_open:
        raise ValidationError(
            _("The theme vote is closed. A teacher leader can open it again."),
            code="voting_closed",
        )
    return voting


@transaction.atomic
def theme_proposal_create(
    *, community: Community, author: User, title: str, why: str, example: str = ""
) -> ThemeProposal:
    """A member proposes a theme (title, why it matters to them, a case that shows it)."""
    _require_group_member(author, community)
    _open_voting(community)
    title = _clean_title(title)
    why = (why or "").strip()
    if not why:
        raise _field_error("why", _("Say why this theme matters to you."), "why_missing")
    existing = community.theme_proposals.filter(title__iexact=title).first()
    if existing is not None:
        raise _field_error(
            "title",
            _("“%(title)s” has already been proposed; vote for it instead.")
            % {"title": existing.title},
            "duplicate_proposal",
        )
    return ThemeProposal.objects.create(
        community=community, author=author, title=title, why=why, example=(example or "").strip()
    )


@transaction.atomic
def theme_proposal_withdraw(*, proposal: ThemeProposal, actor: User) -> None:
    """The author takes their own proposal back while the vote is open (its votes go too)."""
    if proposal.author_id != actor.pk:
        raise ValidationError(
            _("Only the member who proposed a theme can withdraw it."), code="not_the_author"
        )
    _open_voting(proposal.community)
    proposal.delete()


@transaction.atomic
def theme_vote_cast(*, proposal: ThemeProposal, voter: User) -> ThemeVote:
    """Give one of the member's votes to a proposal: one per proposal, a few per member.

    1. Lock the PLG's vote row, so two quick clicks cannot both take the last vote.
    2. Refuse a second vote on the same proposal, then a vote beyond the member's allowance.
    """
    community = proposal.community
    _require_group_member(voter, community)
    voting = _open_voting(community)
    mine = ThemeVote.objects.filter(proposal__community=community, voter=voter)
    if mine.filter(proposal=proposal).exists():
        raise ValidationError(
            _("You have already voted for “%(title)s”.") % {"title": proposal.title},
            code="already_voted",
        )
    if mine.count() >= voting.votes_per_member:
        raise ValidationError(
            _("You have used all your %(count)d votes. Take one back to vote for another theme.")
            % {"count": voting.votes_per_member},
            code="no_votes_left",
        )
    return ThemeVote.objects.create(proposal=proposal, voter=voter)


@transaction.atomic
def theme_vote_withdraw(*, proposal: ThemeProposal, voter: User) -> None:
    """Take a vote back while the vote is open; taking back a vote not given changes nothing."""
    _open_voting(proposal.community)
    ThemeVote.objects.filter(proposal=proposal, voter=voter).delete()


@transaction.atomic
def theme_voting_close(*, community: Community, actor: User) -> ThemeVoting:
    """Close the vote: from now on everyone who sees the PLG sees the results."""
    voting = _open_voting(community)
    voting.closed_at = timezone.now()
    voting.closed_by = actor
    voting.save(update_fields=["closed_at", "closed_by"])
    return voting


@transaction.atomic
def theme_voting_reopen(*, community: Community, actor: User) -> ThemeVoting:
    """Open a closed vote again; votes given so far stay, the counts are hidden again."""
    voting, _created = ThemeVoting.objects.select_for_update().get_or_create(community=community)
    if voting.is_open:
        raise ValidationError(_("The theme vote is already open."), code="voting_open")
    voting.closed_at = None
    voting.closed_by = None
    voting.save(update_fields=["closed_at", "closed_by"])
    return voting


# Fixing and changing the theme of a meeting (teacher leaders and school admins).


def _theme_for_proposal(*, proposal: ThemeProposal, school: School) -> Theme:
    """The school's theme with the proposal's title, made (outside the library) when missing."""
    existing = Theme.objects.filter(school=school, title__iexact=proposal.title).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Theme.objects.create(school=school, title=proposal.title, in_library=False)
    except IntegrityError:  # made a moment ago by a colleague
        return Theme.objects.get(school=school, title=proposal.title)


@transaction.atomic
def meeting_theme_set(
    *,
    meeting: Meeting,
    actor: User,
    theme: Theme | None = None,
    proposal: ThemeProposal | None = None,
    reason: str = "",
) -> Meeting:
    """Fix a meeting's theme, from the school's themes or from one of the PLG's proposals.

    Replacing a different theme that was fixed before needs a reason (something urgent came
    up); it is kept in the meeting's history. Choosing the theme it already has changes nothing.
    """
    if (theme is None) == (proposal is None):
        raise ValidationError(_("Choose one theme."), code="theme_missing")
    meeting = (
        # Lock only the meeting row (its theme is on the nullable side of a join).
        Meeting.objects.select_for_update(of=("self",))
        .select_related("community__team__school", "theme")
        .get(pk=meeting.pk)
    )
    school = meeting.community.team.school
    if proposal is not None:
        if proposal.community_id != meeting.community_id:
            raise ValidationError(
                _("Choose a theme proposed in this PLG."), code="foreign_proposal"
            )
        theme = _theme_for_proposal(proposal=proposal, school=school)
    if theme is None or theme.school_id != school.pk:
        raise ValidationError(_("Choose a theme of this school."), code="foreign_theme")
    old = meeting.theme
    if old is not None and old.pk == theme.pk:
        return meeting
    if meeting.status in (MeetingStatus.HELD, MeetingStatus.REPORTED):
        raise ValidationError(
            _("%(meeting)s has been held; its theme can no longer change.") % {"meeting": meeting},
            code="meeting_held",
        )
    reason = (reason or "").strip()
    if old is not None and not reason:
        raise _field_error(
            "reason",
            _("%(meeting)s already has the theme “%(title)s”. Give a reason to change it.")
            % {"meeting": meeting, "title": old.title},
            "reason_required",
        )
    data = {"from": old.title if old else "", "to": theme.title}
    if old is not None:
        data["reason"] = reason
    meeting.theme = theme
    meeting.sequence += 1
    meeting.save(update_fields=["theme", "sequence"])
    MeetingChange.objects.create(
        meeting=meeting,
        actor=actor,
        kind=ChangeKind.THEME_CHANGED if old is not None else ChangeKind.THEME_SET,
        data=data,
    )
    return meeting


@transaction.atomic
def meeting_themes_fix(
    *,
    community: Community,
    actor: User,
    choices: Mapping[int, Theme | ThemeProposal | None],
    reason: str = "",
) -> list[Meeting]:
    """Fix the themes of several meetings at once (meeting number -> theme or proposal).

    All or nothing: when one meeting refuses (a change without a reason), none changes.
    A meeting without a choice keeps what it has.
    """
    meetings = {meeting.number: meeting for meeting in community.meetings.all()}
    changed: list[Meeting] = []
    errors: list[ValidationError] = []
    for number, choice in sorted(choices.items()):
        if choice is None:
            continue
        meeting = meetings.get(number)
        if meeting is None:
            raise ValidationError(
                _("Theme meeting %(number)d has not been planned yet.") % {"number": number},
                code="meeting_missing",
            )
        chosen = {"proposal": choice} if isinstance(choice, ThemeProposal) else {"theme": choice}
        try:
            with transaction.atomic():
                changed.append(
                    meeting_theme_set(meeting=meeting, actor=actor, reason=reason, **chosen)
                )
        except ValidationError as error:
            errors.append(error)
    if errors:
        # Keep each error at its field (a missing reason shows at the reason field).
        combined: dict[str, list[ValidationError]] = {}
        for error in errors:
            error.update_error_dict(combined)
        raise ValidationError(combined)
    return changed
