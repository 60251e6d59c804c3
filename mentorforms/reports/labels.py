"""How the reports name what the index stores by id: goal sources and statuses, forms, and the
choices of a form's fields, as the declarations label them."""

from __future__ import annotations

from functools import lru_cache

from mentorforms.forms import UnknownFormError, form_ids, get_form

SOURCE_LABELS = {
    "agreement": "Mentoring agreement",
    "part1_past": "Part I: past year's goals",
    "part1_next": "Part I: goals for the coming year",
    "part2_next": "Part II: goals for the next year",
}
STATUS_LABELS = {
    "met": "Met", "not_met": "Not met", "planned": "Planned", "agreed": "Agreed at the conference",
    "": "No status",
}
#: The order statuses are shown in (agreement statuses come from the declaration).
STATUS_ORDER = ("Not started", "In progress", "Met", "Deferred", "No status", "Not met", "Planned",
                "Agreed at the conference")




@lru_cache(maxsize=64)
def _declared_status_labels(source: str, year: int) -> dict[str, str] | None:
    """The status labels the form declares for goals of ``source`` kept in a table with a status
    column (an agreement's goals), or None when no form keeps them so."""
    from mentorforms.vocabulary.report_takes import GoalRows

    for form_id in form_ids():
        form = get_form(form_id, year)
        for take in form.reports.goals:
            if isinstance(take, GoalRows) and take.source == source and take.status and form.has_field(take.table):
                column = form.field(take.table).column(take.status)
                if column.choices:
                    return {choice.id: choice.label for choice in column.choices}
    return None


def goal_status_label(source: str, year: int, status: str) -> str:
    """How a goal's status reads in reports: the labels its form declares (an agreement's
    statuses), else the conference's fixed words (met, planned, agreed)."""
    declared = _declared_status_labels(source, year) if status else None
    if declared is not None:
        return declared.get(status, status)
    return STATUS_LABELS.get(status, status)


def form_title(form_id: str, year: int) -> str:
    """The declared title of a form in a year."""
    try:
        return get_form(form_id, year).title
    except UnknownFormError:
        return form_id


@lru_cache(maxsize=4096)
def _choice_label(form_id: str, year: int, field_id: str, choice_id: str) -> str:
    form = get_form(form_id, year)
    return form.field(field_id).choice_label(choice_id) if form.has_field(field_id) else choice_id


def _outlook_label(form_id: str, year: int, choice_id: str) -> str:
    """The label of a promotion outlook as the form that recorded it declares it."""
    try:
        take = get_form(form_id, year).reports.promotion
    except UnknownFormError:
        return choice_id
    return _choice_label(form_id, year, take.outlook, choice_id) if take is not None else choice_id
