"""The words of the server and the command line: starting, signing in through JupyterHub, the
command line's own lines, the busy page, and the office's settings (office.toml)."""

# --------------------------------------------------------------------------- signing in through JupyterHub
HUB_NOT_CONFIGURED = ("This server is set up to sign people in through JupyterHub, but it has no proxy secret; "
                      "ask the administrator to start it with 'mentorforms hub-service'.")
HUB_NOT_THROUGH_PROXY = ("This address is only for the sign-in service; open the app through the "
                         "institution's JupyterHub address instead.")
HUB_NO_USER = "You are not signed in. Open the app through JupyterHub and sign in."

# ------------------------------------------------------------------- starting: the libraries and who the server acts as
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

# ------------------------------------------------------------------------- the busy page (mentorforms.server.voila_app)
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

# --------------------------------------------------------------------------- the office's settings (office.toml)
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
OFFICE_FORM_PANEL_UNKNOWN = ("{path}: the form {form_id!r} of the module {module!r} names the panel {panel!r}, "
                             "which is not registered; name one of {known}, or register it in the module "
                             "(mentorforms.ui.panels.register, see docs/forms.md)")
