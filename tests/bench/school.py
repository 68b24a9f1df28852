"""Build a whole school's year of PLG work, fast, for benchmarks and size-dependent tests.

`build_school(plgs=40, members=15)` gives one school with a school year (four periods, a
Christmas holiday), teams of five PLGs with a team leader each, a programme lead, and per PLG
six theme meetings that all took place: attendance with approved, declined and pending absence
requests, submitted (and some draft) work cases, small groups with a leader and a case each,
phase notes with a 0-10 scale score and a first small step (looked back on, except after the
last meeting), reflections of which some are private, and a final phase-6 report per meeting.

Rows are written with bulk_create in one transaction, not through the services: the services
check one request at a time and would take minutes for a school. The data is seeded, so two
builds with the same arguments hold the same rows.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import models, transaction

from casework.models import (
    CaseStatus,
    GroupSplit,
    MeetingReport,
    MeetingRun,
    NextStep,
    NoteField,
    PhaseNote,
    Reflection,
    ReportStatus,
    SmallGroup,
    SmallGroupMember,
    StepStatus,
    WorkCase,
)
from communities.models import (
    Community,
    Holiday,
    Membership,
    Period,
    School,
    SchoolYear,
    Team,
)
from meetings.models import (
    DEFAULT_DURATION,
    MEETINGS_PER_YEAR,
    TEAM_LEADER_MEETINGS,
    AbsenceRequest,
    AbsenceStatus,
    Attendance,
    AttendanceStatus,
    ChangeKind,
    Meeting,
    MeetingChange,
    MeetingPreparer,
    MeetingStatus,
    Theme,
)
from meetings.phases import Phase
from meetings.planning import Span, plan_dates
from meetings.services.plan import theme_library_ensure
from tests.factories import PERIODS, YEAR_END, YEAR_START

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
CHRISTMAS = (dt.date(2026, 12, 21), dt.date(2027, 1, 1))
START_TIME = dt.time(15, 30)
# PLGs meet on Monday to Thursday, so a quarter of the school shares each meeting date.
WEEKDAYS = (0, 1, 2, 3)
TEACHER_LEADERS = 2
# Four development-team members in a PLG of 15, fewer in smaller PLGs (at least one).
DEVELOPMENT_TEAM_SHARE = 4 / 13
SMALL_GROUP_SIZE = 4
# Written into every private reflection, so a report or export can be searched for it.
PRIVATE_MARKER = "PRIVATE-REFLECTION-7f3a"
SHARED_MARKER = "SHARED-REFLECTION-2c9e"
# A meeting in this many is moved after planning (a MOVED change, one day later).
MOVED_EVERY = 7
MOVED_BEFORE = dt.timedelta(days=10)
# The phase-6 report is final this long after the meeting starts.
FINAL_AFTER = dt.timedelta(days=2)
CASE_STARTED = dt.timedelta(days=9)
CASE_SUBMITTED = dt.timedelta(days=4)


@dataclass
class BenchSchool:
    """What `build_school` made, with the handles a benchmark or test needs."""

    school: School
    school_year: SchoolYear
    teams: list[Team]
    communities: list[Community]
    team_leaders: list[object]
    programme_lead: object
    # Every meeting's start, per meeting number, to pick moments where much is due.
    starts: dict[int, list[dt.datetime]] = field(default_factory=dict)

    def busiest_start(self, number: int = 4) -> dt.datetime:
        """Return the start shared by the most PLGs for meeting `number`."""
        return Counter(self.starts[number]).most_common(1)[0][0]

    def before_busiest(self, *, days: int = 1, number: int = 4) -> dt.datetime:
        """Return a moment `days` before the busiest start, just after a reminder falls due."""
        return self.busiest_start(number) - dt.timedelta(days=days) + dt.timedelta(minutes=5)


def _roles(members: int) -> tuple[int, int]:
    """Return how many teacher leaders and development-team members a PLG of `members` has."""
    leaders = min(TEACHER_LEADERS, members)
    rest = members - leaders
    developers = max(1, round(rest * DEVELOPMENT_TEAM_SHARE)) if rest else 0
    return leaders, developers


def _meeting_dates(
    school_year: SchoolYear, periods: list[Period], holidays: list[Holiday]
) -> dict[int, list[dt.date]]:
    """Return the six planned days of the year per weekday, from the product's own planner."""
    year = Span(school_year.starts_on, school_year.ends_on)
    spans = [Span(p.starts_on, p.ends_on) for p in periods]
    free = [Span(h.first_day, h.last_day) for h in holidays]
    dates = {}
    for weekday in WEEKDAYS:
        plan = plan_dates(year=year, periods=spans, holidays=free, weekday=weekday)
        dates[weekday] = [planned.day for planned in plan]
    return dates


@dataclass
class _Rows:
    """Unsaved rows, collected per model and written in dependency order."""

    by_model: dict[type[models.Model], list[models.Model]] = field(
        default_factory=lambda: defaultdict(list)
    )

    def add(self, row: models.Model) -> models.Model:
        self.by_model[type(row)].append(row)
        return row

    def save(self, *models_in_order: type[models.Model]) -> None:
        for model in models_in_order:
            rows = self.by_model.pop(model, [])
            if rows:
                model.objects.bulk_create(rows, batch_size=500)


@transaction.atomic
def build_school(
    *,
    plgs: int,
    members: int,
    plgs_per_team: int = 5,
    seed: int = 2026,
    name: str = "Benchcollege",
    as_of: dt.datetime | None = None,
) -> BenchSchool:
    """Build one school with `plgs` PLGs of `members` people and a full year of their work.

    With `as_of`, build the year as it stands at that moment: meetings that ended before it
    were held (reported two days later), later ones are still planned, with the cases, drafts
    and absence requests made by then; nothing dated after `as_of` exists yet.
    """
    if plgs < 1 or members < 1:
        raise ValueError("A school needs at least one PLG of at least one member.")
    rng = random.Random(seed)
    User = get_user_model()
    password = make_password(None)
    slug = name.lower().replace(" ", "-")

    # 1. The school, its year with four periods and a holiday, teams and their leaders.
    school = School.objects.create(name=name)
    school_year = SchoolYear.objects.create(
        school=school, name="2026-2027", starts_on=YEAR_START, ends_on=YEAR_END
    )
    periods = Period.objects.bulk_create(
        Period(school_year=school_year, number=number, starts_on=start, ends_on=end)
        for number, (start, end) in enumerate(PERIODS, start=1)
    )
    holidays = [
        Holiday.objects.create(
            school_year=school_year,
            name="Kerstvakantie",
            first_day=CHRISTMAS[0],
            last_day=CHRISTMAS[1],
        )
    ]
    theme_library_ensure(school=school)
    themes = list(Theme.objects.filter(school=school).order_by("pk"))
    team_count = -(-plgs // plgs_per_team)
    teams = Team.objects.bulk_create(
        Team(school=school, name=f"Team {number:02d}") for number in range(1, team_count + 1)
    )
    staff = User.objects.bulk_create(
        [
            User(email=f"programma@{slug}.example", name="Programmaleider", password=password),
            *(
                User(
                    email=f"teamleider{team_number:02d}@{slug}.example",
                    name=f"Teamleider {team_number:02d}",
                    password=password,
                )
                for team_number in range(1, team_count + 1)
            ),
        ]
    )
    programme_lead, team_leaders = staff[0], staff[1:]
    school.admins.add(programme_lead)
    Team.leaders.through.objects.bulk_create(
        Team.leaders.through(team_id=team.pk, user_id=leader.pk)
        for team, leader in zip(teams, team_leaders, strict=True)
    )

    # 2. The PLGs and their members: two teacher leaders, development team, participants.
    communities = Community.objects.bulk_create(
        Community(
            team=teams[index // plgs_per_team],
            school_year=school_year,
            name=f"PLG {index + 1:02d}",
            vision="Samen werken aan beter leren van onze leerlingen.",
            question="Hoe geven we feedback die leerlingen verder helpt?",
            is_first_year=index % 3 == 0,
        )
        for index in range(plgs)
    )
    people = User.objects.bulk_create(
        User(
            email=f"docent{index:05d}@{slug}.example",
            name=f"Docent {index:05d}",
            # One in ten reads the platform in English, so mails go out in both languages.
            language="en" if index % 10 == 0 else "nl",
            password=password,
        )
        for index in range(plgs * members)
    )
    leaders_count, developers_count = _roles(members)
    rows = _Rows()
    group_of: dict[int, list] = {}
    for index, community in enumerate(communities):
        group = people[index * members : (index + 1) * members]
        group_of[community.pk] = group
        for position, person in enumerate(group):
            leads = position < leaders_count
            develops = leaders_count <= position < leaders_count + developers_count
            rows.add(
                Membership(
                    community=community,
                    user=person,
                    is_teacher_leader=leads,
                    is_participant=not leads,
                    is_development_team=develops,
                )
            )
    rows.save(Membership)

    # 3. Six meetings per PLG on the planner's dates; held and reported unless still to come.
    dates = _meeting_dates(school_year, periods, holidays)
    starts: dict[int, list[dt.datetime]] = defaultdict(list)
    meetings: list[tuple[Community, Meeting]] = []
    for index, community in enumerate(communities):
        weekday = WEEKDAYS[index % len(WEEKDAYS)]
        for number, day in enumerate(dates[weekday], start=1):
            starts_at = dt.datetime.combine(day, START_TIME, tzinfo=AMSTERDAM)
            planned_at = starts_at
            moved = (
                (index * MEETINGS_PER_YEAR + number) % MOVED_EVERY == 0
                and 1 < number < MEETINGS_PER_YEAR
                and _by(as_of, planned_at - MOVED_BEFORE)
            )
            if moved:
                starts_at += dt.timedelta(days=1)
            if not _by(as_of, starts_at + DEFAULT_DURATION):
                status = MeetingStatus.PLANNED
            elif _by(as_of, starts_at + FINAL_AFTER):
                status = MeetingStatus.REPORTED
            else:
                status = MeetingStatus.HELD
            meeting = Meeting(
                community=community,
                number=number,
                starts_at=starts_at,
                location=f"Lokaal {100 + index}",
                theme=themes[0] if number == 1 else themes[(index + number) % len(themes)],
                status=status,
                team_leader_expected=number in TEAM_LEADER_MEETINGS,
                sequence=1 if moved else 0,
            )
            meeting._planned_at = planned_at  # type: ignore[attr-defined]
            meetings.append((community, meeting))
            starts[number].append(starts_at)
    Meeting.objects.bulk_create([meeting for _, meeting in meetings], batch_size=500)
    # A presenter looks back on a first small step shortly before the PLG's next meeting.
    for (_, meeting), (_, following) in zip(meetings, meetings[1:], strict=False):
        if following.number == meeting.number + 1:
            meeting._next_start = following.starts_at  # type: ignore[attr-defined]

    # 4. Everything a held meeting leaves behind, and what a coming one has gathered so far.
    presented: Counter[int] = Counter()
    for community, meeting in meetings:
        group = group_of[community.pk]
        team_leader = team_leaders[teams.index(community.team)]
        _meeting_history(rows, meeting, actor=group[0])
        roles = _Roles(
            group=group,
            leaders=group[:leaders_count],
            developers=group[leaders_count : leaders_count + developers_count],
            team_leader=team_leader,
        )
        preparers = _preparers(rows, rng, meeting, roles)
        if meeting.status == MeetingStatus.PLANNED:
            _coming_meeting(rows, rng, meeting, roles, as_of=as_of)
        else:
            _held_meeting(rows, rng, meeting, roles, preparers, presented, as_of=as_of)
    # Rows point at rows saved before them (a group at its case, a seat at its group): bulk_create
    # takes the key of a related row that was saved after it was assigned.
    rows.save(
        MeetingChange,
        MeetingPreparer,
        AbsenceRequest,
        Attendance,
        WorkCase,
        SmallGroup,
        SmallGroupMember,
        PhaseNote,
        NextStep,
        GroupSplit,
        MeetingRun,
        Reflection,
        MeetingReport,
    )
    assert not rows.by_model, f"rows left unsaved: {list(rows.by_model)}"
    return BenchSchool(
        school=school,
        school_year=school_year,
        teams=list(teams),
        communities=list(communities),
        team_leaders=list(team_leaders),
        programme_lead=programme_lead,
        starts=dict(starts),
    )


def _meeting_history(rows: _Rows, meeting: Meeting, *, actor) -> None:
    """Planned at the start of the year; now and then moved; reported after it was held."""
    planned_at = meeting._planned_at  # type: ignore[attr-defined]
    year_start = dt.datetime.combine(YEAR_START, dt.time(9), tzinfo=AMSTERDAM)
    rows.add(
        MeetingChange(
            meeting=meeting,
            actor=actor,
            changed_at=year_start,
            kind=ChangeKind.PLANNED,
            data={"starts_at": planned_at.isoformat()},
        )
    )
    if meeting.starts_at != planned_at:
        rows.add(
            MeetingChange(
                meeting=meeting,
                actor=actor,
                changed_at=planned_at - MOVED_BEFORE,
                kind=ChangeKind.MOVED,
                data={"from": planned_at.isoformat(), "to": meeting.starts_at.isoformat()},
            )
        )
    if meeting.status != MeetingStatus.REPORTED:
        return
    rows.add(
        MeetingChange(
            meeting=meeting,
            actor=actor,
            changed_at=meeting.starts_at + FINAL_AFTER,
            kind=ChangeKind.STATUS,
            data={"from": MeetingStatus.HELD.value, "to": MeetingStatus.REPORTED.value},
        )
    )


@dataclass(frozen=True)
class _Roles:
    """Who is who in one PLG, for the rows of its meetings."""

    group: list
    leaders: list
    developers: list
    team_leader: object


def _by(as_of: dt.datetime | None, moment: dt.datetime) -> bool:
    """True when something dated `moment` has happened in a build as of `as_of`."""
    return as_of is None or moment <= as_of


def _preparers(rows: _Rows, rng: random.Random, meeting: Meeting, roles: _Roles) -> list:
    """Two development-team members prepare each meeting, taking turns over the year."""
    developers = roles.developers
    preparers = (
        list(dict.fromkeys(developers[(2 * meeting.number + k) % len(developers)] for k in (0, 1)))
        if developers
        else roles.group[:1]
    )
    for preparer in preparers:
        rows.add(
            MeetingPreparer(
                meeting=meeting,
                user=preparer,
                hours=Decimal("1.5") if rng.random() < 0.8 else None,
                assigned_at=dt.datetime.combine(YEAR_START, dt.time(9), tzinfo=AMSTERDAM),
            )
        )
    return preparers


def _absence(
    rows: _Rows, rng: random.Random, meeting: Meeting, person, roles: _Roles, as_of
) -> str | None:
    """Now and then a member asks to be excused; return the request's status, if any."""
    created_at = meeting.starts_at - dt.timedelta(days=8)
    if rng.random() >= 0.08 or not _by(as_of, created_at):
        return None
    status = rng.choices(
        (AbsenceStatus.APPROVED, AbsenceStatus.DECLINED, AbsenceStatus.PENDING), weights=(7, 2, 1)
    )[0]
    decided_at = meeting.starts_at - dt.timedelta(days=3)
    if not _by(as_of, decided_at):
        status = AbsenceStatus.PENDING
    decided = status != AbsenceStatus.PENDING
    rows.add(
        AbsenceRequest(
            meeting=meeting,
            member=person,
            reason="Ouderavond van mijn eigen kind.",
            status=status,
            created_at=created_at,
            decided_by=roles.team_leader if decided else None,
            decided_at=decided_at if decided else None,
        )
    )
    return status


def _attendance(rows: _Rows, rng: random.Random, meeting: Meeting, roles: _Roles, as_of) -> list:
    """Record everyone's attendance, after any absence request; return who was present."""
    present = []
    for person in roles.group:
        request = _absence(rows, rng, meeting, person, roles, as_of)
        if request == AbsenceStatus.APPROVED:
            status = AttendanceStatus.EXCUSED
        elif request is not None:
            # A declined request is obeyed half of the time; a pending one is not.
            declined_but_came = request == AbsenceStatus.DECLINED and rng.random() < 0.5
            status = AttendanceStatus.PRESENT if declined_but_came else AttendanceStatus.ABSENT
        else:
            # One in twenty-five stays away without a word.
            status = AttendanceStatus.ABSENT if rng.random() < 0.04 else AttendanceStatus.PRESENT
        rows.add(
            Attendance(
                meeting=meeting,
                member=person,
                status=status,
                recorded_by=roles.leaders[0] if roles.leaders else None,
                recorded_at=meeting.ends_at,
            )
        )
        if status == AttendanceStatus.PRESENT:
            present.append(person)
    return present


def _case(meeting: Meeting, presenter, title: str, *, submitted: bool) -> WorkCase:
    return WorkCase(
        meeting=meeting,
        presenter=presenter,
        title=title,
        situation="Een leerling haakt af zodra het werk zelfstandig moet.",
        question="Hoe houd ik hem bij de les zonder alles voor te zeggen?",
        tried="Korte opdrachten en vaker langslopen.",
        why_now="De toetsweek komt eraan.",
        status=CaseStatus.SUBMITTED if submitted else CaseStatus.DRAFT,
        created_at=meeting.starts_at - CASE_STARTED,
        submitted_at=meeting.starts_at - CASE_SUBMITTED if submitted else None,
    )


def _coming_meeting(
    rows: _Rows, rng: random.Random, meeting: Meeting, roles: _Roles, *, as_of
) -> None:
    """A meeting still to come: absence requests and work cases (some still drafts) so far."""
    for person in roles.group:
        _absence(rows, rng, meeting, person, roles, as_of)
    if not _by(as_of, meeting.starts_at - CASE_STARTED):
        return
    candidates = [p for p in roles.group if p not in roles.leaders]
    submitted = _by(as_of, meeting.starts_at - CASE_SUBMITTED)
    for number, presenter in enumerate(rng.sample(candidates, k=min(4, len(candidates)))):
        # The fourth case is a draft even after the others were submitted.
        rows.add(
            _case(
                meeting,
                presenter,
                f"Casus {meeting.pk}-{number + 1}",
                submitted=submitted and number < 3,
            )
        )


def _held_meeting(
    rows: _Rows,
    rng: random.Random,
    meeting: Meeting,
    roles: _Roles,
    preparers: list,
    presented: Counter[int],
    *,
    as_of,
) -> None:
    """Collect the rows a held meeting leaves behind, up to its phase-6 report."""
    present = _attendance(rows, rng, meeting, roles, as_of)
    after = meeting.ends_at

    # Small groups of the present members who are not teacher leaders, development team first.
    seated = [p for p in present if p not in roles.leaders]
    seated.sort(key=lambda person: (person not in roles.developers, rng.random()))
    groups: list[list] = [[] for _ in range(max(1, len(seated) // SMALL_GROUP_SIZE))]
    for position, person in enumerate(seated):
        groups[position % len(groups)].append(person)
    groups = [members for members in groups if members]
    presenters = set()
    for number, members in enumerate(groups, start=1):
        leader = members[0]
        candidates = members[1:] or members
        presenter = min(candidates, key=lambda person: (presented[person.pk], rng.random()))
        presented[presenter.pk] += 1
        presenters.add(presenter.pk)
        case = rows.add(_case(meeting, presenter, f"Casus {meeting.pk}-{number}", submitted=True))
        small_group = rows.add(
            SmallGroup(
                meeting=meeting, number=number, leader=leader, case=case, phase=Phase.NEXT_STEPS
            )
        )
        for member in members:
            rows.add(SmallGroupMember(group=small_group, meeting=meeting, member=member))
        score = min(10, max(0, round(rng.gauss(6.5, 1.8))))
        for note_field, text in (
            (NoteField.CASE_QUESTION, case.question),
            (NoteField.INSIGHTS, "Eerst de relatie, dan de opdracht."),
            (NoteField.GROUP_THEME, "Zelfstandigheid"),
            (NoteField.SCORE, str(score)),
            (NoteField.STEP_HIGHER, "De leerling begint zelf aan de opdracht."),
            (NoteField.FIRST_STEP, "Morgen de opdracht in drie stappen op het bord."),
        ):
            note = rows.add(
                PhaseNote(
                    meeting=meeting,
                    group=small_group,
                    field=note_field,
                    text=text,
                    updated_by=leader,
                    updated_at=after,
                )
            )
            if note_field == NoteField.FIRST_STEP:
                _next_step(rows, rng, note, meeting, presenter, as_of=as_of)
        for member in members:
            if rng.random() < 0.5:
                rows.add(
                    PhaseNote(
                        meeting=meeting,
                        group=small_group,
                        field=NoteField.LEARNING_YIELD,
                        member=member,
                        text="Ik stel vaker open vragen.",
                        updated_by=leader,
                        updated_at=after,
                    )
                )
    # A member who did not get to present leaves a draft behind, now and then.
    waiting = [p for p in seated if p.pk not in presenters]
    if waiting and rng.random() < 0.5:
        rows.add(_case(meeting, rng.choice(waiting), f"Concept {meeting.pk}", submitted=False))
    for note_field, text in (
        (NoteField.CLOSING, "Een rondje: wat neem je mee?"),
        (NoteField.WENT_WELL, "Iedereen kwam aan het woord."),
        (NoteField.DO_BETTER, "Strakker op de tijd letten in fase 3."),
    ):
        rows.add(
            PhaseNote(
                meeting=meeting,
                field=note_field,
                text=text,
                updated_by=preparers[0],
                updated_at=after,
            )
        )
    starter = roles.leaders[0] if roles.leaders else roles.group[0]
    rows.add(GroupSplit(meeting=meeting, made_by=starter, made_at=meeting.starts_at))
    rows.add(
        MeetingRun(
            meeting=meeting,
            phase=Phase.CLOSING,
            phase_started_at=after - dt.timedelta(minutes=20),
            started_at=meeting.starts_at,
            started_by=starter,
            closed_at=after,
        )
    )
    _reflections(rows, rng, meeting, seated, as_of=as_of)
    _report(rows, meeting, roles, preparers, present=len(present), cases=len(groups))


def _report(
    rows: _Rows, meeting: Meeting, roles: _Roles, preparers: list, *, present: int, cases: int
) -> None:
    """The preparers' phase-6 report: final two days after the meeting, a draft before that."""
    final = meeting.status == MeetingStatus.REPORTED
    final_at = meeting.starts_at + FINAL_AFTER
    # The team meeting discusses it a week later; the last one is read at the year's end.
    discussed = final and meeting.number < MEETINGS_PER_YEAR
    rows.add(
        MeetingReport(
            meeting=meeting,
            status=ReportStatus.FINAL if final else ReportStatus.DRAFT,
            present=f"{present} van {len(roles.group)} aanwezig.",
            cases=f"{cases} casussen besproken.",
            insights="Eerst de relatie, dan de opdracht.",
            scores="Schaalscores tussen 4 en 9.",
            first_steps="Iedere inbrenger zet morgen een eerste kleine stap.",
            evaluation="Iedereen kwam aan het woord; strakker op de tijd letten.",
            compiled_at=meeting.ends_at,
            updated_at=final_at if final else meeting.ends_at,
            updated_by=preparers[0],
            finalised_at=final_at if final else None,
            finalised_by=preparers[0] if final else None,
            discussed_at=final_at + dt.timedelta(days=7) if discussed else None,
            discussed_by=roles.team_leader if discussed else None,
        )
    )


def _next_step(
    rows: _Rows, rng: random.Random, note: PhaseNote, meeting: Meeting, presenter, *, as_of
) -> None:
    """Follow a first small step up: looked back on before the next meeting, except the last."""
    next_start = getattr(meeting, "_next_start", None)
    reviewed_at = next_start - dt.timedelta(days=2) if next_start else None
    if reviewed_at is None or rng.random() < 0.1 or not _by(as_of, reviewed_at):
        status, reviewed_at = StepStatus.OPEN, None
    else:
        status = rng.choices(
            (StepStatus.DONE, StepStatus.PARTLY, StepStatus.NOT_DONE), weights=(5, 3, 2)
        )[0]
    rows.add(
        NextStep(
            note=note,
            meeting=meeting,
            presenter=presenter,
            status=status,
            outcome="" if status in (StepStatus.OPEN, StepStatus.DONE) else "Half gelukt.",
            reviewed_at=reviewed_at,
        )
    )


def _reflections(rows: _Rows, rng: random.Random, meeting: Meeting, seated: list, *, as_of) -> None:
    """About six in ten write a reflection the next day; half of those keep it private."""
    written_at = meeting.ends_at + dt.timedelta(days=1)
    if not _by(as_of, written_at):
        return
    for person in seated:
        if rng.random() >= 0.6:
            continue
        shared = rng.random() < 0.5
        marker = SHARED_MARKER if shared else PRIVATE_MARKER
        rows.add(
            Reflection(
                meeting=meeting,
                author=person,
                learned=f"{marker} Ik heb geleerd eerst te luisteren.",
                method=f"{marker} De fasen hielpen.",
                bothers=f"{marker} Een leerling uit 2b.",
                learning_question=f"{marker} Stap verder.",
                shared=shared,
                created_at=written_at,
            )
        )
