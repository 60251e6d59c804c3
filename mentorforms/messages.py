"""Every sentence the app shows a person or prints for one, in one catalogue.

Each message is a constant holding a ``str.format`` template; code fills it with :func:`say`
(never with f-strings of its own), so the wording of the whole app can be read, reviewed and
changed here. Messages are grouped by where they are shown; each group is a section below.
Names say what happened (``NOT_SAVED_STALE``), not where the code is.
"""

from __future__ import annotations

from typing import Any


def say(template: str, **values: Any) -> str:
    """The message ``template`` filled with ``values`` (a KeyError names a missing value)."""
    return template.format(**values) if values else template


# --------------------------------------------------------------------------- access and identity
IDENTITY_UNKNOWN = ("This server does not know who you are. Start it with 'mentorforms serve --as YOUR_ID', "
                    "or through JupyterHub.")
DEMO_PICK = "Demo mode: pick who you are to continue."
NOT_ON_ROSTER = "{user} is not on the roster; ask the faculty-affairs office to add you."
HUB_NOT_CONFIGURED = ("This server is set up to sign people in through JupyterHub, but it has no proxy secret; "
                      "ask the administrator to start it with 'mentorforms hub-service'.")
HUB_NOT_THROUGH_PROXY = ("This address is only for the sign-in service; open the app through the "
                         "institution's JupyterHub address instead.")
HUB_NO_USER = "You are not signed in. Open the app through JupyterHub and sign in."
SERVE_AS_WARNING = ("mentorforms: WARNING: every page opens as {person_id}: anyone who can reach "
                    "port {port} on this machine acts as that person. Use it only for yourself, and use "
                    "'mentorforms hub-service' (JupyterHub) to serve other people.")
BUSY = "The server is busy; your page opens in a moment."
# --------------------------------------------------------------------------- saving, signing, conflicts
# --------------------------------------------------------------------------- audit trail
# --------------------------------------------------------------------------- files and the data folder
# --------------------------------------------------------------------------- command line
# --------------------------------------------------------------------------- reports and reminders
