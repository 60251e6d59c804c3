"""Department summaries kept in the index: one per department, academic year and "as of" day.

A summary (:class:`mentorforms.reports.summary.Summary`) is stored with what it was built from:
the department's generation in the index (moved by every refresh that changes one of its
workbooks; see :meth:`mentorforms.reports.index.Index.generation`), the roster's hash and this
module's format version. A stored summary is used only while all of them still match, so one
new version rebuilds one department, and a new roster rebuilds every one. The view of several
departments adds their summaries up (:func:`combine`).

Summaries are stored as JSON (never pickle: the index sits in the data folder, and reading it
must not run anything). Like the rest of the index they are derived: deleting the index loses
nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from typing import Any

import numpy as np
import orjson
import pandas as pd

from mentorforms.records.roster import Roster
from mentorforms.reports import network
from mentorforms.reports.index import Index
from mentorforms.reports.summary import Summary, summarise
from mentorforms.reports.tables import STATUS_ORDER, Tables, build_tables, network_records
from mentorforms.vocabulary.academic_year import AcademicYear

#: Raise when Summary's fields or their meaning change: older stored summaries are then rebuilt.
FORMAT_VERSION = 3
_TABLE = ("CREATE TABLE IF NOT EXISTS dept_summaries (department TEXT NOT NULL, year INTEGER NOT NULL, "
          "as_of TEXT NOT NULL, built_from TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (department, year, as_of))")
_FRAMES = tuple(field.name for field in dataclasses.fields(Summary)
                if field.name not in ("year", "department", "division", "faculty", "drafts"))


# --------------------------------------------------------------------------- JSON for frames
# Column by column: each column's dtype and, for object columns holding dates, that they do (as
# ISO text); decoding builds each column as one array, which keeps reading a stored summary of
# thousands of people to milliseconds.

def _scalar(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    return value


_PLAIN_TYPES = frozenset({str, int, float, bool, type(None)})
_NUMPY_PLAIN = ("bool", "int", "uint", "float")


def _column(values: Any, dtype: str) -> dict[str, Any]:
    # One tolist() per column (numbers as they are: json writes NaN, which decoding reads back);
    # a value-by-value pass only for columns holding missing markers, dates or other objects.
    plain = values.tolist()
    kind = "plain"
    if not dtype.startswith(_NUMPY_PLAIN):
        types = set(map(type, plain))
        if not types <= _PLAIN_TYPES or float in types:
            plain = [_scalar(value) for value in plain]
            types = set(map(type, plain))
        if dtype == "object":
            if dt.datetime in types:
                kind = "datetime"
            elif dt.date in types:
                kind = "date"
            if kind != "plain":
                plain = [value.isoformat() if isinstance(value, dt.date) else value for value in plain]
    return {"dtype": dtype, "kind": kind, "values": plain}


def _uncolumn(spec: dict[str, Any]) -> Any:
    values, dtype, kind = spec["values"], spec["dtype"], spec["kind"]
    if kind == "date":
        values = [dt.date.fromisoformat(value) if isinstance(value, str) else value for value in values]
    elif kind == "datetime":
        values = [dt.datetime.fromisoformat(value) if isinstance(value, str) else value for value in values]
    if dtype == "object":
        array = np.empty(len(values), dtype=object)
        array[:] = values
        return array
    if dtype in ("bool", "int64") or dtype.startswith(("int", "uint")):
        return np.array(values, dtype=dtype)
    if dtype.startswith("float"):
        return np.array([np.nan if value is None else value for value in values], dtype=dtype)
    return pd.array(values, dtype=dtype)


def _index(index: pd.Index) -> dict[str, Any]:
    if isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1:
        return {"range": len(index), "name": index.name}
    return {"name": index.name, **_column(index, str(index.dtype))}


def _unindex(spec: dict[str, Any]) -> pd.Index:
    if "range" in spec:
        return pd.RangeIndex(spec["range"], name=spec["name"])
    return pd.Index(_uncolumn(spec), name=spec["name"], dtype=None if spec["dtype"] == "object" else spec["dtype"])


def encode_frame(frame: pd.DataFrame) -> dict[str, Any]:
    """A JSON-ready form of ``frame`` that :func:`decode_frame` turns back into an equal frame."""
    return {"index": _index(frame.index), "columns": _index(frame.columns),
            "data": [_column(frame.iloc[:, number], str(frame.dtypes.iloc[number]))
                     for number in range(frame.shape[1])]}


def decode_frame(spec: dict[str, Any]) -> pd.DataFrame:
    index, columns = _unindex(spec["index"]), _unindex(spec["columns"])
    frame = pd.DataFrame({number: _uncolumn(column) for number, column in enumerate(spec["data"])}, index=index)
    frame.columns = columns
    return frame


def _dumps(body: Any) -> bytes:
    # orjson is several times faster than json on the thousands of rows of a summary (and writes
    # NaN as null, which decoding reads as missing). Text it refuses (a lone surrogate cannot come
    # through the reading boundary, but a summary must never fail to store) goes through json.
    try:
        return orjson.dumps(body)
    except TypeError:
        return json.dumps(body, separators=(",", ":")).encode("ascii")


def _loads(body: bytes | str) -> Any:
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        return json.loads(body)  # written by _dumps' fallback (NaN as NaN)


def encode(summary: Summary) -> bytes:
    body = {"year": summary.year.start, "department": summary.department, "division": summary.division,
            "faculty": summary.faculty, "drafts": summary.drafts,
            **{name: encode_frame(getattr(summary, name)) for name in _FRAMES}}
    return _dumps(body)


def decode(text: bytes | str) -> Summary:
    body = _loads(text)
    return Summary(year=AcademicYear(body["year"]), department=body["department"], division=body["division"],
                   faculty=body["faculty"], drafts=body["drafts"],
                   **{name: decode_frame(body[name]) for name in _FRAMES})


# --------------------------------------------------------------------------- the cache

_fingerprints: tuple[Roster, dict[str, str]] | None = None


def _roster_fingerprint(index: Index, roster: Roster, department: str) -> str:
    """A hash of ``roster``'s entries in ``department`` (computed once per roster object), so a
    summary is never taken for another roster than the one it was built with. For the roster the
    index keeps (:meth:`Index.roster`) the hashes are kept in the index too, by the roster's hash:
    a new page does not hash 12,000 people again."""
    global _fingerprints
    if _fingerprints is None or _fingerprints[0] is not roster:
        kept = index.scratch.get("roster_cache")
        digest = kept[1] if isinstance(kept, tuple) and kept[0] is roster else None
        stored = index.connection().execute("SELECT value FROM meta WHERE key = 'roster_fingerprints'").fetchone()
        known = _loads(stored[0]) if stored is not None else None
        if digest is not None and isinstance(known, dict) and known.get("roster") == digest:
            _fingerprints = (roster, dict(known["departments"]))
        else:
            entries: dict[str, list[str]] = {}
            for person in roster:
                entries.setdefault(person.department, []).append(
                    repr((person.person_id, person.name, person.email, person.division, person.rank,
                          sorted(person.roles), person.mentors)))
            _fingerprints = (roster, {name: hashlib.sha256("\n".join(rows).encode()).hexdigest()[:24]
                                      for name, rows in entries.items()})
            if digest is not None:
                index.connection().execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('roster_fingerprints', ?)",
                                           (_dumps({"roster": digest, "departments": _fingerprints[1]}),))
    return _fingerprints[1].get(department, "")


def department_summary(index: Index, roster: Roster, year: AcademicYear, department: str, as_of: dt.date) -> Summary:
    """The summary of ``department`` for ``year`` as of ``as_of``: the stored one if nothing it was
    built from changed, else built again (from an index the caller has refreshed) and stored.
    The key holds the hash of the roster the index last read and of ``roster``'s entries in the
    department, so a changed roster rebuilds it."""
    connection = index.connection()
    connection.execute(_TABLE)
    # Read what the summary is built from *before* building: a refresh meanwhile leaves it stale.
    built_from = _built_from(index, roster, department)
    row = connection.execute("SELECT built_from, body FROM dept_summaries WHERE department = ? AND year = ? "
                             "AND as_of = ?", (department, year.start, as_of.isoformat())).fetchone()
    if row is not None and row[0] == built_from:
        return decode(row[1])
    tables = build_tables(index, roster, years=[year], departments=[department], as_of=as_of, detail=False)
    summary = summarise(tables, year, department=department)
    connection.execute("INSERT OR REPLACE INTO dept_summaries VALUES (?, ?, ?, ?, ?)",
                       (department, year.start, as_of.isoformat(), built_from, encode(summary)))
    return summary


def _built_from(index: Index, roster: Roster, department: str) -> str:
    return json.dumps([FORMAT_VERSION, *index.generation(department), index.roster_sha(),
                       _roster_fingerprint(index, roster, department)])


_NETWORK_TABLE = ("CREATE TABLE IF NOT EXISTS dept_network (department TEXT NOT NULL, year INTEGER NOT NULL, "
                  "built_from TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (department, year))")


def network_figures(index: Index, roster: Roster, year: AcademicYear, department: str) -> pd.DataFrame:
    """``department``'s developmental network figures for ``year`` in full (no small-cell rule:
    the analyst's export), kept in the index like the summaries: the maps are read again only
    when one of the department's workbooks changed."""
    connection = index.connection()
    connection.execute(_NETWORK_TABLE)
    built_from = json.dumps([FORMAT_VERSION, *index.generation(department), index.roster_sha(),
                             _roster_fingerprint(index, roster, department)])
    row = connection.execute("SELECT built_from, body FROM dept_network WHERE department = ? AND year = ?",
                             (department, year.start)).fetchone()
    if row is not None and row[0] == built_from:
        return decode_frame(_loads(row[1]))
    records, _ = network_records(index, roster, [year], [department])
    people = network.person_rows(records, roster)
    figures = network.department_figures(people[people["department"] == department], roster, min_cell=0)
    connection.execute("INSERT OR REPLACE INTO dept_network VALUES (?, ?, ?, ?)",
                       (department, year.start, built_from, _dumps(encode_frame(figures))))
    return figures


def summary_from_tables(tables: Tables, year: AcademicYear, department: str,
                        conferences: pd.DataFrame | None = None) -> Summary:
    """One department's summary for a report made from ``tables``: the one kept in the index when
    the tables come from an index (the same numbers), else computed from the tables."""
    if tables.index is not None and tables.roster is not None:
        return department_summary(tables.index, tables.roster, year, department, tables.as_of)
    return summarise(tables, year, department=department, conferences=conferences)


def summary_of(index: Index, roster: Roster, year: AcademicYear, departments: Sequence[str],
               as_of: dt.date) -> Summary:
    """The summary of ``departments`` (one: that department's; several: added up) for ``year``,
    each department's read from the index or, if one of its workbooks changed, built again.

    The sum itself is not stored: it holds every person of every part again, so storing it after
    a change would cost more than adding the parts up when it is opened."""
    parts = [department_summary(index, roster, year, department, as_of) for department in departments]
    return parts[0] if len(parts) == 1 else combine(parts, year)


def _add(frames: list[pd.DataFrame], *, counts: bool, sort: bool = False) -> pd.DataFrame:
    frames = [frame for frame in frames if not frame.empty or len(frame.columns)]
    if not frames:
        return pd.DataFrame(dtype=int)
    stacked = pd.concat(frames)
    added = stacked.groupby(level=0, sort=sort).sum(min_count=0 if counts else 1)
    added.index.name = next((frame.index.name for frame in frames if frame.index.name is not None), None)
    added.columns.name = next((frame.columns.name for frame in frames if frame.columns.name is not None), None)
    return added.astype(int) if counts else added


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def combine(parts: Sequence[Summary], year: AcademicYear) -> Summary:
    """Several departments' summaries as one (every count and amount added; people listed in
    department order). A person belongs to one department, so the people counts add up exactly."""
    if len(parts) == 1:
        return parts[0]
    goals = _add([part.goal_status for part in parts], counts=True)
    if len(goals.columns):
        order = [status for status in STATUS_ORDER if status in goals.columns]
        order += sorted(set(goals.columns) - set(order))
        goals = goals[order]
    goal_people = _add([part.goal_status_people for part in parts], counts=True).reindex(
        index=goals.index, columns=goals.columns, fill_value=0)
    return Summary(
        year=year, department=None, division=None, faculty=sum(part.faculty for part in parts),
        conferences=_concat([part.conferences for part in parts]),
        completion=_add([part.completion for part in parts], counts=True),
        completion_by_division=_add([part.completion_by_division for part in parts], counts=True, sort=True),
        hours_by_category=_add([part.hours_by_category for part in parts], counts=False),
        hours_by_category_people=_add([part.hours_by_category_people for part in parts], counts=True),
        hours_by_division=_add([part.hours_by_division for part in parts], counts=False, sort=True),
        hours_by_division_people=_add([part.hours_by_division_people for part in parts], counts=True, sort=True),
        goal_status=goals, goal_status_people=goal_people,
        mentoring=_concat([part.mentoring for part in parts]),
        revisit=_concat([part.revisit for part in parts]),
        outlook=_add([part.outlook for part in parts], counts=True),
        support=_add([part.support for part in parts], counts=True),
        missing_late=_concat([part.missing_late for part in parts]),
        drafts=sum(part.drafts for part in parts),
    )
