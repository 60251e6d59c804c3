"""What a form still needs before it can be submitted, counted the way Submit counts it: the
required answers missing and the answers Submit would object to."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mentorforms.rules.validation import normalise, problems
from mentorforms.vocabulary.declaration import Form, Kind


def _acceptable(form: Form, values: Mapping[str, Any]) -> dict[str, Any]:
    """The canonical answers a draft save would accept: an answer the server would refuse (hours
    that are not a number, a choice not offered) does not count as given."""
    canonical = normalise(form, values)
    refused = {problem.field_id for problem in problems(form, values, submitting=False)}
    return {field_id: value for field_id, value in canonical.items() if field_id not in refused}


def remaining_required(form: Form, values: Mapping[str, Any]) -> int:
    """How many required answers are still missing (a group where any one answer will do counts
    once); an answer the server would refuse counts as missing."""
    canonical = _acceptable(form, values)
    missing = 0
    for item in form.fields():
        if item.kind is Kind.SIGNATURE:
            continue
        if item.required and item.id not in canonical:
            missing += 1
        elif item.required_when and item.id not in canonical:
            other, triggers = item.required_when
            if canonical.get(other) in triggers:
                missing += 1
    for _, ids in form.require_any:
        if not any(field_id in canonical for field_id in ids):
            missing += 1
    return missing


def submit_blockers(form: Form, values: Mapping[str, Any]) -> tuple[str, ...]:
    """Labels of the answers Submit would object to beyond the required ones still missing (a
    rank half given, hours out of range), from the same check Submit makes; signatures aside."""
    canonical = _acceptable(form, values)
    missing = {item.id for item in form.fields() if item.required and item.id not in canonical}
    missing |= {ids[0] for _, ids in form.require_any if not any(i in canonical for i in ids)}
    labels: dict[str, str] = {}
    for problem in problems(form, values, submitting=True):
        item = form.field(problem.field_id)
        if item.kind is Kind.SIGNATURE or problem.field_id in missing:
            continue
        if item.required_when and problem.field_id not in canonical:
            continue  # counted among the required answers remaining
        labels.setdefault(problem.field_id, problem.label)
    return tuple(labels.values())
