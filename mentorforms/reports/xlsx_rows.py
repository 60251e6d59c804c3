"""A table's data rows written straight to worksheet XML: the export's fast path for large blocks.

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

This relies on three internals of XlsxWriter 3.x, each pinned by
``tests/test_reports_export_rows.py`` and the writer comparison tests: the worksheet writes its
``<sheetData>`` rows in ``_write_rows`` from ``dim_rowmin`` to ``dim_rowmax`` through ``self.fh``;
``_check_dimensions`` records a cell's extent; text is shared through ``str_table``.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any, Callable, Sequence

from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from mentorforms.reports.sheet import plain
from mentorforms.safe_cell import FORMULA_STARTS, constant


def _style(cell_format: Format | None) -> str:
    # Assigning the index now is what XlsxWriter's constant-memory mode does when it writes a row.
    return f' s="{cell_format._get_xf_index()}"' if cell_format is not None else ""


class RowsWorksheet(Worksheet):
    """An XlsxWriter worksheet that also writes whole blocks of table rows as rendered XML."""

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
        names = [xl_col_to_name(col) for col in range(width)]
        number_styles = [_style(cell_format) for cell_format in number_formats]
        number_styles += [""] * (width - len(number_styles))
        quote = _style(quoted)
        share = self.str_table._get_shared_string_index
        starts = FORMULA_STARTS
        dates: dict[date | datetime, str] = {}
        out: list[str] = []
        add = out.append
        for offset, values in enumerate(rows):
            number = str(first + offset + 1)
            add(f'<row r="{number}">')
            for col, value in enumerate(values):
                kind = value.__class__
                if kind is str:
                    if value:
                        add(f'<c r="{names[col]}{number}"{quote if value.startswith(starts) else ""} t="s">'
                            f'<v>{share(value)}</v></c>')
                elif kind is int or (kind is float and value - value == 0):  # NaN and inf: below
                    add(f'<c r="{names[col]}{number}"{number_styles[col]}><v>{value:.16G}</v></c>')
                elif kind is bool:
                    add(f'<c r="{names[col]}{number}" t="b"><v>{1 if value else 0}</v></c>')
                elif kind is date or kind is datetime:  # repeated a lot (due dates): each converted once
                    tail = dates.get(value)
                    if tail is None:
                        tail = dates[value] = self._date_tail(value, date_format)
                    add(f'<c r="{names[col]}{number}"{tail}')
                elif value is not None:
                    cell = self._other(value, f"{names[col]}{number}", number_styles[col], quote, date_format)
                    if cell:
                        add(cell)
            add("</row>")
        last = first + len(rows) - 1
        self._check_dimensions(first, 0)
        self._check_dimensions(last, width - 1)
        self._blocks.append((first, last, "".join(out)))

    def _other(self, value: Any, ref: str, number_style: str, quote: str,
               date_format: Callable[[str], Format]) -> str:
        value = plain(value)
        if value is None:
            return ""
        value, quote_prefix, default_format = constant(value)
        if isinstance(value, str):
            if not value:
                return ""
            return f'<c r="{ref}"{quote if quote_prefix else ""} t="s"><v>{self.str_table._get_shared_string_index(value)}</v></c>'
        if isinstance(value, bool):
            return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
        if isinstance(value, (int, float)):
            return f'<c r="{ref}"{number_style}><v>{value:.16G}</v></c>'
        return f'<c r="{ref}"{self._date_tail(value, date_format)}'

    def _date_tail(self, value: date | datetime | time, date_format: Callable[[str], Format]) -> str:
        # A date's cell after its reference: its style, its serial number (as XlsxWriter writes it).
        value, _, default_format = constant(plain(value))  # plain: an aware time becomes UTC
        style = _style(date_format(default_format)) if default_format else ""
        return f'{style}><v>{self._convert_date_time(value):.16G}</v></c>'

    def rendered_rows(self) -> list[tuple[int, int]]:
        """The (first, last) rows, 0-based, of every rendered block."""
        return [(first, last) for first, last, _ in self._blocks]

    def forget_rows(self, first: int) -> None:
        """Drop the rendered block that starts at row ``first`` (0-based), so its rows can be
        written as XlsxWriter cells instead (a chart caches the values of the cells it shows,
        and XlsxWriter reads them from its cells only)."""
        self._blocks = [block for block in self._blocks if block[0] != first]

    def _write_rows(self) -> None:
        # XlsxWriter writes the rows around the blocks (its own loop, run over each stretch
        # between them); each block's text is written in its place.
        if not self._blocks:
            super()._write_rows()
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
                    super()._write_rows()
                self.fh.write(text)
                start = last + 1
            if start <= high:
                self.dim_rowmin, self.dim_rowmax = start, high
                super()._write_rows()
        finally:
            self.dim_rowmin, self.dim_rowmax = low, high
