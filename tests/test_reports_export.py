"""The analyst workbook, the HTML report and the `mentorforms report` command."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from reports_known import AS_OF, FORMULA_GOAL, YEAR, Known, build_known, expected_total

from mentorforms.commands.cli import main
from mentorforms.records.roster import load_roster
from mentorforms.reports.export import sheet_title, write_export
from mentorforms.reports.html import render_report
from mentorforms.reports.index import Index
from mentorforms.reports.tables import Tables, build_tables


@pytest.fixture(scope="module")
def known(tmp_path_factory: pytest.TempPathFactory) -> Known:
    return build_known(tmp_path_factory.mktemp("known-export") / "data")


@pytest.fixture(scope="module")
def tables(known: Known) -> Tables:
    with Index(known.root) as index:
        index.refresh()
        return build_tables(index, load_roster(known.root / "roster.xlsx"), as_of=AS_OF)


@pytest.fixture(scope="module")
def book(tables: Tables, tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("export") / "report.xlsx"
    write_export(path, tables, YEAR)
    return load_workbook(path)


def _table_rows(sheet, name: str) -> list[dict]:
    table = sheet.tables[name]
    cells = list(sheet[table.ref])
    header = [cell.value for cell in cells[0]]
    return [dict(zip(header, [cell.value for cell in row])) for row in cells[1:]]


def _named(sheet, prefix: str) -> str:
    return next(name for name in sheet.tables if name.startswith(prefix))


def test_one_summary_sheet_per_department_with_native_charts_and_tables(book) -> None:
    assert book.sheetnames[:3] == ["About", "Pediatrics", "Surgery"]
    for title in ("Pediatrics", "Surgery"):
        sheet = book[title]
        assert len(sheet._charts) == 3  # hours by category, hours by division, goals by status
        assert {name.split("_")[0] for name in sheet.tables} >= {
            "Completion", "HoursByCategory", "HoursByDivision", "GoalStatus", "Mentoring", "Outlook", "Support"}
        assert sheet.freeze_panes == "A3"


def test_summary_numbers_match_the_hand_count(known: Known, book) -> None:
    sheet = book["Pediatrics"]
    completion = {row["Division"]: row for row in _table_rows(sheet, _named(sheet, "Completion"))}
    total = completion["All divisions"]
    assert (total["Done"], total["In progress"], total["Missing"], total["Late"], total["Faculty"]) == (1, 3, 1, 2, 7)
    hours = _table_rows(sheet, _named(sheet, "HoursByCategory"))
    pediatrics = {person for person in known.official_hours[YEAR.start] if person.startswith("P")}
    assert sum(row[f"Hours {YEAR.label}"] for row in hours) == pytest.approx(
        sum(expected_total(known, YEAR.start, pediatrics).values()))
    for row in hours:
        assert sheet.cell(row=_row_of(sheet, row["Category"]), column=2).number_format == "#,##0.0#"


def _row_of(sheet, text: str) -> int:
    for row in sheet.iter_rows():
        if row[0].value == text:
            return row[0].row
    raise AssertionError(text)


def test_missing_and_late_sheet_lists_exactly_those_people(known: Known, book) -> None:
    sheet = book["Missing and late"]
    assert sheet.freeze_panes == "A2"
    rows = _table_rows(sheet, _named(sheet, "MissingLate"))
    expected = {person for person, state in known.completion.items() if state in ("missing", "late", "in progress")}
    assert {row["Person id"] for row in rows} == expected
    assert {row["Person id"]: row["Completion"] for row in rows}["P6"] == "late"


def test_problems_sheet_lists_the_unreadable_files(known: Known, book) -> None:
    sheet = book["Problems"]
    rows = _table_rows(sheet, _named(sheet, "Problems"))
    assert {row["File"] for row in rows} == {str(known.truncated), str(known.foreign)}
    assert all(row["Reason"] for row in rows)


def test_user_text_that_looks_like_a_formula_stays_text(book) -> None:
    sheet = book["Goals"]
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value == FORMULA_GOAL]
    assert cells, "the goal is exported"
    assert all(cell.data_type == "s" for cell in cells)


def test_every_data_sheet_is_one_filterable_table_with_a_frozen_header(book) -> None:
    for title in ("Conferences", "Teaching hours", "Goals", "Mentoring", "Agreements to revisit", "Promotion",
                  "Support", "Problems", "Network maps", "Drafts"):
        sheet = book[title]
        assert len(sheet.tables) == 1, title
        table = next(iter(sheet.tables.values()))
        header_row = 2 if title in ("Network maps", "Drafts") else 1  # these two open with a note
        assert table.ref.startswith(f"A{header_row}:")
        assert sheet.freeze_panes == f"A{header_row + 1}"


def test_network_maps_sheet_counts_the_submitted_maps(book) -> None:
    sheet = book["Network maps"]
    rows = {row["Department"]: row for row in _table_rows(sheet, _named(sheet, "NetworkMaps"))}
    assert rows["Pediatrics"]["With a map"] == 1 and rows["Pediatrics"]["Faculty"] == 7
    assert rows["Pediatrics"]["Share with a sponsor"] == 1
    assert "Surgery" not in rows  # no map filed there


def test_the_export_can_be_limited_to_departments(tables: Tables, tmp_path: Path) -> None:
    path = write_export(tmp_path / "surgery.xlsx", tables, YEAR, departments=["Surgery"])
    book = load_workbook(path)
    assert "Pediatrics" not in book.sheetnames and "Surgery" in book.sheetnames
    rows = _table_rows(book["Conferences"], _named(book["Conferences"], "Conferences"))
    assert {row["Department"] for row in rows} == {"Surgery"}


def test_sheet_titles_are_valid_and_unique() -> None:
    taken = {"About"}
    assert sheet_title("Ob/Gyn: [Women's health]?", taken) == "Ob Gyn   Women's health"
    long = "Department of Very Long Names and Other Things"
    first, second = sheet_title(long, taken), sheet_title(long, taken)
    assert len(first) <= 31 and len(second) <= 31 and first != second
    assert sheet_title("about", taken) != "about"


def test_html_report_escapes_user_text_and_names_the_people(tables: Tables) -> None:
    page = render_report(tables, YEAR, departments=["Pediatrics"])
    assert "Pediatrics — department report, 2025-2026" in page
    assert "Ed Five" in page  # missing
    assert "Flo Six" in page  # late
    assert "Sam Cutter" not in page  # Surgery is not in this report


def test_html_report_never_renders_markup_from_the_data(known: Known, tmp_path: Path) -> None:
    from mentorforms.records.roster import write_roster
    roster = load_roster(known.root / "roster.xlsx")
    people = [person if person.person_id != "P5" else type(person)(**{**person.__dict__,
                                                                       "name": "<script>alert(1)</script>"})
              for person in roster]
    with Index(known.root) as index:
        index.refresh()
        write_roster(people, tmp_path / "roster.xlsx")
        tables = build_tables(index, load_roster(tmp_path / "roster.xlsx"), as_of=AS_OF)
    page = render_report(tables, YEAR)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_report_command_writes_the_workbook_and_the_html(known: Known, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture) -> None:
    out, page = tmp_path / "out" / "report.xlsx", tmp_path / "report.html"
    status = main(["report", str(known.root), "--out", str(out), "--year", YEAR.label, "--html", str(page)])
    assert status == 0
    captured = capsys.readouterr()
    assert "could not be read" in captured.err and str(known.truncated) in captured.err
    book = load_workbook(out)
    assert "Pediatrics" in book.sheetnames and book["Pediatrics"]._charts
    assert "department report" in page.read_text()


def test_report_command_refuses_an_unknown_department(known: Known, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture) -> None:
    status = main(["report", str(known.root), "--out", str(tmp_path / "x.xlsx"), "--department", "Dermatology"])
    assert status == 2
    assert "Dermatology" in capsys.readouterr().err
    assert not (tmp_path / "x.xlsx").exists()
