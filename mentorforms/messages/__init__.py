"""Every sentence the app shows a person or prints for one, in one catalogue.

Each message is a constant holding a ``str.format`` template; code fills it with :func:`say`
(never with f-strings of its own), so the wording of the whole app can be read, reviewed and
changed here. Messages are grouped by where they are shown, one module per area, each in sections:
the forms and their pages (:mod:`~mentorforms.messages.pages`), the records and the audit trail
(:mod:`~mentorforms.messages.records`), the reports (:mod:`~mentorforms.messages.reports`), the
reminders (:mod:`~mentorforms.messages.reminders`), the server and the command line
(:mod:`~mentorforms.messages.server`). Every message is read from here, ``messages.NAME``, whatever
module holds it. Names say what happened (``NOT_SAVED_STALE``), not where the code is.
"""

from __future__ import annotations

from typing import Any

# Every message of every area is a name of this package (the areas hold nothing else).
from mentorforms.messages.pages import *  # noqa: F403
from mentorforms.messages.records import *  # noqa: F403
from mentorforms.messages.reminders import *  # noqa: F403
from mentorforms.messages.reports import *  # noqa: F403
from mentorforms.messages.server import *  # noqa: F403


def say(template: str, **values: Any) -> str:
    """The message ``template`` filled with ``values`` (a KeyError names a missing value)."""
    return template.format(**values) if values else template


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """``count`` and its noun, singular for one: ``counted(1, "problem")`` is "1 problem",
    ``counted(1200, "workbook")`` "1,200 workbooks" (never "1 problems" or "2 answer(s)")."""
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"
