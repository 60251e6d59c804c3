"""What a faculty member is told when an answer cannot be accepted, and what a draft may hold."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from mentorforms.errors import ValidationFailed
from mentorforms.forms import get_form
from mentorforms.rules.validation import check_draft, check_submission, is_signed, problems
from mentorforms.vocabulary.academic_year import AcademicYear
from mentorforms.vocabulary.record import Signature

YEAR = AcademicYear(2025)


def messages(form_id: str, values: dict[str, Any], *, submitting: bool = True) -> dict[str, list[str]]:
    """Problems by field id: the one assertion helper these tests share."""
    found: dict[str, list[str]] = {}
    for problem in problems(get_form(form_id, YEAR), values, submitting=submitting):
        where = problem.field_id if problem.row is None else f"{problem.field_id}[{problem.row}]"
        found.setdefault(where, []).append(problem.message)
    return found


def complete_part1(**changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "faculty_name": "Ana Abbott", "department": "Cardiology / Pediatrics",
        "work_time": {"patient_care": 1, "teaching": 2, "research": 3, "administration": 4, "other": 5},
        "area_of_excellence": "teaching", "promotion_criteria": "yes", "goal_teaching": "Lead the course",
        **dict.fromkeys(("hours_courses", "hours_residents", "hours_clinical_supervision", "hours_research_supervision", "hours_peers", "hours_presentations", "hours_mentoring", "hours_education_admin"), 10.0),
    }
    values.update(changes)
    return values


def test_a_complete_part1_is_accepted() -> None:
    assert messages("conference_part1", complete_part1()) == {}


def test_required_answers_are_named() -> None:
    found = messages("conference_part1", {})
    assert found["faculty_name"] == ["This is required."]
    assert found["hours_courses"] == ["This is required."]
    assert found["goal_clinical_care"] == ["List at least one goal for the upcoming year."]


@pytest.mark.parametrize(("hours", "message"), [
    (-1, "Hours cannot be negative."),
    (5000, "More than 1,000 hours in a year is not plausible here; please check the number."),
    ("lots", "Enter a number of hours, such as 12 or 2.5."),
    (float("inf"), "Enter a number of hours, such as 12 or 2.5."),
])
def test_hours_must_be_a_plausible_number(hours: Any, message: str) -> None:
    assert messages("conference_part1", complete_part1(hours_courses=hours)) == {"hours_courses": [message]}


def test_a_draft_may_be_incomplete_but_never_wrong() -> None:
    # One rule for every kind: what is given must be valid; what is missing may wait for Submit.
    assert messages("conference_part1", {"hours_courses": -2}, submitting=False) == {
        "hours_courses": ["Hours cannot be negative."]}
    assert messages("conference_part1", {"hours_courses": 5000}, submitting=False) == {
        "hours_courses": ["More than 1,000 hours in a year is not plausible here; please check the number."]}
    assert messages("conference_part1", {"work_time": {"patient_care": 1, "teaching": 1}}, submitting=False) == {
        "work_time": ["Each rank can be used only once."]}
    assert messages("conference_part1", {"work_time": {"patient_care": 1, "teaching": 2}}, submitting=False) == {}
    assert messages("conference_part1", {}, submitting=False) == {}


def test_each_category_has_its_own_bound() -> None:
    form = get_form("conference_part1", YEAR)
    bounds = {item.id: item.max_value for item in form.fields() if item.group == "teaching_hours"}
    assert bounds["hours_peers"] == 500 and bounds["hours_clinical_supervision"] == 2000
    assert messages("conference_part1", complete_part1(hours_peers=600, hours_clinical_supervision=600)) == {
        "hours_peers": ["More than 500 hours in a year is not plausible here; please check the number."]}


def test_ranks_must_be_a_permutation() -> None:
    duplicate = {"patient_care": 1, "teaching": 1, "research": 3, "administration": 4, "other": 5}
    assert messages("conference_part1", complete_part1(work_time=duplicate)) == {
        "work_time": ["Each rank can be used only once."]}
    partial = {"patient_care": 1, "teaching": 2}
    assert messages("conference_part1", complete_part1(work_time=partial)) == {
        "work_time": ["Rank every activity, using each number from 1 to 5 once."]}
    assert messages("conference_part1", complete_part1(work_time={**duplicate, "teaching": 6})) == {
        "work_time": ["Ranks run from 1 to 5."]}


def _agreement(**changes: Any) -> dict[str, Any]:
    values = {"mentee": "Ana", "mentor": "Ben", "department": "Surgery", "start_date": dt.date(2025, 9, 1),
              "revisit_date": dt.date(2026, 9, 1), "outcomes": "An R01", "success": "Funded",
              "goals": [{"goal": "Write aims"}], "meeting_frequency": "monthly", "commitment_months": 12}
    values.update(changes)
    return values


def test_at_most_three_agreement_goals() -> None:
    assert messages("agreement", _agreement()) == {}
    four = [{"goal": f"Goal {number}"} for number in range(4)]
    assert messages("agreement", _agreement(goals=four)) == {"goals": ["Please identify at most three goals."]}


def test_a_goal_row_needs_its_goal() -> None:
    assert messages("agreement", _agreement(goals=[{"goal": "A"}, {"deliverables": "A paper"}])) == {
        "goals[2]": ["This is required."]}


def test_peer_groups_have_three_to_five_mentees() -> None:
    base = {"group_name": "Circle", "career_aims": "Advancement", "start_date": dt.date(2025, 9, 1),
            "end_date": dt.date(2026, 4, 1), "hours_per_month": 3, "mentors": [{"name": "M"}],
            "connector": "Ombuds", "group_goals": "Grow"}
    assert messages("peer_group", {**base, "mentees": [{"name": "A"}, {"name": "B"}]}) == {
        "mentees": ["Please enter at least 3 rows."]}
    six = [{"name": letter} for letter in "ABCDEF"]
    assert messages("peer_group", {**base, "mentees": six}) == {"mentees": ["At most 5 rows can be entered."]}


def test_dates_must_be_real_and_signatures_not_in_the_future() -> None:
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    found = messages("conference_part1", complete_part1(faculty_signature=Signature("Ana", tomorrow)))
    assert found == {"faculty_signature": ["A signature cannot be dated in the future."]}
    assert messages("agreement", _agreement(start_date="2025-02-30")) == {
        "start_date": ["This is not a real date. Type it as MM/DD/YYYY, such as 09/30/2025."]}


def test_text_longer_than_a_cell_holds_is_refused_with_its_length() -> None:
    found = messages("conference_part1", {"challenges": "x" * 32_768}, submitting=False)
    assert found == {"challenges": [
        "This answer is 32,768 characters long; a spreadsheet cell holds at most 32,767."]}
    assert messages("conference_part1", {"challenges": "x" * 32_767}, submitting=False) == {}


def test_control_characters_are_cleaned_and_broken_characters_refused() -> None:
    form = get_form("conference_part1", YEAR)
    assert check_draft(form, {"challenges": "bell\x07 and\x00 nul\r\nnext"}) == {"challenges": "bell and nul\nnext"}
    found = messages("conference_part1", {"challenges": "half an emoji \ud83d"}, submitting=False)
    assert found == {"challenges": ["This answer contains a broken character (half of an emoji or symbol); "
                                    "please retype it."]}


def test_a_reason_is_required_when_no_promotion_is_anticipated() -> None:
    values = {"faculty_name": "Ana", "conference_holder": "Chair", "conference_date": dt.date(2026, 3, 1),
              "next_clinical": "Grow", "promotion_outlook": "not_anticipated", "advancement_requires": "Papers",
              "discussion_summary": "Good talk"}
    assert messages("conference_part2", values) == {
        "no_promotion_reason": ["This is required when 'No promotion anticipated in the upcoming term.' is chosen."]}
    assert messages("conference_part2", {**values, "no_promotion_reason": "Funding"}) == {}


def test_a_draft_may_be_incomplete_where_a_submission_may_not() -> None:
    # Issue 13: drafts used to take some wrong answers (3,000 hours, a rank used twice) and refuse
    # others (negative hours). The rule now: a draft may be incomplete, never wrong.
    form = get_form("conference_part1", YEAR)
    unfinished = {"faculty_name": "Ana", "work_time": {"teaching": 1, "research": 2}, "hours_courses": 30}
    assert check_draft(form, unfinished)["hours_courses"] == 30.0
    with pytest.raises(ValidationFailed) as refused:
        check_submission(form, unfinished)
    assert {problem.field_id for problem in refused.value.problems} >= {"department", "work_time"}
    for wrong in ({"hours_courses": 3000}, {"work_time": {"teaching": 1, "research": 1}}):
        with pytest.raises(ValidationFailed):
            check_draft(form, {**unfinished, **wrong})


def test_problems_come_in_the_order_of_the_form() -> None:
    form = get_form("conference_part1", YEAR)
    order = [problem.field_id for problem in problems(form, {})]
    positions = [form.field_ids.index(field_id) for field_id in order]
    assert positions == sorted(positions)


def test_signed_means_every_signer_typed_a_name_and_date() -> None:
    form = get_form("conference_part2", YEAR)
    today = dt.date.today()
    assert not is_signed(form, {"faculty_signature": Signature("Ana", today)})
    assert is_signed(form, {"faculty_signature": Signature("Ana", today), "chair_signature": Signature("Cy", today)})
