"""The layout of the analyst workbook's sheets, apart from the library that writes the file.

:mod:`mentorforms.reports.export` says *what* goes where (rows of cells, Excel tables, charts,
print setup) through :class:`Sheet`; a backend (:mod:`~mentorforms.reports.xlsx_fast`, the
default, or :mod:`~mentorforms.reports.xlsx_openpyxl`) writes it. Both backends store every
value through :mod:`mentorforms.workbooks.safe_cell`, so user text never becomes a formula or a link.

Charts are placed here, not by the backend: every chart of a sheet sits in one column to the
right of the widest table, stacked top to bottom with a blank row between, so no chart covers a
table or another chart. Row and column sizes are Excel's defaults (a row is 20 pixels).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import pandas as pd

#: Height of a default row in pixels (15 points at 96 dpi).
ROW_PX = 20
#: Pixels per centimetre at 96 dpi (openpyxl sizes charts in centimetres).
PX_PER_CM = 96 / 2.54
TABLE_STYLE = "TableStyleMedium2"


@dataclass(frozen=True)
class Style:
    """How a cell's text looks (fonts and fills the export uses)."""

    bold: bool = False
    italic: bool = False
    size: float | None = None
    color: str | None = None
    fill: str | None = None
    wrap: bool = False


PLAIN = Style()
TITLE = Style(bold=True, size=14)
HEADING = Style(bold=True, size=12)
BOLD = Style(bold=True)
NOTE = Style(italic=True, color="555555")


@dataclass(frozen=True)
class Cell:
    """One value to write (already :func:`plain`), its style and number format (numbers only)."""

    value: Any
    style: Style = PLAIN
    number_format: str | None = None


@dataclass(frozen=True)
class ChartSpec:
    """A native bar chart of a block of a sheet: series are the columns ``first_col..last_col``
    (1-based) of rows ``header_row`` (the series names) to ``last_row``, categories column A.
    ``horizontal``: bars (categories down the side) rather than columns."""

    title: str
    value_axis: str | None
    header_row: int
    last_row: int
    first_col: int
    last_col: int
    horizontal: bool
    stacked: bool
    width_px: int
    height_px: int
    anchor_col: int = 0  # 1-based; set by Sheet.chart
    anchor_row: int = 0

    @property
    def rows_spanned(self) -> int:
        return math.ceil(self.height_px / ROW_PX)


@dataclass(frozen=True)
class TableSpec:
    """An Excel table (filter buttons, banded rows) over ``first_row..last_row`` (1-based) and
    the first ``len(headers)`` columns."""

    name: str
    headers: tuple[str, ...]
    first_row: int
    last_row: int

    @property
    def ref(self) -> str:
        from openpyxl.utils import get_column_letter
        return f"A{self.first_row}:{get_column_letter(len(self.headers))}{self.last_row}"


@dataclass(frozen=True)
class PrintSetup:
    """Landscape, fit to one page wide, rows ``1..repeat_rows`` on every page, and a header and
    footer naming the sheet (``&A``) and the report."""

    repeat_rows: int
    header: str
    footer: str


class SheetBackend(Protocol):
    """What a writing library must do for one worksheet (rows are 1-based, in order)."""

    def write_row(self, row: int, cells: Sequence[Cell | None]) -> None: ...
    def write_values(self, row: int, values: Sequence[Any], number_formats: Sequence[str | None]) -> None:
        """A table's data row: raw values (to pass through :func:`plain`), unstyled, and each
        column's number format (for numbers)."""
    def write_block(self, row: int, rows: Sequence[Sequence[Any]], number_formats: Sequence[str | None]) -> None:
        """A table's data rows from ``row`` on, each as :meth:`write_values` writes it."""
    def add_table(self, table: TableSpec, header: Sequence[Cell]) -> None: ...
    def add_chart(self, chart: ChartSpec) -> None: ...
    def print_setup(self, setup: PrintSetup) -> None: ...


class BookBackend(Protocol):
    """What a writing library must do for the workbook (made with the path or binary file it
    writes to; :meth:`close` writes it)."""

    def sheet(self, title: str, *, freeze: str | None, widths: Sequence[float]) -> SheetBackend: ...
    def close(self) -> None: ...


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
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def cell(value: Any, style: Style = PLAIN, number_format: str | None = None) -> Cell:
    """A cell for ``value``; ``number_format`` applies to numbers only (dates get theirs from
    :func:`mentorforms.workbooks.safe_cell.constant`)."""
    value = plain(value)
    if number_format and not (isinstance(value, (int, float)) and not isinstance(value, bool)):
        number_format = None
    return Cell(value, style, number_format)


@dataclass
class Sheet:
    """A worksheet being written top to bottom: which row it is on, its tables and charts."""

    backend: SheetBackend
    table_names: list[str]
    chart_col: int = 8
    row: int = 0
    tables: list[TableSpec] = field(default_factory=list)
    charts: list[ChartSpec] = field(default_factory=list)
    _chart_bottom: int = 0

    def append(self, cells: Sequence[Cell | None]) -> int:
        self.row += 1
        self.backend.write_row(self.row, cells)
        return self.row

    def text(self, value: str, style: Style = PLAIN) -> int:
        return self.append([cell(value, style)])

    def blank(self) -> None:
        self.append([])

    def table(self, headers: Sequence[str], formats: Sequence[str | None], rows: Iterable[Sequence[Any]],
              name: str, empty: str = "(none)") -> tuple[int, int]:
        """Write a header and rows as an Excel table; returns (header row, last row)."""
        header = [cell(text, BOLD) for text in headers]
        header_row = self.append(header)
        rows = rows if isinstance(rows, list) else list(rows)
        self.backend.write_block(self.row + 1, rows, list(formats))
        self.row += len(rows)
        written = len(rows)
        if written == 0:
            self.append([cell(empty, NOTE)])
        spec = TableSpec(f"{name}_{len(self.table_names) + 1}", tuple(headers), header_row, self.row)
        self.table_names.append(spec.name)
        self.tables.append(spec)
        self.backend.add_table(spec, header)
        return header_row, self.row

    def chart(self, chart: ChartSpec) -> ChartSpec:
        """Place ``chart`` in the sheet's chart column, beside its data's header row or below the
        chart above it (with a blank row between), whichever is lower."""
        top = max(chart.header_row, self._chart_bottom + 2 if self._chart_bottom else 0)
        placed = ChartSpec(**{**chart.__dict__, "anchor_col": self.chart_col, "anchor_row": top})
        self._chart_bottom = top + placed.rows_spanned - 1
        self.charts.append(placed)
        self.backend.add_chart(placed)
        return placed
