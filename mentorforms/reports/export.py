"""The analyst's workbook: one formatted .xlsx with everything a department report holds.

Sheets, in order:

* **About**: what the workbook holds, for which year and when, and how the numbers are counted;
* **one summary sheet per department**: conference completion by division, teaching hours by
  category and by division (this year against last) with a native bar chart, goal status by
  area with a stacked bar chart, mentoring coverage, promotion outlook and support needed;
* **Missing and late**: every conference missing, late, or still in progress after April 1;
* data sheets for filtering and pivoting: Conferences, Teaching hours, Goals, Mentoring,
  Agreements to revisit, Promotion, Support, Drafts;
* **Problems**: every workbook that could not be read, with the reason.

Every table is an Excel table (filter buttons) with a frozen header and number formats. Every
cell is written through :func:`mentorforms.safe_cell.put`, so text typed by users (a goal that
starts with "=") stays text. The workbook is written in openpyxl's streaming mode, so a large
institution's export does not need the whole workbook in memory twice.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo

from mentorforms.academic_year import AcademicYear
from mentorforms.reports import coverage
from mentorforms.reports.summary import LAST_YEAR, THIS_YEAR, Summary, summarise
from mentorforms.reports.tables import Tables, network_records
from mentorforms.roster import replace_atomically
from mentorforms.safe_cell import put

HOURS_FORMAT = "#,##0.0"
COUNT_FORMAT = "#,##0"
PERCENT_FORMAT = "0%"
DATE_FORMAT = "yyyy-mm-dd"
TABLE_STYLE = "TableStyleMedium2"
_TITLE_FONT = Font(bold=True, size=14)
_HEADING_FONT = Font(bold=True, size=12)
_BOLD = Font(bold=True)
_NOTE_FONT = Font(italic=True, color="555555")
_BAND = PatternFill("solid", fgColor="DDEBF7")
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
_MAX_WIDTH = 60
#: Height of a default row in centimetres (15 points), to stack charts without overlap.
_ROW_CM = 0.53


def plain(value: Any) -> Any:
    """A value a cell can take: NaN and pandas' missing markers become empty, numpy scalars
    become Python numbers, timestamps become datetimes without a zone."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return value


@dataclass(frozen=True)
class Column:
    """One column of an exported table: the header, the source column, a number format, a width."""

    header: str
    source: str
    number_format: str | None = None
    width: float | None = None


class _Sheet:
    """A streaming worksheet that knows which row it is on and names its tables uniquely."""

    def __init__(self, book: Workbook, title: str, tables: list[str], *, freeze: str | None = None,
                 widths: Sequence[float] = ()) -> None:
        self.sheet = book.create_sheet(title)
        # A streaming sheet writes its view and column widths before the first row: set them now.
        if freeze:
            self.sheet.freeze_panes = freeze
        for index, width in enumerate(widths, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = width
        self.row = 0
        self._table_names = tables
        self._chart_rows: dict[str, int] = {}

    def cell(self, value: Any, *, font: Font | None = None, number_format: str | None = None,
             wrap: bool = False, fill: PatternFill | None = None):
        cell = put(WriteOnlyCell(self.sheet), plain(value))
        if font is not None:
            cell.font = font
        if fill is not None:
            cell.fill = fill
        if number_format and isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
            cell.number_format = number_format
        if wrap:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        return cell

    def append(self, cells: Sequence) -> int:
        self.sheet.append(list(cells))
        self.row += 1
        return self.row

    def text(self, value: str, font: Font | None = None) -> int:
        return self.append([self.cell(value, font=font)])

    def blank(self) -> None:
        self.append([])

    def table(self, columns: Sequence[Column], rows: Iterable[Sequence[Any]], name: str,
              empty: str = "(none)") -> tuple[int, int]:
        """Write a header and rows as an Excel table; returns (header row, last row)."""
        header_row = self.append([self.cell(column.header, font=_BOLD) for column in columns])
        written = 0
        for values in rows:
            self.append([self.cell(value, number_format=column.number_format) for column, value in zip(columns, values)])
            written += 1
        if written == 0:
            self.append([self.cell(empty, font=_NOTE_FONT)])
        display = f"{name}_{len(self._table_names) + 1}"
        self._table_names.append(display)
        ref = f"A{header_row}:{get_column_letter(len(columns))}{self.row}"
        table = Table(displayName=display, ref=ref)
        table._initialise_columns()
        for table_column, column in zip(table.tableColumns, columns):
            table_column.name = column.header
        table.tableStyleInfo = TableStyleInfo(name=TABLE_STYLE, showRowStripes=True)
        with warnings.catch_warnings():
            # openpyxl warns on every table in streaming mode; the columns are named just above.
            warnings.filterwarnings("ignore", "In write-only mode you must add table columns manually")
            self.sheet.add_table(table)
        return header_row, self.row

    def chart(self, chart: BarChart, column: str, row: int) -> None:
        """Anchor ``chart`` at ``column`` beside ``row``, below any chart already in that column."""
        top = max(row, self._chart_rows.get(column, 0))
        self.sheet.add_chart(chart, f"{column}{top}")
        self._chart_rows[column] = top + math.ceil(chart.height / _ROW_CM) + 1


def sheet_title(text: str, taken: set[str]) -> str:
    """A valid, unused worksheet name for ``text`` (at most 31 characters, none of []:*?/\\)."""
    base = _SHEET_NAME_BAD.sub(" ", text).strip().strip("'") or "Department"
    base = base[:31]
    title, number = base, 2
    while title.lower() in {name.lower() for name in taken}:
        suffix = f" ({number})"
        title = base[:31 - len(suffix)] + suffix
        number += 1
    taken.add(title)
    return title


def _frame_rows(frame: pd.DataFrame, columns: Sequence[Column]) -> Iterable[list[Any]]:
    sources = [column.source for column in columns]
    for values in frame[sources].itertuples(index=False, name=None):
        yield list(values)


# --------------------------------------------------------------------------- summary sheets


def _summary_sheet(book: Workbook, title: str, summary: Summary, tables: list[str], as_of: dt.date) -> None:
    sheet = _Sheet(book, title, tables, freeze="A3", widths=(46, 16, 16, 14, 14, 14, 14, 14, 14))
    sheet.text(f"{summary.department or 'All departments'} — department report, {summary.year.label}", _TITLE_FONT)
    sheet.text(f"{summary.faculty} faculty on the roster; conference due before "
               f"{summary.year.conference_due:%B %-d, %Y}; counted as of {as_of:%B %-d, %Y}.", _NOTE_FONT)
    sheet.blank()

    # Conference completion by division, with a total row.
    sheet.text("Annual career conference", _HEADING_FONT)
    counts = summary.completion_by_division
    states = list(coverage.COMPLETION_ORDER)
    rows = [[division, *[int(counts.loc[division, state]) for state in states], int(counts.loc[division].sum())]
            for division in counts.index]
    total = summary.completion.iloc[0]
    rows.append(["All divisions", *[int(total[state]) for state in states], int(total.sum())])
    sheet.table([Column("Division", "", width=28), *[Column(state.capitalize(), "", COUNT_FORMAT, 12) for state in states],
                 Column("Faculty", "", COUNT_FORMAT, 10)], rows, "Completion")
    sheet.blank()

    # Teaching hours by category, this year against last, with a chart beside it.
    sheet.text(f"Teaching hours by category (Part I, {summary.year.label} against {summary.year.previous.label})",
               _HEADING_FONT)
    hours = summary.hours_by_category
    people = summary.hours_by_category_people
    columns = [Column("Category", "", width=46), Column(f"Hours {summary.year.label}", "", HOURS_FORMAT, 16),
               Column(f"Hours {summary.year.previous.label}", "", HOURS_FORMAT, 16),
               Column(f"Faculty reporting {summary.year.label}", "", COUNT_FORMAT, 14),
               Column(f"Faculty reporting {summary.year.previous.label}", "", COUNT_FORMAT, 14)]
    rows = [[category, hours.loc[category, THIS_YEAR], hours.loc[category, LAST_YEAR],
             people.loc[category, THIS_YEAR], people.loc[category, LAST_YEAR]] for category in hours.index]
    first, last = sheet.table(columns, rows, "HoursByCategory")
    if rows:
        chart = BarChart()
        chart.type = "bar"
        chart.title = "Teaching hours by category"
        chart.y_axis.title = "Hours"
        chart.height, chart.width = 9, 18
        chart.add_data(Reference(sheet.sheet, min_col=2, max_col=3, min_row=first, max_row=last), titles_from_data=True)
        chart.set_categories(Reference(sheet.sheet, min_col=1, min_row=first + 1, max_row=last))
        sheet.chart(chart, "G", first)
    sheet.blank()

    sheet.text("Teaching hours by division", _HEADING_FONT)
    hours = summary.hours_by_division
    people = summary.hours_by_division_people
    rows = [[division or "(no division)", hours.loc[division, THIS_YEAR], hours.loc[division, LAST_YEAR],
             people.loc[division, THIS_YEAR], people.loc[division, LAST_YEAR]] for division in hours.index]
    first, last = sheet.table([Column("Division", "", width=46), *columns[1:]], rows, "HoursByDivision")
    if rows:
        chart = BarChart()
        chart.title = "Teaching hours by division"
        chart.y_axis.title = "Hours"
        chart.height, chart.width = 7.5, 18
        chart.add_data(Reference(sheet.sheet, min_col=2, max_col=3, min_row=first, max_row=last), titles_from_data=True)
        chart.set_categories(Reference(sheet.sheet, min_col=1, min_row=first + 1, max_row=last))
        sheet.chart(chart, "G", first)
    sheet.blank()

    # Goal status by area, stacked.
    sheet.text(f"Goal status by area ({summary.year.label})", _HEADING_FONT)
    goals = summary.goal_status
    statuses = list(goals.columns)
    rows = [[area, *[int(goals.loc[area, status]) for status in statuses]] for area in goals.index]
    first, last = sheet.table([Column("Area", "", width=46), *[Column(status, "", COUNT_FORMAT, 14) for status in statuses]],
                              rows, "GoalStatus")
    if rows and statuses:
        chart = BarChart()
        chart.type = "bar"
        chart.grouping = "stacked"
        chart.overlap = 100
        chart.title = "Goals by area and status"
        chart.height, chart.width = 10, 18
        chart.add_data(Reference(sheet.sheet, min_col=2, max_col=1 + len(statuses), min_row=first, max_row=last),
                       titles_from_data=True)
        chart.set_categories(Reference(sheet.sheet, min_col=1, min_row=first + 1, max_row=last))
        sheet.chart(chart, get_column_letter(len(statuses) + 3), first)
    sheet.blank()

    sheet.text("Mentoring", _HEADING_FONT)
    with_mentor = summary.with_mentor
    share = with_mentor / summary.faculty if summary.faculty else None
    sheet.table([Column("Measure", "", width=46), Column("Value", "", COUNT_FORMAT, 16)], [
        ["Faculty", summary.faculty],
        ["With a mentor (assigned or named this year)", with_mentor],
        ["Without a mentor", summary.faculty - with_mentor],
        ["Agreements past their date to revisit", len(summary.revisit)],
        ["Drafts not yet submitted (not counted)", summary.drafts],
    ], "Mentoring")
    sheet.table([Column("Coverage", "", width=46), Column("Share", "", PERCENT_FORMAT, 16)],
                [["Faculty with a mentor", share]], "Coverage")
    sheet.blank()

    sheet.text("Promotion outlook (Part II)", _HEADING_FONT)
    sheet.table([Column("Outlook", "", width=46), Column("Faculty", "", COUNT_FORMAT, 16)],
                [[outlook, int(count)] for outlook, count in summary.outlook["people"].items()], "Outlook")
    sheet.blank()
    sheet.text("Future support needed (Part II)", _HEADING_FONT)
    sheet.table([Column("Support", "", width=46), Column("Faculty", "", COUNT_FORMAT, 16)],
                [[area, int(count)] for area, count in summary.support["people"].items()], "Support")


# --------------------------------------------------------------------------- data sheets

_PERSON = [Column("Department", "department", width=18), Column("Division", "division", width=22),
           Column("Name", "name", width=24), Column("Person id", "person_id", width=11), Column("Rank", "rank", width=20)]

MISSING_LATE_COLUMNS = [
    *_PERSON, Column("Year", "year", width=11), Column("Completion", "completion", width=13),
    Column("Overdue", "overdue", width=9), Column("Waiting for", "waiting_for", width=26),
    Column("Part I", "part1_status", width=11), Column("Part I signed on", "part1_signed_on", DATE_FORMAT, 15),
    Column("Part II", "part2_status", width=11), Column("Conference date", "conference_date", DATE_FORMAT, 15),
    Column("Due before", "due", DATE_FORMAT, 12),
]
CONFERENCE_COLUMNS = [
    *MISSING_LATE_COLUMNS, Column("Part II signed on", "part2_signed_on", DATE_FORMAT, 15),
    Column("On time", "on_time", width=9), Column("LCME topics answered", "lcme_answered", COUNT_FORMAT, 12),
    Column("LCME topics asked", "lcme_total", COUNT_FORMAT, 12),
]
GOAL_COLUMNS = [
    *_PERSON, Column("Year", "year", width=11), Column("Source", "source", width=30), Column("Area", "area", width=40),
    Column("Goal", "goal", width=50), Column("Due", "due_date", DATE_FORMAT, 12), Column("Status", "status", width=16),
    Column("Status date", "status_date", DATE_FORMAT, 12), Column("Status history", "history", width=40),
]
MENTORING_COLUMNS = [
    *_PERSON, Column("Year", "year", width=11), Column("Has a mentor", "has_mentor", width=10),
    Column("Mentors on the roster", "assigned_mentors", width=24), Column("Mentors named in forms", "named_mentors", width=40),
]
REVISIT_COLUMNS = [
    *_PERSON, Column("Mentor id", "mentor_id", width=11), Column("Mentor", "mentor", width=24),
    Column("Agreement year", "year", width=12), Column("Start date", "start_date", DATE_FORMAT, 12),
    Column("Revisit by", "revisit_date", DATE_FORMAT, 12), Column("Days overdue", "days_overdue", COUNT_FORMAT, 10),
]
PROMOTION_COLUMNS = [
    *_PERSON, Column("Year", "year", width=11), Column("Outlook", "outlook", width=50),
    Column("Why no promotion", "no_promotion_reason", width=40), Column("Advancement will require", "advancement_requires", width=50),
]
SUPPORT_COLUMNS = [
    *_PERSON, Column("Year", "year", width=11), Column("Support", "area", width=50), Column("Needed", "needed", width=9),
    Column("Note", "note", width=50),
]
DRAFT_COLUMNS = [
    *_PERSON, Column("Year", "year", width=11), Column("Form", "form", width=40), Column("Saved at (UTC)", "saved_at", width=26),
    Column("File", "path", width=60),
]


NETWORK_COLUMNS = [
    Column("Department", "department", width=22), Column("Year", "year", width=11),
    Column("Faculty", "faculty", COUNT_FORMAT, 10), Column("With a map", "with_map", COUNT_FORMAT, 11),
    Column("Share with a map", "map_share", PERCENT_FORMAT, 12),
    Column("With a sponsor", "with_sponsor", COUNT_FORMAT, 12),
    Column("Share with a sponsor", "with_sponsor_share", PERCENT_FORMAT, 14),
    Column("Nobody for personal support", "nobody_personal", COUNT_FORMAT, 16),
    Column("Share with nobody for personal support", "nobody_personal_share", PERCENT_FORMAT, 18),
    Column("Median network size", "size_median", HOURS_FORMAT, 12),
    Column("Mean network size", "size_mean", HOURS_FORMAT, 12),
]


def _network_figures(tables: Tables, year: AcademicYear, departments: Sequence[str]
                     ) -> tuple[pd.DataFrame, list[tuple[str, str]]]:
    """Network-map figures per department for the year (the analyst's working file: in full)."""
    from mentorforms.reports import network

    if tables.index is None or tables.roster is None:
        return pd.DataFrame(columns=[column.source for column in NETWORK_COLUMNS]), []
    records, problems = network_records(tables.index, tables.roster, [year], departments)
    people = network.person_rows(records, tables.roster)
    people = people[people["department"].isin(departments)]
    return network.department_figures(people, tables.roster, min_cell=0), problems


def _data_sheet(book: Workbook, title: str, columns: Sequence[Column], frame: pd.DataFrame, name: str,
                tables: list[str], note: str | None = None) -> None:
    widths = [column.width or min(_MAX_WIDTH, max(10, len(column.header) + 2)) for column in columns]
    sheet = _Sheet(book, title, tables, freeze="A3" if note else "A2", widths=widths)
    if note:
        sheet.text(note, _NOTE_FONT)
    sheet.table(columns, _frame_rows(frame, columns), name)


def _teaching_wide(tables: Tables, years: Sequence[str]) -> tuple[list[Column], pd.DataFrame]:
    teaching = tables.teaching[tables.teaching["year"].isin(years)]
    categories = list(dict.fromkeys(teaching["category"]))
    columns = [*_PERSON, Column("Year", "year", width=11)]
    if teaching.empty:
        return columns + [Column("Total hours", "total", HOURS_FORMAT, 12)], pd.DataFrame(
            columns=[column.source for column in columns] + ["total"])
    wide = teaching.pivot_table(index=["department", "division", "name", "person_id", "rank", "year"],
                                columns="category", values="hours", aggfunc="sum", sort=False).reset_index()
    keys = [f"c{index}" for index in range(len(categories))]
    wide = wide.rename(columns=dict(zip(categories, keys)))
    wide["total"] = wide[keys].sum(axis=1)
    columns += [Column(category, key, HOURS_FORMAT, 14) for category, key in zip(categories, keys)]
    columns.append(Column("Total hours", "total", HOURS_FORMAT, 12))
    wide = wide.sort_values(["year", "department", "name"], kind="stable")
    return columns, wide


def build_workbook(tables: Tables, year: AcademicYear, *, departments: Sequence[str] | None = None,
                   generated_at: dt.datetime | None = None) -> Workbook:
    """The analyst workbook for ``year`` over ``departments`` (default: all in ``tables``).

    ``tables`` must include ``year`` (and the year before, for the comparisons)."""
    departments = list(departments) if departments is not None else list(tables.departments)
    generated_at = generated_at or dt.datetime.now().replace(microsecond=0)
    book = Workbook(write_only=True)
    names: list[str] = []
    taken = {"About", "Missing and late", "Conferences", "Teaching hours", "Goals", "Mentoring",
             "Agreements to revisit", "Promotion", "Support", "Drafts", "Problems"}

    conferences = coverage.conferences(tables, [year])
    conferences = conferences[conferences["department"].isin(departments)]

    about = _Sheet(book, "About", names, widths=(34, 70))
    about.text(f"Mentoring and career conference report, {year.label}", _TITLE_FONT)
    about.blank()
    facts = [
        ("Academic year", year.label),
        ("Compared with", year.previous.label),
        ("Departments", ", ".join(departments) or "(none)"),
        ("Faculty on the roster", int(tables.people["department"].isin(departments).sum())),
        ("Conference due before", year.conference_due),
        ("Counted as of", tables.as_of),
        ("Generated", generated_at),
        ("Workbooks that could not be read", len(tables.problems)),
    ]
    about.table([Column("Item", "", width=34), Column("Value", "", COUNT_FORMAT, 70)], facts, "About")
    about.blank()
    for line in (
        "Only the latest submitted or signed version of each form counts; drafts are listed on the Drafts sheet.",
        "Done: Part II signed by both, Part I submitted, conference held and Part I signed before April 1.",
        "Late: as done, but the conference was held, or Part I signed, on or after April 1.",
        "In progress: something filed but not yet done. Missing: nothing filed. Overdue: not done after April 1.",
        "Teaching hours: each year's Part I reports the hours of the academic year just ended.",
    ):
        about.text(line, _NOTE_FONT)

    for department in departments:
        summary = summarise(tables, year, department=department, conferences=conferences)
        _summary_sheet(book, sheet_title(department, taken), summary, names, tables.as_of)

    label = year.label
    missing_late = conferences[conferences["completion"].isin([coverage.MISSING, coverage.LATE])
                               | conferences["overdue"]]
    _data_sheet(book, "Missing and late", MISSING_LATE_COLUMNS, missing_late, "MissingLate", names)
    _data_sheet(book, "Conferences", CONFERENCE_COLUMNS, conferences, "Conferences", names)
    columns, wide = _teaching_wide(tables, [label, year.previous.label])
    wide = wide[wide["department"].isin(departments)] if not wide.empty else wide
    _data_sheet(book, "Teaching hours", columns, wide, "TeachingHours", names)

    def in_scope(frame: pd.DataFrame) -> pd.DataFrame:
        return frame[(frame["year"] == label) & frame["department"].isin(departments)]

    _data_sheet(book, "Goals", GOAL_COLUMNS, in_scope(tables.goals), "Goals", names)
    mentoring = coverage.mentoring_coverage(tables, year)
    _data_sheet(book, "Mentoring", MENTORING_COLUMNS, mentoring[mentoring["department"].isin(departments)],
                "Mentoring", names)
    revisit = coverage.agreements_past_revisit(tables)
    _data_sheet(book, "Agreements to revisit", REVISIT_COLUMNS, revisit[revisit["department"].isin(departments)],
                "Revisit", names)
    _data_sheet(book, "Promotion", PROMOTION_COLUMNS, in_scope(tables.promotion), "Promotion", names)
    _data_sheet(book, "Support", SUPPORT_COLUMNS, in_scope(tables.support), "Support", names)
    figures, map_problems = _network_figures(tables, year, departments)
    _data_sheet(book, "Network maps", NETWORK_COLUMNS, figures, "NetworkMaps", names,
                note="Developmental network maps submitted this year; shares of sponsors and of personal support "
                     "are of the faculty with a map.")
    from mentorforms.reports.year_export import add_year_sheets  # the mentoring year's own sheets

    map_problems = [*map_problems, *add_year_sheets(book, tables, year, departments, names)]
    _data_sheet(book, "Drafts", DRAFT_COLUMNS, in_scope(tables.drafts), "Drafts", names,
                note="Drafts are work in progress: they are not counted anywhere else in this workbook.")
    problems = pd.concat([tables.problems, pd.DataFrame(map_problems, columns=["file", "reason"])],
                         ignore_index=True) if map_problems else tables.problems
    _data_sheet(book, "Problems", [Column("File", "file", width=90), Column("Reason", "reason", width=70)],
                problems, "Problems", names)
    return book


def export_bytes(tables: Tables, year: AcademicYear, *, departments: Sequence[str] | None = None) -> bytes:
    """The analyst workbook as .xlsx bytes (for a download button)."""
    buffer = io.BytesIO()
    build_workbook(tables, year, departments=departments).save(buffer)
    return buffer.getvalue()


def write_export(path: Path | str, tables: Tables, year: AcademicYear, *,
                 departments: Sequence[str] | None = None) -> Path:
    """Write the analyst workbook to ``path`` (through a temporary file, so a crash leaves no half file)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    book = build_workbook(tables, year, departments=departments)
    replace_atomically(path, book.save)  # a temporary name of its own: concurrent exports never collide
    return path
