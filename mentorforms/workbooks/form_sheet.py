"""The first sheet of a submission workbook: the form laid out as on paper, readable and printable.

Where each answer goes is :mod:`mentorforms.workbooks.form_plan`'s plan; the checks on its input
cells are :mod:`mentorforms.workbooks.sheet_checks`'; the printed side is
:mod:`mentorforms.workbooks.form_sheet_print`'s.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from mentorforms.vocabulary.declaration import Field, Form, Kind
from mentorforms.vocabulary.record import CheckNote, Record, Signature
from mentorforms.vocabulary.rounding import HOURS_NUMBER_FORMAT
from mentorforms.workbooks.form_plan import MARK, SHEET, Plan, Slot, answer_columns, plan, question_label
from mentorforms.workbooks.form_sheet_print import print_setup, signature_line
from mentorforms.workbooks.safe_cell import put, put_at
from mentorforms.workbooks.sheet_checks import LISTS_SHEET, ChoiceLists, validation_for

#: Re-exported: the plan is read through this module too (the network map's picture).
__all__ = ["LISTS_SHEET", "MARK", "SHEET", "Plan", "Slot", "answer_columns", "plan", "question_label",
           "write_form_sheet"]

LABEL_WIDTH = 46
ANSWER_WIDTH = 17
MIN_ANSWER_COLUMNS = 5

_TITLE = Font(bold=True, size=14)
_SECTION = Font(bold=True, size=12)
_BOLD = Font(bold=True)
_MUTED = Font(italic=True, color="555555", size=9)
_SECTION_FILL = PatternFill("solid", fgColor="DDE6F0")
_INPUT_FILL = PatternFill("solid", fgColor="FFFDE7")
_THIN = Side(style="thin", color="999999")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_UNLOCKED = Protection(locked=False)


# --------------------------------------------------------------------------- writing


def _display(item: Field, value: Any) -> Any:
    """A cell value as a person reads it: choice labels, an X for a tick."""
    if value is None:
        return None
    if item.kind is Kind.CHOICE:
        return item.choice_label(value)
    if item.kind is Kind.CHECK:
        return MARK if value else None
    return value


def _estimated_lines(text: str, width_chars: float) -> int:
    lines = 0
    for paragraph in str(text).split("\n"):
        lines += max(1, int(len(paragraph) / max(width_chars, 1)) + 1)
    return lines


def _fit_height(sheet: Worksheet, row: int, text: Any, width_chars: float) -> None:
    if isinstance(text, str) and text:
        needed = min(409, 15 * _estimated_lines(text, width_chars))
        current = sheet.row_dimensions[row].height or 15
        sheet.row_dimensions[row].height = max(current, needed)


def _merge(sheet: Worksheet, row: int, first: int, last: int) -> None:
    # Registering the range directly skips openpyxl's border copying for merged cells, which was
    # over half the time of writing a workbook; the merged-over cells are empty, so nothing is lost.
    if last > first:
        sheet.merged_cells.add(MergedCellRange(sheet, f"{get_column_letter(first)}{row}:{get_column_letter(last)}{row}"))


def _input(cell) -> None:
    cell.protection = _UNLOCKED
    cell.fill = _INPUT_FILL
    cell.border = _BOX
    cell.alignment = _WRAP


def write_form_sheet(book: Workbook, form: Form, record: Record, *, person_name: str = "",
                     blank: bool = False) -> Plan:
    """Lay ``record`` out on the first sheet of ``book`` as the paper form reads; return the plan.

    With ``blank``, every table shows its maximum rows and the person's roster id is an input cell,
    so the workbook can be filled offline. Input cells are unlocked; the rest of the sheet is
    protected (without a password: protection guides, it does not secure).
    """
    values = record.values
    table_rows = {
        item.id: (item.max_rows if blank else len(values.get(item.id) or ()))
        for item in form.fields() if item.kind is Kind.TABLE
    }
    layout = plan(form, table_rows)
    sheet = book.active
    sheet.title = SHEET
    last = layout.width
    sheet.column_dimensions["A"].width = LABEL_WIDTH
    for column in range(2, last + 1):
        sheet.column_dimensions[get_column_letter(column)].width = ANSWER_WIDTH
    answer_chars = ANSWER_WIDTH * (last - 1) * 1.1
    lists = ChoiceLists(book)
    validations: dict[str, DataValidation | None] = {}
    slots_by_field: dict[str, list[Slot]] = {}
    for slot in layout.slots:
        slots_by_field.setdefault(slot.field_id, []).append(slot)

    row = 1
    put_at(sheet, row, 1, form.title).font = _TITLE
    _merge(sheet, row, 1, last)
    sheet.row_dimensions[row].height = 22
    row += 1
    put_at(sheet, row, 1, form.source).font = _MUTED
    put_at(sheet, row, 2, f"Academic year {form.academic_year.label}").font = _MUTED
    row += 1
    put_at(sheet, row, 1, "Roster id").font = _BOLD
    person = put_at(sheet, row, 2, record.person_id or None)
    if blank:
        _input(person)
    put_at(sheet, row, 3, person_name or None)
    put_at(sheet, row, 4, record.department or None)
    row += 1
    saved = record.saved_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    status_text = "Blank form: fill the shaded cells" if blank else f"Status: {record.status.value}, saved {saved}"
    put_at(sheet, row, 1, status_text).font = _MUTED
    if record.saved_by and not blank:
        put_at(sheet, row, 2, f"by {record.saved_by}").font = _MUTED
    row += 1
    if form.intro:
        put_at(sheet, row, 1, form.intro).alignment = _WRAP
        _merge(sheet, row, 1, last)
        _fit_height(sheet, row, form.intro, LABEL_WIDTH + answer_chars)
        row += 1

    for section in form.sections:
        row += 1
        heading = put_at(sheet, row, 1, section.title)
        heading.font = _SECTION
        for column in range(1, last + 1):
            sheet.cell(row=row, column=column).fill = _SECTION_FILL
        row += 1
        if section.intro:
            put_at(sheet, row, 1, section.intro).alignment = _WRAP
            _merge(sheet, row, 1, last)
            row += 1
        for item in section.fields:
            value = values.get(item.id)
            slots = slots_by_field.get(item.id, [])
            validation = validation_for(sheet, lists, item, validations, item.id)
            if item.kind in (Kind.MULTI_CHOICE, Kind.RANK):
                question = put_at(sheet, row, 1, question_label(item))
                question.font = _BOLD
                question.alignment = _WRAP
                _merge(sheet, row, 1, last)
                _fit_height(sheet, row, item.label, LABEL_WIDTH + answer_chars)
                row += 1
                for slot in slots:
                    assert slot.row == row
                    put_at(sheet, row, 1, item.choice_label(slot.part)).alignment = _WRAP
                    if item.kind is Kind.MULTI_CHOICE:
                        shown = MARK if value and slot.part in value else None
                    else:
                        shown = (value or {}).get(slot.part)
                    cell = put(sheet.cell(row=row, column=2), shown)
                    _input(cell)
                    cell.alignment = Alignment(horizontal="center")
                    if validation:
                        validation.add(cell)
                    _fit_height(sheet, row, item.choice_label(slot.part), LABEL_WIDTH)
                    row += 1
            elif item.kind is Kind.TABLE:
                question = put_at(sheet, row, 1, question_label(item))
                question.font = _BOLD
                question.alignment = _WRAP
                _merge(sheet, row, 1, last)
                _fit_height(sheet, row, item.label, LABEL_WIDTH + answer_chars)
                header, first, final = layout.tables[item.id]
                for offset, column in enumerate(item.columns, start=1):
                    title = put_at(sheet, header, offset, column.label)
                    title.font = _BOLD
                    title.alignment = _WRAP
                    _fit_height(sheet, header, column.label, LABEL_WIDTH if offset == 1 else ANSWER_WIDTH)
                column_validations = {
                    column.id: validation_for(sheet, lists, column, validations, f"{item.id}.{column.id}")
                    for column in item.columns
                }
                rows = list(value or ())
                for slot in slots:
                    cell_value = None
                    if slot.table_row <= len(rows):
                        cell_value = _display(item.column(slot.part), rows[slot.table_row - 1].get(slot.part))
                    cell = put(sheet.cell(row=slot.row, column=slot.column), cell_value)
                    _input(cell)
                    if column_validations[slot.part]:
                        column_validations[slot.part].add(cell)
                    _fit_height(sheet, slot.row, cell_value, ANSWER_WIDTH if slot.column > 1 else LABEL_WIDTH)
                ref = f"A{header}:{get_column_letter(len(item.columns))}{final}"
                table = Table(displayName=f"t_{item.id}", ref=ref)
                table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
                sheet.add_table(table)
                row = final + 1
            else:
                label = put_at(sheet, row, 1, question_label(item))
                label.alignment = _WRAP
                label.font = _BOLD if item.required else Font()
                _fit_height(sheet, row, label.value, LABEL_WIDTH)
                if item.kind is Kind.CHECK_NOTE:
                    note = value if isinstance(value, CheckNote) else None
                    box = put(sheet.cell(row=row, column=2), MARK if note and note.checked else None)
                    _input(box)
                    box.alignment = Alignment(horizontal="center", vertical="top")
                    if validation:
                        validation.add(box)
                    text = put(sheet.cell(row=row, column=3), note.note if note else None)
                    _input(text)
                    _merge(sheet, row, 3, last)
                    _fit_height(sheet, row, text.value, ANSWER_WIDTH * (last - 2))
                elif item.kind is Kind.SIGNATURE:
                    signed = value if isinstance(value, Signature) else None
                    name = put(sheet.cell(row=row, column=2), signed.name if signed else None)
                    _input(name)
                    _merge(sheet, row, 2, 3)
                    put_at(sheet, row, 4, "Date").alignment = Alignment(horizontal="right")
                    when = put(sheet.cell(row=row, column=5), signed.date if signed else None)
                    _input(when)
                    date_check = validation_for(sheet, lists, _DATE_FIELD, validations, _DATE_FIELD.id)
                    date_check.add(when)
                    row += 1
                    attested = put_at(sheet, row, 2, signature_line(form, item.id, signed))
                    attested.font = _MUTED
                    attested.alignment = _WRAP
                    _merge(sheet, row, 2, last)
                    _fit_height(sheet, row, attested.value, answer_chars)
                else:
                    cell = put(sheet.cell(row=row, column=2), _display(item, value))
                    _input(cell)
                    _merge(sheet, row, 2, last)
                    if item.kind is Kind.HOURS:
                        cell.number_format = HOURS_NUMBER_FORMAT
                    if validation:
                        validation.add(cell)
                    _fit_height(sheet, row, cell.value, answer_chars)
                row += 1
    if form.footnote:
        row += 1
        put_at(sheet, row, 1, form.footnote).font = _MUTED
        _merge(sheet, row, 1, last)
    print_setup(sheet, form, record, person_name, last)
    sheet.protection.sheet = True
    sheet.protection.formatRows = False
    sheet.protection.formatColumns = False
    return layout


_DATE_FIELD = Field("_signature_date", "Date", Kind.DATE)
