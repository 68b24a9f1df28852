"""The theme calendar's tests share the `before_the_year` and `meetings` fixtures of
tests/conftest.py (case sessions use them too); the time zone is kept here for their imports."""

from tests.conftest import AMSTERDAM, NOON_BEFORE_YEAR

__all__ = ["AMSTERDAM", "NOON_BEFORE_YEAR"]
