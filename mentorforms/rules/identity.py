"""Who is using the app: the identity the server vouches for, never the page.

Three ways a server knows its visitor, read on every request (after Voila's
``wait_for_request()`` in a pre-started kernel, never at import):

* **Behind JupyterHub** (``MENTORFORMS_BEHIND_HUB=1``, set by ``mentorforms hub-service``): the
  Hub's proxy (``jhsingle-native-proxy --forward-user-info``) signs the visitor in with the Hub and
  forwards them as the ``X-CDSDASHBOARDS-JH-USER`` header (JSON), which Voila hands the kernel as
  ``HTTP_X_CDSDASHBOARDS_JH_USER``. The proxy replaces any copy the browser sends. The header is
  believed only together with the proxy's secret (``X-Mentorforms-Proxy-Secret``, equal to
  ``MENTORFORMS_PROXY_SECRET`` in the server's environment): a request that reached Voila's port
  without passing the proxy does not carry it. ``JUPYTERHUB_USER`` names a server's *owner*, not
  its visitor, and is never used.
* ``MENTORFORMS_AS`` (``mentorforms serve --as PERSON_ID``): everyone who reaches the port is
  that person.
* Demo mode (``MENTORFORMS_DEMO=1``, ``serve --demo``): the page offers a clearly labelled picker.

The query string of a page is user input: it may *ask* for a person's form, and
:mod:`mentorforms.rules.access` decides whether that is allowed.
"""

from __future__ import annotations

import hmac
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass

from mentorforms import messages
from mentorforms.errors import AccessDenied
from mentorforms.records.roster import Person, Roster

ENV_AS = "MENTORFORMS_AS"
ENV_DEMO = "MENTORFORMS_DEMO"
ENV_DATA = "MENTORFORMS_DATA"
#: "1" when the server runs behind the Hub's proxy: identity comes only from the forwarded header.
ENV_BEHIND_HUB = "MENTORFORMS_BEHIND_HUB"
#: The secret the proxy adds to every request it forwards (never shown to browsers).
ENV_PROXY_SECRET = "MENTORFORMS_PROXY_SECRET"
#: The request headers Voila passes to the kernel (``VoilaConfiguration.http_header_envs``).
HEADER_USER = "X-CDSDASHBOARDS-JH-USER"
HEADER_SECRET = "X-Mentorforms-Proxy-Secret"
#: Shortest secret the server accepts (characters).
MIN_SECRET_LENGTH = 32


def header_env(header: str) -> str:
    """The environment name Voila gives a forwarded request header (RFC 3875 section 4.1.18)."""
    return "HTTP_" + header.upper().replace("-", "_")


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
    """True when the server was started with ``--demo`` (identity may be picked on the page);
    never behind the Hub."""
    environ = environ if environ is not None else os.environ
    return environ.get(ENV_DEMO) == "1" and not behind_hub(environ)


def behind_hub(environ: Mapping[str, str] | None = None) -> bool:
    """True when the server was started as a Hub service (identity from the Hub's proxy only)."""
    return (environ if environ is not None else os.environ).get(ENV_BEHIND_HUB) == "1"


def hub_user(environ: Mapping[str, str]) -> str:
    """The Hub user name forwarded by the proxy for this request; AccessDenied when the request
    did not come through the proxy (no secret, or a wrong one) or names nobody.

    Promises: a name is returned only when the request carries the proxy's secret, so a header
    sent straight to Voila's port by anything else on the machine is not believed.
    """
    secret = environ.get(ENV_PROXY_SECRET, "")
    if len(secret) < MIN_SECRET_LENGTH:
        raise AccessDenied(messages.say(messages.HUB_NOT_CONFIGURED))
    offered = environ.get(header_env(HEADER_SECRET), "")
    if not hmac.compare_digest(offered.encode("utf-8", "replace"), secret.encode("utf-8", "replace")):
        raise AccessDenied(messages.say(messages.HUB_NOT_THROUGH_PROXY))
    raw = environ.get(header_env(HEADER_USER), "")
    try:
        forwarded = json.loads(raw) if raw else None
    except ValueError:
        forwarded = None
    if not isinstance(forwarded, dict) or forwarded.get("kind", "user") != "user":
        raise AccessDenied(messages.say(messages.HUB_NO_USER))
    name = forwarded.get("name")
    if not isinstance(name, str) or not name.strip():
        raise AccessDenied(messages.say(messages.HUB_NO_USER))
    return name.strip()


def server_identity(environ: Mapping[str, str] | None = None) -> str | None:
    """The person id (or Hub user name) the server vouches for, or None (then only demo mode can
    pick one). Behind the Hub: the forwarded visitor, or AccessDenied."""
    environ = environ if environ is not None else os.environ
    if behind_hub(environ):
        return hub_user(environ)
    return environ.get(ENV_AS) or None


def identify(roster: Roster, environ: Mapping[str, str] | None = None, demo_choice: str | None = None) -> Viewer:
    """The viewer: the server's identity if it has one, else ``demo_choice`` in demo mode.

    AccessDenied, with a plain reason, when nobody can be identified or the id is not on the roster.
    Hub user names are matched against roster ids (in any case, as the Hub writes names in lower
    case), then email addresses, then the part of an email address before the ``@`` when exactly
    one person has it.
    """
    environ = environ if environ is not None else os.environ
    person_id = server_identity(environ)
    chosen = False
    if person_id is None:
        if not demo_mode(environ):
            raise AccessDenied(messages.say(messages.IDENTITY_UNKNOWN))
        if not demo_choice:
            raise AccessDenied(messages.say(messages.DEMO_PICK))
        person_id, chosen = demo_choice, True
    person = roster.get(person_id) or _by_id_any_case(roster, person_id) or _by_email(roster, person_id)
    if person is None:
        raise AccessDenied(messages.say(messages.VISITOR_NOT_ON_ROSTER, user=repr(person_id)))
    return Viewer(person, chosen_in_demo=chosen)


def _by_id_any_case(roster: Roster, user: str) -> Person | None:
    # JupyterHub writes user names in lower case: "F00012" signs in as "f00012".
    found = [person for person in roster if person.person_id.casefold() == user.casefold()]
    return found[0] if len(found) == 1 else None


def _by_email(roster: Roster, user: str) -> Person | None:
    user = user.lower()
    whole = [person for person in roster if person.email and person.email.lower() == user]
    if whole:
        return whole[0]
    local = [person for person in roster if person.email and person.email.lower().split("@")[0] == user]
    return local[0] if len(local) == 1 else None
