"""The tidy tables every report is made from, built from the index and the roster.

Official tables (teaching hours, goals, mentoring, promotion, support, agreements) hold only the
latest submitted or signed version of each person's form per year; drafts are listed apart in
``drafts`` and never counted. People are described by the roster (name, department, division,
rank); someone filed under a department but no longer on the roster keeps the department of
their workbook and is marked "(not on the roster)".

Columns named in :data:`COLUMNS` are the public shape of each table (the export and the
dashboard rely on them).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Sequence

import pandas as pd

from mentorforms.academic_year import AcademicYear
from mentorforms.forms import UnknownFormError, get_form
from mentorforms.reports.facts import field_label
from mentorforms.reports.index import Index, Progress
from mentorforms.roster import Roster

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

SOURCE_LABELS = {
    "agreement": "Mentoring agreement",
    "part1_past": "Part I: past year's goals",
    "part1_next": "Part I: goals for the coming year",
    "part2_next": "Part II: goals for the next year",
}
STATUS_LABELS = {
    "met": "Met", "not_met": "Not met", "planned": "Planned", "agreed": "Agreed at the conference",
    "": "No status",
}
#: The order statuses are shown in (agreement statuses come from the declaration).
STATUS_ORDER = ("Not started", "In progress", "Met", "Deferred", "No status", "Not met", "Planned",
                "Agreed at the conference")


@dataclass
class Tables:
    """Every report table for some academic years and departments (see :data:`COLUMNS`)."""

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

    def frames(self) -> dict[str, pd.DataFrame]:
        """Every table by name."""
        return {name: getattr(self, name) for name in COLUMNS}


# --------------------------------------------------------------------------- labels


@lru_cache(maxsize=4096)
def _label(form_id: str, year: int, field_id: str) -> str:
    try:
        return field_label(form_id, year, field_id)
    except UnknownFormError:
        return field_id


@lru_cache(maxsize=4096)
def _choice_label(form_id: str, year: int, field_id: str, choice_id: str) -> str:
    form = get_form(form_id, year)
    if not form.has_field(field_id):
        return choice_id
    item = form.field(field_id)
    if item.kind.value == "table":
        return choice_id
    return item.choice_label(choice_id)


@lru_cache(maxsize=64)
def _agreement_status_labels(year: int) -> dict[str, str]:
    goals = get_form("agreement", year).field("goals")
    return {choice.id: choice.label for choice in goals.column("status").choices}


def goal_status_label(source: str, year: int, status: str) -> str:
    """How a goal's status reads in reports (agreement statuses use the declared labels)."""
    if source == "agreement" and status:
        return _agreement_status_labels(year).get(status, status)
    return STATUS_LABELS.get(status, status)


def form_title(form_id: str, year: int) -> str:
    """The declared title of a form in a year."""
    try:
        return get_form(form_id, year).title
    except UnknownFormError:
        return form_id


# --------------------------------------------------------------------------- people


def people_frame(roster: Roster) -> pd.DataFrame:
    """Everyone on the roster with a faculty role: id, name, department, division, rank, mentors."""
    rows = [(person.person_id, person.name, person.department, person.division, person.rank, "; ".join(person.mentors))
            for person in roster if person.has_role("faculty")]
    return pd.DataFrame(rows, columns=list(COLUMNS["people"]))


def _describe(frame: pd.DataFrame, roster: Roster, department_column: str = "filed_department") -> pd.DataFrame:
    """Add name, department (roster first), division and rank to rows that have ``person_id``."""
    if frame.empty:
        for column in PERSON_COLUMNS[1:]:
            frame[column] = pd.Series(dtype=object)
        return frame.drop(columns=[department_column], errors="ignore")
    people = roster.people
    ids = frame["person_id"].tolist()
    filed = frame[department_column].tolist() if department_column in frame else [""] * len(ids)
    names, departments, divisions, ranks = [], [], [], []
    for person_id, department in zip(ids, filed):
        person = people.get(person_id)
        if person is None:
            names.append(f"{person_id} (not on the roster)")
            departments.append(department or "")
            divisions.append("")
            ranks.append("")
        else:
            names.append(person.name)
            departments.append(person.department)
            divisions.append(person.division)
            ranks.append(person.rank)
    frame = frame.drop(columns=[department_column], errors="ignore")
    frame.insert(1, "name", names)
    frame.insert(2, "department", departments)
    frame.insert(3, "division", divisions)
    frame.insert(4, "rank", ranks)
    return frame


def _year_label(start: int) -> str:
    return AcademicYear(int(start)).label


# --------------------------------------------------------------------------- building


def _in(column: str, values: Sequence) -> tuple[str, list]:
    if not values:
        return "1", []
    return f"{column} IN ({', '.join('?' * len(values))})", list(values)


def _official(index: Index, fact: str, columns: str, years: Sequence[int], extra: str = "") -> list[tuple]:
    where, parameters = _in("f.year", years)
    return index.query(
        f"SELECT f.person_id, f.department, f.year, {columns} FROM {fact} t JOIN files f ON f.id = t.file_id "
        f"WHERE f.is_official = 1 AND {where} {extra}", parameters)


def _frame(rows: list[tuple], columns: Sequence[str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(columns))


def _date(text: object) -> dt.date | None:
    return dt.date.fromisoformat(text) if isinstance(text, str) and text else None


def build_tables(index: Index, roster: Roster, *, years: Iterable[AcademicYear | int | str] | None = None,
                 departments: Iterable[str] | None = None, as_of: dt.date | None = None) -> Tables:
    """The report tables for ``years`` (default: every year in the index) and ``departments``
    (default: all), read from an index that the caller has refreshed."""
    year_starts = sorted({AcademicYear.parse(year).start for year in years}) if years is not None else index.years()
    wanted = tuple(sorted(set(departments))) if departments is not None else None
    as_of = as_of or dt.date.today()

    teaching = _frame(_official(index, "f_teaching", "'conference_part1', t.field_id, t.hours", year_starts),
                      ("person_id", "filed_department", "year", "form_id", "category_id", "hours"))
    teaching["category"] = [_label(form_id, year, field_id) for form_id, year, field_id in
                            zip(teaching["form_id"], teaching["year"], teaching["category_id"])]
    teaching = teaching.drop(columns=["form_id"])

    goals = _goals(index, year_starts)
    mentoring = _frame(_official(index, "f_people", "t.relation, t.name, t.other_id, t.role, t.source", year_starts),
                       ("person_id", "filed_department", "year", "relation", "named", "named_id", "role", "source"))

    promotion = _frame(_official(index, "f_promotion", "t.outlook, t.no_promotion_reason, t.advancement_requires",
                                 year_starts),
                       ("person_id", "filed_department", "year", "outlook_id", "no_promotion_reason",
                        "advancement_requires"))
    promotion.insert(4, "outlook", [_choice_label("conference_part2", year, "promotion_outlook", outlook)
                                    for year, outlook in zip(promotion["year"], promotion["outlook_id"])])

    support = _frame(_official(index, "f_support", "t.field_id, t.needed, t.note", year_starts),
                     ("person_id", "filed_department", "year", "area_id", "needed", "note"))
    support.insert(4, "area", [_label("conference_part2", year, field_id)
                               for year, field_id in zip(support["year"], support["area_id"])])
    support["needed"] = support["needed"].astype(bool)

    agreements = _frame(_official(index, "f_agreement", "t.mentor_id, t.mentor_name, t.start_date, t.revisit_date, "
                                                        "t.signed", year_starts),
                        ("person_id", "filed_department", "year", "mentor_id", "mentor", "start_date", "revisit_date",
                         "signed"))
    for column in ("start_date", "revisit_date"):
        agreements[column] = [_date(value) for value in agreements[column]]
    agreements["signed"] = agreements["signed"].astype(bool)

    where, parameters = _in("f.year", year_starts)
    conference_forms = _frame(index.query(
        "SELECT f.person_id, f.department, f.year, f.form_id, f.status, t.signed_on, t.conference_date, "
        "t.faculty_signed_on, t.chair_signed_on, t.lcme_answered, t.lcme_total FROM f_conference t "
        f"JOIN files f ON f.id = t.file_id WHERE f.is_official = 1 AND {where}", parameters),
        ("person_id", "filed_department", "year", "form_id", "status", "signed_on", "conference_date",
         "faculty_signed_on", "chair_signed_on", "lcme_answered", "lcme_total"))
    for column in ("signed_on", "conference_date", "faculty_signed_on", "chair_signed_on"):
        conference_forms[column] = [_date(value) for value in conference_forms[column]]

    latest = _frame(index.query(
        "SELECT f.person_id, f.department, f.year, f.form_id, f.instance, f.status, "
        "(SELECT o.status FROM files o WHERE o.person_id = f.person_id AND o.form_id = f.form_id "
        " AND o.year = f.year AND o.instance = f.instance AND o.is_official = 1), f.saved_at, f.path "
        f"FROM files f WHERE f.is_latest = 1 AND {where}", parameters),
        ("person_id", "filed_department", "year", "form_id", "instance", "status", "official_status", "saved_at",
         "path"))
    latest["official_status"] = latest["official_status"].fillna("")
    latest["path"] = [str(index.records_root / path) for path in latest["path"]]
    drafts = latest[latest["status"] == "draft"][["person_id", "filed_department", "year", "form_id", "saved_at",
                                                  "path"]].copy()
    drafts.insert(4, "form", [form_title(form_id, year) for form_id, year in zip(drafts["form_id"], drafts["year"])])

    problems = pd.DataFrame([(str(item.path), item.reason) for item in index.problems()],
                            columns=list(COLUMNS["problems"]))

    frames = {"teaching": teaching, "goals": goals, "mentoring": mentoring, "promotion": promotion,
              "support": support, "agreements": agreements, "conference_forms": conference_forms,
              "latest": latest, "drafts": drafts}
    people = people_frame(roster)
    for name, frame in frames.items():
        frame = _describe(frame.reset_index(drop=True), roster)
        frame["year"] = [_year_label(year) for year in frame["year"]]
        frame = frame[list(COLUMNS[name])]
        if wanted is not None:
            frame = frame[frame["department"].isin(wanted)]
        frames[name] = frame.sort_values(["year", "department", "name"], kind="stable").reset_index(drop=True)
    if wanted is not None:
        people = people[people["department"].isin(wanted)].reset_index(drop=True)
    return Tables(
        years=tuple(AcademicYear(start) for start in year_starts),
        departments=wanted if wanted is not None else tuple(sorted(set(people["department"]))),
        people=people, problems=problems, as_of=as_of, **frames,
    )


def _goals(index: Index, year_starts: Sequence[int]) -> pd.DataFrame:
    rows = _official(index, "f_goals", "f.form_id, f.instance, t.source, t.area_id, t.row, t.goal, t.due, t.status, "
                                      "t.status_date", year_starts)
    history = _agreement_history(index, year_starts)
    out = []
    for (person_id, department, year, form_id, instance, source, area_id, row, goal, due, status,
         status_date) in rows:
        area = SOURCE_LABELS[source] if not area_id else _label(form_id, year, area_id)
        out.append((person_id, department, year, SOURCE_LABELS.get(source, source), area, goal, _date(due),
                    goal_status_label(source, year, status), _date(status_date),
                    history.get((person_id, year, instance, goal), "")))
    return _frame(out, ("person_id", "filed_department", "year", "source", "area", "goal", "due_date", "status",
                        "status_date", "history"))


def _agreement_history(index: Index, year_starts: Sequence[int]) -> dict[tuple, str]:
    """Per agreement goal, its status through the submitted and signed versions, oldest first."""
    where, parameters = _in("f.year", year_starts)
    rows = index.query(
        "SELECT f.person_id, f.year, f.instance, f.folder, f.version, f.mtime_ns, g.goal, g.status, g.status_date "
        "FROM f_goals g JOIN files f ON f.id = g.file_id "
        f"WHERE g.source = 'agreement' AND f.problem IS NULL AND f.status != 'draft' AND {where}", parameters)
    steps: dict[tuple, list[tuple]] = {}
    for person_id, year, instance, folder, version, mtime, goal, status, status_date in rows:
        steps.setdefault((person_id, year, instance, goal), []).append((mtime, version, status, status_date))
    history: dict[tuple, str] = {}
    for key, entries in steps.items():
        parts: list[str] = []
        previous = None
        for _, _, status, status_date in sorted(entries):
            label = goal_status_label("agreement", key[1], status)
            if label == previous:
                continue
            previous = label
            parts.append(f"{label} ({status_date})" if status_date else label)
        history[key] = " → ".join(parts)
    return history


def load_tables(root, roster: Roster, *, years=None, departments=None, as_of: dt.date | None = None,
                progress: Progress | None = None, index: Index | None = None) -> Tables:
    """Refresh the data folder's index (building it if needed) and return the tables."""
    index = index or Index(root)
    index.refresh(progress)
    return build_tables(index, roster, years=years, departments=departments, as_of=as_of)


__all__ = ["COLUMNS", "PERSON_COLUMNS", "Tables", "build_tables", "load_tables", "people_frame",
           "goal_status_label", "form_title"]
