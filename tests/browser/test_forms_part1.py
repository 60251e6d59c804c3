"""Part I in a real browser, as a new user fills it: every field, then submit, then the workbook."""

from __future__ import annotations

from pathlib import Path

from pages import field, fill_form, form_url, full_screenshot, open_form, press
from playwright.sync_api import expect
from ui_answers import complete_answers

from mentorforms.forms import get_form
from mentorforms.records.store import DataFolder
from mentorforms.rules.validation import check_submission
from mentorforms.vocabulary.record import Status

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"


def test_fill_the_whole_part1_submit_and_find_every_answer_in_the_workbook(serve_as, page, take_person,
                                                                           browser_data, demo_year):
    person = take_person("conference_part1")
    form = get_form("conference_part1", demo_year)
    answers = complete_answers(form)
    base = serve_as(demo=True)
    open_form(page, form_url(base, "conference_part1", person.person_id, year=demo_year, as_=person.person_id))
    expect(page.locator(".mf-status-line")).to_contain_text("Not saved yet")
    expect(field(page, "faculty_name").locator("input")).to_have_value(person.name)  # from the roster

    fill_form(page, form, answers)
    expect(page.locator(".mf-status-line")).to_contain_text("All required answers given")
    expect(page.locator(".mf-status-line")).to_contain_text("Unsaved changes")
    SCREENSHOTS.mkdir(exist_ok=True)
    full_screenshot(page, SCREENSHOTS / "part1-filled.png")

    press(page, "mf-submit", "Submitted as version 1")
    expect(page.locator(".mf-status-line")).to_contain_text("Submitted")
    expect(page.locator(".mf-status-line")).not_to_contain_text("Unsaved changes")

    record = DataFolder(browser_data).latest("conference_part1", demo_year, person.person_id)
    assert record.status is Status.SUBMITTED
    assert record.saved_by == person.person_id
    expected = check_submission(form, answers)
    for item in form.fields():
        assert record.values.get(item.id) == expected.get(item.id), item.id
    assert dict(record.values) == expected
