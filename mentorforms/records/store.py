"""The data folder: every submission as a versioned workbook, never overwritten.

Layout (every part below ``records`` is a :func:`safe_segment` of what it names)::

    DATA_DIR/
      roster.xlsx                      the office's roster (see mentorforms.records.roster)
      records/
        2025-2026/                     academic year
          pediatrics-1a2b3c/           department
            p0001-4d5e6f/              person (roster id)
              conference_part1/        form id (and, for forms kept per instance, its key)
                v0001.xlsx             one file per save, numbered from 1
                v0002.xlsx

A save writes the workbook to a temporary file in the same folder, flushes it to disk, then
claims its version number with ``os.link``, which (unlike ``os.replace``) refuses to replace an
existing file: a process killed mid-save leaves only a stray temporary file, never a damaged
version. A save from a page names the version it was built on and claims exactly the number
after it, so checking that nobody filed a newer version and claiming the number are one step:
of two saves built on the same version one files, the other gets :class:`VersionTaken` (the page
shows the conflict). Saves that build on nothing in particular (import, the demo) take the next
free number. Save temporaries older than an hour are removed by the next save into that folder
(and by ``mentorforms check``).

The claim and its audit entry are made under the audit trail's lock. If the entry cannot be
written (a full disk) or the process dies between the two, the temporary file stays as a second
name of the version: the next save into that folder, or ``mentorforms check``, finds it, records
the version in the audit trail (a ``recovered`` entry by the account that found it) unless an
entry already records it, and removes the temporary.

A workbook counts only in its place: ``records/YEAR/DEPARTMENT/PERSON/FORM[--INSTANCE]/vNNNN.xlsx``
as :meth:`DataFolder.folder_for` names it, holding a record whose form, year, person, department,
instance and (since saves write it inside) version match that place (:func:`misplaced`). Every
reader of versions here goes through :meth:`DataFolder.read`, which refuses any other with
:class:`MisplacedWorkbook`, so no page shows, and no save builds on, another person's answers.

A data folder is recognised by its marker file (:data:`MARKER`), written by ``mentorforms init``,
``mentorforms demo`` and the first roster written into the folder. A save into a folder without
it is refused, and so is a save after the data folder itself vanished (a network share that
dropped leaves an empty mount point, or nothing): the save never recreates it. A folder made
before markers existed is refused too until someone runs ``mentorforms init`` on it (``check``
says so): guessing from its contents would accept the wrong folder as readily as the right one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import re
import time
import unicodedata
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from mentorforms import messages
from mentorforms.errors import AuditError, AuditNotRecorded, MentorformsError, WorkbookError
from mentorforms.forms import get_form
from mentorforms.records import audit
from mentorforms.records.audit import Entry
from mentorforms.vocabulary.academic_year import AcademicYear
from mentorforms.vocabulary.declaration import Form
from mentorforms.vocabulary.record import Record
from mentorforms.workbooks.workbook import read_record, workbook_bytes

RECORDS = "records"
ROSTER = "roster.xlsx"
_VERSION_FILE = re.compile(r"^v(\d{4,})\.xlsx$")
_TEMP_PREFIX = ".saving-"
#: The file that says "this folder is a mentorforms data folder".
MARKER = ".mentorforms-data"
#: A save's temporary file older than this belongs to a save that was killed.
STALE_TEMPORARY_SECONDS = 3600
log = logging.getLogger(__name__)


def safe_segment(text: str) -> str:
    """A folder name for user-typed ``text``: lower-case ASCII letters, digits and hyphens, then a
    short hash of the exact text, so different texts never share a folder and no text can name a
    path outside its parent (``..``, ``/``, drive letters and control characters all vanish)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    readable = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:40].strip("-") or "x"
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:6]
    return f"{readable}-{digest}"


@dataclass(frozen=True)
class StoredVersion:
    """One saved version: its file, its number and the SHA-256 of its bytes (as the audit trail
    records them; empty for versions listed from the folder rather than saved)."""

    path: Path
    version: int
    sha256: str = ""


class SaveError(MentorformsError):
    """A save that could not be completed; nothing was filed and earlier versions are untouched."""


class VersionTaken(SaveError):
    """Another save filed ``version`` (the number this save was to claim) first: the version this
    save was built on is no longer the latest. Nothing was filed."""

    def __init__(self, folder: Path, version: int) -> None:
        super().__init__(messages.say(messages.VERSION_TAKEN, version=version, folder=folder))
        self.folder, self.version = folder, version


class MisplacedWorkbook(WorkbookError):
    """A workbook that is not at a name the app writes, or whose record says it belongs elsewhere
    (another person, form, year, instance or version): it does not count as anyone's data."""


def mark_data_folder(root: Path | str) -> bool:
    """Make ``root`` (which must exist) a data folder by writing its marker; False if it had one."""
    marker = Path(root) / MARKER
    try:
        with open(marker, "x", encoding="utf-8") as handle:
            handle.write("This folder is a mentorforms data folder. Do not delete this file: without it the "
                         "app refuses to save here.\n")
    except FileExistsError:
        return False
    return True


class DataFolder:
    """A data folder on disk. Cheap to create; holds no state beyond its root path."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    @property
    def roster_path(self) -> Path:
        return self.root / ROSTER

    @property
    def records_root(self) -> Path:
        return self.root / RECORDS

    @property
    def marker_path(self) -> Path:
        return self.root / MARKER

    def is_marked(self) -> bool:
        """True if the folder carries the data-folder marker."""
        return self.marker_path.is_file()

    # ----------------------------------------------------------------- paths

    def form_folder(self, form: Form, record_or_values_key: str | None, year: AcademicYear, department: str,
                    person_id: str) -> Path:
        """The folder holding every version of one person's form (one instance of it) in one year."""
        name = form.id if not record_or_values_key else f"{form.id}--{safe_segment(record_or_values_key)}"
        return (self.records_root / year.label / safe_segment(department or "no-department")
                / safe_segment(person_id) / name)

    def folder_for(self, record: Record, form: Form | None = None) -> Path:
        """The folder the versions of ``record`` go to."""
        form = form or get_form(record.form_id, record.academic_year)
        key = instance_key(form, record)
        return self.form_folder(form, key, record.academic_year, record.department, record.person_id)

    # ----------------------------------------------------------------- saving

    def save(self, record: Record, *, person_name: str = "", action: str = "save", actor: str | None = None,
             detail: str = "", checked: bool = False, built_on: StoredVersion | None = None) -> StoredVersion:
        """File ``record`` as a new version and return it. Never overwrites an existing version.

        ``checked`` (a page's save): ``built_on`` is the version the record was made from (None: the
        form had none), and the save claims exactly the number after it in the record's folder
        (after the highest there when ``built_on`` is in another folder, the person having changed
        department); VersionTaken when that number is taken, nothing filed. Unchecked saves take
        the next free number.

        The workbook, with its version number inside, is built before anything touches the disk,
        so text a cell cannot hold raises UnsafeTextError with nothing written. SaveError (nothing
        filed) when the data folder is gone or carries no marker. Once the version is linked it
        counts as filed: a failure to flush the folder afterwards is logged, not raised. The claim
        and an audit entry recording it (``action``, by ``actor``, default ``record.saved_by``;
        ``detail`` defaults to the record's status; the workbook's SHA-256) are made under the
        audit trail's lock. If that entry cannot be written the version stays filed, its
        temporary file stays as its second name for the next save or ``check`` to record it, and
        AuditNotRecorded says so.
        """
        if action not in audit.ACTIONS:  # refused before anything is filed
            raise AuditError(audit.log_path(self.root), messages.say(messages.AUDIT_UNKNOWN_ACTION, action=action))
        form = get_form(record.form_id, record.academic_year)
        folder = self.folder_for(record, form)
        number = self._claim_number(folder, checked, built_on)
        content = workbook_bytes(record.replace(version=number), form, person_name=person_name)
        if not self.root.is_dir():
            raise SaveError(messages.say(messages.FOLDER_GONE, root=self.root))
        if not self.is_marked():
            raise SaveError(messages.say(messages.FOLDER_NOT_MARKED, root=self.root, marker=MARKER))
        self._make_folders(folder)
        (self.root / audit.AUDIT).mkdir(exist_ok=True)  # where the lock the claim is made under lives
        who = record.saved_by if actor is None else actor
        temporary = folder / f"{_TEMP_PREFIX}{uuid.uuid4().hex}.xlsx"
        keep_temporary = False
        try:
            self._write_temporary(temporary, content)
            for _ in range(10_000):
                with audit.lock(self.root):
                    try:
                        self.recover_unrecorded(folder, who)
                    except AuditError as error:  # the trail still cannot be written: the marks stay
                        log.error("versions filed earlier in %s are still not recorded: %s", folder, error)
                    target = folder / f"v{number:04d}.xlsx"
                    try:
                        os.link(temporary, target)
                    except FileExistsError:
                        if checked:
                            raise VersionTaken(folder, number) from None
                        claimed = False
                    else:
                        claimed = True
                    if claimed:
                        try:
                            _fsync_folder(folder)
                        except OSError as error:
                            log.warning(messages.say(messages.SAVED_BUT_NOT_SYNCED, version=number, folder=folder,
                                                     reason=error.strerror or error))
                        stored = StoredVersion(target, number, audit.sha256_of(content))
                        keep_temporary = True  # until the entry is written: the mark of an unrecorded version
                        self._record_in_audit(stored, record, form, action, who, detail)
                        keep_temporary = False
                        return stored
                # Another process took this number first (unchecked saves only): take the next one.
                number = self._next_version(folder)
                content = workbook_bytes(record.replace(version=number), form, person_name=person_name)
                temporary.unlink(missing_ok=True)
                self._write_temporary(temporary, content)
            raise SaveError(f"could not claim a version number in {folder}")
        finally:
            if not keep_temporary:
                temporary.unlink(missing_ok=True)
            remove_stale_temporaries(folder)

    @staticmethod
    def _write_temporary(temporary: Path, content: bytes) -> None:
        with open(temporary, "xb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())

    def _claim_number(self, folder: Path, checked: bool, built_on: StoredVersion | None) -> int:
        """The number a save into ``folder`` claims (see :meth:`save`)."""
        if checked and built_on is None:
            return 1
        if checked and built_on is not None and built_on.path.parent == folder:
            return built_on.version + 1
        return self._next_version(folder) if folder.is_dir() else 1

    def recover_unrecorded(self, folder: Path, actor: str) -> list[Entry]:
        """Record the versions in ``folder`` that were filed but never recorded in the audit trail
        (a save whose entry could not be written, or killed between filing and recording): each
        save temporary that is a second name of a version file marks one. A version some entry
        records already (a save killed after recording it) gets no second entry. Each temporary is
        removed once its version is recorded. Runs under the audit lock; returns the entries
        written (AuditError when one cannot be: the temporary stays for the next try)."""
        written: list[Entry] = []
        with audit.lock(self.root):
            marks = linked_temporaries(folder)
            if not marks:
                return written
            recorded = audit_recorded_files(self.root)
            for temporary, version in marks:
                key = audit.relative_key(self.root, version.path)
                if recorded.get(key) != version.sha256:
                    written.append(self._record_recovered(version, actor))
                temporary.unlink(missing_ok=True)
        return written

    def _record_recovered(self, stored: StoredVersion, actor: str) -> Entry:
        try:
            record = read_record(stored.path)
        except WorkbookError as error:
            record = None
            log.warning("recording unrecorded %s without its record: %s", stored.path, error)
        form = get_form(record.form_id, record.academic_year) if record is not None else None
        filed = dt.datetime.fromtimestamp(_mtime(stored.path) / 1e9, dt.UTC).isoformat(timespec="seconds")
        return audit.append(
            self.root, "recovered", actor=actor, form_id=record.form_id if record else None,
            person_id=record.person_id if record else None, year=record.academic_year.label if record else None,
            instance=instance_key(form, record) if record else None, version=stored.version,
            files={stored.path: stored.sha256},
            detail=messages.say(messages.AUDIT_RECOVERED_DETAIL, version=stored.version, filed=filed,
                                status=record.status.value if record else "unreadable"))

    def _make_folders(self, folder: Path) -> None:
        """Create ``folder`` below the root one level at a time, never the root itself: if the data
        folder vanishes meanwhile, this fails instead of recreating it."""
        missing = []
        current = folder
        while current != self.root and not current.is_dir():
            missing.append(current)
            current = current.parent
        for path in reversed(missing):
            try:
                os.mkdir(path)
            except FileExistsError:
                pass
            except FileNotFoundError as error:
                raise SaveError(messages.say(messages.FOLDER_GONE, root=self.root)) from error

    def _record_in_audit(self, stored: StoredVersion, record: Record, form: Form, action: str,
                         actor: str, detail: str) -> None:
        try:
            audit.append(self.root, action, actor=actor,
                         form_id=record.form_id, person_id=record.person_id, year=record.academic_year.label,
                         instance=instance_key(form, record), version=stored.version,
                         files={stored.path.relative_to(self.root): stored.sha256},
                         detail=detail or record.status.value)
        except AuditError as error:
            log.error("version %s of %s was filed but not recorded in the audit trail: %s",
                      stored.version, stored.path, error)
            raise AuditNotRecorded(error.path, stored.path, stored.version, error.reason, stored.sha256) from error

    @staticmethod
    def _next_version(folder: Path) -> int:
        numbers = [int(match.group(1)) for match in map(_VERSION_FILE.match, os.listdir(folder)) if match]
        return max(numbers, default=0) + 1

    # ----------------------------------------------------------------- reading

    def iter_workbooks(self) -> Iterator[Path]:
        """Every version file in the folder, in a stable order (temporary files are skipped)."""
        if not self.records_root.is_dir():
            return
        for path in sorted(self.records_root.rglob("*.xlsx")):
            if not path.name.startswith((_TEMP_PREFIX, "~$")):
                yield path

    def stray_files(self) -> Iterator[Path]:
        """Every file below the records folder that is neither a workbook the app reads nor a save
        in progress: an old .xls someone copied in, a note, a lock file. Sorted."""
        if not self.records_root.is_dir():
            return
        for path in sorted(self.records_root.rglob("*")):
            if path.name.startswith(_TEMP_PREFIX) or not path.is_file():
                continue
            if path.suffix == ".xlsx" and not path.name.startswith("~$"):
                continue
            yield path

    def temporaries(self) -> Iterator[Path]:
        """Every temporary file of a save (in progress, or left by a save that was killed)."""
        if self.records_root.is_dir():
            yield from sorted(self.records_root.rglob(f"{_TEMP_PREFIX}*"))

    def versions(self, form_id: str, year: AcademicYear | int | str, person_id: str,
                 instance: str | None = None) -> list[StoredVersion]:
        """Every version of a person's form in a year, by folder and number, whatever department it
        was filed under.

        For forms kept per instance (agreements per mentor), ``instance`` picks one; None gives all.
        """
        year = AcademicYear.parse(year)
        person_folders = (self.records_root / year.label).glob(f"*/{safe_segment(person_id)}")
        found: list[StoredVersion] = []
        for person_folder in person_folders:
            for folder in person_folder.iterdir():
                if not _folder_matches(folder.name, form_id, instance):
                    continue
                for entry in folder.iterdir():
                    match = _VERSION_FILE.match(entry.name)
                    if match:
                        found.append(StoredVersion(entry, int(match.group(1))))
        found.sort(key=lambda stored: (str(stored.path.parent), stored.version))
        return found

    def latest_version(self, form_id: str, year: AcademicYear | int | str, person_id: str,
                       instance: str | None = None) -> StoredVersion | None:
        """The newest version file: the highest number in its folder; across folders (two
        instances, or a change of department) the one written last."""
        newest_per_folder: dict[Path, StoredVersion] = {}
        for stored in self.versions(form_id, year, person_id, instance):
            newest_per_folder[stored.path.parent] = stored  # versions() is sorted by number
        if not newest_per_folder:
            return None
        return max(newest_per_folder.values(), key=lambda stored: stored.path.stat().st_mtime_ns)

    def read(self, stored: StoredVersion | Path) -> Record:
        """The record of a version file, if it counts: WorkbookError naming the file when it
        cannot be read, MisplacedWorkbook when it is not where its record says it belongs."""
        path = stored.path if isinstance(stored, StoredVersion) else Path(stored)
        record = read_record(path)
        try:
            relative = path.relative_to(self.records_root).parts
        except ValueError:
            relative = ()
        reason = misplaced(relative, record)
        if reason:
            raise MisplacedWorkbook(path, reason)
        return record

    def latest(self, form_id: str, year: AcademicYear | int | str, person_id: str,
               instance: str | None = None) -> Record | None:
        """The record of :meth:`latest_version`, or None if there is none.

        Raises WorkbookError if that file cannot be read or is misplaced (it is never skipped silently).
        """
        stored = self.latest_version(form_id, year, person_id, instance)
        return self.read(stored) if stored else None

    def latest_readable(self, form_id: str, year: AcademicYear | int | str, person_id: str,
                        instance: str | None = None
                        ) -> tuple[Record | None, StoredVersion | None, list[WorkbookError]]:
        """The newest version that can be read, that version, and why each newer one cannot.

        Newest as in :meth:`latest_version`; when that file cannot be read, the next newest (the
        folder's version before it, or another folder's newest) is tried, and so on. ``(None,
        None, [])`` when there is no version at all; ``(None, None, errors)`` when none can be read.
        """
        per_folder: dict[Path, list[StoredVersion]] = {}
        for stored in self.versions(form_id, year, person_id, instance):
            per_folder.setdefault(stored.path.parent, []).append(stored)  # oldest first
        unreadable: list[WorkbookError] = []
        while per_folder:
            heads = {folder: stack[-1] for folder, stack in per_folder.items()}
            folder = max(heads, key=lambda key: _mtime(heads[key].path))
            stored = per_folder[folder].pop()
            if not per_folder[folder]:
                del per_folder[folder]
            try:
                return self.read(stored), stored, unreadable
            except WorkbookError as error:
                unreadable.append(error)
        return None, None, unreadable

    def history(self, form_id: str, year: AcademicYear | int | str, person_id: str,
                instance: str | None = None) -> list[Record]:
        """Every readable version, oldest first. Raises WorkbookError on the first unreadable or
        misplaced one."""
        return [self.read(stored) for stored in self.versions(form_id, year, person_id, instance)]


def instance_key(form: Form, record: Record) -> str | None:
    """The value that tells apart several records of ``form`` by one person in one year, if any."""
    if form.instance_field is None:
        return None
    value = record.values.get(form.instance_field)
    return str(value) if value else None


def misplaced(relative: tuple[str, ...], record: Record) -> str:
    """Why a workbook at ``relative`` (the parts of its path below ``records/``) holding ``record``
    does not count, or "" when it does: it must be at a name the app writes,
    ``YEAR/DEPARTMENT/PERSON/FORM[--INSTANCE]/vNNNN.xlsx``, and that name must be the one the app
    would give this record (its year, department, person, form, instance and, when the workbook
    says it, version)."""
    name = relative[-1] if relative else ""
    match = _VERSION_FILE.match(name)
    if len(relative) != 5 or match is None or name != f"v{int(match.group(1)):04d}.xlsx":
        return messages.WORKBOOK_NOT_AT_APP_NAME
    form = get_form(record.form_id, record.academic_year)
    key = instance_key(form, record)
    expected = (record.academic_year.label, safe_segment(record.department or "no-department"),
                safe_segment(record.person_id), form.id if not key else f"{form.id}--{safe_segment(key)}")
    number = int(match.group(1))
    if tuple(relative[:4]) == expected and record.version in (None, number):
        return ""
    what = f"{form.id}{f' ({key})' if key else ''} of {record.person_id} ({record.department}) for " \
           f"{record.academic_year.label}" + (f", version {record.version}" if record.version is not None else "")
    return messages.say(messages.WORKBOOK_MISPLACED, what=what, place="/".join(relative),
                        expected="/".join((*expected, f"v{record.version or number:04d}.xlsx")))


def _folder_matches(name: str, form_id: str, instance: str | None) -> bool:
    if instance is not None:
        return name == f"{form_id}--{safe_segment(instance)}"
    return name == form_id or name.startswith(f"{form_id}--")


def linked_temporaries(folder: Path) -> list[tuple[Path, StoredVersion]]:
    """The save temporaries in ``folder`` that are a second name of a version file there (a
    version filed whose audit entry may be missing), each with that version and its digest."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    marks = []
    for entry in entries:
        if not entry.name.startswith(_TEMP_PREFIX):
            continue
        try:
            found = entry.stat(follow_symlinks=False)
        except FileNotFoundError:
            continue
        if found.st_nlink < 2:
            continue
        for other in entries:
            match = _VERSION_FILE.match(other.name)
            if not match:
                continue
            try:
                same = os.path.samestat(other.stat(follow_symlinks=False), found)
            except FileNotFoundError:
                continue
            if same:
                path = Path(other.path)
                marks.append((Path(entry.path), StoredVersion(path, int(match.group(1)), audit.sha256_of(path))))
                break
    return sorted(marks, key=lambda mark: mark[1].version)


def audit_recorded_files(root: Path | str) -> dict[str, str]:
    """Every file the audit trail records, by key, with the digest the last entry recording it
    gives (read only when a version may be unrecorded, which is rare)."""
    recorded: dict[str, str] = {}
    for entry in audit.entries(root):
        recorded.update(entry.files)
    return recorded


def remove_stale_temporaries(folder: Path, older_than: float = STALE_TEMPORARY_SECONDS) -> list[Path]:
    """Remove the save temporaries in ``folder`` older than ``older_than`` seconds (left by saves
    that were killed; a save in progress takes well under a second) and return them. A temporary
    that is a second name of a version is kept: it marks a version whose audit entry may be
    missing, for :meth:`DataFolder.recover_unrecorded`."""
    removed = []
    cutoff = time.time() - older_than
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not entry.name.startswith(_TEMP_PREFIX):
            continue
        try:
            found = entry.stat(follow_symlinks=False)
            if found.st_mtime < cutoff and found.st_nlink < 2:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except FileNotFoundError:
            continue  # another process removed it first
    return removed


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


def _fsync_folder(folder: Path) -> None:
    """Make a new directory entry durable (a no-op where directories cannot be opened)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


__all__ = ["MARKER", "DataFolder", "MisplacedWorkbook", "SaveError", "StoredVersion", "VersionTaken", "WorkbookError",
           "audit_recorded_files", "instance_key", "linked_temporaries", "mark_data_folder", "misplaced",
           "remove_stale_temporaries", "safe_segment"]
