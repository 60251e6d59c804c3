"""The words of the reminders: each reason a person is reminded of, the messages and their
calendar invitation, the command line's table and summary, and the dashboard's Reminders tab."""

# --------------------------------------------------------------------------- reminders
#: Reminders (mentorforms.reminders): one line per reason a person is reminded of.
REMINDER_PART1_MISSING = ("Your Part I (faculty form) of the Annual Career Planning Conference for {year} "
                          "is not submitted yet")
REMINDER_PART2_NOT_HELD = "The conference with {subject} for {year} is not held yet, or its Part II is not signed"
REMINDER_PART2_OWN_NOT_HELD = ("Your own conference for {year} is not held yet, or its Part II is not signed "
                               "(nobody on the roster holds it: arrange it with the faculty-affairs office)")
REMINDER_PART2_SIGN = "Your Part II (chair form) for {year} is signed by the chair and waits for your signature"
REMINDER_AGREEMENT_REVISIT_MENTEE = "Your mentoring agreement with {mentor} is past its date to revisit the plan"
REMINDER_AGREEMENT_REVISIT_MENTOR = "Your mentoring agreement with {mentee} is past its date to revisit the plan"
REMINDER_NETWORK_MAP_MISSING = "Your developmental network map for {year} is not drawn yet (it is redrawn every year)"
REMINDER_REVIEW_DUE = ("The yearly review of your mentoring relationship with {other} is coming up: write your "
                       "views, decide together and both sign")
REMINDER_REVIEW_OVERDUE = ("The yearly review of your mentoring relationship with {other} is overdue and not signed "
                           "yet: write your views, decide together and both sign")
REMINDER_AGENDA_NOT_SHARED = ("Your meeting with {mentor} is tomorrow, {day}, and its agenda is not shared yet: "
                              "share it with your mentor today")
#: The same reasons in a few words, for the command line's table.
REMINDER_SHORT_PART1_MISSING = "Part I not submitted"
REMINDER_SHORT_PART2_NOT_HELD = "Part II not held or signed: {subject}"
REMINDER_SHORT_PART2_SIGN = "Part II to sign"
REMINDER_SHORT_PART2_OWN_NOT_HELD = "own Part II not held or signed"
REMINDER_SHORT_AGREEMENT_REVISIT = "agreement with {other} past its revisit date"
REMINDER_SHORT_NETWORK_MAP_MISSING = "no network map this year"
REMINDER_SHORT_REVIEW_DUE = "yearly review with {other} due"
REMINDER_SHORT_REVIEW_OVERDUE = "yearly review with {other} overdue"
REMINDER_SHORT_AGENDA_NOT_SHARED = "agenda for tomorrow's meeting with {other} not shared"
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
REMINDER_PREVIEW_WRITTEN = "wrote {messages} to look at in {folder}; nothing was sent (add --send to send)"
REMINDER_SENT = "sent {messages} through {server}; {skipped} not sent again or without an address"
REMINDER_SEND_FAILED = "{person}: not sent ({reason})"
REMINDER_SMTP_UNREACHABLE = "cannot send through {server}: {reason}"
REMINDER_UNKNOWN_REASON = "no reminder reason {reason!r}; the reasons are: {known}"
REMINDER_BAD_SMTP = "--smtp takes HOST:PORT, such as localhost:25, not {text!r}"
REMINDER_LOG_UNREADABLE = "line {line}: {reason}; nothing is sent until the sent-log is repaired"
REMINDER_LOG_TOO_LARGE = "is {size:,} bytes, more than a sent-log can be ({limit:,}); nothing is sent"
#: The dashboard's "Reminders" tab (mentorforms.ui.reminders_tab).
REMINDERS_INTRO = ("Everything owed on {day} by the faculty of {departments} and those who work with them "
                   "(the list 'mentorforms remind' prints). Nothing is sent until Send reminders is pressed; "
                   "a reminder already sent is not sent again.")
REMINDERS_NAMES_HIDDEN = "Reminders name people: they are listed for a chair's own department or for an analyst only."
REMINDERS_PREVIEW_NONE = "No message would go now: everything owed has been sent already, or has no address."
REMINDERS_PREVIEW_HEADING = "{messages} would go now"
REMINDERS_NO_SMTP = ("Sending is off: this server was started without a mail server. Start it with "
                     "'mentorforms serve DATA_DIR --smtp HOST:PORT --mail-from ADDRESS' (or set "
                     "MENTORFORMS_SMTP=HOST:PORT and MENTORFORMS_MAIL_FROM in its environment), or send from the "
                     "command line with "
                     "'mentorforms remind DATA_DIR --send'.")
REMINDERS_BAD_SETTING = "Sending is off: the server's mail setting cannot be used ({reason})."
REMINDERS_MAY_NOT_SEND = ("Only a department chair (for their own department) or a faculty-affairs analyst may send "
                          "reminders; not sent for {departments}.")
REMINDERS_NOT_YOURS = "You may not see the reminders of {department}."
REMINDERS_SENT_PAGE = ("Sent {messages} through {server}; {held} not sent (sent already, "
                       "or no address on the roster).")
REMINDERS_SENDING = "Sending the reminders…"
DASHBOARD_REMINDERS_FAILED = "The reminders could not be listed."
REMINDERS_REFUSED_BY_SERVER = "The mail server refused {messages}: {people}."
