"""The analyst workbook written with XlsxWriter: the export's default writer.

XlsxWriter is told never to turn text into a formula, a number or a link
(``strings_to_formulas``, ``strings_to_numbers`` and ``strings_to_urls`` off), and every value is
written with the typed call for its kind after :func:`mentorforms.workbooks.safe_cell.constant` has checked
it: text with ``write_string`` (with Excel's quote prefix when it looks like a formula), never the
guessing ``write``. Excel tables need XlsxWriter's normal mode (its constant-memory mode has
none), so the workbook is held in memory until it is saved (measured in
``benchmarks/aggregate.py``).

A table's data rows (nearly every cell of a large export) are not XlsxWriter cells: each block is
rendered as worksheet XML in one pass (:mod:`mentorforms.reports.xlsx_rows`), the same cells
XlsxWriter would write, after :func:`mentorforms.workbooks.safe_cell.storable_many` has checked its text.
The block a chart shows is written as cells instead, because XlsxWriter caches a chart's values
from its cells.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from mentorforms import compat, messages
from mentorforms.reports.sheet import PLAIN, TABLE_STYLE, Cell, ChartSpec, PrintSetup, Style, TableSpec, plain
from mentorforms.reports.xlsx_rows import RowsWorksheet
from mentorforms.workbooks.safe_cell import FORMULA_STARTS, constant, storable_many

OPTIONS = {
    "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False,
    "nan_inf_to_errors": False, "constant_memory": False,
}


class _SheetWriter:
    def __init__(self, book: FastBook, title: str, freeze: str | None, widths: Sequence[float]) -> None:
        self.book = book
        self.title = title
        self.sheet: RowsWorksheet = book.book.add_worksheet(title, worksheet_class=RowsWorksheet)
        self._last_block: tuple[int, Sequence[Sequence[Any]], Sequence[str | None]] | None = None
        if freeze:
            self.sheet.freeze_panes(freeze)
        for index, width in enumerate(widths):
            self.sheet.set_column(index, index, width)
        self._string = self.sheet.write_string
        self._number = self.sheet.write_number
        self._quoted = book.format(Style(), None, True)

    def write_row(self, row: int, cells: Sequence[Cell | None]) -> None:
        row -= 1
        formats = self.book.format
        for col, spec in enumerate(cells):
            if spec is None:
                continue
            value, quote_prefix, default_format = constant(spec.value)
            style, number_format = spec.style, spec.number_format or default_format
            plain = not quote_prefix and number_format is None and style.__class__ is Style and not (
                style.bold or style.italic or style.size or style.color or style.fill or style.wrap)
            cell_format = None if plain else formats(style, number_format, quote_prefix)
            kind = value.__class__
            if kind is str:
                if value:
                    self._string(row, col, value, cell_format)
                elif cell_format is not None:
                    self.sheet.write_blank(row, col, None, cell_format)
            elif kind is float or kind is int:
                self._number(row, col, value, cell_format)
            elif kind is bool:
                self.sheet.write_boolean(row, col, value, cell_format)
            elif value is None:
                if cell_format is not None:
                    self.sheet.write_blank(row, col, None, cell_format)
            elif isinstance(value, (dt.datetime, dt.date, dt.time)):
                self.sheet.write_datetime(row, col, value, cell_format)
            else:  # constant() lets nothing else through; a subclass of int or float, say
                self._number(row, col, value, cell_format)

    def write_values(self, row: int, values: Sequence[Any], number_formats: Sequence[str | None]) -> None:
        # The hot loop of a large export (most of its cells): plain strings and numbers are
        # written without building a Cell; everything still passes safe_cell.constant.
        row -= 1
        for col, value in enumerate(values):
            kind = value.__class__
            if kind is not str and kind is not int:
                value = plain(value)
                if value is None:
                    continue
                kind = value.__class__
            value, quote_prefix, default_format = constant(value)
            if kind is str or isinstance(value, str):
                if value:  # an empty text is an empty cell (as openpyxl writes it)
                    self._string(row, col, value, self._quoted if quote_prefix else None)
            elif kind is bool:
                self.sheet.write_boolean(row, col, value)
            elif isinstance(value, (int, float)):
                number_format = number_formats[col]
                self._number(row, col, value, self.book.format(PLAIN, number_format, False) if number_format else None)
            else:  # dates and times
                self.sheet.write_datetime(row, col, value,
                                          self.book.format(PLAIN, default_format, False) if default_format else None)

    def write_block(self, row: int, rows: Sequence[Sequence[Any]], number_formats: Sequence[str | None]) -> None:
        """Rows from ``row`` on, as :meth:`write_values` writes them: the text of the whole block is
        checked by safe_cell at once, and then the rows are rendered as worksheet XML in one pass
        (:mod:`mentorforms.reports.xlsx_rows`); a block holding text a workbook cannot store takes
        the cell-by-cell path (which names the problem)."""
        if not rows:
            return
        if not storable_many([value for values in rows for value in values if value.__class__ is str]):
            for offset, values in enumerate(rows):
                self.write_values(row + offset, values, number_formats)
            return
        if not self.sheet.can_render(row - 1, len(rows)):
            self._write_cells(row, rows, number_formats)
            return
        formats = self.book.format
        self.sheet.add_rows(row - 1, rows,
                            [formats(PLAIN, number_format, False) if number_format else None
                             for number_format in number_formats],
                            self._quoted, lambda number_format: formats(PLAIN, number_format, False))
        # Kept until the next block: a chart over this one needs its values as cells (add_chart).
        self._last_block = (row, rows, number_formats)

    def _write_cells(self, row: int, rows: Sequence[Sequence[Any]], number_formats: Sequence[str | None]) -> None:
        # A block of storable rows written as XlsxWriter cells, one call per cell.
        string, number, quoted, write_values = self._string, self._number, self._quoted, self.write_values
        number_cells = [self.book.format(PLAIN, number_format, False) if number_format else None
                        for number_format in number_formats]
        for offset, values in enumerate(rows):
            position = row + offset - 1
            rest = None
            for col, value in enumerate(values):
                kind = value.__class__
                if kind is str:
                    if value:
                        string(position, col, value, quoted if value.startswith(FORMULA_STARTS) else None)
                elif kind is int or (kind is float and value - value == 0):  # finite: NaN and inf go the slow way
                    number(position, col, value, number_cells[col])
                elif value is not None:
                    if rest is None:
                        rest = [None] * len(values)
                    rest[col] = value
            if rest is not None:
                write_values(row + offset, rest, number_formats)

    def _as_cells(self, first_row: int, last_row: int) -> None:
        """Make the rendered rows among ``first_row..last_row`` (1-based) XlsxWriter cells: a
        chart's cached values are read from cells. Only the latest block is kept to do that, and a
        chart follows the table it shows."""
        for first, last in self.sheet.rendered_rows():
            if first + 1 > last_row or last + 1 < first_row:
                continue
            if self._last_block is None or self._last_block[0] != first + 1:
                raise RuntimeError(f"sheet {self.title!r}: a chart over rows {first + 1}..{last + 1} must be "
                                   "added right after the table it shows")
            row, rows, number_formats = self._last_block
            self.sheet.forget_rows(first)
            self._write_cells(row, rows, number_formats)
            self._last_block = None

    def add_table(self, table: TableSpec, header: Sequence[Cell]) -> None:
        bold = self.book.format(header[0].style if header else Style(bold=True), None, False)
        self.sheet.add_table(table.first_row - 1, 0, table.last_row - 1, len(table.headers) - 1, {
            "name": table.name, "style": TABLE_STYLE, "banded_rows": True, "autofilter": True,
            "columns": [{"header": name, "header_format": bold} for name in table.headers],
        })
        # add_table writes the header cells itself; write them again through the one safe path.
        self.write_row(table.first_row, header)

    def add_chart(self, chart: ChartSpec) -> None:
        self._as_cells(chart.header_row, chart.last_row)
        written = self.book.book.add_chart({"type": "bar" if chart.horizontal else "column",
                                            **({"subtype": "stacked"} if chart.stacked else {})})
        first, last = chart.header_row, chart.last_row - 1  # 0-based: header row + 1 .. last row
        for col in range(chart.first_col - 1, chart.last_col):
            written.add_series({
                "name": [self.title, chart.header_row - 1, col],
                "categories": [self.title, first, 0, last, 0],
                "values": [self.title, first, col, last, col],
                **({"overlap": 100} if chart.stacked else {}),
            })
        written.set_title({"name": chart.title})
        if chart.value_axis:
            # A bar chart's value axis is XlsxWriter's x axis; a column chart's, its y axis.
            (written.set_x_axis if chart.horizontal else written.set_y_axis)({"name": chart.value_axis})
        written.set_size({"width": chart.width_px, "height": chart.height_px})
        self.sheet.insert_chart(xl_rowcol_to_cell(chart.anchor_row - 1, chart.anchor_col - 1), written,
                                {"object_position": 1})

    def print_setup(self, setup: PrintSetup) -> None:
        self.sheet.set_landscape()
        self.sheet.fit_to_pages(1, 0)
        self.sheet.repeat_rows(0, setup.repeat_rows - 1)
        self.sheet.set_header(f"&L{setup.header}")
        self.sheet.set_footer(f"&L{setup.footer}&RPage &P of &N")


class FastBook:
    """A workbook written with XlsxWriter (to a path or a binary file object)."""

    def __init__(self, target: Any) -> None:
        compat.require(compat.EXPORT, messages.EXPORT_LIBRARY_CHANGED)
        self.book = xlsxwriter.Workbook(target, OPTIONS)
        self._formats: dict[tuple, Any] = {}

    def format(self, style: Style, number_format: str | None, quote_prefix: bool):
        key = (style, number_format, quote_prefix)
        found = self._formats.get(key)
        if found is None:
            properties: dict[str, Any] = {}
            if style.bold:
                properties["bold"] = True
            if style.italic:
                properties["italic"] = True
            if style.size:
                properties["font_size"] = style.size
            if style.color:
                properties["font_color"] = f"#{style.color}"
            if style.fill:
                properties.update(pattern=1, bg_color=f"#{style.fill}")
            if style.wrap:
                properties.update(text_wrap=True, valign="top")
            if number_format:
                properties["num_format"] = number_format
            if quote_prefix:
                properties["quote_prefix"] = True
            found = self._formats[key] = self.book.add_format(properties)
        return found

    def sheet(self, title: str, *, freeze: str | None, widths: Sequence[float]) -> _SheetWriter:
        return _SheetWriter(self, title, freeze, widths)

    def close(self) -> None:
        """Write the file."""
        self.book.close()
