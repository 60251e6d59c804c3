"""The vocabulary a form declares what the reports take from it in (``Form.reports``).

Teaching hours and support needed are found by field groups (``group="teaching_hours"``,
``"support_needed"``) and LCME topics by the stars; everything else a report needs from a form is
named here, once, in the form's declaration: its goals, the people it names, the conference it
records, the promotion outlook, the mentoring relationship. :mod:`mentorforms.reports.facts`
reads these and holds no knowledge of any particular form.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class GoalRows:
    """Goals listed as rows of a table. ``status``/``status_date`` name progress columns; ``met``
    names a check column whose tick means "met" (unticked: "not_met")."""

    source: str
    table: str
    goal: str = "goal"
    due: str = ""
    status: str = ""
    status_date: str = ""
    met: str = ""


@dataclass(frozen=True)
class GoalFields:
    """Goals as answers: each answered text field of ``section`` (or tagged ``group``) is one goal,
    its field id the goal's area, all with the same ``status``."""

    source: str
    status: str
    section: str = ""
    group: str = ""


@dataclass(frozen=True)
class PeopleRows:
    """People named in the rows of a table, as ``relation`` ("mentor", "sponsor", ...).

    ``relation_column``: the relation is that column's value when it is one of ``relations``;
    ``flag``: only rows whose check column ``flag`` is ticked count. ``role`` names the column
    describing the person's role, ``role_field`` a field of the form giving it (a group's name).
    """

    relation: str
    table: str
    name: str = "name"
    person_id: str = ""
    role: str = ""
    role_field: str = ""
    relation_column: str = ""
    relations: tuple[str, ...] = ()
    flag: str = ""


@dataclass(frozen=True)
class PersonFields:
    """One person named by answers of the form (an agreement's mentor)."""

    relation: str
    name: str
    person_id: str = ""


@dataclass(frozen=True)
class Conference:
    """The form records an annual career conference: the signature whose date is the day the
    faculty member signed their part (``signed_on``), the conference date field, and the
    faculty member's and the chair's signatures."""

    signed_on: str = ""
    date: str = ""
    faculty_signature: str = ""
    chair_signature: str = ""


@dataclass(frozen=True)
class Promotion:
    """The promotion outlook (a choice field), why none is anticipated, and what it will require."""

    outlook: str
    reason: str = ""
    requires: str = ""


@dataclass(frozen=True)
class Relationship:
    """The form records a mentoring relationship: the mentor's roster id and name, when it started
    and when it is to be revisited."""

    mentor_id: str
    mentor_name: str
    start: str = ""
    revisit: str = ""


@dataclass(frozen=True)
class Reports:
    """Everything the reports take from one form (empty: only its status, hours and support)."""

    goals: tuple[GoalRows | GoalFields, ...] = ()
    people: tuple[PeopleRows | PersonFields, ...] = ()
    conference: Conference | None = None
    promotion: Promotion | None = None
    relationship: Relationship | None = None
    #: The developmental-network reports (mentorforms.reports.network) read this form's map.
    network: bool = False
