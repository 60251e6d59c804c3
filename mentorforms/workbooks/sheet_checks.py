"""The checks Excel applies to a Form sheet's input cells (dropdowns, number ranges, dates), and
the hidden sheet that lists the dropdowns' options."""

from __future__ import annotations

from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from mentorforms import messages
from mentorforms.vocabulary.declaration import Field, Kind
from mentorforms.workbooks.form_plan import MARK
from mentorforms.workbooks.safe_cell import put_at

LISTS_SHEET = "lists"


class ChoiceLists:
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


def validation_for(sheet: Worksheet, lists: ChoiceLists, item: Field, cache: dict, key: str) -> DataValidation | None:
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
