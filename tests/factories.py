"""factory_boy factories for the school structure, PLGs and people."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model

from communities.models import Community, Holiday, Membership, Period, School, SchoolYear, Team

PASSWORD = "correct-horse-battery-staple"  # noqa: S105 - test-only

# Four periods inside a school year from 24 August 2026 to 16 July 2027.
YEAR_START = dt.date(2026, 8, 24)
YEAR_END = dt.date(2027, 7, 16)
PERIODS = [
    (dt.date(2026, 8, 24), dt.date(2026, 11, 6)),
    (dt.date(2026, 11, 9), dt.date(2027, 1, 29)),
    (dt.date(2027, 2, 1), dt.date(2027, 4, 16)),
    (dt.date(2027, 4, 19), dt.date(2027, 7, 16)),
]


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@school.example")
    name = factory.Sequence(lambda n: f"Person {n}")
    language = "nl"
    password = factory.django.Password(PASSWORD)


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"School {n}")

    @factory.post_generation
    def admins(self, create: bool, extracted, **kwargs) -> None:
        if create and extracted:
            self.admins.set(extracted)


class SchoolYearFactory(factory.django.DjangoModelFactory):
    """A school year with its four periods."""

    class Meta:
        model = SchoolYear
        skip_postgeneration_save = True

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"2026-2027 ({n})")
    starts_on = YEAR_START
    ends_on = YEAR_END

    @factory.post_generation
    def periods(self, create: bool, extracted, **kwargs) -> None:
        if not create:
            return
        ranges = PERIODS if extracted is None else extracted
        Period.objects.bulk_create(
            Period(school_year=self, number=number, starts_on=start, ends_on=end)
            for number, (start, end) in enumerate(ranges, start=1)
        )


class HolidayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Holiday

    school_year = factory.SubFactory(SchoolYearFactory)
    name = "Kerstvakantie"
    first_day = dt.date(2026, 12, 21)
    last_day = dt.date(2027, 1, 1)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        skip_postgeneration_save = True

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"Team {n}")

    @factory.post_generation
    def leaders(self, create: bool, extracted, **kwargs) -> None:
        if create and extracted:
            self.leaders.set(extracted)


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Community

    team = factory.SubFactory(TeamFactory)
    school_year = factory.SubFactory(
        SchoolYearFactory, school=factory.SelfAttribute("..team.school")
    )
    name = factory.Sequence(lambda n: f"PLG {n}")
    vision = "Better feedback for our students."
    is_first_year = True


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    community = factory.SubFactory(CommunityFactory)
    user = factory.SubFactory(UserFactory)
    is_participant = True
