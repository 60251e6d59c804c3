"""A derived SQLite index of the data folder, so reports open fast.

The workbooks are the record; the index (``DATA/.mentorforms-index.sqlite``) only remembers, per
file, its size, modification time and content hash, the record's header (form, year, person,
status) and the report facts of :mod:`mentorforms.reports.facts`. It can be deleted at any time:
the next refresh rebuilds it, and a rebuild gives the same tables.

A refresh is incremental. A thorough refresh (the default) checks every known folder with one
``stat`` (a folder whose modification time changed is listed again: that is how new versions,
new people and removed files are found) and every known file with one ``stat``. A quick one
(``thorough=False``) lists only the folders that saves went into since the index last looked,
as the audit trail records them (:mod:`mentorforms.reports.index_scan`), and checks only their
files: that is every save the app makes (a new version is a new file, and each is audited), but
not a file copied in, removed or overwritten by hand, which the thorough refresh finds. At
12,000 faculty the folder and file checks are most of a refresh, so a page opens on a quick
refresh and follows it with a thorough one. A file whose size or time changed is read and
hashed, and parsed again only if its content really changed. Times within two seconds of the
check are "racy" (a file system may not tick between two writes) and are checked again next
time, as git does.

A workbook counts only at a name the app writes and only if its record matches that place
(:func:`mentorforms.records.store.misplaced`); any other is kept as a problem with the reason. Which
version counts follows :meth:`mentorforms.records.store.DataFolder.latest_version`: per folder the
highest version number; across folders (a change of department) the file written last. For each
(person, form, year, instance) the index marks the latest version (``is_latest``, drafts
included) and the latest submitted or signed version (``is_official``): drafts never reach the
official tables.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from mentorforms.errors import MentorformsError
from mentorforms.records import audit_tail
from mentorforms.records.roster import Roster
from mentorforms.records.store import RECORDS, ROSTER
from mentorforms.reports import facts as facts_module
from mentorforms.reports import index_scan
from mentorforms.reports.index_read import Progress, Reader
from mentorforms.reports.index_roster import cached_roster
from mentorforms.reports.index_schema import GENERATION_TABLE, SCHEMA
from mentorforms.reports.index_write import Writer
from mentorforms.reports.load import Unreadable

log = logging.getLogger(__name__)

INDEX_NAME = ".mentorforms-index.sqlite"
SCHEMA_VERSION = 8  # 8: a workbook counts only in its place (store.misplaced)

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

    def __enter__(self) -> Index:
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
                for statement in SCHEMA.split(";"):
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
        ``thorough=False`` looks only where the audit trail says saves went (see the module notes).
        """
        started = time.perf_counter()
        connection = self.connection()
        cold = connection.execute("SELECT NOT EXISTS (SELECT 1 FROM dirs)").fetchone()[0] == 1
        stored = index_scan.stored_position(connection)
        # Taken before looking: what is saved meanwhile is read from the audit trail next time.
        folders, mark = (None, audit_tail.position(self.root)) if cold or thorough else \
            index_scan.saved_folders(self.root, stored)
        check, listed, is_known = index_scan.candidates(connection, folders)
        known_files: set[str] = set()
        to_read: list[tuple[str, int, int, int]] = []
        removed: list[str] = []
        unchanged = 0
        reader = Reader(str(self.records_root), self.jobs)
        try:
            # Paths are looked up from the records folder (short relative paths: cheaper lookups).
            root_fd = os.open(self.records_root, os.O_RDONLY)
        except FileNotFoundError:
            root_fd = None
        try:
            # A cold build reads every file it finds, so reading starts while folders are listed.
            scan = index_scan.scan(str(self.records_root), root_fd, check, listed, is_known,
                                   reader.add if cold else None)
            now = time.time_ns()
            stat = os.stat
            # Streamed from the index, checked one by one: nothing is built that is not needed.
            for rel, size, mtime, racy in index_scan.files_to_check(connection, scan, thorough):
                known_files.add(rel)
                try:
                    found = stat(rel, dir_fd=root_fd) if root_fd is not None else None
                except (FileNotFoundError, NotADirectoryError):
                    found = None
                if found is None:
                    removed.append(rel)
                elif racy or found.st_size != size or found.st_mtime_ns != mtime:
                    to_read.append((rel, found.st_size, found.st_mtime_ns,
                                    index_scan.racy_flag(found.st_mtime_ns, now)))
                else:
                    unchanged += 1
            for rel in scan.found_files:
                if rel in known_files:
                    continue
                try:
                    found = stat(rel, dir_fd=root_fd)
                except FileNotFoundError:
                    continue
                to_read.append((rel, found.st_size, found.st_mtime_ns, index_scan.racy_flag(found.st_mtime_ns, now)))
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
                writer = Writer(connection, bulk=cold)
                connection.execute("BEGIN IMMEDIATE")
                try:
                    writer.start(scan, removed)
                    for batch in reader.results(progress):
                        writer.add(batch)
                        read += len(batch)
                    writer.finish()
                    index_scan.remember_position(connection, mark)
                    connection.execute("COMMIT")
                except BaseException:
                    connection.execute("ROLLBACK")
                    raise
                added, changed = writer.added, writer.changed
            elif mark is not None and mark != stored:
                connection.execute("BEGIN IMMEDIATE")
                index_scan.remember_position(connection, mark)
                connection.execute("COMMIT")
        finally:
            reader.close()
        return RefreshSummary(
            files=known + added - len(removed),
            read=read, added=added, changed=changed, removed=len(removed), unchanged=unchanged,
            unreadable=connection.execute("SELECT count(*) FROM files WHERE problem IS NOT NULL").fetchone()[0],
            seconds=time.perf_counter() - started, cold=cold,
        )

    def rebuild(self, progress: Progress | None = None) -> RefreshSummary:
        """Delete the index and build it again from every workbook."""
        self.delete()
        return self.refresh(progress)

    # ----------------------------------------------------------------- the roster

    def roster(self, path: Path | str | None = None) -> Roster:
        """The data folder's roster, validated once per content (see
        :func:`mentorforms.reports.index_roster.cached_roster`). RosterInvalid when it cannot be used."""
        return cached_roster(self.connection, self.scratch, Path(path) if path is not None else self.root / ROSTER)

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
