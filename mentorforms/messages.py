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
# --------------------------------------------------------------------------- audit trail
# --------------------------------------------------------------------------- files and the data folder
# --------------------------------------------------------------------------- command line
# --------------------------------------------------------------------------- reports and reminders

#: Reminders (mentorforms.reminders): one line per reason a person is reminded of.
REMINDER_PART1_MISSING = "Your Part I (faculty form) of the Annual Career Planning Conference for {year} is not submitted yet"
REMINDER_PART2_NOT_HELD = "The conference with {subject} for {year} is not held yet, or its Part II is not signed"
REMINDER_PART2_OWN_NOT_HELD = ("Your own conference for {year} is not held yet, or its Part II is not signed "
                               "(nobody on the roster holds it: arrange it with the faculty-affairs office)")
REMINDER_PART2_SIGN = "Your Part II (chair form) for {year} is signed by the chair and waits for your signature"
REMINDER_AGREEMENT_REVISIT_MENTEE = "Your mentoring agreement with {mentor} is past its date to revisit the plan"
REMINDER_AGREEMENT_REVISIT_MENTOR = "Your mentoring agreement with {mentee} is past its date to revisit the plan"
REMINDER_NETWORK_MAP_MISSING = "Your developmental network map for {year} is not drawn yet (it is redrawn every year)"
#: The same reasons in a few words, for the command line's table.
REMINDER_SHORT_PART1_MISSING = "Part I not submitted"
REMINDER_SHORT_PART2_NOT_HELD = "Part II not held or signed: {subject}"
REMINDER_SHORT_PART2_SIGN = "Part II to sign"
REMINDER_SHORT_PART2_OWN_NOT_HELD = "own Part II not held or signed"
REMINDER_SHORT_AGREEMENT_REVISIT = "agreement with {other} past its revisit date"
REMINDER_SHORT_NETWORK_MAP_MISSING = "no network map this year"
#: How a due date reads in the table and the messages.
REMINDER_DUE_BEFORE = "before {day}"
REMINDER_DUE_ON = "{day}"
#: The message's subject line.
REMINDER_SUBJECT_ONE = "Mentoring: {reason}"
REMINDER_SUBJECT_MANY = "Mentoring: {count} things to do, the first due {due}"
#: The calendar invitation for the conference deadline.
REMINDER_CALENDAR_SUMMARY = "Annual Career Planning Conference due (before {day})"
REMINDER_CALENDAR_DESCRIPTION = ("The Annual Career Planning Conference for {year} and its forms are due before {day}. "
                                 "Your forms: {link}")
#: Why an outstanding item is not sent (the table's note column).
REMINDER_ALREADY_SENT = "already sent {day}"
REMINDER_NO_EMAIL = "no email address on the roster"
#: The command line's summary lines.
REMINDER_TABLE_EMPTY = "Nobody owes anything on {day}."
REMINDER_PREVIEW_WRITTEN = "wrote {count} message(s) to look at in {folder}; nothing was sent (add --send to send)"
REMINDER_SENT = "sent {count} message(s) through {server}; {skipped} item(s) not sent again or without an address"
REMINDER_SEND_FAILED = "{person}: not sent ({reason})"
REMINDER_SMTP_UNREACHABLE = "cannot send through {server}: {reason}"
REMINDER_UNKNOWN_REASON = "no reminder reason {reason!r}; the reasons are: {known}"
REMINDER_BAD_SMTP = "--smtp takes HOST:PORT, such as localhost:25, not {text!r}"
REMINDER_LOG_UNREADABLE = "line {line}: {reason}; nothing is sent until the sent-log is repaired"
REMINDER_LOG_TOO_LARGE = "is {size:,} bytes, more than a sent-log can be ({limit:,}); nothing is sent"
