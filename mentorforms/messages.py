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
