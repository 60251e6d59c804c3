"""The vocabulary a form declares what the reports take from it in (``Form.reports``).

Teaching hours and support needed are found by field groups (``group="teaching_hours"``,
``"support_needed"``) and LCME topics by the stars; everything else a report needs from a form is
named here, once, in the form's declaration: its goals and where they come from (a
:class:`GoalSource` with the label the reports show), the people it names, the conference it
records, the promotion outlook, the mentoring relationship, its part in the mentoring year
(:class:`YearRole`). :mod:`mentorforms.reports.facts` and :mod:`mentorforms.reports.labels` read
these and hold no knowledge of any particular form.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only for the annotation of Reports.check: declaration imports this module
    from mentorforms.vocabulary.declaration import Form


@dataclass(frozen=True)
class GoalSource:
    """Where a set of goals comes from, as the reports name it: ``id`` is what the index stores
    (stable across years: renaming it splits a report's history), ``label`` what a report shows
    (reworded freely)."""

    id: str
    label: str


class YearRole(enum.StrEnum):
    """What the mentoring-year reports and reminders make of a form.

    MEETING: one record per meeting of a relationship (needs ``Form.instance_serial``); REVIEW: the
    relationship's yearly review (needs ``Form.ends``); CHECKLIST: the mentee's checklist, whose
    ticked steps are its check-and-note fields tagged ``group="checklist_item"``; SEASON: a peer
    group's season, whose meetings are a table tagged ``group="season"``.
    """

    MEETING = "meeting"
    REVIEW = "review"
    CHECKLIST = "checklist"
    SEASON = "season"


@dataclass(frozen=True)
class GoalRows:
    """Goals listed as rows of a table. ``status``/``status_date`` name progress columns (the
    reports then keep each goal's status history, and meetings' goal updates apply to it); ``met``
    names a check column whose tick means "met" (unticked: "not_met")."""

    source: GoalSource
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

    source: GoalSource
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
    #: The form's part in the mentoring year (None: it has none).
    year_role: YearRole | None = None
    #: The goals whose status this form's table tagged ``group="goal_updates"`` (columns "goal"
    #: and "status") reports: a meeting's updates to the agreement's goals.
    goal_updates: GoalSource | None = None

    @property
    def goal_sources(self) -> tuple[GoalSource, ...]:
        """The sources of this form's goals, in declaration order, each once."""
        return tuple(dict.fromkeys(take.source for take in self.goals))

    def check(self, form: Form) -> None:
        """ValueError naming the first take that ``form``'s fields cannot give (a goal table that
        is not a table of the form, a year role the form is not shaped for, one goal source
        with two labels)."""
        # Kinds are compared by value (Kind is a str enum): declaration imports this module.
        def kind(field_id: str) -> str:
            return form.field(field_id).kind.value if form.has_field(field_id) else ""

        labels: dict[str, str] = {}
        for take in self.goals:
            if labels.setdefault(take.source.id, take.source.label) != take.source.label:
                raise ValueError(f"form {form.id!r}: goal source {take.source.id!r} has two labels")
            if isinstance(take, GoalRows):
                columns = form.field(take.table).column_ids if kind(take.table) == "table" else ()
                named = (take.goal, take.due, take.status, take.status_date, take.met)
                if not columns or any(name and name not in columns for name in named):
                    raise ValueError(f"form {form.id!r}: goals {take.source.id!r} need table {take.table!r} "
                                     "with the columns they name")
            elif take.section and take.section not in {section.id for section in form.sections}:
                raise ValueError(f"form {form.id!r}: goals {take.source.id!r} name no section of the form")
        tagged = {(item.group, item.kind.value) for item in form.fields() if item.group}
        updates = [item for item in form.fields() if item.group == "goal_updates" and item.kind.value == "table"]
        if self.goal_updates is not None and not any({"goal", "status"} <= set(item.column_ids) for item in updates):
            raise ValueError(f"form {form.id!r}: goal updates need a table tagged 'goal_updates' with the columns "
                             "'goal' and 'status'")
        fits = {
            YearRole.MEETING: form.instance_serial,
            YearRole.REVIEW: form.ends is not None,
            YearRole.CHECKLIST: ("checklist_item", "check_note") in tagged,
            YearRole.SEASON: ("season", "table") in tagged,
        }
        if self.year_role is not None and not fits[self.year_role]:
            raise ValueError(f"form {form.id!r}: year role {self.year_role.value!r} does not fit the form "
                             "(see mentorforms.vocabulary.report_takes.YearRole)")
