"""The yearly review of a mentoring relationship (the booklet: "Reevaluate mentoring relationship
as needed, but at least annually. Agree on confidentiality and no-fault termination."). Kept per
agreement (keyed by the mentor); each party writes their own view, both decide and sign."""

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
    short_text,
    signature,
)
from mentorforms.vocabulary.report_takes import Reports, YearRole

FORM_ID = "relationship_review"
VERSION = 1

DECISIONS = choices(
    ("continue", "Continue as agreed"),
    ("revise", "Revise the plan (opens a new version of the agreement to sign again)"),
    ("end", "End the relationship, without fault"),
)


def declare(year: AcademicYear) -> Form:
    """The review of a relationship held in ``year``."""
    return Form(
        id=FORM_ID,
        title="Yearly Review of the Mentoring Relationship",
        version=VERSION,
        academic_year=year,
        instance_field="mentor_id",
        instance_party="mentor",
        reopens=("decision", "revise", "agreement"),
        ends=("decision", "end"),
        reports=Reports(year_role=YearRole.REVIEW),
        parties=(
            Party("subject", "Mentee", "subject", listed="own", label="Yearly review with {instance}",
                  roles=("faculty",)),
            Party("mentor", "Mentor", "assigned_mentor", listed="mentoring", label="Yearly review with {subject}",
                  note="You are the mentor."),
        ),
        writers=("subject", "mentor"),
        source="Office of Faculty Development, Boston Children's Hospital (Follow-up Meetings)",
        intro="Each of you writes your own view; then decide together and both sign. The decision takes effect "
              "when both have signed. Ending a relationship is without fault, and what was said stays confidential.",
        signings=(
            Signing("mentee_signature", "subject", "I agree with this review and its decision."),
            Signing("mentor_signature", "mentor", "I agree with this review and its decision."),
        ),
        sections=(
            Section("header", "The relationship", (
                short_text("mentee", "Mentee", required=True, prefill="subject.name"),
                short_text("mentor", "Mentor", required=True, prefill="mentor.name"),
                short_text("mentor_id", "Mentor's roster id", help="Filled in from the roster.",
                           prefill="mentor.person_id"),
                date("review_date", "Date of the review", required=True),
            )),
            Section("mentee_view", "The mentee's view", (
                long_text("mentee_worked", "What worked?", required=True),
                long_text("mentee_not_worked", "What did not work?"),
            ), writers=("subject",)),
            Section("mentor_view", "The mentor's view", (
                long_text("mentor_worked", "What worked?", required=True),
                long_text("mentor_not_worked", "What did not work?"),
            ), writers=("mentor",)),
            Section("decision", "The decision", (
                choice("decision", "What do you decide?", DECISIONS, required=True),
                long_text("decision_note", "What changes, or how will you close the relationship?"),
            )),
            Section("sign_off", "Sign-off", (
                signature("mentee_signature", "Mentee (typed name)"),
                signature("mentor_signature", "Mentor (typed name)"),
            )),
        ),
    )
