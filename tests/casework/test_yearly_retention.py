"""A yearly report cannot be compiled again once its school year is past retention: its cases
and notes are gone, so the numbers would be wrong."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from casework.services.yearly import yearly_report_request
from communities.retention import deletion_date
from tests.conftest import AMSTERDAM

pytestmark = pytest.mark.django_db


def _noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=AMSTERDAM)


def _request(world, team_leader):
    return yearly_report_request(
        actor=team_leader, school_year=world.school_year, scope="plg", community=world.community
    )


def test_a_report_can_be_compiled_the_day_before_deletion(world, team_leader) -> None:
    last_day = deletion_date(world.school_year, world.school.retention_years) - dt.timedelta(1)

    with time_machine.travel(_noon(last_day)):
        assert _request(world, team_leader).pk


def test_a_report_past_retention_cannot_be_compiled_again(world, team_leader) -> None:
    gone = deletion_date(world.school_year, world.school.retention_years)

    with time_machine.travel(_noon(gone)), pytest.raises(ValidationError):
        _request(world, team_leader)
