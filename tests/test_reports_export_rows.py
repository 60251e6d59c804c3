"""The export's fast path: table blocks rendered as worksheet XML (mentorforms.reports.xlsx_rows).

Each test writes the same layout with the rendered path (XlsxWriter) and with openpyxl's writer and
reads both back, so a change in XlsxWriter's internals that the path relies on shows up here as a
workbook that reads back differently, does not open, or has rows Excel would repair."""

from __future__ import annotations

import datetime as dt
import math
import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from mentorforms.errors import UnsafeTextError
from mentorforms.reports.export import COUNT_FORMAT, HOURS_FORMAT
from mentorforms.reports.sheet import BOLD, HEADING, ChartSpec, Sheet, cell
from mentorforms.reports.xlsx_fast import FastBook
from mentorforms.reports.xlsx_openpyxl import OpenpyxlBook
from mentorforms.workbooks.safe_cell import decode_escapes

HEADERS = ["Name", "Hours", "Count", "Met", "Due", "Filed", "Note"]
FORMATS = [None, HOURS_FORMAT, COUNT_FORMAT, None, None, None, None]
ROWS = [
    ("Ada Lovelace", 12.25, 3, True, dt.date(2026, 3, 31), dt.datetime(2026, 3, 2, 9, 30), "=HYPERLINK(\"x\")"),
    ("", np.float64(0.5), np.int64(7), False, pd.Timestamp("2025-09-01"), None, "+1 plan"),
    ("Grace Hopper", math.nan, None, None, pd.NaT, pd.Timestamp("2026-01-05 08:00"), "_x0007_ typed"),
    ("  spaced  ", -4, 10**17, np.bool_(True), None,
     dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5))), "-"),
    ("@home", 1e-9, pd.NA, None, dt.date(1900, 1, 15), None, "line\nbreak"),
]


def _layout(book, title: str = "Data") -> Sheet:
    """A title, a table with a total row and a chart, two more tables with text between, a closing note."""
    sheet = Sheet(book.sheet(title, freeze="A3", widths=(20, 12)), [])
    sheet.text("A report", HEADING)
    sheet.blank()
    first, last = sheet.table(HEADERS, FORMATS, list(ROWS), "Block")
    sheet.append([cell("Total", BOLD), cell(12.25, BOLD, HOURS_FORMAT)])
    sheet.chart(ChartSpec(title="Hours", value_axis="Hours", header_row=first, last_row=last, first_col=2,
                          last_col=3, horizontal=True, stacked=False, width_px=400, height_px=200))
    sheet.blank()
    sheet.table(["Item", "Value"], [None, COUNT_FORMAT], [(f"item {n}", n) for n in range(40)], "Second")
    sheet.text("Between")
    # Columns of one kind each (text with gaps, numbers with a NaN, booleans), as data sheets have.
    sheet.table(["Item", "Value", "Even"], [None, HOURS_FORMAT, None],
                [(f"more {n}" if n % 3 else None, n / 4 if n != 5 else math.nan, n % 2 == 0) for n in range(20)],
                "Third")
    sheet.text("The end")
    return sheet


def _write(path: Path, backend) -> Path:
    book = backend(path)
    _layout(book)
    book.close()
    return path


@pytest.fixture()
def both(tmp_path: Path):
    return _write(tmp_path / "fast.xlsx", FastBook), _write(tmp_path / "openpyxl.xlsx", OpenpyxlBook)


def test_rendered_rows_read_back_as_the_openpyxl_writer_writes_them(both) -> None:
    fast, reference = (load_workbook(path)["Data"] for path in both)
    assert (fast.max_row, fast.max_column) == (reference.max_row, reference.max_column)
    for row_a, row_b in zip(fast.iter_rows(), reference.iter_rows(), strict=True):
        for a, b in zip(row_a, row_b):
            # openpyxl decodes _xHHHH_ in shared strings (XlsxWriter's) but not in its own inline ones
            expected = decode_escapes(b.value) if isinstance(b.value, str) else b.value
            assert a.value == expected, b.coordinate
            if b.value is not None:
                assert (a.data_type, a.number_format, a.quotePrefix) == (b.data_type, b.number_format,
                                                                        b.quotePrefix), b.coordinate
    assert dict(fast.tables.items()) == dict(reference.tables.items())


def test_text_that_looks_like_a_formula_is_quoted_text_and_nothing_is_a_formula(both) -> None:
    sheet = load_workbook(both[0])["Data"]
    quoted = {cell.value for row in sheet.iter_rows() for cell in row if cell.quotePrefix}
    assert quoted == {"=HYPERLINK(\"x\")", "+1 plan", "-", "@home"}
    assert all(cell.data_type != "f" and cell.hyperlink is None for row in sheet.iter_rows() for cell in row)
    text = zipfile.ZipFile(both[0]).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in text and "hyperlink" not in text


def test_a_strict_reader_reads_the_same_values(both) -> None:
    fast, reference = (CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Data").to_python()
                       for path in both)
    assert fast == reference
    assert fast[3][:4] == ["Ada Lovelace", 12.25, 3, True]
    assert fast[5][6] == "_x0007_ typed"  # an escape typed as text reads back as typed


def test_rows_and_cells_are_in_order_as_excel_requires(both) -> None:
    text = zipfile.ZipFile(both[0]).read("xl/worksheets/sheet1.xml").decode()
    rows = [int(number) for number in re.findall(r'<row r="(\d+)"', text)]
    assert rows == sorted(set(rows)) and rows[0] == 1
    for number, cells in re.findall(r'<row r="(\d+)"[^>]*>(.*?)</row>', text):
        refs = re.findall(r'<c r="([A-Z]+)(\d+)"', cells)
        assert all(row == number for _, row in refs)
        columns = [column for column, _ in refs]
        assert columns == sorted(columns, key=lambda name: (len(name), name))
    assert '<dimension ref="A1:G74"/>' in text


def test_blocks_are_rendered_and_the_charted_one_is_written_as_cells(tmp_path: Path) -> None:
    book = FastBook(tmp_path / "fast.xlsx")
    sheet = _layout(book)
    # The second and third tables are rendered; the first carries the chart, so its rows are XlsxWriter cells.
    assert sheet.backend.sheet.rendered_rows() == [(table.first_row, table.last_row - 1) for table in sheet.tables[1:]]
    book.close()
    chart = zipfile.ZipFile(tmp_path / "fast.xlsx").read("xl/charts/chart1.xml").decode()
    cached = re.findall(r"<c:numCache>.*?</c:numCache>", chart)
    assert len(cached) == 2 and '<c:v>12.25</c:v>' in cached[0]  # the chart shows values before a recalculation


def test_a_chart_over_an_earlier_table_is_refused_in_plain_words(tmp_path: Path) -> None:
    book = FastBook(tmp_path / "fast.xlsx")
    sheet = Sheet(book.sheet("Data", freeze=None, widths=()), [])
    first, last = sheet.table(["A", "B"], [None, None], [("x", 1), ("y", 2)], "One")
    sheet.table(["A", "B"], [None, None], [("z", 3)], "Two")
    with pytest.raises(RuntimeError, match="right after the table"):
        sheet.chart(ChartSpec(title="t", value_axis=None, header_row=first, last_row=last, first_col=2, last_col=2,
                              horizontal=False, stacked=False, width_px=100, height_px=100))


def test_a_block_with_text_a_workbook_cannot_hold_names_the_problem(tmp_path: Path) -> None:
    book = FastBook(tmp_path / "fast.xlsx")
    sheet = Sheet(book.sheet("Data", freeze=None, widths=()), [])
    with pytest.raises(UnsafeTextError, match="character"):
        sheet.table(["A"], [None], [("fine",), ("bell \x07",)], "Bad")


def test_infinity_is_refused_not_written(tmp_path: Path) -> None:
    book = FastBook(tmp_path / "fast.xlsx")
    sheet = Sheet(book.sheet("Data", freeze=None, widths=()), [])
    with pytest.raises(ValueError, match="cannot be stored"):
        sheet.table(["A"], [None], [(1.0,), (math.inf,)], "Bad")
