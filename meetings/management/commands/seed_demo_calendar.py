"""Give the demo school's second PLG a planned year: themes voted and fixed, preparers, phase 0.

Run after `seed_demo`; does nothing when that PLG already has meetings. The first demo PLG is
left unplanned, so a teacher leader can try planning the year themselves.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from communities.models import Community, Membership
from meetings.models import IntroductionKind, Theme
from meetings.services import year_plan_create
from meetings.services.preparation import meeting_preparers_set, theme_introduction_save
from meetings.services.themes import (
    meeting_theme_set,
    theme_proposal_create,
    theme_vote_cast,
    theme_voting_close,
)

DEMO_PLG = "PLG Begeleiding zorgleerlingen"
PROPOSALS = [
    ("Faalangst bij toetsen", "Ik zie leerlingen blokkeren zodra er een cijfer aan hangt.",
     "Een leerling die bij elke toets ziek wordt."),
    ("Prikkels in de klas", "Sommige leerlingen raken overprikkeld in drukke lessen.", ""),
]  # fmt: skip
LIBRARY_THEMES = {3: "Autisme", 4: "Zorgleerlingen", 5: "Mentoraat en coaching"}


class Command(BaseCommand):
    help = "Plan the year of the demo PLG 'Begeleiding zorgleerlingen' (after seed_demo)."

    @transaction.atomic
    def handle(self, *args: object, **options: object) -> None:
        community = Community.objects.filter(name=DEMO_PLG).select_related("team__school").first()
        if community is None:
            raise CommandError("Run `manage.py seed_demo` first.")
        if community.meetings.exists():
            self.stdout.write(f"{DEMO_PLG} already has a year plan.")
            return
        memberships = list(Membership.objects.filter(community=community).select_related("user"))
        leader = next(m.user for m in memberships if m.is_teacher_leader)
        developers = [m.user for m in memberships if m.is_development_team]
        members = [m.user for m in memberships if m.counts_as_group_member]
        meetings = year_plan_create(
            community=community,
            actor=leader,
            weekday=3,
            start_time=dt.time(15, 0),
            location="Lokaal A2.10",
        )
        proposals = [
            theme_proposal_create(
                community=community, author=members[index], title=title, why=why, example=example
            )
            for index, (title, why, example) in enumerate(PROPOSALS)
        ]
        for voter in members:
            theme_vote_cast(proposal=proposals[0], voter=voter)
        theme_vote_cast(proposal=proposals[1], voter=members[0])
        theme_voting_close(community=community, actor=leader)
        meeting_theme_set(meeting=meetings[1], actor=leader, proposal=proposals[0])
        school = community.team.school
        for number, title in LIBRARY_THEMES.items():
            theme = Theme.objects.get(school=school, title=title)
            meeting_theme_set(meeting=meetings[number - 1], actor=leader, theme=theme)
        for meeting in meetings:
            meeting_preparers_set(meeting=meeting, actor=leader, users=developers[:2])
        theme_introduction_save(
            meeting=meetings[1],
            actor=developers[0],
            kind=IntroductionKind.GUEST_SPEAKER,
            title="Faalangst herkennen en bespreekbaar maken",
            speaker_name="Drs. M. de Wit",
            speaker_organisation="Expertisecentrum Passend Onderwijs",
        )
        self.stdout.write(self.style.SUCCESS(f"{DEMO_PLG}: year plan, themes and preparers ready."))
