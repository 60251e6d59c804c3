"""Checking answers against a form's declaration, with pydantic models derived from it.

Two levels: :func:`check_draft` accepts anything a workbook can hold exactly (a draft may be
incomplete or wrong), :func:`check_submission` everything the form requires. Both return the
canonical values (see :mod:`mentorforms.vocabulary.record`) and raise :class:`ValidationFailed` listing
every problem, each naming its field (and row and column for tables) in plain words.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Mapping
from functools import lru_cache
from typing import Annotated, Any, Literal, Optional

import pydantic
from pydantic import AfterValidator, BaseModel, ConfigDict, create_model
from pydantic import Field as PydanticField
from pydantic.json_schema import JsonDict
from pydantic_core import PydanticCustomError

from mentorforms import messages
from mentorforms.errors import FieldProblem, ValidationFailed
from mentorforms.rules.validation_messages import problems_from
from mentorforms.vocabulary.declaration import Field, Form, Kind
from mentorforms.vocabulary.limits import EARLIEST_DATE, LATEST_DATE, SIGNATURE_DATE, Limits, limits
from mentorforms.vocabulary.record import CheckNote, Signature
from mentorforms.vocabulary.rounding import halves_up
from mentorforms.workbooks.safe_cell import clean_text, text_problem

#: Re-exported: the dates a record holds are part of the vocabulary's limits.
__all__ = ["EARLIEST_DATE", "LATEST_DATE", "check_draft", "check_submission", "form_model", "is_signed", "normalise",
           "problems"]


# --------------------------------------------------------------------------- normalising


def normalise(form: Form, values: Mapping[str, Any]) -> dict[str, Any]:
    """Canonical values: empty answers dropped, control characters removed from text, choices in
    declaration order, table rows with every column. Values of unknown fields are dropped.

    Values of the wrong type are passed through unchanged for validation to report.
    """
    result: dict[str, Any] = {}
    for item in form.fields():
        if item.id in values:
            value = _normalise_value(item, values[item.id])
            if value is not None:
                result[item.id] = value
    return result


def _is_blank_text(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _normalise_value(item: Field, value: Any) -> Any:
    kind = item.kind
    if value is None:
        return None
    if kind in (Kind.SHORT_TEXT, Kind.LONG_TEXT):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = _number_text(value)
        if isinstance(value, str):
            value = clean_text(value)
            return None if not value.strip() else value
        return value
    if kind is Kind.HOURS:
        if isinstance(value, str):
            return None if not value.strip() else value.strip()
        if isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        if isinstance(value, float):
            # Hours are kept to the hundredth, halves up (mentorforms.vocabulary.rounding): finer digits are
            # noise, and a spreadsheet keeps only about 15 significant digits.
            return None if math.isnan(value) else (halves_up(value) if math.isfinite(value) else value)
        return value
    if kind is Kind.WHOLE_NUMBER:
        if isinstance(value, str):
            return None if not value.strip() else value.strip()
        if isinstance(value, float) and math.isnan(value):
            return None
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return value
    if kind is Kind.DATE:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, str):
            return None if not value.strip() else value.strip()
        return value
    if kind is Kind.CHOICE:
        return None if _is_blank_text(value) else value
    if kind is Kind.MULTI_CHOICE:
        if isinstance(value, str):
            value = (value,)
        if not isinstance(value, (list, tuple, set, frozenset)):
            return value
        chosen = set(value)
        ordered = tuple(choice_id for choice_id in item.choice_ids if choice_id in chosen)
        ordered += tuple(sorted(str(other) for other in chosen if other not in item.choice_ids))
        return ordered or None
    if kind is Kind.CHECK:
        return True if value is True else (None if value is False else value)
    if kind is Kind.CHECK_NOTE:
        if isinstance(value, Mapping):
            value = CheckNote(bool(value.get("checked")), value.get("note"))
        if isinstance(value, CheckNote):
            note = value.note
            if isinstance(note, str):
                note = clean_text(note)
                note = note if note.strip() else None
            if not value.checked and note is None:
                return None
            return CheckNote(bool(value.checked), note)
        return value
    if kind is Kind.RANK:
        if isinstance(value, Mapping):
            ranks = {key: rank for key, rank in value.items() if rank is not None and rank != ""}
            ranks = {key: int(rank) if isinstance(rank, float) and rank.is_integer() else rank
                     for key, rank in ranks.items()}
            by_choice = {choice_id: ranks[choice_id] for choice_id in item.choice_ids if choice_id in ranks}
            by_choice.update({key: rank for key, rank in ranks.items() if key not in by_choice})
            return by_choice or None
        return value
    if kind is Kind.TABLE:
        if not isinstance(value, (list, tuple)):
            return value
        rows = []
        for row in value:
            if not isinstance(row, Mapping):
                rows.append(row)
                continue
            cells = {column.id: _normalise_value(column, row.get(column.id)) for column in item.columns}
            if any(cell is not None for cell in cells.values()):
                rows.append(cells)
        return tuple(rows) or None
    if kind is Kind.SIGNATURE:
        if isinstance(value, Mapping):
            value = Signature(value.get("name"), value.get("date"))  # the types are checked below
        if isinstance(value, Signature):
            typed: str | None = clean_text(value.name) if isinstance(value.name, str) else value.name
            name = None if _is_blank_text(typed) else typed
            when = value.date.date() if isinstance(value.date, dt.datetime) else value.date
            if name is None and when is None:
                return None
            # A draft's signature may be half given (a date, no name): the model reports it.
            return dataclasses.replace(value, name=name, date=when)
        return value
    raise AssertionError(f"unhandled kind {kind}")  # every Kind is handled above


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)


# --------------------------------------------------------------------------- pydantic models


def _stored_text(value: str) -> str:
    problem = text_problem(value)
    if problem:
        raise PydanticCustomError("mf_text", messages.ANSWER_TEXT_UNSTORABLE, {"reason": problem})
    return value


def _dated(bounds: Limits) -> Any:
    """A date within ``bounds`` (the vocabulary's limits of a date)."""

    def within(value: dt.date) -> dt.date:
        if (bounds.earliest and value < bounds.earliest) or (bounds.latest and value > bounds.latest):
            raise PydanticCustomError("mf_date", messages.ANSWER_DATE_OUT_OF_RANGE)
        if bounds.not_future and value > dt.date.today():
            raise PydanticCustomError("mf_future", messages.ANSWER_SIGNED_IN_FUTURE)
        return value

    return Annotated[dt.date, AfterValidator(within)]


Text = Annotated[str, pydantic.Strict(), AfterValidator(_stored_text)]
RealDate = _dated(Limits(earliest=EARLIEST_DATE, latest=LATEST_DATE))


class _CheckNoteModel(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    checked: bool
    note: Text | None = None


def _signature_model(submitting: bool) -> type[BaseModel]:
    date_type = _dated(SIGNATURE_DATE)
    if submitting:
        return create_model("SignatureModel", __config__=ConfigDict(strict=True),
                            name=(Text, ...), date=(date_type, ...))
    return create_model("DraftSignatureModel", __config__=ConfigDict(strict=True),
                        name=(Text | None, None), date=(Optional[date_type], None))  # noqa: UP045


def _one_of(bounds: Limits) -> Any:
    """The type of one of the choices in ``bounds``."""
    return Literal[tuple(choice.id for choice in bounds.choices)]


def _annotation(item: Field, submitting: bool) -> Any:
    kind = item.kind
    bounds = limits(item)
    if kind in (Kind.SHORT_TEXT, Kind.LONG_TEXT):
        if bounds.max_length:
            return Annotated[Text, PydanticField(max_length=bounds.max_length)]
        return Text
    if kind in (Kind.HOURS, Kind.WHOLE_NUMBER):
        base: Any = Annotated[float, pydantic.Strict(False), PydanticField(allow_inf_nan=False)] \
            if kind is Kind.HOURS else int
        # One rule for drafts and submissions: a draft may be incomplete, never wrong.
        return Annotated[base, PydanticField(ge=bounds.low, le=bounds.high)]
    if kind is Kind.DATE:
        return _dated(bounds)
    if kind is Kind.CHOICE:
        return _one_of(bounds)
    if kind is Kind.MULTI_CHOICE:
        one_of = _one_of(bounds)
        return tuple[one_of, ...]  # type: ignore[valid-type]  # built at run time from the declaration
    if kind is Kind.CHECK:
        return Annotated[bool, pydantic.Strict()]
    if kind is Kind.CHECK_NOTE:
        return _CheckNoteModel
    if kind is Kind.RANK:
        rank_of = _one_of(bounds)
        ranked = Annotated[int, pydantic.Strict(), PydanticField(ge=bounds.low, le=bounds.high)]
        return dict[rank_of, ranked]  # type: ignore[valid-type]  # built at run time from the declaration
    if kind is Kind.TABLE:
        row_model = _row_model(item, submitting)
        rows: dict[str, Any] = {"max_length": item.max_rows}
        if submitting and item.min_rows:
            rows["min_length"] = item.min_rows
        return Annotated[tuple[row_model, ...], PydanticField(**rows)]  # type: ignore[valid-type]
    if kind is Kind.SIGNATURE:
        return _signature_model(submitting)
    raise AssertionError(f"unhandled kind {kind}")


def _row_model(table: Field, submitting: bool) -> type[BaseModel]:
    fields: dict[str, Any] = {}
    for column in table.columns:
        annotation = _annotation(column, submitting)
        if submitting and column.required:
            fields[column.id] = (annotation, ...)
        else:
            fields[column.id] = (Optional[annotation], None)  # noqa: UP045 -- built at run time
    return create_model(f"{table.id}_row", __config__=ConfigDict(extra="forbid"), **fields)


@lru_cache(maxsize=64)
def form_model(form: Form, submitting: bool) -> type[BaseModel]:
    """The pydantic model of ``form``'s values for a submission (``submitting``) or a draft.

    Each model field carries the declaration's label, help and LCME flag as schema metadata.
    """
    fields: dict[str, Any] = {}
    for item in form.fields():
        annotation = _annotation(item, submitting)
        extra: JsonDict = {"label": item.label, "lcme": item.lcme, "kind": item.kind.value}
        required = submitting and item.required
        default: Any = ... if required else None
        fields[item.id] = (
            annotation if required else Optional[annotation],  # noqa: UP045 -- built at run time
            PydanticField(default, title=item.label, description=item.help or None, json_schema_extra=extra),
        )
    name = f"{form.id}_v{form.version}_{form.academic_year.start}_{'submission' if submitting else 'draft'}"
    return create_model(name, __config__=ConfigDict(extra="forbid"), **fields)


# --------------------------------------------------------------------------- cross-field rules


def _rule_problems(form: Form, values: Mapping[str, Any], submitting: bool) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    for item in form.fields():
        value = values.get(item.id)
        if item.kind is Kind.RANK and isinstance(value, Mapping):
            seen: set[int] = set()
            repeated = None
            for choice_id, rank in value.items():
                if rank in seen and repeated is None:
                    repeated = choice_id
                seen.add(rank)
            if repeated is not None:
                problems.append(FieldProblem(item.id, item.label, messages.ANSWER_RANK_REPEATED,
                                             item=repeated))
            elif submitting and value and len(value) < len(item.choices):
                problems.append(FieldProblem(
                    item.id, item.label, messages.say(messages.ANSWER_RANK_INCOMPLETE, count=len(item.choices))))
        if submitting and item.required_when:
            other, triggers = item.required_when
            if values.get(other) in triggers and item.id not in values:
                trigger_label = form.field(other).choice_label(values[other])
                problems.append(FieldProblem(item.id, item.label,
                                             messages.say(messages.ANSWER_REQUIRED_WHEN, choice=trigger_label)))
    if submitting:
        for message, ids in form.require_any:
            if not any(field_id in values for field_id in ids):
                first = form.field(ids[0])
                problems.append(FieldProblem(first.id, first.label, message))
    return problems


def _check(form: Form, values: Mapping[str, Any], submitting: bool) -> dict[str, Any]:
    canonical = normalise(form, values)
    problems: list[FieldProblem] = []
    try:
        form_model(form, submitting).model_validate(_as_plain(canonical))
    except pydantic.ValidationError as error:
        problems.extend(problems_from(form, error))
    problems.extend(_rule_problems(form, canonical, submitting))
    if problems:
        order = {field_id: index for index, field_id in enumerate(form.field_ids)}
        problems.sort(key=lambda problem: (order[problem.field_id], problem.row or 0))
        raise ValidationFailed(problems)
    return canonical


def _as_plain(values: Mapping[str, Any]) -> dict[str, Any]:
    """Values as pydantic expects them: dataclasses become dicts."""
    plain = {}
    for key, value in values.items():
        if isinstance(value, CheckNote):
            value = {"checked": value.checked, "note": value.note}
        elif isinstance(value, Signature):
            value = {"name": value.name, "date": value.date}
        elif isinstance(value, tuple) and value and all(isinstance(row, Mapping) for row in value):
            # Empty cells are left out so that a required column reports "required".
            value = tuple({column: cell for column, cell in row.items() if cell is not None} for row in value)
        plain[key] = value
    return plain


def check_draft(form: Form, values: Mapping[str, Any]) -> dict[str, Any]:
    """Canonical values fit to save as a draft; ValidationFailed if something cannot be stored as
    typed (text too long or with broken characters, a value of the wrong kind, negative hours)."""
    return _check(form, values, submitting=False)


def check_submission(form: Form, values: Mapping[str, Any]) -> dict[str, Any]:
    """Canonical values fit to submit; ValidationFailed listing every problem otherwise."""
    return _check(form, values, submitting=True)


def problems(form: Form, values: Mapping[str, Any], *, submitting: bool = True) -> list[FieldProblem]:
    """Every problem with ``values`` (empty if none), without raising."""
    try:
        _check(form, values, submitting)
    except ValidationFailed as failed:
        return failed.problems
    return []


def is_signed(form: Form, values: Mapping[str, Any]) -> bool:
    """True when every signer of ``form`` has typed a name and a date."""
    if not form.signers:
        return False
    for signer in form.signers:
        signature = values.get(signer)
        if not isinstance(signature, Signature) or not signature.name or signature.date is None:
            return False
    return True
