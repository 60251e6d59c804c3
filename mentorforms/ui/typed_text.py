"""Reading what people type where a number or a date is asked for, and showing stored values
back the same way. Text that is not a number or not a real date is passed through as typed, so
validation can say what is wrong next to the field and nothing typed is lost."""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

import ipywidgets as widgets

_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")
#: Choices shown as radio buttons up to this many; longer lists become a drop-down.
RADIO_LIMIT = 8
NO_CHOICE = ""  # the drop-down entry meaning "not answered"


def parse_number(text: str, whole: bool) -> Any:
    """The number typed in ``text`` (float, or int when ``whole``), None when blank, and the text
    itself (stripped) when it is not a finite number, for validation to report."""
    stripped = text.strip()
    if not stripped:
        return None
    candidate = stripped.replace(",", "") if _THOUSANDS.match(stripped) else stripped
    try:
        number = float(candidate)
    except ValueError:
        return stripped
    if not math.isfinite(number):
        return stripped
    if whole:
        return int(number) if number.is_integer() else stripped
    return number


#: What a date box shows before anything is typed; ISO dates (2025-09-30) are accepted too.
DATE_PLACEHOLDER = "MM/DD/YYYY"
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def parse_date(text: str) -> Any:
    """The date typed in ``text`` (MM/DD/YYYY or YYYY-MM-DD), None when blank, and the text itself
    (stripped) when it is no real date (02/30/2025), so validation says so and nothing is lost.

    A text box, not the browser's date input: that one sends an impossible or half-typed date to
    the server as empty, so a draft would be saved without it and nobody told."""
    stripped = text.strip()
    if not stripped:
        return None
    us, iso = _US_DATE.match(stripped), _ISO_DATE.match(stripped)
    try:
        if us:
            return dt.date(int(us.group(3)), int(us.group(1)), int(us.group(2)))
        if iso:
            return dt.date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
    except ValueError:
        pass
    return stripped


def format_date_input(value: Any) -> str:
    """How a stored date is shown in a date box (the placeholder's MM/DD/YYYY); typed text as typed."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return f"{value.month:02d}/{value.day:02d}/{value.year:04d}"
    return "" if value is None else str(value)


def date_box(**kwargs: Any) -> widgets.Text:
    """A text box for a date, parsed on the server by :func:`parse_date`."""
    box = widgets.Text(placeholder=DATE_PLACEHOLDER, **kwargs)
    box.add_class("mf-date")
    return box


def format_number(value: Any) -> str:
    """How a stored number is shown in a text box: 12 rather than 12.0."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
