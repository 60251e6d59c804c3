"""The chair dashboard: a Voila page over the department summaries kept in the index.

Filters (year, department, division) offer only what the viewer may see
(:func:`mentorforms.rules.access.visible_departments`: a chair their own department, an analyst all);
each tab (:mod:`~mentorforms.ui.dashboard_sections`) is drawn when first opened. A chair in their
own department and an analyst in every department see names and exact counts, as in their export
and printable report; any other view suppresses small cells (:mod:`mentorforms.reports.suppress`).
:class:`Dashboard` is plain Python over ipywidgets: tests drive it without a browser.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets
import pandas as pd

from mentorforms import messages
from mentorforms.errors import AccessDenied, AuditError, MentorformsError
from mentorforms.records import audit
from mentorforms.records.store import safe_segment
from mentorforms.reports import suppress
from mentorforms.reports.department_cache import summary_of
from mentorforms.reports.facts import conference_parts
from mentorforms.reports.index import Index
from mentorforms.reports.numbers import counted_words
from mentorforms.reports.summary import Summary, summarise
from mentorforms.reports.tables import Tables, build_tables
from mentorforms.rules import access, trail
from mentorforms.ui import dashboard_sections as sections
from mentorforms.ui.context import PageContent, PageRequest, Session, page_app, server_log
from mentorforms.ui.dashboard_sections import DASHBOARD_CSS, View, escape, html_table
from mentorforms.ui.dashboard_sections import html_widget as _html
from mentorforms.ui.dashboard_sections import picture_widget as _picture
from mentorforms.ui.dashboard_sections import refusal_html as _refusal
from mentorforms.ui.open_years import in_window
from mentorforms.ui.reminders_tab import reminders_panel
from mentorforms.vocabulary import pages
from mentorforms.vocabulary.academic_year import AcademicYear

log = server_log()

ALL = "__all__"
CONFERENCES_TAB, HOURS_TAB, GOALS_TAB, MENTORING_TAB, PROMOTION_TAB, PERSON_TAB, YEAR_TAB, REMINDERS_TAB = range(8)


class Dashboard:
    """The dashboard for one viewer. Call :meth:`load` (the page does, in the background)."""

    def __init__(self, session: Session, *, index: Index | None = None, as_of: dt.date | None = None,
                 form_page: str = pages.FORM, year: AcademicYear | None = None,
                 mail: Mapping[str, str] | None = None) -> None:
        self.session = session
        self.viewer = session.viewer
        self.departments = access.visible_departments(self.viewer, session.roster)
        if not self.departments:
            raise AccessDenied("This dashboard is for department chairs and faculty-affairs analysts; "
                               "your roster entry has neither role.")
        self.index = index or Index(session.folder.root)
        self.as_of = as_of or dt.date.today()
        #: The year shown first (when it has forms): the one the link asked for, else the current one.
        self.first_year = year or AcademicYear.containing(self.as_of)
        self.form_page = form_page
        #: Tab numbers drawn for the current summary (the others are drawn when opened).
        self._drawn: set[int] = set()
        self.summary: Summary | None = None
        self.suppressed = False

        self.progress = widgets.IntProgress(value=0, min=0, max=1, description="", bar_style="info",
                                            layout=widgets.Layout(width="320px"))
        self.status = widgets.HTML('<span class="mf-note">Opening the report index…</span>')
        self.status.add_class("mf-dash-status")
        department_options = ([("All departments", ALL)] if len(self.departments) > 1 else []) + \
            [(name, name) for name in self.departments]
        self.year = widgets.Dropdown(description="Year", options=[], layout=widgets.Layout(width="220px"))
        self.department = widgets.Dropdown(description="Department", options=department_options,
                                           value=department_options[0][1], style={"description_width": "initial"},
                                           layout=widgets.Layout(width="300px"))
        self.division = widgets.Dropdown(description="Division", options=[("All divisions", ALL)], value=ALL,
                                         layout=widgets.Layout(width="300px"))
        for control, name in ((self.year, "mf-dash-year"), (self.department, "mf-dash-department"),
                              (self.division, "mf-dash-division")):
            control.add_class(name)
        self.refresh_button = widgets.Button(description="Check for new forms", icon="refresh",
                                             layout=widgets.Layout(width="auto"))
        self.refresh_button.add_class("mf-dash-refresh")

        self.completion, self.hours_tables, self.goals = _html("mf-dash-completion"), _html(), _html()
        self.mentoring, self.network, self.promotion = _html("mf-dash-mentoring"), _html("mf-dash-network"), _html()
        self.hours_category_chart, self.hours_division_chart, self.goals_chart = _picture(), _picture(), _picture()
        self.people = sections.PersonForms(session, self.departments, self.form_link)
        self.person, self.person_forms, self.message = self.people.choice, self.people.forms, _html()
        self.year_tab = _html("mf-dash-year-tab")
        self.reminders = reminders_panel(session, self.shown_departments, self.as_of,
                                         os.environ if mail is None else mail)

        self.tabs = widgets.Tab(children=[
            self.completion,
            widgets.VBox([self.hours_category_chart, self.hours_division_chart, self.hours_tables]),
            widgets.VBox([self.goals_chart, self.goals]),
            widgets.VBox([self.mentoring, self.network]),
            self.promotion,
            widgets.VBox([self.person, self.person_forms]),
            self.year_tab,
            self.reminders.widget,
        ])
        for number, title in enumerate(("Conferences", "Teaching hours", "Goals", "Mentoring", "Promotion",
                                        "A person's forms", "Mentoring year", "Reminders")):
            self.tabs.set_title(number, title)
        self.tabs.add_class("mf-dash-tabs")
        self.content = widgets.VBox([widgets.HBox([self.year, self.department, self.division, self.refresh_button]),
                                     self.tabs])
        self.content.layout.display = "none"
        self.widget = widgets.VBox([widgets.HTML(DASHBOARD_CSS), widgets.HTML(
            '<h1 class="mf-title">Department dashboard</h1>'), widgets.HBox([self.progress, self.status]),
            self.message, self.content])
        self.widget.add_class("mf-dash")

        for control, handler in ((self.year, self._on_filter), (self.department, self._on_department),
                                 (self.division, self._on_filter), (self.person, self._on_person)):
            control.observe(handler, names="value")
        self.tabs.observe(self._on_tab, names="selected_index")
        self.refresh_button.on_click(lambda _: self.load(background=True, opening=False))
        self._rendering = False
        self._lock = threading.RLock()
        self._by_year: dict[int, Tables] = {}
        self._maps: dict[tuple[int, bool], tuple[pd.DataFrame, pd.DataFrame]] = {}

    # ----------------------------------------------------------------- loading

    def _progress(self, done: int, total: int) -> None:
        self.progress.max = max(1, total)
        self.progress.value = done
        if total:
            self.status.value = f'<span class="mf-note">Reading workbooks: {done:,} of {total:,}</span>'

    def load(self, background: bool = False, *, opening: bool = True) -> None:
        """Bring the index up to date (showing progress) and show the numbers. With ``background``
        the work runs in a thread so the page can draw the progress bar meanwhile.

        ``opening``: the numbers are shown after a quick refresh (folder times, see
        :mod:`mentorforms.reports.index`), then a thorough one checks every workbook and redraws
        if it found a change (a workbook overwritten in place). Otherwise (the "Check for new
        forms" button) the thorough refresh comes first.
        """
        if background:
            threading.Thread(target=self._load_safely, args=(opening,), daemon=True).start()
        else:
            self._load(opening)

    def _load_safely(self, opening: bool) -> None:
        try:
            self._load(opening)
        except Exception:  # a page thread must never die silently: log it, say it plainly
            log.exception("dashboard load failed for %s", self.viewer.person_id)
            self.status.value = ""
            self.message.value = _refusal(messages.REPORT_LOAD_FAILED)

    def _load(self, opening: bool) -> None:
        self._show(thorough=not opening)
        if opening:
            self._show(only_if_changed=True, thorough=True)

    def _show(self, only_if_changed: bool = False, *, thorough: bool) -> None:
        """Refresh the index, then (unless ``only_if_changed`` and nothing changed) read the
        tables again and redraw."""
        with self._lock:
            if not only_if_changed:  # the check after opening runs quietly behind the numbers
                self.progress.layout.display = None
            self.refresh_button.disabled = True
            try:
                self.index.roster()  # the summaries kept in the index are keyed by the roster's hash
                refreshed = self.index.refresh(None if only_if_changed else self._progress, thorough=thorough)
            finally:
                self.refresh_button.disabled = False
                self.progress.layout.display = "none"
            if only_if_changed and not (refreshed.added or refreshed.changed or refreshed.removed):
                return
            self._by_year.clear()
            self._maps.clear()
            starts = sorted(self.index.years(), reverse=True)
            problems = refreshed.unreadable
            self.status.value = (f'<span class="mf-note">{escape(counted_words(refreshed.files, problems))}</span>'
                                 + (self._unreadable_html() if problems else ""))
            first = self.first_year
            self._rendering = True
            try:
                previous = self.year.value
                self.year.options = [(AcademicYear(start).label, start) for start in starts]
                if previous in starts:
                    self.year.value = previous
                elif starts:
                    self.year.value = first.start if first.start in starts else starts[0]
                self._set_divisions()
            finally:
                self._rendering = False
            if self.year.value is None:
                self.message.value = f"<p>{escape(messages.REPORT_NOTHING_FILED)}</p>"
                return
            self.content.layout.display = None
            self.render()

    def _unreadable_html(self) -> str:
        """Each saved file that could not be opened, by name and reason (as the export's Problems
        sheet and ``mentorforms check`` name them): every one for an analyst, a chair's own
        departments' for a chair (the others are counted, not named)."""
        records = self.session.folder.records_root
        own = {safe_segment(department) for department in self.departments}
        rows, elsewhere = [], 0
        for problem in self.index.problems():
            try:
                parts = problem.path.relative_to(records).parts
            except ValueError:
                parts = ()
            if self.viewer.is_analyst or (len(parts) > 1 and parts[1] in own):
                shown = "/".join(parts) if parts else problem.path.name
                rows.append(f"<li><code>{escape(shown)}</code>: {escape(problem.reason)}</li>")
            else:
                elsewhere += 1
        if elsewhere:
            rows.append(f"<li>{escape(messages.say(messages.DASHBOARD_UNREADABLE_ELSEWHERE, files=messages.counted(elsewhere, 'file')))}</li>")
        return (f'<details class="mf-unreadable" open><summary>{escape(messages.DASHBOARD_UNREADABLE_TITLE)}'
                f'</summary><ul>{"".join(rows)}</ul></details>')

    def tables_for(self, start: int) -> Tables:
        """The tables of one academic year for the viewer's departments (kept until the next refresh);
        teaching hours and goals are totalled in the index, not loaded row by row."""
        with self._lock:
            tables = self._by_year.get(start)
            if tables is None:
                tables = self._by_year[start] = build_tables(
                    self.index, self.session.roster, years=[start], departments=self.departments, as_of=self.as_of,
                    detail=False)
            return tables

    # ----------------------------------------------------------------- filters

    def shown_departments(self) -> tuple[str, ...]:
        """The departments the current filter shows."""
        return self.departments if self.department.value == ALL else (self.department.value,)

    def _set_divisions(self) -> None:
        shown = set(self.shown_departments())
        divisions = sorted({person.division for person in self.session.roster.faculty()
                            if person.department in shown and person.division})
        self.division.options = [("All divisions", ALL)] + [(name, name) for name in divisions]
        self.division.value = ALL

    def _on_department(self, change: Mapping[str, Any]) -> None:
        if self.year.value is None:
            return
        self._rendering = True
        try:
            self._set_divisions()
        finally:
            self._rendering = False
        self._on_filter(change)

    def _on_filter(self, _change: Mapping[str, Any] | None = None) -> None:
        if self._rendering or self.year.value is None:
            return
        try:
            self.render()
        except Exception:  # callback boundary: log it, say it plainly
            log.exception("dashboard render failed for %s", self.viewer.person_id)
            self.message.value = _refusal(messages.REPORT_SHOW_FAILED)

    # ----------------------------------------------------------------- drawing

    def render(self) -> None:
        """Compute the summary for the current filters and draw the open tab (the others when opened).

        Whole departments come from the summaries kept in the index (several added up); a
        division's numbers are computed from the tables."""
        if self.year.value is None:
            return
        # Re-check on the server: a crafted widget message could ask for any department.
        for department in self.shown_departments():
            access.require(department in self.departments, f"You may not see the report of {department}.")
        year = AcademicYear(int(self.year.value))
        department = None if self.department.value == ALL else self.department.value
        division = None if self.division.value == ALL else self.division.value
        with self._lock:
            self.suppressed = suppress.applies(self.viewer, self.shown_departments())
            if division is None:
                summary = summary_of(self.index, self.session.roster, year, list(self.shown_departments()),
                                     self.as_of)
            else:
                summary = summarise(self.tables_for(year.start), year, department=department, division=division)
            self.summary = summary
            self._drawn = set()
        self.message.value = ""
        self.network.value = ""
        self.year_tab.value = ""
        self.reminders.listing.value = self.reminders.preview.value = ""
        self._fill_people(summary)
        self._draw_tab(self.tabs.selected_index or 0)

    def form_link(self, form_id: str, person_id: str, year: AcademicYear | str, mentor: str | None = None) -> str:
        """The relative link to one form of one person on the form page."""
        label = year.label if isinstance(year, AcademicYear) else year
        return self.session.link(self.form_page, form=form_id, person=person_id, year=label, mentor=mentor)

    def _person_link(self, person_id: str, name: str, year: AcademicYear) -> str:
        href = self.form_link(conference_parts(year)[0], person_id, year)
        return f'<a class="mf-person-link" href="{escape(href)}" target="_blank">{escape(name)}</a>'

    def completion_numbers(self) -> dict[str, Any]:
        """The completion counts as shown (suppressed cells read "<5", cells hidden to protect them "n/s")."""
        assert self.summary is not None
        return sections.completion_shown(self.summary, self._view())[0]

    def _view(self) -> View:
        return View(self.suppressed, self._person_link)

    def _on_tab(self, change: Mapping[str, Any]) -> None:
        try:
            self._draw_tab(change["new"])
        except Exception:  # callback boundary: log it, say it plainly
            log.exception("dashboard tab %s failed for %s", change["new"], self.viewer.person_id)
            self.message.value = _refusal(messages.REPORT_TAB_FAILED)

    def _draw_tab(self, tab: int | None) -> None:
        """Draw ``tab`` for the current summary unless it already shows it (tabs are drawn when opened)."""
        summary = self.summary
        if summary is None or tab is None or tab in self._drawn:
            return
        view = self._view()
        if tab == CONFERENCES_TAB:
            self.completion.value = sections.completion_html(summary, view)
        elif tab == HOURS_TAB:
            category, division, text = sections.hours_sections(summary, view)
            for chart, picture in ((self.hours_category_chart, category), (self.hours_division_chart, division)):
                chart.value = picture
                chart.layout.display = None if picture else "none"
            self.hours_tables.value = text
        elif tab == GOALS_TAB:
            picture, text = sections.goals_sections(summary, view)
            self.goals_chart.value = picture or b""
            self.goals_chart.layout.display = None if picture else "none"
            self.goals.value = text
        elif tab == MENTORING_TAB:
            self.mentoring.value = sections.mentoring_html(summary, view)
            self._part(self.draw_network, self.network, messages.DASHBOARD_NETWORK_FAILED)
        elif tab == PROMOTION_TAB:
            self.promotion.value = sections.promotion_html(summary, view)
        elif tab == YEAR_TAB:
            self._part(self.draw_year, self.year_tab, messages.DASHBOARD_YEAR_FAILED)
        elif tab == REMINDERS_TAB:
            self._part(self.reminders.draw, self.reminders.listing, messages.DASHBOARD_REMINDERS_FAILED)
        self._drawn.add(tab)

    def _part(self, draw, shown: widgets.HTML, failed: str) -> None:
        """Draw one part of a tab; if it fails, say so in its place and keep the rest of the tab."""
        try:
            draw()
        except AccessDenied as error:
            shown.value = _refusal(str(error))
        except Exception:  # a part's boundary: logged on the server, said plainly on the page
            log.exception("dashboard part %s failed for %s", getattr(draw, "__name__", draw), self.viewer.person_id)
            shown.value = f'<p class="mf-note">{escape(failed)}</p>'

    def draw_all(self) -> None:
        """Draw every tab now (tests and printing; the page draws each when it is opened)."""
        for tab in range(len(self.tabs.children)):
            self._draw_tab(tab)

    def draw_network(self) -> None:
        """Developmental network figures per department (and mentors named on many maps): read from
        the year's submitted maps the first time the Mentoring tab is shown."""
        assert self.summary is not None
        year, min_cell = self.summary.year, suppress.MIN_PEOPLE if self.suppressed else 0
        own = None if self.suppressed else self.viewer.person.department  # shown in full
        with self._lock:
            key = (year.start, self.suppressed)
            if key not in self._maps:
                self._maps[key] = sections.network_data(self.index, self.session.roster, year, self.departments,
                                                        min_cell, own)
            people, load = self._maps[key]
        self.network.value = sections.network_html(year, people, load, set(self.shown_departments()),
                                                    self.session.roster, own, min_cell)

    def draw_year(self) -> None:
        """The mentoring year's figures (read from the year's meetings, reviews, checklists and
        peer groups the first time the tab is shown)."""
        from mentorforms.ui.year_tab import year_figures, year_tab_html

        assert self.summary is not None
        figures = year_figures(self.index, self.session.roster, self.summary.year, self.shown_departments(),
                               self.as_of)
        self.year_tab.value = year_tab_html(figures, self.summary.year, html_table, names=not self.suppressed)

    def _fill_people(self, summary: Summary) -> None:
        self._rendering = True
        try:
            keep = self.people.fill(summary)
        finally:
            self._rendering = False
        self.show_person(keep)

    def _on_person(self, change: Mapping[str, Any]) -> None:
        if not self._rendering:
            self.show_person(change["new"])

    def show_person(self, person_id: str) -> None:
        """List links to every form of one person (in the shown departments) for the chosen year."""
        self.people.show(person_id, self.summary, self.tables_for)


# --------------------------------------------------------------------------- the page


def dashboard_app(environ: Mapping[str, str] | None = None, *, background: bool = True,
                  as_of: dt.date | None = None) -> widgets.VBox:
    """The whole dashboard page for this Voila request: identity (or the demo picker), then the
    dashboard (``root.dashboard``), or a plain refusal. Never raises for a bad request."""

    def content(session: Session, asked: PageRequest) -> PageContent:
        try:
            year = in_window(session, asked.academic_year(as_of), as_of) if asked.year else None
            dashboard = Dashboard(session, as_of=as_of, year=year, mail=environ)
        except MentorformsError as error:  # refused: said on the page by page_app, recorded here
            trail.refused(session.folder, session.viewer.person_id, "opening the dashboard", str(error),
                          year=asked.year)
            raise
        try:
            audit.append(session.folder.root, "dashboard_viewed", actor=session.viewer.person_id,
                         year=dashboard.first_year.label, detail=", ".join(dashboard.departments))
        except (OSError, AuditError):  # the page still opens; the operators see why in the server log
            log.exception("the audit trail could not record a dashboard view")
        dashboard.reminders.background = background
        dashboard.load(background=background)
        return (dashboard.widget,), dashboard

    return page_app(environ, content, name="dashboard", attribute="dashboard")
