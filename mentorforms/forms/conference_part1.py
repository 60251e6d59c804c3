"""Annual Career Planning Conference, Part I: completed by the faculty member before the conference
(BCH, Appendix C)."""

from mentorforms.vocabulary.academic_year import AcademicYear
from mentorforms.vocabulary.declaration import (
    Form,
    Party,
    Section,
    Signing,
    check,
    choice,
    choices,
    hours,
    long_text,
    multi_choice,
    rank,
    short_text,
    signature,
    table,
)
from mentorforms.vocabulary.report_takes import Conference, GoalFields, GoalRows, GoalSource, PeopleRows, Reports

FORM_ID = "conference_part1"
VERSION = 1

ACCOMPLISHMENTS = choices(
    ("publications", "Publications, guidelines, web resources, syllabi"),
    ("abstracts", "Abstracts accepted or presented"),
    ("committees", "Member of any committees or editorial boards, ad-hoc reviewer"),
    ("teaching_academy", "Member of BCH and/or HMS teaching academy"),
    ("honors", "Honors and/or awards"),
    ("presentations", "Presentations, Visiting Professor lectureships"),
    ("courses", "Courses taught"),
    ("grants", "Grants, patents, support"),
    ("review_panels", "Research or grant review panels, IRB"),
    ("new_skills", "New diagnostic, surgical, technical skills"),
    ("administrative", "Administrative positions"),
    ("community", "Community service, outreach, or patient education"),
    ("diversity", "Activities contributing to diversity"),
    ("wellness", "Activities contributing to wellness"),
    ("other", "Other, such as course work, degree (MBA, MS, MPH), or urban, community, global health project"),
)

WORK_ACTIVITIES = choices(
    ("patient_care", "Patient Care"),
    ("teaching", "Teaching"),
    ("research", "Research"),
    ("administration", "Administration"),
    ("other", "Other"),
)

#: (field id, label, sane upper bound in hours for one year). A working year is about 2,000 hours.
TEACHING_CATEGORIES = (
    ("hours_courses", "Teaching students in courses", 1000),
    ("hours_residents", "Formal teaching of residents, fellows, post-docs", 1000),
    ("hours_clinical_supervision", "Clinical supervision and training", 2000),
    ("hours_research_supervision", "Research supervision and training", 2000),
    ("hours_peers", "Formal teaching of peers (e.g., CME)", 500),
    ("hours_presentations", "Local invited presentations", 500),
    ("hours_mentoring", "Mentoring trainees and peers", 1000),
    ("hours_education_admin", "Education administration and service", 2000),
)

AREAS_OF_EXCELLENCE = choices(
    ("investigation", "Investigation"),
    ("clinical", "Clinical Expertise and Innovation"),
    ("teaching", "Teaching and Educational Leadership"),
    ("not_sure", "Not Sure"),
)

UNDERSTANDING = choices(("yes", "Yes"), ("no", "No"), ("somewhat", "Somewhat"))

#: The goal areas of section C: (field id, label, heading it sits under).
COMING_YEAR_GOALS = (
    ("goal_clinical_care", "Clinical care/Surgical techniques/Clinical innovation",
     "Clinical Expertise and Innovation"),
    ("goal_clinical_publications", "Publications (reviews, chapters, books)", "Clinical Expertise and Innovation"),
    ("goal_clinical_societies", "Societies/professional organizations", "Clinical Expertise and Innovation"),
    ("goal_grants", "Grants, Grant writing (outline pending grants)", "Investigation"),
    ("goal_investigation_publications", "Publications, abstracts", "Investigation"),
    ("goal_review_panels", "Review panels, editorial boards, societies", "Investigation"),
    ("goal_teaching", "Teaching and Educational Leadership", "Teaching and Educational Leadership"),
    ("goal_administration", "Administration and Institutional Leadership/Service",
     "Administration and Institutional Leadership/Service"),
    ("goal_patient_education", "Patient Education and Service to the Community",
     "Patient Education and Service to the Community"),
    ("goal_work_life", "Work/Life Balance", "Work/Life Balance"),
)

#: Where the reports say Part I's goals come from.
PAST_GOALS = GoalSource("part1_past", "Part I: past year's goals")
NEXT_GOALS = GoalSource("part1_next", "Part I: goals for the coming year")


def declare(year: AcademicYear) -> Form:
    """Part I for the conference held in ``year`` (due before April 1 of its second calendar year)."""
    due = year.conference_due
    return Form(
        id=FORM_ID,
        title=f"Annual Career Planning Conference {year.start} – {year.start + 1} Faculty Form (Part I)",
        version=VERSION,
        academic_year=year,
        source="Office of Faculty Development, Boston Children's Hospital",
        intro=(
            "Each faculty member should schedule a Career Planning Conference with their Department/Division/"
            "Program Chair, Faculty Mentor, or Departmental Designee and update the HMS CV before "
            f"{due:%B} {due.day}, {due.year}. Part I is completed by the faculty member BEFORE the conference."
        ),
        footnote="* Indicates Liaison Committee in Medical Education (LCME)-required Annual Career Conference topics",
        parties=(
            Party("subject", "Faculty member", "subject", listed="own", roles=("faculty",),
                  note="You fill it in before the conference."),
            Party("chair", "Chair or designee", "department_chair", listed="department",
                  label="{subject}: Part I (read-only)"),
        ),
        signings=(
            Signing("faculty_signature", "subject", "I completed this form and it is accurate."),
        ),
        reports=Reports(
            goals=(GoalRows(PAST_GOALS, "past_goals", met="met"),
                   GoalFields(NEXT_GOALS, "planned", section="career_goals")),
            people=(PeopleRows("mentor", "mentors", role="role"), PeopleRows("mentee", "mentees", role="your_role")),
            conference=Conference(signed_on="faculty_signature", faculty_signature="faculty_signature"),
        ),
        require_any=(
            ("List at least one goal for the upcoming year.", tuple(item[0] for item in COMING_YEAR_GOALS)),
        ),
        sections=(
            Section("header", "Faculty member", (
                short_text("faculty_name", "Name of Faculty", required=True, prefill="subject.name"),
                short_text("department", "Division/Department/Program", required=True,
                           prefill="subject.division_department"),
            )),
            Section("accomplishments", "A. Academic and Career Accomplishments during this past year", (
                multi_choice("accomplishments",
                             "Put an X in the box if in the past year you have accomplishments in this area",
                             ACCOMPLISHMENTS, help="Highlight these accomplishments on your CV."),
                rank("work_time", "1a. What is your approximate allocation of work time at present?",
                     WORK_ACTIVITIES, required=True, lcme=True,
                     help="Rank order: 1 for most time spent during an average week, 5 for least."),
                short_text("work_time_other", "Other (specify)",
                           help="What the 'Other' activity in your ranking is."),
            )),
            Section("teaching_hours", f"1b. Teaching Hours for the period {year.teaching_period_label}", (
                *(
                    hours(field_id, label, max_value=bound, required=True, lcme=True, group="teaching_hours",
                          help=f"Hours for the period {year.teaching_period_label}; 0 if none.")
                    for field_id, label, bound in TEACHING_CATEGORIES
                ),
            ), intro="* Hours for each category; enter 0 where you had none."),
            Section("past_year", "Goals, area of excellence and promotion criteria", (
                table("past_goals", "2. What were your most important goals for this past year? "
                      "Check which ones you feel you have met.", (
                          short_text("goal", "Goal", required=True),
                          check("met", "Met"),
                      ), max_rows=12, prefill="goals_to_report"),
                choice("area_of_excellence", "3. Which Area of Excellence most closely matches your career trajectory?",
                       AREAS_OF_EXCELLENCE, required=True),
                choice("promotion_criteria", "4. Do you understand the HMS promotion criteria for advancement in your "
                       "career trajectory specified above?", UNDERSTANDING, required=True, lcme=True),
                long_text("promotion_comments", "Comments"),
            )),
            Section("mentoring", "B. Mentoring", (
                table("mentors", "1. List your community of mentors/professional development support at Boston "
                      "Children's Hospital and other institutions. What role does he/she play in your career "
                      "development?", (
                          short_text("institution", "Institution"),
                          short_text("name", "Mentor Name", required=True),
                          short_text("role", "Role"),
                      ), max_rows=12),
                table("mentees", "2. If you have mentees, list, give your role, and any skills you need to mentor "
                      "effectively.", (
                          short_text("name", "Mentee Name", required=True),
                          short_text("your_role", "Your Role"),
                          short_text("skills_needed", "Additional Skills You Need"),
                      ), max_rows=20),
            )),
            Section("career_goals", "C. Career Trajectory and Timeline for Completion of Goals", tuple(
                long_text(field_id, f"{heading}: {label}" if heading != label else label, lcme=True,
                          group="coming_year_goals")
                for field_id, label, heading in COMING_YEAR_GOALS
            ), intro="* List your 2-3 goals for the upcoming year."),
            Section("resources", "D. Resources", (
                long_text("resources_helped",
                          "1. What institutional/departmental resources have helped you to achieve your goals?"),
                long_text("challenges", "2. What challenges did you have?"),
                long_text("resources_needed", "3. What institutional/departmental resources and skills do you need "
                          "to help you achieve your goals next year?"),
            )),
            Section("sign_off", "Signed (or typed name)", (
                signature("faculty_signature", "Faculty Member",
                          help="Typing your name and the date signs Part I."),
            )),
        ),
    )
