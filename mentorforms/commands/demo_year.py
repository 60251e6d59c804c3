"""The demo's mentoring year: checklists, meetings (with agendas shared or not, and goal updates),
yearly reviews (continue, revise, end) and a peer group's season, for the current academic year.

Drawn with their own random generator, after everything else, so adding them leaves the rest of
the demo exactly as it was.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from mentorforms.forms import agreement, meeting, mentee_checklist, peer_group, relationship_review
from mentorforms.records.roster import Person
from mentorforms.rules.parties import serial_key
from mentorforms.vocabulary.academic_year import AcademicYear
from mentorforms.vocabulary.record import CheckNote, Record, Signature, Status

RecordMaker = Callable[..., Record]


def _day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, max(0, (last - first).days)))


def year_plan(roster: list[Person], year: AcademicYear, today: dt.date, rng: random.Random,
              planned: Iterable[tuple[Record, str]], make: RecordMaker) -> Iterator[tuple[Record, str]]:
    """(record, person name) of the current year's mentoring-year forms. ``planned`` are the demo's
    other records (the agreements in force are found there); ``make`` is the demo's record maker."""
    people = {person.person_id: person for person in roster}
    agreements: dict[tuple[str, str], Record] = {}
    for record, _ in planned:
        if record.form_id == agreement.FORM_ID and record.academic_year <= year:
            agreements[(record.person_id, str(record.values.get("mentor_id")))] = record
    last_day = min(today, year.last_day)
    for person in roster:
        if not person.has_role("faculty") or not person.mentors:
            continue
        if rng.random() < 0.6:
            yield _checklist(person, year, rng, last_day, make), person.name
        for mentor_id in person.mentors:
            mentor = people.get(mentor_id)
            if mentor is None:
                continue
            plan = agreements.get((person.person_id, mentor_id))
            goals = (plan.values.get("goals") or ()) if plan is not None else ()
            if rng.random() < 0.7:
                for number in range(1, rng.randint(1, 4) + 1):
                    yield _meeting(person, mentor, year, rng, last_day, number, goals, make), person.name
            if (person.person_id, mentor_id) in agreements and rng.random() < 0.3:
                yield from _review(person, mentor, year, rng, last_day, agreements[(person.person_id, mentor_id)],
                                   make)
    yield from _season(roster, year, rng, last_day, make)


def _checklist(person: Person, year: AcademicYear, rng: random.Random, last_day: dt.date, make: RecordMaker
               ) -> Record:
    values: dict[str, Any] = {}
    for item_id in mentee_checklist.ITEM_IDS[:rng.randint(0, len(mentee_checklist.ITEM_IDS))]:
        values[item_id] = CheckNote(True, rng.choice(["", "", "Done by email", "Discussed at our first meeting"]))
        values[f"{item_id}_on"] = _day(rng, year.first_day, last_day)
    status = Status.SUBMITTED if values and rng.random() < 0.5 else Status.DRAFT
    return make(mentee_checklist.FORM_ID, year, person, values, status, last_day, rng)


def _meeting(person: Person, mentor: Person, year: AcademicYear, rng: random.Random, last_day: dt.date,
             number: int, goals: tuple, make: RecordMaker) -> Record:
    held = _day(rng, year.first_day + dt.timedelta(days=(number - 1) * 45), last_day)
    shared = rng.random() < 0.8
    values: dict[str, Any] = {
        "mentee": person.name, "mentor": mentor.name, "meeting_key": serial_key(mentor.person_id, number),
        "meeting_date": held, "agenda": "Progress on the goals; the next paper; time for writing",
        "agenda_shared": shared, "agenda_shared_on": held - dt.timedelta(days=rng.randint(0, 3)) if shared else None,
        "notes": "Agreed the next steps and a date to meet again.",
        "next_meeting": held + dt.timedelta(days=30),
        "goal_updates": tuple({"goal": row["goal"], "status": rng.choice([c.id for c in agreement.GOAL_STATUS]),
                               "comment": "Discussed"} for row in goals[:2] if row.get("goal")),
    }
    saver = rng.choice([person.person_id, mentor.person_id])
    return make(meeting.FORM_ID, year, person, values, Status.SUBMITTED, held, rng, saved_by=saver)


def _review(person: Person, mentor: Person, year: AcademicYear, rng: random.Random, last_day: dt.date,
            plan: Record, make: RecordMaker) -> Iterator[tuple[Record, str]]:
    day = _day(rng, year.first_day + dt.timedelta(days=30), last_day)
    decision = rng.choice(["continue", "continue", "revise", "end"])
    signed = rng.random() < 0.7
    values = {
        "mentee": person.name, "mentor": mentor.name, "mentor_id": mentor.person_id, "review_date": day,
        "mentee_worked": "Regular meetings with an agenda", "mentee_not_worked": "Finding time in clinical months",
        "mentor_worked": "Clear goals and steady progress", "decision": decision,
    }
    if signed:
        values["mentee_signature"] = Signature(person.name, day)
        values["mentor_signature"] = Signature(mentor.name, day)
    yield make(relationship_review.FORM_ID, year, person, values, Status.SIGNED if signed else Status.SUBMITTED,
               day, rng), person.name
    if signed and decision == "revise" and plan.academic_year == year:
        reopened = {key: value for key, value in plan.values.items()
                    if key not in ("mentor_signature", "mentee_signature")}
        yield make(agreement.FORM_ID, year, person, reopened, Status.DRAFT, day, rng, saved_by=mentor.person_id), \
            person.name


def _season(roster: list[Person], year: AcademicYear, rng: random.Random, last_day: dt.date, make: RecordMaker
            ) -> Iterator[tuple[Record, str]]:
    by_department: dict[str, list[Person]] = {}
    for person in roster:
        if person.has_role("faculty"):
            by_department.setdefault(person.department, []).append(person)
    for department, members in by_department.items():
        mentors = [person for person in members if person.has_role("mentor")]
        mentees = [person for person in members if not person.has_role("mentor")]
        if not mentors or len(mentees) < 3:
            continue
        lead = mentors[0]
        if last_day < dt.date(year.start, 9, 10):
            return  # the season has not begun: a group signed on September 10 would be dated in the future
        meetings: list[dict[str, Any]] = []
        day = dt.date(year.start, 9, 10)
        while day <= last_day and len(meetings) < 30:
            meetings.append({"date": day, "agenda": rng.choice(["Goals for the year", "Writing a K award",
                                                               "Negotiating protected time", "Teaching portfolios"]),
                             "attendance": rng.randint(3, 5), "hours": rng.choice([0.5, 1.0, 1.5, 2.0])})
            day += dt.timedelta(days=rng.choice([14, 21, 35]))
        values = {
            "group_name": f"{department} writing circle", "career_aims": "Publishing and grant writing",
            "start_date": dt.date(year.start, 9, 10), "end_date": dt.date(year.start + 1, 4, 20),
            "hours_per_month": 3.0, "mentors": ({"name": lead.name, "person_id": lead.person_id},),
            "mentees": tuple({"name": person.name, "person_id": person.person_id} for person in mentees[:4]),
            "connector": "Office of Faculty Development ombudsperson", "group_goals": "Each member submits a paper",
            "meetings": tuple(meetings),
            "mentor_responsibilities": tuple(c.id for c in peer_group.MENTOR_RESPONSIBILITIES),
            "mentor_signature": Signature(lead.name, dt.date(year.start, 9, 10)),
        }
        yield make(peer_group.FORM_ID, year, lead, values, Status.SIGNED, dt.date(year.start, 9, 10), rng), lead.name
