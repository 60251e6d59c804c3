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
NOT_ON_ROSTER = "'{person}' is not on the roster; ask the faculty-affairs office to add them."
NOT_A_RELATIONSHIP = ("There is no {form} for {subject} with this {party}: the roster does not assign them. "
                      "Open the agreement from the list of your forms, or ask the faculty-affairs office to "
                      "record the mentor.")
NOT_A_PARTY = ("You may not open this {form}. Faculty members open only their own forms; a mentor opens the "
               "agreements they are party to; a chair opens the conference forms of their own department.")
CANNOT_CHANGE = "You may not change this form. Nothing was saved."
MAY_NOT_SIGN = "You may not sign here. Nothing was saved."
# --------------------------------------------------------------------------- saving, signing, conflicts
FORGED = ("Nothing was saved: the page sent changes to {count} answer(s) you may not change. "
          "This has been recorded. Reload the page to see the form as filed.")
STALE = ("Not saved: version {version} was filed since you opened this page, changing {count} answer(s). "
         "Look at what changed below, then choose.")
NO_CHANGES = "No changes to save."
DRAFT_SAVED = "Draft saved as version {version}."
NOTHING_CHANGED_SINCE = "Nothing has changed since version {version} was {status}."
SUBMITTED = "Submitted as version {version}."
SIGNED_AND_SUBMITTED = "Signed and submitted as version {version}."
SIGNED_ALL = "Signed: version {version} carries every signature and is now read-only."
WAITING_FOR = " Waiting for signature: {labels}."
TYPE_NAME_TO_SIGN = "Type your name to sign."
NAME_IS_NOT_YOURS = "A signature is your own name as the roster has it: {name}."
ALREADY_SIGNED = "This signature has already been given."
NOTHING_TO_SIGN = "There is nothing to sign yet: this form has not been submitted."
NO_PROGRESS = "This form has no goal progress to update."
PROGRESS_NEEDS_SUBMITTED = "Goal status is recorded on a submitted or signed form; submit it first."
PROGRESS_SAVED = "Goal status saved as version {version}; the signatures still hold."
SIGNATURES_CLEARED = ("The answers changed after signing, so this version carries no signatures: "
                      "version {version} must be signed again.")
# --------------------------------------------------------------------------- the mentoring year
REOPENED = " The {form} is open again as version {version}, a draft without signatures: revise it and sign it again."
AGENDA_NOT_SHARED = "The mentee has not shared the agenda yet."
AGENDA_SHARED_BEFORE = "Agenda shared on {shared}, {days} day(s) before the meeting."
AGENDA_SHARED_LATE = "Agenda shared on {shared}, less than a day before the meeting (the booklet asks for a day ahead)."
AGENDA_SHARED_AFTER = "Agenda shared on {shared}, {days} day(s) after the meeting."
# --------------------------------------------------------------------------- audit trail
# --------------------------------------------------------------------------- files and the data folder
# --------------------------------------------------------------------------- command line
# --------------------------------------------------------------------------- reports and reminders
