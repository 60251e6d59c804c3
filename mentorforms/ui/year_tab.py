"""The dashboard's "Mentoring year" tab: the figures of :mod:`mentorforms.reports.year` per
department, with names when the viewer may see them (a chair's own department) and counts under
the small-cell rule otherwise."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd

from mentorforms.records.roster import Roster
from mentorforms.reports import suppress
from mentorforms.reports import year as year_report
from mentorforms.vocabulary.academic_year import AcademicYear

Table = Callable[[Sequence[str], Any], str]


def year_figures(index: Any, roster: Roster, year: AcademicYear, departments: Sequence[str], today: dt.date
                 ) -> dict[str, pd.DataFrame]:
    """The tab's frames for ``departments``: meetings, reviews, checklists, below (peer groups)."""
    found = year_report.year_records(index, year, list(departments))
    below = year_report.groups_below(found, roster, today)
    return {
        "meetings": year_report.meetings_per_relationship(found, roster, today, departments),
        "reviews": year_report.reviews_due(found, roster, today, departments),
        "checklists": year_report.checklists(found, roster, departments),
        "below": below[below["department"].isin(departments)],
    }


def _count(value: int, hidden: bool) -> Any:
    return suppress.SUPPRESSED if hidden and suppress.small(value) else int(value)


def year_tab_html(figures: dict[str, pd.DataFrame], year: AcademicYear, table: Table, *, names: bool) -> str:
    """The tab's HTML. ``names``: list the people behind each figure (else counts only, small
    cells shown as "<5")."""
    meetings, reviews, checklists, below = (figures[key] for key in ("meetings", "reviews", "checklists", "below"))
    hidden = not names
    rows = []
    for department in sorted(set(meetings["department"]) | set(checklists["department"])):
        mine = meetings[meetings["department"] == department]
        active = mine[~mine["ended"]]
        due = reviews[(reviews["department"] == department) & reviews["state"].isin(["due", "overdue"])]
        lists = checklists[checklists["department"] == department]
        rows.append([department, _count(len(active), hidden), _count(int(mine["ended"].sum()), hidden),
                     _count(int(active["meetings"].sum()), hidden), _count(int(active["quiet"].sum()), hidden),
                     _count(len(due), hidden), _count(int((lists["state"] == "not started").sum()), hidden),
                     _count(below["group"].nunique() if department in set(below["department"]) else 0, hidden)])
    parts = [f"<h2>The mentoring year, {html.escape(year.label)}</h2>",
             table(["Department", "Relationships", "Ended by a review", "Meetings held",
                    f"No meeting in {year_report.QUIET_DAYS} days", "Reviews due or overdue",
                    "Checklists not started", "Peer groups below 2 h in a month"], rows)]
    if not names:
        parts.append('<p class="mf-note">Names are shown to a chair for their own department only.</p>')
        return "".join(parts)
    active = meetings[~meetings["ended"]]
    parts.append("<h2>Meetings per relationship</h2>" + table(
        ["Mentee", "Mentor", "Meetings", "Last meeting", "Days since"],
        [[row.mentee, row.mentor, row.meetings, row.last_meeting or "none", "" if pd.isna(row.days_since)
          else int(row.days_since)] for row in active.itertuples()]))
    due = reviews[reviews["state"].isin(["due", "overdue"])]
    if len(due):
        parts.append("<h2>Yearly reviews due or overdue</h2>" + table(
            ["Mentee", "Mentor", "Revisit by", "State"],
            [[row.mentee, row.mentor, row.revisit_date, row.state] for row in due.itertuples()]))
    missing = checklists[checklists["state"] == "not started"]
    if len(missing):
        parts.append("<h2>Checklists not started</h2>" + table(
            ["Faculty", "Mentors"], [[row.name, row.mentors] for row in missing.itertuples()]))
    if len(below):
        parts.append("<h2>Peer groups below 2 hours in a month</h2>" + table(
            ["Group", "Led by", "Month", "Hours"],
            [[row.group, row.leader, f"{row.month:%B %Y}", f"{row.hours:g}"] for row in below.itertuples()]))
    ended = meetings[meetings["ended"]]
    if len(ended):
        parts.append("<h2>Relationships ended by a review (without fault)</h2>" + table(
            ["Mentee", "Mentor"], [[row.mentee, row.mentor] for row in ended.itertuples()]))
    return "".join(parts)
