"""The small-cell rule for breakdowns shown outside a chair's own department.

A chair looking at their own department sees every number and every name. Any other view (an
analyst's dashboard, a chair looking across departments) shows a breakdown cell only when it
counts no one or at least :data:`MIN_PEOPLE` people; a cell of one to four people reads
:data:`SUPPRESSED`, and the names behind the numbers are not listed (as REDCap does for its
dashboards). Amounts (hours) are suppressed by the number of people they add up.
"""

from __future__ import annotations

from typing import Iterable, Sequence

import pandas as pd

from mentorforms.identity import Viewer

MIN_PEOPLE = 5
SUPPRESSED = "<5"


def applies(viewer: Viewer, departments: Iterable[str]) -> bool:
    """True unless ``viewer`` is a chair looking at exactly their own department."""
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
