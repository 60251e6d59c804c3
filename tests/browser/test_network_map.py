"""The network map in a real browser: add and remove people, watch the measures and the picture
follow, save, and find the picture in the saved workbook."""

from __future__ import annotations

import time
import zipfile

import pytest
from openpyxl import load_workbook

from mentorforms.records.roster import load_roster
from mentorforms.records.store import DataFolder, safe_segment

PAGE_LOAD_MS = 90_000


def _faculty_without_a_map(data_dir) -> str:
    """A faculty member with no map in any year, so the new map starts empty (not from an old one)."""
    folder = DataFolder(data_dir)
    mapped = {path.parts[-3] for path in folder.iter_workbooks() if path.parent.name == "network_map"}
    for person in load_roster(folder.roster_path):
        if person.has_role("faculty") and safe_segment(person.person_id) not in mapped:
            return person.person_id
    pytest.fail("the demo data has no faculty member without a network map")


def _fill_row(row, name: str, **choices: str) -> None:
    row.locator(".mf-cell-name input").fill(name)
    for column, label in choices.items():
        row.locator(f".mf-cell-{column} select").select_option(label=label)


def _picture_source(page) -> str:
    return page.locator(".mf-network-picture").get_attribute("src") or ""


def test_people_added_and_removed_change_the_measures_and_the_saved_workbook_has_the_picture(
        serve_as, page, browser_data, spare_year):
    from playwright.sync_api import expect

    person_id = _faculty_without_a_map(browser_data)
    # The year after the demo's, inside the office's window of years (a far year such as 2030-2031 is
    # refused now); the person has no map in any year, so theirs starts empty.
    year = spare_year.label
    base = serve_as(person_id)
    # Voila runs the notebook before the page loads: allow for a busy machine on this first step.
    page.goto(f"{base}/voila/render/form.ipynb?form=network_map&year={year}", timeout=PAGE_LOAD_MS)
    panel = page.locator(".mf-network-panel")
    expect(panel).to_be_visible(timeout=PAGE_LOAD_MS)
    size = panel.locator(".mf-theme_size")
    redundancy = panel.locator(".mf-theme_redundancy")
    expect(size).to_contain_text("0 people")
    expect(size).to_contain_text("No one yet: add the people who help you.")
    empty_picture = _picture_source(page)

    # Issue 13: on a 1280 px screen every column a person fills is in view, none behind a sideways scroll.
    assert page.viewport_size["width"] == 1280
    table = page.locator(".mf-field-people .mf-table")
    widths = table.evaluate("element => [element.scrollWidth, element.clientWidth]")
    assert widths[0] <= widths[1] + 1, widths
    right = table.evaluate("element => element.getBoundingClientRect().right")
    for column in ("name", "description", "job_done", "career", "personal", "level", "organisation", "sponsor",
                   "well_connected", "relationship"):
        cell = page.locator(f".mf-field-people .mf-row .mf-cell-{column}").first
        assert cell.evaluate("element => element.getBoundingClientRect().right") <= right + 1, column

    page.locator(".mf-field-career_goals textarea").fill("Become PI of a lab")
    rows = page.locator(".mf-field-people .mf-row")
    _fill_row(rows.nth(0), "DR", career="Close", personal="Moderate", relationship="Mentor")
    rows.nth(0).locator(".mf-cell-sponsor input").check()
    expect(size).to_contain_text("1 person")
    expect(panel.locator(".mf-theme_power")).to_contain_text("1 sponsor")
    expect(panel.locator(".mf-theme_balance")).to_contain_text("Mentors but no mentees")
    expect(redundancy).to_contain_text("No one helps you get the job done")

    page.locator(".mf-field-people .mf-add-row").click()
    _fill_row(rows.nth(1), "LG", personal="Close", level="Peer")
    expect(size).to_contain_text("2 people")
    page.locator(".mf-field-people .mf-add-row").click()
    _fill_row(rows.nth(2), "JD", job_done="Close", level="Superior")
    expect(size).to_contain_text("3 people")
    expect(redundancy).not_to_contain_text("No one helps you get the job done")
    expect(redundancy).to_contain_text("Only JD helps you get the job done")
    three_picture = _picture_source(page)
    assert three_picture and three_picture != empty_picture

    rows.nth(1).locator(".mf-remove-row").click()  # LG goes
    expect(size).to_contain_text("2 people")
    expect(redundancy).to_contain_text("only DR helps advance your career and gives personal support")
    expect(page.locator(".mf-network-picture")).not_to_have_attribute("src", three_picture)

    page.locator(".mf-save-draft").click()
    folder = DataFolder(browser_data)
    deadline = time.monotonic() + 20
    while folder.latest_version("network_map", year, person_id) is None and time.monotonic() < deadline:
        time.sleep(0.2)
    stored = folder.latest_version("network_map", year, person_id)
    assert stored is not None, "the draft was not saved"
    record = folder.latest("network_map", year, person_id)
    assert [row["name"] for row in record.values["people"]] == ["DR", "JD"]
    with zipfile.ZipFile(stored.path) as archive:
        media = [name for name in archive.namelist() if name.startswith("xl/media/")]
        assert len(media) == 1 and archive.read(media[0]).startswith(b"\x89PNG")
    assert len(load_workbook(stored.path)["Form"]._images) == 1
    # Nothing the page asks for may fail (a request leaving 127.0.0.1 already fails the test: see conftest).
    assert page.console_errors == []
