"""What a new form starts with: answers from the roster (the one derivation in
vocabulary/prefill.py, which the blank workbook uses too) and goals from earlier records.

Only a form with no record yet is prefilled; a saved draft resumes exactly as saved. Each field
declares where its first answer comes from (``Field.prefill``, one of
:data:`mentorforms.vocabulary.declaration.PREFILL_SOURCES`); this module resolves those sources.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from mentorforms import messages
from mentorforms.errors import WorkbookError
from mentorforms.forms import get_form
from mentorforms.records.roster import Person
from mentorforms.records.store import DataFolder
from mentorforms.reports.facts import conference_parts, forms_taking
from mentorforms.vocabulary.academic_year import AcademicYear
from mentorforms.vocabulary.declaration import Form, Kind
from mentorforms.vocabulary.prefill import roster_answers
from mentorforms.vocabulary.record import Record, Status
from mentorforms.vocabulary.report_takes import GoalRows
from mentorforms.workbooks.form_extras import extras_for

log = logging.getLogger("mentorforms.ui")

#: Goal statuses of an agreement that still count as open (to be reported on in Part I).
OPEN_GOAL_STATUSES = (None, "not_started", "in_progress")
#: The group tag of Part I's goals for the coming year (see the declaration).
COMING_YEAR_GOALS = "coming_year_goals"
#: How many years back an earlier agreement or Part I is looked for.
LOOK_BACK_YEARS = 3


def _latest_per_instance(folder: DataFolder, form_id: str, year: AcademicYear, person_id: str) -> list[Record]:
    """The newest readable record of each instance (each agreement) of a person's form in a year."""
    newest: dict[str, Any] = {}
    for stored in folder.versions(form_id, year, person_id):
        newest[str(stored.path.parent)] = stored
    records = []
    for stored in newest.values():
        try:
            records.append(folder.read(stored))
        except WorkbookError as error:
            log.error("prefill skipped an unreadable workbook: %s", error)
    return records


def open_agreement_goals(folder: DataFolder, person_id: str, year: AcademicYear) -> list[str]:
    """Goals of the person's agreements (this year's and earlier ones still current) that are
    not met or deferred, newest agreement first. Agreements are the forms that declare a
    relationship for the reports; their goals, the goal tables they declare."""
    goals: list[str] = []
    seen_mentors: set[tuple[str, str]] = set()
    for back in range(LOOK_BACK_YEARS):
        held_in = AcademicYear(year.start - back)
        for form_id in forms_taking("relationship", held_in):
            form = get_form(form_id, held_in)
            held = form.reports.relationship
            if held is None:  # forms_taking("relationship") names only forms that declare one
                continue
            tables = [take for take in form.reports.goals if isinstance(take, GoalRows) and take.status]
            for record in _latest_per_instance(folder, form_id, held_in, person_id):
                mentor = str(record.values.get(held.mentor_id) or record.values.get(held.mentor_name) or "")
                if (form_id, mentor) in seen_mentors:
                    continue  # a newer agreement with this mentor supersedes older ones
                seen_mentors.add((form_id, mentor))
                for take in tables:
                    for row in record.values.get(take.table) or ():
                        if row.get(take.goal) and row.get(take.status) in OPEN_GOAL_STATUSES:
                            goals.append(str(row[take.goal]))
    return goals


def last_year_goals(folder: DataFolder, person_id: str, year: AcademicYear) -> list[str]:
    """The goals for the coming year written in last year's Part I (one per non-empty line)."""
    part1 = conference_parts(year.previous)[0]
    if not part1:
        return []
    try:
        record = folder.latest(part1, year.previous, person_id)
    except WorkbookError as error:
        log.error("prefill skipped last year's Part I: %s", error)
        return []
    if record is None:
        return []
    form = get_form(part1, year.previous)
    goals: list[str] = []
    for item in form.fields():
        if item.group == COMING_YEAR_GOALS and item.kind in (Kind.SHORT_TEXT, Kind.LONG_TEXT):
            text = record.values.get(item.id)
            if isinstance(text, str):
                goals.extend(line.strip(" -•\t") for line in text.splitlines() if line.strip(" -•\t"))
    return goals


def past_goal_rows(folder: DataFolder, person_id: str, year: AcademicYear, limit: int) -> tuple[dict, ...]:
    """Rows for Part I's 'goals for this past year': last year's goals and the open agreement
    goals, each once, unchecked (the faculty member ticks the ones met)."""
    rows: list[dict] = []
    seen: set[str] = set()
    for goal in _unique(last_year_goals(folder, person_id, year) + open_agreement_goals(folder, person_id, year)):
        key = goal.casefold()
        if key in seen:
            continue
        seen.add(key)
        rows.append({"goal": goal, "met": None})
    return tuple(rows[:limit])


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def earlier_version(folder: DataFolder, form: Form, person_id: str, instance: str | None) -> Record | None:
    """The newest record of ``form`` with this key from an earlier year (an agreement carries on
    until revised)."""
    year = form.academic_year
    for back in range(1, LOOK_BACK_YEARS + 1):
        try:
            record = folder.latest(form.id, AcademicYear(year.start - back), person_id, instance)
        except WorkbookError as error:
            log.error("prefill skipped an earlier agreement: %s", error)
            continue
        if record is not None:
            return record
    return None


def relationship_agreement(folder: DataFolder, person_id: str, mentor_id: str, year: AcademicYear) -> Record | None:
    """The agreement in force with this mentor (the first form declaring a relationship): this
    year's, or else the newest earlier one."""
    agreements = forms_taking("relationship", year)
    if not agreements:
        return None
    try:
        record = folder.latest(agreements[0], year, person_id, mentor_id)
    except WorkbookError as error:
        log.error("prefill skipped an agreement: %s", error)
        record = None
    return record or earlier_version(folder, get_form(agreements[0], year), person_id, mentor_id)


def agreement_goal_rows(agreement: Record) -> tuple[dict[str, Any], ...]:
    """The goals of an agreement as rows of "goal" and "status" (what a meeting's goal updates
    start from), read through the goal tables its form declares for the reports."""
    form = get_form(agreement.form_id, agreement.academic_year)
    rows: list[dict[str, Any]] = []
    for take in form.reports.goals:
        if isinstance(take, GoalRows) and take.status:
            rows.extend({"goal": row.get(take.goal), "status": row.get(take.status)}
                        for row in agreement.values.get(take.table) or () if row.get(take.goal))
    return tuple(rows)


def latest_submitted(folder: DataFolder, form_id: str, year: AcademicYear, person_id: str) -> Record | None:
    """The newest submitted or signed version of a person's form (drafts are skipped)."""
    for stored in reversed(folder.versions(form_id, year, person_id)):
        try:
            record = folder.read(stored)
        except WorkbookError as error:
            log.error("skipped an unreadable version: %s", error)
            continue
        if record.status is not Status.DRAFT:
            return record
    return None


def new_form_values(form: Form, folder: DataFolder, subject: Person, viewer: Person,
                    mentor: Person | None = None) -> tuple[dict[str, Any], str]:
    """The starting answers of a form nobody has saved yet, and a note saying where any came from."""
    values = roster_answers(form, subject, viewer, mentor)
    note = ""
    year = form.academic_year
    for item in form.fields():
        if item.prefill == "goals_to_report":
            rows = past_goal_rows(folder, subject.person_id, year, item.max_rows)
            if rows:
                values[item.id] = rows
                question = item.label.split("?", 1)[0] + "?" if "?" in item.label else item.label
                note = (f'Question "{question}" lists last year\'s goals and your open mentoring-agreement '
                        "goals: tick the ones you met, and add or remove rows as needed.")
        elif item.prefill == "agreement_goals" and mentor is not None:
            agreement = relationship_agreement(folder, subject.person_id, mentor.person_id, year)
            rows = agreement_goal_rows(agreement) if agreement is not None else ()
            if rows:
                values[item.id] = rows[:item.max_rows]
                note = messages.PREFILL_AGREEMENT_GOALS
    instance = mentor.person_id if mentor is not None else None
    if form.carried_forward and (instance is not None or form.instance_field is None):
        earlier = earlier_version(folder, form, subject.person_id, instance)
        if earlier is not None:
            carried = {key: value for key, value in earlier.values.items()
                       if form.has_field(key) and form.field(key).kind is not Kind.SIGNATURE}
            values = {**carried, **values}
            note = messages.say(messages.PREFILL_CARRIED_FORWARD, year=earlier.academic_year.label)
    start_values = extras_for(form.id).start_values
    if start_values is not None:  # a form's own feature may carry answers over (the network map's people)
        try:
            carried = start_values(folder, form, subject.person_id)
        except WorkbookError as error:
            log.error("prefill skipped an unreadable workbook: %s", error)
            note = messages.PREFILL_EARLIER_UNREADABLE
        else:
            if carried:
                values = {**carried, **values}
                note = messages.PREFILL_FROM_EARLIER
    return values, note
