"""What a field's problem says, in plain words next to the field: pydantic's errors on the
models :mod:`mentorforms.rules.validation` derives from a form, turned into :class:`FieldProblem`
objects naming the field (and row and column) with a sentence from the message catalogue."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pydantic

from mentorforms import messages
from mentorforms.errors import FieldProblem
from mentorforms.vocabulary.declaration import Field, Form, Kind


def _plain_message(item: Field, error: Mapping[str, Any]) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind.startswith("mf_"):
        return error["msg"]
    if kind == "missing":
        return messages.ANSWER_REQUIRED
    if kind == "greater_than_equal":
        bound = ctx.get("ge")
        if item.kind is Kind.RANK:
            return messages.say(messages.ANSWER_RANK_RANGE, count=len(item.choices))
        if item.kind is Kind.HOURS and bound == 0:
            return messages.ANSWER_HOURS_NEGATIVE
        return messages.say(messages.ANSWER_AT_LEAST, bound=bound)
    if kind == "less_than_equal":
        bound = ctx.get("le")
        if item.kind is Kind.RANK:
            return messages.say(messages.ANSWER_RANK_RANGE, count=len(item.choices))
        if item.kind is Kind.HOURS:
            return messages.say(messages.ANSWER_HOURS_IMPLAUSIBLE, bound=bound)
        return messages.say(messages.ANSWER_AT_MOST, bound=bound)
    if kind in ("float_parsing", "float_type", "finite_number"):
        return messages.ANSWER_HOURS_NOT_NUMBER
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return messages.ANSWER_NOT_WHOLE_NUMBER
    if kind.startswith(("date", "datetime")):
        return messages.ANSWER_NOT_A_DATE
    if kind == "literal_error":
        if item.kind is Kind.RANK:
            return messages.ANSWER_RANK_UNLISTED
        return messages.say(messages.ANSWER_CHOOSE_ONE_OF, choices="; ".join(choice.label for choice in item.choices))
    if kind == "too_long":
        if item.kind is Kind.TABLE:
            return item.too_many_rows or messages.say(messages.ANSWER_TOO_MANY_ROWS, count=item.max_rows)
        return messages.say(messages.ANSWER_TOO_LONG, count=ctx.get("max_length") or 0)
    if kind == "string_too_long":
        return messages.say(messages.ANSWER_TOO_LONG, count=ctx.get("max_length") or 0)
    if kind == "too_short":
        return messages.say(messages.ANSWER_TOO_FEW_ROWS, count=item.min_rows,
                            rows="row" if item.min_rows == 1 else "rows")
    if kind in ("string_type", "bool_type", "model_type", "dict_type", "tuple_type", "model_attributes_type",
                "dataclass_type", "extra_forbidden"):
        return messages.ANSWER_WRONG_KIND
    return error["msg"]


def problems_from(form: Form, error: pydantic.ValidationError) -> list[FieldProblem]:
    problems = []
    for raw in error.errors():
        loc = raw["loc"]
        item = form.field(str(loc[0]))
        row = column = member = None
        target = item
        if item.kind is Kind.TABLE and len(loc) >= 2 and isinstance(loc[1], int):
            row = loc[1] + 1
            if len(loc) >= 3:
                try:
                    target = item.column(str(loc[2]))
                    column = target.label
                except KeyError:
                    column = str(loc[2])
        elif item.kind is Kind.RANK and len(loc) >= 2:
            member = str(loc[1])
        elif item.kind in (Kind.SIGNATURE, Kind.CHECK_NOTE) and len(loc) >= 2:
            column = str(loc[1])
        message = _plain_message(target, raw)
        problems.append(FieldProblem(item.id, item.label, message, row=row, column=column, item=member))
    return problems
