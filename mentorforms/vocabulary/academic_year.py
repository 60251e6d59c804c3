"""Academic years: the teaching period (July 1 to June 30) and the conference deadline (before April 1)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_LABEL = re.compile(r"^\s*(\d{4})\s*[-–/]\s*(\d{2}|\d{4})\s*$")


@dataclass(frozen=True, order=True)
class AcademicYear:
    """The academic year that starts on July 1 of ``start``; printed as ``"2025-2026"``."""

    start: int

    def __post_init__(self) -> None:
        if not 1990 <= self.start <= 2200:
            raise ValueError(f"academic year starting {self.start} is out of range")

    @classmethod
    def parse(cls, text: str | int | AcademicYear) -> AcademicYear:
        """Accepts ``2025``, ``"2025"``, ``"2025-2026"`` or ``"2025-26"``; ValueError otherwise."""
        if isinstance(text, AcademicYear):
            return text
        if isinstance(text, int):
            return cls(text)
        text = str(text).strip()
        if text.isdigit() and len(text) == 4:
            return cls(int(text))
        match = _LABEL.match(text)
        if not match:
            raise ValueError(f"{text!r} is not an academic year such as 2025-2026")
        first, second = int(match.group(1)), match.group(2)
        end = int(second) if len(second) == 4 else (first // 100) * 100 + int(second)
        if end != first + 1:
            raise ValueError(f"{text!r}: an academic year runs from one year to the next")
        return cls(first)

    @classmethod
    def containing(cls, day: dt.date) -> AcademicYear:
        """The academic year a date falls in (July 1 starts a new one)."""
        return cls(day.year if day.month >= 7 else day.year - 1)

    @property
    def label(self) -> str:
        return f"{self.start}-{self.start + 1}"

    def __str__(self) -> str:
        return self.label

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.start, 7, 1)

    @property
    def last_day(self) -> dt.date:
        return dt.date(self.start + 1, 6, 30)

    @property
    def conference_due(self) -> dt.date:
        """The conference and CV update are due *before* this date (April 1)."""
        return dt.date(self.start + 1, 4, 1)

    @property
    def previous(self) -> AcademicYear:
        return AcademicYear(self.start - 1)

    @property
    def next(self) -> AcademicYear:
        return AcademicYear(self.start + 1)

    @property
    def teaching_period(self) -> tuple[dt.date, dt.date]:
        """The period whose teaching hours this year's Part I reports: the year just ended."""
        return self.previous.first_day, self.previous.last_day

    @property
    def teaching_period_label(self) -> str:
        first, last = self.teaching_period
        return f"{first.month}/{first.day}/{first.year} to {last.month}/{last.day}/{last.year}"
