"""How hours are shown: to one decimal, rounded as the workbook's number format rounds them.

Excel's ``#,##0.0`` rounds halves away from zero (11.25 shows as 11.3), and it rounds the
number as written (15 significant digits), not its binary value: :func:`round_hours` does the
same through :class:`decimal.Decimal`, where Python's own ``round`` and ``format`` round halves
to even on the binary value (11.25 shows as 11.2).

Where a total is shown beside its parts, the total is the sum of the *shown* parts
(:func:`shown_total`), so the figures on the page add up; the export writes the same rounded
parts and totals, so the screen and the file agree. The exact unrounded sum differs from it by
less than 0.05 hours for each part.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Iterable

from mentorforms import messages

_TENTH = Decimal("0.1")


def is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def round_hours(value: Any) -> float | None:
    """``value`` rounded to one decimal, halves away from zero, as Excel shows it; None if missing."""
    if is_missing(value):
        return None
    if hasattr(value, "item"):
        value = value.item()
    return float(Decimal(repr(float(value))).quantize(_TENTH, rounding=ROUND_HALF_UP))


def hours_text(value: Any, missing: str = "—") -> str:
    """``value`` as the page shows it: one decimal, thousands separated (``1,234.5``)."""
    rounded = round_hours(value)
    return missing if rounded is None else f"{rounded:,.1f}"


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
