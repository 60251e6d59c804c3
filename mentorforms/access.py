"""What the viewer (see :mod:`mentorforms.identity`) may open, edit, sign and see.

The query string of a page is user input: it may *ask* for a person's form, and these rules
decide whether that is allowed. Every callback that changes something checks again on the
server, because a crafted widget message can press a disabled button.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from mentorforms.errors import AccessDenied
from mentorforms.identity import Viewer
from mentorforms.roster import Person, Roster

#: Which signature field each kind of party signs, by form id.
SIGNER_ROLES: Mapping[str, Mapping[str, str]] = {
    "agreement": {"mentor_signature": "mentor", "mentee_signature": "subject"},
    "conference_part1": {"faculty_signature": "subject"},
    "conference_part2": {"faculty_signature": "subject", "chair_signature": "chair"},
    "peer_group": {"mentor_signature": "subject"},
}


def is_mentor_of(roster: Roster, mentor_id: str, subject_id: str) -> bool:
    subject = roster.get(subject_id)
    return bool(subject and mentor_id in subject.mentors)


def holds_conferences(person: Person) -> bool:
    """True for a chair and for a chair's designee (the documents: "chair (or designee)")."""
    return person.has_role("chair") or person.has_role("designee")


def is_chair_of(roster: Roster, chair: Person, subject_id: str) -> bool:
    """Is ``chair`` the chair, or the chair's designee, of ``subject_id``'s department? Never of
    themselves (nobody holds their own conference), and a designee acts for the chair, not on
    the chair's own forms."""
    subject = roster.get(subject_id)
    if not (holds_conferences(chair) and subject and subject.department == chair.department):
        return False
    if subject.person_id == chair.person_id:
        return False
    return chair.has_role("chair") or not subject.has_role("chair")


def can_view(viewer: Viewer, roster: Roster, form_id: str, subject_id: str, mentor_id: str | None = None) -> bool:
    """May ``viewer`` open ``subject_id``'s ``form_id`` (``mentor_id``: the agreement's mentor)?"""
    if viewer.person_id == subject_id:
        return True
    if form_id == "agreement":
        if mentor_id == viewer.person_id or is_mentor_of(roster, viewer.person_id, subject_id):
            return True
    if form_id in ("conference_part1", "conference_part2", "network_map"):
        if is_chair_of(roster, viewer.person, subject_id):
            return True
    return False


def can_edit(viewer: Viewer, roster: Roster, form_id: str, subject_id: str, mentor_id: str | None = None) -> bool:
    """May ``viewer`` change the answers (not signatures) of this form?

    Faculty edit their own Part I, map and agreements; the mentor edits the agreements they are
    party to; the chair (or designee) writes Part II for faculty of their department. Part II is
    read-only to the faculty member, who signs it.
    """
    if form_id == "conference_part2":
        return is_chair_of(roster, viewer.person, subject_id)
    if form_id == "agreement":
        return viewer.person_id == subject_id or mentor_id == viewer.person_id or \
            is_mentor_of(roster, viewer.person_id, subject_id)
    return viewer.person_id == subject_id


def can_sign(viewer: Viewer, roster: Roster, form_id: str, signature_field: str, subject_id: str,
             mentor_id: str | None = None) -> bool:
    """May ``viewer`` type their name into ``signature_field`` of this form?"""
    party = SIGNER_ROLES.get(form_id, {}).get(signature_field)
    if party == "subject":
        return viewer.person_id == subject_id
    if party == "mentor":
        return mentor_id == viewer.person_id or (mentor_id is None and is_mentor_of(roster, viewer.person_id, subject_id))
    if party == "chair":
        return is_chair_of(roster, viewer.person, subject_id)
    return False


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
