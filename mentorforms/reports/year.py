"""The mentoring year in the reports: meetings per relationship, relationships with no meeting in
90 days, reviews due or overdue, checklists not started, peer groups below 2 hours in a month,
and the goal status that meetings report.

:func:`year_records` takes the year's records of the mentoring-year forms and the agreements in
force from the index (the answers it keeps for these forms, and its relationship facts), never
from the workbooks again; every other function is plain over those records and the roster, and
returns a DataFrame. Which forms count comes from the declarations: each form's
``Reports.year_role`` (:class:`mentorforms.vocabulary.report_takes.YearRole`) makes it a meeting,
a review, a checklist (its steps are tagged ``group="checklist_item"``) or a peer group's season
(a table tagged ``group="season"``); a meeting's table tagged ``group="goal_updates"`` reports
the status of the goals its ``Reports.goal_updates`` names (the agreement's).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from mentorforms.forms import get_form
from mentorforms.records.roster import Roster
from mentorforms.reports.facts import forms_by_role
from mentorforms.reports.index import Index
from mentorforms.reports.index_records import kept_records
from mentorforms.reports.labels import goal_status_label, source_label
from mentorforms.rules import mentoring_year
from mentorforms.rules.parties import key_person_id
from mentorforms.rules.workflow import ends_relationship
from mentorforms.vocabulary.academic_year import AcademicYear
from mentorforms.vocabulary.declaration import Kind
from mentorforms.vocabulary.record import CheckNote, Record, Status

#: No meeting for this many days flags a relationship.
QUIET_DAYS = 90
#: A review is "due" this many days before the agreement's revisit date.
DUE_AHEAD_DAYS = 30

MEETING_COLUMNS = ("department", "mentee_id", "mentee", "mentor_id", "mentor", "meetings", "last_meeting",
                   "days_since", "quiet", "ended")
REVIEW_COLUMNS = ("department", "mentee_id", "mentee", "mentor_id", "mentor", "revisit_date", "review",
                  "decision", "state")
CHECKLIST_COLUMNS = ("department", "person_id", "name", "mentors", "state", "ticked")
SEASON_COLUMNS = ("department", "group", "leader_id", "leader", "month", "hours")
UPDATE_COLUMNS = ("department", "mentee_id", "mentee", "mentor_id", "mentor", "meeting_date", "goal", "status",
                  "updated_by", "source")


@dataclass(frozen=True)
class Agreement:
    """An official relationship record (an agreement) as the index keeps it: whose, with which
    mentor, when filed, and its start and revisit dates."""

    person_id: str
    mentor_id: str
    year: int
    saved_at: str
    start_date: dt.date | None
    revisit_date: dt.date | None


@dataclass
class YearRecords:
    """The latest record of each mentoring-year form (drafts included) and the agreements in force."""

    year: AcademicYear
    records: list[Record] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)
    #: (file, reason) of records that could not be used (the index lists unreadable workbooks itself)
    problems: list[tuple[str, str]] = field(default_factory=list)


def _day(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def year_records(index: Index, year: AcademicYear, departments: Sequence[str] | None = None, *,
                 roles: Sequence[str] | None = None, agreements: bool = True) -> YearRecords:
    """The year's latest records of the mentoring-year forms (those of ``roles`` only, when given)
    and (``agreements``) the official relationship records of this year or earlier, in
    ``departments``, all from the (refreshed) index: the answers it keeps for these forms
    (:mod:`mentorforms.reports.record_json`) and its relationship facts. No workbook is opened."""
    by_role = forms_by_role(year)
    wanted = [form_id for role, ids in by_role.items() if roles is None or role in roles for form_id in ids]
    found = YearRecords(year)
    department_sql = "" if departments is None else f" AND f.department IN ({','.join('?' * len(departments))})"
    if wanted:
        records, problems = kept_records(
            index, f"f.is_latest = 1 AND f.year = ? AND f.form_id IN ({','.join('?' * len(wanted))}){department_sql}",
            [year.start, *wanted, *(departments or ())])
        found.records.extend(records)
        found.problems.extend(problems)
    if agreements:
        sql = ("SELECT f.person_id, t.mentor_id, f.year, f.saved_at, t.start_date, t.revisit_date FROM f_agreement t "
               f"JOIN files f ON f.id = t.file_id WHERE f.is_official = 1 AND f.year <= ?{department_sql} "
               "ORDER BY f.path")
        found.agreements = [Agreement(person_id, mentor_id or "", year_start, saved_at or "", _day(start),
                                      _day(revisit))
                            for person_id, mentor_id, year_start, saved_at, start, revisit
                            in index.query(sql, [year.start, *(departments or ())])]
    return found


def _of(records: Iterable[Record], role: str, year: AcademicYear) -> list[Record]:
    ids = set(forms_by_role(year).get(role, ()))
    return [record for record in records if record.form_id in ids]


def _key(record: Record) -> str | None:
    form = get_form(record.form_id, record.academic_year)
    key = record.values.get(form.instance_field) if form.instance_field else None
    return key_person_id(form, str(key or "") or None)


def ended_relationships(found: YearRecords) -> set[tuple[str, str]]:
    """(mentee id, mentor id) of relationships a signed review ended this year."""
    ended = set()
    for record in _of(found.records, "review", found.year):
        if ends_relationship(get_form(record.form_id, record.academic_year), record):
            ended.add((record.person_id, _key(record) or ""))
    return ended


def _pairs(roster: Roster, departments: Sequence[str] | None) -> list[tuple[Any, Any]]:
    pairs = []
    for mentee in sorted(roster, key=lambda person: (person.department, person.name)):
        if departments is not None and mentee.department not in departments:
            continue
        for mentor_id in mentee.mentors:
            mentor = roster.get(mentor_id)
            if mentor is not None and mentor_id != mentee.person_id:
                pairs.append((mentee, mentor))
    return pairs


def meetings_per_relationship(found: YearRecords, roster: Roster, today: dt.date,
                              departments: Sequence[str] | None = None) -> pd.DataFrame:
    """One row per roster relationship: meetings held this year (dated on or before ``today``),
    the last one, days since, ``quiet`` when none in the last 90 days, ``ended`` by a review."""
    held: dict[tuple[str, str], list[dt.date]] = {}
    for record in _of(found.records, "meeting", found.year):
        day = record.values.get("meeting_date")
        if isinstance(day, dt.date) and day <= today:
            held.setdefault((record.person_id, _key(record) or ""), []).append(day)
    ended = ended_relationships(found)
    rows = []
    for mentee, mentor in _pairs(roster, departments):
        days = sorted(held.get((mentee.person_id, mentor.person_id), ()))
        last = days[-1] if days else None
        since = (today - last).days if last else None
        is_ended = (mentee.person_id, mentor.person_id) in ended
        rows.append((mentee.department, mentee.person_id, mentee.name, mentor.person_id, mentor.name, len(days), last,
                     since, not is_ended and (since is None or since > QUIET_DAYS), is_ended))
    return pd.DataFrame(rows, columns=list(MEETING_COLUMNS))


def reviews_due(found: YearRecords, roster: Roster, today: dt.date,
                departments: Sequence[str] | None = None) -> pd.DataFrame:
    """One row per relationship with an agreement: its revisit date, this year's review (status
    and decision), and ``state``: "done" (signed), "overdue" (revisit date passed), "due" (within
    30 days), or "not yet"."""
    agreements: dict[tuple[str, str], Agreement] = {}
    for agreement in sorted(found.agreements, key=lambda item: (item.year, item.saved_at)):
        agreements[(agreement.person_id, agreement.mentor_id)] = agreement
    reviews = {(record.person_id, _key(record) or ""): record for record in _of(found.records, "review", found.year)}
    rows = []
    for mentee, mentor in _pairs(roster, departments):
        key = (mentee.person_id, mentor.person_id)
        held = agreements.get(key)
        if held is None:
            continue
        revisit = held.revisit_date
        if revisit is None and held.start_date is not None:
            start = held.start_date
            revisit = start.replace(year=start.year + 1, day=28 if (start.month, start.day) == (2, 29) else start.day)
        review = reviews.get(key)
        if review is not None and review.status is Status.SIGNED:
            state = "done"
        elif revisit is not None and revisit < today:
            state = "overdue"
        elif revisit is not None and (revisit - today).days <= DUE_AHEAD_DAYS:
            state = "due"
        else:
            state = "not yet"
        rows.append((mentee.department, mentee.person_id, mentee.name, mentor.person_id, mentor.name, revisit,
                     review.status.value if review else "", str(review.values.get("decision") or "") if review else "",
                     state))
    return pd.DataFrame(rows, columns=list(REVIEW_COLUMNS))


def _ticked(record: Record) -> int:
    form = get_form(record.form_id, record.academic_year)
    return sum(1 for item in form.fields() if item.group == "checklist_item" and
               isinstance(record.values.get(item.id), CheckNote) and record.values[item.id].checked)


def checklists(found: YearRecords, roster: Roster, departments: Sequence[str] | None = None) -> pd.DataFrame:
    """One row per faculty member with an assigned mentor: their checklist's ``state`` ("not
    started": nothing ticked or no checklist; "started") and how many steps are ticked."""
    ticked = {record.person_id: _ticked(record) for record in _of(found.records, "checklist", found.year)}
    rows = []
    for person in sorted(roster, key=lambda item: (item.department, item.name)):
        if not person.mentors or not person.has_role("faculty"):
            continue
        if departments is not None and person.department not in departments:
            continue
        count = ticked.get(person.person_id, 0)
        mentors = "; ".join(mentor.name for mentor_id in person.mentors if (mentor := roster.get(mentor_id)))
        rows.append((person.department, person.person_id, person.name, mentors,
                     "started" if count else "not started", count))
    return pd.DataFrame(rows, columns=list(CHECKLIST_COLUMNS))


def groups_below(found: YearRecords, roster: Roster, today: dt.date) -> pd.DataFrame:
    """One row per peer group and season month already over with fewer than 2 hours met."""
    rows = []
    for record in _of(found.records, "season", found.year):
        form = get_form(record.form_id, record.academic_year)
        leader = roster.get(record.person_id)
        for item in form.fields():
            if item.group != "season":
                continue
            meetings = record.values.get(item.id)
            spent = mentoring_year.hours_by_month(meetings, found.year)
            for month in mentoring_year.months_below(meetings, found.year, today):
                rows.append((leader.department if leader else record.department,
                             str(record.values.get(form.instance_field) or "") if form.instance_field else "",
                             record.person_id,
                             leader.name if leader else record.person_id, month, spent[month]))
    return pd.DataFrame(rows, columns=list(SEASON_COLUMNS))


def goal_updates(found: YearRecords, roster: Roster) -> pd.DataFrame:
    """Every goal status a meeting recorded, oldest meeting first, with who saved it and the id of
    the goal source it updates (as the meeting's declaration names it)."""
    rows = []
    for record in _of(found.records, "meeting", found.year):
        form = get_form(record.form_id, record.academic_year)
        updated = form.reports.goal_updates
        if updated is None:
            continue
        mentee, mentor_id = roster.get(record.person_id), _key(record) or ""
        mentor, saver = roster.get(mentor_id), roster.get(record.saved_by)
        for item in form.fields():
            if item.group != "goal_updates" or item.kind is not Kind.TABLE:
                continue
            for row in record.values.get(item.id) or ():
                if row.get("goal") and row.get("status"):
                    rows.append((mentee.department if mentee else record.department, record.person_id,
                                 mentee.name if mentee else record.person_id, mentor_id,
                                 mentor.name if mentor else mentor_id, record.values.get("meeting_date"),
                                 str(row["goal"]), str(row["status"]), saver.name if saver else record.saved_by,
                                 updated.id))
    frame = pd.DataFrame(rows, columns=list(UPDATE_COLUMNS))
    return frame.sort_values("meeting_date", kind="stable", na_position="first").reset_index(drop=True)


def apply_goal_updates(goals: pd.DataFrame, updates: pd.DataFrame, year: AcademicYear) -> pd.DataFrame:
    """The report's goal table with each updated goal's status (an agreement's) taken from the
    newest meeting that updated it (when the meeting is not older than the goal's own status
    date), and the update added to its history, attributed to who saved the meeting."""
    if goals.empty or updates.empty:
        return goals
    goals = goals.copy()
    newest: dict[tuple[str, str, str], Any] = {}
    for row in updates.itertuples(index=False):
        newest[(source_label(row.source, year.start), row.mentee_id, row.goal.strip().casefold())] = row
    for position, row in goals.iterrows():
        if not isinstance(row["goal"], str):
            continue
        update = newest.get((row["source"], row["person_id"], row["goal"].strip().casefold()))
        if update is None:
            continue
        when = update.meeting_date if isinstance(update.meeting_date, dt.date) else None
        if when is not None and isinstance(row["status_date"], dt.date) and when < row["status_date"]:
            continue
        label = goal_status_label(update.source, year.start, update.status)
        goals.at[position, "status"] = label
        goals.at[position, "status_date"] = when
        note = f"{label} ({when.isoformat() if when else 'meeting'}, meeting, by {update.updated_by})"
        goals.at[position, "history"] = f"{row['history']} → {note}" if row["history"] else note
    return goals


def goals_with_meetings(index: Index, roster: Roster, year_starts: Sequence[int], departments: Sequence[str] | None,
                        goals: pd.DataFrame) -> pd.DataFrame:
    """The goal table of ``year_starts`` with each year's meeting updates applied (see
    :func:`apply_goal_updates`)."""
    for start in year_starts:
        year = AcademicYear(start)
        if not forms_by_role(year).get("meeting"):
            continue
        found = year_records(index, year, departments, roles=["meeting"], agreements=False)
        updates = goal_updates(found, roster)
        if updates.empty:
            continue
        in_year = goals["year"] == year.label
        goals = pd.concat([goals[~in_year], apply_goal_updates(goals[in_year], updates, year)]).sort_index()
    return goals
