"""Who is using the app, and what they may open, edit, sign and see.

Identity comes from the server, never from the page: ``JUPYTERHUB_USER`` when JupyterHub runs
the server, otherwise ``MENTORFORMS_AS`` (set by ``mentorforms serve --as PERSON_ID``). In demo
mode (``MENTORFORMS_DEMO=1``, set by ``serve --demo``) the page offers a clearly labelled picker
instead. The query string of a page is user input: it may *ask* for a person's form, and these
rules decide whether that is allowed. Every callback that changes something checks again on the
server, because a crafted widget message can press a disabled button.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Mapping

from mentorforms.errors import AccessDenied
from mentorforms.roster import Person, Roster

ENV_USER = "JUPYTERHUB_USER"
ENV_AS = "MENTORFORMS_AS"
ENV_DEMO = "MENTORFORMS_DEMO"
ENV_DATA = "MENTORFORMS_DATA"

#: Which signature field each kind of party signs, by form id.
SIGNER_ROLES: Mapping[str, Mapping[str, str]] = {
    "agreement": {"mentor_signature": "mentor", "mentee_signature": "subject"},
    "conference_part1": {"faculty_signature": "subject"},
    "conference_part2": {"faculty_signature": "subject", "chair_signature": "chair"},
    "peer_group": {"mentor_signature": "subject"},
}


@dataclass(frozen=True)
class Viewer:
    """The person using the app. ``chosen_in_demo`` marks an identity picked in demo mode."""

    person: Person
    chosen_in_demo: bool = False

    @property
    def person_id(self) -> str:
        return self.person.person_id

    @property
    def is_analyst(self) -> bool:
        return self.person.has_role("analyst")

    @property
    def is_chair(self) -> bool:
        return self.person.has_role("chair")


def demo_mode(environ: Mapping[str, str] | None = None) -> bool:
    """True when the server was started with ``--demo`` (identity may be picked on the page)."""
    return (environ if environ is not None else os.environ).get(ENV_DEMO) == "1"


def server_identity(environ: Mapping[str, str] | None = None) -> str | None:
    """The person id the server vouches for, or None (then only demo mode can pick one)."""
    environ = environ if environ is not None else os.environ
    return environ.get(ENV_USER) or environ.get(ENV_AS) or None


def identify(roster: Roster, environ: Mapping[str, str] | None = None, demo_choice: str | None = None) -> Viewer:
    """The viewer: the server's identity if it has one, else ``demo_choice`` in demo mode.

    AccessDenied, with a plain reason, when nobody can be identified or the id is not on the roster.
    JupyterHub user names are matched against roster ids and then against email addresses.
    """
    environ = environ if environ is not None else os.environ
    person_id = server_identity(environ)
    chosen = False
    if person_id is None:
        if not demo_mode(environ):
            raise AccessDenied("This server does not know who you are. Start it with "
                               "'mentorforms serve --as YOUR_ID', or through JupyterHub.")
        if not demo_choice:
            raise AccessDenied("Demo mode: pick who you are to continue.")
        person_id, chosen = demo_choice, True
    person = roster.get(person_id) or _by_email(roster, person_id)
    if person is None:
        raise AccessDenied(f"{person_id!r} is not on the roster; ask the faculty-affairs office to add you.")
    return Viewer(person, chosen_in_demo=chosen)


def _by_email(roster: Roster, user: str) -> Person | None:
    user = user.lower()
    for person in roster:
        if person.email and (person.email.lower() == user or person.email.lower().split("@")[0] == user):
            return person
    return None


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
