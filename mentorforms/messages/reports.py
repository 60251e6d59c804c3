"""The words of the reports: the dashboard's and the analyst page's counts, and what they say when a
figure cannot be shown."""

# --------------------------------------------------------------------------- reports and the dashboard
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
DASHBOARD_NETWORK_FAILED = "The network figures could not be shown."
DASHBOARD_YEAR_FAILED = "The mentoring-year figures could not be shown."
