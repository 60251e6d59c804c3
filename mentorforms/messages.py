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
#: Under the dashboard's and the analyst page's filters, once the saved forms are counted.
REPORT_COUNTED = "Counted from {files:,} saved forms (every saved version of every form)."
REPORT_UNREADABLE = (" {problems:,} saved file{s} could not be opened and {are} left out of every number; "
                     "the analyst export lists {which} on its Problems sheet.")
REPORT_NOTHING_FILED = "No forms have been filed yet."
REPORT_LOAD_FAILED = "The report could not be loaded. The faculty-affairs office can see why in the server log."
REPORT_SHOW_FAILED = "These numbers could not be shown. The faculty-affairs office can see why in the server log."
REPORT_TAB_FAILED = "This tab could not be shown. The faculty-affairs office can see why in the server log."
#: Beside the analyst page's department list.
ANALYST_DEPARTMENTS_HINT = ("All {count} departments are selected (highlighted). Click one to choose only it; "
                            "Ctrl-click (Cmd-click on a Mac) to add or remove one; Shift-click to choose a run.")
#: `mentorforms report --year Y` for a year without a single filed form.
REPORT_YEAR_EMPTY = ("mentorforms report: no forms have been filed for {year}, so there is nothing to report; "
                     "no file was written. Years with forms: {years}.")
REPORT_NO_YEARS = "none yet"
