"""The one way any text reaches a spreadsheet cell in this package.

openpyxl (and pandas ``to_excel``) store a string that starts with ``=`` as a formula. Every
writer here — submissions, blanks, rosters, report exports — goes through :func:`put` so that
user text is always stored as text, whatever it starts with, and text Excel cannot hold is
refused with a reason instead of failing half way through a save.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from openpyxl.cell.cell import Cell

from mentorforms.errors import UnsafeTextError

#: Excel's limit on the characters in one cell; openpyxl cuts longer text silently on reading.
MAX_CELL_TEXT = 32_767
#: Characters an .xlsx file cannot contain (openpyxl raises IllegalCharacterError on them).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SURROGATES = re.compile(r"[\ud800-\udfff]")
#: First characters a spreadsheet program may read as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def text_problem(text: str) -> str | None:
    """Why ``text`` cannot be stored in a cell exactly as typed, in plain words; None if it can."""
    if len(text) > MAX_CELL_TEXT:
        return f"is {len(text):,} characters long; a spreadsheet cell holds at most {MAX_CELL_TEXT:,}"
    if CONTROL_CHARACTERS.search(text):
        return "contains invisible control characters; please retype it or paste it as plain text"
    if _SURROGATES.search(text):
        return "contains a broken character (half of an emoji or symbol); please retype it"
    return None


def clean_text(text: str) -> str:
    """``text`` without the control characters a workbook cannot hold (tabs and newlines are kept).

    Line ends become ``\n``: XML turns a stored ``\r`` into ``\n`` on reading, so keeping them
    would change the text between saving and reading back.
    """
    return CONTROL_CHARACTERS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def constant(value: Any) -> tuple[Any, bool, str | None]:
    """``value`` checked for a cell, with how to store it: ``(value, quote_prefix, number_format)``.

    The one check every writer applies (openpyxl through :func:`put`; the report export's
    XlsxWriter backend directly): a string is text, never a formula, and ``quote_prefix`` says
    it must carry Excel's quote prefix because it looks like one; dates and times get a default
    ``number_format`` so they show as dates. Raises :class:`UnsafeTextError` for text a workbook
    cannot hold and ValueError for NaN, infinity and timezone-aware times, which do not survive a
    save; TypeError for a value no cell can take.
    """
    if isinstance(value, str):
        problem = text_problem(value)
        if problem:
            raise UnsafeTextError(f"text {problem}")
        return value, value.startswith(FORMULA_STARTS), None
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{value!r} cannot be stored in a spreadsheet")
    if isinstance(value, (dt.datetime, dt.time)) and value.tzinfo is not None:
        raise ValueError("times must be stored without a time zone (convert to UTC text first)")
    if value is not None and not isinstance(value, (bool, int, float, dt.date, dt.datetime, dt.time)):
        raise TypeError(f"cannot store a {type(value).__name__} in a cell")
    if isinstance(value, dt.datetime):
        return value, False, "yyyy-mm-dd hh:mm"
    if isinstance(value, dt.date):
        return value, False, "yyyy-mm-dd"
    return value, False, None


def put(cell: Cell, value: Any) -> Cell:
    """Store ``value`` in ``cell`` as a constant, never as a formula, and return the cell.

    Strings are stored as text (with Excel's quote prefix when they look like a formula, so Excel
    shows them as typed). Raises as :func:`constant` does.
    """
    value, quote_prefix, number_format = constant(value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if quote_prefix:
            cell.quotePrefix = True
    elif number_format:
        cell.number_format = number_format
    return cell


def put_at(sheet, row: int, column: int, value: Any) -> Cell:
    """:func:`put` into the cell of ``sheet`` at (row, column), 1-based."""
    return put(sheet.cell(row=row, column=column), value)
