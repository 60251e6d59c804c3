"""What each tab of the dashboard shows, as HTML (and chart pictures) from a summary.

Functions of a :class:`~mentorforms.reports.summary.Summary` and a :class:`View` (whether the
small-cell rule applies, how to link a name); the dashboard's tabs (:mod:`mentorforms.ui.dashboard_tabs`)
put the results in their widgets. Every text from the data is escaped. Hours are shown as the
workbook shows them (:mod:`mentorforms.reports.numbers`), and each hours table has a total row
that adds the shown figures. Where cells are suppressed, a total is shown only with enough other
cells hidden that no suppressed one can be worked out from it (:func:`suppress.complementary`).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets
import pandas as pd

from mentorforms import messages
from mentorforms.errors import AccessDenied
from mentorforms.forms import get_form
from mentorforms.records.roster import Person, Roster
from mentorforms.reports import coverage, network, shown, suppress
from mentorforms.reports.charts import grouped_bars
from mentorforms.reports.facts import conference_parts
from mentorforms.reports.index import Index
from mentorforms.reports.numbers import hours_text
from mentorforms.reports.summary import Summary, names_by_completion
from mentorforms.reports.tables import Tables, form_title, network_records
from mentorforms.ui.context import Session, server_log
from mentorforms.vocabulary.academic_year import AcademicYear

log = server_log()

STATE_WORDS = {coverage.DONE: "Done", coverage.IN_PROGRESS: "In progress", coverage.MISSING: "Missing",
               coverage.LATE: "Late"}
NAMES_HIDDEN = ("Names are listed only in a chair's or an analyst's view; counts of one to "
                f"{suppress.MIN_PEOPLE - 1} people are shown as {suppress.SUPPRESSED}.")

DASHBOARD_CSS = """
<style>
.mf-dash h2 { font-size: 17px; margin: 14px 0 6px; }
.mf-dash table.mf-grid { border-collapse: collapse; margin: 4px 0 10px; font-size: 13px; }
.mf-dash table.mf-grid th, .mf-dash table.mf-grid td { border: 1px solid #d0d7de; padding: 3px 8px; text-align: left; }
.mf-dash table.mf-grid th { background: #f3f6f9; }
.mf-dash table.mf-grid td.n { text-align: right; font-variant-numeric: tabular-nums; }
.mf-dash table.mf-grid tr.mf-total td { font-weight: 600; border-top: 2px solid #8c959f; }
.mf-dash .mf-note { color: #59636e; font-size: 12px; }
.mf-dash details { margin: 4px 0; }
.mf-dash summary { cursor: pointer; font-weight: 600; }
.mf-dash ul.mf-names { columns: 3; margin: 4px 0 8px; font-size: 13px; }
.mf-dash .mf-big { font-size: 26px; font-weight: 650; }
.mf-dash .mf-tiles { display: flex; gap: 12px; flex-wrap: wrap; }
.mf-dash .mf-tile { border: 1px solid #d0d7de; border-radius: 6px; padding: 8px 14px; min-width: 110px; }
</style>
"""


@dataclass(frozen=True)
class View:
    """How the viewer sees the numbers: ``suppressed`` (the small-cell rule applies, no names)
    and ``person_link(person_id, name, year)``, the HTML of a name that opens their forms."""

    suppressed: bool
    person_link: Callable[[str, str, AcademicYear], str]

    def count(self, value: Any) -> Any:
        """``value`` as a count the viewer may see ("<5" for a small one where cells are suppressed)."""
        value = int(value)
        return suppress.SUPPRESSED if self.suppressed and suppress.small(value) else value


class Hours(str):
    """Hours already rounded and formatted for a table cell (right-aligned)."""


def escape(value: Any) -> str:
    """``value`` as HTML text (None as nothing)."""
    return html.escape("" if value is None else str(value))


def _cell(value: Any) -> str:
    if isinstance(value, Hours):
        return f'<td class="n">{escape(value)}</td>'
    if isinstance(value, float):
        return f'<td class="n">{escape(hours_text(value))}</td>'
    if isinstance(value, int) and not isinstance(value, bool):
        return f'<td class="n">{value:,}</td>'
    if value in (suppress.SUPPRESSED, suppress.HIDDEN, "—"):
        return f'<td class="n">{escape(value)}</td>'
    return f"<td>{escape(value)}</td>"


def html_table(header: Sequence[str], rows: Iterable[Sequence[Any]], css_class: str = "",
               total: Sequence[Any] | None = None) -> str:
    """A small HTML table; every cell escaped, numbers right-aligned; ``total``: a last, bold row."""
    head = "".join(f"<th>{escape(title)}</th>" for title in header)
    body = "".join("<tr>" + "".join(_cell(value) for value in row) + "</tr>" for row in rows)
    if total is not None:
        body += '<tr class="mf-total">' + "".join(_cell(value) for value in total) + "</tr>"
    return f'<table class="mf-grid {css_class}"><tr>{head}</tr>{body}</table>'


# --------------------------------------------------------------------------- conferences

def completion_shown(summary: Summary, view: View) -> tuple[dict[str, Any], list[list[Any]]]:
    """The completion tiles (state -> shown count) and the rows by division as the viewer sees them."""
    tiles, rows, _ = shown.completion(summary, view.suppressed)
    return {state: tiles[state] for state in coverage.COMPLETION_ORDER}, [row[:-1] for row in rows]


def completion_html(summary: Summary, view: View) -> str:
    """The conference tiles, the counts by division and (where names are shown) who is in each state."""
    states = list(coverage.COMPLETION_ORDER)
    numbers, rows = completion_shown(summary, view)
    tiles = "".join(f'<div class="mf-tile mf-tile-{state.replace(" ", "-")}"><div class="mf-note">'
                    f'{STATE_WORDS[state]}</div><div class="mf-big">{escape(numbers[state])}</div></div>'
                    for state in states)
    parts = [f"<h2>Annual career conference, {summary.year.label}</h2>",
             f'<p class="mf-note">{summary.faculty} faculty. Due before '
             f'{summary.year.conference_due:%B %-d, %Y}. Done: Part II signed by both and Part I submitted, '
             f'both before April 1; late: the same on or after it.</p>',
             f'<div class="mf-tiles">{tiles}</div>',
             html_table(["Division", *[STATE_WORDS[state] for state in states]], rows)]
    if view.suppressed:
        parts.append(f'<p class="mf-note">{escape(NAMES_HIDDEN)} {escape(suppress.COMPLEMENT_NOTE)}</p>')
    else:
        overdue = set(summary.conferences.loc[summary.conferences["overdue"], "person_id"])
        for state, people in names_by_completion(summary).items():
            items = "".join(
                f"<li>{view.person_link(person_id, name, summary.year)}"
                f"{' <span class=mf-note>(' + escape(division) + ')</span>' if division else ''}"
                f"{' — overdue' if person_id in overdue else ''}</li>" for person_id, name, division in people)
            parts.append(f'<details class="mf-names-{state.replace(" ", "-")}"><summary>{STATE_WORDS[state]}: '
                         f'{len(people)}</summary><ul class="mf-names">{items or "<li>nobody</li>"}</ul></details>')
    if summary.drafts:
        parts.append(f'<p class="mf-note">{messages.counted(summary.drafts, "draft")} not yet submitted '
                     f'{"is" if summary.drafts == 1 else "are"} not counted as done.</p>')
    return "".join(parts)


# --------------------------------------------------------------------------- teaching hours

def _hours_text(value: Any) -> Any:
    if value is None:
        return "—"
    return Hours(hours_text(value)) if isinstance(value, float) else value


def hours_shown(hours: pd.DataFrame, people: pd.DataFrame, view: View, *,
                people_add_up: bool) -> tuple[list[list[Any]], list[Any]]:
    """Rows ``[label, hours this year, hours last year, faculty reporting this year]`` and the
    total row as shown (see :func:`mentorforms.reports.shown.hours`)."""
    rows, total = shown.hours(hours, people, view.suppressed, people_add_up=people_add_up)
    present = [[row[0], _hours_text(row[1]), _hours_text(row[2]), row[3]] for row in rows]
    return present, [total[0], _hours_text(total[1]), _hours_text(total[2]), "" if total[3] is None else total[3]]


def hours_sections(summary: Summary, view: View) -> tuple[bytes, bytes, str]:
    """The two hours charts (PNG; empty when there is nothing to draw) and the tables."""
    year, last = summary.year.label, summary.year.previous.label
    pictures: list[bytes] = []
    tables = []
    for hours, people, title, add_up in (
            (summary.hours_by_category, summary.hours_by_category_people, "Teaching hours by category", False),
            (summary.hours_by_division, summary.hours_by_division_people, "Teaching hours by division", True)):
        rows, total = hours_shown(hours, people, view, people_add_up=add_up)
        series: dict[str, list[float | None]] = {f"{year} (this year)": [], f"{last} (last year)": []}
        for row in rows:
            for name, figure in zip(series, row[1:3]):
                series[name].append(float(figure.replace(",", "")) if isinstance(figure, Hours) else None)
        hidden = any(value in (suppress.SUPPRESSED, suppress.HIDDEN) for row in rows for value in row[1:3])
        note = f"cells of 1 to {suppress.MIN_PEOPLE - 1} people are left out" if hidden else ""
        labels = [row[0] for row in rows]
        pictures.append(grouped_bars(labels, series, title=title, axis_label="Hours", note=note) if labels else b"")
        tables.append(f"<h2>{escape(title)}</h2>" + html_table(
            ["", f"Hours {year}", f"Hours {last}", "Faculty reporting"], rows, total=total if rows else None))
    text = ('<p class="mf-note">From Part I: each year\'s form reports the hours of the academic year just '
            'ended. Hours are shown to the hundredth as they are stored (halves up); a total adds the figures '
            'shown above it.</p>')
    if view.suppressed:
        text += f'<p class="mf-note">{escape(suppress.COMPLEMENT_NOTE)}</p>'
    return pictures[0], pictures[1], text + "".join(tables)


# --------------------------------------------------------------------------- goals, mentoring, promotion

def goals_sections(summary: Summary, view: View) -> tuple[bytes | None, str]:
    """The goals chart (PNG; None when no goal was submitted) and the table by area and status."""
    if summary.goal_status.empty:
        return None, "<h2>Goal status by area</h2><p>No goals submitted for this year.</p>"
    statuses, rows = shown.goals(summary, view.suppressed)
    series = {status: [value if isinstance(value, int) else None for value in column]
              for status, column in zip(statuses, zip(*[row[1:] for row in rows]))}
    chart = grouped_bars([row[0] for row in rows], series, title="Goals by area and status", axis_label="Goals",
                         stacked=True, whole=True)
    note = (f'<p class="mf-note">Counts of goals; a cell is hidden when it comes from one to '
            f'{suppress.MIN_PEOPLE - 1} people. No totals are shown.</p>' if view.suppressed else "")
    return chart, "<h2>Goal status by area</h2>" + html_table(["Area", *statuses], rows) + note


def mentoring_html(summary: Summary, view: View) -> str:
    """Mentoring coverage, and (where names are shown) who has no mentor and which agreements are past
    their date to revisit."""
    without = coverage.without_mentor(summary.mentoring)
    with_mentor = summary.with_mentor
    faculty: Any = summary.faculty
    shown = [view.count(with_mentor), view.count(len(without))]
    if view.suppressed and suppress.SUPPRESSED in shown:
        # Faculty = with + without: hide the other part as well.
        shown = [suppress.SUPPRESSED if suppress.small(value) else suppress.HIDDEN
                 for value in (with_mentor, len(without))]
    share = f"{with_mentor / summary.faculty:.0%}" if summary.faculty and all(
        isinstance(value, int) for value in shown) else "—"
    parts = [f"<h2>Mentoring coverage, {summary.year.label}</h2>",
             html_table(["Faculty", "With a mentor", "Without a mentor", "Coverage",
                         "Agreements past their date to revisit"],
                        [[faculty, *shown, share, view.count(len(summary.revisit))]]),
             '<p class="mf-note">A mentor is assigned on the roster or named in this year\'s submitted forms '
             '(agreement, Part I, network map, peer group).</p>']
    if view.suppressed:
        parts.append(f'<p class="mf-note">{escape(NAMES_HIDDEN)}</p>')
        return "".join(parts)
    items = "".join(f"<li>{view.person_link(row.person_id, row.name, summary.year)}"
                    f"{' <span class=mf-note>(' + escape(row.division) + ')</span>' if row.division else ''}"
                    f"</li>" for row in without.itertuples(index=False))
    parts.append(f'<h2>Faculty without a mentor ({len(without)})</h2>'
                 f'<ul class="mf-names mf-without-mentor">{items or "<li>nobody</li>"}</ul>')
    rows = [[row.name, row.mentor, row.revisit_date, row.days_overdue]
            for row in summary.revisit.itertuples(index=False)]
    if rows:
        parts.append("<h2>Agreements past their date to revisit</h2>" +
                     html_table(["Mentee", "Mentor", "Revisit by", "Days overdue"], rows))
    return "".join(parts)


def promotion_html(summary: Summary, view: View) -> str:
    """The promotion outlook and the future support asked for in Part II."""
    outlook = shown.people_counts(summary.outlook, view.suppressed)
    support = shown.people_counts(summary.support, view.suppressed)
    return (f"<h2>Promotion outlook (Part II), {summary.year.label}</h2>"
            + (html_table(["Outlook", "Faculty"], outlook) if outlook else "<p>No Part II submitted yet.</p>")
            + "<h2>Future support needed</h2>"
            + (html_table(["Support", "Faculty"], support) if support else "<p>None requested.</p>"))


# --------------------------------------------------------------------------- network maps, one person's forms

def network_data(index: Index, roster: Roster, year: AcademicYear, departments: Sequence[str], min_cell: int,
                 own_department: str | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The people rows of the year's submitted maps and the mentors' load (read from the maps)."""
    records, problems = network_records(index, roster, [year], departments)
    for file, reason in problems:
        log.warning("network map skipped: %s: %s", file, reason)
    return (network.person_rows(records, roster),
            network.mentor_load(records, roster, min_cell=min_cell, own_department=own_department))


def network_html(year: AcademicYear, people: pd.DataFrame, load: pd.DataFrame, departments: set[str], roster: Roster,
                 own_department: str | None, min_cell: int) -> str:
    """Developmental network figures per shown department, and mentors named on many maps."""
    people = people[people["department"].isin(departments)]
    figures = network.department_figures(people, roster, own_department=own_department, min_cell=min_cell)
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
    many = load[load["department"].isin(departments) & load["many"].fillna(False)]
    if len(many):
        parts.append("<h2>Named as mentor on many maps</h2>" + html_table(
            ["Department", "Mentor", "Named by"],
            [[row["department"], row["mentor"], network.shown(row, "named_by")] for row in many.to_dict("records")]))
    return "".join(parts)


class PersonForms:
    """The "A person's forms" tab: a choice of person and links to their forms for the year."""

    def __init__(self, session: Session, departments: Sequence[str], form_link: Callable[..., str]) -> None:
        self.session, self.departments, self.form_link = session, departments, form_link
        self.choice = widgets.Dropdown(description="Person", options=[("— choose —", "")], value="",
                                       layout=widgets.Layout(width="420px"))
        self.choice.add_class("mf-dash-person")
        self.forms = widgets.HTML()
        self.forms.add_class("mf-dash-person-forms")

    def fill(self, summary: Summary) -> str:
        """Offer everybody in ``summary``; returns the person still chosen ("" for nobody)."""
        options = person_options(summary)
        keep = self.choice.value if self.choice.value in {value for _, value in options} else ""
        self.choice.options = options
        self.choice.value = keep
        return keep

    def show(self, person_id: str, summary: Summary | None, tables_for: Callable[[int], Tables]) -> None:
        """List links to the forms of ``person_id`` in the year of ``summary`` (refused outside the
        viewer's departments)."""
        if not person_id or summary is None:
            self.forms.value = '<p class="mf-note">Choose someone to see their forms.</p>'
            return
        person = self.session.roster.get(person_id)
        if person is None or person.department not in self.departments:
            raise AccessDenied("You may not see this person's forms.")
        latest = tables_for(summary.year.start).latest
        rows = latest[(latest["person_id"] == person_id) & (latest["year"] == summary.year.label)]
        self.forms.value = person_forms_html(person, summary.year, rows, self.session.roster, self.form_link)


def person_options(summary: Summary) -> list[tuple[str, str]]:
    """The choices of the person dropdown: everybody in the summary, by name."""
    people = sorted(summary.conferences.itertuples(index=False), key=lambda row: row.name)
    return [("— choose —", "")] + [(f"{row.name} ({row.division or row.department})", row.person_id)
                                   for row in people]


def person_forms_html(person: Person, year: AcademicYear, rows: pd.DataFrame, roster: Roster,
                      form_link: Callable[..., str]) -> str:
    """Links to every form of one person for ``year`` (``rows``: their latest versions)."""
    parts = conference_parts(year)
    items = []
    for form_id in parts:  # the conference's two forms are always listed, filed or not
        found = rows[rows["form_id"] == form_id]
        state = found["status"].iloc[0] if not found.empty else "not filed"
        items.append(f'<li><a href="{escape(form_link(form_id, person.person_id, year))}" target="_blank">'
                     f'{escape(form_title(form_id, year.start))}</a> — {escape(state)}</li>')
    for row in rows[~rows["form_id"].isin(list(parts))].itertuples(index=False):
        keyed_by_person = bool(get_form(row.form_id, year).instance_party)
        mentor = row.instance if keyed_by_person and isinstance(row.instance, str) else None
        title = form_title(row.form_id, year.start)
        if mentor:
            mentor_person = roster.get(mentor)
            title += f" with {mentor_person.name if mentor_person else mentor}"
        items.append(f'<li><a href="{escape(form_link(row.form_id, person.person_id, year, mentor))}" '
                     f'target="_blank">{escape(title)}</a> — {escape(row.status)}</li>')
    return f"<h2>{escape(person.name)}, {year.label}</h2>" + f'<ul class="mf-person-forms">{"".join(items)}</ul>'


# --------------------------------------------------------------------------- small widgets of the page


def html_widget(css_class: str | None = None) -> widgets.HTML:
    """An empty HTML widget, with ``css_class`` if given."""
    shown = widgets.HTML()
    if css_class:
        shown.add_class(css_class)
    return shown


def refusal_html(text: str) -> str:
    """A refusal banner holding ``text`` (escaped)."""
    return f'<div class="mf-banner mf-refusal">{escape(text)}</div>'


def picture_widget() -> widgets.Image:
    """An empty PNG picture of a chart, as wide as the tables."""
    return widgets.Image(format="png", layout=widgets.Layout(max_width="780px"))
