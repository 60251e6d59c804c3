"""Mentoring agreement: the MGH "Mentoring Goals and Action Plan" worksheet for a mentor and mentee."""

from mentorforms.vocabulary.academic_year import AcademicYear
from mentorforms.vocabulary.declaration import (
    Form,
    Party,
    Section,
    Signing,
    choice,
    choices,
    date,
    long_text,
    multi_choice,
    short_text,
    signature,
    table,
    whole_number,
)
from mentorforms.vocabulary.report_takes import GoalRows, GoalSource, PersonFields, Relationship, Reports

FORM_ID = "agreement"
VERSION = 1

GOAL_STATUS = choices(
    ("not_started", "Not started"),
    ("in_progress", "In progress"),
    ("met", "Met"),
    ("deferred", "Deferred"),
)

MEETING_FREQUENCY = choices(
    ("several_weekly", "Several times a week"),
    ("weekly", "Weekly"),
    ("every_two_weeks", "Every two weeks"),
    ("monthly", "Monthly"),
    ("every_two_months", "Every month or two"),
)

COMMUNICATION_FORMS = choices(
    ("in_person", "In-person meetings"),
    ("video", "Video calls"),
    ("email", "Email"),
    ("memos", "Memos"),
    ("telephone", "Telephone"),
)

#: The agreement's goals in the reports (their status history, meetings' updates).
GOALS = GoalSource("agreement", "Mentoring agreement")


def declare(year: AcademicYear) -> Form:
    """The agreement as used in ``year`` (agreements start in that year)."""
    return Form(
        id=FORM_ID,
        title="Mentoring Goals and Action Plan",
        version=VERSION,
        academic_year=year,
        instance_field="mentor_id",
        instance_party="mentor",
        carried_forward=True,
        reports=Reports(
            goals=(GoalRows(GOALS, "goals", due="timeline", status="status", status_date="status_date"),),
            people=(PersonFields("mentor", "mentor", "mentor_id"),),
            relationship=Relationship("mentor_id", "mentor", start="start_date", revisit="revisit_date"),
        ),
        parties=(
            Party("subject", "Mentee", "subject", listed="own", label="Mentoring agreement with {instance}",
                  roles=("faculty",)),
            Party("mentor", "Mentor", "assigned_mentor", listed="mentoring",
                  label="Mentoring agreement with {subject}", note="You are the mentor."),
        ),
        writers=("subject", "mentor"),
        source="MGH Faculty Mentoring Program",
        intro=(
            "This is an opportunity to share how you both intend to go forward with your relationship. "
            "You should plan to revisit and revise this plan as necessary. Either person can suggest "
            "this revisiting/revision; each revision is kept."
        ),
        signings=(
            Signing("mentor_signature", "mentor", "I agree to this mentoring plan."),
            Signing("mentee_signature", "subject", "I agree to this mentoring plan."),
        ),
        sections=(
            Section("header", "Mentor and mentee", (
                short_text("mentee", "Mentee", required=True, prefill="subject.name"),
                short_text("mentor", "Mentor", required=True, prefill="mentor.name"),
                short_text("mentor_id", "Mentor's roster id", help="Filled in from the roster.",
                           prefill="mentor.person_id"),
                short_text("department", "Department", required=True, prefill="subject.department"),
                date("start_date", "Start date", required=True),
                date("revisit_date", "Date to revisit the plan", required=True, upcoming=True,
                     help="The booklet asks that a mentoring relationship be re-evaluated at least yearly."),
            )),
            Section("expectations", "Expectations", (
                long_text("outcomes", "What are the specific outcomes that are desired from this relationship?",
                          required=True),
                long_text("success", "At the end of this relationship, how will we know if it has been successful?",
                          required=True),
            )),
            Section("goals", "Goals", (
                table(
                    "goals",
                    "What are our goals for our relationship? Please identify up to three goals.",
                    (
                        long_text("goal", "Goal", required=True),
                        long_text("actions", "Action steps to achieve the goal"),
                        long_text("deliverables", "Deliverables"),
                        date("timeline", "Timeline (target date)"),
                        choice("status", "Status", GOAL_STATUS),
                        date("status_date", "Status last updated"),
                    ),
                    required=True, min_rows=1, max_rows=3, too_many_rows="Please identify at most three goals.",
                    progress=("status", "status_date"),
                    help="For each goal: the actions you will take, the deliverables, and the timeline.",
                ),
            )),
            Section("time", "Time Management", (
                long_text("time_allocation", "How will we allocate sufficient time to meet our needs?"),
                long_text("time_protection", "How do we protect this time when other demands encroach upon it?"),
                long_text("time_revisit",
                          "How do we ensure that either member of the dyad can revisit this issue of time management?"),
                choice("meeting_frequency", "How often will we meet?", MEETING_FREQUENCY, required=True),
                whole_number("commitment_months", "Length of the commitment (months)", required=True,
                             min_value=1, max_value=60,
                             help="The booklet recommends a mentoring relationship of at least one year."),
            )),
            Section("boundaries", "Guidelines and Boundaries", (
                long_text("norms", "What are the norms and guidelines we will follow in conducting the relationship?"),
                long_text("confidentiality", "How do we protect the confidentiality of the relationship?"),
            )),
            Section("stumbling_blocks", "Strategies for Addressing Stumbling Blocks", (
                long_text("obstacles", "What obstacles might we encounter?"),
                long_text("obstacle_process", "What process should we have in place to deal with them as they occur?"),
            )),
            Section("communication", "Communication Patterns", (
                long_text("active_listening",
                          "How do we work at being active listeners in our interactions with one another?"),
                long_text("communication_styles", "Based on our individual communication styles, how do we plan "
                                                  "to continue this relationship?"),
                multi_choice("communication_forms", "What forms of communication will we use?",
                             COMMUNICATION_FORMS),
            )),
            Section("sign_off", "Sign-off", (
                signature("mentor_signature", "Mentor (typed name)",
                          help="Typing your name and the date attests to this plan."),
                signature("mentee_signature", "Mentee (typed name)",
                          help="Typing your name and the date attests to this plan."),
            )),
        ),
    )
