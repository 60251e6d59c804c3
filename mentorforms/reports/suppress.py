"""Who sees individual-level figures, and the small-cell rule for everyone else.

Individual-level (every name, every exact count), the same in the dashboard, the export and the
printable report of that role:

* a **chair** (or their designee) in their own department: they hold its conferences;
* a **faculty-affairs analyst** in every department: the office chases late conferences by name,
  and the export it works from lists them.

Everything else is an aggregate: a published report (``mentorforms report --published``, the
analyst page's "for circulation" choice) and any view of departments other than a chair's own.
There a breakdown cell counting one to four people reads :data:`SUPPRESSED`, no names are
listed, and wherever a total is shown beside cells (a row's total, a column's, the faculty
count), enough other cells read :data:`HIDDEN` that no suppressed cell equals a total minus
shown cells (:func:`complementary`). Amounts (hours) are suppressed by the people they add up.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from mentorforms.rules.identity import Viewer

MIN_PEOPLE = 5
SUPPRESSED = "<5"


def applies(viewer: Viewer, departments: Iterable[str]) -> bool:
    """True unless ``viewer`` may see ``departments`` individual-level: an analyst (every
    department), or a chair looking at exactly their own department."""
    if viewer.is_analyst:
        return False
    shown = tuple(sorted(set(departments)))
    return not (viewer.is_chair and shown == (viewer.person.department,))


def small(count: int | float) -> bool:
    """True for a cell that counts too few people to show (one to four)."""
    return 0 < count < MIN_PEOPLE


def counts(frame: pd.DataFrame, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """A copy of a table of people counts with every cell of one to four people replaced by
    :data:`SUPPRESSED` (``columns``: which columns are counts; default all)."""
    out = frame.astype(object).copy()
    for column in columns if columns is not None else out.columns:
        out[column] = [SUPPRESSED if small(value) else int(value) for value in frame[column]]
    return out


def values(frame: pd.DataFrame, people: pd.DataFrame, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """A copy of a table of amounts (hours, say) where each cell is suppressed when the matching
    cell of ``people`` (same index and columns) counts one to four people."""
    out = frame.astype(object).copy()
    for column in columns if columns is not None else out.columns:
        people_column = people[column] if column in people else pd.Series(0, index=frame.index)
        out[column] = [SUPPRESSED if small(people_column.get(key, 0)) else value
                       for key, value in zip(frame.index, frame[column])]
    return out


def mask_numbers(numbers: Iterable[float], people: Iterable[int]) -> list[float | None]:
    """Each number, or None where its people count is too small (for charts: the bar is left out)."""
    return [None if small(count) else number for number, count in zip(numbers, people)]


#: A cell hidden although it counts five or more, so that a small cell cannot be worked out from
#: the totals shown beside it (complementary suppression).
HIDDEN = "n/s"
COMPLEMENT_NOTE = (f"{SUPPRESSED}: one to {MIN_PEOPLE - 1} people; {HIDDEN}: not shown, so that those cells cannot "
                   "be worked out from the totals.")


def complementary(people: pd.DataFrame, *, total_row: bool, total_column: bool,
                  hidden: pd.DataFrame | None = None) -> pd.DataFrame:
    """Which cells of a table to hide (True) when its totals are shown: every cell counting one
    to four people (or ``hidden``, when given), and then, as long as some line, a row with its
    total in the last column (``total_column``) or a column with its total in the last row
    (``total_row``), has exactly one hidden cell, the smallest shown cell of that line too (its
    total if nothing else is left). No hidden cell then equals a total minus shown cells.

    ``people`` holds the people counted by each cell, totals included (the last row and/or
    column). Cells of zero people count as shown values like any other.
    """
    counts = people.to_numpy(dtype=float)
    mask = (hidden.to_numpy(dtype=bool).copy() if hidden is not None
            else ((counts > 0) & (counts < MIN_PEOPLE)))
    rows, columns = counts.shape
    lines: list[list[tuple[int, int]]] = []
    if total_column and columns > 1:
        lines += [[(row, column) for column in range(columns)] for row in range(rows)]
    if total_row and rows > 1:
        lines += [[(row, column) for row in range(rows)] for column in range(columns)]
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(mask[cell] for cell in line) != 1:
                continue
            parts = [cell for cell in line[:-1] if not mask[cell]]
            choice = min(parts, key=lambda cell: counts[cell]) if parts else line[-1]
            mask[choice] = True
            changed = True
    return pd.DataFrame(mask, index=people.index, columns=people.columns)


def shown_with_totals(values: pd.DataFrame, people: pd.DataFrame, *, total_row: bool,
                      total_column: bool) -> pd.DataFrame:
    """``values`` (totals included, as in :func:`complementary`) with every small cell read
    :data:`SUPPRESSED` and every cell hidden to protect them :data:`HIDDEN`."""
    small_cells = people.map(lambda count: small(count))
    hide = complementary(people, total_row=total_row, total_column=total_column)
    out = values.astype(object).copy()
    for row in range(out.shape[0]):
        for column in range(out.shape[1]):
            if hide.iat[row, column]:
                out.iat[row, column] = SUPPRESSED if small_cells.iat[row, column] else HIDDEN
    return out
