"""The first sheet of a submission workbook: the form laid out as on paper, readable and printable.

The layout is a pure function of the declaration and the number of rows each table shows
(:func:`plan`), so the same plan places answers when writing, and finds them again when a
person fills a blank workbook offline (see :mod:`mentorforms.rules.offline`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from mentorforms import messages
from mentorforms.vocabulary.declaration import Field, Form, Kind
from mentorforms.vocabulary.record import CheckNote, Record, Signature
from mentorforms.vocabulary.rounding import HOURS_NUMBER_FORMAT
from mentorforms.workbooks.form_sheet_print import print_setup, signature_line
from mentorforms.workbooks.safe_cell import put, put_at

SHEET = "Form"
LISTS_SHEET = "lists"
MARK = "X"  # what ticks a box, as the paper form asks ("put an X in the box")
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


@dataclass(frozen=True)
class Slot:
    """Where one answer of a field sits on the form sheet (1-based row and column).

    ``part`` says which piece of the value it holds: ``None`` for a single answer, a choice id for
    one option of a multiple-choice or rank field, ``"checked"``/``"note"`` or ``"name"``/``"date"``
    for the two halves of a check-with-note or signature, a column id for a table cell.
    """

    field_id: str
    row: int
    column: int
    part: str | None = None
    table_row: int | None = None

    @property
    def address(self) -> str:
        return f"{get_column_letter(self.column)}{self.row}"


@dataclass(frozen=True)
class Plan:
    """The whole layout: every input slot, table ranges, and where the person's id is typed."""

    width: int
    slots: tuple[Slot, ...]
    tables: Mapping[str, tuple[int, int, int]]  # field id -> (header row, first data row, last data row)
    person_slot: Slot

    def slots_for(self, field_id: str) -> list[Slot]:
        return [slot for slot in self.slots if slot.field_id == field_id]


def answer_columns(form: Form) -> int:
    """How many answer columns the sheet has: enough for the widest table."""
    widest = max((len(item.columns) for item in form.fields() if item.kind is Kind.TABLE), default=0)
    return max(MIN_ANSWER_COLUMNS, widest - 1)


def plan(form: Form, table_rows: Mapping[str, int]) -> Plan:
    """The layout of ``form`` when each table shows ``table_rows[field id]`` rows (at least 1)."""
    width = 1 + answer_columns(form)
    slots: list[Slot] = []
    tables: dict[str, tuple[int, int, int]] = {}
    row = 1
    row += 1  # title
    row += 1  # source and academic year
    person_slot = Slot("person_id", row, 2)
    row += 1  # person and department
    row += 1  # status and saved
    if form.intro:
        row += 1
    for section in form.sections:
        row += 1  # blank spacer
        row += 1  # section heading
        if section.intro:
            row += 1
        for item in section.fields:
            kind = item.kind
            if kind in (Kind.MULTI_CHOICE, Kind.RANK):
                row += 1  # the question
                for choice in item.choices:
                    slots.append(Slot(item.id, row, 2, choice.id))
                    row += 1
            elif kind is Kind.CHECK_NOTE:
                slots.append(Slot(item.id, row, 2, "checked"))
                slots.append(Slot(item.id, row, 3, "note"))
                row += 1
            elif kind is Kind.SIGNATURE:
                slots.append(Slot(item.id, row, 2, "name"))
                slots.append(Slot(item.id, row, 5, "date"))
                row += 2  # the row below says who signed, when, and what the signature means
            elif kind is Kind.TABLE:
                row += 1  # the question
                header = row
                count = max(1, table_rows.get(item.id, 1))
                for index in range(count):
                    for offset, column in enumerate(item.columns):
                        slots.append(Slot(item.id, header + 1 + index, 1 + offset, column.id, index + 1))
                tables[item.id] = (header, header + 1, header + count)
                row = header + count + 1
            else:
                slots.append(Slot(item.id, row, 2))
                row += 1
    return Plan(width, tuple(slots), tables, person_slot)


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


def question_label(item: Field) -> str:
    """A question as printed on the form sheet: LCME-required topics carry the document's star."""
    return f"* {item.label}" if item.lcme else item.label


class _Lists:
    """The hidden sheet that holds the options of every dropdown (labels can contain commas)."""

    def __init__(self, book: Workbook) -> None:
        self.sheet = book.create_sheet(LISTS_SHEET)
        self.sheet.sheet_state = "hidden"
        self.column = 0
        self.ranges: dict[str, str] = {}

    def range_for(self, key: str, options: list[str]) -> str:
        if key not in self.ranges:
            self.column += 1
            for index, option in enumerate(options, start=1):
                put_at(self.sheet, index, self.column, option)
            letter = get_column_letter(self.column)
            self.ranges[key] = f"{LISTS_SHEET}!${letter}$1:${letter}${len(options)}"
        return self.ranges[key]


def _validation_for(sheet: Worksheet, lists: _Lists, item: Field, cache: dict, key: str) -> DataValidation | None:
    """A dropdown or number check for the input cells of ``item``, made once per ``key`` and shared."""
    if key in cache:
        return cache[key]
    validation: DataValidation | None
    if item.kind is Kind.CHOICE:
        validation = DataValidation(type="list", formula1=lists.range_for(key, [c.label for c in item.choices]),
                                    allow_blank=True, showErrorMessage=True, errorTitle=item.label[:32],
                                    error=messages.SHEET_CHOOSE_LISTED)
    elif item.kind in (Kind.CHECK, Kind.MULTI_CHOICE, Kind.CHECK_NOTE):
        validation = DataValidation(type="list", formula1=f'"{MARK}"', allow_blank=True, showErrorMessage=True,
                                    error=f"Type {MARK} to tick the box, or leave it empty.")
    elif item.kind is Kind.HOURS:
        validation = DataValidation(type="decimal", operator="between", formula1="0",
                                    formula2=str(item.max_value or 100000), allow_blank=True, showErrorMessage=True,
                                    error=messages.SHEET_HOURS)
    elif item.kind is Kind.WHOLE_NUMBER or item.kind is Kind.RANK:
        low, high = (1, len(item.choices)) if item.kind is Kind.RANK else (item.min_value, item.max_value)
        validation = DataValidation(type="whole", operator="between", formula1=str(int(low if low is not None else -10**9)),
                                    formula2=str(int(high if high is not None else 10**9)), allow_blank=True,
                                    showErrorMessage=True, error=messages.SHEET_WHOLE_NUMBER)
    elif item.kind is Kind.DATE:
        validation = DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True,
                                    showErrorMessage=True, error=messages.SHEET_DATE)
    else:
        validation = None
    if validation is not None:
        sheet.add_data_validation(validation)
    cache[key] = validation
    return validation


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
    lists = _Lists(book)
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
            validation = _validation_for(sheet, lists, item, validations, item.id)
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
                    column.id: _validation_for(sheet, lists, column, validations, f"{item.id}.{column.id}")
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
                    date_check = _validation_for(sheet, lists, _DATE_FIELD, validations, _DATE_FIELD.id)
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
