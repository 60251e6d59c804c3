"""The mentoring year's forms in a real browser, as their parties use them: the mentee's
checklist read by a mentor, a meeting whose agenda reaches the mentor once shared, a yearly
review signed by both that reopens the agreement, and a peer group's season against 2-6 hours."""

from __future__ import annotations

import datetime as dt

from pages import field, fill_field, form_url, open_form, press
from playwright.sync_api import expect
from ui_answers import complete_answers

from mentorforms.forms import get_form
from mentorforms.records.roster import load_roster
from mentorforms.records.store import DataFolder
from mentorforms.rules.validation import check_submission
from mentorforms.vocabulary.record import Record, Signature, Status


def _mentor(browser_data, person):
    return load_roster(browser_data / "roster.xlsx").get(person.mentors[0])


def test_the_mentee_ticks_the_checklist_and_the_mentor_reads_it(serve_as, page, take_person, browser_data,
                                                                spare_year):
    person = take_person("mentee_checklist", with_mentor=True, year=spare_year)
    mentor = _mentor(browser_data, person)
    base = serve_as(demo=True)
    open_form(page, form_url(base, "mentee_checklist", person.person_id, year=spare_year, as_=person.person_id))
    item = field(page, "cv_sent")
    item.locator("input[type=checkbox]").check()
    item.locator("textarea").fill("Sent with my publication list")
    field(page, "cv_sent_on").locator("input").fill(f"{spare_year.start}-09-03")
    press(page, "mf-submit", "Submitted as version 1")

    open_form(page, form_url(base, "mentee_checklist", person.person_id, year=spare_year, as_=mentor.person_id))
    item = field(page, "cv_sent")
    expect(item.locator("input[type=checkbox]")).to_be_checked()
    expect(item.locator("input[type=checkbox]")).to_be_disabled()
    expect(item.locator("textarea")).to_have_value("Sent with my publication list")
    expect(page.locator(".mf-submit")).to_be_hidden()


def test_the_agenda_reaches_the_mentor_once_shared_and_both_write_the_notes(serve_as, page, take_person,
                                                                           browser_data, spare_year):
    person = take_person("meeting", with_mentor=True, year=spare_year)
    mentor = _mentor(browser_data, person)
    base = serve_as(demo=True)
    meeting_day = dt.date.today() + dt.timedelta(days=2)
    open_form(page, form_url(base, "meeting", person.person_id, year=spare_year, as_=person.person_id,
                             mentor=mentor.person_id))
    field(page, "meeting_date").locator("input").fill(meeting_day.isoformat())
    field(page, "agenda").locator("textarea").fill("Aims page; the study section's comments")
    press(page, "mf-save-draft", "Draft saved as version 1")
    key = f"{mentor.person_id}/1"

    mentor_url = form_url(base, "meeting", person.person_id, year=spare_year, as_=mentor.person_id, instance=key)
    open_form(page, mentor_url)
    expect(field(page, "agenda").locator("textarea")).to_have_value("")
    expect(field(page, "agenda").locator("textarea")).to_be_disabled()
    expect(page.locator(".mf-agenda-timing")).to_contain_text("not shared")
    expect(page.locator("a.mf-download")).to_have_count(0)  # the workbook would show the agenda
    expect(page.locator(".mf-download-button")).to_be_hidden()

    open_form(page, form_url(base, "meeting", person.person_id, year=spare_year, as_=person.person_id,
                             instance=key))
    field(page, "agenda_shared").locator("input[type=checkbox]").check()
    press(page, "mf-save-draft", "Draft saved as version 2")

    open_form(page, mentor_url)
    expect(field(page, "agenda").locator("textarea")).to_have_value("Aims page; the study section's comments")
    expect(page.locator(".mf-agenda-timing")).to_contain_text("2 days before the meeting")
    field(page, "notes").locator("textarea").fill("Rewrite aim 2 around the pilot data.")
    press(page, "mf-submit", "Submitted as version 3")
    record = DataFolder(browser_data).latest("meeting", spare_year, person.person_id, key)
    assert record.saved_by == mentor.person_id and record.values["agenda"].startswith("Aims page")
    assert record.values["agenda_shared_on"] == dt.datetime.now(dt.UTC).date()


def _signed_agreement(folder, person, mentor, year):
    form = get_form("agreement", year)
    values = {key: value for key, value in complete_answers(form).items()}
    values.update(mentor_id=mentor.person_id, mentor=mentor.name, mentee=person.name,
                  mentor_signature=Signature(mentor.name, dt.date.today()),
                  mentee_signature=Signature(person.name, dt.date.today()))
    folder.save(Record("agreement", form.version, year, person.person_id, person.department, Status.SIGNED,
                       check_submission(form, values), saved_by=person.person_id), person_name=person.name)


def test_a_review_signed_by_both_that_revises_the_plan_reopens_the_agreement(serve_as, page, take_person,
                                                                            browser_data, spare_year):
    person = take_person("relationship_review", with_mentor=True, year=spare_year)
    mentor = _mentor(browser_data, person)
    folder = DataFolder(browser_data)
    if folder.latest("agreement", spare_year, person.person_id, mentor.person_id) is None:
        _signed_agreement(folder, person, mentor, spare_year)  # the plan they agreed earlier
    base = serve_as(demo=True)
    mentee_url = form_url(base, "relationship_review", person.person_id, year=spare_year, as_=person.person_id,
                          mentor=mentor.person_id)
    open_form(page, mentee_url)
    expect(field(page, "mentor_worked").locator("textarea")).to_be_disabled()
    field(page, "review_date").locator("input").fill(dt.date.today().isoformat())
    field(page, "mentee_worked").locator("textarea").fill("Agendas ahead of each meeting")
    fill_field(page, get_form("relationship_review", spare_year).field("decision"), "revise")
    press(page, "mf-save-draft", "Draft saved as version 1")

    open_form(page, form_url(base, "relationship_review", person.person_id, year=spare_year,
                             as_=mentor.person_id, mentor=mentor.person_id))
    expect(field(page, "mentee_worked").locator("textarea")).to_be_disabled()
    field(page, "mentor_worked").locator("textarea").fill("Steady progress on the grant")
    signature = field(page, "mentor_signature")
    signature.locator(".mf-signature-name input").fill(mentor.name)
    signature.locator(".mf-sign").click()
    expect(page.locator(".mf-result")).to_contain_text("version 2")

    open_form(page, mentee_url)
    signature = field(page, "mentee_signature")
    signature.locator(".mf-signature-name input").fill(person.name)
    signature.locator(".mf-sign").click()
    expect(page.locator(".mf-result")).to_contain_text("open again")
    agreement = folder.latest("agreement", spare_year, person.person_id, mentor.person_id)
    assert agreement.status is Status.DRAFT and agreement.values.get("mentor_signature") is None


def test_the_group_page_shows_hours_per_month_against_two_to_six(serve_as, page, take_person, browser_data,
                                                                spare_year):
    mentor = next(person for person in load_roster(browser_data / "roster.xlsx") if person.has_role("mentor"))
    base = serve_as(demo=True)
    open_form(page, form_url(base, "peer_group", mentor.person_id, year=spare_year, as_=mentor.person_id,
                             instance="Grant writing circle"))
    panel = page.locator(".mf-season-panel")
    expect(panel).to_contain_text("Connector responsibilities")
    meetings = field(page, "meetings")
    meetings.locator(".mf-add-row").click()
    row = meetings.locator(".mf-row").first
    row.locator(".mf-cell-date input").fill(f"{spare_year.start}-09-12")
    row.locator(".mf-cell-agenda input").fill("Specific aims")
    row.locator(".mf-cell-hours input").fill("1.5")
    row.locator(".mf-cell-hours input").press("Tab")
    expect(panel.locator(".mf-season-below").first).to_contain_text(f"September {spare_year.start}")
    row.locator(".mf-cell-hours input").fill("2.5")
    row.locator(".mf-cell-hours input").press("Tab")
    expect(panel.locator(".mf-season-within").first).to_contain_text(f"September {spare_year.start}")
    press(page, "mf-save-draft", "Draft saved as version 1")
