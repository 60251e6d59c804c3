"""A meeting of a mentee and a mentor (the booklet's follow-up meetings): one record per meeting,
kept per agreement (keyed by the mentor, numbered). The mentee writes the agenda and shares it;
the mentor sees it once shared. Both write the notes and the status of the agreement's goals
they discussed; those updates reach the agreement's goal status in the reports."""

from mentorforms.forms.agreement import GOAL_STATUS, GOALS
from mentorforms.vocabulary.academic_year import AcademicYear
from mentorforms.vocabulary.declaration import Form, Party, Section, check, choice, date, long_text, short_text, table
from mentorforms.vocabulary.report_takes import Reports, YearRole

FORM_ID = "meeting"
VERSION = 1


def declare(year: AcademicYear) -> Form:
    """A mentoring meeting held in ``year``."""
    return Form(
        id=FORM_ID,
        title="Mentoring Meeting",
        version=VERSION,
        academic_year=year,
        instance_field="meeting_key",
        instance_party="mentor",
        instance_serial=True,
        reports=Reports(year_role=YearRole.MEETING, goal_updates=GOALS),
        parties=(
            Party("subject", "Mentee", "subject", listed="own", label="{number} with {instance}",
                  roles=("faculty",)),
            Party("mentor", "Mentor", "assigned_mentor", listed="mentoring", label="{number} with {subject}",
                  note="You are the mentor."),
        ),
        writers=("subject", "mentor"),
        source="Office of Faculty Development, Boston Children's Hospital (Follow-up Meetings)",
        panel="meetings",
        intro="Send a written agenda to your mentor at least a day before the meeting. After it, either of you "
              "records the notes and where each goal you discussed stands.",
        sections=(
            Section("meeting", "The meeting", (
                short_text("mentee", "Mentee", required=True, prefill="subject.name"),
                short_text("mentor", "Mentor", required=True, prefill="mentor.name"),
                short_text("meeting_key", "Meeting",
                           help="Filled in from the roster: the mentor and the meeting's number."),
                date("meeting_date", "Date of the meeting", required=True),
            )),
            Section("agenda", "Agenda", (
                long_text("agenda", "Agenda", shown_when="agenda_shared",
                          help="Your mentor sees the agenda once you share it."),
                check("agenda_shared", "Share the agenda with my mentor"),
                date("agenda_shared_on", "Agenda shared on", stamped_when="agenda_shared",
                     help="Filled in when the agenda is shared."),
            ), writers=("subject",)),
            Section("notes", "Notes and goals", (
                long_text("notes", "Notes"),
                table("goal_updates", "The agreement's goals discussed, with where each stands now", (
                    short_text("goal", "Goal", required=True),
                    choice("status", "Status", GOAL_STATUS, required=True),
                    short_text("comment", "Comment"),
                ), max_rows=3, prefill="agreement_goals", group="goal_updates"),
                date("next_meeting", "Date of the next meeting"),
            )),
        ),
    )
