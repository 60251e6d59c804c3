"""Annual Career Planning Conference, Part II: completed by the chair, mentor or designee (BCH, Appendix C)."""

from mentorforms.vocabulary.academic_year import AcademicYear
from mentorforms.vocabulary.declaration import (
    Form,
    Party,
    Section,
    Signing,
    check_note,
    choice,
    choices,
    date,
    long_text,
    short_text,
    signature,
)
from mentorforms.vocabulary.report_takes import Conference, GoalFields, GoalSource, Promotion, Reports

FORM_ID = "conference_part2"
VERSION = 1

#: (field id, label) of the ten goal areas of question 1.
GOAL_AREAS = (
    ("next_clinical", "Clinical Expertise and Innovation"),
    ("next_investigation", "Investigation"),
    ("next_teaching", "Teaching/Presentations, and Educational Leadership, Mentoring others"),
    ("next_grants", "Grant writing/Funding"),
    ("next_scholarship", "Scholarship"),
    ("next_recognition", "Recognition, Leadership Positions in Institutions, Professional Societies/Organizations"),
    ("next_administration", "Administration and Institutional Service"),
    ("next_patient_education", "Education of Patients and Service to the Community"),
    ("next_work_life", "Work/Life Balance"),
    ("next_other", "Other"),
)

PROMOTION_OUTLOOK = choices(
    ("unable_to_assess", "Unable to assess at this time; faculty member in first term at rank."),
    ("anticipated", "Promotion anticipated over the course of the new term."),
    ("not_anticipated", "No promotion anticipated in the upcoming term."),
)

#: (field id, label) of the support areas of question 4.
SUPPORT_AREAS = (
    ("support_training", "Additional Training"),
    ("support_reallocation",
     "Re-allocation of time and effort to teaching, clinical, research, scholarship and/or service"),
    ("support_resources", "Resources and/or development programs"),
    ("support_other", "Other"),
)

#: Where the reports say the goals agreed at the conference come from.
NEXT_GOALS = GoalSource("part2_next", "Part II: goals for the next year")


def declare(year: AcademicYear) -> Form:
    """Part II for the conference held in ``year``."""
    return Form(
        id=FORM_ID,
        title=f"Annual Career Planning Conference {year.start} – {year.start + 1} Chair Form (Part II)",
        version=VERSION,
        academic_year=year,
        source="Office of Faculty Development, Boston Children's Hospital",
        shown_beside="conference_part1",
        parties=(
            Party("subject", "Faculty member", "subject", listed="own", roles=("faculty",),
                  note="Your chair fills it in at the conference; you read and sign it."),
            Party("chair", "Chair or designee", "department_chair", listed="department",
                  label="{subject}: Part II (you fill it in)"),
        ),
        writers=("chair",),
        reports=Reports(
            goals=(GoalFields(NEXT_GOALS, "agreed", group="next_year_goals"),),
            conference=Conference(date="conference_date", faculty_signature="faculty_signature",
                                  chair_signature="chair_signature"),
            promotion=Promotion("promotion_outlook", reason="no_promotion_reason", requires="advancement_requires"),
        ),
        intro=("Part II. To be completed by Chair/Mentor/Designee at the end of the conference and signed by "
               "Faculty and Chair."),
        footnote="* Indicates Liaison Committee in Medical Education (LCME)-required Annual Career Conference topics",
        signings=(
            Signing("chair_signature", "chair", "I held this conference and agree with this summary."),
            Signing("faculty_signature", "subject",
                    "I took part in this conference and have read this summary."),
        ),
        require_any=(
            ("Name at least one goal for the next year.", tuple(item[0] for item in GOAL_AREAS)),
        ),
        sections=(
            Section("header", "Conference", (
                short_text("faculty_name", "Name of Faculty Member", required=True, prefill="subject.name"),
                short_text("conference_holder", "Name of Chair/Mentor/Designee for Career Conference", required=True,
                           prefill="holder.name"),
                date("conference_date", "Date", required=True,
                     help=f"The conference is due before {year.conference_due:%B %-d, %Y}."),
            )),
            Section("goals", "1) The most important goals to be achieved in this next year are:", tuple(
                long_text(field_id, label, group="next_year_goals") for field_id, label in GOAL_AREAS
            )),
            Section("mentors", "2) Community of Mentors", (
                long_text("community_of_mentors", "Community of Mentors include:"),
            )),
            Section("promotion", "3) Update on academic trajectory and progress or plans towards promotion", (
                choice("promotion_outlook", "a) Check the option that applies", PROMOTION_OUTLOOK,
                       required=True, lcme=True),
                long_text("no_promotion_reason", "No promotion anticipated in the upcoming term because:",
                          required_when=("promotion_outlook", ("not_anticipated",))),
                long_text("promotion_notes", "Additional descriptive text"),
                long_text("advancement_requires", "b) Future Career Advancement and/or Promotion will require:",
                          required=True, lcme=True),
            )),
            Section("support", "4) Future support needed in the following area(s):", tuple(
                check_note(field_id, label, lcme=True, group="support_needed") for field_id, label in SUPPORT_AREAS
            )),
            Section("summary", "5) Summary", (
                long_text("discussion_summary", "Brief summary of your discussion with the faculty member. Describe "
                          "action steps for mutually agreed upon goals", required=True, lcme=True),
            )),
            Section("sign_off", "Signed", (
                signature("faculty_signature", "Faculty Member"),
                signature("chair_signature", "Chair/Designee"),
            )),
        ),
    )
