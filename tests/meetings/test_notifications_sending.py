"""Notices on absence requests, preferences, the daily digest and mail errors."""

from __future__ import annotations

import smtplib

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.utils import translation

from meetings.models import (
    AbsenceRequest,
    Delivery,
    Notification,
    NotificationKind,
    NotificationSettings,
)
from meetings.services.attendance import absence_decide, absence_submit, absence_withdraw
from meetings.services.notifications import digests_send, notifications_send
from tests.factories import MembershipFactory, TeamFactory, UserFactory
from tests.meetings.reminder_support import first_run_before, html_of, mails_to, run_at

SUBMITTED = NotificationKind.ABSENCE_SUBMITTED
DECIDED = NotificationKind.ABSENCE_DECIDED
UPCOMING = NotificationKind.MEETING_UPCOMING


def _submit(meeting, member) -> AbsenceRequest:
    return absence_submit(meeting=meeting, member=member, reason="Begrafenis van mijn oom")


# Absence requests ------------------------------------------------------------------------------


def test_an_absence_request_notifies_the_team_leader(
    meetings, participant, team_leader, teacher_leader
) -> None:
    _submit(meetings[1], participant)

    assert notifications_send() == 1
    [message] = mails_to(team_leader, SUBMITTED)
    assert participant.display_name in message.body
    assert "Begrafenis" not in message.body + html_of(message)  # the reason stays on the page
    assert mails_to(teacher_leader, SUBMITTED) == []


def test_the_notice_goes_out_when_the_request_is_committed(
    meetings, participant, team_leader, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _submit(meetings[1], participant)

    assert len(mails_to(team_leader, SUBMITTED)) == 1


def test_every_team_leader_of_the_team_is_notified_and_no_other_team(
    world, meetings, participant, team_leader
) -> None:
    second = UserFactory(email="tweede@lyceum.example")
    world.team.leaders.add(second)
    elsewhere = UserFactory(email="elders@lyceum.example")
    TeamFactory(school=world.school, name="Bovenbouw").leaders.add(elsewhere)

    _submit(meetings[1], participant)
    notifications_send()

    assert len(mails_to(team_leader, SUBMITTED)) == 1
    assert len(mails_to(second, SUBMITTED)) == 1
    assert mails_to(elsewhere, SUBMITTED) == []


def test_changing_the_reason_does_not_notify_again(meetings, participant, team_leader) -> None:
    _submit(meetings[1], participant)
    absence_submit(meeting=meetings[1], member=participant, reason="Toch iets anders")
    notifications_send()

    assert len(mails_to(team_leader, SUBMITTED)) == 1


def test_a_request_withdrawn_before_the_notice_went_out_is_not_announced(
    meetings, participant, team_leader
) -> None:
    absence = _submit(meetings[1], participant)
    absence_withdraw(absence=absence, actor=participant)

    assert notifications_send() == 0
    assert mail.outbox == []
    assert Notification.objects.get().dropped_at is not None


@pytest.mark.parametrize("approve", [True, False])
def test_the_requester_hears_the_decision(meetings, participant, team_leader, approve) -> None:
    absence = _submit(meetings[1], participant)
    notifications_send()

    absence_decide(absence=absence, actor=team_leader, approve=approve)
    notifications_send()

    [message] = mails_to(participant, DECIDED)
    sentence = (
        "Your absence request for theme meeting %(number)s of %(plg)s on %(when)s has been "
        + (
            "approved."
            if approve
            else "declined: you are expected at the meeting. Please contact your team leader "
            "if you have questions."
        )
    )
    with translation.override(participant.language):
        decision = translation.gettext(sentence).split("%(when)s")[1][:15]
    assert decision.strip() in message.body


# Preferences -----------------------------------------------------------------------------------


def test_a_muted_kind_is_not_sent(before_the_year, meetings, participant, team_leader) -> None:
    NotificationSettings.objects.create(user=team_leader, muted_kinds=[SUBMITTED.value])
    _submit(meetings[1], participant)
    notifications_send()

    assert mails_to(team_leader, SUBMITTED) == []
    assert not Notification.objects.filter(recipient=team_leader).exists()


def test_a_kind_muted_after_recording_is_not_sent(meetings, participant, team_leader) -> None:
    _submit(meetings[1], participant)
    NotificationSettings.objects.create(user=team_leader, muted_kinds=[SUBMITTED.value])

    assert notifications_send() == 0


def test_an_essential_kind_comes_even_when_muted_and_with_a_digest(
    meetings, participant, team_leader
) -> None:
    NotificationSettings.objects.create(user=participant, muted_kinds=[DECIDED.value], digest=True)
    absence = _submit(meetings[1], participant)
    absence_decide(absence=absence, actor=team_leader, approve=True)

    notifications_send()

    assert len(mails_to(participant, DECIDED)) == 1
    assert Notification.objects.get(recipient=participant).delivery == Delivery.EMAIL


# The daily digest ------------------------------------------------------------------------------


def test_a_digest_reader_gets_nothing_one_by_one(before_the_year, meetings, participant) -> None:
    NotificationSettings.objects.create(user=participant, digest=True)

    run_at(before_the_year, first_run_before(meetings[1].starts_at, 7))

    assert mails_to(participant, UPCOMING) == []
    assert Notification.objects.get(recipient=participant).delivery == Delivery.DIGEST


def test_the_digest_is_one_mail_per_person_with_all_their_items(
    world, meetings, participant, team_leader
) -> None:
    other = UserFactory(email="ander@lyceum.example", name="Ali Ander")
    MembershipFactory(community=world.community, user=other)
    NotificationSettings.objects.create(user=team_leader, digest=True)
    _submit(meetings[1], participant)
    _submit(meetings[2], other)
    notifications_send()
    assert mail.outbox == []

    assert digests_send() == 1

    [message] = mail.outbox
    assert message.to == [team_leader.email]
    for name in (participant.display_name, other.display_name):
        assert name in message.body
        assert name in html_of(message)
    assert digests_send() == 0  # never twice


def test_the_digest_is_written_in_the_readers_language(
    before_the_year, meetings, participant
) -> None:
    participant.language = "en"
    participant.save()
    NotificationSettings.objects.create(user=participant, digest=True)
    run_at(before_the_year, first_run_before(meetings[1].starts_at, 7))

    mail.outbox.clear()  # the teacher leader's own reminder, one by one

    assert digests_send() == 1

    [message] = mail.outbox
    assert message.to == [participant.email]
    with translation.override("en"):
        label = str(NotificationKind.MEETING_UPCOMING.label)
    assert label in message.body
    assert "Tuesday" in message.body


# Mail errors -----------------------------------------------------------------------------------


def test_a_mail_error_keeps_the_rest_for_the_retry_and_sends_nothing_twice(
    monkeypatch, before_the_year, meetings, participant, teacher_leader, development_team
) -> None:
    real_send = EmailMultiAlternatives.send
    calls = []

    def flaky_send(self, *args, **kwargs):
        calls.append(self.to)
        if len(calls) == 2:
            raise smtplib.SMTPServerDisconnected("gone")
        return real_send(self, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", flaky_send)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        run_at(before_the_year, first_run_before(meetings[1].starts_at, 7))
    assert len(mail.outbox) == 1
    assert Notification.objects.filter(sent_at__isnull=False).count() == 1

    assert notifications_send() == 2

    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        user.email for user in (participant, teacher_leader, development_team)
    )
