"""A small data folder built by hand for the report tests, with every expected number written down
here (not computed by the code under test).

Academic year 2025-2026 (conference due before April 1, 2026), plus one Part I in 2024-2025 for the
"last year" comparison. Reports are counted as of June 1, 2026.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from mentorforms.forms import get_form
from mentorforms.records.roster import Person, write_roster
from mentorforms.records.store import DataFolder
from mentorforms.rules.validation import check_draft, check_submission
from mentorforms.vocabulary.academic_year import AcademicYear
from mentorforms.vocabulary.record import CheckNote, Record, Signature, Status

YEAR = AcademicYear(2025)
LAST = AcademicYear(2024)
AS_OF = dt.date(2026, 6, 1)
HOUR_FIELDS = ("hours_courses", "hours_residents", "hours_clinical_supervision", "hours_research_supervision",
               "hours_peers", "hours_presentations", "hours_mentoring", "hours_education_admin")
FORMULA_GOAL = "=1+1 looks like a formula but is a goal"


def _person(person_id: str, name: str, department: str, division: str, *, roles=("faculty",), mentors=()) -> Person:
    return Person(person_id, name, department, f"{person_id.lower()}@example.org", division, "Assistant Professor",
                  frozenset(roles), tuple(mentors))


PEOPLE = (
    _person("PC", "Pat Chair", "Pediatrics", "Cardiology", roles=("faculty", "mentor", "chair")),
    _person("P1", "Ana One", "Pediatrics", "Cardiology", mentors=("PC",)),
    _person("P2", "Ben Two", "Pediatrics", "Cardiology", mentors=("PC",)),
    _person("P3", "Cy Three", "Pediatrics", "Cardiology"),
    _person("P4", "Di Four", "Pediatrics", "Neonatology"),
    _person("P5", "Ed Five", "Pediatrics", "Neonatology", mentors=("PC",)),
    _person("P6", "Flo Six", "Pediatrics", "Neonatology"),
    _person("SC", "Sam Cutter", "Surgery", "General Surgery", roles=("faculty", "mentor", "chair")),
    _person("S1", "Tia One", "Surgery", "General Surgery", mentors=("SC",)),
    _person("S2", "Uli Two", "Surgery", "Urology"),
    _person("A1", "Alex Analyst", "Faculty Affairs", "", roles=("analyst",)),
)
BY_ID = {person.person_id: person for person in PEOPLE}


def hours(*values: float) -> dict[str, float]:
    return dict(zip(HOUR_FIELDS, values))


@dataclass
class Known:
    """The folder, and what a correct report must say about it."""

    root: Path
    #: person -> the hours of their official (latest submitted or signed) Part I, by year start
    official_hours: dict[int, dict[str, dict[str, float]]] = field(default_factory=dict)
    #: hours that were saved but must not count (drafts, superseded versions)
    ignored_hours: list[dict[str, float]] = field(default_factory=list)
    completion: dict[str, str] = field(default_factory=dict)
    without_mentor: set[str] = field(default_factory=set)
    revisit_overdue: set[tuple[str, str]] = field(default_factory=set)
    outlook: dict[str, str] = field(default_factory=dict)
    support: dict[str, set[str]] = field(default_factory=dict)
    drafts: set[tuple[str, str]] = field(default_factory=set)
    network_maps: set[str] = field(default_factory=set)
    truncated: Path | None = None
    foreign: Path | None = None


def _save(folder: DataFolder, form_id: str, year: AcademicYear, person_id: str, values: dict[str, Any],
          status: Status, day: dt.date) -> None:
    form = get_form(form_id, year)
    person = BY_ID[person_id]
    clean = check_draft(form, values) if status is Status.DRAFT else check_submission(form, values)
    moment = dt.datetime.combine(day, dt.time(12, 0), tzinfo=dt.UTC)
    folder.save(Record(form_id, form.version, year, person_id, person.department, status, clean,
                       created_at=moment, saved_at=moment, saved_by=person_id), person_name=person.name)


def part1(person_id: str, hour_values: dict[str, float], signed_on: dt.date | None, **extra: Any) -> dict[str, Any]:
    person = BY_ID[person_id]
    values: dict[str, Any] = {
        "faculty_name": person.name, "department": person.department,
        "work_time": {"patient_care": 1, "teaching": 2, "research": 3, "administration": 4, "other": 5},
        "work_time_other": "Editorial work",
        "area_of_excellence": "clinical", "promotion_criteria": "yes",
        "goal_teaching": "Lead the fellows' curriculum", **hour_values, **extra,
    }
    if signed_on is not None:
        values["faculty_signature"] = Signature(person.name, signed_on)
    return values


def part2(person_id: str, held_on: dt.date, outlook: str, *, signed: bool, support: dict[str, str] | None = None,
          **extra: Any) -> dict[str, Any]:
    person = BY_ID[person_id]
    chair = BY_ID["PC"] if person.department == "Pediatrics" else BY_ID["SC"]
    values: dict[str, Any] = {
        "faculty_name": person.name, "conference_holder": chair.name, "conference_date": held_on,
        "next_clinical": "Start an outreach clinic", "promotion_outlook": outlook,
        "advancement_requires": "Two more first-author papers.", "discussion_summary": "We agreed the steps.",
        **extra,
    }
    if outlook == "not_anticipated":
        values["no_promotion_reason"] = "Needs independent funding."
    for field_id, note in (support or {}).items():
        values[field_id] = CheckNote(True, note)
    if signed:
        values["faculty_signature"] = Signature(person.name, held_on)
        values["chair_signature"] = Signature(chair.name, held_on)
    return values


def agreement(person_id: str, mentor_id: str, start: dt.date, revisit: dt.date, goals: list[tuple[str, str, dt.date]],
              *, signed: bool) -> dict[str, Any]:
    person, mentor = BY_ID[person_id], BY_ID[mentor_id]
    values: dict[str, Any] = {
        "mentee": person.name, "mentor": mentor.name, "mentor_id": mentor_id, "department": person.department,
        "start_date": start, "revisit_date": revisit, "outcomes": "A funded project.", "success": "The grant is in.",
        "goals": tuple({"goal": goal, "status": status, "status_date": day, "timeline": revisit}
                       for goal, status, day in goals),
        "meeting_frequency": "monthly", "commitment_months": 12,
    }
    if signed:
        values["mentor_signature"] = Signature(mentor.name, start)
        values["mentee_signature"] = Signature(person.name, start)
    return values


def build_known(root: Path) -> Known:
    """Write the roster and every submission; return what the reports must find."""
    folder = DataFolder(root)
    write_roster(PEOPLE, folder.roster_path)
    known = Known(root)
    y, official = YEAR.start, {}

    # P1: two signed versions of Part I: the second counts. Part II signed before April 1: done.
    first = hours(10, 20, 30, 40, 5, 6, 7, 8)
    second = hours(11, 21, 31, 41, 6, 7, 8, 9.5)
    _save(folder, "conference_part1", YEAR, "P1", part1("P1", first, dt.date(2026, 1, 10)), Status.SIGNED,
          dt.date(2026, 1, 10))
    _save(folder, "conference_part1", YEAR, "P1", part1("P1", second, dt.date(2026, 1, 15)), Status.SIGNED,
          dt.date(2026, 1, 15))
    known.ignored_hours.append(first)
    official["P1"] = second
    _save(folder, "conference_part2", YEAR, "P1",
          part2("P1", dt.date(2026, 2, 10), "anticipated", signed=True,
                support={"support_training": "A grant-writing course"}), Status.SIGNED, dt.date(2026, 2, 10))
    known.completion["P1"] = "done"
    known.outlook["P1"] = "anticipated"
    known.support.setdefault("support_training", set()).add("P1")

    # P2: conference held after April 1: late.
    official["P2"] = hours(1, 2, 3, 4, 5, 6, 7, 8)
    _save(folder, "conference_part1", YEAR, "P2", part1("P2", official["P2"], dt.date(2026, 3, 20)), Status.SIGNED,
          dt.date(2026, 3, 20))
    _save(folder, "conference_part2", YEAR, "P2",
          part2("P2", dt.date(2026, 4, 10), "not_anticipated", signed=True,
                support={"support_training": "Statistics", "support_resources": "A research coordinator"}),
          Status.SIGNED, dt.date(2026, 4, 10))
    known.completion["P2"] = "late"
    known.outlook["P2"] = "not_anticipated"
    known.support["support_training"].add("P2")
    known.support.setdefault("support_resources", set()).add("P2")

    # P3: a signed Part I, then a draft revision (the signed one still counts); no Part II: in progress.
    official["P3"] = hours(100, 0, 0, 0, 0, 0, 0, 0)
    draft = hours(999, 999)
    _save(folder, "conference_part1", YEAR, "P3", part1("P3", official["P3"], dt.date(2026, 2, 1)), Status.SIGNED,
          dt.date(2026, 2, 1))
    _save(folder, "conference_part1", YEAR, "P3", part1("P3", draft, None), Status.DRAFT, dt.date(2026, 2, 5))
    known.ignored_hours.append(draft)
    known.completion["P3"] = "in progress"
    known.drafts.add(("P3", "conference_part1"))

    # P4: only a draft Part I: in progress, and none of its hours count.
    draft = hours(500, 500, 500)
    _save(folder, "conference_part1", YEAR, "P4", part1("P4", draft, None), Status.DRAFT, dt.date(2026, 3, 1))
    known.ignored_hours.append(draft)
    known.completion["P4"] = "in progress"
    known.drafts.add(("P4", "conference_part1"))

    # P5: nothing at all: missing.
    known.completion["P5"] = "missing"

    # P6: Part I signed after April 1 (conference before it): late.
    official["P6"] = hours(2, 2, 2, 2, 2, 2, 2, 2)
    _save(folder, "conference_part1", YEAR, "P6", part1("P6", official["P6"], dt.date(2026, 4, 5)), Status.SIGNED,
          dt.date(2026, 4, 5))
    _save(folder, "conference_part2", YEAR, "P6", part2("P6", dt.date(2026, 3, 30), "unable_to_assess", signed=True),
          Status.SIGNED, dt.date(2026, 4, 6))
    known.completion["P6"] = "late"
    known.outlook["P6"] = "unable_to_assess"

    # PC (the chair is faculty too): Part II submitted but not signed: in progress.
    official["PC"] = hours(3, 3, 3, 3, 3, 3, 3, 3)
    _save(folder, "conference_part1", YEAR, "PC", part1("PC", official["PC"], dt.date(2026, 1, 20)), Status.SIGNED,
          dt.date(2026, 1, 20))
    _save(folder, "conference_part2", YEAR, "PC", part2("PC", dt.date(2026, 2, 20), "anticipated", signed=False),
          Status.SUBMITTED, dt.date(2026, 2, 20))
    known.completion["PC"] = "in progress"
    known.outlook["PC"] = "anticipated"

    # S1: done in Surgery.
    official["S1"] = hours(4, 4, 4, 4, 4, 4, 4, 4)
    _save(folder, "conference_part1", YEAR, "S1", part1("S1", official["S1"], dt.date(2026, 2, 1)), Status.SIGNED,
          dt.date(2026, 2, 1))
    _save(folder, "conference_part2", YEAR, "S1", part2("S1", dt.date(2026, 2, 15), "anticipated", signed=True),
          Status.SIGNED, dt.date(2026, 2, 15))
    known.completion["S1"] = "done"
    known.outlook["S1"] = "anticipated"
    known.completion["S2"] = "missing"
    known.completion["SC"] = "missing"
    known.official_hours[y] = official

    # Last year: one Part I (P1), for "this year against last".
    known.official_hours[LAST.start] = {"P1": hours(50, 0, 0, 0, 0, 0, 0, 1)}
    _save(folder, "conference_part1", LAST, "P1", part1("P1", known.official_hours[LAST.start]["P1"],
                                                        dt.date(2025, 2, 1)), Status.SIGNED, dt.date(2025, 2, 1))

    # Agreements. P1 with PC: revised (goal status history), now past its date to revisit.
    _save(folder, "agreement", YEAR, "P1",
          agreement("P1", "PC", dt.date(2025, 9, 1), dt.date(2026, 3, 1),
                    [("Publish a paper", "not_started", dt.date(2025, 9, 1)),
                     (FORMULA_GOAL, "not_started", dt.date(2025, 9, 1))], signed=True),
          Status.SIGNED, dt.date(2025, 9, 1))
    _save(folder, "agreement", YEAR, "P1",
          agreement("P1", "PC", dt.date(2025, 9, 1), dt.date(2026, 5, 1),
                    [("Publish a paper", "in_progress", dt.date(2026, 1, 5)),
                     (FORMULA_GOAL, "met", dt.date(2026, 2, 1))], signed=True),
          Status.SIGNED, dt.date(2026, 1, 5))
    known.revisit_overdue.add(("P1", "PC"))
    # P3 has no mentor on the roster but a signed agreement with PC: P3 has a mentor.
    _save(folder, "agreement", YEAR, "P3",
          agreement("P3", "PC", dt.date(2025, 10, 1), dt.date(2026, 10, 1),
                    [("Build a registry", "in_progress", dt.date(2025, 12, 1))], signed=True),
          Status.SIGNED, dt.date(2025, 10, 1))
    # P4 only drafted one: it does not count, so P4 has no mentor.
    _save(folder, "agreement", YEAR, "P4",
          agreement("P4", "PC", dt.date(2025, 10, 1), dt.date(2026, 1, 1),
                    [("Find a project", "not_started", dt.date(2025, 10, 1))], signed=False),
          Status.DRAFT, dt.date(2025, 10, 1))
    known.drafts.add(("P4", "agreement"))
    known.without_mentor = {"PC", "P4", "P6", "SC", "S2"}

    # One developmental network map (P1): a sponsor who is also a mentor, and a friend outside.
    _save(folder, "network_map", YEAR, "P1", {
        "career_goals": "Academic advancement",
        "people": (
            {"name": "Dr. Sponsor", "career": "close", "level": "superior", "organisation": "inside", "sponsor": True,
             "relationship": "mentor"},
            {"name": "A friend", "personal": "close", "level": "peer", "organisation": "outside"},
        ),
    }, Status.SUBMITTED, dt.date(2025, 11, 1))
    known.network_maps = {"P1"}

    # Files that are not submissions: a truncated copy of a real one, and someone else's workbook.
    real = next(path for path in folder.iter_workbooks() if "conference_part1" in str(path))
    known.truncated = real.parent / "v0099.xlsx"
    known.truncated.write_bytes(real.read_bytes()[:3000])
    foreign = Workbook()
    foreign.active["A1"] = "Quarterly budget"
    known.foreign = folder.records_root / YEAR.label / "budget.xlsx"
    foreign.save(known.foreign)
    assert zipfile.is_zipfile(known.foreign)
    return known


def expected_total(known: Known, year: int, people: set[str] | None = None) -> dict[str, float]:
    """Hours per category, summed by hand from the official submissions."""
    totals = dict.fromkeys(HOUR_FIELDS, 0.0)
    for person_id, values in known.official_hours.get(year, {}).items():
        if people is not None and person_id not in people:
            continue
        for field_id, value in values.items():
            totals[field_id] += value
    return totals
