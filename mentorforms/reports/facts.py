"""What the reports need from one record, as plain rows: the per-file "facts" the index stores.

Everything here is derived from the form declarations, never from hard-coded labels or form ids:
teaching hours and support needed from field groups (``group="teaching_hours"``,
``"support_needed"``), LCME topics from the stars, and goals, people named, the conference, the
promotion outlook, the mentoring relationship and the form's part in the mentoring year from what
each form declares the reports take from it (``Form.reports``,
:mod:`mentorforms.vocabulary.report_takes`). What is derived from the declarations is cached per
catalogue (:func:`mentorforms.forms.catalogue`), so a catalogue that adds a form is never served
another's plan.

Rows hold ids (field ids, choice ids), not labels: labels are looked up from the declarations
when the tables are built, so the index never goes stale when a label is reworded. This module
does not import pandas: it runs in the worker processes of a cold index build.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from mentorforms.forms import Catalogue, catalogue
from mentorforms.reports import record_json
from mentorforms.vocabulary.academic_year import AcademicYear
from mentorforms.vocabulary.declaration import Field, Form, Kind
from mentorforms.vocabulary.record import CheckNote, Record, Signature, Status
from mentorforms.vocabulary.report_takes import GoalFields, GoalRows, PersonFields

#: Field groups the reports read.
TEACHING_GROUP = "teaching_hours"
SUPPORT_GROUP = "support_needed"

#: Bump when what is extracted changes: an index built by another extractor is rebuilt.
EXTRACTOR_VERSION = 2


@dataclass(frozen=True)
class Facts:
    """The report rows of one record. Dates are ISO text; booleans are 0/1 (SQLite-ready)."""

    #: (field_id, hours)
    teaching: tuple[tuple[str, float], ...] = ()
    #: (source, area_id, row, goal, due, status, status_date)
    goals: tuple[tuple[str, str, int, str, str | None, str, str | None], ...] = ()
    #: (signed_on, conference_date, faculty_signed_on, chair_signed_on, lcme_answered, lcme_total)
    conference: tuple[str | None, str | None, str | None, str | None, int, int] | None = None
    #: (relation, name, other_id, role, source)
    people: tuple[tuple[str, str, str, str, str], ...] = ()
    #: (outlook, no_promotion_reason, advancement_requires)
    promotion: tuple[str, str, str] | None = None
    #: (field_id, needed, note)
    support: tuple[tuple[str, int, str], ...] = ()
    #: (mentor_id, mentor_name, start_date, revisit_date, signed)
    agreement: tuple[str, str, str | None, str | None, int] | None = None
    #: (answers as JSON,) for the forms reports read record by record (see :func:`keeps_answers`)
    record: tuple[str] | None = None


def _iso(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, dt.date) else None


def _signed_on(value: Any) -> str | None:
    if isinstance(value, Signature) and value.name and value.date is not None:
        return value.date.isoformat()
    return None


def _answered(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, (str, tuple, dict)):
        return len(value) > 0
    return True


@dataclass(frozen=True)
class _Plan:
    """Which fields of one form (one year's declaration) feed which facts."""

    form: Form
    teaching: tuple[str, ...]
    support: tuple[str, ...]
    #: (source, status, field ids): goals that are answers, one per answered field.
    goal_fields: tuple[tuple[str, str, tuple[str, ...]], ...]
    #: LCME topics: each a tuple of field ids; a topic is answered when any of its fields is.
    lcme_topics: tuple[tuple[str, ...], ...]


def lcme_topics(form: Form) -> tuple[tuple[str, ...], ...]:
    """The form's LCME-starred topics, each as the ids of the fields that answer it.

    Fields sharing a ``group`` are one topic (the eight teaching-hour categories are one starred
    question); a section whose fields are all starred is one topic (Part I's goal areas, of
    which any answers it); any other starred field is a topic of its own.
    """
    topics: list[tuple[str, ...]] = []
    seen: set[str] = set()
    for section in form.sections:
        starred = [item for item in section.fields if item.lcme]
        if starred and len(starred) == len(section.fields) and not any(item.group for item in starred):
            topics.append(tuple(item.id for item in starred))
            seen.update(item.id for item in starred)
            continue
        for item in starred:
            if item.id in seen:
                continue
            if item.group:
                members = tuple(other.id for other in form.fields() if other.lcme and other.group == item.group)
                topics.append(members)
                seen.update(members)
            else:
                topics.append((item.id,))
                seen.add(item.id)
    return tuple(topics)


@lru_cache(maxsize=256)
def _plan(forms: Catalogue, form_id: str, year: AcademicYear) -> _Plan:
    form = forms.get(form_id, year)
    fields = list(form.fields())
    goal_fields = []
    for take in form.reports.goals:
        if isinstance(take, GoalFields):
            chosen = [item for section in form.sections if not take.section or section.id == take.section
                      for item in section.fields if not take.group or item.group == take.group]
            goal_fields.append((take.source.id, take.status, tuple(
                item.id for item in chosen if item.kind in (Kind.LONG_TEXT, Kind.SHORT_TEXT))))
    return _Plan(
        form=form,
        teaching=tuple(item.id for item in fields if item.group == TEACHING_GROUP and item.kind is Kind.HOURS),
        support=tuple(item.id for item in fields if item.group == SUPPORT_GROUP and item.kind is Kind.CHECK_NOTE),
        goal_fields=tuple(goal_fields),
        lcme_topics=lcme_topics(form),
    )


def _table(record: Record, field_id: str) -> tuple[dict[str, Any], ...]:
    value = record.values.get(field_id)
    return value if isinstance(value, tuple) else ()


def _goals(plan: _Plan, record: Record) -> list[tuple]:
    goals: list[tuple] = []
    values = record.values
    for take in plan.form.reports.goals:
        if isinstance(take, GoalRows):
            for index, row in enumerate(_table(record, take.table), start=1):
                if not row.get(take.goal):
                    continue
                status = (row.get(take.status) or "") if take.status else ""
                if take.met:
                    status = "met" if row.get(take.met) else "not_met"
                goals.append((take.source.id, "", index, row[take.goal], _iso(row.get(take.due)) if take.due else None,
                              status, _iso(row.get(take.status_date)) if take.status_date else None))
    for source, status, field_ids in plan.goal_fields:
        for field_id in field_ids:
            if values.get(field_id):
                goals.append((source, field_id, 0, values[field_id], None, status, None))
    return goals


def _people(plan: _Plan, record: Record) -> list[tuple[str, str, str, str, str]]:
    people: list[tuple[str, str, str, str, str]] = []
    values, source = record.values, record.form_id
    for take in plan.form.reports.people:
        if isinstance(take, PersonFields):
            name, other = values.get(take.name) or "", (values.get(take.person_id) or "") if take.person_id else ""
            if name or other:
                people.append((take.relation, name, other, "", source))
            continue
        role_text = (values.get(take.role_field) or "") if take.role_field else ""
        for row in _table(record, take.table):
            name = row.get(take.name) or ""
            if not name or (take.flag and not row.get(take.flag)):
                continue
            relation = take.relation
            if take.relation_column:
                relation = row.get(take.relation_column) or ""
                if relation not in take.relations:
                    continue
            role = (row.get(take.role) or "") if take.role else role_text
            other = (row.get(take.person_id) or "") if take.person_id else ""
            people.append((relation, name, other, role, source))
    return people


def year_role(form: Form) -> str:
    """What the mentoring-year reports make of ``form``, as its declaration says
    (``Reports.year_role``): "meeting", "review", "checklist", "season", or "" (none)."""
    role = form.reports.year_role
    return role.value if role is not None else ""


def keeps_answers(form: Form) -> bool:
    """Whether the index keeps ``form``'s answers whole (:mod:`mentorforms.reports.record_json`):
    the mentoring-year forms and the network maps, which reports read record by record."""
    return bool(year_role(form)) or form.reports.network


@lru_cache(maxsize=64)
def _by_role(forms: Catalogue, year: AcademicYear) -> dict[str, tuple[str, ...]]:
    roles: dict[str, list[str]] = {}
    for form_id in forms.ids:
        role = year_role(forms.get(form_id, year))
        if role:
            roles.setdefault(role, []).append(form_id)
    return {role: tuple(ids) for role, ids in roles.items()}


def forms_by_role(year: AcademicYear) -> dict[str, tuple[str, ...]]:
    """Form ids per role ("meeting", "review", "checklist", "season") in ``year``'s declarations."""
    return dict(_by_role(catalogue(), year))


def extract(record: Record) -> Facts:
    """The report rows of ``record`` (any status: callers keep drafts apart), as its form's
    declaration says (``Form.reports``)."""
    plan = _plan(catalogue(), record.form_id, record.academic_year)
    values = record.values
    takes = plan.form.reports
    teaching = tuple((field_id, float(values[field_id])) for field_id in plan.teaching if field_id in values)
    lcme_answered = sum(1 for topic in plan.lcme_topics if any(_answered(values.get(f)) for f in topic))
    conference = promotion = agreement = None
    if takes.conference is not None:
        held = takes.conference
        conference = (_signed_on(values.get(held.signed_on)) if held.signed_on else None,
                      _iso(values.get(held.date)) if held.date else None,
                      _signed_on(values.get(held.faculty_signature)) if held.faculty_signature else None,
                      _signed_on(values.get(held.chair_signature)) if held.chair_signature else None,
                      lcme_answered, len(plan.lcme_topics))
    if takes.promotion is not None and values.get(takes.promotion.outlook):
        outlook = takes.promotion
        promotion = (values[outlook.outlook], (values.get(outlook.reason) or "") if outlook.reason else "",
                     (values.get(outlook.requires) or "") if outlook.requires else "")
    if takes.relationship is not None:
        held_with = takes.relationship
        agreement = (values.get(held_with.mentor_id) or "", values.get(held_with.mentor_name) or "",
                     _iso(values.get(held_with.start)) if held_with.start else None,
                     _iso(values.get(held_with.revisit)) if held_with.revisit else None,
                     1 if record.status is Status.SIGNED else 0)
    support = tuple((field_id, 1 if value.checked else 0, value.note or "") for field_id in plan.support
                    if isinstance(value := values.get(field_id), CheckNote))
    kept = (record_json.dumps(plan.form, values),) if keeps_answers(plan.form) else None
    return Facts(teaching=teaching, goals=tuple(_goals(plan, record)), conference=conference,
                 people=tuple(_people(plan, record)), promotion=promotion, support=support, agreement=agreement,
                 record=kept)


def conference_parts(year: AcademicYear) -> tuple[str, str]:
    """The ids of the annual conference's two forms in ``year``: the faculty member's part (it
    records when they signed) and the chair's (it records the chair's signature), as declared."""
    return _conference_parts(catalogue(), year)


@lru_cache(maxsize=64)
def _conference_parts(forms: Catalogue, year: AcademicYear) -> tuple[str, str]:
    faculty = chair = ""
    for form_id in forms.ids:
        held = forms.get(form_id, year).reports.conference
        if held is None:
            continue
        if held.chair_signature and not chair:
            chair = form_id
        elif held.signed_on and not faculty:
            faculty = form_id
    return faculty, chair


def forms_taking(take: str, year: AcademicYear) -> tuple[str, ...]:
    """The ids of the forms whose declaration gives the reports ``take`` (a field of
    :class:`mentorforms.vocabulary.report_takes.Reports`: "relationship", "promotion", "network" ...) in
    ``year``, in listing order."""
    forms = catalogue()
    return tuple(form_id for form_id in forms.ids if getattr(forms.get(form_id, year).reports, take))


def forms_with_group(group: str, year: AcademicYear) -> frozenset[str]:
    """The ids of the forms that have a field tagged ``group`` in ``year``'s declarations."""
    return _with_group(catalogue(), group, year)


@lru_cache(maxsize=256)
def _with_group(forms: Catalogue, group: str, year: AcademicYear) -> frozenset[str]:
    return frozenset(form_id for form_id in forms.ids
                     if any(item.group == group for item in forms.get(form_id, year).fields()))


def field_of(form_id: str, year: AcademicYear | int, field_id: str) -> Field | None:
    """The declared field, or None if this year's declaration of the form lacks it."""
    form = catalogue().get(form_id, AcademicYear.parse(year))
    return form.field(field_id) if form.has_field(field_id) else None
