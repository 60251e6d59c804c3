"""What the reports need from one record, as plain rows: the per-file "facts" the index stores.

Everything here is derived from the form declarations, never from hard-coded labels:

* teaching hours: every field with ``group="teaching_hours"``;
* goals: the agreement's goal table (with status), Part I's past-year goal table (met or not) and
  its section C goal areas, Part II's fields with ``group="next_year_goals"``;
* conference: signature dates, the conference date, and which LCME-starred topics are answered;
* mentoring: mentors and mentees named (agreement, Part I section B, peer group), sponsors and
  mentors or mentees in the network map;
* promotion outlook (Part II) and support needed (fields with ``group="support_needed"``);
* agreements: mentor, start and revisit dates.

Rows hold ids (field ids, choice ids), not labels: labels are looked up from the declarations
when the tables are built, so the index never goes stale when a label is reworded. This module
does not import pandas: it runs in the worker processes of a cold index build.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from mentorforms.academic_year import AcademicYear
from mentorforms.declaration import Field, Form, Kind
from mentorforms.forms import get_form
from mentorforms.record import CheckNote, Record, Signature, Status

#: Field groups the reports read.
TEACHING_GROUP = "teaching_hours"
NEXT_GOALS_GROUP = "next_year_goals"
SUPPORT_GROUP = "support_needed"
#: Part I's section C: each field is one goal area.
PART1_GOAL_SECTION = "career_goals"

#: Goal sources, in the order reports list them.
GOAL_SOURCES = ("agreement", "part1_past", "part1_next", "part2_next")

#: Bump when what is extracted changes: an index built by another extractor is rebuilt.
EXTRACTOR_VERSION = 1


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

    teaching: tuple[str, ...]
    next_goal_fields: tuple[str, ...]
    part1_goal_fields: tuple[str, ...]
    support: tuple[str, ...]
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
def _plan(form_id: str, year: AcademicYear) -> _Plan:
    form = get_form(form_id, year)
    fields = list(form.fields())
    part1_goals: tuple[str, ...] = ()
    for section in form.sections:
        if section.id == PART1_GOAL_SECTION:
            part1_goals = tuple(item.id for item in section.fields if item.kind in (Kind.LONG_TEXT, Kind.SHORT_TEXT))
    return _Plan(
        teaching=tuple(item.id for item in fields if item.group == TEACHING_GROUP and item.kind is Kind.HOURS),
        next_goal_fields=tuple(item.id for item in fields if item.group == NEXT_GOALS_GROUP),
        part1_goal_fields=part1_goals,
        support=tuple(item.id for item in fields if item.group == SUPPORT_GROUP and item.kind is Kind.CHECK_NOTE),
        lcme_topics=lcme_topics(form),
    )


def _table(record: Record, field_id: str) -> tuple[dict[str, Any], ...]:
    value = record.values.get(field_id)
    return value if isinstance(value, tuple) else ()


def extract(record: Record) -> Facts:
    """The report rows of ``record`` (any status: callers keep drafts apart)."""
    plan = _plan(record.form_id, record.academic_year)
    values = record.values
    teaching = tuple((field_id, float(values[field_id])) for field_id in plan.teaching if field_id in values)
    goals: list[tuple] = []
    people: list[tuple[str, str, str, str, str]] = []
    conference = promotion = agreement = None
    support: tuple[tuple[str, int, str], ...] = ()
    lcme_answered = sum(1 for topic in plan.lcme_topics if any(_answered(values.get(f)) for f in topic))
    form_id = record.form_id

    if form_id == "agreement":
        for index, row in enumerate(_table(record, "goals"), start=1):
            if row.get("goal"):
                goals.append(("agreement", "", index, row["goal"], _iso(row.get("timeline")),
                              row.get("status") or "", _iso(row.get("status_date"))))
        mentor_name = values.get("mentor") or ""
        mentor_id = values.get("mentor_id") or ""
        if mentor_name or mentor_id:
            people.append(("mentor", mentor_name, mentor_id, "", "agreement"))
        agreement = (mentor_id, mentor_name, _iso(values.get("start_date")), _iso(values.get("revisit_date")),
                     1 if record.status is Status.SIGNED else 0)
    elif form_id == "conference_part1":
        for index, row in enumerate(_table(record, "past_goals"), start=1):
            if row.get("goal"):
                goals.append(("part1_past", "", index, row["goal"], None, "met" if row.get("met") else "not_met", None))
        for field_id in plan.part1_goal_fields:
            if values.get(field_id):
                goals.append(("part1_next", field_id, 0, values[field_id], None, "planned", None))
        for row in _table(record, "mentors"):
            if row.get("name"):
                people.append(("mentor", row["name"], "", row.get("role") or "", "conference_part1"))
        for row in _table(record, "mentees"):
            if row.get("name"):
                people.append(("mentee", row["name"], "", row.get("your_role") or "", "conference_part1"))
        conference = (_signed_on(values.get("faculty_signature")), None, _signed_on(values.get("faculty_signature")),
                      None, lcme_answered, len(plan.lcme_topics))
    elif form_id == "conference_part2":
        for field_id in plan.next_goal_fields:
            if values.get(field_id):
                goals.append(("part2_next", field_id, 0, values[field_id], None, "agreed", None))
        conference = (None, _iso(values.get("conference_date")), _signed_on(values.get("faculty_signature")),
                      _signed_on(values.get("chair_signature")), lcme_answered, len(plan.lcme_topics))
        if values.get("promotion_outlook"):
            promotion = (values["promotion_outlook"], values.get("no_promotion_reason") or "",
                         values.get("advancement_requires") or "")
        rows = []
        for field_id in plan.support:
            value = values.get(field_id)
            if isinstance(value, CheckNote):
                rows.append((field_id, 1 if value.checked else 0, value.note or ""))
        support = tuple(rows)
    elif form_id == "network_map":
        for row in _table(record, "people"):
            name = row.get("name") or ""
            if not name:
                continue
            if row.get("sponsor"):
                people.append(("sponsor", name, "", row.get("description") or "", "network_map"))
            if row.get("relationship") in ("mentor", "mentee"):
                people.append((row["relationship"], name, "", row.get("description") or "", "network_map"))
    elif form_id == "peer_group":
        group = values.get("group_name") or ""
        for row in _table(record, "mentors"):
            if row.get("name"):
                people.append(("group_mentor", row["name"], row.get("person_id") or "", group, "peer_group"))
        for row in _table(record, "mentees"):
            if row.get("name"):
                people.append(("group_mentee", row["name"], row.get("person_id") or "", group, "peer_group"))

    return Facts(teaching=teaching, goals=tuple(goals), conference=conference, people=tuple(people),
                 promotion=promotion, support=support, agreement=agreement)


@lru_cache(maxsize=256)
def forms_with_group(group: str, year: AcademicYear) -> frozenset[str]:
    """The ids of the forms that have a field tagged ``group`` in ``year``'s declarations."""
    from mentorforms.forms import form_ids

    return frozenset(form_id for form_id in form_ids()
                     if any(item.group == group for item in get_form(form_id, year).fields()))


def field_of(form_id: str, year: AcademicYear | int, field_id: str) -> Field | None:
    """The declared field, or None if this year's declaration of the form lacks it."""
    form = get_form(form_id, AcademicYear.parse(year))
    return form.field(field_id) if form.has_field(field_id) else None
