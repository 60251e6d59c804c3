"""A submission as one .xlsx workbook: the printable form sheet plus the hidden machine sheet,
and the one boundary every workbook read by this package passes.

:func:`workbook_bytes` makes the file's content; :func:`read_record` reads it back to exactly the
record that was written.

:func:`checked_content` is the reading boundary (submissions, filled blanks on import, the
roster, the report index, the form page, carrying answers forward). Before any reader unpacks
anything it checks, from the zip's central directory, the file's size, its number of parts and
every part's declared unpacked size and packing ratio (a "zip bomb" of a few hundred kilobytes can
declare gigabytes); then it unpacks every part (never past its declared size) so that every
part's CRC is checked (a copy with a few flipped bytes is refused, although calamine would read
some of them without complaint), refuses XML entity declarations (billion laughs, external
entities) and, unless asked, formulas. Every failure is a WorkbookError naming the file and the
reason in plain words. Text read back that a workbook cannot hold (over 32,767 characters, NUL,
U+FFFE, lone surrogates) is refused too: such a file was not written by this package.
"""

from __future__ import annotations

import io
import os
import re
import struct
import zipfile
import zlib
from pathlib import Path
from struct import error as struct_error
from typing import Any
from xml.etree.ElementTree import ParseError

from openpyxl import Workbook
from python_calamine import CalamineError, CalamineWorkbook

from mentorforms import messages
from mentorforms.errors import UnsafeTextError, WorkbookError
from mentorforms.forms import get_form
from mentorforms.vocabulary.declaration import Form
from mentorforms.vocabulary.record import Record
from mentorforms.workbooks import form_sheet, machine_sheet, safe_cell
from mentorforms.workbooks.form_extras import extras_for

#: Every exception type a broken .xlsx has been seen to raise from the readers used here.
BROKEN_FILE_ERRORS: tuple[type[BaseException], ...] = (
    CalamineError, zipfile.BadZipFile, zlib.error, ParseError, KeyError, ValueError, TypeError,
    IndexError, EOFError, OSError, UnicodeDecodeError,
)
#: What reading a sheet's rows (a damaged or hostile file) may raise besides a broken file's errors.
_SHEET_READ_ERRORS: tuple[type[BaseException], ...] = (*BROKEN_FILE_ERRORS, MemoryError, RecursionError)
#: What parsing a record out of readable rows may raise.
_RECORD_READ_ERRORS: tuple[type[BaseException], ...] = (*BROKEN_FILE_ERRORS, RecursionError)


def build_workbook(record: Record, form: Form | None = None, *, person_name: str = "",
                   blank: bool = False) -> Workbook:
    """The workbook for ``record`` (its form looked up by id and year unless given)."""
    form = form or get_form(record.form_id, record.academic_year)
    refuse_unstorable(form, record)
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


def refuse_unstorable(form: Form, record: Record) -> None:
    """Raise UnsafeTextError naming the first field whose text a workbook cannot hold, so that no
    file that would not reopen is ever written (safe_cell.put refuses too, but cannot name the field)."""
    for field_id, value in record.values.items():
        for text in _texts(value):
            problem = safe_cell.text_problem(text)
            if problem:
                label = form.field(field_id).label if form.has_field(field_id) else field_id
                raise UnsafeTextError(messages.say(messages.FIELD_TEXT_UNSTORABLE, label=label, reason=problem),
                                      field_id=field_id)


def _texts(value: Any):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(key)
            yield from _texts(item)
    elif isinstance(value, (list, tuple, set, frozenset)):  # tuples include CheckNote and Signature
        for item in value:
            yield from _texts(item)


# --------------------------------------------------------------------------- the reading boundary

#: A mentorforms workbook is a few tens of kilobytes, a roster of thousands about a megabyte.
MAX_WORKBOOK_BYTES = 20 * 1024 * 1024
#: Parts in one .xlsx (a submission has about 15; each sheet, table and drawing adds a few).
MAX_MEMBERS = 500
#: What the parts may declare they unpack to: a submission unpacks to well under a megabyte, a
#: roster of 12,000 people to about 10 MB. Above these, readers need hundreds of megabytes.
MAX_UNPACKED_MEMBER = 32 * 1024 * 1024
MAX_UNPACKED_TOTAL = 64 * 1024 * 1024
#: XML packs at most about 100 times smaller even when very repetitive; a bomb packs 1000 times.
MAX_RATIO = 200
#: Below this unpacked size the ratio is not checked (tiny repetitive parts pack very well).
RATIO_FLOOR = 1024 * 1024
_REQUIRED_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENTITY_MARKS = (b"<!DOCTYPE", b"<!ENTITY", b"<!doctype", b"<!entity")
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_CHUNK = 1024 * 1024


def plain_line(text: str, limit: int = 300) -> str:
    """``text`` made safe for one line of output: control characters (newlines included) shown as
    escapes, and cut to ``limit`` characters. Names inside a file are chosen by whoever made it."""
    shown = "".join(character if character.isprintable() else repr(character)[1:-1] for character in text)
    return shown if len(shown) <= limit else shown[:limit - 1] + "…"


def _part(member: zipfile.ZipInfo) -> str:
    return plain_line(member.filename, 80)


def _name(source: Path | str | bytes, name: Path | str | None) -> str:
    if name is not None:
        return str(name)
    return "workbook" if isinstance(source, (bytes, bytearray)) else str(source)


def read_bounded(path: Path | str, name: Path | str | None = None) -> bytes:
    """The bytes of the file at ``path``, never more than MAX_WORKBOOK_BYTES (WorkbookError naming
    ``name`` for a larger file, and for one that cannot be read: its cause is the OSError)."""
    name = str(name if name is not None else path)
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > MAX_WORKBOOK_BYTES:
                raise WorkbookError(name, messages.say(messages.FILE_TOO_BIG, size=size, limit=MAX_WORKBOOK_BYTES))
            # Asked for what the file holds (plus a little, to see it grow): a read of the limit
            # itself would allocate 20 MB for every small workbook.
            content = handle.read(min(size + 65536, MAX_WORKBOOK_BYTES) + 1)
            if len(content) > size and len(content) <= MAX_WORKBOOK_BYTES:
                content += handle.read(MAX_WORKBOOK_BYTES + 1 - len(content))
    except FileNotFoundError as error:
        raise WorkbookError(name, messages.FILE_MISSING) from error
    except IsADirectoryError as error:
        raise WorkbookError(name, messages.say(messages.FILE_CANNOT_OPEN, reason="it is a folder")) from error
    except OSError as error:
        reason = error.strerror or str(error)
        raise WorkbookError(name, messages.say(messages.FILE_CANNOT_OPEN, reason=reason)) from error
    if len(content) > MAX_WORKBOOK_BYTES:  # it grew while being read
        raise WorkbookError(name, messages.say(messages.FILE_TOO_BIG, size=len(content), limit=MAX_WORKBOOK_BYTES))
    return content


def _not_a_zip(content: bytes, name: str, detail: str) -> WorkbookError:
    if not content:
        return WorkbookError(name, messages.FILE_EMPTY)
    if content.startswith(_OLE_MAGIC):
        return WorkbookError(name, messages.FILE_OLD_XLS)
    if content.startswith(b"PK"):
        return WorkbookError(name, messages.say(messages.FILE_DAMAGED_ZIP, detail=plain_line(detail, 120)))
    if content.lstrip()[:1] == b"<" or content.startswith(b"\xef\xbb\xbf"):
        return WorkbookError(name, messages.FILE_WEB_PAGE)
    return WorkbookError(name, messages.FILE_NOT_ZIP)


def checked_content(source: Path | str | bytes, name: Path | str | None = None, *,
                    formulas: bool = False) -> bytes:
    """The bytes of a workbook file (or the bytes given) once they have passed every check of the
    reading boundary (see the module notes); WorkbookError naming ``name`` (default: the path)
    and the reason otherwise. ``formulas=True`` lets formula cells through (a roster an office
    keeps, a filled blank whose import names each formula's cell)."""
    label = _name(source, name)
    if isinstance(source, (bytes, bytearray)):
        content = bytes(source)
        if len(content) > MAX_WORKBOOK_BYTES:
            raise WorkbookError(label, messages.say(messages.FILE_TOO_BIG, size=len(content), limit=MAX_WORKBOOK_BYTES))
    else:
        content = read_bounded(source, label)
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile as error:
        raise _not_a_zip(content, label, str(error)) from error
    except (ValueError, OSError, EOFError, struct_error) as error:
        raise _not_a_zip(content, label, f"{type(error).__name__}: {error}") from error
    with archive:
        members = archive.infolist()
        _check_directory(members, label)
        names = {member.filename for member in members}
        for part in _REQUIRED_PARTS:
            if part not in names:
                raise WorkbookError(label, messages.say(messages.FILE_NOT_WORKBOOK_ZIP, part=part))
        view = memoryview(content)
        for member in members:
            _check_member(view, member, label, formulas)
    return content


def _check_directory(members: list[zipfile.ZipInfo], name: str) -> None:
    """Limits read from the central directory alone, before anything is unpacked."""
    if len(members) > MAX_MEMBERS:
        raise WorkbookError(name, messages.say(messages.FILE_TOO_MANY_PARTS, count=len(members), limit=MAX_MEMBERS))
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > MAX_UNPACKED_MEMBER or total > MAX_UNPACKED_TOTAL:
            raise WorkbookError(name, messages.say(messages.FILE_UNPACKS_TOO_BIG, size=max(total, member.file_size),
                                                   member=_part(member)))
        if member.file_size > RATIO_FLOOR and member.file_size > MAX_RATIO * max(1, member.compress_size):
            raise WorkbookError(name, messages.say(messages.FILE_RATIO, member=_part(member),
                                                   ratio=member.file_size / max(1, member.compress_size)))
        if member.flag_bits & 0x1:
            raise WorkbookError(name, messages.FILE_ENCRYPTED)
        if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise WorkbookError(name, messages.say(messages.FILE_ODD_COMPRESSION, member=_part(member)))


def _packed(content: memoryview, member: zipfile.ZipInfo) -> memoryview:
    """A part's packed bytes, once its local header agrees with the directory (BadZipFile otherwise)."""
    offset = member.header_offset
    header = bytes(content[offset:offset + 30])
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile("its header is missing")
    name_length, extra_length = struct.unpack_from("<HH", header, 26)
    encoding = "utf-8" if member.flag_bits & 0x800 else "cp437"
    if bytes(content[offset + 30:offset + 30 + name_length]) != member.orig_filename.encode(encoding):
        raise zipfile.BadZipFile("its name differs between the directory and its header")
    start = offset + 30 + name_length + extra_length
    packed = content[start:start + member.compress_size]
    if len(packed) < member.compress_size:
        raise zipfile.BadZipFile("it is cut short")
    return packed


def _unpack(packed: memoryview, member: zipfile.ZipInfo) -> bytes:
    """A part's data, unpacked straight with zlib (zipfile's reader costs more than the unpacking
    for the many small parts of a workbook) and never past its declared size; BadZipFile when the
    length or the CRC is not as the directory says."""
    if member.compress_type == zipfile.ZIP_STORED:
        data = bytes(packed)
    else:
        data = zlib.decompressobj(-15).decompress(packed, member.file_size + 1)
    if len(data) != member.file_size:
        raise zipfile.BadZipFile(f"{len(data):,} bytes where {member.file_size:,} were declared")
    if zlib.crc32(data) != member.CRC:
        raise zipfile.BadZipFile("its checksum (CRC) does not match")
    return data


#: Parts that passed their check, keyed by everything the check depends on: the part's name, its
#: declared size, CRC and packing, the formula rule, and its packed bytes themselves. The theme,
#: styles and relations of every workbook the app writes are the same bytes, and unpacking them
#: again would find the same (about a third of the unpacking of a cold index build). Bounded.
_CHECKED_PARTS: dict[tuple, None] = {}
_CHECKED_PARTS_LIMIT = 1024
_CHECKED_PART_BYTES = 64 * 1024


def _check_member(content: memoryview, member: zipfile.ZipInfo, name: str, formulas: bool) -> None:
    """Unpack one part so that its CRC is checked, then look inside its XML."""
    if member.is_dir():
        return
    key = None
    try:
        packed = _packed(content, member)
        if member.compress_size <= _CHECKED_PART_BYTES:
            key = (member.filename, member.file_size, member.CRC, member.compress_type, formulas, bytes(packed))
            if key in _CHECKED_PARTS:
                return
        data = _unpack(packed, member)
    except (zipfile.BadZipFile, zlib.error, ValueError, OverflowError, struct_error) as error:
        raise WorkbookError(name, messages.say(messages.FILE_DAMAGED_MEMBER, member=_part(member),
                                               detail=plain_line(str(error) or type(error).__name__, 120))) from error
    if member.filename.endswith(_XML_SUFFIXES):
        text = data
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 XML: look for the marks in its own encoding
            text = data.decode("utf-16", errors="replace").encode("utf-8", errors="replace")
        if b"<!" in text and any(mark in text for mark in _ENTITY_MARKS):  # "<!" alone: one fast scan
            raise WorkbookError(name, messages.say(messages.FILE_XML_ENTITIES, member=_part(member)))
        if not formulas and member.filename.startswith("xl/worksheets/") and _has_formula(text):
            raise WorkbookError(name, messages.say(messages.FILE_FORMULAS, member=_part(member)))
    if key is not None:
        if len(_CHECKED_PARTS) >= _CHECKED_PARTS_LIMIT:
            _CHECKED_PARTS.clear()
        _CHECKED_PARTS[key] = None


def _has_formula(xml: bytes) -> bool:
    # A "<" in text is always escaped, so "<f>" can only be a tag; "<formula1>" (a dropdown's
    # list) is not a formula cell. The pattern runs only for a namespace prefix ("<x:f>").
    # One scan for "<f" (each hit's next byte decides), not one per ending: XML is full of "<".
    at = xml.find(b"<f")
    while at >= 0:
        if xml[at + 2:at + 3] in (b">", b" ", b"/", b"\t", b"\n", b"\r"):
            return True
        at = xml.find(b"<f", at + 2)
    return b":f" in xml and _FORMULA.search(xml) is not None


def _open(content: bytes) -> CalamineWorkbook:
    return CalamineWorkbook.from_filelike(io.BytesIO(content))


#: Excel's escape of a character in XML text (``_xD800_``): calamine decodes the escapes of
#: characters it can hold and leaves the others (lone surrogates) as they are.
_ESCAPED_SURROGATE = re.compile(r"_x[dD][89a-fA-F][0-9a-fA-F]{2}_")


def _refuse_unstorable_cells(rows: list[list[Any]], name: str, sheet: str) -> None:
    texts = [value for row in rows for value in row if isinstance(value, str)]
    # One search over all the text (newline is storable), and the slow walk only if it finds something.
    if max(map(len, texts), default=0) <= safe_cell.MAX_CELL_TEXT and safe_cell.storable_join(texts):
        joined = "\n".join(texts) if any("_x" in text for text in texts) else ""
        if not joined or _ESCAPED_SURROGATE.search(joined) is None:
            return
    for number, row in enumerate(rows, start=1):
        for value in row:
            if not isinstance(value, str):
                continue
            if _ESCAPED_SURROGATE.search(value):
                raise WorkbookError(name, messages.say(messages.FILE_CELL_UNSTORABLE, sheet=sheet, row=number,
                                                       reason=messages.TEXT_BROKEN_CHARACTER))
            if not safe_cell.storable(value):
                reason = safe_cell.unstorable(value)[0]
                raise WorkbookError(name, messages.say(messages.FILE_CELL_UNSTORABLE, sheet=sheet, row=number,
                                                       reason=reason))


def read_sheet_rows(source: Path | str | bytes, sheet: str | int, name: Path | str | None = None, *,
                    formulas: bool = False) -> list[list[Any]]:
    """The rows of one sheet (by name, or by position) of a workbook that passed
    :func:`checked_content`. WorkbookError naming the file for anything else; a missing sheet
    by name is :data:`messages.FILE_NOT_OURS` when it is the machine sheet."""
    label = _name(source, name)
    return read_checked_rows(checked_content(source, label, formulas=formulas), sheet, label)


def read_checked_rows(content: bytes, sheet: str | int, name: Path | str) -> list[list[Any]]:
    """:func:`read_sheet_rows` of bytes that already passed :func:`checked_content` (so a caller
    that also opens them with openpyxl checks them once)."""
    label = str(name)
    try:
        book = _open(content)
        if isinstance(sheet, int):
            rows = book.get_sheet_by_index(sheet).to_python(skip_empty_area=False)
        else:
            if sheet not in book.sheet_names:
                raise WorkbookError(label, messages.FILE_NOT_OURS if sheet == machine_sheet.SHEET
                                    else f"it has no {sheet!r} sheet")
            rows = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    except WorkbookError:
        raise
    except _SHEET_READ_ERRORS as error:
        raise WorkbookError(label, messages.say(messages.FILE_UNREADABLE,
                                                detail=plain_line(f"{type(error).__name__}: {error}", 160))) from error
    _refuse_unstorable_cells(rows, label, sheet if isinstance(sheet, str) else "first")
    return rows


def read_machine_rows(source: Path | str | bytes, name: Path | str | None = None) -> list[list[Any]]:
    """The raw rows of the machine sheet. WorkbookError if the file is not a readable mentorforms workbook."""
    return read_sheet_rows(source, machine_sheet.SHEET, name)


def read_record(source: Path | str | bytes, name: Path | str | None = None) -> Record:
    """The record stored in a workbook file (or its bytes), exactly as it was written.

    Raises WorkbookError (with the file, or ``name``, and the reason) for anything else.
    """
    label = _name(source, name)
    rows = read_machine_rows(source, label)
    try:
        return machine_sheet.parse_rows(rows, label)
    except WorkbookError:
        raise
    except _RECORD_READ_ERRORS as error:
        raise WorkbookError(label, messages.say(messages.FILE_RECORD_DAMAGED,
                                                detail=plain_line(f"{type(error).__name__}: {error}", 160))) from error
