"""The peer group page's side panel: hours met each month of the season against the 2-6 hour
range (Appendix D), and the responsibilities of each role."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as widgets

from mentorforms.forms import peer_group
from mentorforms.rules import mentoring_year
from mentorforms.vocabulary.academic_year import AcademicYear

_ROLES = (("Mentor", peer_group.MENTOR_RESPONSIBILITIES), ("Mentees", peer_group.MENTEE_RESPONSIBILITIES),
          ("Connector", peer_group.CONNECTOR_RESPONSIBILITIES))


def season_html(meetings: Any, year: AcademicYear) -> str:
    """A table of the season's months with the hours met and whether that is within 2-6 hours."""
    rows = []
    for month, spent in mentoring_year.hours_by_month(meetings, year).items():
        verdict = mentoring_year.month_verdict(spent)
        words = {"below": "below 2 hours", "within": "within 2-6 hours", "above": "above 6 hours"}[verdict]
        rows.append(f'<tr class="mf-season-{verdict}"><td>{month:%B %Y}</td><td>{spent:g}</td>'
                    f'<td>{words}</td></tr>')
    return ('<table class="mf-season"><caption>Hours met each month (the group meets 2 to 6 hours a month, '
            'September to April)</caption><tr><th>Month</th><th>Hours</th><th>Against 2-6 hours</th></tr>'
            f'{"".join(rows)}</table>')


def roles_html() -> str:
    """The roles' responsibilities, in the appendix's words."""
    parts = []
    for role, duties in _ROLES:
        items = "".join(f"<li>{html.escape(duty.label)}</li>" for duty in duties)
        parts.append(f"<h4>{role} responsibilities</h4><ul>{items}</ul>")
    return f'<div class="mf-roles">{"".join(parts)}</div>'


class SeasonPanel(widgets.VBox):
    """Live hours per month, redrawn as the meetings table changes."""

    def __init__(self, get_values: Callable[[], Mapping[str, Any]]) -> None:
        super().__init__()
        self.get_values = get_values
        self.year = AcademicYear.containing(dt.date.today())
        self.season = widgets.HTML()
        self.children = (self.season, widgets.HTML(roles_html()))
        self.add_class("mf-season-panel")

    def set_context(self, *, folder: Any = None, person_id: str = "", year: AcademicYear | None = None) -> None:
        if year is not None:
            self.year = year
        self.refresh()

    def refresh(self) -> None:
        self.season.value = season_html(self.get_values().get("meetings"), self.year)
