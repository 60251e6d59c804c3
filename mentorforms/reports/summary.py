"""The numbers of a department report, computed once for the dashboard, the export and the HTML
report: conference completion (with the people behind each number), teaching hours by category
and by division (this year and last), goal status by area, mentoring coverage, agreements due for
review, promotion outlook and support needed.

Every breakdown keeps, beside its numbers, how many *people* each cell counts, so a view that
must apply the small-cell rule (:mod:`mentorforms.reports.suppress`) can.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from mentorforms.academic_year import AcademicYear
from mentorforms.reports import coverage
from mentorforms.reports.tables import STATUS_ORDER, Tables

THIS_YEAR, LAST_YEAR = "this year", "last year"


@dataclass
class Summary:
    """One department (or all shown departments) and, optionally, one division, for one year."""

    year: AcademicYear
    department: str | None
    division: str | None
    faculty: int
    #: one row per faculty member (see coverage.CONFERENCE_COLUMNS), this year
    conferences: pd.DataFrame
    #: counts: one row ("All"), columns done / in progress / missing / late
    completion: pd.DataFrame
    #: counts per division
    completion_by_division: pd.DataFrame
    #: hours summed per category; columns THIS_YEAR, LAST_YEAR; and people counted per cell
    hours_by_category: pd.DataFrame
    hours_by_category_people: pd.DataFrame
    hours_by_division: pd.DataFrame
    hours_by_division_people: pd.DataFrame
    #: goals counted per area (rows) and status (columns); and people per cell
    goal_status: pd.DataFrame
    goal_status_people: pd.DataFrame
    #: mentoring coverage, one row per faculty member
    mentoring: pd.DataFrame
    revisit: pd.DataFrame
    #: people per promotion outlook; people needing each kind of support
    outlook: pd.DataFrame
    support: pd.DataFrame
    #: conferences missing, late, or in progress past the due date
    missing_late: pd.DataFrame
    drafts: int

    @property
    def with_mentor(self) -> int:
        return int(self.mentoring["has_mentor"].sum())

    @property
    def title(self) -> str:
        where = self.department or "All departments"
        if self.division:
            where += f" — {self.division}"
        return f"{where}, {self.year.label}"


def _select(frame: pd.DataFrame, department: str | None, division: str | None) -> pd.DataFrame:
    if department is not None:
        frame = frame[frame["department"] == department]
    if division is not None:
        frame = frame[frame["division"] == division]
    return frame


def _hours(teaching: pd.DataFrame, by: str, this_label: str, last_label: str,
           order: list[str] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    frames, people = {}, {}
    for name, label in ((THIS_YEAR, this_label), (LAST_YEAR, last_label)):
        rows = teaching[teaching["year"] == label]
        frames[name] = rows.groupby(by)["hours"].sum() if not rows.empty else pd.Series(dtype=float)
        people[name] = rows.groupby(by)["person_id"].nunique() if not rows.empty else pd.Series(dtype=int)
    hours = pd.DataFrame(frames).fillna(0.0)
    counts = pd.DataFrame(people).fillna(0).astype(int)
    if order is not None:
        hours = hours.reindex(order, fill_value=0.0)
        counts = counts.reindex(order, fill_value=0)
    counts = counts.reindex(hours.index, fill_value=0)
    # A cell nobody reported in has no total (not a total of zero hours).
    hours = hours.where(counts > 0)
    hours.index.name = counts.index.name = by
    return hours, counts


def summarise(tables: Tables, year: AcademicYear, *, department: str | None = None, division: str | None = None,
              conferences: pd.DataFrame | None = None) -> Summary:
    """The numbers for ``year`` in ``department`` (None: every department in ``tables``) and
    ``division`` (None: all). ``conferences`` may be passed if already computed for the year."""
    label, last_label = year.label, year.previous.label
    people = _select(tables.people, department, division)
    if conferences is None:
        conferences = coverage.conferences(tables, [year])
    conferences = _select(conferences[conferences["year"] == label], department, division).reset_index(drop=True)

    teaching = _select(tables.teaching, department, division)
    categories = list(dict.fromkeys(teaching["category"]))
    by_category, by_category_people = _hours(teaching, "category", label, last_label, categories)
    divisions = sorted(set(people["division"]) | set(teaching["division"]))
    by_division, by_division_people = _hours(teaching, "division", label, last_label, divisions)

    goals = _select(tables.goals[tables.goals["year"] == label], department, division)
    if goals.empty:
        goal_status = pd.DataFrame(dtype=int)
        goal_people = pd.DataFrame(dtype=int)
    else:
        goal_status = pd.crosstab(goals["area"], goals["status"])
        goal_people = goals.groupby(["area", "status"])["person_id"].nunique().unstack(fill_value=0)
        statuses = [status for status in STATUS_ORDER if status in goal_status.columns] + \
                   [status for status in goal_status.columns if status not in STATUS_ORDER]
        areas = list(dict.fromkeys(goals["area"]))
        goal_status = goal_status.reindex(index=areas, columns=statuses, fill_value=0)
        goal_people = goal_people.reindex(index=areas, columns=statuses, fill_value=0)

    mentoring = _select(coverage.mentoring_coverage(tables, year), department, division).reset_index(drop=True)
    revisit = _select(coverage.agreements_past_revisit(tables), department, division).reset_index(drop=True)

    promotion = _select(tables.promotion[tables.promotion["year"] == label], department, division)
    outlook = promotion.groupby("outlook")["person_id"].nunique().rename("people").to_frame() \
        if not promotion.empty else pd.DataFrame({"people": pd.Series(dtype=int)})
    support_rows = _select(tables.support[(tables.support["year"] == label) & tables.support["needed"]],
                           department, division)
    support = support_rows.groupby("area")["person_id"].nunique().rename("people").to_frame() \
        if not support_rows.empty else pd.DataFrame({"people": pd.Series(dtype=int)})

    missing_late = conferences[(conferences["completion"].isin([coverage.MISSING, coverage.LATE]))
                               | conferences["overdue"]].reset_index(drop=True)
    drafts = _select(tables.drafts[tables.drafts["year"] == label], department, division)

    return Summary(
        year=year, department=department, division=division, faculty=len(people), conferences=conferences,
        completion=coverage.completion_counts(conferences),
        completion_by_division=coverage.completion_counts(conferences, "division"),
        hours_by_category=by_category, hours_by_category_people=by_category_people,
        hours_by_division=by_division, hours_by_division_people=by_division_people,
        goal_status=goal_status, goal_status_people=goal_people, mentoring=mentoring, revisit=revisit,
        outlook=outlook, support=support, missing_late=missing_late, drafts=len(drafts),
    )


def names_by_completion(summary: Summary) -> dict[str, list[tuple[str, str, str]]]:
    """(person id, name, division) of the people behind each completion number, by state."""
    names: dict[str, list[tuple[str, str, str]]] = {state: [] for state in coverage.COMPLETION_ORDER}
    for row in summary.conferences.itertuples(index=False):
        names[row.completion].append((row.person_id, row.name, row.division))
    return names
