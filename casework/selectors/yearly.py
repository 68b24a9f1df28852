"""The yearly report (jaarverslag) of a PLG, a team or a school, computed in a fixed number of
queries however many PLGs, members or meetings it covers.

Privacy: this module reads meetings, attendance, absence decisions (never their reasons), hours,
cases (never their text), scores, first small steps (never their words), the evaluation of
final phase-6 reports, health-check score sums per moment (never an answer or its comment) and
products. It never reads a reflection. Aggregates over fewer than `HEALTH_MIN_ANSWERS` people
(the one three-people rule, kept in communities), and health-check moments with fewer answers,
are left out of the result itself, so no page, PDF or CSV can show them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.text import Truncator

from communities.health_selectors import enough_answers as enough_people
from communities.models import (
    HEALTH_MIN_ANSWERS,
    Characteristic,
    Community,
    CommunityKind,
    HealthCheckAnswer,
    Membership,
    Product,
    ProductStatus,
)
from meetings.models import (
    MEETINGS_PER_YEAR,
    AbsenceRequest,
    AbsenceStatus,
    Attendance,
    AttendanceStatus,
    ChangeKind,
    Meeting,
    MeetingChange,
    MeetingPreparer,
    MeetingStatus,
)
from meetings.selectors.attendance import hours_row

from ..models import (
    CaseStatus,
    MeetingReport,
    NextStep,
    NoteField,
    PhaseNote,
    ReportStatus,
    StepStatus,
    WorkCase,
    YearlyReportScope,
)

if TYPE_CHECKING:
    from communities.models import SchoolYear, Team

SCORE_VALUES = range(0, 11)
HIGHLIGHT_MAX_CHARS = 1200
HELD = (MeetingStatus.HELD, MeetingStatus.REPORTED)

Progress = Callable[[int], None]


def _scope_filter(
    prefix: str, *, school_year: SchoolYear, scope: str, community, team
) -> dict[str, Any]:
    """Filter keywords that put rows reached through `prefix` (e.g. "meeting__community") in scope."""
    if scope == YearlyReportScope.PLG:
        return {prefix: community}
    # The teacher leaders' own PLG is not one of the school's PLGs: it counts only on its own.
    filters: dict[str, Any] = {
        f"{prefix}__school_year": school_year,
        f"{prefix}__kind": CommunityKind.PLG,
    }
    if scope == YearlyReportScope.TEAM:
        filters[f"{prefix}__team"] = team
    return filters


def _communities(*, school_year: SchoolYear, scope: str, community, team):
    if scope == YearlyReportScope.PLG:
        return Community.objects.filter(pk=community.pk)
    communities = Community.objects.filter(school_year=school_year, kind=CommunityKind.PLG)
    if scope == YearlyReportScope.TEAM:
        communities = communities.filter(team=team)
    return communities


def _check_scope(*, school_year: SchoolYear, scope: str, community, team) -> None:
    if scope not in YearlyReportScope.values:
        raise ValueError(f"Unknown scope {scope!r}")
    if scope == YearlyReportScope.PLG and (
        community is None or community.school_year_id != school_year.pk
    ):
        raise ValueError("A PLG report needs a PLG of the school year.")
    if scope == YearlyReportScope.TEAM and (
        team is None or team.school_id != school_year.school_id
    ):
        raise ValueError("A team report needs a team of the school year's school.")


def _hours(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def yearly_report(
    *,
    school_year: SchoolYear,
    scope: str,
    community: Community | None = None,
    team: Team | None = None,
    on_progress: Progress | None = None,
) -> dict[str, Any]:
    """Compute the yearly report of a PLG, team or school as JSON-ready data; fourteen queries."""
    _check_scope(school_year=school_year, scope=scope, community=community, team=team)

    def report(percent: int) -> None:
        if on_progress is not None:
            on_progress(percent)

    in_scope = {"school_year": school_year, "scope": scope, "community": community, "team": team}

    # 1. The PLGs, their group members and their meetings.
    communities = list(
        _communities(**in_scope).select_related("team").order_by("team__name", "name")
    )
    plg_names = {plg.pk: plg.name for plg in communities}
    memberships = list(
        Membership.objects.group_members()
        .filter(**_scope_filter("community", **in_scope))
        .select_related("user")
        .order_by("community__name", "user__name", "user__email")
    )
    meetings = list(
        Meeting.objects.filter(**_scope_filter("community", **in_scope))
        .select_related("theme")
        .order_by("community__name", "number")
    )
    report(20)

    # 2. Which meetings were moved to another date or time (not only another room).
    moved = {
        meeting_id
        for meeting_id, data in MeetingChange.objects.filter(
            kind=ChangeKind.MOVED, **_scope_filter("meeting__community", **in_scope)
        ).values_list("meeting_id", "data")
        if (data or {}).get("from") != (data or {}).get("to")
    }

    # 3. Attendance per meeting and per member, and approved absence requests per meeting.
    per_meeting: dict[int, Counter[str]] = defaultdict(Counter)
    for meeting_id, status, count in (
        Attendance.objects.filter(**_scope_filter("meeting__community", **in_scope))
        .values_list("meeting_id", "status")
        .annotate(count=Count("pk"))
        .order_by()
    ):
        per_meeting[meeting_id][status] += count
    approved = dict(
        AbsenceRequest.objects.filter(
            status=AbsenceStatus.APPROVED, **_scope_filter("meeting__community", **in_scope)
        )
        .values_list("meeting_id")
        .annotate(count=Count("pk"))
        .order_by()
    )
    per_member: dict[tuple[int, int], dict[str, Any]] = defaultdict(dict)
    for row in (
        Attendance.objects.filter(**_scope_filter("meeting__community", **in_scope))
        .values("meeting__community_id", "member_id", "status")
        .annotate(count=Count("pk"), duration=Sum("meeting__duration"))
        .order_by()
    ):
        per_member[(row["meeting__community_id"], row["member_id"])][row["status"]] = row
    preparation = {
        (row["meeting__community_id"], row["user_id"]): row
        for row in MeetingPreparer.objects.filter(**_scope_filter("meeting__community", **in_scope))
        .values("meeting__community_id", "user_id")
        .annotate(total=Sum("hours"), unrecorded=Count("pk", filter=Q(hours__isnull=True)))
        .order_by()
    }
    report(50)

    # 4. Cases, scale scores and first small steps.
    case_presenters = list(
        WorkCase.objects.filter(
            status=CaseStatus.SUBMITTED, **_scope_filter("meeting__community", **in_scope)
        ).values_list("presenter_id", flat=True)
    )
    scores = list(
        PhaseNote.objects.filter(
            field=NoteField.SCORE,
            group__isnull=False,
            member__isnull=True,
            **_scope_filter("meeting__community", **in_scope),
        ).values_list("group_id", "group__case__presenter_id", "text")
    )
    steps = list(
        NextStep.objects.filter(**_scope_filter("meeting__community", **in_scope)).values_list(
            "presenter_id", "status"
        )
    )
    report(70)

    # 5. Highlights: the evaluation of final phase-6 reports (of meeting 6 only, school-wide).
    reports = MeetingReport.objects.filter(
        status=ReportStatus.FINAL, **_scope_filter("meeting__community", **in_scope)
    ).exclude(evaluation="")
    if scope != YearlyReportScope.PLG:
        reports = reports.filter(meeting__number=MEETINGS_PER_YEAR)
    evaluations = dict(reports.values_list("meeting_id", "evaluation"))
    report(80)

    # 6. Health-check score sums per PLG and moment (the database adds up; no answer leaves it),
    #    and the PLGs' products.
    health_sums = list(
        HealthCheckAnswer.objects.filter(**_scope_filter("moment__community", **in_scope))
        .values("moment__community_id", "moment__number")
        .annotate(
            answers=Count("pk"),
            **{f"sum_{c.value}": Sum(f"score_{c.value}") for c in Characteristic},
        )
        .order_by()
    )
    products = list(
        Product.objects.filter(**_scope_filter("community", **in_scope))
        .values("community_id", "title", "goal", "status", "finished_on")
        .order_by("community__name", "title")
    )
    report(90)

    data = {
        "scope": scope,
        "school": school_year.school.name,
        "school_year": school_year.name,
        "subject": _subject(scope, community=community, team=team, school_year=school_year),
        "compiled_at": timezone.now().isoformat(),
        "names_included": scope == YearlyReportScope.PLG,
        "min_people": HEALTH_MIN_ANSWERS,
        "plgs": [{"name": plg.name, "team": plg.team.name} for plg in communities],
        "meetings": _meetings(meetings, plg_names, moved, per_meeting, approved, evaluations),
        "members": _members(
            memberships, plg_names, per_member, preparation, names=scope == YearlyReportScope.PLG
        ),
        "cases": {
            "count": len(case_presenters),
            "presenters": len(set(case_presenters)),
            "members": len({m.user_id for m in memberships}),
        },
        "scores": _scores(scores),
        "steps": _steps(steps),
        "highlights": _highlights(meetings, plg_names, evaluations),
        "health": _health(health_sums, plg_names),
        "products": _products(products, plg_names),
    }
    report(100)
    return data


def _subject(scope: str, *, community, team, school_year) -> str:
    if scope == YearlyReportScope.PLG:
        return community.name
    if scope == YearlyReportScope.TEAM:
        return team.name
    return school_year.school.name


def _meetings(
    meetings: list[Meeting],
    plg_names: dict[int, str],
    moved: set[int],
    per_meeting: dict[int, Counter[str]],
    approved: dict[int, int],
    evaluations: dict[int, str],
) -> dict[str, Any]:
    rows = []
    by_number: dict[int, Counter[str]] = defaultdict(Counter)
    totals: Counter[str] = Counter()
    for meeting in meetings:
        counts = per_meeting.get(meeting.pk, Counter())
        people = sum(counts.values())
        shown = enough_people(people)
        held = meeting.status in HELD
        rows.append(
            {
                "plg": plg_names.get(meeting.community_id, ""),
                "number": meeting.number,
                "theme": meeting.theme.title if meeting.theme else "",
                "starts_at": timezone.localtime(meeting.starts_at).isoformat(),
                "held": held,
                "moved": meeting.pk in moved,
                "people": people,
                "present": counts[AttendanceStatus.PRESENT] if shown else None,
                "excused": counts[AttendanceStatus.EXCUSED] if shown else None,
                "absent": counts[AttendanceStatus.ABSENT] if shown else None,
                # Approved absences are absences too: hidden with the rest of a small meeting.
                "approved_requests": approved.get(meeting.pk, 0) if shown else None,
            }
        )
        number = by_number[meeting.number]
        number["meetings"] += 1
        number["held"] += held
        for status in AttendanceStatus.values:
            number[status] += counts[status]
            totals[status] += counts[status]
        number["people"] += people
    held_count = sum(row["held"] for row in rows)
    return {
        "planned": len(rows),
        "held": held_count,
        "moved": sum(row["moved"] for row in rows),
        "held_on_time": sum(row["held"] and not row["moved"] for row in rows),
        "themes": sorted({row["theme"] for row in rows if row["held"] and row["theme"]}),
        "rows": rows,
        "by_number": [
            {
                "number": number,
                "meetings": counts["meetings"],
                "held": counts["held"],
                "people": counts["people"],
                **{
                    status: counts[status] if enough_people(counts["people"]) else None
                    for status in AttendanceStatus.values
                },
            }
            for number, counts in sorted(by_number.items())
        ],
        "attendance": {
            "people": sum(totals.values()),
            **{
                status: totals[status] if enough_people(sum(totals.values())) else None
                for status in AttendanceStatus.values
            },
        },
        "final_reports": len(evaluations),
    }


def _members(
    memberships: list[Membership],
    plg_names: dict[int, str],
    per_member: dict[tuple[int, int], dict[str, Any]],
    preparation: dict[tuple[int, int], dict[str, Any]],
    *,
    names: bool,
) -> dict[str, Any]:
    rows = []
    for membership in memberships:
        key = (membership.community_id, membership.user_id)
        attended = per_member.get(key, {})
        present = attended.get(AttendanceStatus.PRESENT, {})
        hours = hours_row(
            membership,
            prepared=preparation.get(key, {}),
            present={"duration": present.get("duration"), "meetings": present.get("count", 0)},
        )
        meets_participation = hours.participation >= hours.participation_norm
        meets_preparation = (
            hours.preparation_norm is None or hours.preparation >= hours.preparation_norm
        )
        rows.append(
            {
                "name": membership.user.display_name if names else None,
                "plg": plg_names.get(membership.community_id, ""),
                "development_team": hours.is_development_team,
                "present": hours.meetings_present,
                "excused": attended.get(AttendanceStatus.EXCUSED, {}).get("count", 0),
                "absent": attended.get(AttendanceStatus.ABSENT, {}).get("count", 0),
                "participation": _hours(hours.participation),
                "participation_norm": _hours(hours.participation_norm),
                "preparation": _hours(hours.preparation) if hours.preparation_norm else None,
                "preparation_norm": _hours(hours.preparation_norm),
                "meets_norms": meets_participation and meets_preparation,
            }
        )
    shown = enough_people(len(rows))
    return {
        "count": len(rows),
        "shown": shown,
        "meeting_norms": sum(row["meets_norms"] for row in rows) if shown else None,
        "development_team": sum(row["development_team"] for row in rows),
        # Without names the rows of fewer than three people would still point at someone.
        "rows": rows if names else (anonymous_rows(rows) if shown else []),
    }


def anonymous_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Member rows without names that point at no one: small role groups out, no A-Z order.

    A PLG's development team is one to three people, so "a development-team member of PLG X"
    (the flag, or the preparation hours only they have) names them. Rows of a (PLG, role)
    group of fewer than HEALTH_MIN_ANSWERS people are therefore left out; bigger groups stay whole.
    """
    groups = Counter((row["plg"], row["development_team"]) for row in rows)
    return sorted(
        (
            {**row, "name": None}
            for row in rows
            if enough_people(groups[(row["plg"], row["development_team"])])
        ),
        key=lambda row: (
            row["plg"],
            -row["present"],
            -Decimal(row["participation"] or 0),
            row["development_team"],
        ),
    )


def _scores(scores: list[tuple[int, int | None, str]]) -> dict[str, Any]:
    values = []
    people: set[str] = set()
    for group_id, presenter_id, text in scores:
        text = (text or "").strip()
        if not text.isdigit() or int(text) not in SCORE_VALUES:
            continue
        values.append(int(text))
        # A group without a case still scored for someone: count it as one person.
        people.add(f"user-{presenter_id}" if presenter_id else f"group-{group_id}")
    shown = enough_people(len(people))
    counts = Counter(values)
    return {
        "people": len(people),
        "shown": shown,
        "count": len(values) if shown else None,
        "distribution": [counts[value] for value in SCORE_VALUES] if shown else None,
        "average": (round(sum(values) / len(values), 1) if shown and values else None),
    }


def _steps(steps: list[tuple[int, str]]) -> dict[str, Any]:
    people = {presenter_id for presenter_id, _status in steps}
    shown = enough_people(len(people))
    counts = Counter(status for _presenter, status in steps)
    return {
        "people": len(people),
        "shown": shown,
        **{status: counts[status] if shown else None for status in StepStatus.values},
    }


def _highlights(
    meetings: list[Meeting], plg_names: dict[int, str], evaluations: dict[int, str]
) -> list[dict[str, Any]]:
    return [
        {
            "plg": plg_names.get(meeting.community_id, ""),
            "number": meeting.number,
            "theme": meeting.theme.title if meeting.theme else "",
            "text": Truncator(evaluations[meeting.pk]).chars(HIGHLIGHT_MAX_CHARS),
        }
        for meeting in meetings
        if meeting.pk in evaluations
    ]


def _average(total: int, count: int) -> float | None:
    return round(total / count, 1) if count else None


def _health(sums: list[dict[str, Any]], plg_names: dict[int, str]) -> dict[str, Any]:
    """Average score per characteristic at each moment; only moments with enough answers.

    A PLG's moment with fewer than HEALTH_MIN_ANSWERS answers counts nowhere, not even in a
    team or school total: otherwise the total minus the PLGs shown would give its scores away.
    """
    characteristics = [c.value for c in Characteristic]
    shown = [row for row in sums if row["answers"] >= HEALTH_MIN_ANSWERS]
    per_number: dict[int, Counter[str]] = defaultdict(Counter)
    for row in shown:
        totals = per_number[row["moment__number"]]
        totals["answers"] += row["answers"]
        totals["plgs"] += 1
        for value in characteristics:
            totals[f"sum_{value}"] += row[f"sum_{value}"] or 0

    def averages(totals: Counter[str] | dict[str, Any]) -> dict[str, Any]:
        per_characteristic = [
            _average(totals[f"sum_{value}"] or 0, totals["answers"]) for value in characteristics
        ]
        return {
            "answers": totals["answers"],
            "averages": per_characteristic,
            "overall": _average(
                sum(totals[f"sum_{value}"] or 0 for value in characteristics),
                totals["answers"] * len(characteristics),
            ),
        }

    return {
        "min_answers": HEALTH_MIN_ANSWERS,
        "moments_hidden": len(sums) - len(shown),
        "moments": [
            {"number": number, "plgs": totals["plgs"], **averages(totals)}
            for number, totals in sorted(per_number.items())
        ],
        "by_plg": [
            {
                "plg": plg_names.get(row["moment__community_id"], ""),
                "number": row["moment__number"],
                **averages(row),
            }
            for row in sorted(
                shown,
                key=lambda row: (
                    plg_names.get(row["moment__community_id"], ""),
                    row["moment__number"],
                ),
            )
        ],
    }


def _products(products: list[dict[str, Any]], plg_names: dict[int, str]) -> dict[str, Any]:
    counts = Counter(row["status"] for row in products)
    return {
        **{status: counts[status] for status in ProductStatus.values},
        "finished_rows": [
            {
                "plg": plg_names.get(row["community_id"], ""),
                "title": row["title"],
                "goal": Truncator(row["goal"]).chars(HIGHLIGHT_MAX_CHARS),
                "finished_on": row["finished_on"].isoformat() if row["finished_on"] else None,
            }
            for row in products
            if row["status"] == ProductStatus.FINISHED
        ],
    }
