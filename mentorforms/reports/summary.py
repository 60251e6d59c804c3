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

from mentorforms.forms import get_form
from mentorforms.reports import coverage, facts
from mentorforms.reports.labels import goal_sources, source_label
from mentorforms.reports.tables import (
    STATUS_ORDER,
    Tables,
    department_clause,
    goal_status_label,
    prepare,
    rows,
)
from mentorforms.vocabulary.academic_year import AcademicYear

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


def _scope_sql(tables: Tables, department: str | None, division: str | None) -> tuple[str, list]:
    departments = [department] if department is not None else list(tables.departments)
    sql, parameters = department_clause(departments)
    if division is not None:
        sql += " AND COALESCE(p.division, '') = ?"
        parameters.append(division)
    return sql, parameters


def _teaching(tables: Tables, year: AcademicYear, department: str | None, division: str | None,
              divisions: list[str]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Teaching hours this year and last, by category and by division, with the people counted in
    each cell: one pass over the index's hour rows, grouped by year, category and division.

    A person has one division, so the people of a category add up across divisions exactly; the
    people of a division are counted in a second, small query over the forms themselves. Only one
    version of a person's form per year is official, so an hour row counts one person.
    """
    assert tables.index is not None and tables.roster is not None, "summaries need the index the tables came from"
    index = tables.index
    prepare(index, tables.roster, [year.start, year.previous.start])
    forms = sorted(facts.forms_with_group(facts.TEACHING_GROUP, year)
                   | facts.forms_with_group(facts.TEACHING_GROUP, year.previous))
    scope, parameters = _scope_sql(tables, department, division)
    where = (f"f.is_official = 1 AND f.year IN (?, ?) AND f.form_id IN ({', '.join('?' * len(forms))}) AND {scope}")
    arguments = [year.start, year.previous.start, *forms, *parameters]
    cells = index.query(
        "SELECT f.year, f.form_id, t.field_id, COALESCE(p.division, ''), SUM(t.hours), COUNT(*) "
        "FROM f_teaching t JOIN files f ON f.id = t.file_id LEFT JOIN temp.people p ON p.person_id = f.person_id "
        f"WHERE {where} GROUP BY 1, 2, 3, 4", arguments)
    division_people = index.query(
        "SELECT f.year, COALESCE(p.division, ''), COUNT(DISTINCT f.person_id) FROM files f "
        f"LEFT JOIN temp.people p ON p.person_id = f.person_id WHERE {where} "
        "AND EXISTS (SELECT 1 FROM f_teaching t WHERE t.file_id = f.id) GROUP BY 1, 2", arguments)

    def column(start: int) -> str:
        return THIS_YEAR if start == year.start else LAST_YEAR

    order: dict[str, tuple[int, int]] = {}
    by_category: dict[tuple[str, str], list] = {}
    by_division: dict[tuple[str, str], float] = {}
    for start, form_id, field_id, person_division, hours, people in cells:
        item = facts.field_of(form_id, start, field_id)
        label = item.label if item is not None else field_id
        position = list(get_form(form_id, start).field_ids).index(field_id) if item is not None else 10_000
        order[label] = min(order.get(label, (position, 0)), (position, 0))
        cell = by_category.setdefault((label, column(start)), [0.0, 0])
        cell[0] += hours
        cell[1] += people
        key = (person_division, column(start))
        by_division[key] = by_division.get(key, 0.0) + hours
    categories = sorted(order, key=lambda label: order[label])
    columns = [THIS_YEAR, LAST_YEAR]
    category_hours = pd.DataFrame(index=pd.Index(categories, name="category"), columns=columns, dtype=float)
    category_people = pd.DataFrame(0, index=pd.Index(categories, name="category"), columns=columns, dtype=int)
    for (label, name), (hours, people) in by_category.items():
        category_hours.loc[label, name] = float(hours)
        category_people.loc[label, name] = int(people)
    names = divisions + sorted({key[0] for key in by_division} - set(divisions))
    division_hours = pd.DataFrame(index=pd.Index(names, name="division"), columns=columns, dtype=float)
    division_counts = pd.DataFrame(0, index=pd.Index(names, name="division"), columns=columns, dtype=int)
    for (name, which), hours in by_division.items():
        division_hours.loc[name, which] = float(hours)
    for start, name, people in division_people:
        division_counts.loc[name, column(start)] = int(people)
    # A cell nobody reported in has no total (not a total of zero hours): it stays empty (NaN).
    return category_hours, category_people, division_hours, division_counts


def _goals(tables: Tables, year: AcademicYear, department: str | None,
           division: str | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Goals counted per area and status, and people per cell, counted in SQL."""
    assert tables.index is not None and tables.roster is not None, "summaries need the index the tables came from"
    prepare(tables.index, tables.roster, [year.start])
    scope, parameters = _scope_sql(tables, department, division)
    rows = tables.index.query(
        "SELECT t.source, t.area_id, COALESCE(l.label, ''), t.status, COUNT(*), COUNT(DISTINCT f.person_id), "
        "MIN(COALESCE(l.position, 0)) FROM f_goals t JOIN files f ON f.id = t.file_id "
        "LEFT JOIN temp.people p ON p.person_id = f.person_id "
        "LEFT JOIN temp.labels l ON l.form_id = f.form_id AND l.year = f.year AND l.field_id = t.area_id "
        f"WHERE f.is_official = 1 AND f.year = ? AND {scope} GROUP BY t.source, t.area_id, t.status",
        [year.start, *parameters])
    sources = [source.id for source in goal_sources(year.start)]
    rows.sort(key=lambda row: (sources.index(row[0]) if row[0] in sources else len(sources), row[6]))
    goals: dict[tuple[str, str], int] = {}
    people: dict[tuple[str, str], int] = {}
    for source, area_id, label, status, count, persons, _ in rows:
        key = (label if area_id else source_label(source, year.start), goal_status_label(source, year.start, status))
        goals[key] = goals.get(key, 0) + int(count)
        # Two fields with the same label would be counted apart: keep the larger count of people,
        # which never overstates a cell (the small-cell rule stays on the safe side).
        people[key] = max(people.get(key, 0), int(persons))
    if not goals:
        return pd.DataFrame(dtype=int), pd.DataFrame(dtype=int)
    areas = list(dict.fromkeys(area for area, _ in goals))
    seen = {status for _, status in goals}
    statuses = [status for status in STATUS_ORDER if status in seen] + sorted(seen - set(STATUS_ORDER))
    table = pd.DataFrame(0, index=pd.Index(areas, name="area"), columns=pd.Index(statuses, name="status"), dtype=int)
    counts = table.copy()
    for (area, status), count in goals.items():
        table.loc[area, status] = count
        counts.loc[area, status] = people[(area, status)]
    return table, counts


def summarise(tables: Tables, year: AcademicYear, *, department: str | None = None, division: str | None = None,
              conferences: pd.DataFrame | None = None) -> Summary:
    """The numbers for ``year`` in ``department`` (None: every department in ``tables``) and
    ``division`` (None: all). ``conferences`` may be passed if already computed for the year."""
    label = year.label
    people = _select(tables.people, department, division)
    if conferences is None:
        conferences = coverage.conferences(tables, [year])
    conferences = _select(conferences[conferences["year"] == label], department, division).reset_index(drop=True)

    divisions = sorted(set(people["division"].tolist()))
    by_category, by_category_people, by_division, by_division_people = _teaching(
        tables, year, department, division, divisions)
    goal_status, goal_people = _goals(tables, year, department, division)

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
    for person_id, name, division, completion in rows(summary.conferences,
                                                      ["person_id", "name", "division", "completion"]):
        names[completion].append((person_id, name, division))
    return names
