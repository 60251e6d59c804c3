"""The per-file boundary of every report: one workbook in, a record or a stated reason out.

A workbook that cannot be read (truncated, not a workbook at all, a foreign workbook without the
machine sheet, an XML bomb, a record of a form this program does not know) becomes an
:class:`Unreadable` naming the file and the reason. It is listed in the report's problems and
never stops the report.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from mentorforms.errors import WorkbookError
from mentorforms.records.store import TEMP_PREFIX as _TEMP_PREFIX
from mentorforms.vocabulary.record import Record
from mentorforms.workbooks import workbook

#: The limits live in the one reading boundary (mentorforms.workbooks.workbook); named here for callers.
MAX_WORKBOOK_BYTES = workbook.MAX_WORKBOOK_BYTES
MAX_UNPACKED_MEMBER = workbook.MAX_UNPACKED_MEMBER
MAX_UNPACKED_TOTAL = workbook.MAX_UNPACKED_TOTAL
#: Files in the records folder the reports name as problems instead of skipping: old and macro
#: workbooks someone copied in by hand (the reading boundary says what to do with each).
FOREIGN_WORKBOOK_SUFFIXES = (".xls", ".xlsm", ".xlsb")


@dataclass(frozen=True)
class Unreadable:
    """A file the report skipped, and why (in plain words)."""

    path: Path
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


def record_from_bytes(content: bytes, path: Path | str) -> Record:
    """The record in a workbook's bytes. Raises WorkbookError naming ``path`` and the reason
    (every check of the reading boundary, :func:`mentorforms.workbooks.workbook.checked_content`)."""
    return workbook.read_record(content, path)


def read_file(path: Path | str) -> tuple[bytes, Record | Unreadable]:
    """The file's bytes and its record, or its bytes and the reason it cannot be used.

    OSError on reading the file itself (it vanished, permissions) is also turned into Unreadable
    (with empty bytes): the report lists it and carries on.
    """
    path = Path(path)
    try:
        content = workbook.read_bounded(path)
    except WorkbookError as error:
        return b"", Unreadable(path, error.reason)
    try:
        return content, record_from_bytes(content, path)
    except WorkbookError as error:
        return content, Unreadable(path, error.reason)


def load_record(path: Path | str) -> Record | Unreadable:
    """The record in the workbook at ``path``, or why it cannot be used. Never raises for a bad file."""
    return read_file(path)[1]


def content_hash(content: bytes) -> str:
    """The hash the index keeps per file, to tell a real change from a touched file."""
    return hashlib.sha256(content).hexdigest()


def is_workbook_name(name: str) -> bool:
    """True for a file the reports read: an .xlsx that is not a save in progress or an Excel lock
    file, or a workbook of another kind (.xls ...), which the reports name as a problem."""
    return name.endswith((".xlsx", *FOREIGN_WORKBOOK_SUFFIXES)) and not name.startswith((_TEMP_PREFIX, "~$"))
