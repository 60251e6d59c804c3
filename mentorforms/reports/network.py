"""Network measures for the department reports (chair dashboard and analyst export).

Three functions, each taking plain inputs and returning a pandas DataFrame:

* :func:`person_rows` — one row per person and academic year: their map's measures.
* :func:`department_figures` — per department and year: how many faculty mapped their network,
  the share with a sponsor, the share with nobody for personal support, network size.
* :func:`mentor_load` — people named as mentor on the maps of many faculty in a department.

Inputs are :class:`~mentorforms.vocabulary.record.Record` objects as the report aggregation reads them
(records of other forms are ignored, so all records can be passed) and, optionally, the
:class:`~mentorforms.records.roster.Roster`. Only submitted maps count unless ``include_drafts`` is set;
when several versions of one person's map in one year are passed, the last saved one is used.

The small-cell rule of the reports: outside the chair's own department view, any cell that
counts fewer than :data:`MIN_CELL` people is suppressed (shown as :data:`SUPPRESSED_TEXT`), and
so is any figure computed from a suppressed count. Pass ``own_department`` (the chair's
department) to see that department in full; every other department, and every department when
``own_department`` is None, is suppressed. ``min_cell=0`` turns the rule off (for example for an
analyst's own working files, if the office allows it). Suppressed cells are ``pd.NA`` in
nullable columns; each row's ``suppressed`` column lists the columns hidden in it (a tuple), so
an NA that means "suppressed" is never confused with one that means "not known".
The rule and its threshold are the reports' own (:mod:`mentorforms.reports.suppress`): one to four
people are hidden, zero is shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from mentorforms.forms import UnknownFormError, get_form
from mentorforms.network.compare import name_key
from mentorforms.network.measures import KIND_IDS, KIND_LABELS, measure
from mentorforms.records.roster import Person, Roster
from mentorforms.reports.suppress import MIN_PEOPLE, SUPPRESSED
from mentorforms.vocabulary.record import Record, Status

#: Cells counting fewer people than this are suppressed outside the chair's own department.
MIN_CELL = MIN_PEOPLE
SUPPRESSED_TEXT = SUPPRESSED

#: Columns of :func:`person_rows`, in order.
PERSON_COLUMNS = (
    "person_id", "name", "department", "division", "rank", "year", "status", "saved_at",
    "size", *KIND_IDS, "kinds_with_nobody", "nobody_personal", "every_kind", "multi_kind",
    "close", "moderate", "distant", "sponsors", "has_sponsor", "well_connected", "mentors", "mentees",
    "share_outside",
)
#: Columns of :func:`department_figures`, in order.
DEPARTMENT_COLUMNS = (
    "year", "department", "faculty", "with_map", "map_share", "with_sponsor", "with_sponsor_share",
    "nobody_personal", "nobody_personal_share", "size_median", "size_mean", "suppressed",
)
#: Columns of :func:`mentor_load`, in order.
MENTOR_LOAD_COLUMNS = ("year", "department", "mentor", "mentor_person_id", "named_by", "many", "suppressed")


def _is_map(record: Record) -> bool:
    """Whether ``record``'s form is a network map (its declaration says ``Reports.network``)."""
    try:
        return get_form(record.form_id, record.academic_year).reports.network
    except UnknownFormError:
        return False


def _latest_maps(records: Iterable[Record], include_drafts: bool) -> list[Record]:
    """One network map per (person, year): the last saved among those that count."""
    latest: dict[tuple[str, str], Record] = {}
    for record in records:
        if not _is_map(record):
            continue
        if record.status is Status.DRAFT and not include_drafts:
            continue
        key = (record.person_id, record.academic_year.label)
        if key not in latest or record.saved_at >= latest[key].saved_at:
            latest[key] = record
    return sorted(latest.values(), key=lambda record: (record.academic_year, record.department, record.person_id))


def person_rows(records: Iterable[Record], roster: Roster | None = None, *,
                include_drafts: bool = False) -> pd.DataFrame:
    """One row per person and academic year with the measures of their map (:data:`PERSON_COLUMNS`).

    ``name``, ``division`` and ``rank`` come from the roster when the person is on it; the
    department is the one the map was filed under. ``kinds_with_nobody`` names the kinds of help
    nobody gives, separated by "; ". ``share_outside`` is NA when nobody's place is stated.
    Per-person rows are never suppressed: they are for views that may already see each person.
    """
    rows = []
    for record in _latest_maps(records, include_drafts):
        measures = measure(record.values.get("people"))
        person = roster.get(record.person_id) if roster is not None else None
        rows.append({
            "person_id": record.person_id,
            "name": person.name if person else "",
            "department": record.department,
            "division": person.division if person else "",
            "rank": person.rank if person else "",
            "year": record.academic_year.label,
            "status": record.status.value,
            "saved_at": record.saved_at,
            "size": measures.size,
            **{kind: measures.kind(kind).people for kind in KIND_IDS},
            "kinds_with_nobody": "; ".join(KIND_LABELS[kind] for kind in measures.kinds_with_nobody),
            "nobody_personal": measures.nobody_personal,
            "every_kind": len(measures.every_kind),
            "multi_kind": measures.multi_kind,
            "close": measures.closest_close,
            "moderate": measures.closest_moderate,
            "distant": measures.closest_distant,
            "sponsors": measures.sponsors,
            "has_sponsor": measures.has_sponsor,
            "well_connected": measures.well_connected,
            "mentors": measures.mentors,
            "mentees": measures.mentees,
            "share_outside": measures.share_outside,
        })
    frame = pd.DataFrame(rows, columns=list(PERSON_COLUMNS))
    integer_columns = ["size", *KIND_IDS, "every_kind", "multi_kind", "close", "moderate", "distant", "sponsors",
                       "well_connected", "mentors", "mentees"]
    frame[integer_columns] = frame[integer_columns].astype("Int64")
    frame[["nobody_personal", "has_sponsor"]] = frame[["nobody_personal", "has_sponsor"]].astype("boolean")
    frame["share_outside"] = frame["share_outside"].astype("Float64")
    return frame


def _suppress(frame: pd.DataFrame, counts: Iterable[str], derived: dict[str, tuple[str, ...]],
              own_department: str | None, min_cell: int) -> pd.DataFrame:
    """Apply the small-cell rule to every row outside ``own_department`` (see the module docstring)."""
    frame = frame.copy()
    frame["suppressed"] = pd.Series([()] * len(frame), index=frame.index, dtype=object)
    if min_cell <= 0 or frame.empty:
        return frame
    outside = frame["department"] != own_department if own_department is not None else pd.Series(True, frame.index)
    hidden: dict[str, pd.Series] = {}
    for column in counts:
        hidden[column] = outside & frame[column].notna() & (frame[column] > 0) & (frame[column] < min_cell)
    for column, sources in derived.items():
        mask = pd.Series(False, index=frame.index)
        for source in sources:
            mask |= hidden[source]
        hidden[column] = mask
    for column, mask in hidden.items():
        frame.loc[mask, column] = pd.NA
    frame["suppressed"] = [tuple(column for column, mask in hidden.items() if mask[index]) for index in frame.index]
    return frame


def department_figures(people: pd.DataFrame, roster: Roster | None = None, *, own_department: str | None = None,
                       min_cell: int = MIN_CELL) -> pd.DataFrame:
    """Per academic year and department (:data:`DEPARTMENT_COLUMNS`), from :func:`person_rows`:

    ``faculty`` on the roster with the faculty role (NA without a roster), ``with_map`` (faculty who
    filed a map that year) and ``map_share`` of faculty; ``with_sponsor`` and
    ``nobody_personal`` (no one gives personal support), each with its share *of those with a map*;
    the median and mean network size. Small cells are suppressed outside ``own_department``.
    """
    rows = []
    for (year, department), group in people.groupby(["year", "department"], sort=True):
        faculty = (sum(1 for person in roster.in_department(department) if person.has_role("faculty"))
                   if roster is not None else None)
        mapped = len(group)
        with_sponsor = int(group["has_sponsor"].sum())
        nobody = int(group["nobody_personal"].sum())
        rows.append({
            "year": year, "department": department, "faculty": faculty, "with_map": mapped,
            "map_share": (mapped / faculty) if faculty else None,
            "with_sponsor": with_sponsor, "with_sponsor_share": with_sponsor / mapped,
            "nobody_personal": nobody, "nobody_personal_share": nobody / mapped,
            "size_median": float(group["size"].median()), "size_mean": float(group["size"].mean()),
        })
    frame = pd.DataFrame(rows, columns=[column for column in DEPARTMENT_COLUMNS if column != "suppressed"])
    frame[["faculty", "with_map", "with_sponsor", "nobody_personal"]] = \
        frame[["faculty", "with_map", "with_sponsor", "nobody_personal"]].astype("Int64")
    share_columns = ["map_share", "with_sponsor_share", "nobody_personal_share", "size_median", "size_mean"]
    frame[share_columns] = frame[share_columns].astype("Float64")
    frame = _suppress(
        frame, ("faculty", "with_map", "with_sponsor", "nobody_personal"),
        {"map_share": ("faculty", "with_map"), "with_sponsor_share": ("with_sponsor", "with_map"),
         "nobody_personal_share": ("nobody_personal", "with_map"), "size_median": ("with_map",),
         "size_mean": ("with_map",)},
        own_department, min_cell)
    return frame[list(DEPARTMENT_COLUMNS)]


def mentor_load(records: Iterable[Record], roster: Roster | None = None, *, include_drafts: bool = False,
                own_department: str | None = None, min_cell: int = MIN_CELL, many: int = 3) -> pd.DataFrame:
    """People named as mentor on the maps of several faculty in a department (:data:`MENTOR_LOAD_COLUMNS`).

    One row per (year, department, mentor): ``named_by`` counts the distinct faculty of that
    department whose map marks the person "mentor" (a person named twice on one map counts once).
    Names are matched as typed, forgiving case, spacing and full stops; a name that is exactly a
    roster person's name is shown with that person's ``mentor_person_id``. ``many`` is True when
    ``named_by`` reaches ``many``. Rows are sorted by year, department, then ``named_by``, largest
    first. Small cells are suppressed outside ``own_department`` (``named_by`` becomes NA).
    """
    by_name: dict[str, Person] = {}
    if roster is not None:
        for listed in roster:
            by_name.setdefault(name_key(listed.name), listed)
    named: dict[tuple[str, str, str], set[str]] = {}
    shown: dict[tuple[str, str, str], str] = {}
    for record in _latest_maps(records, include_drafts):
        for row in record.values.get("people") or ():
            if not isinstance(row, Mapping) or row.get("relationship") != "mentor":
                continue
            typed = " ".join(str(row.get("name") or "").split())
            if not typed:
                continue
            key = (record.academic_year.label, record.department, name_key(typed))
            named.setdefault(key, set()).add(record.person_id)
            shown.setdefault(key, typed)
    rows = []
    for key, faculty in named.items():
        year, department, mentor_key = key
        person = by_name.get(mentor_key)
        rows.append({
            "year": year, "department": department, "mentor": person.name if person else shown[key],
            "mentor_person_id": person.person_id if person else "", "named_by": len(faculty),
            "many": len(faculty) >= many,
        })
    frame = pd.DataFrame(rows, columns=[column for column in MENTOR_LOAD_COLUMNS if column != "suppressed"])
    frame = frame.sort_values(["year", "department", "named_by", "mentor"], ascending=[True, True, False, True],
                              kind="stable", ignore_index=True)
    frame["named_by"] = frame["named_by"].astype("Int64")
    frame["many"] = frame["many"].astype("boolean")
    frame = _suppress(frame, ("named_by",), {"many": ("named_by",)}, own_department, min_cell)
    return frame[list(MENTOR_LOAD_COLUMNS)]


def shown(row: Mapping[str, Any], column: str, *, percent: bool = False) -> str:
    """One cell of a row of these tables as a report prints it: :data:`SUPPRESSED_TEXT` when the
    small-cell rule hid it, "–" when it is not known, a percentage for shares if ``percent``."""
    if column in (row.get("suppressed") or ()):
        return SUPPRESSED_TEXT
    value = row.get(column)
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return "–"
    if percent:
        return f"{float(value):.0%}"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)
