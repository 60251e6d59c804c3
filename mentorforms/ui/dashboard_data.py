"""What the dashboard reads, apart from how it is drawn: the index brought up to date, the years
and divisions its filters offer, and the numbers for one choice of filters (:class:`Shown`).

:class:`DashboardData` keeps what it read for one viewer (each year's tables, each year's network
maps) until the next refresh finds a change; everything here is plain Python over the index, with
no widget, so it is tested without a page.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass

import pandas as pd

from mentorforms.records.roster import Roster
from mentorforms.records.store import safe_segment
from mentorforms.reports import suppress
from mentorforms.reports.department_cache import summary_of
from mentorforms.reports.index import Index, RefreshSummary
from mentorforms.reports.index_read import Progress
from mentorforms.reports.summary import Summary, summarise
from mentorforms.reports.tables import Tables, build_tables
from mentorforms.ui.context import Session
from mentorforms.ui.dashboard_sections import network_data
from mentorforms.ui.year_tab import year_figures
from mentorforms.vocabulary.academic_year import AcademicYear


@dataclass(frozen=True)
class Shown:
    """The numbers for one choice of filters, and how the viewer may see them."""

    summary: Summary
    #: The departments the filters show.
    departments: tuple[str, ...]
    #: The small-cell rule applies (no names, small counts hidden).
    suppressed: bool
    #: The viewer's own department, whose network figures are shown in full (None when suppressed).
    own_department: str | None

    @property
    def year(self) -> AcademicYear:
        """The academic year shown."""
        return self.summary.year

    @property
    def min_cell(self) -> int:
        """The fewest people a shown network figure may come from (0: no limit)."""
        return suppress.MIN_PEOPLE if self.suppressed else 0


@dataclass(frozen=True)
class Unreadable:
    """The saved files the index could not open: ``named`` (where, reason) as the viewer may see
    them, and how many ``elsewhere`` (in departments the viewer sees only counted)."""

    named: tuple[tuple[str, str], ...]
    elsewhere: int


def divisions(roster: Roster, departments: tuple[str, ...]) -> list[str]:
    """The divisions of the faculty in ``departments``, by name."""
    shown = set(departments)
    return sorted({person.division for person in roster.faculty() if person.department in shown and person.division})


class DashboardData:
    """What one viewer's dashboard has read from the index (``departments``: those they may see).

    ``lock`` is held while the index is refreshed and while anything is read from it: the page
    loads in a thread while its tabs may be opened."""

    def __init__(self, session: Session, departments: tuple[str, ...], index: Index, as_of: dt.date) -> None:
        self.session = session
        self.departments = departments
        self.index = index
        self.as_of = as_of
        self.lock = threading.RLock()
        self._by_year: dict[int, Tables] = {}
        self._maps: dict[tuple[int, bool], tuple[pd.DataFrame, pd.DataFrame]] = {}

    def refresh(self, progress: Progress | None, *, thorough: bool) -> RefreshSummary:
        """Bring the index up to date (see :meth:`mentorforms.reports.index.Index.refresh`)."""
        with self.lock:
            self.index.roster()  # the summaries kept in the index are keyed by the roster's hash
            return self.index.refresh(progress, thorough=thorough)

    def forget(self) -> None:
        """Drop what was read (after a refresh that found a change)."""
        with self.lock:
            self._by_year.clear()
            self._maps.clear()

    def years(self) -> list[int]:
        """The first calendar years of the academic years with forms, latest first."""
        return sorted(self.index.years(), reverse=True)

    def unreadable(self) -> Unreadable:
        """Each saved file that could not be opened, by name and reason (as the export's Problems
        sheet and ``mentorforms check`` name them): every one for an analyst, a chair's own
        departments' for a chair (the others are counted, not named)."""
        records = self.session.folder.records_root
        own = {safe_segment(department) for department in self.departments}
        named: list[tuple[str, str]] = []
        elsewhere = 0
        for problem in self.index.problems():
            try:
                parts = problem.path.relative_to(records).parts
            except ValueError:
                parts = ()
            if self.session.viewer.is_analyst or (len(parts) > 1 and parts[1] in own):
                named.append(("/".join(parts) if parts else problem.path.name, problem.reason))
            else:
                elsewhere += 1
        return Unreadable(tuple(named), elsewhere)

    def tables_for(self, start: int) -> Tables:
        """The tables of one academic year for the viewer's departments (kept until the next refresh);
        teaching hours and goals are totalled in the index, not loaded row by row."""
        with self.lock:
            tables = self._by_year.get(start)
            if tables is None:
                tables = self._by_year[start] = build_tables(
                    self.index, self.session.roster, years=[start], departments=self.departments, as_of=self.as_of,
                    detail=False)
            return tables

    def gather(self, year: AcademicYear, departments: tuple[str, ...], department: str | None,
               division: str | None) -> Shown:
        """The numbers of ``year`` in ``departments`` (``department``: the one chosen, None for all
        of them) and ``division`` (None: all). Whole departments come from the summaries kept in the
        index (several added up); a division's numbers are computed from the tables."""
        with self.lock:
            suppressed = suppress.applies(self.session.viewer, departments)
            if division is None:
                summary = summary_of(self.index, self.session.roster, year, list(departments), self.as_of)
            else:
                summary = summarise(self.tables_for(year.start), year, department=department, division=division)
        own = None if suppressed else self.session.viewer.person.department
        return Shown(summary, departments, suppressed, own)

    def network(self, shown: Shown) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The people rows of the year's submitted network maps and the mentors' load, read from
        the maps the first time they are wanted."""
        with self.lock:
            key = (shown.year.start, shown.suppressed)
            if key not in self._maps:
                self._maps[key] = network_data(self.index, self.session.roster, shown.year, self.departments,
                                               shown.min_cell, shown.own_department)
            return self._maps[key]

    def year_figures(self, shown: Shown) -> dict[str, pd.DataFrame]:
        """The mentoring year's frames for the shown departments (see :func:`~mentorforms.ui.year_tab.year_figures`)."""
        return year_figures(self.index, self.session.roster, shown.year, shown.departments, self.as_of)
