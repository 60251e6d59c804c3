"""The checks Excel applies to a Form sheet's input cells (dropdowns, number ranges, dates, text
lengths), and the hidden sheet that lists the dropdowns' options.

Every bound comes from :func:`mentorforms.vocabulary.limits.limits`, the derivation the page's
validation uses, so a blank workbook refuses the answers the page refuses.
"""

from __future__ import annotations

import datetime as dt

from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from mentorforms import messages
from mentorforms.vocabulary.declaration import Kind
from mentorforms.vocabulary.limits import Limits
from mentorforms.workbooks.form_plan import MARK
from mentorforms.workbooks.safe_cell import put_at

LISTS_SHEET = "lists"
#: The most negative number a cell holds: a number check with no lower bound starts there.
EXCEL_LOWEST = "-9.99999999999999E+307"
_TICK_KINDS = (Kind.CHECK, Kind.MULTI_CHOICE, Kind.CHECK_NOTE)


class ChoiceLists:
    """The hidden sheet that holds the options of every dropdown (labels can contain commas)."""

    def __init__(self, book: Workbook) -> None:
        self.sheet = book.create_sheet(LISTS_SHEET)
        self.sheet.sheet_state = "hidden"
        self.column = 0
        self.ranges: dict[str, str] = {}

    def range_for(self, key: str, options: list[str]) -> str:
        """The cell range listing ``options``, written once per ``key``."""
        if key not in self.ranges:
            self.column += 1
            for index, option in enumerate(options, start=1):
                put_at(self.sheet, index, self.column, option)
            letter = get_column_letter(self.column)
            self.ranges[key] = f"{LISTS_SHEET}!${letter}$1:${letter}${len(options)}"
        return self.ranges[key]


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _range(type_: str, low: str | None, high: str | None, error: str) -> DataValidation:
    """A number or date check between ``low`` and ``high`` (inclusive; None: unbounded)."""
    if low is not None and high is not None:
        operator, first, second = "between", low, high
    elif high is not None:
        operator, first, second = "lessThanOrEqual", high, None
    else:
        operator, first, second = "greaterThanOrEqual", low if low is not None else EXCEL_LOWEST, None
    return DataValidation(type=type_, operator=operator, formula1=first, formula2=second, allow_blank=True,
                          showErrorMessage=True, error=error)


def _date_serial(day: dt.date) -> str:
    return _number(float(to_excel(day)))


def data_validation(kind: Kind, bounds: Limits, label: str, lists: ChoiceLists, key: str) -> DataValidation | None:
    """The check of one input cell of a ``kind`` answer bounded by ``bounds``; None for none."""
    if kind is Kind.CHOICE:
        options = lists.range_for(key, [choice.label for choice in bounds.choices])
        return DataValidation(type="list", formula1=options, allow_blank=True, showErrorMessage=True,
                              errorTitle=label[:32], error=messages.SHEET_CHOOSE_LISTED)
    if kind in _TICK_KINDS:
        return DataValidation(type="list", formula1=f'"{MARK}"', allow_blank=True, showErrorMessage=True,
                              error=f"Type {MARK} to tick the box, or leave it empty.")
    if kind in (Kind.HOURS, Kind.WHOLE_NUMBER, Kind.RANK):
        low = None if bounds.low is None else _number(bounds.low)
        high = None if bounds.high is None else _number(bounds.high)
        if bounds.whole:
            return _range("whole", low, high, messages.SHEET_WHOLE_NUMBER)
        return _range("decimal", low, high, messages.SHEET_HOURS)
    if kind is Kind.DATE:
        earliest = None if bounds.earliest is None else _date_serial(bounds.earliest)
        latest = "TODAY()" if bounds.not_future else (None if bounds.latest is None else _date_serial(bounds.latest))
        return _range("date", earliest, latest, messages.SHEET_DATE)
    if kind in (Kind.SHORT_TEXT, Kind.LONG_TEXT) and bounds.max_length:
        return DataValidation(type="textLength", operator="lessThanOrEqual", formula1=str(bounds.max_length),
                              allow_blank=True, showErrorMessage=True,
                              error=messages.say(messages.ANSWER_TOO_LONG, count=bounds.max_length))
    return None


class SheetChecks:
    """The checks of one sheet: one data validation per key (a field, a table column, the
    signatures' dates), made on first use and shared by every cell it checks."""

    def __init__(self, book: Workbook, sheet: Worksheet) -> None:
        self.sheet = sheet
        self.lists = ChoiceLists(book)
        self._made: dict[str, DataValidation | None] = {}

    def check(self, cell: Cell, key: str, kind: Kind, bounds: Limits, label: str = "") -> None:
        """Have Excel check ``cell`` as an answer of ``kind`` within ``bounds``."""
        if key not in self._made:
            validation = data_validation(kind, bounds, label, self.lists, key)
            if validation is not None:
                self.sheet.add_data_validation(validation)
            self._made[key] = validation
        made = self._made[key]
        if made is not None:
            made.add(cell)
