"""Developmental network map (BCH, Appendix A: "Mapping Your Developmental Network Exercise")."""

from mentorforms.vocabulary.academic_year import AcademicYear
from mentorforms.vocabulary.declaration import (
    Form,
    Party,
    Section,
    check,
    choice,
    choices,
    long_text,
    short_text,
    table,
)
from mentorforms.vocabulary.report_takes import PeopleRows, Reports

FORM_ID = "network_map"
VERSION = 1

CLOSENESS = choices(("close", "Close"), ("moderate", "Moderate"), ("distant", "Distant"))

#: The three kinds of help, as (column id, label, what the booklet says they do).
KINDS_OF_HELP = (
    ("job_done", "Getting the job done",
     "People who help you fulfill your work requirements: information, scientific or technical advice, "
     "expertise or resources."),
    ("career", "Advancing your career",
     "People who contribute to your professional development and career advancement: guidance, advice on "
     "funding, sponsors, advocates."),
    ("personal", "Personal support",
     "People you go to for your emotional well being and psychosocial support."),
)

LEVELS = choices(("superior", "Superior"), ("peer", "Peer"), ("junior", "Junior"))
ORGANISATION = choices(("inside", "Inside my organisation"), ("outside", "Outside my organisation"))
RELATIONSHIP = choices(("mentor", "Mentor"), ("mentee", "Mentee"))

#: The seven analysis themes: (field id, theme, the booklet's question).
THEMES = (
    ("theme_diversity", "Diversity", "How similar or different are these individuals (in terms of gender, race, "
     "function, geography, organizations) to each other and to you?"),
    ("theme_redundancy", "Redundancy", "How much overlap is there? Does one person serve every function? Do you "
     "have many people helping you get the work done but no one providing personal support?"),
    ("theme_interconnectivity", "Interconnectivity", "How closed is the network in the sense that most of the "
     "people know each other?"),
    ("theme_strength", "Strength of Connection", "What is the spread of people in terms of closeness and distance "
     "to you?"),
    ("theme_balance", "Balance", "Is your network balanced or in danger of tipping? Do you have too many mentors "
     "and no mentees? Or, for more senior faculty, too many mentees but no longer any mentors?"),
    ("theme_power", "Connections to Power/Influence", "How many individuals would you characterize as influential "
     "in the department or hospital or field?"),
    ("theme_size", "Size", "How large or small is your network? Does the size fit your goals? Is the network a "
     "size that you can maintain?"),
)


def declare(year: AcademicYear) -> Form:
    """The network map for ``year``; the booklet asks for it to be redrawn at least yearly."""
    return Form(
        id=FORM_ID,
        title="Your Developmental Network Table and Map",
        version=VERSION,
        academic_year=year,
        source="Office of Faculty Development, Boston Children's Hospital (Appendix A)",
        panel="network_map",
        reports=Reports(people=(
            PeopleRows("sponsor", "people", role="description", flag="sponsor"),
            PeopleRows("", "people", role="description", relation_column="relationship",
                       relations=("mentor", "mentee")),
        ), network=True),
        parties=(
            Party("subject", "Faculty member", "subject", listed="own", roles=("faculty",)),
            Party("chair", "Chair or designee", "department_chair"),
        ),
        intro=(
            "Developmental Networks are comprised of people who provide you with professional and/or personal "
            "support. List each person once and mark every kind of help they give you, with how close the "
            "relationship is. Close relationships have a high degree of trust, liking and mutual commitment; "
            "distant ones are with people you don't know very well."
        ),
        sections=(
            Section("goals", "My Career Goals", (
                long_text("career_goals", "My Career Goals are:", required=True,
                          help="Such as Academic Advancement, or to be a Clinical or Educational Leader, "
                               "or PI of a lab."),
            )),
            Section("people", "The people in my network", (
                table("people", "People", (
                    short_text("name", "Name or initials", required=True),
                    short_text("description", "Description", help="For example: PI of grant, friend at work."),
                    *(choice(column_id, label, CLOSENESS, help=meaning) for column_id, label, meaning in KINDS_OF_HELP),
                    choice("level", "Level relative to me", LEVELS),
                    choice("organisation", "Inside or outside my organisation", ORGANISATION),
                    check("sponsor", "Sponsor",
                          help="A senior/influential person who actively advances your career trajectory."),
                    check("well_connected", "Very well connected",
                          help="Very well connected in your department, hospital or professional circle."),
                    choice("relationship", "Mentor or mentee", RELATIONSHIP),
                ), max_rows=60,
                    help="Leave a kind of help empty if this person does not give it."),
            )),
            Section("analysis", "Analyzing and Maintaining Your Network", tuple(
                long_text(field_id, theme, help=question, group="network_themes")
                for field_id, theme, question in THEMES
            )),
        ),
    )
