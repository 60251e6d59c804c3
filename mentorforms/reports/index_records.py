"""Records rebuilt from the answers the index keeps (:func:`mentorforms.reports.facts.keeps_answers`:
the mentoring-year forms and the network maps), so reports that go record by record open no
workbook. A row that cannot be read back is named as a problem, never trusted: the index is
derived and sits in the data folder."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from mentorforms import messages
from mentorforms.forms import get_form
from mentorforms.reports import record_json
from mentorforms.reports.index import Index
from mentorforms.vocabulary.record import Record, Status


def kept_records(index: Index, where: str, parameters: Sequence[Any], *,
                 join: str = "") -> tuple[list[Record], list[tuple[str, str]]]:
    """The records of the files matching ``where`` (over ``files f``, with ``join`` added to the
    query, such as the roster's TEMP table) that the index keeps answers for, in path order, and
    (file, reason) for each row that could not be read back."""
    records: list[Record] = []
    problems: list[tuple[str, str]] = []
    rows = index.query(
        "SELECT f.path, f.form_id, f.year, f.person_id, f.department, f.status, f.saved_at, f.saved_by, r.body "
        f"FROM files f JOIN f_record r ON r.file_id = f.id {join} WHERE {where} ORDER BY f.path", parameters)
    for path, form_id, year, person_id, department, status, saved_at, saved_by, body in rows:
        form = get_form(form_id, year)
        try:
            answers = record_json.loads(form, body)
            moment = dt.datetime.fromisoformat(saved_at)
            state = Status(status)
        except (ValueError, TypeError, KeyError, AttributeError) as error:
            problems.append((str(index.records_root / path),
                             messages.say(messages.INDEX_ROW_DAMAGED, detail=type(error).__name__)))
            continue
        records.append(Record(form_id, form.version, form.academic_year, person_id, department, state, answers,
                              saved_at=moment, saved_by=saved_by or ""))
    return records, problems
