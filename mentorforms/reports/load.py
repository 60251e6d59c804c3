"""The per-file boundary of every report: one workbook in, a record or a stated reason out.

A workbook that cannot be read (truncated, not a workbook at all, a foreign workbook without the
machine sheet, an XML bomb, a record of a form this program does not know) becomes an
:class:`Unreadable` naming the file and the reason. It is listed in the report's problems and
never stops the report.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass
from pathlib import Path

from mentorforms import machine_sheet
from mentorforms.errors import WorkbookError
from mentorforms.record import Record
from mentorforms.store import _TEMP_PREFIX
from mentorforms.workbook import BROKEN_FILE_ERRORS, read_machine_rows

#: Workbooks larger than this are not opened: a submission is a few tens of kilobytes, and a
#: huge file in the data folder is far more likely a mistake than a form.
MAX_WORKBOOK_BYTES = 20 * 1024 * 1024
#: Limits on what a workbook says it unpacks to (a submission unpacks to well under a megabyte).
#: A "zip bomb" of a few hundred kilobytes can unpack to gigabytes; the reader enforces the sizes
#: a zip declares, so refusing large declared sizes up front keeps memory bounded.
MAX_UNPACKED_MEMBER = 64 * 1024 * 1024
MAX_UNPACKED_TOTAL = 128 * 1024 * 1024
_CENTRAL_END = b"PK\x05\x06"
_CENTRAL_ENTRY = b"PK\x01\x02"


@dataclass(frozen=True)
class Unreadable:
    """A file the report skipped, and why (in plain words)."""

    path: Path
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


def declared_sizes(content: bytes) -> list[int] | None:
    """The unpacked sizes a zip file's central directory declares, or None if it has none we can
    read (then the reader reports what is wrong). Reads only the directory: a few microseconds."""
    end = content.rfind(_CENTRAL_END, max(0, len(content) - 65_557))
    if end < 0 or end + 22 > len(content):
        return None
    count, _, offset = struct.unpack_from("<HII", content, end + 10)
    sizes = []
    position = offset
    for _ in range(count):
        if position + 46 > len(content) or content[position:position + 4] != _CENTRAL_ENTRY:
            return None
        unpacked, name_length, extra_length, comment_length = struct.unpack_from("<IHHH", content, position + 24)
        sizes.append(unpacked)
        position += 46 + name_length + extra_length + comment_length
    return sizes


def record_from_bytes(content: bytes, path: Path | str) -> Record:
    """The record in a workbook's bytes. Raises WorkbookError naming ``path`` and the reason."""
    if len(content) > MAX_WORKBOOK_BYTES:
        raise WorkbookError(path, f"is {len(content):,} bytes; a submission workbook is far smaller, so it was not opened")
    sizes = declared_sizes(content)
    if sizes and (max(sizes) > MAX_UNPACKED_MEMBER or sum(sizes) > MAX_UNPACKED_TOTAL or 0xFFFFFFFF in sizes):
        raise WorkbookError(path, f"would unpack to {sum(sizes):,} bytes (a submission unpacks to well under a "
                                  "megabyte), so it was not opened")
    try:
        rows = read_machine_rows(content)
        return machine_sheet.parse_rows(rows, str(path))
    except WorkbookError as error:
        raise WorkbookError(path, error.reason) from error
    except (*BROKEN_FILE_ERRORS, MemoryError, RecursionError) as error:
        raise WorkbookError(path, f"cannot be read ({type(error).__name__}: {error})") from error


def read_file(path: Path | str) -> tuple[bytes, Record | Unreadable]:
    """The file's bytes and its record, or its bytes and the reason it cannot be used.

    OSError on reading the file itself (it vanished, permissions) is also turned into Unreadable
    (with empty bytes): the report lists it and carries on.
    """
    path = Path(path)
    try:
        content = path.read_bytes()
    except OSError as error:
        return b"", Unreadable(path, f"cannot be opened ({error.strerror or error})")
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
    """True for a file the reports read: an .xlsx that is not a save in progress or an Excel lock file."""
    return name.endswith(".xlsx") and not name.startswith((_TEMP_PREFIX, "~$"))
