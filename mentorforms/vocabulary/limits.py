"""What one answer may be, derived from its declaration once for every place that checks it.

The page's validation (:mod:`mentorforms.rules.validation`) and the blank workbook's data
validation (:mod:`mentorforms.workbooks.sheet_checks`) both take their bounds, choices and
lengths from :func:`limits`, so the two refuse the same answers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from mentorforms.vocabulary.declaration import Choice, Field, Kind

#: The dates a record holds: earlier or later ones are typing mistakes (a two-digit year).
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2199, 12, 31)


@dataclass(frozen=True)
class Limits:
    """The bounds of one single-cell answer; ``None`` (or empty) means no bound of that sort.

    ``low``/``high`` bound a number (inclusive) and ``whole`` asks for an integer; ``choices`` are
    the only answers of a choice; ``max_length`` bounds text; ``earliest``/``latest`` bound a date
    (inclusive) and ``not_future`` refuses one after today.
    """

    low: float | None = None
    high: float | None = None
    whole: bool = False
    choices: tuple[Choice, ...] = ()
    max_length: int | None = None
    earliest: dt.date | None = None
    latest: dt.date | None = None
    not_future: bool = False


#: A signature's date: a real date, never ahead of the day it is given.
SIGNATURE_DATE = Limits(earliest=EARLIEST_DATE, latest=LATEST_DATE, not_future=True)


def limits(item: Field) -> Limits:
    """The bounds of one cell of ``item``: of its value, or of one rank for a rank field.

    Fields whose answers span several cells (tables, check-with-note, signatures) are bounded
    cell by cell: a table by its columns, a signature's date by :data:`SIGNATURE_DATE`.
    """
    kind = item.kind
    if kind in (Kind.SHORT_TEXT, Kind.LONG_TEXT):
        return Limits(max_length=item.max_length or None)
    if kind is Kind.HOURS:
        return Limits(low=item.min_value, high=item.max_value)
    if kind is Kind.WHOLE_NUMBER:
        return Limits(low=item.min_value, high=item.max_value, whole=True)
    if kind is Kind.RANK:
        return Limits(low=1, high=len(item.choices), whole=True, choices=item.choices)
    if kind in (Kind.CHOICE, Kind.MULTI_CHOICE):
        return Limits(choices=item.choices)
    if kind is Kind.DATE:
        return Limits(earliest=EARLIEST_DATE, latest=LATEST_DATE)
    return Limits()
