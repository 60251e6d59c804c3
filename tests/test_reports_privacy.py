"""Who sees names and exact counts (the same in every view of a role), complementary suppression
in published reports, hours rounded as the workbook rounds them, and `report` for an empty year."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from reports_known import AS_OF, YEAR, Known, build_known

from mentorforms.commands.cli import main
from mentorforms.records.roster import load_roster
from mentorforms.reports import shown, suppress
from mentorforms.reports.export import write_export
from mentorforms.reports.html import render_report
from mentorforms.reports.index import Index
from mentorforms.reports.numbers import hours_text, round_hours, shown_total
from mentorforms.reports.summary import LAST_YEAR, THIS_YEAR
from mentorforms.reports.tables import Tables, build_tables
from mentorforms.ui.dashboard import dashboard_app
from mentorforms.ui.dashboard_sections import View, hours_shown
from mentorforms.vocabulary.academic_year import AcademicYear

HIDDEN = (suppress.SUPPRESSED, suppress.HIDDEN)


@pytest.fixture(scope="module")
def known(tmp_path_factory: pytest.TempPathFactory) -> Known:
    return build_known(tmp_path_factory.mktemp("known-privacy") / "data")


@pytest.fixture(scope="module")
def tables(known: Known) -> Tables:
    with Index(known.root) as index:
        index.refresh()
        return build_tables(index, load_roster(known.root / "roster.xlsx"), years=[YEAR.previous, YEAR], as_of=AS_OF)


# --------------------------------------------------------------------------- complementary suppression

def test_a_suppressed_cell_cannot_be_worked_out_from_the_total() -> None:
    # The example: 60 faculty = 40 done + 7 in progress + <5 missing + 12 late gives the 1 away.
    line = pd.DataFrame([[40, 7, 1, 12, 60]], columns=["done", "in progress", "missing", "late", "faculty"])
    row = list(suppress.shown_with_totals(line, line, total_row=False, total_column=True).iloc[0])
    assert row == [40, suppress.HIDDEN, suppress.SUPPRESSED, 12, 60]


def _lines(frame: pd.DataFrame) -> list[list]:
    rows = [list(frame.iloc[number]) for number in range(frame.shape[0])]
    columns = [list(frame.iloc[:, number]) for number in range(frame.shape[1])]
    return rows + columns


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.integers(0, 30), min_size=2, max_size=5), min_size=1, max_size=5).filter(
    lambda rows: len({len(row) for row in rows}) == 1))
def test_no_line_with_its_total_has_exactly_one_hidden_cell(cells: list[list[int]]) -> None:
    table = pd.DataFrame(cells)
    table["total"] = table.sum(axis=1)
    table.loc["total"] = table.sum()
    shown_table = suppress.shown_with_totals(table, table, total_row=True, total_column=True)
    for line in _lines(shown_table):
        assert sum(value in HIDDEN for value in line) != 1, shown_table
    for (row, column), value in zip(itertools.product(range(table.shape[0]), range(table.shape[1])),
                                    table.to_numpy().ravel()):
        if suppress.small(value):
            assert shown_table.iat[row, column] == suppress.SUPPRESSED


# --------------------------------------------------------------------------- who sees what

def test_an_analyst_sees_the_same_names_in_the_dashboard_the_export_and_the_printable_report(
        known: Known, tables: Tables, tmp_path: Path) -> None:
    dashboard = dashboard_app({"MENTORFORMS_DATA": str(known.root), "MENTORFORMS_AS": "A1"}, background=False,
                              as_of=AS_OF).dashboard
    dashboard.year.value = YEAR.start
    dashboard.tabs.draw_all()
    book = load_workbook(write_export(tmp_path / "a.xlsx", tables, YEAR))
    late_sheet = {row[2] for row in book["Missing and late"].iter_rows(min_row=2, values_only=True)}
    page = render_report(tables, YEAR)
    for name in ("Ed Five", "Flo Six"):  # missing and late in Pediatrics
        assert name in dashboard.tabs.completion.value and name in late_sheet and name in page
    numbers = dashboard.tabs.completion_numbers()
    assert all(isinstance(value, int) for value in numbers.values())


def test_a_published_report_lists_no_names_and_protects_small_cells(known: Known, tables: Tables,
                                                                      tmp_path: Path) -> None:
    page = render_report(tables, YEAR, published=True)
    for name in ("Ed Five", "Flo Six", "Ben Two", "Di Four", "Sam Cutter"):
        assert name not in page
    assert "&lt;5" in page and "Published summary" in page
    book = load_workbook(write_export(tmp_path / "p.xlsx", tables, YEAR, published=True))
    assert book.sheetnames == ["About", "Pediatrics", "Surgery"]
    for title in ("Pediatrics", "Surgery"):
        sheet = book[title]
        text = [cell.value for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
        assert not any(name in value for value in text for name in ("Ed Five", "Flo Six", "Sam Cutter"))
        ref = next(ref for name, ref in sheet.tables.items() if name.startswith("Completion"))
        grid = [[cell.value for cell in row[1:]] for row in sheet[ref][1:]]  # divisions and "All divisions"
        for line in [*grid, *[list(column) for column in zip(*grid)]]:
            assert sum(value in HIDDEN for value in line) != 1, (title, grid)
        assert any(value == suppress.SUPPRESSED for row in grid for value in row)


# --------------------------------------------------------------------------- hours as stored: the hundredth, halves up

def test_hours_round_half_away_from_zero_to_the_hundredth_as_stored() -> None:
    assert [round_hours(value) for value in (11.25, 50.255, 0.125, 0.135, 2.5, -2.225, 11.244)] == [
        11.25, 50.26, 0.13, 0.14, 2.5, -2.23, 11.24]
    assert hours_text(1234.555) == "1,234.56" and hours_text(1234.5) == "1,234.5" and hours_text(12) == "12.0"
    assert hours_text(float("nan")) == "—"


def test_shown_hours_add_up_to_the_shown_total_in_every_view() -> None:
    hours = pd.DataFrame({THIS_YEAR: [11.25, 50.25, 173.25], LAST_YEAR: [1.0, 2.0, 3.0]},
                         index=pd.Index(["A", "B", "C"], name="division"))
    people = pd.DataFrame({THIS_YEAR: [6, 7, 9], LAST_YEAR: [5, 5, 5]}, index=hours.index)
    rows, total = shown.hours(hours, people, False, people_add_up=True)
    assert [row[1] for row in rows] == [11.25, 50.25, 173.25]
    assert total[1] == 234.75 == shown_total([11.25, 50.25, 173.25])  # the people's sum, not 234.8 or 234.9
    assert total[3] == 22
    rows, total = hours_shown(hours, people, View(False, lambda *args: ""), people_add_up=True)
    assert [row[1] for row in rows] == ["11.25", "50.25", "173.25"] and total[1] == "234.75"


def test_export_and_printable_report_show_the_dashboards_rounded_hours_and_totals(
        tables: Tables, tmp_path: Path) -> None:
    book = load_workbook(write_export(tmp_path / "h.xlsx", tables, YEAR))
    sheet = book["Pediatrics"]
    ref = next(ref for name, ref in sheet.tables.items() if name.startswith("HoursByCategory"))
    body = sheet[ref][1:]
    values = [row[1].value for row in body if isinstance(row[1].value, (int, float))]
    assert values and all(value == round_hours(value) for value in values)
    total_row = sheet[ref][-1][0].row + 1
    assert sheet.cell(row=total_row, column=1).value == "Total"
    assert sheet.cell(row=total_row, column=2).value == pytest.approx(sum(values))
    page = re.sub(r"<[^>]+>", " ", render_report(tables, YEAR, departments=["Pediatrics"]))
    assert re.search(rf"Total\s+{re.escape(hours_text(sum(values)))}", page)


# --------------------------------------------------------------------------- the command line

def test_report_for_a_year_without_forms_says_so_and_writes_nothing(known: Known, tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "empty.xlsx"
    empty = AcademicYear.containing(dt.date.today()).next  # in the office's window (see test_year_window), no forms
    assert main(["report", str(known.root), "--out", str(out), "--year", empty.label]) == 1
    assert not out.exists()
    error = capsys.readouterr().err
    assert f"no forms have been filed for {empty.label}" in error and YEAR.label in error
