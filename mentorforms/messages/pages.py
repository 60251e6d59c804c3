"""The words of the forms and their pages: who may open what, saving, signing and conflicts, the
answers next to each field, the form page, the analyst page, the workbook's own checks, signatures,
the mentoring year, and what any page says when something fails."""

# --------------------------------------------------------------------------- access and identity
IDENTITY_UNKNOWN = ("This server does not know who you are. Start it with 'mentorforms serve --as YOUR_ID', "
                    "or through JupyterHub.")
DEMO_PICK = "Demo mode: pick who you are to continue."
VISITOR_NOT_ON_ROSTER = "{user} is not on the roster; ask the faculty-affairs office to add you."
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
#: A download asked for (a crafted click: the button is not shown) while an answer is hidden from the viewer.
PAGE_DOWNLOAD_HIDDEN = ("The workbook is not offered: it holds {answers} not yet shown to you ({labels}). "
                        "Nothing was downloaded.")
#: A download asked for before the form has a saved version.
PAGE_DOWNLOAD_NOTHING_SAVED = "There is no saved version of this form to download yet."

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

# --------------------------------------------------------------------------- any page (mentorforms.ui.context)
PAGE_CALLBACK_FAILED = ("Something went wrong on the server, so what you last did may not have been done. "
                        "Nothing you typed on this page was lost; please try again, and if it happens again "
                        "tell the faculty-affairs office (the details are in the server's log).")
