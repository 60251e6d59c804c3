"""How the reports name what the index stores by id: goal sources and statuses, forms, and the
choices of a form's fields, as the declarations of the catalogue in use label them.

The look-ups are cached per catalogue (:func:`mentorforms.forms.catalogue`), never per form id
alone: a catalogue that adds or redeclares a form gets its own labels.
"""

from __future__ import annotations

from functools import lru_cache

from mentorforms.forms import Catalogue, UnknownFormError, catalogue
from mentorforms.vocabulary.report_takes import GoalRows, GoalSource

STATUS_LABELS = {
    "met": "Met", "not_met": "Not met", "planned": "Planned", "agreed": "Agreed at the conference",
    "": "No status",
}
#: The order statuses are shown in (agreement statuses come from the declaration).
STATUS_ORDER = ("Not started", "In progress", "Met", "Deferred", "No status", "Not met", "Planned",
                "Agreed at the conference")


@lru_cache(maxsize=64)
def _goal_sources(forms: Catalogue, year: int) -> dict[str, GoalSource]:
    found: dict[str, GoalSource] = {}
    for form_id in forms.ids:
        for source in forms.get(form_id, year).reports.goal_sources:
            found.setdefault(source.id, source)
    return found


def goal_sources(year: int) -> tuple[GoalSource, ...]:
    """Every goal source ``year``'s declarations name, in the catalogue's listing order (the order
    reports show them in)."""
    return tuple(_goal_sources(catalogue(), year).values())


def source_label(source_id: str, year: int) -> str:
    """The label ``year``'s declarations give the goal source ``source_id`` (the id itself when
    no form of the catalogue in use declares it any more)."""
    source = _goal_sources(catalogue(), year).get(source_id)
    return source.label if source is not None else source_id


@lru_cache(maxsize=64)
def _tracked(forms: Catalogue, year: int) -> frozenset[str]:
    return frozenset(take.source.id for form_id in forms.ids for take in forms.get(form_id, year).reports.goals
                     if isinstance(take, GoalRows) and take.status)


def tracked_sources(year: int) -> frozenset[str]:
    """The ids of the goal sources whose goals carry a status that changes over versions (a table
    with a status column: an agreement's goals), whose history the reports keep."""
    return _tracked(catalogue(), year)


@lru_cache(maxsize=64)
def _declared_status_labels(forms: Catalogue, source: str, year: int) -> dict[str, str] | None:
    """The status labels the form declares for goals of ``source`` kept in a table with a status
    column (an agreement's goals), or None when no form keeps them so."""
    for form_id in forms.ids:
        form = forms.get(form_id, year)
        for take in form.reports.goals:
            if isinstance(take, GoalRows) and take.source.id == source and take.status and form.has_field(take.table):
                column = form.field(take.table).column(take.status)
                if column.choices:
                    return {choice.id: choice.label for choice in column.choices}
    return None


def goal_status_label(source: str, year: int, status: str) -> str:
    """How a goal's status reads in reports: the labels its form declares (an agreement's
    statuses), else the conference's fixed words (met, planned, agreed)."""
    declared = _declared_status_labels(catalogue(), source, year) if status else None
    if declared is not None:
        return declared.get(status, status)
    return STATUS_LABELS.get(status, status)


def form_title(form_id: str, year: int) -> str:
    """The declared title of a form in a year."""
    try:
        return catalogue().get(form_id, year).title
    except UnknownFormError:
        return form_id


@lru_cache(maxsize=4096)
def _choice_label(forms: Catalogue, form_id: str, year: int, field_id: str, choice_id: str) -> str:
    form = forms.get(form_id, year)
    return form.field(field_id).choice_label(choice_id) if form.has_field(field_id) else choice_id


def outlook_label(form_id: str, year: int, choice_id: str) -> str:
    """The label of a promotion outlook as the form that recorded it declares it."""
    forms = catalogue()
    try:
        take = forms.get(form_id, year).reports.promotion
    except UnknownFormError:
        return choice_id
    return _choice_label(forms, form_id, year, take.outlook, choice_id) if take is not None else choice_id
