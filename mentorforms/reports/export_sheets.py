"""Writing the analyst workbook's sheets: a new sheet, a table on it, and a whole data sheet from a
data frame (the sheets :mod:`mentorforms.reports.export` and :mod:`mentorforms.reports.year_export`
both write)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from mentorforms.reports.export_columns import Column
from mentorforms.reports.sheet import NOTE, BookBackend, Sheet

#: The widest a data sheet's column is made (characters) when its column names no width.
MAX_WIDTH = 60


def new_sheet(book: BookBackend, title: str, names: list[str], *, freeze: str | None = None,
              widths: Sequence[float] = (), chart_col: int = 8) -> Sheet:
    """A new sheet ``title`` in ``book``; ``names`` collects the book's table names (each is unique)."""
    return Sheet(book.sheet(title, freeze=freeze, widths=widths), names, chart_col=chart_col)


def write_table(sheet: Sheet, columns: Sequence[Column], rows: Iterable[Sequence[Any]], name: str) -> tuple[int, int]:
    """Write ``rows`` as an Excel table named ``name`` under ``columns``' headers; its header row and last row."""
    return sheet.table([column.header for column in columns], [column.number_format for column in columns],
                       rows, name)


def frame_rows(frame: pd.DataFrame, columns: Sequence[Column]) -> list[tuple[Any, ...]]:
    """The cells of ``frame``'s ``columns``, row by row."""
    # Column by column (tolist is one pass per column; itertuples indexes every cell of an
    # extension array one by one), then zipped into rows.
    return list(zip(*(frame[column.source].tolist() for column in columns))) if len(frame) else []


def data_sheet(book: BookBackend, title: str, columns: Sequence[Column], frame: pd.DataFrame, name: str,
               tables: list[str], note: str | None = None) -> None:
    """A sheet ``title`` holding ``frame`` as the table ``name``, under a ``note`` if one is given."""
    widths = [column.width or min(MAX_WIDTH, max(10, len(column.header) + 2)) for column in columns]
    sheet = new_sheet(book, title, tables, freeze="A3" if note else "A2", widths=widths)
    if note:
        sheet.text(note, NOTE)
    write_table(sheet, columns, frame_rows(frame, columns), name)
