"""Reads for the yearly-report pages: what a reader may open, the report as they may see it,
its charts and its CSV rows. The numbers themselves come from casework.selectors.yearly."""

from __future__ import annotations

import copy
import datetime as dt
import functools
import hashlib
import json
import logging
import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from communities.health_selectors import enough_answers
from communities.models import Characteristic, ProductStatus
from meetings.models import AttendanceStatus
from plg_platform.charts import Series, bars, stacked_bars

from ..models import StepStatus, YearlyReport, YearlyReportScope, YearlyReportStatus
from ..permissions import yearly_communities, yearly_school_years, yearly_teams
from .yearly import SCORE_VALUES, anonymous_rows

if TYPE_CHECKING:
    from communities.models import Community, SchoolYear, Team
    from plg_platform.users.models import User


@dataclass(frozen=True)
class YearlyIndex:
    school_years: list[SchoolYear]
    teams: list[tuple[Team, list[SchoolYear]]]
    communities: list[Community]

    @property
    def is_empty(self) -> bool:
        return not (self.school_years or self.teams or self.communities)


def yearly_index(user: User) -> YearlyIndex:
    """Every school year, team and PLG whose yearly report the user may open; three queries."""
    teams = list(
        yearly_teams(user)
        .select_related("school")
        .prefetch_related("school__school_years")
        .order_by("school__name", "name")
    )
    return YearlyIndex(
        school_years=list(
            yearly_school_years(user)
            .select_related("school")
            .order_by("school__name", "-starts_on")
        ),
        teams=[(team, list(team.school.school_years.all())) for team in teams],
        communities=list(
            yearly_communities(user)
            .select_related("team__school", "school_year")
            .order_by("-school_year__starts_on", "team__name", "name")
        ),
    )


def latest_report(
    *,
    scope: str,
    school_year: SchoolYear,
    community: Community | None = None,
    team: Team | None = None,
) -> YearlyReport | None:
    """The newest report of one subject, compiled or on its way."""
    return (
        YearlyReport.objects.filter(
            scope=scope,
            school_year=school_year,
            community=community if scope == YearlyReportScope.PLG else None,
            team=team if scope == YearlyReportScope.TEAM else None,
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def last_compiled(report: YearlyReport) -> YearlyReport | None:
    """The newest finished report of the same subject, shown while `report` fails or runs."""
    if report.status == YearlyReportStatus.DONE:
        return report
    return (
        YearlyReport.objects.filter(
            scope=report.scope,
            school_year_id=report.school_year_id,
            community_id=report.community_id,
            team_id=report.team_id,
            status=YearlyReportStatus.DONE,
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def for_reader(data: dict[str, Any], *, show_names: bool) -> dict[str, Any]:
    """The stored report as one reader may see it: names only for those who may read them."""
    shown = copy.deepcopy(data)
    # Reports stored before approved absence requests followed the three-people rule.
    for row in shown["meetings"]["rows"]:
        if not enough_answers(row["people"]):
            row["approved_requests"] = None
    if show_names and data.get("names_included"):
        return shown
    # Rows without names go through anonymous_rows again, also those stored without names:
    # it is idempotent, and it covers reports compiled before its rule last changed.
    members = shown["members"]
    members["rows"] = anonymous_rows(members["rows"]) if members["shown"] else []
    shown["names_included"] = False
    return shown


def meeting_label(number: int) -> str:
    return _("Meeting %(number)d") % {"number": number}


def step_labels() -> dict[str, str]:
    return {status.value: str(status.label) for status in StepStatus}


def yearly_charts(data: dict[str, Any]) -> dict[str, SafeString | None]:
    """The report's charts as inline SVG; None where the numbers are not shown."""
    by_number = data["meetings"]["by_number"]
    attendance = None
    if any(row["present"] is not None for row in by_number):
        attendance = stacked_bars(
            title=_("Attendance per meeting"),
            categories=[meeting_label(row["number"]) for row in by_number],
            series=[
                Series(str(status.label), [row[status.value] for row in by_number])
                for status in AttendanceStatus
            ],
        )
    scores = data["scores"]
    steps = data["steps"]
    labels = step_labels()
    return {
        "attendance": attendance,
        "scores": bars(
            title=_("Scale scores (0-10): how many times each score was given"),
            labels=[str(value) for value in SCORE_VALUES],
            values=scores["distribution"],
        )
        if scores["shown"]
        else None,
        "steps": bars(
            title=_("First small steps"),
            labels=list(labels.values()),
            values=[steps[status] for status in labels],
        )
        if steps["shown"]
        else None,
    }


def page_context(report: YearlyReport, *, show_names: bool) -> dict[str, Any]:
    """What the report page, its printable form and its PDF show of one report."""
    context: dict[str, Any] = {"report": report, "show_names": show_names}
    if report.status == YearlyReportStatus.DONE and report.data:
        data = for_reader(report.data, show_names=show_names)
        context.update(
            {
                "data": data,
                "charts": yearly_charts(data),
                "step_rows": [
                    (label, data["steps"][status]) for status, label in step_labels().items()
                ],
                "score_rows": list(
                    zip(SCORE_VALUES, data["scores"]["distribution"] or [], strict=False)
                ),
                "compiled_at": dt.datetime.fromisoformat(data["compiled_at"]),
                # Dates are stored as ISO text; the page shows them in the reader's language.
                "meeting_rows": [
                    {**row, "starts_at": dt.datetime.fromisoformat(row["starts_at"])}
                    for row in data["meetings"]["rows"]
                ],
                "finished_products": [
                    {
                        **product,
                        "finished_on": dt.date.fromisoformat(product["finished_on"])
                        if product["finished_on"]
                        else None,
                    }
                    for product in data.get("products", {}).get("finished_rows", [])
                ],
                "health_rows": health_rows(data),
            }
        )
    return context


# The rendered body ------------------------------------------------------------------------

BODY_TEMPLATE = "casework/yearly/_body.html"
# Entries are only found again by their content, so a stale one is never shown; the timeout
# bounds how long a body whose data was since rewritten (retention, erasure) stays in memory.
BODY_CACHE_SECONDS = 10 * 60

logger = logging.getLogger(__name__)


def report_body(report: YearlyReport, *, show_names: bool) -> SafeString | None:
    """The report itself as one reader sees it (templates/casework/yearly/_body.html), or None
    while there is nothing compiled to show.

    The same data, names shown or not, language and code always give the same HTML, so it is
    rendered once and kept in Django's cache under a digest of exactly those
    (`body_cache_key`). Retention and erasure rewrite `report.data`, which changes the key: a
    body rendered from the old data is never found again. A failing cache only costs the
    rendering.
    """
    if report.status != YearlyReportStatus.DONE or not report.data:
        return None
    key = body_cache_key(report.data, show_names=show_names)
    try:
        html = cache.get(key)
    except Exception:  # e.g. Redis down: render as if nothing were cached
        logger.warning("yearly report body: cache read failed", exc_info=True)
        html = None
    if html is None:
        html = get_template(BODY_TEMPLATE).render(page_context(report, show_names=show_names))
        try:
            cache.set(key, str(html), BODY_CACHE_SECONDS)
        except Exception:
            logger.warning("yearly report body: cache write failed", exc_info=True)
    return mark_safe(html)  # noqa: S308 - rendered (autoescaped) by BODY_TEMPLATE above


def body_cache_key(data: dict[str, Any], *, show_names: bool) -> str:
    """A digest of all the rendered body depends on: the stored data, whether names show, the
    language and time zone it is formatted in, the template's source and the code that shapes
    the data for the template (for_reader, the charts)."""
    digest = hashlib.sha256()
    for part in (
        json.dumps(data, sort_keys=True, separators=(",", ":"), default=str),
        "names" if show_names else "no-names",
        translation.get_language() or "",
        timezone.get_current_timezone_name(),
        get_template(BODY_TEMPLATE).template.source,
        _code_digest(),
    ):
        digest.update(part.encode())
        digest.update(b"\0")
    return f"casework:yearly-body:{digest.hexdigest()}"


@functools.cache
def _code_digest() -> str:
    """The source of the modules whose code decides the body's HTML besides its template."""
    from plg_platform.charts._svg import chart_id

    digest = hashlib.sha256()
    for code in (report_body, anonymous_rows, enough_answers, stacked_bars, chart_id):
        digest.update(Path(sys.modules[code.__module__].__file__ or "").read_bytes())
    return digest.hexdigest()


def compiled_at(report: YearlyReport) -> dt.datetime:
    return dt.datetime.fromisoformat(report.data["compiled_at"])


def health_rows(data: dict[str, Any]) -> list[tuple[str, list[float | None]]]:
    """Per characteristic, its average at each moment shown (reports from before have none)."""
    moments = data.get("health", {}).get("moments", [])
    return [
        (str(characteristic.label), [moment["averages"][index] for moment in moments])
        for index, characteristic in enumerate(Characteristic)
    ]


# CSV --------------------------------------------------------------------------------------


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """A cell a spreadsheet will not run as a formula (text starting with = + - @ gets a ')."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def _blank(value: object) -> object:
    return "" if value is None else value


def _hours(value: str | None) -> str:
    """Hours in the reader's locale (7,5 in Dutch), so a spreadsheet reads them as numbers."""
    return "" if value is None else number_format(Decimal(value))


def csv_rows(data: dict[str, Any]) -> list[list[object]]:
    """One row per meeting, member, health-check moment and finished product, under one header.

    Names only if in `data`.
    """
    header = [
        _("row"),
        _("PLG"),
        _("meeting"),
        _("date"),
        _("theme"),
        _("held"),
        _("moved"),
        *[str(status.label) for status in AttendanceStatus],
        _("approved absence requests"),
        _("member"),
        _("development-team member"),
        _("participation hours"),
        _("participation norm"),
        _("preparation hours"),
        _("preparation norm"),
        _("meets the norms"),
        _("health-check moment"),
        _("answers"),
        *[str(characteristic.label) for characteristic in Characteristic],
        _("average of the seven"),
        _("product"),
        _("product status"),
        _("finished on"),
    ]
    health_columns = 3 + len(Characteristic)
    rows: list[list[object]] = [header]
    meeting_word, member_word = _("meeting"), _("member")
    for row in data["meetings"]["rows"]:
        rows.append(
            [
                meeting_word,
                row["plg"],
                row["number"],
                row["starts_at"][:10],
                row["theme"],
                _yes_no(row["held"]),
                _yes_no(row["moved"]),
                _blank(row["present"]),
                _blank(row["excused"]),
                _blank(row["absent"]),
                _blank(row["approved_requests"]),
                *[""] * 7,
            ]
        )
    for row in data["members"]["rows"]:
        rows.append(
            [
                member_word,
                row["plg"],
                "",
                "",
                "",
                "",
                "",
                row["present"],
                row["excused"],
                row["absent"],
                "",
                row["name"] or "",
                _yes_no(row["development_team"]),
                _hours(row["participation"]),
                _hours(row["participation_norm"]),
                _hours(row["preparation"]),
                _hours(row["preparation_norm"]),
                _yes_no(row["meets_norms"]),
            ]
        )
    rows.extend(_health_and_product_rows(data, leading=len(header) - health_columns - 3))
    return [[safe_cell(cell) for cell in row] + [""] * (len(header) - len(row)) for row in rows]


def _average(value: float | None) -> str:
    return "" if value is None else number_format(value, decimal_pos=1)


def _health_and_product_rows(data: dict[str, Any], *, leading: int) -> list[list[object]]:
    """Health-check averages per moment (per PLG, then together) and the PLGs' products."""
    health = data.get("health", {})
    health_word, product_word = _("health check"), _("product")
    rows: list[list[object]] = []
    # Per PLG first (a team or school), then the moments of everyone in the report together.
    by_plg = health.get("by_plg", []) if data["scope"] != "plg" else []
    together = [{**moment, "plg": data["subject"]} for moment in health.get("moments", [])]
    for moment in [*by_plg, *together]:
        rows.append(
            [
                health_word,
                moment["plg"],
                *[""] * (leading - 2),
                moment["number"],
                moment["answers"],
                *[_average(value) for value in moment["averages"]],
                _average(moment["overall"]),
                *[""] * 3,
            ]
        )
    statuses = dict(ProductStatus.choices)
    for product in data.get("products", {}).get("finished_rows", []):
        rows.append(
            [
                product_word,
                product["plg"],
                *[""] * (leading - 2 + 3 + len(Characteristic)),
                product["title"],
                str(statuses[ProductStatus.FINISHED]),
                product["finished_on"] or "",
            ]
        )
    return rows
