"""The machine sheet: the part of a submission workbook the program reads back, exactly.

It is a hidden sheet named ``record``. The top rows are ``key | value`` pairs (form id and
version, academic year, person, department, status, times, who saved it); below them one row per
stored value: ``field | row | column | type | value``. Types make the sheet readable without
the declaration, so values of fields a form no longer has are still recovered.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from openpyxl.workbook import Workbook

from mentorforms.errors import WorkbookError
from mentorforms.vocabulary.academic_year import AcademicYear
from mentorforms.vocabulary.declaration import Field, Form, Kind
from mentorforms.vocabulary.record import CheckNote, Record, Signature, Status
from mentorforms.workbooks.safe_cell import put_at

SHEET = "record"
MARKER = "mentorforms record"
FORMAT = 1
META_KEYS = (
    "form_id", "form_version", "academic_year", "person_id", "department", "status",
    "created_at", "saved_at", "saved_by",
)
#: The version number a workbook was filed as (absent from blanks and from workbooks filed before it).
VERSION_KEY = "version"
VALUE_HEADER = ("field", "row", "column", "type", "value")


# --------------------------------------------------------------------------- writing


def _typed(kind: Kind, value: Any) -> tuple[str, Any]:
    if kind in (Kind.SHORT_TEXT, Kind.LONG_TEXT):
        return "text", value
    if kind is Kind.HOURS:
        return "number", float(value)
    if kind is Kind.WHOLE_NUMBER:
        return "integer", int(value)
    if kind is Kind.DATE:
        return "date", value.isoformat()
    if kind is Kind.CHOICE:
        return "choice", value
    if kind is Kind.CHECK:
        return "bool", bool(value)
    raise AssertionError(f"{kind} is not a single-cell kind")


def value_rows(form: Form, values: Mapping[str, Any]) -> Iterator[tuple[str, int | None, str | None, str, Any]]:
    """The ``(field, row, column, type, value)`` rows that store ``values`` (canonical, see record)."""
    for item in form.fields():
        value = values.get(item.id)
        if value is None:
            continue
        kind = item.kind
        if kind is Kind.MULTI_CHOICE:
            for index, choice_id in enumerate(value, start=1):
                yield item.id, index, None, "choice", choice_id
        elif kind is Kind.CHECK_NOTE:
            yield item.id, None, "checked", "bool", bool(value.checked)
            if value.note is not None:
                yield item.id, None, "note", "text", value.note
        elif kind is Kind.RANK:
            for choice_id, rank in value.items():
                yield item.id, None, choice_id, "integer", int(rank)
        elif kind is Kind.TABLE:
            for index, row in enumerate(value, start=1):
                for column in item.columns:
                    cell = row.get(column.id)
                    if cell is not None:
                        yield (item.id, index, column.id, *_typed(column.kind, cell))
        elif kind is Kind.SIGNATURE:
            if value.name is not None:
                yield item.id, None, "name", "text", value.name
            if value.date is not None:
                yield item.id, None, "date", "date", value.date.isoformat()
            for part in ("signer_id", "meaning", "digest"):
                if getattr(value, part):
                    yield item.id, None, part, "text", getattr(value, part)
            if value.signed_at is not None:
                yield item.id, None, "signed_at", "text", value.signed_at.isoformat()
        else:
            yield (item.id, None, None, *_typed(kind, value))


def _time_text(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("record times must carry a time zone (UTC)")
    return moment.astimezone(dt.UTC).isoformat()


def write_machine_sheet(book: Workbook, form: Form, record: Record) -> None:
    """Add the hidden ``record`` sheet holding ``record`` exactly to ``book``."""
    sheet = book.create_sheet(SHEET)
    sheet.sheet_state = "hidden"
    put_at(sheet, 1, 1, MARKER)
    put_at(sheet, 1, 2, FORMAT)
    meta = {
        "form_id": record.form_id,
        "form_version": record.form_version,
        "academic_year": record.academic_year.label,
        "person_id": record.person_id,
        "department": record.department,
        "status": record.status.value,
        "created_at": _time_text(record.created_at),
        "saved_at": _time_text(record.saved_at),
        "saved_by": record.saved_by,
    }
    if record.version is not None:
        meta[VERSION_KEY] = record.version  # the number it is filed as: readers check it against the name
    for offset, key in enumerate(meta, start=2):
        put_at(sheet, offset, 1, key)
        put_at(sheet, offset, 2, meta[key])
    header_row = len(meta) + 3
    for column, title in enumerate(VALUE_HEADER, start=1):
        put_at(sheet, header_row, column, title)
    row_number = header_row
    rows: Iterable[tuple] = value_rows(form, record.values)
    rows = [*rows, *_unknown_rows(record.unknown)]
    for row_number, row in enumerate(rows, start=header_row + 1):
        for column, cell in enumerate(row, start=1):
            if cell is not None:
                put_at(sheet, row_number, column, cell)
    sheet.protection.sheet = True


def _unknown_rows(unknown: Mapping[str, Any]) -> Iterator[tuple]:
    """Rows keeping values of fields the declaration no longer has, exactly as they were read."""
    for field_id, entries in unknown.items():
        for entry in entries:
            yield (field_id, *entry)


# --------------------------------------------------------------------------- reading


def cell_text(value: Any) -> str:
    """A cell's value as the text it was written as (a reader may return whole numbers as floats)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_meta(rows: list[list[Any]], source: str) -> tuple[dict[str, Any], int]:
    """The ``key -> value`` rows at the top of the machine sheet, and the index of the blank row
    after them. WorkbookError (naming ``source``) if the sheet has no mentorforms marker."""
    if not rows or cell_text(rows[0][0] if rows[0] else None) != MARKER:
        raise WorkbookError(source, "not a mentorforms workbook (its 'record' sheet has no marker)")
    meta: dict[str, Any] = {}
    index = 1
    while index < len(rows) and cell_text(rows[index][0] if rows[index] else None) != "":
        row = rows[index]
        meta[cell_text(row[0])] = row[1] if len(row) > 1 else None
        index += 1
    return meta, index


def parse_rows(rows: list[list[Any]], source: str) -> Record:
    """Rebuild the record from the machine sheet's rows (as any reader returns them).

    ``form`` declarations are looked up by the id and year the sheet names; values of fields the
    declaration no longer has go to ``Record.unknown``. Raises WorkbookError naming ``source``.
    """
    from mentorforms.forms import UnknownFormError, get_form

    meta, index = read_meta(rows, source)
    missing = [key for key in ("form_id", "form_version", "academic_year", "person_id", "status") if key not in meta]
    if missing:
        raise WorkbookError(source, f"the record sheet lacks {', '.join(missing)}")
    try:
        form = get_form(cell_text(meta["form_id"]), cell_text(meta["academic_year"]))
        status = Status(cell_text(meta["status"]))
        version = int(float(meta["form_version"]))
        created = dt.datetime.fromisoformat(cell_text(meta.get("created_at")))
        saved = dt.datetime.fromisoformat(cell_text(meta.get("saved_at")))
        filed_as = int(float(meta[VERSION_KEY])) if meta.get(VERSION_KEY) not in (None, "") else None
    except UnknownFormError as error:
        raise WorkbookError(source, str(error)) from error
    except (ValueError, TypeError) as error:
        raise WorkbookError(source, f"the record sheet has a bad header value ({error})") from error
    # Skip the blank row and the column titles. This loop runs for every cell of every workbook a
    # report reads: plain strings (what the writer stores) skip cell_text.
    entries: dict[str, list[tuple[int | None, str | None, str, Any]]] = defaultdict(list)
    for row in rows[index + 2:]:
        if len(row) < 5:
            row = list(row) + [None] * (5 - len(row))
        first, raw_index, column, kind, raw = row[0], row[1], row[2], row[3], row[4]
        field_id = first if type(first) is str else cell_text(first)
        if not field_id:
            continue
        row_index = int(float(raw_index)) if raw_index is not None and raw_index != "" else None
        if type(column) is not str:
            column = cell_text(column)
        if type(kind) is not str:
            kind = cell_text(kind)
        try:
            entries[field_id].append((row_index, column or None, kind, _decode(kind, raw)))
        except (ValueError, TypeError) as error:
            raise WorkbookError(source, f"field {field_id!r} has a value that cannot be read ({error})") from error
    values: dict[str, Any] = {}
    unknown: dict[str, Any] = {}
    for field_id, items in entries.items():
        if form.has_field(field_id):
            item = form.field(field_id)
            if item.kind is Kind.TABLE:
                declared = set(item.column_ids)
                dropped = [entry for entry in items if entry[1] not in declared]
                if dropped:
                    unknown[f"{field_id}.{'/'.join(sorted({str(entry[1]) for entry in dropped}))}"] = tuple(dropped)
                items = [entry for entry in items if entry[1] in declared]
                if not items:
                    continue
            try:
                values[field_id] = _assemble(form.field(field_id), items)
                continue
            except (KeyError, ValueError, TypeError, AttributeError):
                pass  # the field changed kind since this workbook was written: keep the raw rows
        unknown[field_id] = tuple(items)
    return Record(
        form_id=form.id,
        form_version=version,
        academic_year=AcademicYear.parse(cell_text(meta["academic_year"])),
        person_id=cell_text(meta["person_id"]),
        department=cell_text(meta.get("department")),
        status=status,
        values=values,
        created_at=created,
        saved_at=saved,
        saved_by=cell_text(meta.get("saved_by")),
        unknown=unknown,
        version=filed_as,
    )


def _decode(kind: str, raw: Any) -> Any:
    if kind == "text" or kind == "choice":
        if type(raw) is str:
            return raw
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            # A text cell can come back as a number only if someone edited the sheet.
            return cell_text(raw)
        return "" if raw is None else str(raw)
    if kind == "number":
        return float(raw)
    if kind == "integer":
        number = float(raw)
        if not number.is_integer():
            raise ValueError(f"{raw!r} is not a whole number")
        return int(number)
    if kind == "date":
        if isinstance(raw, dt.datetime):
            return raw.date()
        if isinstance(raw, dt.date):
            return raw
        return dt.date.fromisoformat(str(raw))
    if kind == "bool":
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, (int, float)):
            return bool(raw)
        return str(raw).strip().lower() in ("true", "1")
    raise ValueError(f"unknown value type {kind!r}")


#: The value type a single-answer field is stored as, by kind.
_STORED_AS = {Kind.SHORT_TEXT: "text", Kind.LONG_TEXT: "text", Kind.HOURS: "number", Kind.WHOLE_NUMBER: "integer",
              Kind.DATE: "date", Kind.CHOICE: "choice", Kind.CHECK: "bool"}


def _assemble(item: Field, items: list[tuple[int | None, str | None, str, Any]]) -> Any:
    kind = item.kind
    if kind is Kind.MULTI_CHOICE:
        return tuple(value for _, _, _, value in sorted(items, key=lambda entry: entry[0] or 0))
    if kind is Kind.CHECK_NOTE:
        parts = {column: value for _, column, _, value in items}
        return CheckNote(bool(parts["checked"]), parts.get("note"))
    if kind is Kind.RANK:
        return {column: value for _, column, _, value in items}
    if kind is Kind.TABLE:
        rows: dict[int, dict[str, Any]] = {}
        for row_index, column, _, value in items:
            if row_index is None or column is None:
                raise ValueError("a table's answer names no row or column")
            item.column(column)  # KeyError for a column the table no longer has
            rows.setdefault(row_index, {})[column] = value
        return tuple({column.id: rows[index].get(column.id) for column in item.columns} for index in sorted(rows))
    if kind is Kind.SIGNATURE:
        parts = {column: value for _, column, _, value in items}
        signed_at = parts.get("signed_at")
        return Signature(parts.get("name"), parts.get("date"), signer_id=parts.get("signer_id") or "",
                         signed_at=dt.datetime.fromisoformat(signed_at) if signed_at else None,
                         meaning=parts.get("meaning") or "", digest=parts.get("digest") or "")
    if len(items) != 1 or items[0][0] is not None or items[0][1] is not None:
        raise ValueError("a single-answer field has several rows")
    expected = _STORED_AS[kind]
    if items[0][2] != expected:
        raise ValueError(f"stored as {items[0][2]}, declared as {kind.value}")
    return items[0][3]
