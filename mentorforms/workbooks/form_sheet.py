"""The first sheet of a submission workbook: the form laid out as on paper, readable and printable.

Where each answer goes is :mod:`mentorforms.workbooks.form_plan`'s plan; the checks on its input
cells are :mod:`mentorforms.workbooks.sheet_checks`'; the printed side is
:mod:`mentorforms.workbooks.form_sheet_print`'s.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from mentorforms.vocabulary.declaration import Field, Form, Kind, Section
from mentorforms.vocabulary.limits import SIGNATURE_DATE, limits
from mentorforms.vocabulary.record import CheckNote, Record, Signature
from mentorforms.vocabulary.rounding import HOURS_NUMBER_FORMAT
from mentorforms.workbooks.form_plan import MARK, SHEET, Plan, Slot, answer_columns, plan, question_label
from mentorforms.workbooks.form_sheet_print import print_setup, signature_line
from mentorforms.workbooks.safe_cell import put, put_at
from mentorforms.workbooks.sheet_checks import LISTS_SHEET, SheetChecks

#: Re-exported: the plan is read through this module too (the network map's picture).
__all__ = ["LISTS_SHEET", "MARK", "SHEET", "Plan", "Slot", "answer_columns", "plan", "question_label",
           "write_form_sheet"]

LABEL_WIDTH = 46
ANSWER_WIDTH = 17

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
        cells = f"{get_column_letter(first)}{row}:{get_column_letter(last)}{row}"
        sheet.merged_cells.add(MergedCellRange(sheet, cells))


def _input(cell: Cell) -> None:
    cell.protection = _UNLOCKED
    cell.fill = _INPUT_FILL
    cell.border = _BOX
    cell.alignment = _WRAP


class _Writer:
    """Writes one record onto the Form sheet, row by row, following the plan."""

    def __init__(self, book: Workbook, form: Form, record: Record, layout: Plan, blank: bool) -> None:
        self.form = form
        self.record = record
        self.layout = layout
        self.blank = blank
        sheet = book.active
        assert isinstance(sheet, Worksheet)  # a new workbook's only sheet
        self.sheet = sheet
        self.checks = SheetChecks(book, sheet)
        self.last = layout.width
        self.answer_chars = ANSWER_WIDTH * (self.last - 1) * 1.1
        self.slots: dict[str, list[Slot]] = {}
        for slot in layout.slots:
            self.slots.setdefault(slot.field_id, []).append(slot)

    def input_cell(self, row: int, column: int, value: Any) -> Cell:
        cell = put(self.sheet.cell(row=row, column=column), value)
        _input(cell)
        return cell

    def question(self, row: int, item: Field) -> None:
        """The question of a field whose answers sit in the rows below it."""
        question = put_at(self.sheet, row, 1, question_label(item))
        question.font = _BOLD
        question.alignment = _WRAP
        _merge(self.sheet, row, 1, self.last)
        _fit_height(self.sheet, row, item.label, LABEL_WIDTH + self.answer_chars)

    def header(self, person_name: str) -> int:
        """Title, source, whose form and its status; returns the next row."""
        sheet, form, record, last = self.sheet, self.form, self.record, self.last
        sheet.title = SHEET
        sheet.column_dimensions["A"].width = LABEL_WIDTH
        for column in range(2, last + 1):
            sheet.column_dimensions[get_column_letter(column)].width = ANSWER_WIDTH
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
        if self.blank:
            _input(person)
        put_at(sheet, row, 3, person_name or None)
        put_at(sheet, row, 4, record.department or None)
        row += 1
        saved = record.saved_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        status = "Blank form: fill the shaded cells" if self.blank else f"Status: {record.status.value}, saved {saved}"
        put_at(sheet, row, 1, status).font = _MUTED
        if record.saved_by and not self.blank:
            put_at(sheet, row, 2, f"by {record.saved_by}").font = _MUTED
        row += 1
        if form.intro:
            put_at(sheet, row, 1, form.intro).alignment = _WRAP
            _merge(sheet, row, 1, last)
            _fit_height(sheet, row, form.intro, LABEL_WIDTH + self.answer_chars)
            row += 1
        return row

    def section(self, row: int, section: Section) -> int:
        """A section's heading, intro and fields from ``row``; returns the next row."""
        row += 1
        put_at(self.sheet, row, 1, section.title).font = _SECTION
        for column in range(1, self.last + 1):
            self.sheet.cell(row=row, column=column).fill = _SECTION_FILL
        row += 1
        if section.intro:
            put_at(self.sheet, row, 1, section.intro).alignment = _WRAP
            _merge(self.sheet, row, 1, self.last)
            row += 1
        for item in section.fields:
            value = self.record.values.get(item.id)
            if item.kind in (Kind.MULTI_CHOICE, Kind.RANK):
                row = self.options(row, item, value)
            elif item.kind is Kind.TABLE:
                row = self.table(row, item, value)
            else:
                row = self.single(row, item, value) + 1
        return row

    def options(self, row: int, item: Field, value: Any) -> int:
        """A multiple-choice or rank field: the question, then a row per option."""
        self.question(row, item)
        row += 1
        for slot in self.slots[item.id]:
            part = str(slot.part)
            put_at(self.sheet, row, 1, item.choice_label(part)).alignment = _WRAP
            if item.kind is Kind.MULTI_CHOICE:
                shown = MARK if value and part in value else None
            else:
                shown = (value or {}).get(part)
            cell = self.input_cell(row, 2, shown)
            cell.alignment = Alignment(horizontal="center")
            self.checks.check(cell, item.id, item.kind, limits(item), item.label)
            _fit_height(self.sheet, row, item.choice_label(part), LABEL_WIDTH)
            row += 1
        return row

    def table(self, row: int, item: Field, value: Any) -> int:
        """A table: the question, the column titles, then its rows as an Excel table."""
        self.question(row, item)
        header, _, final = self.layout.tables[item.id]
        for offset, column in enumerate(item.columns, start=1):
            title = put_at(self.sheet, header, offset, column.label)
            title.font = _BOLD
            title.alignment = _WRAP
            _fit_height(self.sheet, header, column.label, LABEL_WIDTH if offset == 1 else ANSWER_WIDTH)
        rows = list(value or ())
        for slot in self.slots[item.id]:
            index, column_id = slot.table_cell
            column = item.column(column_id)
            cell_value = _display(column, rows[index - 1].get(column.id)) if index <= len(rows) else None
            cell = self.input_cell(slot.row, slot.column, cell_value)
            self.checks.check(cell, f"{item.id}.{column.id}", column.kind, limits(column), column.label)
            _fit_height(self.sheet, slot.row, cell_value, ANSWER_WIDTH if slot.column > 1 else LABEL_WIDTH)
        table = Table(displayName=f"t_{item.id}", ref=f"A{header}:{get_column_letter(len(item.columns))}{final}")
        table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
        self.sheet.add_table(table)
        return final + 1

    def single(self, row: int, item: Field, value: Any) -> int:
        """A field on one row (two for a signature): the label left, the answer right; returns
        its last row."""
        sheet, last = self.sheet, self.last
        label = put_at(sheet, row, 1, question_label(item))
        label.alignment = _WRAP
        label.font = _BOLD if item.required else Font()
        _fit_height(sheet, row, label.value, LABEL_WIDTH)
        if item.kind is Kind.CHECK_NOTE:
            note = value if isinstance(value, CheckNote) else None
            box = self.input_cell(row, 2, MARK if note and note.checked else None)
            box.alignment = Alignment(horizontal="center", vertical="top")
            self.checks.check(box, item.id, item.kind, limits(item), item.label)
            text = self.input_cell(row, 3, note.note if note else None)
            _merge(sheet, row, 3, last)
            _fit_height(sheet, row, text.value, ANSWER_WIDTH * (last - 2))
        elif item.kind is Kind.SIGNATURE:
            signed = value if isinstance(value, Signature) else None
            self.input_cell(row, 2, signed.name if signed else None)
            _merge(sheet, row, 2, 3)
            put_at(sheet, row, 4, "Date").alignment = Alignment(horizontal="right")
            when = self.input_cell(row, 5, signed.date if signed else None)
            self.checks.check(when, _SIGNATURE_DATE_KEY, Kind.DATE, SIGNATURE_DATE)
            row += 1
            attested = put_at(sheet, row, 2, signature_line(self.form, item.id, signed))
            attested.font = _MUTED
            attested.alignment = _WRAP
            _merge(sheet, row, 2, last)
            _fit_height(sheet, row, attested.value, self.answer_chars)
        else:
            cell = self.input_cell(row, 2, _display(item, value))
            _merge(sheet, row, 2, last)
            if item.kind is Kind.HOURS:
                cell.number_format = HOURS_NUMBER_FORMAT
            self.checks.check(cell, item.id, item.kind, limits(item), item.label)
            _fit_height(sheet, row, cell.value, self.answer_chars)
        return row


def write_form_sheet(book: Workbook, form: Form, record: Record, *, person_name: str = "",
                     blank: bool = False) -> Plan:
    """Lay ``record`` out on the first sheet of ``book`` as the paper form reads; return the plan.

    With ``blank``, every table shows its maximum rows and the person's roster id is an input cell,
    so the workbook can be filled offline. Input cells are unlocked; the rest of the sheet is
    protected (without a password: protection guides, it does not secure).
    """
    table_rows = {
        item.id: (item.max_rows if blank else len(record.values.get(item.id) or ()))
        for item in form.fields() if item.kind is Kind.TABLE
    }
    layout = plan(form, table_rows)
    writer = _Writer(book, form, record, layout, blank)
    row = writer.header(person_name)
    for section in form.sections:
        row = writer.section(row, section)
    sheet, last = writer.sheet, layout.width
    if form.footnote:
        row += 1
        put_at(sheet, row, 1, form.footnote).font = _MUTED
        _merge(sheet, row, 1, last)
    print_setup(sheet, form, record, person_name, last)
    sheet.protection.sheet = True
    sheet.protection.formatRows = False
    sheet.protection.formatColumns = False
    return layout


#: The key of the one check shared by every signature's date.
_SIGNATURE_DATE_KEY = "_signature_date"
