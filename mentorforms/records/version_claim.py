"""Filing a version: claiming its number and recording it in the audit trail, in one step.

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

A save into a folder without the data-folder marker is refused, and so is a save after the data
folder itself vanished (a network share that dropped leaves an empty mount point, or nothing):
the save never recreates it.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
import uuid
from pathlib import Path

from mentorforms import messages
from mentorforms.errors import AuditError, AuditNotRecorded, MentorformsError, WorkbookError
from mentorforms.forms import get_form
from mentorforms.records import audit
from mentorforms.records.folder_names import (
    MARKER,
    RECORDS,
    TEMP_PREFIX,
    VERSION_FILE,
    instance_key,
    record_parts,
    version_name,
)
from mentorforms.records.versions import StoredVersion, mtime_ns, next_version
from mentorforms.vocabulary.declaration import Form
from mentorforms.vocabulary.record import Record
from mentorforms.workbooks.workbook import read_record, workbook_bytes

#: A save's temporary file older than this belongs to a save that was killed.
STALE_TEMPORARY_SECONDS = 3600
log = logging.getLogger(__name__)


class SaveError(MentorformsError):
    """A save that could not be completed; nothing was filed and earlier versions are untouched."""


class VersionTaken(SaveError):
    """Another save filed ``version`` (the number this save was to claim) first: the version this
    save was built on is no longer the latest. Nothing was filed."""

    def __init__(self, folder: Path, version: int) -> None:
        super().__init__(messages.say(messages.VERSION_TAKEN, version=version, folder=folder))
        self.folder, self.version = folder, version


class VersionClaim:
    """Files versions into the data folder ``root`` (see the module's description)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def save(self, record: Record, *, person_name: str = "", action: str = "save", actor: str | None = None,
             detail: str = "", checked: bool = False, built_on: StoredVersion | None = None) -> StoredVersion:
        """File ``record`` as a new version and return it; see :meth:`mentorforms.records.store.DataFolder.save`."""
        if action not in audit.ACTIONS:  # refused before anything is filed
            raise AuditError(audit.log_path(self.root), messages.say(messages.AUDIT_UNKNOWN_ACTION, action=action))
        form = get_form(record.form_id, record.academic_year)
        folder = self.root.joinpath(RECORDS, *record_parts(record, form))
        number = _claim_number(folder, checked, built_on)
        content = workbook_bytes(record.replace(version=number), form, person_name=person_name)
        if not self.root.is_dir():
            raise SaveError(messages.say(messages.FOLDER_GONE, root=self.root))
        if not (self.root / MARKER).is_file():
            raise SaveError(messages.say(messages.FOLDER_NOT_MARKED, root=self.root, marker=MARKER))
        self._make_folders(folder)
        (self.root / audit.AUDIT).mkdir(exist_ok=True)  # where the lock the claim is made under lives
        who = record.saved_by if actor is None else actor
        temporary = folder / f"{TEMP_PREFIX}{uuid.uuid4().hex}.xlsx"
        keep_temporary = False
        try:
            _write_temporary(temporary, content)
            for _ in range(10_000):
                with audit.lock(self.root):
                    try:
                        self.recover_unrecorded(folder, who)
                    except AuditError as error:  # the trail still cannot be written: the marks stay
                        log.error("versions filed earlier in %s are still not recorded: %s", folder, error)
                    target = folder / version_name(number)
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
                number = next_version(folder)
                content = workbook_bytes(record.replace(version=number), form, person_name=person_name)
                temporary.unlink(missing_ok=True)
                _write_temporary(temporary, content)
            raise SaveError(messages.say(messages.VERSION_NOT_CLAIMED, folder=folder))
        finally:
            if not keep_temporary:
                temporary.unlink(missing_ok=True)
            remove_stale_temporaries(folder)

    def recover_unrecorded(self, folder: Path, actor: str) -> list[audit.Entry]:
        """Record the versions in ``folder`` that were filed but never recorded in the audit trail
        (a save whose entry could not be written, or killed between filing and recording): each
        save temporary that is a second name of a version file marks one. A version some entry
        records already (a save killed after recording it) gets no second entry. Each temporary is
        removed once its version is recorded. Runs under the audit lock; returns the entries
        written (AuditError when one cannot be: the temporary stays for the next try)."""
        written: list[audit.Entry] = []
        with audit.lock(self.root):
            marks = linked_temporaries(folder)
            if not marks:
                return written
            recorded = audit_recorded_files(self.root)
            for temporary, version in marks:
                key = version.path.relative_to(self.root).as_posix()
                if recorded.get(key) != version.sha256:
                    written.append(self._record_recovered(version, actor))
                temporary.unlink(missing_ok=True)
        return written

    def _record_recovered(self, stored: StoredVersion, actor: str) -> audit.Entry:
        try:
            record = read_record(stored.path)
        except WorkbookError as error:
            record = None
            log.warning("recording unrecorded %s without its record: %s", stored.path, error)
        form = get_form(record.form_id, record.academic_year) if record is not None else None
        filed = dt.datetime.fromtimestamp(mtime_ns(stored.path) / 1e9, dt.UTC).isoformat(timespec="seconds")
        return audit.append(
            self.root, "recovered", actor=actor, form_id=record.form_id if record else None,
            person_id=record.person_id if record else None, year=record.academic_year.label if record else None,
            instance=instance_key(form, record) if form and record else None, version=stored.version,
            files={stored.path.relative_to(self.root): stored.sha256},
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


def _claim_number(folder: Path, checked: bool, built_on: StoredVersion | None) -> int:
    """The number a save into ``folder`` claims (see :meth:`VersionClaim.save`)."""
    if checked and built_on is None:
        return 1
    if checked and built_on is not None and built_on.path.parent == folder:
        return built_on.version + 1
    return next_version(folder) if folder.is_dir() else 1


def _write_temporary(temporary: Path, content: bytes) -> None:
    with open(temporary, "xb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())


def linked_temporaries(folder: Path) -> list[tuple[Path, StoredVersion]]:
    """The save temporaries in ``folder`` that are a second name of a version file there (a
    version filed whose audit entry may be missing), each with that version and its digest."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    marks = []
    for entry in entries:
        if not entry.name.startswith(TEMP_PREFIX):
            continue
        try:
            found = entry.stat(follow_symlinks=False)
        except FileNotFoundError:
            continue
        if found.st_nlink < 2:
            continue
        for other in entries:
            match = VERSION_FILE.match(other.name)
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
    missing, for :meth:`VersionClaim.recover_unrecorded`."""
    removed: list[Path] = []
    cutoff = time.time() - older_than
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not entry.name.startswith(TEMP_PREFIX):
            continue
        try:
            found = entry.stat(follow_symlinks=False)
            if found.st_mtime < cutoff and found.st_nlink < 2:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except FileNotFoundError:
            continue  # another process removed it first
    return removed


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
