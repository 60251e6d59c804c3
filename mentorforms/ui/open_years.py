"""The office's window of academic years as a page meets it: a year outside it is a plain refusal
before anything is read or written (:mod:`mentorforms.rules.year_window`)."""

from __future__ import annotations

import datetime as dt

from mentorforms.rules import year_window
from mentorforms.ui.context import PageUnavailable, Session
from mentorforms.vocabulary.academic_year import AcademicYear


def in_window(session: Session, year: AcademicYear, today: dt.date | None) -> AcademicYear:
    """``year`` if the office keeps forms for it; PageUnavailable in plain words otherwise."""
    try:
        return year_window.check_year(session.folder.root, year, today)
    except (year_window.YearOutsideWindow, year_window.YearSettingsInvalid) as error:
        raise PageUnavailable(str(error)) from error
