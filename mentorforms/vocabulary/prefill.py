"""The answers a new form takes from the roster, as its fields declare (``Field.prefill``).

The page (:mod:`mentorforms.ui.prefill`) and the blank workbook made for a person
(:func:`mentorforms.rules.offline.write_blank`) start from the same answers; sources that need
earlier records (``goals_to_report``, ``agreement_goals``) are the page's alone.
"""

from __future__ import annotations

from typing import Any, Protocol

from mentorforms.vocabulary.declaration import Form, Kind


class RosterPerson(Protocol):
    """What a prefill reads of a person on the roster (:class:`mentorforms.records.roster.Person`)."""

    @property
    def person_id(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def department(self) -> str: ...

    @property
    def division(self) -> str: ...


def department_line(person: RosterPerson) -> str:
    """'Division / Department' as the forms print it (just the department when no division)."""
    return f"{person.division} / {person.department}" if person.division else person.department


def roster_source(source: str, subject: RosterPerson, holder: RosterPerson, mentor: RosterPerson | None) -> Any:
    """The value of a roster prefill source, or None when it does not apply (or is not the roster's).

    ``holder`` is the person filling the form in; ``holder.name`` applies only when that is not
    the subject (a chair holding the conference).
    """
    if source == "subject.name":
        return subject.name
    if source == "subject.person_id":
        return subject.person_id
    if source == "subject.department":
        return subject.department
    if source == "subject.division_department":
        return department_line(subject)
    if source == "holder.name":
        return holder.name if holder.person_id != subject.person_id else None
    if source == "mentor.name":
        return mentor.name if mentor is not None else None
    if source == "mentor.person_id":
        return mentor.person_id if mentor is not None else None
    return None


def roster_answers(form: Form, subject: RosterPerson, holder: RosterPerson,
                   mentor: RosterPerson | None = None) -> dict[str, Any]:
    """Answers of a new ``form`` for ``subject`` that its fields declare come from the roster
    (a table's first row from its columns' sources)."""
    values: dict[str, Any] = {}
    for item in form.fields():
        if item.kind is Kind.TABLE:
            row = {column.id: roster_source(column.prefill, subject, holder, mentor)
                   for column in item.columns if column.prefill}
            if any(value is not None for value in row.values()):
                values[item.id] = ({column.id: row.get(column.id) for column in item.columns},)
        elif item.prefill:
            value = roster_source(item.prefill, subject, holder, mentor)
            if value is not None:
                values[item.id] = value
    return values
