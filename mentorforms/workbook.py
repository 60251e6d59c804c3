"""A submission as one .xlsx workbook: the printable form sheet plus the hidden machine sheet.

:func:`workbook_bytes` makes the file's content; :func:`read_record` reads it back to exactly the
record that was written. Reading goes through one boundary that turns every way a file can be
broken (not a zip, truncated, bad XML, missing sheet, foreign workbook) into a WorkbookError
naming the file and the reason.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

from openpyxl import Workbook
from python_calamine import CalamineError, CalamineWorkbook

from mentorforms import form_sheet, machine_sheet
from mentorforms.declaration import Form
from mentorforms.errors import WorkbookError
from mentorforms.form_extras import extras_for
from mentorforms.forms import get_form
from mentorforms.record import Record

#: Every exception type a broken .xlsx has been seen to raise from the readers used here.
BROKEN_FILE_ERRORS: tuple[type[BaseException], ...] = (
    CalamineError, zipfile.BadZipFile, zlib.error, ParseError, KeyError, ValueError, TypeError,
    IndexError, EOFError, OSError, UnicodeDecodeError,
)


def build_workbook(record: Record, form: Form | None = None, *, person_name: str = "",
                   blank: bool = False) -> Workbook:
    """The workbook for ``record`` (its form looked up by id and year unless given)."""
    form = form or get_form(record.form_id, record.academic_year)
    book = Workbook()
    form_sheet.write_form_sheet(book, form, record, person_name=person_name, blank=blank)
    machine_sheet.write_machine_sheet(book, form, record)
    decorate = extras_for(form.id).decorate_workbook
    if decorate is not None and not blank:
        decorate(book, form, record)
    book.active = 0
    return book


def workbook_bytes(record: Record, form: Form | None = None, *, person_name: str = "", blank: bool = False) -> bytes:
    """The .xlsx file content for ``record``. Raises UnsafeTextError for text a cell cannot hold."""
    buffer = io.BytesIO()
    build_workbook(record, form, person_name=person_name, blank=blank).save(buffer)
    return buffer.getvalue()


def _open(source: Path | str | bytes) -> CalamineWorkbook:
    if isinstance(source, (bytes, bytearray)):
        return CalamineWorkbook.from_filelike(io.BytesIO(source))
    return CalamineWorkbook.from_path(str(source))


def read_machine_rows(source: Path | str | bytes) -> list[list[Any]]:
    """The raw rows of the machine sheet. WorkbookError if the file is not a readable mentorforms workbook."""
    name = "workbook" if isinstance(source, (bytes, bytearray)) else str(source)
    try:
        book = _open(source)
        if machine_sheet.SHEET not in book.sheet_names:
            raise WorkbookError(name, "not a mentorforms workbook (it has no 'record' sheet)")
        return book.get_sheet_by_name(machine_sheet.SHEET).to_python(skip_empty_area=False)
    except WorkbookError:
        raise
    except BROKEN_FILE_ERRORS as error:
        raise WorkbookError(name, f"cannot be opened as an Excel workbook ({type(error).__name__}: {error})") from error


def read_record(source: Path | str | bytes) -> Record:
    """The record stored in a workbook file (or its bytes), exactly as it was written.

    Raises WorkbookError (with the file and the reason) for anything else.
    """
    name = "workbook" if isinstance(source, (bytes, bytearray)) else str(source)
    rows = read_machine_rows(source)
    try:
        return machine_sheet.parse_rows(rows, name)
    except WorkbookError:
        raise
    except BROKEN_FILE_ERRORS as error:
        raise WorkbookError(name, f"its record sheet is damaged ({type(error).__name__}: {error})") from error
