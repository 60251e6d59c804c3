"""Who is using the app: the identity the server vouches for, never the page.

``JUPYTERHUB_USER`` when JupyterHub runs the server, otherwise ``MENTORFORMS_AS`` (set by
``mentorforms serve --as PERSON_ID``). In demo mode (``MENTORFORMS_DEMO=1``, set by
``serve --demo``) the page offers a clearly labelled picker instead. The query string of a page is
user input: it may *ask* for a person's form, and :mod:`mentorforms.access` decides whether that
is allowed.
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
