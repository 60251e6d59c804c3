"""How hours are shown: to the declared precision (the hundredth), halves up, as they are stored
and as the workbook's ``#,##0.0#`` shows them (one rule, :mod:`mentorforms.vocabulary.rounding`): 11.25 shows
as 11.25 and 0.125 as 0.13; Python's own ``round`` would round halves to even on the binary value.

Where a total is shown beside its parts, the total is the sum of the *shown* parts
(:func:`shown_total`), so the figures on the page add up; the export writes the same rounded
parts and totals, so the screen and the file agree. Stored hours are already rounded the same way,
so the shown total is the exact sum.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from mentorforms import messages
from mentorforms.vocabulary.rounding import halves_up, hours_shown


def is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def round_hours(value: Any) -> float | None:
    """``value`` rounded to the hundredth, halves away from zero, as stored and shown; None if missing."""
    if is_missing(value):
        return None
    if hasattr(value, "item"):
        value = value.item()
    return halves_up(float(value))


def hours_text(value: Any, missing: str = "—") -> str:
    """``value`` as the page shows it: thousands separated, one or two decimals (``1,234.5``, ``234.75``)."""
    rounded = round_hours(value)
    return missing if rounded is None else hours_shown(rounded)


def shown_total(values: Iterable[Any]) -> float | None:
    """The total of the shown (rounded) parts, exactly (None when every part is missing)."""
    parts = [round_hours(value) for value in values]
    parts = [part for part in parts if part is not None]
    if not parts:
        return None
    return float(sum((Decimal(repr(part)) for part in parts), Decimal(0)))


def counted_words(files: int, problems: int) -> str:
    """How many saved forms the numbers come from, and how many could not be read, in plain words."""
    text = messages.say(messages.REPORT_COUNTED, files=files)
    if problems:
        text += messages.say(messages.REPORT_UNREADABLE, problems=problems, s="s" if problems != 1 else "",
                             are="are" if problems != 1 else "is", which="them" if problems != 1 else "it")
    return text
