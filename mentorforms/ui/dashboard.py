"""The chair dashboard: a Voila page over the report tables.

Filters (year, department, division) offer only what the viewer may see
(:func:`mentorforms.access.visible_departments`: a chair their own department, an analyst all).
Sections: conference completion with the names behind each number, teaching hours by category
and by division (this year against last) as charts, goal status by area, mentoring coverage with
the faculty who have no mentor, promotion outlook and support needed, and one person's forms.
Outside a chair's view of their own department, breakdown cells of one to four people are
suppressed and names are not listed (:mod:`mentorforms.reports.suppress`).

:class:`Dashboard` is plain Python over ipywidgets: tests drive it without a browser.
"""

from __future__ import annotations

import datetime as dt
import html
import threading
from typing import Any, Iterable, Mapping, Sequence

import ipywidgets as widgets
import pandas as pd

from mentorforms import access, pages
from mentorforms.academic_year import AcademicYear
from mentorforms.errors import AccessDenied
from mentorforms.reports import coverage, suppress
from mentorforms.reports.charts import grouped_bars
from mentorforms.reports.index import Index
from mentorforms.reports.summary import LAST_YEAR, THIS_YEAR, Summary, names_by_completion, summarise
from mentorforms.reports.tables import Tables, build_tables, form_title, network_records
from mentorforms.ui.context import PageContent, PageRequest, Session, page_app, server_log

log = server_log()

ALL = "__all__"
MENTORING_TAB = 3
YEAR_TAB = 6
_STATE_WORDS = {coverage.DONE: "Done", coverage.IN_PROGRESS: "In progress", coverage.MISSING: "Missing",
                coverage.LATE: "Late"}
_NAMES_HIDDEN = ("Names are listed only in a chair's view of their own department; counts of one to "
                 f"{suppress.MIN_PEOPLE - 1} people are shown as {suppress.SUPPRESSED}.")

DASHBOARD_CSS = """
<style>
.mf-dash h2 { font-size: 17px; margin: 14px 0 6px; }
.mf-dash table.mf-grid { border-collapse: collapse; margin: 4px 0 10px; font-size: 13px; }
.mf-dash table.mf-grid th, .mf-dash table.mf-grid td { border: 1px solid #d0d7de; padding: 3px 8px; text-align: left; }
.mf-dash table.mf-grid th { background: #f3f6f9; }
.mf-dash table.mf-grid td.n { text-align: right; font-variant-numeric: tabular-nums; }
.mf-dash .mf-note { color: #59636e; font-size: 12px; }
.mf-dash details { margin: 4px 0; }
.mf-dash summary { cursor: pointer; font-weight: 600; }
.mf-dash ul.mf-names { columns: 3; margin: 4px 0 8px; font-size: 13px; }
.mf-dash .mf-big { font-size: 26px; font-weight: 650; }
.mf-dash .mf-tiles { display: flex; gap: 12px; flex-wrap: wrap; }
.mf-dash .mf-tile { border: 1px solid #d0d7de; border-radius: 6px; padding: 8px 14px; min-width: 110px; }
</style>
"""


def _escape(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def _cell(value: Any) -> str:
    if isinstance(value, float):
        if value != value:
            return '<td class="n">—</td>'
        return f'<td class="n">{value:,.1f}</td>'
    if isinstance(value, (int,)) and not isinstance(value, bool):
        return f'<td class="n">{value:,}</td>'
    if value in (suppress.SUPPRESSED, "—"):
        return f'<td class="n">{_escape(value)}</td>'
    return f"<td>{_escape(value)}</td>"


def html_table(header: Sequence[str], rows: Iterable[Sequence[Any]], css_class: str = "") -> str:
    """A small HTML table; every cell escaped, numbers right-aligned."""
    head = "".join(f"<th>{_escape(title)}</th>" for title in header)
    body = "".join("<tr>" + "".join(_cell(value) for value in row) + "</tr>" for row in rows)
    return f'<table class="mf-grid {css_class}"><tr>{head}</tr>{body}</table>'


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


class Dashboard:
    """The dashboard for one viewer. Call :meth:`load` (the page does, in the background)."""

    def __init__(self, session: Session, *, index: Index | None = None, as_of: dt.date | None = None,
                 form_page: str = pages.FORM, year: AcademicYear | None = None) -> None:
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
        self.tables: Tables | None = None
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

        self.completion = widgets.HTML()
        self.completion.add_class("mf-dash-completion")
        self.hours_category_chart = widgets.Image(format="png", layout=widgets.Layout(max_width="780px"))
        self.hours_division_chart = widgets.Image(format="png", layout=widgets.Layout(max_width="780px"))
        self.hours_tables = widgets.HTML()
        self.goals_chart = widgets.Image(format="png", layout=widgets.Layout(max_width="780px"))
        self.goals = widgets.HTML()
        self.mentoring = widgets.HTML()
        self.mentoring.add_class("mf-dash-mentoring")
        self.network = widgets.HTML()
        self.network.add_class("mf-dash-network")
        self.promotion = widgets.HTML()
        self.person = widgets.Dropdown(description="Person", options=[("— choose —", "")], value="",
                                       layout=widgets.Layout(width="420px"))
        self.person.add_class("mf-dash-person")
        self.person_forms = widgets.HTML()
        self.person_forms.add_class("mf-dash-person-forms")
        self.message = widgets.HTML()
        self.year_tab = widgets.HTML()
        self.year_tab.add_class("mf-dash-year-tab")

        self.tabs = widgets.Tab(children=[
            self.completion,
            widgets.VBox([self.hours_category_chart, self.hours_division_chart, self.hours_tables]),
            widgets.VBox([self.goals_chart, self.goals]),
            widgets.VBox([self.mentoring, self.network]),
            self.promotion,
            widgets.VBox([self.person, self.person_forms]),
            self.year_tab,
        ])
        for number, title in enumerate(("Conferences", "Teaching hours", "Goals", "Mentoring", "Promotion",
                                        "A person's forms", "Mentoring year")):
            self.tabs.set_title(number, title)
        self.tabs.add_class("mf-dash-tabs")
        self.content = widgets.VBox([widgets.HBox([self.year, self.department, self.division, self.refresh_button]),
                                     self.tabs])
        self.content.layout.display = "none"
        self.widget = widgets.VBox([widgets.HTML(DASHBOARD_CSS), widgets.HTML(
            '<h1 class="mf-title">Department dashboard</h1>'), widgets.HBox([self.progress, self.status]),
            self.message, self.content])
        self.widget.add_class("mf-dash")

        self.year.observe(self._on_filter, names="value")
        self.department.observe(self._on_department, names="value")
        self.division.observe(self._on_filter, names="value")
        self.person.observe(self._on_person, names="value")
        self.tabs.observe(self._on_tab, names="selected_index")
        self.refresh_button.on_click(lambda _: self.load(background=True, opening=False))
        self._rendering = False
        self._lock = threading.RLock()
        self._by_year: dict[int, Tables] = {}
        self._maps: dict[int, tuple[pd.DataFrame, pd.DataFrame]] = {}

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
            self.message.value = ('<div class="mf-banner mf-refusal">The report could not be loaded. The '
                                  'faculty-affairs office can see why in the server log.</div>')

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
            self.status.value = (f'<span class="mf-note">{refreshed.files:,} workbooks; '
                                 f'{problems} could not be read{" (see the analyst export)" if problems else ""}.'
                                 f'</span>')
            first = self.first_year
            self._rendering = True
            try:
                previous = self.year.value
                self.year.options = [(AcademicYear(start).label, start) for start in starts]
                if previous in starts:
                    self.year.value = previous
                elif starts:
                    self.year.value = first.start if first.start in starts else starts[0]
                if self.year.value is not None:
                    self.tables = self.tables_for(int(self.year.value))
                self._set_divisions()
            finally:
                self._rendering = False
            if self.tables is None:
                self.message.value = '<p>No forms have been filed yet.</p>'
                return
            self.content.layout.display = None
            self.render()

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
        assert self.tables is not None
        people = self.tables.people
        divisions = sorted({division for division in people.loc[people["department"].isin(self.shown_departments()),
                                                                 "division"] if isinstance(division, str) and division})
        self.division.options = [("All divisions", ALL)] + [(name, name) for name in divisions]
        self.division.value = ALL

    def _on_department(self, change: Mapping[str, Any]) -> None:
        if self.tables is None:
            return
        self._rendering = True
        try:
            self._set_divisions()
        finally:
            self._rendering = False
        self._on_filter(change)

    def _on_filter(self, _change: Mapping[str, Any] | None = None) -> None:
        if self._rendering or self.tables is None:
            return
        try:
            self.render()
        except Exception:  # callback boundary: log it, say it plainly
            log.exception("dashboard render failed for %s", self.viewer.person_id)
            self.message.value = ('<div class="mf-banner mf-refusal">These numbers could not be shown. The '
                                  'faculty-affairs office can see why in the server log.</div>')

    # ----------------------------------------------------------------- drawing

    def render(self) -> None:
        """Compute the summary for the current filters and redraw every section."""
        if self.tables is None or self.year.value is None:
            return
        # Re-check on the server: a crafted widget message could ask for any department.
        for department in self.shown_departments():
            access.require(department in self.departments, f"You may not see the report of {department}.")
        year = AcademicYear(int(self.year.value))
        department = None if self.department.value == ALL else self.department.value
        division = None if self.division.value == ALL else self.division.value
        with self._lock:
            self.tables = tables = self.tables_for(year.start)
            self.suppressed = suppress.applies(self.viewer, self.shown_departments())
            self.summary = summary = summarise(tables, year, department=department, division=division)
        self.message.value = ""
        self._draw_completion(summary)
        self._draw_hours(summary)
        self._draw_goals(summary)
        self._draw_mentoring(summary)
        self._draw_promotion(summary)
        self._fill_people(summary)
        self.network.value = ""
        self.year_tab.value = ""
        if self.tabs.selected_index == MENTORING_TAB:
            self.draw_network()
        if self.tabs.selected_index == YEAR_TAB:
            self.draw_year()

    def _count(self, value: int) -> Any:
        value = int(value)
        return suppress.SUPPRESSED if self.suppressed and suppress.small(value) else value

    def form_link(self, form_id: str, person_id: str, year: AcademicYear | str, mentor: str | None = None) -> str:
        """The relative link to one form of one person on the form page."""
        label = year.label if isinstance(year, AcademicYear) else year
        return self.session.link(self.form_page, form=form_id, person=person_id, year=label, mentor=mentor)

    def _person_link(self, person_id: str, name: str, year: AcademicYear) -> str:
        href = self.form_link("conference_part1", person_id, year)
        return f'<a class="mf-person-link" href="{_escape(href)}" target="_blank">{_escape(name)}</a>'

    def completion_numbers(self) -> dict[str, Any]:
        """The completion counts as shown (suppressed cells read "<5")."""
        assert self.summary is not None
        row = self.summary.completion.iloc[0]
        return {state: self._count(row[state]) for state in coverage.COMPLETION_ORDER}

    def _draw_completion(self, summary: Summary) -> None:
        states = list(coverage.COMPLETION_ORDER)
        numbers = self.completion_numbers()
        tiles = "".join(f'<div class="mf-tile mf-tile-{state.replace(" ", "-")}"><div class="mf-note">'
                        f'{_STATE_WORDS[state]}</div><div class="mf-big">{_escape(numbers[state])}</div></div>'
                        for state in states)
        counts = summary.completion_by_division
        rows = [[division or "(no division)", *[self._count(counts.loc[division, state]) for state in states]]
                for division in counts.index]
        parts = [f"<h2>Annual career conference, {summary.year.label}</h2>",
                 f'<p class="mf-note">{summary.faculty} faculty. Due before '
                 f'{summary.year.conference_due:%B %-d, %Y}. Done: Part II signed by both and Part I submitted, '
                 f'both before April 1; late: the same on or after it.</p>',
                 f'<div class="mf-tiles">{tiles}</div>',
                 html_table(["Division", *[_STATE_WORDS[state] for state in states]], rows)]
        if self.suppressed:
            parts.append(f'<p class="mf-note">{_escape(_NAMES_HIDDEN)}</p>')
        else:
            overdue = set(summary.conferences.loc[summary.conferences["overdue"], "person_id"])
            for state, people in names_by_completion(summary).items():
                items = "".join(
                    f"<li>{self._person_link(person_id, name, summary.year)}"
                    f"{' <span class=mf-note>(' + _escape(division) + ')</span>' if division else ''}"
                    f"{' — overdue' if person_id in overdue else ''}</li>" for person_id, name, division in people)
                parts.append(f'<details class="mf-names-{state.replace(" ", "-")}"><summary>{_STATE_WORDS[state]}: '
                             f'{len(people)}</summary><ul class="mf-names">{items or "<li>nobody</li>"}</ul></details>')
        if summary.drafts:
            parts.append(f'<p class="mf-note">{summary.drafts} draft(s) not yet submitted are not counted as done.</p>')
        self.completion.value = "".join(parts)

    def _hours_series(self, hours: pd.DataFrame, people: pd.DataFrame) -> tuple[dict[str, list], bool]:
        series: dict[str, list] = {}
        hidden = False
        for column, label in ((THIS_YEAR, "this year"), (LAST_YEAR, "last year")):
            values = [None if value != value else float(value) for value in hours[column]]
            if self.suppressed:
                masked = suppress.mask_numbers(values, people[column])
                hidden = hidden or any(a is not None and b is None for a, b in zip(values, masked))
                values = masked
            series[label] = values
        return series, hidden

    def _hours_cell(self, value: Any, people: int) -> Any:
        if int(people) == 0 or value != value:
            return "—"
        if self.suppressed and suppress.small(int(people)):
            return suppress.SUPPRESSED
        return float(value)

    def _draw_hours(self, summary: Summary) -> None:
        year, last = summary.year.label, summary.year.previous.label
        note = f"cells of 1 to {suppress.MIN_PEOPLE - 1} people are left out" if self.suppressed else ""
        charts = []
        for hours, people, title, chart in (
                (summary.hours_by_category, summary.hours_by_category_people, "Teaching hours by category",
                 self.hours_category_chart),
                (summary.hours_by_division, summary.hours_by_division_people, "Teaching hours by division",
                 self.hours_division_chart)):
            series, hidden = self._hours_series(hours, people)
            series = {f"{year} (this year)": series["this year"], f"{last} (last year)": series["last year"]}
            labels = [str(label) or "(no division)" for label in hours.index]
            chart.value = grouped_bars(labels, series, title=title, axis_label="Hours",
                                       note=note if hidden else "") if labels else b""
            chart.layout.display = None if labels else "none"
            rows = [[label, self._hours_cell(this, count_this), self._hours_cell(previous, count_last),
                     self._count(count_this)]
                    for label, this, previous, count_this, count_last in zip(
                        labels, hours[THIS_YEAR], hours[LAST_YEAR], people[THIS_YEAR], people[LAST_YEAR])]
            charts.append(f"<h2>{_escape(title)}</h2>" + html_table(
                ["", f"Hours {year}", f"Hours {last}", "Faculty reporting"], rows))
        self.hours_tables.value = ('<p class="mf-note">From Part I: each year\'s form reports the hours of the '
                                   'academic year just ended.</p>' + "".join(charts))

    def _draw_goals(self, summary: Summary) -> None:
        goals = summary.goal_status
        if goals.empty:
            self.goals.value = "<h2>Goal status by area</h2><p>No goals submitted for this year.</p>"
            self.goals_chart.layout.display = "none"
            return
        statuses = list(goals.columns)
        people = summary.goal_status_people
        rows = []
        series: dict[str, list] = {status: [] for status in statuses}
        for area in goals.index:
            row = [area]
            for status in statuses:
                count = int(goals.loc[area, status])
                hidden = self.suppressed and suppress.small(int(people.loc[area, status]))
                row.append(suppress.SUPPRESSED if hidden else count)
                series[status].append(None if hidden else count)
            rows.append(row)
        self.goals_chart.value = grouped_bars(list(goals.index), series, title="Goals by area and status",
                                              axis_label="Goals", stacked=True, whole=True)
        self.goals_chart.layout.display = None
        note = (f'<p class="mf-note">Counts of goals; a cell is hidden when it comes from one to '
                f'{suppress.MIN_PEOPLE - 1} people.</p>' if self.suppressed else "")
        self.goals.value = "<h2>Goal status by area</h2>" + html_table(["Area", *statuses], rows) + note

    def _draw_mentoring(self, summary: Summary) -> None:
        without = coverage.without_mentor(summary.mentoring)
        with_mentor = summary.with_mentor
        share = f"{with_mentor / summary.faculty:.0%}" if summary.faculty and not (
            self.suppressed and (suppress.small(with_mentor) or suppress.small(len(without)))) else "—"
        parts = [f"<h2>Mentoring coverage, {summary.year.label}</h2>",
                 html_table(["Faculty", "With a mentor", "Without a mentor", "Coverage",
                             "Agreements past their date to revisit"],
                            [[summary.faculty, self._count(with_mentor), self._count(len(without)), share,
                              self._count(len(summary.revisit))]]),
                 '<p class="mf-note">A mentor is assigned on the roster or named in this year\'s submitted forms '
                 '(agreement, Part I, network map, peer group).</p>']
        if self.suppressed:
            parts.append(f'<p class="mf-note">{_escape(_NAMES_HIDDEN)}</p>')
        else:
            items = "".join(f"<li>{self._person_link(row.person_id, row.name, summary.year)}"
                            f"{' <span class=mf-note>(' + _escape(row.division) + ')</span>' if row.division else ''}"
                            f"</li>" for row in without.itertuples(index=False))
            parts.append(f'<h2>Faculty without a mentor ({len(without)})</h2>'
                         f'<ul class="mf-names mf-without-mentor">{items or "<li>nobody</li>"}</ul>')
            rows = [[row.name, row.mentor, row.revisit_date, row.days_overdue]
                    for row in summary.revisit.itertuples(index=False)]
            if rows:
                parts.append("<h2>Agreements past their date to revisit</h2>" +
                             html_table(["Mentee", "Mentor", "Revisit by", "Days overdue"], rows))
        self.mentoring.value = "".join(parts)

    def _on_tab(self, change: Mapping[str, Any]) -> None:
        if change["new"] == YEAR_TAB and self.summary is not None and not self.year_tab.value:
            try:
                self.draw_year()
            except Exception:  # callback boundary: log it, say it plainly
                log.exception("mentoring-year figures failed for %s", self.viewer.person_id)
                self.year_tab.value = '<p class="mf-note">The mentoring-year figures could not be shown.</p>'
        if change["new"] == MENTORING_TAB and self.summary is not None and not self.network.value:
            try:
                self.draw_network()
            except Exception:  # callback boundary: log it, say it plainly
                log.exception("network figures failed for %s", self.viewer.person_id)
                self.network.value = '<p class="mf-note">The network figures could not be shown.</p>'

    def draw_network(self) -> None:
        """Developmental network figures per department (and mentors named on many maps): read from
        the year's submitted maps the first time the Mentoring tab is shown."""
        from mentorforms.reports import network

        assert self.summary is not None
        year = self.summary.year
        with self._lock:
            if year.start not in self._maps:
                records, problems = network_records(self.index, self.session.roster, [year], self.departments)
                for file, reason in problems:
                    log.warning("network map skipped: %s: %s", file, reason)
                self._maps[year.start] = (network.person_rows(records, self.session.roster),
                                          network.mentor_load(records, self.session.roster,
                                                              own_department=self._own_department()))
            people, load = self._maps[year.start]
        shown = set(self.shown_departments())
        people = people[people["department"].isin(shown)]
        figures = network.department_figures(people, self.session.roster, own_department=self._own_department())
        rows = [[network.shown(row, "department"), network.shown(row, "faculty"), network.shown(row, "with_map"),
                 network.shown(row, "map_share", percent=True), network.shown(row, "with_sponsor_share", percent=True),
                 network.shown(row, "nobody_personal_share", percent=True), network.shown(row, "size_median")]
                for row in figures.to_dict("records")]
        parts = [f"<h2>Developmental network maps, {year.label}</h2>"]
        if rows:
            parts.append(html_table(["Department", "Faculty", "With a map", "Share", "With a sponsor",
                                     "Nobody for personal support", "Median size"], rows))
            parts.append('<p class="mf-note">Shares of sponsors and personal support are of those with a map.</p>')
        else:
            parts.append("<p>No network map submitted for this year.</p>")
        many = load[load["department"].isin(shown) & load["many"].fillna(False)]
        if len(many):
            parts.append("<h2>Named as mentor on many maps</h2>" + html_table(
                ["Department", "Mentor", "Named by"],
                [[row["department"], row["mentor"], network.shown(row, "named_by")]
                 for row in many.to_dict("records")]))
        self.network.value = "".join(parts)

    def draw_year(self) -> None:
        """The mentoring year's figures (read from the year's meetings, reviews, checklists and
        peer groups the first time the tab is shown)."""
        from mentorforms.ui.year_tab import year_figures, year_tab_html

        assert self.summary is not None
        figures = year_figures(self.index, self.session.roster, self.summary.year, self.shown_departments(),
                               self.as_of)
        self.year_tab.value = year_tab_html(figures, self.summary.year, html_table, names=not self.suppressed)

    def _own_department(self) -> str | None:
        """The department shown in full (a chair's own, when that is all the view shows)."""
        return None if self.suppressed else self.viewer.person.department

    def _draw_promotion(self, summary: Summary) -> None:
        outlook = [[label, self._count(count)] for label, count in summary.outlook["people"].items()]
        support = [[label, self._count(count)] for label, count in summary.support["people"].items()]
        self.promotion.value = (
            f"<h2>Promotion outlook (Part II), {summary.year.label}</h2>"
            + (html_table(["Outlook", "Faculty"], outlook) if outlook else "<p>No Part II submitted yet.</p>")
            + "<h2>Future support needed</h2>"
            + (html_table(["Support", "Faculty"], support) if support else "<p>None requested.</p>"))

    def _fill_people(self, summary: Summary) -> None:
        people = sorted(summary.conferences.itertuples(index=False), key=lambda row: row.name)
        options = [("— choose —", "")] + [(f"{row.name} ({row.division or row.department})", row.person_id)
                                          for row in people]
        keep = self.person.value if self.person.value in {value for _, value in options} else ""
        self._rendering = True
        try:
            self.person.options = options
            self.person.value = keep
        finally:
            self._rendering = False
        self.show_person(keep)

    def _on_person(self, change: Mapping[str, Any]) -> None:
        if self._rendering:
            return
        self.show_person(change["new"])

    def show_person(self, person_id: str) -> None:
        """List links to every form of one person (in the shown departments) for the chosen year."""
        if not person_id or self.tables is None or self.summary is None:
            self.person_forms.value = '<p class="mf-note">Choose someone to see their forms.</p>'
            return
        person = self.session.roster.get(person_id)
        access.require(person is not None and person.department in self.departments,
                       "You may not see this person's forms.")
        year = self.summary.year
        latest = self.tables.latest
        rows = latest[(latest["person_id"] == person_id) & (latest["year"] == year.label)]
        items = []
        for form_id in ("conference_part1", "conference_part2"):
            found = rows[rows["form_id"] == form_id]
            state = found["status"].iloc[0] if not found.empty else "not filed"
            items.append(f'<li><a href="{_escape(self.form_link(form_id, person_id, year))}" target="_blank">'
                         f'{_escape(form_title(form_id, year.start))}</a> — {_escape(state)}</li>')
        for row in rows[~rows["form_id"].isin(["conference_part1", "conference_part2"])].itertuples(index=False):
            mentor = row.instance if row.form_id == "agreement" and isinstance(row.instance, str) else None
            title = form_title(row.form_id, year.start)
            if mentor:
                mentor_person = self.session.roster.get(mentor)
                title += f" with {mentor_person.name if mentor_person else mentor}"
            items.append(f'<li><a href="{_escape(self.form_link(row.form_id, person_id, year, mentor))}" '
                         f'target="_blank">{_escape(title)}</a> — {_escape(row.status)}</li>')
        self.person_forms.value = (f"<h2>{_escape(person.name)}, {year.label}</h2>"
                                   f'<ul class="mf-person-forms">{"".join(items)}</ul>')


# --------------------------------------------------------------------------- the page


def dashboard_app(environ: Mapping[str, str] | None = None, *, background: bool = True,
                  as_of: dt.date | None = None) -> widgets.VBox:
    """The whole dashboard page for this Voila request: identity (or the demo picker), then the
    dashboard (``root.dashboard``), or a plain refusal. Never raises for a bad request."""

    def content(session: Session, asked: PageRequest) -> PageContent:
        dashboard = Dashboard(session, as_of=as_of, year=asked.academic_year(as_of) if asked.year else None)
        dashboard.load(background=background)
        return (dashboard.widget,), dashboard

    return page_app(environ, content, name="dashboard", attribute="dashboard")
