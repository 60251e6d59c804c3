"""The analyst workbook written with openpyxl's streaming (write-only) mode.

The export's earlier writer, kept as the reference: the benchmark measures the default writer
(:mod:`mentorforms.reports.xlsx_fast`) against it, and a test compares the two files cell by cell.
Every value goes through :func:`mentorforms.workbooks.safe_cell.put`.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from functools import cache
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

from mentorforms.reports.sheet import PX_PER_CM, TABLE_STYLE, Cell, ChartSpec, PrintSetup, Style, TableSpec, cell
from mentorforms.workbooks.safe_cell import put


@cache
def _font(style: Style) -> Font | None:
    if style.bold or style.italic or style.size or style.color:
        return Font(bold=style.bold, italic=style.italic, size=style.size, color=style.color)
    return None


class _SheetWriter:
    def __init__(self, book: Workbook, title: str, freeze: str | None, widths: Sequence[float]) -> None:
        self.sheet = book.create_sheet(title)
        # A streaming sheet writes its view and column widths before the first row: set them now.
        if freeze:
            self.sheet.freeze_panes = freeze
        for index, width in enumerate(widths, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = width
        self.rows = 0

    def _cell(self, spec: Cell | None):
        if spec is None:
            return None
        written = put(WriteOnlyCell(self.sheet), spec.value)
        font = _font(spec.style)
        if font is not None:
            written.font = font
        if spec.style.fill:
            written.fill = PatternFill("solid", fgColor=spec.style.fill)
        if spec.number_format:
            written.number_format = spec.number_format
        if spec.style.wrap:
            written.alignment = Alignment(wrap_text=True, vertical="top")
        return written

    def write_row(self, row: int, cells: Sequence[Cell | None]) -> None:
        while self.rows < row - 1:  # streaming: rows are appended in order
            self.sheet.append([])
            self.rows += 1
        self.sheet.append([self._cell(spec) for spec in cells])
        self.rows += 1

    def write_values(self, row: int, values: Sequence[Any], number_formats: Sequence[str | None]) -> None:
        self.write_row(row, [cell(value, number_format=number_format)
                             for value, number_format in zip(values, number_formats)])

    def write_block(self, row: int, rows: Sequence[Sequence[Any]], number_formats: Sequence[str | None]) -> None:
        for offset, values in enumerate(rows):
            self.write_values(row + offset, values, number_formats)

    def add_table(self, table: TableSpec, header: Sequence[Cell]) -> None:
        # Numbered by sheet column, as openpyxl numbers them, and filtered, as it does for a table with headers.
        first_col, _, last_col, _ = range_boundaries(table.ref)
        written = Table(displayName=table.name, ref=table.ref, autoFilter=AutoFilter(ref=table.ref),
                        tableColumns=[TableColumn(id=number, name=name)
                                      for number, name in zip(range(first_col, last_col + 1), table.headers)])
        written.tableStyleInfo = TableStyleInfo(name=TABLE_STYLE, showRowStripes=True)
        with warnings.catch_warnings():
            # openpyxl warns on every table in streaming mode; the columns are named just above.
            warnings.filterwarnings("ignore", "In write-only mode you must add table columns manually")
            self.sheet.add_table(written)

    def add_chart(self, chart: ChartSpec) -> None:
        written = BarChart()
        written.type = "bar" if chart.horizontal else "col"
        if chart.stacked:
            written.grouping = "stacked"
            written.overlap = 100
        written.title = chart.title
        if chart.value_axis:
            written.y_axis.title = chart.value_axis
        written.height, written.width = chart.height_px / PX_PER_CM, chart.width_px / PX_PER_CM
        written.add_data(Reference(self.sheet, min_col=chart.first_col, max_col=chart.last_col,
                                   min_row=chart.header_row, max_row=chart.last_row), titles_from_data=True)
        written.set_categories(Reference(self.sheet, min_col=1, min_row=chart.header_row + 1, max_row=chart.last_row))
        self.sheet.add_chart(written, f"{get_column_letter(chart.anchor_col)}{chart.anchor_row}")

    def print_setup(self, setup: PrintSetup) -> None:
        sheet = self.sheet
        sheet.page_setup.orientation = "landscape"
        sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.print_title_rows = f"1:{setup.repeat_rows}"
        sheet.oddHeader.left.text = setup.header
        sheet.oddFooter.left.text = setup.footer
        sheet.oddFooter.right.text = "Page &P of &N"


class OpenpyxlBook:
    """A workbook written with openpyxl in write-only mode."""

    def __init__(self, target: Any) -> None:
        self.target = target
        self.book = Workbook(write_only=True)

    def sheet(self, title: str, *, freeze: str | None, widths: Sequence[float]) -> _SheetWriter:
        return _SheetWriter(self.book, title, freeze, widths)

    def close(self) -> None:
        """Write the file."""
        self.book.save(self.target)
