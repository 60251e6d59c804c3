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

# Text a workbook cannot hold (mentorforms.safe_cell). Each completes "This answer ...".
TEXT_TOO_LONG = "is {length:,} characters long; a spreadsheet cell holds at most {limit:,}"
TEXT_UNSTORABLE_CHARACTERS = "contains {count} character{s} Excel cannot store ({which})"
TEXT_BROKEN_CHARACTER = "contains a broken character (half of an emoji or symbol); please retype it"
#: Said next to a field (or by import) when :func:`mentorforms.safe_cell.clean` removed characters.
REMOVED_CHARACTERS = "removed {count} character{s} Excel cannot store ({which})"
#: A field whose text the workbook writer refused (nothing was written).
FIELD_TEXT_UNSTORABLE = "text in {label} {reason}"

# Reading a workbook (mentorforms.workbook). Each follows the file's name and a colon.
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

# The data folder (mentorforms.store, mentorforms.check).
FOLDER_MISSING = "the data folder {root} does not exist"
FOLDER_GONE = ("the data folder {root} is not there any more (a network drive that dropped?); "
               "nothing was saved")
FOLDER_NOT_MARKED = ("{root} is not a mentorforms data folder (it has no {marker} file), so nothing was "
                     "saved; if it is one, run 'mentorforms init {root}'")
FOLDER_OFFER_INIT = ("has no {marker} file, so the app refuses to save here; if this is the office's data "
                     "folder, run 'mentorforms init {root}'")
FOLDER_STALE_TEMPORARY = "removed a temporary file left by an interrupted save ({age})"
FOLDER_OLD_XLS = "an old .xls workbook; save it as .xlsx (it is not read until then)"
FOLDER_STRAY_FILE = "is not a workbook, so the app does not read it"
FOLDER_LATEST_UNREADABLE = ("is the latest version and cannot be read; pages show version {shown} instead, "
                            "read-only, and reports use it")
FOLDER_LATEST_UNREADABLE_NONE = "is the latest version and cannot be read; there is no readable version before it"
SAVED_BUT_NOT_SYNCED = ("version {version} was filed in {folder}, but the folder could not be flushed to disk "
                        "({reason})")
# --------------------------------------------------------------------------- command line

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

# --------------------------------------------------------------------------- reports and reminders
