"""The figures of a department summary as every view shows them: the dashboard, the printable
report and the export's summary sheets take their tables from here, so they agree.

Hours are rounded to the hundredth, halves up, as stored and as the workbook's ``#,##0.0#`` shows
them (:mod:`mentorforms.reports.numbers`), and every hours table ends in a total row that adds
the shown figures. With ``suppressed`` (a published aggregate, see
:mod:`mentorforms.reports.suppress`) cells of one to four people read ``<5``, and wherever a
total is shown enough other cells read ``n/s`` that no hidden cell can be worked out by
subtraction (:func:`suppress.complementary`).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from mentorforms.reports import coverage, suppress
from mentorforms.reports.numbers import round_hours, shown_total
from mentorforms.reports.summary import LAST_YEAR, THIS_YEAR, Summary

ALL_ROW = "__all__"


def count(value: Any, suppressed: bool) -> Any:
    """A count as shown: itself, or ``<5`` for one to four people when ``suppressed``."""
    value = int(value)
    return suppress.SUPPRESSED if suppressed and suppress.small(value) else value


def completion(summary: Summary, suppressed: bool) -> tuple[dict[str, Any], list[list[Any]], list[Any]]:
    """Conference completion as shown: the totals per state (with the faculty), the rows by
    division ``[division, *states, faculty]`` and the total row ``["All divisions", ...]``."""
    states = list(coverage.COMPLETION_ORDER)
    counts = summary.completion_by_division.reindex(columns=states, fill_value=0)
    total = summary.completion.iloc[0] if len(summary.completion) else pd.Series(0, index=states)
    table = counts.astype(int).copy()
    table["faculty"] = table.sum(axis=1)
    per_state = [int(total.get(state, 0)) for state in states]
    table.loc[ALL_ROW] = [*per_state, sum(per_state)]
    shown = (suppress.shown_with_totals(table, table, total_row=True, total_column=True) if suppressed
             else table.astype(object))
    labels = [division or "(no division)" for division in counts.index]
    rows = [[label, *[_plain(shown.loc[division, column]) for column in [*states, "faculty"]]]
            for label, division in zip(labels, counts.index)]
    last = ["All divisions", *[_plain(shown.loc[ALL_ROW, column]) for column in [*states, "faculty"]]]
    tiles = {state: last[number + 1] for number, state in enumerate(states)}
    tiles["faculty"] = last[-1]
    return tiles, rows, last


def hours(hours_frame: pd.DataFrame, people: pd.DataFrame, suppressed: bool, *,
          people_add_up: bool) -> tuple[list[list[Any]], list[Any]]:
    """Hours this year and last as shown: rows ``[label, this, last, people this, people last]``
    (hours rounded; None where nobody reported) and the total row, which adds the shown hours.
    ``people_add_up``: each person is counted in one row (divisions), so the people total too;
    otherwise (categories: one person reports in several) the total row's people are None."""
    columns = (THIS_YEAR, LAST_YEAR)
    people = people.reindex(index=hours_frame.index, columns=list(columns), fill_value=0).astype(int)
    rows: list[list[Any]] = []
    for key in hours_frame.index:
        values = [None if int(people.loc[key, column]) == 0 else round_hours(hours_frame.loc[key, column])
                  for column in columns]
        rows.append([str(key) or "(no division)", *values, *[int(people.loc[key, column]) for column in columns]])
    total: list[Any] = ["Total", *[shown_total(row[number] for row in rows) for number in (1, 2)],
                        *([int(people[column].sum()) for column in columns] if people_add_up else [None, None])]
    if not suppressed or not rows:
        return rows, total
    counts = people[list(columns)].copy()
    counts.loc["__total__"] = counts.sum()
    # A cell's hours and its people are hidden together; the people of a division add up to the
    # total like its hours do, so the same cells protect both.
    hide = suppress.complementary(counts, total_row=True, total_column=False)
    for number, target in enumerate([*rows, total]):
        for offset, column in enumerate(columns, start=1):
            marker = suppress.SUPPRESSED if suppress.small(int(counts.iloc[number][column])) else suppress.HIDDEN
            if hide.iloc[number][column]:
                target[offset] = marker
                if people_add_up:
                    target[offset + 2] = marker
            if not people_add_up and number < len(rows):
                target[offset + 2] = count(target[offset + 2], True)
    return rows, total


def goals(summary: Summary, suppressed: bool) -> tuple[list[str], list[list[Any]]]:
    """Goal counts by area (rows) and status (columns) as shown; no totals are shown beside them."""
    frame, people = summary.goal_status, summary.goal_status_people
    statuses = list(frame.columns)
    rows = [[area, *[suppress.SUPPRESSED if suppressed and suppress.small(int(people.loc[area, status]))
                     else int(frame.loc[area, status]) for status in statuses]] for area in frame.index]
    return statuses, rows


def people_counts(frame: pd.DataFrame, suppressed: bool) -> list[list[Any]]:
    """``[label, people]`` of a one-column table (promotion outlook, support needed); no total is shown."""
    return [[label, count(value, suppressed)] for label, value in frame["people"].items()]


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value
