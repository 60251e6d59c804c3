"""The one rounding rule for hours: halves up (away from zero) to the declared precision.

Hours are declared to the hundredth (:data:`HOURS_DECIMALS`). What is stored, what a page shows and
what the export writes are all rounded by :func:`halves_up`, so 0.125 is kept as 0.13, 0.135 as
0.14, and a department's 234.75 is shown as 234.75, the sum of its people. The number is rounded
as written (its shortest decimal form, ``repr``), not its binary value: Python's own ``round``
rounds halves to even on the binary value (``round(0.125, 2) == 0.12``).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

#: Decimals hours are kept, shown and exported to.
HOURS_DECIMALS = 2
#: The workbook number format of hours: at least one decimal, at most HOURS_DECIMALS.
HOURS_NUMBER_FORMAT = "#,##0.0#"


def halves_up(value: float, decimals: int = HOURS_DECIMALS) -> float:
    """``value`` rounded to ``decimals`` places, halves away from zero (a finite float)."""
    step = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(float(value))).quantize(step, rounding=ROUND_HALF_UP))


def hours_shown(value: float) -> str:
    """Rounded hours as text, as :data:`HOURS_NUMBER_FORMAT` shows them: thousands separated, one
    decimal, a second only when it is not zero (``1,234.5``, ``234.75``, ``12.0``)."""
    text = f"{halves_up(value):,.{HOURS_DECIMALS}f}"
    while text.endswith("0") and len(text.rpartition(".")[2]) > 1:
        text = text[:-1]
    return text
