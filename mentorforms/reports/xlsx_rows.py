"""A table's data rows written straight to worksheet XML: the export's fast path for table blocks.

XlsxWriter keeps every cell as a Python object (a named tuple in a dict of dicts) until the
workbook is saved and then writes each one through several calls; at 12,000 faculty that is about
a million cells and most of the export's time. :class:`RowsWorksheet` is an XlsxWriter worksheet
(made through ``Workbook.add_worksheet(worksheet_class=...)``, XlsxWriter's documented way to
extend a worksheet) that also takes whole blocks of rows, turns each row into its ``<row>`` XML at
once, and writes that text in its place when the sheet is saved. Everything else on the sheet
(titles, headers, totals, tables, charts, print setup) stays XlsxWriter's own.

What a rendered cell is, is exactly what XlsxWriter writes for the same value: text goes through
the workbook's shared-string table (so XlsxWriter still escapes it on saving), numbers are written
as ``{:.16G}``, dates as Excel serial numbers, booleans as ``t="b"``. The differences: rows carry
no ``spans`` attribute (optional; XlsxWriter's constant-memory mode leaves it out too) and charts
cannot read cached values from rendered rows (the export's backend writes charted tables as
cells; see :meth:`RowsWorksheet.forget_rows`).

This relies on internals of XlsxWriter 3.3.1 (pinned), reached only through
:mod:`mentorforms.compat` (the export checks them before it writes): where the worksheet writes
its ``<sheetData>`` rows, from ``dim_rowmin`` to ``dim_rowmax`` through ``self.fh``; how a cell
counts in the sheet's extent; the shared-string table; a format's style number; dates as serial
numbers. Its undocumented attributes ``row_info``, ``table``, ``constant_memory``,
``excel_version`` and the row heights say whether a row needs XlsxWriter's own row writer
(:meth:`RowsWorksheet.can_render`). ``tests/test_reports_export_rows.py`` and the writer
comparison tests show a change as a workbook that reads back differently or has rows out of order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, time
from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from mentorforms import compat
from mentorforms.reports.sheet import plain
from mentorforms.workbooks.safe_cell import FORMULA_STARTS, constant


def _style(cell_format: Format | None) -> str:
    # Assigning the index now is what XlsxWriter's constant-memory mode does when it writes a row.
    return f' s="{compat.xlsx_style_index(cell_format)}"' if cell_format is not None else ""


class RowsWorksheet(Worksheet):
    """An XlsxWriter worksheet that also writes whole blocks of table rows as rendered XML."""

    #: The first and last row (0-based) XlsxWriter writes (set by it; narrowed here around blocks).
    dim_rowmin: int
    dim_rowmax: int

    def __init__(self) -> None:
        super().__init__()
        #: (first row, last row, the rows' XML), 0-based rows, in the order they were added.
        self._blocks: list[tuple[int, int, str]] = []

    def can_render(self, first: int, count: int) -> bool:
        """True if rows ``first..first+count-1`` (0-based) may be rendered: nothing about this
        sheet's rows (heights, formats, Excel 2010 extensions, constant-memory mode) needs
        XlsxWriter's own row writer, and no row already holds XlsxWriter cells."""
        if (self.constant_memory or self.excel_version == 2010
                or self.default_row_height != self.original_row_height):
            return False
        rows = range(first, first + count)
        return not any(row in self.row_info or self.table.get(row) for row in rows)

    def add_rows(self, first: int, rows: Sequence[Sequence[Any]], number_formats: Sequence[Format | None],
                 quoted: Format, date_format: Callable[[str], Format]) -> None:
        """Render ``rows`` from row ``first`` (0-based) on, one cell per value: text (with
        ``quoted``, Excel's quote prefix, when it looks like a formula; an empty text is no cell),
        numbers with their column's format, booleans, and dates and times with the format
        ``date_format(number_format)`` gives for the default format :func:`safe_cell.constant`
        names; None and NaN are no cell. Values pass :func:`safe_cell.constant` unless they are
        plain ``str``, ``int`` or finite ``float``, whose checks the caller made for the block
        (:func:`safe_cell.storable_many`); it raises for a value no cell can hold."""
        if not rows:
            return
        width = max(map(len, rows))
        if width == 0:  # rows without a value: nothing to write
            return
        if any(len(values) != width for values in rows):
            rows = [(*values, *[None] * (width - len(values))) for values in rows]
        number_styles = [_style(cell_format) for cell_format in number_formats]
        number_styles += [""] * (width - len(number_styles))
        quote = _style(quoted)
        numbers = [str(row) for row in range(first + 1, first + len(rows) + 1)]
        dates: dict[Any, str] = {}
        # Text is shared in reading order (row by row), as XlsxWriter shares it: a row's indices
        # then sit close together, which compresses better than an order column by column.
        share = compat.xlsx_string_indexer(self)
        shared = {value: share(value) for values in rows for value in values if value.__class__ is str and value}
        # Column by column: a column's values are nearly always of one kind, so most columns are
        # one comprehension with no test per cell; the cells are then joined row by row.
        columns = [self._column(values, xl_col_to_name(col), numbers, number_styles[col], quote, date_format, dates,
                                shared)
                   for col, values in enumerate(zip(*rows))]
        text = "".join([f'<row r="{number}">{"".join(cells)}</row>' for number, cells in zip(numbers, zip(*columns))])
        compat.xlsx_extend(self, first, 0)
        compat.xlsx_extend(self, first + len(rows) - 1, width - 1)
        self._blocks.append((first, first + len(rows) - 1, text))

    def _column(self, values: Sequence[Any], letter: str, numbers: list[str], number_style: str, quote: str,
                date_format: Callable[[str], Format], dates: dict[Any, str], shared: dict[str, int]) -> list[str]:
        # One column's cells, "" for no cell. The branches for one kind of value (and None) write
        # exactly what the last, general branch writes for those values.
        kinds = set(map(type, values))
        kinds.discard(type(None))
        share, starts = shared.__getitem__, FORMULA_STARTS
        if kinds <= {str}:
            return [f'<c r="{letter}{number}"{quote if value.startswith(starts) else ""} t="s">'
                    f'<v>{share(value)}</v></c>' if value else "" for number, value in zip(numbers, values)]
        if kinds <= {int}:
            return [f'<c r="{letter}{number}"{number_style}><v>{value:.16G}</v></c>' if value is not None else ""
                    for number, value in zip(numbers, values)]
        if kinds <= {int, float}:  # NaN (no cell) and infinity (refused) take the general way
            return [(f'<c r="{letter}{number}"{number_style}><v>{value:.16G}</v></c>' if value - value == 0 else
                     self._other(value, letter + number, number_style, quote, date_format))
                    if value is not None else "" for number, value in zip(numbers, values)]
        if kinds <= {bool}:
            return [f'<c r="{letter}{number}" t="b"><v>{1 if value else 0}</v></c>' if value is not None else ""
                    for number, value in zip(numbers, values)]
        cells: list[str] = []
        add = cells.append
        for number, value in zip(numbers, values):
            kind = value.__class__
            if kind is str:
                add(f'<c r="{letter}{number}"{quote if value.startswith(starts) else ""} t="s">'
                    f'<v>{share(value)}</v></c>' if value else "")
            elif kind is int or (kind is float and value - value == 0):
                add(f'<c r="{letter}{number}"{number_style}><v>{value:.16G}</v></c>')
            elif kind is bool:
                add(f'<c r="{letter}{number}" t="b"><v>{1 if value else 0}</v></c>')
            elif kind is date or kind is datetime:  # repeated a lot (due dates): each converted once
                tail = dates.get(value)
                if tail is None:
                    tail = dates[value] = self._date_tail(value, date_format)
                add(f'<c r="{letter}{number}"{tail}')
            elif value is None:
                add("")
            else:
                add(self._other(value, letter + number, number_style, quote, date_format))
        return cells

    def _other(self, value: Any, ref: str, number_style: str, quote: str,
               date_format: Callable[[str], Format]) -> str:
        value = plain(value)
        if value is None:
            return ""
        value, quote_prefix, _ = constant(value)
        if isinstance(value, str):
            if not value:
                return ""
            index = compat.xlsx_string_indexer(self)(value)
            return f'<c r="{ref}"{quote if quote_prefix else ""} t="s"><v>{index}</v></c>'
        if isinstance(value, bool):
            return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
        if isinstance(value, (int, float)):
            return f'<c r="{ref}"{number_style}><v>{value:.16G}</v></c>'
        return f'<c r="{ref}"{self._date_tail(value, date_format)}'

    def _date_tail(self, value: date | datetime | time, date_format: Callable[[str], Format]) -> str:
        # A date's cell after its reference: its style, its serial number (as XlsxWriter writes it).
        value, _, default_format = constant(plain(value))  # plain: an aware time becomes UTC
        style = _style(date_format(default_format)) if default_format else ""
        return f'{style}><v>{compat.xlsx_date_serial(self, value):.16G}</v></c>'

    def rendered_rows(self) -> list[tuple[int, int]]:
        """The (first, last) rows, 0-based, of every rendered block."""
        return [(first, last) for first, last, _ in self._blocks]

    def forget_rows(self, first: int) -> None:
        """Drop the rendered block that starts at row ``first`` (0-based), so its rows can be
        written as XlsxWriter cells instead (a chart caches the values of the cells it shows,
        and XlsxWriter reads them from its cells only)."""
        self._blocks = [block for block in self._blocks if block[0] != first]

    def write_sheet_rows(self) -> None:
        """Write the sheet's ``<sheetData>`` rows (XlsxWriter calls it when it saves the sheet):
        XlsxWriter writes the rows around the blocks (its own loop, run over each stretch between
        them); each block's text is written in its place."""
        if not self._blocks:
            compat.xlsx_write_rows(self)
            return
        low, high = self.dim_rowmin, self.dim_rowmax
        try:
            start = low
            for first, last, text in sorted(self._blocks):
                if any(self.table.get(row) for row in range(first, last + 1)):
                    raise RuntimeError(f"worksheet {self.name!r}: cells were written over rendered rows "
                                       f"{first + 1}..{last + 1}")
                if start < first:
                    self.dim_rowmin, self.dim_rowmax = start, first - 1
                    compat.xlsx_write_rows(self)
                self.fh.write(text)
                start = last + 1
            if start <= high:
                self.dim_rowmin, self.dim_rowmax = start, high
                compat.xlsx_write_rows(self)
        finally:
            self.dim_rowmin, self.dim_rowmax = low, high


compat.xlsx_route_row_writer(RowsWorksheet, RowsWorksheet.write_sheet_rows)
