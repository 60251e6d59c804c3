"""Drafts in the browser: messages next to fields, nothing lost, resume after reload, leave-warning."""

from __future__ import annotations

from pages import field, form_url, open_form, press
from playwright.sync_api import expect

from mentorforms.records.store import DataFolder
from mentorforms.vocabulary.record import Status


def test_negative_hours_show_the_message_next_to_the_field_and_nothing_typed_is_lost(
        serve_as, page, take_person, browser_data, spare_year):
    person = take_person("conference_part1", year=spare_year)
    open_form(page, form_url(serve_as(demo=True), "conference_part1", person.person_id, year=spare_year,
                             as_=person.person_id))
    field(page, "challenges").locator("textarea").fill("Covering two services at once")
    field(page, "hours_courses").locator("input").fill("-6")
    field(page, "goal_teaching").locator("textarea").fill("Run the residents' journal club")
    message = field(page, "hours_courses").locator(".mf-message")
    expect(message).to_have_text("Hours cannot be negative.")

    press(page, "mf-save-draft", "Not saved")
    expect(page.locator(".mf-result")).to_contain_text("Nothing you typed was lost")
    expect(message).to_have_text("Hours cannot be negative.")
    expect(field(page, "hours_courses").locator("input")).to_have_value("-6")
    expect(field(page, "challenges").locator("textarea")).to_have_value("Covering two services at once")
    expect(field(page, "goal_teaching").locator("textarea")).to_have_value("Run the residents' journal club")
    assert DataFolder(browser_data).versions("conference_part1", spare_year, person.person_id) == []

    field(page, "hours_courses").locator("input").fill("6")
    expect(message).to_be_hidden()
    press(page, "mf-save-draft", "Draft saved as version 1")


def test_a_failed_submit_scrolls_to_the_first_problem_and_keeps_everything(serve_as, page, take_person, spare_year):
    person = take_person("conference_part1", year=spare_year)
    open_form(page, form_url(serve_as(demo=True), "conference_part1", person.person_id, year=spare_year,
                             as_=person.person_id))
    field(page, "resources_needed").locator("textarea").fill("Protected writing time")
    press(page, "mf-submit", "Not submitted")
    first = field(page, "work_time")
    expect(first.locator(".mf-message")).to_contain_text("required")
    expect(first.locator("select").first).to_be_focused()
    expect(first).to_be_in_viewport()
    expect(field(page, "area_of_excellence").locator(".mf-message")).to_have_text("This is required.")
    expect(field(page, "resources_needed").locator("textarea")).to_have_value("Protected writing time")


def test_save_a_draft_reload_and_resume(serve_as, page, take_person, browser_data, spare_year):
    person = take_person("conference_part1", year=spare_year)
    url = form_url(serve_as(demo=True), "conference_part1", person.person_id, year=spare_year, as_=person.person_id)
    open_form(page, url)
    field(page, "hours_mentoring").locator("input").fill("42.5")
    field(page, "promotion_comments").locator("textarea").fill("Ask about the clinical track.\nAnd the timeline.")
    field(page, "accomplishments").locator(".mf-choice-grants input").check()
    field(page, "area_of_excellence").get_by_label("Investigation", exact=True).check()
    press(page, "mf-save-draft", "Draft saved as version 1")
    record = DataFolder(browser_data).latest("conference_part1", spare_year, person.person_id)
    assert record.status is Status.DRAFT and record.values["hours_mentoring"] == 42.5

    open_form(page, url)  # a reload: a new kernel reads the latest version
    expect(page.locator(".mf-status-line")).to_contain_text("Draft")
    expect(page.locator(".mf-status-line")).to_contain_text("version 1")
    expect(field(page, "hours_mentoring").locator("input")).to_have_value("42.5")
    expect(field(page, "promotion_comments").locator("textarea")).to_have_value(
        "Ask about the clinical track.\nAnd the timeline.")
    expect(field(page, "accomplishments").locator(".mf-choice-grants input")).to_be_checked()
    expect(field(page, "area_of_excellence").get_by_label("Investigation", exact=True)).to_be_checked()


def test_leaving_with_unsaved_changes_warns_and_a_saved_page_does_not(serve_as, context, take_person, spare_year):
    person = take_person("conference_part1", year=spare_year)
    url = form_url(serve_as(demo=True), "conference_part1", person.person_id, year=spare_year, as_=person.person_id)
    page = context.new_page()
    open_form(page, url)
    # Typed with real key presses: browsers ask before leaving only pages the user interacted with.
    field(page, "challenges").locator("textarea").click()
    page.keyboard.type("Not saved yet")
    expect(page.locator(".mf-form.mf-unsaved")).to_have_count(1)
    dialogs = []

    # Choosing to stay keeps a working page (Voila would otherwise have shut its kernel down).
    page.once("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.evaluate("setTimeout(() => { window.location.href = 'about:blank'; }, 0)")
    for _ in range(50):
        if dialogs:
            break
        page.wait_for_timeout(200)
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert page.url.startswith(url.split("?")[0])
    field(page, "promotion_comments").locator("textarea").fill("Typed after staying")
    press(page, "mf-save-draft", "Draft saved as version 1")
    field(page, "challenges").locator("textarea").click()
    page.keyboard.type(" and changed again")
    expect(page.locator(".mf-form.mf-unsaved")).to_have_count(1)

    # Choosing to leave closes the page.
    dialogs.clear()
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    page.close(run_before_unload=True)
    page.wait_for_event("close")
    assert dialogs == ["beforeunload"]

    page = context.new_page()
    open_form(page, url)
    expect(field(page, "promotion_comments").locator("textarea")).to_have_value("Typed after staying")
    field(page, "challenges").locator("textarea").fill("Saved this time")
    press(page, "mf-save-draft", "Draft saved as version 2")
    expect(page.locator(".mf-form.mf-unsaved")).to_have_count(0)
    dialogs.clear()
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    page.close(run_before_unload=True)
    page.wait_for_event("close")
    assert dialogs == []


def test_an_impossible_date_is_called_so_next_to_the_field_and_no_draft_drops_it(
        serve_as, page, take_person, browser_data, spare_year):
    person = take_person("agreement", with_mentor=True, year=spare_year)
    open_form(page, form_url(serve_as(demo=True), "agreement", person.person_id, year=spare_year,
                             as_=person.person_id, mentor=person.mentors[0]))
    box = field(page, "revisit_date").locator("input")
    expect(box).to_have_attribute("placeholder", "MM/DD/YYYY")
    box.fill("02/30/2025")
    press(page, "mf-save-draft", "Not saved")
    expect(field(page, "revisit_date").locator(".mf-message")).to_contain_text("not a real date")
    expect(box).to_have_value("02/30/2025")  # what was typed stays to be corrected
    assert DataFolder(browser_data).versions("agreement", spare_year, person.person_id, person.mentors[0]) == []

    box.fill("03/01/2025")
    expect(field(page, "revisit_date").locator(".mf-message")).to_be_hidden()
    press(page, "mf-save-draft", "Draft saved as version 1")
    record = DataFolder(browser_data).latest("agreement", spare_year, person.person_id, person.mentors[0])
    assert str(record.values["revisit_date"]) == "2025-03-01"
