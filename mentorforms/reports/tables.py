"""The tidy tables every report is made from, built from the index and the roster.

Official tables (teaching hours, goals, mentoring, promotion, support, agreements) hold only the
latest submitted or signed version of each person's form per year; drafts are listed apart in
``drafts`` and never counted. People are described by the roster (name, department, division,
rank); someone filed under a department but no longer on the roster keeps the department of
their workbook and is marked "(not on the roster)".

The joins happen in SQLite: the roster and the declared labels are loaded into TEMP tables of the
index connection (:func:`prepare`), so a table is one query and no per-row Python work. The
largest tables (teaching hours, goals) can be left out (``detail=False``) when only the numbers
are needed: :mod:`mentorforms.reports.summary` totals them in SQL.

Columns named in :data:`COLUMNS` are the public shape of each table (the export and the
dashboard rely on them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import pandas as pd

from mentorforms.forms import form_ids, get_form
from mentorforms.records.roster import Roster
from mentorforms.reports.facts import forms_taking
from mentorforms.reports.index import Index
from mentorforms.reports.index_records import kept_records
from mentorforms.reports.labels import (
    STATUS_LABELS,
    STATUS_ORDER,
    form_title,
    goal_status_label,
    outlook_label,
    source_label,
    tracked_sources,
)
from mentorforms.reports.year import goals_with_meetings
from mentorforms.vocabulary.academic_year import AcademicYear

PERSON_COLUMNS = ("person_id", "name", "department", "division", "rank")

COLUMNS: dict[str, tuple[str, ...]] = {
    "people": (*PERSON_COLUMNS, "assigned_mentors"),
    "teaching": (*PERSON_COLUMNS, "year", "category_id", "category", "hours"),
    "goals": (*PERSON_COLUMNS, "year", "source", "area", "goal", "due_date", "status", "status_date", "history"),
    "mentoring": (*PERSON_COLUMNS, "year", "relation", "named", "named_id", "role", "source"),
    "promotion": (*PERSON_COLUMNS, "year", "outlook_id", "outlook", "no_promotion_reason", "advancement_requires"),
    "support": (*PERSON_COLUMNS, "year", "area_id", "area", "needed", "note"),
    "agreements": (*PERSON_COLUMNS, "year", "mentor_id", "mentor", "start_date", "revisit_date", "signed"),
    "conference_forms": (*PERSON_COLUMNS, "year", "form_id", "status", "signed_on", "conference_date",
                         "faculty_signed_on", "chair_signed_on", "lcme_answered", "lcme_total"),
    "latest": (*PERSON_COLUMNS, "year", "form_id", "instance", "status", "official_status", "saved_at", "path"),
    "drafts": (*PERSON_COLUMNS, "year", "form_id", "form", "saved_at", "path"),
    "problems": ("file", "reason"),
}

@dataclass
class Tables:
    """Report tables for some academic years and departments (see :data:`COLUMNS`).

    ``agreements`` holds every year up to the last one asked for (an agreement stays in force
    until it is revisited). ``index`` and ``roster`` are what they were read from: summaries total
    teaching hours and goals in the index.
    """

    years: tuple[AcademicYear, ...]
    departments: tuple[str, ...]
    people: pd.DataFrame
    teaching: pd.DataFrame
    goals: pd.DataFrame
    mentoring: pd.DataFrame
    promotion: pd.DataFrame
    support: pd.DataFrame
    agreements: pd.DataFrame
    conference_forms: pd.DataFrame
    latest: pd.DataFrame
    drafts: pd.DataFrame
    problems: pd.DataFrame
    as_of: dt.date = field(default_factory=dt.date.today)
    index: Index | None = field(default=None, repr=False, compare=False)
    roster: Roster | None = field(default=None, repr=False, compare=False)

    def frames(self) -> dict[str, pd.DataFrame]:
        """Every table by name."""
        return {name: getattr(self, name) for name in COLUMNS}


def rows(frame: pd.DataFrame, columns: Sequence[str] | None = None) -> Iterator[tuple]:
    """The rows of ``frame`` (``columns`` only, in that order) as plain tuples: far faster than
    ``itertuples`` over pandas' string columns. Missing text comes back as NaN."""
    columns = list(columns) if columns is not None else list(frame.columns)
    if frame.empty:
        return iter(())
    return zip(*(frame[column].tolist() for column in columns))


# --------------------------------------------------------------------------- TEMP tables


def prepare(index: Index, roster: Roster, years: Iterable[int]) -> None:
    """Load the roster and the declared field labels of ``years`` into TEMP tables of the index
    connection (``people``, ``labels``), unless they are already there."""
    connection = index.connection()
    # The roster the index keeps (Index.roster) is already in its roster_cache table: a view of
    # it costs nothing, where copying 12,000 people into a TEMP table costs 40 ms per page.
    kept = index.scratch.get("roster_cache")
    fingerprint = (id(roster), len(roster), isinstance(kept, tuple) and kept[0] is roster
                   and kept[1] == index.roster_sha())
    if index.scratch.get("people") != fingerprint:
        made = connection.execute("SELECT type FROM temp.sqlite_master WHERE name = 'people'").fetchone()
        if made is not None:
            connection.execute(f"DROP {'VIEW' if made[0] == 'view' else 'TABLE'} temp.people")
        if fingerprint[2]:
            connection.execute("CREATE TEMP VIEW people AS SELECT person_id, name, department, division, rank "
                               "FROM main.roster_cache")
        else:
            connection.execute("CREATE TEMP TABLE people (person_id TEXT PRIMARY KEY, name TEXT, "
                               "department TEXT, division TEXT, rank TEXT)")
            connection.executemany("INSERT INTO temp.people VALUES (?, ?, ?, ?, ?)", [
                (person.person_id, person.name, person.department, person.division, person.rank)
                for person in roster])
        index.scratch["people"] = fingerprint
        index.scratch["roster"] = roster  # keeps id(roster) from being reused while the table describes it
    prepare_labels(index, years)


def prepare_labels(index: Index, years: Iterable[int]) -> None:
    """Load the declared field labels (and their order) of ``years`` into the TEMP table ``labels``."""
    connection = index.connection()
    loaded: set[int] = index.scratch.setdefault("labels", set())  # type: ignore[assignment]
    missing = sorted(set(years) - loaded)
    if missing:
        connection.execute("CREATE TEMP TABLE IF NOT EXISTS labels (form_id TEXT, year INTEGER, field_id TEXT, "
                           "label TEXT, position INTEGER, PRIMARY KEY (form_id, year, field_id))")
        rows = []
        for year in missing:
            for form_id in form_ids():
                for position, item in enumerate(get_form(form_id, year).fields()):
                    rows.append((form_id, year, item.id, item.label, position))
        connection.executemany("INSERT OR REPLACE INTO temp.labels VALUES (?, ?, ?, ?, ?)", rows)
        loaded.update(missing)


#: The person columns of every table: the roster's description, else what the workbook says.
PERSON_SQL = ("f.person_id, COALESCE(p.name, f.person_id || ' (not on the roster)'), "
              "COALESCE(p.department, f.department), COALESCE(p.division, ''), COALESCE(p.rank, ''), "
              "f.year || '-' || (f.year + 1)")
DEPARTMENT_SQL = "COALESCE(p.department, f.department)"


def department_clause(departments: Sequence[str] | None) -> tuple[str, list]:
    """``DEPARTMENT_SQL IN (departments)`` and its parameters (always true for None), written so
    that SQLite filters the files before joining their facts: a person on the roster (TEMP
    ``people``) belongs to their roster department, anyone else to their workbook's."""
    if departments is None:
        return "1", []
    if not departments:
        return "0", []
    marks = ", ".join("?" * len(departments))
    return (f"(f.person_id IN (SELECT person_id FROM temp.people WHERE department IN ({marks})) OR "
            f"(f.department IN ({marks}) AND f.person_id NOT IN "
            "(SELECT person_id FROM temp.people WHERE department IS NOT NULL)))", [*departments, *departments])


def in_clause(column: str, values: Sequence | None) -> tuple[str, list]:
    """``column IN (?, ...)`` and its parameters; always true for None."""
    if values is None:
        return "1", []
    if not values:
        return "0", []
    return f"{column} IN ({', '.join('?' * len(values))})", list(values)


def _official(index: Index, fact: str, columns: str, years: Sequence[int] | None,
              departments: Sequence[str] | None, *, labels: bool = False, where: str = "f.is_official = 1",
              parameters: Sequence = (), order: str = "", fact_first: bool = False) -> list[tuple]:
    """Rows of one fact table joined to its file, the roster (and the declared labels, as ``l``),
    for ``years`` (None: all) and ``departments`` (None: all), ordered by year, department, name.
    ``fact_first``: the fact table is small and ``where`` picks no year: SQLite is told to read it
    first rather than every official file (it cannot know which is smaller)."""
    year_sql, year_parameters = in_clause("f.year", years)
    department_sql, department_parameters = department_clause(departments)
    label_join = ("LEFT JOIN temp.labels l ON l.form_id = f.form_id AND l.year = f.year AND l.field_id = t.field_id "
                  if labels else "")
    return index.query(
        f"SELECT {PERSON_SQL}, {columns} FROM {fact} t {'CROSS JOIN' if fact_first else 'JOIN'} files f "
        "ON f.id = t.file_id "
        f"LEFT JOIN temp.people p ON p.person_id = f.person_id {label_join}"
        f"WHERE {where} AND {year_sql} AND {department_sql} "
        f"ORDER BY f.year, 3, 2, f.person_id{', ' + order if order else ''}",
        [*parameters, *year_parameters, *department_parameters])


def _frame(rows: list[tuple], name: str, columns: Sequence[str] | None = None) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(columns or COLUMNS[name]))


_DATES: dict[str, dt.date] = {}


def _date(text: object) -> dt.date | None:
    if not isinstance(text, str) or not text:
        return None
    day = _DATES.get(text)
    if day is None:
        day = _DATES[text] = dt.date.fromisoformat(text)
    return day


def _dates(frame: pd.DataFrame, *columns: str) -> None:
    for column in columns:
        frame[column] = pd.Series([_date(value) for value in frame[column].tolist()], index=frame.index, dtype=object)


def _start(label: str) -> int:
    return int(label[:4])


# --------------------------------------------------------------------------- building


def people_frame(roster: Roster, departments: Sequence[str] | None = None) -> pd.DataFrame:
    """Everyone on the roster with a faculty role: id, name, department, division, rank, mentors."""
    rows = [(person.person_id, person.name, person.department, person.division, person.rank, "; ".join(person.mentors))
            for person in roster if person.has_role("faculty")
            and (departments is None or person.department in departments)]
    rows.sort(key=lambda row: (row[2], row[1], row[0]))
    return pd.DataFrame(rows, columns=list(COLUMNS["people"]))


def build_tables(index: Index, roster: Roster, *, years: Iterable[AcademicYear | int | str] | None = None,
                 departments: Iterable[str] | None = None, as_of: dt.date | None = None,
                 detail: bool = True) -> Tables:
    """The report tables for ``years`` (default: every year in the index) and ``departments``
    (default: all), read from an index that the caller has refreshed.

    With ``detail=False`` the two largest tables (teaching hours and goals, one row per hour
    category or goal) are left empty: summaries total them in SQL instead.
    """
    year_starts = sorted({AcademicYear.parse(year).start for year in years}) if years is not None else index.years()
    wanted = tuple(sorted(set(departments))) if departments is not None else None
    as_of = as_of or dt.date.today()
    prepare(index, roster, year_starts)
    frames: dict[str, pd.DataFrame] = {}

    if detail:
        teaching = _frame(_official(index, "f_teaching", "t.field_id, COALESCE(l.label, t.field_id), t.hours",
                                    year_starts, wanted, labels=True, order="l.position"), "teaching")
        frames["teaching"] = teaching
        frames["goals"] = _goals(index, year_starts, wanted)
        frames["goals"] = goals_with_meetings(index, roster, year_starts, wanted, frames["goals"])
    else:
        frames["teaching"] = _frame([], "teaching")
        frames["goals"] = _frame([], "goals")

    frames["mentoring"] = _frame(_official(index, "f_people", "t.relation, t.name, t.other_id, t.role, t.source",
                                           year_starts, wanted), "mentoring")

    # The form id rides in the label's column until the label is looked up in its declaration.
    promotion = _frame(_official(index, "f_promotion", "t.outlook, f.form_id, t.no_promotion_reason, "
                                 "t.advancement_requires", year_starts, wanted), "promotion")
    promotion["outlook"] = [outlook_label(form_id, _start(year), outlook)
                            for year, form_id, outlook in rows(promotion, ["year", "outlook", "outlook_id"])]
    frames["promotion"] = promotion

    support = _frame(_official(index, "f_support", "t.field_id, COALESCE(l.label, t.field_id), t.needed, t.note",
                               year_starts, wanted, labels=True, order="l.position"), "support")
    support["needed"] = support["needed"].astype(bool)
    frames["support"] = support

    agreements = _frame(_official(index, "f_agreement", "t.mentor_id, t.mentor_name, t.start_date, t.revisit_date, "
                                  "t.signed", None, wanted, where="f.is_official = 1 AND f.year <= ?",
                                  parameters=[max(year_starts, default=0)], fact_first=True), "agreements")
    _dates(agreements, "start_date", "revisit_date")
    agreements["signed"] = agreements["signed"].astype(bool)
    frames["agreements"] = agreements

    conference_forms = _frame(_official(
        index, "f_conference", "f.form_id, f.status, t.signed_on, t.conference_date, t.faculty_signed_on, "
        "t.chair_signed_on, t.lcme_answered, t.lcme_total", year_starts, wanted), "conference_forms")
    _dates(conference_forms, "signed_on", "conference_date", "faculty_signed_on", "chair_signed_on")
    frames["conference_forms"] = conference_forms

    year_sql, year_parameters = in_clause("f.year", year_starts)
    department_sql, department_parameters = department_clause(wanted)
    latest = _frame(index.query(
        f"SELECT {PERSON_SQL}, f.form_id, f.instance, f.status, '', f.saved_at, "
        "? || '/' || f.path FROM files f LEFT JOIN temp.people p ON p.person_id = f.person_id "
        f"WHERE f.is_latest = 1 AND {year_sql} AND {department_sql} ORDER BY f.year, 3, 2, f.person_id, f.form_id",
        [str(index.records_root), *year_parameters, *department_parameters]), "latest")
    official_status = {(person_id, form_id, year, instance): status for person_id, form_id, year, instance, status in
                       index.query("SELECT f.person_id, f.form_id, f.year || '-' || (f.year + 1), f.instance, "
                                   "f.status FROM files f LEFT JOIN temp.people p ON p.person_id = f.person_id "
                                   f"WHERE f.is_official = 1 AND {year_sql} AND {department_sql}",
                                   [*year_parameters, *department_parameters])}
    latest["official_status"] = [official_status.get(key, "") for key in
                                 rows(latest, ["person_id", "form_id", "year", "instance"])]
    frames["latest"] = latest
    drafts = latest.loc[latest["status"] == "draft", ["person_id", "name", "department", "division", "rank", "year",
                                                      "form_id", "saved_at", "path"]].reset_index(drop=True)
    drafts.insert(7, "form", [form_title(form_id, _start(year)) for form_id, year in
                              rows(drafts, ["form_id", "year"])])
    frames["drafts"] = drafts

    problems = pd.DataFrame([(str(item.path), item.reason) for item in index.problems()],
                            columns=list(COLUMNS["problems"]))
    people = people_frame(roster, wanted)
    for name, frame in frames.items():
        frames[name] = frame[list(COLUMNS[name])]
    return Tables(
        years=tuple(AcademicYear(start) for start in year_starts),
        departments=wanted if wanted is not None else tuple(sorted(set(people["department"]))),
        people=people, problems=problems, as_of=as_of, index=index, roster=roster, **frames,
    )


def _goals(index: Index, year_starts: Sequence[int], departments: Sequence[str] | None) -> pd.DataFrame:
    year_sql, year_parameters = in_clause("f.year", year_starts)
    department_sql, department_parameters = department_clause(departments)
    rows = index.query(
        f"SELECT {PERSON_SQL}, t.source, t.area_id, COALESCE(l.label, ''), t.goal, t.due, t.status, t.status_date, "
        "f.instance, f.year FROM f_goals t JOIN files f ON f.id = t.file_id "
        "LEFT JOIN temp.people p ON p.person_id = f.person_id "
        "LEFT JOIN temp.labels l ON l.form_id = f.form_id AND l.year = f.year AND l.field_id = t.area_id "
        f"WHERE f.is_official = 1 AND {year_sql} AND {department_sql} "
        "ORDER BY f.year, 3, 2, f.person_id, t.source, l.position, t.row", [*year_parameters, *department_parameters])
    history = _status_history(index, year_starts)
    out = []
    for (person_id, name, department, division, rank, year, source, area_id, area_label, goal, due, status,
         status_date, instance, start) in rows:
        label = source_label(source, start)
        out.append((person_id, name, department, division, rank, year, label, area_label if area_id else label, goal,
                    _date(due), goal_status_label(source, start, status), _date(status_date),
                    history.get((source, person_id, start, instance, goal), "")))
    return _frame(out, "goals")


def _status_history(index: Index, year_starts: Sequence[int]) -> dict[tuple, str]:
    """Per goal whose status is tracked (:func:`mentorforms.reports.labels.tracked_sources`: an
    agreement's goals), its status through the submitted and signed versions, oldest first, keyed
    by (source, person, year, instance, goal)."""
    where, parameters = in_clause("f.year", year_starts)
    tracked = sorted({source for start in year_starts for source in tracked_sources(start)})
    source_sql, source_parameters = in_clause("g.source", tracked)
    rows = index.query(
        "SELECT g.source, f.person_id, f.year, f.instance, f.mtime_ns, f.version, g.goal, g.status, g.status_date "
        "FROM f_goals g JOIN files f ON f.id = g.file_id "
        f"WHERE {source_sql} AND f.problem IS NULL AND f.status != 'draft' AND {where}",
        [*source_parameters, *parameters])
    steps: dict[tuple, list[tuple]] = {}
    for source, person_id, year, instance, mtime, version, goal, status, status_date in rows:
        steps.setdefault((source, person_id, year, instance, goal), []).append((mtime, version, status, status_date))
    history: dict[tuple, str] = {}
    for key, entries in steps.items():
        parts: list[str] = []
        previous = None
        for _, _, status, status_date in sorted(entries):
            label = goal_status_label(key[0], key[2], status)
            if label == previous:
                continue
            previous = label
            parts.append(f"{label} ({status_date})" if status_date else label)
        history[key] = " → ".join(parts)
    return history


def network_records(index: Index, roster: Roster, years: Iterable[AcademicYear | int],
                    departments: Sequence[str] | None) -> tuple[list, list[tuple[str, str]]]:
    """The official developmental network maps of ``years`` in ``departments`` (by the roster), as
    records for :mod:`mentorforms.reports.network` rebuilt from the answers the index keeps (no
    workbook is opened), and (file, reason) for any the index could not give back."""
    starts = sorted({AcademicYear.parse(year).start for year in years})
    prepare(index, roster, starts)
    year_sql, year_parameters = in_clause("f.year", starts)
    department_sql, department_parameters = department_clause(departments)
    maps = sorted({form_id for start in starts for form_id in forms_taking("network", AcademicYear(start))})
    form_sql, form_parameters = in_clause("f.form_id", maps)
    return kept_records(index, f"f.is_official = 1 AND {form_sql} AND {year_sql} AND {department_sql}",
                        [*form_parameters, *year_parameters, *department_parameters],
                        join="LEFT JOIN temp.people p ON p.person_id = f.person_id")


__all__ = [
    "COLUMNS", "DEPARTMENT_SQL", "PERSON_COLUMNS", "PERSON_SQL", "STATUS_LABELS", "STATUS_ORDER", "Tables",
    "build_tables", "department_clause", "form_title", "goal_status_label", "in_clause", "network_records",
    "outlook_label", "people_frame", "prepare", "prepare_labels", "rows", "source_label",
]
