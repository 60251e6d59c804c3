"""A record's answers as JSON text, for the derived index: what the mentoring-year reports read
(meetings, reviews, checklists, a peer group's season) without opening each workbook again.

The text is driven by the form's declaration: each answer is stored as JSON can hold it (dates
as ISO text, a ticked box with its note as a pair, a signature as its six parts) and read back
by the kind its field declares, so :func:`loads` gives back exactly the canonical values
:mod:`mentorforms.vocabulary.record` describes. Like the rest of the index it is derived: a workbook is
the record, and the text is written again whenever its workbook changes.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from mentorforms.vocabulary.declaration import Field, Form, Kind
from mentorforms.vocabulary.record import CheckNote, Signature


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _plain(item: Field, value: Any) -> Any:
    kind = item.kind
    if value is None:
        return None
    if kind is Kind.DATE:
        return value.isoformat()
    if kind is Kind.CHECK_NOTE:
        return [value.checked, value.note]
    if kind is Kind.SIGNATURE:
        return [value.name, _day(value.date), value.signer_id,
                value.signed_at.isoformat() if value.signed_at is not None else None, value.meaning, value.digest]
    if kind is Kind.TABLE:
        return [{column.id: _plain(column, row.get(column.id)) for column in item.columns} for row in value]
    if kind is Kind.MULTI_CHOICE:
        return list(value)
    return value  # text, numbers, a choice, a tick, ranks (a mapping of ids to numbers)


def _typed(item: Field, value: Any) -> Any:
    kind = item.kind
    if value is None:
        return None
    if kind is Kind.DATE:
        return dt.date.fromisoformat(value)
    if kind is Kind.CHECK_NOTE:
        return CheckNote(bool(value[0]), value[1])
    if kind is Kind.SIGNATURE:
        name, day, signer_id, signed_at, meaning, digest = value
        # A signature always has its date: a row without one is damaged (fromisoformat refuses it).
        return Signature(name, dt.date.fromisoformat(day), signer_id,
                         dt.datetime.fromisoformat(signed_at) if signed_at else None, meaning, digest)
    if kind is Kind.TABLE:
        return tuple({column.id: _typed(column, row.get(column.id)) for column in item.columns} for row in value)
    if kind is Kind.MULTI_CHOICE:
        return tuple(value)
    if kind is Kind.HOURS:
        return float(value)
    if kind is Kind.RANK:
        return {str(choice): int(rank) for choice, rank in value.items()}
    return value


def dumps(form: Form, values: Mapping[str, Any]) -> str:
    """``values`` (canonical answers of ``form``) as JSON text; fields the form does not declare
    are left out (the workbook keeps them)."""
    return json.dumps({field_id: _plain(form.field(field_id), value) for field_id, value in values.items()
                       if form.has_field(field_id)}, separators=(",", ":"), ensure_ascii=False)


def loads(form: Form, text: str) -> dict[str, Any]:
    """The answers :func:`dumps` wrote, typed as ``form`` declares them (an answer to a field it
    no longer declares is dropped)."""
    return {field_id: _typed(form.field(field_id), value) for field_id, value in json.loads(text).items()
            if form.has_field(field_id)}
