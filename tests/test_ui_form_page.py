"""The form page's behaviour, driven as the buttons drive it, without a browser."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

import pytest
from ui_answers import complete_answers, newest_year

from mentorforms.forms import FORM_IDS, get_form
from mentorforms.records.roster import load_roster
from mentorforms.records.store import DataFolder
from mentorforms.rules.validation import check_submission, normalise
from mentorforms.rules.workflow import answers_digest
from mentorforms.ui.context import PageRequest, open_session
from mentorforms.ui.form_open import open_form_page
from mentorforms.ui.form_page import FormPage, remaining_required
from mentorforms.ui.widgets import parse_date
from mentorforms.vocabulary.record import Record, Status
from mentorforms.workbooks.workbook import read_record

TODAY = dt.date.today()


def env(root: Path, person_id: str | None = None, **extra: str) -> dict[str, str]:
    values = {"MENTORFORMS_DATA": str(root), **extra}
    if person_id:
        values["MENTORFORMS_AS"] = person_id
    return values


def open_page(root: Path, viewer: str, form_id: str, **request: str) -> FormPage:
    session = open_session(env(root, viewer), PageRequest())
    year = newest_year(root).label
    page = open_form_page(session, PageRequest(form_id=form_id, year=year, **request), today=TODAY)
    assert isinstance(page, FormPage), page
    return page


def roster(root: Path):
    return load_roster(Path(root) / "roster.xlsx")


def plain_faculty(root: Path, *, with_mentor: bool = False):
    """Faculty who are not chairs (and have a mentor on the roster, if asked)."""
    people = [person for person in roster(root)
              if person.has_role("faculty") and not person.has_role("chair") and (person.mentors or not with_mentor)]
    assert people
    return people


def chair_of(root: Path, person) -> str:
    return next(p.person_id for p in roster(root) if p.has_role("chair") and p.department == person.department)


def fresh_person(root: Path, form_id: str, *, with_mentor: bool = False):
    """A faculty member with no record of ``form_id`` this year."""
    folder = DataFolder(root)
    for person in plain_faculty(root, with_mentor=with_mentor):
        if not folder.versions(form_id, newest_year(root), person.person_id):
            return person
    pytest.fail(f"the demo has nobody without a {form_id}")


def sign_as(page: FormPage, field_id: str, name: str) -> None:
    signature = page.inputs[field_id]
    signature.name.value = name  # the date is the server's: not an input


# --------------------------------------------------------------------------- draft and resume


def test_a_draft_is_saved_incomplete_and_resumed_on_reopening(demo_dir):
    person = fresh_person(demo_dir, "conference_part1")
    page = open_page(demo_dir, person.person_id, "conference_part1")
    assert page.record is None and not page.dirty
    page.enter({"hours_courses": 12.5, "challenges": "Too many service weeks.\nAnd a move."})
    assert page.dirty and "mf-unsaved" in page.widget._dom_classes
    stored = page.save_draft()
    assert stored is not None and stored.version == 1
    assert not page.dirty and "mf-unsaved" not in page.widget._dom_classes
    assert read_record(stored.path).status is Status.DRAFT

    again = open_page(demo_dir, person.person_id, "conference_part1")
    assert again.inputs["hours_courses"].value() == 12.5
    assert again.inputs["challenges"].value() == "Too many service weeks.\nAnd a move."
    assert again.record.status is Status.DRAFT and "version 1" in again.layout.status.value


def test_saving_without_changes_makes_no_new_version(demo_dir):
    person = fresh_person(demo_dir, "conference_part1")
    page = open_page(demo_dir, person.person_id, "conference_part1")
    page.enter({"challenges": "Grant deadlines."})
    assert page.save_draft().version == 1
    assert page.save_draft() is None
    assert page.result_text == "No changes to save."
    assert len(DataFolder(demo_dir).versions("conference_part1", newest_year(demo_dir), person.person_id)) == 1


def test_negative_hours_show_a_message_and_nothing_typed_is_lost(demo_dir):
    person = fresh_person(demo_dir, "conference_part1")
    page = open_page(demo_dir, person.person_id, "conference_part1")
    page.enter({"hours_courses": -4.0, "challenges": "Kept", "goal_teaching": "Kept too"})
    # The message shows as soon as the number is typed, and again when saving is refused.
    assert page.problems_shown() == {"hours_courses": "Hours cannot be negative."}
    assert page.save_draft() is None
    assert page.problems_shown() == {"hours_courses": "Hours cannot be negative."}
    assert "Not saved" in page.result_text and "Nothing you typed was lost" in page.result_text
    assert page.inputs["hours_courses"].input.value == "-4"
    assert page.inputs["challenges"].value() == "Kept" and page.inputs["goal_teaching"].value() == "Kept too"
    assert DataFolder(demo_dir).versions("conference_part1", newest_year(demo_dir), person.person_id) == []


def test_a_failed_submit_shows_every_problem_next_to_its_field_and_keeps_the_answers(demo_dir, monkeypatch):
    person = fresh_person(demo_dir, "conference_part1")
    page = open_page(demo_dir, person.person_id, "conference_part1")
    focused = []
    for field_id, input_ in page.inputs.items():
        monkeypatch.setattr(input_, "focus", lambda field_id=field_id: focused.append(field_id))
    page.enter({"hours_courses": 3.0, "resources_helped": "Mentoring office"})
    assert page.submit() is None
    shown = page.problems_shown()
    assert shown["work_time"].startswith("This is required") or "Rank" in shown["work_time"]
    assert shown["hours_residents"] == "This is required."
    assert "hours_courses" not in shown
    first = next(field_id for field_id in page.form.field_ids if field_id in shown)
    assert focused == [first]
    assert page.inputs["resources_helped"].value() == "Mentoring office"
    assert page.record is None


def test_remaining_required_counts_down_as_answers_are_given():
    form = get_form("conference_part2", 2026)
    answers = complete_answers(form)
    assert remaining_required(form, answers) == 0
    assert remaining_required(form, {}) == sum(item.required for item in form.fields()) + len(form.require_any)
    without_reason = dict(answers, promotion_outlook="not_anticipated")
    del without_reason["no_promotion_reason"]
    assert remaining_required(form, without_reason) == 1


# --------------------------------------------------------------------------- submit and sign


def test_part1_submitted_then_signed_becomes_read_only_and_an_edit_needs_signing_again(demo_dir):
    person = fresh_person(demo_dir, "conference_part1")
    page = open_page(demo_dir, person.person_id, "conference_part1")
    answers = complete_answers(page.form)
    page.enter(answers)
    assert "All required answers given" in page.layout.status.value
    stored = page.submit()
    assert stored is not None, page.problems_shown()
    record = read_record(stored.path)
    assert record.status is Status.SUBMITTED and dict(record.values) == check_submission(page.form, answers)

    page.inputs["faculty_signature"].name.value = person.name
    signed = page.sign("faculty_signature")
    assert signed is not None and signed.version == 2
    record = read_record(signed.path)
    assert record.status is Status.SIGNED
    signature = record.values["faculty_signature"]
    assert signature.typed == (person.name, TODAY)  # the date is the server's
    assert signature.signer_id == person.person_id and signature.meaning == page.form.signing("faculty_signature").meaning
    assert signature.digest == answers_digest(page.form, record.values) and signature.signed_at is not None
    assert page.locked
    assert all(not input_.enabled for input_ in page.inputs.values())
    assert page.layout.save_button.layout.display == "none" and page.layout.edit_button.layout.display == ""

    page.edit()
    assert not page.locked and "signed again" in page.notice_text
    page.enter({"challenges": "Changed after signing"})
    assert "no longer apply" in page.notice_text
    third = page.save_draft()
    record = read_record(third.path)
    assert record.status is Status.DRAFT and "faculty_signature" not in record.values
    assert record.values["challenges"] == "Changed after signing"
    assert "signed again" in page.notice_text


def test_a_signed_form_refuses_a_save_until_edit_is_pressed(demo_dir):
    person = fresh_person(demo_dir, "conference_part1")
    page = open_page(demo_dir, person.person_id, "conference_part1")
    page.enter(complete_answers(page.form))
    sign_as(page, "faculty_signature", person.name)
    assert page.submit() is not None and page.locked
    assert page.save_draft() is None  # what a crafted message to the hidden button would do
    assert "press Edit" in page.result_text
    assert len(DataFolder(demo_dir).versions("conference_part1", newest_year(demo_dir), person.person_id)) == 1


def test_part2_is_written_by_the_chair_and_signed_by_both(demo_dir):
    person = fresh_person(demo_dir, "conference_part2")
    chair_id = chair_of(demo_dir, person)
    chair_page = open_page(demo_dir, chair_id, "conference_part2", person_id=person.person_id)
    assert chair_page.can_edit
    assert chair_page.inputs["faculty_name"].value() == person.name  # from the roster
    assert not chair_page.inputs["faculty_signature"].enabled  # the chair cannot sign for the faculty member
    chair_page.enter(complete_answers(chair_page.form))
    sign_as(chair_page, "chair_signature", chair_page.viewer.person.name)
    stored = chair_page.submit()
    assert read_record(stored.path).status is Status.SUBMITTED
    assert "waiting for signature: Faculty Member" in chair_page.layout.status.value

    faculty_page = open_page(demo_dir, person.person_id, "conference_part2")
    assert not faculty_page.can_edit
    assert all(not input_.enabled for field_id, input_ in faculty_page.inputs.items() if field_id != "faculty_signature")
    assert faculty_page.inputs["faculty_signature"].enabled
    assert faculty_page.save_draft() is None and "may not change" in faculty_page.result_text
    faculty_page.inputs["faculty_signature"].name.value = person.name
    signed = faculty_page.sign("faculty_signature")
    record = read_record(signed.path)
    assert record.status is Status.SIGNED
    assert record.values["chair_signature"].signer_id == chair_id and record.values["faculty_signature"].name == person.name


def test_nothing_to_sign_before_the_chair_submits_part2(demo_dir):
    person = fresh_person(demo_dir, "conference_part2")
    page = open_page(demo_dir, person.person_id, "conference_part2")
    page.inputs["faculty_signature"].name.value = person.name
    assert page.sign("faculty_signature") is None
    assert "nothing to sign yet" in page.result_text
    assert DataFolder(demo_dir).versions("conference_part2", newest_year(demo_dir), person.person_id) == []


def test_chair_sees_the_submitted_part1_beside_part2_read_only(demo_dir):
    person = fresh_person(demo_dir, "conference_part1")
    own = open_page(demo_dir, person.person_id, "conference_part1")
    own.enter(complete_answers(own.form) | {"challenges": "Visible to the chair"})
    assert own.submit() is not None
    chair_page = open_page(demo_dir, chair_of(demo_dir, person), "conference_part2", person_id=person.person_id)
    reference = chair_page.layout.side.children[0].value
    assert f"Faculty Form (Part I), as submitted by {person.name}" in html.unescape(reference)
    assert "read-only" in reference
    assert "Visible to the chair" in reference


def test_chair_opens_part1_of_the_department_read_only(demo_dir):
    person = fresh_person(demo_dir, "conference_part1")
    page = open_page(demo_dir, chair_of(demo_dir, person), "conference_part1", person_id=person.person_id)
    assert not page.can_edit
    assert all(not input_.enabled for input_ in page.inputs.values())
    assert page.layout.save_button.layout.display == "none" and page.layout.submit_button.layout.display == "none"
    page.enter({"challenges": "forged"})  # disabled inputs take nothing
    assert page.submit() is None and "may not change" in page.result_text


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_every_form_can_be_filled_saved_resumed_submitted_and_signed(demo_dir, form_id):
    form = get_form(form_id, newest_year(demo_dir))
    keyed = form.instance_party is not None  # kept per mentor (agreement, meeting, review)
    person = fresh_person(demo_dir, form_id, with_mentor=keyed)
    request = {"person_id": person.person_id}
    editor = person.person_id
    holders = {"subject": person.person_id}
    if keyed:
        request["mentor_id"] = holders["mentor"] = person.mentors[0]
    if form_id == "peer_group":
        request["instance"] = "Thursday writing circle"
    if form_id == "conference_part2":
        editor = holders["chair"] = chair_of(demo_dir, person)
    signers = {signing.field: holders[signing.party] for signing in form.signings}
    page = open_page(demo_dir, editor, form_id, **request)
    answers = {key: value for key, value in complete_answers(page.form).items() if key not in page.fixed_fields}
    page.enter(answers)
    assert page.save_draft() is not None
    if form.instance_serial:  # a new meeting has its number now: reopen that one, not another new one
        request = {"person_id": person.person_id, "instance": page.instance}
    others_wrote = False
    for holder in holders.values():  # the other writers add their own sections (a review's mentor)
        if holder == editor:
            continue
        other = open_page(demo_dir, holder, form_id, **request)
        theirs = {key: value for key, value in complete_answers(form).items()
                  if key not in other.fixed_fields and key not in answers}
        if theirs:
            other.enter(theirs)
            assert other.save_draft() is not None, other.result_text
            answers.update(theirs)
            others_wrote = True
    resumed = open_page(demo_dir, editor, form_id, **request)
    assert normalise(form, answers).items() <= resumed.current_values().items()
    if not others_wrote:
        assert resumed.current_values() == page.current_values()
    assert resumed.submit() is not None, resumed.problems_shown()
    for field_id, signer in signers.items():
        signing_page = open_page(demo_dir, signer, form_id, **request)
        signing_page.inputs[field_id].name.value = signing_page.viewer.person.name  # signers sign as themselves
        assert signing_page.sign(field_id) is not None, (signing_page.result_text, signing_page.problems_shown())
    latest = DataFolder(demo_dir).latest(form_id, newest_year(demo_dir), person.person_id,
                                          request.get("mentor_id") or request.get("instance"))
    assert latest.status is (Status.SIGNED if signers else Status.SUBMITTED)
    assert normalise(page.form, answers).items() <= dict(latest.values).items()


# --------------------------------------------------------------------------- agreements


def test_goal_status_is_updated_on_a_signed_agreement_without_unsigning_it(demo_dir):
    person = fresh_person(demo_dir, "agreement", with_mentor=True)
    mentor_id = person.mentors[0]
    page = open_page(demo_dir, person.person_id, "agreement", mentor_id=mentor_id)
    assert page.inputs["mentor_id"].value() == mentor_id and not page.inputs["mentor_id"].enabled
    page.enter({key: value for key, value in complete_answers(page.form).items() if key not in page.fixed_fields})
    sign_as(page, "mentee_signature", person.name)
    assert page.submit() is not None
    mentor_page = open_page(demo_dir, mentor_id, "agreement", person_id=person.person_id)
    sign_as(mentor_page, "mentor_signature", mentor_page.viewer.person.name)
    assert mentor_page.submit() is not None and mentor_page.locked

    goals = mentor_page.inputs["goals"]
    assert goals.rows[0].cells["status"].disabled is False  # progress stays open on a signed agreement
    assert goals.rows[0].cells["goal"].disabled is True
    goals.rows[0].cells["status"].value = "met"
    assert parse_date(goals.rows[0].cells["status_date"].value) == TODAY  # shown as MM/DD/YYYY
    stored = mentor_page.save_progress()
    record = read_record(stored.path)
    assert record.status is Status.SIGNED
    assert record.values["goals"][0]["status"] == "met" and record.values["goals"][0]["status_date"] == TODAY
    assert record.values["mentor_signature"].signer_id == mentor_id
    history = DataFolder(demo_dir).history("agreement", newest_year(demo_dir), person.person_id, mentor_id)
    assert [version.status for version in history][-2:] == [Status.SIGNED, Status.SIGNED]
    shown = html.unescape(mentor_page.history.widget.value)
    assert f"Versions kept ({len(history)})" in shown
    assert ": Met (" in shown  # the newest version's goal status, with its date


def test_an_agreement_without_a_named_mentor_asks_which_one(demo_dir):
    person = next(p for p in roster(demo_dir) if len(p.mentors) >= 1 and not p.has_role("chair"))
    session = open_session(env(demo_dir, person.person_id), PageRequest())
    if len(person.mentors) == 1:
        request = PageRequest(form_id="agreement", year=newest_year(demo_dir).label)
        page = open_form_page(session, request, today=TODAY)
        assert "Which one?" in page.value and f"mentor={person.mentors[0]}" in page.value


# --------------------------------------------------------------------------- prefill


def test_part1_lists_last_years_goals_and_open_agreement_goals(demo_dir):
    folder = DataFolder(demo_dir)
    person = fresh_person(demo_dir, "conference_part1", with_mentor=True)
    last_year = get_form("conference_part1", newest_year(demo_dir).previous)
    folder.save(Record("conference_part1", last_year.version, newest_year(demo_dir).previous, person.person_id,
                       person.department, Status.SIGNED,
                       check_submission(last_year, complete_answers(last_year) | {
                           "goal_teaching": "Teach the fellows' course\n- Run a workshop", "goal_grants": None})))
    agreement = get_form("agreement", newest_year(demo_dir))
    answers = complete_answers(agreement) | {"mentor_id": person.mentors[0], "goals": (
        {"goal": "Finish the K23", "status": "in_progress"}, {"goal": "Old goal", "status": "met"})}
    folder.save(Record("agreement", agreement.version, newest_year(demo_dir), person.person_id, person.department,
                       Status.SUBMITTED, check_submission(agreement, answers)))
    page = open_page(demo_dir, person.person_id, "conference_part1")
    goals = [row["goal"] for row in page.inputs["past_goals"].value()]
    assert "Teach the fellows' course" in goals and "Run a workshop" in goals
    assert "Finish the K23" in goals and "Old goal" not in goals
    assert "2. What were your most important goals for this past year?" in page.notice_text
    assert page.inputs["faculty_name"].value() == person.name


# --------------------------------------------------------------------------- the status line


def test_the_status_line_and_submit_agree(demo_dir):
    # Issue 13: with two of five activities ranked the status line said "All required answers given".
    person = fresh_person(demo_dir, "conference_part1")
    page = open_page(demo_dir, person.person_id, "conference_part1")
    answers = complete_answers(page.form)
    page.enter({**answers, "work_time": {"patient_care": 1, "teaching": 2}})
    status = html.unescape(page.layout.status.value)
    assert "All required answers given" not in status
    assert page.form.field("work_time").label in status
    assert page.submit() is None and "work_time" in page.problems_shown()
    page.enter({"work_time": answers["work_time"]})
    assert "All required answers given" in page.layout.status.value
    assert page.submit() is not None
