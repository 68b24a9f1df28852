"""Reads for the health check: moments, anonymous aggregates, suggestions and agreed actions.

Aggregates are computed only from the answer rows, which carry no author; nothing here ever
joins answers to participations.
"""

from __future__ import annotations

import datetime as dt
import functools
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from django.db.models import Avg, Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from plg_platform.sql import all_rows, from_db, table

from . import health
from .models import (
    HEALTH_CHECK_AFTER_MEETING,
    HEALTH_CHECK_MOMENTS,
    HEALTH_MIN_ANSWERS,
    Characteristic,
    Community,
    HealthAction,
    HealthCheckAnswer,
    HealthCheckMoment,
    HealthCheckParticipation,
    Membership,
)

if TYPE_CHECKING:
    from django.db.models import Field

    from plg_platform.users.models import User

# How long a moment stays open when its dates come from a meeting.
ANSWER_WINDOW = dt.timedelta(days=14)
SCORE_FIELDS = [f"score_{c.value}" for c in Characteristic]


def enough_answers(count: int) -> bool:
    """Tell whether this many anonymous answers may be shown (health checks and evaluations)."""
    return count >= HEALTH_MIN_ANSWERS


@dataclass(frozen=True)
class CharacteristicResult:
    characteristic: Characteristic
    average: float
    spread: float
    previous_average: float | None

    @property
    def label(self) -> str:
        return str(self.characteristic.label)

    @property
    def agreement(self) -> str:
        return str(health.agreement(self.spread))

    @property
    def is_low(self) -> bool:
        return self.average < health.LOW_AVERAGE

    @property
    def is_diverging(self) -> bool:
        return self.spread >= health.LARGE_SPREAD

    @property
    def needs_attention(self) -> bool:
        return health.needs_attention(self.average, self.spread)

    @property
    def suggestions(self) -> tuple[health.Suggestion, ...]:
        return health.suggestions_for(self.characteristic) if self.needs_attention else ()


@dataclass(frozen=True)
class MomentResults:
    """What may be shown of one moment: nothing but a count until enough members answered."""

    answer_count: int
    characteristics: list[CharacteristicResult] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)

    @property
    def shown(self) -> bool:
        return enough_answers(self.answer_count)

    @property
    def needed(self) -> int:
        return HEALTH_MIN_ANSWERS

    @property
    def overall_average(self) -> float | None:
        if not self.characteristics:
            return None
        return round(statistics.fmean(r.average for r in self.characteristics), 2)

    @property
    def attention(self) -> list[CharacteristicResult]:
        return [r for r in self.characteristics if r.needs_attention]


def _results_from_rows(
    rows: list[dict[str, object]], previous: dict[int, float] | None = None
) -> MomentResults:
    if not enough_answers(len(rows)):
        # Below the threshold not even the averages leave this function.
        return MomentResults(answer_count=len(rows))
    characteristics = []
    for characteristic in Characteristic:
        scores = [int(row[f"score_{characteristic.value}"]) for row in rows]
        characteristics.append(
            CharacteristicResult(
                characteristic=characteristic,
                average=round(statistics.fmean(scores), 2),
                spread=round(statistics.pstdev(scores), 2),
                previous_average=(previous or {}).get(characteristic.value),
            )
        )
    # Rows come ordered by their random key, so comments carry no trace of who or when.
    comments = [str(row["comment"]) for row in rows if row["comment"]]
    return MomentResults(answer_count=len(rows), characteristics=characteristics, comments=comments)


def _answer_rows(moments: Iterable[HealthCheckMoment]) -> dict[int, list[dict[str, object]]]:
    """The answers of some saved moments in one query, by moment id."""
    ids = [m.pk for m in moments if m.pk]
    by_moment: dict[int, list[dict[str, object]]] = defaultdict(list)
    if not ids:
        return by_moment
    for row in (
        HealthCheckAnswer.objects.filter(moment_id__in=ids)
        .order_by("id")
        .values("moment_id", "comment", *SCORE_FIELDS)
    ):
        by_moment[row["moment_id"]].append(row)
    return by_moment


def _averages(rows: list[dict[str, object]]) -> dict[int, float] | None:
    if not enough_answers(len(rows)):
        return None
    return {
        c.value: round(statistics.fmean(int(row[f"score_{c.value}"]) for row in rows), 2)
        for c in Characteristic
    }


def moment_results(moment: HealthCheckMoment) -> MomentResults:
    """Aggregate one moment's answers (no previous moment overlay); nothing below the threshold."""
    if not moment.pk:
        return MomentResults(answer_count=0)
    return _results_from_rows(_answer_rows([moment])[moment.pk])


def health_trend(communities: Iterable[Community]) -> dict[int, list[float | None]]:
    """Per PLG the overall average of each moment (None below the threshold); one query."""
    averages = health_averages(communities)
    trend: dict[int, list[float | None]] = {}
    for community_id, per_moment in averages.items():
        trend[community_id] = [
            round(statistics.fmean(per_moment[n].values()), 2) if per_moment.get(n) else None
            for n in range(1, HEALTH_CHECK_MOMENTS + 1)
        ]
    return trend


def health_averages(
    communities: Iterable[Community],
) -> dict[int, dict[int, dict[int, float] | None]]:
    """Per PLG, per moment number: the average per characteristic, or None below the threshold.

    One query whatever the number of PLGs; a QuerySet of communities is used as a subquery.
    """
    if isinstance(communities, QuerySet):
        ids = communities.values("pk")
        known: list[int] | None = None
    else:
        known = [c.pk for c in communities]
        ids = known
    rows = (
        HealthCheckAnswer.objects.filter(moment__community_id__in=ids)
        .values("moment__community_id", "moment__number")
        .annotate(
            answers=Count("id"),
            **{f"avg_{c.value}": Avg(f"score_{c.value}") for c in Characteristic},
        )
        .order_by()
    )
    result: dict[int, dict[int, dict[int, float] | None]] = defaultdict(dict)
    for community_id in known or []:
        result[community_id] = {}
    for row in rows:
        per_characteristic = None
        if enough_answers(row["answers"]):
            per_characteristic = {
                c.value: round(float(row[f"avg_{c.value}"]), 2) for c in Characteristic
            }
        result[row["moment__community_id"]][row["moment__number"]] = per_characteristic
    return dict(result)


def _meeting_days(community: Community) -> dict[int, dt.date]:
    # Read through the reverse relation: communities must not import the meetings app.
    numbers = set(HEALTH_CHECK_AFTER_MEETING.values())
    return {
        number: timezone.localdate(starts_at)
        for number, starts_at in community.meetings.filter(number__in=numbers).values_list(
            "number", "starts_at"
        )
    }


def proposed_moment_dates(
    community: Community, meeting_days: dict[int, dt.date] | None = None
) -> dict[int, tuple[dt.date, dt.date]]:
    """Opening and closing day of each moment, from the meeting dates (or the school year)."""
    if meeting_days is None:
        meeting_days = _meeting_days(community)
    year = community.school_year
    length = year.ends_on - year.starts_on
    # Without a planned meeting, spread the moments over the year like the meetings would be.
    fallback = {
        1: year.starts_on + dt.timedelta(days=7),
        3: year.starts_on + length * 2 / 5,
        6: year.ends_on - dt.timedelta(days=7),
    }
    dates = {}
    for number, after_meeting in HEALTH_CHECK_AFTER_MEETING.items():
        opens_on = meeting_days.get(after_meeting, fallback[after_meeting])
        closes_on = opens_on + ANSWER_WINDOW
        if year.starts_on <= opens_on <= year.ends_on:
            closes_on = max(opens_on, min(closes_on, year.ends_on))
        dates[number] = (opens_on, closes_on)
    return dates


def health_moments(community: Community) -> list[HealthCheckMoment]:
    """The PLG's three moments: the saved ones, or unsaved proposals from the meeting dates."""
    saved = {m.number: m for m in community.health_check_moments.all()}
    if len(saved) == HEALTH_CHECK_MOMENTS:
        return [saved[n] for n in sorted(saved)]
    proposed = proposed_moment_dates(community)
    return [
        saved.get(number)
        or HealthCheckMoment(
            community=community, number=number, opens_on=opens_on, closes_on=closes_on
        )
        for number, (opens_on, closes_on) in sorted(proposed.items())
    ]


def moment_state(moment: HealthCheckMoment, today: dt.date | None = None) -> str:
    """Return "upcoming", "open" or "closed" for a moment on a day (today by default)."""
    today = today or timezone.localdate()
    if today < moment.opens_on:
        return "upcoming"
    if today > moment.closes_on:
        return "closed"
    return "open"


STATE_LABELS = {
    "upcoming": pgettext_lazy("health-check moment", "not open yet"),
    "open": pgettext_lazy("health-check moment", "open"),
    "closed": pgettext_lazy("health-check moment", "closed"),
}


@dataclass
class MomentRow:
    moment: HealthCheckMoment
    state: str
    answered: bool
    answer_count: int
    is_member: bool

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])

    @property
    def can_answer(self) -> bool:
        return self.is_member and self.state == "open" and not self.answered

    @property
    def after_meeting(self) -> int:
        return HEALTH_CHECK_AFTER_MEETING[self.moment.number]


def moment_to_answer(
    user: User, community: Community, membership: Membership | None
) -> HealthCheckMoment | None:
    """The open moment this group member has not answered yet, if any.

    One plain SQL query (plg_platform.sql) reads the saved moments with whether the user
    answered each, and the days of the meetings the moments follow, for the moments not saved
    yet (moments are saved at the first answer or action, so nobody answered those). The ORM
    spent 4 ms of CPU building the two queries this replaces, and 20 ms the one with a dozen
    correlated subqueries before those (docs/performance.md). tests/communities/
    test_health_prompt.py holds it to `health_moments` and `has_answered` for every persona.
    """
    if not (membership and membership.counts_as_group_member):
        return None
    saved: dict[int, tuple[dt.date, dt.date, bool]] = {}
    meeting_days: dict[int, dt.date] = {}
    sql, opens_field, closes_field, starts_field = _prompt_sql()
    for kind, number, opens_on, closes_on, answered, starts_at in all_rows(
        sql, {"user": user.pk, "community": community.pk}
    ):
        if kind == "moment":
            saved[number] = (
                from_db(opens_on, opens_field),
                from_db(closes_on, closes_field),
                bool(answered),
            )
        else:
            meeting_days[number] = timezone.localdate(from_db(starts_at, starts_field))
    proposed = (
        proposed_moment_dates(community, meeting_days)
        if len(saved) < len(HEALTH_CHECK_AFTER_MEETING)
        else {}
    )
    today = timezone.localdate()
    for number in sorted(HEALTH_CHECK_AFTER_MEETING):
        row = saved.get(number)
        if row and row[2]:
            continue
        opens_on, closes_on = row[:2] if row else proposed[number]
        moment = HealthCheckMoment(
            community=community, number=number, opens_on=opens_on, closes_on=closes_on
        )
        if moment_state(moment, today) == "open":
            return moment
    return None


@functools.cache
def _prompt_sql() -> tuple[str, Field, Field, Field]:
    """The prompt's query text, and the fields its dates and times are converted as."""
    # Through the reverse relation: communities must not import the meetings app.
    meeting_model = Community._meta.get_field("meetings").related_model
    moments, participations = table(HealthCheckMoment), table(HealthCheckParticipation)
    numbers = ", ".join(str(int(n)) for n in sorted(set(HEALTH_CHECK_AFTER_MEETING.values())))
    sql = f"""
        SELECT 'moment', hm.number, hm.opens_on, hm.closes_on,
          EXISTS (
            SELECT 1 FROM {participations} p WHERE p.moment_id = hm.id AND p.user_id = %(user)s
          ),
          NULL
        FROM {moments} hm WHERE hm.community_id = %(community)s
        UNION ALL
        SELECT 'meeting', mm.number, NULL, NULL, NULL, mm.starts_at
        FROM {table(meeting_model)} mm
        WHERE mm.community_id = %(community)s AND mm.number IN ({numbers})
    """  # noqa: S608
    return (
        sql,
        HealthCheckMoment._meta.get_field("opens_on"),
        HealthCheckMoment._meta.get_field("closes_on"),
        meeting_model._meta.get_field("starts_at"),
    )


def viewer_membership(user: User, community: Community) -> Membership | None:
    return Membership.objects.filter(community=community, user=user).first()


def reads_comments(membership: Membership | None) -> bool:
    """Tell whether the viewer reads comments and suggestions: the group and its teacher leaders.

    The same rule as permissions.is_group_member, on the membership already loaded. Team leaders,
    the programme lead and guest experts see the averages, spread, chart and table only.
    """
    return bool(membership and (membership.counts_as_group_member or membership.is_teacher_leader))


def health_overview(user: User, community: Community) -> dict[str, object]:
    """The health-check page: each moment's dates, state, answer count and the user's own status."""
    membership = viewer_membership(user, community)
    moments = health_moments(community)
    saved_ids = [m.pk for m in moments if m.pk]
    counts = dict(
        HealthCheckAnswer.objects.filter(moment_id__in=saved_ids)
        .values("moment_id")
        .annotate(n=Count("id"))
        .values_list("moment_id", "n")
        .order_by()
    )
    answered = set(
        HealthCheckParticipation.objects.filter(moment_id__in=saved_ids, user=user).values_list(
            "moment_id", flat=True
        )
    )
    is_member = bool(membership and membership.counts_as_group_member)
    rows = [
        MomentRow(
            moment=m,
            state=moment_state(m),
            answered=m.pk in answered,
            answer_count=counts.get(m.pk, 0),
            is_member=is_member,
        )
        for m in moments
    ]
    return {
        "community": community,
        "rows": rows,
        "is_member": is_member,
        "is_teacher_leader": bool(membership and membership.is_teacher_leader),
        "min_answers": HEALTH_MIN_ANSWERS,
    }


def _actions(moment_ids: list[int]) -> list[HealthAction]:
    if not moment_ids:
        return []
    return list(
        HealthAction.objects.filter(moment_id__in=moment_ids).select_related("owner", "moment")
    )


def moment_page(user: User, community: Community, number: int) -> dict[str, object]:
    """One moment's results with the previous moment overlaid, suggestions and agreed actions."""
    from plg_platform.charts import RadarSeries, radar

    membership = viewer_membership(user, community)
    moments = health_moments(community)
    moment = moments[number - 1]
    previous = moments[number - 2] if number > 1 else None
    rows = _answer_rows([m for m in (moment, previous) if m is not None])
    previous_averages = (
        _averages(rows[previous.pk]) if previous is not None and previous.pk else None
    )
    results = _results_from_rows(rows[moment.pk] if moment.pk else [], previous_averages)
    group_reads = reads_comments(membership)
    if not group_reads:
        # Comments are written for the group; they never reach managers' or experts' pages.
        results = replace(results, comments=[])
    chart = None
    if results.shown:
        labels = [r.label for r in results.characteristics]
        series = [
            RadarSeries(
                _("Moment %(number)d") % {"number": number},
                [r.average for r in results.characteristics],
            )
        ]
        if previous_averages:
            series.append(
                RadarSeries(
                    _("Moment %(number)d") % {"number": number - 1},
                    [previous_averages[c.value] for c in Characteristic],
                )
            )
        chart = radar(
            title=_("Health check, moment %(number)d: average per characteristic (1-5)")
            % {"number": number},
            axes=labels,
            series=series,
        )
    actions = _actions([m.pk for m in (moment, previous) if m is not None and m.pk])
    is_teacher_leader = bool(membership and membership.is_teacher_leader)
    return {
        "community": community,
        "moment": moment,
        "state": moment_state(moment),
        "previous": previous,
        "results": results,
        "chart": chart,
        "actions": [a for a in actions if a.moment_id == moment.pk],
        "previous_actions": [
            a for a in actions if previous is not None and a.moment_id == previous.pk
        ],
        "is_teacher_leader": is_teacher_leader,
        "reads_comments": group_reads,
        "min_answers": HEALTH_MIN_ANSWERS,
    }


def has_answered(user: User, moment: HealthCheckMoment) -> bool:
    """Has the user answered this moment? A moment not saved yet has no answers."""
    return bool(moment.pk and moment.participations.filter(user=user).exists())
