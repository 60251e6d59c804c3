"""Hypothesis strategies that draw canonical answers for any form from its declaration alone."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from mentorforms.vocabulary.declaration import Field, Form, Kind
from mentorforms.vocabulary.record import CheckNote, Signature

#: Text a user might type that has caught spreadsheet programs before: formula starts, right-to-left
#: scripts, emoji with joiners, combining marks, leading and trailing spaces, line breaks.
AWKWARD_TEXT = st.sampled_from([
    "=HYPERLINK(\"http://evil.example\",\"click\")", "=1+1", "+SUM(A1:A9)", "-2+3", "@cmd", "=cmd|' /C calc'!A0",
    "محمد عبد الله", "שלום עולם", "👩🏽‍⚕️ Dr. Zoë Ünal 🧬", "e\u0301cole", "  leading and trailing  ",
    "line one\nline two", "tab\tinside", "0012", "TRUE", "1e5", "2025-01-01", "&amp; <b>not html</b>",
])
_ALPHABET = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Cn"))
_PLAIN_TEXT = st.text(alphabet=_ALPHABET, min_size=1, max_size=60)


def text() -> st.SearchStrategy[str]:
    return st.one_of(AWKWARD_TEXT, _PLAIN_TEXT).filter(lambda value: value.strip() != "")


_DATES = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2100, 12, 31))


def cell_value(item: Field) -> st.SearchStrategy[Any]:
    kind = item.kind
    if kind in (Kind.SHORT_TEXT, Kind.LONG_TEXT):
        return text()
    if kind is Kind.HOURS:
        return st.floats(min_value=0, max_value=item.max_value or 1e6, allow_nan=False, allow_infinity=False).map(
            lambda hours: round(hours, 2))
    if kind is Kind.WHOLE_NUMBER:
        return st.integers(min_value=int(item.min_value or 0), max_value=int(item.max_value or 10**6))
    if kind is Kind.DATE:
        return _DATES
    if kind is Kind.CHOICE:
        return st.sampled_from(item.choice_ids)
    if kind is Kind.CHECK:
        return st.just(True)
    raise AssertionError(kind)


def value(item: Field) -> st.SearchStrategy[Any]:
    """A canonical, non-empty value of ``item`` (see mentorforms.vocabulary.record for the types)."""
    kind = item.kind
    if kind is Kind.MULTI_CHOICE:
        return st.sets(st.sampled_from(item.choice_ids), min_size=1).map(
            lambda chosen: tuple(choice for choice in item.choice_ids if choice in chosen))
    if kind is Kind.CHECK_NOTE:
        return st.builds(CheckNote, st.booleans(), st.one_of(st.none(), text())).filter(
            lambda note: note.checked or note.note is not None)
    if kind is Kind.RANK:
        ids = item.choice_ids
        return st.permutations(range(1, len(ids) + 1)).map(lambda ranks: dict(zip(ids, ranks)))
    if kind is Kind.TABLE:
        row = st.fixed_dictionaries({column.id: st.one_of(st.none(), cell_value(column)) for column in item.columns})
        row = row.filter(lambda cells: any(cell is not None for cell in cells.values()))
        return st.lists(row, min_size=1, max_size=min(item.max_rows, 4)).map(tuple)
    if kind is Kind.SIGNATURE:
        return st.builds(Signature, text(), st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date.today()))
    return cell_value(item)


def values(form: Form) -> st.SearchStrategy[dict[str, Any]]:
    """Canonical values for ``form``: any subset of its fields answered."""
    return st.fixed_dictionaries({}, optional={item.id: value(item) for item in form.fields()})
