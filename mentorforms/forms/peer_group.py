"""Structured peer mentoring group (BCH, Appendix D): mentors, peer mentees and a Connector."""

from mentorforms.vocabulary.academic_year import AcademicYear
from mentorforms.vocabulary.declaration import (
    Form,
    Party,
    Section,
    Signing,
    choices,
    date,
    hours,
    long_text,
    multi_choice,
    short_text,
    signature,
    table,
    whole_number,
)
from mentorforms.vocabulary.report_takes import PeopleRows, Reports, YearRole

FORM_ID = "peer_group"
VERSION = 2  # 2: the season's meetings record attendance and hours

MENTOR_RESPONSIBILITIES = choices(
    ("initial_meeting", "Set up initial meeting and lay out expectations for remainder of the year"),
    ("guide_discussion", "Guide the discussion at all meetings and facilitate involvement of all members"),
    ("flag_issues", "Flag issues, if necessary reach out to the Connector for help"),
    ("resources", "Provide resources and help create programs"),
)
MENTEE_RESPONSIBILITIES = choices(
    ("set_goals", "Set personal and/or group goals"),
    ("schedule", "Schedule meetings (plan at least 1 month ahead)"),
    ("agendas", "Create agendas (what does group want to discuss?)"),
    ("homework", "Provide homework to group so that everyone is prepared for the discussion"),
)
CONNECTOR_RESPONSIBILITIES = choices(
    ("monitor", "Monitor progress of assigned Mentoring Group"),
    ("guidance", "Provide guidance on toolkits, best practices, and reference materials"),
    ("contact", "Be a contact for raising concerns, questions, and issues that cannot be resolved within the "
                "Mentoring Group"),
)


def declare(year: AcademicYear) -> Form:
    """A peer mentoring group meeting from September of ``year`` to April of the next."""
    return Form(
        id=FORM_ID,
        title="Structured Peer Mentoring Group",
        version=VERSION,
        academic_year=year,
        instance_field="group_name",
        reports=Reports(people=(
            PeopleRows("group_mentor", "mentors", person_id="person_id", role_field="group_name"),
            PeopleRows("group_mentee", "mentees", person_id="person_id", role_field="group_name"),
        ), year_role=YearRole.SEASON),
        parties=(
            Party("subject", "Group mentor", "subject", listed="own", label="Peer mentoring group: {instance}",
                  roles=("mentor",)),
            Party("member", "Group member", "listed_member", members=("mentors.person_id", "mentees.person_id"),
                  listed="mentoring", label="Peer mentoring group: {instance} (led by {subject})"),
        ),
        source="Office of Faculty Development, Boston Children's Hospital (Appendix D)",
        panel="season",
        intro=(
            "A group of 1-2 mentors, 3-5 peer mentees and a Connector (an ombudsperson), formed around common "
            "career aspirations and interests, meeting typically 2-6 hours per month from September to April."
        ),
        signings=(
            Signing("mentor_signature", "subject", "I lead this group and agree to its goals and plan."),
        ),
        sections=(
            Section("group", "The group", (
                short_text("group_name", "Group name", required=True),
                long_text("career_aims", "Common career aspirations and interests", required=True),
                date("start_date", "First meeting", required=True,
                     help=f"Groups usually meet from September {year.start} to April {year.start + 1}."),
                date("end_date", "Last meeting", required=True),
                hours("hours_per_month", "Hours per month", max_value=40, required=True,
                      help="The minimum time commitment; typically 2 to 6 hours per month."),
            )),
            Section("members", "Members", (
                table("mentors", "Mentors", (
                    short_text("name", "Name", required=True, prefill="subject.name"),
                    short_text("person_id", "Roster id", prefill="subject.person_id"),
                ), required=True, min_rows=1, max_rows=2),
                table("mentees", "Peer mentees", (
                    short_text("name", "Name", required=True),
                    short_text("person_id", "Roster id"),
                ), required=True, min_rows=3, max_rows=5),
                short_text("connector", "Connector (ombudsperson)", required=True,
                           help="Steps in to mediate if a mentor or mentee experiences conflict or frustration."),
            )),
            Section("goals", "Goals and agendas", (
                long_text("group_goals", "Formal goals of the group", required=True),
                table("meetings", "Meetings and agendas", (
                    date("date", "Date"),
                    short_text("agenda", "Agenda", required=True),
                    whole_number("attendance", "Members present", min_value=0, max_value=7),
                    hours("hours", "Hours", max_value=12),
                    short_text("homework", "Homework"),
                ), max_rows=40, group="season",
                    help=f"The season runs from September {year.start} to April {year.start + 1}; the group meets "
                         "2 to 6 hours a month."),
            )),
            Section("responsibilities", "Responsibilities agreed", (
                multi_choice("mentor_responsibilities", "Mentor Responsibilities", MENTOR_RESPONSIBILITIES),
                multi_choice("mentee_responsibilities", "Mentee Responsibilities", MENTEE_RESPONSIBILITIES),
                multi_choice("connector_responsibilities", "Connector Responsibilities", CONNECTOR_RESPONSIBILITIES),
            )),
            Section("sign_off", "Sign-off", (
                signature("mentor_signature", "Mentor (typed name)"),
            )),
        ),
    )
