"""Give the demo PLG's next meeting two submitted work cases and one draft.

Run after `seed_demo_calendar`. The cases go to the first meeting that has not started yet, so
a teacher leader can make the small groups and open the live screen straight away.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from casework.models import WorkCase
from casework.services.cases import case_save
from communities.models import Community, Membership
from meetings.management.commands.seed_demo_calendar import DEMO_PLG

CASES = [
    {
        "title": "Een leerling die blokkeert bij elke toets",
        "situation": "Een leerling uit 3 havo levert bij toetsen een leeg blad in, terwijl hij de "
        "stof in de les goed beheerst.",
        "question": "Hoe help ik hem om de spanning rond toetsen te verlagen?",
        "tried": "Extra tijd gegeven en de toets in een apart lokaal laten maken.",
        "why_now": "Volgende week begint de toetsweek.",
    },
    {
        "title": "Onrust na de pauze",
        "situation": "Na de grote pauze komt mijn klas binnen met veel prikkels; twee leerlingen "
        "raken dan overprikkeld en lopen weg.",
        "question": "Welke start van de les helpt deze leerlingen om tot rust te komen?",
        "tried": "Een vaste opdracht op het bord bij binnenkomst.",
        "why_now": "Het gebeurt nu bijna elke dag.",
    },
]
DRAFT = {"title": "Mentorgesprek met ouders (concept)", "situation": "", "question": ""}


class Command(BaseCommand):
    help = "Submit demo work cases to the next meeting of 'Begeleiding zorgleerlingen'."

    @transaction.atomic
    def handle(self, *args: object, **options: object) -> None:
        community = Community.objects.filter(name=DEMO_PLG).first()
        if community is None or not community.meetings.exists():
            raise CommandError("Run `manage.py seed_demo` and `seed_demo_calendar` first.")
        meeting = community.meetings.filter(starts_at__gt=timezone.now()).order_by("number").first()
        if meeting is None:
            self.stdout.write(f"{DEMO_PLG} has no meeting ahead; no demo work cases added.")
            return
        if WorkCase.objects.filter(meeting__community=community).exists():
            self.stdout.write(f"{DEMO_PLG} already has work cases.")
            return
        participants = [
            membership.user
            for membership in Membership.objects.filter(community=community, is_participant=True)
            .exclude(is_teacher_leader=True)
            .exclude(is_development_team=True)
            .select_related("user")
            .order_by("user__email")
        ]
        for presenter, data in zip(participants, CASES, strict=False):
            case_save(
                meeting=meeting,
                presenter=presenter,
                data={**data, "names_left_out": True},
                submit=True,
            )
        case_save(meeting=meeting, presenter=participants[-1], data=DRAFT, submit=False)
        self.stdout.write(
            f"{DEMO_PLG}: two work cases submitted and one draft for {meeting} "
            f"({timezone.localtime(meeting.starts_at):%d-%m-%Y})."
        )
