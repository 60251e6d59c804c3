"""A derived SQLite index of the data folder, so reports open fast.

The workbooks are the record; the index (``DATA/.mentorforms-index.sqlite``) only remembers, per
file, its size, modification time and content hash, the record's header (form, year, person,
status) and the report facts of :mod:`mentorforms.reports.facts`. It can be deleted at any time:
the next refresh rebuilds it, and a rebuild gives the same tables.

A refresh is incremental. Every known folder is checked with one ``stat``; a folder whose
modification time changed is listed again (that is how new versions, new people and removed
files are found). A thorough refresh (the default) also checks every known file with one
``stat``; a quick one (``thorough=False``) checks only the files of folders that changed, which
is enough for every save the app makes (a new version is a new file) and for files copied in or
removed, but not for a workbook overwritten in place under its old name: at 12,000 faculty the
file checks are most of a refresh, so a page can open on a quick refresh and follow it with a
thorough one. A file whose size or time changed is read and hashed, and parsed again only if
its content really changed. Times within two seconds of the check are "racy" (a file system may
not tick between two writes) and are checked again next time, as git does.

Which version counts follows :meth:`mentorforms.store.DataFolder.latest_version`: per folder the
highest version number; across folders (a change of department) the file written last. For each
(person, form, year, instance) the index marks the latest version (``is_latest``, drafts
included) and the latest submitted or signed version (``is_official``): drafts never reach the
official tables.
"""

from __future__ import annotations

import logging
import multiprocessing
import hashlib
import os
import re
import sqlite3
import time
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from mentorforms.errors import MentorformsError, WorkbookError
from mentorforms.forms import get_form
from mentorforms.record import Record, Status
from mentorforms.reports import facts as facts_module
from mentorforms.reports.load import Unreadable, content_hash, is_workbook_name, record_from_bytes
from mentorforms.roster import Person, Roster, load_roster
from mentorforms.store import RECORDS, ROSTER, instance_key
from mentorforms.workbook import read_bounded

log = logging.getLogger(__name__)

INDEX_NAME = ".mentorforms-index.sqlite"
SCHEMA_VERSION = 4
#: A stored time this close to the moment it was checked may hide a later change in the same tick.
RACY_NS = 2_000_000_000
#: Below this many files to read, reading happens in this process (starting workers costs ~1 s).
PARALLEL_THRESHOLD = 400
_BATCH = 250
_VERSION_NAME = re.compile(r"^v(\d+)\.xlsx$")

Progress = Callable[[int, int], None]

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE roster_cache (position INTEGER PRIMARY KEY, person_id TEXT, name TEXT, department TEXT, email TEXT,
                           division TEXT, rank TEXT, roles TEXT, mentors TEXT);
CREATE TABLE dirs (path TEXT PRIMARY KEY, mtime_ns INTEGER NOT NULL, racy INTEGER NOT NULL);
CREATE TABLE files (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    folder TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    racy INTEGER NOT NULL,
    sha TEXT NOT NULL,
    problem TEXT,
    form_id TEXT, year INTEGER, person_id TEXT, department TEXT, status TEXT, instance TEXT,
    version INTEGER, saved_at TEXT, saved_by TEXT,
    is_latest INTEGER NOT NULL DEFAULT 0,
    is_official INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX files_key ON files (person_id, form_id, year);
CREATE INDEX files_official ON files (is_official, year, form_id);
CREATE INDEX files_latest ON files (is_latest, year);
CREATE INDEX files_problem ON files (path) WHERE problem IS NOT NULL;
CREATE INDEX files_racy ON files (path) WHERE racy = 1;
CREATE INDEX files_folder ON files (folder);
CREATE TABLE f_teaching (file_id INTEGER NOT NULL, field_id TEXT, hours REAL);
CREATE TABLE f_goals (file_id INTEGER NOT NULL, source TEXT, area_id TEXT, row INTEGER, goal TEXT, due TEXT,
                      status TEXT, status_date TEXT);
CREATE TABLE f_conference (file_id INTEGER NOT NULL, signed_on TEXT, conference_date TEXT, faculty_signed_on TEXT,
                           chair_signed_on TEXT, lcme_answered INTEGER, lcme_total INTEGER);
CREATE TABLE f_people (file_id INTEGER NOT NULL, relation TEXT, name TEXT, other_id TEXT, role TEXT, source TEXT);
CREATE TABLE f_promotion (file_id INTEGER NOT NULL, outlook TEXT, no_promotion_reason TEXT, advancement_requires TEXT);
CREATE TABLE f_support (file_id INTEGER NOT NULL, field_id TEXT, needed INTEGER, note TEXT);
CREATE TABLE f_agreement (file_id INTEGER NOT NULL, mentor_id TEXT, mentor_name TEXT, start_date TEXT,
                          revisit_date TEXT, signed INTEGER);
CREATE INDEX f_teaching_file ON f_teaching (file_id);
CREATE INDEX f_goals_file ON f_goals (file_id);
CREATE INDEX f_conference_file ON f_conference (file_id);
CREATE INDEX f_people_file ON f_people (file_id);
CREATE INDEX f_promotion_file ON f_promotion (file_id);
CREATE INDEX f_support_file ON f_support (file_id);
CREATE INDEX f_agreement_file ON f_agreement (file_id);
"""
#: Per department, a counter moved by every refresh that changed one of its workbooks.
GENERATION_TABLE = ("CREATE TABLE IF NOT EXISTS dept_generation (department TEXT PRIMARY KEY, "
                    "generation INTEGER NOT NULL)")
FACT_TABLES = ("f_teaching", "f_goals", "f_conference", "f_people", "f_promotion", "f_support", "f_agreement")


class IndexUnavailable(MentorformsError):
    """The index cannot be opened or written (a read-only data folder, say); the message says why."""


@dataclass(frozen=True)
class RefreshSummary:
    """What a refresh found: counts of files by what happened to them, and the time it took."""

    files: int
    read: int
    added: int
    changed: int
    removed: int
    unchanged: int
    unreadable: int
    seconds: float
    cold: bool

    def __str__(self) -> str:
        return (f"{self.files} workbooks ({self.added} new, {self.changed} changed, {self.removed} removed, "
                f"{self.unreadable} unreadable) in {self.seconds:.2f} s")


@dataclass
class _Scan:
    dirs: dict[str, tuple[int, int]] = field(default_factory=dict)  # rel -> (mtime_ns, racy)
    removed_dirs: list[str] = field(default_factory=list)
    found_files: set[str] = field(default_factory=set)


#: A local folder for the index instead of the data folder (per-user servers whose data folder is
#: on a network volume, where SQLite locks badly): ``MENTORFORMS_INDEX_DIR=/var/cache/mentorforms``.
ENV_INDEX_DIR = "MENTORFORMS_INDEX_DIR"


def index_path(root: Path | str) -> Path:
    """Where the index of the data folder ``root`` lives: inside it, or under
    ``$MENTORFORMS_INDEX_DIR`` (created if missing) in a file named for the folder's resolved path."""
    elsewhere = os.environ.get(ENV_INDEX_DIR)
    if not elsewhere:
        return Path(root) / INDEX_NAME
    Path(elsewhere).mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(str(Path(root).resolve()).encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return Path(elsewhere) / f"{INDEX_NAME.lstrip('.')}-{digest}"


def _version_of(name: str) -> int:
    match = _VERSION_NAME.match(name)
    return int(match.group(1)) if match else 0


def _racy(mtime_ns: int, now_ns: int) -> int:
    return 1 if now_ns - mtime_ns < RACY_NS else 0


def _header(record: Record) -> tuple:
    form = get_form(record.form_id, record.academic_year)
    return (record.form_id, record.academic_year.start, record.person_id, record.department, record.status.value,
            instance_key(form, record) or "", record.saved_at.isoformat(), record.saved_by)


def read_one(root: str, rel: str, size: int, mtime_ns: int, racy: int) -> tuple:
    """Read, hash, parse and extract one file (relative to the records folder ``root``).

    Returns ``(path, size, mtime_ns, racy, sha, problem, header, facts, version)``: plain tuples,
    cheap to send back from a worker process.
    """
    version = _version_of(os.path.basename(rel))
    try:
        # Never more than the reading boundary's size limit (a larger file is named, not read).
        content = read_bounded(os.path.join(root, rel), Path(RECORDS) / rel)
    except WorkbookError as error:
        again = 1 if isinstance(error.__cause__, OSError) else racy  # a file that vanished: look again
        return rel, size, mtime_ns, again, "", error.reason, None, None, version
    sha = content_hash(content)
    try:
        record = record_from_bytes(content, Path(RECORDS) / rel)
    except WorkbookError as error:
        return rel, size, mtime_ns, racy, sha, error.reason, None, None, version
    found = facts_module.extract(record)
    return (rel, size, mtime_ns, racy, sha, None, _header(record),
            (found.teaching, found.goals, found.conference, found.people, found.promotion, found.support,
             found.agreement), version)


def _read_batch(root: str, items: list[tuple[str, int, int, int]]) -> list[tuple]:
    return [read_one(root, *item) for item in items]


def _flags(rows: Sequence[tuple]) -> dict[int, tuple[int, int]]:
    """(is_latest, is_official) per file id for the files of one key: (id, folder, version, mtime, status).

    As :meth:`mentorforms.store.DataFolder.latest_version`: per folder the highest version; across
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
    ("f_promotion", 4, False), ("f_support", 4, True), ("f_agreement", 6, False),
)
_SECONDARY_INDEXES = tuple(line.rstrip(";") for line in _SCHEMA.splitlines() if line.startswith("CREATE INDEX"))


class _Writer:
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
        self.known: set[str] = set()
        self.next_id = 1

    def start(self, scan: _Scan, removed: list[str]) -> None:
        connection = self.connection
        # Re-read under the write lock: another process may have indexed files since we looked.
        self.known = {row[0] for row in connection.execute("SELECT path FROM files")}
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
        connection = self.connection
        pending: list[list[tuple]] = [[] for _ in _FACT_INSERTS]
        files: list[tuple] = []
        for path, size, mtime_ns, racy, sha, problem, header, found, version in batch:
            if path in self.known:
                previous = connection.execute(
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
            else:
                self.added += 1
                self.known.add(path)
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
        self.connection.executemany("UPDATE files SET is_latest = ?, is_official = ? WHERE id = ?",
                                    [(latest, official, file_id) for file_id, (latest, official) in _flags(rows).items()])

    def _mark_all(self) -> None:
        groups: dict[tuple, list[tuple]] = {}
        for row in self.connection.execute(
                "SELECT id, folder, version, mtime_ns, status, person_id, form_id, year, instance FROM files "
                "WHERE problem IS NULL"):
            groups.setdefault(row[5:], []).append(row[:5])
        updates = []
        for rows in groups.values():
            updates.extend((latest, official, file_id) for file_id, (latest, official) in _flags(rows).items()
                           if latest or official)
        self.connection.execute("UPDATE files SET is_latest = 0, is_official = 0 WHERE is_latest = 1 OR is_official = 1")
        self.connection.executemany("UPDATE files SET is_latest = ?, is_official = ? WHERE id = ?", updates)


class _Reader:
    """Reads files, handed in as they are found, in batches: in this process while there are few,
    in ``jobs`` worker processes once there are enough to repay starting them (about a second).
    A cold build hands files in while it is still listing folders, so the workers start and read
    meanwhile."""

    def __init__(self, root: str, jobs: int) -> None:
        self.root = root
        self.jobs = jobs
        self.count = 0
        self._pool: ProcessPoolExecutor | None = None
        self._partial: list[tuple[str, int, int, int]] = []
        self._batches: list[list[tuple[str, int, int, int]]] = []  # not sent to a worker
        self._futures: list[Future] = []

    def add(self, items: Iterable[tuple[str, int, int, int]]) -> None:
        for item in items:
            self._partial.append(item)
            self.count += 1
            if len(self._partial) >= _BATCH:
                self._batches.append(self._partial)
                self._partial = []
        if self._pool is None and self.jobs > 1 and self.count >= PARALLEL_THRESHOLD:
            # "spawn": forking a Jupyter kernel (threads, sockets) is not safe.
            self._pool = ProcessPoolExecutor(max_workers=self.jobs, mp_context=multiprocessing.get_context("spawn"))
        self._send()

    def _send(self) -> None:
        if self._pool is not None:
            self._futures.extend(self._pool.submit(_read_batch, self.root, batch) for batch in self._batches)
            self._batches = []

    def results(self, progress: Progress | None) -> Iterator[list[tuple]]:
        """Every file read, parsed and extracted, batch by batch in the order handed in."""
        if self._partial:
            self._batches.append(self._partial)
            self._partial = []
        self._send()
        total, done = self.count, 0
        if progress:
            progress(0, total)
        for work in [*self._futures, *self._batches]:
            results = work.result() if isinstance(work, Future) else _read_batch(self.root, work)
            done += len(results)
            if progress:
                progress(done, total)
            yield results

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


class Index:
    """The index of one data folder. Open it, :meth:`refresh` it, then query it.

    ``jobs`` is how many processes read files on a large refresh (default: up to 4, one per CPU).
    """

    def __init__(self, root: Path | str, *, path: Path | str | None = None, jobs: int | None = None) -> None:
        self.root = Path(root)
        self.records_root = self.root / RECORDS
        self.path = Path(path) if path is not None else index_path(self.root)
        self.jobs = jobs if jobs is not None else max(1, min(4, os.cpu_count() or 1))
        self._connection: sqlite3.Connection | None = None
        #: What callers have loaded into this connection's TEMP tables (cleared with the connection).
        self.scratch: dict[str, object] = {}

    # ----------------------------------------------------------------- connection

    def connection(self) -> sqlite3.Connection:
        """The open SQLite connection (the schema is created, or rebuilt if it is from another version)."""
        if self._connection is None:
            self._connection = self._open()
        return self._connection

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        self.scratch.clear()

    def __enter__(self) -> "Index":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    @property
    def _wanted_version(self) -> int:
        return SCHEMA_VERSION * 1000 + facts_module.EXTRACTOR_VERSION

    def _open(self) -> sqlite3.Connection:
        try:
            connection = self._connect()
            version = connection.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as error:
            # The index is derived data: a damaged one is deleted and rebuilt from the workbooks.
            log.warning("index %s is damaged (%s); rebuilding it", self.path, error)
            self._delete_files()
            connection = self._connect()
            version = 0
        if version != self._wanted_version:
            if version != 0:
                log.info("index %s was built by another version; rebuilding it", self.path)
                connection.close()
                self._delete_files()
                connection = self._connect()
            try:
                self._create_schema(connection)
            except sqlite3.OperationalError as error:
                connection.close()
                raise IndexUnavailable(f"cannot write the report index {self.path}: {error}") from error
        return connection

    def _create_schema(self, connection: sqlite3.Connection) -> None:
        """Create the tables in one write transaction, unless another process did first.

        The schema version is read again under the write lock: a process that waited for another
        one creating the schema finds it complete, never half made ("no such table"). Statements
        run one by one, since executescript would commit before running the script.
        """
        connection.execute("BEGIN IMMEDIATE")
        try:
            if connection.execute("PRAGMA user_version").fetchone()[0] != self._wanted_version:
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        connection.execute(statement)
                connection.execute(f"PRAGMA user_version = {self._wanted_version}")
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise

    def _connect(self) -> sqlite3.Connection:
        try:
            connection = sqlite3.connect(self.path, timeout=60, isolation_level=None, check_same_thread=False)
            connection.execute("PRAGMA synchronous = NORMAL")
            # Reads are most of the work: map the file and keep a generous page cache.
            connection.execute("PRAGMA mmap_size = 268435456")
            connection.execute("PRAGMA cache_size = -65536")
            connection.execute("PRAGMA temp_store = MEMORY")
        except sqlite3.OperationalError as error:
            raise IndexUnavailable(f"cannot open the report index {self.path}: {error}") from error
        return connection

    def _delete_files(self) -> None:
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)

    def delete(self) -> None:
        """Remove the index file; the next refresh rebuilds it from the workbooks."""
        self.close()
        self._delete_files()

    # ----------------------------------------------------------------- refresh

    def refresh(self, progress: Progress | None = None, *, thorough: bool = True) -> RefreshSummary:
        """Bring the index up to date with the data folder and say what changed.

        ``progress(done, total)`` is called while files are read (a cold build reads them all).
        Unreadable files are kept in the index with their reason; they never stop a refresh.
        ``thorough=False`` skips the files of unchanged folders (see the module notes).
        """
        started = time.perf_counter()
        connection = self.connection()
        known_dirs = {path: (mtime, racy) for path, mtime, racy in connection.execute(
            "SELECT path, mtime_ns, racy FROM dirs")}
        known_files: set[str] = set()
        cold = not known_dirs
        to_read: list[tuple[str, int, int, int]] = []
        removed: list[str] = []
        unchanged = 0
        reader = _Reader(str(self.records_root), self.jobs)
        try:
            # Paths are looked up from the records folder (short relative paths: cheaper lookups).
            root_fd = os.open(self.records_root, os.O_RDONLY)
        except FileNotFoundError:
            root_fd = None
        try:
            # A cold build reads every file it finds, so reading starts while folders are listed.
            scan = self._scan(known_dirs, root_fd, reader.add if cold else None)
            now = time.time_ns()
            stat = os.stat
            # Streamed from the index, checked one by one: nothing is built that is not needed.
            for rel, size, mtime, racy in self._files_to_check(scan, thorough):
                known_files.add(rel)
                try:
                    found = stat(rel, dir_fd=root_fd) if root_fd is not None else None
                except (FileNotFoundError, NotADirectoryError):
                    found = None
                if found is None:
                    removed.append(rel)
                elif racy or found.st_size != size or found.st_mtime_ns != mtime:
                    to_read.append((rel, found.st_size, found.st_mtime_ns, _racy(found.st_mtime_ns, now)))
                else:
                    unchanged += 1
            for rel in scan.found_files:
                if rel in known_files:
                    continue
                try:
                    found = stat(rel, dir_fd=root_fd)
                except FileNotFoundError:
                    continue
                to_read.append((rel, found.st_size, found.st_mtime_ns, _racy(found.st_mtime_ns, now)))
            reader.add(to_read)
        except BaseException:
            reader.close()
            raise
        finally:
            if root_fd is not None:
                os.close(root_fd)

        known = connection.execute("SELECT count(*) FROM files").fetchone()[0]
        unchanged += known - len(known_files)  # a quick refresh takes the files it did not check as unchanged
        added = changed = read = 0
        try:
            if reader.count or removed or scan.dirs or scan.removed_dirs:
                writer = _Writer(connection, bulk=cold)
                connection.execute("BEGIN IMMEDIATE")
                try:
                    writer.start(scan, removed)
                    for batch in reader.results(progress):
                        writer.add(batch)
                        read += len(batch)
                    writer.finish()
                    connection.execute("COMMIT")
                except BaseException:
                    connection.execute("ROLLBACK")
                    raise
                added, changed = writer.added, writer.changed
        finally:
            reader.close()
        return RefreshSummary(
            files=known + added - len(removed),
            read=read, added=added, changed=changed, removed=len(removed), unchanged=unchanged,
            unreadable=connection.execute("SELECT count(*) FROM files WHERE problem IS NOT NULL").fetchone()[0],
            seconds=time.perf_counter() - started, cold=cold,
        )

    def _files_to_check(self, scan: _Scan, thorough: bool) -> Iterable[tuple[str, int, int, int]]:
        """(path, size, mtime_ns, racy) of the known files to check: all of them, or (quick) those
        in folders listed again or gone, and racy ones."""
        connection = self.connection()
        if thorough:
            return connection.execute("SELECT path, size, mtime_ns, racy FROM files")
        found: dict[str, tuple[str, int, int, int]] = {}
        # A removed folder's subfolders are each reported removed too, so its own files are enough.
        for folder in (*scan.dirs, *scan.removed_dirs):
            for row in connection.execute("SELECT path, size, mtime_ns, racy FROM files WHERE folder = ?", (folder,)):
                found[row[0]] = row
        for row in connection.execute("SELECT path, size, mtime_ns, racy FROM files WHERE racy = 1"):
            found[row[0]] = row
        return list(found.values())

    def rebuild(self, progress: Progress | None = None) -> RefreshSummary:
        """Delete the index and build it again from every workbook."""
        self.delete()
        return self.refresh(progress)

    def _scan(self, known_dirs: dict[str, tuple[int, int]], root_fd: int | None,
              hand_in: Callable[[list[tuple[str, int, int, int]]], None] | None = None) -> _Scan:
        """Folders to list again (new, changed or racy), the files found in them, and folders gone.

        With ``hand_in`` (a cold build) the files found are not kept: each folder's are passed to
        it at once as (path, size, mtime_ns, racy).
        """
        scan = _Scan()
        root = str(self.records_root)
        pending: list[str] = []
        if root_fd is None:
            scan.removed_dirs.extend(known_dirs)
            return scan
        if not known_dirs:
            pending.append("")
        for rel, (mtime, racy) in known_dirs.items():
            try:
                found = os.stat(rel or ".", dir_fd=root_fd)
            except (FileNotFoundError, NotADirectoryError):
                scan.removed_dirs.append(rel)
                continue
            if racy or found.st_mtime_ns != mtime:
                pending.append(rel)
        while pending:
            rel = pending.pop()
            full = os.path.join(root, rel) if rel else root
            try:
                listed = os.stat(full)  # before listing: a change after this shows as a newer time
                entries = list(os.scandir(full))
            except (FileNotFoundError, NotADirectoryError):
                if rel in known_dirs:
                    scan.removed_dirs.append(rel)
                continue
            now = time.time_ns()
            scan.dirs[rel] = (listed.st_mtime_ns, _racy(listed.st_mtime_ns, now))
            files = []
            for entry in entries:
                child = f"{rel}/{entry.name}" if rel else entry.name
                if entry.is_dir(follow_symlinks=False):
                    if child not in known_dirs and child not in scan.dirs:
                        pending.append(child)
                elif is_workbook_name(entry.name) and entry.is_file():
                    if hand_in is None:
                        scan.found_files.add(child)
                        continue
                    try:
                        found = entry.stat()
                    except FileNotFoundError:
                        continue
                    files.append((child, found.st_size, found.st_mtime_ns, _racy(found.st_mtime_ns, now)))
            if files:
                hand_in(files)
        return scan

    # ----------------------------------------------------------------- the roster

    def roster(self, path: Path | str | None = None) -> Roster:
        """The data folder's roster, validated once per content: the index keeps the validated rows
        with the file's hash, so an unchanged roster of thousands is not validated again.

        RosterInvalid (from :func:`mentorforms.roster.load_roster`) when it cannot be used.
        """
        path = Path(path) if path is not None else self.root / ROSTER
        try:
            digest = content_hash(read_bounded(path))
        except WorkbookError:
            return load_roster(path)  # raises RosterInvalid naming the file (missing, too big, unreadable)
        connection = self.connection()
        row = connection.execute("SELECT value FROM meta WHERE key = 'roster_sha'").fetchone()
        if row is not None and row[0] == digest:
            people = {}
            for person_id, name, department, email, division, rank, roles, mentors in connection.execute(
                    "SELECT person_id, name, department, email, division, rank, roles, mentors FROM roster_cache "
                    "ORDER BY position"):
                people[person_id] = Person(person_id, name, department, email, division, rank,
                                           frozenset(roles.split(";")) if roles else frozenset(),
                                           tuple(mentors.split(";")) if mentors else ())
            return Roster(people)
        roster = load_roster(path)
        connection.execute("BEGIN IMMEDIATE")
        try:
            connection.execute("DELETE FROM roster_cache")
            connection.executemany("INSERT INTO roster_cache VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", [
                (position, person.person_id, person.name, person.department, person.email, person.division,
                 person.rank, ";".join(sorted(person.roles)), ";".join(person.mentors))
                for position, person in enumerate(roster)])
            connection.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('roster_sha', ?)", (digest,))
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        return roster

    # ----------------------------------------------------------------- queries

    def query(self, sql: str, parameters: Sequence = ()) -> list[tuple]:
        """Rows of a read-only query on the index."""
        return self.connection().execute(sql, parameters).fetchall()

    def problems(self) -> list[Unreadable]:
        """Every workbook that could not be read, with its reason, by path."""
        return [Unreadable(self.records_root / path, reason) for path, reason in self.query(
            "SELECT path, problem FROM files WHERE problem IS NOT NULL ORDER BY path")]

    def generation(self, department: str) -> tuple[int, int]:
        """(epoch, generation) of ``department``'s workbooks: both move when a refresh changes
        them (the epoch for every department at once). Summaries built from the index are keyed by it."""
        connection = self.connection()
        connection.execute(GENERATION_TABLE)
        epoch = connection.execute("SELECT value FROM meta WHERE key = 'summary_epoch'").fetchone()
        row = connection.execute("SELECT generation FROM dept_generation WHERE department = ?",
                                 (department,)).fetchone()
        return (int(epoch[0]) if epoch else 0, row[0] if row else 0)

    def roster_sha(self) -> str | None:
        """The hash of the roster the index last validated (:meth:`roster`), if any."""
        row = self.connection().execute("SELECT value FROM meta WHERE key = 'roster_sha'").fetchone()
        return row[0] if row else None

    def years(self) -> list[int]:
        """The academic years (start years) that have at least one readable workbook."""
        # Only readable files have a latest version per key, so this reads the small index files_latest.
        return [row[0] for row in self.query("SELECT DISTINCT year FROM files WHERE is_latest = 1 ORDER BY year")]


def _like_prefix(rel: str) -> str:
    escaped = rel.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"{escaped}/%"
