"""Complete answers for every form, derived from the declarations, for the page tests.

``complete_answers(form)`` gives a valid submission (without signatures) touching every field,
with text that is easy to get wrong: accents, right-to-left script, quotes, angle brackets, line
breaks, and text that starts like a formula.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mentorforms.vocabulary.academic_year import AcademicYear

from mentorforms.vocabulary.declaration import Field, Form, Kind
from mentorforms.vocabulary.record import CheckNote

TRICKY = ("Zoë O'Brien <b>&</b> \"quoted\"", "محمد — naïve café", "+1 plan: line one\nline two", "=1+2 as text")


def _text(item: Field, index: int) -> str:
    base = TRICKY[index % len(TRICKY)]
    if item.kind is Kind.SHORT_TEXT:
        base = base.replace("\n", " ")
    return f"{item.label[:30]} · {base}"


def answer(item: Field, index: int, year_start: int) -> Any:
    """A valid, non-empty answer to ``item`` (``index`` varies the text)."""
    kind = item.kind
    if kind in (Kind.SHORT_TEXT, Kind.LONG_TEXT):
        return _text(item, index)
    if kind is Kind.HOURS:
        top = item.max_value or 100
        return float(min(top, 10 + index * 2.5))
    if kind is Kind.WHOLE_NUMBER:
        low = int(item.min_value or 0)
        high = int(item.max_value or low + 100)
        return min(high, max(low, 12))
    if kind is Kind.DATE:
        return dt.date(year_start, 9, 1) + dt.timedelta(days=index)
    if kind is Kind.CHOICE:
        return item.choices[index % len(item.choices)].id
    if kind is Kind.MULTI_CHOICE:
        return tuple(choice.id for position, choice in enumerate(item.choices) if position % 2 == 0)
    if kind is Kind.CHECK:
        return True
    if kind is Kind.CHECK_NOTE:
        return CheckNote(True, f"Note for {item.label[:20]}")
    if kind is Kind.RANK:
        ids = list(item.choice_ids)
        return {choice_id: rank for rank, choice_id in enumerate(reversed(ids), start=1)}
    if kind is Kind.TABLE:
        count = max(item.min_rows, min(2, item.max_rows))
        return tuple({column.id: answer(column, index + row, year_start) for column in item.columns}
                     for row in range(count))
    raise ValueError(f"no sample answer for {kind}")


def complete_answers(form: Form) -> dict[str, Any]:
    """Answers to every field except signatures; valid for submission."""
    values = {}
    for index, item in enumerate(form.fields()):
        if item.kind is Kind.SIGNATURE:
            continue
        values[item.id] = answer(item, index, form.academic_year.start)
    return values


def newest_year(root) -> AcademicYear:
    """The newest academic year that has records in the data folder ``root`` (the demo's current one)."""
    from pathlib import Path

    from mentorforms.vocabulary.academic_year import AcademicYear

    years = [AcademicYear.parse(path.name) for path in (Path(root) / "records").iterdir() if path.is_dir()]
    return max(years)
