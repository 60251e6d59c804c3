"""What the viewer (see :mod:`mentorforms.rules.identity`) may open, edit, sign and see.

The query string of a page is user input: it may *ask* for a person's form, and these rules
decide whether that is allowed. Every callback that changes something checks again on the
server, because a crafted widget message can press a disabled button.
"""

from __future__ import annotations

import datetime as dt

from mentorforms.errors import AccessDenied
from mentorforms.forms import get_form
from mentorforms.records.roster import Roster
from mentorforms.rules.identity import Viewer
from mentorforms.rules.parties import Case, holds_conferences, is_chair_of, open_case
from mentorforms.vocabulary.academic_year import AcademicYear

__all__ = ["can_edit", "can_sign", "can_view", "holds_conferences", "is_chair_of", "reminder_departments", "require",
           "visible_departments"]

def _case(viewer: Viewer, roster: Roster, form_id: str, subject_id: str, instance: str | None) -> Case | None:
    form = get_form(form_id, AcademicYear.containing(dt.date.today()))
    subject = roster.get(subject_id)
    if instance is None and form.instance_party and subject and viewer.person_id in subject.mentors:
        instance = viewer.person_id  # a mentor asking for "the agreement" of their mentee: their own
    try:
        return open_case(form, roster, viewer, subject_id, instance)
    except AccessDenied:
        return None


def can_view(viewer: Viewer, roster: Roster, form_id: str, subject_id: str, mentor_id: str | None = None) -> bool:
    """May ``viewer`` open ``subject_id``'s ``form_id`` (``mentor_id``: the key of a form kept per
    mentor)? True when the viewer holds any of the form's declared parties."""
    return _case(viewer, roster, form_id, subject_id, mentor_id) is not None


def can_edit(viewer: Viewer, roster: Roster, form_id: str, subject_id: str, mentor_id: str | None = None) -> bool:
    """May ``viewer`` change answers (not signatures) of this form? True when one of the parties
    the viewer holds writes some section."""
    case = _case(viewer, roster, form_id, subject_id, mentor_id)
    return case is not None and case.writes_anything


def can_sign(viewer: Viewer, roster: Roster, form_id: str, signature_field: str, subject_id: str,
             mentor_id: str | None = None) -> bool:
    """May ``viewer`` give ``signature_field`` of this form? True when the declared signer is a
    party the viewer holds."""
    case = _case(viewer, roster, form_id, subject_id, mentor_id)
    return case is not None and case.signs(signature_field)


def require(allowed: bool, reason: str) -> None:
    """Raise AccessDenied(reason) unless ``allowed``: the one check every callback makes."""
    if not allowed:
        raise AccessDenied(reason)


def visible_departments(viewer: Viewer, roster: Roster) -> tuple[str, ...]:
    """Departments whose reports ``viewer`` may see: all for an analyst, their own for a chair."""
    if viewer.is_analyst:
        return tuple(sorted({person.department for person in roster.faculty()}))
    if viewer.is_chair:
        return (viewer.person.department,)
    return ()


def reminder_departments(viewer: Viewer, roster: Roster) -> tuple[str, ...]:
    """Departments whose reminders ``viewer`` may send from a page: a chair their own, an analyst
    all (the departments they see); nobody else any."""
    if not (viewer.is_chair or viewer.is_analyst):
        return ()
    return visible_departments(viewer, roster)
