"""Where everything sits on a workbook's Form sheet: a pure function of the declaration and the
number of rows each table shows (:func:`plan`), so the same plan places answers when writing
(:mod:`mentorforms.workbooks.form_sheet`) and finds them again when a person fills a blank
workbook offline (:mod:`mentorforms.rules.offline`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from openpyxl.utils import get_column_letter

from mentorforms.vocabulary.declaration import Field, Form, Kind

SHEET = "Form"
MARK = "X"  # what ticks a box, as the paper form asks ("put an X in the box")
MIN_ANSWER_COLUMNS = 5


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
        """The cell's address, such as ``B12``."""
        return f"{get_column_letter(self.column)}{self.row}"

    @property
    def table_cell(self) -> tuple[int, str]:
        """The (row number, column id) of a table cell's slot; ValueError for any other slot."""
        if self.table_row is None or self.part is None:
            raise ValueError(f"{self.field_id} at {self.address} is not a table cell")
        return self.table_row, self.part


@dataclass(frozen=True)
class Plan:
    """The whole layout: every input slot, table ranges, and where the person's id is typed."""

    width: int
    slots: tuple[Slot, ...]
    tables: Mapping[str, tuple[int, int, int]]  # field id -> (header row, first data row, last data row)
    person_slot: Slot

    def slots_for(self, field_id: str) -> list[Slot]:
        """The slots of one field, in sheet order."""
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


def question_label(item: Field) -> str:
    """A question as printed on the form sheet: LCME-required topics carry the document's star."""
    return f"* {item.label}" if item.lcme else item.label
