"""Listing and reading the versions in a data folder.

A workbook counts only in its place: ``records/YEAR/DEPARTMENT/PERSON/FORM[--INSTANCE]/vNNNN.xlsx``
as :func:`~mentorforms.records.folder_names.record_parts` names it, holding a record whose form,
year, person, department, instance and (since saves write it inside) version match that place
(:func:`~mentorforms.records.folder_names.misplaced`). Every reader of versions goes through
:meth:`Versions.read`, which refuses any other with :class:`MisplacedWorkbook`, so no page shows,
and no save builds on, another person's answers.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from mentorforms.errors import WorkbookError
from mentorforms.records.folder_names import (
    RECORDS,
    TEMP_PREFIX,
    VERSION_FILE,
    form_folder_matches,
    misplaced,
    safe_segment,
)
from mentorforms.vocabulary.academic_year import AcademicYear
from mentorforms.vocabulary.record import Record
from mentorforms.workbooks.workbook import read_record


@dataclass(frozen=True)
class StoredVersion:
    """One saved version: its file, its number and the SHA-256 of its bytes (as the audit trail
    records them; empty for versions listed from the folder rather than saved)."""

    path: Path
    version: int
    sha256: str = ""


class MisplacedWorkbook(WorkbookError):
    """A workbook that is not at a name the app writes, or whose record says it belongs elsewhere
    (another person, form, year, instance or version): it does not count as anyone's data."""


def next_version(folder: Path) -> int:
    """The number after the highest version filed in ``folder`` (which must exist)."""
    numbers = [int(match.group(1)) for match in map(VERSION_FILE.match, os.listdir(folder)) if match]
    return max(numbers, default=0) + 1


def mtime_ns(path: Path) -> int:
    """When ``path`` was last written, in nanoseconds; 0 when it cannot be read."""
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


class Versions:
    """The versions filed below the ``records`` folder of the data folder ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.records_root = root / RECORDS

    def iter_workbooks(self) -> Iterator[Path]:
        """Every version file in the folder, in a stable order (temporary files are skipped)."""
        if not self.records_root.is_dir():
            return
        for path in sorted(self.records_root.rglob("*.xlsx")):
            if not path.name.startswith((TEMP_PREFIX, "~$")):
                yield path

    def stray_files(self) -> Iterator[Path]:
        """Every file below the records folder that is neither a workbook the app reads nor a save
        in progress: an old .xls someone copied in, a note, a lock file. Sorted."""
        if not self.records_root.is_dir():
            return
        for path in sorted(self.records_root.rglob("*")):
            if path.name.startswith(TEMP_PREFIX) or not path.is_file():
                continue
            if path.suffix == ".xlsx" and not path.name.startswith("~$"):
                continue
            yield path

    def temporaries(self) -> Iterator[Path]:
        """Every temporary file of a save (in progress, or left by a save that was killed)."""
        if self.records_root.is_dir():
            yield from sorted(self.records_root.rglob(f"{TEMP_PREFIX}*"))

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
                if not form_folder_matches(folder.name, form_id, instance):
                    continue
                for entry in folder.iterdir():
                    match = VERSION_FILE.match(entry.name)
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
            folder = max(heads, key=lambda key: mtime_ns(heads[key].path))
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
