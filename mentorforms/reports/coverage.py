"""What was filed, compared with the roster: conference completion, mentoring coverage, agreements
due for review.

Conference completion, per faculty member and academic year (the booklet: the conference with
the chair, mentor or designee is due *before* April 1):

* **done**: Part II signed by both parties, Part I submitted, the conference held before April 1
  and Part I signed before it;
* **late**: as done, but the conference was held on or after April 1, or Part I was signed on or
  after it;
* **in progress**: something was filed (a draft of either part, or one part without the other, or
  Part II not yet signed by both);
* **missing**: nothing was filed at all.

``overdue`` marks in-progress and missing conferences once April 1 has passed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd

from mentorforms.reports.facts import conference_parts
from mentorforms.reports.tables import COLUMNS, PERSON_COLUMNS, Tables, rows
from mentorforms.reports.year import ended_relationships, year_records
from mentorforms.vocabulary.academic_year import AcademicYear

DONE, LATE, IN_PROGRESS, MISSING = "done", "late", "in progress", "missing"
COMPLETION_ORDER = (DONE, IN_PROGRESS, MISSING, LATE)

CONFERENCE_COLUMNS = (*PERSON_COLUMNS, "year", "due", "completion", "overdue", "waiting_for", "part1_status",
                      "part1_signed_on", "part2_status", "conference_date", "part2_signed_on", "on_time",
                      "lcme_answered", "lcme_total")
MENTOR_COLUMNS = (*PERSON_COLUMNS, "year", "assigned_mentors", "named_mentors", "has_mentor")
REVISIT_COLUMNS = (*PERSON_COLUMNS, "mentor_id", "mentor", "year", "start_date", "revisit_date", "days_overdue")


_FORM_FACTS = ("person_id", "year", "form_id", "status", "signed_on", "conference_date", "faculty_signed_on",
               "chair_signed_on", "lcme_answered", "lcme_total")


def conferences(tables: Tables, years: Iterable[AcademicYear] | None = None) -> pd.DataFrame:
    """One row per roster faculty member and year: how far the annual conference got (see module)."""
    years = tuple(years) if years is not None else tables.years
    # (person, year, form) -> (status, signed_on, conference_date, faculty_signed_on, chair_signed_on, lcme...)
    official = {(person_id, year, form_id): rest for person_id, year, form_id, *rest in
                rows(tables.conference_forms, _FORM_FACTS)}
    parts = {form_id for year in years for form_id in conference_parts(year)}
    filed = {(person_id, year, form_id): status for person_id, year, form_id, status in
             rows(tables.latest, ["person_id", "year", "form_id", "status"]) if form_id in parts}
    people = list(rows(tables.people, PERSON_COLUMNS))
    out = []
    for year in years:
        label, due = year.label, year.conference_due
        faculty_part, chair_part = conference_parts(year)
        for person_id, name, department, division, rank in people:
            part1 = official.get((person_id, label, faculty_part))
            part2 = official.get((person_id, label, chair_part))
            part1_latest = filed.get((person_id, label, faculty_part), "")
            part2_latest = filed.get((person_id, label, chair_part), "")
            part1_signed_on = part1[1] if part1 is not None else None
            conference_date = part2[2] if part2 is not None else None
            part2_signed = part2 is not None and part2[0] == "signed"
            part2_signed_on = None
            if part2 is not None and part2_signed:
                dates = [day for day in (part2[3], part2[4]) if day is not None]
                part2_signed_on = max(dates) if dates else None
            waiting = []
            if part1 is None:
                waiting.append("Part I")
            if part2 is None:
                waiting.append("Part II")
            elif not part2_signed:
                waiting.append("Part II signatures")
            if not waiting:
                late = (conference_date is not None and conference_date >= due) or \
                       (part1_signed_on is not None and part1_signed_on >= due)
                completion = LATE if late else DONE
            elif part1_latest or part2_latest:
                completion = IN_PROGRESS
            else:
                completion = MISSING
            lcme_answered = sum(int(item[5]) for item in (part1, part2) if item is not None)
            lcme_total = sum(int(item[6]) for item in (part1, part2) if item is not None)
            out.append((
                person_id, name, department, division, rank, label, due,
                completion, completion in (IN_PROGRESS, MISSING) and tables.as_of >= due, ", ".join(waiting),
                part1_latest or "not filed", part1_signed_on, part2_latest or "not filed", conference_date,
                part2_signed_on, completion == DONE, lcme_answered, lcme_total,
            ))
    # The people are in department and name order already; years come in the order asked.
    return pd.DataFrame(out, columns=list(CONFERENCE_COLUMNS))


def completion_counts(frame: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """Counts of done / in progress / missing / late (columns), overall or per value of ``by``."""
    if by is None:
        counts = frame["completion"].value_counts()
        return pd.DataFrame([[int(counts.get(state, 0)) for state in COMPLETION_ORDER]],
                            columns=list(COMPLETION_ORDER), index=["All"])
    table = pd.crosstab(frame[by], frame["completion"]) if not frame.empty else pd.DataFrame()
    return table.reindex(columns=list(COMPLETION_ORDER), fill_value=0).astype(int)


def mentoring_coverage(tables: Tables, year: AcademicYear) -> pd.DataFrame:
    """One row per roster faculty member: mentors assigned on the roster, mentors named in the
    year's submitted or signed forms (agreements, Part I, network map, peer groups), and whether
    they have any mentor at all."""
    label = year.label
    named: dict[str, set[str]] = {}
    groups: dict[tuple[str, str], tuple[list[str], list[str]]] = {}
    for person_id, year_label, relation, name, named_id, role in rows(
            tables.mentoring, ["person_id", "year", "relation", "named", "named_id", "role"]):
        if year_label != label:
            continue
        if relation == "mentor":
            named.setdefault(person_id, set()).add(name if isinstance(name, str) and name else named_id)
        elif relation in ("group_mentor", "group_mentee"):
            # A peer group names its mentees by roster id: they have the group's mentors.
            mentors, mentees = groups.setdefault((person_id, role), ([], []))
            if relation == "group_mentor" and isinstance(name, str):
                mentors.append(name)
            elif relation == "group_mentee" and isinstance(named_id, str) and named_id:
                mentees.append(named_id)
    for mentors, mentees in groups.values():
        for mentee_id in mentees:
            named.setdefault(mentee_id, set()).update(mentors)
    out = []
    for person_id, name, department, division, rank, assigned in rows(tables.people, COLUMNS["people"]):
        mentors = sorted(mentor for mentor in named.get(person_id, set()) if isinstance(mentor, str) and mentor)
        assigned = assigned if isinstance(assigned, str) else ""
        out.append((person_id, name, department, division, rank, label, assigned, "; ".join(mentors),
                    bool(assigned or mentors)))
    return pd.DataFrame(out, columns=list(MENTOR_COLUMNS))


def without_mentor(coverage: pd.DataFrame) -> pd.DataFrame:
    """The faculty in ``coverage`` with no mentor assigned or named."""
    return coverage[~coverage["has_mentor"]].reset_index(drop=True)


def ended_pairs(tables: Tables) -> dict[tuple[str, str], int]:
    """(mentee id, mentor id) of each relationship a signed yearly review ended in one of the
    tables' years, with the start year of the last year it was ended in (from the index)."""
    if tables.index is None:
        return {}
    ended: dict[tuple[str, str], int] = {}
    for year in tables.years:
        found = year_records(tables.index, year, list(tables.departments), roles=["review"], agreements=False)
        for pair in ended_relationships(found):
            ended[pair] = max(ended.get(pair, year.start), year.start)
    return ended


def agreements_past_revisit(tables: Tables, as_of: dt.date | None = None) -> pd.DataFrame:
    """Each mentee-mentor pair whose most recent submitted or signed agreement is past its date to
    revisit the plan (the booklet: re-evaluate at least yearly), unless a signed yearly review
    ended the relationship in that agreement's year or later."""
    as_of = as_of or tables.as_of
    agreements = tables.agreements
    ended = ended_pairs(tables) if not agreements.empty else {}
    out = []
    if not agreements.empty:
        ordered = agreements.sort_values(["year", "start_date"], kind="stable", na_position="first")
        newest = ordered.groupby(["person_id", "mentor_id"], sort=False, dropna=False).tail(1)
        for person_id, name, department, division, rank, mentor_id, mentor, year, start, revisit in rows(
                newest, ["person_id", "name", "department", "division", "rank", "mentor_id", "mentor", "year",
                         "start_date", "revisit_date"]):
            if (person_id, mentor_id) in ended and ended[(person_id, mentor_id)] >= AcademicYear.parse(year).start:
                continue
            if revisit is not None and revisit < as_of:
                out.append((person_id, name, department, division, rank, mentor_id, mentor, year, start, revisit,
                            (as_of - revisit).days))
    frame = pd.DataFrame(out, columns=list(REVISIT_COLUMNS))
    return frame.sort_values(["department", "days_overdue"], ascending=[True, False], kind="stable") \
        .reset_index(drop=True)
