"""The Mentee's Checklist (BCH booklet): preparation, the first and second meetings, follow-up
meetings; each item ticked with the day it was done and an optional note. Kept once per mentee and
year, written by the mentee and read by each mentor the roster assigns them."""

from mentorforms.vocabulary.academic_year import AcademicYear
from mentorforms.vocabulary.declaration import Form, Party, Section, check_note, date
from mentorforms.vocabulary.report_takes import Reports, YearRole

FORM_ID = "mentee_checklist"
VERSION = 1

#: (section id, title, ((item id, the booklet's words), ...)), in the booklet's order.
ITEMS = (
    ("preparation", "Preparation", (
        ("own_goals", "Ask yourself: what are my goals? How can a mentor assist me in meeting these goals? What are "
                      "my competency levels and skill sets?"),
        ("introduce", "Introduce yourself by phone, brief letter or email. Invite a meeting, clarify whether it will "
                      "be in-person or virtual, and set forth the agenda."),
        ("cv_sent", "Update your résumé/CV and send a copy to your mentor in advance of your first meeting."),
        ("mentor_cv", "Ask for and review a copy of your mentor's résumé/CV in advance of your first meeting. Look at "
                      "some of your mentor's publications."),
        ("network", "Think about your Developmental Network, including your Community of Mentors (Appendix A)."),
    )),
    ("first_meetings", "First and second meetings", (
        ("goals_discussed", "Discuss your short- and long-term professional goals and proposed project; develop steps "
                            "toward these goals with a timeline."),
        ("other_mentors", "Consider the skill sets that require additional mentors; list your Community of Mentors "
                          "and Developmental Network and review gaps."),
        ("frequency", "Decide together on the frequency of meetings."),
        ("agreement", "Consider drafting a mentoring agreement to outline mutually agreed upon expectations."),
        ("agenda_ahead", "Send a written agenda to your mentor at least a day before your meetings."),
    )),
    ("follow_up", "Follow-up meetings", (
        ("expectations", "Set mutual expectations and responsibilities at the onset of the relationship and follow "
                         "through."),
        ("specific_mentors", "Investigate need for specific mentors and skills and how the plan can be actualized "
                             "over time."),
        ("track_progress", "Use the checklist to track progress. Keep an ongoing portfolio of activities and works "
                           "in progress, and check your timeline."),
        ("future_topics", "Suggest potential topics for future meetings (meeting goals, time management, work/life "
                          "balance, negotiation, manuscript completion)."),
        ("assess_skills", "Continue to assess the skill sets that require additional mentors."),
        ("reevaluate", "Try to maintain the relationship for at least one year; re-evaluate it at least annually; "
                       "agree on confidentiality and no-fault termination."),
    )),
)

#: Every checklist item's field id (the tick and note); its date is ``<id>_on``.
ITEM_IDS = tuple(item_id for _, _, items in ITEMS for item_id, _ in items)


def declare(year: AcademicYear) -> Form:
    """The mentee's checklist for ``year``."""
    return Form(
        id=FORM_ID,
        title="The Mentee's Checklist",
        version=VERSION,
        academic_year=year,
        reports=Reports(year_role=YearRole.CHECKLIST),
        parties=(
            Party("subject", "Mentee", "subject", listed="own", roles=("faculty",)),
            Party("mentor", "Mentor", "any_assigned_mentor", listed="mentoring", label="{form}: {subject}",
                  note="Kept by your mentee; you can read it."),
        ),
        writers=("subject",),
        source="Office of Faculty Development, Boston Children's Hospital (The Mentee's Checklist)",
        intro="Tick each step when you have done it, with the day, and a note if it helps. Your mentors can read "
              "this checklist; only you change it.",
        require_any=(("Tick at least one step before submitting.", ITEM_IDS),),
        sections=tuple(
            Section(section_id, title, tuple(
                field
                for item_id, words in items
                for field in (check_note(item_id, words, group="checklist_item"),
                              date(f"{item_id}_on", "Done on"))
            ))
            for section_id, title, items in ITEMS
        ),
    )
