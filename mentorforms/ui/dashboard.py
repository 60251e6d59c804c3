"""The chair dashboard: a Voila page over the department summaries kept in the index.

Filters (year, department, division) offer only what the viewer may see
(:func:`mentorforms.rules.access.visible_departments`: a chair their own department, an analyst all);
each tab (:mod:`~mentorforms.ui.dashboard_tabs`) is drawn when first opened. A chair in their
own department and an analyst in every department see names and exact counts, as in their export
and printable report; any other view suppresses small cells (:mod:`mentorforms.reports.suppress`).
What is read lives in :mod:`~mentorforms.ui.dashboard_data`; this module holds the filters, the
loading and the page. :class:`Dashboard` is plain Python over ipywidgets: tests drive it without a browser.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets

from mentorforms import messages
from mentorforms.errors import AccessDenied, AuditError, MentorformsError
from mentorforms.records import audit
from mentorforms.reports.index import Index
from mentorforms.reports.numbers import counted_words
from mentorforms.rules import access, trail
from mentorforms.ui import memory
from mentorforms.ui.context import PageContent, PageRequest, Session, page_app, server_log
from mentorforms.ui.dashboard_data import DashboardData, Shown, Unreadable, divisions
from mentorforms.ui.dashboard_sections import DASHBOARD_CSS, escape, html_widget, refusal_html
from mentorforms.ui.dashboard_tabs import DashboardTabs
from mentorforms.ui.open_years import in_window
from mentorforms.vocabulary import pages
from mentorforms.vocabulary.academic_year import AcademicYear

log = server_log()

ALL = "__all__"


def unreadable_html(unreadable: Unreadable) -> str:
    """The files the index could not open, under the count of saved forms."""
    rows = [f"<li><code>{escape(shown)}</code>: {escape(reason)}</li>" for shown, reason in unreadable.named]
    if unreadable.elsewhere:
        elsewhere = messages.say(messages.DASHBOARD_UNREADABLE_ELSEWHERE,
                                 files=messages.counted(unreadable.elsewhere, "file"))
        rows.append(f"<li>{escape(elsewhere)}</li>")
    return (f'<details class="mf-unreadable" open><summary>{escape(messages.DASHBOARD_UNREADABLE_TITLE)}'
            f'</summary><ul>{"".join(rows)}</ul></details>')


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
        self.as_of = as_of or dt.date.today()
        self.data = DashboardData(session, self.departments, index or Index(session.folder.root), self.as_of)
        #: The year shown first (when it has forms): the one the link asked for, else the current one.
        self.first_year = year or AcademicYear.containing(self.as_of)

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
        self.message = html_widget()
        self.tabs = DashboardTabs(session, self.data, self.shown_departments, as_of=self.as_of, form_page=form_page,
                                  message=self.message, mail=os.environ if mail is None else mail)

        self.content = widgets.VBox([widgets.HBox([self.year, self.department, self.division, self.refresh_button]),
                                     self.tabs.widget])
        self.content.layout.display = "none"
        self.widget = widgets.VBox([widgets.HTML(DASHBOARD_CSS), widgets.HTML(
            '<h1 class="mf-title">Department dashboard</h1>'), widgets.HBox([self.progress, self.status]),
            self.message, self.content])
        self.widget.add_class("mf-dash")

        for control, handler in ((self.year, self._on_filter), (self.department, self._on_department),
                                 (self.division, self._on_filter)):
            control.observe(handler, names="value")
        self.refresh_button.on_click(lambda _: self.load(background=True, opening=False))
        self._rendering = False

    @property
    def shown(self) -> Shown | None:
        """The numbers shown now (None until loaded)."""
        return self.tabs.shown

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
            self.message.value = refusal_html(messages.REPORT_LOAD_FAILED)
        finally:
            memory.release_now()  # this thread has no event loop; the tables it read are shown

    def _load(self, opening: bool) -> None:
        self._show(thorough=not opening)
        if opening:
            self._show(only_if_changed=True, thorough=True)

    def _show(self, only_if_changed: bool = False, *, thorough: bool) -> None:
        """Refresh the index, then (unless ``only_if_changed`` and nothing changed) read the
        tables again and redraw."""
        with self.data.lock:
            if not only_if_changed:  # the check after opening runs quietly behind the numbers
                self.progress.layout.display = None
            self.refresh_button.disabled = True
            try:
                refreshed = self.data.refresh(None if only_if_changed else self._progress, thorough=thorough)
            finally:
                self.refresh_button.disabled = False
                self.progress.layout.display = "none"
            if only_if_changed and not (refreshed.added or refreshed.changed or refreshed.removed):
                return
            self.data.forget()
            starts = self.data.years()
            problems = refreshed.unreadable
            self.status.value = (f'<span class="mf-note">{escape(counted_words(refreshed.files, problems))}</span>'
                                 + (unreadable_html(self.data.unreadable()) if problems else ""))
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

    # ----------------------------------------------------------------- filters

    def shown_departments(self) -> tuple[str, ...]:
        """The departments the current filter shows."""
        return self.departments if self.department.value == ALL else (self.department.value,)

    def _set_divisions(self) -> None:
        names = divisions(self.session.roster, self.shown_departments())
        self.division.options = [("All divisions", ALL)] + [(name, name) for name in names]
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
            self.message.value = refusal_html(messages.REPORT_SHOW_FAILED)

    def render(self) -> None:
        """Read the numbers for the current filters and draw the open tab (the others when opened)."""
        if self.year.value is None:
            return
        departments = self.shown_departments()
        # Re-check on the server: a crafted widget message could ask for any department.
        for name in departments:
            access.require(name in self.departments, f"You may not see the report of {name}.")
        department = None if self.department.value == ALL else self.department.value
        division = None if self.division.value == ALL else self.division.value
        numbers = self.data.gather(AcademicYear(int(self.year.value)), departments, department, division)
        self.message.value = ""
        self.tabs.show(numbers)


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
        dashboard.tabs.reminders.background = background
        dashboard.load(background=background)
        return (dashboard.widget,), dashboard

    return page_app(environ, content, name="dashboard", attribute="dashboard")
