"""The data folder: every submission as a versioned workbook, never overwritten.

:class:`DataFolder` is the one object the rest of the app holds for a data folder. It composes
one part per job, each in its own module:

- the names of the data folder: the layout of ``records/``, the marker, where a record's versions
  go and whether a workbook is in its place (:mod:`mentorforms.records.folder_names`);
- filing a version: claiming its number and recording it in the audit trail in one step, and
  recording versions filed by saves that could not record them (:mod:`mentorforms.records.version_claim`);
- listing and reading the versions filed, refusing a workbook out of its place
  (:mod:`mentorforms.records.versions`).

The names other modules use are importable from here.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from mentorforms.errors import WorkbookError
from mentorforms.records.audit import Entry
from mentorforms.records.folder_names import (
    MARKER,
    RECORDS,
    ROSTER,
    TEMP_PREFIX,
    VERSION_FILE,
    form_parts,
    instance_key,
    mark_data_folder,
    misplaced,
    record_parts,
    safe_segment,
)
from mentorforms.records.version_claim import (
    STALE_TEMPORARY_SECONDS,
    SaveError,
    VersionClaim,
    VersionTaken,
    audit_recorded_files,
    linked_temporaries,
    remove_stale_temporaries,
)
from mentorforms.records.versions import MisplacedWorkbook, StoredVersion, Versions
from mentorforms.vocabulary.academic_year import AcademicYear
from mentorforms.vocabulary.declaration import Form
from mentorforms.vocabulary.record import Record


class DataFolder:
    """A data folder on disk. Cheap to create; holds no state beyond its root path (its parts are
    made from it and hold no more)."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)
        self._versions = Versions(self.root)
        self._claim = VersionClaim(self.root)

    @property
    def roster_path(self) -> Path:
        """The office's roster workbook."""
        return self.root / ROSTER

    @property
    def records_root(self) -> Path:
        """The folder every version is filed below."""
        return self.root / RECORDS

    @property
    def marker_path(self) -> Path:
        """The file that marks the folder as a data folder."""
        return self.root / MARKER

    def is_marked(self) -> bool:
        """True if the folder carries the data-folder marker."""
        return self.marker_path.is_file()

    # ----------------------------------------------------------------- names

    def form_folder(self, form: Form, record_or_values_key: str | None, year: AcademicYear, department: str,
                    person_id: str) -> Path:
        """The folder holding every version of one person's form (one instance of it) in one year."""
        return self.records_root.joinpath(*form_parts(form, record_or_values_key, year, department, person_id))

    def folder_for(self, record: Record, form: Form | None = None) -> Path:
        """The folder the versions of ``record`` go to."""
        return self.records_root.joinpath(*record_parts(record, form))

    # ----------------------------------------------------------------- filing

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
        return self._claim.save(record, person_name=person_name, action=action, actor=actor, detail=detail,
                                checked=checked, built_on=built_on)

    def recover_unrecorded(self, folder: Path, actor: str) -> list[Entry]:
        """Record, by ``actor``, the versions in ``folder`` filed but never recorded in the audit
        trail (see :meth:`mentorforms.records.version_claim.VersionClaim.recover_unrecorded`)."""
        return self._claim.recover_unrecorded(folder, actor)

    # ----------------------------------------------------------------- reading

    def iter_workbooks(self) -> Iterator[Path]:
        """Every version file in the folder, in a stable order (temporary files are skipped)."""
        return self._versions.iter_workbooks()

    def stray_files(self) -> Iterator[Path]:
        """Every file below the records folder that is neither a workbook the app reads nor a save
        in progress: an old .xls someone copied in, a note, a lock file. Sorted."""
        return self._versions.stray_files()

    def temporaries(self) -> Iterator[Path]:
        """Every temporary file of a save (in progress, or left by a save that was killed)."""
        return self._versions.temporaries()

    def versions(self, form_id: str, year: AcademicYear | int | str, person_id: str,
                 instance: str | None = None) -> list[StoredVersion]:
        """Every version of a person's form in a year, by folder and number, whatever department it
        was filed under; ``instance`` picks one instance of a form kept per instance (None: all)."""
        return self._versions.versions(form_id, year, person_id, instance)

    def latest_version(self, form_id: str, year: AcademicYear | int | str, person_id: str,
                       instance: str | None = None) -> StoredVersion | None:
        """The newest version file: the highest number in its folder; across folders (two
        instances, or a change of department) the one written last."""
        return self._versions.latest_version(form_id, year, person_id, instance)

    def read(self, stored: StoredVersion | Path) -> Record:
        """The record of a version file, if it counts: WorkbookError naming the file when it
        cannot be read, MisplacedWorkbook when it is not where its record says it belongs."""
        return self._versions.read(stored)

    def latest(self, form_id: str, year: AcademicYear | int | str, person_id: str,
               instance: str | None = None) -> Record | None:
        """The record of :meth:`latest_version`, or None if there is none; WorkbookError if that
        file cannot be read or is misplaced (it is never skipped silently)."""
        return self._versions.latest(form_id, year, person_id, instance)

    def latest_readable(self, form_id: str, year: AcademicYear | int | str, person_id: str,
                        instance: str | None = None
                        ) -> tuple[Record | None, StoredVersion | None, list[WorkbookError]]:
        """The newest version that can be read, that version, and why each newer one cannot
        (see :meth:`mentorforms.records.versions.Versions.latest_readable`)."""
        return self._versions.latest_readable(form_id, year, person_id, instance)

    def history(self, form_id: str, year: AcademicYear | int | str, person_id: str,
                instance: str | None = None) -> list[Record]:
        """Every readable version, oldest first. Raises WorkbookError on the first unreadable or
        misplaced one."""
        return self._versions.history(form_id, year, person_id, instance)


__all__ = ["MARKER", "RECORDS", "ROSTER", "STALE_TEMPORARY_SECONDS", "TEMP_PREFIX", "VERSION_FILE", "DataFolder",
           "MisplacedWorkbook", "SaveError", "StoredVersion", "VersionTaken", "WorkbookError",
           "audit_recorded_files", "instance_key", "linked_temporaries", "mark_data_folder", "misplaced",
           "remove_stale_temporaries", "safe_segment"]
