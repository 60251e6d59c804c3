"""A realistic synthetic data folder, written through the same path as real submissions.

Several departments with divisions, chairs, mentors and an analyst; conference forms, agreements,
network maps and peer groups over three academic years, in every state a report must handle:
drafts, submitted, signed, late (conference after April 1), missing (never filed), and records
with more than one version. The same seed gives the same folder (apart from file times).
"""

from __future__ import annotations

import datetime as dt
import os
import random
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from mentorforms.commands.demo_answers import (
    agreement_values,
    day_between,
    make_roster,
    moment,
    network_values,
    part1_values,
    part2_values,
    text,
)
from mentorforms.commands.demo_year import year_plan
from mentorforms.forms import agreement, conference_part1, conference_part2, get_form, network_map, peer_group
from mentorforms.records.roster import Person, write_roster
from mentorforms.records.store import DataFolder
from mentorforms.rules.validation import check_draft, check_submission
from mentorforms.vocabulary.academic_year import AcademicYear
from mentorforms.vocabulary.record import Record, Signature, Status, utc_now


@dataclass(frozen=True)
class DemoSummary:
    """What :func:`make_demo` wrote."""

    people: int
    faculty: int
    workbooks: int
    years: tuple[AcademicYear, ...]


def _plan(roster: list[Person], years: tuple[AcademicYear, ...], today: dt.date,
          rng: random.Random) -> Iterator[tuple[Record, str]]:
    """Every (record, person name) to save, oldest first."""
    people = {person.person_id: person for person in roster}
    chairs = {person.department: person for person in roster if person.has_role("chair")}
    current = years[-1]
    for year in years:
        is_current = year == current
        due = year.conference_due
        for person in roster:
            if not person.has_role("faculty"):
                continue
            chair = chairs[person.department]
            # Part I and Part II: the conference.
            roll = rng.random()
            if is_current:
                state = ("missing" if roll < 0.55 else "draft" if roll < 0.8
                         else "submitted" if roll < 0.93 else "signed")
            else:
                state = "missing" if roll < 0.08 else "draft" if roll < 0.13 else "late" if roll < 0.25 else "signed"
            if state != "missing":
                last_day = min(today, due - dt.timedelta(days=1))
                first_day = max(year.first_day + dt.timedelta(days=120), last_day - dt.timedelta(days=150))
                part1_day = day_between(rng, first_day, last_day) if first_day <= last_day else last_day
                if state == "late":
                    part1_day = min(today, due + dt.timedelta(days=rng.randint(1, 60)))
                draft_part1 = state == "draft"
                values = part1_values(person, people, year, rng, None if draft_part1 else part1_day)
                if draft_part1:
                    for field_id, _, _ in conference_part1.TEACHING_CATEGORIES[rng.randint(2, 7):]:
                        values.pop(field_id, None)
                status = Status.DRAFT if draft_part1 else Status.SIGNED
                if rng.random() < 0.15:  # an earlier draft version, superseded
                    early = dict(values, faculty_signature=None, challenges=None)
                    yield _record(conference_part1.FORM_ID, year, person, early, Status.DRAFT,
                                  part1_day - dt.timedelta(days=7), rng), person.name
                yield _record(conference_part1.FORM_ID, year, person, values, status, part1_day, rng), person.name
                if state in ("signed", "late", "submitted"):
                    held = min(today, part1_day + dt.timedelta(days=rng.randint(3, 30)))
                    signed = state != "submitted"
                    part2 = part2_values(person, people, chair, year, rng, held, signed)
                    yield _record(conference_part2.FORM_ID, year, person, part2,
                                  Status.SIGNED if signed else Status.SUBMITTED, held, rng, saved_by=chair.person_id), \
                        person.name
            # Agreements with assigned mentors: begun in the first year, revised later.
            for mentor_id in person.mentors:
                if rng.random() < (0.75 if year == years[0] else 0.25):
                    start = day_between(rng, year.first_day, min(today, year.first_day + dt.timedelta(days=200)))
                    signed = rng.random() < 0.7
                    values = agreement_values(person, people[mentor_id], year, rng, start, signed, today)
                    yield _record(agreement.FORM_ID, year, person, values, Status.SIGNED if signed else Status.DRAFT,
                                  start, rng), person.name
            if rng.random() < (0.35 if not is_current else 0.12):
                day = day_between(rng, year.first_day, min(today, year.last_day))
                yield _record(network_map.FORM_ID, year, person, network_values(person, people, rng),
                              Status.SUBMITTED, day, rng), person.name
        for department, members in _departments(roster).items():
            mentors = [person for person in members if person.has_role("mentor")]
            mentees = [person for person in members if not person.has_role("mentor")]
            if len(mentors) >= 1 and len(mentees) >= 3 and not is_current:
                lead = mentors[0]
                values = {
                    "group_name": f"{department} early-career circle", "career_aims": "Academic advancement",
                    "start_date": dt.date(year.start, 9, 15), "end_date": dt.date(year.start + 1, 4, 15),
                    "hours_per_month": 3.0, "mentors": ({"name": lead.name, "person_id": lead.person_id},),
                    "mentees": tuple({"name": person.name, "person_id": person.person_id} for person in mentees[:4]),
                    "connector": "Office of Faculty Development ombudsperson", "group_goals": text(rng, 1),
                    "mentor_responsibilities": tuple(c.id for c in peer_group.MENTOR_RESPONSIBILITIES),
                    "mentor_signature": Signature(lead.name, dt.date(year.start, 9, 15)),
                }
                yield _record(peer_group.FORM_ID, year, lead, values, Status.SIGNED, dt.date(year.start, 9, 15),
                              rng), lead.name


def _departments(roster: list[Person]) -> dict[str, list[Person]]:
    grouped: dict[str, list[Person]] = {}
    for person in roster:
        if person.has_role("faculty"):
            grouped.setdefault(person.department, []).append(person)
    return grouped


def _record(form_id: str, year: AcademicYear, person: Person, values: dict[str, Any], status: Status,
            day: dt.date, rng: random.Random, saved_by: str | None = None) -> Record:
    form = get_form(form_id, year)
    values = {key: value for key, value in values.items() if value is not None}
    clean = check_draft(form, values) if status is Status.DRAFT else check_submission(form, values)
    when = moment(day, rng)
    return Record(form_id, form.version, year, person.person_id, person.department, status, clean,
                  created_at=when, saved_at=when, saved_by=saved_by or person.person_id)


def _not_after(record: Record, latest: dt.datetime) -> Record:
    """``record`` with its times moved back to ``latest`` if they are later (a form saved today at a
    random hour of the working day may otherwise be stamped hours ahead of the clock)."""
    if record.saved_at <= latest and record.created_at <= latest:
        return record
    return replace(record, created_at=min(record.created_at, latest), saved_at=min(record.saved_at, latest))


def _save_batch(root: str, batch: list[tuple[Record, str]]) -> int:
    folder = DataFolder(root)
    for record, name in batch:
        folder.save(record, person_name=name, action="demo")
    return len(batch)


def make_demo(root: Path | str, *, faculty: int = 60, seed: int = 7, years: int = 3, today: dt.date | None = None,
              jobs: int = 1, now: dt.datetime | None = None) -> DemoSummary:
    """Write a roster and submissions for ``faculty`` faculty over ``years`` academic years ending
    with the current one into the data folder ``root``. ``jobs`` > 1 saves in parallel processes.
    Nothing is stamped after ``now`` (default: this moment)."""
    now = now or utc_now()
    today = today or dt.date.today()
    rng = random.Random(seed)
    folder = DataFolder(root)
    roster = make_roster(faculty, rng)
    write_roster(roster, folder.roster_path)
    current = AcademicYear.containing(today)
    span = tuple(AcademicYear(current.start - offset) for offset in reversed(range(years)))
    planned = list(_plan(roster, span, today, rng))
    # the mentoring year's forms, from their own generator so the rest of the demo is unchanged
    planned += list(year_plan(roster, current, today, random.Random(seed + 1), planned, _record))
    planned = [(_not_after(record, now), name) for record, name in planned]
    if jobs > 1 and len(planned) > 200:
        # All versions of one record go to one batch, so they are numbered in the planned order.
        groups: dict[Path, list[tuple[Record, str]]] = {}
        for item in planned:
            groups.setdefault(folder.folder_for(item[0]), []).append(item)
        batches: list[list[tuple[Record, str]]] = [[] for _ in range(jobs * 8)]
        for index, group in enumerate(groups.values()):
            batches[index % len(batches)].extend(group)
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            written = sum(pool.map(_save_batch, [str(folder.root)] * len(batches), batches))
    else:
        written = _save_batch(str(folder.root), planned)
    return DemoSummary(len(roster), sum(1 for person in roster if person.has_role("faculty")), written, span)


def default_jobs() -> int:
    return max(1, min(4, os.cpu_count() or 1))
