"""The dashboard's tabs as widgets: each drawn from the numbers shown (:class:`~mentorforms.ui.dashboard_data.Shown`)
the first time it is opened, with the HTML of :mod:`mentorforms.ui.dashboard_sections`.

A part of a tab read from more than the summary (the network maps, the mentoring year, the
reminders) that fails says so in its place; the rest of the tab stays.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import ipywidgets as widgets

from mentorforms import messages
from mentorforms.errors import AccessDenied
from mentorforms.reports.facts import conference_parts
from mentorforms.ui import dashboard_sections as sections
from mentorforms.ui.context import Session, server_log
from mentorforms.ui.dashboard_data import DashboardData, Shown
from mentorforms.ui.dashboard_sections import View, escape, html_table, html_widget, picture_widget, refusal_html
from mentorforms.ui.reminders_tab import reminders_panel
from mentorforms.ui.year_tab import year_tab_html
from mentorforms.vocabulary.academic_year import AcademicYear

log = server_log()

CONFERENCES_TAB, HOURS_TAB, GOALS_TAB, MENTORING_TAB, PROMOTION_TAB, PERSON_TAB, YEAR_TAB, REMINDERS_TAB = range(8)
TITLES = ("Conferences", "Teaching hours", "Goals", "Mentoring", "Promotion", "A person's forms", "Mentoring year",
          "Reminders")


class DashboardTabs:
    """The tabs of one viewer's dashboard. ``shown_departments()`` gives the departments the
    filters show now; ``form_page`` is the page a form link opens; ``message`` is where the page
    says a tab could not be drawn; ``mail``: the server's environment (its mail setting)."""

    def __init__(self, session: Session, data: DashboardData, shown_departments: Callable[[], Sequence[str]], *,
                 as_of: dt.date, form_page: str, message: widgets.HTML, mail: Mapping[str, str]) -> None:
        self.session = session
        self.data = data
        self.form_page = form_page
        self.message = message
        #: The numbers drawn, and the tab numbers drawn for them (the others are drawn when opened).
        self.shown: Shown | None = None
        self._drawn: set[int] = set()
        self._filling = False

        self.completion, self.hours_tables, self.goals = html_widget("mf-dash-completion"), html_widget(), html_widget()
        self.mentoring, self.network = html_widget("mf-dash-mentoring"), html_widget("mf-dash-network")
        self.promotion = html_widget()
        self.hours_category_chart, self.hours_division_chart = picture_widget(), picture_widget()
        self.goals_chart = picture_widget()
        self.people = sections.PersonForms(session, data.departments, self.form_link)
        self.person, self.person_forms = self.people.choice, self.people.forms
        self.year_tab = html_widget("mf-dash-year-tab")
        self.reminders = reminders_panel(session, shown_departments, as_of, mail)

        self.widget = widgets.Tab(children=[
            self.completion,
            widgets.VBox([self.hours_category_chart, self.hours_division_chart, self.hours_tables]),
            widgets.VBox([self.goals_chart, self.goals]),
            widgets.VBox([self.mentoring, self.network]),
            self.promotion,
            widgets.VBox([self.person, self.person_forms]),
            self.year_tab,
            self.reminders.widget,
        ])
        for number, title in enumerate(TITLES):
            self.widget.set_title(number, title)
        self.widget.add_class("mf-dash-tabs")
        self.widget.observe(self._on_tab, names="selected_index")
        self.person.observe(self._on_person, names="value")

    # ----------------------------------------------------------------- links

    def form_link(self, form_id: str, person_id: str, year: AcademicYear | str, mentor: str | None = None) -> str:
        """The relative link to one form of one person on the form page."""
        label = year.label if isinstance(year, AcademicYear) else year
        return self.session.link(self.form_page, form=form_id, person=person_id, year=label, mentor=mentor)

    def _person_link(self, person_id: str, name: str, year: AcademicYear) -> str:
        href = self.form_link(conference_parts(year)[0], person_id, year)
        return f'<a class="mf-person-link" href="{escape(href)}" target="_blank">{escape(name)}</a>'

    def _view(self, shown: Shown) -> View:
        return View(shown.suppressed, self._person_link)

    # ----------------------------------------------------------------- drawing

    def show(self, shown: Shown) -> None:
        """Show ``shown``: the open tab now, the others when opened."""
        self.shown, self._drawn = shown, set()
        self.network.value = ""
        self.year_tab.value = ""
        self.reminders.listing.value = self.reminders.preview.value = ""
        self._filling = True
        try:
            keep = self.people.fill(shown.summary)
        finally:
            self._filling = False
        self.show_person(keep)
        self.draw(self.widget.selected_index or 0)

    def completion_numbers(self) -> dict[str, Any]:
        """The completion counts as shown (suppressed cells read "<5", cells hidden to protect them "n/s")."""
        assert self.shown is not None
        return sections.completion_shown(self.shown.summary, self._view(self.shown))[0]

    def _on_tab(self, change: Mapping[str, Any]) -> None:
        try:
            self.draw(change["new"])
        except Exception:  # callback boundary: log it, say it plainly
            log.exception("dashboard tab %s failed for %s", change["new"], self.session.viewer.person_id)
            self.message.value = refusal_html(messages.REPORT_TAB_FAILED)

    def draw(self, tab: int | None) -> None:
        """Draw ``tab`` for the numbers shown unless it already shows them (tabs are drawn when opened)."""
        shown = self.shown
        if shown is None or tab is None or tab in self._drawn:
            return
        summary, view = shown.summary, self._view(shown)
        if tab == CONFERENCES_TAB:
            self.completion.value = sections.completion_html(summary, view)
        elif tab == HOURS_TAB:
            category, division, text = sections.hours_sections(summary, view)
            for chart, picture in ((self.hours_category_chart, category), (self.hours_division_chart, division)):
                chart.value = picture
                chart.layout.display = None if picture else "none"
            self.hours_tables.value = text
        elif tab == GOALS_TAB:
            goals_picture, text = sections.goals_sections(summary, view)
            self.goals_chart.value = goals_picture or b""
            self.goals_chart.layout.display = None if goals_picture else "none"
            self.goals.value = text
        elif tab == MENTORING_TAB:
            self.mentoring.value = sections.mentoring_html(summary, view)
            self._part(lambda: self.draw_network(shown), "draw_network", self.network,
                       messages.DASHBOARD_NETWORK_FAILED)
        elif tab == PROMOTION_TAB:
            self.promotion.value = sections.promotion_html(summary, view)
        elif tab == YEAR_TAB:
            self._part(lambda: self.draw_year(shown), "draw_year", self.year_tab, messages.DASHBOARD_YEAR_FAILED)
        elif tab == REMINDERS_TAB:
            self._part(self.reminders.draw, "draw", self.reminders.listing, messages.DASHBOARD_REMINDERS_FAILED)
        self._drawn.add(tab)

    def _part(self, draw: Callable[[], None], name: str, place: widgets.HTML, failed: str) -> None:
        """Draw one part of a tab (``name`` in the server log); if it fails, say so in its
        ``place`` and keep the rest of the tab."""
        try:
            draw()
        except AccessDenied as error:
            place.value = refusal_html(str(error))
        except Exception:  # a part's boundary: logged on the server, said plainly on the page
            log.exception("dashboard part %s failed for %s", name, self.session.viewer.person_id)
            place.value = f'<p class="mf-note">{escape(failed)}</p>'

    def draw_all(self) -> None:
        """Draw every tab now (tests and printing; the page draws each when it is opened)."""
        for tab in range(len(self.widget.children)):
            self.draw(tab)

    def draw_network(self, shown: Shown) -> None:
        """Developmental network figures per department (and mentors named on many maps): read from
        the year's submitted maps the first time the Mentoring tab is shown."""
        people, load = self.data.network(shown)
        self.network.value = sections.network_html(shown.year, people, load, set(shown.departments),
                                                    self.session.roster, shown.own_department, shown.min_cell)

    def draw_year(self, shown: Shown) -> None:
        """The mentoring year's figures (read from the year's meetings, reviews, checklists and
        peer groups the first time the tab is shown)."""
        self.year_tab.value = year_tab_html(self.data.year_figures(shown), shown.year, html_table,
                                            names=not shown.suppressed)

    # ----------------------------------------------------------------- a person's forms

    def _on_person(self, change: Mapping[str, Any]) -> None:
        if not self._filling:
            self.show_person(change["new"])

    def show_person(self, person_id: str) -> None:
        """List links to every form of one person (in the shown departments) for the chosen year."""
        self.people.show(person_id, None if self.shown is None else self.shown.summary, self.data.tables_for)
