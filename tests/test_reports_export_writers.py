"""The export's writer (XlsxWriter) against the earlier one (openpyxl's streaming writer), and the
layout of the summary sheets: charts clear of tables and of each other, print setup."""

from __future__ import annotations

import datetime as dt
import math
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from reports_known import AS_OF, FORMULA_GOAL, YEAR, build_known

from mentorforms.records.roster import load_roster
from mentorforms.reports.export import write_export
from mentorforms.reports.index import Index
from mentorforms.reports.sheet import ROW_PX
from mentorforms.reports.tables import Tables, build_tables
from mentorforms.vocabulary.academic_year import AcademicYear

EMU_PER_PX = 9525


def _tables(root: Path, years) -> Tables:
    with Index(root) as index:
        index.refresh()
        return build_tables(index, load_roster(root / "roster.xlsx"), years=years, as_of=AS_OF)


@pytest.fixture(scope="module", params=["known", "demo"])
def exports(request, tmp_path_factory: pytest.TempPathFactory):
    """The same export written by both writers, on the hand-made data (which holds a goal typed
    as a formula) and on the demo data."""
    if request.param == "known":
        root, year = build_known(tmp_path_factory.mktemp("writers-known") / "data").root, YEAR
    else:
        root = tmp_path_factory.mktemp("writers-demo") / "data"
        shutil.copytree(request.getfixturevalue("demo_master"), root)
        with Index(root) as index:
            index.refresh()
            year = AcademicYear(max(index.years()))
    tables = _tables(root, [year.previous, year])
    out = tmp_path_factory.mktemp(f"writers-{request.param}")
    made = dt.datetime(2026, 3, 2, 9, 30)
    new = write_export(out / "new.xlsx", tables, year, generated_at=made)
    old = write_export(out / "old.xlsx", tables, year, writer="openpyxl", generated_at=made)
    return load_workbook(new), load_workbook(old)


def _title(chart) -> str:
    return "".join(run.t for paragraph in chart.title.tx.rich.p for run in (paragraph.r or []))


def _chart(chart) -> tuple:
    def unquoted(ref: str) -> str:
        return ref.replace("'", "").replace("$", "")

    series = [(unquoted(s.tx.strRef.f), unquoted(s.val.numRef.f),
               unquoted(s.cat.strRef.f if s.cat.strRef is not None else s.cat.numRef.f)) for s in chart.series]
    return (chart.tagname, chart.type, chart.grouping, _title(chart), chart.anchor._from.col, chart.anchor._from.row,
            series)


def test_the_new_writer_writes_the_same_workbook_cell_by_cell(exports) -> None:
    new, old = exports
    assert new.sheetnames == old.sheetnames
    for title in old.sheetnames:
        a, b = new[title], old[title]
        assert a.freeze_panes == b.freeze_panes, title
        assert {name: ref for name, ref in a.tables.items()} == {name: ref for name, ref in b.tables.items()}, title
        for name in b.tables:
            assert [c.name for c in a.tables[name].tableColumns] == [c.name for c in b.tables[name].tableColumns]
        assert [_chart(chart) for chart in a._charts] == [_chart(chart) for chart in b._charts], title
        assert a.max_row == b.max_row and a.max_column == b.max_column, title
        for row_a, row_b in zip(a.iter_rows(), b.iter_rows()):
            for x, y in zip(row_a, row_b):
                where = f"{title}!{y.coordinate}"
                assert x.value == y.value, where
                if y.value is not None:
                    assert x.data_type == y.data_type, where
                    assert x.number_format == y.number_format, where
                    assert (x.font.b, x.font.i, x.quotePrefix) == (bool(y.font.b), bool(y.font.i), y.quotePrefix), where


def test_no_cell_is_a_formula_or_a_link_and_typed_formulas_stay_text(exports) -> None:
    new, _ = exports
    for sheet in new.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate}"
                assert cell.hyperlink is None, f"{sheet.title}!{cell.coordinate}"
                if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")):
                    assert cell.quotePrefix, f"{sheet.title}!{cell.coordinate}"


def test_a_goal_typed_as_a_formula_reaches_the_export_as_text(tmp_path: Path) -> None:
    tables = _tables(build_known(tmp_path / "data").root, [YEAR.previous, YEAR])
    book = load_workbook(write_export(tmp_path / "new.xlsx", tables, YEAR))
    cells = [cell for row in book["Goals"].iter_rows() for cell in row if cell.value == FORMULA_GOAL]
    assert cells and all(cell.data_type == "s" and cell.quotePrefix for cell in cells)


def _cell_range(ref: str) -> tuple[int, int, int, int]:
    """(first row, first col, last row, last col), 0-based, of "A1:F9"."""
    from openpyxl.utils.cell import range_boundaries
    min_col, min_row, max_col, max_row = range_boundaries(ref)
    return min_row - 1, min_col - 1, max_row - 1, max_col - 1


def _chart_box(chart) -> tuple[int, int, int, int]:
    anchor = chart.anchor
    if hasattr(anchor, "to") and anchor.to is not None:
        return anchor._from.row, anchor._from.col, anchor.to.row, anchor.to.col
    rows = math.ceil(anchor.ext.height / EMU_PER_PX / ROW_PX)
    return anchor._from.row, anchor._from.col, anchor._from.row + rows - 1, anchor._from.col + 8


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return not (a[2] < b[0] or b[2] < a[0] or a[3] < b[1] or b[3] < a[1])


@pytest.mark.parametrize("which", [0, 1], ids=["xlsxwriter", "openpyxl"])
def test_charts_cover_no_table_and_no_other_chart(exports, which: int) -> None:
    book = exports[which]
    summary_sheets = [sheet for sheet in book.worksheets if sheet._charts]
    both = [sheet.title for sheet in summary_sheets if {"Teaching hours by division", "Goals by area and status"}
            <= {_title(chart) for chart in sheet._charts}]
    assert both, "a department sheet has both charts that used to overlap"
    for sheet in summary_sheets:
        titles = [_title(chart) for chart in sheet._charts]
        boxes = [_chart_box(chart) for chart in sheet._charts]
        tables = [_cell_range(ref) for _, ref in sheet.tables.items()]
        for number, box in enumerate(boxes):
            for table in tables:
                assert not _overlap(box, table), (sheet.title, titles[number], table)
            for other in boxes[number + 1:]:
                assert not _overlap(box, other), (sheet.title, titles)


def test_summary_sheets_print_landscape_one_page_wide_with_titles_and_the_sheet_named(exports) -> None:
    new, old = exports
    for book in (new, old):
        for sheet in (sheet for sheet in book.worksheets if sheet._charts):
            assert sheet.page_setup.orientation == "landscape"
            assert sheet.sheet_properties.pageSetUpPr.fitToPage
            assert sheet.page_setup.fitToWidth in (None, 1) and sheet.page_setup.fitToHeight == 0
            assert sheet.print_title_rows == "$1:$2"
            assert sheet.oddHeader.left.text == "&A"  # Excel prints the sheet's name here
            assert "report" in sheet.oddFooter.left.text and "&P" in sheet.oddFooter.right.text
