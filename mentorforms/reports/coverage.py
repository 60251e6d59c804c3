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
from typing import Iterable

import pandas as pd

from mentorforms.academic_year import AcademicYear
from mentorforms.reports.tables import PERSON_COLUMNS, Tables

DONE, LATE, IN_PROGRESS, MISSING = "done", "late", "in progress", "missing"
COMPLETION_ORDER = (DONE, IN_PROGRESS, MISSING, LATE)

CONFERENCE_COLUMNS = (*PERSON_COLUMNS, "year", "due", "completion", "overdue", "waiting_for", "part1_status",
                      "part1_signed_on", "part2_status", "conference_date", "part2_signed_on", "on_time",
                      "lcme_answered", "lcme_total")
MENTOR_COLUMNS = (*PERSON_COLUMNS, "year", "assigned_mentors", "named_mentors", "has_mentor")
REVISIT_COLUMNS = (*PERSON_COLUMNS, "mentor_id", "mentor", "year", "start_date", "revisit_date", "days_overdue")


def conferences(tables: Tables, years: Iterable[AcademicYear] | None = None) -> pd.DataFrame:
    """One row per roster faculty member and year: how far the annual conference got (see module)."""
    years = tuple(years) if years is not None else tables.years
    official = {(row.person_id, row.year, row.form_id): row for row in tables.conference_forms.itertuples(index=False)}
    filed: dict[tuple[str, str, str], str] = {}
    for row in tables.latest.itertuples(index=False):
        if row.form_id in ("conference_part1", "conference_part2"):
            filed[(row.person_id, row.year, row.form_id)] = row.status
    rows = []
    for year in years:
        label, due = year.label, year.conference_due
        for person in tables.people.itertuples(index=False):
            part1 = official.get((person.person_id, label, "conference_part1"))
            part2 = official.get((person.person_id, label, "conference_part2"))
            part1_latest = filed.get((person.person_id, label, "conference_part1"), "")
            part2_latest = filed.get((person.person_id, label, "conference_part2"), "")
            part1_signed_on = part1.signed_on if part1 is not None else None
            conference_date = part2.conference_date if part2 is not None else None
            part2_signed = part2 is not None and part2.status == "signed"
            part2_signed_on = None
            if part2_signed:
                dates = [day for day in (part2.faculty_signed_on, part2.chair_signed_on) if day is not None]
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
            lcme_answered = sum(int(item.lcme_answered) for item in (part1, part2) if item is not None)
            lcme_total = sum(int(item.lcme_total) for item in (part1, part2) if item is not None)
            rows.append((
                person.person_id, person.name, person.department, person.division, person.rank, label, due,
                completion, completion in (IN_PROGRESS, MISSING) and tables.as_of >= due, ", ".join(waiting),
                part1_latest or "not filed", part1_signed_on, part2_latest or "not filed", conference_date,
                part2_signed_on, completion == DONE, lcme_answered, lcme_total,
            ))
    frame = pd.DataFrame(rows, columns=list(CONFERENCE_COLUMNS))
    return frame.sort_values(["year", "department", "name"], kind="stable").reset_index(drop=True)


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
    mentoring = tables.mentoring[tables.mentoring["year"] == label]
    for row in mentoring.itertuples(index=False):
        if row.relation == "mentor":
            named.setdefault(row.person_id, set()).add(row.named or row.named_id)
    # A peer group names its mentees by roster id: they have the group's mentors.
    groups = mentoring[mentoring["source"] == "peer_group"]
    for _, group in groups.groupby(["person_id", "role"]):
        mentors = [name for relation, name in zip(group["relation"], group["named"]) if relation == "group_mentor"]
        for relation, mentee_id in zip(group["relation"], group["named_id"]):
            if relation == "group_mentee" and isinstance(mentee_id, str) and mentee_id:
                named.setdefault(mentee_id, set()).update(mentors)
    rows = []
    for person in tables.people.itertuples(index=False):
        mentors = sorted(name for name in named.get(person.person_id, set()) if isinstance(name, str) and name)
        assigned = person.assigned_mentors if isinstance(person.assigned_mentors, str) else ""
        rows.append((person.person_id, person.name, person.department, person.division, person.rank, label,
                     assigned, "; ".join(mentors), bool(assigned or mentors)))
    return pd.DataFrame(rows, columns=list(MENTOR_COLUMNS))


def without_mentor(coverage: pd.DataFrame) -> pd.DataFrame:
    """The faculty in ``coverage`` with no mentor assigned or named."""
    return coverage[~coverage["has_mentor"]].reset_index(drop=True)


def agreements_past_revisit(tables: Tables, as_of: dt.date | None = None) -> pd.DataFrame:
    """Each mentee-mentor pair whose most recent submitted or signed agreement is past its date to
    revisit the plan (the booklet: re-evaluate at least yearly)."""
    as_of = as_of or tables.as_of
    agreements = tables.agreements
    rows = []
    if not agreements.empty:
        ordered = agreements.sort_values(["year", "start_date"], kind="stable", na_position="first")
        newest = ordered.groupby(["person_id", "mentor_id"], sort=False, dropna=False).tail(1)
        for row in newest.itertuples(index=False):
            if row.revisit_date is not None and row.revisit_date < as_of:
                rows.append((row.person_id, row.name, row.department, row.division, row.rank, row.mentor_id,
                             row.mentor, row.year, row.start_date, row.revisit_date, (as_of - row.revisit_date).days))
    frame = pd.DataFrame(rows, columns=list(REVISIT_COLUMNS))
    return frame.sort_values(["department", "days_overdue"], ascending=[True, False], kind="stable") \
        .reset_index(drop=True)
