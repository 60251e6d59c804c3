"""The words of the records: the audit trail (writing it, reading it, and what ``mentorforms audit``
says), text a workbook cannot hold, reading a workbook, the data folder and the roster."""

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
VERSION_NOT_CLAIMED = "could not claim a version number in {folder}"
FOLDER_RECOVERED = ("was filed but never recorded in the audit trail (a crash or a full disk); recorded now as "
                    "entry {seq} by {actor}")
FOLDER_UNRECORDED = ("was filed but is not recorded in the audit trail, and could not be recorded now ({reason}); "
                     "run 'mentorforms check' again once the audit folder can be written")
# The roster (mentorforms.records.roster): each problem names its row and column, then the reason.
ROSTER_PROBLEM = "row {row}, {column}: {reason}"
ROSTER_EMPTY = "the roster is empty"
ROSTER_COLUMN_MISSING = "column is missing"
ROSTER_REQUIRED = "is required"
ROSTER_NOT_EMAIL = "{value!r} is not an email address"
ROSTER_UNKNOWN_ROLE = "unknown role {unknown}; roles are {roles}"
ROSTER_ID_USED = "{person_id!r} is already used on row {row}"
ROSTER_MENTOR_UNKNOWN = "mentor {mentor!r} is not on the roster"
ROSTER_SELF_MENTOR = "a person cannot mentor themself"
ROSTER_NO_FILE = "there is no roster file"
ROSTER_SAME_BUT_FORM = ("{what} {names} (rows {rows}) differ only in Unicode form, case or width: they look the "
                        "same on every page but count as different {plural}")
ROSTER_LOOK_ALIKE = ("{what} {names} (rows {rows}) look alike (the same letters but for accents or look-alike "
                     "characters from other scripts); check that they are meant to be different {plural}")
