"""Writing what was read into the derived index, inside one write transaction: file rows, their
facts, and which version of each form is the latest and the official one."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable, Sequence

from mentorforms.reports.index_scan import Scan
from mentorforms.reports.index_schema import GENERATION_TABLE, SCHEMA
from mentorforms.vocabulary.record import Status


def _like_prefix(rel: str) -> str:
    escaped = rel.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"{escaped}/%"


def _flags(rows: Sequence[tuple]) -> dict[int, tuple[int, int]]:
    """(is_latest, is_official) per file id for the files of one key: (id, folder, version, mtime, status).

    As :meth:`mentorforms.records.store.DataFolder.latest_version`: per folder the highest version; across
    folders the newest file. Official: the same among submitted and signed versions only.
    """
    def newest(candidates: Iterable[tuple]) -> int | None:
        per_folder: dict[str, tuple] = {}
        for row in candidates:
            best = per_folder.get(row[1])
            if best is None or (row[2], row[3]) > (best[2], best[3]):
                per_folder[row[1]] = row
        if not per_folder:
            return None
        return max(per_folder.values(), key=lambda row: (row[3], row[2], row[1]))[0]

    latest = newest(rows)
    official = newest(row for row in rows if row[4] != Status.DRAFT.value)
    return {row[0]: (int(row[0] == latest), int(row[0] == official)) for row in rows}


_FACT_INSERTS = (
    ("f_teaching", 3, True), ("f_goals", 8, True), ("f_conference", 7, False), ("f_people", 6, True),
    ("f_promotion", 4, False), ("f_support", 4, True), ("f_agreement", 6, False), ("f_record", 2, False),
)
_SECONDARY_INDEXES = tuple(line.rstrip(";") for line in SCHEMA.splitlines() if line.startswith("CREATE INDEX"))


class Writer:
    """Applies one refresh inside the caller's write transaction, batch by batch as files are read.

    ``bulk`` (a cold build): secondary indexes are dropped first and built once at the end, which
    is much faster than keeping them up to date row by row.
    """

    def __init__(self, connection: sqlite3.Connection, *, bulk: bool) -> None:
        self.connection = connection
        self.bulk = bulk
        self.added = self.changed = 0
        self.keys: set[tuple] = set()
        #: departments whose files were added, changed or removed (their summaries go stale)
        self.departments: set[str] = set()
        #: a cold build into an empty table: no path can be known yet, so none is looked up
        self.empty = False
        self.next_id = 1

    def start(self, scan: Scan, removed: list[str]) -> None:
        """Record the folders ``scan`` listed and forget the folders and files gone (``removed``)."""
        connection = self.connection
        # Looked up under the write lock, file by file (another process may have indexed files
        # since we looked); loading every known path would cost more than a small refresh.
        self.empty = connection.execute("SELECT NOT EXISTS (SELECT 1 FROM files)").fetchone()[0] == 1
        # Ids are given here (we hold the write lock), so new files go in with one executemany.
        self.next_id = connection.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM files").fetchone()[0]
        if self.bulk:
            for statement in _SECONDARY_INDEXES:
                connection.execute(f"DROP INDEX IF EXISTS {statement.split()[2]}")
        for rel in scan.removed_dirs:
            connection.execute("DELETE FROM dirs WHERE path = ? OR path LIKE ? ESCAPE '\\'", (rel, _like_prefix(rel)))
        connection.executemany("INSERT OR REPLACE INTO dirs (path, mtime_ns, racy) VALUES (?, ?, ?)",
                               [(rel, mtime, racy) for rel, (mtime, racy) in scan.dirs.items()])
        for rel in removed:
            row = connection.execute("SELECT id, person_id, form_id, year, instance, department FROM files "
                                     "WHERE path = ?", (rel,)).fetchone()
            if row:
                self.keys.add(row[1:5])
                self.departments.add(row[5])
                self._delete(row[0])

    def _delete(self, file_id: int) -> None:
        for table, _, _ in _FACT_INSERTS:
            self.connection.execute(f"DELETE FROM {table} WHERE file_id = ?", (file_id,))
        self.connection.execute("DELETE FROM files WHERE id = ?", (file_id,))

    def add(self, batch: list[tuple]) -> None:
        """Write a batch of files as :func:`mentorforms.reports.index_read.read_one` returns them."""
        connection = self.connection
        pending: list[list[tuple]] = [[] for _ in _FACT_INSERTS]
        files: list[tuple] = []
        for path, size, mtime_ns, racy, sha, problem, header, found, version in batch:
            previous = None if self.empty else connection.execute(
                "SELECT id, sha, person_id, form_id, year, instance, department FROM files WHERE path = ?",
                (path,)).fetchone()
            if previous is not None and sha and previous[1] == sha:
                # Touched, not changed: remember the new time, keep the facts.
                connection.execute("UPDATE files SET size = ?, mtime_ns = ?, racy = ? WHERE id = ?",
                                   (size, mtime_ns, racy, previous[0]))
                continue
            if previous is not None:
                self.changed += 1
                self.keys.add(previous[2:6])
                self.departments.add(previous[6])
                self._delete(previous[0])
            else:
                self.added += 1
            folder = path.rsplit("/", 1)[0] if "/" in path else ""
            file_id = self.next_id
            self.next_id += 1
            files.append((file_id, path, folder, size, mtime_ns, racy, sha, problem, *(header or (None,) * 8), version))
            if header is not None:
                self.keys.add((header[2], header[0], header[1], header[5]))
                self.departments.add(header[3])
            if found is None:
                continue
            for rows, value, (_, _, many) in zip(pending, found, _FACT_INSERTS):
                if value is None:
                    continue
                if many:
                    rows.extend((file_id, *row) for row in value)
                else:
                    rows.append((file_id, *value))
        connection.executemany(
            "INSERT INTO files (id, path, folder, size, mtime_ns, racy, sha, problem, form_id, year, person_id, "
            "department, status, instance, saved_at, saved_by, version) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", files)
        for rows, (table, width, _) in zip(pending, _FACT_INSERTS):
            if rows:
                connection.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * width)})", rows)

    def finish(self) -> None:
        """Mark the latest and official versions of every key touched, and the stale summaries."""
        connection = self.connection
        if self.bulk:
            for statement in _SECONDARY_INDEXES:
                connection.execute(statement.replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS", 1))
        if len(self.keys) > 2000:
            self._mark_all()
        else:
            for key in self.keys:
                self._mark_key(key)
        self._bump_generations()
        connection.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('refreshed_at', ?)", (str(time.time()),))

    def _bump_generations(self) -> None:
        """Mark the department summaries this refresh made stale (see :mod:`~mentorforms.reports.
        department_cache`): a person's summaries live under their roster department, or the
        workbook's when they are not on the roster. A cold build, or a change the roster cannot
        place, moves the epoch that every summary is keyed by."""
        connection = self.connection
        connection.execute(GENERATION_TABLE)
        persons = sorted({key[0] for key in self.keys if key[0]})
        if not self.keys and not self.departments:
            return
        placed = connection.execute("SELECT count(*) FROM roster_cache").fetchone()[0] > 0
        if self.bulk or not placed or len(persons) > 2000:
            connection.execute("INSERT INTO meta (key, value) VALUES ('summary_epoch', '1') ON CONFLICT(key) "
                               "DO UPDATE SET value = CAST(value AS INTEGER) + 1")
            return
        departments = {department for department in self.departments if department}
        for start in range(0, len(persons), 500):
            chunk = persons[start:start + 500]
            departments.update(row[0] for row in connection.execute(
                f"SELECT DISTINCT department FROM roster_cache WHERE person_id IN ({', '.join('?' * len(chunk))})",
                chunk))
        connection.executemany(
            "INSERT INTO dept_generation (department, generation) VALUES (?, 1) ON CONFLICT(department) "
            "DO UPDATE SET generation = generation + 1", [(department,) for department in sorted(departments)])

    def _mark_key(self, key: tuple) -> None:
        person_id, form_id, year, instance = key
        rows = self.connection.execute(
            "SELECT id, folder, version, mtime_ns, status FROM files "
            "WHERE person_id = ? AND form_id = ? AND year = ? AND instance = ? AND problem IS NULL",
            (person_id, form_id, year, instance)).fetchall()
        self.connection.executemany(
            "UPDATE files SET is_latest = ?, is_official = ? WHERE id = ?",
            [(latest, official, file_id) for file_id, (latest, official) in _flags(rows).items()])

    def _mark_all(self) -> None:
        groups: dict[tuple, list[tuple]] = {}
        for row in self.connection.execute(
                "SELECT id, folder, version, mtime_ns, status, person_id, form_id, year, instance FROM files "
                "WHERE problem IS NULL"):
            groups.setdefault(row[5:], []).append(row[:5])
        updates: list[tuple[int, int, int]] = []
        for rows in groups.values():
            updates.extend((latest, official, file_id) for file_id, (latest, official) in _flags(rows).items()
                           if latest or official)
        self.connection.execute(
            "UPDATE files SET is_latest = 0, is_official = 0 WHERE is_latest = 1 OR is_official = 1")
        self.connection.executemany("UPDATE files SET is_latest = ?, is_official = ? WHERE id = ?", updates)
