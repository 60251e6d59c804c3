"""The mentoring year's figures that pages and reports share (no widgets, no pandas): a peer
group's hours per month of its September-April season, and when a meeting's agenda was shared
relative to the meeting."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from mentorforms import messages
from mentorforms.vocabulary.academic_year import AcademicYear

#: Appendix D: groups meet "typically from 2-6 hours per month from September - April".
HOURS_LOW, HOURS_HIGH = 2.0, 6.0
#: The season's months, (calendar month, offset in years from the academic year's start).
SEASON = ((9, 0), (10, 0), (11, 0), (12, 0), (1, 1), (2, 1), (3, 1), (4, 1))


def season_months(year: AcademicYear) -> tuple[dt.date, ...]:
    """The first day of each month of ``year``'s peer group season, September to April."""
    return tuple(dt.date(year.start + offset, month, 1) for month, offset in SEASON)


def hours_by_month(meetings: Any, year: AcademicYear) -> dict[dt.date, float]:
    """Hours met in each season month (rows of a peer group's meetings table: "date", "hours").
    Meetings outside the season or without a date or hours are left out."""
    totals = dict.fromkeys(season_months(year), 0.0)
    for row in meetings or ():
        if not isinstance(row, Mapping):
            continue
        day, spent = row.get("date"), row.get("hours")
        if not isinstance(day, dt.date) or not isinstance(spent, (int, float)):
            continue
        month = dt.date(day.year, day.month, 1)
        if month in totals:
            totals[month] += float(spent)
    return totals


def month_verdict(hours: float) -> str:
    """"below", "within" or "above" the 2-6 hour range."""
    if hours < HOURS_LOW:
        return "below"
    return "above" if hours > HOURS_HIGH else "within"


def months_below(meetings: Any, year: AcademicYear, today: dt.date) -> tuple[dt.date, ...]:
    """Season months already over by ``today`` with fewer than 2 hours met."""
    return tuple(month for month, spent in hours_by_month(meetings, year).items()
                 if _month_end(month) < today and spent < HOURS_LOW)


def _month_end(month: dt.date) -> dt.date:
    following = dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def agenda_timing(values: Mapping[str, Any]) -> str:
    """What the page says about the agenda: not shared yet, or shared how long before (or after)
    the meeting."""
    shared, meeting = values.get("agenda_shared_on"), values.get("meeting_date")
    if values.get("agenda_shared") is not True or not isinstance(shared, dt.date):
        return messages.AGENDA_NOT_SHARED
    if not isinstance(meeting, dt.date):
        return messages.say(messages.AGENDA_SHARED_BEFORE, shared=shared.isoformat(), days="? days")
    days = (meeting - shared).days
    if days >= 1:
        return messages.say(messages.AGENDA_SHARED_BEFORE, shared=shared.isoformat(),
                            days=messages.counted(days, "day"))
    if days == 0:
        return messages.say(messages.AGENDA_SHARED_LATE, shared=shared.isoformat())
    return messages.say(messages.AGENDA_SHARED_AFTER, shared=shared.isoformat(), days=messages.counted(-days, "day"))
