"""Create (or refresh) a realistic demo school; safe to run again."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from communities.models import Community, Membership, Role, School, SchoolYear, Team
from communities.services import (
    DateRange,
    HolidayInput,
    community_save,
    membership_add,
    membership_update_roles,
    school_year_save,
    team_save,
)

DEMO_PASSWORD = "plg-demo-2026"
SCHOOL_NAME = "Demo College De Brug"
YEAR_NAME = "2026-2027"

D = dt.date
PERIODS = [
    DateRange(D(2026, 8, 24), D(2026, 11, 6)),
    DateRange(D(2026, 11, 9), D(2027, 1, 29)),
    DateRange(D(2027, 2, 1), D(2027, 4, 23)),
    DateRange(D(2027, 4, 26), D(2027, 7, 16)),
]
HOLIDAYS = [
    HolidayInput("Herfstvakantie", D(2026, 10, 19), D(2026, 10, 23)),
    HolidayInput("Kerstvakantie", D(2026, 12, 21), D(2027, 1, 1)),
    HolidayInput("Voorjaarsvakantie", D(2027, 2, 22), D(2027, 2, 26)),
    HolidayInput("Meivakantie", D(2027, 4, 26), D(2027, 5, 7)),
]

# (e-mail, name, description shown in the printed list of logins)
ADMIN = ("projectleider@demo.plg.nl", "Petra de Vries", "programme lead (school admin)")
TEAM_LEADER = ("teamleider@demo.plg.nl", "Tom Jansen", "team leader")
EXPERT = ("expert@demo.plg.nl", "Eva Bakker", "external expert (PLG Taal)")

P = Role.PARTICIPANT
TL = Role.TEACHER_LEADER
DT = Role.DEVELOPMENT_TEAM
COMMUNITIES = [
    {
        "name": "PLG Taal in alle vakken",
        "vision": "Elke docent is ook taaldocent: we willen dat leerlingen vakteksten beter begrijpen.",
        "question": "Hoe ondersteunen we leerlingen bij het lezen van vakteksten?",
        "product": "Een handreiking met werkvormen voor taalgericht vakonderwijs.",
        "is_first_year": False,
        "members": [
            ("teacherleader@demo.plg.nl", "Anna Visser", [TL, P]),
            ("teacherleader2@demo.plg.nl", "Bram de Groot", [TL, P]),
            ("ontwikkelteam@demo.plg.nl", "Chantal Smit", [DT, P]),
            ("ontwikkelteam2@demo.plg.nl", "Daan Mulder", [DT, P]),
            ("deelnemer@demo.plg.nl", "Fatima El Amrani", [P]),
            ("deelnemer2@demo.plg.nl", "Gijs Bos", [P]),
            ("deelnemer3@demo.plg.nl", "Hanna Meijer", [P]),
            ("deelnemer4@demo.plg.nl", "Ibrahim Yilmaz", [P]),
            ("deelnemer5@demo.plg.nl", "Julia de Boer", [P]),
            ("deelnemer6@demo.plg.nl", "Kees Dekker", [P]),
            (EXPERT[0], EXPERT[1], [Role.EXPERT]),
        ],
    },
    {
        "name": "PLG Begeleiding zorgleerlingen",
        "vision": "Leerlingen die extra zorg nodig hebben, krijgen in elke les passende begeleiding.",
        "question": "Wat werkt in de klas voor leerlingen met autisme of faalangst?",
        "product": "Een set lesaanpassingen die het hele team kan gebruiken.",
        "is_first_year": True,
        "members": [
            ("teacherleader3@demo.plg.nl", "Lotte van Dijk", [TL, P]),
            ("teacherleader4@demo.plg.nl", "Mohamed Haddou", [TL, P]),
            ("ontwikkelteam3@demo.plg.nl", "Nina Peters", [DT, P]),
            ("ontwikkelteam4@demo.plg.nl", "Olaf Hendriks", [DT, P]),
            ("deelnemer7@demo.plg.nl", "Priya Ramdin", [P]),
            ("deelnemer8@demo.plg.nl", "Quinten Vos", [P]),
            ("deelnemer9@demo.plg.nl", "Roos Koster", [P]),
            ("deelnemer10@demo.plg.nl", "Sem Willems", [P]),
        ],
    },
]


def _person(email: str, name: str):
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(email=email, defaults={"name": name})
    if created or not user.has_usable_password():
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


class Command(BaseCommand):
    help = "Create a demo school with a school year, a team and two PLGs; print the logins."

    @transaction.atomic
    def handle(self, *args: object, **options: object) -> None:
        from allauth.account.models import EmailAddress

        admin = _person(*ADMIN[:2])
        school, _created = School.objects.get_or_create(name=SCHOOL_NAME)
        school.admins.add(admin)
        school_year = SchoolYear.objects.filter(school=school, name=YEAR_NAME).first()
        school_year = school_year_save(
            school=school,
            school_year=school_year,
            name=YEAR_NAME,
            starts_on=D(2026, 8, 24),
            ends_on=D(2027, 7, 16),
            periods=PERIODS,
            holidays=HOLIDAYS,
        )
        team_leader = _person(*TEAM_LEADER[:2])
        team = Team.objects.filter(school=school, name="Team Bovenbouw").first()
        team = team_save(
            school=school, team=team, name="Team Bovenbouw", leaders=[team_leader], actor=admin
        )
        logins = [ADMIN, TEAM_LEADER]
        for spec in COMMUNITIES:
            fields = {
                k: spec[k] for k in ("name", "vision", "question", "product", "is_first_year")
            }
            community = Community.objects.filter(
                team=team, school_year=school_year, name=spec["name"]
            ).first()
            community = community_save(
                team=team, school_year=school_year, community=community, **fields
            )
            for email, name, roles in spec["members"]:
                user = _person(email, name)
                membership = Membership.objects.filter(community=community, user=user).first()
                if membership is None:
                    membership, _invited = membership_add(
                        community=community, email=email, roles=roles, actor=admin
                    )
                else:
                    membership_update_roles(membership=membership, roles=roles)
                described = ", ".join(str(role.label) for role in membership.roles)
                logins.append((email, name, f"{described} ({community.name})"))
        for email, *_rest in logins:
            user = get_user_model().objects.get(email=email)
            EmailAddress.objects.update_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
        self.stdout.write(self.style.SUCCESS(f"Demo school “{SCHOOL_NAME}” is ready."))
        self.stdout.write(f"Every demo login has the password: {DEMO_PASSWORD}")
        seen = set()
        for email, name, description in logins:
            if email in seen:
                continue
            seen.add(email)
            self.stdout.write(f"  {email:32} {name:20} {description}")
