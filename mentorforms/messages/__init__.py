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
VISITOR_NOT_ON_ROSTER = "{user} is not on the roster; ask the faculty-affairs office to add you."
HUB_NOT_CONFIGURED = ("This server is set up to sign people in through JupyterHub, but it has no proxy secret; "
                      "ask the administrator to start it with 'mentorforms hub-service'.")
HUB_NOT_THROUGH_PROXY = ("This address is only for the sign-in service; open the app through the "
                         "institution's JupyterHub address instead.")
HUB_NO_USER = "You are not signed in. Open the app through JupyterHub and sign in."
SERVER_LIBRARY_CHANGED = ("the server cannot start: an installed library is not the release it was built for "
                          "({missing}). Reinstall with ./dev.sh (it installs the pinned releases).")
#: One name of another library missing (mentorforms/compat.py); several are joined into {missing} above.
LIBRARY_INTERNAL_MISSING = ("{library} {installed} has no {name}, which mentorforms relies on ({why}; read from "
                            "{read_from}): {detail}")
EXPORT_LIBRARY_CHANGED = ("the export cannot be written: an installed library is not the release mentorforms was "
                          "built for ({missing}). Reinstall with ./dev.sh (it installs the pinned releases).")
SERVE_AS_WARNING = ("mentorforms: WARNING: every page opens as {person_id}: anyone who can reach "
                    "port {port} on this machine acts as that person. Use it only for yourself, and use "
                    "'mentorforms hub-service' (JupyterHub) to serve other people.")
NOT_ON_ROSTER = "'{person}' is not on the roster; ask the faculty-affairs office to add them."
NOT_A_RELATIONSHIP = ("There is no {form} for {subject} with this {party}: the roster does not assign them. "
                      "Open the agreement from the list of your forms, or ask the faculty-affairs office to "
                      "record the mentor.")
NOT_A_PARTY = ("You may not open this {form}. Faculty members open only their own forms; a mentor opens the "
               "agreements they are party to; a chair opens the conference forms of their own department.")
DATE_PASSED = "This date ({day}) came from the earlier form and has already passed: set the next one."
PICK_SOMEONE = "Choose a person from the list first, then press Continue."
CANNOT_CHANGE = "You may not change this form. Nothing was saved."
MAY_NOT_SIGN = "You may not sign here. Nothing was saved."
# --------------------------------------------------------------------------- saving, signing, conflicts
LATEST_UNREADABLE = ("The latest saved version of this form ({name}) cannot be read: {reason}. This page shows "
                     "version {version}, the last one that can be read, and nothing can be changed until the "
                     "faculty-affairs office has seen to the damaged file ('mentorforms check' names it).")
WILL_REMOVE = ("Saving will remove {count} character{s} Excel cannot store ({which}); everything else is kept "
               "as typed.")
DRAFT_RULE = ("Save draft keeps an unfinished form: answers may be missing, but each answer you give must be "
              "valid. Submit also needs every required answer. Signing submits the form with your signature.")
MARKS_LEGEND = ('<span class="mf-lcme">*</span> marks a topic the LCME requires the annual conference to cover; '
                'it is not the same as <span class="mf-required">required</span>, which marks an answer Submit '
                'needs.')
FORGED = ("Nothing was saved: the page sent changes to {answers} you may not change. "
          "This has been recorded. Reload the page to see the form as filed.")
STALE = ("Not saved: version {version} was filed since you opened this page, changing {answers}. "
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
# --------------------------------------------------------------------------- answers: next to a field
ANSWER_REQUIRED = "This is required."
ANSWER_REQUIRED_WHEN = "This is required when '{choice}' is chosen."
ANSWER_TEXT_UNSTORABLE = "This answer {reason}."
ANSWER_DATE_OUT_OF_RANGE = "This date is out of range; please check the year."
ANSWER_SIGNED_IN_FUTURE = "A signature cannot be dated in the future."
ANSWER_NOT_A_DATE = "This is not a real date. Type it as MM/DD/YYYY, such as 09/30/2025."
ANSWER_HOURS_NEGATIVE = "Hours cannot be negative."
ANSWER_HOURS_IMPLAUSIBLE = "More than {bound:,g} hours in a year is not plausible here; please check the number."
ANSWER_HOURS_NOT_NUMBER = "Enter a number of hours, such as 12 or 2.5."
ANSWER_NOT_WHOLE_NUMBER = "Enter a whole number."
ANSWER_AT_LEAST = "Must be at least {bound:g}."
ANSWER_AT_MOST = "Must be at most {bound:,g}."
ANSWER_RANK_RANGE = "Ranks run from 1 to {count}."
ANSWER_RANK_UNLISTED = "Only the listed activities can be ranked."
ANSWER_RANK_REPEATED = "Each rank can be used only once."
ANSWER_RANK_INCOMPLETE = "Rank every activity, using each number from 1 to {count} once."
ANSWER_CHOOSE_ONE_OF = "Choose one of: {choices}."
ANSWER_TOO_MANY_ROWS = "At most {count} rows can be entered."
ANSWER_TOO_FEW_ROWS = "Please enter at least {count} {rows}."
ANSWER_TOO_LONG = "Must be at most {count:,} characters long."
ANSWER_WRONG_KIND = "This answer is not of the right kind for this question."
#: Beside a rank field when choosing a rank another item held moved that item (ranks are never used twice).
RANK_MOVED = "{other} had rank {rank}, so it now has {now}."
RANK_NONE = "no rank"
# --------------------------------------------------------------------------- the form page
PAGE_NO_FORM_NAMED = "No form was named in the link. Open a form from the list of your forms."
PAGE_FORM_UNREADABLE = ("The saved form cannot be read, so it is not shown (nothing was changed). The "
                        "faculty-affairs office can see why in the server log.")
PAGE_FORM_UNREADABLE_TITLE = "This form cannot be opened"
PAGE_SIGNED_PRESS_EDIT = "This version is signed; press Edit to change it."
PAGE_EDITING_SIGNED = ("This form was signed. If you change any answer, your changes are saved as a new version "
                       "without the signatures, and it must be signed again.")
PAGE_EDIT_NOW = "You can edit the form now."
PAGE_SIGNATURES_WILL_CLEAR = ("You have changed answers of a signed version. When you save, the earlier signatures "
                              "no longer apply: the new version must be signed again.")
PAGE_SHOWS_NEWEST = "The page now shows the newest version; your answers are listed above to copy."
PAGE_NOT_SAVED_TEXT = "Nothing was saved: some {reason}. Nothing you typed was lost."
PAGE_NOT_FILED_ONE = ("Not {verb}: 1 answer needs attention — see the message next to it (first: {first}). "
                      "Nothing you typed was lost.")
PAGE_NOT_FILED_MANY = ("Not {verb}: {count} answers need attention — see the messages next to them "
                       "(first: {first}). Nothing you typed was lost.")
PAGE_NOT_FILED_OTHER_PARTY = ("Not {verb}: this form still has problems that only the person filling it can fix "
                              "(first: {first}).")
PAGE_NOT_SAVED_FOLDER = ("Nothing was saved: the data folder could not be written ({error}). "
                         "Nothing you typed was lost; please try again in a moment.")
PREFILL_AGREEMENT_GOALS = "The goals of your mentoring agreement are listed: update the status of those you discussed."
PREFILL_CARRIED_FORWARD = "This form starts from the one filed in {year}. Revise it as needed; it must be signed again."
PREFILL_EARLIER_UNREADABLE = "Your earlier form could not be read, so this one starts empty."
PREFILL_FROM_EARLIER = "This starts from what you filed in an earlier year: update it for this year."
NETWORK_PREVIOUS_UNREADABLE = "Your previous map could not be read ({error}); changes are not shown."
NETWORK_SUMMARY_FAILED = "The network summary could not be updated ({error}). Your answers are not affected."
NETWORK_NO_REFLECTION = "No reflection written yet."
PAGE_FILED_NOT_RECORDED = ("Saved as version {version}: it is filed, but the audit trail could not record it "
                           "({reason}). The next save or 'mentorforms check' records it; please tell the "
                           "faculty-affairs office.")
PAGE_DOWNLOAD_READY = "Save version {version}"
#: After a save that removed characters a workbook cannot hold (the notice before it said "will remove").
SAVED_REMOVED = " {label}: {notice}."
PAGE_DOWNLOAD_NOT_RECORDED = ("The workbook is not offered: its download could not be recorded in the audit trail. "
                              "Please try again in a moment; the faculty-affairs office can see why in the server log.")
# --------------------------------------------------------------------------- the analyst page
ANALYST_NOT_ALLOWED = ("The analyst export is for faculty-affairs analysts and department chairs; "
                       "your roster entry has neither role.")
ANALYST_STILL_LOADING = "The data is still loading; try again in a moment."
ANALYST_DEPARTMENT_REFUSED = "You may not export the report of {department}."
ANALYST_CHOOSE_DEPARTMENT = "Choose at least one department."
PAGE_FAILED_SEE_LOG = "That did not work. The faculty-affairs office can see why in the server log."
# --------------------------------------------------------------------------- the workbook's own checks (Excel)
SHEET_CHOOSE_LISTED = "Choose one of the listed answers."
SHEET_HOURS = "Enter a number of hours, not negative."
SHEET_WHOLE_NUMBER = "Enter a whole number in range."
SHEET_DATE = "Enter a date, such as 2025-09-30."
# --------------------------------------------------------------------------- signatures (page and workbook)
SIGNATURE_SIGNED = "Signed by {who} on {day} at {time} UTC. Meaning: \u201c{meaning}\u201d"
SIGNATURE_TYPED = "Signed as typed in the workbook. Meaning: \u201c{meaning}\u201d"
SIGNATURE_MEANS = "This signature means: \u201c{meaning}\u201d"
SIGNATURE_SIGNED_ON_PAGE = "Signed by {who} on {day}{at}: \u201c{meaning}\u201d"
SIGNATURE_HOW_TO_SIGN = "Signing means: \u201c{meaning}\u201d Type your name as the roster has it, then press Sign."
SIGNATURE_NOT_YET = "Not signed yet. This signature means: \u201c{meaning}\u201d"
#: Beside the typed name, where a date box used to be: the server dates a signature.
SIGNATURE_DATE_TODAY = "Date: {day} (today: the date a signature given now is stored with)"
SIGNATURE_DATE_GIVEN = "Date: {day}"
# --------------------------------------------------------------------------- the mentoring year
REOPENED = " The {form} is open again as version {version}, a draft without signatures: revise it and sign it again."
AGENDA_NOT_SHARED = "The mentee has not shared the agenda yet."
AGENDA_SHARED_BEFORE = "Agenda shared on {shared}, {days} before the meeting."
AGENDA_SHARED_LATE = "Agenda shared on {shared}, less than a day before the meeting (the booklet asks for a day ahead)."
AGENDA_SHARED_AFTER = "Agenda shared on {shared}, {days} after the meeting."
# --------------------------------------------------------------------------- audit trail
# Writing the log (each is the reason part of an AuditError, which names the log file).
AUDIT_UNKNOWN_ACTION = "{action!r} is not an action the audit trail knows"
AUDIT_BAD_DIGEST = "the digest given for {path} is not a SHA-256 hex digest"
AUDIT_LOCK_TIMEOUT = "another process has held the audit trail's lock for more than {seconds} s; nothing was recorded"
AUDIT_WRITE_FAILED = "the audit trail could not be written ({reason})"
AUDIT_NOT_RECORDED = ("version {version} WAS filed as {path}, but the audit trail could not record it ({reason}); "
                      "the next save into that folder or 'mentorforms check' records it; tell the faculty-affairs "
                      "office")
AUDIT_HEAD_UNREADABLE = "not a readable record of the log's last entry"
# Why a line of the log holds no entry.
AUDIT_LINE_TOO_LONG = "longer than {limit:,} bytes"
AUDIT_NOT_JSON = "not JSON"
AUDIT_WRONG_FIELDS = "not the fields of an audit entry"
# What `mentorforms audit verify` finds; each line starts with the file it is about.
AUDIT_ENTRY_CHANGED = "entry {seq} (line {line}) was changed after it was written: its hash does not match its content"
AUDIT_ENTRY_MISPLACED = "entry {seq} (line {line}) does not follow {before}: {why}"
AUDIT_BEFORE_ENTRY = "entry {seq}, the one before it in the log"
AUDIT_BEFORE_START = "the start of the log"
AUDIT_WHY_MISSING_ONE = "entry {first} is missing"
AUDIT_WHY_MISSING = "entries {first} to {last} are missing"
AUDIT_WHY_ELSEWHERE = "the entries are out of order (entry {seq} is on line {line})"
AUDIT_WHY_TWICE = "an entry with this number is already on line {line}"
AUDIT_WHY_EARLIER = "the entries are out of order (entry {seq} belongs before entry {before})"
AUDIT_WHY_UNCHAINED = "it is chained to an entry that is not the one before it (an entry was removed or replaced)"
AUDIT_LINE_UNREADABLE = "line {line} is not a readable entry ({reason})"
AUDIT_LINE_CUT = "the last line ({line}) was cut short ({reason}): the log was truncated or a write did not finish"
AUDIT_TAIL_REMOVED = ("the log ends at entry {last}, but entry {head} was written ({head_file} says so): "
                      "entries after {last} were removed")
AUDIT_HEAD_DIFFERS = ("{head_file} records entry {head} with another hash than the log's entry {head}: "
                      "the log was rewritten")
AUDIT_HEAD_MISSING = "{head_file} is missing: nobody can tell whether entries were removed from the end"
AUDIT_HEAD_BROKEN = "{head_file} is {reason}"
AUDIT_WORKBOOK_CHANGED = ("its bytes differ from those recorded by entry {seq} ({action} by {actor}, {at}): "
                          "the workbook was changed after it was filed")
AUDIT_WORKBOOK_VANISHED = "recorded by entry {seq} ({action} by {actor}, {at}) but no longer in the data folder"
AUDIT_WORKBOOK_REFILED = ("recorded by entry {seq} and again by entry {again} with other bytes: the version "
                          "first filed under this name was removed")
AUDIT_WORKBOOK_UNRECORDED = "no entry of the audit trail records this workbook: it was filed outside the app"
AUDIT_WORKBOOK_UNREADABLE = "cannot be read to check it ({reason})"
AUDIT_INTACT = "audit trail intact: {entries:,} entries, {workbooks:,} workbooks checked"
AUDIT_BROKEN = "audit trail NOT intact: {problems:,} problem{s} in {entries:,} entries, {workbooks:,} workbooks checked"
AUDIT_NOT_A_FOLDER = "no such data folder"
AUDIT_ADOPTED_DETAIL = "recorded as found ({status}): filed before the audit trail or outside the app"
AUDIT_ADOPT_DONE = "recorded {workbooks} the audit trail did not know; {refused:,} left out (not readable)"
AUDIT_ADOPT_REFUSED = "{path}: left out: {reason}"
AUDIT_SHOW_NOTHING = "no entries{which}"
AUDIT_SHOW_SKIPPED = "{log}: line {line} is not a readable entry ({reason}); run 'mentorforms audit verify'"
AUDIT_INTERRUPTED_DETAIL = ("an append did not finish: {size:,} bytes after entry {after} were cut short and "
                            "held nothing recorded; this entry closes that line")
AUDIT_RECOVERED_DETAIL = ("version {version} ({status}) was filed at {filed} but its own entry was never written "
                          "(a crash or a full disk between filing and recording); recorded now by whoever found it")
AUDIT_PAST_HEAD_ONE = ("entry {first} (line {line}) is past entry {head}, the last one {head_file} names: the "
                       "last append was interrupted before {head_file} was written (the next entry the app writes "
                       "puts that right), or it was added without the app")
AUDIT_PAST_HEAD_MANY = ("the log holds {count:,} entries ({first} to {last}) past entry {head}, the last one "
                        "{head_file} names: they were added without the app, or {head_file} could not be written "
                        "for them (a full disk or a read-only audit folder: the server log says so); an "
                        "interrupted append leaves at most one")
AUDIT_LINE_CUT_CLOSED = ("line {line} was cut short by an append that did not finish; entry {seq} records it "
                         "(by {actor}, {at}) and nothing it held was recorded")
# --------------------------------------------------------------------------- files and the data folder

# Text a workbook cannot hold (mentorforms.workbooks.safe_cell). Each completes "This answer ...".
TEXT_TOO_LONG = "is {length:,} characters long; a spreadsheet cell holds at most {limit:,}"
TEXT_UNSTORABLE_CHARACTERS = "contains {count} character{s} Excel cannot store ({which})"
TEXT_BROKEN_CHARACTER = "contains a broken character (half of an emoji or symbol); please retype it"
#: Said next to a field (or by import) when :func:`mentorforms.workbooks.safe_cell.clean` removed characters.
REMOVED_CHARACTERS = "removed {count} character{s} Excel cannot store ({which})"
#: A field whose text the workbook writer refused (nothing was written).
FIELD_TEXT_UNSTORABLE = "text in {label} {reason}"

# Reading a workbook (mentorforms.workbooks.workbook). Each follows the file's name and a colon.
FILE_MISSING = "cannot be opened: it does not exist (was it moved or deleted?)"
FILE_CANNOT_OPEN = "cannot be opened ({reason})"
FILE_EMPTY = "is empty (0 bytes): the copy did not finish, or it was never saved"
FILE_TOO_BIG = ("is {size:,} bytes; a mentorforms workbook is far smaller (at most {limit:,}), so it was "
                "not opened")
FILE_OLD_XLS = "is an old .xls workbook; open it in Excel and save it as .xlsx (Excel Workbook)"
FILE_WEB_PAGE = "cannot be opened as an Excel workbook: it is a web page or text file given an Excel name"
FILE_NOT_ZIP = "cannot be opened as an Excel workbook: an .xlsx file is a zip archive, and this is not one"
FILE_DAMAGED_ZIP = "cannot be opened: it is damaged or incomplete (cut short while copying?): {detail}"
FILE_DAMAGED_MEMBER = "cannot be opened: it is damaged (its part {member} does not unpack as stored: {detail})"
FILE_TOO_MANY_PARTS = "has {count:,} parts; an Excel workbook has far fewer (at most {limit:,}), so it was not opened"
FILE_UNPACKS_TOO_BIG = ("would unpack to {size:,} bytes ({member}); a mentorforms workbook unpacks to far "
                        "less, so it was not opened (a \"zip bomb\"?)")
FILE_RATIO = ("packs {member} {ratio:,.0f} times smaller than it unpacks; no workbook compresses like "
              "that, so it was not opened (a \"zip bomb\"?)")
FILE_ENCRYPTED = "is password-protected; save it without a password"
FILE_ODD_COMPRESSION = "uses a kind of compression Excel does not write ({member}), so it was not opened"
FILE_NOT_WORKBOOK_ZIP = "is a zip file but not an Excel workbook (it has no {part})"
FILE_XML_ENTITIES = ("cannot be opened: its part {member} declares XML entities (a trick that makes "
                     "readers expand or fetch text)")
FILE_FORMULAS = "has formulas in {member}; a mentorforms workbook never has any, so it was not opened"
FILE_CELL_UNSTORABLE = "its {sheet} sheet, row {row}, holds text that {reason}"
FILE_NOT_OURS = "not a mentorforms workbook (it has no 'record' sheet)"
FILE_UNREADABLE = "cannot be opened as an Excel workbook ({detail})"
FILE_RECORD_DAMAGED = "its record sheet is damaged ({detail})"

# The data folder (mentorforms.records.store, mentorforms.commands.check).
FOLDER_MISSING = "the data folder {root} does not exist"
FOLDER_GONE = ("the data folder {root} is not there any more (a network drive that dropped?); "
               "nothing was saved")
FOLDER_NOT_MARKED = ("{root} is not a mentorforms data folder (it has no {marker} file), so nothing was "
                     "saved; if it is one, run 'mentorforms init {root}'")
FOLDER_OFFER_INIT = ("has no {marker} file, so the app refuses to save here; if this is the office's data "
                     "folder, run 'mentorforms init {root}'")
FOLDER_STALE_TEMPORARY = "removed a temporary file left by an interrupted save ({age})"
FOLDER_OLD_XLS = "an old .xls workbook; save it as .xlsx (it is not read until then)"
FOLDER_OLD_XLS_ROSTER = "the roster is an old .xls workbook; save it as roster.xlsx (there is no roster until then)"
FOLDER_STRAY_FILE = "is not a workbook, so the app does not read it"
FOLDER_LATEST_UNREADABLE = ("is the latest version and cannot be read; pages show version {shown} instead, "
                            "read-only, and reports use it")
FOLDER_LATEST_UNREADABLE_NONE = "is the latest version and cannot be read; there is no readable version before it"
SAVED_BUT_NOT_SYNCED = ("version {version} was filed in {folder}, but the folder could not be flushed to disk "
                        "({reason})")
INDEX_ROW_DAMAGED = ("the report index's copy of its answers is damaged ({detail}); delete the index "
                     "(.mentorforms-index.sqlite) and it is rebuilt from the workbooks")
WORKBOOK_NOT_AT_APP_NAME = ("is not at a name the app writes (records/YEAR/DEPARTMENT/PERSON/FORM[--INSTANCE]/"
                            "vNNNN.xlsx), so it counts for nobody and is shown to nobody")
WORKBOOK_MISPLACED = ("says it is {what} but lies at {place}, where that record is not filed (the app files it as "
                      "{expected}): a copy or a file moved by hand; it counts for nobody and is shown to nobody")
VERSION_TAKEN = "version {version} in {folder} was filed by another save first; nothing was filed"
FOLDER_RECOVERED = ("was filed but never recorded in the audit trail (a crash or a full disk); recorded now as "
                    "entry {seq} by {actor}")
FOLDER_UNRECORDED = ("was filed but is not recorded in the audit trail, and could not be recorded now ({reason}); "
                     "run 'mentorforms check' again once the audit folder can be written")
ROSTER_SAME_BUT_FORM = ("{what} {names} (rows {rows}) differ only in Unicode form, case or width: they look the "
                        "same on every page but count as different {plural}")
ROSTER_LOOK_ALIKE = ("{what} {names} (rows {rows}) look alike (the same letters but for accents or look-alike "
                     "characters from other scripts); check that they are meant to be different {plural}")
# --------------------------------------------------------------------------- command line
PORT_TAKEN = ("port {port} on 127.0.0.1 is already in use by another program, so nothing was started; "
              "stop that program or choose another port with --port (for example --port {suggestion})")
SERVING = "serving {folder}{who}"
OPEN_AT = "open {url}"

CLI_ERROR = "mentorforms {command}: {reason}"
CLI_UNEXPECTED = "mentorforms {command}: failed unexpectedly ({kind}: {reason}); run it again with --debug for details"
CLI_OUT_FOLDER_MISSING = "cannot write {path}: the folder {folder} does not exist"
CLI_OUT_NOT_XLSX = "{path} does not end in .xlsx; name the workbook to write something.xlsx"
CLI_DISK_FULL = "the disk is full ({path}); nothing was written there"
CLI_OS_ERROR = "{path}: {reason}"
CLI_INITIALISED = "{root} is now a mentorforms data folder ({marker} written)"
CLI_ALREADY_INITIALISED = "{root} is already a mentorforms data folder"
CLI_IMPORT_NOTICE = "{cell}, {field}: {notice}"
# Pages (mentorforms.ui.context)
PAGE_CALLBACK_FAILED = ("Something went wrong on the server, so what you last did may not have been done. "
                        "Nothing you typed on this page was lost; please try again, and if it happens again "
                        "tell the faculty-affairs office (the details are in the server's log).")

# ------------------------------------------------------------------ the busy page (mentorforms.server.voila_app)
BUSY_TITLE = "Busy: your page opens in a moment"
BUSY_EXPLAINED = ("Many people are opening pages right now, so the server is taking them in turn. "
                  "Keep this tab open: your page opens by itself as soon as it is your turn.")
BUSY_POSITION = "You are number {position} in the queue."
BUSY_NEXT = "It is your turn: your page is opening."
BUSY_NO_POSITION = "The queue is full; this page tries again by itself."
BUSY_NO_SCRIPT = "This page reloads itself every few seconds until your page opens."
#: Shown on a page whose kernel did not answer in time (the page would otherwise stay blank).
PAGE_NOT_OPENED = ("This page did not open: the server did not finish preparing it in time. Nothing was "
                   "lost, as nothing had been shown yet. Open it again; if this keeps happening, try again in a "
                   "few minutes or tell the faculty-affairs office.")
PAGE_REOPEN = "Open the page again"
OPENING_TIMEOUT_HELP = ("seconds a page may take to open before it says so in plain words and offers to open "
                        "again, and the server stops waiting for it (default {default})")
BUSY_MAX_OPENING_HELP = ("pages the server opens at once (a kernel starting and the page's cells running); "
                         "a visitor beyond this sees a 'busy, your page opens in a moment' page with their "
                         "place in the queue, and no kernel is started for them; 0 for no limit "
                         "(default: one per CPU core, {default} here)")

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
#: The dashboard lists each saved file it could not open under its count (records/YEAR/...: reason).
DASHBOARD_UNREADABLE_TITLE = "Saved files that could not be opened (in the records folder):"
DASHBOARD_UNREADABLE_ELSEWHERE = "{files} in other departments (named for an analyst)"
#: The office's window of academic years (mentorforms.rules.year_window).
YEAR_OUTSIDE_WINDOW = ("{year} is not a year this office keeps forms for: the years open are {window}. Nothing "
                       "was written. Choose one of those years (the faculty-affairs office sets them in office.toml).")
YEAR_SETTINGS_INVALID = ("{path}: the office's years cannot be read ({reason}); write them as "
                         "[years] first = \"2024-2025\" and last = \"2026-2027\"")
#: The forms an office adds (mentorforms.forms.office_forms): each names office.toml and the module.
OFFICE_FORMS_SETTING_INVALID = ("{path}: the office's forms cannot be read ({reason}); name the modules that "
                                "declare them as [forms] modules = [\"myschool_forms.sabbatical\"]")
OFFICE_FORM_UNAVAILABLE = ("{path}: the form module {module!r} cannot be imported ({reason}); install it where "
                           "the app runs, or remove it from [forms] modules")
OFFICE_FORM_CLASH = ("{path}: the form module {module!r} declares the form {form_id!r}, which {other} already "
                     "declares; give the school's form an id of its own")
OFFICE_FORM_INVALID = ("{path}: the form module {module!r} does not declare a usable form ({reason}); see "
                       "docs/forms.md")

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
DASHBOARD_NETWORK_FAILED = "The network figures could not be shown."
DASHBOARD_YEAR_FAILED = "The mentoring-year figures could not be shown."
DASHBOARD_REMINDERS_FAILED = "The reminders could not be listed."
REMINDERS_REFUSED_BY_SERVER = "The mail server refused {messages}: {people}."


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """``count`` and its noun, singular for one: ``counted(1, "problem")`` is "1 problem",
    ``counted(1200, "workbook")`` "1,200 workbooks" (never "1 problems" or "2 answer(s)")."""
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"
