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
# --------------------------------------------------------------------------- saving, signing, conflicts
# --------------------------------------------------------------------------- audit trail
# --------------------------------------------------------------------------- files and the data folder
# --------------------------------------------------------------------------- command line
# --------------------------------------------------------------------------- reports and reminders
