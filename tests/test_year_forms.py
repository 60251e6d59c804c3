"""The mentoring year's forms on their pages, as their parties use them (no browser)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from test_ui_form_page import TODAY, fresh_person, open_page, roster, sign_as
from ui_answers import newest_year

from mentorforms.errors import AccessDenied
from mentorforms.forms import get_form
from mentorforms.records.store import DataFolder
from mentorforms.rules import mentoring_year
from mentorforms.rules.workflow import ends_relationship
from mentorforms.ui.season_panel import season_html
from mentorforms.vocabulary.academic_year import AcademicYear
from mentorforms.vocabulary.record import CheckNote, Status


def _not_their_mentor(root, person):
    return next(other.person_id for other in roster(root)
                if other.has_role("mentor") and other.person_id not in person.mentors
                and other.person_id != person.person_id)


# --------------------------------------------------------------------------- the mentee's checklist


def test_the_mentee_ticks_the_checklist_and_each_mentor_reads_it(demo_dir):
    person = fresh_person(demo_dir, "mentee_checklist", with_mentor=True)
    page = open_page(demo_dir, person.person_id, "mentee_checklist")
    page.enter({"cv_sent": CheckNote(True, "sent by email"), "cv_sent_on": dt.date(TODAY.year, 1, 5)})
    assert page.submit() is not None, page.problems_shown()

    mentor_page = open_page(demo_dir, person.mentors[0], "mentee_checklist", person_id=person.person_id)
    assert not mentor_page.can_edit and not mentor_page.inputs["cv_sent"].enabled
    assert mentor_page.current_values()["cv_sent"] == CheckNote(True, "sent by email")
    mentor_page.inputs["cv_sent"].enter(CheckNote(False, "forged"))  # a crafted message to a disabled input
    assert mentor_page.save_draft() is None and "may not change" in mentor_page.result_text

    with pytest.raises(AccessDenied):
        open_page(demo_dir, _not_their_mentor(demo_dir, person), "mentee_checklist", person_id=person.person_id)


# --------------------------------------------------------------------------- meetings


def test_the_agenda_reaches_the_mentor_only_once_shared_and_the_page_says_when(demo_dir):
    person = fresh_person(demo_dir, "meeting", with_mentor=True)
    mentor_id = person.mentors[0]
    meeting_day = TODAY + dt.timedelta(days=3)
    page = open_page(demo_dir, person.person_id, "meeting", mentor_id=mentor_id)
    assert page.instance == f"{mentor_id}/1"
    page.enter({"meeting_date": meeting_day, "agenda": "Grant aims; the K award timeline"})
    assert page.save_draft() is not None

    mentor_page = open_page(demo_dir, mentor_id, "meeting", person_id=person.person_id, instance=page.instance)
    assert mentor_page.inputs["agenda"].value() in (None, "")
    assert mentor_page.layout.download.value == ""  # the workbook would show the agenda
    assert mentor_page.offer_download() is None and mentor_page.layout.download_button.layout.display == "none"
    assert "not shared" in mentor_page.panel.value
    mentor_page.enter({"notes": "Before the meeting: bring the draft aims."})
    assert mentor_page.save_draft() is not None
    kept = DataFolder(demo_dir).latest("meeting", newest_year(demo_dir), person.person_id, page.instance)
    assert kept.values["agenda"] == "Grant aims; the K award timeline"  # the mentor's save kept it
    assert kept.saved_by == mentor_id

    mentee = open_page(demo_dir, person.person_id, "meeting", instance=page.instance)
    mentee.enter({"agenda_shared": True})
    stored = mentee.save_draft()
    assert stored is not None
    assert DataFolder(demo_dir).latest("meeting", newest_year(demo_dir), person.person_id,
                                       page.instance).values["agenda_shared_on"] == dt.datetime.now(dt.UTC).date()

    mentor_page = open_page(demo_dir, mentor_id, "meeting", person_id=person.person_id, instance=page.instance)
    assert mentor_page.inputs["agenda"].value() == "Grant aims; the K award timeline"
    assert not mentor_page.inputs["agenda"].enabled
    assert re.search(r"\d+ days? before the meeting", mentor_page.panel.value)


def test_each_meeting_is_its_own_record_and_a_forged_key_is_refused(demo_dir):
    person = fresh_person(demo_dir, "meeting", with_mentor=True)
    mentor_id = person.mentors[0]
    first = open_page(demo_dir, person.person_id, "meeting", mentor_id=mentor_id)
    first.enter({"meeting_date": TODAY})
    assert first.save_draft() is not None
    second = open_page(demo_dir, person.person_id, "meeting", mentor_id=mentor_id)
    assert second.instance == f"{mentor_id}/2"
    outsider = _not_their_mentor(demo_dir, person)
    with pytest.raises(AccessDenied):
        open_page(demo_dir, person.person_id, "meeting", instance=f"{outsider}/1")
    with pytest.raises(AccessDenied):
        open_page(demo_dir, outsider, "meeting", person_id=person.person_id, instance=first.instance)


def test_agenda_timing_in_words() -> None:
    meeting = dt.date(2026, 3, 10)
    assert "not shared" in mentoring_year.agenda_timing({"meeting_date": meeting})
    two_days = mentoring_year.agenda_timing({"meeting_date": meeting, "agenda_shared": True,
                                             "agenda_shared_on": dt.date(2026, 3, 8)})
    assert "2 days before" in two_days
    assert "less than a day" in mentoring_year.agenda_timing(
        {"meeting_date": meeting, "agenda_shared": True, "agenda_shared_on": meeting})
    assert "1 day after" in mentoring_year.agenda_timing(
        {"meeting_date": meeting, "agenda_shared": True, "agenda_shared_on": dt.date(2026, 3, 11)})


# --------------------------------------------------------------------------- the yearly review


def _review(demo_dir, decision: str):
    person = fresh_person(demo_dir, "relationship_review", with_mentor=True)
    mentor_id = person.mentors[0]
    # the relationship's agreement, signed by both
    agreement = open_page(demo_dir, person.person_id, "agreement", mentor_id=mentor_id)
    from ui_answers import complete_answers
    agreement.enter({key: value for key, value in complete_answers(agreement.form).items()
                     if key not in agreement.fixed_fields})
    sign_as(agreement, "mentee_signature", person.name)
    assert agreement.submit() is not None, agreement.problems_shown()
    mentor_agreement = open_page(demo_dir, mentor_id, "agreement", person_id=person.person_id)
    sign_as(mentor_agreement, "mentor_signature", mentor_agreement.viewer.person.name)
    assert mentor_agreement.submit() is not None and mentor_agreement.locked

    mentee = open_page(demo_dir, person.person_id, "relationship_review", mentor_id=mentor_id)
    mentee.enter({"review_date": TODAY, "mentee_worked": "Monthly meetings", "decision": decision})
    mentee.inputs["mentor_worked"].enter("forged by the mentee")  # not theirs to write
    assert mentee.save_draft() is None and "may not change" in mentee.result_text
    mentee.inputs["mentor_worked"].set_value(None)
    assert mentee.save_draft() is not None
    mentor = open_page(demo_dir, mentor_id, "relationship_review", person_id=person.person_id)
    assert not mentor.inputs["mentee_worked"].enabled and mentor.inputs["mentor_worked"].enabled
    mentor.enter({"mentor_worked": "Clear goals"})
    sign_as(mentor, "mentor_signature", mentor.viewer.person.name)
    assert mentor.submit() is not None, mentor.problems_shown()
    mentee = open_page(demo_dir, person.person_id, "relationship_review", mentor_id=mentor_id)
    sign_as(mentee, "mentee_signature", person.name)
    assert mentee.sign("mentee_signature") is not None, mentee.result_text
    return person, mentor_id, mentee


def test_a_review_that_revises_the_plan_opens_the_agreement_again_unsigned(demo_dir):
    person, mentor_id, mentee = _review(demo_dir, "revise")
    assert "open again" in mentee.result_text
    latest = DataFolder(demo_dir).latest("agreement", newest_year(demo_dir), person.person_id, mentor_id)
    assert latest.status is Status.DRAFT
    assert latest.values.get("mentor_signature") is None and latest.values.get("mentee_signature") is None
    assert latest.values["outcomes"]  # the plan is kept to revise


def test_a_review_that_ends_the_relationship_is_signed_by_both(demo_dir):
    person, mentor_id, _ = _review(demo_dir, "end")
    form = get_form("relationship_review", newest_year(demo_dir))
    record = DataFolder(demo_dir).latest("relationship_review", newest_year(demo_dir), person.person_id, mentor_id)
    assert record.status is Status.SIGNED and ends_relationship(form, record)
    agreement = DataFolder(demo_dir).latest("agreement", newest_year(demo_dir), person.person_id, mentor_id)
    assert agreement.status is Status.SIGNED  # ending does not reopen the plan


# --------------------------------------------------------------------------- the peer group's season


def test_hours_per_month_against_the_two_to_six_hour_range() -> None:
    year = AcademicYear(2025)
    meetings = ({"date": dt.date(2025, 9, 4), "hours": 1.5}, {"date": dt.date(2025, 9, 18), "hours": 1.5},
                {"date": dt.date(2025, 10, 2), "hours": 1.0}, {"date": dt.date(2025, 11, 6), "hours": 7.0},
                {"date": dt.date(2025, 7, 1), "hours": 5.0})  # July is outside the season
    by_month = mentoring_year.hours_by_month(meetings, year)
    assert list(by_month)[0] == dt.date(2025, 9, 1) and list(by_month)[-1] == dt.date(2026, 4, 1)
    assert by_month[dt.date(2025, 9, 1)] == 3.0 and by_month[dt.date(2025, 10, 1)] == 1.0
    assert mentoring_year.months_below(meetings, year, dt.date(2025, 12, 15)) == (dt.date(2025, 10, 1),)
    shown = season_html(meetings, year)
    assert "September 2025" in shown and "below 2 hours" in shown and "above 6 hours" in shown


def test_the_group_page_shows_the_season_and_the_roles(demo_dir):
    mentor = next(person for person in roster(demo_dir) if person.has_role("mentor"))
    page = open_page(demo_dir, mentor.person_id, "peer_group", instance="Spring writing circle")
    year = newest_year(demo_dir)
    page.inputs["meetings"].enter(({"date": dt.date(year.start, 9, 10), "agenda": "Goals", "attendance": 5,
                                    "hours": 2.5},))
    shown = page.panel.children[0].value
    assert f"September {year.start}" in shown and "within 2-6 hours" in shown
    assert "Connector responsibilities" in page.panel.children[1].value


# --------------------------------------------------------------------------- landing pages


def _labels(root, viewer_id):
    from mentorforms.ui.context import PageRequest, open_session
    from mentorforms.ui.landing import landing_sections
    session = open_session({"MENTORFORMS_DATA": str(root), "MENTORFORMS_AS": viewer_id}, PageRequest())
    return [(entry.label, entry.href) for section in landing_sections(session, newest_year(root))
            for entry in section.entries]


def test_the_landing_pages_list_the_year_forms_and_drop_an_ended_relationship(demo_dir):
    person, mentor_id, _ = _review(demo_dir, "continue")
    mentor_name = next(p.name for p in roster(demo_dir) if p.person_id == mentor_id)
    mine = [label for label, _ in _labels(demo_dir, person.person_id)]
    assert "The Mentee's Checklist" in mine
    assert f"Yearly review with {mentor_name}" in mine and f"Mentoring agreement with {mentor_name}" in mine
    assert f"A new mentoring meeting with {mentor_name}" in mine
    theirs = [label for label, _ in _labels(demo_dir, mentor_id)]
    assert f"The Mentee's Checklist: {person.name}" in theirs

    # the review is revised to end the relationship, and both sign again
    mentee = open_page(demo_dir, person.person_id, "relationship_review", mentor_id=mentor_id)
    mentee.edit()
    mentee.enter({"decision": "end"})
    assert mentee.submit() is not None, mentee.problems_shown()  # the signatures no longer apply
    sign_as(mentee, "mentee_signature", person.name)
    assert mentee.sign("mentee_signature") is not None, mentee.result_text
    mentor = open_page(demo_dir, mentor_id, "relationship_review", person_id=person.person_id)
    sign_as(mentor, "mentor_signature", mentor.viewer.person.name)
    assert mentor.sign("mentor_signature") is not None, mentor.result_text

    mine = [label for label, _ in _labels(demo_dir, person.person_id)]
    assert not any(mentor_name in label for label in mine)
    theirs = [label for label, _ in _labels(demo_dir, mentor_id)]
    assert not [label for label in theirs if person.name in label and "Part I" not in label]  # conferences stay


def test_an_unshared_agenda_never_reaches_the_mentors_print_view_or_conflict_panel(demo_dir):
    person = fresh_person(demo_dir, "meeting", with_mentor=True)
    mentor_id = person.mentors[0]
    secret = "Asking about a move to another hospital"
    mentee = open_page(demo_dir, person.person_id, "meeting", mentor_id=mentor_id)
    mentee.enter({"meeting_date": TODAY, "notes": "first notes"})
    assert mentee.save_draft() is not None
    mentor = open_page(demo_dir, mentor_id, "meeting", person_id=person.person_id, instance=mentee.instance)
    mentee.enter({"agenda": secret})  # the mentee files the agenda after the mentor opened the page
    assert mentee.save_draft() is not None
    mentor.enter({"notes": "the mentor's notes"})
    assert mentor.save_draft() is None  # a newer version: shown field by field, nothing filed
    assert secret not in mentor.conflicts.box.value
    assert mentor.keep_mine() is not None
    assert mentor.inputs["agenda"].value() in (None, "")
    assert secret not in mentor.print_html()
    kept = DataFolder(demo_dir).latest("meeting", newest_year(demo_dir), person.person_id, mentee.instance)
    assert kept.values["agenda"] == secret and kept.values["notes"] == "the mentor's notes"
