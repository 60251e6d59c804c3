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

Every table is an Excel table (filter buttons) with a frozen header and number formats; summary
sheets print landscape, one page wide, with their title rows repeated and the sheet named in the
page header. The layout lives in :mod:`mentorforms.reports.sheet`; XlsxWriter writes it
(:mod:`~mentorforms.reports.xlsx_fast`; openpyxl's streaming writer, the earlier one, is kept in
:mod:`~mentorforms.reports.xlsx_openpyxl` for comparison). Either way every cell passes
:mod:`mentorforms.workbooks.safe_cell`, so text typed by users (a goal that starts with "=") stays text.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from mentorforms.records.roster import replace_atomically
from mentorforms.reports import coverage, network, shown, suppress
from mentorforms.reports.department_cache import network_figures, summary_from_tables
from mentorforms.reports.export_columns import (
    CONFERENCE_COLUMNS,
    COUNT_FORMAT,
    DATE_FORMAT,
    DRAFT_COLUMNS,
    GOAL_COLUMNS,
    HOURS_FORMAT,
    MENTORING_COLUMNS,
    MISSING_LATE_COLUMNS,
    NETWORK_COLUMNS,
    PERCENT_FORMAT,
    PERSON_COLUMNS,
    PROMOTION_COLUMNS,
    REVISIT_COLUMNS,
    SUPPORT_COLUMNS,
    Column,
)
from mentorforms.reports.export_sheets import data_sheet, new_sheet, write_table
from mentorforms.reports.sheet import BOLD, HEADING, NOTE, TITLE, BookBackend, ChartSpec, PrintSetup, Sheet, cell
from mentorforms.reports.summary import Summary
from mentorforms.reports.tables import Tables, network_records
from mentorforms.reports.year_export import add_year_sheets
from mentorforms.vocabulary.academic_year import AcademicYear

_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
#: The writers: "xlsxwriter" (the default, fast) and "openpyxl" (the earlier one, for comparison).
WRITERS = ("xlsxwriter", "openpyxl")
__all__ = [
    "COUNT_FORMAT",
    "DATE_FORMAT",
    "HOURS_FORMAT",
    "PERCENT_FORMAT",
    "WRITERS",
    "Column",
    "build_workbook",
    "export_bytes",
    "sheet_title",
    "write_export",
]


def _backend(writer: str, target: Any) -> BookBackend:
    if writer == "xlsxwriter":
        from mentorforms.reports.xlsx_fast import FastBook
        return FastBook(target)
    if writer == "openpyxl":
        from mentorforms.reports.xlsx_openpyxl import OpenpyxlBook
        return OpenpyxlBook(target)
    raise ValueError(f"no export writer {writer!r}; the writers are {', '.join(WRITERS)}")


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


# --------------------------------------------------------------------------- summary sheets

#: Chart sizes in pixels (the openpyxl writer converts them to its centimetres).
_CHART_WIDTH = 680
_CATEGORY_HEIGHT, _DIVISION_HEIGHT, _GOALS_HEIGHT = 340, 284, 378


def _bar_chart(title: str, axis: str | None, first: int, last: int, series: int, *, horizontal: bool,
               stacked: bool = False, height: int) -> ChartSpec:
    return ChartSpec(title=title, value_axis=axis, header_row=first, last_row=last, first_col=2,
                     last_col=1 + series, horizontal=horizontal, stacked=stacked, width_px=_CHART_WIDTH,
                     height_px=height)


def _total_row(sheet: Sheet, values: Sequence[Any], formats: Sequence[str | None]) -> None:
    """A bold total under a table (outside it, so filters and charts leave it alone)."""
    sheet.append([cell(value, BOLD, number_format) for value, number_format in zip(values, formats)])


def _summary_sheet(book: BookBackend, title: str, summary: Summary, tables: list[str], as_of: dt.date,
                   report_title: str, published: bool = False) -> Sheet:
    states = list(coverage.COMPLETION_ORDER)
    goals = summary.goal_status
    statuses = list(goals.columns)
    # Every chart sits right of the widest table (one blank column between), so none covers one.
    widest = max(len(states) + 2, 5, 1 + len(statuses), 2)
    sheet = new_sheet(book, title, tables, freeze="A3", widths=(46, 16, 16, 14, 14, 14, 14, 14, 14),
                      chart_col=widest + 2)
    book_sheet = sheet.backend
    book_sheet.print_setup(PrintSetup(repeat_rows=2, header="&A", footer=report_title))
    sheet.text(f"{summary.department or 'All departments'} — department report, {summary.year.label}", TITLE)
    sheet.text(f"{summary.faculty} faculty on the roster; conference due before "
               f"{summary.year.conference_due:%B %-d, %Y}; counted as of {as_of:%B %-d, %Y}.", NOTE)
    if published:
        sheet.text(f"Published summary: no names. {suppress.COMPLEMENT_NOTE}", NOTE)
    sheet.blank()

    # Conference completion by division, with a total row.
    sheet.text("Annual career conference", HEADING)
    _, rows, total = shown.completion(summary, published)
    rows.append(total)
    write_table(sheet, [Column("Division", ""), *[Column(state.capitalize(), "", COUNT_FORMAT) for state in states],
                        Column("Faculty", "", COUNT_FORMAT)], rows, "Completion")
    sheet.blank()

    # Teaching hours by category, this year against last, with a chart beside it.
    sheet.text(f"Teaching hours by category (Part I, {summary.year.label} against {summary.year.previous.label})",
               HEADING)
    columns = [Column("Category", ""), Column(f"Hours {summary.year.label}", "", HOURS_FORMAT),
               Column(f"Hours {summary.year.previous.label}", "", HOURS_FORMAT),
               Column(f"Faculty reporting {summary.year.label}", "", COUNT_FORMAT),
               Column(f"Faculty reporting {summary.year.previous.label}", "", COUNT_FORMAT)]
    hour_formats = [None, HOURS_FORMAT, HOURS_FORMAT, COUNT_FORMAT, COUNT_FORMAT]
    rows, total = shown.hours(summary.hours_by_category, summary.hours_by_category_people, published,
                              people_add_up=False)
    first, last = write_table(sheet, columns, rows, "HoursByCategory")
    if rows:
        _total_row(sheet, total, hour_formats)
        sheet.chart(_bar_chart("Teaching hours by category", "Hours", first, last, 2, horizontal=True,
                               height=_CATEGORY_HEIGHT))
    sheet.blank()

    sheet.text("Teaching hours by division", HEADING)
    rows, total = shown.hours(summary.hours_by_division, summary.hours_by_division_people, published,
                              people_add_up=True)
    first, last = write_table(sheet, [Column("Division", ""), *columns[1:]], rows, "HoursByDivision")
    if rows:
        _total_row(sheet, total, hour_formats)
        sheet.chart(_bar_chart("Teaching hours by division", "Hours", first, last, 2, horizontal=False,
                               height=_DIVISION_HEIGHT))
    sheet.blank()

    # Goal status by area, stacked.
    sheet.text(f"Goal status by area ({summary.year.label})", HEADING)
    statuses, rows = shown.goals(summary, published)
    first, last = write_table(sheet, [Column("Area", ""), *[Column(status, "", COUNT_FORMAT) for status in statuses]],
                              rows, "GoalStatus")
    if rows and statuses:
        sheet.chart(_bar_chart("Goals by area and status", None, first, last, len(statuses), horizontal=True,
                               stacked=True, height=_GOALS_HEIGHT))
    sheet.blank()

    sheet.text("Mentoring", HEADING)
    counts = (summary.with_mentor, summary.faculty - summary.with_mentor)
    share = summary.with_mentor / summary.faculty if summary.faculty else None
    shown_counts: list[int | str] = list(counts)
    if published and any(suppress.small(value) for value in counts):
        # Faculty = with + without: both are hidden when either is small.
        shown_counts = [suppress.SUPPRESSED if suppress.small(value) else suppress.HIDDEN for value in counts]
        share = None
    with_mentor, without = shown_counts
    write_table(sheet, [Column("Measure", ""), Column("Value", "", COUNT_FORMAT)], [
        ["Faculty", summary.faculty],
        ["With a mentor (assigned or named this year)", with_mentor],
        ["Without a mentor", without],
        ["Agreements past their date to revisit", shown.count(len(summary.revisit), published)],
        ["Drafts not yet submitted (not counted)", shown.count(summary.drafts, published)],
    ], "Mentoring")
    write_table(sheet, [Column("Coverage", ""), Column("Share", "", PERCENT_FORMAT)],
                [["Faculty with a mentor", share]], "Coverage")
    sheet.blank()

    sheet.text("Promotion outlook (Part II)", HEADING)
    write_table(sheet, [Column("Outlook", ""), Column("Faculty", "", COUNT_FORMAT)],
                shown.people_counts(summary.outlook, published), "Outlook")
    sheet.blank()
    sheet.text("Future support needed (Part II)", HEADING)
    write_table(sheet, [Column("Support", ""), Column("Faculty", "", COUNT_FORMAT)],
                shown.people_counts(summary.support, published), "Support")
    return sheet


# --------------------------------------------------------------------------- data sheets

def _network_figures(tables: Tables, year: AcademicYear, departments: Sequence[str]
                     ) -> tuple[pd.DataFrame, list[tuple[str, str]]]:
    """Network-map figures per department for the year (the analyst's working file: in full)."""
    if tables.index is None or tables.roster is None:
        return pd.DataFrame(columns=[column.source for column in NETWORK_COLUMNS]), []
    if departments:
        frames = [network_figures(tables.index, tables.roster, year, department) for department in departments]
        frames = [frame for frame in frames if len(frame)]
        if frames:
            return pd.concat(frames, ignore_index=True), []
        return network.department_figures(network.person_rows([], tables.roster), tables.roster, min_cell=0), []
    records, problems = network_records(tables.index, tables.roster, [year], departments)
    people = network.person_rows(records, tables.roster)
    people = people[people["department"].isin(departments)]
    return network.department_figures(people, tables.roster, min_cell=0), problems


def _teaching_wide(tables: Tables, years: Sequence[str]) -> tuple[list[Column], pd.DataFrame]:
    teaching = tables.teaching[tables.teaching["year"].isin(years)]
    categories = list(dict.fromkeys(teaching["category"]))
    columns = [*PERSON_COLUMNS, Column("Year", "year", width=11)]
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


def build_workbook(target: Any, tables: Tables, year: AcademicYear, *, departments: Sequence[str] | None = None,
                   generated_at: dt.datetime | None = None, writer: str = "xlsxwriter",
                   published: bool = False) -> None:
    """Write the analyst workbook for ``year`` over ``departments`` (default: all in ``tables``)
    to ``target`` (a path or a binary file object) with ``writer`` (one of :data:`WRITERS`).
    ``published``: for circulation: the About and summary sheets only, no names, small cells
    suppressed with complementary suppression (see :mod:`mentorforms.reports.suppress`).

    ``tables`` must include ``year`` (and the year before, for the comparisons)."""
    departments = list(departments) if departments is not None else list(tables.departments)
    generated_at = generated_at or dt.datetime.now().replace(microsecond=0)
    book = _backend(writer, target)
    names: list[str] = []
    taken = {"About", "Missing and late", "Conferences", "Teaching hours", "Goals", "Mentoring",
             "Agreements to revisit", "Promotion", "Support", "Drafts", "Problems"}

    conferences = coverage.conferences(tables, [year])
    conferences = conferences[conferences["department"].isin(departments)]

    report_title = f"Mentoring and career conference report, {year.label}"
    about = new_sheet(book, "About", names, widths=(34, 70))
    about.text(report_title, TITLE)
    about.blank()
    facts = [
        ("Academic year", year.label),
        ("Compared with", year.previous.label),
        ("Departments", ", ".join(departments) or "(none)"),
        ("Faculty on the roster", int(tables.people["department"].isin(departments).sum())),
        ("Conference due before", year.conference_due),
        ("Counted as of", tables.as_of),
        ("Generated", generated_at),
        ("Saved files that could not be opened (left out)", len(tables.problems)),
    ]
    if published:
        facts.append(("Published summary", "no names; " + suppress.COMPLEMENT_NOTE))
    write_table(about, [Column("Item", ""), Column("Value", "", COUNT_FORMAT)], facts, "About")
    about.blank()
    for line in (
        "Only the latest submitted or signed version of each form counts; drafts are listed on the Drafts sheet.",
        "Done: Part II signed by both, Part I submitted, conference held and Part I signed before April 1.",
        "Late: as done, but the conference was held, or Part I signed, on or after April 1.",
        "In progress: something filed but not yet done. Missing: nothing filed. Overdue: not done after April 1.",
        "Teaching hours: each year's Part I reports the hours of the academic year just ended.",
    ):
        about.text(line, NOTE)

    for department in departments:
        summary = summary_from_tables(tables, year, department, conferences)
        _summary_sheet(book, sheet_title(department, taken), summary, names, tables.as_of, report_title, published)
    if published:
        book.close()
        return

    label = year.label
    missing_late = conferences[conferences["completion"].isin([coverage.MISSING, coverage.LATE])
                               | conferences["overdue"]]
    data_sheet(book, "Missing and late", MISSING_LATE_COLUMNS, missing_late, "MissingLate", names)
    data_sheet(book, "Conferences", CONFERENCE_COLUMNS, conferences, "Conferences", names)
    columns, wide = _teaching_wide(tables, [label, year.previous.label])
    wide = wide[wide["department"].isin(departments)] if not wide.empty else wide
    data_sheet(book, "Teaching hours", columns, wide, "TeachingHours", names)

    def in_scope(frame: pd.DataFrame) -> pd.DataFrame:
        return frame[(frame["year"] == label) & frame["department"].isin(departments)]

    data_sheet(book, "Goals", GOAL_COLUMNS, in_scope(tables.goals), "Goals", names)
    mentoring = coverage.mentoring_coverage(tables, year)
    data_sheet(book, "Mentoring", MENTORING_COLUMNS, mentoring[mentoring["department"].isin(departments)],
               "Mentoring", names)
    revisit = coverage.agreements_past_revisit(tables)
    data_sheet(book, "Agreements to revisit", REVISIT_COLUMNS, revisit[revisit["department"].isin(departments)],
               "Revisit", names)
    data_sheet(book, "Promotion", PROMOTION_COLUMNS, in_scope(tables.promotion), "Promotion", names)
    data_sheet(book, "Support", SUPPORT_COLUMNS, in_scope(tables.support), "Support", names)
    figures, map_problems = _network_figures(tables, year, departments)
    data_sheet(book, "Network maps", NETWORK_COLUMNS, figures, "NetworkMaps", names,
               note="Developmental network maps submitted this year; shares of sponsors and of personal support "
                    "are of the faculty with a map.")
    map_problems = [*map_problems, *add_year_sheets(book, tables, year, departments, names)]
    data_sheet(book, "Drafts", DRAFT_COLUMNS, in_scope(tables.drafts), "Drafts", names,
               note="Drafts are work in progress: they are not counted anywhere else in this workbook.")
    problems = pd.concat([tables.problems, pd.DataFrame(map_problems, columns=["file", "reason"])],
                         ignore_index=True) if map_problems else tables.problems
    data_sheet(book, "Problems", [Column("File", "file", width=90), Column("Reason", "reason", width=70)],
               problems, "Problems", names)
    book.close()


def export_bytes(tables: Tables, year: AcademicYear, *, departments: Sequence[str] | None = None,
                 writer: str = "xlsxwriter", published: bool = False) -> bytes:
    """The analyst workbook as .xlsx bytes (for a download button)."""
    buffer = io.BytesIO()
    build_workbook(buffer, tables, year, departments=departments, writer=writer, published=published)
    return buffer.getvalue()


def write_export(path: Path | str, tables: Tables, year: AcademicYear, *,
                 departments: Sequence[str] | None = None, writer: str = "xlsxwriter",
                 generated_at: dt.datetime | None = None, published: bool = False) -> Path:
    """Write the analyst workbook to ``path`` (through a temporary file, so a crash leaves no half file)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # a temporary name of its own: concurrent exports to one file never collide, the last one wins whole
    replace_atomically(path, lambda temporary: build_workbook(
        temporary, tables, year, departments=departments, writer=writer, generated_at=generated_at,
        published=published))
    return path
